// The order in which Vitest starts the test files of `npm test` (vitest.config.ts): the longest first, so that the two
// workers end together instead of one running a two-minute file alone at the end while the other waits.
//
// Vitest's own order uses the durations of the last run on this machine (node_modules/.vite/vitest/…/results.json),
// else the size of the files. A clean clone (CI) has no such results, so before this file the longest files started
// wherever their size put them: `real-repositories.test.ts` (two minutes on the PostgreSQL server, a small file) ran
// last there, and `cli/test/report.test.ts` last on PGlite. Worse, CI's second run (the PostgreSQL server) read the
// results of the first (PGlite), where real-repositories.test.ts takes no time at all.
//
// The table below is the seconds each long file took in CI's runs (a25b40d + this change, loaded 2-core machine), on
// PGlite and on the PostgreSQL server; it only orders the files, so it may be rough and need not list the short ones
// (they follow, largest first, as Vitest would order them without results). Add a file here when it takes more than
// ~10 s.
import { statSync } from 'node:fs';
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Seconds on [PGlite, the PostgreSQL server]. */
const SECONDS: Record<string, [number, number]> = {
  'packages/cli/test/publish.test.ts': [140, 0],
  'packages/server/test/real-repositories.test.ts': [0, 125],
  'packages/cli/test/cli.test.ts': [95, 70],
  'packages/cli/test/sdmx.test.ts': [54, 15],
  'packages/server/test/sdmx-structures.test.ts': [15, 15],
  'packages/server/test/sdmx-rest.test.ts': [15, 10],
  'packages/server/test/sdmx-rest-sdg.test.ts': [13, 12],
  'packages/server/test/sdmx-un-export.test.ts': [8, 6],
  'packages/server/test/xlsform-features.test.ts': [5, 9],
  'packages/server/test/approval-send-back.test.ts': [8, 10],
  'packages/server/test/web-routes-direct.test.ts': [14, 0],
  'packages/server/test/robustness/hostile-bodies.test.ts': [70, 90],
  'packages/server/test/robustness/hostile-imports.test.ts': [50, 90],
  'packages/server/test/pdf-report.test.ts': [80, 0],
  'packages/server/test/safety-monitor-pdf.test.ts': [80, 0],
  'packages/server/test/safety-monitor.test.ts': [10, 10],
  'packages/server/test/authorisation-places.test.ts': [30, 58],
  'packages/cli/test/backup.test.ts': [41, 34],
  'packages/cli/test/user.test.ts': [25, 38],
  'packages/cli/test/report.test.ts': [37, 0],
  'packages/server/test/formats/streaming.test.ts': [36, 0],
  'packages/server/test/authorisation-matrix.test.ts': [18, 33],
  'packages/server/test/auth.test.ts': [26, 32],
  'packages/server/test/csv-injection.test.ts': [24, 18],
  'packages/server/test/public-cache.test.ts': [22, 17],
  'packages/server/test/observations-paging.test.ts': [14, 21],
  'packages/cli/test/pull-dhis2.test.ts': [15, 7],
  'packages/cli/test/pull-sdmx.test.ts': [14, 5],
  'packages/server/test/knowledge-pdf-limits.test.ts': [11, 13],
  'packages/server/test/round-trip.test.ts': [11, 13],
  'packages/server/test/imports.test.ts': [10, 12],
  'packages/db/test/migrate.test.ts': [12, 5],
  'packages/server/test/knowledge-api.test.ts': [6, 13],
  'packages/server/test/questionnaire-xlsform-limits.test.ts': [6, 11],
  'packages/db/test/backup.test.ts': [7, 11],
  'packages/server/test/drawn-pages.test.ts': [3, 11],
  'packages/server/test/login-limits.test.ts': [9, 10],
  'packages/core/test/period.test.ts': [9, 0],
  'packages/server/test/reviews.test.ts': [7, 9],
  'packages/server/test/offline-sync.test.ts': [7, 9],
  'packages/server/test/pwa-routes.test.ts': [9, 0],
};

/** The databases this run uses (packages/db/src/testing/test-stores.ts, testStoreKinds). */
function weightOf(file: string): number {
  const [pglite, postgres] = SECONDS[file] ?? [0, 0];
  if (!process.env.DATABASE_URL) return pglite;
  return process.env.MARSAD_TEST_SERVER_ONLY === '1' ? postgres : pglite + postgres;
}

export default class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const key = (f: TestSpecification) => {
      const rel = path.relative(root, f.moduleId).split(path.sep).join('/');
      let size = 0;
      try {
        size = statSync(f.moduleId).size;
      } catch {
        // A file removed since it was listed: Vitest says so when it runs it.
      }
      return { weight: weightOf(rel), size, rel };
    };
    const keyed = files.map((f) => ({ f, k: key(f) }));
    keyed.sort((a, b) => b.k.weight - a.k.weight || b.k.size - a.k.size || (a.k.rel < b.k.rel ? -1 : 1));
    return keyed.map(({ f }) => f);
  }
}
