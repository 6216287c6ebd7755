// Privacy in publication in the browser (docs/methods/suppression.md): a value resting on fewer
// cases than its indicator's minimum never reaches the public pages — not in the text, not in an
// attribute, not in any answer the page receives — and "fewer than N" is shown in its place;
// the city focal point of the place sees the value, marked "hidden from the public".
// Debian's Chromium with playwright-core, as browser.test.ts (skipped the same way without it).

import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  browserDecision,
  collectProblems,
  describeViolations,
  type Lang,
  msg,
  newContext,
  plain,
  runAxe,
  screenshot,
  useBrowserSuite,
  waitForSettled,
} from './browser-helpers.ts';

const decision = browserDecision();
if (decision.reason && !decision.run) console.warn(decision.reason);

/**
 * USM-CV-03 keeps its default rule: minimum 10 on the count series USM-CV-03-N, by sex, age, disability and for
 * districts.
 */
const DATA =
  [
    'indicator,series,place,period,value,SEX',
    'USM-CV-03,USM-CV-03-N,MAAGA,2022,40,',
    'USM-CV-03,USM-CV-03,MAAGA,2022,9.4813,',
    'USM-CV-03,USM-CV-03-N,MAAGA,2022,7,F',
    'USM-CV-03,USM-CV-03,MAAGA,2022,3.3179,F',
    'USM-CV-03,USM-CV-03-N,MAAGA,2022,33,M',
    'USM-CV-03,USM-CV-03,MAAGA,2022,15.6291,M',
    'USM-CV-03,USM-CV-03-N,MAAGA-TD1,2021,30,',
    'USM-CV-03,USM-CV-03,MAAGA-TD1,2021,7.7,',
    'USM-CV-03,USM-CV-03-N,MAAGA-TD1,2022,4,',
    'USM-CV-03,USM-CV-03,MAAGA-TD1,2022,6.6131,',
  ].join('\n') + '\n';
/** The hidden rates, as Latin and as Arabic-Indic digits. */
const HIDDEN = ['6.6131', '3.3179', '٦٫٦١٣١', '٣٫٣١٧٩'];

const arabicDigits = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(0x0660 + Number(d)));

describe.skipIf(!decision.run)('suppressed values in Chromium', { timeout: 120_000 }, () => {
  const suite = useBrowserSuite();
  const contexts = suite.contexts;
  const account = (role: string) => suite.server.accounts.find((a) => a.roles.some((r) => r.role === role))!;

  async function login(role: string): Promise<{ cookie: string; csrf: string }> {
    const r = await fetch(`${suite.baseURL}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: account(role).email, password: account(role).password }),
    });
    expect(r.status).toBe(200);
    return {
      cookie: (r.headers.get('set-cookie') ?? '').split(';')[0]!,
      csrf: ((await r.json()) as { csrfToken: string }).csrfToken,
    };
  }

  beforeAll(async () => {
    const admin = await login('administrator');
    const headers = { cookie: admin.cookie, 'x-csrf-token': admin.csrf };
    const places = await fetch(`${suite.baseURL}/api/v1/places`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({
        places: [
          {
            code: 'MAAGA-TD1',
            parent: 'MAAGA',
            level: 'district',
            names: { en: 'Agadir test district', ar: 'مقاطعة أكادير التجريبية' },
          },
        ],
      }),
    });
    expect(places.status, await places.clone().text()).toBe(201);
    const imported = await fetch(`${suite.baseURL}/api/v1/imports?format=csv&status=approved`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'text/csv' },
      body: DATA,
    });
    expect(imported.status, await imported.clone().text()).toBe(201);
  }, 300_000);

  /** A page whose every answer from the server is kept, to search it for the hidden values. */
  async function open(
    lang: Lang,
    cookie?: string,
  ): Promise<{ page: Page; problems: string[]; answers: Promise<string>[] }> {
    const ctx = await newContext(suite.browser, suite.baseURL, { lang, digits: 'arab' });
    contexts.push(ctx);
    if (cookie) {
      const [name, value] = cookie.split('=') as [string, string];
      await ctx.addCookies([{ name, value, url: suite.baseURL }]);
    }
    const page = await ctx.newPage();
    const answers: Promise<string>[] = [];
    page.on('response', (r) => {
      if (r.url().includes('/api/'))
        answers.push(
          r.text().then(
            (t) => `${r.url()}\n${t}`,
            () => '',
          ),
        );
    });
    return { page, problems: collectProblems(page), answers };
  }
  async function expectNothingHidden(page: Page, answers: Promise<string>[], where: string): Promise<void> {
    const html = await page.content();
    const texts = await Promise.all(answers);
    for (const h of HIDDEN) {
      expect(html.includes(h), `${where}: the page holds ${h}`).toBe(false);
      const leak = texts.find((t) => t.includes(h));
      expect(leak?.slice(0, 200), `${where}: an answer holds ${h}`).toBeUndefined();
    }
  }
  const seriousViolations = async (page: Page) =>
    (await runAxe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');

  it.each(['en', 'ar'] as const)(
    'the public indicator page in %s shows "fewer than 10" and never the value',
    async (lang) => {
      const { page, problems, answers } = await open(lang);
      expect((await page.goto('/indicators/USM-CV-03'))?.status()).toBe(200);
      await page.locator('table.data tbody tr').first().waitFor();
      await page.locator('figure.map svg').first().waitFor();
      await waitForSettled(page);
      const ten = lang === 'ar' ? arabicDigits('10') : '10';
      const fewer = msg(lang, 'suppression.fewerThan', { n: ten });
      const main = page.locator('main');
      // The table of the totals: the district's 2022 row is there, with "fewer than 10".
      const table = page.locator('table.data').first();
      const districtRows = table.locator('tbody tr', {
        hasText: lang === 'ar' ? 'مقاطعة أكادير التجريبية' : 'Agadir test district',
      });
      expect(await districtRows.count()).toBe(2);
      expect(await districtRows.nth(1).locator('td.num').innerText()).toBe(fewer);
      expect(plain(await districtRows.nth(0).locator('td.num').innerText())).toBe(lang === 'ar' ? '٧٫٧' : '7.7');
      expect(await main.innerText()).toContain(msg(lang, 'suppression.note'));
      // The table under the map: the district's latest value is "fewer than 10", not the 2021 value.
      await page.locator('main details summary', { hasText: msg(lang, 'indicator.mapTable') }).click();
      expect(
        await page
          .locator('main details table tbody tr', {
            hasText: lang === 'ar' ? 'مقاطعة أكادير التجريبية' : 'Agadir test district',
          })
          .locator('td.num')
          .innerText(),
      ).toBe(fewer);
      await expectNothingHidden(page, answers, `${lang} totals`);
      await screenshot(page, `${lang}-suppression-indicator`);
      const v = await seriousViolations(page);
      expect(v, describeViolations(v)).toEqual([]);

      // By sex: Agadir's women are "fewer than 10"; the men's rate is shown.
      const select = page.locator('main select').filter({ has: page.locator('option[value="SEX:F"]') });
      await select.selectOption('SEX:F');
      await expect.poll(async () => plain(await table.locator('tbody td.num').first().innerText())).toBe(plain(fewer));
      await expectNothingHidden(page, answers, `${lang} women`);
      await select.selectOption('SEX:M');
      await expect
        .poll(async () => plain(await table.locator('tbody td.num').first().innerText()))
        .toBe(lang === 'ar' ? '١٥٫٦٢٩١' : '15.6291');
      await expectNothingHidden(page, answers, `${lang} men`);
      expect(problems).toEqual([]);
    },
  );

  it('the place page, the compare page and the downloads do not show it either', async () => {
    const { page, problems, answers } = await open('en');
    await page.goto('/places/MAAGA-TD1');
    await page.locator('table.data tbody tr').first().waitFor();
    await waitForSettled(page);
    const row = page.locator('table.data tbody tr', { hasText: 'USM-CV-03' }).first();
    expect(await row.locator('td.num').first().innerText()).toContain(msg('en', 'suppression.fewerThan', { n: '10' }));
    expect(await page.locator('main').innerText()).toContain(msg('en', 'suppression.note'));
    const v1 = await seriousViolations(page);
    expect(v1, describeViolations(v1)).toEqual([]);

    await page.goto('/compare?places=MAAGA,MAAGA-TD1&indicator=USM-CV-03');
    await page.locator('table.data tbody tr').first().waitFor();
    await waitForSettled(page);
    expect(await page.locator('table.data tbody tr', { hasText: '2022' }).locator('td.num').allInnerTexts()).toEqual([
      '9.481',
      msg('en', 'suppression.fewerThan', { n: '10' }),
    ]);
    await expectNothingHidden(page, answers, 'place and compare pages');
    const v2 = await seriousViolations(page);
    expect(v2, describeViolations(v2)).toEqual([]);

    // The download links of the indicator page, as the public gets them.
    await page.goto('/indicators/USM-CV-03');
    await page.locator('table.data tbody tr').first().waitFor();
    const links = await page
      .locator('main a[download]')
      .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    expect(links).toHaveLength(3);
    for (const href of links) {
      const body = await (await fetch(href)).text();
      for (const h of HIDDEN) expect(body.includes(h), `${href} holds ${h}`).toBe(false);
    }
    expect(problems.filter((p) => !p.includes('ERR_ABORTED'))).toEqual([]);
  });

  it('the city focal point of Agadir sees the value, marked "hidden from the public"', async () => {
    const { cookie } = await login('city-focal-point');
    const { page, problems } = await open('en', cookie);
    await page.goto('/indicators/USM-CV-03');
    await page.locator('table.data tbody tr').first().waitFor();
    await waitForSettled(page);
    const cell = page
      .locator('table.data')
      .first()
      .locator('tbody tr', { hasText: 'Agadir test district' })
      .nth(1)
      .locator('td.num');
    await expect.poll(() => cell.innerText()).toBe(`6.6131 ${msg('en', 'suppression.hiddenFromPublic', { n: '10' })}`);
    await screenshot(page, 'en-suppression-focal-point');
    const v = await seriousViolations(page);
    expect(v, describeViolations(v)).toEqual([]);
    expect(problems).toEqual([]);
  });
});
