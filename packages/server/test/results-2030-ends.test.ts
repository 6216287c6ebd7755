/**
 * The 2030 targets read, of each series at each place, the first yearly value, the baseline year's and the latest
 * (results/observed-values.ts, approvedYearlyEnds; issue 17): for generated values — yearly and not, approved and
 * not, totals and broken down — they are those values of what reading every yearly value gives, passing over the
 * values a suppression rule withholds from the public.
 */
import { createTestDatabase, type TestDatabase, testStoreKinds } from '@marsad/db/testing';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvedYearlyEnds, approvedYearlyValues, type ObservedValue } from '../src/results/observed-values.ts';

describe.each(testStoreKinds())('the values the 2030 targets read on %s', (kind) => {
  let db: TestDatabase;
  let series: { id: number; indicator_id: number }[];
  let places: number[];
  beforeAll(async () => {
    db = await createTestDatabase(kind, { catalogue: true });
    series = await db.store.db
      .selectFrom('series')
      .select(['id', 'indicator_id'])
      .where('is_default', '=', true)
      .orderBy('id')
      .limit(3)
      .execute();
    places = (await db.store.db.selectFrom('places').select('id').orderBy('id').limit(3).execute()).map((p) => p.id);
    // The third series' indicator withholds values below 5 from the public.
    await sql`UPDATE indicators SET suppression = '{"minCount": 5}'::jsonb WHERE id = ${series[2]!.indicator_id}`.execute(
      db.store.db,
    );
  }, 60_000);
  afterAll(async () => {
    await db?.drop();
  });

  const key = (v: ObservedValue) => ({ s: v.seriesId, p: v.placeId, year: v.year, value: v.value, source: v.source });

  it('gives the first, the baseline and the latest yearly value of what reading them all gives', async () => {
    const row = fc.record({
      series: fc.nat(2),
      place: fc.nat(2),
      year: fc.integer({ min: 2010, max: 2025 }),
      quarter: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null, freq: 4 }),
      total: fc.boolean(),
      approved: fc.boolean(),
      value: fc.integer({ min: 0, max: 20 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 60 }), fc.integer({ min: 2012, max: 2020 }), async (rows, base) => {
        await db.store.exclusive(async (conn) => {
          await conn.query('DELETE FROM observations');
          const seen = new Set<string>();
          for (const r of rows) {
            const period = r.quarter === null ? String(r.year) : `${r.year}-Q${r.quarter}`;
            const disagg = r.total ? 0 : 1;
            const k = `${r.series}|${r.place}|${period}|${disagg}`;
            if (seen.has(k)) continue;
            seen.add(k);
            const s = series[r.series]!;
            await conn.query(
              `INSERT INTO observations (series_id, place_id, period, disagg_id, indicator_id, period_start, period_end, value, status)
               VALUES ($1, $2, $3, (SELECT min(id) FROM disaggregations WHERE id = 0 OR $4::int = 1 AND id > 0),
                       $5, make_date($6, 1, 1), make_date($6, 12, 31), $7, $8)`,
              [
                s.id,
                places[r.place],
                period,
                disagg,
                s.indicator_id,
                r.year,
                r.value,
                r.approved ? 'approved' : 'provisional',
              ],
            );
          }
        });
        const ids = series.map((s) => s.id);
        const all = await approvedYearlyValues(db.store.db, ids, places);
        const ends = await approvedYearlyEnds(db.store.db, ids, places, base);
        const want: ObservedValue[] = [];
        for (const s of ids)
          for (const p of places) {
            // What the public sees: a suppressed value (null) is never used.
            const values = all.filter((v) => v.seriesId === s && v.placeId === p && v.value !== null);
            const chosen = [values[0], values.find((v) => v.year === base), values[values.length - 1]];
            want.push(...values.filter((v) => chosen.includes(v)));
          }
        expect(ends.map(key)).toEqual(want.map(key));
      }),
      { numRuns: 20, seed: 20261207 },
    );
  }, 120_000);
});
