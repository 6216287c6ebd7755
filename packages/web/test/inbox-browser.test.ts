// Browser test of the inbox's send back and reopen (issue 19, item 1): a data validator sends a value back with a
// reason (Arabic), the city focal point who entered it reads the reason in their inbox and beside the value in the
// entry form and corrects it (Arabic); the validator validates it and the national focal point approves it
// (English), then reopens it with a reason, which the provider reads. The reason field takes the focus and says what
// is wrong with it; axe on every page; at phone size nothing overflows. With MARSAD_SHOTS=1 the screenshots, desktop
// and phone (390 × 844), go to /tmp/inbox-shots.

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  browserDecision,
  demoAccount,
  describeViolations,
  htmlLangDir,
  type Lang,
  msg,
  openAs,
  plain,
  runAxe,
  useBrowserSuite,
  waitForSettled,
} from './browser-helpers.ts';

const decision = browserDecision();
if (decision.reason && !decision.run) console.warn(decision.reason);

const SHOTS = '/tmp/inbox-shots';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const SENT_BACK_REASON = 'المسح يعطي 12.5 % وليس 31.5 %: يرجى التحقق من المصدر.';
const REOPEN_REASON = 'The statistics office revised its 2025 survey.';

describe.skipIf(!decision.run)('the inbox: send back, correct, validate, approve, reopen', { timeout: 120_000 }, () => {
  const suite = useBrowserSuite();
  const account = (role: string) => demoAccount(suite.server, role);

  async function open(role: string, lang: Lang) {
    const { page, problems } = await openAs(suite.browser, suite.baseURL, account(role), lang, suite.contexts);
    return { page, problems };
  }
  /** A request of the API signed in as the role (its session cookie and CSRF token). */
  async function api(role: string, method: string, url: string, body?: unknown) {
    const login = await fetch(`${suite.baseURL}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: account(role).email, password: account(role).password }),
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
    const r = await fetch(`${suite.baseURL}${url}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: r.status, json: (await r.json()) as Record<string, unknown> };
  }
  const serious = async (page: Page) => {
    const v = (await runAxe(page)).filter((x) => x.impact === 'serious' || x.impact === 'critical');
    expect(v, describeViolations(v)).toEqual([]);
  };
  const faults = (problems: string[]) => problems.filter((p) => !p.includes('ERR_ABORTED'));
  /** Screenshots at desktop and phone size; at phone size the page is no wider than the screen. */
  async function shots(page: Page, name: string, part?: Locator) {
    for (const [size, viewport] of [
      ['phone', PHONE],
      ['desktop', DESKTOP],
    ] as const) {
      await page.setViewportSize(viewport);
      if (size === 'phone') {
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${name}: the page is wider than the phone`).toBeLessThanOrEqual(0);
        // Targets a finger can hit (24 × 24 px), as the phone walk checks (phone-walk.ts).
        const small = await runAxe(page, { runOnly: { type: 'rule', values: ['target-size'] } });
        expect(small, describeViolations(small)).toEqual([]);
      }
      if (process.env.MARSAD_SHOTS === '1') {
        await mkdir(SHOTS, { recursive: true });
        const file = path.join(SHOTS, `${name}-${size}.png`);
        // At the top of the window: the form's sticky buttons at the bottom would cover it.
        if (part) {
          await part.evaluate((el) => el.scrollIntoView({ block: 'start' }));
          await part.screenshot({ path: file });
        } else await page.screenshot({ path: file, fullPage: true });
      }
    }
  }
  const section = (page: Page, id: string) => page.locator(`section[aria-labelledby="${id}"]`);
  const inboxLoaded = async (page: Page) => {
    await page.goto('/inbox');
    await page.locator('main h2').first().waitFor();
    await waitForSettled(page);
  };

  it('runs a value through send back, correction, validation, approval and reopening', async () => {
    // The city focal point of Agadir enters 31.5 for 2025 (the demonstration data has earlier approved values).
    const entered = await api('city-focal-point', 'POST', '/api/v1/entry', {
      place: 'MAAGA',
      period: '2025',
      entries: [
        { indicator: '11.1.1', value: 31.5, source: 'Agadir statistics office', note: 'Household survey 2025' },
      ],
    });
    expect(entered.status, JSON.stringify(entered.json)).toBe(201);

    // 1. The data validator (Arabic) sends it back: the reason field takes the focus and refuses an empty reason.
    {
      const { page, problems } = await open('data-validator', 'ar');
      await inboxLoaded(page);
      expect(await htmlLangDir(page)).toEqual({ lang: 'ar', dir: 'rtl' });
      const validate = section(page, 'inbox-validate');
      const row = validate.locator('tbody tr').first();
      // What the decision needs: names in Arabic, the unit, source and note, the previous value and the change.
      const text = plain(await row.innerText());
      expect(text).toContain('أكادير');
      expect(text).toContain('Agadir statistics office');
      expect(text).toContain('Household survey 2025');
      expect(text).toContain(plain(msg('ar', 'inbox.points', { n: '' })).trim());
      await row.locator('input[type=checkbox]').check();
      const sendBack = validate.getByRole('button', { name: new RegExp(msg('ar', 'inbox.sendBack')) });
      await sendBack.click();
      const reason = validate.locator('.reason-form textarea');
      await expect.poll(() => reason.evaluate((el) => el === document.activeElement)).toBe(true);
      await validate.locator('.reason-form button[type=submit]').click();
      const error = validate.locator('.reason-form [role=alert]');
      await expect.poll(() => error.innerText()).toContain(plain(msg('ar', 'inbox.reasonInvalid', { min: '٥' })));
      expect(await reason.getAttribute('aria-invalid')).toBe('true');
      expect(await reason.evaluate((el) => el === document.activeElement)).toBe(true);
      await reason.fill(SENT_BACK_REASON);
      await serious(page);
      await shots(page, 'ar-validator-send-back');
      await validate.locator('.reason-form button[type=submit]').click();
      // Said at the top of the page, which takes the focus.
      const done = page.locator('main [role=status].notice');
      await done.waitFor();
      expect(plain(await done.innerText())).toContain(plain(msg('ar', 'inbox.sentBackDone', { n: '١' })));
      await expect.poll(() => done.evaluate((el) => el === document.activeElement)).toBe(true);
      // It waits for its provider, with the reason.
      await section(page, 'inbox-awaiting').waitFor();
      expect(await section(page, 'inbox-awaiting').innerText()).toContain(SENT_BACK_REASON.slice(0, 10));
      expect(faults(problems)).toEqual([]);
    }

    // 2. The city focal point (Arabic) reads the reason in the inbox and beside the value, and corrects it.
    {
      const { page, problems } = await open('city-focal-point', 'ar');
      await inboxLoaded(page);
      const mine = section(page, 'inbox-sent-back');
      const reasonShown = mine.locator('.returned .reason');
      expect(plain(await reasonShown.innerText())).toBe(SENT_BACK_REASON);
      expect(await reasonShown.getAttribute('dir')).toBe('auto');
      // The header counts the value sent back.
      expect(plain(await page.locator('header a[href="/ar/inbox"]').innerText())).toContain('١');
      await serious(page);
      await shots(page, 'ar-provider-inbox');
      await mine
        .getByRole('link', { name: /11\.1\.1/ })
        .last()
        .click();
      await page.waitForURL(/\/ar\/entry\?/);
      const value = page.locator('[id="e-value-11_1_1_EN_LND_SLUM_"]');
      await value.waitFor();
      const returned = page.locator('.entry-status .returned');
      expect(plain(await returned.innerText())).toContain(SENT_BACK_REASON);
      // The field is described by the reason (a screen reader says it with the field).
      expect(await value.getAttribute('aria-describedby')).toContain(await returned.getAttribute('id'));
      // Listed at the top too, with a link to the field (on a phone the table scrolls sideways).
      const notice = page.locator('.sent-back-notice');
      expect(plain(await notice.innerText())).toContain(SENT_BACK_REASON);
      expect(await notice.locator('a').getAttribute('href')).toBe('#e-value-11_1_1_EN_LND_SLUM_');
      await serious(page);
      await shots(page, 'ar-provider-entry-notice', notice);
      await shots(page, 'ar-provider-entry', page.locator('details.entry-indicator', { has: value }));
      await value.fill('12.5');
      await page.click('form.entry-form button[type=submit]');
      await page.locator('form.entry-form [role=status]').waitFor();
      await expect.poll(async () => page.locator('.entry-status .returned').count()).toBe(0);
      expect(faults(problems)).toEqual([]);
    }

    // 3. The validator validates the corrected value, the national focal point approves it (English).
    for (const [role, id, button] of [
      ['data-validator', 'inbox-validate', 'inbox.validate'],
      ['national-focal-point', 'inbox-approve', 'inbox.approve'],
    ] as const) {
      const { page, problems } = await open(role, 'en');
      await inboxLoaded(page);
      const queue = section(page, id);
      const row = queue.locator('tbody tr').first();
      // Corrected since it was sent back: the reason is still shown, marked so.
      expect(await row.locator('.returned').innerText()).toContain(msg('en', 'inbox.correctedSince'));
      expect(await row.innerText()).toContain('12.5');
      await row.locator('input[type=checkbox]').check();
      await queue.getByRole('button', { name: new RegExp(msg('en', button)) }).click();
      await page.locator('main [role=status].notice').waitFor();
      await serious(page);
      if (role === 'data-validator') await shots(page, 'en-validator-validated');
      expect(faults(problems)).toEqual([]);
    }

    // 4. The national focal point reopens the approved value with a reason (Escape closes the field first).
    {
      const { page, problems } = await open('national-focal-point', 'en');
      await inboxLoaded(page);
      const approved = section(page, 'inbox-approved');
      await approved.locator('tbody tr input[type=checkbox]').first().check();
      const reopen = approved.getByRole('button', { name: new RegExp(msg('en', 'inbox.reopen')) });
      await reopen.click();
      expect(await reopen.getAttribute('aria-expanded')).toBe('true');
      await page.keyboard.press('Escape');
      await expect.poll(() => reopen.evaluate((el) => el === document.activeElement)).toBe(true);
      expect(await approved.locator('.reason-form').count()).toBe(0);
      await reopen.click();
      await approved.locator('.reason-form textarea').fill(REOPEN_REASON);
      await shots(page, 'en-national-reopen');
      await approved.locator('.reason-form button[type=submit]').click();
      await page.locator('main [role=status].notice').waitFor();
      expect(await page.locator('main [role=status].notice').innerText()).toBe(
        msg('en', 'inbox.reopenedDone', { n: '1' }),
      );
      await serious(page);
      expect(faults(problems)).toEqual([]);
    }

    // 5. The provider sees why it was reopened; the history lists every step.
    {
      const { page, problems } = await open('city-focal-point', 'en');
      await inboxLoaded(page);
      const mine = section(page, 'inbox-sent-back');
      expect(await mine.locator('.returned').innerText()).toContain(REOPEN_REASON);
      await mine.locator('details.value-history summary').first().click();
      const steps = mine.locator('details.value-history li');
      await expect.poll(() => steps.count()).toBe(6);
      expect(await steps.allInnerTexts()).toEqual([
        expect.stringContaining(msg('en', 'inbox.step.entered')),
        expect.stringContaining(msg('en', 'inbox.step.sent-back')),
        expect.stringContaining(msg('en', 'inbox.step.corrected')),
        expect.stringContaining(msg('en', 'inbox.step.validated')),
        expect.stringContaining(msg('en', 'inbox.step.approved')),
        expect.stringContaining(REOPEN_REASON),
      ]);
      await serious(page);
      await shots(page, 'en-provider-reopened');
      expect(faults(problems)).toEqual([]);
    }
  });
});
