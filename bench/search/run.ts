/**
 * Search benchmark of the knowledge repository: N generated items (GENERATED TEXT, see
 * generate.ts) plus the five seed documents, loaded into a fresh database; then the queries
 * of queries.ts (known answers written from the seeds' text) are run and timed:
 *   - the first page of 10 ranked results with their snippets (searchItems), p50 / p95;
 *   - the facet counts (searchFacets), p50 / p95, separately;
 *   - recall@10: the share of each query's seeds among its first 10 results, averaged.
 * Goals on PostgreSQL: p95 < 30 ms for the result page, < 100 ms for the facets; recall@10
 * ≥ 0.9 (on both databases). See README.md.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:search -- --db postgres
 *   npm run bench:search -- --db pglite
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { migrate, openPGliteStore, openPostgresStore, type Store, type StoreKind } from '@marsad/db';
import { createTestDatabase } from '@marsad/db/testing';
import { loadKnowledgeSeeds } from '../../packages/server/src/demo/knowledge-seeds.ts';
import { searchFacets, searchItems } from '../../packages/server/src/knowledge/knowledge-search.ts';
import { loadBenchItems } from './load.ts';
import { QUERIES } from './queries.ts';

const GOALS = { resultsP95: 30, facetsP95: 100, recall: 0.9 };

function options() {
  const { values } = parseArgs({
    options: {
      db: { type: 'string' },
      items: { type: 'string', default: '100000' },
      runs: { type: 'string', default: '3' },
      verbose: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      reuse: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`Usage: npm run bench:search -- [--db pglite|postgres] [--items N] [--runs N] [--verbose]

  --db       default postgres when DATABASE_URL is set, else pglite (on disk, in a temporary folder)
  --items    generated items (default 100000), plus the five seeds
  --runs     timed passes over the queries after one warm-up pass (default 3)
  --verbose  print every query with its time, recall and first results
  --keep     keep the database afterwards (and print where it is)
  --reuse X  run the queries on a database a run with --keep left (its URL or PGlite folder), loading nothing\n`);
    process.exit(0);
  }
  const db = (values.db ?? (process.env.DATABASE_URL ? 'postgres' : 'pglite')) as StoreKind;
  if (db !== 'pglite' && db !== 'postgres') throw new Error('--db is pglite or postgres');
  if (db === 'postgres' && !process.env.DATABASE_URL)
    throw new Error('--db postgres needs DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/postgres');
  return {
    db,
    items: Number(values.items),
    runs: Number(values.runs),
    verbose: !!values.verbose,
    keep: !!values.keep,
    reuse: values.reuse,
  };
}

async function freshStore(
  kind: StoreKind,
  keep: boolean,
): Promise<{ store: Store; drop: () => Promise<void>; where: string }> {
  if (kind === 'postgres') {
    const t = await createTestDatabase('postgres');
    return {
      store: t.store,
      drop: keep ? () => t.store.close() : t.drop,
      where: t.url ?? 'a new database on the server of DATABASE_URL',
    };
  }
  // 100,000 items do not fit in PGlite's memory (WASM): its files go to a temporary folder.
  const dir = await mkdtemp(path.join(os.tmpdir(), 'marsad-bench-search-'));
  const store = await openPGliteStore(dir);
  await migrate(store);
  return {
    store,
    drop: async () => {
      await store.close();
      if (!keep) await rm(dir, { recursive: true, force: true });
    },
    where: dir,
  };
}

/** A database a run with --keep left: its seeds are found by their titles. */
async function reusedStore(
  kind: StoreKind,
  where: string,
): Promise<{ store: Store; drop: () => Promise<void>; where: string }> {
  const store = kind === 'postgres' ? await openPostgresStore(where) : await openPGliteStore(where);
  await migrate(store);
  return { store, drop: () => store.close(), where };
}

async function seedIds(store: Store): Promise<Map<string, number>> {
  const ids = await loadKnowledgeSeeds(store);
  return new Map(Object.entries(ids).map(([file, id]) => [file.slice(0, 3), id]));
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

async function main() {
  const o = options();
  const log = (s: string) => process.stdout.write(`${s}\n`);
  log(
    `Marsad search benchmark: ${o.items} generated items + 5 seeds on ${o.db}; ${QUERIES.length} queries; Node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}`,
  );
  const db = o.reuse ? await reusedStore(o.db, o.reuse) : await freshStore(o.db, o.keep);
  log(
    `database: ${o.db === 'pglite' ? 'PGlite in ' : ''}${db.where.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@')}${o.reuse ? ' (reused)' : ''}`,
  );
  let failed = false;
  try {
    const bySeed = o.reuse ? await seedIds(db.store) : await loadBenchItems(db.store, o.items, log);
    const seedOf = new Map([...bySeed].map(([k, id]) => [id, k]));

    // One warm-up pass, also the pass whose results give recall.
    const recall: number[] = [];
    const variantRecall: number[] = [];
    const misses: string[] = [];
    for (const q of QUERIES) {
      const page = await searchItems(db.store, { q: q.q, limit: 10, offset: 0 });
      const got = page.items.map((h) => seedOf.get(h.id)).filter((x): x is string => !!x);
      const r = q.answers.filter((a) => got.includes(a)).length / q.answers.length;
      recall.push(r);
      if (q.variant) variantRecall.push(r);
      if (r < 1)
        misses.push(
          `  ${q.q} — wanted ${q.answers.join(',')}, first 10 hold ${got.join(',') || 'no seed'} (${page.total ?? `${page.items.length}+`} results)`,
        );
      if (o.verbose)
        log(
          `  ${r.toFixed(2)} ${q.q} → ${page.items
            .slice(0, 3)
            .map((h) => `${seedOf.get(h.id) ?? h.id}:${h.score}`)
            .join(' ')}`,
        );
      await searchFacets(db.store, { q: q.q, limit: 10, offset: 0 });
    }
    const results: number[] = [];
    const facets: number[] = [];
    const slowest: { q: string; ms: number }[] = [];
    const slowestFacets: { q: string; ms: number }[] = [];
    for (let pass = 0; pass < o.runs; pass++) {
      for (const q of QUERIES) {
        let t = performance.now();
        await searchItems(db.store, { q: q.q, limit: 10, offset: 0 });
        const ms = performance.now() - t;
        results.push(ms);
        slowest.push({ q: q.q, ms });
        t = performance.now();
        const counted = await searchFacets(db.store, { q: q.q, limit: 10, offset: 0 });
        const facetMs = performance.now() - t;
        facets.push(facetMs);
        slowestFacets.push({ q: `${q.q} [${counted.total} matches]`, ms: facetMs });
      }
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const r10 = mean(recall);
    const p95r = percentile(results, 95);
    const p95f = percentile(facets, 95);
    log(
      `load average after the runs: ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}`,
    );
    // Also per query, the median of its runs: a moment when the machine was busy moves one run, not the median.
    const medians = (xs: number[]) =>
      QUERIES.map((_, k) =>
        percentile(
          Array.from({ length: o.runs }, (_, pass) => xs[pass * QUERIES.length + k]!),
          50,
        ),
      );
    const mr = medians(results);
    const mf = medians(facets);
    log(
      `results page (10 ranked results with snippets): p50 ${percentile(results, 50).toFixed(1)} ms, p95 ${p95r.toFixed(1)} ms, max ${Math.max(...results).toFixed(1)} ms (${results.length} runs);` +
        ` of the per-query medians: p50 ${percentile(mr, 50).toFixed(1)} ms, p95 ${percentile(mr, 95).toFixed(1)} ms`,
    );
    log(
      `facet counts:                                     p50 ${percentile(facets, 50).toFixed(1)} ms, p95 ${p95f.toFixed(1)} ms, max ${Math.max(...facets).toFixed(1)} ms;` +
        ` of the per-query medians: p50 ${percentile(mf, 50).toFixed(1)} ms, p95 ${percentile(mf, 95).toFixed(1)} ms`,
    );
    log(
      `recall@10: ${r10.toFixed(3)} over ${QUERIES.length} queries (spelling variants: ${mean(variantRecall).toFixed(3)} over ${variantRecall.length})`,
    );
    if (misses.length) log(`queries with an answer outside the first 10:\n${misses.join('\n')}`);
    const top = (xs: { q: string; ms: number }[]) => {
      const worst = new Map<string, number>();
      for (const s of xs) worst.set(s.q, Math.max(worst.get(s.q) ?? 0, s.ms));
      return [...worst.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 5)
        .map(([q, ms]) => `${q} (${ms.toFixed(0)} ms)`)
        .join('; ');
    };
    log(`slowest queries: ${top(slowest)}`);
    log(`slowest facet counts: ${top(slowestFacets)}`);
    const goals = [
      ...(o.db === 'postgres'
        ? [
            [`results p95 < ${GOALS.resultsP95} ms`, p95r < GOALS.resultsP95],
            [`facets p95 < ${GOALS.facetsP95} ms`, p95f < GOALS.facetsP95],
          ]
        : []),
      [`recall@10 ≥ ${GOALS.recall}`, r10 >= GOALS.recall],
    ] as [string, boolean][];
    log(`goals: ${goals.map(([g, ok]) => `${g}: ${ok ? 'met' : 'NOT met'}`).join('; ')}`);
  } catch (e) {
    failed = true;
    process.stderr.write(`bench:search failed: ${(e as Error).stack ?? e}\n`);
  } finally {
    await db.drop();
    if (o.keep && !o.reuse) log(`kept: rerun the queries with --db ${o.db} --reuse ${db.where}`);
  }
  process.exit(failed ? 1 : 0);
}

await main();
