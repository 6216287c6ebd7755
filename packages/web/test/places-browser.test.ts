// Browser tests of the country report (/places/:code/report) and the city profile (/places/:code;
// issue 7 item 5): Debian's Chromium driven by playwright-core against the real server on a PGlite
// database with the demonstration data, in Arabic and English; axe-core on each page (no serious
// or critical violation). Skipped without /usr/bin/chromium (see browser-helpers.ts). Screenshots
// go to /tmp/marsad-shots/places-*.png.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  browserDecision,
  demoAccount,
  describeViolations,
  getJson,
  htmlLangDir,
  LANGS,
  type Lang,
  msg,
  openAs,
  plain,
  ROOT,
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
  indicators: {
    indicator: { code: string };
    national: { value: number | null } | null;
    cities: { place: string }[];
    citiesWithValues: number;
    spread: { n: number } | null;
  }[];
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

  /**
   * Where the page shows `word` followed by the number `a` `b` (a space between, any bidi marks), the left x of
   * `a` and of `b` on the screen, for each such place where both are on one line, and of `word` when it is on
   * that line too.
   */
  async function numberLayout(page: Page, word: string, a: string, b: string) {
    return page.evaluate(
      ([word, a, b]) => {
        const found: { first: number; second: number; before: number | null }[] = [];
        const rectOf = (node: Text, start: number, length: number) => {
          const r = document.createRange();
          r.setStart(node, start);
          r.setEnd(node, start + length);
          return r.getClientRects()[0] ?? null;
        };
        const gap = '[\\s\\u2066-\\u2069\\u200e]';
        const pattern = new RegExp(`${word}${gap}*(${a})${gap}+(${b})`, 'dg');
        const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let n = walk.nextNode(); n; n = walk.nextNode()) {
          const text = n as Text;
          for (const m of text.data.matchAll(pattern)) {
            const at = m.indices ?? [];
            const ra = rectOf(text, at[1]?.[0] ?? 0, a.length);
            const rb = rectOf(text, at[2]?.[0] ?? 0, b.length);
            const rw = rectOf(text, m.index, word.length);
            if (!ra || !rb || Math.abs(ra.top - rb.top) > 2) continue;
            found.push({
              first: ra.left,
              second: rb.left,
              before: rw && Math.abs(rw.top - ra.top) <= 2 ? rw.left : null,
            });
          }
        }
        return found;
      },
      [word, a, b] as const,
    );
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
      // The demonstration source in the reader's language (sources have names by language, migration 022).
      expect(plain(text)).toContain(
        lang === 'ar' ? 'بيانات مرصد التوضيحية الاصطناعية' : 'Marsad synthetic demonstration data',
      );
      // One row per national value; one row per city value in the cities' table.
      expect(await page.locator('table.national-values tbody tr').count()).toBe(
        data.indicators.filter((i) => i.national).length,
      );
      expect(await page.locator('table.city-values tbody tr').count()).toBe(
        data.indicators.reduce((n, i) => n + i.cities.length, 0),
      );
      // The spread over the cities, for each indicator with more city values than two or than are listed.
      expect(await page.locator('table.spread-values tbody tr').count()).toBe(
        data.indicators.filter((i) => i.spread && (i.spread.n > 2 || i.citiesWithValues > i.cities.length)).length,
      );
      // Links to the programmes and to the published reviews; the PDF button.
      for (const p of data.programmes)
        expect(await page.locator(`main a[href="/${lang}/programmes/${p.code}"]`).count()).toBe(1);
      for (const r of data.reviews)
        expect(await page.locator(`main a[href="/${lang}/reviews/published/${r.id}"]`).count()).toBe(1);
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
      if (lang === 'ar') {
        // 16.1.1's name "… لكل 100 000 نسمة …" (issue 15 item 4): as laid out, "100" left of "000" on one line,
        // "لكل" to their right (without the isolate, right-to-left layout put "000" first).
        const lines = await numberLayout(page, 'لكل', '100', '000');
        expect(lines.length, 'an "لكل 100 000" on one line').toBeGreaterThan(0);
        for (const l of lines) {
          expect(l.first, JSON.stringify(l)).toBeLessThan(l.second);
          if (l.before !== null) expect(l.before, JSON.stringify(l)).toBeGreaterThan(l.second);
        }
      }
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

  it("draws Kazakhstan's regions from the real regions.geojson on its page, with legend and table, in Arabic and English, desktop and phone", async () => {
    // Regions named as Kazakhstan's Open SDG translations name them; their shapes from its regions.geojson (MIT),
    // matched by the Russian kzName; values synthetic (made up for this test).
    const account = demoAccount(suite.server, 'administrator');
    const login = await fetch(new URL('/api/v1/auth/login', suite.baseURL), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: account.email, password: account.password }),
    });
    const admin = {
      cookie: (login.headers.get('set-cookie') ?? '').split(';')[0]!,
      'x-csrf-token': ((await login.json()) as { csrfToken: string }).csrfToken,
    };
    const regions = [
      ['KZAKM', 'Акмолинская', 'Akmola', 'أقمولا', 31.5],
      ['KZAKT', 'Актюбинская', 'Aktobe', 'أقتوبي', 42],
      ['KZKAR', 'Карагандинская', 'Karagandy', 'قاراغاندي', 55.5],
      ['KZPAV', 'Павлодарская', 'Pavlodar', 'بافلودار', 64],
      ['KZVOS', 'Восточно-Казахстанская', 'East Kazakhstan', 'شرق كازاخستان', 78.5],
    ] as const;
    const places = await fetch(new URL('/api/v1/places/import', suite.baseURL), {
      method: 'POST',
      headers: { ...admin, 'content-type': 'text/csv' },
      body: [
        'code,parent,level,kind,level_name_en,level_name_ar,level_name_ru,name_ru,name_en,name_ar',
        ...regions.map(([code, ru, en, ar], i) =>
          [
            code,
            'KAZ',
            'oblys',
            i ? '' : 'region',
            i ? '' : 'Region',
            i ? '' : 'منطقة',
            i ? '' : 'Область',
            ru,
            en,
            ar,
          ].join(','),
        ),
      ].join('\n'),
    });
    expect(places.status, await places.text()).toBe(201);
    const shapes = await fetch(new URL('/api/v1/places/boundaries?matchProperty=kzName&parent=KAZ', suite.baseURL), {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/geo+json' },
      body: await readFile(path.join(ROOT, '../shared/data/open-sdg/kazakhstan/regions.geojson')),
    });
    expect(shapes.status, await shapes.clone().text()).toBe(200);
    expect(((await shapes.json()) as { matched: number }).matched).toBe(5);
    const values = await fetch(new URL('/api/v1/imports?format=csv&status=approved', suite.baseURL), {
      method: 'POST',
      headers: { ...admin, 'content-type': 'text/csv' },
      body: [
        'indicator,place,period,value,unit,source',
        ...regions.map(([code, , , , v]) => `11.1.1,${code},2021,${v},PERCENT,Synthetic values (browser test)`),
      ].join('\n'),
    });
    expect(values.status, await values.text()).toBe(201);

    for (const lang of LANGS) {
      const { page, problems } = await openAs(suite.browser, suite.baseURL, null, lang, contexts);
      expect((await page.goto('/places/KAZ'))?.status()).toBe(200);
      await waitForSettled(page);
      const map = page.locator('main .area-map');
      await map.locator('svg path.area.has-value').first().waitFor({ timeout: 30_000 });
      expect(await map.locator('svg path.area.has-value').count()).toBe(5);
      const place = await getJson<{ name: string }>(suite.baseURL, `/api/v1/places/KAZ?lang=${lang}`);
      expect(await page.locator('main .place-areas h2').innerText()).toBe(
        msg(lang, 'places.areasHeading', { place: place.name }),
      );
      // The legend is text: five ranges and "no value"; the table lists each region in the reader's language.
      const legend = map.getByRole('list', { name: msg(lang, 'map.legend') });
      expect(await legend.locator('li').count()).toBeGreaterThanOrEqual(6);
      expect(await legend.innerText()).toContain(msg(lang, 'map.noValue'));
      await map.getByText(msg(lang, 'map.areaTable'), { exact: true }).click();
      const rows = map.locator('table tbody tr');
      expect(await rows.count()).toBe(5);
      expect(await map.locator('table').innerText()).toContain(lang === 'ar' ? 'شرق كازاخستان' : 'East Kazakhstan');
      const violations = await serious(page);
      expect(violations, describeViolations(violations)).toEqual([]);
      await screenshot(page, `places-regions-${lang}`);
      // On a phone the map keeps to the screen's width.
      await page.setViewportSize({ width: 390, height: 844 });
      await expect.poll(async () => (await map.locator('svg').boundingBox())?.width ?? 999).toBeLessThanOrEqual(390);
      // Nothing of the section (map, select, legend, table) reaches past the screen's edges.
      const outside = await page
        .locator('main .place-areas')
        .evaluate(
          (el) =>
            [el, ...el.querySelectorAll('*')]
              .map((e) => e.getBoundingClientRect())
              .filter((r) => r.width > 0 && (r.left < -1 || r.right > 391)).length,
        );
      expect(outside).toBe(0);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await screenshot(page, `places-regions-${lang}-phone`);
      expect(problems).toEqual([]);
    }
  });
});

// Issue 14, item 5: pages hold any data. A synthetic indicator (made up for this test) whose values are all
// broken down by sex, with no total row, at Kazakhstan and Almaty — what real SDMX-CSV and Open SDG files give,
// and what made the place page fail whole ("Something went wrong!", no header).
const SYNTHETIC_BROKEN_DOWN = `${[
  'indicator,place,period,value,source,SEX',
  'SYN-SEX-ONLY,KAZ,2019,41.5,Synthetic survey (test),F',
  'SYN-SEX-ONLY,KAZ,2019,44.5,Synthetic survey (test),M',
  'SYN-SEX-ONLY,KAZ,2021,40.5,Synthetic survey (test),F',
  'SYN-SEX-ONLY,KAZ,2021,43,Synthetic survey (test),M',
  'SYN-SEX-ONLY,KZALA,2021,38,Synthetic survey (test),F',
].join('\n')}\n`;

describe.skipIf(!decision.run)('pages with only broken-down values in Chromium', { timeout: 180_000 }, () => {
  const suite = useBrowserSuite();

  it('opens the place page and the indicator page of values without totals in Arabic and English, desktop and phone, with no error', async () => {
    const account = demoAccount(suite.server, 'administrator');
    const login = await fetch(new URL('/api/v1/auth/login', suite.baseURL), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: account.email, password: account.password }),
    });
    const admin = {
      cookie: (login.headers.get('set-cookie') ?? '').split(';')[0]!,
      'x-csrf-token': ((await login.json()) as { csrfToken: string }).csrfToken,
      'content-type': 'application/json',
    };
    const created = await fetch(new URL('/api/v1/indicators', suite.baseURL), {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({
        code: 'SYN-SEX-ONLY',
        names: { ar: 'مؤشر تجريبي مصنّف حسب الجنس فقط', en: 'Synthetic indicator broken down by sex only' },
        unit: { code: 'PERCENT' },
      }),
    });
    expect(created.status, await created.text()).toBe(201);
    const imported = await fetch(new URL('/api/v1/imports?format=csv&status=approved', suite.baseURL), {
      method: 'POST',
      headers: { ...admin, 'content-type': 'text/csv' },
      body: SYNTHETIC_BROKEN_DOWN,
    });
    expect(imported.status, await imported.text()).toBe(201);

    for (const lang of LANGS) {
      const { page, problems } = await openAs(suite.browser, suite.baseURL, null, lang, suite.contexts);
      for (const [size, viewport] of [
        ['desktop', { width: 1280, height: 900 }],
        ['phone', { width: 390, height: 844 }],
      ] as const) {
        await page.setViewportSize(viewport);
        await page.goto('/places/KAZ');
        await waitForSettled(page);
        // The header stays, no section failed, and the indicator without a total says so and links to its page.
        expect(await page.locator('header.site-header').count()).toBe(1);
        const row = page.locator('main table.place-table tbody tr', { hasText: 'SYN-SEX-ONLY' });
        await expect.poll(() => row.innerText()).toContain(msg(lang, 'places.brokenDownOnly', { n: '' }).trim());
        expect(await page.locator('[data-error-boundary]').count()).toBe(0);
        await screenshot(page, `places-broken-down-only-${lang}-${size}`);

        await page.goto('/indicators/SYN-SEX-ONLY');
        await waitForSettled(page);
        await page.locator('main .chart svg').first().waitFor({ timeout: 30_000 });
        expect(await page.locator('header.site-header').count()).toBe(1);
        expect(await page.locator('[data-error-boundary]').count()).toBe(0);
        // The largest disaggregation is shown (women: three values), and both places are offered.
        const main = await page.locator('main').innerText();
        expect(main).not.toContain(msg(lang, 'indicator.noData'));
        expect(await page.locator('main fieldset input[type="checkbox"]').count()).toBe(2);
        expect(await page.locator('main table.data').first().locator('tbody tr').count()).toBe(3);
        await screenshot(page, `indicator-broken-down-only-${lang}-${size}`);
      }
      expect(problems).toEqual([]);
    }
  });
});
