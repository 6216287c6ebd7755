import { openStore, type Store } from '@marsad/db';
import { prepareDatabase } from '@marsad/server';
import type { RuntimeConfig } from '../config.ts';

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
