// Vitest's globalSetup for the browser phase (vitest.browser.config.ts), in the main process before
// the test files run: builds the web app if needed, prepares the demonstration database once (the
// catalogue, the demonstration data and accounts, ~7 s and far more on a busy machine) and starts
// one Chromium. Each test file still gets its own server, on its own copy of that database, and its
// own browser contexts (browser-helpers.ts, useBrowserSuite); files run alone with the main config
// start everything themselves.

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openPGliteStore } from '@marsad/db';
import { prepareDatabase } from '@marsad/server';
import { chromium } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { browserDecision, buildWebApp, CHROMIUM, CHROMIUM_ARGS, type SharedBrowserSetup } from './browser-helpers.ts';

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const decision = browserDecision();
  // Skipped, or bound to fail: the test files say why.
  if (!decision.run || decision.mustFail) return undefined;
  buildWebApp();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'marsad-browser-demo-'));
  const demoDir = path.join(dir, 'pgdata');
  const store = await openPGliteStore(demoDir);
  let accounts: SharedBrowserSetup['accounts'];
  try {
    accounts = (await prepareDatabase(store, { demo: 'yes' })).demoAccounts;
  } finally {
    await store.close();
  }
  const server = await chromium.launchServer({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const shared: SharedBrowserSetup = { wsEndpoint: server.wsEndpoint(), demoDir, accounts };
  project.provide('marsadBrowser', shared);
  return async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  };
}
