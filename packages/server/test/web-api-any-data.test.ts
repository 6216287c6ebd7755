import { testStoreKinds } from '@marsad/db/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, importText, type TestApp } from './helpers.ts';

// Issue 14, item 5: pages hold any data. Synthetic values (made up for this test):
// - 11.1.1 at KZALA, MAR and JOR has only broken-down values (SEX F and M, no total row), as real SDMX and
//   Open SDG files give them;
// - 16.1.1 / VC_IHR_PSRC has 30 years of monthly totals at four cities (1,440 values, more than the 1,000 the
//   indicator page used to ask for) and a few values by sex; two provisional values the public does not see.
const months = (from: number, years: number) =>
  Array.from({ length: years * 12 }, (_, i) => `${from + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);

const BROKEN_DOWN = `${[
  'indicator,place,period,value,source,SEX',
  '11.1.1,KZALA,2020,20.5,Synthetic survey,F',
  '11.1.1,KZALA,2020,22.5,Synthetic survey,M',
  '11.1.1,KZALA,2021,19.5,Synthetic survey,F',
  '11.1.1,MAR,2021,30,Synthetic survey,F',
  '11.1.1,MAR,2021,31,Synthetic survey,M',
  '11.1.1,JOR,2021,12,Synthetic survey,F',
].join('\n')}\n`;

const CITIES = ['MAAGA', 'JOAMM', 'KZALA', 'USLAX'];
const MONTHLY = `${[
  'indicator,place,period,value,series,source,SEX',
  ...CITIES.flatMap((c, k) =>
    months(1995, 30).map(
      (m, i) => `16.1.1,${c},${m},${(k + 1 + (i % 7) / 10).toFixed(1)},VC_IHR_PSRC,Synthetic police records,`,
    ),
  ),
  '16.1.1,MAAGA,2020-01,1.5,VC_IHR_PSRC,Synthetic police records,F',
  '16.1.1,MAAGA,2020-01,1.7,VC_IHR_PSRC,Synthetic police records,M',
].join('\n')}\n`;

const PROVISIONAL = `${[
  'indicator,place,period,value,series,source',
  '16.1.1,CRSJO,2023-01,9,VC_IHR_PSRC,Synthetic police records',
  '16.1.1,MAAGA,2025-01,9,VC_IHR_PSRC,Synthetic police records',
].join('\n')}\n`;

interface Breakdowns {
  total: number;
  disaggregations: { key: string; dims: Record<string, string>; values: number; places: number }[];
}
interface DataAnswer {
  key: string;
  dims: Record<string, string>;
  places: { code: string; name: string | null; level: string }[];
  selected: string[];
  points: {
    place: string;
    points: { period: string; start: string; end: string; value: number | null; status: string; source?: number }[];
  }[];
  sources: { name: string; synthetic: boolean }[];
  pointsTotal: number;
  limit: number;
  truncated: boolean;
}

describe.each(testStoreKinds())('pages hold any data: web API on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
    for (const [body, status] of [
      [BROKEN_DOWN, 'approved'],
      [MONTHLY, 'approved'],
      [PROVISIONAL, 'provisional'],
    ] as const) {
      const r = await importText(t.app, body, { format: 'csv', status });
      expect(r.statusCode, r.body).toBe(201);
    }
  });
  afterAll(async () => {
    await t?.close();
  });
  const get = async <T>(url: string) => {
    const r = await t.app.inject({ url });
    return { status: r.statusCode, body: r.json() as T, bytes: r.rawPayload.length };
  };

  it('a place whose values of an indicator are all broken down: the summary has no latest value and counts them', async () => {
    const r = await get<{
      indicators: { indicator: { code: string }; latest: unknown; points: unknown[]; brokenDownValues: number }[];
    }>('/api/v1/places/KZALA/summary?lang=ar');
    expect(r.status).toBe(200);
    const row = r.body.indicators.find((i) => i.indicator.code === '11.1.1')!;
    expect(row).toMatchObject({ latest: null, points: [], brokenDownValues: 3 });
    const monthly = r.body.indicators.find((i) => i.indicator.code === '16.1.1')!;
    expect(monthly.latest).toMatchObject({ period: '2024-12' });
    expect(monthly.brokenDownValues).toBe(0);
    // A country with only broken-down values: its place page and its report answer.
    const mar = await get<{ indicators: { latest: unknown; brokenDownValues: number }[] }>(
      '/api/v1/places/MAR/summary',
    );
    expect(mar.status).toBe(200);
    expect(mar.body.indicators).toEqual([expect.objectContaining({ latest: null, brokenDownValues: 2 })]);
    const report = await get<{ indicators: { indicator: { code: string }; national: unknown }[] }>(
      '/api/v1/places/MAR/report?lang=en',
    );
    expect(report.status).toBe(200);
    expect(report.body.indicators.map((i) => [i.indicator.code, i.national])).toEqual([['16.1.1', null]]);
  });

  it('an indicator with only broken-down values: the data shows its largest disaggregation', async () => {
    const r = await get<DataAnswer>('/api/v1/indicators/11.1.1/data?lang=en');
    expect(r.status).toBe(200);
    expect(r.body.key).toBe('SEX:F');
    expect(r.body.dims).toEqual({ SEX: 'F' });
    const b = await get<Breakdowns>('/api/v1/indicators/11.1.1/breakdowns');
    expect(b.body).toEqual({
      indicator: '11.1.1',
      series: expect.any(String),
      total: 6,
      disaggregations: [
        { key: 'SEX:F', dims: { SEX: 'F' }, values: 4, places: 3 },
        { key: 'SEX:M', dims: { SEX: 'M' }, values: 2, places: 2 },
      ],
    });
    // Most values first, then in code order.
    expect(r.body.places.map((p) => p.code)).toEqual(['KZALA', 'JOR', 'MAR']);
    expect(r.body.selected).toEqual(['KZALA', 'JOR', 'MAR']);
    expect(r.body.points.find((s) => s.place === 'KZALA')!.points.map((p) => [p.period, p.value])).toEqual([
      ['2020', 20.5],
      ['2021', 19.5],
    ]);
    const male = await get<DataAnswer>('/api/v1/indicators/11.1.1/data?dim=SEX:M');
    expect(male.body.places.map((p) => p.code)).toEqual(['KZALA', 'MAR']);
    // Totals asked for where there are none: nothing, said plainly.
    const none = await get<DataAnswer>('/api/v1/indicators/11.1.1/data?dim=SEX:_T');
    expect(none.status).toBe(200);
    expect(none.body).toMatchObject({ places: [], points: [], pointsTotal: 0, truncated: false });
    const latest = await get<{ items: unknown[] }>('/api/v1/indicators/11.1.1/latest?dim=SEX:F');
    expect(latest.body.items).toHaveLength(3);
  });

  it('an indicator whose values are all in a series other than its default: that series is shown', async () => {
    // As an Open SDG repository gives them: each value in a series of its own code, the default one left empty.
    const file = `${['indicator,place,period,value,series,source', '11.2.1,MAAGA,2021,40,SYNTH_BUS_STOPS,Synthetic survey', '11.2.1,MAAGA,2022,41,SYNTH_BUS_STOPS,Synthetic survey'].join('\n')}\n`;
    const r = await importText(t.app, file, { format: 'csv', status: 'approved' });
    expect(r.statusCode, r.body).toBe(201);
    const data = await get<DataAnswer & { series: string }>('/api/v1/indicators/11.2.1/data?lang=en');
    expect(data.body.series).toBe('SYNTH_BUS_STOPS');
    expect(data.body.points[0]!.points.map((p) => p.value)).toEqual([40, 41]);
    // A series named by a long label, as the UK's 12.8.1 ("Extent to which global citizenship education …"): the
    // page asks for its breakdowns and latest values by that label (refused at 120 characters before).
    const label =
      `Synthetic share of bus stops within 500 metres of a home, for every district of the city, counted ${'again '.repeat(8)}`.trim();
    expect(label.length).toBeGreaterThan(120);
    const long = await importText(t.app, `indicator,place,period,value,series\n11.2.1,MAAGA,2023,42,"${label}"\n`, {
      format: 'csv',
      status: 'approved',
    });
    expect(long.statusCode, long.body).toBe(201);
    for (const path of ['breakdowns', 'latest', 'data'])
      expect((await get(`/api/v1/indicators/11.2.1/${path}?series=${encodeURIComponent(label)}`)).status).toBe(200);
    // Asked for by name, the default series still answers (empty).
    const ind = await get<{ series: { code: string; default: boolean }[] }>('/api/v1/indicators/11.2.1');
    const byDefault = ind.body.series.find((s) => s.default)!.code;
    const empty = await get<DataAnswer>(`/api/v1/indicators/11.2.1/data?series=${encodeURIComponent(byDefault)}`);
    expect(empty.body).toMatchObject({ places: [], points: [] });
  });

  it('an indicator with more than 1,000 values: every place offered, the chosen ones whole, a limit said', async () => {
    const r = await get<DataAnswer>('/api/v1/indicators/16.1.1/data?lang=en');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ key: '', pointsTotal: 1440, truncated: false, limit: 2000 });
    const b = await get<Breakdowns>('/api/v1/indicators/16.1.1/breakdowns');
    expect(b.body.total).toBe(1442);
    expect(b.body.disaggregations.map((d) => [d.key, d.values])).toEqual([
      ['', 1440],
      ['SEX:F', 1],
      ['SEX:M', 1],
    ]);
    expect(r.body.places.map((p) => p.code).sort()).toEqual([...CITIES].sort());
    expect(r.body.selected.sort()).toEqual([...CITIES].sort());
    for (const s of r.body.points) {
      expect(s.points).toHaveLength(360);
      expect(s.points[0]).toMatchObject({
        period: '1995-01',
        start: '1995-01-01',
        end: '1995-01-31',
        status: 'approved',
      });
      expect(s.points.at(-1)!.period).toBe('2024-12');
    }
    expect(r.body.sources[r.body.points[0]!.points[0]!.source!]).toEqual({
      name: 'Synthetic police records',
      names: {},
      licence: null,
      synthetic: false,
    });

    // A smaller limit keeps the latest values of every place and says so.
    const cut = await get<DataAnswer>('/api/v1/indicators/16.1.1/data?limit=1000');
    expect(cut.body).toMatchObject({ truncated: true, pointsTotal: 1440, limit: 1000 });
    expect(cut.body.points.map((s) => s.points.length)).toEqual([250, 250, 250, 250]);
    for (const s of cut.body.points) expect(s.points.at(-1)!.period).toBe('2024-12');

    // The places asked for, and only those.
    const two = await get<DataAnswer>('/api/v1/indicators/16.1.1/data?place=USLAX,JOAMM');
    expect(two.body.selected.sort()).toEqual(['JOAMM', 'USLAX']);
    expect(two.body.pointsTotal).toBe(720);
    expect(two.body.places).toHaveLength(4);
    // The public does not see provisional values; the administrator does.
    expect(r.body.places.some((p) => p.code === 'CRSJO')).toBe(false);
    const admin = await t.app.inject({
      url: '/api/v1/indicators/16.1.1/data?place=CRSJO',
      headers: { authorization: 'Bearer test-admin-token' },
    });
    expect(admin.json().points[0].points).toEqual([
      expect.objectContaining({ period: '2023-01', status: 'provisional' }),
    ]);
    // Monthly totals of four places: the answer stays small.
    expect(r.bytes).toBeLessThan(1440 * 110);
  });

  it('a place with a thousand indicators: its page answers them a page at a time, its report whole', async () => {
    // Synthetic: 1,000 indicators with six yearly totals each at Jordan, written straight into the database.
    const db = t.db.store.db;
    await sql`INSERT INTO indicators (code, names)
      SELECT 'SYN-THOUSAND-' || g, jsonb_build_object('en', 'Synthetic indicator ' || g) FROM generate_series(1, 1000) g`.execute(
      db,
    );
    await sql`INSERT INTO series (indicator_id, code, is_default)
      SELECT id, code || '-S', true FROM indicators WHERE code LIKE 'SYN-THOUSAND-%'`.execute(db);
    await sql`INSERT INTO observations (series_id, place_id, period, disagg_id, indicator_id, period_start, period_end, value, status)
      SELECT s.id, p.id, y::text, 0, s.indicator_id, make_date(y, 1, 1), make_date(y, 12, 31), y - 2000, 'approved'
        FROM series s JOIN indicators i ON i.id = s.indicator_id
        CROSS JOIN places p CROSS JOIN generate_series(2015, 2020) y
       WHERE i.code LIKE 'SYN-THOUSAND-%' AND p.code = 'JOR'`.execute(db);
    // The place summary answers them a page at a time (issue 16): 50 by default, at most 200, all reached by paging.
    type SummaryPage = {
      indicatorsTotal: number;
      indicators: { indicator: { code: string }; latest: { period: string } | null }[];
    };
    const first = await get<SummaryPage>('/api/v1/places/JOR/summary?lang=ar');
    expect(first.status).toBe(200);
    expect(first.body.indicators).toHaveLength(50);
    const total = first.body.indicatorsTotal;
    expect(total).toBeGreaterThanOrEqual(1000);
    const entries: SummaryPage['indicators'] = [];
    for (let offset = 0; offset < total; offset += 200) {
      const page = await get<SummaryPage>(`/api/v1/places/JOR/summary?lang=ar&limit=200&offset=${offset}`);
      expect(page.status).toBe(200);
      expect(page.body.indicatorsTotal).toBe(total);
      expect(page.body.indicators).toHaveLength(Math.min(200, total - offset));
      entries.push(...page.body.indicators);
    }
    const synthetic = entries.filter((i) => i.indicator.code.startsWith('SYN-THOUSAND-'));
    expect(synthetic).toHaveLength(1000);
    expect(synthetic.every((i) => i.latest?.period === '2020')).toBe(true);
    expect((await get('/api/v1/places/JOR/summary?limit=1000')).status).toBe(400);
    const report = await get<{ indicators: { national: unknown }[] }>('/api/v1/places/JOR/report?lang=en');
    expect(report.status).toBe(200);
    expect(report.body.indicators.filter((i) => i.national)).toHaveLength(1000);
  });

  it('refuses what it cannot show with a 400 or 404 naming it', async () => {
    expect((await get('/api/v1/indicators/16.1.1/data?place=NOPE')).status).toBe(400);
    expect((await get('/api/v1/indicators/16.1.1/data?dim=SEX')).status).toBe(400);
    expect((await get('/api/v1/indicators/16.1.1/data?limit=0')).status).toBe(400);
    expect((await get('/api/v1/indicators/16.1.1/data?limit=20001')).status).toBe(400);
    expect((await get('/api/v1/indicators/99.9.9/data')).status).toBe(404);
    const s = await get<{ message: string }>('/api/v1/indicators/16.1.1/data?series=NOPE');
    expect(s.status).toBe(404);
    expect(s.body.message).toContain('NOPE');
  });
});
