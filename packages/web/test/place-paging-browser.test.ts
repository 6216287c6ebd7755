// Browser test of the place page's pager (issue 16: the place summary answers a page of entries at a time, and
// the latest values of a long series): Debian's Chromium against the real server on the demonstration data,
// with 60 more series at Amman and one monthly series of five years. Skipped without /usr/bin/chromium.

import { describe, expect, it } from 'vitest';
import {
  browserDecision,
  demoAccount,
  describeViolations,
  getJson,
  LANGS,
  msg,
  openAs,
  runAxe,
  screenshot,
  useBrowserSuite,
  waitForSettled,
} from './browser-helpers.ts';

const decision = browserDecision();
if (decision.reason && !decision.run) console.warn(decision.reason);

const MONTHS = Array.from(
  { length: 60 },
  (_, i) => `${2020 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
);
const DATA = `${[
  'indicator,place,period,value,series,source',
  ...Array.from(
    { length: 60 },
    (_, i) => `11.1.1,JOAMM,2021,${20 + (i % 30)},Paging series ${String(i).padStart(2, '0')},Synthetic survey (test)`,
  ),
  ...MONTHS.map((m, i) => `1.1.1,JOAMM,${m},${(30 - i * 0.1).toFixed(1)},Paging monthly,Synthetic survey (test)`),
].join('\n')}\n`;

describe.skipIf(!decision.run)('the place page pages through its indicators in Chromium', { timeout: 180_000 }, () => {
  const suite = useBrowserSuite();

  it('shows 50 entries with a pager, the next page, and says a long series is cut, in Arabic and English', async () => {
    const account = demoAccount(suite.server, 'administrator');
    const login = await fetch(new URL('/api/v1/auth/login', suite.baseURL), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: account.email, password: account.password }),
    });
    const imported = await fetch(new URL('/api/v1/imports?format=csv&status=approved', suite.baseURL), {
      method: 'POST',
      headers: {
        cookie: (login.headers.get('set-cookie') ?? '').split(';')[0]!,
        'x-csrf-token': ((await login.json()) as { csrfToken: string }).csrfToken,
        'content-type': 'text/csv',
      },
      body: DATA,
    });
    expect(imported.status, await imported.text()).toBe(201);
    const { indicatorsTotal: total } = await getJson<{ indicatorsTotal: number }>(
      suite.baseURL,
      '/api/v1/places/JOAMM/summary?limit=1',
    );
    expect(total).toBeGreaterThan(60);

    // Drawn on the server too: the first page and its pager are in the HTML.
    const html = await (await fetch(new URL('/en/places/JOAMM', suite.baseURL))).text();
    expect(html).toContain('class="pager"');

    for (const lang of LANGS) {
      const { page, problems } = await openAs(suite.browser, suite.baseURL, null, lang, suite.contexts);
      await page.goto('/places/JOAMM');
      await waitForSettled(page);
      const rows = page.locator('main table.place-table tbody tr');
      await expect.poll(() => rows.count()).toBe(50);
      const pager = page.locator('main nav.pager');
      const where = (from: number, to: number) =>
        msg(lang, 'admin.pager.where', { from: String(from), to: String(to), total: String(total) });
      // The numbers of a text in Latin digits (Arabic shows its own), without the rest.
      const digits = (s: string) =>
        s
          .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x660))
          .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x6f0))
          .replace(/[^\d–-]/g, '');
      expect(digits(await pager.innerText())).toContain(digits(where(1, 50)));
      // The monthly series comes first (1.1.1) and has the most values: the chart shows its latest 40 of 60.
      await page.locator('main .chart svg').first().waitFor({ timeout: 30_000 });
      const cut = msg(lang, 'places.pointsCut', { shown: '40', total: '60' });
      expect(digits(await page.locator('main .place-chart').innerText())).toContain(digits(cut));
      await expect.poll(() => page.locator('main .place-chart table tbody tr').count()).toBe(40);
      const serious = (await runAxe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(serious, describeViolations(serious)).toEqual([]);
      await screenshot(page, `place-paging-${lang}-1`);

      const firstRow = await rows.first().innerText();
      await pager.getByRole('button', { name: msg(lang, 'admin.pager.next') }).click();
      await expect.poll(() => rows.count()).toBe(total - 50);
      expect(digits(await pager.innerText())).toContain(digits(where(51, total)));
      expect(await rows.first().innerText()).not.toBe(firstRow);
      expect(await page.locator('[data-error-boundary]').count()).toBe(0);
      await screenshot(page, `place-paging-${lang}-2`);
      await pager.getByRole('button', { name: msg(lang, 'admin.pager.previous') }).click();
      await expect.poll(() => rows.first().innerText()).toBe(firstRow);
      expect(problems).toEqual([]);
    }
  });
});
