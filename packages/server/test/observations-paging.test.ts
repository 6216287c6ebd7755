import { COUNT_LIMIT, dimensionsUsed } from '@marsad/db';
import { testStoreKinds } from '@marsad/db/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, importText, type TestApp } from './helpers.ts';

/**
 * Paging through observations at national scale (issue 17): pages in key order through the index, a cursor for
 * pages deeper than `offset` goes, a count that stops at COUNT_LIMIT, and the columns of an export named before
 * its first value without reading every value.
 */
describe.each(testStoreKinds())('observations paged on %s', (kind) => {
  let t: TestApp;
  const get = async (url: string) => {
    const r = await t.app.inject({ url });
    return { status: r.statusCode, body: r.json() };
  };

  beforeAll(async () => {
    t = await createTestApp(kind);
    const csv = [
      'indicator,place,period,value,status,SEX',
      '16.1.1,MAAGA,2019,3,approved,',
      '16.1.1,MAAGA,2020,4,approved,',
      '16.1.1,MAAGA,2020,2,approved,F',
      '16.1.1,MAAGA,2020,6,approved,M',
      '16.1.1,MAR,2020,2.5,approved,',
      '16.1.1,JOAMM,2020,1.5,provisional,',
      '11.1.1,MAAGA,2020,30,approved,',
    ].join('\n');
    const r = await importText(t.app, csv, { format: 'csv' });
    expect(r.statusCode, r.body).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('walks every public value once with the next cursor, in key order, whatever the page size', async () => {
    const all = await get('/api/v1/observations?limit=1000');
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(all.body.items.length);
    expect(all.body.next).toBeNull();
    const key = (o: { series: string; place: string; period: string; dims: Record<string, string> }) =>
      `${o.series}|${o.place}|${o.period}|${JSON.stringify(o.dims)}`;
    const expected = all.body.items.map(key);
    expect(expected).toContain('VC_IHR_PSRC|MAAGA|2020|{"SEX":"F"}');
    expect(expected.some((k: string) => k.includes('JOAMM'))).toBe(false);
    for (const limit of [1, 2, 3]) {
      const seen: string[] = [];
      let url = `/api/v1/observations?limit=${limit}`;
      for (let pages = 0; pages < 100; pages++) {
        const p = await get(url);
        expect(p.status).toBe(200);
        expect(p.body.items.length).toBeLessThanOrEqual(limit);
        seen.push(...p.body.items.map(key));
        if (!p.body.next) break;
        url = `/api/v1/observations?limit=${limit}&after=${encodeURIComponent(p.body.next)}`;
      }
      expect(seen).toEqual(expected);
    }
    // The cursor keeps the filter it is given with.
    const first = await get('/api/v1/observations?indicator=16.1.1&limit=2');
    const rest = await get(`/api/v1/observations?indicator=16.1.1&limit=100&after=${first.body.next}`);
    expect([...first.body.items, ...rest.body.items].map(key)).toEqual(
      expected.filter((k: string) => k.startsWith('VC_IHR_PSRC')),
    );
    expect(rest.body.next).toBeNull();
  });

  it('refuses a cursor it did not give and an offset deeper than it reads, saying what to do', async () => {
    const bad = await get('/api/v1/observations?after=not-a-cursor');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/after/);
    const forged = Buffer.from(JSON.stringify([1, 'x', 2020, 0])).toString('base64url');
    expect((await get(`/api/v1/observations?after=${forged}`)).status).toBe(400);
    const deep = await get('/api/v1/observations?offset=10001');
    expect(deep.status).toBe(400);
    expect(deep.body.message).toMatch(/offset/);
    expect((await get('/api/v1/observations?offset=10000')).status).toBe(200);
  });

  it('stops counting above the limit (total null) and still pages', async () => {
    // COUNT_LIMIT + 5 made-up approved values of a local indicator, written straight into the table.
    await sql`
      INSERT INTO indicators (code, names, local, status) VALUES ('PAGING.1', '{"en":"Paging test indicator, made up"}', true, 'active')`.execute(
      t.db.store.db,
    );
    await sql`INSERT INTO series (indicator_id, code, names, is_default) SELECT id, 'PAGING.1', names, true FROM indicators WHERE code = 'PAGING.1'`.execute(
      t.db.store.db,
    );
    await sql`
      INSERT INTO observations (series_id, place_id, period, disagg_id, indicator_id, period_start, period_end, value, status)
      SELECT s.id, p.id, 'D' || n, 0, s.indicator_id, make_date(2020, 1, 1), make_date(2020, 12, 31), n, 'approved'
        FROM series s JOIN places p ON p.code = 'MAAGA' CROSS JOIN generate_series(1, ${COUNT_LIMIT + 5}::int) n
       WHERE s.code = 'PAGING.1'`.execute(t.db.store.db);
    const many = await get('/api/v1/observations?indicator=PAGING.1&limit=3');
    expect(many.status).toBe(200);
    expect(many.body.total).toBeNull();
    expect(many.body.items).toHaveLength(3);
    expect(many.body.next).toBeTruthy();
    const few = await get('/api/v1/observations?indicator=16.1.1');
    expect(few.body.total).toBe(5);
    // The export streams them in pages that grow (100, 400, 1,600, then 5,000): every value once.
    const csv = await t.app.inject({ url: '/api/v1/observations/export?indicator=PAGING.1&format=csv' });
    expect(csv.statusCode).toBe(200);
    const lines = csv.body.trim().split('\n').slice(1);
    expect(lines).toHaveLength(COUNT_LIMIT + 5);
    const periods = new Set(lines.map((l) => /,D(\d+),/.exec(l)?.[1]));
    expect(periods.size).toBe(COUNT_LIMIT + 5);
  });

  it('names the dimensions of an export from the values, or for a large selection from the breakdowns noted as values are written', async () => {
    const pairs = await sql<{ series: string; key: string }>`
      SELECT s.code AS series, d.key FROM series_disaggregations sd
        JOIN series s ON s.id = sd.series_id JOIN disaggregations d ON d.id = sd.disagg_id
       WHERE s.code = 'VC_IHR_PSRC' ORDER BY d.key`.execute(t.db.store.db);
    expect(pairs.rows.map((r) => r.key)).toEqual(['', 'SEX=F', 'SEX=M']);
    const filter = { indicators: ['16.1.1'], statuses: ['approved' as const] };
    expect(await dimensionsUsed(t.db.store.db, filter)).toEqual(['SEX']);
    // Read as a large selection (more values than read exactly): the same answer from the noted pairs.
    expect(await dimensionsUsed(t.db.store.db, filter, 1)).toEqual(['SEX']);
    expect(await dimensionsUsed(t.db.store.db, { indicators: ['11.1.1'] })).toEqual([]);
    const csv = await t.app.inject({ url: '/api/v1/downloads/all?format=csv' });
    expect(csv.statusCode).toBe(200);
    expect(csv.body.split('\n')[0]).toMatch(/SEX/);
  });
});
