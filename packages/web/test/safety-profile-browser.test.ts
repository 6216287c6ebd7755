// Browser tests of the composite safety profile (/safety/profile?place=CODE; issue 20 items 3 and 4): Debian's
// Chromium driven by playwright-core against the real server on a PGlite database with the demonstration data (whose
// matrix values are synthetic), in Arabic and English, on a desktop and on a phone (390 × 844); axe-core on each page
// (no serious or critical violation). Screenshots go to /tmp/marsad-shots/safety-profile-*.png (MARSAD_SHOTS=1).

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
  runAxe,
  screenshot,
  useBrowserSuite,
  waitForSettled,
} from './browser-helpers.ts';

const decision = browserDecision();
if (decision.reason && !decision.run) console.warn(decision.reason);

interface Profile {
  place: { name: string };
  group: { kind: string; count: number };
  synthetic: boolean;
  overall: { score: number | null };
  themes: { code: string }[];
  trajectory: { year: number; score: number | null }[];
}

/** The other pilot cities, by their names in both languages: none may appear on Agadir's profile. */
const OTHER_PILOT_CITIES = ['JOAMM', 'ECUIO', 'KZALA', 'KHBBM', 'CUHAV', 'CRSJO', 'LSMSU'];

describe.skipIf(!decision.run)('the composite safety profile in Chromium', { timeout: 180_000 }, () => {
  const suite = useBrowserSuite();
  const contexts = suite.contexts;
  const serious = async (page: Page) =>
    (await runAxe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');

  async function open(lang: Lang, phone: boolean, signedIn = false) {
    const { page, problems } = await openAs(
      suite.browser,
      suite.baseURL,
      signedIn ? demoAccount(suite.server, 'administrator') : null,
      lang,
      contexts,
    );
    if (phone) await page.setViewportSize({ width: 390, height: 844 });
    const res = await page.goto(`/${lang}/safety/profile?place=MAAGA`);
    expect(res?.status()).toBe(200);
    await waitForSettled(page);
    await page.locator('main .safety-score-chart svg').first().waitFor({ timeout: 30_000 });
    await page.locator('main .chart svg').nth(1).waitFor({ timeout: 30_000 });
    return { page, problems };
  }

  for (const lang of LANGS)
    for (const phone of [false, true])
      it(`shows one place's profile with its band, the group's median and range, and tables (${lang}, ${phone ? 'phone' : 'desktop'})`, async () => {
        const profile = await getJson<Profile>(suite.baseURL, `/api/v1/safety/profile?place=MAAGA&lang=${lang}`);
        expect(profile.group).toMatchObject({ kind: 'pilot-cities', count: 8 });
        expect(profile.synthetic).toBe(true);
        expect(profile.overall.score).not.toBeNull();
        // Several groups of the matrix have values in the demonstration, over several years.
        expect(profile.themes.length).toBeGreaterThanOrEqual(4);
        expect(profile.trajectory.filter((y) => y.score !== null).length).toBeGreaterThanOrEqual(5);
        const { page, problems } = await open(lang, phone);
        await screenshot(page, `safety-profile-${lang}-${phone ? 'phone' : 'desktop'}`);
        expect(await htmlLangDir(page)).toEqual({ lang, dir: lang === 'ar' ? 'rtl' : 'ltr' });
        const h1 = plain(await page.locator('main h1').textContent());
        expect(h1).toContain(plain(profile.place.name));
        const main = plain(await page.locator('main').textContent());
        expect(main).toContain(plain(msg(lang, 'safetyProfile.synthetic')));
        expect(main).toContain(plain(msg(lang, 'safetyProfile.noRanks')));
        // The charts' text alternatives: a table per chart, named by the chart.
        for (const chart of await page.locator('main .chart').all()) {
          const described = await chart.getAttribute('aria-describedby');
          expect(described).toBeTruthy();
          expect(await page.locator(`[id="${described}"]`).evaluate((e) => e.tagName)).toBe('TABLE');
        }
        // One place: no other pilot city is named, by code or name.
        const names = await Promise.all(
          OTHER_PILOT_CITIES.map(async (code) =>
            plain((await getJson<{ name: string }>(suite.baseURL, `/api/v1/places/${code}?lang=${lang}`)).name ?? code),
          ),
        );
        for (const other of [...OTHER_PILOT_CITIES, ...names]) expect(main).not.toContain(other);
        // Nothing wider than the screen but the tables' own scrolling.
        if (phone) {
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          expect(overflow).toBeLessThanOrEqual(1);
        }
        const violations = await serious(page);
        expect(violations, describeViolations(violations)).toEqual([]);
        expect(problems).toEqual([]);
      });

  it('lets an administrator change the choices, stated on the page at once', async () => {
    const { page, problems } = await open('en', false, true);
    const form = page.locator('main form');
    await expect(form.locator('h2').textContent()).resolves.toBe(msg('en', 'safetyProfile.form.title'));
    await form.getByLabel(msg('en', 'safetyProfile.choice.aggregation')).selectOption('geometric');
    await form.getByRole('button', { name: msg('en', 'safetyProfile.form.save') }).click();
    await form.getByText(msg('en', 'safetyProfile.form.saved')).waitFor();
    await page
      .locator('main li', { hasText: msg('en', 'safetyProfile.option.geometric') })
      .first()
      .waitFor();
    expect(plain(await page.locator('main').textContent())).toContain(
      plain(msg('en', 'safetyProfile.choicesVersion', { version: '1' })),
    );
    const violations = await serious(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    await screenshot(page, 'safety-profile-en-admin');
    // Back to the defaults, for the other tests of the file.
    await form.getByLabel(msg('en', 'safetyProfile.choice.aggregation')).selectOption('arithmetic');
    await form.getByRole('button', { name: msg('en', 'safetyProfile.form.save') }).click();
    await page
      .locator('main li', { hasText: msg('en', 'safetyProfile.option.arithmetic') })
      .first()
      .waitFor();
    expect(problems).toEqual([]);
  });

  it('shows the profile in short on the city page (and so in its PDF), with a link to it', async () => {
    const { page, problems } = await openAs(suite.browser, suite.baseURL, null, 'ar', contexts);
    expect((await page.goto('/ar/places/MAAGA'))?.status()).toBe(200);
    await waitForSettled(page);
    const section = page.locator('main .safety-summary');
    await section.waitFor({ timeout: 30_000 });
    await screenshot(page, 'safety-profile-ar-place-page');
    expect(plain(await section.locator('h2').textContent())).toBe(plain(msg('ar', 'safetyProfile.title')));
    await section.getByRole('link', { name: msg('ar', 'safetyProfile.more') }).click();
    await page.waitForURL(/\/ar\/safety\/profile\?place=MAAGA/);
    await page.locator('main .safety-score-chart svg').first().waitFor({ timeout: 30_000 });
    const violations = await serious(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    expect(problems).toEqual([]);
  });
});
