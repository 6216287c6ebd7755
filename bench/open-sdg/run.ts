/**
 * Whole Open SDG data repositories imported into fresh databases (issue 14): the UK's (ONS) and
 * Kazakhstan's, each into a new catalogue-loaded database on PGlite and, with DATABASE_URL, on
 * PostgreSQL, each case in its own process (so that its peak resident memory is its own).
 * Prints files, rows, seconds, peak RSS, and every refused file with its first error.
 *
 *   npm run bench:open-sdg
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:open-sdg -- --db pglite,postgres
 *   npm run bench:open-sdg -- --repo kazakhstan --all-or-nothing
 *   npm run bench:open-sdg -- --as-given    (without --create-places --extend-codes --new-series-for-units)
 *
 * The repositories are read from ../shared/data/open-sdg (MARSAD_OPEN_SDG_DIR to change it).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { StoreKind } from '@marsad/db';
import { createTestDatabase } from '@marsad/db/testing';
import { folderRepository, importRepository, repositorySummary } from '@marsad/server';

const here = path.dirname(fileURLToPath(import.meta.url));
const DATA = process.env.MARSAD_OPEN_SDG_DIR ?? path.resolve(here, '../../../shared/data/open-sdg');
const REPOS: Record<string, { place: string; publisher: string }> = {
  'uk-ons': { place: 'GBR', publisher: 'Office for National Statistics' },
  kazakhstan: { place: 'KAZ', publisher: 'Bureau of National Statistics of Kazakhstan' },
};

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    repo: { type: 'string' },
    'all-or-nothing': { type: 'boolean' },
    'as-given': { type: 'boolean' },
    child: { type: 'boolean' },
  },
});

async function child(kind: StoreKind, repo: string): Promise<void> {
  const r = REPOS[repo]!;
  const db = await createTestDatabase(kind, { catalogue: true });
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const files = await folderRepository(path.join(DATA, repo));
  const t0 = performance.now();
  const durations: { path: string; ms: number }[] = [];
  const report = await importRepository(db.store, files, {
    progress: (p) => {
      const start = performance.now();
      return { end: () => durations.push({ path: p, ms: performance.now() - start }) };
    },
    place: r.place,
    publisher: r.publisher,
    createIndicators: true,
    // As a country would import its own repository: its regions, age bands and units added (--as-given: none of them).
    ...(values['as-given'] ? {} : { createPlaces: true, extendCodes: true, newSeriesForUnits: true }),
    allOrNothing: !!values['all-or-nothing'],
    actor: 'bench',
    status: 'provisional',
    rowStatusAllowed: true,
  });
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
  const stored = await db.store.db
    .selectFrom('indicator_metadata')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const t = report.totals;
  console.log(
    `${repo} on ${kind}: ${report.state}; ${repositorySummary(t)} ${Number(stored.n)} texts stored; ${seconds.toFixed(1)} s; peak RSS ${(peak / 1024 / 1024).toFixed(0)} MB (${(before / 1024 / 1024).toFixed(0)} MB with the database open, before the import)`,
  );
  durations.sort((a, b) => b.ms - a.ms);
  const dataMs = durations.filter((d) => d.path.startsWith('data/')).reduce((n, d) => n + d.ms, 0);
  const shapesMs = durations.filter((d) => /\.(geo|topo)json$/i.test(d.path)).reduce((n, d) => n + d.ms, 0);
  console.log(
    `  data files ${(dataMs / 1000).toFixed(1)} s, metadata ${((durations.reduce((n, d) => n + d.ms, 0) - dataMs - shapesMs) / 1000).toFixed(1)} s, boundaries ${(shapesMs / 1000).toFixed(1)} s; slowest: ${durations
      .slice(0, 5)
      .map((d) => `${d.path} ${(d.ms / 1000).toFixed(1)} s`)
      .join(', ')}`,
  );
  for (const f of report.files.filter((x) => x.outcome === 'refused')) {
    const e = f.errors[0];
    console.log(
      `  refused ${f.path}${f.counts ? ` (${f.counts.errors} error(s))` : ''}: ${e ? `${/^\d+$/.test(String(e.at)) ? `row ${e.at}` : e.at}${e.column ? `, ${e.column}` : ''}: ${e.message}` : f.reason}`,
    );
  }
  await db.drop();
}

if (values.child) {
  await child(values.db as StoreKind, values.repo!);
} else {
  const kinds = (values.db ?? (process.env.DATABASE_URL ? 'pglite,postgres' : 'pglite')).split(',') as StoreKind[];
  const repos = values.repo ? values.repo.split(',') : Object.keys(REPOS);
  for (const repo of repos) {
    if (!REPOS[repo]) throw new Error(`--repo: one of ${Object.keys(REPOS).join(', ')}`);
    for (const kind of kinds) {
      const args = ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', '--db', kind, '--repo', repo];
      if (values['all-or-nothing']) args.push('--all-or-nothing');
      if (values['as-given']) args.push('--as-given');
      const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
      if (r.status !== 0) process.exitCode = 1;
    }
  }
}
