import type { Store } from '@marsad/db';

/** What every route needs: the database, where files live, and the administrator token. */
export interface AppContext {
  store: Store;
  dataDir: string;
  adminToken: string;
  version: string;
}
