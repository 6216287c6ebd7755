/**
 * Opening many pages of imported data in Chromium and saying which did not open cleanly (issue 14: pages hold any
 * data). Shared by the CI crawl (open-sdg-crawl.browser.test.ts: a sample chosen by a fixed seed) and by
 * scripts/crawl-open-sdg.ts (every page).
 */
import { seededRandom } from '@marsad/core';
import type { Store } from '@marsad/db';
import type { Browser, BrowserContext } from 'playwright-core';
import { collectProblems, type Lang, newContext, waitForSettled } from './browser-helpers.ts';

/** The pages of what was imported for the given countries: the countries, the places under them, the indicators. */
export interface ImportedPages {
  countries: string[];
  /** Places under the countries (any depth) that have values. */
  places: string[];
  /** Indicators with values at the countries or under them. */
  indicators: string[];
}

export async function importedPages(store: Store, countries: string[]): Promise<ImportedPages> {
  return store.exclusive(async (conn) => {
    const places = await conn.query<{ code: string }>(
      `SELECT p.code FROM places p JOIN places c ON p.path LIKE c.path || '%' AND p.id <> c.id
        WHERE c.code = ANY($1) AND EXISTS (SELECT 1 FROM observations o WHERE o.place_id = p.id)
        ORDER BY p.code`,
      [countries],
    );
    const indicators = await conn.query<{ code: string }>(
      `SELECT DISTINCT i.code FROM indicators i JOIN observations o ON o.indicator_id = i.id
         JOIN places p ON p.id = o.place_id JOIN places c ON p.path LIKE c.path || '%'
        WHERE c.code = ANY($1) ORDER BY i.code`,
      [countries],
    );
    return { countries, places: places.rows.map((r) => r.code), indicators: indicators.rows.map((r) => r.code) };
  });
}

/** n items of the list chosen by the seed, in the list's order. */
export function sample<T>(list: readonly T[], n: number, seed: number): T[] {
  const next = seededRandom(seed);
  const indexes = list.map((_, i) => i);
  for (let i = indexes.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [indexes[i], indexes[j]] = [indexes[j]!, indexes[i]!];
  }
  return indexes
    .slice(0, n)
    .sort((a, b) => a - b)
    .map((i) => list[i]!);
}

export function pageAddresses(pages: ImportedPages): string[] {
  return [
    ...pages.countries.map((c) => `/places/${encodeURIComponent(c)}`),
    ...pages.places.map((c) => `/places/${encodeURIComponent(c)}`),
    ...pages.indicators.map((c) => `/indicators/${encodeURIComponent(c)}`),
  ];
}

export interface CrawlResult {
  url: string;
  lang: Lang;
  /** Empty when the page opened with its heading, no error shown, no console error and no failed request. */
  problems: string[];
  ms: number;
}

/**
 * Opens each address in each language, `concurrency` pages at a time per language (one browser context per
 * language), and reports each page: opened cleanly, or what went wrong (an error boundary or error message shown,
 * a console error, a failed request, no heading).
 */
export async function crawl(
  browser: Browser,
  baseURL: string,
  urls: readonly string[],
  langs: readonly Lang[],
  options: { concurrency?: number; onPage?: (r: CrawlResult) => void } = {},
): Promise<CrawlResult[]> {
  const results: CrawlResult[] = [];
  for (const lang of langs) {
    const ctx: BrowserContext = await newContext(browser, baseURL, { lang });
    try {
      let next = 0;
      const worker = async () => {
        const page = await ctx.newPage();
        const problems = collectProblems(page);
        try {
          while (next < urls.length) {
            const url = urls[next++]!;
            problems.length = 0;
            const started = Date.now();
            const own: string[] = [];
            try {
              const answer = await page.goto(url);
              if (answer?.status() !== 200) own.push(`HTTP ${answer?.status()} for the page`);
              await waitForSettled(page, 60_000);
              const boundaries = await page.locator('[data-error-boundary]').count();
              if (boundaries) own.push(`${boundaries} error boundary shown`);
            } catch (err) {
              own.push((err as Error).message.split('\n')[0] ?? String(err));
            }
            const r = { url, lang, problems: [...own, ...problems], ms: Date.now() - started };
            results.push(r);
            options.onPage?.(r);
          }
        } finally {
          await page.close();
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 2) }, worker));
    } finally {
      await ctx.close();
    }
  }
  return results;
}
