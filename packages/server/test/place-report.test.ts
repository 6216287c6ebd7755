// The country report (GET /api/v1/places/:code/report, issue 7 item 5): national and city values
// with their period, status and source, the programmes and published reviews of the country's
// places, the date of the data — and a value withheld by its indicator's suppression rule never
// reaches the public, while an administrator and a focal point of the place see it.

import { testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoReviews } from '../src/demo/load-demo-reviews.ts';
import { AUTH, createTestApp, importText, signedIn, type TestApp } from './helpers.ts';

const HIDDEN = '1.2347';
const VALUES = `${[
  'indicator,series,place,period,value',
  '11.1.1,,MAR,2021,15.5',
  '11.1.1,,MAR,2022,14.25',
  '11.1.1,,MAAGA,2022,19.5',
  '11.1.1,,MAAGA-D1,2022,33.5', // a district: not a city of the report
  '11.1.1,,JOAMM,2022,27.75', // another country
  'USM-CV-05,USM-CV-05-N,MAAGA,2022,5',
  `USM-CV-05,USM-CV-05,MAAGA,2022,${HIDDEN}`,
  'USM-CV-05,USM-CV-05-N,MAR,2022,400',
  'USM-CV-05,USM-CV-05,MAR,2022,2.5',
].join('\n')}\n`;

interface Value {
  period: string;
  value: number | null;
  suppressedBelow: number | null;
  status: string;
  source: { name: string } | null;
}
interface Report {
  place: { code: string; name: string };
  generatedAt: string;
  latestPeriod: { period: string; periodEnd: string } | null;
  cities: { code: string; name: string }[];
  indicators: {
    indicator: { code: string };
    series: { code: string };
    national: Value | null;
    citiesWithValues: number;
    spread: unknown;
    cities: (Value & { place: string })[];
  }[];
  citiesWithValues: number;
  citiesListed: string;
  programmes: { code: string; name: string; places: { code: string; role: string }[] }[];
  reviews: { id: number; place: { code: string }; cycle: { kind: string } }[];
}

describe.each(testStoreKinds())('the country report on %s', (kind) => {
  let t: TestApp;
  let cfp: Record<string, string>;
  const report = async (code: string, headers: Record<string, string> = {}, lang = 'en') => {
    const r = await t.app.inject({ url: `/api/v1/places/${code}/report?lang=${lang}`, headers });
    return { status: r.statusCode, body: r.body, json: () => r.json() as Report };
  };
  const series = (rep: Report, code: string) => rep.indicators.find((i) => i.series.code === code);

  beforeAll(async () => {
    t = await createTestApp(kind);
    const places = await t.app.inject({
      method: 'POST',
      url: '/api/v1/places',
      headers: AUTH,
      payload: {
        places: [{ code: 'MAAGA-D1', parent: 'MAAGA', level: 'district', names: { en: 'Agadir district one' } }],
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
    const a = await importText(t.app, VALUES, { format: 'csv', status: 'approved' });
    expect(a.statusCode, a.body).toBe(201);
    // A later provisional value: the public does not see it, an administrator does.
    const b = await importText(t.app, 'indicator,place,period,value\n11.1.1,MAAGA,2023,18.75\n', { format: 'csv' });
    expect(b.statusCode, b.body).toBe(201);
    const prog = await t.app.inject({
      method: 'POST',
      url: '/api/v1/programmes',
      headers: AUTH,
      payload: {
        code: 'CR-TEST',
        names: { en: 'Country report check', ar: 'فحص تقرير البلد' },
        startYear: 2020,
        endYear: 2030,
        reportingOrg: { ref: 'XX-CR', type: '40' },
        places: [
          { place: 'MAR', role: 'supporting' },
          { place: 'MAAGA', role: 'pilot', sinceYear: 2021 },
          { place: 'JOAMM', role: 'pilot' },
        ],
      },
    });
    expect(prog.statusCode, prog.body).toBe(201);
    await loadDemoReviews(t.db.store); // publishes the review of Agadir
    cfp = await signedIn(t, 'cfp.report@example.org', [{ role: 'city-focal-point', place: 'MAAGA' }]);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it("gives the national value and each city's latest value with period, status and source", async () => {
    const r = await report('MAR');
    expect(r.status, r.body).toBe(200);
    const rep = r.json();
    expect(rep.place).toMatchObject({ code: 'MAR', name: 'Morocco' });
    expect(rep.cities.map((c) => c.code)).toEqual(['MAAGA']); // not the district, not Amman
    const slums = series(rep, 'EN_LND_SLUM')!;
    expect(slums.indicator.code).toBe('11.1.1');
    expect(slums.national).toMatchObject({ period: '2022', value: 14.25, suppressedBelow: null, status: 'approved' });
    expect(slums.cities).toEqual([
      expect.objectContaining({ place: 'MAAGA', period: '2022', value: 19.5, status: 'approved' }),
    ]);
    expect(r.body).not.toContain('33.5');
    expect(r.body).not.toContain('27.75');
    expect(rep.latestPeriod).toEqual({ period: '2022', periodEnd: '2022-12-31' });
    expect(Date.parse(rep.generatedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect((await report('MAR', {}, 'ar')).json().place.name).toBe('المغرب');
  });

  it("never gives the public a suppressed value; an administrator and the city's focal point see it", async () => {
    const pub = await report('MAR');
    expect(pub.body).not.toContain(HIDDEN);
    const rate = series(pub.json(), 'USM-CV-05')!;
    expect(rate.cities[0]).toMatchObject({ place: 'MAAGA', period: '2022', value: null, suppressedBelow: 10 });
    expect(series(pub.json(), 'USM-CV-05-N')!.cities[0]).toMatchObject({ value: null, suppressedBelow: 10 });
    expect(rate.national).toMatchObject({ value: 2.5, suppressedBelow: null }); // its count is 400
    for (const headers of [AUTH, cfp]) {
      const r = await report('MAR', headers);
      expect(r.body).toContain(HIDDEN);
      expect(series(r.json(), 'USM-CV-05')!.cities[0]).toMatchObject({ value: 1.2347, suppressedBelow: 10 });
    }
    // The unpublished value: the administrator's latest, not the public's.
    expect(series((await report('MAR', AUTH)).json(), 'EN_LND_SLUM')!.cities[0]).toMatchObject({
      period: '2023',
      value: 18.75,
      status: 'provisional',
    });
    expect(pub.body).not.toContain('18.75');
  });

  it('lists the programmes of the country and its places, and the published reviews of its places', async () => {
    const rep = (await report('MAR')).json();
    const prog = rep.programmes.find((p) => p.code === 'CR-TEST')!;
    expect(prog.name).toBe('Country report check');
    expect(prog.places).toEqual([
      expect.objectContaining({ code: 'MAR', role: 'supporting' }),
      expect.objectContaining({ code: 'MAAGA', role: 'pilot', sinceYear: 2021 }),
    ]);
    expect(rep.reviews.map((x) => x.place.code)).toEqual(['MAAGA']);
    const jor = (await report('JOR')).json();
    expect(jor.reviews).toEqual([]); // Amman's review is not published
    expect(jor.programmes.find((p) => p.code === 'CR-TEST')!.places.map((p) => p.code)).toEqual(['JOAMM']);
  });

  it('lists the pilot cities of a country of many cities, and the spread of each indicator over all of them', async () => {
    // 35 cities with values (more than REPORT_CITIES), two of them pilots.
    const cities = Array.from({ length: 35 }, (_, i) => `ZR-C${String(i + 1).padStart(2, '0')}`);
    const made = await t.app.inject({
      method: 'POST',
      url: '/api/v1/places',
      headers: AUTH,
      payload: {
        places: [
          { code: 'ZR', level: 'country', names: { en: 'Report test country' } },
          ...cities.map((code, i) => ({
            code,
            parent: 'ZR',
            level: 'city',
            names: { en: `City ${i + 1}` },
            pilot: i === 4 || i === 30,
          })),
        ],
      },
    });
    expect(made.statusCode, made.body).toBe(201);
    // City i has the value i + 1 in 2021; city 1 also 2020 (earlier, not its latest), city 35 a value for 2023.
    const rows = cities.map((code, i) => `11.1.1,${code},${i === 34 ? 2023 : 2021},${i + 1}`);
    rows.push('11.1.1,ZR-C01,2020,50', '11.1.1,ZR,2021,7.5');
    const imported = await importText(t.app, `indicator,place,period,value\n${rows.join('\n')}\n`, {
      format: 'csv',
      status: 'approved',
    });
    expect(imported.statusCode, imported.body).toBe(201);

    const rep = (await report('ZR')).json();
    expect(rep.citiesWithValues).toBe(35);
    expect(rep.citiesListed).toBe('pilot');
    expect(rep.cities.map((c) => c.code)).toEqual(['ZR-C05', 'ZR-C31']);
    const slums = rep.indicators.find((i) => i.series.code === 'EN_LND_SLUM')!;
    expect(slums.national).toMatchObject({ period: '2021', value: 7.5 });
    expect(slums.cities.map((c) => [c.place, c.value])).toEqual([
      ['ZR-C05', 5],
      ['ZR-C31', 31],
    ]);
    expect(slums.citiesWithValues).toBe(35);
    expect(slums.spread).toEqual({ n: 35, min: 1, median: 18, max: 35, earliestPeriod: '2021', latestPeriod: '2023' });
    expect(rep.latestPeriod).toMatchObject({ period: '2023' }); // a city that is not listed still dates the data

    // A value withheld from the public is left out of the spread, not its city count: city 1's count is 5 (the rule
    // asks for 10), so the public sees 34 values (2 to 35, an even number: the median is the mean of 18 and 19).
    const counted = cities.flatMap((code, i) => [
      `USM-CV-05,USM-CV-05,${code},2022,${i + 1}`,
      `USM-CV-05,USM-CV-05-N,${code},2022,${i === 0 ? 5 : 100}`,
    ]);
    const imported2 = await importText(t.app, `indicator,series,place,period,value\n${counted.join('\n')}\n`, {
      format: 'csv',
      status: 'approved',
    });
    expect(imported2.statusCode, imported2.body).toBe(201);
    const withheld = series((await report('ZR')).json(), 'USM-CV-05')!;
    expect(withheld.citiesWithValues).toBe(35);
    expect(withheld.spread).toEqual({
      n: 34,
      min: 2,
      median: 18.5,
      max: 35,
      earliestPeriod: '2022',
      latestPeriod: '2022',
    });
    // The administrator sees every value.
    expect(series((await report('ZR', AUTH)).json(), 'USM-CV-05')!.spread).toMatchObject({ n: 35, min: 1, median: 18 });

    // Morocco, with one city, still lists every city.
    const mar = (await report('MAR')).json();
    expect(mar).toMatchObject({ citiesListed: 'all', citiesWithValues: 1 });
  });

  it('is made for countries only', async () => {
    expect((await report('MAAGA')).status).toBe(400);
    expect((await report('NOWHERE')).status).toBe(404);
  });
});
