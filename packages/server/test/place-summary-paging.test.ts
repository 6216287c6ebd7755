import { assessProgress } from '@marsad/core';
import { testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SUMMARY_DEFAULT_ENTRIES,
  SUMMARY_MAX_ENTRIES,
  SUMMARY_MAX_POINTS,
} from '../src/web-api/place-summary-routes.ts';
import { AUTH, createTestApp, importText, type TestApp } from './helpers.ts';

// Issue 16: the place summary is paged over its entries (indicator, series) and keeps the latest
// SUMMARY_MAX_POINTS values of a series, so that no answer grows with the data of a country.
// Agadir gets 230 series of 11.1.1 (labels become series of their own) with one value each, and one
// monthly series of 16.1.1 over 2010–2024 (180 values) whose progress needs the values of 2015.
const SERIES = 230;
const label = (i: number) => `Paging series ${String(i).padStart(3, '0')}`;
const MONTHS: string[] = [];
for (let y = 2010; y <= 2024; y++) for (let m = 1; m <= 12; m++) MONTHS.push(`${y}-${String(m).padStart(2, '0')}`);
// Falling fast until 2021-08 (20 → 10.27), then hardly at all: the values kept show stagnation, the whole series does not.
const monthlyValue = (i: number) => (i < 140 ? (20 - i * 0.07).toFixed(2) : (10.2 - (i - 140) * 0.001).toFixed(3));
const DATA = `${[
  'indicator,place,period,value,series,source',
  ...Array.from({ length: SERIES }, (_, i) => `11.1.1,MAAGA,2020,${10 + (i % 50)},${label(i)},Survey A`),
  ...MONTHS.map((m, i) => `16.1.1,MAAGA,${m},${monthlyValue(i)},VC_IHR_PSRC,Police records`),
].join('\n')}\n`;

interface Entry {
  indicator: { code: string };
  series: { code: string; name: string };
  points: { period: string; value: number | null }[];
  pointsTotal: number;
  pointsTruncated: boolean;
  pointsUrl?: string;
  progress: { class: string; method: string };
  latest: { period: string; value: number | null } | null;
  target: { year: number; value: number | null; relativeChange: number | null; baselineYear: number | null } | null;
}
interface Summary {
  indicatorsTotal: number;
  limit: number;
  offset: number;
  latestPeriod: string | null;
  indicators: Entry[];
}

describe.each(testStoreKinds())('place summary paging on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
    const r = await importText(t.app, DATA, { format: 'csv', status: 'approved' });
    expect(r.statusCode, r.body).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  const get = async (url: string) => {
    const r = await t.app.inject({ url });
    return { status: r.statusCode, body: r.json() as Summary, bytes: r.body.length };
  };
  const key = (e: Entry) => `${e.indicator.code}|${e.series.code}`;

  it('answers one page of entries with the total, and the pages together are the whole list in order', async () => {
    const first = await get('/api/v1/places/MAAGA/summary?lang=en');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      indicatorsTotal: SERIES + 1,
      limit: SUMMARY_DEFAULT_ENTRIES,
      offset: 0,
      latestPeriod: '2024-12',
    });
    expect(first.body.indicators).toHaveLength(SUMMARY_DEFAULT_ENTRIES);

    const all = await get(`/api/v1/places/MAAGA/summary?lang=en&limit=${SUMMARY_MAX_ENTRIES}`);
    expect(all.body.indicators).toHaveLength(SUMMARY_MAX_ENTRIES);
    const rest = await get(`/api/v1/places/MAAGA/summary?lang=en&limit=${SUMMARY_MAX_ENTRIES}&offset=200`);
    expect(rest.body).toMatchObject({ indicatorsTotal: SERIES + 1, limit: SUMMARY_MAX_ENTRIES, offset: 200 });
    expect(rest.body.indicators).toHaveLength(SERIES + 1 - 200);
    const whole = [...all.body.indicators, ...rest.body.indicators].map(key);
    expect(new Set(whole).size).toBe(SERIES + 1);
    // Code order: every 11.1.1 series, then 16.1.1.
    expect(whole.at(-1)).toBe('16.1.1|VC_IHR_PSRC');
    expect(first.body.indicators.map(key)).toEqual(whole.slice(0, SUMMARY_DEFAULT_ENTRIES));

    const middle = await get('/api/v1/places/MAAGA/summary?lang=en&limit=7&offset=95');
    expect(middle.body.indicators.map(key)).toEqual(whole.slice(95, 102));
    // Past the end: no entries, the same total and the same date of the data.
    const past = await get('/api/v1/places/MAAGA/summary?lang=en&offset=1000');
    expect(past.status).toBe(200);
    expect(past.body).toMatchObject({
      indicatorsTotal: SERIES + 1,
      offset: 1000,
      latestPeriod: '2024-12',
      indicators: [],
    });
    const empty = await get('/api/v1/places/PHL/summary');
    expect(empty.body).toMatchObject({ indicatorsTotal: 0, latestPeriod: null, indicators: [] });
  });

  it('keeps the latest values of a long series, says so and where the rest is; latest and progress are of the whole series', async () => {
    const r = await get(`/api/v1/places/MAAGA/summary?lang=en&offset=${SERIES}`);
    const monthly = r.body.indicators[0]!;
    expect(key(monthly)).toBe('16.1.1|VC_IHR_PSRC');
    expect(monthly.pointsTotal).toBe(MONTHS.length);
    expect(monthly.pointsTruncated).toBe(true);
    expect(monthly.points.map((p) => p.period)).toEqual(MONTHS.slice(-SUMMARY_MAX_POINTS));
    expect(monthly.latest).toMatchObject({ period: '2024-12', value: Number(monthlyValue(MONTHS.length - 1)) });
    // Progress toward the target is assessed over the whole series (from 2015), not over the values kept.
    const assess = (months: string[]) => {
      const p = assessProgress(
        months.map((m) => {
          const [y, mo] = m.split('-').map(Number) as [number, number];
          const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
          return { start: `${m}-01`, end: `${m}-${days}`, value: Number(monthlyValue(MONTHS.indexOf(m))) };
        }),
        'lower',
        monthly.target,
      );
      return { class: p.class, method: p.method };
    };
    expect(monthly.target).not.toBeNull();
    expect(monthly.progress).toEqual(assess(MONTHS));
    expect(monthly.progress).not.toEqual(assess(MONTHS.slice(-SUMMARY_MAX_POINTS)));
    const url = new URL(monthly.pointsUrl!, 'http://x');
    expect(url.pathname).toBe('/api/v1/indicators/16.1.1/data');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      series: 'VC_IHR_PSRC',
      place: 'MAAGA',
      limit: String(MONTHS.length),
    });
    // The whole series is there.
    const data = (await t.app.inject({ url: monthly.pointsUrl! })).json() as {
      points: { place: string; points: { period: string }[] }[];
      pointsTotal: number;
      truncated: boolean;
    };
    expect(data.points.map((x) => x.place)).toEqual(['MAAGA']);
    expect(data.points[0]!.points.map((x) => x.period)).toEqual(MONTHS);
    expect(data).toMatchObject({ pointsTotal: MONTHS.length, truncated: false });

    const short = (await get('/api/v1/places/MAAGA/summary?lang=en&limit=1')).body.indicators[0]!;
    expect(short).toMatchObject({ pointsTotal: 1, pointsTruncated: false, progress: { class: 'insufficient-data' } });
    expect(short.pointsUrl).toBeUndefined();
  });

  it('is bounded: no page holds more than the largest limit of entries, nor a series more than the kept values', async () => {
    for (const headers of [{}, AUTH]) {
      for (let offset = 0; offset < SERIES + 1; offset += SUMMARY_MAX_ENTRIES) {
        const r = await t.app.inject({
          url: `/api/v1/places/MAAGA/summary?lang=en&limit=${SUMMARY_MAX_ENTRIES}&offset=${offset}`,
          headers,
        });
        const body = r.json() as Summary;
        expect(body.indicators.length).toBeLessThanOrEqual(SUMMARY_MAX_ENTRIES);
        for (const e of body.indicators) expect(e.points.length).toBeLessThanOrEqual(SUMMARY_MAX_POINTS);
        // 200 short entries of this data: well under the bound the API describes (about 1.2 MB).
        expect(r.body.length).toBeLessThan(400_000);
      }
    }
  });

  it.each([
    ['limit', '0'],
    ['limit', '100000'],
    ['limit', String(SUMMARY_MAX_ENTRIES + 1)],
    ['limit', 'x'],
    ['limit', '1.5'],
    ['offset', '-1'],
    ['offset', 'x'],
  ])('answers 400 naming %s for %s', async (field, value) => {
    const r = await t.app.inject({ url: `/api/v1/places/MAAGA/summary?${field}=${value}` });
    expect(r.statusCode, r.body).toBe(400);
    expect(r.json().message).toMatch(new RegExp(field));
  });
});
