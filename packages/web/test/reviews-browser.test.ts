// Browser test of the review pages (issue 6): the whole cycle in Arabic — an administrator creates
// a cycle with a questionnaire and a participant, the focal point answers (a relevance rule shows a
// question, a required answer is reported missing, then completed) and submits, the administrator
// assigns two reviewers from other countries, they declare no conflict and comment, one recommends
// a revision, the administrator asks for it, the focal point revises and resubmits, the reviewers
// recommend acceptance, the administrator accepts with consolidated observations and publishes, and a
// public visitor sees the published review and not the unpublished ones. axe-core (no serious or
// critical violation) on every review page in Arabic and English. Debian's Chromium with
// playwright-core (see browser-helpers.ts); screenshots go to /tmp/marsad-shots/reviews-*.png.

import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  browserDecision,
  describeViolations,
  getJson,
  htmlLangDir,
  LANGS,
  type Lang,
  msg,
  openAs,
  runAxe,
  screenshot,
  useBrowserSuite,
} from './browser-helpers.ts';

const decision = browserDecision();
if (decision.reason && !decision.run) console.warn(decision.reason);

const ADMIN = 'administrator@demo.marsad.example';
const FOCAL = 'city-focal-point@demo.marsad.example';
const ALMATY = 'reviewer-almaty@demo.marsad.example';
const QUITO = 'reviewer-quito@demo.marsad.example';
const CYCLE_TITLE = 'دورة اختبار: مراجعة أقران المدن الأكثر أمانًا';

describe.skipIf(!decision.run)('review pages in Chromium', { timeout: 240_000 }, () => {
  const suite = useBrowserSuite();
  const contexts = suite.contexts;
  const pages: Record<string, string> = {};

  /** A page in a fresh context, signed in as the demonstration account (or the public). */
  async function as(email: string | null, lang: Lang): Promise<{ page: Page; problems: string[] }> {
    const a = email ? suite.server.accounts.find((x) => x.email === email) : null;
    if (email && !a) throw new Error(`no demonstration account ${email}`);
    const { page, problems } = await openAs(suite.browser, suite.baseURL, a ?? null, lang, contexts);
    return { page, problems };
  }
  const serious = async (page: Page) =>
    (await runAxe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const axeOk = async (page: Page, name: string) => {
    const v = await serious(page);
    expect(v, `${name}: ${describeViolations(v)}`).toEqual([]);
  };
  const faults = (problems: string[]) => problems.filter((p) => !p.includes('ERR_ABORTED'));
  const ar = (key: string, values: Record<string, string> = {}) => msg('ar', key, values);
  const h1 = (page: Page) => page.locator('main h1').first();

  it('runs the whole cycle in Arabic', async () => {
    // 1. The administrator creates a cycle with the demonstration questionnaire and Agadir as participant.
    const admin = await as(ADMIN, 'ar');
    await admin.page.goto('/reviews/cycles/new');
    await expect.poll(() => h1(admin.page).innerText()).toBe(ar('reviews.cycles.new'));
    expect(await htmlLangDir(admin.page)).toEqual({ lang: 'ar', dir: 'rtl' });
    await admin.page.locator('#cycle-questionnaire option').nth(1).waitFor({ state: 'attached' });
    await axeOk(admin.page, 'new cycle (ar)');
    // A peer review lasts four years by default.
    await admin.page.fill('#cycle-starts', '2026-01-01');
    expect(await admin.page.inputValue('#cycle-ends')).toBe('2029-12-31');
    // Without a title the form says so next to the field.
    await admin.page.locator('#cycle-questionnaire').selectOption({ index: 1 });
    await admin.page.getByRole('button', { name: ar('reviews.cycles.create') }).click();
    await expect
      .poll(() => admin.page.locator('#cycle-title-ar-error').innerText())
      .toContain(ar('reviews.cycle.titleRequired'));
    expect(await admin.page.getAttribute('#cycle-title-ar', 'aria-describedby')).toContain('cycle-title-ar-error');
    await admin.page.fill('#cycle-title-ar', CYCLE_TITLE);
    await admin.page.fill('#cycle-place', 'أكادير');
    await admin.page
      .locator('.picker-list button', { has: admin.page.locator('code', { hasText: /^MAAGA$/ }) })
      .click();
    await admin.page.locator('ul.plain li', { hasText: 'أكادير' }).waitFor();
    await screenshot(admin.page, 'reviews-ar-cycle-new');
    await admin.page.getByRole('button', { name: ar('reviews.cycles.create') }).click();
    await admin.page.waitForURL(/\/reviews\/cycles\/\d+$/);
    const cycleId = /\/reviews\/cycles\/(\d+)$/.exec(admin.page.url())![1]!;
    await expect.poll(() => h1(admin.page).innerText()).toBe(CYCLE_TITLE);
    const subLink = admin.page.locator('table.data a[href^="/ar/reviews/submissions/"]').first();
    const subHref = (await subLink.getAttribute('href'))!;
    const subId = /\/(\d+)$/.exec(subHref)![1]!;
    pages.cycle = `/reviews/cycles/${cycleId}`;
    pages.submission = subHref.slice('/ar'.length); // opened later in each language
    pages.board = `/reviews/cycles/${cycleId}/board-report`;
    await axeOk(admin.page, 'cycle (ar)');
    await screenshot(admin.page, 'reviews-ar-cycle');

    // 2. The focal point answers: choosing "yes" shows the date question (relevance); a required answer is reported
    // missing.
    const focal = await as(FOCAL, 'ar');
    await focal.page.goto(subHref);
    await focal.page.locator('form.review-form').waitFor();
    expect(await focal.page.locator('#q-strategy_date').count()).toBe(0);
    await focal.page.locator('#q-has_strategy--yes').check();
    await focal.page.locator('#q-strategy_date').waitFor();
    await focal.page.fill('#q-strategy_date', '2025-03-01');
    await focal.page.getByRole('button', { name: ar('reviews.form.saveDraft') }).click();
    const missing = focal.page.locator('.problem-summary [role="alert"]');
    await expect.poll(() => missing.innerText()).toContain('اذكر المؤسسة');
    await expect.poll(() => focal.page.locator('#q-institution-error').innerText()).toContain('اذكر المؤسسة');
    expect(await focal.page.getAttribute('#q-institution', 'aria-invalid')).toBe('true');
    await axeOk(focal.page, 'submission form (ar)');
    await screenshot(focal.page, 'reviews-ar-form-missing');
    // A constraint checked live: a date in the future.
    await focal.page.fill('#q-strategy_date', '2999-01-01');
    await expect
      .poll(() => focal.page.locator('#q-strategy_date-error').innerText())
      .toContain('لا يمكن أن يكون التاريخ في المستقبل');
    await focal.page.fill('#q-strategy_date', '2025-03-01');
    await focal.page.fill('#q-institution', 'مكتب الأمان الحضري في البلدية');
    // A repeat: one measure, added and answered.
    await focal.page.locator('#q-measures_institutions-add').click();
    await focal.page.fill('#q-measures_institutions-0-measure_institutions', 'خطة عمل محلية للأمان أعدت مع السكان');
    await expect.poll(() => focal.page.locator('.problem-summary').innerText()).toContain(ar('reviews.form.complete'));
    await focal.page.getByRole('button', { name: ar('reviews.action.submit'), exact: true }).click();
    await expect.poll(() => focal.page.locator('main').innerText()).toContain(ar('reviews.submission.readOnly'));
    expect(await focal.page.locator('form.review-form').count()).toBe(0);
    await screenshot(focal.page, 'reviews-ar-submitted');

    // 3. The administrator assigns two reviewers from other countries (Kazakhstan, lead; Ecuador).
    await admin.page.goto(subHref);
    const almaty = admin.page.getByRole('checkbox', {
      name: ar('reviews.assign.chooseOne', { name: 'Demo reviewer (Almaty)' }),
    });
    await almaty.waitFor();
    // The reviewer from Morocco (Agadir) is not eligible for a Moroccan city.
    expect(
      await admin.page
        .getByRole('checkbox', { name: ar('reviews.assign.chooseOne', { name: 'Demo reviewer (Agadir)' }) })
        .isDisabled(),
    ).toBe(true);
    await almaty.check();
    await admin.page
      .getByRole('checkbox', { name: ar('reviews.assign.chooseOne', { name: 'Demo reviewer (Quito)' }) })
      .check();
    await admin.page
      .getByRole('radio', { name: ar('reviews.assign.leadOne', { name: 'Demo reviewer (Almaty)' }) })
      .check();
    await admin.page.getByRole('button', { name: ar('reviews.assign.submit', { n: '٢' }) }).click();
    await expect.poll(() => admin.page.locator('#reviewers-title + .table-scroll tbody tr').count()).toBe(2);
    await axeOk(admin.page, 'submission, administrator (ar)');
    await screenshot(admin.page, 'reviews-ar-assign');

    // 4. Each reviewer declares no conflict before seeing the submission; the inbox lists the assignment.
    const reviewers: Page[] = [];
    for (const email of [ALMATY, QUITO]) {
      const r = await as(email, 'ar');
      await r.page.goto('/inbox');
      await r.page.locator(`main a[href="${subHref}"]`).click();
      await expect.poll(() => h1(r.page).innerText()).toBe(ar('reviews.declaration.title'));
      if (email === ALMATY) {
        await axeOk(r.page, 'declaration (ar)');
        await screenshot(r.page, 'reviews-ar-declaration');
      }
      await r.page.getByRole('radio', { name: ar('reviews.declaration.no') }).check();
      await r.page.getByRole('button', { name: ar('reviews.declaration.submit') }).click();
      await expect.poll(() => h1(r.page).innerText()).toBe('أكادير');
      reviewers.push(r.page);
    }
    const [lead, second] = reviewers as [Page, Page];

    // 5. The administrator starts the review; the reviewers comment and recommend (one a revision).
    await admin.page.reload();
    await admin.page.getByRole('button', { name: ar('reviews.action.startReview') }).click();
    await expect
      .poll(() => admin.page.locator('main .review-state').first().innerText())
      .toBe(ar('reviews.state.inReview'));
    await lead.reload();
    await lead.getByRole('button', { name: new RegExp(`^${ar('reviews.comments.onAnswer')}: المؤسسة`) }).click();
    await lead.fill('#q-institution-comment', 'يرجى ذكر الجهة الحكومية المسؤولة عن الأمان الحضري بالتحديد.');
    await lead.getByRole('button', { name: ar('reviews.comments.send') }).click();
    await lead.locator('.comment', { hasText: 'يرجى ذكر الجهة' }).waitFor();
    await lead.getByRole('radio', { name: ar('reviews.recommend.revise') }).check();
    await lead.fill('#rec-summary', 'إجابات واضحة، وتحتاج إجابة المؤسسة إلى تدقيق.');
    await lead.getByRole('button', { name: ar('reviews.recommend.submit') }).click();
    await expect.poll(() => lead.locator('main').innerText()).toContain(ar('reviews.recommend.saved'));
    await axeOk(lead, 'submission, reviewer (ar)');
    await screenshot(lead, 'reviews-ar-reviewer');
    await second.reload();
    await second.getByRole('button', { name: new RegExp(`^${ar('reviews.comments.add')}`) }).click();
    await second.fill('#overall-comment', 'مراجعة مفيدة؛ نقترح مشاركة تجربة جولات المشي الاستكشافية.');
    await second.getByRole('button', { name: ar('reviews.comments.send') }).click();
    await second.locator('.comment', { hasText: 'جولات المشي' }).waitFor();
    await second.getByRole('radio', { name: ar('reviews.recommend.accept') }).check();
    await second.getByRole('button', { name: ar('reviews.recommend.submit') }).click();
    await expect.poll(() => second.locator('main').innerText()).toContain(ar('reviews.recommend.saved'));

    // 6. The administrator asks for a revision; the focal point replies, revises and resubmits.
    await admin.page.reload();
    await admin.page.getByRole('button', { name: ar('reviews.action.requestRevision') }).click();
    await expect
      .poll(() => admin.page.locator('main .review-state').first().innerText())
      .toBe(ar('reviews.state.revisionRequested'));
    await focal.page.reload();
    await focal.page.locator('form.review-form').waitFor();
    await expect.poll(() => focal.page.locator('main').innerText()).toContain(ar('reviews.form.revisionNotice'));
    await focal.page.getByRole('button', { name: new RegExp(`^${ar('reviews.comments.reply')}: المؤسسة`) }).click();
    await focal.page
      .locator('textarea[id^="q-institution-comment-r"]')
      .fill('عدّلنا الإجابة: المديرية العامة للجماعات الترابية.');
    await focal.page.getByRole('button', { name: ar('reviews.comments.send') }).click();
    await focal.page.locator('.comment.reply', { hasText: 'عدّلنا الإجابة' }).waitFor();
    await focal.page.fill(
      '#q-institution',
      'مكتب الأمان الحضري في بلدية أكادير، بتنسيق مع المديرية العامة للجماعات الترابية',
    );
    await axeOk(focal.page, 'revision form (ar)');
    await screenshot(focal.page, 'reviews-ar-revise');
    await focal.page.getByRole('button', { name: ar('reviews.form.resubmit') }).click();
    await expect.poll(() => focal.page.locator('main').innerText()).toContain(ar('reviews.submission.readOnly'));

    // 7. Second round: review, both recommend acceptance; the administrator accepts with consolidated observations and
    // publishes.
    await admin.page.reload();
    await admin.page.getByRole('button', { name: ar('reviews.action.startReview') }).click();
    await expect
      .poll(() => admin.page.locator('main .review-state').first().innerText())
      .toBe(ar('reviews.state.inReview'));
    for (const r of [lead, second]) {
      await r.reload();
      await r.getByRole('radio', { name: ar('reviews.recommend.accept') }).check();
      await r.getByRole('button', { name: ar('reviews.recommend.submit') }).click();
      await expect.poll(() => r.locator('main').innerText()).toContain(ar('reviews.recommend.saved'));
    }
    await admin.page.reload();
    await admin.page.fill(
      '#cons-ar',
      'يعرض الاستعراض خطة عمل محلية أُعدّت مع السكان، ويقترح المراجعون مشاركة التجربة مع مدن الشبكة.',
    );
    await admin.page.fill(
      '#cons-en',
      'The review presents a local action plan prepared with residents; the reviewers suggest sharing it with the cities of the network.',
    );
    await admin.page.getByRole('button', { name: ar('reviews.action.accept'), exact: true }).click();
    await expect
      .poll(() => admin.page.locator('main .review-state').first().innerText())
      .toBe(ar('reviews.state.accepted'));
    await admin.page.getByRole('button', { name: ar('reviews.action.publish') }).click();
    await expect
      .poll(() => admin.page.locator('main .review-state').first().innerText())
      .toBe(ar('reviews.state.published'));
    await admin.page.locator('#timeline-title + ol li').first().waitFor();
    expect(await admin.page.locator('#timeline-title + ol li').count()).toBeGreaterThanOrEqual(10);
    await screenshot(admin.page, 'reviews-ar-published-admin');
    pages.published = `/reviews/published/${subId}`;

    // 8. The public sees the published review, in Arabic, with the consolidated observations and reviewers by country.
    const pub = await as(null, 'ar');
    await pub.page.goto('/reviews');
    await pub.page.locator(`main a[href="/ar/reviews/published/${subId}"]`).click();
    await expect.poll(() => h1(pub.page).innerText()).toBe('أكادير');
    // Reviewers by country, named once the place names have arrived.
    await expect.poll(() => pub.page.locator('main').innerText()).toContain('كازاخستان');
    const text = await pub.page.locator('main').innerText();
    expect(text).toContain('يعرض الاستعراض خطة عمل محلية');
    expect(text).toContain('بلدية أكادير');
    expect(text).not.toContain('Demo reviewer');
    expect(text).not.toContain('يرجى ذكر الجهة'); // comments stay with the reviewers
    await screenshot(pub.page, 'reviews-ar-published');
    // Unpublished reviews are not listed and their addresses answer 404.
    await pub.page.goto('/reviews');
    await pub.page.locator('main a[href^="/ar/reviews/published/"]').first().waitFor();
    const listed = await pub.page.evaluate(() =>
      [...document.querySelectorAll('main a[href^="/ar/reviews/published/"]')].map((a) => a.getAttribute('href')),
    );
    const published = await getJson<{ items: { id: number }[] }>(suite.baseURL, '/api/v1/published-reviews');
    expect(listed.sort()).toEqual(published.items.map((p) => `/ar/reviews/published/${p.id}`).sort());
    const adminSubs = await admin.page.evaluate(
      async () =>
        (await (await fetch('/api/v1/review-submissions')).json()) as { items: { id: number; state: string }[] },
    );
    const unpublished = adminSubs.items.filter((s) => s.state !== 'published');
    expect(unpublished.length).toBeGreaterThan(0);
    for (const s of unpublished.slice(0, 3)) {
      expect(listed).not.toContain(`/ar/reviews/published/${s.id}`);
      const r = await fetch(new URL(`/reviews/published/${s.id}`, suite.baseURL));
      expect(r.status).toBe(404);
      expect((await fetch(new URL(`/api/v1/review-submissions/${s.id}`, suite.baseURL))).status).toBe(401);
    }
    // The public gets the not-found page for an unpublished review.
    await pub.page.goto(`/reviews/published/${unpublished[0]!.id}`);
    await expect.poll(() => h1(pub.page).innerText()).toBe(ar('notFound.title'));
    // The print layout hides the header and buttons.
    await pub.page.goto(pages.published);
    await h1(pub.page).waitFor();
    await pub.page.emulateMedia({ media: 'print' });
    expect(await pub.page.locator('.main-nav').isVisible()).toBe(false);
    expect(await pub.page.getByRole('button', { name: ar('reviews.print') }).isVisible()).toBe(false);
    await pub.page.emulateMedia({ media: 'screen' });

    for (const x of [admin, focal, pub])
      expect(faults(x.problems).filter((p) => !/HTTP 40[34]/.test(p) && !/status of 40[34]/.test(p))).toEqual([]);
  });

  describe.each(LANGS)('pages in %s', (lang) => {
    it('pass axe and show their titles', async () => {
      if (!pages.cycle) throw new Error('the cycle test did not run');
      const admin = await as(ADMIN, lang);
      const pub = await as(null, lang);
      const list: [Page, string, string, string][] = [
        [pub.page, '/reviews', 'reviews.title', 'public-list'],
        [pub.page, pages.published!, '', 'published'],
        [admin.page, '/reviews', 'reviews.title', 'admin-list'],
        [admin.page, '/reviews/cycles/new', 'reviews.cycles.new', 'cycle-new'],
        [admin.page, pages.cycle, '', 'cycle'],
        [admin.page, pages.submission!, '', 'submission'],
        [admin.page, pages.board!, 'reviews.board.title', 'board'],
        [admin.page, '/inbox', 'inbox.title', 'inbox'],
      ];
      for (const [page, path, title, name] of list) {
        await page.goto(path);
        await h1(page).waitFor();
        await page.waitForFunction(() => !document.querySelector('main p[role="status"].muted'));
        if (title) expect(await h1(page).innerText()).toBe(msg(lang, title));
        expect(await htmlLangDir(page)).toEqual({ lang, dir: lang === 'ar' ? 'rtl' : 'ltr' });
        await axeOk(page, `${name} (${lang})`);
        await screenshot(page, `reviews-${lang}-${name}`);
      }
      // The Board report: figures with their lists, the CSV, the unavailable indicators with their reason.
      await admin.page.goto(pages.board!);
      await admin.page.locator('.success-indicator').first().waitFor();
      expect(await admin.page.locator('.success-indicator').count()).toBeGreaterThanOrEqual(7);
      expect(await admin.page.locator('main').innerText()).toContain(msg(lang, 'reviews.board.unavailable'));
      const csv = await admin.page.evaluate(
        async (p) => (await fetch(`/api/v1${p}.csv`)).text(),
        new URL(pages.board!, suite.baseURL).pathname.replace('/reviews/cycles/', '/review-cycles/'),
      );
      expect(csv).toContain('section,figure,group,count');
      expect(faults(admin.problems)).toEqual([]);
      expect(faults(pub.problems)).toEqual([]);
    });
  });
});
