// Helpers for the browser tests (browser.test.ts): the server on a demonstration database,
// Debian's Chromium driven by playwright-core, axe-core, the app's message catalogs.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { openPGliteStore } from '@marsad/db';
import { createTestDatabase, type TestDatabase } from '@marsad/db/testing';
import { buildApp, prepareDatabase, CHROMIUM_ARGS as SERVER_CHROMIUM_ARGS } from '@marsad/server';
import type { FastifyInstance } from 'fastify';
import { type Browser, type BrowserContext, type ConsoleMessage, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, inject } from 'vitest';
import { isolateNumbers } from '../src/format/isolate-numbers.ts';

export const ROOT = path.resolve(import.meta.dirname, '../../..');
export const CHROMIUM = '/usr/bin/chromium';
/** As the server starts it for PDFs (packages/server/src/reports/pdf-report.ts). */
export const CHROMIUM_ARGS = SERVER_CHROMIUM_ARGS;
export const SHOTS_DIR = '/tmp/marsad-shots';

export type Lang = 'ar' | 'en';
export const LANGS: Lang[] = ['ar', 'en'];
/** The six languages of the app, for the checks made in the other four too. */
export const UI_LANGS = ['ar', 'en', 'fr', 'es', 'ru', 'zh'] as const;
export type UiLang = (typeof UI_LANGS)[number];

/** Whether the browser tests run here, and why not (printed once when they are skipped). */
export function browserDecision(): { run: boolean; mustFail: boolean; reason?: string } {
  const has = existsSync(CHROMIUM);
  if (process.env.MARSAD_SKIP_BROWSER === '1')
    return { run: false, mustFail: false, reason: 'Browser tests skipped: MARSAD_SKIP_BROWSER=1' };
  if (has) return { run: true, mustFail: false };
  if (process.env.MARSAD_REQUIRE_BROWSER === '1')
    return {
      run: true,
      mustFail: true,
      reason: `MARSAD_REQUIRE_BROWSER=1 but there is no Chromium at ${CHROMIUM} (apt-get install chromium)`,
    };
  return {
    run: false,
    mustFail: false,
    reason: `Browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`,
  };
}

// ---- messages -----------------------------------------------------------------------------

const catalogs = Object.fromEntries(
  UI_LANGS.map((l) => [
    l,
    JSON.parse(readFileSync(path.join(ROOT, `packages/web/src/i18n/locales/${l}.json`), 'utf8')) as Record<
      string,
      string
    >,
  ]),
) as Record<UiLang, Record<string, string>>;
/**
 * Text as a reader sees it: without the invisible isolates and marks (LRI, RLI, FSI, PDI, LRM, RLM, ALM) the app
 * puts around numbers and values in right-to-left text (src/format/isolate-numbers.ts), so that a test compares the
 * words and their order, not where the page chose to isolate.
 */
export function plain(text: string | null | undefined): string {
  return (text ?? '').replace(/[\u2066-\u2069\u200e\u200f\u061c]/g, '');
}

/** A message of the app's catalog, with simple {name} placeholders filled in. */
export function msg(lang: UiLang, key: string, values: Record<string, string> = {}): string {
  const m = catalogs[lang][key];
  if (typeof m !== 'string') throw new Error(`No message ${key} in ${lang}`);
  const text = m.replace(/\{(\w+)\}/g, (all, name: string) => values[name] ?? all);
  // As the app shows it: numbers in an Arabic message isolated (src/format/isolate-numbers.ts).
  return lang === 'ar' ? isolateNumbers(text) : text;
}

// ---- the server ---------------------------------------------------------------------------

export interface TestServer {
  app: FastifyInstance;
  db: TestDatabase;
  baseURL: string;
  accounts: { email: string; password: string; roles: { role: string; place: string | null }[] }[];
  close(): Promise<void>;
}

/** Builds the web app if a source is newer than the build (before the server lists its files). */
export function buildWebApp(): void {
  const r = spawnSync(process.execPath, ['scripts/build-web.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`node scripts/build-web.mjs failed (exit ${r.status ?? r.signal})`);
  if (!existsSync(path.join(ROOT, 'packages/web/dist/index.html')))
    throw new Error('packages/web/dist/index.html is missing after the build');
}

/**
 * What the browser phase's globalSetup (browser-global-setup.ts) hands the test files: one Chromium
 * for all of them, and the demonstration database prepared once, for each file's server to copy.
 */
export interface SharedBrowserSetup {
  wsEndpoint: string;
  demoDir: string;
  accounts: TestServer['accounts'];
}
declare module 'vitest' {
  export interface ProvidedContext {
    marsadBrowser?: SharedBrowserSetup;
  }
}

/** What a file of browser tests works with: the server, Chromium, and the contexts to close after the file. */
export interface BrowserSuite {
  readonly server: TestServer;
  readonly browser: Browser;
  readonly baseURL: string;
  readonly contexts: BrowserContext[];
}

/**
 * Registers, in the calling `describe`, the start of the server (web app built, demonstration
 * data) and of Chromium before its tests, and their end after them, closing the contexts opened.
 * The fields are there once the `beforeAll` has run (a file's own `beforeAll`, registered after,
 * can use them). With MARSAD_REQUIRE_BROWSER=1 and no Chromium, the start fails.
 */
export function useBrowserSuite(): BrowserSuite {
  const decision = browserDecision();
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const missing = (what: string): never => {
    throw new Error(`${what} is not started yet: use it inside a test or a later beforeAll`);
  };
  beforeAll(async () => {
    if (decision.mustFail) throw new Error(decision.reason);
    const shared = inject('marsadBrowser');
    if (!shared) buildWebApp(); // the phase's globalSetup built it
    server = await startServer(shared);
    browser = shared
      ? await chromium.connect(shared.wsEndpoint)
      : await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 300_000);
  // A test's contexts close when it ends: a page left open goes on running (its timers, its queries) and
  // holding a renderer for the rest of the file. Contexts a file opens in its beforeAll stay for its tests.
  let opened = 0;
  beforeEach(() => {
    opened = contexts.length;
  });
  afterEach(async () => {
    for (const c of contexts.splice(opened)) await c.close().catch(() => undefined);
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    // A shared Chromium goes on for the next file (closed by the globalSetup); this file's connection ends.
    await browser?.close();
    await server?.close();
  });
  return {
    get server() {
      return server ?? missing('The server');
    },
    get browser() {
      return browser ?? missing('Chromium');
    },
    get baseURL() {
      return (server ?? missing('The server')).baseURL;
    },
    contexts,
  };
}

/**
 * The server on a PGlite database with the catalogue and the demonstration data: in memory, or,
 * in the browser phase, on a copy of the demonstration database its globalSetup prepared (the
 * server still starts as usual: its start finds the database ready).
 */
export async function startServer(shared?: SharedBrowserSetup): Promise<TestServer> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'marsad-browser-'));
  let db: TestDatabase;
  if (shared) {
    const copy = await mkdtemp(path.join(os.tmpdir(), 'marsad-browser-db-'));
    await cp(shared.demoDir, copy, { recursive: true });
    const store = await openPGliteStore(copy);
    db = {
      kind: 'pglite',
      store,
      async drop() {
        await store.close();
        await rm(copy, { recursive: true, force: true });
      },
    };
  } else db = await createTestDatabase('pglite');
  const prepared = await prepareDatabase(db.store, { demo: 'yes' });
  const app = await buildApp({ store: db.store, dataDir, adminToken: 'x', version: 'test' });
  const baseURL = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    app,
    db,
    baseURL,
    accounts: shared ? shared.accounts : (prepared.demoAccounts ?? []),
    async close() {
      await app.close();
      await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function getJson<T>(baseURL: string, url: string): Promise<T> {
  const r = await fetch(new URL(url, baseURL));
  if (!r.ok) throw new Error(`GET ${url}: ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}

// ---- pages --------------------------------------------------------------------------------

/**
 * A new context whose pages start in the given language (and digits) unless the page has
 * already stored a choice — so a choice made in the test survives a reload.
 */
export async function newContext(
  browser: Browser,
  baseURL: string,
  prefs: { lang?: UiLang; digits?: 'arab' | 'latn' } = {},
): Promise<BrowserContext> {
  // No service worker (issue 21): each test sees the server's answers, never a kept copy, and routes requests itself;
  // the worker is tested in offline-browser.test.ts.
  const ctx = await browser.newContext({ baseURL, viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
  // The language chooser's cookie: the server sends an address without language to it (Arabic
  // when the test names none, as for a reader who never chose); the chooser changes it.
  await ctx.addCookies([{ name: 'marsad_lang', value: prefs.lang ?? 'ar', url: baseURL }]);
  if (prefs.lang || prefs.digits) {
    await ctx.addInitScript((p) => {
      try {
        if (p.lang && !localStorage.getItem('marsad.lang')) localStorage.setItem('marsad.lang', p.lang);
        if (p.digits && !localStorage.getItem('marsad.digits')) localStorage.setItem('marsad.digits', p.digits);
      } catch {
        /* storage unavailable */
      }
    }, prefs);
  }
  return ctx;
}

export type DemoAccount = TestServer['accounts'][number];

/** The demonstration account that holds the role (its password was printed when the server started). */
export function demoAccount(server: TestServer, role: string): DemoAccount {
  const a = server.accounts.find((x) => x.roles.some((r) => r.role === role));
  if (!a) throw new Error(`no demonstration account with the role ${role}`);
  return a;
}

/**
 * A page in a fresh context (Arabic-Indic digits in Arabic) signed in as the account, or as the
 * public when there is none; the context is added to `contexts` for closing after the file.
 */
export async function openAs(
  browser: Browser,
  baseURL: string,
  account: DemoAccount | null,
  lang: UiLang,
  contexts: BrowserContext[],
): Promise<{ page: Page; problems: string[]; ctx: BrowserContext }> {
  const ctx = await newContext(browser, baseURL, { lang, digits: 'arab' });
  contexts.push(ctx);
  if (account) {
    const r = await ctx.request.post('/api/v1/auth/login', {
      data: { email: account.email, password: account.password },
    });
    expect(r.status(), await r.text()).toBe(200);
  }
  const page = await ctx.newPage();
  return { page, problems: collectProblems(page), ctx };
}

/** Page errors, console errors and failed answers (HTTP ≥ 400) seen by a page. */
export function collectProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()} (${m.location().url})`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.request().method()} ${r.url()}`);
  });
  page.on('requestfailed', (r) => {
    const reason = r.failure()?.errorText ?? '';
    // Cancelled by the browser (a navigation away while a lazy chunk or a query was still loading), not refused.
    if (reason === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${r.url()} (${reason})`);
  });
  return problems;
}

/** Waits until the page shows no loading message; an error message fails at once. */
/**
 * Waits until the app has taken over a page the server drew (its `marsad:interactive` mark, packages/web/src/main.tsx).
 * Until then the page is the server's HTML: a form filled and sent before it is sent by the browser itself, without
 * the app (the page reloads, no answer is shown), which a loaded machine made happen. A page the server did not draw
 * (a reader with a session) is the app's from the start.
 */
export async function waitForApp(page: Page, timeout = 30_000): Promise<void> {
  await page.waitForFunction(
    () =>
      !(document.getElementById('marsad-state')?.textContent && document.getElementById('root')?.firstElementChild) ||
      performance.getEntriesByName('marsad:interactive').length > 0,
    undefined,
    { timeout },
  );
}

export async function waitForSettled(page: Page, timeout = 30_000): Promise<void> {
  await page.locator('main h1').first().waitFor({ timeout });
  await page.waitForFunction(
    () =>
      document.querySelectorAll('main [role="status"], main [role="alert"]').length === 0 ||
      document.querySelector('main [role="alert"]') !== null,
    undefined,
    { timeout },
  );
  const alert = page.locator('main [role="alert"]');
  if (await alert.count()) throw new Error(`The page shows an error: ${await alert.first().innerText()}`);
}

export async function htmlLangDir(page: Page): Promise<{ lang: string; dir: string }> {
  return page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }));
}

/**
 * A full-page PNG of the page in SHOTS_DIR, taken when MARSAD_SHOTS=1 (`MARSAD_SHOTS=1 npm test`):
 * the shots are for people to look at, and each costs about a second of the browser phase.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.MARSAD_SHOTS !== '1') return;
  await mkdir(SHOTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS_DIR, `${name.replace(/[^\w.-]+/g, '_')}.png`), fullPage: true });
}

// ---- axe-core -----------------------------------------------------------------------------

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeNode {
  target: string[];
  html: string;
  failureSummary?: string;
}
interface AxeResult {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: AxeNode[];
}

/**
 * Runs axe-core on the page and returns its violations. The app's Content-Security-Policy
 * (default-src 'self') refuses inline scripts, so `page.addScriptTag({ content })` cannot be
 * used; axe is evaluated through the DevTools protocol instead, leaving the policy in force
 * (a style or script the policy refuses shows up as a console error). `options.rules` turns rules on or
 * off (the phone walk adds `target-size`, off by default), `options.runOnly` runs only the rules named.
 */
export async function runAxe(
  page: Page,
  options: {
    rules?: Record<string, { enabled: boolean }>;
    runOnly?: { type: 'rule'; values: string[] };
  } = {},
): Promise<AxeResult[]> {
  await page.evaluate(AXE_SOURCE);
  const r = await page.evaluate(async (extra) => {
    const axe = (
      window as unknown as {
        axe: { run(options: { resultTypes: string[] }): Promise<{ violations: unknown[] }> };
      }
    ).axe;
    // Only the violations are read: axe then details no passing or inapplicable nodes (the same rules run).
    return (await axe.run({ ...extra, resultTypes: ['violations'] })).violations;
  }, options);
  return r as AxeResult[];
}

export function describeViolations(vs: AxeResult[]): string {
  return vs
    .map(
      (v) =>
        `[${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${v.nodes
          .slice(0, 5)
          .map(
            (n) =>
              `    ${n.target.join(' ')}  ${n.html.slice(0, 200)}\n      ${(n.failureSummary ?? '').replace(/\n/g, ' ')}`,
          )
          .join('\n')}`,
    )
    .join('\n');
}

// ---- CSV ----------------------------------------------------------------------------------

/** A small RFC 4180 reader: rows of fields, quotes and doubled quotes handled. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}
