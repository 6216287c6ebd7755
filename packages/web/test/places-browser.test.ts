// Browser tests of the country report (/places/:code/report) and the city profile (/places/:code;
// issue 7 item 5): Debian's Chromium driven by playwright-core against the real server on a PGlite
// database with the demonstration data, in Arabic and English; axe-core on each page (no serious
// or critical violation). Skipped without /usr/bin/chromium (see browser-helpers.ts). Screenshots
// go to /tmp/marsad-shots/places-*.png.

import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  browserDecision,
  describeViolations,
  getJson,
  htmlLangDir,
  LANGS,
  type Lang,
  msg,
  openAs,
  runAxe,
  screenshot,
  useBrowserSuite,
  waitForSettled,
} from './browser-helpers.ts';

const decision = browserDecision();
if (decision.reason && !decision.run) console.warn(decision.reason);

interface Report {
  place: { name: string };
  cities: { code: string; name: string }[];
  indicators: { indicator: { code: string }; national: { value: number | null } | null; cities: { place: string }[] }[];
  programmes: { code: string; name: string }[];
  reviews: { id: number }[];
}

describe.skipIf(!decision.run)('country report and city profile in Chromium', { timeout: 120_000 }, () => {
  const suite = useBrowserSuite();
  const contexts = suite.contexts;

  const serious = async (page: Page) =>
    (await runAxe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');

  /** The public page at `url` in `lang`, with its data and its chart drawn. */
  async function open(url: string, lang: Lang): Promise<{ page: Page; problems: string[] }> {
    const { page, problems } = await openAs(suite.browser, suite.baseURL, null, lang, contexts);
    const res = await page.goto(url);
    expect(res?.status(), url).toBe(200);
    await waitForSettled(page);
    await page.locator('main .chart svg').first().waitFor({ timeout: 30_000 });
    return { page, problems };
  }

  for (const lang of LANGS) {
    it(`shows Morocco's country report in ${lang}: national and city values with status and source, chart, programmes, reviews; no serious axe violation`, async () => {
      const data = await getJson<Report>(suite.baseURL, `/api/v1/places/MAR/report?lang=${lang}`);
      expect(data.cities.map((c) => c.code)).toContain('MAAGA');
      expect(data.reviews.length).toBeGreaterThan(0);
      const { page, problems } = await open('/places/MAR/report', lang);
      expect(await htmlLangDir(page)).toEqual({ lang, dir: lang === 'ar' ? 'rtl' : 'ltr' });
      await expect
        .poll(() => page.locator('main h1').innerText())
        .toBe(msg(lang, 'countryReport.title', { country: data.place.name }));
      const main = page.locator('main');
      await expect.poll(() => main.innerText()).toContain(msg(lang, 'countryReport.national'));
      const text = await main.innerText();
      for (const key of [
        'countryReport.cities',
        'countryReport.programmes',
        'countryReport.reviews',
        'status.approved',
        'table.source',
      ])
        expect(text, key).toContain(msg(lang, key));
      expect(text).toContain(data.cities.find((c) => c.code === 'MAAGA')!.name);
      expect(text).toContain('Marsad synthetic demonstration data');
      // One row per national value; one row per city value in the cities' table.
      expect(await page.locator('table.national-values tbody tr').count()).toBe(
        data.indicators.filter((i) => i.national).length,
      );
      expect(await page.locator('table.city-values tbody tr').count()).toBe(
        data.indicators.reduce((n, i) => n + i.cities.length, 0),
      );
      // Links to the programmes and to the published reviews; the PDF button.
      for (const p of data.programmes)
        expect(await page.locator(`main a[href="/programmes/${p.code}"]`).count()).toBe(1);
      for (const r of data.reviews)
        expect(await page.locator(`main a[href="/reviews/published/${r.id}"]`).count()).toBe(1);
      await expect.poll(() => page.getByRole('button', { name: msg(lang, 'pdf.button'), exact: true }).count()).toBe(1);
      // The chart is described by its table, and the table lists the country and its cities.
      const chart = page.locator('main .report-chart .chart');
      const tableId = await chart.getAttribute('aria-describedby');
      expect(await page.locator(`[id="${tableId}"] tbody tr`).count()).toBeGreaterThanOrEqual(2);
      await screenshot(page, `places-country-report-${lang}`);
      const violations = await serious(page);
      expect(violations, describeViolations(violations)).toEqual([]);
      // Printed, the chart is drawn again at its fixed size (170 mm, narrower than an A4 page).
      await page.emulateMedia({ media: 'print' });
      await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
      await expect
        .poll(async () => Number(await chart.locator('svg').first().getAttribute('width')))
        .toBeLessThanOrEqual(Math.ceil((170 / 25.4) * 96));
      expect(problems).toEqual([]);
    });

    it(`shows Agadir's profile in ${lang} with status, source, the date of the data, a chart; Morocco's page links to its report`, async () => {
      const { page, problems } = await open('/places/MAAGA', lang);
      const headers = await page.locator('main table.place-table thead th').allInnerTexts();
      expect(headers).toEqual(expect.arrayContaining([msg(lang, 'table.status'), msg(lang, 'table.source')]));
      const text = await page.locator('main').innerText();
      expect(text).toContain(msg(lang, 'status.approved'));
      expect(text).toContain(msg(lang, 'places.chartHeading'));
      expect(await page.locator('main .data-date').innerText()).toMatch(
        lang === 'ar' ? /^البيانات حتى/ : /^Data up to/,
      );
      await screenshot(page, `places-city-${lang}`);
      const violations = await serious(page);
      expect(violations, describeViolations(violations)).toEqual([]);
      expect(problems).toEqual([]);

      const country = await open('/places/MAR', lang);
      await country.page.getByRole('link', { name: msg(lang, 'places.countryReport'), exact: true }).click();
      await country.page.waitForURL('**/places/MAR/report');
      await waitForSettled(country.page);
      expect(country.problems).toEqual([]);
      // The report is made for countries: a city's address answers 404.
      expect((await fetch(new URL('/places/MAAGA/report', suite.baseURL))).status).toBe(404);
    });
  }
});
