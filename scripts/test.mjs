#!/usr/bin/env node
// `npm test`: type-check, then the whole suite with Vitest. Database tests run on PGlite, and
// on the PostgreSQL server of DATABASE_URL too when it is set (each test file creates and
// drops its own databases there).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Runs one phase, stops the whole run when it fails, and says how long it took. */
function step(title, cmd, args) {
  console.log(`\n== ${title}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (r.status !== 0) {
    console.error(`\n${title} failed (${seconds} s).`);
    process.exit(r.status ?? 1);
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
  step('Format and lint (Biome)', 'npm', ['run', '--silent', 'check']);
  step('Type check (server, CLI, core, db)', 'npx', ['tsc', '-p', 'tsconfig.json']);
  step('Type check (web)', 'npx', ['tsc', '-p', 'packages/web/tsconfig.json']);
  step('Build the web app', 'node', ['scripts/build-web.mjs']);
}
const args = process.argv.slice(2);
if (args.length) {
  step('Tests', 'npx', ['vitest', 'run', ...args]);
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
    step('Tests on the PostgreSQL server', 'npx', ['vitest', 'run', ...files]);
  } else
    step('Tests (without the browser)', 'npx', [
      'vitest',
      'run',
      '--exclude',
      BROWSER,
      '--exclude',
      '**/node_modules/**',
    ]);
  if (process.env.MARSAD_SKIP_BROWSER === '1') console.log('\nBrowser tests skipped: MARSAD_SKIP_BROWSER=1');
  else step('Tests in the browser', 'npx', ['vitest', 'run', '--config', 'vitest.browser.config.ts']);
}
