import { testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, createTestApp, importText, signedIn, type TestApp } from './helpers.ts';

/**
 * The composite safety profile through the API (docs/methods/safety-index.md, "The profile from the data"), against a
 * case computed by hand. Morocco's cities Agadir (MAAGA, pilot), Tiznit (MATIZ) and Rabat (MARAB): Tiznit is not a
 * pilot city, so its group is the cities of Morocco. Approved yearly totals:
 *
 *              16.1.1 (lower)   USM-CV-01 (lower)   16.1.4 (higher)
 *   2015       A 4  B 8  C 12   A 200 B 400 C 300   A 40 B 60 C 50
 *   2024       A 2  B 6  C 10   A 100 B 300 C 200   A 50 B 70 C 60
 *   Morocco    2024: 6 (16.1.1 only)
 *
 * Themes (urban-safety groups): crime-violence = 16.1.1, USM-CV-01; perceptions = 16.1.4.
 * Min-max, equal, arithmetic, 2024: 16.1.1 → A 100 B 50 C 0; CV-01 → A 100 B 0 C 50; 16.1.4 → A 0 B 100 C 50;
 * crime A 100 B 25 C 25; perceptions A 0 B 100 C 50; overall A 50, B 62.5, C 37.5.
 * Tiznit: 62.5; the group's median 50, range 37.5–62.5; crime 25 (median 25, range 25–100). Morocco (added to the
 * group, theme-available): 16.1.1 = 6 → 50, crime 50 from one of two indicators, no perceptions: no overall score.
 *
 * Benchmarks (targets for 2030 for every place; baseline = the group's 2015 median): 16.1.1 halve from 2015: 8 → 4;
 * CV-01 300 → 150; 16.1.4 50 → 70. Clipped: 16.1.1 A 100 B 50 C 0; CV-01 A 100 B 0 C 66.667; 16.1.4 A 0 B 100 C 50;
 * crime A 100 B 25 C 33.333; overall A 50, B 62.5, C 41.667: Tiznit 62.5, median 50, range 41.667–62.5.
 */
const json = { ...AUTH, 'content-type': 'application/json' };
const CHOICES = {
  framework: 'urban-safety',
  normalisation: 'min-max',
  weights: 'equal',
  aggregation: 'arithmetic',
  missing: 'theme-available',
  minThemeShare: 0.5,
  winsorise: false,
};

interface Message {
  code: string;
  params: Record<string, string | number>;
  text: string;
}

interface Profile {
  place: { code: string };
  group: { kind: string; count: number };
  refusal: Message | null;
  overall: { score: number | null; group: { count: number; median: number; min: number; max: number } };
  themes: {
    code: string;
    present: number;
    indicators: number;
    score: { score: number | null; group: { median: number; min: number; max: number }; country: number | null };
  }[];
  uncertainty: {
    min: number;
    max: number;
    p5: number;
    p95: number;
    mostInfluential: string | null;
    alternatives: Record<string, string[]>;
    notes: Message[];
  } | null;
  trajectory: { year: number; score: number | null; groupMedian: number | null; groupCount: number }[];
  indicators: {
    code: string;
    used: boolean;
    value: number | null;
    withheld: boolean;
    year: number | null;
    baseline: number | null;
    target: number | null;
    countryValue: number | null;
    treatment: string | null;
  }[];
  choices: { version: number; normalisation: string };
  pca: { offered: boolean; reason: Message | null; weights: Record<string, number> | null };
}

/** Every key of a JSON value, at any depth. */
function keysOf(v: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(v)) for (const x of v) keysOf(x, out);
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      out.add(k);
      keysOf(x, out);
    }
  return out;
}

describe.each(testStoreKinds())('the composite safety profile on %s', (kind) => {
  let t: TestApp;
  let national: Record<string, string>;
  const profile = async (place: string, lang = 'en') => {
    const r = await t.app.inject({ url: `/api/v1/safety/profile?place=${place}&lang=${lang}` });
    expect(r.statusCode, r.body).toBe(200);
    return { body: r.body, p: r.json() as Profile };
  };
  const put = (payload: object, headers: Record<string, string> = json) =>
    t.app.inject({ method: 'PUT', url: '/api/v1/safety/choices', headers, payload: JSON.stringify(payload) });

  beforeAll(async () => {
    t = await createTestApp(kind);
    national = await signedIn(t, 'national@example.org', [{ role: 'national-focal-point', place: 'MAR' }]);
    const places = await t.app.inject({
      method: 'POST',
      url: '/api/v1/places',
      headers: json,
      payload: JSON.stringify({
        places: [
          { code: 'MATIZ', parent: 'MA-09', level: 'city', names: { ar: 'تيزنيت', en: 'Tiznit' } },
          { code: 'MARAB', parent: 'MAR', level: 'city', names: { ar: 'الرباط', en: 'Rabat' } },
        ],
      }),
    });
    expect(places.statusCode, places.body).toBe(201);
    const rows = [
      'indicator,series,place,period,value',
      ...[
        ['16.1.1,VC_IHR_PSRC', [4, 8, 12], [2, 6, 10]],
        ['USM-CV-01,USM-CV-01', [200, 400, 300], [100, 300, 200]],
        ['16.1.4,', [40, 60, 50], [50, 70, 60]],
      ].flatMap(([ind, y2015, y2024]) =>
        ['MAAGA', 'MATIZ', 'MARAB'].flatMap((p, k) => [
          `${ind},${p},2015,${(y2015 as number[])[k]}`,
          `${ind},${p},2024,${(y2024 as number[])[k]}`,
        ]),
      ),
      '16.1.1,VC_IHR_PSRC,MAR,2024,6',
    ];
    const a = await importText(t.app, `${rows.join('\n')}\n`, {
      format: 'csv',
      status: 'approved',
      source: 'Test records',
    });
    expect(a.statusCode, a.body).toBe(201);
    // A provisional value is never used.
    const p = await importText(t.app, 'indicator,series,place,period,value\n16.1.4,,MATIZ,2025,1\n', {
      format: 'csv',
      status: 'provisional',
    });
    expect(p.statusCode, p.body).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('scores one place as computed by hand, next to its group’s median and range and its country', async () => {
    const { p } = await profile('MATIZ');
    expect(p.place.code).toBe('MATIZ');
    expect(p.group).toEqual({ kind: 'country-cities', count: 3 });
    expect(p.refusal).toBeNull();
    expect(p.choices).toMatchObject({ version: 0, normalisation: 'min-max' });
    expect(p.overall.score).toBeCloseTo(62.5, 9);
    expect(p.overall.group).toMatchObject({ count: 3, median: 50, min: 37.5, max: 62.5 });
    const crime = p.themes.find((x) => x.code === 'crime-violence');
    const perceptions = p.themes.find((x) => x.code === 'perceptions');
    expect(crime?.score.score).toBeCloseTo(25, 9);
    expect(crime?.score.group).toMatchObject({ median: 25, min: 25, max: 100 });
    expect(crime?.score.country).toBeCloseTo(50, 9);
    expect(crime).toMatchObject({ indicators: 2, present: 2 });
    expect(perceptions?.score.score).toBeCloseTo(100, 9);
    expect(perceptions?.score.country).toBeNull();
    // Only the groups with an indicator with values are themes; the indicators without values are listed, unused.
    expect(p.themes.map((x) => x.code).sort()).toEqual(['crime-violence', 'perceptions']);
    const used = p.indicators.filter((i) => i.used).map((i) => i.code);
    expect(used.sort()).toEqual(['16.1.1', '16.1.4', 'USM-CV-01']);
    expect(p.indicators.find((i) => i.code === 'USM-CV-02')).toMatchObject({ used: false, value: null });
    expect(p.indicators.find((i) => i.code === '16.1.4')).toMatchObject({ value: 70, year: 2024 });
    expect(p.indicators.find((i) => i.code === '16.1.1')).toMatchObject({ value: 6, countryValue: 6 });
    // The band: benchmarks are left out (no targets yet), said so; the reference score lies inside it.
    expect(p.uncertainty).not.toBeNull();
    expect(p.uncertainty?.alternatives.normalisation).toEqual(['min-max']);
    expect(p.uncertainty?.notes.map((n) => n.text).join(' ')).toContain('normalisation benchmarks left out');
    expect(p.uncertainty?.notes).toContainEqual(
      expect.objectContaining({ code: 'normalisation-left-out', params: { method: 'benchmarks' } }),
    );
    expect(p.uncertainty?.min).toBeLessThanOrEqual(62.5);
    expect(p.uncertainty?.max).toBeGreaterThanOrEqual(62.5);
    // PCA: three complete places, offered, its weights shown (summing to 1).
    expect(p.pca.offered).toBe(true);
    const w = Object.values(p.pca.weights ?? {});
    expect(w.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 9);
    // The trajectory: 2015 and 2024, the same scores by construction (each year's values only).
    expect(p.trajectory.map((y) => y.year)).toEqual([2015, 2024]);
    expect(p.trajectory[0]).toMatchObject({ groupMedian: 50, groupCount: 3 });
    expect(p.trajectory[0]?.score).toBeCloseTo(62.5, 9);
  });

  it('names no other place, and no endpoint ranks or orders places (OpenAPI and answers)', async () => {
    const { body, p } = await profile('MATIZ');
    for (const other of ['MAAGA', 'MARAB', 'Agadir', 'Rabat', 'أكادير', 'الرباط']) expect(body).not.toContain(other);
    const keys = [...keysOf(p)];
    expect(keys.filter((k) => /rank|order|position|sort|top|league/i.test(k))).toEqual([]);
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, { parameters?: { name: string }[] }>>;
    };
    const safety = Object.keys(doc.paths).filter((k) => k.startsWith('/api/v1/safety/'));
    expect(safety.sort()).toEqual(['/api/v1/safety/choices', '/api/v1/safety/profile']);
    for (const [path, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops)) {
        const names = (op.parameters ?? []).map((x) => x.name);
        expect(
          names.filter((n) => /rank|league/i.test(n)),
          `${method} ${path}`,
        ).toEqual([]);
        if (path.startsWith('/api/v1/safety/'))
          expect(
            names.filter((n) => /sort|order|limit|places/i.test(n)),
            `${method} ${path}`,
          ).toEqual([]);
      }
    // One place only: a list of places is not a place.
    expect((await t.app.inject({ url: '/api/v1/safety/profile?place=MATIZ,MAAGA' })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/api/v1/safety/profile?place=MATIZ&sort=score' })).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/api/v1/safety/profile' })).statusCode).toBe(400);
    const country = await t.app.inject({ url: '/api/v1/safety/profile?place=MAR' });
    expect(country.statusCode).toBe(400);
    expect(country.json().error).toBe('safety_profile_level');
  });

  it('applies the administrator’s choices, audited, refused for others, and states a choice it cannot compute', async () => {
    expect(
      (await put({ ...CHOICES, normalisation: 'benchmarks' }, { 'content-type': 'application/json' })).statusCode,
    ).toBe(401);
    expect(
      (await put({ ...CHOICES, normalisation: 'benchmarks' }, { ...national, 'content-type': 'application/json' }))
        .statusCode,
    ).toBe(403);
    expect((await put({ ...CHOICES, weights: 'user' })).json().error).toBe('safety_user_weights_missing');
    const unknown = await put({ ...CHOICES, weights: 'user', userWeights: { indicators: { NOPE: 1 } } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error).toBe('safety_weight_unknown');
    expect((await put({ ...CHOICES, normalisation: 'rank' })).statusCode).toBe(400);
    const ok = await put({ ...CHOICES, normalisation: 'benchmarks' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ version: 1, normalisation: 'benchmarks' });
    const audit = await t.app.inject({
      url: '/api/v1/audit?entityType=settings&entityId=safety-index-choices',
      headers: AUTH,
    });
    const items = audit.json().items as { before: { version: number }; after: { normalisation: string } }[];
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ before: { version: 0 }, after: { normalisation: 'benchmarks' } });
    // No targets: benchmarks cannot be computed, and the profile says why instead of scoring.
    const refused = (await profile('MATIZ')).p;
    expect(refused.refusal).toMatchObject({
      code: 'benchmarks-missing',
      text: expect.stringContaining('has no baseline and target'),
    });
    expect(refused.overall.score).toBeNull();
    // The 2030 targets for every place: the baseline is the group's 2015 median.
    for (const target of [
      { indicator: '16.1.1', year: 2030, relativeChange: -0.5, baselineYear: 2015 },
      { indicator: 'USM-CV-01', year: 2030, value: 150 },
      { indicator: '16.1.4', year: 2030, value: 70 },
    ]) {
      const r = await t.app.inject({ method: 'POST', url: '/api/v1/targets', headers: json, payload: target });
      expect(r.statusCode, r.body).toBe(201);
    }
    const { p } = await profile('MATIZ');
    expect(p.refusal).toBeNull();
    expect(p.indicators.find((i) => i.code === '16.1.1')).toMatchObject({ baseline: 8, target: 4 });
    expect(p.indicators.find((i) => i.code === 'USM-CV-01')).toMatchObject({ baseline: 300, target: 150 });
    expect(p.overall.score).toBeCloseTo(62.5, 9);
    expect(p.overall.group.median).toBeCloseTo(50, 9);
    expect(p.overall.group.min).toBeCloseTo(41.6667, 3);
    expect(p.themes.find((x) => x.code === 'crime-violence')?.score.group.median).toBeCloseTo(33.3333, 3);
    expect(p.uncertainty?.alternatives.normalisation).toEqual(['min-max', 'benchmarks']);
    expect((await t.app.inject({ url: '/api/v1/safety/choices' })).json()).toMatchObject({ version: 1 });
    // User weights, min-max: 16.1.1 : CV-01 = 3 : 1 within crime, crime : perceptions = 1 : 3. Tiznit: crime
    // (3·50 + 0)/4 = 37.5, overall (37.5 + 3·100)/4 = 84.375; Agadir crime 100, overall 25; Rabat crime 12.5,
    // overall (12.5 + 150)/4 = 40.625.
    const user = await put({
      ...CHOICES,
      weights: 'user',
      userWeights: {
        indicators: { '16.1.1': 3, 'USM-CV-01': 1, '16.1.4': 1 },
        themes: { 'crime-violence': 1, perceptions: 3 },
      },
    });
    expect(user.statusCode, user.body).toBe(200);
    const weighted = (await profile('MATIZ')).p;
    expect(weighted.choices).toMatchObject({ version: 2 });
    expect(weighted.overall.score).toBeCloseTo(84.375, 9);
    expect(weighted.overall.group).toMatchObject({ count: 3, median: 40.625, min: 25 });
    expect(weighted.themes.find((x) => x.code === 'crime-violence')?.score.score).toBeCloseTo(37.5, 9);
    expect(weighted.uncertainty?.alternatives.weights).toEqual(['equal', 'user', 'pca']);
    expect((await put(CHOICES)).statusCode).toBe(200);
  });

  it('uses no value withheld from the public, and states the missing ones', async () => {
    const rule = (suppression: object | null) =>
      t.app.inject({
        method: 'PUT',
        url: '/api/v1/indicators/16.1.4/rules',
        headers: json,
        payload: JSON.stringify({ validationRules: {}, suppression }),
      });
    expect((await rule({ minCount: 55 })).statusCode).toBe(200);
    try {
      // Agadir's 16.1.4 (50 in 2024, 40 in 2015) is withheld: Agadir has no perceptions score, so no overall one;
      // the group is Tiznit (62.5) and Rabat (perceptions 0 → 12.5).
      const { p } = await profile('MATIZ');
      expect(p.overall.score).toBeCloseTo(62.5, 9);
      expect(p.overall.group).toMatchObject({ count: 2, median: 37.5, min: 12.5, max: 62.5 });
      const agadir = await profile('MAAGA');
      expect(agadir.p.group.kind).toBe('pilot-cities');
      expect(agadir.p.indicators.find((i) => i.code === '16.1.4')).toMatchObject({ value: null, withheld: true });
      expect(agadir.body).not.toMatch(/"value":50\b/);
      // No pilot city has a 16.1.4 the public sees: it is not used, its theme drops out, stated per indicator.
      expect(agadir.p.indicators.find((i) => i.code === '16.1.4')?.used).toBe(false);
      expect(agadir.p.themes.map((x) => x.code)).toEqual(['crime-violence']);
      expect(agadir.p.overall).toMatchObject({ score: 50, group: { count: 1 } });
    } finally {
      expect((await rule(null)).statusCode).toBe(200);
    }
    // Mean imputation: stated per value.
    expect((await put({ ...CHOICES, missing: 'mean-imputation' })).statusCode).toBe(200);
    const del = await t.app.inject({
      method: 'POST',
      url: '/api/v1/places',
      headers: json,
      payload: JSON.stringify({ places: [{ code: 'MAFES', parent: 'MAR', level: 'city', names: { en: 'Fes' } }] }),
    });
    expect(del.statusCode, del.body).toBe(201);
    const f = await importText(t.app, 'indicator,series,place,period,value\n16.1.1,VC_IHR_PSRC,MAFES,2024,4\n', {
      format: 'csv',
      status: 'approved',
    });
    expect(f.statusCode, f.body).toBe(201);
    const fes = (await profile('MAFES')).p;
    expect(fes.indicators.find((i) => i.code === 'USM-CV-01')).toMatchObject({ treatment: 'imputed', value: null });
    expect(fes.overall.score).not.toBeNull();
    expect((await put(CHOICES)).statusCode).toBe(200);
  });
});
