import { testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, createTestApp, importText, type TestApp } from './helpers.ts';

// Three pilot cities with approved totals of 16.1.1 / VC_IHR_PSRC: latest MAAGA 3 (2022),
// JOAMM 5 (2021), KZALA 8 (2022) → median 5, min 3, max 8. USLAX is not a pilot; CRSJO's
// value is provisional (the administrator sees it, the public does not).
const APPROVED = `${[
  'indicator,place,period,value,series,source,SEX',
  '16.1.1,MAAGA,2015,6,VC_IHR_PSRC,Police records,',
  '16.1.1,MAAGA,2020,4,VC_IHR_PSRC,Police records,',
  '16.1.1,MAAGA,2022,3,VC_IHR_PSRC,Police records,',
  '16.1.1,MAAGA,2022,2,VC_IHR_PSRC,Police records,F',
  '16.1.1,MAAGA,2022,4,VC_IHR_PSRC,Police records,M',
  '16.1.1,MAAGA,2022,40,VC_IHR_PSRCN,Police records,',
  '16.1.1,JOAMM,2021,5,VC_IHR_PSRC,Police records,',
  '16.1.1,JOAMM,2021,7,VC_IHR_PSRC,Police records,F',
  '16.1.1,KZALA,2022,8,VC_IHR_PSRC,Police records,',
  '16.1.1,USLAX,2022,100,VC_IHR_PSRC,Police records,',
  '16.1.1,MAR,2021,2.1,VC_IHR_PSRC,National statistics,',
  '16.1.1,MAR,2022,2.5,VC_IHR_PSRC,National statistics,',
  '16.1.1,JOR,2021,1.2,VC_IHR_PSRC,National statistics,',
  '11.1.1,MAAGA,2020,28.25,,Survey A,',
].join('\n')}\n`;

const PROVISIONAL = `${[
  'indicator,place,period,value,series,source',
  '16.1.4,JOAMM,2023,55,,Survey B',
  '16.1.1,CRSJO,2023,1,VC_IHR_PSRC,Police records',
].join('\n')}\n`;

describe.each(testStoreKinds())('web API on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
    const a = await importText(t.app, APPROVED, { format: 'csv', status: 'approved' });
    expect(a.statusCode, a.body).toBe(201);
    const p = await importText(t.app, PROVISIONAL, { format: 'csv', status: 'provisional' });
    expect(p.statusCode, p.body).toBe(201);
    const target = await t.app.inject({
      method: 'POST',
      url: '/api/v1/targets',
      headers: AUTH,
      payload: { indicator: '16.1.1', series: 'VC_IHR_PSRC', place: 'MAAGA', year: 2030, value: 2 },
    });
    expect(target.statusCode, target.body).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
  });

  const get = async (url: string, headers: Record<string, string> = {}) => {
    const r = await t.app.inject({ url, headers });
    return { status: r.statusCode, body: r.json() };
  };
  const search = async (q: string, extra = '') =>
    (await get(`/api/v1/search?q=${encodeURIComponent(q)}${extra}`)).body as {
      indicators: { code: string; name: string; names: Record<string, string>; status: string }[];
      places: {
        code: string;
        level: string;
        name: string;
        pilot: boolean;
        parent: { code: string; name: string } | null;
      }[];
    };

  describe('search', () => {
    it('finds Agadir under every Arabic spelling and in other scripts', async () => {
      for (const q of [
        'أكادير',
        'اكادير',
        'آكادير',
        'إكادير',
        'أَكَادِير',
        'أكـــادير',
        'Agadir',
        'agad',
        'агадир',
        'Агадир',
        '阿加迪尔',
        'MAAGA',
        'maaga',
        'MA AGA',
      ]) {
        const r = await search(q);
        expect(r.places[0]?.code, q).toBe('MAAGA');
      }
      const r = await search('أكادير', '&lang=fr');
      expect(r.places[0]).toMatchObject({
        code: 'MAAGA',
        level: 'city',
        name: 'Agadir',
        pilot: true,
        parent: { code: 'MA-09', name: 'Souss-Massa' },
      });
    });

    it('finds places by names in Russian, Chinese and French, and by code', async () => {
      expect((await search('Марокко')).places[0]?.code).toBe('MAR');
      expect((await search('摩洛哥')).places[0]?.code).toBe('MAR');
      expect((await search('Maroc')).places[0]?.code).toBe('MAR');
      expect((await search('Jordanie')).places[0]?.code).toBe('JOR');
      expect((await search('المغرب')).places[0]?.code).toBe('MAR');
      expect((await search('مغرب')).places.map((p) => p.code)).toContain('MAR');
      expect((await search('JOAMM')).places[0]?.code).toBe('JOAMM');
      expect((await search('عمان')).places.map((p) => p.code)).toContain('JOAMM');
    });

    it('finds indicators by code and by name in any language, exact code first', async () => {
      const exact = await search('16.1.1');
      expect(exact.indicators[0]?.code).toBe('16.1.1');
      const prefix = await search('11.1');
      expect(prefix.indicators[0]?.code).toBe('11.1.1');
      expect(prefix.indicators.map((i) => i.code)).not.toContain('16.1.11');
      expect((await search('убийств')).indicators.map((i) => i.code)).toContain('16.1.1');
      expect((await search('homicide volontaire')).indicators.map((i) => i.code)).toContain('16.1.1');
      expect((await search('故意杀人')).indicators.map((i) => i.code)).toContain('16.1.1');
      expect((await search('ضحايا القتل')).indicators.map((i) => i.code)).toContain('16.1.1');
      expect((await search('الخطه')).indicators.map((i) => i.code)).toContain('15.9.1');
      expect((await search('الخطه الاستراتيجيه')).indicators.map((i) => i.code)).toContain('15.9.1');
      const ar = await search('16.1.1', '&lang=ar');
      expect(ar.indicators[0]?.name).toMatch(/[\u0600-\u06FF]/);
      expect(Object.keys(ar.indicators[0]?.names ?? {})).toEqual(
        expect.arrayContaining(['ar', 'en', 'fr', 'es', 'ru', 'zh']),
      );
    });

    it('ranks names starting with the text first, and active indicators before retired ones', async () => {
      const r = await search('Population');
      expect(r.indicators[0]?.code).toBe('POP');
      const goal = await search('11.', '&limit=100');
      const codes = goal.indicators.map((i) => i.code);
      const goal11 = codes.filter((c) => c.startsWith('11.'));
      expect(codes.slice(0, goal11.length)).toEqual(goal11);
      expect(goal11[goal11.length - 1]).toBe('11.c.1');
      expect(codes.indexOf('11.2.1')).toBeLessThan(codes.indexOf('11.a.1'));
      expect((await search('11.', '&limit=3')).indicators).toHaveLength(3);
    });

    it('finds places and names added after a first search', async () => {
      expect((await search('تالبورجت')).places).toEqual([]);
      const add = await t.app.inject({
        method: 'POST',
        url: '/api/v1/places',
        headers: AUTH,
        payload: {
          places: [
            {
              code: 'MA-AGA-D1',
              parent: 'MAAGA',
              level: 'district',
              names: { ar: 'حي تالبورجت', en: 'Talborjt' },
              externalCode: 'AGA01',
            },
          ],
        },
      });
      expect(add.statusCode, add.body).toBe(201);
      expect((await search('تالبورجت')).places.map((p) => p.code)).toEqual(['MA-AGA-D1']);
      expect((await search('aga01')).places[0]).toMatchObject({ code: 'MA-AGA-D1', parent: { code: 'MAAGA' } });
      expect((await search('recensee')).indicators.map((i) => i.code)).not.toContain('POP');
      const patch = await t.app.inject({
        method: 'PATCH',
        url: '/api/v1/indicators/POP',
        headers: AUTH,
        payload: { names: { fr: 'Population recensée' } },
      });
      expect(patch.statusCode, patch.body).toBe(200);
      expect((await search('recensee')).indicators[0]?.code).toBe('POP');
    });

    it('rejects an empty or too long text and a bad limit', async () => {
      for (const url of [
        '/api/v1/search',
        '/api/v1/search?q=',
        '/api/v1/search?q=%20%20',
        `/api/v1/search?q=${'x'.repeat(201)}`,
        '/api/v1/search?q=a&limit=0',
        '/api/v1/search?q=a&lang=de',
      ]) {
        const r = await get(url);
        expect(r.status, url).toBe(400);
        expect(r.body.message, url).toBeTruthy();
      }
    });
  });

  describe('latest values per place', () => {
    it('gives the latest approved total of the default series per place', async () => {
      const r = await get('/api/v1/indicators/16.1.1/latest?lang=en');
      expect(r.status).toBe(200);
      expect(r.body.indicator).toMatchObject({ code: '16.1.1' });
      expect(r.body.series.code).toBe('VC_IHR_PSRC');
      expect(r.body.unit).toMatchObject({ code: 'PER_100000' });
      const byPlace = Object.fromEntries(r.body.items.map((i: { place: string }) => [i.place, i]));
      expect(Object.keys(byPlace).sort()).toEqual(['JOAMM', 'JOR', 'KZALA', 'MAAGA', 'MAR', 'USLAX']);
      expect(byPlace.MAAGA).toMatchObject({
        name: 'Agadir',
        level: 'city',
        lat: 30.4278,
        lon: -9.5981,
        iso3166Numeric: null,
        period: '2022',
        periodStart: '2022-01-01',
        periodEnd: '2022-12-31',
        value: 3,
        status: 'approved',
      });
      // The source once, named by its place in `sources`.
      expect(r.body.sources[byPlace.MAAGA.source]).toMatchObject({ name: 'Police records', synthetic: false });
      expect(new Set(r.body.sources.map((x: { name: string }) => x.name)).size).toBe(r.body.sources.length);
      expect(byPlace.MAR).toMatchObject({ value: 2.5, period: '2022', iso3166Numeric: '504', level: 'country' });
      const admin = await get('/api/v1/indicators/16.1.1/latest', AUTH);
      expect(admin.body.items.map((i: { place: string }) => i.place)).toContain('CRSJO');
    });

    it('follows the series, the disaggregation and the level asked for', async () => {
      const counts = await get('/api/v1/indicators/16.1.1/latest?series=VC_IHR_PSRCN');
      expect(counts.body.items).toEqual([expect.objectContaining({ place: 'MAAGA', value: 40 })]);
      const women = await get('/api/v1/indicators/16.1.1/latest?dim=SEX:F');
      expect(women.body.items.map((i: { place: string; value: number }) => [i.place, i.value])).toEqual([
        ['JOAMM', 7],
        ['MAAGA', 2],
      ]);
      const total = await get('/api/v1/indicators/16.1.1/latest?dim=SEX:_T&level=country');
      expect(total.body.items.map((i: { place: string }) => i.place)).toEqual(['JOR', 'MAR']);
    });

    it('answers 404 for an unknown indicator or series, 400 for bad parameters', async () => {
      const ni = await get('/api/v1/indicators/NOPE/latest');
      expect(ni.status).toBe(404);
      expect(ni.body.message).toMatch(/NOPE/);
      const ns = await get('/api/v1/indicators/16.1.1/latest?series=NOPE');
      expect(ns.status).toBe(404);
      expect(ns.body.message).toMatch(/VC_IHR_PSRC/);
      for (const url of [
        '/api/v1/indicators/16.1.1/latest?dim=SEX',
        '/api/v1/indicators/16.1.1/latest?dim=SEX:F|M',
        '/api/v1/indicators/16.1.1/latest?level=planet',
      ]) {
        const r = await get(url);
        expect(r.status, url).toBe(400);
        expect(r.body.message, url).toBeTruthy();
      }
    });
  });

  describe('place summary', () => {
    type Entry = {
      indicator: { code: string; frameworks: string[]; unit: { code: string } | null; direction: string };
      series: { code: string };
      points: { period: string; value: number }[];
      latest: { period: string; value: number; status: string; source: { name: string } | null } | null;
      target: { year: number; value: number | null; relativeChange: number | null; baselineYear: number | null } | null;
      country: { place: string; period: string; value: number } | null;
      pilotGroup: { count: number; median: number; min: number; max: number; period?: string } | null;
    };
    const entry = (body: { indicators: Entry[] }, ind: string, series: string) =>
      body.indicators.find((e) => e.indicator.code === ind && e.series.code === series);

    it('shows a city with its values, target, country value and pilot group', async () => {
      const r = await get('/api/v1/places/MAAGA/summary?lang=en');
      expect(r.status).toBe(200);
      expect(r.body.place).toMatchObject({
        code: 'MAAGA',
        name: 'Agadir',
        level: 'city',
        pilot: true,
        parent: { code: 'MA-09', name: 'Souss-Massa', level: 'region' },
        country: { code: 'MAR', name: 'Morocco' },
      });
      expect(r.body.place.names.ar).toBe('أكادير');
      expect(r.body.indicators.map((e: Entry) => e.indicator.code)).toEqual(['11.1.1', '16.1.1', '16.1.1']);
      expect(r.body.indicators.slice(1).map((e: Entry) => e.series.code)).toEqual(['VC_IHR_PSRC', 'VC_IHR_PSRCN']);
      const h = entry(r.body, '16.1.1', 'VC_IHR_PSRC')!;
      expect(h.indicator).toMatchObject({ direction: 'lower', unit: { code: 'PER_100000' } });
      expect(h.indicator.frameworks).toEqual(expect.arrayContaining(['sdg', 'nua', 'urban-safety']));
      expect(h.points.map((p) => [p.period, p.value])).toEqual([
        ['2015', 6],
        ['2020', 4],
        ['2022', 3],
      ]);
      expect(h.latest).toMatchObject({
        period: '2022',
        value: 3,
        status: 'approved',
        source: { name: 'Police records' },
      });
      expect(h.target).toMatchObject({ year: 2030, value: 2 });
      expect(h.country).toEqual({ place: 'MAR', period: '2022', value: 2.5, suppressedBelow: null });
      // MAAGA 3, JOAMM 5, KZALA 8 (USLAX is no pilot; CRSJO's value is not approved)
      expect(h.pilotGroup).toEqual({ count: 3, median: 5, min: 3, max: 8 });
      const n = entry(r.body, '16.1.1', 'VC_IHR_PSRCN')!;
      expect(n.country).toBeNull();
      expect(n.pilotGroup).toBeNull();
      expect(n.target).toMatchObject({ year: 2030, relativeChange: -0.5, baselineYear: 2015 });
    });

    it('lets the administrator see unapproved values in the pilot group', async () => {
      const r = await get('/api/v1/places/MAAGA/summary', AUTH);
      const h = entry(r.body, '16.1.1', 'VC_IHR_PSRC')!;
      expect(h.pilotGroup).toEqual({ count: 4, median: 4, min: 1, max: 8 });
    });

    it('shows a country, a place without data, and answers 404 for an unknown place', async () => {
      const mar = await get('/api/v1/places/MAR/summary?lang=ar');
      expect(mar.body.place).toMatchObject({ code: 'MAR', name: 'المغرب', parent: null, country: null });
      const h = entry(mar.body, '16.1.1', 'VC_IHR_PSRC')!;
      expect(h.country).toBeNull();
      expect(h.pilotGroup).toMatchObject({ count: 2, min: 1.2, max: 2.5, median: 1.85 });
      expect(h.target).toMatchObject({ relativeChange: -0.5 });
      const empty = await get('/api/v1/places/PHL/summary');
      expect(empty.status).toBe(200);
      expect(empty.body.indicators).toEqual([]);
      const provisionalOnly = await get('/api/v1/places/CRSJO/summary');
      expect(provisionalOnly.body.indicators).toEqual([]);
      expect((await get('/api/v1/places/CRSJO/summary', AUTH)).body.indicators).toHaveLength(1);
      const nope = await get('/api/v1/places/NOPE/summary');
      expect(nope.status).toBe(404);
      expect(nope.body.message).toMatch(/NOPE/);
      expect((await get('/api/v1/places/MAAGA/summary?lang=xx')).status).toBe(400);
    });
  });

  describe('reporting status', () => {
    type Cell = {
      indicator: string;
      place: string;
      state: string;
      observations: number;
      latestPeriod: string | null;
      latestEnd: string | null;
    };
    const cell = (body: { cells: Cell[] }, ind: string, place: string) =>
      body.cells.find((c) => c.indicator === ind && c.place === place);

    it('lists the framework by SDG order against the pilot places and places with data', async () => {
      const r = await get('/api/v1/reporting-status?framework=sdg');
      expect(r.status).toBe(200);
      expect(r.body.framework.code).toBe('sdg');
      const codes = r.body.indicators.map((i: { code: string }) => i.code);
      expect(codes.indexOf('16.2.1')).toBeLessThan(codes.indexOf('16.10.1'));
      expect(codes.indexOf('16.10.1')).toBeLessThan(codes.indexOf('16.a.1'));
      expect(codes.indexOf('11.7.2')).toBeLessThan(codes.indexOf('11.a.1'));
      expect(codes.indexOf('11.1.1')).toBeLessThan(codes.indexOf('16.1.1'));
      expect(codes.indexOf('9.1.1')).toBeLessThan(codes.indexOf('11.1.1'));
      const places = r.body.places.map((p: { code: string }) => p.code);
      expect(places).toEqual(expect.arrayContaining(['MAR', 'MAAGA', 'JOR', 'JOAMM', 'KAZ', 'KZALA', 'PHL', 'USLAX']));
      expect(places).not.toContain('USA');
      expect(places).not.toContain('MA-09');
      expect(places.indexOf('MAR')).toBeLessThan(places.indexOf('MAAGA'));
      // Only cells that are not plainly "not started" (no values, nothing declared) are given.
      expect(r.body.cells.length).toBeGreaterThan(0);
      expect(r.body.cells.length).toBeLessThan(codes.length * places.length);
      expect(r.body.cells.filter((c: Cell) => c.state === 'not-started')).toEqual([]);
      expect(cell(r.body, '16.1.1', 'MAAGA')).toEqual({
        indicator: '16.1.1',
        place: 'MAAGA',
        state: 'reported',
        observations: 6,
        latestPeriod: '2022',
        latestEnd: '2022-12-31',
        // What the place's own platform declares (Open SDG metadata): nothing here.
        declared: null,
      });
      expect(cell(r.body, '11.c.1', 'MAAGA')?.state).toBe('not-applicable');
      expect(cell(r.body, '11.2.1', 'MAAGA')).toBeUndefined();
      const s = r.body.summary;
      expect(s.reported + s.inProgress + s.notStarted + s.notApplicable).toBe(codes.length * places.length);
      expect(s.reported + s.inProgress + s.notApplicable).toBe(r.body.cells.length);
      expect(s.inProgress).toBe(0);
      expect(r.body).toMatchObject({ placesTotal: places.length, limit: 50, offset: 0 });

      // A page of places, in the same order; the summary still counts every place (the answer stays bounded).
      const page = await get('/api/v1/reporting-status?framework=sdg&limit=3&offset=1');
      expect(page.body.places.map((p: { code: string }) => p.code)).toEqual(places.slice(1, 4));
      expect(page.body.cells).toEqual(r.body.cells.filter((c: Cell) => places.slice(1, 4).includes(c.place)));
      expect(page.body).toMatchObject({ placesTotal: places.length, limit: 3, offset: 1, summary: s });
      expect((await get('/api/v1/reporting-status?framework=sdg&limit=201')).status).toBe(400);
    });

    it('shows unapproved values as in progress to the administrator only', async () => {
      const pub = await get('/api/v1/reporting-status?framework=urban-safety&place=JOAMM,CRSJO');
      expect(pub.body.places.map((p: { code: string }) => p.code)).toEqual(['CRSJO', 'JOAMM']);
      // Not started, to the public: no cell.
      expect(cell(pub.body, '16.1.4', 'JOAMM')).toBeUndefined();
      expect(cell(pub.body, '16.1.1', 'CRSJO')).toBeUndefined();
      expect(cell(pub.body, '16.1.1', 'JOAMM')).toMatchObject({ state: 'reported', observations: 2 });
      expect(pub.body.summary.inProgress).toBe(0);
      const admin = await get('/api/v1/reporting-status?framework=urban-safety&place=JOAMM,CRSJO', AUTH);
      expect(cell(admin.body, '16.1.4', 'JOAMM')).toMatchObject({
        state: 'in-progress',
        observations: 1,
        latestPeriod: '2023',
        latestEnd: '2023-12-31',
      });
      expect(cell(admin.body, '16.1.1', 'CRSJO')).toMatchObject({ state: 'in-progress', observations: 1 });
      expect(admin.body.summary.inProgress).toBe(2);
      const pop = await get('/api/v1/reporting-status?framework=population&place=MAAGA&lang=ar');
      expect(pop.body.indicators).toEqual([expect.objectContaining({ code: 'POP', status: 'active' })]);
      expect(pop.body.places[0].name).toBe('أكادير');
    });

    it('keeps the indicators of the code prefixes asked for, the summary counting those only', async () => {
      const all = await get('/api/v1/reporting-status?framework=sdg');
      const some = await get('/api/v1/reporting-status?framework=sdg&prefix=11.,16.1.');
      expect(some.status).toBe(200);
      const codes = some.body.indicators.map((i: { code: string }) => i.code);
      expect(codes).toContain('11.1.1');
      expect(codes).toContain('16.1.1');
      expect(codes.every((c: string) => c.startsWith('11.') || c.startsWith('16.1.'))).toBe(true);
      expect(codes).not.toContain('16.10.1');
      expect(some.body.cells.every((c: Cell) => codes.includes(c.indicator))).toBe(true);
      expect(some.body.cells).toEqual(all.body.cells.filter((c: Cell) => codes.includes(c.indicator)));
      const s = some.body.summary;
      expect(s.reported + s.inProgress + s.notStarted + s.notApplicable).toBe(codes.length * some.body.placesTotal);
      expect(s.reported).toBeLessThanOrEqual(all.body.summary.reported);
    });

    it('answers 400 for an unknown framework or place', async () => {
      for (const url of [
        '/api/v1/reporting-status?framework=nope',
        '/api/v1/reporting-status?place=NOPE',
        '/api/v1/reporting-status?framework=sdg&lang=xx',
      ]) {
        const r = await get(url);
        expect(r.status, url).toBe(400);
        expect(r.body.message, url).toBeTruthy();
      }
    });
  });

  describe('home page', () => {
    it('lists the latest updates of approved values per batch, indicator and place', async () => {
      const r = await get('/api/v1/updates?limit=50&lang=en');
      expect(r.status).toBe(200);
      const items = r.body.items as {
        indicator: { code: string; name: string };
        place: { code: string; name: string };
        observations: number;
        latestPeriod: string;
        updatedAt: string;
      }[];
      expect(items.some((i) => i.place.code === 'CRSJO' || i.indicator.code === '16.1.4')).toBe(false);
      expect(items.find((i) => i.indicator.code === '16.1.1' && i.place.code === 'MAAGA')).toMatchObject({
        observations: 6,
        latestPeriod: '2022',
        place: { name: 'Agadir' },
      });
      expect(items.find((i) => i.indicator.code === '11.1.1' && i.place.code === 'MAAGA')).toMatchObject({
        observations: 1,
        latestPeriod: '2020',
      });
      expect(items).toHaveLength(7);
      for (const i of items) expect(i.updatedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      const sorted = [...items].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
      expect(items.map((i) => i.updatedAt)).toEqual(sorted.map((i) => i.updatedAt));
      // A later change comes first, counting only what it changed.
      const change = await importText(
        t.app,
        'indicator,place,period,value,series\n16.1.1,KZALA,2022,9,VC_IHR_PSRC\n16.1.1,KZALA,2023,7,VC_IHR_PSRC\n',
        { format: 'csv', status: 'approved' },
      );
      expect(change.statusCode, change.body).toBe(201);
      const after = await get('/api/v1/updates?limit=2');
      expect(after.body.items[0]).toMatchObject({
        indicator: { code: '16.1.1' },
        place: { code: 'KZALA' },
        observations: 2,
        latestPeriod: '2023',
      });
      expect(after.body.items).toHaveLength(2);
      expect((await get('/api/v1/updates?limit=0')).status).toBe(400);
    });

    it('counts indicators, frameworks, places, approved values and their sources', async () => {
      const r = await get('/api/v1/summary');
      expect(r.status).toBe(200);
      expect(r.body.frameworks).toBe(5);
      expect(r.body.indicators).toBeGreaterThan(250);
      expect(r.body.places).toEqual({ countries: 249, cities: 9, pilot: 17 });
      expect(r.body.observations).toBe(15);
      expect(r.body.sources).toBe(3);
      expect(r.body.lastUpdate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    });
  });

  it('documents the web routes in the OpenAPI document', async () => {
    const doc = await get('/api/openapi.json');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/search',
        '/api/v1/indicators/{code}/latest',
        '/api/v1/places/{code}/summary',
        '/api/v1/reporting-status',
        '/api/v1/updates',
        '/api/v1/summary',
      ]),
    );
  });
});
