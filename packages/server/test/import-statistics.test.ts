/**
 * The planner's statistics of the observations are kept after large imports (issue 16; db table-statistics.ts), on
 * both databases: PGlite has no autovacuum, and without statistics the indicator page's data took seconds where it
 * takes a fraction of one. A small import leaves them as they are.
 */
import { testStoreKinds } from '@marsad/db/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, importText, type TestApp } from './helpers.ts';

describe.each(testStoreKinds())('statistics after imports on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => {
    await t?.close();
  });
  const estimate = async () =>
    Number(
      (
        await sql<{
          rows: number;
        }>`SELECT reltuples::float8 AS rows FROM pg_class WHERE oid = 'observations'::regclass`.execute(t.db.store.db)
      ).rows[0]!.rows,
    );

  it('analyses the observations after an import that changes a tenth of them or more, not after a few rows', async () => {
    const before = await estimate();
    expect(before).toBeLessThanOrEqual(0);
    const rows = Array.from({ length: 2000 }, (_, i) => `11.1.1,MAAGA,${1000 + i},${i % 100}`);
    const r = await importText(t.app, `indicator,place,period,value\n${rows.join('\n')}\n`, {
      format: 'csv',
      status: 'approved',
    });
    expect(r.statusCode, r.body).toBe(201);
    // Fewer than 30,000 rows are analysed whole: the estimate is the count.
    expect(await estimate()).toBe(2000);
    const few = await importText(t.app, 'indicator,place,period,value\n11.1.1,MAAGA,3500,1\n11.1.1,MAAGA,3501,2\n', {
      format: 'csv',
      status: 'approved',
    });
    expect(few.statusCode, few.body).toBe(201);
    expect(await estimate()).toBe(2000);
  });
});
