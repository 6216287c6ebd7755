/**
 * bench/web: the weight of the web app and the time to first render of the indicator page.
 * Prints the gzip size of every built chunk, the JavaScript an indicator page loads before it
 * shows its title (the budget is 300 kB gzip), and the times to the title and to the chart in
 * headless Chromium, against an in-memory Marsad with the demonstration data. Then the indicator
 * page of an indicator with a million values (250 places × 480 months × the total and 8 breakdowns,
 * made up and written straight into the database): the bytes of API data it reads and the time to
 * its first chart (goal: under 1.5 s and 300 kB), with the time of each API request.
 *   npm run bench:web [-- --runs 5] [--postgres] [--million-only] [--profile] [--trace]
 * (--postgres: on DATABASE_URL instead of PGlite; --million-only: without the demonstration data and its page;
 * --shots: screenshots of the million-value page in Arabic and English, desktop and phone, in /tmp/marsad-shots;
 * --profile: where the million-value page's main thread spends its time before the chart, by script and function;
 * --trace: the main thread's long tasks until the chart, from a Chromium trace)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { createTestDatabase } from '@marsad/db/testing';
import { buildApp, CHROMIUM_ARGS, prepareDatabase } from '@marsad/server';
import { sql } from 'kysely';
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
const kind = process.argv.includes('--postgres') ? 'postgres' : 'pglite';
const t = await createTestDatabase(kind);
const millionOnly = process.argv.includes('--million-only');
await prepareDatabase(t.store, { demo: millionOnly ? 'no' : 'yes' });
const app = await buildApp({
  store: t.store,
  dataDir: await mkdtemp(path.join(os.tmpdir(), 'marsad-bench-')),
  adminToken: 'x',
  version: 'bench',
});
const address = await app.listen({ port: 0, host: '127.0.0.1' });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: CHROMIUM_ARGS,
});
interface Marks {
  title?: number;
  titleEpoch?: number;
  chart?: number;
}
/**
 * Run in the page before its scripts: the moments the title (an h1 with text) and the chart's first line are
 * in the document, from the start of the navigation (performance.now()), measured in the page: Playwright's
 * own waiting polls, and is late when the page is busy.
 */
function markInPage(): void {
  const marks: Marks = {};
  (window as unknown as { __marks: Marks }).__marks = marks;
  new MutationObserver((_, observer) => {
    if (marks.title === undefined && document.querySelector('main h1')?.textContent) {
      marks.title = performance.now();
      marks.titleEpoch = performance.timeOrigin + marks.title;
    }
    if (marks.chart === undefined && document.querySelector('main .chart svg path')) marks.chart = performance.now();
    if (marks.title !== undefined && marks.chart !== undefined) observer.disconnect();
  }).observe(document, { subtree: true, childList: true });
}

try {
  for (const lang of millionOnly ? [] : ['ar', 'en']) {
    const title: number[] = [];
    const chart: number[] = [];
    let initialJs = 0;
    let initialScripts: string[] = [];
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext();
      await context.addInitScript(markInPage);
      const page = await context.newPage();
      const scripts: { path: string; at: number }[] = [];
      page.on('request', (r) => {
        const u = new URL(r.url());
        if (u.pathname.endsWith('.js')) scripts.push({ path: u.pathname, at: Date.now() });
      });
      await page.goto(`${address}/${lang}/indicators/16.1.1`);
      await page.waitForSelector('h1:has-text("16.1.1")');
      await page.waitForSelector('.chart svg path', { state: 'attached' });
      const marks = await page.evaluate(() => (window as unknown as { __marks: Marks }).__marks);
      title.push(Math.round(marks.title!));
      chart.push(Math.round(marks.chart!));
      // The scripts asked for before the title was in the page (wall clock of the page's mark).
      initialScripts = [...new Set(scripts.filter((x) => x.at <= marks.titleEpoch!).map((x) => x.path))];
      initialJs = initialScripts.reduce((s, p) => s + (gz.get(p) ?? 0), 0);
      await context.close();
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    console.log(`\nIndicator page /indicators/16.1.1 in ${lang}, ${runs} cold loads:`);
    console.log(`  JavaScript before the title shows: ${kb(initialJs)} gzip (budget 300 kB), the largest:`);
    for (const p of initialScripts.sort((a, b) => (gz.get(b) ?? 0) - (gz.get(a) ?? 0)).slice(0, 5))
      console.log(`    ${kb(gz.get(p) ?? 0).padStart(9)}  ${p}`);
    console.log(
      `  time to title (first render with data, from the start of navigation): median ${median(title)} ms (min ${Math.min(...title)}, max ${Math.max(...title)})`,
    );
    console.log(`  time to chart drawn (from the start of navigation): median ${median(chart)} ms`);
  }
  await millionValues();
} finally {
  await browser.close();
  await app.close();
  await t.drop();
}

/** A made-up indicator with 1,080,000 approved values: 250 places × 480 months × (the total + 8 breakdowns). */
async function seedMillion(): Promise<void> {
  const db = t.store.db;
  const started = Date.now();
  await sql`INSERT INTO indicators (code, names, unit_code, direction)
    VALUES ('BENCH-1M', '{"en": "Bench: a million monthly values (made up)", "ar": "قياس: مليون قيمة شهرية (مختلقة)"}', 'PERCENT', 'higher')`.execute(
    db,
  );
  await sql`INSERT INTO series (indicator_id, code, names, is_default)
    SELECT id, 'BENCH_1M', '{"en": "Bench series"}', true FROM indicators WHERE code = 'BENCH-1M'`.execute(db);
  // Eight breakdowns: sex (2) × four made-up age bands.
  await sql`INSERT INTO disaggregations (id, key, dims)
    SELECT nextval('disaggregations_id_seq'), 'AGE=BENCH' || a || '|SEX=' || s, jsonb_build_object('AGE', 'BENCH' || a, 'SEX', s)
      FROM generate_series(1, 4) a, (VALUES ('F'), ('M')) sx(s)
    ON CONFLICT (key) DO NOTHING`.execute(db);
  await sql`INSERT INTO observations (series_id, place_id, period, disagg_id, indicator_id, period_start, period_end, value, status)
    SELECT s.id, p.id, to_char(m, 'YYYY-MM'), d.id, s.indicator_id, m::date, (m + interval '1 month' - interval '1 day')::date,
           round((50 + 40 * sin(p.id + extract(epoch FROM m) / 3e7) + d.id % 7)::numeric, 2), 'approved'
      FROM series s
      CROSS JOIN (SELECT id FROM places ORDER BY id LIMIT 250) p
      CROSS JOIN generate_series('1985-01-01'::timestamp, '2024-12-01'::timestamp, interval '1 month') m
      CROSS JOIN (SELECT id FROM disaggregations WHERE id = 0 OR key LIKE 'AGE=BENCH%') d
     WHERE s.code = 'BENCH_1M'`.execute(db);
  await sql`ANALYZE observations`.execute(db);
  const n = await sql<{
    n: string;
  }>`SELECT count(*) AS n FROM observations o JOIN series s ON s.id = o.series_id WHERE s.code = 'BENCH_1M'`.execute(
    db,
  );
  console.log(
    `\nIndicator BENCH-1M: ${Number(n.rows[0]!.n).toLocaleString('en')} values written in ${((Date.now() - started) / 1000).toFixed(1)} s (${kind})`,
  );
}

/** What the page received for one address (path and query): kept to serve it again as a static file. */
interface Recorded {
  type: string;
  body: Buffer;
}

/**
 * The baseline of the million-value page: every answer it received (HTML, scripts, styles, API data),
 * served again, the same bytes, by a plain static file server in this process: the page as a static site.
 */
async function staticReplay(recorded: Map<string, Recorded>): Promise<{ address: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const r = recorded.get(req.url ?? '');
    if (!r) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': r.type, 'content-length': r.body.length }).end(r.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    address: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** One cold load of the page at `url`: the time to its chart, and every answer (kept when `record` is given). */
async function loadToChart(
  url: string,
  record?: Map<string, Recorded>,
): Promise<{ chart: number; requests: { url: string; bytes: number; at: number; ms: number }[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(markInPage);
  const page = await context.newPage();
  const pending: Promise<{ url: string; bytes: number; at: number; ms: number } | null>[] = [];
  let start = 0;
  page.on('response', (r) => {
    const u = new URL(r.url());
    pending.push(
      r
        .body()
        .catch(() => null)
        .then((b) => {
          // Only answers received whole. Chromium revalidates the answers the page's HTML preloads (as=fetch) once
          // the app has taken them (a 304), and cancels those requests later (net::ERR_ABORTED): Playwright reports
          // them as 200 with an empty body (and their finished() never resolves). Kept, that empty body replaced
          // the real one in the static replay (whose page then failed: "Unexpected end of JSON input"), and each
          // was counted as a request of 0 bytes.
          if (b === null || r.request().failure()) return null;
          if (record && r.status() === 200)
            record.set(`${u.pathname}${u.search}`, { type: r.headers()['content-type'] ?? 'text/plain', body: b });
          return u.pathname.startsWith('/api/')
            ? {
                url: `${u.pathname}${u.search}`,
                bytes: b.length,
                at: Math.round(r.request().timing().startTime - start),
                ms: Math.round(r.request().timing().responseEnd),
              }
            : null;
        }),
    );
  });
  start = Date.now();
  await page.goto(url);
  await page.waitForSelector('.chart svg path', { state: 'attached', timeout: 120_000 });
  const chart = Math.round(await page.evaluate(() => (window as unknown as { __marks: Marks }).__marks.chart!));
  // The map's latest values too: every API answer of the first view.
  await page.waitForLoadState('networkidle');
  const requests = (await Promise.all(pending)).filter((x) => x !== null);
  await context.close();
  return { chart, requests };
}

/**
 * `--profile`: one more cold load with the DevTools CPU profiler on the page's main thread, from the start of
 * navigation to the chart: the time by script and by function (self time), to see what the page spends.
 */
async function profileLoad(url: string): Promise<void> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(markInPage);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  await page.goto(url);
  await page.waitForSelector('.chart svg path', { state: 'attached', timeout: 120_000 });
  const chart = await page.evaluate(() => (window as unknown as { __marks: Marks }).__marks.chart!);
  const { profile } = (await cdp.send('Profiler.stop')) as {
    profile: {
      nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
      samples: number[];
      timeDeltas: number[];
    };
  };
  await context.close();
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const byScript = new Map<string, number>();
  const byFunction = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const f = byId.get(id)!;
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const script = f.url ? f.url.replace(/^.*\/assets\//, '') : `(${f.functionName || 'native'})`;
    byScript.set(script, (byScript.get(script) ?? 0) + ms);
    const fn = `${f.functionName || '(anonymous)'} ${script}:${f.lineNumber}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
  });
  // Where the main thread waited: stretches of 40 ms or more with nothing but idle samples, from the profile's start.
  const gaps: string[] = [];
  let t = 0;
  let idleFrom: number | null = null;
  profile.samples.forEach((id, i) => {
    t += (profile.timeDeltas[i] ?? 0) / 1000;
    const idle = byId.get(id)?.functionName === '(idle)';
    if (idle && idleFrom === null) idleFrom = t;
    if (!idle && idleFrom !== null) {
      if (t - idleFrom >= 40) gaps.push(`${idleFrom.toFixed(0)}–${t.toFixed(0)}`);
      idleFrom = null;
    }
  });
  const top = (m: Map<string, number>, n: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `      ${v.toFixed(0).padStart(6)} ms  ${k}`)
      .join('\n');
  console.log(`  profile of one load (chart at ${Math.round(chart)} ms), main thread by script:\n${top(byScript, 12)}`);
  console.log(`    by function (self time):\n${top(byFunction, 15)}`);
  console.log(`    idle stretches of 40 ms or more (ms from the profile's start): ${gaps.join(', ') || 'none'}`);
}

/**
 * `--trace`: one more cold load traced by Chromium (devtools.timeline): the renderer main thread's work from the
 * start of navigation to the chart, as a timeline of its longest tasks with what they did (script by file, style
 * and layout, paint), to see what the page waits on.
 */
async function traceLoad(url: string): Promise<void> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(markInPage);
  const page = await context.newPage();
  await browser.startTracing(page, { categories: ['devtools.timeline', 'v8.execute', 'blink.user_timing'] });
  const t0 = Date.now();
  await page.goto(url);
  await page.waitForSelector('.chart svg path', { state: 'attached', timeout: 120_000 });
  const chart = await page.evaluate(() => (window as unknown as { __marks: Marks }).__marks.chart!);
  const buffer = await browser.stopTracing();
  await context.close();
  await mkdir('/tmp/marsad-shots', { recursive: true });
  writeFileSync('/tmp/marsad-shots/bench-1m-trace.json', buffer);
  interface Ev {
    name: string;
    ph: string;
    ts: number;
    dur?: number;
    tid: number;
    pid: number;
    args?: { data?: { url?: string; frame?: string }; beginData?: { url?: string } };
  }
  const events = (JSON.parse(buffer.toString('utf8')) as { traceEvents: Ev[] }).traceEvents;
  const nav = events.find(
    (e) => e.name === 'navigationStart' || e.name === 'NavigationStart' || e.name === 'markAsMainFrame',
  );
  // The renderer's main thread: where the page's scripts run.
  const main = events.find((e) => e.name === 'EvaluateScript' || e.name === 'v8.compile');
  if (!main) {
    console.log('  trace: no script events');
    return;
  }
  const onMain = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && (e.dur ?? 0) > 0);
  const start = Math.min(...onMain.map((e) => e.ts), nav?.ts ?? Number.POSITIVE_INFINITY);
  const tasks = onMain.filter((e) => e.name === 'RunTask' && (e.dur ?? 0) > 30_000).sort((a, b) => a.ts - b.ts);
  console.log(
    `  trace of one load (chart at ${Math.round(chart)} ms; ${Date.now() - t0} ms in all), main-thread tasks over 30 ms:`,
  );
  for (const task of tasks) {
    const inside = onMain.filter(
      (e) => e !== task && e.ts >= task.ts && e.ts + (e.dur ?? 0) <= task.ts + (task.dur ?? 0),
    );
    const by = new Map<string, number>();
    for (const e of inside) {
      if (
        ![
          'EvaluateScript',
          'FunctionCall',
          'v8.compile',
          'UpdateLayoutTree',
          'Layout',
          'Paint',
          'ParseHTML',
          'TimerFire',
          'FireAnimationFrame',
          'v8.compileModule',
          'v8.evaluateModule',
          'ParseAuthorStyleSheet',
          'PrePaint',
          'Layerize',
        ].includes(e.name)
      )
        continue;
      const u = e.args?.data?.url ?? e.args?.beginData?.url ?? '';
      const key = `${e.name}${u ? ` ${u.replace(/^.*\/assets\//, '')}` : ''}`;
      by.set(key, (by.get(key) ?? 0) + (e.dur ?? 0));
    }
    const parts = [...by.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4)
      .map(([k, v]) => `${k} ${(v / 1000).toFixed(0)}`)
      .join('; ');
    console.log(
      `    at ${((task.ts - start) / 1000).toFixed(0).padStart(5)} ms  ${((task.dur ?? 0) / 1000).toFixed(0).padStart(4)} ms  ${parts}`,
    );
  }
}

async function millionValues(): Promise<void> {
  await seedMillion();
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  for (const lang of ['ar', 'en']) {
    const chart: number[] = [];
    const bytes: number[] = [];
    let requests: { url: string; bytes: number; at: number; ms: number }[] = [];
    const recorded = new Map<string, Recorded>();
    // One load first, not counted: the database's and the server's caches as a server in use has them, not as the
    // seeding left them.
    await loadToChart(`${address}/${lang}/indicators/BENCH-1M`);
    for (let i = 0; i < runs; i++) {
      const run = await loadToChart(`${address}/${lang}/indicators/BENCH-1M`, recorded);
      chart.push(run.chart);
      requests = run.requests;
      bytes.push(requests.reduce((s, r) => s + r.bytes, 0));
    }
    if (process.argv.includes('--profile')) await profileLoad(`${address}/${lang}/indicators/BENCH-1M`);
    if (process.argv.includes('--trace')) await traceLoad(`${address}/${lang}/indicators/BENCH-1M`);
    // The baseline, in this run: the same answers from a static file server.
    const replay = await staticReplay(recorded);
    const baseline: number[] = [];
    try {
      for (let i = 0; i < runs; i++)
        baseline.push((await loadToChart(`${replay.address}/${lang}/indicators/BENCH-1M`)).chart);
    } finally {
      await replay.close();
    }
    console.log(
      `\nIndicator page /indicators/BENCH-1M (1,080,000 values) in ${lang} on ${kind}, ${runs} cold loads (new browser context each, after one not counted):`,
    );
    console.log(
      `  time to chart drawn (from the start of navigation): median ${median(chart)} ms (min ${Math.min(...chart)}, max ${Math.max(...chart)}; goal < 1,500 ms)`,
    );
    console.log(
      `  baseline, the same bytes from a static file server in this run: median ${median(baseline)} ms (min ${Math.min(...baseline)}, max ${Math.max(...baseline)})`,
    );
    console.log(`  API data read by the page: ${kb(median(bytes))} (goal < 300 kB), of which:`);
    console.log('    (size, sent at ms after the start, answered in ms)');
    if (process.argv.includes('--shots')) {
      for (const [size, viewport] of [
        ['desktop', { width: 1280, height: 900 }],
        ['phone', { width: 390, height: 844 }],
      ] as const) {
        const context = await browser.newContext({ viewport });
        const page = await context.newPage();
        await page.goto(`${address}/${lang}/indicators/BENCH-1M`);
        await page.waitForSelector('.chart svg path', { state: 'attached', timeout: 120_000 });
        await page.waitForLoadState('networkidle');
        await mkdir('/tmp/marsad-shots', { recursive: true });
        // The top of the page (chart, the notice of values cut) and the end of the values' table (rows cut).
        await page.screenshot({
          path: `/tmp/marsad-shots/bench-1m-${lang}-${size}.png`,
          fullPage: true,
          clip: { x: 0, y: 0, width: viewport.width, height: 1700 },
        });
        const end = await page.locator('main .table-scroll').first().boundingBox();
        if (end)
          await page.screenshot({
            path: `/tmp/marsad-shots/bench-1m-${lang}-${size}-table-end.png`,
            fullPage: true,
            clip: { x: 0, y: end.y + end.height - 500, width: viewport.width, height: 800 },
          });
        await context.close();
      }
    }
    for (const r of requests)
      console.log(
        `    ${kb(r.bytes).padStart(9)}  at ${String(r.at).padStart(5)}  ${String(r.ms).padStart(5)} ms  ${r.url}`,
      );
  }
}
