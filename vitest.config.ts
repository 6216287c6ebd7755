import { defineConfig } from 'vitest/config';
import LongestFirstSequencer from './scripts/longest-first-sequencer.ts';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    // Builds the migrated (and catalogue-loaded) test databases once, before the workers start; builds the `marsad`
    // command into one file that the CLI tests start without tsx (packages/cli/test/global-setup.ts).
    globalSetup: ['packages/db/src/testing/global-setup.ts', 'packages/cli/test/global-setup.ts'],
    // fast-check runs from a fixed seed (MARSAD_FC_SEED to try another): the same cases on every run.
    setupFiles: ['scripts/fast-check-seed.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // The streaming tests measure live memory after a garbage collection.
    execArgv: ['--expose-gc'],
    maxWorkers: 2,
    // A worker keeps its modules from one file to the next: the server's modules load once per worker
    // instead of once per file (in CI 92 s of the 359 s phase). Files still each build their own app and
    // databases and close them; tests that change process.env put it back.
    isolate: false,
    // The longest files first, from a table of their durations (scripts/longest-first-sequencer.ts): a clean clone has
    // no results of an earlier run, and without them a two-minute file could start last and run alone.
    sequence: { sequencer: LongestFirstSequencer },
  },
});
