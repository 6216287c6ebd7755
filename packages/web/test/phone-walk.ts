// The phone walk (issue 15, item 1): every page of the router, on a phone-sized screen with Chromium's
// mobile emulation, checked for sideways scrolling, touch targets (WCAG 2.2, 2.5.8) and axe. Shared by
// the CI browser test (phone-browser.test.ts: 390 × 844, Arabic and English) and the script
// scripts/phone-walk.ts (any sizes and languages, screenshots to a folder).

import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { collectProblems, type DemoAccount, describeViolations, ROOT, runAxe } from './browser-helpers.ts';

export type WalkLang = 'ar' | 'en' | 'fr' | 'es' | 'ru' | 'zh';
export interface ScreenSize {
  width: number;
  height: number;
}
export const PHONE: ScreenSize = { width: 390, height: 844 };
export const SMALL_PHONE: ScreenSize = { width: 360, height: 740 };

/** The paths of the router's routes, as router.tsx declares them (`/indicators/$code`…). */
export function routerPaths(): string[] {
  const source = readFileSync(path.join(ROOT, 'packages/web/src/app/router.tsx'), 'utf8');
  return [...source.matchAll(/path: '([^']+)'/g)].map((m) => m[1]!);
}

/** Pages that only a signed-in user sees as they are meant to be: walked signed in (the others as the public). */
const SIGNED_IN = [
  /^\/admin(\/|$)/,
  /^\/entry$/,
  /^\/offline$/,
  /^\/import$/,
  /^\/inbox$/,
  /^\/reviews\/(cycles|submissions)\//,
  /^\/knowledge\/new$/,
  /^\/knowledge\/\$id\/edit$/,
  // The questionnaire builder (administrators); its edit page is found by the link on the new-cycle page.
  /^\/reviews\/questionnaires\//,
  // Self-assessments are private (focal points, administrators, reviewers); the framework's editor is for administrators.
  /^\/safety\/(assessments|monitor\/edit)/,
];
export const isSignedInRoute = (route: string): boolean => SIGNED_IN.some((r) => r.test(route));
/** Public pages that change much for a signed-in user (the review cycles appear; the safety index's choices form), walked by both. */
const BOTH = ['/reviews', '/safety/profile'];

/** The routes walked as the public, or signed in. */
export function routesFor(who: 'public' | 'signed-in', all: string[]): string[] {
  return all.filter((r) => (who === 'public' ? !isSignedInRoute(r) : isSignedInRoute(r) || BOTH.includes(r)));
}

/**
 * Sample addresses for routes with parameters, chosen in the demonstration data for what they show
 * (the widest indicator page, a city with values, a comparison). Routes not listed here take the first
 * link to them found on the pages already walked.
 */
const SAMPLES: Record<string, string[]> = {
  '/indicators/$code': ['/indicators/11.1.1', '/indicators/16.1.1'],
  '/places/$code': ['/places/MAAGA', '/places/MAR'],
  '/places/$code/report': ['/places/MAR/report'],
  '/admin/indicators/$code': ['/admin/indicators/16.1.1'],
};
/** Query strings that change a page much (the comparison with places chosen). */
const WITH_SEARCH: Record<string, string[]> = {
  '/compare': ['/compare?places=MAAGA,JOAMM&indicator=16.1.1'],
  '/status': ['/status?framework=sdg'],
  '/safety/profile': ['/safety/profile?place=MAAGA'],
  '/safety/assessments': ['/safety/assessments?place=MAAGA'],
};

function routeRegExp(route: string): RegExp {
  const body = route
    .split('/')
    .map((seg) => (seg.startsWith('$') ? '[^/?#]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${body}$`);
}

/** An address without the language prefix that pages may carry (`/en/indicators` → `/indicators`). */
export function withoutLanguage(address: string): string {
  return address.replace(/^\/(ar|en|fr|es|ru|zh)(?=[/?#]|$)/, '') || '/';
}

/** The route an address belongs to: a static route wins over a route with parameters (/knowledge/new). */
export function routeOf(routes: string[], address: string): string | undefined {
  const pathname = withoutLanguage(address.split(/[?#]/)[0]!);
  const statics = routes.filter((r) => !r.includes('$'));
  if (statics.includes(pathname)) return pathname;
  return routes.find((r) => r.includes('$') && routeRegExp(r).test(pathname));
}

/** The axe rules about phones: touch targets, boxes that scroll, zoom allowed. */
export const PHONE_AXE_RULES = ['target-size', 'scrollable-region-focusable', 'meta-viewport', 'meta-viewport-large'];

export interface PageCheck {
  address: string;
  route: string;
  /** document.documentElement.scrollWidth and clientWidth after load. */
  scrollWidth: number;
  clientWidth: number;
  /** The elements that reach past the screen's edge (outside a box that scrolls), widest first. */
  tooWide: string[];
  /** Interactive elements smaller than 24 × 24 px without the spacing or inline exceptions (axe's target-size). */
  smallTargets: string[];
  /** Serious and critical axe violations, target-size apart. */
  axe: string[];
  /** Errors of the page (console, failed answers). */
  problems: string[];
  /** Same-origin links on the page (for the sample addresses of routes with parameters). */
  links: string[];
}

/** Waits for the page's heading and the end of its loading messages (an error message is a state too). */
async function settle(page: Page): Promise<void> {
  await page.locator('main h1').first().waitFor({ timeout: 15_000 });
  await page.waitForFunction(
    () =>
      document.querySelectorAll('main [role="status"]:not(.visually-hidden)').length === 0 ||
      document.querySelector('main [role="alert"]') !== null,
    undefined,
    { timeout: 15_000 },
  );
  // Charts and maps draw after their lazy code arrives; fonts change widths.
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
}

/** Measures the page as it is now (see PageCheck). */
export async function checkPage(
  page: Page,
  route: string,
  problems: string[],
  axeRules?: string[],
): Promise<PageCheck> {
  const measured = await page.evaluate(() => {
    const root = document.documentElement;
    const width = root.clientWidth;
    const describe = (el: Element): string => {
      const id = el.id ? `#${el.id}` : '';
      const cls =
        typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
      const name = (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 30);
      return `${el.tagName.toLowerCase()}${id}${cls}${name ? ` "${name}"` : ''}`;
    };
    // The page's box: in right-to-left pages a wide document starts scrolled, so offsets are taken from it.
    const page = root.getBoundingClientRect();
    const over = new Set<Element>();
    // The search for the cause (a style read per element) only when the page is too wide.
    const tooWide = root.scrollWidth > width;
    const clipped = new Set<Element>();
    const wide: { what: string; excess: number }[] = [];
    for (const el of tooWide ? document.body.querySelectorAll('*') : []) {
      // Inside a box that scrolls or clips, an element cannot widen the page (parents come before children),
      // unless it is positioned out of it (a visually hidden text in a table whose box is not positioned).
      const parent = el.parentElement;
      if (
        parent &&
        (clipped.has(parent) || (parent !== document.body && getComputedStyle(parent).overflowX !== 'visible')) &&
        !['absolute', 'fixed'].includes(getComputedStyle(el).position)
      ) {
        clipped.add(el);
        continue;
      }
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      // Its box, or its text when the text runs out of a box that has no element inside (a long word).
      const textRight = el.childElementCount === 0 && el.scrollWidth > el.clientWidth + 1 ? r.left + el.scrollWidth : 0;
      const excess = Math.max(r.right - (page.left + width), textRight - (page.left + width), page.left - r.left);
      if (excess <= 0.5) continue;
      over.add(el);
      // Only the outermost element that reaches past the edge names the cause.
      if (!parent || !over.has(parent)) wide.push({ what: `${describe(el)} (${Math.round(r.width)} px)`, excess });
    }
    wide.sort((a, b) => b.excess - a.excess);
    const links = [...document.querySelectorAll('a[href]')]
      .map((a) => (a as HTMLAnchorElement).href)
      .filter((h) => h.startsWith(location.origin))
      .map((h) => h.slice(location.origin.length));
    return {
      scrollWidth: root.scrollWidth,
      clientWidth: width,
      tooWide: wide.slice(0, 6).map((w) => w.what),
      links: [...new Set(links)],
    };
  });
  const violations = (
    await runAxe(page, {
      rules: { 'target-size': { enabled: true } },
      ...(axeRules ? { runOnly: { type: 'rule', values: axeRules } } : {}),
    })
  ).filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const targets = violations.filter((v) => v.id === 'target-size');
  const others = violations.filter((v) => v.id !== 'target-size');
  return {
    address: page.url().slice(new URL(page.url()).origin.length),
    route,
    ...measured,
    smallTargets: targets.flatMap((v) => v.nodes.map((n) => `${n.target.join(' ')} ${n.html.slice(0, 120)}`)),
    axe: others.length ? [describeViolations(others)] : [],
    problems: [...problems],
  };
}

/** Whether the page passes the walk's rules. */
export function passes(c: PageCheck): boolean {
  return c.scrollWidth <= c.clientWidth && c.smallTargets.length === 0 && c.axe.length === 0 && c.problems.length === 0;
}

export function describeCheck(c: PageCheck): string {
  const lines = [`${c.address} (${c.route})`];
  if (c.scrollWidth > c.clientWidth)
    lines.push(`  scrolls sideways: ${c.scrollWidth} px wide on a ${c.clientWidth} px screen; ${c.tooWide.join('; ')}`);
  for (const t of c.smallTargets.slice(0, 8)) lines.push(`  touch target under 24 × 24 px: ${t}`);
  if (c.smallTargets.length > 8) lines.push(`  … and ${c.smallTargets.length - 8} more small targets`);
  for (const a of c.axe) lines.push(`  axe: ${a.replace(/\n/g, '\n  ')}`);
  for (const p of c.problems) lines.push(`  ${p}`);
  return lines.join('\n');
}

/**
 * A browser context as a phone shows the app: Chromium's mobile emulation (a layout viewport that can grow
 * with the content, touch), the language and Arabic-Indic digits stored as a choice, signed in as the account
 * (or the public).
 */
export async function phoneContext(
  browser: Browser,
  baseURL: string,
  size: ScreenSize,
  lang: WalkLang,
  account: DemoAccount | null,
): Promise<BrowserContext> {
  const ctx = await browser.newContext({
    baseURL,
    viewport: size,
    // No service worker: the walk reads the server's pages (issue 21; the worker is tested in offline-browser.test.ts).
    serviceWorkers: 'block',
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    // The language as the browser's (Accept-Language, which the server may read for an address without
    // language) and as the stored choice below.
    locale: lang,
  });
  // Functions given to page.evaluate keep their names when tsx compiles them (esbuild's keepNames calls __name).
  await ctx.addInitScript('globalThis.__name ??= (f) => f;');
  await ctx.addInitScript((l) => {
    try {
      if (!localStorage.getItem('marsad.lang')) localStorage.setItem('marsad.lang', l);
      if (!localStorage.getItem('marsad.digits')) localStorage.setItem('marsad.digits', 'arab');
    } catch {
      /* storage unavailable */
    }
  }, lang);
  if (account) {
    const r = await ctx.request.post('/api/v1/auth/login', {
      data: { email: account.email, password: account.password },
    });
    if (r.status() !== 200) throw new Error(`sign-in of ${account.email}: ${r.status()} ${await r.text()}`);
  }
  return ctx;
}

/**
 * The demonstration data has no workshop: a published one is added through the API by the signed-in
 * context's user (an administrator), so that /workshops/$id has a page to show.
 */
export async function addSampleWorkshop(ctx: BrowserContext): Promise<void> {
  const me = (await (await ctx.request.get('/api/v1/auth/me')).json()) as { csrfToken: string };
  const r = await ctx.request.post('/api/v1/workshops', {
    headers: { 'X-CSRF-Token': me.csrfToken },
    data: {
      kind: 'workshop',
      status: 'published',
      titles: { ar: 'ورشة عمل عن رصد المدن الآمنة', en: 'Workshop on monitoring safer cities' },
      place: 'MAAGA',
      startsOn: '2024-03-04',
      endsOn: '2024-03-06',
      organisers: [{ names: { ar: 'جماعة أكادير', en: 'Agadir municipality' } }],
      topics: ['safer cities'],
      participants: { total: 30, bySex: { female: 16, male: 13, unspecified: 1 } },
    },
  });
  if (r.status() !== 201) throw new Error(`POST /api/v1/workshops: ${r.status()} ${await r.text()}`);
}

export interface WalkOptions {
  /** Walk these routes. */
  routes: string[];
  /**
   * Sample addresses by route, shared between walks: what one walk found (as the public) gives another (signed
   * in) the parameters of longer routes (/knowledge/2 → /knowledge/2/edit).
   */
  samples?: Map<string, string>;
  /** A folder for a full-page PNG of each page (none when absent). */
  shotsDir?: string;
  shotPrefix?: string;
  /** Only these axe rules (default: all of axe's default rules, and target-size). */
  axeRules?: string[];
  /** Called after each page (progress). */
  onPage?: (c: PageCheck) => void;
}

export interface WalkResult {
  checks: PageCheck[];
  /** Routes with parameters for which no sample address was found. */
  unsampled: string[];
}

/**
 * Walks the routes in one context (one page, reused): the static routes and the samples first, then the
 * routes with parameters whose sample is the first link to them seen on the pages walked so far.
 */
export async function walkRoutes(ctx: BrowserContext, all: string[], opts: WalkOptions): Promise<WalkResult> {
  const wanted = new Set(opts.routes);
  const queue: { address: string; route: string }[] = [];
  for (const route of opts.routes) {
    if (!route.includes('$')) queue.push({ address: route, route });
    for (const a of [...(SAMPLES[route] ?? []), ...(WITH_SEARCH[route] ?? [])]) queue.push({ address: a, route });
  }
  const samples = opts.samples ?? new Map<string, string>();
  const sampled = new Set(queue.map((q) => q.route));
  // A route that extends a route sampled before takes its parameters.
  for (const route of opts.routes) {
    if (sampled.has(route) || !route.includes('$')) continue;
    for (const [known, address] of samples) {
      if (!route.startsWith(`${known}/`) || route.slice(known.length).includes('$')) continue;
      queue.push({ address: `${address.split('?')[0]}${route.slice(known.length)}`, route });
      sampled.add(route);
      break;
    }
  }
  const checks: PageCheck[] = [];
  const page = await ctx.newPage();
  const problems = collectProblems(page);
  if (opts.shotsDir) await mkdir(opts.shotsDir, { recursive: true });
  try {
    for (let i = 0; i < queue.length; i++) {
      const { address, route } = queue[i]!;
      problems.length = 0;
      await page.goto(address);
      try {
        await settle(page);
      } catch (e) {
        problems.push(`not settled: ${(e as Error).message.split('\n')[0]}`);
      }
      const c = await checkPage(page, route, problems, opts.axeRules);
      checks.push(c);
      if (!samples.has(route)) samples.set(route, address);
      opts.onPage?.(c);
      if (opts.shotsDir) {
        const name = `${opts.shotPrefix ?? ''}${address === '/' ? 'home' : address.slice(1)}`.replace(/[^\w.-]+/g, '_');
        await page.screenshot({ path: path.join(opts.shotsDir, `${name}.png`), fullPage: true });
      }
      for (const link of c.links) {
        const r = routeOf(all, link);
        if (r && wanted.has(r) && !sampled.has(r)) {
          sampled.add(r);
          // Without its language: the walk's context chooses the language.
          queue.push({ address: withoutLanguage(link.split('#')[0]!), route: r });
        }
      }
    }
  } finally {
    await page.close();
  }
  return { checks, unsampled: opts.routes.filter((r) => !sampled.has(r)) };
}

/** Counts of a walk: pages, and pages failing each rule. */
export function countChecks(checks: PageCheck[]): {
  pages: number;
  sideways: number;
  smallTargets: number;
  axe: number;
  problems: number;
} {
  return {
    pages: checks.length,
    sideways: checks.filter((c) => c.scrollWidth > c.clientWidth).length,
    smallTargets: checks.filter((c) => c.smallTargets.length > 0).length,
    axe: checks.filter((c) => c.axe.length > 0).length,
    problems: checks.filter((c) => c.problems.length > 0).length,
  };
}
