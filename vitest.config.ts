import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    // Builds the migrated (and catalogue-loaded) test databases once, before the workers start.
    globalSetup: ['packages/db/src/testing/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // The streaming tests measure live memory after a garbage collection.
    execArgv: ['--expose-gc'],
    maxWorkers: 2,
  },
});
