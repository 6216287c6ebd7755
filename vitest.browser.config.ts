import { defineConfig } from 'vitest/config';

// The browser phase of `npm test` (scripts/test.mjs): the files packages/web/test/*browser.test.ts,
// one at a time in one worker that keeps its modules between files (isolate: false). Its globalSetup
// builds the web app, prepares the demonstration database once and starts one Chromium for all the
// files; each file still has its own server on its own copy of that database, and its own browser
// contexts (packages/web/test/browser-helpers.ts).
export default defineConfig({
  test: {
    include: ['packages/web/test/*browser.test.ts'],
    globalSetup: ['packages/web/test/browser-global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // MARSAD_BROWSER_WORKERS=2: two files at a time (scripts/test.mjs decides for CI).
    maxWorkers: Number(process.env.MARSAD_BROWSER_WORKERS) || 1,
    fileParallelism: Number(process.env.MARSAD_BROWSER_WORKERS) > 1,
    isolate: false,
    // expect.poll waits for a condition (a page's answer to a click): Vitest's default of one second is a guess at
    // the machine's speed, not a bound on the page's, and CI runs these tests beside the others on two cores.
    expect: { poll: { timeout: 15_000 } },
  },
});
