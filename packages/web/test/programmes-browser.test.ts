// Browser tests of the programme pages (/programmes, /programmes/:code; issue 7): Debian's
// Chromium driven by playwright-core against the real server on a PGlite database with the
// demonstration data and accounts, in Arabic and English; axe-core on every page. Skipped
// without /usr/bin/chromium (see browser-helpers.ts). Screenshots go to
// /tmp/marsad-shots/programmes-*.png.

import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { isolateNumbers } from '../src/format/isolate-numbers.ts';
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
  runAxe,
  screenshot,
  useBrowserSuite,
  waitForSettled,
  plain as withoutMarks,
} from './browser-helpers.ts';

const decision = browserDecision();
if (decision.reason && !decision.run) console.warn(decision.reason);

type Names = Record<string, string>;
interface ListItem {
  code: string;
  names: Names;
  progress: number | null;
}
interface Measure {
  id: number;
  kind: string;
  names: Names;
  unitNames: Names;
  progress: number | null;
  targets: { year: number; value: number }[];
  actual: { year: number; value: number } | null;
}
interface Result {
  id: number;
  code: string | null;
  level: string;
  titles: Names;
  places: { place: string }[];
  measures: Measure[];
  children: Result[];
}
interface Programme {
  code: string;
  names: Names;
  results: Result[];
}
interface Figures {
  urbanViolenceChange: { valuePercent: number | null; cities: unknown[] };
  citiesWithLessViolence: { count: number; cities: unknown[] };
  countriesImproved: { count: number; countries: unknown[] };
}

const all = (rs: Result[]): Result[] => rs.flatMap((r) => [r, ...all(r.children)]);
const intl = (lang: Lang) => (lang === 'ar' ? 'ar-u-nu-arab' : 'en');
/** A number without group separators in the reader's digits (a year). */
const plain = (lang: Lang, v: number) => new Intl.NumberFormat(intl(lang), { useGrouping: false }).format(v);
/** A share as the page writes it ("50%", Arabic "٥٠٪"). */
const share = (lang: Lang, v: number) =>
  new Intl.NumberFormat(intl(lang), { style: 'percent', maximumFractionDigits: 0 }).format(v);

describe.skipIf(!decision.run)('programme pages in Chromium', { timeout: 120_000 }, () => {
  const suite = useBrowserSuite();
  const contexts = suite.contexts;

  const account = (role: string) => demoAccount(suite.server, role);

  /**
   * A page in a fresh context (Arabic-Indic digits in Arabic), signed in as the demonstration account of the role, or
   * public.
   */
  async function openPage(role: string | null, lang: Lang): Promise<{ page: Page; problems: string[] }> {
    const { page, problems } = await openAs(suite.browser, suite.baseURL, role ? account(role) : null, lang, contexts);
    return { page, problems };
  }
  const serious = async (page: Page) =>
    (await runAxe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const faults = (problems: string[]) => problems.filter((p) => !p.includes('ERR_ABORTED'));
  const h1 = async (page: Page) => (await page.locator('main h1').innerText()).replace(/\s+/g, ' ').trim();
  /** Waits for what shows that a page's data has arrived; on a timeout, says what the page showed instead. */
  async function ready(page: Page, selector: string, problems: string[]): Promise<void> {
    try {
      await page.locator(selector).first().waitFor({ timeout: 60_000 });
    } catch (e) {
      await screenshot(page, `programmes-timeout-${Date.now()}`);
      const main = await page
        .locator('main')
        .innerText()
        .catch(() => '(no main)');
      throw new Error(
        `${(e as Error).message}\nThe page showed: ${main.slice(0, 500)}\nProblems: ${problems.join('; ')}`,
      );
    }
  }

  describe.each(LANGS)('in %s', (lang) => {
    it('lists the programmes with their progress, coverage and the demonstration mark', async () => {
      const api = await getJson<{ items: ListItem[] }>(suite.baseURL, `/api/v1/programmes?lang=${lang}`);
      expect(api.items.length).toBeGreaterThanOrEqual(3);
      const { page, problems } = await openPage(null, lang);
      const res = await page.goto('/programmes');
      expect(res?.status()).toBe(200);
      await ready(page, 'main .programme-list li', problems);
      await waitForSettled(page);
      expect(await htmlLangDir(page)).toEqual({ lang, dir: lang === 'ar' ? 'rtl' : 'ltr' });
      expect(await h1(page)).toBe(msg(lang, 'programmes.title'));
      // Everyone has the header link.
      expect(await page.locator(`header nav a[href="/${lang}/programmes"]`).innerText()).toBe(
        msg(lang, 'nav.programmes'),
      );
      const items = page.locator('main .programme-list > li');
      expect(await items.count()).toBe(api.items.length);
      for (const [i, p] of api.items.entries()) {
        const item = items.nth(i);
        expect(await item.locator('h2 a').getAttribute('href')).toBe(`/${lang}/programmes/${p.code}`);
        // As the page shows it: numbers in Arabic text isolated (2026-2029).
        const name = lang === 'ar' ? isolateNumbers(p.names[lang] ?? '') : p.names[lang];
        expect(await item.locator('h2').innerText()).toContain(name);
        if (p.progress !== null)
          expect(await item.locator('.progress-text').innerText()).toContain(share(lang, p.progress));
        expect(await item.locator('.progress-coverage').count()).toBe(p.progress === null ? 0 : 1);
        expect(await item.innerText()).toContain(msg(lang, 'programmes.demoTag'));
      }
      await screenshot(page, `programmes-${lang}-list`);
      const violations = await serious(page);
      expect(violations, describeViolations(violations)).toEqual([]);
      expect(faults(problems)).toEqual([]);
    });

    it('shows a programme: the results tree and the 2030 figures as the API computes them', async () => {
      const p = await getJson<Programme>(suite.baseURL, `/api/v1/programmes/SAFER-CITIES?lang=${lang}`);
      const f = await getJson<Figures>(suite.baseURL, `/api/v1/programmes/SAFER-CITIES/targets-2030?lang=${lang}`);
      const { page, problems } = await openPage(null, lang);
      const res = await page.goto('/programmes/SAFER-CITIES');
      expect(res?.status()).toBe(200);
      await ready(page, '#figure-cities data.figure-number', problems);
      await waitForSettled(page);
      expect(await h1(page)).toBe(p.names[lang]);
      // The demonstration source in the reader's language (its names by language, migration 022), never the
      // English name in an Arabic page (seen there by a new user).
      const sources = withoutMarks(
        await page
          .locator('main .sources')
          .allInnerTexts()
          .then((x) => x.join(' ')),
      );
      if (lang === 'ar') expect(sources).not.toContain('Marsad synthetic demonstration data');
      expect(sources).toContain(
        lang === 'ar' ? 'بيانات مرصد التوضيحية الاصطناعية' : 'Marsad synthetic demonstration data',
      );

      // The tree: nested lists, one item per result, impact → outcome → output.
      expect(await page.locator('main ol.result-tree > li.result').count()).toBe(p.results.length);
      expect(await page.locator('main li.result').count()).toBe(all(p.results).length);
      const r1 = all(p.results).find((r) => r.code === 'R1')!;
      const r1Item = page.locator(`li.result[aria-labelledby="result-${r1.id}-title"]`);
      expect(await r1Item.locator(':scope > ol.result-children > li.result').count()).toBe(r1.children.length);
      expect(await r1Item.locator('.level-tag').first().innerText()).toBe(msg(lang, 'programmes.level.outcome'));
      // Its catalogue indicators link to their pages; each status is in words.
      const row = r1Item.locator(':scope > .measure-table tbody tr').first();
      expect(await row.locator(`th a[href="/${lang}/indicators/16.1.1"]`).count()).toBe(1);
      const statusWords = ['achieved', 'onTrack', 'offTrack', 'noData', 'noTarget'].map((k) =>
        msg(lang, `programmes.measureStatus.${k}`),
      );
      expect(statusWords).toContain((await row.locator('.badge span:last-child').innerText()).trim());
      // Progress as a number in words beside the bar, with the coverage.
      expect(await r1Item.locator('.result-head .progress-coverage').first().innerText()).toMatch(
        lang === 'ar' ? /٪/ : /%/,
      );

      // The 2030 figures are the API's, in the reader's digits.
      const cities = page.locator('#figure-cities data.figure-number');
      expect(await cities.getAttribute('value')).toBe(String(f.citiesWithLessViolence.count));
      expect(await cities.innerText()).toBe(new Intl.NumberFormat(intl(lang)).format(f.citiesWithLessViolence.count));
      expect(await page.locator('#figure-countries data.figure-number').getAttribute('value')).toBe(
        String(f.countriesImproved.count),
      );
      expect(Number(await page.locator('#figure-violence data.figure-number').getAttribute('value'))).toBe(
        f.urbanViolenceChange.valuePercent,
      );
      // Each with its definition and, expandable, the places behind it.
      expect(await page.locator('#figure-cities .figure-definition').innerText()).toContain(
        msg(lang, 'programmes.t2030.citiesDef'),
      );
      const behind = page.locator('#figure-cities details.places-behind');
      expect(await behind.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
      await behind.locator('summary').click();
      expect(await behind.locator('tbody tr').count()).toBe(f.citiesWithLessViolence.cities.length);
      expect(await behind.locator('tbody tr th a').first().getAttribute('href')).toMatch(
        new RegExp(`^/${lang}/places/`),
      );

      // Budget per currency; downloads; the IATI file explained while the reporting organisation is not set.
      expect(await page.locator('.budget-totals li').count()).toBeGreaterThan(0);
      expect(await page.locator('a[href*="/export?format=csv"]').count()).toBe(1);
      expect(await page.locator('#iati-unavailable').innerText()).toContain(msg(lang, 'programmes.iati.needsOrg'));
      const iati = await fetch(`${suite.baseURL}/api/v1/programmes/SAFER-CITIES/export?format=iati`);
      expect(iati.status).toBe(409);

      await screenshot(page, `programmes-${lang}-safer-cities`);
      const violations = await serious(page);
      expect(violations, describeViolations(violations)).toEqual([]);
      expect(faults(problems)).toEqual([]);
    });

    it('prints as a results report: navigation and controls hidden, the lists behind the figures open', async () => {
      const { page, problems } = await openPage('administrator', lang);
      await page.goto('/programmes/SAFER-CITIES');
      await ready(page, '#figure-cities data.figure-number', problems);
      await waitForSettled(page);
      await page.locator('button[aria-pressed]').click(); // edit controls on: they must not print
      await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('header .main-nav').isVisible()).toBe(false);
      expect(await page.locator('header .prefs').isVisible()).toBe(false);
      expect(await page.locator('footer').isVisible()).toBe(false);
      expect(await page.locator('.page-actions').isVisible()).toBe(false);
      expect(await page.locator('.edit-controls').first().isVisible()).toBe(false);
      expect(await page.locator('.report-kind').isVisible()).toBe(true);
      expect(await page.locator('.report-kind').innerText()).toBe(msg(lang, 'programmes.report.kind'));
      expect(await page.locator('main h1').isVisible()).toBe(true);
      expect(
        await page
          .locator('#figure-countries details.places-behind')
          .first()
          .evaluate((d) => (d as HTMLDetailsElement).open),
      ).toBe(true);
      expect(await page.locator('#figure-countries tbody tr').first().isVisible()).toBe(true);
      await screenshot(page, `programmes-${lang}-print`);
      await page.emulateMedia({ media: 'screen' });
      await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
      expect(
        await page
          .locator('#figure-countries details.places-behind')
          .first()
          .evaluate((d) => (d as HTMLDetailsElement).open),
      ).toBe(false);
      expect(faults(problems)).toEqual([]);
    });

    it('shows the progress report to the Executive Board for a period, as the API counts it, and refuses a period that ends before it starts', async () => {
      const today = new Date().toISOString().slice(0, 10);
      const from = `${today.slice(0, 4)}-01-01`;
      interface Board {
        reviews: { count: number; items: { id: number; place: { code: string } }[] };
        records: { byKind: { kind: string; figure: { count: number; items: { value: string }[] } }[] };
        programmes: { code: string }[];
      }
      const api = await getJson<Board>(
        suite.baseURL,
        `/api/v1/reports/board-progress?from=${from}&to=${today}&lang=${lang}`,
      );
      // The demonstration data publishes Agadir's review today: its measures are counted.
      expect(api.reviews.items.map((r) => r.place.code)).toContain('MAAGA');
      const { page, problems } = await openPage(null, lang);
      const res = await page.goto('/results/board-progress');
      expect(res?.status()).toBe(200);
      await ready(page, 'main .chart-bars svg', problems);
      await waitForSettled(page);
      expect(new URL(page.url()).pathname).toBe(`/${lang}/results/board-progress/${from}/${today}`);
      expect(await h1(page)).toBe(msg(lang, 'boardProgress.title'));
      // Each kind of record: its count as a heading, each record listed with a link to its review.
      const measures = api.records.byKind.find((k) => k.kind === 'measure')!.figure;
      expect(measures.count).toBeGreaterThan(0);
      const section = page.locator('section[aria-labelledby="bp-kind-measure"]');
      expect(await section.locator('h3').innerText()).toContain(
        new Intl.NumberFormat(intl(lang)).format(measures.count),
      );
      expect(await section.locator('li').count()).toBe(measures.count);
      expect(await section.innerText()).toContain(measures.items[0]!.value);
      expect(
        await section.locator(`a[href="/${lang}/reviews/published/${api.reviews.items[0]!.id}"]`).count(),
      ).toBeGreaterThan(0);
      // The chart has the table as its text alternative; every programme has its card.
      const chart = page.locator('main .chart-bars');
      expect(await chart.getAttribute('role')).toBe('img');
      expect(await page.locator(`table#${await chart.getAttribute('aria-describedby')}`).count()).toBe(1);
      expect(await page.locator('section[aria-labelledby="bp-results"] > .card').count()).toBe(api.programmes.length);
      expect(
        await page.locator('section[aria-labelledby="bp-success-indicators"] .success-indicator').count(),
      ).toBeGreaterThan(5);
      await screenshot(page, `board-progress-${lang}`);
      const violations = await serious(page);
      expect(violations, describeViolations(violations)).toEqual([]);

      // A period ending before it starts: the form says so and does not go there.
      await page
        .locator('.period-form input[type="date"]')
        .first()
        .fill(`${today.slice(0, 4)}-12-31`);
      await page
        .locator('.period-form input[type="date"]')
        .nth(1)
        .fill(`${today.slice(0, 4)}-01-02`);
      expect(await page.locator('.period-form button[type="submit"]').isDisabled()).toBe(true);
      expect(await page.locator('.period-form .error-text').innerText()).toBe(msg(lang, 'boardProgress.badPeriod'));
      // An earlier year: nothing was published then.
      await page.locator('.period-form input[type="date"]').first().fill('2019-01-01');
      await page.locator('.period-form input[type="date"]').nth(1).fill('2019-12-31');
      await page.locator('.period-form button[type="submit"]').click();
      await page.waitForURL(`**/${lang}/results/board-progress/2019-01-01/2019-12-31`);
      await ready(page, 'section[aria-labelledby="bp-measures"] p.muted', problems);
      expect(await page.locator('section[aria-labelledby="bp-measures"] p.muted').innerText()).toBe(
        msg(lang, 'boardProgress.noRecords'),
      );
      // An address with a day that does not exist: the page says so rather than asking the API.
      await page.goto('/results/board-progress/2026-01-01/2026-13-01');
      await ready(page, 'main .notice[role="alert"]', problems);
      expect(await page.locator('main .notice[role="alert"]').innerText()).toBe(msg(lang, 'boardProgress.badPeriod'));
      expect(faults(problems)).toEqual([]);
    });

    it('lets an administrator change a target and shows the new progress; refusals appear next to the fields', async () => {
      const before = await getJson<Programme>(suite.baseURL, '/api/v1/programmes/ESCWA-NUA-IRP');
      const m = all(before.results)
        .flatMap((r) => r.measures)
        .find((x) => x.kind === 'specific' && x.actual && x.targets.length)!;
      const last = m.targets[m.targets.length - 1]!;
      const newTarget = lang === 'ar' ? last.value + 1 : last.value + 2;
      const { page, problems } = await openPage('administrator', lang);
      await page.goto('/programmes/ESCWA-NUA-IRP');
      await ready(page, 'main li.result', problems);
      await waitForSettled(page);
      const measureRow = page.locator(`tr:has(#measure-${m.id}-name)`);
      expect(await measureRow.locator('.progress-text').innerText()).toBe(share(lang, m.progress!));

      const edit = page.getByRole('button', { name: msg(lang, 'programmes.edit.switch') });
      await edit.click();
      expect(await edit.getAttribute('aria-pressed')).toBe('true');
      await page.locator(`#targets-${m.id}`).click();
      const form = page.locator('form.edit-form');
      const year = form.getByLabel(msg(lang, 'programmes.edit.year'), { exact: true });
      // Focus is in the form's first field; the keyboard does the rest.
      expect(await year.evaluate((el) => el === document.activeElement)).toBe(true);

      // A year the API would refuse is caught next to its field, which takes focus.
      await page.keyboard.type('1800');
      await page.keyboard.press('Tab');
      await page.keyboard.type('5');
      await page.keyboard.press('Enter');
      await expect.poll(() => year.getAttribute('aria-invalid')).toBe('true');
      expect(await page.locator(`[id="${(await year.getAttribute('aria-describedby'))!}"]`).innerText()).toContain(
        msg(lang, 'programmes.error.year', { from: plain(lang, 1900), to: plain(lang, 2100) }),
      );
      expect(await year.evaluate((el) => el === document.activeElement)).toBe(true);
      await screenshot(page, `programmes-${lang}-target-error`);

      await year.fill(String(last.year));
      const value = form.getByLabel(msg(lang, 'programmes.edit.targetValue'), { exact: true });
      await value.fill(String(newTarget));
      await value.press('Enter');
      await form.locator('[role=status]').waitFor();
      const after = await getJson<Programme>(suite.baseURL, '/api/v1/programmes/ESCWA-NUA-IRP');
      const changed = all(after.results)
        .flatMap((r) => r.measures)
        .find((x) => x.id === m.id)!;
      expect(changed.targets.find((t) => t.year === last.year)?.value).toBe(newTarget);
      expect(changed.progress).not.toBe(m.progress);
      await expect.poll(() => measureRow.locator('.progress-text').innerText()).toBe(share(lang, changed.progress!));
      await screenshot(page, `programmes-${lang}-target-saved`);
      const violations = await serious(page);
      expect(violations, describeViolations(violations)).toEqual([]);
      await page.keyboard.press('Escape');
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe(`targets-${m.id}`);

      // A refusal of the API (a code the programme has already), translated, next to the code field.
      const parent = all(after.results).find((r) => r.level === 'outcome' && r.code)!;
      const taken = all(after.results).find((r) => r.code && r.id !== parent.id)!.code!;
      await page.locator(`#result-add-${parent.id}`).click();
      const add = page.locator('form.edit-form');
      // The title in the reader's language first (components/LangFields.tsx), the five others folded.
      await add.locator('.lang-fields').first().locator(`input[lang="${lang}"]`).fill('A result with a code in use');
      const code = add.getByLabel(msg(lang, 'programmes.edit.code'), { exact: true });
      await code.fill(taken);
      await add.getByRole('button', { name: msg(lang, 'programmes.edit.addResult'), exact: true }).click();
      await expect.poll(() => code.getAttribute('aria-invalid')).toBe('true');
      const error = page.locator(`[id="${(await code.getAttribute('aria-describedby'))!.split(' ').pop()!}"]`);
      expect(await error.innerText()).toContain(msg(lang, 'programmes.error.codeTaken', { code: taken }));
      expect(await code.evaluate((el) => el === document.activeElement)).toBe(true);
      await screenshot(page, `programmes-${lang}-result-refused`);
      expect(await serious(page)).toEqual([]);
      const expected409 = (p: string) => /\b409\b/.test(p) && /\/api\/v1\/results\b/.test(p);
      expect(faults(problems).filter((p) => !expected409(p))).toEqual([]);
    });

    it('shows no edit control to a public visitor, and to a national focal point only on the results of their places', async () => {
      const { page, problems } = await openPage(null, lang);
      await page.goto('/programmes/ESCWA-NUA-IRP');
      await ready(page, 'main li.result', problems);
      await waitForSettled(page);
      expect(await page.locator('button[aria-pressed]').count()).toBe(0);
      expect(await page.locator('.edit-controls, form.edit-form').count()).toBe(0);
      expect(await page.getByRole('button', { name: msg(lang, 'programmes.edit.switch') }).count()).toBe(0);
      expect(faults(problems)).toEqual([]);

      const p = await getJson<Programme>(suite.baseURL, '/api/v1/programmes/ESCWA-NUA-IRP');
      const held = account('national-focal-point').roles.find((r) => r.role === 'national-focal-point')!.place!;
      const focal = await openPage('national-focal-point', lang);
      await focal.page.goto('/programmes/ESCWA-NUA-IRP');
      await ready(focal.page, 'main li.result', focal.problems);
      await waitForSettled(focal.page);
      await focal.page.getByRole('button', { name: msg(lang, 'programmes.edit.switch') }).click();
      await focal.page.locator('.edit-controls').first().waitFor();
      const ids = (await focal.page.locator('.edit-controls button').evaluateAll((bs) => bs.map((b) => b.id))).filter(
        (id) => id.startsWith('result-'),
      );
      // The results whose responsible places are all within the country the focal point holds (by the places'
      // ancestors).
      const codes = [...new Set(all(p.results).flatMap((r) => r.places.map((x) => x.place)))];
      const within = new Map<string, boolean>();
      for (const c of codes) {
        const d = await getJson<{ ancestors: { code: string }[] }>(
          suite.baseURL,
          `/api/v1/places/${encodeURIComponent(c)}`,
        );
        within.set(c, c === held || d.ancestors.some((a) => a.code === held));
      }
      const theirs = all(p.results).filter((r) => r.places.length > 0 && r.places.every((x) => within.get(x.place)));
      expect(theirs.length).toBeGreaterThan(0);
      expect(new Set(ids.map((id) => Number(/-(\d+)$/.exec(id)![1])))).toEqual(new Set(theirs.map((r) => r.id)));
      expect(await focal.page.locator('#line-add, #edit-margins, #add-top-result').count()).toBe(0);
      expect(await serious(focal.page)).toEqual([]);
      expect(faults(focal.problems)).toEqual([]);
    });
  });

  it("lets an administrator set a programme's IATI reporting organisation (in Arabic): refusals next to the fields, then the IATI file", async () => {
    const CODE = 'UNH-SP-2026-2029';
    const before = await getJson<
      Programme & {
        pillars: { code: string }[];
        places: { place: string; role: string }[];
        reportingOrg: { ref: string | null; type: string | null };
      }
    >(suite.baseURL, `/api/v1/programmes/${CODE}`);
    expect(before.reportingOrg.ref).toBeNull();
    expect((await fetch(`${suite.baseURL}/api/v1/programmes/${CODE}/export?format=iati`)).status).toBe(409);
    const { page, problems } = await openPage('administrator', 'ar');
    await page.goto(`/programmes/${CODE}`);
    await ready(page, '#iati-unavailable', problems);
    await waitForSettled(page);
    await page.getByRole('button', { name: msg('ar', 'programmes.edit.switch') }).click();
    await page.locator('#programme-edit').click();
    const form = page.locator('form.programme-form');
    await form.waitFor();
    // The form holds the programme as it is: names, the type of its reporting organisation, its pillars.
    expect(await form.locator('.lang-fields').first().locator('input[lang="en"]').inputValue()).toBe(before.names.en);
    const type = form.getByLabel(msg('ar', 'programmes.form.orgType'), { exact: true });
    expect(await type.inputValue()).toBe('40');
    expect(await type.locator('option').count()).toBe(17);
    expect(await form.locator('fieldset.programme-pillars > fieldset').count()).toBe(before.pillars.length);
    const violations = await serious(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    await screenshot(page, 'programmes-ar-programme-form');

    // A refusal of the API (an identifier longer than it takes) appears next to its field, which takes focus.
    const ref = form.getByLabel(msg('ar', 'programmes.form.orgRef'), { exact: true });
    await ref.fill('X'.repeat(201));
    await form.getByRole('button', { name: msg('ar', 'admin.save'), exact: true }).click();
    await expect.poll(() => ref.getAttribute('aria-invalid')).toBe('true');
    const errorId = (await ref.getAttribute('aria-describedby'))!.split(' ').pop()!;
    expect(await page.locator(`[id="${errorId}"]`).innerText()).toContain(
      msg('ar', 'apiError.tooLong', { max: '200' }),
    );
    expect(await ref.evaluate((el) => el === document.activeElement)).toBe(true);

    await ref.fill('XM-DAC-41111');
    await type.selectOption('40');
    await form.getByRole('button', { name: msg('ar', 'admin.save'), exact: true }).click();
    await form.waitFor({ state: 'detached' });
    await page.locator('.programme-controls [role=status]').waitFor();
    // The download appears, and the file names the organisation.
    await page.locator('a[href*="format=iati"]').waitFor();
    expect(await page.locator('#iati-unavailable').count()).toBe(0);
    const iati = await fetch(`${suite.baseURL}/api/v1/programmes/${CODE}/export?format=iati`);
    expect(iati.status).toBe(200);
    const xml = await iati.text();
    expect(xml).toContain('<reporting-org ref="XM-DAC-41111" type="40">');
    // The lists went back as they were.
    const after = await getJson<typeof before>(suite.baseURL, `/api/v1/programmes/${CODE}`);
    expect(after.pillars.map((x) => x.code)).toEqual(before.pillars.map((x) => x.code));
    expect(after.places.map((x) => [x.place, x.role])).toEqual(before.places.map((x) => [x.place, x.role]));
    expect(after.names).toEqual(before.names);
    await screenshot(page, 'programmes-ar-programme-saved');
    expect(faults(problems).filter((p) => !(/\b400\b/.test(p) && p.includes(`/api/v1/programmes/${CODE}`)))).toEqual(
      [],
    );
  });

  it('gives a programme-specific measure its name and unit in French from the Arabic page, read on the French one', async () => {
    const before = await getJson<Programme>(suite.baseURL, '/api/v1/programmes/ESCWA-NUA-IRP');
    const m = all(before.results)
      .flatMap((r) => r.measures)
      .find((x) => x.kind === 'specific')!;
    const { page, problems } = await openPage('administrator', 'ar');
    await page.goto('/programmes/ESCWA-NUA-IRP');
    await ready(page, 'main li.result', problems);
    await waitForSettled(page);
    await page.getByRole('button', { name: msg('ar', 'programmes.edit.switch') }).click();
    await page.locator(`#measure-edit-${m.id}`).click();
    const form = page.locator('form.edit-form');
    const names = form.locator('.lang-fields').nth(0);
    const units = form.locator('.lang-fields').nth(1);
    // The reader's language first, with its language and direction, labelled so; the five others folded.
    const nameAr = names.getByLabel(
      msg('ar', 'common.fieldInLanguage', { field: msg('ar', 'langFields.name'), language: 'العربية' }),
      { exact: true },
    );
    expect(await nameAr.getAttribute('lang')).toBe('ar');
    expect(await nameAr.getAttribute('dir')).toBe('rtl');
    expect(await nameAr.inputValue()).toBe(m.names.ar ?? '');
    expect(await names.locator('input[lang="fr"]').isVisible()).toBe(false);
    await names.locator('summary').click();
    await names.locator('input[lang="fr"]').fill('Ateliers tenus (essai)');
    await units.locator('summary').click();
    await units.locator('input[lang="fr"]').fill('ateliers');
    const violations = await serious(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    await screenshot(page, 'programmes-ar-measure-names');
    // On a phone the form, its disclosures open, still fits the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.setViewportSize({ width: 1280, height: 900 });
    await form.getByRole('button', { name: msg('ar', 'admin.save'), exact: true }).click();
    await form.waitFor({ state: 'detached' });
    const after = await getJson<Programme>(suite.baseURL, '/api/v1/programmes/ESCWA-NUA-IRP');
    const changed = all(after.results)
      .flatMap((r) => r.measures)
      .find((x) => x.id === m.id)!;
    expect(changed.names).toEqual({ ...m.names, fr: 'Ateliers tenus (essai)' });
    expect(changed.unitNames).toEqual({ ...m.unitNames, fr: 'ateliers' });

    await page.getByLabel(msg('ar', 'layout.language'), { exact: true }).first().selectOption('fr');
    await expect.poll(async () => (await htmlLangDir(page)).lang).toBe('fr');
    const name = page.locator(`#measure-${m.id}-name`);
    await name.locator('span[lang="fr"]').filter({ hasText: 'Ateliers tenus (essai)' }).waitFor();
    expect(await name.locator('.fallback-mark').count()).toBe(0);
    expect(faults(problems)).toEqual([]);
  });

  it('lets an administrator add a programme with a pillar, a partner and a place, names in several languages, and delete it (in English)', async () => {
    const { page, problems } = await openPage('administrator', 'en');
    await page.goto('/programmes');
    await ready(page, 'main .programme-list li', problems);
    await waitForSettled(page);
    await page.locator('#programme-new').click();
    const form = page.locator('form.programme-form');
    const code = form.getByLabel(msg('en', 'programmes.form.code'), { exact: true }).first();
    expect(await code.evaluate((el) => el === document.activeElement)).toBe(true);
    const violations = await serious(page);
    expect(violations, describeViolations(violations)).toEqual([]);

    // Checked before sending: no name, a last year before the first.
    await code.fill('SAFER-CITIES');
    await form.getByLabel(msg('en', 'programmes.form.startYear'), { exact: true }).fill('2026');
    const end = form.getByLabel(msg('en', 'programmes.form.endYear'), { exact: true });
    await end.fill('2025');
    await form.getByRole('button', { name: msg('en', 'programmes.form.create'), exact: true }).click();
    await expect.poll(() => end.getAttribute('aria-invalid')).toBe('true');
    // The name in the reader's language first, labelled with its language; the five others folded.
    const names = form.locator('.lang-fields').first();
    const nameEn = names.getByLabel(
      msg('en', 'common.fieldInLanguage', { field: msg('en', 'langFields.name'), language: 'English' }),
      { exact: true },
    );
    const nameAr = names.locator('input[lang="ar"]');
    expect(await nameEn.getAttribute('aria-invalid')).toBe('true');
    expect(await nameAr.isVisible()).toBe(false);
    // Focus moves to the first field in error.
    expect(await end.evaluate((el) => el === document.activeElement)).toBe(true);
    await nameEn.fill('A test programme');
    await names.locator('summary').click();
    await nameAr.fill('برنامج للاختبار');
    await end.fill('2028');
    // The API refuses a code in use: next to the code field.
    await form.getByRole('button', { name: msg('en', 'programmes.form.create'), exact: true }).click();
    await expect.poll(() => code.getAttribute('aria-invalid')).toBe('true');
    expect(
      await page.locator(`[id="${(await code.getAttribute('aria-describedby'))!.split(' ').pop()!}"]`).innerText(),
    ).toContain(msg('en', 'programmes.error.programmeCodeTaken', { code: 'SAFER-CITIES' }));
    await code.fill('TEST-PROG');

    await page
      .locator('.programme-pillars button')
      .filter({ hasText: msg('en', 'programmes.form.addPillar') })
      .click();
    const pillar = form.locator('fieldset.programme-pillars > fieldset').first();
    await pillar.getByLabel(msg('en', 'programmes.form.code'), { exact: true }).fill('P1');
    // The pillar's name in six languages: English first, French in the disclosure of the five others.
    const inLanguage = (field: string, language: string) =>
      msg('en', 'common.fieldInLanguage', { field: msg('en', field), language });
    await pillar.getByLabel(inLanguage('langFields.name', 'English'), { exact: true }).fill('First pillar');
    const pillarFr = pillar.locator('input[lang="fr"]');
    expect(await pillarFr.isVisible()).toBe(false);
    await pillar.locator('details.lang-fields-others summary').first().click();
    expect(await pillarFr.getAttribute('dir')).toBe('ltr');
    await pillarFr.fill('Premier pilier');
    expect(await pillar.locator('input[lang="ar"]').getAttribute('dir')).toBe('rtl');
    // Its description too, in the reader's language.
    await pillar
      .getByLabel(inLanguage('langFields.description', 'English'), { exact: true })
      .fill('What the first pillar covers.');
    // A partner outside the network, by name: refused with no name, then in English and Spanish.
    const byName = form.locator('fieldset.programme-partners fieldset.list-row');
    const addByName = byName.getByRole('button', { name: msg('en', 'programmes.form.addByName'), exact: true });
    await addByName.click();
    const partnerEn = byName.getByLabel(inLanguage('langFields.name', 'English'), { exact: true });
    await expect.poll(() => partnerEn.getAttribute('aria-invalid')).toBe('true');
    expect(
      await page.locator(`[id="${(await partnerEn.getAttribute('aria-describedby'))!.split(' ').pop()!}"]`).innerText(),
    ).toContain(msg('en', 'programmes.error.textNeeded'));
    await partnerEn.fill('Test partner');
    await byName.locator('details.lang-fields-others summary').click();
    await byName.locator('input[lang="es"]').fill('Socio de prueba');
    await addByName.click();
    await form.locator('.programme-partners .chosen-places li').filter({ hasText: 'Test partner' }).waitFor();
    expect(await partnerEn.inputValue()).toBe('');
    const picker = form.getByLabel(msg('en', 'programmes.edit.addPlace'), { exact: true });
    await picker.fill('Agadir');
    await form.locator('.picker-list button').filter({ hasText: 'MAAGA' }).click();
    const role = form.getByLabel(msg('en', 'programmes.form.roleOf', { place: 'Agadir' }), { exact: true });
    await role.selectOption('pilot');
    await form.getByLabel(msg('en', 'programmes.form.orgRef'), { exact: true }).fill('XM-TEST-1');
    await form.getByLabel(msg('en', 'programmes.form.orgType'), { exact: true }).selectOption('21');
    await screenshot(page, 'programmes-en-new-programme');
    expect(await serious(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.setViewportSize({ width: 1280, height: 900 });
    await form.getByRole('button', { name: msg('en', 'programmes.form.create'), exact: true }).click();
    await page.waitForURL('**/en/programmes/TEST-PROG');
    await expect.poll(() => h1(page)).toBe('A test programme');
    const made = await getJson<{
      pillars: { code: string; kind: string; names: Names; descriptions: Names }[];
      places: { place: string; role: string }[];
      partners: { organisationId: number | null; names: Names }[];
      reportingOrg: { ref: string; type: string };
    }>(suite.baseURL, '/api/v1/programmes/TEST-PROG');
    expect(made.pillars.map((x) => [x.code, x.kind, x.names, x.descriptions])).toEqual([
      ['P1', 'pillar', { en: 'First pillar', fr: 'Premier pilier' }, { en: 'What the first pillar covers.' }],
    ]);
    expect(made.partners).toMatchObject([
      { organisationId: null, names: { en: 'Test partner', es: 'Socio de prueba' } },
    ]);
    expect(made.places.map((x) => [x.place, x.role])).toEqual([['MAAGA', 'pilot']]);
    expect(made.reportingOrg).toMatchObject({ ref: 'XM-TEST-1', type: '21' });
    expect((await fetch(`${suite.baseURL}/api/v1/programmes/TEST-PROG/export?format=iati`)).status).toBe(200);

    // In French: the pillar's French name; the partner has none, so its English one, marked so in French.
    await page.getByLabel(msg('en', 'layout.language'), { exact: true }).first().selectOption('fr');
    await expect.poll(async () => (await htmlLangDir(page)).lang).toBe('fr');
    await page.locator('ul.pillars span[lang="fr"]').filter({ hasText: 'Premier pilier' }).waitFor();
    const partner = page.locator('main dd').filter({ hasText: 'Test partner' });
    expect(await partner.locator('span[lang="en"][dir="auto"]').innerText()).toBe('Test partner');
    const anglais = await page.evaluate(() => new Intl.DisplayNames(['fr'], { type: 'language' }).of('en'));
    expect(await partner.locator('.fallback-mark').innerText()).toBe(
      `(${msg('fr', 'common.inLanguage', { language: anglais! })})`,
    );
    await page.getByLabel(msg('fr', 'layout.language'), { exact: true }).first().selectOption('en');
    await expect.poll(async () => (await htmlLangDir(page)).lang).toBe('en');
    await expect.poll(() => h1(page)).toBe('A test programme');

    // Deleted after a question.
    await page.getByRole('button', { name: msg('en', 'programmes.edit.switch') }).click();
    await page.locator('#programme-delete').click();
    const confirm = page.locator('.programme-controls .confirm');
    expect(await confirm.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await serious(page)).toEqual([]);
    // The list's refetch is held back until the list has been checked: the page must not show its
    // cached copy with the deleted programme meanwhile (it did, until the refetch landed, on a busy machine).
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const theList = (u: URL) => u.pathname === '/api/v1/programmes';
    await page.route(theList, async (route) => {
      await held;
      await route.continue();
    });
    await confirm.getByRole('button', { name: msg('en', 'programmes.form.delete'), exact: true }).click();
    await page.waitForURL((u) => u.pathname === '/en/programmes');
    await page.locator('.new-programme [role=status]').waitFor();
    expect(await page.locator('.new-programme [role=status]').innerText()).toContain('A test programme');
    expect((await fetch(`${suite.baseURL}/api/v1/programmes/TEST-PROG`)).status).toBe(404);
    await page.locator('main .programme-list li').first().waitFor();
    expect(await page.locator('main .programme-list a[href="/en/programmes/TEST-PROG"]').count()).toBe(0);
    // Then the refetch goes through and lands; the list still has no deleted programme. (The
    // notice of the deletion stays on the page, a status: waitForSettled would wait for it to go.)
    const refetched = page.waitForResponse((r) => theList(new URL(r.url())));
    release();
    expect((await refetched).status()).toBe(200);
    await page.unroute(theList);
    await page.locator('main .programme-list li').first().waitFor();
    expect(await page.locator('main .programme-list a[href="/en/programmes/TEST-PROG"]').count()).toBe(0);
    expect(faults(problems).filter((p) => !(/\b409\b/.test(p) && /\/api\/v1\/programmes\)?$/.test(p)))).toEqual([]);
  });

  it('answers an unknown programme with HTTP 404 and the not-found page', async () => {
    const { page, problems } = await openPage(null, 'ar');
    const res = await page.goto('/programmes/NO-SUCH-PROGRAMME');
    expect(res?.status()).toBe(404);
    await expect.poll(() => page.locator('main h1').innerText()).toBe(msg('ar', 'notFound.title'));
    expect(problems.filter((m) => !/\b404\b/.test(m))).toEqual([]);
  });
});
