#!/usr/bin/env node
// `npm test`: type-check, then the whole suite with Vitest. Database tests run on PGlite, and
// on the PostgreSQL server of DATABASE_URL too when it is set (each test file creates and
// drops its own databases there).
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Runs one phase, stops the whole run when it fails, and says how long it took. */
async function step(title, cmd, args, env = process.env) {
  console.log(`\n== ${title}`);
  const started = Date.now();
  // Asynchronous, so that a phase running in the background meanwhile is read from.
  const status = await new Promise((resolve) => {
    spawn(cmd, args, { stdio: 'inherit', env }).on('close', (code) => resolve(code ?? 1));
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (status !== 0) {
    console.error(`\n${title} failed (${seconds} s).`);
    process.exit(status);
  }
  console.log(`== ${title}: ${seconds} s`);
}

/**
 * Runs a phase in the background, its output kept until it ends (so that it does not interleave
 * with the phase in the foreground); resolves with its code and time.
 */
function background(title, cmd, args, env, where = 'ran beside the browser tests') {
  const started = Date.now();
  const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = [];
  child.stdout.on('data', (c) => out.push(c));
  child.stderr.on('data', (c) => out.push(c));
  return new Promise((resolve) => {
    child.on('close', (code) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(0);
      console.log(`\n== ${title} (${where})\n${Buffer.concat(out).toString()}`);
      console.log(code === 0 ? `== ${title}: ${seconds} s` : `\n${title} failed (${seconds} s).`);
      resolve(code ?? 1);
    });
  });
}

/** Runs phases at once (each process mostly one core), each printed when it ends; stops the run if one failed. */
async function together(title, phases) {
  console.log(`\n== ${title}`);
  const started = Date.now();
  const codes = await Promise.all(phases.map(([t, cmd, args]) => background(t, cmd, args, process.env, 'at once')));
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (codes.some((c) => c !== 0)) {
    console.error(`\n${title} failed (${seconds} s).`);
    process.exit(1);
  }
  console.log(`== ${title}: ${seconds} s`);
}

/** The test files (not the browser's) that run on each database of testStoreKinds(). */
function databaseTestFiles() {
  const files = readdirSync('packages', { recursive: true, encoding: 'utf8' })
    .map((f) => path.join('packages', f))
    .filter((f) => /\/test\/.*\.test\.ts$/.test(f) && !f.includes('node_modules') && !f.endsWith('browser.test.ts'));
  return files.filter((f) => readFileSync(f, 'utf8').includes('testStoreKinds(')).sort();
}

console.log(
  process.env.DATABASE_URL
    ? `Database tests run on PGlite and on ${process.env.DATABASE_URL.replace(/:[^:@/]*@/, ':***@')}.`
    : 'Database tests run on PGlite (set DATABASE_URL to run them on a PostgreSQL server too).',
);
if (process.env.MARSAD_TEST_SERVER_ONLY === '1') {
  // CI's second run (the PostgreSQL server): the first run type-checked and built the same tree.
  console.log('Type checks and the web build ran in the first run (MARSAD_TEST_SERVER_ONLY=1).');
} else {
  // npm run check (Biome, biome.jsonc): an unformatted file, unsorted imports or a lint error fail here;
  // warnings are for `npm run lint`.
  // The four at once: each is mostly one process on one core, and none reads what another writes.
  await together('Format, lint, type checks and the web build', [
    ['Format and lint (Biome)', 'npm', ['run', '--silent', 'check']],
    ['Type check (server, CLI, core, db)', 'npx', ['tsc', '-p', 'tsconfig.json']],
    ['Type check (web)', 'npx', ['tsc', '-p', 'packages/web/tsconfig.json']],
    ['Build the web app', 'node', ['scripts/build-web.mjs']],
  ]);
}
const args = process.argv.slice(2);
// CI (MARSAD_TEST_SERVER_BESIDE_BROWSER=1 with DATABASE_URL): the browser tests are one chain of pages loading and
// rendering that leaves much of the machine idle, and they take longest; so they start at once, and beside them the
// tests without the browser run on PGlite and then, the same database files, on the PostgreSQL server (two workers
// each, one run after the other; their output printed when each ends).
const besideBrowser =
  process.env.MARSAD_TEST_SERVER_BESIDE_BROWSER === '1' &&
  !!process.env.DATABASE_URL &&
  process.env.MARSAD_TEST_SERVER_ONLY !== '1' &&
  process.env.MARSAD_SKIP_BROWSER !== '1' &&
  args.length === 0;
// CI's run (both databases beside the browser tests) tries 50 hostile files and bodies a route on each database
// (robustness/hostile-*.test.ts; 200 in `npm test` alone, MARSAD_FUZZ_RUNS to choose): the two databases go through
// the same server code and try different cases (PGlite the fixed seed's, the server the next seed's:
// robustness/fuzz-seed.ts), so the run tries 100 different ones a route, as many as when both tried the same 100.
const CI_FUZZ_RUNS = process.env.MARSAD_FUZZ_RUNS ?? '50';
const pgliteOnly = {
  ...process.env,
  ...(besideBrowser ? { MARSAD_FUZZ_RUNS: CI_FUZZ_RUNS } : {}),
};
delete pgliteOnly.DATABASE_URL;
const BROWSER = 'packages/web/test/*browser.test.ts';
const WITHOUT_BROWSER = ['vitest', 'run', '--exclude', BROWSER, '--exclude', '**/node_modules/**'];
if (args.length) {
  await step('Tests', 'npx', ['vitest', 'run', ...args]);
} else if (besideBrowser) {
  const files = databaseTestFiles();
  console.log(
    `\nThe browser tests start now; beside them the tests without the browser run on PGlite, then ${files.length} test files on the database server (their output when each ends).`,
  );
  const beside = (async () => {
    const pglite = await background('Tests (without the browser, PGlite)', 'npx', WITHOUT_BROWSER, pgliteOnly);
    if (pglite !== 0) return pglite;
    return background('Tests on the PostgreSQL server', 'npx', ['vitest', 'run', ...files], {
      ...process.env,
      MARSAD_TEST_SERVER_ONLY: '1',
      MARSAD_FUZZ_RUNS: CI_FUZZ_RUNS,
    });
  })();
  const started = Date.now();
  console.log('\n== Tests in the browser');
  const browser = await new Promise((resolve) => {
    spawn('npx', ['vitest', 'run', '--config', 'vitest.browser.config.ts'], { stdio: 'inherit' }).on('close', (code) =>
      resolve(code ?? 1),
    );
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  console.log(
    browser === 0 ? `== Tests in the browser: ${seconds} s` : `\nTests in the browser failed (${seconds} s).`,
  );
  const others = await beside;
  if (browser !== 0 || others !== 0) process.exit(1);
} else {
  // Browser tests run after the others, one file at a time, so that two of them never compete for
  // the machine (timeouts are not faults). vitest.browser.config.ts runs them in one worker with one
  // Chromium and the demonstration database prepared once; each file has its own server on its own
  // copy of that database.
  if (process.env.MARSAD_TEST_SERVER_ONLY === '1') {
    // The second run adds the PostgreSQL server: only the files that run on each database of
    // testStoreKinds() differ from the first run; the others (pure functions, PGlite-only) ran there.
    const files = databaseTestFiles();
    console.log(`\n${files.length} test files run on the database server; the others ran in the first run.`);
    await step('Tests on the PostgreSQL server', 'npx', ['vitest', 'run', ...files]);
  } else await step('Tests (without the browser)', 'npx', WITHOUT_BROWSER);
  if (process.env.MARSAD_SKIP_BROWSER === '1') console.log('\nBrowser tests skipped: MARSAD_SKIP_BROWSER=1');
  else await step('Tests in the browser', 'npx', ['vitest', 'run', '--config', 'vitest.browser.config.ts']);
}
