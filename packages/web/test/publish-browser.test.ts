// The public site published as files (`marsad publish`, docs/decisions/0009-static-publish.md), served by a plain
// static server (a folder's index.html, no API, 404 for anything else) and read in Chromium: the home, an indicator
// and a place in Arabic and English, wide and on a phone. The part of the site published here is those pages (the
// publisher's `only`); the whole site, its links and its data are checked by packages/cli/test/publish.test.ts.

import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishSite } from '../../cli/src/commands/publish.ts';
import { SiteWriter } from '../../cli/src/commands/publish-files.ts';
import {
  browserDecision,
  collectProblems,
  describeViolations,
  msg,
  runAxe,
  useBrowserSuite,
} from './browser-helpers.ts';
import { PHONE } from './phone-walk.ts';

const decision = browserDecision();
if (decision.reason && !decision.run) console.warn(decision.reason);

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.csv': 'text/csv; charset=utf-8',
};

/** A static file server as any web host is: files, a folder's index.html, 404 otherwise. */
function staticServer(root: string): Promise<{ server: Server; url: string }> {
  const server = createServer(async (req, res) => {
    let p: string;
    try {
      p = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      p = '/';
    }
    let file = path.join(root, path.normalize(p));
    const s = await stat(file).catch(() => null);
    if (s?.isDirectory()) file = path.join(file, 'index.html');
    const f = await stat(file).catch(() => null);
    if (!file.startsWith(root) || !f?.isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      resolve({ server, url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}` });
    }),
  );
}

describe.skipIf(!decision.run)('the published site on a static server', { timeout: 120_000 }, () => {
  const suite = useBrowserSuite();
  let dir: string;
  let host: { server: Server; url: string };
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marsad-published-'));
    const writer = new SiteWriter(dir, null);
    await publishSite(suite.server.app, writer, {
      langs: ['ar', 'en'],
      live: '',
      site: '',
      // The home page last, as in a whole publish: drawn once the map's code has loaded, it has the map's frame.
      only: ['/indicators/11.1.1', '/places/MAAGA', '/'],
    });
    await writer.finish();
    host = await staticServer(dir);
  }, 120_000);
  afterAll(async () => {
    await new Promise((r) => host?.server.close(r));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  for (const size of [
    { name: 'desktop', viewport: { width: 1280, height: 900 } },
    { name: 'phone', viewport: PHONE },
  ])
    for (const lang of ['ar', 'en'] as const)
      it(`${size.name}, ${lang}: the home, an indicator and a place show their heading and values, no problem`, async () => {
        const phone = size.viewport.width < 600;
        const ctx = await suite.browser.newContext({
          baseURL: host.url,
          viewport: size.viewport,
          ...(phone ? { deviceScaleFactor: 2, isMobile: true, hasTouch: true } : {}),
        });
        ctx.setDefaultTimeout(15_000);
        suite.contexts.push(ctx);
        for (const address of [`/${lang}`, `/${lang}/indicators/11.1.1`, `/${lang}/places/MAAGA`]) {
          const page = await ctx.newPage();
          const problems = collectProblems(page);
          const r = await page.goto(address);
          expect(r?.status(), address).toBe(200);
          expect(await page.locator('html').getAttribute('dir')).toBe(lang === 'ar' ? 'rtl' : 'ltr');
          expect((await page.locator('main h1').first().innerText()).trim().length, address).toBeGreaterThan(0);
          if (address !== `/${lang}`) {
            // The table of values, drawn by the server.
            expect(await page.locator('main table tbody tr').count(), address).toBeGreaterThan(0);
          }
          expect(await page.locator('script').count(), 'no scripts on a published page').toBe(0);
          // No control that only scripts make work is shown (a series or place chooser, print, the search box).
          expect(
            await page.locator('main select:visible, main button:visible, main input:visible').count(),
            `${address}: controls without scripts`,
          ).toBe(0);
          expect(await page.getByText(msg(lang, 'common.loading')).count(), address).toBe(0);
          const violations = (await runAxe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
          expect(violations, describeViolations(violations)).toEqual([]);
          expect(problems, address).toEqual([]);
          await page.close();
        }
        // The root sends to Arabic, the default language.
        const root = await ctx.newPage();
        await root.goto('/');
        await root.waitForURL((u) => u.pathname === '/ar');
        await root.locator('main h1').first().waitFor();
      });
});
