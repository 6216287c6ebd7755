// A public page the server drew (docs/decisions/0007-server-rendered-pages.md) read without JavaScript: on a phone
// (390 × 844) the header's menu opens and closes through links (#site-nav, :target) and its links lead to other
// pages; the language chooser is a link to the same page in each language, on a phone and on a wide screen. With
// JavaScript the same page keeps the button and the select, and the links the browser writes are the server's.

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../src/i18n/languages.ts';
import {
  browserDecision,
  collectProblems,
  describeViolations,
  htmlLangDir,
  LANGS,
  type Lang,
  msg,
  runAxe,
  SHOTS_DIR,
  useBrowserSuite,
} from './browser-helpers.ts';
import { PHONE, type ScreenSize } from './phone-walk.ts';

const decision = browserDecision();
if (decision.reason && !decision.run) console.warn(decision.reason);

/** What the screen shows (the header, the menu open), in SHOTS_DIR when MARSAD_SHOTS=1, as browser-helpers.ts's. */
async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.MARSAD_SHOTS !== '1') return;
  await mkdir(SHOTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS_DIR, `${name}.png`) });
}

const DESKTOP: ScreenSize = { width: 1280, height: 900 };
/** The public page each language's tests start from. */
const START: Record<Lang, string> = { ar: '/ar/indicators/11.1.1', en: '/en' };

describe.skipIf(!decision.run)('a page the server drew, without JavaScript and with', { timeout: 300_000 }, () => {
  const suite = useBrowserSuite();

  const context = async (size: ScreenSize, script: boolean, lang: Lang): Promise<BrowserContext> => {
    const phone = size.width < 600;
    const ctx = await suite.browser.newContext({
      baseURL: suite.baseURL,
      viewport: size,
      javaScriptEnabled: script,
      locale: lang,
      ...(phone ? { deviceScaleFactor: 2, isMobile: true, hasTouch: true } : {}),
    });
    // A step that does not happen fails with its own message, not the test's timeout.
    ctx.setDefaultTimeout(20_000);
    suite.contexts.push(ctx);
    return ctx;
  };
  /**
   * A new page at the address, its heading there (drawn by the server, or by the app once it has run), the
   * problems it met so far and its console's warnings (the app warns when the browser had to draw again a part the
   * server drew: main.tsx). Without JavaScript, Chromium refuses the page's module preloads (reported as "csp"):
   * expected, not a problem.
   */
  const open = async (
    ctx: BrowserContext,
    address: string,
  ): Promise<{ page: Page; problems: () => string[]; warnings: string[] }> => {
    const page = await ctx.newPage();
    const seen = collectProblems(page);
    const warnings: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'warning') warnings.push(m.text());
    });
    const r = await page.goto(address);
    expect(r?.status(), address).toBe(200);
    await page.locator('main h1').first().waitFor();
    return { page, problems: () => seen.filter((p) => !/^request failed: \S+\.js \(csp\)$/.test(p)), warnings };
  };
  const header = (page: Page, lang: Lang) => ({
    openLink: page.getByRole('link', { name: msg(lang, 'layout.menu'), exact: true }),
    closeLink: page.getByRole('link', { name: msg(lang, 'layout.closeMenu'), exact: true }),
    button: page.getByRole('button', { name: msg(lang, 'layout.menu'), exact: true }),
    nav: page.getByRole('navigation', { name: msg(lang, 'layout.mainNav'), exact: true }),
    languages: page.getByRole('list', { name: msg(lang, 'layout.language'), exact: true }),
    select: page.getByRole('combobox', { name: msg(lang, 'layout.language'), exact: true }),
  });
  /**
   * axe's serious and critical violations, touch targets included. Without JavaScript the page runs none of the
   * callbacks the browser would call (timers, observers), only the script's own promises: axe's timers are made
   * promise jobs there, so that it runs to its end.
   */
  const seriousAxe = async (page: Page, script: boolean) => {
    if (!script)
      await page.evaluate(() => {
        const w = window as unknown as {
          setTimeout: (f: (...a: unknown[]) => void, ms?: number, ...a: unknown[]) => number;
        };
        w.setTimeout = (f, _ms, ...a) => {
          void Promise.resolve().then(() => f(...a));
          return 0;
        };
      });
    return (await runAxe(page, { rules: { 'target-size': { enabled: true } } })).filter(
      (v) => v.impact === 'serious' || v.impact === 'critical',
    );
  };
  describe.each(LANGS)('in %s', (lang) => {
    it('on a phone without JavaScript, the menu opens and closes by links, and its links lead to other pages', async () => {
      const ctx = await context(PHONE, false, lang);
      const { page, problems } = await open(ctx, START[lang]);
      const h = header(page, lang);
      // The page is the one the server drew (with the answers it was drawn from).
      expect(await page.locator('#marsad-state').count()).toBe(1);
      expect(await h.button.count(), 'the button needs the app: not shown').toBe(0);
      expect(await h.nav.isVisible()).toBe(false);
      expect(await h.closeLink.count()).toBe(0);

      // Opened with the keyboard: the link takes the reader to the menu, the next Tab to its closing link, then to
      // the menu's first link.
      await h.openLink.focus();
      await page.keyboard.press('Enter');
      await page.waitForURL((u) => u.hash === '#site-nav');
      expect(await h.nav.isVisible()).toBe(true);
      expect(await h.openLink.count()).toBe(0);
      expect(await h.closeLink.isVisible()).toBe(true);
      expect(await page.evaluate(() => window.scrollY), 'the page does not jump').toBe(0);
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('href'))).toBe('#top');
      await page.keyboard.press('Tab');
      expect(
        await page.evaluate(() => document.activeElement?.closest('nav')?.getAttribute('aria-label')),
        'the next Tab goes into the menu',
      ).toBe(msg(lang, 'layout.mainNav'));
      // Its focus is visible (the site's outline).
      expect(await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle)).toBe('solid');

      // Open: the language links and the sign-in link in it, and axe (all of it, touch targets too) finds nothing
      // serious.
      expect(await h.languages.isVisible()).toBe(true);
      expect(await h.select.count()).toBe(0);
      const violations = await seriousAxe(page, false);
      expect(violations, describeViolations(violations)).toEqual([]);
      await screenshot(page, `no-script-phone-${lang}-menu-open`);

      // Closed by its link; opened again by a tap, a link of the menu leads to its page, drawn by the server.
      await h.closeLink.click();
      await page.waitForURL((u) => u.hash !== '#site-nav');
      expect(await h.nav.isVisible()).toBe(false);
      expect(await h.openLink.isVisible()).toBe(true);
      await h.openLink.click();
      expect(await h.nav.isVisible()).toBe(true);
      await h.nav.getByRole('link', { name: msg(lang, 'nav.places'), exact: true }).click();
      await page.waitForURL((u) => u.pathname === `/${lang}/places`);
      await page.locator('main h1').waitFor();
      expect(await page.locator('main h1').innerText()).toBe(msg(lang, 'places.title'));
      expect(await h.nav.isVisible(), 'a new page starts with the menu closed').toBe(false);
      expect(problems()).toEqual([]);
    });

    it('without JavaScript, the language links lead to the same page in each language, on a phone and wide', async () => {
      for (const size of [PHONE, DESKTOP]) {
        const ctx = await context(size, false, lang);
        const { page, problems } = await open(ctx, START[lang]);
        const h = header(page, lang);
        if (size === PHONE) await h.openLink.click();
        else {
          // Wide, the menu is in the header's row as with JavaScript, no menu control; links in the select's place.
          expect(await h.nav.isVisible()).toBe(true);
          expect(await h.openLink.count()).toBe(0);
        }
        expect(await h.languages.isVisible()).toBe(true);
        expect(await h.select.count()).toBe(0);
        // The six languages, each named in itself; the others link to the same page in them.
        const links = h.languages.getByRole('link');
        const rest = START[lang].slice(3);
        expect(
          await h.languages.locator('li > *').evaluateAll((items) =>
            items.map((a) => ({
              name: a.textContent,
              tag: a.tagName.toLowerCase(),
              href: a.getAttribute('href'),
              hreflang: a.getAttribute('hreflang'),
              lang: a.getAttribute('lang'),
              dir: a.getAttribute('dir'),
              current: a.getAttribute('aria-current'),
            })),
          ),
        ).toEqual(
          LANGUAGES.map((l) =>
            l.code === lang
              ? { name: l.name, tag: 'span', href: null, hreflang: null, lang: l.code, dir: l.dir, current: 'true' }
              : {
                  name: l.name,
                  tag: 'a',
                  href: `/${l.code}${rest}`,
                  hreflang: l.code,
                  lang: l.code,
                  dir: l.dir,
                  current: null,
                },
          ),
        );
        expect(await links.count()).toBe(5);
        if (size === DESKTOP) {
          const violations = await seriousAxe(page, false);
          expect(violations, describeViolations(violations)).toEqual([]);
          await screenshot(page, `no-script-wide-${lang}`);
        }

        // To the other language and back: the same page, its <html lang dir> the language's.
        const other: Lang = lang === 'ar' ? 'en' : 'ar';
        const otherName = LANGUAGES.find((l) => l.code === other)?.name ?? '';
        await links.filter({ hasText: otherName }).click();
        await page.waitForURL((u) => u.pathname === `/${other}${rest}`);
        await page.locator('main h1').waitFor();
        expect(await htmlLangDir(page)).toEqual({ lang: other, dir: other === 'ar' ? 'rtl' : 'ltr' });
        const back = header(page, other);
        if (size === PHONE) await back.openLink.click();
        await back.languages.getByRole('link', { name: LANGUAGES.find((l) => l.code === lang)?.name }).click();
        await page.waitForURL((u) => u.pathname === START[lang]);
        await page.locator('main h1').waitFor();
        expect(await htmlLangDir(page)).toEqual({ lang, dir: lang === 'ar' ? 'rtl' : 'ltr' });
        expect(problems()).toEqual([]);
      }
    });

    it('with JavaScript on a phone, the button opens and closes the menu and the select changes the language', async () => {
      const ctx = await context(PHONE, true, lang);
      const { page, problems, warnings } = await open(ctx, START[lang]);
      const h = header(page, lang);
      // The app has taken the page over (React's properties on the button).
      await page.waitForFunction(() =>
        Object.keys(document.querySelector('.menu-button') ?? {}).some((k) => k.startsWith('__reactProps')),
      );
      expect(await h.openLink.count(), 'the links without JavaScript are not shown').toBe(0);
      expect(await h.languages.count()).toBe(0);
      expect(await h.button.getAttribute('aria-expanded')).toBe('false');
      expect(await h.nav.isVisible()).toBe(false);
      await h.button.click();
      expect(await h.button.getAttribute('aria-expanded')).toBe('true');
      expect(await h.nav.isVisible()).toBe(true);
      expect(await h.closeLink.count()).toBe(0);
      const violations = await seriousAxe(page, true);
      expect(violations, describeViolations(violations)).toEqual([]);
      await screenshot(page, `script-phone-${lang}-menu-open`);
      await h.button.click();
      expect(await h.button.getAttribute('aria-expanded')).toBe('false');
      expect(await h.nav.isVisible()).toBe(false);

      const other: Lang = lang === 'ar' ? 'en' : 'ar';
      await h.button.click();
      await h.select.selectOption(other);
      await page.waitForURL((u) => u.pathname === `/${other}${START[lang].slice(3)}`);
      await expect.poll(() => htmlLangDir(page)).toEqual({ lang: other, dir: other === 'ar' ? 'rtl' : 'ltr' });
      expect(await header(page, other).button.isVisible()).toBe(true);
      expect(problems()).toEqual([]);
      expect(warnings, 'no part drawn again (the server and the browser differed)').toEqual([]);
    });
  });

  it('with JavaScript on a wide screen, the header is the select and the menu in its row; the links the browser writes are the server’s', async () => {
    const ctx = await context(DESKTOP, true, 'en');
    const { page, problems, warnings } = await open(ctx, '/en');
    const h = header(page, 'en');
    await page.waitForFunction(() =>
      Object.keys(document.querySelector('.menu-button') ?? {}).some((k) => k.startsWith('__reactProps')),
    );
    expect(await h.nav.isVisible()).toBe(true);
    expect(await h.select.isVisible()).toBe(true);
    expect(await h.button.count()).toBe(0);
    expect(await h.openLink.count()).toBe(0);
    expect(await h.languages.count()).toBe(0);
    await screenshot(page, 'script-wide-en');
    // The browser draws the next page itself: its language links (in the page, hidden) are those the server writes
    // for that page, query kept.
    const hrefs = (p: Page) =>
      p.locator('.language-links a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    await h.nav.getByRole('link', { name: msg('en', 'nav.indicators'), exact: true }).click();
    await page.waitForURL((u) => u.pathname === '/en/indicators');
    await page.locator('main h1').waitFor();
    const inBrowser = await hrefs(page);
    expect(inBrowser).toEqual(LANGUAGES.filter((l) => l.code !== 'en').map((l) => `/${l.code}/indicators`));
    const drawn = await (await context(DESKTOP, false, 'en')).newPage();
    await drawn.goto('/en/indicators/');
    expect(await hrefs(drawn), 'a trailing slash is not in the links').toEqual(inBrowser);
    await drawn.goto('/en/indicators?framework=sdg');
    expect(await hrefs(drawn)).toEqual(
      LANGUAGES.filter((l) => l.code !== 'en').map((l) => `/${l.code}/indicators?framework=sdg`),
    );
    expect(problems()).toEqual([]);
    expect(warnings).toEqual([]);
  });
});
