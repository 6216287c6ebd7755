// Checks the shipped reference catalogue (packages/db/src/seed/catalogue/*.json):
// every file loads, codes are unique, every reference (framework, group, dimension,
// SDG target, parent place) exists, and every `names` object has the six UN languages.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dir = fileURLToPath(new URL('../src/seed/catalogue/', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const LANGS = ['ar', 'en', 'fr', 'es', 'ru', 'zh'] as const;

// biome-ignore lint/suspicious/noExplicitAny: the files are data, read as loosely typed JSON
type Json = any;
const load = (file: string): Json => JSON.parse(readFileSync(dir + file, 'utf8'));

const sdg = load('sdg.json');
const frameworks: Json[] = load('frameworks.json');
const dimensions: Json[] = load('dimensions.json');
const indicators: Json[] = load('indicators.json');
const placesFile = load('places.json');
const places: Json[] = placesFile.places;

function duplicates(codes: string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const c of codes) (seen.has(c) ? dup : seen).add(c);
  return [...dup];
}

/** Every object found under a key named `key`, with its JSON path. */
function collect(node: Json, key: string, path = '$', out: Array<[string, Json]> = []): Array<[string, Json]> {
  if (Array.isArray(node))
    node.forEach((x, i) => {
      collect(x, key, `${path}[${i}]`, out);
    });
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === key) out.push([`${path}.${k}`, v]);
      collect(v, key, `${path}.${k}`, out);
    }
  }
  return out;
}

/** Paths of objects holding reviewNeeded with another value than `true`. */
function badReviewFlags(node: Json, path = '$', out: string[] = []): string[] {
  if (Array.isArray(node))
    node.forEach((x, i) => {
      badReviewFlags(x, `${path}[${i}]`, out);
    });
  else if (node && typeof node === 'object') {
    if ('reviewNeeded' in node && node.reviewNeeded !== true) out.push(path);
    for (const [k, v] of Object.entries(node)) badReviewFlags(v, `${path}.${k}`, out);
  }
  return out;
}

const files: Record<string, Json> = {
  'sdg.json': sdg,
  'frameworks.json': frameworks,
  'dimensions.json': dimensions,
  'indicators.json': indicators,
  'places.json': placesFile,
};

describe('catalogue files', () => {
  it('has every file, the sdg-translations licence and a README', () => {
    for (const f of [...Object.keys(files), 'LICENSE-sdg-translations', 'README.md']) {
      expect(existsSync(dir + f), f).toBe(true);
    }
    expect(readFileSync(`${dir}LICENSE-sdg-translations`, 'utf8')).toMatch(/MIT License/);
  });

  it('gives every names object exactly the six UN languages, none empty', () => {
    for (const [file, data] of Object.entries(files)) {
      const all = collect(data, 'names');
      expect(all.length, file).toBeGreaterThan(0);
      for (const [path, names] of all) {
        expect(Object.keys(names).sort(), `${file} ${path}`).toEqual([...LANGS].sort());
        for (const l of LANGS) {
          expect(typeof names[l] === 'string' && names[l].trim().length > 0, `${file} ${path}.${l}`).toBe(true);
        }
      }
    }
  });

  it('gives descriptions and definitions at least Arabic and English', () => {
    for (const key of ['descriptions', 'definitions']) {
      for (const [file, data] of Object.entries(files)) {
        for (const [path, text] of collect(data, key)) {
          for (const l of ['ar', 'en']) expect(String(text[l] ?? '').trim(), `${file} ${path}.${l}`).not.toBe('');
          for (const l of Object.keys(text)) expect(LANGS as readonly string[], `${file} ${path}`).toContain(l);
        }
      }
    }
  });

  it("gives every indicator's definition in the six languages, the translations marked for review", () => {
    const indicators = files['indicators.json'] as {
      code: string;
      definitions?: Record<string, string>;
      reviewNeeded?: boolean;
    }[];
    for (const ind of indicators) {
      expect(Object.keys(ind.definitions ?? {}).sort(), ind.code).toEqual([...LANGS].sort());
      for (const l of LANGS) expect(ind.definitions?.[l]?.trim(), `${ind.code}.${l}`).toBeTruthy();
      expect(ind.reviewNeeded, ind.code).toBe(true);
    }
  });

  it('uses reviewNeeded only as true', () => {
    for (const [file, data] of Object.entries(files)) expect(badReviewFlags(data), file).toEqual([]);
  });
});

describe('sdg.json', () => {
  it('has all goals, targets and indicators, with unique codes and existing parents', () => {
    expect(sdg.source.licence).toBe('MIT');
    expect(sdg.source.url).toBe('https://github.com/open-sdg/sdg-translations');
    expect(sdg.goals).toHaveLength(17);
    expect(sdg.targets).toHaveLength(169);
    expect(sdg.indicators.length).toBeGreaterThanOrEqual(248);
    const goals = new Set(sdg.goals.map((g: Json) => g.code));
    const targets = new Set(sdg.targets.map((t: Json) => t.code));
    for (const list of [sdg.goals, sdg.targets, sdg.indicators]) {
      expect(duplicates(list.map((x: Json) => x.code))).toEqual([]);
    }
    for (const t of sdg.targets) expect(goals.has(t.goal), t.code).toBe(true);
    for (const i of sdg.indicators) {
      expect(i.code, i.code).toMatch(/^\d+\.[0-9a-z]+\.\d+$/);
      expect(targets.has(i.target), i.code).toBe(true);
      expect(['active', 'retired']).toContain(i.status);
    }
  });

  it('adds 11.5.3 for review and retires 11.c.1', () => {
    const byCode = new Map(sdg.indicators.map((i: Json) => [i.code, i]));
    const added: Json = byCode.get('11.5.3');
    expect(added?.reviewNeeded).toBe(true);
    expect(added?.names.en).toMatch(/critical infrastructure/);
    expect((byCode.get('11.c.1') as Json)?.status).toBe('retired');
    expect(sdg.indicators.filter((i: Json) => i.status === 'retired').map((i: Json) => i.code)).toEqual(['11.c.1']);
  });

  it('is what scripts/build-catalogue-sdg.mjs makes of shared/data/sdg-translations', () => {
    if (!existsSync(`${repoRoot}../shared/data/sdg-translations/en/global_goals.yml`)) return;
    const out = execFileSync(process.execPath, ['scripts/build-catalogue-sdg.mjs', '--check'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(out).toMatch(/up to date/);
  });
});

describe('frameworks.json and dimensions.json', () => {
  it('has the five frameworks with unique group codes', () => {
    expect(frameworks.map((f) => f.code).sort()).toEqual(
      ['adequate-housing', 'nua', 'population', 'sdg', 'urban-safety'].sort(),
    );
    for (const f of frameworks) {
      expect(typeof f.draft, f.code).toBe('boolean');
      expect(duplicates(f.groups.map((g: Json) => g.code)), f.code).toEqual([]);
    }
    const groups = (code: string) => frameworks.find((f) => f.code === code).groups.map((g: Json) => g.code);
    expect(groups('urban-safety')).toEqual([
      'crime-violence',
      'victimisation',
      'perceptions',
      'risk-factors',
      'resilience-factors',
    ]);
    expect(groups('adequate-housing')).toEqual([
      'a-tenure',
      'b-services',
      'c-affordability',
      'd-habitability',
      'e-accessibility',
      'f-location',
      'g-cultural',
    ]);
    expect(frameworks.find((f) => f.code === 'urban-safety').draft).toBe(true);
    expect(frameworks.find((f) => f.code === 'urban-safety').descriptions.en).toMatch(/not a UN text/);
  });

  it('has closed dimensions with unique codes and no listed total', () => {
    expect(duplicates(dimensions.map((d) => d.code))).toEqual([]);
    for (const d of [
      'SEX',
      'AGE',
      'DISABILITY_STATUS',
      'INCOME_WEALTH_QUANTILE',
      'URBANISATION',
      'PLACE_OF_OCCURRENCE',
    ]) {
      expect(
        dimensions.some((x) => x.code === d),
        d,
      ).toBe(true);
    }
    for (const d of dimensions) {
      expect(d.open, d.code).toBe(false);
      expect(d.values.length, d.code).toBeGreaterThan(0);
      expect(duplicates(d.values.map((v: Json) => v.code)), d.code).toEqual([]);
      expect(
        d.values.some((v: Json) => v.code === '_T'),
        d.code,
      ).toBe(false);
    }
  });
});

describe('indicators.json', () => {
  const frameworkGroups = new Map(frameworks.map((f) => [f.code, new Set(f.groups.map((g: Json) => g.code))]));
  const dimensionCodes = new Set(dimensions.map((d) => d.code));
  const sdgIndicators = new Map(sdg.indicators.map((i: Json) => [i.code, i]));
  const sdgTargets = new Set(sdg.targets.map((t: Json) => t.code));
  const UNITS = new Set([
    'PERCENT',
    'PER_100000',
    'PER_100000_WOMEN',
    'NUMBER',
    'UG_M3',
    'RATIO',
    'USD',
    'USD_PER_CAPITA',
    'PERCENT_GDP',
    'SQ_M_PER_CAPITA',
    'INDEX',
    'YES_NO',
    'MINUTES',
  ]);

  it('has unique indicator codes, and series codes and aliases unique across the catalogue', () => {
    expect(duplicates(indicators.map((i) => i.code))).toEqual([]);
    const seriesCodes = indicators.flatMap((i) => i.series.flatMap((s: Json) => [s.code, ...s.aliases]));
    expect(duplicates(seriesCodes)).toEqual([]);
  });

  it('refers only to existing frameworks, groups, dimensions, SDG targets and indicators', () => {
    for (const i of indicators) {
      expect(i.frameworks.length, i.code).toBeGreaterThan(0);
      for (const m of i.frameworks) {
        expect(frameworkGroups.has(m.framework), `${i.code} → ${m.framework}`).toBe(true);
        if (m.group !== undefined) {
          expect(frameworkGroups.get(m.framework)?.has(m.group), `${i.code} → ${m.framework}/${m.group}`).toBe(true);
        }
      }
      expect(duplicates(i.frameworks.map((m: Json) => `${m.framework}/${m.group ?? ''}`)), i.code).toEqual([]);
      for (const d of i.dimensions) expect(dimensionCodes.has(d), `${i.code} → ${d}`).toBe(true);
      if (i.sdgTarget !== null) expect(sdgTargets.has(i.sdgTarget), `${i.code} → ${i.sdgTarget}`).toBe(true);
      for (const r of i.related ?? []) expect(sdgIndicators.has(r), `${i.code} related ${r}`).toBe(true);
    }
  });

  it('describes every indicator: unit, direction, status, series, targets', () => {
    for (const i of indicators) {
      expect(UNITS.has(i.unit.code), `${i.code} unit ${i.unit.code}`).toBe(true);
      expect(['higher', 'lower', 'none'], i.code).toContain(i.direction);
      expect(['active', 'retired', 'draft'], i.code).toContain(i.status);
      expect(Array.isArray(i.tags), i.code).toBe(true);
      for (const s of i.series) {
        expect(s.code, i.code).toMatch(/^[A-Z0-9_.-]+$/);
        expect(UNITS.has(s.unit.code), `${s.code} unit ${s.unit.code}`).toBe(true);
        expect(Array.isArray(s.aliases), s.code).toBe(true);
      }
      if (i.status !== 'retired') expect(i.series.length, i.code).toBeGreaterThan(0);
      for (const t of i.targets) {
        expect(Number.isInteger(t.year), i.code).toBe(true);
        expect(typeof t.note === 'string' && t.note.length > 0, `${i.code} target note`).toBe(true);
        const absolute = typeof t.value === 'number';
        const relative = typeof t.relativeChange === 'number' && Number.isInteger(t.baselineYear);
        expect(absolute !== relative, `${i.code} target is either a value or a relative change`).toBe(true);
      }
    }
  });

  it('has every SDG 11 and 16.1 indicator, named as in sdg.json', () => {
    const wanted = sdg.indicators.filter((i: Json) => /^(11\.|16\.1\.)/.test(i.code)).map((i: Json) => i.code);
    expect(wanted).toContain('11.5.3');
    const shipped = new Map(indicators.map((i) => [i.code, i]));
    for (const code of wanted) {
      const ind = shipped.get(code);
      expect(ind, code).toBeDefined();
      const src: Json = sdgIndicators.get(code);
      expect(ind.names, code).toEqual(src.names);
      expect(ind.sdgTarget, code).toBe(src.target);
      expect(ind.status, code).toBe(src.status);
      expect(
        ind.frameworks.some((m: Json) => m.framework === 'sdg'),
        code,
      ).toBe(true);
    }
    expect(shipped.get('11.c.1').status).toBe('retired');
    const series = (code: string) => shipped.get(code).series.map((s: Json) => s.code);
    expect(series('11.6.2')).toContain('EN_ATM_PM25');
    expect(series('11.6.2')).toHaveLength(2);
    expect(series('16.1.1')).toEqual(['VC_IHR_PSRC', 'VC_IHR_PSRCN']);
    expect(shipped.get('16.1.4').series[0].aliases).toContain('VC_SNS_WALN');
    expect(series('11.5.3')).toEqual(['VC_DSR_CDAN', 'VC_DSR_BSDN']);
    expect(shipped.get('16.1.1').targets[0]).toMatchObject({ year: 2030, relativeChange: -0.5, baselineYear: 2015 });
  });

  it('lets one indicator belong to several frameworks', () => {
    const of = (code: string) => indicators.find((i) => i.code === code).frameworks.map((m: Json) => m.framework);
    expect(of('16.1.1')).toEqual(expect.arrayContaining(['sdg', 'nua', 'urban-safety']));
    expect(of('11.1.1')).toEqual(expect.arrayContaining(['sdg', 'nua', 'adequate-housing']));
  });

  it('has the urban safety matrix draft in all five groups and a housing indicator per dimension', () => {
    const usm = indicators.filter((i) => i.code.startsWith('USM-'));
    expect(usm.length).toBeGreaterThanOrEqual(22);
    const prefixToGroup: Record<string, string> = {
      CV: 'crime-violence',
      VI: 'victimisation',
      PE: 'perceptions',
      RF: 'risk-factors',
      PF: 'resilience-factors',
    };
    for (const i of usm) {
      expect(i.status, i.code).toBe('draft');
      expect(i.tags, i.code).toContain('marsad-draft');
      expect(i.reviewNeeded, i.code).toBe(true);
      const group = prefixToGroup[i.code.split('-')[1]];
      expect(i.frameworks, i.code).toContainEqual({ framework: 'urban-safety', group });
    }
    expect(new Set(usm.map((i) => i.frameworks[0].group)).size).toBe(5);
    const ah = indicators.filter((i) => i.code.startsWith('AH-'));
    for (const g of frameworkGroups.get('adequate-housing') ?? []) {
      expect(
        ah.some((i) => i.frameworks.some((m: Json) => m.group === g)),
        String(g),
      ).toBe(true);
    }
    for (const i of ah) expect(i.status, i.code).toBe('draft');
  });

  it('gives the victimisation, harassment and violence indicators a suppression rule resting on a count series of their own', () => {
    // docs/methods/suppression.md: register counts 10, survey respondents 25.
    const ruled = indicators.filter((i) => i.suppression);
    const violence = indicators.filter(
      (i) =>
        i.tags.includes('violence') ||
        i.frameworks.some((m: Json) => ['crime-violence', 'victimisation'].includes(m.group)),
    );
    expect(ruled.map((i) => i.code).sort()).toEqual(violence.map((i) => i.code).sort());
    for (const i of ruled) {
      const r = i.suppression;
      expect(Object.keys(r).sort(), i.code).toEqual(['countSeries', 'dimensions', 'levels', 'minCount']);
      expect([10, 25], i.code).toContain(r.minCount);
      const count = i.series.find((s: Json) => s.code === r.countSeries);
      expect(count?.unit.code, `${i.code} count series ${r.countSeries}`).toBe('NUMBER');
      expect(i.series[0].code, i.code).not.toBe(r.countSeries);
      expect(r.dimensions, i.code).toEqual(['SEX', 'AGE', 'DISABILITY_STATUS']);
      for (const d of r.dimensions) expect(dimensionCodes.has(d), `${i.code} → ${d}`).toBe(true);
      expect(r.levels, i.code).toEqual(['district']);
    }
  });

  it('has the population denominator', () => {
    const pop = indicators.find((i) => i.code === 'POP');
    expect(pop.series.map((s: Json) => s.code)).toEqual(['POP_T']);
    expect(pop.dimensions).toEqual(['SEX', 'AGE']);
    expect(pop.frameworks).toEqual([{ framework: 'population' }]);
  });
});

describe('places.json', () => {
  const byCode = new Map(places.map((p) => [p.code, p]));

  it('has unique codes and existing parents of a higher level', () => {
    expect(duplicates(places.map((p) => p.code))).toEqual([]);
    const rank: Record<string, number> = { country: 0, region: 1, city: 2, district: 3 };
    for (const p of places) {
      expect(Object.keys(rank), p.code).toContain(p.level);
      if (p.level === 'country') {
        expect(p.parent, p.code).toBeNull();
        continue;
      }
      const parent = byCode.get(p.parent);
      expect(parent, `${p.code} → ${p.parent}`).toBeDefined();
      expect(rank[parent.level]!, p.code).toBeLessThan(rank[p.level]!);
      expect(typeof p.lat === 'number' || p.level === 'region', p.code).toBe(true);
    }
  });

  it('has every ISO 3166-1 country with alpha-2 and 3-digit numeric codes', () => {
    const countries = places.filter((p) => p.level === 'country');
    expect(countries).toHaveLength(249);
    for (const c of countries) {
      expect(c.code).toMatch(/^[A-Z]{3}$/);
      expect(c.codes.iso3166_alpha2).toMatch(/^[A-Z]{2}$/);
      expect(c.codes.iso3166_numeric).toMatch(/^\d{3}$/);
    }
    expect(duplicates(countries.map((c) => c.codes.iso3166_alpha2))).toEqual([]);
    expect(byCode.get('JOR').codes).toMatchObject({ iso3166_alpha2: 'JO', iso3166_numeric: '400' });
  });

  it('has the eight named pilot cities of seed 003 with UN/LOCODEs, and no invented Philippine city', () => {
    const pilots = places.filter((p) => p.level === 'city' && p.pilot);
    expect(pilots.map((p) => p.code).sort()).toEqual(
      ['CRSJO', 'CUHAV', 'ECUIO', 'JOAMM', 'KHBBM', 'KZALA', 'LSMSU', 'MAAGA'].sort(),
    );
    for (const c of pilots) {
      expect(c.codes.unlocode.replace(' ', ''), c.code).toBe(c.code);
      expect(c.code.slice(0, 2)).toBe(c.codes.unlocode.slice(0, 2));
      let country = byCode.get(c.parent);
      while (country.level !== 'country') country = byCode.get(country.parent);
      expect(country.codes.iso3166_alpha2, c.code).toBe(c.code.slice(0, 2));
      expect(Math.abs(c.lat) <= 90 && Math.abs(c.lon) <= 180, c.code).toBe(true);
    }
    expect(byCode.get('PHL').pilot).toBe(true);
    expect(places.some((p) => p.parent === 'PHL')).toBe(false);
    expect(byCode.get('USLAX')).toMatchObject({ parent: 'USA', pilot: false, level: 'city' });
  });
});
