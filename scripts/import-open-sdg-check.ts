/**
 * Each data file of the UK's and Kazakhstan's Open SDG repositories imported into a fresh catalogue-loaded database,
 * counted as imported or refused, with the first error of each refused file and the refusals grouped by the kind of
 * their first error. Two runs per repository: as a user would start (--create-indicators only), and allowing what the
 * import may add (--create-places, --extend-codes, --new-series-for-units).
 *
 *   node --import tsx scripts/import-open-sdg-check.ts [--repo uk-ons|kazakhstan] [--db pglite|postgres] [--files]
 *
 * --files lists every refused file with its first error. The repositories are read from ../shared/data/open-sdg
 * (MARSAD_OPEN_SDG_DIR to change it).
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { StoreKind } from '@marsad/db';
import { createTestDatabase } from '@marsad/db/testing';
import { folderRepository, importRepository } from '@marsad/server';

const here = path.dirname(fileURLToPath(import.meta.url));
const DATA = process.env.MARSAD_OPEN_SDG_DIR ?? path.resolve(here, '../../shared/data/open-sdg');
const REPOS: Record<string, string> = { 'uk-ons': 'GBR', kazakhstan: 'KAZ' };

const { values } = parseArgs({
  options: { repo: { type: 'string' }, db: { type: 'string' }, files: { type: 'boolean' } },
});
const kind = (values.db ?? 'pglite') as StoreKind;

/** The kind of an error: its message with the quoted and numbered parts taken out. */
function errorKind(message: string): string {
  return message
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\d[\d.,]*/g, 'N')
    .replace(/\(known: [^)]*\)/, '(known: …)')
    .slice(0, 140);
}

for (const repo of values.repo ? [values.repo] : Object.keys(REPOS)) {
  for (const permissive of [false, true]) {
    const db = await createTestDatabase(kind, { catalogue: true });
    const files = await folderRepository(path.join(DATA, repo));
    const t0 = performance.now();
    const report = await importRepository(db.store, files, {
      place: REPOS[repo],
      createIndicators: true,
      ...(permissive ? { createPlaces: true, extendCodes: true, newSeriesForUnits: true } : {}),
      actor: 'check',
      status: 'provisional',
      rowStatusAllowed: true,
    });
    const seconds = (performance.now() - t0) / 1000;
    const data = report.files.filter((f) => f.kind === 'data');
    const refused = data.filter((f) => f.outcome === 'refused');
    const kinds = new Map<string, number>();
    for (const f of refused) {
      const e = f.errors[0];
      const k = e ? `${e.column ?? '-'}: ${errorKind(e.message)}` : (f.reason ?? '?');
      kinds.set(k, (kinds.get(k) ?? 0) + 1);
    }
    const rows = data.reduce((n, f) => n + (f.outcome === 'imported' ? (f.counts?.inserted ?? 0) : 0), 0);
    console.log(
      `${repo} on ${kind}, ${permissive ? 'with --create-places --extend-codes --new-series-for-units' : 'as given'}: ${data.length} data files, ${data.filter((f) => f.outcome === 'imported').length} imported (${rows} values), ${refused.length} refused, ${data.filter((f) => f.outcome === 'skipped').length} skipped; ${seconds.toFixed(1)} s`,
    );
    for (const [k, n] of [...kinds].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(4)} × ${k}`);
    if (values.files) {
      for (const f of refused) {
        const e = f.errors[0];
        console.log(
          `  refused ${f.path}: ${e ? `${typeof e.at === 'number' ? `row ${e.at}` : e.at}${e.column ? `, ${e.column}` : ''}: ${e.message}` : f.reason}`,
        );
      }
    }
    await db.drop();
  }
}
