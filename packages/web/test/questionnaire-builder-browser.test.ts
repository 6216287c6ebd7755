// Browser test of the questionnaire builder (issue 19, item 3): an administrator opens it from the new cycle's page,
// builds a questionnaire in English — a section, a select_one with three choices, a required integer with a
// constraint and its message, shown by a relevance — sees an invalid expression's error next to its field, watches the
// live preview follow the relevance and the constraint, saves, uses it in a cycle, exports it to XLSForm and imports
// the workbook back (the same questionnaire); then edits it in Arabic into its next version. axe-core on the builder
// in both languages. Screenshots (desktop and 390×844) into /tmp/builder-shots/ with MARSAD_SHOTS=1.

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
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
const FORM_ID = 'builder_test';
const SHOTS = '/tmp/builder-shots';

async function shots(page: Page, name: string): Promise<void> {
  if (process.env.MARSAD_SHOTS !== '1') return;
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}-desktop.png`), fullPage: true });
  const size = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: path.join(SHOTS, `${name}-phone.png`), fullPage: true });
  // What a phone shows at once: the top of the builder, a question, and the preview.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SHOTS, `${name}-phone-top.png`) });
  await page.locator('#builder-q-0-1').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SHOTS, `${name}-phone-question.png`) });
  await page.locator('.builder-preview').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SHOTS, `${name}-phone-preview.png`) });
  if (size) await page.setViewportSize(size);
}

describe.skipIf(!decision.run)('the questionnaire builder in Chromium', { timeout: 120_000 }, () => {
  const suite = useBrowserSuite();
  const state: { questionnaireId?: number; versionId?: number } = {};

  async function as(lang: Lang): Promise<{ page: Page; problems: string[]; ctx: BrowserContext }> {
    const a = suite.server.accounts.find((x) => x.email === ADMIN);
    if (!a) throw new Error(`no demonstration account ${ADMIN}`);
    return openAs(suite.browser, suite.baseURL, a, lang, suite.contexts);
  }
  const axeOk = async (page: Page, name: string) => {
    const v = (await runAxe(page)).filter((x) => x.impact === 'serious' || x.impact === 'critical');
    expect(v, `${name}: ${describeViolations(v)}`).toEqual([]);
  };
  const csrf = async (ctx: BrowserContext) =>
    ((await (await ctx.request.get('/api/v1/auth/me')).json()) as { csrfToken: string }).csrfToken;
  /** Exports a version to XLSForm and imports the workbook back (dry run, then for real): the same questionnaire. */
  const roundTrip = async (ctx: BrowserContext, versionId: number) => {
    const version = (await (await ctx.request.get(`/api/v1/questionnaire-versions/${versionId}`)).json()) as {
      definition: unknown;
      number: number;
    };
    const file = await ctx.request.get(`/api/v1/questionnaire-versions/${versionId}/xlsform`);
    expect(file.status()).toBe(200);
    const bytes = await file.body();
    const headers = {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'X-CSRF-Token': await csrf(ctx),
    };
    const dry = await ctx.request.post(`/api/v1/questionnaires/import?dryRun=true&fileName=${FORM_ID}.xlsx`, {
      data: bytes,
      headers,
    });
    expect(dry.status(), await dry.text()).toBe(200);
    expect(((await dry.json()) as { definition: unknown }).definition).toEqual(version.definition);
    // Imported for real, the same definition adds no version.
    const real = await ctx.request.post(`/api/v1/questionnaires/import?fileName=${FORM_ID}.xlsx`, {
      data: bytes,
      headers,
    });
    expect(real.status(), await real.text()).toBe(200);
    const saved = (await real.json()) as { created: boolean; version: { id: number; number: number } };
    expect(saved.created).toBe(false);
    expect(saved.version.number).toBe(version.number);
  };

  it('builds, previews, saves, uses, exports and imports back a questionnaire (English)', async () => {
    const { page, problems, ctx } = await as('en');
    const en = (key: string, values: Record<string, string> = {}) => plain(msg('en', key, values));
    await page.goto('/reviews/cycles/new');
    await page.getByRole('link', { name: en('reviews.builder.newLink') }).click();
    await page.waitForURL(/\/en\/reviews\/questionnaires\/new$/);
    await expect.poll(() => page.locator('main h1').first().innerText()).toBe(en('reviews.builder.titleNew'));
    await page.fill('#builder-form-id', FORM_ID);
    await page.fill('#builder-title', 'Safety plan survey');

    // A section, and in it a select_one with three choices.
    await page.getByRole('button', { name: en('reviews.builder.addSection') }).click();
    await page.fill('#builder-q-0-name', 'plan');
    await page.fill('#builder-q-0-label-en', 'The city plan');
    await page.getByRole('button', { name: en('reviews.builder.addInside', { section: 'plan' }) }).click();
    await page.locator('#builder-q-0-0-type').selectOption('select_one');
    await page.fill('#builder-q-0-0-name', 'has_plan');
    await page.fill('#builder-q-0-0-label-en', 'Does the city have a safety plan?');
    const choices = [
      ['yes', 'Yes'],
      ['no', 'No'],
      ['partly', 'Partly'],
    ] as const;
    for (const [i, [name, label]] of choices.entries()) {
      await page.getByRole('button', { name: en('reviews.builder.addChoice') }).click();
      await page.fill(`#builder-q-0-0-choice-${i}-name`, name);
      await page.fill(`#builder-q-0-0-choice-${i}-label-en`, label);
    }
    // Reordered with the buttons: "partly" up, then back down.
    await page.getByRole('button', { name: en('reviews.builder.choiceUp', { n: '3' }) }).click();
    expect(await page.inputValue('#builder-q-0-0-choice-1-name')).toBe('partly');
    await page.getByRole('button', { name: en('reviews.builder.choiceDown', { n: '2' }) }).click();
    expect(await page.inputValue('#builder-q-0-0-choice-2-name')).toBe('partly');

    // A required integer with a constraint and its message, shown when the plan exists.
    await page.getByRole('button', { name: en('reviews.builder.addInside', { section: 'plan' }) }).click();
    await page.locator('#builder-q-0-1-type').selectOption('integer');
    await page.fill('#builder-q-0-1-name', 'staff');
    await page.fill('#builder-q-0-1-label-en', 'How many people work on it?');
    await page.locator('#builder-q-0-1 .builder-check input').check();
    await page.fill('#builder-q-0-1-required-message-en', 'Say how many people work on the plan.');
    await page.fill('#builder-q-0-1-constraint', '. >= 0 and . <= 1000');
    await page.fill('#builder-q-0-1-constraint-message-en', 'Between 0 and 1000.');
    // An invalid expression: its error next to the field, in English, as typed.
    await page.fill('#builder-q-0-1-relevant', '${nope} = 1');
    const relevantError = page.locator('#builder-q-0-1-relevant-error');
    await expect
      .poll(() => relevantError.locator('[data-problem]').getAttribute('data-problem'))
      .toBe('expression:unknown-reference');
    expect(plain(await relevantError.innerText())).toContain(
      en('reviews.import.problem.expression.unknown-reference', { ref: '${nope}' }),
    );
    expect(await page.getAttribute('#builder-q-0-1-relevant', 'aria-invalid')).toBe('true');
    await page.fill('#builder-q-0-1-relevant', "${has_plan} = 'yes'");
    await expect.poll(() => relevantError.count()).toBe(0);
    await expect.poll(() => page.getAttribute('#builder-problems', 'data-problems')).toBe('0');

    // Move the section's second question up and back down, by keyboard.
    await page.getByRole('button', { name: en('reviews.builder.moveUp', { name: 'staff' }) }).focus();
    await page.keyboard.press('Enter');
    expect(await page.inputValue('#builder-q-0-0-name')).toBe('staff');
    await page.getByRole('button', { name: en('reviews.builder.moveDown', { name: 'staff' }) }).focus();
    await page.keyboard.press('Enter');
    expect(await page.inputValue('#builder-q-0-1-name')).toBe('staff');

    // A second section with a question, removed after a confirmation (it holds a question).
    await page.getByRole('button', { name: en('reviews.builder.addSection') }).click();
    await page.fill('#builder-q-1-name', 'spare');
    await page.getByRole('button', { name: en('reviews.builder.addInside', { section: 'spare' }) }).click();
    await page.getByRole('button', { name: en('reviews.builder.remove', { name: 'spare' }) }).click();
    await page.getByRole('button', { name: en('reviews.builder.removeYes'), exact: true }).click();
    await expect.poll(() => page.locator('#builder-q-1').count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('builder-q-0-type');

    // The live preview: the relevance shows the integer; the constraint's message shows on a wrong answer.
    const preview = page.locator('.builder-preview');
    await preview.locator('#q-has_plan--no').check();
    expect(await preview.locator('#q-staff').count()).toBe(0);
    await preview.locator('#q-has_plan--yes').check();
    await preview.locator('#q-staff').fill('5000');
    await expect.poll(() => preview.locator('#q-staff-error').innerText()).toContain('Between 0 and 1000.');
    await preview.locator('#q-staff').fill('12');
    await axeOk(page, 'builder (en)');
    await shots(page, 'builder-en-new');

    // Saved: the builder goes to the questionnaire's edit page, which exports it.
    await page.getByRole('button', { name: en('reviews.builder.save') }).click();
    await page.waitForURL(/\/en\/reviews\/questionnaires\/\d+\/edit$/);
    state.questionnaireId = Number(/questionnaires\/(\d+)\/edit/.exec(page.url())![1]);
    const exportLink = page.locator('[data-testid="builder-export"]');
    await exportLink.waitFor();
    state.versionId = Number(
      /questionnaire-versions\/(\d+)\/xlsform/.exec((await exportLink.getAttribute('href'))!)![1],
    );

    // The saved model: what the JSON API gives, with the rules built.
    const saved = (await (await ctx.request.get(`/api/v1/questionnaire-versions/${state.versionId}`)).json()) as {
      definition: {
        questions: { type: string; name: string; children: Record<string, unknown>[] }[];
        choiceLists: { choices: { name: string }[] }[];
        languages: { code: string }[];
      };
    };
    const section = saved.definition.questions[0]!;
    expect(section).toMatchObject({ type: 'group', name: 'plan', label: { en: 'The city plan' } });
    expect(section.children[0]).toMatchObject({ type: 'select_one', name: 'has_plan' });
    expect(section.children[1]).toMatchObject({
      type: 'integer',
      name: 'staff',
      required: true,
      relevant: "${has_plan} = 'yes'",
      constraint: '. >= 0 and . <= 1000',
      constraintMessage: { en: 'Between 0 and 1000.' },
      requiredMessage: { en: 'Say how many people work on the plan.' },
    });
    expect(saved.definition.choiceLists[0]!.choices.map((c) => c.name)).toEqual(['yes', 'no', 'partly']);
    expect(saved.definition.languages.map((l) => l.code)).toEqual(['en']);

    // Used in a cycle (through the API), exported and imported back: the same questionnaire.
    const cycle = await ctx.request.post('/api/v1/review-cycles', {
      data: {
        kind: 'voluntary-local-review',
        titles: { en: 'Builder cycle' },
        startsOn: '2026-01-01',
        endsOn: '2026-12-31',
        questionnaireVersionId: state.versionId,
        participants: ['MAAGA'],
      },
      headers: { 'X-CSRF-Token': await csrf(ctx) },
    });
    expect(cycle.status(), await cycle.text()).toBe(201);
    await roundTrip(ctx, state.versionId);
    expect(problems).toEqual([]);
  });

  it('edits the questionnaire in Arabic into its next version', async () => {
    expect(state.questionnaireId).toBeDefined();
    const { page, problems, ctx } = await as('ar');
    const ar = (key: string, values: Record<string, string> = {}) => plain(msg('ar', key, values));
    await page.goto('/reviews/cycles/new');
    const option = page.locator('#cycle-questionnaire option', { hasText: FORM_ID });
    await option.waitFor({ state: 'attached' });
    await page.locator('#cycle-questionnaire').selectOption({ value: (await option.getAttribute('value'))! });
    await page.getByRole('link', { name: ar('reviews.builder.editLink', { name: FORM_ID }) }).click();
    await page.waitForURL(/\/ar\/reviews\/questionnaires\/\d+\/edit$/);
    await expect
      .poll(async () => plain(await page.locator('main h1').first().innerText()))
      .toContain(ar('reviews.builder.titleEdit'));
    expect(await htmlLangDir(page)).toEqual({ lang: 'ar', dir: 'rtl' });
    expect(await page.getAttribute('#builder-form-id', 'readonly')).not.toBeNull();

    // An expression in a hint reads left to right in Arabic too: its first character left of its last.
    const ends = await page.evaluate(() => {
      const code = document.querySelector('#builder-q-0-1-relevant-hint code');
      const text = code?.firstChild;
      if (!text?.textContent) return null;
      const at = (i: number) => {
        const r = document.createRange();
        r.setStart(text, i);
        r.setEnd(text, i + 1);
        return r.getBoundingClientRect().left;
      };
      return { text: text.textContent, first: at(0), last: at(text.textContent.length - 1) };
    });
    expect(ends?.text).toBe('${age} >= 18');
    expect(ends!.first).toBeLessThan(ends!.last);

    // An invalid constraint: the error in Arabic, next to the field.
    await page.fill('#builder-q-0-1-constraint', '. >= ');
    const err = page.locator('#builder-q-0-1-constraint-error [data-problem]');
    await expect.poll(() => err.getAttribute('data-problem')).toBe('expression:unexpected-end');
    expect(plain(await err.innerText())).toBe(ar('reviews.import.problem.expression.unexpected-end'));
    await page.fill('#builder-q-0-1-constraint', '. >= 0 and . <= 1000');
    // Arabic labels, and the preview in Arabic.
    await page.fill('#builder-q-0-0-label-ar', 'هل لدى المدينة خطة للأمان؟');
    await page.fill('#builder-q-0-0-choice-0-label-ar', 'نعم');
    await page.fill('#builder-q-0-0-choice-1-label-ar', 'لا');
    await page.fill('#builder-q-0-0-choice-2-label-ar', 'جزئياً');
    const preview = page.locator('.builder-preview');
    await expect.poll(() => preview.innerText()).toContain('هل لدى المدينة خطة للأمان؟');
    await preview.locator('#q-has_plan--yes').check();
    await preview.locator('#q-staff').waitFor();
    await axeOk(page, 'builder (ar)');
    await shots(page, 'builder-ar-edit');
    await page.getByRole('button', { name: ar('reviews.builder.save') }).click();
    await expect
      .poll(async () => plain(await page.locator('main [role="status"]').first().innerText()))
      .toBe(ar('reviews.builder.saved', { n: '٢' }));
    const q = (await (await ctx.request.get(`/api/v1/questionnaires/${state.questionnaireId}`)).json()) as {
      versions: { id: number }[];
      latest: { id: number; number: number; definition: { languages: { code: string }[] } };
    };
    expect(q.versions).toHaveLength(2);
    expect(q.latest.definition.languages.map((l) => l.code)).toEqual(['en', 'ar']);
    // Version 1, used by the cycle, is unchanged; version 2 goes through XLSForm and back alike.
    await roundTrip(ctx, q.latest.id);
    expect(problems).toEqual([]);
  });
});
