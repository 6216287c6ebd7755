/**
 * The home page's latest updates, read from the newest approved values down (web-api/home-queries.ts, issue 16),
 * give what grouping every approved value gives: for generated tables of values written together (an import's
 * values share their time), at other times, approved or not, with and without a batch, for every size asked.
 */
import { createTestDatabase, type TestDatabase, testStoreKinds } from '@marsad/db/testing';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { homeCounts, latestUpdates } from '../src/web-api/home-queries.ts';

interface Row {
  series: number;
  place: number;
  period: number;
  batch: number | null;
  time: number;
  approved: boolean;
  source: number | null;
}

describe.each(testStoreKinds())('the home page reads on %s', (kind) => {
  let db: TestDatabase;
  let series: { id: number; indicator_id: number }[];
  let places: number[];
  let sources: number[];
  beforeAll(async () => {
    db = await createTestDatabase(kind, { catalogue: true });
    series = await db.store.db.selectFrom('series').select(['id', 'indicator_id']).orderBy('id').limit(4).execute();
    places = (await db.store.db.selectFrom('places').select('id').orderBy('id').limit(3).execute()).map((p) => p.id);
    sources = [];
    for (const name of ['Home test source A', 'Home test source B'])
      sources.push(
        (await db.store.db.insertInto('sources').values({ name }).returning('id').executeTakeFirstOrThrow()).id,
      );
  }, 60_000);
  afterAll(async () => {
    await db?.drop();
  });

  const reference = async (limit: number) =>
    (
      await sql<{ batchId: number | null; indicatorId: number; placeId: number; n: number; latestPeriod: string }>`
        SELECT batch_id AS "batchId", indicator_id AS "indicatorId", place_id AS "placeId", count(*)::int AS n,
               (array_agg(period ORDER BY period_end DESC, period_start ASC, period DESC))[1] AS "latestPeriod"
          FROM observations WHERE status = 'approved'
         GROUP BY batch_id, indicator_id, place_id
         ORDER BY max(updated_at) DESC, batch_id DESC, indicator_id, place_id
         LIMIT ${limit}`.execute(db.store.db)
    ).rows;

  it('gives the newest groups of approved values, as grouping every approved value does', async () => {
    const row = fc.record({
      series: fc.nat(3),
      place: fc.nat(2),
      period: fc.integer({ min: 2000, max: 2030 }),
      batch: fc.option(fc.nat(4), { nil: null }),
      time: fc.nat(6),
      approved: fc.boolean(),
      source: fc.option(fc.nat(1), { nil: null }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { maxLength: 80 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 3 }),
        async (rows, limit, firstTimes) => {
          // The key is (series, place, period): the last row of a key stands.
          const byKey = new Map<string, Row>();
          for (const r of rows) byKey.set(`${r.series}|${r.place}|${r.period}`, r);
          await db.store.exclusive(async (conn) => {
            await conn.query('DELETE FROM observations');
            for (const r of byKey.values()) {
              const s = series[r.series]!;
              // Rows of one batch share its time, as an import's do; other rows are apart.
              const time = r.batch === null ? r.time : r.batch;
              await conn.query(
                `INSERT INTO observations (series_id, place_id, period, disagg_id, indicator_id, period_start, period_end,
                 value, status, source_id, batch_id, updated_at)
               VALUES ($1, $2, $3, 0, $4, make_date($5, 1, 1), make_date($5, 12, 31), 1, $6, $7, $8,
                 timestamptz '2026-01-01 00:00:00+00' + make_interval(mins => $9))`,
                [
                  s.id,
                  places[r.place],
                  String(r.period),
                  s.indicator_id,
                  r.period,
                  r.approved ? 'approved' : 'provisional',
                  r.source === null ? null : sources[r.source],
                  r.batch,
                  time,
                ],
              );
            }
          });
          // Reading fewer times first makes it read more, as with a large import among the newest values.
          const got = await latestUpdates(db.store, limit, firstTimes);
          expect(
            got.map(({ batchId, indicatorId, placeId, n, latestPeriod }) => ({
              batchId,
              indicatorId,
              placeId,
              n,
              latestPeriod,
            })),
          ).toEqual(await reference(limit));
          const approved = [...byKey.values()].filter((r) => r.approved);
          const counts = await homeCounts(db.store);
          expect(counts.observations).toBe(approved.length);
          expect(counts.sources).toBe(new Set(approved.filter((r) => r.source !== null).map((r) => r.source)).size);
          expect(counts.lastUpdate === null).toBe(approved.length === 0);
        },
      ),
      { numRuns: 25, seed: 20261206 },
    );
  }, 120_000);

  it('keeps its counts through updates, deletes and truncation of values (observation_counts, migration 026)', async () => {
    const exact = async () =>
      (
        await sql<{ n: number; sources: number }>`
          SELECT count(*)::int AS n, count(DISTINCT source_id)::int AS sources FROM observations WHERE status = 'approved'`.execute(
          db.store.db,
        )
      ).rows[0]!;
    const check = async () => {
      const want = await exact();
      const got = await homeCounts(db.store);
      expect({ n: got.observations, sources: got.sources }).toEqual(want);
    };
    const s = series[0]!;
    await sql`DELETE FROM observations`.execute(db.store.db);
    await sql`
      INSERT INTO observations (series_id, place_id, period, disagg_id, indicator_id, period_start, period_end, value, status, source_id)
      SELECT ${s.id}, ${places[0]}, y::text, 0, ${s.indicator_id}, make_date(y, 1, 1), make_date(y, 12, 31), 1,
             CASE WHEN y % 2 = 0 THEN 'approved' ELSE 'provisional' END, ${sources[0]}
        FROM generate_series(1900, 2099) y`.execute(db.store.db);
    await check();
    // Approving some, moving others to another source, then deleting a few: each statement counted once.
    await sql`UPDATE observations SET status = 'approved' WHERE period::int < 1950`.execute(db.store.db);
    await check();
    await sql`UPDATE observations SET source_id = ${sources[1]} WHERE period::int % 3 = 0`.execute(db.store.db);
    await check();
    await sql`UPDATE observations SET source_id = NULL WHERE period::int % 7 = 0`.execute(db.store.db);
    await check();
    await sql`DELETE FROM observations WHERE period::int > 2050`.execute(db.store.db);
    await check();
    await sql`TRUNCATE observations`.execute(db.store.db);
    await check();
    // The breakdowns noted for exports go with the values (a restore truncates before loading).
    const noted = await sql<{ n: number }>`SELECT count(*)::int AS n FROM series_disaggregations`.execute(db.store.db);
    expect(noted.rows[0]!.n).toBe(0);
  }, 60_000);
});
