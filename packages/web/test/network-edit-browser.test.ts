// Browser tests of the pages that add, edit and remove the network's partner organisations and coordination centres
// and the workshops (issue 19, item 2): an administrator's round trips in English and Arabic, the server's errors next
// to their fields in the reader's language, axe, and no edit links for the public. Screenshots at desktop and phone
// size go to /tmp/network-shots/ when MARSAD_SHOTS=1.

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  browserDecision,
  demoAccount,
  describeViolations,
  type Lang,
  msg,
  openAs,
  runAxe,
  useBrowserSuite,
  waitForSettled,
} from './browser-helpers.ts';

const decision = browserDecision();
if (decision.reason && !decision.run) console.warn(decision.reason);

const SHOTS = '/tmp/network-shots';

/** A full-page screenshot at desktop size and at 390×844, when MARSAD_SHOTS=1. */
async function shots(page: Page, name: string): Promise<void> {
  if (process.env.MARSAD_SHOTS !== '1') return;
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}-desktop.png`), fullPage: true });
  const size = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  // Nothing wider than the phone's screen.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: path.join(SHOTS, `${name}-phone.png`), fullPage: true });
  if (size) await page.setViewportSize(size);
}

describe.skipIf(!decision.run)('editing the network and workshops in Chromium', { timeout: 120_000 }, () => {
  const suite = useBrowserSuite();
  const open = (role: string | null, lang: Lang) =>
    openAs(suite.browser, suite.baseURL, role ? demoAccount(suite.server, role) : null, lang, suite.contexts);
  const serious = async (page: Page) => {
    const vs = (await runAxe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(vs, describeViolations(vs)).toEqual([]);
  };
  const faults = (problems: string[]) =>
    // The refused saves are the test's own (400 on purpose).
    problems.filter(
      (p) =>
        !p.includes('ERR_ABORTED') &&
        !/HTTP 400 for (POST|PATCH)/.test(p) &&
        !/status of 400 \(Bad Request\) \(http:\S+\/api\/v1\/(network|workshops)/.test(p),
    );
  const live = (page: Page, text: string) => page.locator('main [aria-live="polite"]').filter({ hasText: text });

  it('an administrator adds a partner (a bad date refused next to its field), edits it and removes it, in English', async () => {
    const { page, problems } = await open('administrator', 'en');
    const m = (k: string, v: Record<string, string> = {}) => msg('en', k, v);
    await page.goto('/en/network');
    await waitForSettled(page);
    await page.getByRole('link', { name: m('network.edit.addPartner'), exact: true }).click();
    await page.locator('main h1', { hasText: m('knowledge.form.net.addPartner') }).waitFor();
    const form = page.locator('main form.net-form');
    await form.locator('.lang-fields').first().locator('input[lang="en"]').fill('Safer Streets Alliance');
    await page.getByLabel(m('knowledge.form.net.type'), { exact: true }).selectOption('civil-society');
    await page.getByLabel(m('knowledge.form.net.joinedOn'), { exact: true }).fill('2024-05-01');
    const left = page.getByLabel(m('knowledge.form.net.leftOn'), { exact: true });
    await left.fill('2023-01-01');
    await page.getByRole('button', { name: m('knowledge.form.net.add'), exact: true }).click();
    // The server's refusal, translated, next to the field, which takes focus.
    await expect.poll(() => left.getAttribute('aria-invalid')).toBe('true');
    const described = (await left.getAttribute('aria-describedby'))!;
    expect(await page.locator(`[id="${described}"]`).innerText()).toContain(m('knowledge.err.net.leftBeforeJoined'));
    await expect.poll(() => left.evaluate((el) => el === document.activeElement)).toBe(true);
    await shots(page, 'en-partner-error');

    await left.fill('');
    await page.getByRole('button', { name: m('knowledge.form.net.add'), exact: true }).click();
    await live(page, m('knowledge.form.net.partnerAdded', { name: 'Safer Streets Alliance' })).waitFor();
    expect(new URL(page.url()).searchParams.get('id')).toMatch(/^\d+$/);
    const id = new URL(page.url()).searchParams.get('id')!;

    // Edited: a new name, then saved (announced).
    await form.locator('.lang-fields').first().locator('input[lang="en"]').fill('Safer Streets Alliance International');
    await page.getByRole('button', { name: m('knowledge.form.net.save'), exact: true }).click();
    await live(page, m('knowledge.form.net.saved')).waitFor();
    await serious(page);

    await page.goto('/en/network');
    await waitForSettled(page);
    const edit = page.getByRole('link', {
      name: m('network.edit.editNamed', { name: 'Safer Streets Alliance International' }),
      exact: true,
    });
    await edit.waitFor();
    // The year the partner joined (2024-05-01) heads its row of the table by year, as a year, not "2,024".
    const byYear = page.locator('table', { has: page.locator('caption', { hasText: m('network.byYear') }) });
    expect(await byYear.locator('tbody th').allInnerTexts()).toContain('2024');
    await serious(page);
    await shots(page, 'en-network-admin');
    await edit.click();
    await page.locator('main h1', { hasText: m('knowledge.form.net.editPartner') }).waitFor();
    expect(new URL(page.url()).searchParams.get('id')).toBe(id);

    // Removed after a question, which Escape dismisses; the keyboard reaches every step.
    const remove = page.getByRole('button', { name: m('knowledge.form.net.remove'), exact: true });
    await remove.click();
    const question = page.locator('main .confirm');
    await question.waitFor();
    await page.keyboard.press('Escape');
    await question.waitFor({ state: 'detached' });
    await remove.focus();
    await page.keyboard.press('Enter');
    await question.getByRole('button', { name: m('knowledge.form.net.remove'), exact: true }).click();
    await live(
      page,
      m('knowledge.form.net.partnerRemoved', { name: 'Safer Streets Alliance International' }),
    ).waitFor();
    await page.goto('/en/network');
    await waitForSettled(page);
    await page.locator('main #partners').waitFor();
    expect(await page.locator('main').innerText()).not.toContain('Safer Streets Alliance');
    expect(faults(problems)).toEqual([]);
  });

  it('an administrator adds a coordination centre and a workshop with two participants and a material, in Arabic', async () => {
    const { page, problems } = await open('administrator', 'ar');
    const m = (k: string, v: Record<string, string> = {}) => msg('ar', k, v);
    const pick = async (label: string) => {
      const picker = page.getByLabel(label, { exact: true });
      await picker.fill('MAAGA');
      const agadir = page.locator('.picker-list button').filter({ hasText: 'MAAGA' });
      await agadir.click();
      await page.locator('.picked').filter({ hasText: 'MAAGA' }).waitFor();
    };

    await page.goto('/ar/network');
    await waitForSettled(page);
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await page.getByRole('link', { name: m('network.edit.addCentre'), exact: true }).click();
    await page.locator('main h1', { hasText: m('knowledge.form.net.addCentre') }).waitFor();
    await page.locator('main form .lang-fields').first().locator('input[lang="ar"]').fill('مركز أكادير للمدن الآمنة');
    await pick(m('knowledge.form.net.centrePlace'));
    await page.getByLabel(m('knowledge.form.net.designatedOn'), { exact: true }).fill('2024-09-15');
    await page.getByRole('button', { name: m('knowledge.form.net.add'), exact: true }).click();
    await live(page, m('knowledge.form.net.centreAdded', { name: 'مركز أكادير للمدن الآمنة' })).waitFor();
    await serious(page);
    await shots(page, 'ar-centre');

    await page.goto('/ar/workshops');
    await waitForSettled(page);
    await page.getByRole('link', { name: m('network.edit.addWorkshop'), exact: true }).click();
    await page.locator('main h1', { hasText: m('knowledge.form.net.addWorkshop') }).waitFor();
    await page.getByLabel(m('knowledge.form.net.status'), { exact: true }).selectOption('published');
    await page
      .locator('main form .lang-fields')
      .first()
      .locator('input[lang="ar"]')
      .fill('ورشة عن سلامة الفضاءات العامة');
    await pick(m('knowledge.form.net.workshopPlace'));
    await page.getByLabel(m('knowledge.form.net.startsOn'), { exact: true }).fill('2025-03-10');
    const end = page.getByLabel(m('knowledge.form.net.endsOn'), { exact: true });
    await end.fill('2025-03-05');
    await page.getByLabel(m('workshops.total'), { exact: true }).fill('2');
    await page.getByLabel(m('workshops.female'), { exact: true }).fill('1');
    await page.getByLabel(m('workshops.male'), { exact: true }).fill('1');
    const find = page.getByLabel(m('knowledge.form.net.findMaterial'), { exact: true });
    await find.fill('الحضرية');
    const hit = page.locator('main .net-material-hits button').first();
    await hit.click();
    await page.locator('main .net-materials li').first().waitFor();
    expect(await page.locator('main .net-materials li').count()).toBe(1);
    await page.getByRole('button', { name: m('knowledge.form.net.add'), exact: true }).click();
    // An end before the start: the server's error, in Arabic, next to the end date.
    await expect.poll(() => end.getAttribute('aria-invalid')).toBe('true');
    const described = (await end.getAttribute('aria-describedby'))!;
    expect(await page.locator(`[id="${described}"]`).innerText()).toContain(m('knowledge.err.net.endBeforeStart'));
    await serious(page);
    await shots(page, 'ar-workshop-error');

    await end.fill('2025-03-12');
    await page.getByRole('button', { name: m('knowledge.form.net.add'), exact: true }).click();
    await live(page, m('knowledge.form.net.workshopAdded', { name: 'ورشة عن سلامة الفضاءات العامة' })).waitFor();
    const id = new URL(page.url()).searchParams.get('id')!;

    await page.goto('/ar/workshops');
    await waitForSettled(page);
    const listed = page.locator('main .hit').filter({ hasText: 'ورشة عن سلامة الفضاءات العامة' });
    await listed.waitFor();
    expect(await listed.innerText()).toMatch(/[2٢]/);
    expect(await listed.locator('a[href*="/network/workshop"]').count()).toBe(1);
    await serious(page);
    await shots(page, 'ar-workshops');

    await page.goto(`/ar/workshops/${id}`);
    await waitForSettled(page);
    expect(await page.locator('main').innerText()).toContain('ورشة عن سلامة الفضاءات العامة');
    expect(await page.locator('main a[href*="/knowledge/"]').count()).toBeGreaterThan(0);
    expect(faults(problems)).toEqual([]);
  });

  it('an editor may add workshops (links shown) but not partners or centres (no links, the pages say so)', async () => {
    const { page, problems } = await open('editor', 'en');
    await page.goto('/en/workshops');
    await waitForSettled(page);
    await page.getByRole('link', { name: msg('en', 'network.edit.addWorkshop'), exact: true }).waitFor();
    await page.goto('/en/network');
    await waitForSettled(page);
    await page.locator('main #partners').waitFor();
    expect(await page.locator('main a[href*="/network/partner"], main a[href*="/network/centre"]').count()).toBe(0);
    await page.goto('/en/network/centre');
    await page.locator('main .notice', { hasText: msg('en', 'knowledge.form.net.adminsOnly') }).waitFor();
    expect(faults(problems)).toEqual([]);
  });

  it('a signed-out visitor sees no link to add or edit, and the edit pages ask to sign in', async () => {
    const { page, problems } = await open(null, 'en');
    for (const address of ['/en/network', '/en/workshops']) {
      await page.goto(address);
      await waitForSettled(page);
      expect(await page.locator('main a[href*="/network/partner"], main a[href*="/network/centre"]').count()).toBe(0);
      expect(await page.locator('main a[href*="/network/workshop"]').count()).toBe(0);
    }
    await page.goto('/en/network/partner');
    await page.locator('main .notice', { hasText: msg('en', 'knowledge.form.net.signIn') }).waitFor();
    expect(await page.locator('main form').count()).toBe(0);
    await serious(page);
    expect(faults(problems)).toEqual([]);
  });
});
