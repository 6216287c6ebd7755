import { prepareTestSnapshots } from './test-stores.ts';

/**
 * Vitest's globalSetup: builds the PGlite snapshots and server templates of the test databases once,
 * before the workers start, instead of two workers building them side by side. A test file run alone
 * builds what it needs itself.
 */
export default async function setup(): Promise<void> {
  await prepareTestSnapshots();
}
