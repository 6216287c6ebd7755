import { testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, createTestApp, importText, type TestApp } from './helpers.ts';

/**
 * The 2030 targets of seed 000 computed through the API for a programme's participating places,
 * against a fixture counted by hand (docs/methods/results.md, "The 2030 targets of seed 000").
 *
 * Participation record: Morocco (a supporting country: its cities Agadir and Tiznit take part)
 * and Amman (a participating city: Jordan takes part as its country, Zarqa does not). Values
 * (approved, yearly, totals, default series):
 * 16.1.1   Agadir 2015 8 → 2024 6 (−25 %, better); Tiznit 2015 5 → 2022 4.5 (−10 %: better with 5 %, unchanged with 10
 * %);
 *            Amman 2016 4 → 2023 5 (+25 %, worse); Morocco 2015 6 → 2024 5.8 (−0.2, within 0.3: unchanged);
 *            Zarqa 2015 10 → 2024 2 and Los Angeles 2015 9 → 2024 1: not participating;
 *            Tiznit 2025 1 is provisional: not used.
 *   USM-CV-01 Agadir 2015 200 → 2023 170 (−15 %, better); Amman 2015 100 → 2024 100 (unchanged).
 *   16.1.4   Jordan 2015 50 → 2024 56 (higher is better: +6 > 2.5, better).
 *   POP      Jordan 2024 11 000 000; Agadir 2024 420 000; Tiznit 2023 80 000; Morocco none.
 */
const json = { ...AUTH, 'content-type': 'application/json' };

describe.each(testStoreKinds())('the 2030 targets on %s', (kind) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(kind);
    const places = await t.app.inject({
      method: 'POST',
      url: '/api/v1/places',
      headers: json,
      payload: JSON.stringify({
        places: [
          { code: 'MATIZ', parent: 'MA-09', level: 'city', names: { ar: 'تيزنيت', en: 'Tiznit' } },
          { code: 'JOZAR', parent: 'JOR', level: 'city', names: { ar: 'الزرقاء', en: 'Zarqa' } },
        ],
      }),
    });
    expect(places.statusCode, places.body).toBe(201);
    const rows = `${[
      'indicator,series,place,period,value',
      '16.1.1,VC_IHR_PSRC,MAAGA,2015,8',
      '16.1.1,VC_IHR_PSRC,MAAGA,2024,6',
      '16.1.1,VC_IHR_PSRC,MATIZ,2015,5',
      '16.1.1,VC_IHR_PSRC,MATIZ,2022,4.5',
      '16.1.1,VC_IHR_PSRC,JOAMM,2016,4',
      '16.1.1,VC_IHR_PSRC,JOAMM,2023,5',
      '16.1.1,VC_IHR_PSRC,MAR,2015,6',
      '16.1.1,VC_IHR_PSRC,MAR,2024,5.8',
      '16.1.1,VC_IHR_PSRC,JOZAR,2015,10',
      '16.1.1,VC_IHR_PSRC,JOZAR,2024,2',
      '16.1.1,VC_IHR_PSRC,USLAX,2015,9',
      '16.1.1,VC_IHR_PSRC,USLAX,2024,1',
      'USM-CV-01,USM-CV-01,MAAGA,2015,200',
      'USM-CV-01,USM-CV-01,MAAGA,2023,170',
      'USM-CV-01,USM-CV-01,JOAMM,2015,100',
      'USM-CV-01,USM-CV-01,JOAMM,2024,100',
      '16.1.4,,JOR,2015,50',
      '16.1.4,,JOR,2024,56',
      'POP,POP_T,JOR,2024,11000000',
      'POP,POP_T,MAAGA,2024,420000',
      'POP,POP_T,MATIZ,2023,80000',
    ].join('\n')}\n`;
    const a = await importText(t.app, rows, { format: 'csv', status: 'approved', source: 'Test records' });
    expect(a.statusCode, a.body).toBe(201);
    const p = await importText(t.app, 'indicator,series,place,period,value\n16.1.1,VC_IHR_PSRC,MATIZ,2025,1\n', {
      format: 'csv',
      status: 'provisional',
    });
    expect(p.statusCode, p.body).toBe(201);
    const prog = await t.app.inject({
      method: 'POST',
      url: '/api/v1/programmes',
      headers: json,
      payload: JSON.stringify({
        code: 'SAFE',
        names: { en: 'Safer cities test' },
        startYear: 2020,
        endYear: 2030,
        places: [
          { place: 'MAR', role: 'supporting' },
          { place: 'JOAMM', role: 'participating' },
        ],
      }),
    });
    expect(prog.statusCode, prog.body).toBe(201);
    const impact = await t.app.inject({
      method: 'POST',
      url: '/api/v1/results',
      headers: json,
      payload: JSON.stringify({ programme: 'SAFE', level: 'impact', code: 'T2030', titles: { en: '2030 targets' } }),
    });
    expect(impact.statusCode, impact.body).toBe(201);
    for (const [formula, target] of [
      ['urban-violence-change', -50],
      ['cities-less-violence', 100],
      ['countries-improved', 25],
      ['population-concerned', 100_000_000],
    ] as const) {
      const m = await t.app.inject({
        method: 'POST',
        url: `/api/v1/results/${impact.json().id}/measures`,
        headers: json,
        payload: JSON.stringify({ kind: 'computed', formula, targets: [{ year: 2030, value: target }] }),
      });
      expect(m.statusCode, m.body).toBe(201);
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  const figures = async () => {
    const r = await t.app.inject({ url: '/api/v1/programmes/SAFE/targets-2030' });
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };

  it('counts the participating places as defined: recorded places, the cities of recorded countries, the countries of recorded places', async () => {
    const f = await figures();
    expect(f.participating.countries.map((c: { place: string }) => c.place)).toEqual(['JOR', 'MAR']);
    expect(f.participating.cities.map((c: { place: string; country: string }) => `${c.place}@${c.country}`)).toEqual([
      'JOAMM@JOR',
      'MAAGA@MAR',
      'MATIZ@MAR',
    ]);
    expect(f.indicators.crimeAndViolence.map((i: { code: string }) => i.code)).toEqual(
      expect.arrayContaining(['16.1.1', 'USM-CV-01']),
    );
    expect(f.indicators.crimeAndViolence.map((i: { code: string }) => i.code)).not.toContain('16.1.4');
    expect(f.margins).toEqual({ defaultMargin: 0.05, byIndicator: {} });
  });

  it('computes the four figures with the default margin of 5 %, each with its places', async () => {
    const f = await figures();
    // Agadir (−25 − 15) / 2 = −20 %, Tiznit −10 %, Amman (+25 + 0) / 2 = +12.5 %: (−20 − 10 + 12.5) / 3 = −5.8333 % in
    // 2024.
    // Progress toward −50 %: 5.8333 / 50 = 0.11667; expected in 2024: −50 × 9/15 = −30 % → off track.
    const u = f.urbanViolenceChange;
    expect(u.valuePercent).toBeCloseTo(-35 / 6, 5);
    expect(u.year).toBe(2024);
    expect(u.progress).toBeCloseTo(0.35 / 3, 5);
    expect(u.expectedPercent).toBeCloseTo(-30, 5);
    expect(u.status).toBe('off-track');
    expect(
      u.cities.map((c: { place: string; changePercent: number }) => [
        c.place,
        Math.round(c.changePercent * 1000) / 1000,
      ]),
    ).toEqual([
      ['JOAMM', 12.5],
      ['MAAGA', -20],
      ['MATIZ', -10],
    ]);
    expect(
      u.cities[1].indicators.map((i: { indicator: string; base: object; latest: object; sources: object[] }) => [
        i.indicator,
        i.base,
        i.latest,
        i.sources.length,
      ]),
    ).toEqual([
      ['16.1.1', { year: 2015, value: 8 }, { year: 2024, value: 6 }, 1],
      ['USM-CV-01', { year: 2015, value: 200 }, { year: 2023, value: 170 }, 1],
    ]);
    // Cities with less crime and violence: Agadir and Tiznit; Amman is worse on 16.1.1.
    const c = f.citiesWithLessViolence;
    expect(c.count).toBe(2);
    expect(c.cities.filter((x: { counted: boolean }) => x.counted).map((x: { place: string }) => x.place)).toEqual([
      'MAAGA',
      'MATIZ',
    ]);
    expect(
      c.cities.find((x: { place: string }) => x.place === 'JOAMM').worse.map((x: { indicator: string }) => x.indicator),
    ).toEqual(['16.1.1']);
    // Countries: Morocco in its cities (16.1.1 better in 2 of 2, USM-CV-01 in 1 of 1; national 16.1.1 within its
    // margin);
    // Jordan at national level (16.1.4).
    const k = f.countriesImproved;
    expect(k.count).toBe(2);
    const mar = k.countries.find((x: { place: string }) => x.place === 'MAR');
    expect(
      mar.indicators.map((i: { indicator: string; improved: string | null; citiesBetter: string[] }) => [
        i.indicator,
        i.improved,
        i.citiesBetter,
      ]),
    ).toEqual([
      ['16.1.1', 'cities', ['MAAGA', 'MATIZ']],
      ['USM-CV-01', 'cities', ['MAAGA']],
    ]);
    expect(mar.indicators[0].national).toMatchObject({
      judgement: 'unchanged',
      base: { year: 2015, value: 6 },
      latest: { year: 2024, value: 5.8 },
    });
    expect(
      k.countries
        .find((x: { place: string }) => x.place === 'JOR')
        .indicators.find((i: { indicator: string }) => i.indicator === '16.1.4').improved,
    ).toBe('national');
    // People: Jordan 11 000 000 (national) + Agadir 420 000 + Tiznit 80 000 (Morocco through its cities) = 11 500 000.
    const q = f.populationConcerned;
    expect(q.total).toBe(11_500_000);
    expect(
      q.places.map((x: { place: string; basis: string; population: { year: number; value: number } }) => [
        x.place,
        x.basis,
        x.population.value,
      ]),
    ).toEqual([
      ['JOR', 'country', 11_000_000],
      ['MAAGA', 'cities', 420_000],
      ['MATIZ', 'cities', 80_000],
    ]);
    expect(q.missing).toEqual([]);
    // The same figures as the actual values of the programme's computed measures.
    const p = (await t.app.inject({ url: '/api/v1/programmes/SAFE' })).json();
    const ms = p.results[0].measures as {
      formula: string;
      actual: { value: number; year: number };
      target: { value: number };
      baseline: { year: number; value: number; from: string };
      progress: number;
    }[];
    expect(ms.map((m) => [m.formula, Math.round(m.actual.value * 1000) / 1000, m.actual.year])).toEqual([
      ['urban-violence-change', -5.833, 2024],
      ['cities-less-violence', 2, 2024],
      ['countries-improved', 2, 2024],
      ['population-concerned', 11_500_000, 2024],
    ]);
    expect(ms[0]!.baseline).toEqual({ year: 2015, value: 0, from: 'definition' });
    // 2 of 100 cities: 0.02; 2 of 25 countries: 0.08; 11.5 of 100 million: 0.115.
    expect(ms.map((m) => m.progress)).toEqual([expect.closeTo(0.11667, 4), 0.02, 0.08, 0.115]);
  });

  it('uses the margins an administrator sets, audited; nobody else may set them', async () => {
    const bad = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/settings/results-2030',
      headers: json,
      payload: JSON.stringify({ defaultMargin: 0.05, byIndicator: { NOPE: 0.1 } }),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/^byIndicator.NOPE: no indicator/);
    expect(
      (
        await t.app.inject({
          method: 'PUT',
          url: '/api/v1/settings/results-2030',
          headers: json,
          payload: JSON.stringify({ defaultMargin: 2 }),
        })
      ).json().message,
    ).toMatch(/defaultMargin/);
    expect(
      (
        await t.app.inject({
          method: 'PUT',
          url: '/api/v1/settings/results-2030',
          headers: { 'content-type': 'application/json' },
          payload: '{}',
        })
      ).statusCode,
    ).toBe(401);
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/settings/results-2030',
      headers: json,
      payload: JSON.stringify({ defaultMargin: 0.05, byIndicator: { '16.1.1': 0.1 } }),
    });
    expect(put.statusCode, put.body).toBe(200);
    expect((await t.app.inject({ url: '/api/v1/settings/results-2030' })).json()).toEqual({
      defaultMargin: 0.05,
      byIndicator: { '16.1.1': 0.1 },
    });
    const f = await figures();
    // Tiznit's fall of 0.5 is not more than 10 % of 5: unchanged, so 1 city; Morocco still counts through USM-CV-01 in
    // Agadir
    // (16.1.1 is better in 1 of its 2 cities, not most); people: Jordan 11 000 000 + Agadir 420 000.
    expect(f.citiesWithLessViolence.count).toBe(1);
    expect(f.countriesImproved.count).toBe(2);
    expect(
      f.countriesImproved.countries
        .find((x: { place: string }) => x.place === 'MAR')
        .indicators.map((i: { improved: string | null }) => i.improved),
    ).toEqual([null, 'cities']);
    expect(f.populationConcerned.total).toBe(11_420_000);
    expect(f.urbanViolenceChange.valuePercent).toBeCloseTo(-35 / 6, 5);
    const audit = (await t.app.inject({ url: '/api/v1/audit?entityType=settings', headers: AUTH })).json().items;
    expect(
      audit.find(
        (e: { entityId?: string; entity_id?: string }) => (e.entityId ?? e.entity_id) === 'results-2030-margins',
      ),
    ).toMatchObject({ action: 'update' });
  });

  it('gives counts, not every city, for a country of more than 30 cities taking part; its sources stay complete', async () => {
    // 31 cities of a new country, 16.1.1 falling in the odd ones (better) and rising in the even ones (worse).
    const cities = Array.from({ length: 31 }, (_, i) => `ZT-C${String(i + 1).padStart(2, '0')}`);
    const made = await t.app.inject({
      method: 'POST',
      url: '/api/v1/places',
      headers: json,
      payload: JSON.stringify({
        places: [
          { code: 'ZT', level: 'country', names: { en: 'Many cities test country' } },
          ...cities.map((code, i) => ({ code, parent: 'ZT', level: 'city', names: { en: `City ${i + 1}` } })),
        ],
      }),
    });
    expect(made.statusCode, made.body).toBe(201);
    const rows = cities.flatMap((code, i) => [
      `16.1.1,VC_IHR_PSRC,${code},2015,10`,
      `16.1.1,VC_IHR_PSRC,${code},2024,${i % 2 === 0 ? 5 : 15}`,
    ]);
    const imported = await importText(t.app, `indicator,series,place,period,value\n${rows.join('\n')}\n`, {
      format: 'csv',
      status: 'approved',
      source: 'Many cities records',
    });
    expect(imported.statusCode, imported.body).toBe(201);
    const prog = await t.app.inject({
      method: 'POST',
      url: '/api/v1/programmes',
      headers: json,
      payload: JSON.stringify({
        code: 'MANY',
        names: { en: 'Many cities test' },
        startYear: 2020,
        endYear: 2030,
        places: [{ place: 'ZT', role: 'supporting' }],
      }),
    });
    expect(prog.statusCode, prog.body).toBe(201);
    const r = await t.app.inject({ url: '/api/v1/programmes/MANY/targets-2030' });
    expect(r.statusCode, r.body).toBe(200);
    const f = r.json();
    const zt = f.countriesImproved.countries.find((x: { place: string }) => x.place === 'ZT');
    const homicide = zt.indicators.find((i: { indicator: string }) => i.indicator === '16.1.1');
    expect(homicide).toMatchObject({ improved: 'cities', citiesCompared: 31, cities: [] });
    expect(homicide.citiesBetter).toHaveLength(16);
    expect(zt.sources.map((s: { name: string }) => s.name)).toEqual(['Many cities records']);
    // The cities behind the first two figures are still each listed.
    expect(f.urbanViolenceChange.cities).toHaveLength(31);
    expect(f.citiesWithLessViolence.cities).toHaveLength(31);

    // Morocco, with two cities, lists each city's comparison.
    const mar = (await figures()).countriesImproved.countries.find((x: { place: string }) => x.place === 'MAR');
    expect(mar.indicators[0]).toMatchObject({ citiesCompared: 2 });
    expect(mar.indicators[0].cities).toHaveLength(2);
  });
});
