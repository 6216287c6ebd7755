/**
 * bench/web: the weight of the web app and the time to first render of the indicator page.
 * Prints the gzip size of every built chunk, the JavaScript an indicator page loads before it
 * shows its title (the budget is 300 kB gzip), and the times to the title and to the chart in
 * headless Chromium, against an in-memory Marsad with the demonstration data.
 *   npm run bench:web [-- --runs 5]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { createTestDatabase } from '@marsad/db/testing';
import { buildApp, prepareDatabase } from '@marsad/server';
import { chromium } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '../..');
const dist = path.join(root, 'packages/web/dist');
const runsAt = process.argv.indexOf('--runs');
const runs = runsAt > 0 ? Math.max(1, Number(process.argv[runsAt + 1]) || 5) : 5;
const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;

spawnSync('node', ['scripts/build-web.mjs'], { cwd: root, stdio: 'inherit' });
const gz = new Map<string, number>();
for (const f of readdirSync(path.join(dist, 'assets')))
  gz.set(`/assets/${f}`, gzipSync(readFileSync(path.join(dist, 'assets', f))).length);
console.log('Built chunks (gzip):');
for (const [f, n] of [...gz.entries()].sort((a, b) => b[1] - a[1])) console.log(`  ${kb(n).padStart(9)}  ${f}`);

if (!existsSync('/usr/bin/chromium')) {
  console.log('No Chromium at /usr/bin/chromium: page timings skipped (apt-get install chromium).');
  process.exit(0);
}
const t = await createTestDatabase('pglite');
await prepareDatabase(t.store, { demo: 'yes' });
const app = await buildApp({
  store: t.store,
  dataDir: await mkdtemp(path.join(os.tmpdir(), 'marsad-bench-')),
  adminToken: 'x',
  version: 'bench',
});
const address = await app.listen({ port: 0, host: '127.0.0.1' });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  for (const lang of ['ar', 'en']) {
    const title: number[] = [];
    const chart: number[] = [];
    let initialJs = 0;
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext();
      await context.addInitScript((l) => localStorage.setItem('marsad.lang', l), lang);
      const page = await context.newPage();
      const scripts: string[] = [];
      let titleShown = false;
      page.on('response', (r) => {
        const u = new URL(r.url());
        if (u.pathname.endsWith('.js') && !titleShown) scripts.push(u.pathname);
      });
      const start = Date.now();
      await page.goto(`${address}/indicators/16.1.1`);
      await page.waitForSelector('h1:has-text("16.1.1")');
      title.push(Date.now() - start);
      titleShown = true;
      await page.waitForSelector('.chart svg path', { state: 'attached' });
      chart.push(Date.now() - start);
      initialJs = scripts.reduce((s, p) => s + (gz.get(p) ?? 0), 0);
      await context.close();
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    console.log(`\nIndicator page /indicators/16.1.1 in ${lang}, ${runs} cold loads:`);
    console.log(`  JavaScript before the title shows: ${kb(initialJs)} gzip (budget 300 kB)`);
    console.log(
      `  time to title (first render with data): median ${median(title)} ms (min ${Math.min(...title)}, max ${Math.max(...title)})`,
    );
    console.log(`  time to chart drawn: median ${median(chart)} ms`);
  }
} finally {
  await browser.close();
  await app.close();
  await t.drop();
}
