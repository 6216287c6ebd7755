// Browser tests of the Urban Safety Monitor pages (issue 20, items 1 and 2): the two frameworks side by side and the
// monitor's structure for the public; a city focal point's self-assessment (the demonstration's, labelled synthetic;
// a new one prefilled, answered, saved, submitted, read-only) and its one-page profile; the framework's editor for an
// administrator. Debian's Chromium against the real server on PGlite with the demonstration data, in Arabic and
// English, on a desktop and on a phone (390 × 844); axe-core on each page (no serious or critical violation).
// Screenshots go to /tmp/marsad-shots/safety-monitor-*.png (MARSAD_SHOTS=1).

import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  browserDecision,
  demoAccount,
  describeViolations,
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

describe.skipIf(!decision.run)('the Urban Safety Monitor in Chromium', { timeout: 180_000 }, () => {
  const suite = useBrowserSuite();
  const contexts = suite.contexts;
  const clean = async (page: Page) => {
    const vs = (await runAxe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(vs, describeViolations(vs)).toEqual([]);
  };
  const fits = async (page: Page) => {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
  };
  const as = (role: string | null, lang: Lang) =>
    openAs(suite.browser, suite.baseURL, role ? demoAccount(suite.server, role) : null, lang, contexts);

  for (const lang of LANGS)
    for (const phone of [false, true])
      it(`shows UN-Habitat's monitor beside Marsad's draft matrix, each with its source (${lang}, ${phone ? 'phone' : 'desktop'})`, async () => {
        const { page, problems } = await as(null, lang);
        if (phone) await page.setViewportSize({ width: 390, height: 844 });
        expect((await page.goto(`/${lang}/safety`))?.status()).toBe(200);
        await waitForSettled(page);
        expect(await htmlLangDir(page)).toEqual({ lang, dir: lang === 'ar' ? 'rtl' : 'ltr' });
        const main = plain(await page.locator('main').textContent());
        expect(main).toContain(plain(msg(lang, 'safetyMonitor.usm.title')));
        expect(main).toContain(plain(msg(lang, 'safetyMonitor.matrix.title')));
        expect(main).toContain(plain(msg(lang, 'safetyMonitor.matrix.label')));
        expect(main).toContain('UN-Habitat, Urban Safety Monitor');
        await screenshot(page, `safety-monitor-landing-${lang}-${phone ? 'phone' : 'desktop'}`);
        if (phone) await fits(page);
        await clean(page);

        await page.getByRole('link', { name: msg(lang, 'safetyMonitor.usm.view'), exact: true }).click();
        await page.waitForURL(new RegExp(`/${lang}/safety/monitor`));
        await page.locator('main .safety-indicator').first().waitFor();
        await waitForSettled(page);
        const tree = plain(await page.locator('main').textContent());
        expect(tree).toContain(
          plain(msg(lang, 'safetyMonitor.splitNotConfirmed', { count: lang === 'ar' ? '١٥' : '15' })),
        );
        expect(tree).toContain(plain(msg(lang, 'safetyMonitor.slot', { n: lang === 'ar' ? '١١' : '11' })));
        expect(tree).toContain(plain(msg(lang, 'safetyMonitor.placement.marsad')));
        expect(await page.locator('main a[href$="/indicators/16.1.1"]').count()).toBeGreaterThan(0);
        await screenshot(page, `safety-monitor-framework-${lang}-${phone ? 'phone' : 'desktop'}`);
        if (phone) await fits(page);
        await clean(page);
        // The public has no self-assessment: the private pages say to sign in, the API refuses.
        await page.goto(`/${lang}/safety/assessments?place=MAAGA`);
        await waitForSettled(page);
        expect(plain(await page.locator('main').textContent())).toContain(plain(msg(lang, 'safetyAssessment.signIn')));
        expect(problems).toEqual([]);
      });

  for (const lang of LANGS)
    it(`lets Agadir's focal point read the synthetic demonstration, start a prefilled assessment, submit it and see its profile (${lang})`, async () => {
      const { page, problems } = await as('city-focal-point', lang);
      const m = (k: string, v: Record<string, string> = {}) => msg(lang, k, v);
      expect((await page.goto(`/${lang}/places/MAAGA`))?.status()).toBe(200);
      await waitForSettled(page);
      await page.getByRole('link', { name: m('safetyMonitor.cityLink') }).click();
      await page.waitForURL(/\/safety\/assessments\?place=MAAGA/);
      // The place page's tables stay until the list is drawn: wait for the list's own rows.
      await expect
        .poll(async () => plain(await page.locator('main table').last().textContent()))
        .toContain(plain(m('safetyAssessment.synthetic')));
      await waitForSettled(page);
      expect(await page.locator('main table tbody tr').count()).toBeGreaterThanOrEqual(2);
      expect(plain(await page.locator('main table').textContent())).toContain(plain(m('safetyAssessment.synthetic')));
      await screenshot(page, `safety-monitor-list-${lang}`);
      await clean(page);

      // The second demonstration assessment: synthetic, read-only, with its change from the first.
      await page.locator('main table tbody tr').nth(1).getByRole('link').first().click();
      await page.locator('main #safety-changes').waitFor();
      await waitForSettled(page);
      const shown = plain(await page.locator('main').textContent());
      expect(shown).toContain(plain(m('safetyAssessment.syntheticNotice')));
      expect(shown).toContain(plain(m('safetyAssessment.readOnlySubmitted')));
      expect(await page.locator('main #safety-changes + p + ul li').count()).toBeGreaterThan(0);
      expect(await page.locator('main input[type="radio"]:not([disabled])').count()).toBe(0);
      await screenshot(page, `safety-monitor-demo-${lang}`);
      await clean(page);
      await page.setViewportSize({ width: 390, height: 844 });
      await fits(page);
      await screenshot(page, `safety-monitor-demo-${lang}-phone`);
      await page.setViewportSize({ width: 1280, height: 900 });

      // A new assessment (one per language: the English one starts from the Arabic one's submission).
      await page.goto(`/${lang}/safety/assessments?place=MAAGA`);
      await waitForSettled(page);
      await page.getByRole('button', { name: m('safetyAssessment.start') }).click();
      await page.waitForURL(/\/safety\/assessments\/\d+$/);
      await waitForSettled(page);
      // Prefilled from the synthetic approved values of 16.1.1 (crime statistics).
      const crime = page.locator('main section.safety-indicator').first();
      expect(plain(await crime.textContent())).toContain('16.1.1');
      const used = crime.getByRole('group', { name: m('safetyAssessment.check.used') });
      await used.getByLabel(m('safetyAssessment.answer.yes'), { exact: true }).check();
      await crime.getByLabel(m('safetyAssessment.note')).fill(lang === 'ar' ? 'ملاحظة اختبار' : 'A test note');
      await page.getByRole('button', { name: m('safetyAssessment.saveDraft') }).click();
      await page.getByText(m('safetyAssessment.saved')).waitFor();
      await screenshot(page, `safety-monitor-draft-${lang}`);
      await clean(page);
      await page.getByRole('button', { name: m('safetyAssessment.submit') }).click();
      await page.getByRole('button', { name: m('safetyAssessment.submitYes') }).click();
      await page.getByText(m('safetyAssessment.submittedNow')).waitFor();
      await page.getByText(m('safetyAssessment.readOnlySubmitted')).waitFor();
      expect(await page.locator('main input[type="radio"]:not([disabled])').count()).toBe(0);

      await page
        .getByRole('link', { name: m('safetyAssessment.profile') })
        .first()
        .click();
      await page.waitForURL(/\/profile$/);
      // The address changes before the profile's page is drawn (the router keeps the old page while the new one's
      // code loads): wait for the profile itself.
      await expect
        .poll(async () => plain(await page.locator('main').textContent()))
        .toContain(plain(m('safetyAssessment.cat.strengths')));
      await waitForSettled(page);
      const profile = plain(await page.locator('main').textContent());
      for (const k of ['strengths', 'connect', 'weakest'])
        expect(profile).toContain(plain(m(`safetyAssessment.cat.${k}`)));
      expect(profile).toContain(plain(m('safetyAssessment.profileView.rule')));
      await screenshot(page, `safety-monitor-profile-${lang}`);
      await clean(page);
      await page.setViewportSize({ width: 390, height: 844 });
      await fits(page);
      await screenshot(page, `safety-monitor-profile-${lang}-phone`);
      expect(problems).toEqual([]);
    });

  it("refuses the place's data validator (not a writer, not a reviewer), and lets an administrator open the framework's editor", async () => {
    const other = await openAs(
      suite.browser,
      suite.baseURL,
      demoAccount(suite.server, 'data-validator'),
      'en',
      contexts,
    );
    await other.page.goto('/en/safety/assessments?place=MAAGA');
    await other.page.locator('main h1').waitFor();
    await other.page.getByText(msg('en', 'safetyAssessment.forbidden')).waitFor();

    const { page, problems } = await as('administrator', 'en');
    await page.goto('/en/safety/monitor');
    await waitForSettled(page);
    await page.getByRole('link', { name: msg('en', 'safetyMonitor.edit.open') }).click();
    await page.waitForURL(/\/safety\/monitor\/edit$/);
    await expect.poll(() => page.locator('main fieldset.safety-indicator').count()).toBeGreaterThanOrEqual(15);
    await waitForSettled(page);
    await screenshot(page, 'safety-monitor-edit-en');
    await clean(page);
    // Filling the first empty slot and placing it under Community saves a new version, shown at once.
    const slot = page.locator('main fieldset.safety-indicator', {
      has: page.locator('legend', { hasText: new RegExp(`^\\s*${msg('en', 'safetyMonitor.slot', { n: '1' })}\\s*$`) }),
    });
    await slot.getByLabel(msg('en', 'safetyMonitor.edit.theme')).selectOption('community');
    await slot.locator('.lang-fields input[lang="en"]').first().fill('Browser test indicator');
    await page.getByLabel(msg('en', 'safetyMonitor.edit.note')).fill('browser test');
    await page.getByRole('button', { name: msg('en', 'safetyMonitor.edit.save') }).click();
    await page.waitForURL(/\/safety\/monitor\?version=\d+$/);
    await page.locator('main h3', { hasText: 'Browser test indicator' }).waitFor();
    expect(plain(await page.locator('main').textContent())).toContain(plain(msg('en', 'safetyMonitor.status.added')));
    expect(problems).toEqual([]);
  });
});
