// Browser test of working without a connection (issue 21). In Chromium with the network cut (context.setOffline and,
// to be sure, every request to the server aborted; in the data-entry test the server itself stopped, nothing
// listening on its port, and started again on the same port to sync): a focal point keeps the
// data-entry form and a review submission available offline, types, reloads the page offline, closes and reopens a
// persistent browser profile (launchPersistentContext) with its storage, saves (queued on the device), goes online and
// finds the values and answers on the server once; a conflict made by another user meanwhile is resolved each way; a
// refused change is shown next to accepted ones; a sync whose answer is dropped is sent again and applied once;
// signing out clears the device. axe on the offline states, in Arabic and English; with MARSAD_SHOTS=1 screenshots
// (desktop and phone) in /tmp/offline-shots.

import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  browserDecision,
  CHROMIUM,
  CHROMIUM_ARGS,
  collectProblems,
  demoAccount,
  describeViolations,
  type Lang,
  msg,
  plain,
  runAxe,
  useBrowserSuite,
} from './browser-helpers.ts';

const decision = browserDecision();
if (decision.reason && !decision.run) console.warn(decision.reason);

const SHOTS = '/tmp/offline-shots';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

// The browser tests run on PGlite (the demonstration database prepared once for the phase); the sync's queue, keys
// and conflicts meet each database's transactions in packages/server/test/offline-sync.test.ts, on both.
describe.skipIf(!decision.run)('working without a connection', { timeout: 240_000 }, () => {
  const suite = useBrowserSuite();
  const city = () => demoAccount(suite.server, 'city-focal-point');
  const profiles: string[] = [];

  /** A browser profile on disk (its IndexedDB, cookies and service worker survive a restart), signed in. */
  async function profile(lang: Lang, dir?: string): Promise<{ ctx: BrowserContext; page: Page; dir: string }> {
    const userDataDir = dir ?? (await mkdtemp(path.join(os.tmpdir(), 'marsad-offline-profile-')));
    if (!dir) profiles.push(userDataDir);
    const ctx = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      baseURL: suite.baseURL,
      viewport: DESKTOP,
      serviceWorkers: 'allow',
    });
    if (!dir) {
      await ctx.addCookies([{ name: 'marsad_lang', value: lang, url: suite.baseURL }]);
      const r = await ctx.request.post('/api/v1/auth/login', {
        data: { email: city().email, password: city().password },
      });
      expect(r.status(), await r.text()).toBe(200);
    }
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    return { ctx, page, dir: userDataDir };
  }
  /** The connection cut: the browser offline, and any request that would still leave it refused. */
  async function cut(ctx: BrowserContext) {
    await ctx.setOffline(true);
    await ctx.route('**/*', (route) => route.abort('internetdisconnected'));
  }
  async function restore(ctx: BrowserContext) {
    await ctx.unroute('**/*');
    await ctx.setOffline(false);
  }
  /** The server itself stopped: nothing listens on its port (what a device meets when the city's link is down). */
  async function stopServer() {
    const http = suite.server.app.server;
    await new Promise<void>((resolve) => {
      http.close(() => resolve());
      http.closeAllConnections();
    });
    const refused = await fetch(`${suite.baseURL}/api/v1/indicators`).then(
      () => 'answered',
      () => 'refused',
    );
    expect(refused, 'the server is stopped').toBe('refused');
  }
  /** The same server listening again on the same port. */
  async function startServerAgain() {
    const http = suite.server.app.server;
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(Number(new URL(suite.baseURL).port), '127.0.0.1', () => {
        http.off('error', reject);
        resolve();
      });
    });
  }
  /** The service worker in control, and what the page used kept. */
  async function workerReady(page: Page) {
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await expect
      .poll(() =>
        page.evaluate(async () => {
          const names = await caches.keys();
          let n = 0;
          for (const name of names) n += (await (await caches.open(name)).keys()).length;
          return n;
        }),
      )
      .toBeGreaterThan(3);
  }
  /** A request of the API signed in as a demonstration role. */
  async function api(role: string, method: string, url: string, body?: unknown) {
    const a = demoAccount(suite.server, role);
    const login = await fetch(`${suite.baseURL}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: a.email, password: a.password }),
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
  /** The stored values of POP for Agadir in a period: value and version. */
  async function pop(period: string) {
    const rows = await suite.server.db.store.db
      .selectFrom('observations as o')
      .innerJoin('places as p', 'p.id', 'o.place_id')
      .innerJoin('indicators as i', 'i.id', 'o.indicator_id')
      .select(['o.value', 'o.version'])
      .where('p.code', '=', 'MAAGA')
      .where('i.code', '=', 'POP')
      .where('o.period', '=', period)
      .where('o.disagg_id', '=', 0)
      .execute();
    return rows.map((r) => `${Number(r.value)} v${r.version}`);
  }
  const serious = async (page: Page, what: string) => {
    const v = (await runAxe(page)).filter((x) => x.impact === 'serious' || x.impact === 'critical');
    expect(v, `${what}: ${describeViolations(v)}`).toEqual([]);
  };
  async function shots(page: Page, name: string) {
    for (const [size, viewport] of [
      ['phone', PHONE],
      ['desktop', DESKTOP],
    ] as const) {
      await page.setViewportSize(viewport);
      if (size === 'phone') {
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${name}: the page is wider than the phone`).toBeLessThanOrEqual(0);
      }
      if (process.env.MARSAD_SHOTS === '1') {
        await mkdir(SHOTS, { recursive: true });
        await page.screenshot({ path: path.join(SHOTS, `${name}-${size}.png`), fullPage: true });
      }
    }
    await page.setViewportSize(DESKTOP);
  }
  /** Until the page (header included) shows the text, isolates aside. */
  const shows = (page: Page, text: string) =>
    expect.poll(async () => plain(await page.locator('body').innerText())).toContain(plain(text));
  const entryUrl = (lang: Lang, period: string) => `/${lang}/entry?place=MAAGA&period=${period}&framework=population`;
  const totalField = (page: Page) => page.locator('input.entry-value').first();
  const header = (page: Page) => page.locator('.offline-status');

  it('data entry: kept offline, typed, reloaded and restarted offline, queued, sent once when back online', async () => {
    const { ctx, page, dir } = await profile('en');
    const problems = collectProblems(page);
    await page.goto(entryUrl('en', '2031'));
    await workerReady(page);
    await page.getByRole('button', { name: msg('en', 'offline.keep') }).click();
    await page.locator('.offline-bar button.secondary').waitFor();

    await cut(ctx);
    await stopServer();
    await page.reload();
    // The page comes from the worker's cache, the form from IndexedDB: both say they are copies.
    await page.locator('.saved-copy-banner').waitFor();
    await page.locator('.offline-bar .notice').waitFor();
    await totalField(page).fill('412345');
    // Kept at every keystroke: a reload offline shows what was typed.
    await page.reload();
    await expect.poll(() => totalField(page).inputValue()).toBe('412345');
    await serious(page, 'entry offline (en)');
    await shots(page, 'entry-offline-en');
    // The browser closed and opened again, still offline: the profile's storage keeps it.
    await ctx.close();
    const again = await profile('en', dir);
    await cut(again.ctx);
    await again.page.goto(entryUrl('en', '2031'));
    await expect.poll(() => totalField(again.page).inputValue()).toBe('412345');
    await again.page.getByRole('button', { name: msg('en', 'entry.save') }).click();
    await shows(again.page, msg('en', 'offline.queued', { n: '1' }));
    await expect
      .poll(() => header(again.page).innerText())
      .toContain(plain(msg('en', 'offline.header.waiting', { n: '1' })));
    expect(await pop('2031')).toEqual([]);

    // Back online (the server started again): sent by itself, once.
    await startServerAgain();
    await restore(again.ctx);
    await expect.poll(() => pop('2031')).toEqual(['412345 v1']);
    await expect
      .poll(() => header(again.page).innerText())
      .toContain(plain(msg('en', 'offline.header.waiting', { n: '0' })));
    await again.ctx.close();
    expect(
      problems.filter((p) => !/internetdisconnected|ERR_INTERNET_DISCONNECTED|ERR_FAILED|ERR_ABORTED/.test(p)),
    ).toEqual([]);
  });

  it('a conflict made by another user while offline is shown side by side and resolved each way; a refusal is shown next to the accepted', async () => {
    const { ctx, page } = await profile('ar');
    // The page of work kept on the device, seen once online (its code is kept by the service worker).
    await page.goto('/ar/offline');
    await workerReady(page);
    await page.locator('main h1').waitFor();
    await page.goto(entryUrl('ar', '2032'));
    await page.locator('input.entry-value').first().waitFor();
    await page.getByRole('button', { name: msg('ar', 'offline.keep') }).click();
    await page.locator('.offline-bar button.secondary').waitFor();
    const second = entryUrl('ar', '2033');
    await page.goto(second);
    await totalField(page).waitFor();
    await page.getByRole('button', { name: msg('ar', 'offline.keep') }).click();
    await page.locator('.offline-bar button.secondary').waitFor();
    // A value the national focal point enters for 2032 while the city's device is offline; a rule the device does
    // not know for 2033.
    await cut(ctx);
    await page.goto(entryUrl('ar', '2032'));
    await totalField(page).fill('500000');
    await page.getByRole('button', { name: msg('ar', 'entry.save') }).click();
    await shows(page, msg('ar', 'offline.queued', { n: '١' }));
    await page.goto(entryUrl('ar', '2033'));
    await totalField(page).fill('7000000');
    await page.getByRole('button', { name: msg('ar', 'entry.save') }).click();
    await shows(page, msg('ar', 'offline.queued', { n: '١' }));
    const other = await api('national-focal-point', 'POST', '/api/v1/entry', {
      place: 'MAAGA',
      period: '2032',
      entries: [{ indicator: 'POP', value: 600000 }],
    });
    expect(other.status, JSON.stringify(other.json)).toBe(201);
    const rules = await api('administrator', 'PUT', '/api/v1/indicators/POP/rules', {
      validationRules: { min: 0, max: 5000000 },
      suppression: null,
    });
    expect(rules.status, JSON.stringify(rules.json)).toBe(200);
    await page.goto('/ar/offline');
    await page.locator('main h1').waitFor();
    await serious(page, 'offline page offline (ar)');
    await shots(page, 'offline-page-waiting-ar');

    // Back online: sent by itself (the button does the same, below).
    await restore(ctx);
    const conflict = page.locator('.offline-conflict');
    await conflict.waitFor();
    // Side by side: mine and the server's.
    const row = conflict.locator('tbody tr').first();
    expect(await row.locator('td').nth(0).innerText()).toMatch(/500[,٬]?000|٥٠٠/);
    expect(await row.locator('td').nth(1).innerText()).toMatch(/600[,٬]?000|٦٠٠/);
    // The refusal next to it, with the reason in words.
    await page.locator('.offline-refused').waitFor();
    expect(await page.locator('.offline-refused').innerText()).toContain(
      plain(msg('ar', 'offline.refused.invalid_entries')),
    );
    expect(await pop('2032')).toEqual(['600000 v1']);
    expect(await pop('2033')).toEqual([]);
    await serious(page, 'offline page with a conflict and a refusal (ar)');
    await shots(page, 'offline-page-conflict-ar');
    // Keep mine: sent again from the server's version.
    await row
      .getByRole('button', { name: msg('ar', 'offline.keepMine'), exact: false })
      .first()
      .click();
    await page.getByRole('button', { name: plain(msg('ar', 'offline.sync.button', { n: '١' })) }).click();
    await expect.poll(() => pop('2032')).toEqual(['500000 v2']);
    // Another user signing in on the same browser sees nothing of it: the forms kept are the city focal point's.
    const national = demoAccount(suite.server, 'national-focal-point');
    const signedIn = await ctx.request.post('/api/v1/auth/login', {
      data: { email: national.email, password: national.password },
    });
    expect(signedIn.status()).toBe(200);
    await page.goto('/ar/offline');
    await shows(page, msg('ar', 'offline.nothingSaved'));
    expect(await page.locator('.offline-list a[href*="MAAGA"]').count()).toBe(0);
    await ctx.close();
    await api('administrator', 'PUT', '/api/v1/indicators/POP/rules', {
      validationRules: { min: 0 },
      suppression: null,
    });
  });

  it('a questionnaire: answered offline and reloaded; a conflict with another user left to the server; a dropped answer sent again applies once; signing out asks, then clears the device', async () => {
    // A submission of Agadir in draft, in a cycle of its own (the demonstration's questionnaire).
    const cycles = await api('administrator', 'GET', '/api/v1/review-cycles');
    const versionId = (cycles.json.items as { questionnaire: { versionId: number } }[])[0]!.questionnaire.versionId;
    const made = await api('administrator', 'POST', '/api/v1/review-cycles', {
      kind: 'safer-cities-peer-review',
      titles: { en: 'Offline test cycle', ar: 'دورة اختبار العمل دون اتصال' },
      startsOn: '2026-01-01',
      questionnaireVersionId: versionId,
      participants: ['MAAGA'],
    });
    expect(made.status, JSON.stringify(made.json)).toBe(201);
    const id = (made.json.participants as { submission: { id: number } }[])[0]!.submission.id;
    const { ctx, page } = await profile('en');
    await page.goto('/en/offline');
    await workerReady(page);
    await page.goto(`/en/reviews/submissions/${id}`);
    await page.getByRole('button', { name: msg('en', 'offline.keep') }).click();
    await page.locator('.offline-bar button.secondary').waitFor();
    await cut(ctx);
    await page.reload();
    await page.locator('.saved-copy-banner').waitFor();
    const institution = page.locator('[id="q-institution"], [id$="-institution"]').locator('visible=true').first();
    await institution.fill('Agadir municipality (offline)');
    await page.reload();
    await expect.poll(() => institution.inputValue()).toBe('Agadir municipality (offline)');
    await serious(page, 'questionnaire offline (en)');
    await shots(page, 'questionnaire-offline-en');
    await page.getByRole('button', { name: msg('en', 'reviews.form.saveDraft') }).click();
    await page.locator('.problem-summary [role=status]').first().waitFor();
    // Meanwhile an administrator answers the same question online.
    const put = await api('administrator', 'PUT', `/api/v1/review-submissions/${id}/answers?lang=en`, {
      answers: { institution: 'Set by the administrator' },
    });
    expect(put.status, JSON.stringify(put.json)).toBe(200);

    // Back online, the first answer of the sync is lost on its way back: the device sends it again, the server
    // answers it once.
    await ctx.unroute('**/*');
    let dropped = 0;
    await ctx.route('**/api/v1/offline/sync', async (route) => {
      if (dropped++ === 0) {
        await route.fetch();
        await route.abort('connectionreset');
      } else await route.continue();
    });
    await ctx.setOffline(false);
    await page.goto('/en/offline');
    // Sent when the browser came back online; its answer lost, the change waits still, and is sent again (by itself
    // as the page opens, or with the button).
    const again = page.getByRole('button', { name: msg('en', 'offline.sync.button', { n: '1' }) });
    await expect
      .poll(async () => {
        if (await page.locator('.offline-conflict').count()) return 'conflict';
        if (dropped >= 1 && (await again.isEnabled().catch(() => false))) await again.click().catch(() => undefined);
        return 'waiting';
      })
      .toBe('conflict');
    expect(dropped).toBeGreaterThanOrEqual(2);
    const audits = await suite.server.db.store.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', String(id))
      .where('action', '=', 'sync-conflict')
      .execute();
    expect(audits).toHaveLength(1);
    // Leave it to the server's.
    await page
      .getByRole('button', { name: msg('en', 'offline.keepServer'), exact: false })
      .first()
      .click();
    await expect.poll(() => page.locator('.offline-conflict').count()).toBe(0);
    const answers = await api('administrator', 'GET', `/api/v1/review-submissions/${id}?lang=en`);
    expect((answers.json.answers as Record<string, unknown>).institution).toBe('Set by the administrator');

    // Signing out with something still on the device asks first; then the device keeps nothing of the user.
    await cut(ctx);
    await page.goto(`/en/reviews/submissions/${id}`);
    await institution.fill('A second thought');
    await page.getByRole('button', { name: msg('en', 'reviews.form.saveDraft') }).click();
    await page.locator('.problem-summary [role=status]').first().waitFor();
    await ctx.unroute('**/*');
    await ctx.setOffline(false);
    await page.goto('/en/sign-in');
    await page.getByRole('button', { name: msg('en', 'account.signOut') }).click();
    await shows(page, msg('en', 'offline.signOut.explain'));
    await serious(page, 'sign out asking (en)');
    await shots(page, 'sign-out-en');
    await page.getByRole('button', { name: msg('en', 'offline.signOut.discard') }).click();
    await page
      .getByRole('button', { name: msg('en', 'account.signIn') })
      .first()
      .waitFor()
      .catch(() => undefined);
    await expect
      .poll(() =>
        page.evaluate(async () =>
          (await indexedDB.databases()).map((d) => d.name).filter((n) => n?.startsWith('marsad-offline')),
        ),
      )
      .toEqual([]);
    expect(await page.evaluate(() => localStorage.getItem('marsad-offline-me'))).toBeNull();
    await ctx.close();
  });

  it('the public pages a reader visited open offline, marked as a saved copy, with their data: signed out, and signed in (the public data)', async () => {
    for (const signedIn of [false, true]) {
      const lang: Lang = signedIn ? 'ar' : 'en';
      const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'marsad-offline-profile-'));
      profiles.push(userDataDir);
      const ctx = await chromium.launchPersistentContext(userDataDir, {
        executablePath: CHROMIUM,
        args: CHROMIUM_ARGS,
        baseURL: suite.baseURL,
        viewport: DESKTOP,
        serviceWorkers: 'allow',
      });
      await ctx.addCookies([{ name: 'marsad_lang', value: lang, url: suite.baseURL }]);
      if (signedIn) {
        const r = await ctx.request.post('/api/v1/auth/login', {
          data: { email: city().email, password: city().password },
        });
        expect(r.status(), await r.text()).toBe(200);
      }
      const page = ctx.pages()[0] ?? (await ctx.newPage());
      await page.goto(`/${lang}/indicators/11.1.1`);
      await workerReady(page);
      await page.locator('main h1').waitFor();
      await page.locator('main table').first().waitFor();
      const heading = plain(await page.locator('main h1').innerText());
      // The public answers the page used kept (for a signed-in reader: fetched again without credentials after each
      // answer): the indicator's among them, and no more coming (the same list three times, half a second apart), so
      // that the page offline finds every one.
      const kept = () =>
        page.evaluate(async () => {
          const urls: string[] = [];
          for (const name of await caches.keys())
            if (name.startsWith('marsad-data-'))
              for (const r of await (await caches.open(name)).keys()) urls.push(r.url);
          return urls.sort().join(' ');
        });
      let last = '';
      let same = 0;
      await expect
        .poll(
          async () => {
            const now = await kept();
            same = now === last ? same + 1 : 0;
            last = now;
            return now.includes('/api/v1/indicators/11.1.1') && same >= 2;
          },
          { interval: 500, timeout: 30_000 },
        )
        .toBe(true);

      await cut(ctx);
      await page.reload();
      await page.locator('.saved-copy-banner').waitFor();
      await expect.poll(async () => plain(await page.locator('main h1').innerText())).toBe(heading);
      await page.locator('main table').first().waitFor();
      await serious(page, `public page offline (${lang}, ${signedIn ? 'signed in' : 'signed out'})`);
      await shots(page, `public-page-offline-${lang}`);
      await restore(ctx);
      await ctx.close();
    }
  });

  it('removes the profiles', async () => {
    for (const d of profiles) await rm(d, { recursive: true, force: true });
  });
});
