import type { TestProject } from 'vitest/node';
import { buildCliBundle, removeCliBundle } from './build-bundle.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The `marsad` command built into one JavaScript file for this run (run-marsad.ts starts it). */
    marsadCliBundle?: string;
  }
}

/**
 * Vitest's globalSetup: builds the `marsad` command into one file once per run (about a second), so that each of the
 * tests' starts of the command loads plain JavaScript instead of going through tsx (seconds per start); built again
 * before each rerun in watch mode (the sources may have changed), removed at the end.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = `run-${process.pid}`;
  const file = await buildCliBundle(dir);
  project.provide('marsadCliBundle', file);
  project.onTestsRerun(async () => {
    await buildCliBundle(dir);
  });
  return () => removeCliBundle(file);
}
