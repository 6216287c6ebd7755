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
function background(title, cmd, args, env) {
  const started = Date.now();
  const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = [];
  child.stdout.on('data', (c) => out.push(c));
  child.stderr.on('data', (c) => out.push(c));
  return new Promise((resolve) => {
    child.on('close', (code) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(0);
      console.log(`\n== ${title} (ran beside the browser tests)\n${Buffer.concat(out).toString()}`);
      console.log(code === 0 ? `== ${title}: ${seconds} s` : `\n${title} failed (${seconds} s).`);
      resolve(code ?? 1);
    });
  });
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
  await step('Format and lint (Biome)', 'npm', ['run', '--silent', 'check']);
  await step('Type check (server, CLI, core, db)', 'npx', ['tsc', '-p', 'tsconfig.json']);
  await step('Type check (web)', 'npx', ['tsc', '-p', 'packages/web/tsconfig.json']);
  await step('Build the web app', 'node', ['scripts/build-web.mjs']);
}
const args = process.argv.slice(2);
// CI (MARSAD_TEST_SERVER_BESIDE_BROWSER=1 with DATABASE_URL): the browser tests leave much of the
// machine idle while pages load and render, so the PostgreSQL server's run goes on beside them, and
// the run before them is PGlite's alone.
const besideBrowser =
  process.env.MARSAD_TEST_SERVER_BESIDE_BROWSER === '1' &&
  !!process.env.DATABASE_URL &&
  process.env.MARSAD_TEST_SERVER_ONLY !== '1' &&
  process.env.MARSAD_SKIP_BROWSER !== '1' &&
  args.length === 0;
// CI's run (both databases, the server's run beside the browser tests) tries 100 hostile files and bodies a route
// on each database (robustness/hostile-*.test.ts, fixed seed; 200 in `npm test` alone, MARSAD_FUZZ_RUNS to choose):
// the two runs go through the same server code, and the machine has two cores for three runs of the suite.
const pgliteOnly = {
  ...process.env,
  ...(besideBrowser ? { MARSAD_FUZZ_RUNS: process.env.MARSAD_FUZZ_RUNS ?? '100' } : {}),
};
delete pgliteOnly.DATABASE_URL;
if (args.length) {
  await step('Tests', 'npx', ['vitest', 'run', ...args]);
} else {
  // Browser tests run after the others, one file at a time, so that two of them never compete for
  // the machine (timeouts are not faults). vitest.browser.config.ts runs them in one worker with one
  // Chromium and the demonstration database prepared once; each file has its own server on its own
  // copy of that database.
  const BROWSER = 'packages/web/test/*browser.test.ts';
  if (process.env.MARSAD_TEST_SERVER_ONLY === '1') {
    // The second run adds the PostgreSQL server: only the files that run on each database of
    // testStoreKinds() differ from the first run; the others (pure functions, PGlite-only) ran there.
    const files = databaseTestFiles();
    console.log(`\n${files.length} test files run on the database server; the others ran in the first run.`);
    await step('Tests on the PostgreSQL server', 'npx', ['vitest', 'run', ...files]);
  } else
    await step(
      besideBrowser ? 'Tests (without the browser, PGlite)' : 'Tests (without the browser)',
      'npx',
      ['vitest', 'run', '--exclude', BROWSER, '--exclude', '**/node_modules/**'],
      besideBrowser ? pgliteOnly : process.env,
    );
  const beside = besideBrowser
    ? background('Tests on the PostgreSQL server', 'npx', ['vitest', 'run', ...databaseTestFiles()], {
        ...process.env,
        MARSAD_TEST_SERVER_ONLY: '1',
        MARSAD_FUZZ_RUNS: process.env.MARSAD_FUZZ_RUNS ?? '100',
      })
    : null;
  if (beside !== null)
    console.log(`\n${databaseTestFiles().length} test files run on the database server, beside the browser tests.`);
  if (process.env.MARSAD_SKIP_BROWSER === '1') console.log('\nBrowser tests skipped: MARSAD_SKIP_BROWSER=1');
  else await step('Tests in the browser', 'npx', ['vitest', 'run', '--config', 'vitest.browser.config.ts']);
  if (beside !== null && (await beside) !== 0) process.exit(1);
}
