// Browser tests of the administration pages (/admin…): Debian's Chromium driven by
// playwright-core against the real server on a PGlite database with the demonstration data and
// accounts, in Arabic and English; axe-core on every page. Skipped without /usr/bin/chromium
// (see browser-helpers.ts). Full-page screenshots go to /tmp/marsad-shots/admin-*.png.

import JSZip from 'jszip';
import type { BrowserContext, Page } from 'playwright-core';
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
  parseCsv,
  plain,
  runAxe,
  screenshot,
  useBrowserSuite,
  waitForSettled,
} from './browser-helpers.ts';

const decision = browserDecision();
if (decision.reason && !decision.run) console.warn(decision.reason);

describe.skipIf(!decision.run)('administration pages in Chromium', { timeout: 120_000 }, () => {
  const suite = useBrowserSuite();
  const contexts = suite.contexts;

  const account = (role: string) => demoAccount(suite.server, role);

  /** A page in a fresh context, signed in as the demonstration account of the role (cookies shared with the page). */
  async function signedInPage(
    role: string | null,
    lang: Lang,
  ): Promise<{ page: Page; problems: string[]; ctx: BrowserContext }> {
    return openAs(suite.browser, suite.baseURL, role ? account(role) : null, lang, contexts);
  }
  const serious = async (page: Page) =>
    (await runAxe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const h1 = async (page: Page) => (await page.locator('main h1').innerText()).replace(/\s+/g, ' ').trim();
  /** Requests cut short by navigating on are not faults. */
  const faults = (problems: string[]) => problems.filter((p) => !p.includes('ERR_ABORTED'));
  /**
   * The problems left once the refusals a test expects are taken out: each appears twice, as
   * the answer's status and as Chromium's console line about the failed resource.
   */
  const besides = (problems: string[], status: number, url: RegExp) =>
    problems.filter((p) => {
      const answer = new RegExp(`^HTTP ${status} for [A-Z]+ (\\S+)$`).exec(p);
      const consoleLine = new RegExp(
        `^console error: Failed to load resource: the server responded with a status of ${status} .*\\((\\S+)\\)$`,
      ).exec(p);
      const u = answer?.[1] ?? consoleLine?.[1];
      return !(u && url.test(new URL(u).pathname + new URL(u).search));
    });

  // 1. Every administration page, in both languages: its h1, lang and dir, no serious axe violation.
  describe.each(LANGS)('pages in %s', (lang) => {
    const pages: { path: string | (() => Promise<string>); h1: () => string; ready: string }[] = [
      { path: '/admin', h1: () => msg(lang, 'admin.title'), ready: 'main .admin-cards li' },
      { path: '/admin/users', h1: () => msg(lang, 'admin.users.title'), ready: 'main table.data tbody tr' },
      {
        path: async () => {
          const users = (await (
            await fetch(`${suite.baseURL}/api/v1/users?q=administrator@`, { headers: await adminHeaders() })
          ).json()) as { items: { id: number }[] };
          return `/admin/users/${users.items[0]!.id}`;
        },
        h1: () => 'Demo administrator',
        ready: 'main table.data tbody tr',
      },
      { path: '/admin/tokens', h1: () => msg(lang, 'admin.tokens.title'), ready: 'main form.filters' },
      { path: '/admin/places', h1: () => msg(lang, 'admin.places.title'), ready: 'main .tree li' },
      { path: '/admin/indicators', h1: () => msg(lang, 'admin.indicators.title'), ready: 'main table.data tbody tr' },
      {
        path: '/admin/indicators/16.1.1',
        h1: () => msg(lang, 'admin.rules.title', { code: '16.1.1' }),
        ready: 'main form.rules-form',
      },
      { path: '/admin/audit', h1: () => msg(lang, 'admin.audit.title'), ready: 'main table.data tbody tr' },
    ];
    it.each(pages.map((p, i) => ({ ...p, name: typeof p.path === 'string' ? p.path : '/admin/users/:id', i })))(
      '$name',
      async ({ path: p, h1: expected, ready }) => {
        const { page, problems } = await signedInPage('administrator', lang);
        const url = typeof p === 'string' ? p : await p();
        const res = await page.goto(url);
        expect(res?.status(), `HTTP status of ${url}`).toBe(200);
        await page.locator(ready).first().waitFor({ timeout: 30_000 });
        await waitForSettled(page);
        expect(await htmlLangDir(page)).toEqual({ lang, dir: lang === 'ar' ? 'rtl' : 'ltr' });
        expect(await page.locator('main h1').count()).toBe(1);
        expect(await h1(page)).toBe(expected());
        // The header shows administrators the way in.
        expect(await page.locator(`header nav a[href="/${lang}/admin"]`).innerText()).toBe(msg(lang, 'nav.admin'));
        await screenshot(page, `admin-${lang}-${url.slice(1).replace(/\//g, '-')}`);
        const violations = await serious(page);
        expect(violations, describeViolations(violations)).toEqual([]);
        expect(faults(problems)).toEqual([]);
      },
    );
  });

  let adminCookie: Record<string, string> | null = null;
  /** Headers of an administrator session, for checks through the API beside the pages. */
  async function adminHeaders(): Promise<Record<string, string>> {
    if (adminCookie) return adminCookie;
    const a = account('administrator');
    const r = await fetch(`${suite.baseURL}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: a.email, password: a.password }),
    });
    const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0]!;
    adminCookie = { cookie, 'x-csrf-token': ((await r.json()) as { csrfToken: string }).csrfToken };
    return adminCookie;
  }

  // 2. An administrator invites a user and gives a role, with the keyboard where it matters.
  it.each(LANGS)('lets an administrator invite a user and give a role (%s)', async (lang) => {
    const { page, problems } = await signedInPage('administrator', lang);
    const email = `new.person.${lang}@example.org`;
    await page.goto('/admin/users');
    await page.getByLabel(msg(lang, 'admin.invite.email'), { exact: true }).fill(email);
    await page
      .getByLabel(msg(lang, 'admin.invite.name'), { exact: true })
      .fill(lang === 'ar' ? 'سلمى بنّاني' : 'Salma Bennani');
    expect(await page.getByRole('link', { name: msg(lang, 'admin.invite.open') }).count()).toBe(0);
    await page.getByRole('button', { name: msg(lang, 'admin.invite.submit'), exact: true }).click();

    // The link to give, with whether it was e-mailed as the API said; focus is on the result.
    const result = page.locator('.link-result');
    await result.waitFor();
    expect(await result.evaluate((el) => el === document.activeElement)).toBe(true);
    const link = await result.locator('input[readonly]').inputValue();
    expect(link).toMatch(new RegExp(`^${suite.baseURL.replace(/[.]/g, '\\.')}/accept\\?token=[\\w-]{40,}$`));
    expect(await result.innerText()).toContain(msg(lang, 'admin.link.notEmailed'));
    expect(await result.innerText()).toContain(msg(lang, 'admin.link.noSmtp')); // the test server has no SMTP settings
    expect(await result.innerText()).toContain(email);
    await screenshot(page, `admin-${lang}-invited`);
    expect(await page.getByRole('link', { name: msg(lang, 'admin.invite.open') }).count()).toBe(1);

    // Inviting the same address again: the API's refusal, translated, next to the e-mail field, which takes focus.
    await page.getByLabel(msg(lang, 'admin.invite.email'), { exact: true }).fill(email);
    await page.getByRole('button', { name: msg(lang, 'admin.invite.submit'), exact: true }).click();
    const emailField = page.getByLabel(msg(lang, 'admin.invite.email'), { exact: true });
    await expect.poll(() => emailField.getAttribute('aria-invalid')).toBe('true');
    const errorId = (await emailField.getAttribute('aria-describedby'))!;
    expect(await page.locator(`[id="${errorId}"]`).innerText()).toContain(msg(lang, 'apiError.emailTaken'));
    expect(await emailField.evaluate((el) => el === document.activeElement)).toBe(true);
    problems.splice(0, problems.length, ...besides(problems, 409, /^\/api\/v1\/users$/));

    // The new user's page: give the city focal point role on Agadir, found by its Arabic spelling.
    // The new user is in the list; the page opens from there.
    const name = lang === 'ar' ? 'سلمى بنّاني' : 'Salma Bennani';
    await page.locator('main table.data tbody th a').filter({ hasText: name }).click();
    await page.locator('main h1').filter({ hasText: name }).waitFor();
    await page.getByLabel(msg(lang, 'admin.users.role'), { exact: true }).selectOption('city-focal-point');
    const picker = page.getByLabel(msg(lang, 'admin.roles.place'), { exact: true });
    await picker.fill(lang === 'ar' ? 'اكادير' : 'Agadir');
    const agadir = page.locator('.picker-list button').filter({ hasText: 'MAAGA' });
    await agadir.waitFor();
    await picker.press('ArrowDown');
    expect(await agadir.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await page.locator('.picked').filter({ hasText: 'MAAGA' }).waitFor();
    await page.getByRole('button', { name: msg(lang, 'admin.roles.addButton'), exact: true }).click();
    await page
      .locator('[role=status]')
      .filter({ hasText: msg(lang, 'admin.roles.added') })
      .waitFor();
    const row = page.locator('table.data tbody tr').filter({ hasText: msg(lang, 'admin.role.cityFocalPoint') });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.innerText()).toContain(lang === 'ar' ? 'أكادير' : 'Agadir');
    await screenshot(page, `admin-${lang}-role-given`);
    expect(await serious(page)).toEqual([]);

    // The API has it.
    const users = (await (
      await fetch(`${suite.baseURL}/api/v1/users?q=${encodeURIComponent(email)}`, { headers: await adminHeaders() })
    ).json()) as { items: { status: string; roles: { role: string; place: string }[] }[] };
    expect(users.items[0]).toMatchObject({ status: 'invited', roles: [{ role: 'city-focal-point', place: 'MAAGA' }] });
    expect(faults(problems)).toEqual([]);
  });

  // 3. Someone who is not an administrator gets no administration page: the API refuses, the page says so.
  describe.each(LANGS)('refusals in %s', (lang) => {
    it.each(['/admin', '/admin/users', '/admin/tokens', '/admin/audit'])('%s for a data validator', async (p) => {
      const { page, problems } = await signedInPage('data-validator', lang);
      await page.goto(p);
      const refused = page.locator('main .refused');
      await refused.waitFor();
      expect(await refused.innerText()).toContain(msg(lang, 'admin.refused'));
      expect(await refused.innerText()).toContain(msg(lang, 'admin.refusedWhy'));
      expect(await page.locator('main table, main form').count()).toBe(0);
      expect(await page.locator(`header a[href="/${lang}/admin"]`).count()).toBe(0);
      // The refusals are the API's 403s, nothing else.
      expect(faults(besides(problems, 403, /^\/api\/v1\/(users|users\/tokens|audit)(\?|$)/))).toEqual([]);
      expect(problems.some((m) => /HTTP 403/.test(m))).toBe(true);
      expect(await serious(page)).toEqual([]);
      await screenshot(page, `admin-${lang}-refused-${p.slice(1).replace(/\//g, '-')}`);
    });
    it('/admin/users for a visitor who is not signed in', async () => {
      const { page, problems } = await signedInPage(null, lang);
      await page.goto('/admin/users');
      await page
        .locator('main .notice')
        .filter({ hasText: msg(lang, 'admin.signInNeeded') })
        .waitFor();
      expect(await page.locator(`main a[href="/${lang}/sign-in"]`).count()).toBe(1);
      expect(faults(problems)).toEqual([]);
    });
  });

  // 4. A city focal point adds a district under its city, and sees no other administration page.
  it('lets a city focal point add a district under its city (en)', async () => {
    const { page, problems } = await signedInPage('city-focal-point', 'en');
    await page.goto('/admin/places');
    await page.locator('.tree li').filter({ hasText: 'MAAGA' }).first().waitFor();
    expect(await page.locator('main nav.sub-nav a').allInnerTexts()).toEqual([msg('en', 'admin.places.title')]);
    await page.locator('.tree li .link-button').filter({ hasText: 'Agadir' }).click();
    const panel = page.locator('.place-panel');
    await panel.locator('h2').waitFor();
    expect(await panel.locator('h2').evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await panel.innerText()).toContain(msg('en', 'admin.places.cannotEdit'));
    await panel.getByLabel(msg('en', 'admin.places.code'), { exact: true }).fill('MAAGA-TALBORJT');
    await panel.getByLabel(msg('en', 'admin.lang.ar'), { exact: true }).fill('تالبرجت');
    await panel.getByLabel(msg('en', 'admin.lang.en'), { exact: true }).fill('Talborjt');
    await panel.getByRole('button', { name: msg('en', 'admin.places.add'), exact: true }).click();
    await panel.locator('[role=status]').filter({ hasText: 'MAAGA-TALBORJT' }).waitFor();
    const place = (await (await fetch(`${suite.baseURL}/api/v1/places/MAAGA-TALBORJT`)).json()) as {
      level: string;
      names: Record<string, string>;
      ancestors: { code: string }[];
    };
    expect(place).toMatchObject({ level: 'district', names: { ar: 'تالبرجت', en: 'Talborjt' } });
    expect(place.ancestors.map((a) => a.code)).toContain('MAAGA');
    // The same code again: the API's problem next to the code field.
    await panel.getByLabel(msg('en', 'admin.places.code'), { exact: true }).fill('MAAGA-TALBORJT');
    await panel.getByLabel(msg('en', 'admin.lang.en'), { exact: true }).fill('Talborjt again');
    await panel.getByRole('button', { name: msg('en', 'admin.places.add'), exact: true }).click();
    const code = panel.getByLabel(msg('en', 'admin.places.code'), { exact: true });
    await expect.poll(() => code.getAttribute('aria-invalid')).toBe('true');
    expect(
      await panel.locator(`[id="${(await code.getAttribute('aria-describedby'))!.split(' ').pop()}"]`).innerText(),
    ).toContain(msg('en', 'apiError.placeCodeTaken', { code: 'MAAGA-TALBORJT' }));
    expect(faults(besides(problems, 422, /^\/api\/v1\/places$/))).toEqual([]);
    expect(await serious(page)).toEqual([]);
  });

  // 4b. The upload page (/import), on a phone in Arabic: a CSV with one bad row is checked (the error
  // named by row and column, in Arabic), fixed, checked again and imported; a places file checked; axe
  // at phone and desktop size in Arabic and English. Before 5, which changes 11.1.1's rules.
  it('lets a city focal point check and import a file, and check a places file (/import, ar and en)', async () => {
    const { page, problems } = await signedInPage('city-focal-point', 'ar');
    await page.setViewportSize({ width: 390, height: 844 });
    expect((await page.goto('/import'))?.status()).toBe(200);
    await page.locator('#import-file').waitFor();
    expect(await page.locator('header nav a[href="/ar/import"]').innerText()).toBe(msg('ar', 'nav.import'));
    expect(await h1(page)).toBe(msg('ar', 'import.title'));
    expect(await serious(page)).toEqual([]);
    const noSideways = () =>
      page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

    // Nothing chosen: the error summary, focused, links to the file field.
    await page.getByRole('button', { name: msg('ar', 'import.check'), exact: true }).click();
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    expect(await summary.evaluate((el) => el === document.activeElement)).toBe(true);
    await summary.getByRole('link', { name: msg('ar', 'import.error.noFile') }).click();
    expect(await page.locator('#import-file').evaluate((el) => el === document.activeElement)).toBe(true);

    const csv = (value: string) =>
      Buffer.from(`indicator,place,period,value\n11.1.1,MAAGA,2025,41\n11.1.1,MAAGA,2026,${value}\n`);
    await page.setInputFiles('#import-file', { name: 'agadir.csv', mimeType: 'text/csv', buffer: csv('150') });
    expect(await page.locator('#import-format').inputValue()).toBe('csv');
    await page.locator('#import-place').selectOption('MAAGA');
    await page.getByRole('button', { name: msg('ar', 'import.check'), exact: true }).click();
    const result = page.locator('.import-result');
    await result.locator('h2').waitFor();
    expect(await result.getAttribute('aria-live')).toBe('polite');
    expect(await result.locator('h2').innerText()).toContain(msg('ar', 'import.refused', { n: '١' }));
    const errors = page.locator('#import-errors');
    expect(await errors.locator('thead th').allInnerTexts()).toEqual([
      msg('ar', 'import.col.row'),
      msg('ar', 'import.col.column'),
      msg('ar', 'import.col.reason'),
    ]);
    const cells = await errors.locator('tbody tr').first().locator('td').allInnerTexts();
    expect(cells[0]).toBe('٣'); // the header is row 1
    expect(cells[1]).toBe('value');
    expect(cells[2]).toContain(msg('ar', 'import.code.above-max'));
    // The server's English message, marked as English inside the Arabic page.
    expect(await errors.locator('tbody td [lang="en"]').first().getAttribute('dir')).toBe('ltr');
    expect(await noSideways()).toBe(true);
    expect(await serious(page)).toEqual([]);
    await screenshot(page, 'import-ar-phone-errors');

    // Problems of the reader and of the codes (issue 14): in Arabic from the catalog, with the server's code and
    // parameters, each value in an isolate (numbers and codes keep their order inside the Arabic sentence).
    const fsi = (v: string) => `\u2068${v}\u2069`;
    await page.setInputFiles('#import-file', {
      name: 'agadir.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'indicator,place,period,value\n11.1.1,MAAGA,2025\n11.1.1,NOWHERE,2025,3\n11.1.1,MAAGA,20x5,3\n',
      ),
    });
    await page.getByRole('button', { name: msg('ar', 'import.check'), exact: true }).click();
    const readerErrors = errors.locator('tbody tr');
    await readerErrors.locator('[data-problem="cell-count"]').waitFor();
    const reasons = await readerErrors.evaluateAll((rows) => rows.map((r) => r.querySelectorAll('td')[2]!.textContent));
    // The values are isolated (FSI … PDI) where the message is: that the page put an isolate there is checked
    // first; the words then compared without the isolates (the page may isolate the catalog's own numbers too).
    expect(reasons.every((r) => r?.includes('\u2068'))).toBe(true);
    expect(reasons.map(plain)).toEqual(
      [
        msg('ar', 'import.problem.cell-count', { cells: fsi('3'), columns: fsi('4') }),
        msg('ar', 'import.problem.unknown-place', { value: fsi('NOWHERE') }),
        msg('ar', 'import.problem.bad-period', { value: fsi('20x5') }),
      ].map(plain),
    );
    expect(await errors.locator('tbody [lang="en"]').count()).toBe(0);

    // Fixed: checked (nothing written), then confirmed.
    await page.setInputFiles('#import-file', { name: 'agadir.csv', mimeType: 'text/csv', buffer: csv('38.5') });
    await page.getByRole('button', { name: msg('ar', 'import.check'), exact: true }).click();
    await result
      .locator('h2')
      .filter({ hasText: msg('ar', 'import.checked') })
      .waitFor();
    expect(await result.locator('h2').evaluate((el) => el === document.activeElement)).toBe(true);
    await screenshot(page, 'import-ar-phone-checked');
    await result.getByRole('button', { name: msg('ar', 'import.confirm'), exact: true }).click();
    // The result, with a link to the place chosen (and to what waits for validation).
    await result.getByRole('link', { name: msg('ar', 'import.seePlace', { code: 'MAAGA' }) }).waitFor();
    expect(await result.locator('h2').innerText()).toContain(
      msg('ar', 'import.done', { inserted: '#', updated: '#' }).split('#')[0]!.trim(),
    );
    const stored = (await (
      await fetch(`${suite.baseURL}/api/v1/observations?indicator=11.1.1&place=MAAGA&from=2026&to=2026&total=true`, {
        headers: await adminHeaders(),
      })
    ).json()) as { items: { value: number; status: string }[] };
    expect(stored.items.map((o) => [o.value, o.status])).toEqual([[38.5, 'provisional']]);
    await screenshot(page, 'import-ar-phone-done');

    // A places file, checked only.
    await page.getByLabel(msg('ar', 'import.kinds.places'), { exact: true }).check();
    await page.setInputFiles('#places-file', {
      name: 'districts.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('code,parent,level,name_ar,name_en\nMAAGA-ANZA,MAAGA,district,أنزا,Anza\n'),
    });
    await page.getByRole('button', { name: msg('ar', 'import.check'), exact: true }).click();
    await result
      .locator('h2')
      .filter({ hasText: msg('ar', 'import.checked') })
      .waitFor();
    expect(await result.locator('table tbody tr td').allInnerTexts()).toEqual([
      '٢',
      'MAAGA-ANZA',
      msg('ar', 'import.action.create'),
    ]);
    expect((await fetch(`${suite.baseURL}/api/v1/places/MAAGA-ANZA`)).status).toBe(404);
    expect(await noSideways()).toBe(true);
    expect(await serious(page)).toEqual([]);
    await screenshot(page, 'import-ar-phone-places');

    // A boundaries file whose one area names no place: refused, the area listed.
    await page.getByLabel(msg('ar', 'import.kinds.boundaries'), { exact: true }).check();
    const area = {
      type: 'Feature',
      properties: { NAME: 'Nowhere' },
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [-9.6, 30.4],
            [-9.5, 30.4],
            [-9.5, 30.5],
            [-9.6, 30.4],
          ],
        ],
      },
    };
    await page.setInputFiles('#boundaries-file', {
      name: 'areas.geojson',
      mimeType: 'application/geo+json',
      buffer: Buffer.from(JSON.stringify({ type: 'FeatureCollection', features: [area] })),
    });
    await page.getByLabel(msg('ar', 'import.matchProperty'), { exact: true }).fill('NAME');
    await page.getByRole('button', { name: msg('ar', 'import.check'), exact: true }).click();
    await page.locator('.import-result h2, .error-summary').first().waitFor();
    expect(await page.locator('.error-summary').count(), await page.locator('main').innerText()).toBe(0);
    expect(await result.locator('h2').innerText()).toContain(msg('ar', 'import.refused', { n: '١' }));
    expect(await result.locator('table tbody tr td').nth(1).innerText()).toBe('Nowhere');
    expect(await noSideways()).toBe(true);
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(await serious(page)).toEqual([]);
    await screenshot(page, 'import-ar-desktop-places');

    // An Open SDG repository (a zip), checked: counted per kind of file, the refused data file's first error in
    // Arabic, the boundaries file that matches no place skipped (issue 14), the translation file whose YAML cannot be
    // read refused with its reason in Arabic (line and column in Arabic digits, the parser's English words beside).
    await page.getByLabel(msg('ar', 'import.kinds.repository'), { exact: true }).check();
    const zip = new JSZip();
    zip.file('sdg-data/data/indicator_11-1-1.csv', 'Year,Value\n2027,40\n2028\n');
    zip.file('sdg-data/meta/11-1-1.md', '---\ncomputation_units: Percentage\n---\n');
    zip.file('sdg-data/translations/ar/units.yml', "'percent': نسبة مئوية\n");
    zip.file('sdg-data/translations/ar/broken.yml', 'title: [a\n b: c]\n');
    zip.file('sdg-data/regions.geojson', JSON.stringify({ type: 'FeatureCollection', features: [area] }));
    await page.setInputFiles('#repository-file', {
      name: 'sdg-data.zip',
      mimeType: 'application/zip',
      buffer: await zip.generateAsync({ type: 'nodebuffer' }),
    });
    await page.locator('#repository-place').selectOption('MAAGA');
    // The options of the CLI's --extend-codes and --new-series-for-units, ticked: sent with the check.
    await page.getByLabel(msg('ar', 'import.flag.extendCodes'), { exact: true }).check();
    await page.getByLabel(msg('ar', 'import.flag.newSeriesForUnits'), { exact: true }).check();
    const repositorySent = page.waitForRequest((r) => r.url().includes('/api/v1/imports/repository?'));
    await page.getByRole('button', { name: msg('ar', 'import.check'), exact: true }).click();
    const repositoryQuery = new URL((await repositorySent).url()).searchParams;
    expect([
      repositoryQuery.get('dryRun'),
      repositoryQuery.get('extendCodes'),
      repositoryQuery.get('newSeriesForUnits'),
    ]).toEqual(['true', 'true', 'true']);
    expect(repositoryQuery.get('createPlaces')).toBeNull();
    await result.locator('#repository-kinds').waitFor();
    expect(await result.locator('h2').innerText()).toBe(msg('ar', 'import.checked'));
    const kindRow = async (kind: string) =>
      result.locator(`#repository-kinds tr[data-kind="${kind}"] > *`).allInnerTexts();
    // Columns: kind, files, then the outcomes some kind has (checked, read, refused, skipped).
    expect(await kindRow('data')).toEqual([msg('ar', 'import.repo.kind.data'), '١', '٠', '٠', '١', '٠']);
    expect((await kindRow('metadata')).slice(0, 3)).toEqual([
      msg('ar', 'import.repo.kind.metadata', { indicators: '١' }),
      '١',
      '١',
    ]);
    expect((await kindRow('boundaries'))[1]).toBe('١');
    const fileRows = result.locator('#repository-files tbody tr');
    expect(await fileRows.count()).toBe(3);
    const fileRow = (p: string) => fileRows.filter({ hasText: p });
    const dataRow = fileRow('data/indicator_11-1-1.csv');
    expect(await dataRow.locator('[data-problem="cell-count"]').count()).toBe(1);
    expect(await dataRow.locator('[data-reason="rows-refused"]').innerText()).toBe(
      msg('ar', 'import.reason.rows-refused', { errors: '١', rows: '١' }),
    );
    expect(await fileRow('regions.geojson').locator('td').nth(1).innerText()).toBe(msg('ar', 'import.outcome.skipped'));
    const yamlRow = fileRow('translations/ar/broken.yml');
    expect(await yamlRow.locator('td').nth(1).innerText()).toBe(msg('ar', 'import.outcome.refused'));
    const yamlReason = yamlRow.locator('[data-reason="yaml-syntax"]');
    expect(await yamlReason.innerText()).toContain(
      msg('ar', 'import.reason.yaml-syntax', {
        file: '\u2068translations/ar/broken.yml\u2069',
        line: '١',
        column: '٩',
      }),
    );
    expect(await yamlReason.innerText()).toContain(msg('ar', 'import.reasonDetail'));
    expect(await yamlReason.locator('[lang="en"]').innerText()).toBe(
      'Implicit keys of flow sequence pairs need to be on a single line',
    );
    expect(await serious(page)).toEqual([]);
    await screenshot(page, 'import-ar-desktop-repository');

    // A file that is not a zip, refused as a whole: the reason in Arabic after the lead, the zip reader's words beside.
    await page.setInputFiles('#repository-file', {
      name: 'not-a-zip.zip',
      mimeType: 'application/zip',
      buffer: Buffer.from('Year,Value\n2019,1\n'),
    });
    await page.getByRole('button', { name: msg('ar', 'import.check'), exact: true }).click();
    const refusal = page.locator('.error-summary');
    await refusal.waitFor();
    const refusalText = await refusal.innerText();
    expect(refusalText).toContain(`${msg('ar', 'import.error.refused')} ${msg('ar', 'import.reason.not-a-zip')}`);
    expect(refusalText).not.toContain('This is not a zip');
    expect(await refusal.locator('[data-reason="not-a-zip"] [lang="en"]').innerText()).toMatch(/central directory/);
    expect(await serious(page)).toEqual([]);
    expect(
      faults(
        besides(
          besides(problems, 422, /^\/api\/v1\/(imports|places\/boundaries)\?/),
          400,
          /^\/api\/v1\/imports\/repository\?/,
        ),
      ),
    ).toEqual([]);

    // English, desktop and phone: one more page load.
    const en = await signedInPage('city-focal-point', 'en');
    await en.page.goto('/import');
    await en.page.locator('#import-file').waitFor();
    expect(await h1(en.page)).toBe(msg('en', 'import.title'));
    expect(await serious(en.page)).toEqual([]);
    await screenshot(en.page, 'import-en-desktop');

    // Saved mappings (issue 14, item 6): a mapping file uploaded with the values, saved after the check that went
    // through, then chosen from the saved ones instead of the file: the same check, sent as the saved mapping's id.
    const p = en.page;
    const bySex = { columns: { 'Victim Gender': { dimension: 'SEX', values: { Female: 'F', Male: 'M' } } } };
    await p.setInputFiles('#import-file', {
      name: 'victims.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'indicator,series,place,period,value,Victim Gender\n16.1.1,VC_IHR_PSRC,MAAGA,2018,3.1,Female\n16.1.1,VC_IHR_PSRC,MAAGA,2018,4.2,Male\n',
      ),
    });
    await p.locator('#import-place').selectOption('MAAGA');
    expect(await p.locator('#import-saved-mapping').count()).toBe(0); // none saved yet
    await p.setInputFiles('#import-mapping', {
      name: 'by-sex.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(bySex)),
    });
    const enResult = p.locator('.import-result');
    const check = async () => {
      const sent = p.waitForRequest((r) => r.url().includes('/api/v1/imports?'));
      await p.getByRole('button', { name: msg('en', 'import.check'), exact: true }).click();
      await enResult
        .locator('h2')
        .filter({ hasText: msg('en', 'import.checked') })
        .waitFor();
      return { query: new URL((await sent).url()).searchParams, counts: await enResult.locator('dl').innerText() };
    };
    const byFile = await check();
    expect(JSON.parse(byFile.query.get('map') ?? '')).toEqual(bySex);
    await p.getByLabel(msg('en', 'import.mapping.saveAs'), { exact: true }).fill('Victims by sex');
    await p.getByRole('button', { name: msg('en', 'import.mapping.save'), exact: true }).click();
    await p.getByText(msg('en', 'import.mapping.savedAs', { name: 'Victims by sex' })).waitFor();
    await p
      .locator('#import-saved-mapping')
      .selectOption({ label: msg('en', 'import.mapping.option', { name: 'Victims by sex', place: 'MAAGA' }) });
    expect(await p.locator('#import-mapping').inputValue()).toBe(''); // the saved one replaces the file
    const bySaved = await check();
    expect(bySaved.query.get('map')).toBeNull();
    expect(bySaved.query.get('mappingId')).toMatch(/^\d+$/);
    expect(bySaved.counts).toBe(byFile.counts);
    expect(await p.locator('#import-save-mapping-name').count()).toBe(0); // nothing uploaded to save
    expect(await serious(p)).toEqual([]);
    await en.page.setViewportSize({ width: 390, height: 844 });
    expect(await serious(en.page)).toEqual([]);
    await screenshot(en.page, 'import-en-phone');
    expect(faults(en.problems)).toEqual([]);
  });

  // 5. Rules of an indicator: a problem found before sending, then saved and read back from the API.
  it('sets the validation and suppression rules of an indicator (ar)', async () => {
    const { page, problems } = await signedInPage('administrator', 'ar');
    await page.goto('/admin/indicators/11.1.1');
    await page.locator('form.rules-form').waitFor();
    await page.getByLabel(msg('ar', 'admin.rules.min'), { exact: true }).fill('٥٠');
    await page.getByLabel(msg('ar', 'admin.rules.max'), { exact: true }).fill('10');
    await page.getByRole('button', { name: msg('ar', 'admin.rules.save'), exact: true }).click();
    const max = page.getByLabel(msg('ar', 'admin.rules.max'), { exact: true });
    await expect.poll(() => max.getAttribute('aria-invalid')).toBe('true');
    expect(await max.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await page.locator('main').innerText()).toContain(msg('ar', 'apiError.minAboveMax'));
    await max.fill('100');
    await page.getByLabel(msg('ar', 'admin.rules.sumTolerance'), { exact: true }).fill('1');
    const suppress = page.getByLabel(msg('ar', 'admin.rules.suppressOn'), { exact: true });
    if (!(await suppress.isChecked())) await suppress.check();
    await page.getByLabel(msg('ar', 'admin.rules.minCount'), { exact: true }).fill('5');
    await page.getByLabel(msg('ar', 'level.district'), { exact: true }).check();
    // A rule set as a warning only: imports and the entry form report it and save the value.
    await page.getByLabel(msg('ar', 'admin.rules.warn.sumTolerance'), { exact: true }).check();
    await page.getByRole('button', { name: msg('ar', 'admin.rules.save'), exact: true }).click();
    await page
      .locator('[role=status]')
      .filter({ hasText: msg('ar', 'admin.rules.saved') })
      .waitFor();
    const ind = (await (await fetch(`${suite.baseURL}/api/v1/indicators/11.1.1`)).json()) as {
      validationRules: unknown;
      suppression: { minCount: number; levels?: string[] } | null;
    };
    expect(ind.validationRules).toMatchObject({ min: 50, max: 100, sumTolerance: 0.01, warnings: ['sumTolerance'] });
    expect(ind.suppression).toMatchObject({ minCount: 5 });
    expect(ind.suppression?.levels).toContain('district');
    await screenshot(page, 'admin-ar-rules-saved');
    expect(await serious(page)).toEqual([]);
    expect(faults(problems)).toEqual([]);
  });

  // 5b. Texts in six languages (issue 15, item 5): a definition edited in French on the indicator's administration
  // page is read on the French indicator page; with the Spanish one removed, the Spanish page shows the English
  // definition marked with its language. One page load; the public page and Spanish are reached inside the app.
  it('edits a definition in French and shows the English one, marked, where Spanish has none (fr, es)', async () => {
    const { page, problems } = await openAs(suite.browser, suite.baseURL, account('administrator'), 'fr', contexts);
    await page.goto('/admin/indicators/16.1.1');
    const form = page.locator('form.indicator-texts-form');
    await form.waitFor();
    const french = 'Nombre de victimes d’homicide volontaire pour 100 000 habitants — texte revu dans la page.';
    // The reader's language first, with its language on the field; the five others folded, counted.
    const fr = form.locator('textarea[lang="fr"]');
    expect(await fr.isVisible()).toBe(true);
    const others = form.locator('details.lang-fields-others').nth(1);
    expect(await others.getAttribute('open')).toBeNull();
    expect(await others.locator('summary').innerText()).toBe(
      msg('fr', 'common.otherLanguages', {
        field: msg('fr', 'admin.indicatorTexts.definition'),
        filled: '5',
        total: '5',
      }),
    );
    await fr.fill(french);
    await others.locator('summary').click();
    await form.locator('textarea[lang="es"]').fill('');
    await form.getByRole('button', { name: msg('fr', 'admin.indicatorTexts.save'), exact: true }).click();
    await page
      .locator('[role=status]')
      .filter({ hasText: msg('fr', 'admin.indicatorTexts.saved') })
      .waitFor();
    const ind = (await (await fetch(`${suite.baseURL}/api/v1/indicators/16.1.1`)).json()) as {
      definitions: Record<string, string>;
    };
    expect(ind.definitions.fr).toBe(french);
    expect(ind.definitions).not.toHaveProperty('es');

    const definition = page.locator('xpath=//dl[contains(@class,"card")]/dt[1]/following-sibling::dd[1]');
    await page.getByRole('link', { name: msg('fr', 'admin.rules.publicPage'), exact: true }).click();
    await definition.locator('span[lang="fr"]').filter({ hasText: french }).waitFor();
    expect(await definition.locator('.fallback-mark').count()).toBe(0);

    await page.getByLabel(msg('fr', 'layout.language'), { exact: true }).first().selectOption('es');
    await expect.poll(async () => (await htmlLangDir(page)).lang).toBe('es');
    const english = definition.locator('span[lang="en"]');
    await english.filter({ hasText: ind.definitions.en! }).waitFor();
    const inglés = await page.evaluate(() => new Intl.DisplayNames(['es'], { type: 'language' }).of('en'));
    expect(inglés).toBe('inglés');
    const note = definition.locator('.fallback-mark');
    expect(await note.innerText()).toBe(`(${msg('es', 'common.inLanguage', { language: inglés! })})`);
    expect(await note.getAttribute('lang')).toBe('es');
    await screenshot(page, 'admin-es-definition-fallback');
    expect(faults(problems)).toEqual([]);
  });

  // 5c. The indicator's metadata in six languages (issue 15, item 5): a text of an imported source given in French on
  // the administration page, a field added; a source without a name refused next to its field; the French indicator
  // page then shows the French texts, and the Arabic page the English one it still has, marked.
  it('edits a metadata text in French on the administration page and shows it on /fr/indicators/16.1.1 (fr, ar)', async () => {
    const SOURCE = 'Test statistics office (Open SDG)';
    const english = 'Victims of intentional homicide per 100,000 population.';
    const ind = await suite.server.db.store.db
      .selectFrom('indicators')
      .select('id')
      .where('code', '=', '16.1.1')
      .executeTakeFirstOrThrow();
    await suite.server.db.store.db
      .insertInto('indicator_metadata')
      .values([
        {
          indicator_id: ind.id,
          lang: 'en',
          field: 'national_indicator_description',
          text: english,
          position: 5,
          source: SOURCE,
        },
        { indicator_id: ind.id, lang: 'en', field: 'reporting_status', text: 'complete', position: 16, source: SOURCE },
      ])
      .execute();
    const { page, problems } = await openAs(suite.browser, suite.baseURL, account('administrator'), 'fr', contexts);
    await page.goto('/admin/indicators/16.1.1');
    const form = page.locator('form.indicator-metadata-form');
    await form.locator('textarea').first().waitFor();
    const sourceSelect = form.getByLabel(msg('fr', 'admin.indicatorMetadata.source'), { exact: true });
    expect(await sourceSelect.inputValue()).toBe(SOURCE);
    const fieldIn = (field: string, lang: string) =>
      msg('fr', 'common.fieldInLanguage', { field: msg('fr', `indicatorMetadata.field.${field}`), language: lang });
    const description = form.getByLabel(fieldIn('national_indicator_description', 'français'), { exact: true });
    expect(await description.inputValue()).toBe('');
    expect(await description.getAttribute('lang')).toBe('fr');
    // The English text is among the five other languages, folded and counted.
    const others = form.locator('details.lang-fields-others').first();
    expect(await others.getAttribute('open')).toBeNull();
    expect(await others.locator('summary').innerText()).toBe(
      msg('fr', 'common.otherLanguages', {
        field: msg('fr', 'indicatorMetadata.field.national_indicator_description'),
        filled: '1',
        total: '5',
      }),
    );
    expect(await form.locator('textarea[lang="en"]').first().inputValue()).toBe(english);

    // A new source without a name nor a field: refused before sending, next to the fields, in French.
    await sourceSelect.selectOption({ label: msg('fr', 'admin.indicatorMetadata.newSource') });
    await form.getByRole('button', { name: msg('fr', 'admin.indicatorMetadata.save'), exact: true }).click();
    const name = form.getByLabel(msg('fr', 'admin.indicatorMetadata.sourceName'), { exact: true });
    await expect.poll(() => name.getAttribute('aria-invalid')).toBe('true');
    expect(await name.evaluate((el) => el === document.activeElement)).toBe(true);
    const errorOf = async (field: typeof name) =>
      page.locator(`[id="${(await field.getAttribute('aria-describedby'))!.split(' ').pop()!}"]`).innerText();
    expect(await errorOf(name)).toContain(msg('fr', 'admin.indicatorMetadata.sourceNeeded'));
    const addSelect = form.getByLabel(msg('fr', 'admin.indicatorMetadata.addField'), { exact: true });
    expect(await errorOf(addSelect)).toContain(msg('fr', 'admin.indicatorMetadata.fieldNeeded'));
    expect(await serious(page)).toEqual([]);

    // Back to the imported source: the description in French, and a footnote added in French.
    await sourceSelect.selectOption(SOURCE);
    const french = 'Victimes d’homicide volontaire pour 100 000 habitants (texte saisi dans la page).';
    await form.getByLabel(fieldIn('national_indicator_description', 'français'), { exact: true }).fill(french);
    await addSelect.selectOption('data_footnote');
    await form.getByRole('button', { name: msg('fr', 'admin.indicatorMetadata.addFieldButton'), exact: true }).click();
    const footnote = form.getByLabel(fieldIn('data_footnote', 'français'), { exact: true });
    await expect.poll(() => footnote.evaluate((el) => el === document.activeElement)).toBe(true);
    await footnote.fill('Données **provisoires** pour 2024.');
    await form.getByRole('button', { name: msg('fr', 'admin.indicatorMetadata.save'), exact: true }).click();
    await page
      .locator('[role=status]')
      .filter({ hasText: msg('fr', 'admin.indicatorMetadata.saved') })
      .waitFor();
    expect(await sourceSelect.inputValue()).toBe(SOURCE);
    const texts = (await (await fetch(`${suite.baseURL}/api/v1/indicators/16.1.1/metadata/texts`)).json()) as {
      sources: { source: string; fields: { field: string; texts: Record<string, string> }[] }[];
    };
    const saved = texts.sources.find((x) => x.source === SOURCE)!.fields;
    expect(saved.find((f) => f.field === 'national_indicator_description')!.texts).toEqual({ en: english, fr: french });
    expect(saved.find((f) => f.field === 'data_footnote')!.texts).toEqual({ fr: 'Données **provisoires** pour 2024.' });
    expect(saved.find((f) => f.field === 'reporting_status')!.texts).toEqual({ en: 'complete' });
    await screenshot(page, 'admin-fr-metadata-saved');
    expect(await serious(page)).toEqual([]);
    // On a phone the form still fits the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.setViewportSize({ width: 1280, height: 900 });

    // The French indicator page, reached inside the app: the French texts, not marked.
    await page.getByRole('link', { name: msg('fr', 'admin.rules.publicPage'), exact: true }).click();
    await page.waitForURL('**/fr/indicators/16.1.1');
    const metadata = page.locator('section.indicator-metadata');
    await metadata.locator('.metadata-text[lang="fr"]').filter({ hasText: french }).waitFor();
    expect(await metadata.locator('.metadata-text[lang="fr"] strong').innerText()).toBe('provisoires');
    expect(await metadata.locator('.fallback-mark').count()).toBe(0);
    // In Arabic: no Arabic text, so the English description (before French), marked with its language.
    await page.getByLabel(msg('fr', 'layout.language'), { exact: true }).first().selectOption('ar');
    await expect.poll(async () => (await htmlLangDir(page)).lang).toBe('ar');
    await metadata
      .locator('.metadata-text[lang="en"]')
      .filter({ hasText: 'Victims of intentional homicide' })
      .waitFor();
    const inglizi = await page.evaluate(() => new Intl.DisplayNames(['ar'], { type: 'language' }).of('en'));
    expect(await metadata.locator('.fallback-mark').first().innerText()).toBe(
      `(${msg('ar', 'common.inLanguage', { language: inglizi! })})`,
    );
    expect(await metadata.locator('.fallback-mark').first().getAttribute('lang')).toBe('ar');
    await screenshot(page, 'admin-ar-metadata-fallback');
    expect(faults(problems)).toEqual([]);
  });

  // 6. Tokens: an administrator revokes another user's token; the audit log has it, and its CSV too.
  it("lets an administrator revoke any user's API token, and finds it in the audit log and its CSV (en)", async () => {
    const nfp = account('national-focal-point');
    const login = await fetch(`${suite.baseURL}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: nfp.email, password: nfp.password }),
    });
    const headers = {
      cookie: (login.headers.get('set-cookie') ?? '').split(';')[0]!,
      'x-csrf-token': ((await login.json()) as { csrfToken: string }).csrfToken,
      'content-type': 'application/json',
    };
    const made = await fetch(`${suite.baseURL}/api/v1/tokens`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 'national statistics system', scopes: ['observations:write'] }),
    });
    expect(made.status).toBe(201);
    const { id, token } = (await made.json()) as { id: number; token: string };

    const { page, problems } = await signedInPage('administrator', 'en');
    await page.goto('/admin/tokens');
    const revoke = page.getByRole('button', {
      name: msg('en', 'tokens.revokeNamed', { name: 'national statistics system' }),
      exact: true,
    });
    await revoke.click();
    const confirm = page.locator('.confirm');
    await confirm.waitFor();
    expect(await confirm.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Escape'); // cancelled: focus returns to the button
    await expect.poll(() => revoke.evaluate((el) => el === document.activeElement)).toBe(true);
    await revoke.click();
    await confirm.getByRole('button', { name: msg('en', 'tokens.revoke'), exact: true }).click();
    await page
      .locator('[role=status]')
      .filter({ hasText: msg('en', 'admin.tokens.revokedOne', { name: 'national statistics system' }) })
      .waitFor();
    expect(
      (await fetch(`${suite.baseURL}/api/v1/observations?limit=1`, { headers: { authorization: `Bearer ${token}` } }))
        .status,
    ).toBe(403);

    await page.goto('/admin/audit');
    await page.locator('main table.data tbody tr').first().waitFor();
    await page.getByLabel(msg('en', 'admin.audit.entityType'), { exact: true }).fill('token');
    await page.getByLabel(msg('en', 'admin.audit.action'), { exact: true }).fill('revoke');
    await page.getByRole('button', { name: msg('en', 'admin.audit.apply'), exact: true }).click();
    await expect.poll(() => page.locator('main table.data tbody tr').count()).toBe(1);
    expect(await page.locator('main table.data tbody tr').innerText()).toContain(String(id));
    const href = await page.getByRole('link', { name: msg('en', 'admin.audit.csv'), exact: true }).getAttribute('href');
    expect(href).toBe('/api/v1/audit/export?entityType=token&action=revoke');
    const csv = await page.evaluate(async (h) => {
      const r = await fetch(h);
      return { status: r.status, type: r.headers.get('content-type'), text: await r.text() };
    }, href!);
    expect(csv.status).toBe(200);
    expect(csv.type).toMatch(/text\/csv/);
    const [header, ...rows] = parseCsv(csv.text);
    expect(rows.length).toBe(1);
    expect(rows[0]![header!.indexOf('entity_id')]).toBe(String(id));
    expect(faults(problems)).toEqual([]);
  });
});
