// Browser tests of the web app: Debian's Chromium (never a downloaded browser) driven by
// playwright-core against the real server on a PGlite database with the demonstration data.
// They run once, on PGlite, not per database. Without /usr/bin/chromium they are skipped with
// a message, unless MARSAD_REQUIRE_BROWSER=1 (CI), where that is a failure;
// MARSAD_SKIP_BROWSER=1 skips them (CI's second run, on the PostgreSQL server).
// With MARSAD_SHOTS=1, full-page screenshots of every page in both languages go to /tmp/marsad-shots/.

import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  browserDecision,
  collectProblems,
  describeViolations,
  getJson,
  htmlLangDir,
  LANGS,
  type Lang,
  msg,
  newContext,
  parseCsv,
  plain,
  ROOT,
  runAxe,
  screenshot,
  useBrowserSuite,
  waitForApp,
  waitForSettled,
} from './browser-helpers.ts';

const decision = browserDecision();
if (decision.reason && !decision.run) console.warn(decision.reason);

interface Names {
  [lang: string]: string;
}
interface PlaceItem {
  code: string;
  names: Names;
}
interface Observation {
  place: string;
  period: string;
  value: number;
  dims: Record<string, string>;
}

/** The pages of test 1, with what shows that their data has arrived. */
const PAGES: { path: string; ready: string[] }[] = [
  {
    path: '/',
    ready: [
      'section[aria-labelledby="updates-title"] ul.results li',
      'section[aria-labelledby="pilots-title"] ul.grid li a',
      'figure.map svg',
    ],
  },
  { path: '/indicators', ready: ['main ul.results li a[href*="/indicators/"]'] },
  {
    path: '/indicators/16.1.1',
    ready: ['table.data caption', 'table.data tbody tr td[data-value]', '.chart svg', 'figure.map svg'],
  },
  {
    path: '/indicators/11.6.2',
    ready: ['table.data caption', 'table.data tbody tr td[data-value]', '.chart svg', 'figure.map svg'],
  },
  { path: '/places', ready: ['main ul.grid li.card a[href*="/places/"]', 'main ul.grid li a[href$="/places/MAAGA"]'] },
  { path: '/places/MAAGA', ready: ['table.data tbody tr .badge'] },
  { path: '/places/MAR', ready: ['main .empty, main table.data tbody tr'] },
  { path: '/compare?places=MAAGA,JOAMM&indicator=16.1.1', ready: ['table.data tbody tr td.num', '.chart svg'] },
  { path: '/status?framework=sdg', ready: ['table.status-table tbody tr td'] },
  { path: '/status?framework=urban-safety', ready: ['table.status-table tbody tr td'] },
];

const shotName = (lang: Lang, p: string) => `${lang}-${p === '/' ? 'home' : p.slice(1)}`;

describe.skipIf(!decision.run)('web app in Chromium', { timeout: 120_000 }, () => {
  const suite = useBrowserSuite();
  const contexts = suite.contexts;
  let placeNames: Map<string, Names>;
  let indicatorNames: Map<string, Names>;

  beforeAll(async () => {
    const places = await getJson<{ items: PlaceItem[] }>(suite.baseURL, '/api/v1/places?limit=1000');
    placeNames = new Map(places.items.map((p) => [p.code, p.names]));
    indicatorNames = new Map();
    for (const code of ['16.1.1', '11.6.2'])
      indicatorNames.set(code, (await getJson<{ names: Names }>(suite.baseURL, `/api/v1/indicators/${code}`)).names);
    // Metadata as an Open SDG repository import stores it (migration 017): 16.1.1's page shows it (test 8).
    const ind = await suite.server.db.store.db
      .selectFrom('indicators')
      .select('id')
      .where('code', '=', '16.1.1')
      .executeTakeFirstOrThrow();
    const row = (lang: string, field: string, text: string, position: number) => ({
      indicator_id: ind.id,
      lang,
      field,
      text,
      position,
      source: 'Test statistics office (Open SDG)',
    });
    await suite.server.db.store.db
      .insertInto('indicator_metadata')
      .values([
        row('en', 'national_indicator_description', 'Victims of intentional homicide per 100,000 population.', 5),
        row('ar', 'national_indicator_description', 'ضحايا القتل العمد لكل ١٠٠٬٠٠٠ نسمة.', 5),
        row('en', 'data_footnote', '<p>Police records; <script>alert(1)</script>2020 is provisional.</p>', 9),
        row('en', 'reporting_status', 'complete', 16),
      ])
      .execute();
  }, 300_000);

  /** A fresh context (closed after the file) and a page in it, with its problems collected. */
  async function open(
    prefs: { lang?: Lang; digits?: 'arab' | 'latn' } = {},
  ): Promise<{ page: Page; problems: string[]; ctx: BrowserContext }> {
    const ctx = await newContext(suite.browser, suite.baseURL, prefs);
    contexts.push(ctx);
    const page = await ctx.newPage();
    return { page, problems: collectProblems(page), ctx };
  }
  const nameIn = (names: Names | undefined, lang: Lang, fallback: string) => names?.[lang] ?? names?.en ?? fallback;
  const placeName = (code: string, lang: Lang) => nameIn(placeNames.get(code), lang, code);

  function expectedH1(p: string, lang: Lang): string {
    if (p === '/') return msg(lang, 'home.title');
    if (p === '/indicators') return msg(lang, 'indicators.title');
    if (p === '/places') return msg(lang, 'places.title');
    if (p.startsWith('/compare')) return msg(lang, 'compare.title');
    if (p.startsWith('/status')) return msg(lang, 'status.title');
    const ind = /^\/indicators\/(.+)$/.exec(p);
    if (ind) return `${ind[1]} ${nameIn(indicatorNames.get(ind[1]!), lang, '')}`;
    const pl = /^\/places\/(.+)$/.exec(p);
    if (pl) return placeName(pl[1]!, lang);
    throw new Error(`no expected h1 for ${p}`);
  }

  // 1. Every page: no errors, its h1, lang and dir, no serious or critical axe violation.
  describe.each(LANGS)('pages in %s', (lang) => {
    it.each(PAGES)('$path', async ({ path: p, ready }) => {
      const { page, problems } = await open({ lang, digits: 'arab' });
      const res = await page.goto(p);
      expect(res?.status(), `HTTP status of ${p}`).toBe(200);
      for (const sel of ready) await page.locator(sel).first().waitFor({ timeout: 30_000 });
      await waitForSettled(page);
      await screenshot(page, shotName(lang, p));

      expect(await htmlLangDir(page)).toEqual({ lang, dir: lang === 'ar' ? 'rtl' : 'ltr' });
      const h1 = page.locator('main h1');
      expect(await h1.count()).toBe(1);
      // Both sides with white space folded (names hold no-break spaces, as in "100 000").
      expect(
        plain(await h1.innerText())
          .replace(/\s+/g, ' ')
          .trim(),
      ).toBe(plain(expectedH1(p, lang)).replace(/\s+/g, ' ').trim());
      // The title names the page in its language (it was the site's Arabic and Latin name on every page).
      expect(plain(await page.title())).toBe(
        `${plain(await h1.textContent())
          .replace(/\s+/g, ' ')
          .trim()} — ${msg(lang, 'app.name')}`,
      );

      const violations = (await runAxe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(violations, `axe on ${lang} ${p}:\n${describeViolations(violations)}`).toEqual([]);
      expect(problems, `problems on ${lang} ${p}`).toEqual([]);
    });
  });

  // 2. The language and digit choices.
  it('switches language in the header and keeps the choice; Arabic digits can be Latin', async () => {
    const { page, problems } = await open(); // nothing stored: the default language, Arabic
    await page.goto('/places/MAAGA');
    await page.locator('table.place-table tbody tr').first().waitFor();
    expect(await htmlLangDir(page)).toEqual({ lang: 'ar', dir: 'rtl' });
    await expect.poll(() => page.locator('main h1').innerText()).toBe(placeName('MAAGA', 'ar'));

    // Digits: Arabic-Indic by default, Latin on request; the select exists only in Arabic.
    const digits = page.getByRole('combobox', { name: msg('ar', 'layout.digits'), exact: true });
    await expect.poll(() => digits.inputValue()).toBe('arab');
    const main = page.locator('main');
    await expect.poll(() => main.innerText()).toContain('٢٠٢٤');
    await digits.selectOption('latn');
    await expect.poll(() => page.locator('main table.place-table tbody').innerText()).toContain('2024');
    expect(await page.locator('main table.place-table tbody').innerText()).not.toMatch(/[٠-٩]/);

    // Language: English from the header select.
    const language = page.getByRole('combobox', { name: msg('ar', 'layout.language'), exact: true });
    await language.selectOption('en');
    await expect.poll(() => page.locator('main h1').innerText()).toBe(placeName('MAAGA', 'en'));
    expect(await htmlLangDir(page)).toEqual({ lang: 'en', dir: 'ltr' });
    await expect.poll(() => page.locator('header select').count()).toBe(1); // no digits select in English
    expect(await page.locator('main h2').first().innerText()).toBe(msg('en', 'places.indicators'));

    // The choice survives a reload.
    await page.reload();
    await page.locator('table.place-table tbody tr').first().waitFor();
    await expect.poll(() => page.locator('main h1').innerText()).toBe(placeName('MAAGA', 'en'));
    expect(await htmlLangDir(page)).toEqual({ lang: 'en', dir: 'ltr' });
    expect(await page.getByRole('combobox', { name: msg('en', 'layout.language'), exact: true }).inputValue()).toBe(
      'en',
    );
    // The address is the page's in English; the cookie remembers the choice for addresses without language.
    expect(new URL(page.url()).pathname).toBe('/en/places/MAAGA');
    expect((await page.context().cookies()).find((c) => c.name === 'marsad_lang')?.value).toBe('en');

    // Back to Arabic: the Latin digits chosen earlier are kept too.
    await page.getByRole('combobox', { name: msg('en', 'layout.language'), exact: true }).selectOption('ar');
    await expect.poll(() => page.locator('main h1').innerText()).toBe(placeName('MAAGA', 'ar'));
    expect(await htmlLangDir(page)).toEqual({ lang: 'ar', dir: 'rtl' });
    expect(await page.getByRole('combobox', { name: msg('ar', 'layout.digits'), exact: true }).inputValue()).toBe(
      'latn',
    );
    expect(await page.locator('main table.place-table tbody').innerText()).toContain('2024');
    expect(new URL(page.url()).pathname).toBe('/ar/places/MAAGA');
    // Back goes to the English address, and the page follows its address.
    await page.goBack();
    await expect.poll(() => page.locator('main h1').innerText()).toBe(placeName('MAAGA', 'en'));
    expect([new URL(page.url()).pathname, await htmlLangDir(page)]).toEqual([
      '/en/places/MAAGA',
      { lang: 'en', dir: 'ltr' },
    ]);

    // On an indicator's page in Arabic, the chooser keeps the page under the English address;
    // the server writes <html lang dir> of that address, so a reload keeps it. The heading is in
    // the page's script: Arabic letters, then none (its code kept, isolates aside).
    const h1Text = async () => (await page.locator('main h1').innerText()).replace(/[\u2066-\u2069]/g, '');
    const inArabic = (t: string) => t.includes('11.1.1') && /[\u0600-\u06ff]{3}/.test(t);
    const inEnglish = (t: string) => t.includes('11.1.1') && /[a-z]{3}/i.test(t) && !/[\u0600-\u06ff]/.test(t);
    await page.goto('/ar/indicators/11.1.1');
    await expect.poll(async () => inArabic(await h1Text())).toBe(true);
    await page.getByRole('combobox', { name: msg('ar', 'layout.language'), exact: true }).selectOption('en');
    await page.waitForURL((u) => u.pathname === '/en/indicators/11.1.1');
    await expect.poll(async () => inEnglish(await h1Text())).toBe(true);
    expect(await htmlLangDir(page)).toEqual({ lang: 'en', dir: 'ltr' });
    const reloaded = await page.reload();
    expect(await reloaded?.text()).toMatch(/<html lang="en" dir="ltr">/);
    await expect.poll(async () => inEnglish(await h1Text())).toBe(true);
    expect([new URL(page.url()).pathname, await htmlLangDir(page)]).toEqual([
      '/en/indicators/11.1.1',
      { lang: 'en', dir: 'ltr' },
    ]);
    expect(problems).toEqual([]);
  });

  /** The rows of the indicator page's chart table (the table the chart describes). */
  async function chartTableRows(page: Page): Promise<{ place: string; period: string; value: string }[]> {
    const tableId = await page.locator('.chart[aria-describedby]').getAttribute('aria-describedby');
    expect(tableId, 'the chart names its table').toBeTruthy();
    const rows = page.locator(`[id="${tableId}"] tbody tr`);
    return rows.evaluateAll((trs) =>
      trs.map((tr) => ({
        place: (tr.querySelector('th')?.textContent ?? '').trim(),
        period: (tr.querySelectorAll('td')[0]?.textContent ?? '').trim(),
        value: tr.querySelector('td[data-value]')?.getAttribute('data-value') ?? '',
      })),
    );
  }
  async function checkedPlaces(page: Page): Promise<string[]> {
    const names = await page.locator('fieldset label:has(input[type="checkbox"]:checked)').allInnerTexts();
    return names.map((n) => {
      const code = [...placeNames].find(([, ns]) => nameIn(ns, 'en', '') === n.trim())?.[0];
      if (!code) throw new Error(`no place named ${n}`);
      return code;
    });
  }
  const key = (r: { place: string; period: string; value: string | number }) =>
    `${r.place}|${r.period}|${Number(r.value)}`;

  // 3. The chart's table shows what the API has for the checked places.
  it('shows in the chart table the API values of the checked places', async () => {
    const { page, problems } = await open({ lang: 'en', digits: 'latn' });
    await page.goto('/indicators/16.1.1');
    await page.locator('table.data tbody tr td[data-value]').first().waitFor();

    const compare = async () => {
      const places = await checkedPlaces(page);
      expect(places.length).toBeGreaterThan(0);
      const api = await getJson<{ items: Observation[]; total: number }>(
        suite.baseURL,
        `/api/v1/observations?indicator=16.1.1&series=VC_IHR_PSRC&place=${places.join(',')}&total=true&limit=1000`,
      );
      expect(api.total).toBe(api.items.length);
      const expected = api.items
        .map((o) => key({ place: placeName(o.place, 'en'), period: o.period, value: o.value }))
        .sort();
      const shown = (await chartTableRows(page)).map(key).sort();
      expect(shown).toEqual(expected);
      return { places, rows: shown.length };
    };
    const first = await compare();
    expect(first.places.length).toBe(5); // the five places with most values are checked at first

    // Check one more place: its rows join the table.
    const unchecked = page.locator('fieldset label:has(input[type="checkbox"]:not(:checked)) input').first();
    await unchecked.check();
    await expect.poll(async () => (await chartTableRows(page)).length).toBeGreaterThan(first.rows);
    const second = await compare();
    expect(second.places.length).toBe(6);

    // Uncheck the first: its rows leave.
    await page.locator('fieldset input[type="checkbox"]:checked').first().uncheck();
    await expect.poll(async () => (await chartTableRows(page)).length).toBeLessThan(second.rows);
    expect((await compare()).places.length).toBe(5);
    expect(problems).toEqual([]);
  });

  // 4. The CSV download holds the numbers shown.
  it('downloads as CSV the values the table shows', async () => {
    const { page, problems } = await open({ lang: 'en', digits: 'latn' });
    await page.goto('/indicators/16.1.1');
    await page.locator('table.data tbody tr td[data-value]').first().waitFor();
    const link = page.getByRole('link', { name: 'CSV', exact: true });
    const href = await link.getAttribute('href');
    expect(href).toMatch(/^\/api\/v1\/observations\/export\?/);
    expect(await link.getAttribute('download')).not.toBeNull();
    const csv = await page.evaluate(async (h) => {
      const r = await fetch(h);
      return { status: r.status, type: r.headers.get('content-type'), text: await r.text() };
    }, href!);
    expect(csv.status).toBe(200);
    expect(csv.type).toMatch(/text\/csv/);
    const [header, ...records] = parseCsv(csv.text);
    const col = (name: string) => {
      const i = header!.indexOf(name);
      expect(i, `CSV column ${name} in ${header!.join(',')}`).toBeGreaterThanOrEqual(0);
      return i;
    };
    const [iPlace, iPeriod, iValue] = [col('place'), col('period'), col('value')];
    const dimCols = header!
      .map((h, i) => [h, i] as const)
      .filter(
        ([h]) => !['indicator', 'series', 'place', 'period', 'value', 'unit', 'status', 'source', 'note'].includes(h),
      );
    const downloaded = records.map((r) => ({
      key: key({ place: placeName(r[iPlace]!, 'en'), period: r[iPeriod]!, value: r[iValue]! }),
      dims: dimCols
        .filter(([, i]) => r[i])
        .map(([h, i]) => `${h}=${r[i]}`)
        .join('|'),
    }));
    const shown = (await chartTableRows(page)).map(key);
    expect(shown.length).toBeGreaterThan(0);
    // Compared as multisets; a difference is told briefly (rows only in the file name their dimensions).
    const rest = [...shown];
    const extra: string[] = [];
    for (const d of downloaded) {
      const i = rest.indexOf(d.key);
      if (i >= 0) rest.splice(i, 1);
      else extra.push(d.dims ? `${d.key} (${d.dims})` : d.key);
    }
    expect(
      { onlyInCsv: extra.length, onlyInTable: rest.length, examples: [...extra.slice(0, 5), ...rest.slice(0, 5)] },
      `CSV from ${href} vs the table (${shown.length} rows)`,
    ).toEqual({ onlyInCsv: 0, onlyInTable: 0, examples: [] });
    expect(problems).toEqual([]);
  });

  // 5. Real 404s with the not-found page.
  describe.each(LANGS)('not-found pages in %s', (lang) => {
    it.each(['/indicators/NOPE', '/places/NOWHERE', '/no-such-page'])('%s', async (p) => {
      const { page, problems } = await open({ lang });
      const res = await page.goto(p);
      expect(res?.status()).toBe(404);
      await expect.poll(() => page.locator('main h1').innerText()).toBe(msg(lang, 'notFound.title'));
      expect(await htmlLangDir(page)).toEqual({ lang, dir: lang === 'ar' ? 'rtl' : 'ltr' });
      const what = /^\/(?:indicators|places)\/(.+)$/.exec(p)?.[1];
      const text = await page.locator('main').innerText();
      expect(text).toContain(what ? msg(lang, 'notFound.named', { what }) : msg(lang, 'notFound.text'));
      await screenshot(page, `${lang}-404-${p.slice(1)}`);
      // The 404s expected here are the page itself and, for a missing indicator or place, the API.
      const unexpected = problems.filter((m) => !/\b404\b/.test(m));
      expect(unexpected).toEqual([]);
    });
  });

  // 6. The home page's search box.
  it('finds Agadir from "اكادير" and "Агадир", and 16.1.1 from its code', async () => {
    const { page, problems } = await open({ lang: 'ar' });
    await page.goto('/');
    const box = page.locator('[role="search"] input[type="search"]');
    await box.waitFor();
    const results = page.locator('[role="search"] [aria-live]');
    for (const q of ['اكادير', 'Агадир']) {
      await box.fill(q);
      const agadir = results.locator('a[href="/ar/places/MAAGA"]');
      await agadir.waitFor();
      expect((await agadir.innerText()).trim()).toBe(placeName('MAAGA', 'ar'));
      expect(await results.locator('a[href^="/ar/places/"]').first().getAttribute('href'), q).toBe('/ar/places/MAAGA');
    }
    await box.fill('16.1.1');
    await results.locator('a[href="/ar/indicators/16.1.1"]').waitFor();
    expect(await results.locator('a[href^="/ar/indicators/"]').first().getAttribute('href')).toBe(
      '/ar/indicators/16.1.1',
    );
    await results.locator('a[href="/ar/indicators/16.1.1"]').click();
    await page.waitForURL('**/ar/indicators/16.1.1');
    await expect.poll(() => page.locator('main h1').innerText()).toContain('16.1.1');
    expect(problems).toEqual([]);
  });

  // 7. Progress is told in words, not by colour alone.
  it.each(LANGS)('shows progress badges with text on /places/MAAGA (%s)', async (lang) => {
    const { page, problems } = await open({ lang });
    await page.goto('/places/MAAGA');
    await page.locator('table.place-table tbody tr .badge').first().waitFor();
    const labels = new Set(
      [
        'met-or-almost',
        'substantial',
        'moderate',
        'marginal',
        'stagnation',
        'deterioration',
        'insufficient-data',
        'not-assessed',
      ].map((c) => msg(lang, `progress.class.${c}`)),
    );
    const rows = await page.locator('table.place-table tbody tr').count();
    const badges = await page.locator('table.place-table tbody tr .badge').evaluateAll((els) =>
      els.map((el) => {
        // The text a reader gets: everything but the aria-hidden icon.
        const clone = el.cloneNode(true) as HTMLElement;
        for (const h of clone.querySelectorAll('[aria-hidden="true"]')) h.remove();
        return {
          text: (clone.textContent ?? '').trim(),
          icon: el.querySelector('[aria-hidden="true"]')?.textContent ?? '',
        };
      }),
    );
    expect(badges.length).toBe(rows);
    for (const b of badges) {
      expect(labels.has(b.text), `badge text "${b.text}"`).toBe(true);
      expect(b.icon.trim()).not.toBe('');
    }
    expect(problems).toEqual([]);
  });

  // 8. The map's boundary disclaimer, and the metadata of the national platform (Open SDG).
  it.each(LANGS)('shows the map disclaimer and the Open SDG metadata on /indicators/16.1.1 (%s)', async (lang) => {
    const { page, problems } = await open({ lang });
    await page.goto('/indicators/16.1.1');
    await page.locator('figure.map svg').waitFor();
    const caption = page.locator('figure.map figcaption');
    await expect.poll(() => caption.innerText()).toContain(msg(lang, 'map.disclaimer'));
    expect(await caption.isVisible()).toBe(true);
    const metadata = page.locator('section.indicator-metadata');
    await metadata.locator('h2').waitFor();
    expect(await metadata.locator('h2').innerText()).toBe(msg(lang, 'indicatorMetadata.title'));
    const text = plain(await metadata.innerText());
    expect(text).toContain('Test statistics office (Open SDG)');
    expect(text).toContain(plain(msg(lang, 'indicatorMetadata.status.complete')));
    expect(text).toContain(
      lang === 'ar' ? 'ضحايا القتل العمد لكل ١٠٠٬٠٠٠ نسمة.' : 'Victims of intentional homicide per 100,000 population.',
    );
    // The footnote exists in English only: shown in English, marked so on the Arabic page; its script dropped.
    const footnote = metadata.locator('.metadata-text[lang="en"]', { hasText: 'Police records' });
    expect(await footnote.innerText()).toContain('2020 is provisional');
    expect(await metadata.locator('script').count()).toBe(0);
    if (lang === 'ar') expect(await metadata.locator('.fallback-mark').count()).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });
  it("serves React's production build, whatever built it (a build from inside Vitest had bundled the development one)", async () => {
    const html = await (await fetch(suite.baseURL)).text();
    const scripts = [...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    const assets = path.join(ROOT, 'packages/web/dist/assets');
    const chunks = (await readdir(assets)).filter((f) => f.endsWith('.js'));
    expect(chunks.length).toBeGreaterThan(0);
    for (const f of chunks) {
      // Printed by React's development build only.
      const development = (await readFile(path.join(assets, f), 'utf8')).includes('Download the React DevTools');
      expect(development, `${f} holds React's development build`).toBe(false);
    }
  });

  it('signs a demonstration administrator in, creates an API token that works, and signs out', async () => {
    const admin = suite.server.accounts.find((a) => a.roles.some((r) => r.role === 'administrator'));
    expect(admin).toBeTruthy();
    const { page, problems } = await open({ lang: 'en' });
    await page.goto(`${suite.baseURL}/sign-in`);
    await waitForApp(page);
    await page.fill('input[type=email]', admin!.email);
    await page.fill('input[type=password]', 'not the password at all');
    // A sign-in refused for too many failures (the answer is made here: the limits are tested in
    // packages/server/test/login-limits.test.ts) says what and until when, in the page's language.
    await page.route(
      '**/api/v1/auth/login',
      (route) =>
        route.fulfill({
          status: 429,
          contentType: 'application/json',
          headers: { 'retry-after': '840' },
          body: JSON.stringify({
            error: 'too_many_attempts',
            message: 'Too many failed sign-ins for this account from your address; try again in 14 minutes.',
            details: { scope: 'account', retryAfterSeconds: 840, retryAt: '2030-01-01T12:14:05.000Z' },
          }),
        }),
      { times: 1 },
    );
    await page.click('form button[type=submit]');
    await expect
      .poll(() => page.locator('[role=alert]').innerText())
      .toMatch(/^Too many failed sign-ins for this account from your address\. Try again after \d{1,2}:\d\d:\d\d/);
    await page.click('form button[type=submit]');
    await expect
      .poll(() => page.locator('[role=alert]').innerText())
      .toBe('The e-mail address or the password is not right.');
    problems.length = 0; // the refused sign-ins answer 429 and 401 on purpose
    await page.fill('input[type=password]', admin!.password);
    await page.click('form button[type=submit]');
    await page.waitForURL(`${suite.baseURL}/en`);
    await page.goto(`${suite.baseURL}/sign-in`);
    await page.fill('form input[type=text]', 'browser test');
    await page.click('form button[type=submit]');
    const token = await page.locator('code[dir=ltr]').innerText();
    expect(token).toMatch(/^msd_/);
    const res = await fetch(`${suite.baseURL}/api/v1/observations?status=provisional&limit=1`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(403); // observations:write only: no reading unpublished values
    expect((await runAxe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    await page.click('text=Sign out');
    await page.waitForSelector('h1:has-text("Sign in")');
    // Requests cut short by navigating on (ERR_ABORTED) are not faults.
    expect(problems.filter((p) => !p.includes('ERR_ABORTED'))).toEqual([]);
  });
  it('takes a value entered by the city focal point in the form, through a failed validation, validation and approval in the inbox, to the public page', async () => {
    const account = (role: string) => suite.server.accounts.find((a) => a.roles.some((r) => r.role === role))!;
    // The administrator sets a rule on 11.1.1 (a percentage: 0 to 100) through the API.
    const adminLogin = await fetch(`${suite.baseURL}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: account('administrator').email, password: account('administrator').password }),
    });
    const adminCookie = (adminLogin.headers.get('set-cookie') ?? '').split(';')[0]!;
    const adminCsrf = ((await adminLogin.json()) as { csrfToken: string }).csrfToken;
    const rules = await fetch(`${suite.baseURL}/api/v1/indicators/11.1.1/rules`, {
      method: 'PUT',
      headers: { cookie: adminCookie, 'x-csrf-token': adminCsrf, 'content-type': 'application/json' },
      body: JSON.stringify({ validationRules: { min: 0, max: 100 }, suppression: null }),
    });
    expect(rules.status, await rules.clone().text()).toBe(200);
    const publicValues = async () =>
      (
        (await (
          await fetch(`${suite.baseURL}/api/v1/observations?indicator=11.1.1&place=MAAGA&from=2025&to=2025`)
        ).json()) as { total: number }
      ).total;

    // The city focal point of Agadir opens the form, types 125, is told why it cannot be saved, corrects it.
    {
      const { page, problems } = await open({ lang: 'ar' });
      await page.goto(`${suite.baseURL}/sign-in`);
      await waitForApp(page);
      await page.fill('input[type=email]', account('city-focal-point').email);
      await page.fill('input[type=password]', account('city-focal-point').password);
      await page.click('form button[type=submit]');
      await page.waitForURL(`${suite.baseURL}/ar`);
      await page.click(`nav a:has-text("${msg('ar', 'nav.entry')}")`);
      await page.fill('#entry-period', '2025');
      await page.click('form.entry-picker button[type=submit]');
      await page.locator('#entry-framework').selectOption('sdg');
      await page.locator('details.entry-indicator summary:has-text("11.1.1")').click();
      const total = page.locator('[id="e-value-11_1_1_EN_LND_SLUM_"]');
      await total.fill('١٢٥');
      await page.click('form.entry-form button[type=submit]');
      const alert = page.locator('form.entry-form [role=alert]');
      await alert.waitFor();
      expect(await alert.innerText()).toContain(msg('ar', 'entry.problem.above-max', { value: '١٢٥', max: '١٠٠' }));
      expect(await total.getAttribute('aria-invalid')).toBe('true');
      await screenshot(page, 'ar-entry-problem');
      expect((await runAxe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
      expect(await publicValues()).toBe(0);
      problems.length = 0; // the refused entry answers 400 on purpose
      await total.fill('12.5');
      await page.click('form.entry-form button[type=submit]');
      await page.waitForSelector('form.entry-form [role=status]');
      expect(problems.filter((p) => !p.includes('ERR_ABORTED'))).toEqual([]);
    }
    expect(await publicValues()).toBe(0);

    for (const [role, button] of [
      ['data-validator', 'Validate the chosen values'],
      ['national-focal-point', 'Approve the chosen values'],
    ] as const) {
      const { page, problems } = await open({ lang: 'en' });
      await page.goto(`${suite.baseURL}/sign-in`);
      await waitForApp(page);
      await page.fill('input[type=email]', account(role).email);
      await page.fill('input[type=password]', account(role).password);
      await page.click('form button[type=submit]');
      await page.waitForSelector('a:has-text("Inbox (1)")');
      await page.click('a:has-text("Inbox (1)")');
      await page.getByRole('checkbox', { name: /11\.1\.1, MAAGA, 2025/ }).check();
      await page.click(`button:has-text("${button}")`);
      await page.waitForSelector('[role=status]:has-text("Done")');
      expect((await runAxe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
      expect(problems.filter((p) => !p.includes('ERR_ABORTED'))).toEqual([]);
    }
    expect(await publicValues()).toBe(1);
    const { page } = await open({ lang: 'en' });
    await page.goto(`${suite.baseURL}/places/MAAGA`);
    await page.locator('table.data tbody tr').first().waitFor();
    expect(await page.locator('main').innerText()).toContain('12.5');
  });
});
