/**
 * Issue 14: real national data in the pages. The UK's and Kazakhstan's Open SDG repositories are imported whole
 * (on PGlite, with the checks of the PostgreSQL test real-repositories.test.ts: every data file but the ones
 * inconsistent in themselves, regions under their country, Sex on SEX…), then the place pages of both countries,
 * of five places under them and twenty indicator pages, chosen by a fixed seed (MARSAD_FC_SEED changes it), open in
 * Arabic and English with their heading, no error boundary or error message, no console error and no failed
 * request. Every page: `node --import tsx scripts/crawl-open-sdg.ts`.
 */

import { describe, expect, it } from 'vitest';
import {
  importedShapeProblems,
  importRealRepository,
  REAL_REPOSITORIES,
  unexpectedOutcomes,
} from '../../server/test/real-repositories.ts';
import { browserDecision, LANGS, useBrowserSuite } from './browser-helpers.ts';
import { crawl, importedPages, pageAddresses, sample } from './page-crawl.ts';

const decision = browserDecision();
if (!decision.run) console.log(decision.reason);

const SEED = Number(process.env.MARSAD_FC_SEED) || 20261206;

describe.skipIf(!decision.run)('pages of two real Open SDG repositories in Chromium', { timeout: 600_000 }, () => {
  const suite = useBrowserSuite();

  it('imports both whole on PGlite and opens the countries, five places under them and twenty indicators in Arabic and English', async () => {
    const store = suite.server.db.store;
    const started = Date.now();
    for (const repo of REAL_REPOSITORIES) {
      const report = await importRealRepository(store, repo);
      expect(unexpectedOutcomes(repo, report), repo.folder).toEqual([]);
    }
    expect(await importedShapeProblems(store)).toEqual([]);

    const all = await importedPages(
      store,
      REAL_REPOSITORIES.map((r) => r.place),
    );
    expect(all.places.length).toBeGreaterThan(5);
    expect(all.indicators.length).toBeGreaterThan(20);
    const chosen = pageAddresses({
      countries: all.countries,
      places: sample(all.places, 5, SEED),
      indicators: sample(all.indicators, 20, SEED),
    });
    const imported = Date.now();
    const results = await crawl(suite.browser, suite.baseURL, chosen, LANGS, { concurrency: 2 });
    console.log(
      `Imported both repositories in ${((imported - started) / 1000).toFixed(0)} s; opened ${results.length} pages in ${((Date.now() - imported) / 1000).toFixed(0)} s.`,
    );
    expect(results).toHaveLength(chosen.length * LANGS.length);
    const failed = results.filter((r) => r.problems.length).map((r) => `${r.lang} ${r.url}: ${r.problems.join('; ')}`);
    expect(failed).toEqual([]);
  });
});
