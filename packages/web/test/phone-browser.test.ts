// Every page of the router on a phone (issue 15, item 1): at 390 × 844 with Chromium's mobile emulation, in
// Arabic and English, as the public and signed in as the administrator, no page scrolls sideways, no touch
// target is under 24 × 24 px and axe finds nothing serious (all of axe in Arabic, its rules about phones in
// English) (phone-walk.ts; one context per language and visitor). Then the header's menu with the keyboard. Other sizes and languages: scripts/phone-walk.ts.

import type { BrowserContext } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserDecision, demoAccount, LANGS, msg, useBrowserSuite } from './browser-helpers.ts';
import {
  addSampleWorkshop,
  describeCheck,
  PHONE,
  PHONE_AXE_RULES,
  passes,
  phoneContext,
  routerPaths,
  routesFor,
  SMALL_PHONE,
  walkRoutes,
} from './phone-walk.ts';

const decision = browserDecision();
if (decision.reason && !decision.run) console.warn(decision.reason);

describe.skipIf(!decision.run)('every page on a phone (390 × 844)', { timeout: 300_000 }, () => {
  const suite = useBrowserSuite();
  const all = routerPaths();
  // Sample addresses found by one walk, for the next (public first, then signed in).
  const samples = new Map<string, string>();
  const open = async (lang: 'ar' | 'en', signedIn: boolean): Promise<BrowserContext> => {
    const ctx = await phoneContext(
      suite.browser,
      suite.baseURL,
      PHONE,
      lang,
      signedIn ? demoAccount(suite.server, 'administrator') : null,
    );
    suite.contexts.push(ctx);
    return ctx;
  };

  beforeAll(async () => {
    const admin = await open('en', true);
    await addSampleWorkshop(admin);
    // The questionnaire builder's edit page has no link on the pages walked before it: the demonstration questionnaire.
    const r = await admin.request.get('/api/v1/questionnaires');
    const id = ((await r.json()) as { items: { id: number }[] }).items[0]?.id;
    if (id === undefined) throw new Error(`GET /api/v1/questionnaires: ${r.status()} ${await r.text()}`);
    samples.set('/reviews/questionnaires/$id', `/reviews/questionnaires/${id}`);
  });

  it('walks every route of the router, each as the public or signed in', () => {
    expect(all.length).toBeGreaterThan(30);
    const walked = new Set([...routesFor('public', all), ...routesFor('signed-in', all)]);
    expect(all.filter((r) => !walked.has(r))).toEqual([]);
  });

  describe.each(LANGS)('in %s', (lang) => {
    it.each(['public', 'signed-in'] as const)(
      'the %s pages fit the screen, with targets of 24 px and axe clean',
      async (who) => {
        const ctx = await open(lang, who === 'signed-in');
        const routes = routesFor(who, all);
        // All of axe in Arabic; in English the rules about phones (the desktop tests run all of axe in both).
        const axeRules = lang === 'ar' ? undefined : PHONE_AXE_RULES;
        const { checks, unsampled } = await walkRoutes(ctx, all, { routes, samples, axeRules });
        expect(unsampled, 'routes without a sample address').toEqual([]);
        expect(new Set(checks.map((c) => c.route))).toEqual(new Set(routes));
        const failing = checks.filter((c) => !passes(c));
        expect(
          failing.map(describeCheck).join('\n'),
          `${lang} ${who}: ${failing.length} of ${checks.length} pages`,
        ).toBe('');
      },
    );
  });

  // Found by the walk at 360 × 740 (scripts/phone-walk.ts): the 2030 figures' cards had a 22rem minimum width and
  // their tables no scrolling box, so the programme page scrolled sideways on a small phone.
  it('fits the programme page, its 2030 figures and their tables, on a 360 px phone (Arabic)', async () => {
    const ctx = await phoneContext(suite.browser, suite.baseURL, SMALL_PHONE, 'ar', null);
    suite.contexts.push(ctx);
    const { checks } = await walkRoutes(ctx, all, {
      routes: ['/programmes', '/programmes/$code'],
      samples: new Map(),
      axeRules: PHONE_AXE_RULES,
    });
    expect(checks.map((c) => c.route)).toEqual(['/programmes', '/programmes/$code']);
    expect(
      checks
        .filter((c) => !passes(c))
        .map(describeCheck)
        .join('\n'),
    ).toBe('');
  });

  it('opens the header menu with the keyboard, closes it with Escape (focus back on the button) and on a new page', async () => {
    const ctx = await open('ar', false);
    const page = await ctx.newPage();
    await page.goto('/places');
    await page.locator('main h1').waitFor();
    const button = page.getByRole('button', { name: msg('ar', 'layout.menu') });
    const nav = page.getByRole('navigation', { name: msg('ar', 'layout.mainNav') });
    expect(await button.getAttribute('aria-expanded')).toBe('false');
    expect(await nav.isVisible()).toBe(false);

    await button.focus();
    await page.keyboard.press('Enter');
    expect(await button.getAttribute('aria-expanded')).toBe('true');
    expect(await nav.isVisible()).toBe(true);
    // The next Tab goes into the menu: its first link.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('nav')?.getAttribute('aria-label'))).toBe(
      msg('ar', 'layout.mainNav'),
    );
    await page.keyboard.press('Escape');
    expect(await button.getAttribute('aria-expanded')).toBe('false');
    expect(await nav.isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-controls'))).toBe('site-menu');

    // A link of the menu leads to its page and closes the menu.
    await page.keyboard.press('Enter');
    await nav.getByRole('link', { name: msg('ar', 'nav.indicators') }).click();
    await page.waitForURL('**/indicators');
    expect(await button.getAttribute('aria-expanded')).toBe('false');
    expect(await nav.isVisible()).toBe(false);
  });
});
