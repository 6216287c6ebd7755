/**
 * The six message catalogs of the web interface against the English source: same keys, no
 * empty values, the same ICU arguments, messages that compile and format, plural categories
 * that fit each language, `_meta.reviewNeeded` on every translation, no untranslated copies
 * of English, and every key the source code asks for present in en.json.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type MessageFormatElement, TYPE } from '@formatjs/icu-messageformat-parser';
import IntlMessageFormat from 'intl-messageformat';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const SRC = join(here, '..', 'src');
const LOCALES = join(SRC, 'i18n', 'locales');

const LANGS = ['ar', 'en', 'fr', 'es', 'ru', 'zh'] as const;
type Lang = (typeof LANGS)[number];
const TRANSLATED = ['fr', 'es', 'ru', 'zh'] as const;

type Meta = { language?: unknown; translatedBy?: unknown; reviewNeeded?: unknown };
type Catalog = Record<string, unknown> & { _meta?: Meta };

function load(lang: Lang): Catalog {
  return JSON.parse(readFileSync(join(LOCALES, `${lang}.json`), 'utf8')) as Catalog;
}
const catalogs = Object.fromEntries(LANGS.map((l) => [l, load(l)])) as Record<Lang, Catalog>;
const en = catalogs.en;
const messageKeys = (c: Catalog) => Object.keys(c).filter((k) => k !== '_meta');
const enKeys = messageKeys(en);

/** Keys built at run time from a template literal, e.g. t(`level.${p.level}`): every value the code can produce. */
const TEMPLATE_FAMILIES: Record<string, readonly string[]> = {
  // The Urban Safety Monitor and self-assessments (issue 20, items 1 and 2).
  'safetyMonitor.placement.': ['source', 'marsad', 'administrator'],
  'safetyMonitor.status.': ['named', 'slot', 'added'],
  'safetyAssessment.check.': ['exists', 'regular', 'disaggregated', 'used'],
  'safetyAssessment.answer.': ['yes', 'no', 'unknown'],
  'safetyAssessment.stateName.': ['draft', 'submitted'],
  'safetyAssessment.cat.': ['strengths', 'connect', 'weakest', 'unassessed'],
  'safetyAssessment.catHelp.': ['strengths', 'connect', 'weakest', 'unassessed'],
  'safetyAssessment.catOne.': ['strength', 'connect', 'weakest', 'unassessed'],
  'level.': ['country', 'region', 'city', 'district'],
  'indicatorStatus.': ['active', 'draft', 'retired'],
  'direction.': ['higher', 'lower', 'none'],
  'status.': ['provisional', 'validated', 'approved'],
  'entry.problem.': [
    'below-min',
    'above-max',
    'wrong-unit',
    'missing-part',
    'parts-sum',
    'change-needs-comment',
    'unknown-indicator',
    'retired-indicator',
    'unknown-series',
    'dimension-not-of-indicator',
    'unknown-dimension-value',
    'duplicate',
    'approved-value',
    'bad-period',
  ],
  'admin.rules.warn.': ['range', 'unit', 'requiredDimensions', 'sumTolerance', 'maxChangePercent'],
  'status.state.': ['reported', 'in-progress', 'not-started', 'not-applicable'],
  'progress.class.': [
    'met-or-almost',
    'substantial',
    'moderate',
    'marginal',
    'stagnation',
    'deterioration',
    'insufficient-data',
    'not-assessed',
  ],
  // The composite safety profile (pages/safety/profile/).
  'safetyProfile.group.': ['pilot-cities', 'country-cities', 'city-districts'],
  'safetyProfile.choice.': ['normalisation', 'weights', 'aggregation', 'missing'],
  'safetyProfile.option.': [
    'min-max',
    'benchmarks',
    'z-score',
    'equal',
    'user',
    'pca',
    'arithmetic',
    'geometric',
    'exclude-unit',
    'mean-imputation',
    'theme-available',
  ],
  'safetyProfile.direction.': ['higher', 'lower'],
  'safetyProfile.treatment.': ['imputed', 'left-out', 'winsorised'],
  'safetyProfile.step.': ['selection', 'missing', 'outliers', 'normalisation', 'weights', 'aggregation', 'uncertainty'],
  'safetyProfile.error.': [
    'safety_framework_unknown',
    'safety_framework_no_groups',
    'safety_user_weights_missing',
    'safety_weight_unknown',
    'forbidden',
  ],
};
const templateKeys = Object.entries(TEMPLATE_FAMILIES).flatMap(([prefix, ends]) => ends.map((e) => prefix + e));

interface Args {
  /** Every argument name, at any depth (plural branches included). */
  names: Set<string>;
  /** Arguments used as plural/selectordinal selectors. */
  plural: Set<string>;
  /** Selector lists of each plural element. */
  pluralSelectors: { name: string; selectors: string[]; ordinal: boolean }[];
}

function collect(
  ast: MessageFormatElement[],
  acc: Args = { names: new Set(), plural: new Set(), pluralSelectors: [] },
): Args {
  for (const el of ast) {
    switch (el.type) {
      case TYPE.argument:
      case TYPE.number:
      case TYPE.date:
      case TYPE.time:
        acc.names.add(el.value);
        break;
      case TYPE.select:
        acc.names.add(el.value);
        for (const opt of Object.values(el.options)) collect(opt.value, acc);
        break;
      case TYPE.plural:
        acc.names.add(el.value);
        acc.plural.add(el.value);
        acc.pluralSelectors.push({
          name: el.value,
          selectors: Object.keys(el.options),
          ordinal: el.pluralType === 'ordinal',
        });
        for (const opt of Object.values(el.options)) collect(opt.value, acc);
        break;
      case TYPE.tag:
        acc.names.add(el.value);
        collect(el.children, acc);
        break;
      default:
        break;
    }
  }
  return acc;
}

function compile(value: string, lang: Lang): IntlMessageFormat {
  return new IntlMessageFormat(value, lang);
}

function argsOf(value: string, lang: Lang): Args {
  return collect(compile(value, lang).getAst());
}

/** Plural categories that integers 0–1000 fall into in this language (the cases a count can hit). */
function integerCategories(lang: Lang, type: Intl.PluralRulesOptions['type'] = 'cardinal'): Set<string> {
  const rules = new Intl.PluralRules(lang, { type });
  const cats = new Set<string>();
  for (let i = 0; i <= 1000; i++) cats.add(rules.select(i));
  return cats;
}

const sorted = (s: Iterable<string>) => [...s].sort();

describe('message catalogs', () => {
  it('en.json has messages and a _meta', () => {
    expect(enKeys.length).toBeGreaterThan(0);
    expect(en._meta?.language).toBe('en');
  });

  describe.each(LANGS)('%s.json', (lang) => {
    const cat = catalogs[lang];
    const keys = messageKeys(cat);

    it('has exactly the keys of en.json', () => {
      const missing = enKeys.filter((k) => !Object.hasOwn(cat, k));
      const extra = keys.filter((k) => !Object.hasOwn(en, k));
      expect({ missing, extra }).toEqual({ missing: [], extra: [] });
    });

    // WCAG 2.5.3 (label in name): a button whose visible text is one message and whose accessible name is
    // another must have the visible words in its name, in every language (axe's label-content-name-mismatch; the
    // Russian "Удалить" button was named "Снять роль …").
    it.each([
      ['admin.remove', 'admin.roles.removeNamed'],
      ['admin.remove', 'admin.grants.removeNamed'],
    ])('names the button %s shows within %s', (visible, name) => {
      const shown = String(cat[visible]).toLocaleLowerCase(lang);
      expect(String(cat[name]).toLocaleLowerCase(lang)).toContain(shown);
    });

    it('has a _meta with its language code', () => {
      expect(cat._meta, 'the _meta entry').toBeTypeOf('object');
      expect(cat._meta?.language).toBe(lang);
      expect(
        typeof cat._meta?.translatedBy === 'string' && cat._meta.translatedBy !== '',
        'a non-empty _meta.translatedBy',
      ).toBe(true);
      if (lang !== 'en')
        expect(Array.isArray(cat._meta?.reviewNeeded), '_meta.reviewNeeded must be an array').toBe(true);
    });

    it('has only non-empty string values', () => {
      const bad = keys.filter((k) => typeof cat[k] !== 'string' || (cat[k] as string).trim() === '');
      expect(bad).toEqual([]);
    });

    it('compiles every message with IntlMessageFormat', () => {
      const failures: string[] = [];
      for (const k of keys) {
        const v = cat[k];
        if (typeof v !== 'string') continue;
        try {
          compile(v, lang);
        } catch (e) {
          failures.push(`${k}: ${(e as Error).message}`);
        }
      }
      expect(failures).toEqual([]);
    });

    it('uses the same {arguments} as English', () => {
      const diffs: string[] = [];
      for (const k of enKeys) {
        const v = cat[k];
        const ev = en[k];
        if (typeof v !== 'string' || typeof ev !== 'string') continue;
        let mine: Args;
        let theirs: Args;
        try {
          mine = argsOf(v, lang);
          theirs = argsOf(ev, 'en');
        } catch {
          continue; // reported by the compile test
        }
        const a = sorted(mine.names).join(',');
        const b = sorted(theirs.names).join(',');
        if (a !== b) diffs.push(`${k}: {${a}} instead of {${b}}`);
        const pa = sorted(mine.plural).join(',');
        const pb = sorted(theirs.plural).join(',');
        if (pa !== pb) diffs.push(`${k}: plural on {${pa}} instead of {${pb}}`);
      }
      expect(diffs).toEqual([]);
    });

    it("uses the language's plural categories, with `other` and every integer case", () => {
      const problems: string[] = [];
      for (const k of keys) {
        const v = cat[k];
        if (typeof v !== 'string') continue;
        let args: Args;
        try {
          args = argsOf(v, lang);
        } catch {
          continue;
        }
        for (const p of args.pluralSelectors) {
          const type = p.ordinal ? 'ordinal' : 'cardinal';
          const allowed = new Set(new Intl.PluralRules(lang, { type }).resolvedOptions().pluralCategories);
          const unknown = p.selectors.filter((s) => !s.startsWith('=') && !allowed.has(s as Intl.LDMLPluralRule));
          if (unknown.length)
            problems.push(`${k}: {${p.name}} has categories ${unknown.join(', ')} that ${lang} does not use`);
          if (!p.selectors.includes('other')) problems.push(`${k}: {${p.name}} has no "other" branch`);
          const missing = [...integerCategories(lang, type)].filter((c) => c !== 'other' && !p.selectors.includes(c));
          if (missing.length) problems.push(`${k}: {${p.name}} lacks ${missing.join(', ')}`);
        }
      }
      expect(problems).toEqual([]);
    });

    it('formats every message with sample values', () => {
      const failures: string[] = [];
      for (const k of keys) {
        const v = cat[k];
        if (typeof v !== 'string') continue;
        let mf: IntlMessageFormat;
        let args: Args;
        try {
          mf = compile(v, lang);
          args = collect(mf.getAst());
        } catch {
          continue;
        }
        for (const count of [0, 1, 2, 3, 5, 11, 21, 22, 25, 101, 1.5]) {
          const values: Record<string, string | number> = {};
          for (const n of args.names) values[n] = args.plural.has(n) ? count : `‹${n}›`;
          try {
            const out = mf.format(values);
            if (typeof out !== 'string' || out.trim() === '') failures.push(`${k} (${count}): empty output`);
          } catch (e) {
            failures.push(`${k} (${count}): ${(e as Error).message}`);
          }
        }
      }
      expect(failures).toEqual([]);
    });
  });

  describe.each(TRANSLATED)('%s.json is a translation', (lang) => {
    const cat = catalogs[lang];

    it('is marked for review', () => {
      const review = cat._meta?.reviewNeeded;
      expect(Array.isArray(review) && review.length > 0, '_meta.reviewNeeded lists what awaits review').toBe(true);
    });

    it('is not a copy of English (at most ~10% of values identical)', () => {
      const same = enKeys.filter((k) => typeof cat[k] === 'string' && cat[k] === en[k]);
      // Identical strings are fine for names and technical notation ("Marsad", "{from}–{to}", "Total"),
      // but a placeholder copy of en.json would be identical almost everywhere.
      const ratio = same.length / enKeys.length;
      expect(
        ratio,
        `${same.length} of ${enKeys.length} values identical to English: ${same.join(', ')}`,
      ).toBeLessThanOrEqual(0.1);
    });
  });
});

describe('keys used in the source', () => {
  function sourceFiles(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
      const p = join(dir, d.name);
      if (d.isDirectory()) return d.name === 'node_modules' ? [] : sourceFiles(p);
      return /\.tsx?$/.test(d.name) && !d.name.endsWith('.d.ts') ? [p] : [];
    });
  }
  const files = sourceFiles(SRC);
  const literal = new Map<string, string[]>(); // key -> files using it
  const templatePrefixes = new Map<string, string[]>(); // prefix before ${ -> files
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const where = relative(SRC, f);
    for (const m of text.matchAll(/\bt\(\s*(['"])([^'"\\\n]+)\1/g)) {
      const key = m[2]!;
      literal.set(key, [...(literal.get(key) ?? []), where]);
    }
    for (const m of text.matchAll(/\bt\(\s*`([^`$\\]*)\$\{/g)) {
      const prefix = m[1]!;
      templatePrefixes.set(prefix, [...(templatePrefixes.get(prefix) ?? []), where]);
    }
  }

  it('finds the source and some t() calls', () => {
    expect(files.length).toBeGreaterThan(0);
    expect(literal.size).toBeGreaterThan(10);
  });

  it('every literal t("key") is in en.json', () => {
    const missing = [...literal]
      .filter(([k]) => !Object.hasOwn(en, k))
      .map(([k, fs]) => `${k} (${[...new Set(fs)].join(', ')})`);
    expect(missing).toEqual([]);
  });

  it('every t(`prefix.${…}`) template belongs to a known key family', () => {
    const unknown = [...templatePrefixes]
      .filter(([p]) => !Object.hasOwn(TEMPLATE_FAMILIES, p))
      .map(([p, fs]) => `${p}… (${[...new Set(fs)].join(', ')})`);
    expect(unknown, 'add the family and its values to TEMPLATE_FAMILIES').toEqual([]);
  });

  it('every key of the template families is in en.json', () => {
    expect(templateKeys.filter((k) => !Object.hasOwn(en, k))).toEqual([]);
  });
});
