/**
 * bench/web/first-heading: how soon a reader sees a public page's heading (issue 16, item 2), against the same page
 * as a static site. For each page, in cold browser contexts: the time from the start of navigation until the page's
 * `main h1` has text (measured in the page by a MutationObserver, which sees what the HTML parser inserts as well as
 * what the app writes), and the bytes received until then (encoded, headers included) of the requests it had made by then; with no throttling and with
 * Chrome's "Slow 3G" preset (2 s latency, 50 kB/s each way). The baseline: the very HTML Marsad sent, its scripts
 * taken out, and its style sheet, served as files by a plain HTTP server in this process with the security headers
 * Marsad sends — the page as a static site (and the same without any header, for comparison).
 * And the same page drawn in the browser, as a reader with a session gets it (and every reader did before).
 * Also the JavaScript (compressed, as sent) a drawn page needs before it is interactive: the scripts and module
 * preloads it names, which the app loads before it takes over the page, measured once it has (the app's
 * `marsad:interactive` mark: packages/web/src/main.tsx); the goal is < 150 kB.
 *   npm run bench:first-heading [-- --runs 3] [--postgres]
 */

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase } from '@marsad/db/testing';
import { buildApp, CHROMIUM_ARGS, prepareDatabase } from '@marsad/server';
import { type Browser, chromium } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '../..');
const runsAt = process.argv.indexOf('--runs');
const runs = runsAt > 0 ? Math.max(1, Number(process.argv[runsAt + 1]) || 3) : 3;
const PAGES = ['/ar', '/ar/indicators/11.1.1', '/ar/places/MAAGA', '/en/indicators/16.1.1'];
/** Chrome DevTools' "Slow 3G" preset, as the DevTools protocol takes it. */
const SLOW_3G = { offline: false, latency: 2000, downloadThroughput: 50_000, uploadThroughput: 50_000 };

if (!existsSync('/usr/bin/chromium')) {
  console.log('No Chromium at /usr/bin/chromium: skipped (apt-get install chromium).');
  process.exit(0);
}
spawnSync('node', ['scripts/build-web.mjs'], { cwd: root, stdio: 'inherit' });
const kind = process.argv.includes('--postgres') ? 'postgres' : 'pglite';
const t = await createTestDatabase(kind);
await prepareDatabase(t.store, { demo: 'yes' });
const app = await buildApp({
  store: t.store,
  dataDir: await mkdtemp(path.join(os.tmpdir(), 'marsad-bench-')),
  adminToken: 'x',
  version: 'bench',
});
const marsad = await app.listen({ port: 0, host: '127.0.0.1' });

/** The static site: each page's HTML as Marsad sent it, scripts and preloads out, and the style sheets it names. */
const files = new Map<string, { type: string; body: Buffer }>();
/** The security headers Marsad sends with a page, which a static site of the same pages would send too. */
const SECURITY = [
  'content-security-policy',
  'cross-origin-opener-policy',
  'x-content-type-options',
  'x-frame-options',
  'referrer-policy',
  'permissions-policy',
];
const security: Record<string, string> = {};
for (const p of PAGES) {
  const page = await app.inject({ url: p });
  for (const h of SECURITY) security[h] = String(page.headers[h]);
  const html = page.body
    .replace(/<script\b[\s\S]*?<\/script>\s*/g, '')
    .replace(/<link rel="modulepreload"[^>]*>\s*/g, '');
  files.set(p, { type: 'text/html; charset=utf-8', body: Buffer.from(html) });
  for (const m of html.matchAll(/<link rel="stylesheet"[^>]*href="([^"]+)"/g)) {
    const css = await app.inject({ url: m[1]! });
    files.set(m[1]!, { type: 'text/css', body: css.rawPayload });
  }
}
/**
 * The static site with Marsad's security headers (the fair baseline: Cross-Origin-Opener-Policy alone makes
 * Chromium start a new renderer process for the page, some 20–30 ms on this machine), and without any.
 */
async function serveFiles(headers: Record<string, string>): Promise<{ url: string; close: () => void }> {
  const server = createServer((req, res) => {
    const f = files.get(req.url ?? '');
    if (!f) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { ...headers, 'content-type': f.type, 'content-length': f.body.length }).end(f.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}
const staticServer = await serveFiles(security);
const bareServer = await serveFiles({});
const staticSite = staticServer.url;
const bareSite = bareServer.url;

/** Run in the page before anything else: the moment `main h1` has text, from the start of navigation. */
// (No named function inside: tsx would wrap it in a helper the page does not have.)
function markHeading(): void {
  new MutationObserver(() => {
    const w = window as unknown as { __heading?: number };
    if (w.__heading === undefined && document.querySelector('main h1')?.textContent?.trim())
      w.__heading = performance.now();
  }).observe(document, { subtree: true, childList: true, characterData: true });
}

/** `unDrawn`: as a reader with a session gets it (a cookie that names no session): drawn in the browser, as before. */
async function firstHeading(
  browser: Browser,
  url: string,
  slow: boolean,
  unDrawn = false,
): Promise<{ ms: number; bytes: number; js?: number }> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  if (unDrawn) await context.addCookies([{ name: 'marsad_session', value: 'none', url }]);
  await context.addInitScript(markHeading);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  if (slow) await cdp.send('Network.emulateNetworkConditions', SLOW_3G);
  // The requests the page made, with their sizes as received (encoded, headers included) and when they started.
  const requests: Promise<{ at: number; bytes: number }>[] = [];
  page.on('requestfinished', (r) =>
    requests.push(
      r
        .sizes()
        .then((z) => ({ at: r.timing().startTime, bytes: z.responseBodySize + z.responseHeadersSize }))
        // A request that finishes as the page is closed (the chart's code, after the heading) is not counted.
        .catch(() => ({ at: Number.POSITIVE_INFINITY, bytes: 0 })),
    ),
  );
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(() => (window as unknown as { __heading?: number }).__heading !== undefined, null, {
    timeout: Number(process.env.HEADING_TIMEOUT_MS ?? 180_000),
    polling: 50,
  });
  const { ms, epoch } = await page.evaluate(() => {
    const at = (window as unknown as { __heading: number }).__heading;
    return { ms: at, epoch: performance.timeOrigin + at };
  });
  // What the page had asked for before its heading showed, once received.
  await page.waitForLoadState('load');
  const bytes = (await Promise.all(requests)).filter((r) => r.at <= epoch).reduce((s, r) => s + r.bytes, 0);
  // The JavaScript the page had asked for before it answered to the reader (the app's mark, once hydrated: main.tsx),
  // as sent (compressed bodies).
  let js: number | undefined;
  if (url.startsWith(marsad) && !unDrawn) {
    await page.waitForFunction(() => performance.getEntriesByName('marsad:interactive').length > 0, null, {
      timeout: Number(process.env.HEADING_TIMEOUT_MS ?? 180_000),
      polling: 50,
    });
    // The code the page names in its HTML (its scripts and module preloads: what the app waits for before it takes
    // over the page), as it came; not the chart's code, which loads while the page already answers.
    const html = (await app.inject({ url: new URL(url).pathname })).body;
    const named = [...html.matchAll(/<(?:script[^>]* src|link rel="modulepreload"[^>]* href)="([^"]+)"/g)].map(
      (m) => new URL(m[1]!, url).href,
    );
    js = await page.evaluate(
      (names) =>
        (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
          .filter((r) => names.includes(r.name))
          .reduce((s, r) => s + r.encodedBodySize, 0),
      named,
    );
  }
  await context.close();
  return { ms, bytes, js };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
try {
  console.log(
    `First heading on a phone-sized screen, ${runs} cold loads each (median, min–max), on ${kind}; static = the same HTML as files`,
  );
  for (const slow of [false, true]) {
    console.log(`\n${slow ? 'Slow 3G (2 s latency, 50 kB/s)' : 'No throttling (loopback)'}`);
    for (const p of PAGES) {
      const m: { ms: number; bytes: number; js?: number }[] = [];
      const s: { ms: number; bytes: number }[] = [];
      const b: { ms: number; bytes: number }[] = [];
      const bare: { ms: number; bytes: number }[] = [];
      // The first load after a data change draws the page and compresses it (then kept: decision 0006, 0007): once,
      // not counted, as a static site's files are written once.
      const first = slow ? null : await firstHeading(browser, marsad + p, slow);
      if (first) await firstHeading(browser, marsad + p, slow);
      for (let i = 0; i < runs; i++) {
        m.push(await firstHeading(browser, marsad + p, slow));
        s.push(await firstHeading(browser, staticSite + p, slow));
        b.push(await firstHeading(browser, marsad + p, slow, true));
        bare.push(await firstHeading(browser, bareSite + p, slow));
      }
      const mm = median(m.map((x) => x.ms));
      const sm = median(s.map((x) => x.ms));
      const range = (xs: number[]) => `${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))}`;
      console.log(
        `  ${p.padEnd(24)} Marsad ${String(Math.round(mm)).padStart(6)} ms (${range(m.map((x) => x.ms))}), ` +
          `${(median(m.map((x) => x.bytes)) / 1024).toFixed(1)} kB asked for before it, ` +
          `${(median(m.map((x) => x.js ?? 0)) / 1024).toFixed(1)} kB of JavaScript before interactive · static ${String(Math.round(sm)).padStart(6)} ms ` +
          `(${range(s.map((x) => x.ms))}), ${(median(s.map((x) => x.bytes)) / 1024).toFixed(1)} kB · ${(mm / sm).toFixed(2)}× ` +
          `· static without headers ${Math.round(median(bare.map((x) => x.ms)))} ms (${(mm / median(bare.map((x) => x.ms))).toFixed(2)}×) ` +
          `· drawn in the browser (as before) ${Math.round(median(b.map((x) => x.ms)))} ms, ` +
          `${(median(b.map((x) => x.bytes)) / 1024).toFixed(1)} kB` +
          (first ? ` · the first load, while the page was drawn: ${Math.round(first.ms)} ms` : ''),
      );
    }
  }
} finally {
  await browser.close();
  await app.close();
  staticServer.close();
  bareServer.close();
  await t.drop();
}
