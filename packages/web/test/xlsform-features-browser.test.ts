// Browser test of the XLSForm features KoboToolbox users expect (issue 19, item 4): an administrator imports a
// KoboToolbox-style workbook in English (Kobo's own columns listed as notices) and is told in their language that an
// .xls file must be saved as .xlsx; a city focal point answers it in English — a cascading select (choice_filter),
// "other" with its text (or_other), a point by its coordinates and by a click on the map (geopoint), a repeat of N
// (repeat_count), labels showing earlier answers — saves and reads it back; then in Arabic changes the country (the
// city chosen is no longer offered, and is said so), the number of measures, saves and reads back. Metadata is
// filled by the page, and the instance name is shown and listed. axe-core finds no serious violation; screenshots at
// desktop and phone size (390×844) go to /tmp/xlsform-shots with MARSAD_SHOTS=1.

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { featuresWorkbook, XLS_BYTES } from '../../server/test/xlsform-features-fixtures.ts';
import {
  browserDecision,
  describeViolations,
  htmlLangDir,
  type Lang,
  msg,
  openAs,
  plain,
  runAxe,
  useBrowserSuite,
} from './browser-helpers.ts';

const decision = browserDecision();
if (decision.reason && !decision.run) console.warn(decision.reason);

const ADMIN = 'administrator@demo.marsad.example';
const FOCAL = 'city-focal-point@demo.marsad.example';
const SHOTS = '/tmp/xlsform-shots';

/** Full-page screenshots at desktop and phone size, with MARSAD_SHOTS=1 (each costs about a second). */
async function shots(page: Page, name: string): Promise<void> {
  if (process.env.MARSAD_SHOTS !== '1') return;
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: path.join(SHOTS, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
}

describe.skipIf(!decision.run)('XLSForm features in Chromium', { timeout: 120_000 }, () => {
  const suite = useBrowserSuite();

  async function as(email: string, lang: Lang): Promise<{ page: Page; problems: string[]; ctx: BrowserContext }> {
    const a = suite.server.accounts.find((x) => x.email === email);
    if (!a) throw new Error(`no demonstration account ${email}`);
    return openAs(suite.browser, suite.baseURL, a, lang, suite.contexts);
  }
  const axeOk = async (page: Page, name: string) => {
    const v = (await runAxe(page)).filter((x) => x.impact === 'serious' || x.impact === 'critical');
    expect(v, `${name}: ${describeViolations(v)}`).toEqual([]);
  };
  const faults = (problems: string[]) =>
    // The answers refused on purpose below (a 400 to an .xls upload) are the page's to show, not faults.
    problems.filter(
      (p) =>
        !p.includes('ERR_ABORTED') &&
        !/HTTP 400 for POST .*questionnaires\/import/.test(p) &&
        !/status of 400 .*questionnaires\/import/.test(p),
    );

  it('imports a KoboToolbox form and answers it in English and Arabic', async () => {
    // 1. The administrator imports the workbook in English: Kobo's own columns are listed as notices.
    const admin = await as(ADMIN, 'en');
    await admin.page.goto('/en/reviews/cycles/new');
    await admin.page.locator('#xlsform-file').waitFor();
    const upload = async (name: string, buffer: Buffer) => {
      await admin.page.setInputFiles('#xlsform-file', { name, mimeType: 'application/octet-stream', buffer });
      await admin.page.getByRole('button', { name: msg('en', 'reviews.import.button'), exact: true }).click();
    };
    await upload('old-form.xls', XLS_BYTES);
    const result = admin.page.locator('.xlsform-result');
    await expect.poll(() => result.innerText()).toContain(msg('en', 'reviews.import.xlsFile'));
    await upload('kobo_features.xlsx', await featuresWorkbook());
    await expect.poll(() => result.innerText()).toContain(msg('en', 'reviews.import.done', { n: '1' }));
    const notices = plain(await result.innerText());
    expect(notices).toContain(msg('en', 'reviews.import.notices'));
    expect(notices).toContain('“kobo--score-choices” belongs to KoboToolbox itself: ignored.');
    expect(notices).toContain('“phonenumber” is read, but a web browser does not give it: it stays empty.');
    await axeOk(admin.page, 'import (en)');
    await shots(admin.page, 'import-en');
    const versionId = Number(await admin.page.inputValue('#cycle-questionnaire'));
    expect(versionId).toBeGreaterThan(0);
    // The cycle itself through the API (its page is tested in reviews-browser.test.ts).
    const me = (await (await admin.ctx.request.get('/api/v1/auth/me')).json()) as { csrfToken: string };
    const cycle = await admin.ctx.request.post('/api/v1/review-cycles', {
      headers: { 'x-csrf-token': me.csrfToken },
      data: {
        kind: 'national-nua-report',
        titles: { en: 'Measures by city', ar: 'التدابير حسب المدينة' },
        startsOn: '2026-01-01',
        endsOn: '2026-12-31',
        questionnaireVersionId: versionId,
        participants: ['MAAGA'],
      },
    });
    expect(cycle.status(), await cycle.text()).toBe(201);
    const submissionId = ((await cycle.json()) as { participants: { submission: { id: number } }[] }).participants[0]!
      .submission.id;
    expect(faults(admin.problems)).toEqual([]);

    // 2. The focal point answers in English.
    const en = await as(FOCAL, 'en');
    await en.page.goto(`/en/reviews/submissions/${submissionId}`);
    const page = en.page;
    await page.locator('form.review-form').waitFor();
    // Metadata is never asked.
    for (const name of ['start', 'end', 'today', 'deviceid', 'username', 'phonenumber']) {
      expect(await page.locator(`#q-${name}`).count(), name).toBe(0);
    }
    await page.locator('#q-country--ma').check();
    // The label shows the country chosen; the cascading select offers its cities only.
    await expect.poll(() => page.locator('#q-city legend').innerText().then(plain)).toContain('A city of Morocco');
    await expect
      .poll(() =>
        page.locator('#q-city input[type="radio"]').evaluateAll((l) => l.map((x) => (x as HTMLInputElement).value)),
      )
      .toEqual(['agadir', 'rabat']);
    await page.locator('#q-city--agadir').check();
    // "Other", and its text.
    await page.locator('#q-partner--other').check();
    await page.fill('#q-partner_other', 'Chamber of commerce');
    await page.locator('#q-others--police').check();
    await page.locator('#q-others--other').check();
    await page.fill('#q-others_other', 'Neighbourhood association');
    // The point: a click on the map sets it, then the coordinates typed.
    await expect.poll(() => page.locator('#q-site legend').innerText().then(plain)).toContain('Where in Agadir');
    const map = page.locator('#q-site-map');
    await map.waitFor();
    await map.scrollIntoViewIfNeeded();
    const box = (await map.boundingBox())!;
    await map.click({ position: { x: box.width * 0.55, y: box.height * 0.35 } });
    await expect.poll(() => page.inputValue('#q-site-latitude')).not.toBe('');
    expect(Math.abs(Number(await page.inputValue('#q-site-latitude')))).toBeLessThanOrEqual(90);
    await page.locator('#q-site .geopoint-marker').waitFor();
    await page.fill('#q-site-latitude', '30.4202');
    await page.fill('#q-site-longitude', '-9.5982');
    await page.fill('#q-site-altitude', '31');
    // A point off the globe is said so.
    await page.fill('#q-site-accuracy', '-5');
    await expect.poll(() => page.locator('#q-site-error').innerText()).toContain(msg('en', 'reviews.form.geo.invalid'));
    await page.fill('#q-site-accuracy', '8');
    await expect.poll(() => page.locator('#q-site-error').count()).toBe(0);
    // A repeat of N: as many entries as the answer gives, none added by hand.
    await page.fill('#q-measures_count', '2');
    await expect.poll(() => page.locator('#q-measure-title ~ fieldset').count()).toBe(2);
    expect(await page.locator('#q-measure-add').count()).toBe(0);
    expect(plain(await page.locator('#q-measure-title').innerText())).toBe('Measures taken in Agadir');
    await page.fill('#q-measure-0-measure_name', 'Street lighting');
    await page.fill('#q-measure-1-measure_name', 'Safe routes to school');
    await expect.poll(() => page.locator('.problem-summary').innerText()).toBe('');
    await page.getByRole('button', { name: msg('en', 'reviews.form.saveDraft') }).click();
    await expect.poll(() => page.locator('.problem-summary').innerText()).toContain(msg('en', 'reviews.form.saved'));
    await axeOk(page, 'form (en)');
    await shots(page, 'form-en');
    // Read back: the page drawn again from what the server stored.
    await page.reload();
    await page.locator('form.review-form').waitFor();
    expect(await page.inputValue('#q-partner_other')).toBe('Chamber of commerce');
    expect(await page.inputValue('#q-others_other')).toBe('Neighbourhood association');
    expect(await page.inputValue('#q-site-latitude')).toBe('30.4202');
    expect(await page.inputValue('#q-site-accuracy')).toBe('8');
    expect(await page.inputValue('#q-measure-1-measure_name')).toBe('Safe routes to school');
    await expect
      .poll(() => page.locator('.instance-name').innerText().then(plain))
      .toMatch(new RegExp(`^${msg('en', 'reviews.submission.instanceName')}: agadir – \\d{4}-\\d{2}-\\d{2}$`));
    expect(faults(en.problems)).toEqual([]);

    // 3. In Arabic: another country, so the city chosen is no longer offered; one measure fewer.
    const ar = await as(FOCAL, 'ar');
    await ar.page.goto(`/reviews/submissions/${submissionId}`);
    const p = ar.page;
    await p.locator('form.review-form').waitFor();
    expect(await htmlLangDir(p)).toEqual({ lang: 'ar', dir: 'rtl' });
    expect(plain(await p.locator('#q-city legend').innerText())).toContain('مدينة في المغرب');
    await p.locator('#q-country--kz').check();
    await expect.poll(() => p.locator('#q-city legend').innerText().then(plain)).toContain('مدينة في كازاخستان');
    await expect.poll(() => p.locator('#q-city-error').innerText()).toContain(msg('ar', 'reviews.form.filteredChoice'));
    expect(await p.locator('#q-city--agadir').count()).toBe(0);
    await p.locator('#q-city--almaty').check();
    await expect.poll(() => p.locator('#q-city-error').count()).toBe(0);
    await p.fill('#q-measures_count', '1');
    await expect.poll(() => p.locator('#q-measure-title ~ fieldset').count()).toBe(1);
    await expect
      .poll(() => p.locator('#q-measure-title ~ .q-repeat-count').innerText().then(plain))
      .toBe(plain(msg('ar', 'reviews.form.repeatCount', { n: '١' })));
    await p.fill('#q-partner_other', 'غرفة التجارة والصناعة');
    // The map in a right-to-left page is still drawn left to right, and its caption says how to set the point.
    expect(await p.locator('#q-site .geopoint-caption').innerText()).toContain(
      plain(msg('ar', 'reviews.form.geo.mapHint')),
    );
    await p.getByRole('button', { name: msg('ar', 'reviews.form.saveDraft') }).click();
    await expect.poll(() => p.locator('.problem-summary').innerText()).toContain(msg('ar', 'reviews.form.saved'));
    // The name of the answers follows the city (instance_name, computed by the server on save).
    await expect.poll(() => p.locator('.instance-name').innerText().then(plain)).toContain('almaty – ');
    await axeOk(p, 'form (ar)');
    await shots(p, 'form-ar');

    // 4. Read back through the API: the answers, the metadata the page filled, the instance name stored and listed.
    const view = (await (await ar.ctx.request.get(`/api/v1/review-submissions/${submissionId}?lang=ar`)).json()) as {
      answers: Record<string, unknown>;
      instanceName: string;
    };
    expect(view.answers).toMatchObject({
      country: 'kz',
      city: 'almaty',
      partner: 'other',
      partner_other: 'غرفة التجارة والصناعة',
      others: ['police', 'other'],
      others_other: 'Neighbourhood association',
      site: '30.4202 -9.5982 31 8',
      measures_count: 1,
      measure: [{ measure_name: 'Street lighting' }],
      username: FOCAL,
    });
    expect(view.answers.start).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/);
    expect(view.answers.end).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(view.answers.deviceid).toMatch(/^marsad:[0-9a-f]{32}$/);
    expect(view.answers.phonenumber).toBeUndefined();
    expect(view.instanceName).toMatch(/^almaty – \d{4}-\d{2}-\d{2}$/);
    await p.goto('/reviews');
    await expect.poll(() => p.locator('main').innerText().then(plain)).toContain(view.instanceName);
    expect(faults(ar.problems)).toEqual([]);
  });
});
