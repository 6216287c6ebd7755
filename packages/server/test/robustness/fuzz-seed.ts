import type { StoreKind } from '@marsad/db';
import fc from 'fast-check';

/**
 * The seed of a database's hostile cases (hostile-bodies.test.ts, hostile-imports.test.ts): PGlite tries the cases of
 * the suite's seed (scripts/fast-check-seed.ts), the PostgreSQL server those of the next seed. The two databases go
 * through the same server code, so a run of both (CI) tries twice as many different files and bodies a route as the
 * same cases twice would; a failure prints the seed it ran from (MARSAD_FC_SEED=<that seed - 1> for the server's).
 * With MARSAD_FC_SEED=random each run picks its own: nothing is added.
 */
export function fuzzSeed(kind: StoreKind): { seed?: number } {
  const seed = fc.readConfigureGlobal().seed;
  if (seed === undefined) return {};
  return { seed: kind === 'postgres' ? seed + 1 : seed };
}
