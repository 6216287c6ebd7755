/**
 * Every page of the UK's and Kazakhstan's Open SDG repositories, opened in Chromium (issue 14). Imports both whole
 * into a new database with the demonstration data (as the CI crawl does), serves it, then opens the place page of
 * each country and of every place under them with values, and the page of every indicator with values there, in
 * each language asked, and prints the counts: pages opened cleanly, pages with a problem (each listed with what went
 * wrong), and the time pages took.
 *
 *   node --import tsx scripts/crawl-open-sdg.ts [--db pglite|postgres] [--langs ar,en] [--concurrency 2]
 *                                               [--only /places/GBR,/indicators/11.1.1]
 *
 * The CI test packages/web/test/open-sdg-crawl.browser.test.ts opens a sample of these pages chosen by a fixed
 * seed. Needs Chromium at /usr/bin/chromium; --db postgres uses DATABASE_URL (a database made and dropped here).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { StoreKind } from '@marsad/db';
import { createTestDatabase } from '@marsad/db/testing';
import { buildApp, prepareDatabase } from '@marsad/server';
import { chromium } from 'playwright-core';
import {
  importRealRepository,
  REAL_REPOSITORIES,
  unexpectedOutcomes,
} from '../packages/server/test/real-repositories.ts';
import { buildWebApp, CHROMIUM, CHROMIUM_ARGS, type Lang } from '../packages/web/test/browser-helpers.ts';
import { crawl, importedPages, pageAddresses } from '../packages/web/test/page-crawl.ts';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'pglite' },
    langs: { type: 'string', default: 'ar,en' },
    concurrency: { type: 'string', default: '2' },
    /** These pages only (a recheck of pages that had a problem). */
    only: { type: 'string' },
  },
});
const kind = values.db as StoreKind;
const langs = (values.langs ?? 'ar,en').split(',') as Lang[];

buildWebApp();
const db = await createTestDatabase(kind);
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'marsad-crawl-'));
try {
  await prepareDatabase(db.store, { demo: 'yes' });
  for (const repo of REAL_REPOSITORIES) {
    const t0 = Date.now();
    const report = await importRealRepository(db.store, repo);
    const data = report.files.filter((f) => f.kind === 'data');
    const count = (o: string) => data.filter((f) => f.outcome === o).length;
    console.log(
      `${repo.folder}: ${data.length} data files, ${count('imported')} imported, ${count('refused')} refused, ${count('skipped')} skipped (archived); ${report.totals.inserted} values; ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    for (const line of unexpectedOutcomes(repo, report)) console.log(`  unexpected: ${line}`);
  }
  const pages = await importedPages(
    db.store,
    REAL_REPOSITORIES.map((r) => r.place),
  );
  const only = values.only?.split(',').filter(Boolean);
  const urls = only ?? pageAddresses(pages);
  console.log(
    `${urls.length} pages (${pages.countries.length} countries, ${pages.places.length} places under them, ${pages.indicators.length} indicators) in ${langs.join(', ')}`,
  );
  const app = await buildApp({ store: db.store, dataDir, adminToken: 'x', version: 'crawl' });
  const baseURL = await app.listen({ port: 0, host: '127.0.0.1' });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    let done = 0;
    const total = urls.length * langs.length;
    const results = await crawl(browser, baseURL, urls, langs, {
      concurrency: Number(values.concurrency) || 2,
      onPage: (r) => {
        done++;
        if (r.problems.length) console.log(`  ✗ ${r.lang} ${r.url}: ${r.problems.join('; ')}`);
        if (done % 50 === 0) console.log(`  … ${done}/${total}`);
      },
    });
    const failed = results.filter((r) => r.problems.length);
    const times = results.map((r) => r.ms).sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
    console.log(
      `Opened ${results.length} pages: ${results.length - failed.length} clean, ${failed.length} with a problem; time to settle p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms.`,
    );
    process.exitCode = failed.length ? 1 : 0;
  } finally {
    await browser.close();
    await app.close();
  }
} finally {
  await db.drop();
  await rm(dataDir, { recursive: true, force: true });
}
