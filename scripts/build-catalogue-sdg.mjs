#!/usr/bin/env node
// Builds packages/db/src/seed/catalogue/sdg.json from the Open SDG community
// translations in shared/data/sdg-translations/<lang>/global_{goals,targets,indicators}.yml
// and copies their LICENSE next to it.
//
//   node scripts/build-catalogue-sdg.mjs            write sdg.json and LICENSE-sdg-translations
//   node scripts/build-catalogue-sdg.mjs --check    exit 1 if the files on disk differ
//   SDG_TRANSLATIONS_DIR=/path node scripts/...     read the translations from elsewhere
//
// The YAML keys look like `11-1-1-title`; codes are written with dots (11.a.1).
// Additions that are not in the translation files (11.5.3, added by the 2020
// comprehensive review) are kept below and marked reviewNeeded.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..');
const srcDir = resolve(process.env.SDG_TRANSLATIONS_DIR ?? join(repo, '..', 'shared', 'data', 'sdg-translations'));
const outDir = join(repo, 'packages', 'db', 'src', 'seed', 'catalogue');
const check = process.argv.includes('--check');

/** Marsad language code → folder of sdg-translations. */
const LANGS = { ar: 'ar', en: 'en', fr: 'fr', es: 'es', ru: 'ru', zh: 'zh-Hans' };

/** Indicators deleted by the 2020 comprehensive review that the files still carry. */
const RETIRED = new Set(['11.c.1']);

/** Indicators missing from the files; texts other than English are our own translation. */
const ADDED_INDICATORS = [
  {
    code: '11.5.3',
    target: '11.5',
    status: 'active',
    names: {
      ar: '(أ) الأضرار التي لحقت بالهياكل الأساسية الحيوية و(ب) عدد الأعطال التي لحقت بالخدمات الأساسية، بسبب الكوارث',
      en: '(a) Damage to critical infrastructure and (b) number of disruptions to basic services, attributed to disasters',
      fr: 'a) Dommages causés aux infrastructures critiques et b) nombre de perturbations des services de base résultant de catastrophes',
      es: 'a) Daños causados a infraestructuras esenciales y b) número de interrupciones de los servicios básicos atribuidos a desastres',
      ru: 'a) Ущерб, причиненный критически важным объектам инфраструктуры, и b) число перебоев в предоставлении основных услуг в результате бедствий',
      zh: '(a) 灾害造成的重要基础设施的损坏和(b) 基本服务的中断次数',
    },
    reviewNeeded: true,
    note:
      'Added by the 2020 comprehensive review and missing from sdg-translations. English from the UN global indicator framework; ' +
      'ar, fr and zh reuse the wording of the pre-2020 11.5.2 title in sdg-translations; es and ru are Marsad translations.',
  },
];

/** Notes on texts of the files that users should know about. */
const NOTES = {
  '11.5.2':
    'The ar, fr and zh titles in sdg-translations are the pre-2020 text, which also covered what is now 11.5.3 ' +
    '(damage to critical infrastructure and disruptions to basic services).',
  '11.c.1': 'Deleted in the 2020 comprehensive review; kept as a retired indicator for historical data.',
};

function load(lang, kind) {
  const file = join(srcDir, LANGS[lang], `global_${kind}.yml`);
  const data = YAML.parse(readFileSync(file, 'utf8'));
  if (!data || typeof data !== 'object') throw new Error(`${file}: not a YAML mapping`);
  return data;
}

// The Arabic files write numbers grouped by spaces in display order ("000 100", "000 1"): store them in
// logical order ("100 000", "1 000"), which reads right to screen readers and search; the pages keep the
// groups together in right-to-left text (packages/web/src/format/isolate-numbers.ts).
const logicalGroups = (s) =>
  /[\u0600-\u06FF]/.test(s)
    ? s.replace(/(?<!\d|\d )((?:000 )+)(\d{1,3})(?!\d)/g, (_, zeros, lead) =>
        [lead, ...zeros.trim().split(' ')].join(' '),
      )
    : s;
const clean = (s) => logicalGroups(String(s).replace(/\s+/g, ' ').trim());

/** Sort key part: numbers before letters, numbers numerically. */
function partKey(p) {
  return /^\d+$/.test(p) ? `0${p.padStart(4, '0')}` : `1${p}`;
}
function compareCodes(a, b) {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    if (pa[i] === undefined) return -1;
    if (pb[i] === undefined) return 1;
    const ka = partKey(pa[i]);
    const kb = partKey(pb[i]);
    if (ka !== kb) return ka < kb ? -1 : 1;
  }
  return 0;
}

/** Collect {code → names} for keys matching `re` (with `suffix`) in every language. */
function collect(kind, re) {
  const out = new Map();
  for (const lang of Object.keys(LANGS)) {
    const data = load(lang, kind);
    for (const [key, value] of Object.entries(data)) {
      const m = re.exec(key);
      if (!m) continue;
      const code = m.slice(1).join('.');
      if (!out.has(code)) out.set(code, {});
      out.get(code)[lang] = clean(value);
    }
  }
  for (const [code, names] of out) {
    for (const lang of Object.keys(LANGS)) {
      if (!names[lang]) throw new Error(`${kind} ${code}: no ${lang} text`);
    }
  }
  return out;
}

function ordered(names) {
  return Object.fromEntries(Object.keys(LANGS).map((l) => [l, names[l]]));
}

function build() {
  const goalTitles = collect('goals', /^(\d+)-title$/);
  const goalShorts = collect('goals', /^(\d+)-short$/);
  const targetTitles = collect('targets', /^(\d+)-([0-9a-z]+)-title$/);
  const indicatorTitles = collect('indicators', /^(\d+)-([0-9a-z]+)-([0-9a-z]+)-title$/);

  const goals = [...goalTitles.keys()].sort(compareCodes).map((code) => ({
    code,
    names: ordered(goalTitles.get(code)),
    shortNames: goalShorts.has(code) ? ordered(goalShorts.get(code)) : undefined,
  }));
  const goalCodes = new Set(goals.map((g) => g.code));

  const targets = [...targetTitles.keys()].sort(compareCodes).map((code) => {
    const goal = code.split('.')[0];
    if (!goalCodes.has(goal)) throw new Error(`target ${code}: unknown goal ${goal}`);
    return { code, goal, names: ordered(targetTitles.get(code)) };
  });
  const targetCodes = new Set(targets.map((t) => t.code));

  const indicators = [...indicatorTitles.keys()].map((code) => {
    const target = code.split('.').slice(0, 2).join('.');
    if (!targetCodes.has(target)) throw new Error(`indicator ${code}: unknown target ${target}`);
    const ind = {
      code,
      target,
      status: RETIRED.has(code) ? 'retired' : 'active',
      names: ordered(indicatorTitles.get(code)),
    };
    if (NOTES[code]) ind.note = NOTES[code];
    return ind;
  });
  for (const add of ADDED_INDICATORS) {
    if (indicatorTitles.has(add.code)) {
      throw new Error(`${add.code} is now in sdg-translations: remove it from ADDED_INDICATORS`);
    }
    if (!targetCodes.has(add.target)) throw new Error(`${add.code}: unknown target`);
    indicators.push({ ...add, names: ordered(add.names) });
  }
  indicators.sort((a, b) => compareCodes(a.code, b.code));

  return {
    source: {
      name: 'Open SDG sdg-translations',
      url: 'https://github.com/open-sdg/sdg-translations',
      licence: 'MIT',
      citation:
        'Open SDG, sdg-translations: translations of SDG goal, target and indicator titles ' +
        '(translations/<lang>/global_goals.yml, global_targets.yml, global_indicators.yml), commit of August 2025. ' +
        'Copyright (c) 2019 Open SDG, MIT licence (see LICENSE-sdg-translations).',
      note: 'Community translations, not the official UN texts',
      languages: LANGS,
      generatedBy: 'scripts/build-catalogue-sdg.mjs',
    },
    goals,
    targets,
    indicators,
  };
}

/**
 * JSON with 2-space indentation in which any value that fits on one line of at most
 * 100 characters (small objects, arrays of codes) is written on one line.
 */
function toJson(value) {
  const entries = (o) => Object.entries(o).filter(([, x]) => x !== undefined);
  const inline = (x) => {
    if (x === null || typeof x !== 'object') return JSON.stringify(x);
    if (Array.isArray(x)) return `[${x.map(inline).join(', ')}]`;
    const e = entries(x);
    return e.length ? `{ ${e.map(([k, y]) => `${JSON.stringify(k)}: ${inline(y)}`).join(', ')} }` : '{}';
  };
  const block = (x, indent) => {
    const one = inline(x);
    if (x === null || typeof x !== 'object' || indent.length + one.length <= 100) return one;
    const next = `${indent}  `;
    if (Array.isArray(x)) return `[\n${x.map((y) => next + block(y, next)).join(',\n')}\n${indent}]`;
    return `{\n${entries(x)
      .map(([k, y]) => `${next}${JSON.stringify(k)}: ${block(y, next)}`)
      .join(',\n')}\n${indent}}`;
  };
  return `${block(value, '')}\n`;
}

const json = toJson(build());
const outFile = join(outDir, 'sdg.json');
const licenceSrc = join(srcDir, 'LICENSE');
const licenceOut = join(outDir, 'LICENSE-sdg-translations');

if (check) {
  const problems = [];
  if (!existsSync(outFile) || readFileSync(outFile, 'utf8') !== json) problems.push(outFile);
  if (!existsSync(licenceOut) || readFileSync(licenceOut, 'utf8') !== readFileSync(licenceSrc, 'utf8')) {
    problems.push(licenceOut);
  }
  if (problems.length) {
    console.error(`out of date, run node scripts/build-catalogue-sdg.mjs:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log('sdg.json is up to date');
} else {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(outFile, json);
  writeFileSync(licenceOut, readFileSync(licenceSrc, 'utf8'));
  const d = JSON.parse(json);
  console.log(
    `wrote ${outFile}: ${d.goals.length} goals, ${d.targets.length} targets, ${d.indicators.length} indicators`,
  );
}
