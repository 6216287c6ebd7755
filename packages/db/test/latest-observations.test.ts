/**
 * The latest values kept by migration 027's triggers (`latest_observations`) are, after any sequence of writes, what
 * finding the latest value of each key among the values gives: inserts, deletes, updates of value and status (an
 * approval, a value sent back), updates that move a value to another key, and emptying the table — in statements of
 * one row or of many.
 */
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlConn } from '../src/index.ts';
import { createTestDatabase, type TestDatabase, testStoreKinds } from '../src/testing/test-stores.ts';

const STATUSES = ['provisional', 'validated', 'approved'] as const;

/** Periods whose order is not their text's: a year, a quarter and a two-year period end on the same day. */
const PERIODS: [string, string, string][] = [
  ['2019', '2019-01-01', '2019-12-31'],
  ['2020', '2020-01-01', '2020-12-31'],
  ['2020-Q4', '2020-10-01', '2020-12-31'],
  ['2019-2020', '2019-01-01', '2020-12-31'],
  ['2021-03', '2021-03-01', '2021-03-31'],
];

type Op =
  | { kind: 'insert'; rows: { s: number; p: number; d: number; t: number; status: number; value: number }[] }
  | { kind: 'delete'; s: number; p: number | null }
  | { kind: 'status'; s: number; p: number | null; status: number }
  | { kind: 'value'; s: number; t: number; value: number }
  | { kind: 'move'; s: number; p: number; to: number }
  | { kind: 'truncate' };

const key = fc.record({ s: fc.nat(2), p: fc.nat(2), d: fc.nat(1), t: fc.nat(PERIODS.length - 1) });
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .array(fc.record({ k: key, status: fc.nat(2), value: fc.integer({ min: -5, max: 50 }) }), {
        minLength: 1,
        maxLength: 12,
      })
      .map((rows) => ({
        kind: 'insert' as const,
        rows: rows.map((r) => ({ ...r.k, status: r.status, value: r.value })),
      })),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('delete' as const),
      s: fc.nat(2),
      p: fc.option(fc.nat(2), { nil: null }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('status' as const),
      s: fc.nat(2),
      p: fc.option(fc.nat(2), { nil: null }),
      status: fc.nat(2),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('value' as const),
      s: fc.nat(2),
      t: fc.nat(PERIODS.length - 1),
      value: fc.integer({ min: -5, max: 50 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('move' as const), s: fc.nat(2), p: fc.nat(2), to: fc.nat(2) }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'truncate' as const }) },
);

async function apply(conn: SqlConn, o: Op): Promise<void> {
  switch (o.kind) {
    case 'insert': {
      // One statement for every row; a key given twice keeps its last row.
      const rows = new Map(o.rows.map((r) => [`${r.s}|${r.p}|${r.d}|${r.t}`, r]));
      const params: unknown[] = [];
      const tuples = [...rows.values()].map((r) => {
        const [period, start, end] = PERIODS[r.t]!;
        params.push(r.s + 1, r.p + 1, period, r.d, start, end, r.value, STATUSES[r.status]);
        const n = params.length;
        return `($${n - 7}, $${n - 6}, $${n - 5}, $${n - 4}, 1, $${n - 3}::date, $${n - 2}::date, $${n - 1}, $${n})`;
      });
      await conn.query(
        `INSERT INTO observations (series_id, place_id, period, disagg_id, indicator_id, period_start, period_end, value, status)
         VALUES ${tuples.join(', ')}
         ON CONFLICT (series_id, place_id, period, disagg_id)
         DO UPDATE SET value = excluded.value, status = excluded.status`,
        params,
      );
      return;
    }
    case 'delete':
      await conn.query('DELETE FROM observations WHERE series_id = $1 AND ($2::int IS NULL OR place_id = $2)', [
        o.s + 1,
        o.p === null ? null : o.p + 1,
      ]);
      return;
    case 'status':
      await conn.query(
        'UPDATE observations SET status = $3 WHERE series_id = $1 AND ($2::int IS NULL OR place_id = $2)',
        [o.s + 1, o.p === null ? null : o.p + 1, STATUSES[o.status]],
      );
      return;
    case 'value':
      await conn.query('UPDATE observations SET value = $3 WHERE series_id = $1 AND period = $2', [
        o.s + 1,
        PERIODS[o.t]![0],
        o.value,
      ]);
      return;
    case 'move':
      // Values of one place moved to another (where the other has none for the key).
      await conn.query(
        `UPDATE observations o SET place_id = $3 WHERE o.series_id = $1 AND o.place_id = $2
           AND NOT EXISTS (SELECT 1 FROM observations x WHERE x.series_id = o.series_id AND x.place_id = $3
                             AND x.period = o.period AND x.disagg_id = o.disagg_id)`,
        [o.s + 1, o.p + 1, o.to + 1],
      );
      return;
    case 'truncate':
      await conn.query('TRUNCATE observations');
      return;
  }
}

const KEPT = `SELECT series_id, place_id, disagg_id, approved_only, indicator_id, period,
                     to_char(period_start, 'YYYY-MM-DD') AS period_start, to_char(period_end, 'YYYY-MM-DD') AS period_end,
                     value, status, source_id
                FROM latest_observations ORDER BY 1, 2, 3, 4`;
const REFERENCE = `SELECT DISTINCT ON (series_id, place_id, disagg_id, approved_only)
                          series_id, place_id, disagg_id, approved_only, indicator_id, period,
                          to_char(period_start, 'YYYY-MM-DD') AS period_start,
                          to_char(period_end, 'YYYY-MM-DD') AS period_end, value, status, source_id
                     FROM (SELECT o.*, false AS approved_only FROM observations o
                           UNION ALL SELECT o.*, true FROM observations o WHERE o.status = 'approved') x
                    ORDER BY series_id, place_id, disagg_id, approved_only, period_end DESC, period_start, period DESC`;

describe.each(testStoreKinds())('the latest values kept as values are written, on %s', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
  }, 60_000);
  afterAll(async () => {
    await db?.drop();
  });

  it('are what reading the values gives, after any sequence of writes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
        await db.store.exclusive(async (conn) => {
          await conn.query('TRUNCATE observations');
          for (const o of ops) {
            await apply(conn, o);
            expect((await conn.query(KEPT)).rows).toEqual((await conn.query(REFERENCE)).rows);
          }
        });
      }),
      { numRuns: kind === 'postgres' ? 40 : 60 },
    );
  }, 240_000);

  // Two writers of the same key at once (PostgreSQL: each on its own connection, the second waiting on the first).
  it.runIf(kind === 'postgres')(
    'stay right when two writers of the same key commit in either order',
    async () => {
      const connect = async () => {
        const c = new pg.Client({ connectionString: db.url });
        await c.connect();
        return c;
      };
      const row = (period: string, year: number, value: number) =>
        `(1, 1, '${period}', 0, 1, make_date(${year}, 1, 1), make_date(${year}, 12, 31), ${value}, 'approved')`;
      const insert = (rows: string) =>
        `INSERT INTO observations (series_id, place_id, period, disagg_id, indicator_id, period_start, period_end, value, status) VALUES ${rows}`;
      for (const firstCommits of ['inserter', 'deleter'] as const) {
        await db.store.exclusive(async (conn) => {
          await conn.query('TRUNCATE observations');
          await conn.query(insert(`${row('2019', 2019, 1)}, ${row('2020', 2020, 2)}`));
        });
        const a = await connect();
        const b = await connect();
        try {
          await a.query('BEGIN');
          await b.query('BEGIN');
          // a: a later value (2021); b: deletes the kept latest (2020), which waits on a's kept row when a wrote first.
          if (firstCommits === 'inserter') {
            await a.query(insert(row('2021', 2021, 3)));
            const deleting = b.query("DELETE FROM observations WHERE period = '2020'");
            await new Promise((r) => setTimeout(r, 200));
            await a.query('COMMIT');
            await deleting;
            await b.query('COMMIT');
          } else {
            await b.query("DELETE FROM observations WHERE period = '2020'");
            const inserting = a.query(insert(row('2021', 2021, 3)));
            await new Promise((r) => setTimeout(r, 200));
            await b.query('COMMIT');
            await inserting;
            await a.query('COMMIT');
          }
        } finally {
          await a.end();
          await b.end();
        }
        const [kept, reference] = await db.store.exclusive(async (conn) => [
          (await conn.query<{ period: string }>(KEPT)).rows,
          (await conn.query(REFERENCE)).rows,
        ]);
        expect(kept, firstCommits).toEqual(reference);
        expect(kept.map((r) => r.period)).toEqual(['2021', '2021']);
      }
    },
    60_000,
  );

  it('keep the latest approved value apart from a later value not yet approved', async () => {
    await db.store.exclusive(async (conn) => {
      await conn.query('TRUNCATE observations');
      await apply(conn, {
        kind: 'insert',
        rows: [
          { s: 0, p: 0, d: 0, t: 1, status: 2, value: 10 },
          { s: 0, p: 0, d: 0, t: 4, status: 0, value: 12 },
        ],
      });
      const kept = (await conn.query<{ approved_only: boolean; period: string; value: number }>(KEPT)).rows;
      expect(kept.map((r) => [r.approved_only, r.period, r.value])).toEqual([
        [false, '2021-03', 12],
        [true, '2020', 10],
      ]);
      // Sent back: the approved value is no longer approved, and nothing approved is left.
      await apply(conn, { kind: 'status', s: 0, p: 0, status: 0 });
      expect((await conn.query(KEPT)).rows.map((r) => r.approved_only)).toEqual([false]);
    });
  });
});
