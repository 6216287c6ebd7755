/**
 * The UK's and Kazakhstan's Open SDG data repositories imported whole, one after the other, into one database with
 * the catalogue (issue 14): every data file imports except the ones REAL_REPOSITORIES names (inconsistent in
 * themselves, or breaking a validation rule), and the data lands in the right shape.
 *
 * On the PostgreSQL server only: the browser crawl (packages/web/test/open-sdg-crawl.browser.test.ts) imports
 * both on PGlite with the same functions and checks, then opens their pages, so that the ~45 s of importing them
 * on PGlite is paid once in CI.
 */
import { createTestDatabase, type TestDatabase, testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  importedShapeProblems,
  importRealRepository,
  REAL_REPOSITORIES,
  unexpectedOutcomes,
} from './real-repositories.ts';

const kinds = testStoreKinds().filter((k) => k === 'postgres');

// Without DATABASE_URL, a skipped test says where the PGlite import is (a file with no test at all fails).
if (kinds.length === 0)
  it.skip('imports both whole on the PostgreSQL server (DATABASE_URL); on PGlite: open-sdg-crawl.browser.test.ts', () =>
    undefined);

describe.each(kinds)('the UK and Kazakhstan repositories imported whole on %s', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(kind, { catalogue: true });
  }, 60_000);
  afterAll(async () => {
    await db?.drop();
  });

  for (const repo of REAL_REPOSITORIES)
    it(`imports every data file of ${repo.folder} but the ones inconsistent in themselves`, {
      timeout: 300_000,
    }, async () => {
      const report = await importRealRepository(db.store, repo);
      expect(unexpectedOutcomes(repo, report)).toEqual([]);
      expect(report.state).toBe('partial');
    });

  it('lands regions under their country, Sex on SEX, attributes as attributes, and the metadata', async () => {
    expect(await importedShapeProblems(db.store)).toEqual([]);
  });
});
