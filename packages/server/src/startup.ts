import { catalogueLoaded, loadCatalogue, migrate, type Store } from '@marsad/db';
import { demoLoaded, loadDemo } from './demo/load-demo.ts';
import { type DemoAccount, loadDemoAccounts } from './demo/load-demo-accounts.ts';
import { failInterruptedImports } from './observations/import-recovery.ts';

export interface PrepareOptions {
  /** Demonstration data: always (if not there yet), only on a new database, or never. */
  demo: 'yes' | 'if-new' | 'no';
  log?: (message: string) => void;
}

/**
 * Start-up: migrations, the record of imports interrupted by the end of their process, the reference catalogue
 * on a new database, demonstration data if asked.
 * When it loads the demonstration data it also creates the demonstration accounts, and returns
 * them with their passwords (for the console; they are not kept anywhere in clear).
 */
export async function prepareDatabase(
  store: Store,
  o: PrepareOptions,
): Promise<{ newDatabase: boolean; demoAccounts: DemoAccount[] }> {
  const log = o.log ?? (() => undefined);
  const applied = await migrate(store);
  if (applied.length) log(`Applied migrations: ${applied.join(', ')}`);
  const interrupted = await failInterruptedImports(store);
  if (interrupted.length) {
    log(`Import batches interrupted by the end of their process, now marked failed: ${interrupted.join(', ')}`);
  }
  const newDatabase = !(await catalogueLoaded(store));
  if (newDatabase) {
    const counts = await loadCatalogue(store);
    log(
      `Loaded the reference catalogue: ${counts.indicators} indicators, ${counts.places} places, ${counts.frameworks} frameworks.`,
    );
  }
  let demoAccounts: DemoAccount[] = [];
  const wantDemo = o.demo === 'yes' || (o.demo === 'if-new' && newDatabase);
  if (wantDemo && !(await demoLoaded(store))) {
    const r = await loadDemo(store);
    log(
      `Loaded demonstration data: ${r.observations} observations from ${r.files} files (Los Angeles: real, with its source; pilot cities: synthetic, labelled so).`,
    );
    demoAccounts = await loadDemoAccounts(store);
    log(`Created ${demoAccounts.length} demonstration accounts, one per role.`);
  }
  return { newDatabase, demoAccounts };
}
