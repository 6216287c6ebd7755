import fc from 'fast-check';

/**
 * Property-based tests run the same cases on every run: a fixed seed, printed by fast-check with
 * any failure. MARSAD_FC_SEED=<n> runs other cases (MARSAD_FC_SEED=random for a new seed each run).
 */
const chosen = process.env.MARSAD_FC_SEED;
fc.configureGlobal({
  ...(chosen === 'random' ? {} : { seed: chosen ? Number(chosen) : 20261206 }),
});
