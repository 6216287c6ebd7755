/**
 * Walks every page of the web app's router on phone-sized screens (Chromium's mobile emulation) and prints,
 * per size, language and visitor, how many pages scroll sideways, have touch targets under 24 × 24 px or
 * serious axe violations, with the details of each failing page; full-page screenshots go to a folder.
 *
 *   node --import tsx scripts/phone-walk.ts [--sizes 360x740,390x844] [--langs ar,en,fr,es,ru,zh]
 *       [--shots /tmp/marsad-phone] [--route /indicators/$code]...
 *
 * The server runs on an in-memory PGlite database with the demonstration data (as the browser tests); the
 * public walks the public pages, the administrator the pages for signed-in users (packages/web/test/phone-walk.ts).
 * Exits 1 when a page fails. Needs /usr/bin/chromium and the built web app (built here if out of date).
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import {
  buildWebApp,
  CHROMIUM,
  CHROMIUM_ARGS,
  demoAccount,
  startServer,
} from '../packages/web/test/browser-helpers.ts';
import {
  addSampleWorkshop,
  countChecks,
  describeCheck,
  PHONE,
  passes,
  phoneContext,
  routerPaths,
  routesFor,
  type ScreenSize,
  SMALL_PHONE,
  type WalkLang,
  walkRoutes,
} from '../packages/web/test/phone-walk.ts';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: `${SMALL_PHONE.width}x${SMALL_PHONE.height},${PHONE.width}x${PHONE.height}` },
    langs: { type: 'string', default: 'ar,en' },
    shots: { type: 'string', default: '/tmp/marsad-phone' },
    route: { type: 'string', multiple: true },
  },
});
const sizes: ScreenSize[] = values.sizes.split(',').map((s) => {
  const m = /^(\d+)x(\d+)$/.exec(s.trim());
  if (!m) throw new Error(`--sizes: "${s}" is not WIDTHxHEIGHT`);
  return { width: Number(m[1]), height: Number(m[2]) };
});
const LANGS = ['ar', 'en', 'fr', 'es', 'ru', 'zh'];
const langs = values.langs.split(',').map((l) => {
  if (!LANGS.includes(l)) throw new Error(`--langs: "${l}" is not one of ${LANGS.join(', ')}`);
  return l as WalkLang;
});

buildWebApp();
const server = await startServer();
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
const all = routerPaths();
const only = values.route;
let failed = 0;
try {
  const admin = await phoneContext(browser, server.baseURL, PHONE, 'en', demoAccount(server, 'administrator'));
  await addSampleWorkshop(admin);
  await admin.close();
  const samples = new Map<string, string>();
  for (const size of sizes)
    for (const lang of langs)
      for (const who of ['public', 'signed-in'] as const) {
        const account = who === 'public' ? null : demoAccount(server, 'administrator');
        const routes = routesFor(who, all).filter((r) => !only || only.includes(r));
        if (!routes.length) continue;
        const ctx = await phoneContext(browser, server.baseURL, size, lang, account);
        const started = performance.now();
        const { checks, unsampled } = await walkRoutes(ctx, all, {
          routes,
          samples,
          shotsDir: path.join(values.shots, `${size.width}x${size.height}`, lang),
          shotPrefix: who === 'public' ? '' : 'signed-in-',
          onPage: (c) => process.stderr.write(`${passes(c) ? '.' : 'x'} ${c.address}\n`),
        });
        await ctx.close();
        const n = countChecks(checks);
        console.log(
          `${size.width}×${size.height} ${lang} ${who}: ${n.pages} pages in ${((performance.now() - started) / 1000).toFixed(1)} s; ` +
            `sideways ${n.sideways}, small targets ${n.smallTargets}, axe ${n.axe}, errors ${n.problems}` +
            (unsampled.length ? `; no sample address for ${unsampled.join(', ')}` : ''),
        );
        for (const c of checks.filter((x) => !passes(x))) {
          failed++;
          console.log(describeCheck(c));
        }
        if (unsampled.length) failed++;
      }
} finally {
  await browser.close();
  await server.close();
}
console.log(`Screenshots in ${values.shots}`);
process.exitCode = failed ? 1 : 0;
