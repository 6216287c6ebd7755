import { defineConfig } from 'vitest/config';

// The browser phase of `npm test` (scripts/test.mjs): the files packages/web/test/*browser.test.ts,
// two at a time in two workers that keep their modules between files (isolate: false): a page waiting on
// the server or on Chromium leaves a core idle that the other file uses. Its globalSetup
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
    maxWorkers: 2,
    fileParallelism: true,
    isolate: false,
  },
});
