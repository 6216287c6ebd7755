// Privacy in publication (docs/methods/suppression.md): a value resting on a count below its
// indicator's minimum never reaches the public — not in the observation list, not in any export
// format, not in the views of the web app, not in a median — while focal points and validators
// of the place and administrators see it, marked. And no public answer holds a user's e-mail
// address or name.

import { isSuppressed, type SuppressionRule } from '@marsad/core';
import { testStoreKinds } from '@marsad/db/testing';
import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportObservations } from '../src/exports/export-observations.ts';
import type { Dhis2Mapping } from '../src/formats/index.ts';
import { toFilter } from '../src/observations/observation-filter.ts';
import { AUTH, createTestApp, importText, signedIn, type TestApp } from './helpers.ts';

/** The national focal point of Morocco who imports the Moroccan values: their address and name must stay private. */
const EMAIL = 'amina.sentinel@privacy-check.example';
const DISPLAY_NAME = 'Amina Qaddouri-Sentinel';
const OTHER_EMAILS = ['cfp.sentinel@privacy-check.example', 'reviewer.sentinel@privacy-check.example'];

/** Rates resting on small counts, with digits found nowhere else, and a note on a small count. */
const HIDDEN_RATES = ['3.3179', '6.6131', '5.5513', '1.2347', '0.4173'];
const HIDDEN_NOTE = 'SENTINEL-NOTE-A';

// 16.1.1 keeps its default rule: minimum 10 on the count series VC_IHR_PSRCN, for values by sex,
// age or disability and for districts. USM-CV-05 gets a rule on every value (set below).
const MOROCCO = `${[
  'indicator,series,place,period,value,note,SEX',
  '16.1.1,VC_IHR_PSRCN,MAAGA,2022,40,,',
  `16.1.1,VC_IHR_PSRCN,MAAGA,2022,7,${HIDDEN_NOTE},F`,
  '16.1.1,VC_IHR_PSRCN,MAAGA,2022,33,,M',
  '16.1.1,VC_IHR_PSRC,MAAGA,2022,9.4813,,',
  '16.1.1,VC_IHR_PSRC,MAAGA,2022,3.3179,,F',
  '16.1.1,VC_IHR_PSRC,MAAGA,2022,15.6291,,M',
  '16.1.1,VC_IHR_PSRCN,MAAGA-D1,2021,30,,',
  '16.1.1,VC_IHR_PSRC,MAAGA-D1,2021,7.7,,',
  '16.1.1,VC_IHR_PSRCN,MAAGA-D1,2022,4,,',
  '16.1.1,VC_IHR_PSRC,MAAGA-D1,2022,6.6131,,',
  '16.1.1,VC_IHR_PSRCN,MAAGA-D2,2022,12,,',
  '16.1.1,VC_IHR_PSRC,MAAGA-D2,2022,20.5,,',
  'USM-CV-05,USM-CV-05-N,MAAGA,2022,5,,',
  'USM-CV-05,USM-CV-05,MAAGA,2022,1.2347,,',
  'USM-CV-05,USM-CV-05-N,MAR,2022,3,,',
  'USM-CV-05,USM-CV-05,MAR,2022,0.4173,,',
].join('\n')}\n`;

const OTHERS = `${[
  'indicator,series,place,period,value,SEX',
  '16.1.1,VC_IHR_PSRCN,JOAMM-D1,2022,3,',
  '16.1.1,VC_IHR_PSRC,JOAMM-D1,2022,5.5513,',
  '16.1.1,VC_IHR_PSRC,JOAMM-D2,2022,8.8,', // no count in Marsad: shown
  'USM-CV-05,USM-CV-05-N,JOAMM,2022,50,',
  'USM-CV-05,USM-CV-05,JOAMM,2022,2.5,',
  'USM-CV-05,USM-CV-05-N,KZALA,2022,60,',
  'USM-CV-05,USM-CV-05,KZALA,2022,2.9,',
  'USM-CV-05,USM-CV-05-N,CRSJO,2022,70,',
  'USM-CV-05,USM-CV-05,CRSJO,2022,20,',
].join('\n')}\n`;

type Dims = Record<string, string>;
/** Every suppressed value: series, place, period, disaggregation, the true value. */
const SUPPRESSED: [string, string, string, Dims, number][] = [
  ['VC_IHR_PSRCN', 'MAAGA', '2022', { SEX: 'F' }, 7],
  ['VC_IHR_PSRC', 'MAAGA', '2022', { SEX: 'F' }, 3.3179],
  ['VC_IHR_PSRCN', 'MAAGA-D1', '2022', {}, 4],
  ['VC_IHR_PSRC', 'MAAGA-D1', '2022', {}, 6.6131],
  ['VC_IHR_PSRCN', 'JOAMM-D1', '2022', {}, 3],
  ['VC_IHR_PSRC', 'JOAMM-D1', '2022', {}, 5.5513],
  ['USM-CV-05-N', 'MAAGA', '2022', {}, 5],
  ['USM-CV-05', 'MAAGA', '2022', {}, 1.2347],
  ['USM-CV-05-N', 'MAR', '2022', {}, 3],
  ['USM-CV-05', 'MAR', '2022', {}, 0.4173],
];
const keyOf = (series: string, place: string, period: string, dims: Dims) =>
  `${series}|${place}|${period}|${JSON.stringify(Object.entries(dims).sort())}`;
const SUPPRESSED_KEYS = new Set(SUPPRESSED.map(([s, p, per, d]) => keyOf(s, p, per, d)));

interface Obs {
  indicator: string;
  series: string;
  place: string;
  period: string;
  dims: Dims;
  value: number | null;
  suppressedBelow: number | null;
  note: string | null;
}

const DHIS2_MAPPING: Dhis2Mapping = {
  dataElements: {
    deHomRate001: { indicator: '16.1.1', series: 'VC_IHR_PSRC' },
    deHomCount01: { indicator: '16.1.1', series: 'VC_IHR_PSRCN' },
    deAssault001: { indicator: 'USM-CV-05', series: 'USM-CV-05' },
    deAssaultN01: { indicator: 'USM-CV-05', series: 'USM-CV-05-N' },
  },
  categoryOptionCombos: { cocFemale01: { SEX: 'F' }, cocMale00001: { SEX: 'M' } },
};

/** A small CSV reader for the exports (the values here hold no commas or quotes). */
function csvRows(text: string): Record<string, string>[] {
  const [head, ...lines] = text
    .replace(/^\uFEFF/, '')
    .trim()
    .split(/\r?\n/);
  const cols = head!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((c, i) => [cols[i]!, c])));
}

function expectNothingPrivate(body: string, where: string): void {
  for (const s of [...HIDDEN_RATES, HIDDEN_NOTE, EMAIL, DISPLAY_NAME, 'amina.sentinel', 'Qaddouri', ...OTHER_EMAILS]) {
    expect(body.includes(s), `${where} holds "${s}"`).toBe(false);
  }
}

describe.each(testStoreKinds())('suppression of small counts on %s', (kind) => {
  let t: TestApp;
  const routes: { method: string; url: string }[] = [];
  let nfp: Record<string, string>;
  let cfp: Record<string, string>;
  let reviewer: Record<string, string>;

  beforeAll(async () => {
    t = await createTestApp(kind, {
      build: {
        onRoute: (r: RouteOptions) => {
          for (const method of [r.method].flat()) routes.push({ method, url: r.url });
        },
      },
    });
    const places = await t.app.inject({
      method: 'POST',
      url: '/api/v1/places',
      headers: AUTH,
      payload: {
        places: [
          {
            code: 'MAAGA-D1',
            parent: 'MAAGA',
            level: 'district',
            names: { en: 'Agadir district one', ar: 'المقاطعة الأولى بأكادير' },
          },
          {
            code: 'MAAGA-D2',
            parent: 'MAAGA',
            level: 'district',
            names: { en: 'Agadir district two', ar: 'المقاطعة الثانية بأكادير' },
          },
          {
            code: 'JOAMM-D1',
            parent: 'JOAMM',
            level: 'district',
            names: { en: 'Amman district one', ar: 'المنطقة الأولى بعمّان' },
          },
          {
            code: 'JOAMM-D2',
            parent: 'JOAMM',
            level: 'district',
            names: { en: 'Amman district two', ar: 'المنطقة الثانية بعمّان' },
          },
        ],
      },
    });
    expect(places.statusCode, places.body).toBe(201);
    const rule = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/indicators/USM-CV-05/rules',
      headers: AUTH,
      payload: { validationRules: {}, suppression: { minCount: 10, countSeries: 'USM-CV-05-N' } },
    });
    expect(rule.statusCode, rule.body).toBe(200);
    nfp = await signedIn(t, EMAIL, [{ role: 'national-focal-point', place: 'MAR' }], DISPLAY_NAME);
    cfp = await signedIn(t, OTHER_EMAILS[0]!, [{ role: 'city-focal-point', place: 'MAAGA' }]);
    reviewer = await signedIn(t, OTHER_EMAILS[1]!, [{ role: 'reviewer', place: 'MAAGA' }]);
    const a = await importText(t.app, MOROCCO, { format: 'csv', status: 'approved' }, nfp);
    expect(a.statusCode, a.body).toBe(201);
    expect(a.json().counts.inserted).toBe(16);
    const b = await importText(t.app, OTHERS, { format: 'csv', status: 'approved' });
    expect(b.statusCode, b.body).toBe(201);
    // A programme whose measures rest on suppressed values (results frameworks, issue 7).
    const prog = await t.app.inject({
      method: 'POST',
      url: '/api/v1/programmes',
      headers: AUTH,
      payload: {
        code: 'PRIV',
        names: { en: 'Privacy check' },
        startYear: 2020,
        endYear: 2030,
        reportingOrg: { ref: 'XX-PRIV', type: '40' },
        places: [{ place: 'MAR', role: 'supporting' }],
      },
    });
    expect(prog.statusCode, prog.body).toBe(201);
    const result = await t.app.inject({
      method: 'POST',
      url: '/api/v1/results',
      headers: AUTH,
      payload: { programme: 'PRIV', level: 'impact', titles: { en: 'Safety' } },
    });
    expect(result.statusCode, result.body).toBe(201);
    for (const measure of [
      {
        kind: 'indicator',
        indicator: 'USM-CV-05',
        places: ['MAAGA'],
        baseline: { year: 2022 },
        targets: [{ year: 2030, value: 1 }],
      },
      { kind: 'indicator', indicator: 'USM-CV-05', places: ['MAR', 'JOAMM'], aggregation: 'sum' },
      { kind: 'indicator', indicator: '16.1.1', places: ['MAAGA-D1'] },
      { kind: 'computed', formula: 'urban-violence-change' },
    ]) {
      const m = await t.app.inject({
        method: 'POST',
        url: `/api/v1/results/${result.json().id}/measures`,
        headers: AUTH,
        payload: measure,
      });
      expect(m.statusCode, m.body).toBe(201);
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  const get = async (url: string, headers: Record<string, string> = {}) => {
    const r = await t.app.inject({ url, headers });
    expect(r.statusCode, `${url}: ${r.body.slice(0, 300)}`).toBe(200);
    return r;
  };
  const list = async (headers: Record<string, string> = {}) =>
    (await get('/api/v1/observations?indicator=16.1.1,USM-CV-05&limit=1000', headers)).json().items as Obs[];
  const find = (items: Obs[], series: string, place: string, period: string, dims: Dims = {}) =>
    items.find((o) => keyOf(o.series, o.place, o.period, o.dims) === keyOf(series, place, period, dims));

  describe('the public', () => {
    it('gets every suppressed row with its key, no value, no note and "fewer than 10"; every other value as it is', async () => {
      const r = await get('/api/v1/observations?indicator=16.1.1,USM-CV-05&limit=1000');
      expectNothingPrivate(r.body, '/api/v1/observations');
      const items = r.json().items as Obs[];
      expect(items).toHaveLength(25);
      for (const [series, place, period, dims] of SUPPRESSED) {
        expect(find(items, series, place, period, dims), `${series} ${place} ${JSON.stringify(dims)}`).toMatchObject({
          value: null,
          suppressedBelow: 10,
          note: null,
        });
      }
      for (const o of items.filter((x) => !SUPPRESSED_KEYS.has(keyOf(x.series, x.place, x.period, x.dims)))) {
        expect(o.suppressedBelow, `${o.series} ${o.place} ${o.period}`).toBeNull();
        expect(o.value).not.toBeNull();
      }
      // A rate whose count is not in Marsad is shown; a district value with a count of 12 is shown.
      expect(find(items, 'VC_IHR_PSRC', 'JOAMM-D2', '2022')?.value).toBe(8.8);
      expect(find(items, 'VC_IHR_PSRC', 'MAAGA-D2', '2022')?.value).toBe(20.5);
      expect(find(items, 'VC_IHR_PSRC', 'MAAGA', '2022', { SEX: 'M' })?.value).toBe(15.6291);
    });

    it('gets no suppressed value in any export format, the bulk download included', async () => {
      for (const format of ['csv', 'sdmx-csv', 'sdmx-json']) {
        const r = await get(`/api/v1/observations/export?format=${format}&indicator=16.1.1,USM-CV-05`);
        expectNothingPrivate(r.body, `export ${format}`);
        // Even an administrator's bulk download is the public one.
        const all = await get(`/api/v1/downloads/all?format=${format}`, AUTH);
        expectNothingPrivate(all.body, `downloads/all ${format}`);
      }
      const csv = csvRows((await get('/api/v1/observations/export?format=csv&indicator=16.1.1,USM-CV-05')).body);
      expect(csv).toHaveLength(25);
      for (const row of csv) {
        const suppressed = SUPPRESSED_KEYS.has(
          keyOf(row.series!, row.place!, row.period!, row.SEX ? { SEX: row.SEX } : {}),
        );
        expect([row.value === '', row.suppressed_below], `${row.series} ${row.place} ${row.period} ${row.SEX}`).toEqual(
          suppressed ? [true, '10'] : [false, ''],
        );
      }
      const sdmx = csvRows((await get('/api/v1/observations/export?format=sdmx-csv&indicator=16.1.1,USM-CV-05')).body);
      expect(sdmx.filter((r) => r.OBS_VALUE === '').map((r) => r.CONF_STATUS)).toEqual(
        Array(SUPPRESSED.length).fill('C'),
      );
      const json = JSON.parse(
        (await get('/api/v1/observations/export?format=sdmx-json&indicator=16.1.1,USM-CV-05')).body,
      );
      const values = Object.values(json.data.dataSets[0].observations as Record<string, (number | null)[]>).map(
        (o) => o[0],
      );
      expect(values.filter((v) => v === null)).toHaveLength(SUPPRESSED.length);
      for (const [, , , , v] of SUPPRESSED) if (v >= 1 && !Number.isInteger(v)) expect(values).not.toContain(v);

      const openSdg = await get('/api/v1/observations/export?format=open-sdg&indicator=16.1.1');
      expectNothingPrivate(openSdg.body, 'export open-sdg');
      const district = csvRows(openSdg.body).filter((r) => r.GeoCode === 'MAAGA-D1' && r.Year === '2022');
      expect(district.map((r) => [r.Series, r.Value, r.COMMENT_OBS])).toEqual(
        [
          ['VC_IHR_PSRC', '', 'Suppressed to protect privacy: fewer than 10'],
          ['VC_IHR_PSRCN', '', 'Suppressed to protect privacy: fewer than 10'],
        ].sort(),
      );

      // DHIS2 needs a mapping, so it is not offered by the API: the same export function, as the public.
      const out = await exportObservations(
        t.db.store,
        toFilter({ indicator: ['16.1.1', 'USM-CV-05'] }, { all: false, within: [] }),
        'dhis2',
        { dhis2Mapping: DHIS2_MAPPING },
      );
      let text = '';
      for await (const c of out.body) text += c;
      expectNothingPrivate(text, 'export dhis2');
      const dvs = JSON.parse(text).dataValues as { value?: string; comment?: string }[];
      expect(dvs).toHaveLength(25);
      expect(dvs.filter((d) => d.value === undefined).map((d) => d.comment)).toEqual(
        Array(SUPPRESSED.length).fill('Suppressed to protect privacy: fewer than 10'),
      );
    });

    it('sees "fewer than 10" on the map and in the place pages, never an older value instead, and no suppressed value in a median', async () => {
      const bySex = await get('/api/v1/indicators/16.1.1/latest?series=VC_IHR_PSRC&dim=SEX:F');
      expectNothingPrivate(bySex.body, 'latest SEX:F');
      expect(bySex.json().items).toEqual([
        expect.objectContaining({ place: 'MAAGA', period: '2022', value: null, suppressedBelow: 10 }),
      ]);

      const districts = await get('/api/v1/indicators/16.1.1/latest?series=VC_IHR_PSRC&level=district');
      expectNothingPrivate(districts.body, 'latest districts');
      expect(districts.json().items.map((i: Obs) => [i.place, i.period, i.value, i.suppressedBelow])).toEqual([
        ['JOAMM-D1', '2022', null, 10],
        ['JOAMM-D2', '2022', 8.8, null],
        ['MAAGA-D1', '2022', null, 10],
        ['MAAGA-D2', '2022', 20.5, null],
      ]);

      const d1 = await get('/api/v1/places/MAAGA-D1/summary');
      expectNothingPrivate(d1.body, 'summary MAAGA-D1');
      const rate = d1.json().indicators.find((i: { series: { code: string } }) => i.series.code === 'VC_IHR_PSRC');
      expect(rate.points.map((p: Obs) => [p.period, p.value, p.suppressedBelow])).toEqual([
        ['2021', 7.7, null],
        ['2022', null, 10],
      ]);
      expect(rate.latest).toMatchObject({ period: '2022', value: null, suppressedBelow: 10 });

      const agadir = await get('/api/v1/places/MAAGA/summary');
      expectNothingPrivate(agadir.body, 'summary MAAGA');
      const assaults = agadir
        .json()
        .indicators.find((i: { series: { code: string } }) => i.series.code === 'USM-CV-05');
      expect(assaults.latest).toMatchObject({ value: null, suppressedBelow: 10 });
      expect(assaults.country).toEqual({ place: 'MAR', period: '2022', value: null, suppressedBelow: 10 });
      // Pilot cities: Agadir (suppressed) is left out of the spread of Amman 2.5, Almaty 2.9, San José 20.
      expect(assaults.pilotGroup).toEqual({ count: 3, median: 2.9, min: 2.5, max: 20, period: '2022' });

      for (const headers of [{}, AUTH]) {
        const amman = await get('/api/v1/places/JOAMM/summary', headers);
        const a = amman.json().indicators.find((i: { series: { code: string } }) => i.series.code === 'USM-CV-05');
        expect(a.pilotGroup).toEqual({ count: 3, median: 2.9, min: 2.5, max: 20, period: '2022' });
        expect(a.latest).toMatchObject({ value: 2.5, suppressedBelow: null });
      }
    });
  });

  describe('privileged readers', () => {
    it('administrators see every true value, marked', async () => {
      const items = await list(AUTH);
      for (const [series, place, period, dims, value] of SUPPRESSED) {
        expect(find(items, series, place, period, dims), `${series} ${place}`).toMatchObject({
          value,
          suppressedBelow: 10,
        });
      }
      expect(find(items, 'VC_IHR_PSRCN', 'MAAGA', '2022', { SEX: 'F' })?.note).toBe(HIDDEN_NOTE);
      const csv = csvRows((await get('/api/v1/observations/export?format=csv&indicator=16.1.1', AUTH)).body);
      expect(
        csv.find((r) => r.place === 'MAAGA-D1' && r.period === '2022' && r.series === 'VC_IHR_PSRC'),
      ).toMatchObject({ value: '6.6131', suppressed_below: '10' });
      const latest = await get('/api/v1/indicators/16.1.1/latest?series=VC_IHR_PSRC&level=district', AUTH);
      expect(latest.json().items.find((i: Obs) => i.place === 'MAAGA-D1')).toMatchObject({
        value: 6.6131,
        suppressedBelow: 10,
      });
      const summary = (await get('/api/v1/places/MAAGA/summary', AUTH)).json();
      const assaults = summary.indicators.find((i: { series: { code: string } }) => i.series.code === 'USM-CV-05');
      expect(assaults.country).toEqual({ place: 'MAR', period: '2022', value: 0.4173, suppressedBelow: 10 });
      expect(assaults.pilotGroup).toMatchObject({ count: 3, median: 2.9 });
    });

    it('focal points see the true values of their places only; a reviewer sees what the public sees', async () => {
      const visible = (items: Obs[]) =>
        SUPPRESSED.filter(([s, p, per, d]) => find(items, s, p, per, d)?.value !== null)
          .map(([s, p]) => `${s}@${p}`)
          .sort();
      const morocco = [
        'VC_IHR_PSRCN@MAAGA',
        'VC_IHR_PSRC@MAAGA',
        'VC_IHR_PSRCN@MAAGA-D1',
        'VC_IHR_PSRC@MAAGA-D1',
        'USM-CV-05-N@MAAGA',
        'USM-CV-05@MAAGA',
      ];
      expect(visible(await list(nfp))).toEqual([...morocco, 'USM-CV-05-N@MAR', 'USM-CV-05@MAR'].sort());
      expect(visible(await list(cfp))).toEqual([...morocco].sort());
      expect(visible(await list(reviewer))).toEqual([]);
      for (const o of await list(cfp)) {
        if (SUPPRESSED_KEYS.has(keyOf(o.series, o.place, o.period, o.dims))) expect(o.suppressedBelow).toBe(10);
      }
      const latest = (await get('/api/v1/indicators/16.1.1/latest?series=VC_IHR_PSRC&level=district', cfp)).json()
        .items as Obs[];
      expect(latest.map((i) => [i.place, i.value])).toEqual([
        ['JOAMM-D1', null],
        ['JOAMM-D2', 8.8],
        ['MAAGA-D1', 6.6131],
        ['MAAGA-D2', 20.5],
      ]);
      const export_ = await get('/api/v1/observations/export?format=csv&indicator=16.1.1', reviewer);
      expectNothingPrivate(export_.body, "the reviewer's export");
    });

    it('the SQL and the rule in core agree on every value', async () => {
      const items = await list(AUTH);
      const places = new Map(
        ((await get('/api/v1/places?limit=1000')).json().items as { code: string; level: string }[]).map((p) => [
          p.code,
          p.level,
        ]),
      );
      const rules = new Map<string, SuppressionRule>();
      for (const code of ['16.1.1', 'USM-CV-05'])
        rules.set(code, (await get(`/api/v1/indicators/${code}`)).json().suppression);
      expect(rules.get('16.1.1')).toEqual({
        minCount: 10,
        countSeries: 'VC_IHR_PSRCN',
        dimensions: ['SEX', 'AGE', 'DISABILITY_STATUS'],
        levels: ['district'],
      });
      for (const o of items) {
        const rule = rules.get(o.indicator)!;
        const count = rule.countSeries ? find(items, rule.countSeries, o.place, o.period, o.dims)?.value : undefined;
        expect(o.suppressedBelow !== null, `${o.series} ${o.place} ${o.period} ${JSON.stringify(o.dims)}`).toBe(
          isSuppressed(rule, o.value!, count, o.dims, places.get(o.place)!),
        );
      }
    });

    it('a rule set by an administrator applies at once, and removing it publishes the values', async () => {
      const put = (suppression: SuppressionRule | null) =>
        t.app.inject({
          method: 'PUT',
          url: '/api/v1/indicators/USM-CV-05/rules',
          headers: AUTH,
          payload: { validationRules: {}, suppression },
        });
      expect((await put(null)).statusCode).toBe(200);
      expect(find(await list(), 'USM-CV-05', 'MAAGA', '2022')).toMatchObject({ value: 1.2347, suppressedBelow: null });
      expect((await put({ minCount: 60, countSeries: 'USM-CV-05-N' })).statusCode).toBe(200);
      const items = await list();
      expect(find(items, 'USM-CV-05', 'JOAMM', '2022')).toMatchObject({ value: null, suppressedBelow: 60 });
      expect(find(items, 'USM-CV-05', 'KZALA', '2022')).toMatchObject({ value: 2.9, suppressedBelow: null });
      expect((await put({ minCount: 10, countSeries: 'USM-CV-05-N' })).statusCode).toBe(200);
    });
  });

  describe('every public read', () => {
    /** The URLs each public GET route is read with. A public route missing here fails the test. */
    const PUBLIC_READS: Record<string, string[]> = {
      '/api/v1/dimensions': ['/api/v1/dimensions'],
      '/api/v1/downloads/all': ['csv', 'sdmx-csv', 'sdmx-json'].map((f) => `/api/v1/downloads/all?format=${f}`),
      '/api/v1/frameworks': ['/api/v1/frameworks'],
      '/api/v1/health': ['/api/v1/health'],
      '/api/v1/frameworks/:code': ['/api/v1/frameworks/urban-safety', '/api/v1/frameworks/sdg'],
      '/api/v1/indicators': ['/api/v1/indicators?limit=1000'],
      '/api/v1/indicators/:code': ['/api/v1/indicators/16.1.1', '/api/v1/indicators/USM-CV-05'],
      '/api/v1/indicators/:code/metadata/texts': [
        '/api/v1/indicators/16.1.1/metadata/texts',
        '/api/v1/indicators/USM-CV-05/metadata/texts',
      ],
      '/api/v1/indicators/:code/latest': [
        '/api/v1/indicators/16.1.1/latest?series=VC_IHR_PSRC&dim=SEX:F',
        '/api/v1/indicators/16.1.1/latest?series=VC_IHR_PSRCN&dim=SEX:F',
        '/api/v1/indicators/16.1.1/latest?series=VC_IHR_PSRC&level=district',
        '/api/v1/indicators/16.1.1/latest?series=VC_IHR_PSRCN',
        '/api/v1/indicators/USM-CV-05/latest',
        '/api/v1/indicators/USM-CV-05/latest?series=USM-CV-05-N',
      ],
      // The indicator page: the values of its default places, and the counts of its disaggregations.
      '/api/v1/indicators/:code/data': [
        '/api/v1/indicators/16.1.1/data?series=VC_IHR_PSRC&dim=SEX:F',
        '/api/v1/indicators/16.1.1/data?series=VC_IHR_PSRCN',
        '/api/v1/indicators/16.1.1/data?series=VC_IHR_PSRC&limit=20000',
        '/api/v1/indicators/USM-CV-05/data',
        '/api/v1/indicators/USM-CV-05/data?series=USM-CV-05-N',
      ],
      '/api/v1/indicators/:code/breakdowns': [
        '/api/v1/indicators/16.1.1/breakdowns?series=VC_IHR_PSRC',
        '/api/v1/indicators/USM-CV-05/breakdowns',
      ],
      '/api/v1/observations': [
        '/api/v1/observations?limit=1000',
        '/api/v1/observations?place=MAR&subtree=true&limit=1000',
      ],
      '/api/v1/observations/export': [
        ...['csv', 'sdmx-csv', 'sdmx-json'].map((f) => `/api/v1/observations/export?format=${f}`),
        '/api/v1/observations/export?format=open-sdg&indicator=16.1.1',
        '/api/v1/observations/export?format=open-sdg&indicator=USM-CV-05',
      ],
      '/api/v1/places': ['/api/v1/places?limit=1000'],
      '/api/v1/sdmx/structures': ['/api/v1/sdmx/structures'],
      // The export for the UN needs the SDG structure loaded (seconds): sdmx-un-export.test.ts reads it with a suppressed
      // value of the country, which is never written.
      '/api/v1/sdmx/export': [],
      // Texts of an indicator's metadata (Open SDG repositories) and the shapes of places: no values in them.
      '/api/v1/indicators/:code/metadata': ['/api/v1/indicators/16.1.1/metadata'],
      '/api/v1/boundaries': ['/api/v1/boundaries'],
      // The values of a place's areas for its map: the suppressed one must not show.
      '/api/v1/places/:code/areas': ['MAAGA', 'MAR'].map((p) => `/api/v1/places/${p}/areas`),
      // Published reviews hold answers, not values: reviews.test.ts reads them, and every public route, for
      // unpublished material and personal data with a published review in the database (none here: the list is empty).
      '/api/v1/published-reviews': ['/api/v1/published-reviews'],
      '/api/v1/published-reviews/:id': [],
      '/api/v1/places/:code': ['/api/v1/places/MAAGA-D1', '/api/v1/places/MAAGA'],
      '/api/v1/places/:code/summary': ['MAAGA', 'MAAGA-D1', 'MAAGA-D2', 'JOAMM', 'JOAMM-D1', 'MAR', 'JOR'].map(
        (p) => `/api/v1/places/${p}/summary`,
      ),
      '/api/v1/places/:code/report': ['MAR', 'JOR'].map((p) => `/api/v1/places/${p}/report`),
      '/api/v1/reporting-status': [
        '/api/v1/reporting-status?framework=sdg',
        '/api/v1/reporting-status?framework=urban-safety&place=MAAGA,MAAGA-D1,MAR',
      ],
      '/api/v1/sdg/goals': ['/api/v1/sdg/goals'],
      '/api/v1/search': ['Amina', 'sentinel', 'privacy-check', '16.1.1', 'MAAGA'].map(
        (q) => `/api/v1/search?q=${encodeURIComponent(q)}`,
      ),
      '/api/v1/sources': ['/api/v1/sources'],
      '/api/v1/summary': ['/api/v1/summary'],
      '/api/v1/targets': ['/api/v1/targets', '/api/v1/targets?indicator=16.1.1'],
      '/api/v1/updates': ['/api/v1/updates?limit=100'],
      '/api/v1/programmes': ['/api/v1/programmes'],
      '/api/v1/programmes/:code': ['/api/v1/programmes/PRIV'],
      '/api/v1/programmes/:code/targets-2030': ['/api/v1/programmes/PRIV/targets-2030'],
      '/api/v1/programmes/:code/budget': ['/api/v1/programmes/PRIV/budget'],
      '/api/v1/programmes/:code/export': [
        '/api/v1/programmes/PRIV/export?format=csv',
        '/api/v1/programmes/PRIV/export?format=iati',
      ],
      '/api/v1/settings/results-2030': ['/api/v1/settings/results-2030'],
      // The composite safety profile of one place: it reads values as the public sees them (none withheld).
      '/api/v1/safety/profile': ['MAAGA', 'JOAMM', 'MAAGA-D1'].map((p) => `/api/v1/safety/profile?place=${p}`),
      '/api/v1/safety/choices': ['/api/v1/safety/choices'],
      // The Urban Safety Monitor's structure: no values at all (self-assessments are private).
      '/api/v1/safety-monitor/framework': ['/api/v1/safety-monitor/framework'],
      '/api/v1/safety-monitor/framework/versions': ['/api/v1/safety-monitor/framework/versions'],
      '/api/v1/safety-monitor/framework/versions/:version': ['/api/v1/safety-monitor/framework/versions/1'],
      '/api/v1/settings/exchange-rates': ['/api/v1/settings/exchange-rates'],
      '/api/v1/success-indicators': ['/api/v1/success-indicators'],
      '/api/v1/reports/board-progress': [
        '/api/v1/reports/board-progress',
        '/api/v1/reports/board-progress?from=2000-01-01&to=2030-12-31',
      ],
      // The knowledge repository and the network hold no values; their pages with ids are read with real
      // items in knowledge tests. The lists are read here for personal data (the network's pilot places
      // list focal-point roles, never people).
      '/api/v1/knowledge/options': ['/api/v1/knowledge/options'],
      '/api/v1/knowledge/search': ['Amina', 'sentinel', 'privacy-check'].map((q) => `/api/v1/knowledge/search?q=${q}`),
      '/api/v1/knowledge/items/:id': [],
      '/api/v1/knowledge/attachments/:id': [],
      '/api/v1/knowledge/tools/stats': ['/api/v1/knowledge/tools/stats'],
      '/api/v1/knowledge/tools/:id/pilots': [],
      '/api/v1/network/partners': ['/api/v1/network/partners'],
      '/api/v1/network/partners/:id': [],
      '/api/v1/network/centres': ['/api/v1/network/centres'],
      '/api/v1/network/pilots': ['/api/v1/network/pilots'],
      '/api/v1/network/summary': ['/api/v1/network/summary'],
      '/api/v1/workshops': ['/api/v1/workshops'],
      '/api/v1/workshops/:id': [],
      // A PDF of a public page, made by Chromium from the public reads listed here (no cookie, no token), by a
      // server listening on a port (this one answers through inject only): pdf-report.test.ts reads it.
      '/api/v1/reports/pdf': [],
      // The SDMX web service (sdmx-rest/): data in every format and layout, availability, structures.
      '/sdmx': ['/sdmx'],
      '/sdmx/*': [
        '/sdmx/data/DF_MARSAD/all',
        ...['structurespecificdata', 'jsondata', 'csvfile'].map((f) => `/sdmx/data/DF_MARSAD/all?format=${f}`),
        '/sdmx/data/DF_MARSAD/16_1_1+USM-CV-05?detail=nodata&format=csv',
        '/sdmx/v2/data/dataflow/MARSAD/DF_MARSAD/~/*?dimensionAtObservation=AllDimensions&c[CONF_STATUS]=C',
        '/sdmx/v2/data/dataflow/MARSAD/DF_MARSAD/~/*?lastNObservations=1&format=csv',
        '/sdmx/availableconstraint/DF_MARSAD/all?references=all',
        '/sdmx/v2/availability/dataflow/MARSAD/DF_MARSAD/~/*/REF_AREA',
        '/sdmx/dataflow/all/all/all?references=all',
        '/sdmx/codelist/MARSAD/CL_AREA/latest',
      ],
    };

    it('holds no suppressed value, no e-mail address and no user name, in any public answer', async () => {
      const gets = [
        ...new Set(
          routes
            .filter((r) => r.method === 'GET' && (r.url.startsWith('/api/v1/') || /^\/sdmx(\/|$)/.test(r.url)))
            .map((r) => r.url),
        ),
      ];
      expect(gets.length).toBeGreaterThan(20);
      const uncovered: string[] = [];
      for (const url of gets) {
        if (PUBLIC_READS[url]) continue;
        const probe = await t.app.inject({ url: url.replace(/:\w+/g, '1') });
        if (probe.statusCode === 401 || probe.statusCode === 403) continue; // not public
        uncovered.push(`${url} (answers the public ${probe.statusCode})`);
      }
      expect(uncovered, 'public GET routes the privacy check does not read: add them to PUBLIC_READS').toEqual([]);
      for (const [route, urls] of Object.entries(PUBLIC_READS)) {
        expect(gets, `${route} is no longer a route`).toContain(route);
        for (const url of urls) expectNothingPrivate((await get(url)).body, url);
      }
      // The values are there for those allowed to see them: the check can fail.
      expect((await get('/api/v1/observations?limit=1000', AUTH)).body).toContain('3.3179');
      expect((await get('/sdmx/data/DF_MARSAD/all?format=csv', AUTH)).body).toContain('3.3179');
      expect((await get('/api/v1/audit?limit=1000', AUTH)).body).toContain(EMAIL);
    });
  });
});
