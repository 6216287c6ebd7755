import { openStore, type Store } from '@marsad/db';
import { buildApp, prepareDatabase } from '@marsad/server';
import type { FastifyInstance } from 'fastify';
import { demoFor, type RuntimeConfig } from '../config.ts';

/** Opens the database for a CLI command that runs in this process (no server holds it). */
export async function withLocalStore<T>(
  config: RuntimeConfig,
  fn: (store: Store) => Promise<T>,
  prepare = true,
): Promise<T> {
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    if (prepare) await prepareDatabase(store, { demo: 'no' });
    return await fn(store);
  } finally {
    await store.close();
  }
}

/**
 * The application on the database in this process, for a command that reads it as the public does (publish,
 * report): the database is prepared as `marsad serve` would (a new embedded one gets the demonstration data).
 */
export async function withLocalApp<T>(
  config: RuntimeConfig,
  version: string,
  fn: (app: FastifyInstance) => Promise<T>,
): Promise<T> {
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await prepareDatabase(store, { demo: demoFor(config, store.kind) });
    const app = await buildApp({ store, dataDir: config.dataDir, adminToken: '', version }, { logger: false });
    try {
      return await fn(app);
    } finally {
      await app.close();
    }
  } finally {
    await store.close();
  }
}
