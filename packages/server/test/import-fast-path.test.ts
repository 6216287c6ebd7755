import type { SqlConn, Store } from '@marsad/db';
import { createTestDatabase, type TestDatabase, testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../src/imports/import-file.ts';

/**
 * Imports into a table that already holds observations (issue 17): the rows of a series that holds none yet are
 * copied straight into observations, those of a series that holds some are staged and merged. Both in one import,
 * all or nothing, with keys given twice refused either way.
 */

const HEAD = 'indicator,place,period,value\n';

/** The store, with the COPY statements its imports run written down. */
function watched(store: Store, copies: string[]): Store {
  const wrap = (conn: SqlConn): SqlConn => ({
    query: (text, params) => conn.query(text, params),
    exec: (script) => conn.exec(script),
    copyIn: (sql, chunks) => {
      copies.push(sql.split(' (')[0]!);
      return conn.copyIn(sql, chunks);
    },
    copyOut: (sql) => conn.copyOut(sql),
  });
  return { ...store, exclusive: (fn) => store.exclusive((conn) => fn(wrap(conn))) };
}

describe.each(testStoreKinds())('imports into a table holding observations, on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(kind, { catalogue: true });
    // Observations of another indicator: the table is not empty.
    const r = await run(`${HEAD}11.1.1,MAAGA,1999,1\n`);
    expect(r.report.state).toBe('committed');
  });
  afterAll(() => t?.drop());

  async function run(csv: string, o: { dryRun?: boolean } = {}) {
    const copies: string[] = [];
    const report = await importFile(
      watched(t.store, copies),
      (async function* () {
        yield csv;
      })(),
      { format: 'csv', actor: 'test', status: 'approved', rowStatusAllowed: true, createIndicators: true, ...o },
    );
    return { report, copies };
  }

  const values = async (indicator: string) =>
    (
      await t.store.exclusive((c) =>
        c.query<{ place: string; period: string; value: number; version: number }>(
          `SELECT p.code AS place, o.period, o.value, o.version FROM observations o
             JOIN indicators i ON i.id = o.indicator_id JOIN places p ON p.id = o.place_id
            WHERE i.code = $1 ORDER BY p.code, o.period`,
          [indicator],
        ),
      )
    ).rows;

  const history = async (indicator: string) =>
    (
      await t.store.exclusive((c) =>
        c.query<{ period: string; value: number }>(
          `SELECT h.period, h.value FROM observation_history h JOIN series s ON s.id = h.series_id
             JOIN indicators i ON i.id = s.indicator_id WHERE i.code = $1 ORDER BY h.period`,
          [indicator],
        ),
      )
    ).rows;

  it('copies the rows of a series without observations straight in, and stages those of one with some', async () => {
    const first = await run(`${HEAD}FAST-A,MAAGA,2020,1\nFAST-A,MAAGA,2021,2\nFAST-A,JOAMM,2020,3\n`);
    expect(first.report.state).toBe('committed');
    expect(first.report.counts).toMatchObject({ read: 3, inserted: 3, updated: 0, unchanged: 0, errors: 0 });
    expect(first.copies).toEqual(['COPY observations']);
    expect(await values('FAST-A')).toEqual([
      { place: 'JOAMM', period: '2020', value: 3, version: 1 },
      { place: 'MAAGA', period: '2020', value: 1, version: 1 },
      { place: 'MAAGA', period: '2021', value: 2, version: 1 },
    ]);

    // Again, with one value changed, one new, and rows of a new indicator: FAST-A's are merged, FAST-B's copied.
    const second = await run(
      `${HEAD}FAST-A,MAAGA,2020,1\nFAST-B,MAAGA,2020,7\nFAST-A,MAAGA,2021,2.5\nFAST-A,MAAGA,2022,4\nFAST-A,JOAMM,2020,3\nFAST-B,JOAMM,2020,8\n`,
    );
    expect(second.report.state).toBe('committed');
    expect(second.report.counts).toMatchObject({ read: 6, inserted: 3, updated: 1, unchanged: 2, errors: 0 });
    expect(new Set(second.copies)).toEqual(new Set(['COPY observations', 'COPY import_stage']));
    expect(await values('FAST-A')).toEqual([
      { place: 'JOAMM', period: '2020', value: 3, version: 1 },
      { place: 'MAAGA', period: '2020', value: 1, version: 1 },
      { place: 'MAAGA', period: '2021', value: 2.5, version: 2 },
      { place: 'MAAGA', period: '2022', value: 4, version: 1 },
    ]);
    expect(await values('FAST-B')).toEqual([
      { place: 'JOAMM', period: '2020', value: 8, version: 1 },
      { place: 'MAAGA', period: '2020', value: 7, version: 1 },
    ]);
    // The changed value's earlier version is kept.
    expect(await history('FAST-A')).toEqual([{ period: '2021', value: 2 }]);
  });

  it('counts both in a dry run, and writes nothing', async () => {
    const r = await run(`${HEAD}FAST-A,MAAGA,2020,9\nFAST-A,MAAGA,2023,5\nFAST-C,MAAGA,2020,1\n`, { dryRun: true });
    expect(r.report.state).toBe('dry-run');
    expect(r.report.counts).toMatchObject({ read: 3, inserted: 2, updated: 1, unchanged: 0, errors: 0 });
    expect((await values('FAST-A')).find((v) => v.period === '2020' && v.place === 'MAAGA')?.value).toBe(1);
    expect(await values('FAST-C')).toEqual([]);
  });

  it('refuses a key given twice among rows copied straight in, naming the second row, and writes nothing', async () => {
    const r = await run(`${HEAD}FAST-A,MAAGA,2024,1\nFAST-D,MAAGA,2020,1\nFAST-D,JOAMM,2020,2\nFAST-D,MAAGA,2020,3\n`);
    expect(r.report.state).toBe('failed');
    expect(r.report.errors).toHaveLength(1);
    expect(r.report.errors[0]).toMatchObject({ at: 5, code: 'duplicate-key' });
    expect(r.report.errors[0]!.message).toMatch(
      /same indicator, series, place, period \(2020\) and disaggregation as an earlier row/,
    );
    expect(r.report.counts).toMatchObject({ inserted: 0, updated: 0 });
    expect(await values('FAST-D')).toEqual([]);
    expect((await values('FAST-A')).some((v) => v.period === '2024')).toBe(false);
  });

  it('refuses a key given twice among staged rows, naming both rows, and writes nothing', async () => {
    const r = await run(`${HEAD}FAST-E,MAAGA,2020,1\nFAST-A,MAAGA,2025,1\nFAST-A,JOAMM,2025,2\nFAST-A,MAAGA,2025,3\n`);
    expect(r.report.state).toBe('failed');
    expect(r.report.errors).toHaveLength(1);
    expect(r.report.errors[0]).toMatchObject({ at: 5, code: 'duplicate-row', params: { period: '2025', first: '3' } });
    expect(await values('FAST-E')).toEqual([]);
    expect((await values('FAST-A')).some((v) => v.period === '2025')).toBe(false);
  });

  it('names the earlier line first when a key is given twice on lines 9 and 10', async () => {
    const rows = ['FAST-A,JOAMM,2026,1', 'FAST-A,JOAMM,2027,1', 'FAST-A,JOAMM,2028,1', 'FAST-A,JOAMM,2029,1'];
    const r = await run(
      `${HEAD}FAST-E,MAAGA,2020,1\n${[...rows, 'FAST-A,JOAMM,2030,1', 'FAST-A,JOAMM,2031,1', 'FAST-A,MAAGA,2031,1', 'FAST-A,MAAGA,2031,2'].join('\n')}\n`,
    );
    expect(r.report.state).toBe('failed');
    expect(r.report.errors[0]).toMatchObject({ at: 10, code: 'duplicate-row', params: { period: '2031', first: '9' } });
  });

  it('stages a new series when its indicator has rules over sets of values', async () => {
    await t.store.exclusive((c) =>
      c.query(`INSERT INTO indicators (code, names, validation_rules) VALUES ('FAST-R', '{"en":"R"}', $1::jsonb)`, [
        JSON.stringify({ maxChangePercent: 50 }),
      ]),
    );
    const r = await run(`${HEAD}FAST-R,MAAGA,2020,10\nFAST-R,MAAGA,2021,30\nFAST-F,MAAGA,2020,1\n`);
    expect(r.report.state).toBe('failed');
    expect(r.report.errors[0]).toMatchObject({ at: 3, code: 'change-needs-comment' });
    expect(await values('FAST-F')).toEqual([]);
  });
});
