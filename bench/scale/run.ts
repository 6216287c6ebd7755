/**
 * National scale (issue 17): Marsad on one PostgreSQL server holding about 25 million observations — a made-up
 * country of 520 cities with 3 districts each, × 60 catalogue indicators × 25 years × 8 breakdowns — and the time
 * the server takes for every kind of public page and API answer, uncached, with the size of each answer.
 *
 *   DATABASE_URL=postgres://… npm run bench:scale -- [--cities 520] [--districts 3] [--indicators 60]
 *       [--years 25] [--runs 3] [--database NAME] [--only WORD,…]
 *
 * `--database NAME` keeps the generated data in that database on the server and uses it again in later runs
 * (filling it takes minutes); without it the database is new and dropped at the end. The figures are each
 * address's median server time over `--runs` (after one run not counted, which warms PostgreSQL's buffers), the
 * first byte for downloads, and beside some of them the same rows read by a plain SQL statement in the same run.
 * It is a benchmark, not a test: it prints figures and fails only when an answer is not 200.
 */
import { mkdtemp } from 'node:fs/promises';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openPostgresStore, type Store } from '@marsad/db';
import { createTestDatabase } from '@marsad/db/testing';
import { buildApp, prepareDatabase } from '@marsad/server';
import { sql } from 'kysely';
import pg from 'pg';
import { dropOnInterrupt } from '../common/drop-on-interrupt.ts';

const { values: opt } = parseArgs({
  options: {
    cities: { type: 'string', default: '520' },
    districts: { type: 'string', default: '3' },
    indicators: { type: 'string', default: '60' },
    years: { type: 'string', default: '25' },
    runs: { type: 'string', default: '3' },
    database: { type: 'string' },
    only: { type: 'string' },
  },
});
const size = {
  cities: Number(opt.cities),
  districts: Number(opt.districts),
  indicators: Number(opt.indicators),
  years: Number(opt.years),
};
const runs = Math.max(1, Number(opt.runs));
const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) {
  console.error(
    'bench:scale runs on a PostgreSQL server: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres).',
  );
  process.exit(2);
}
if (opt.database && !/^[a-z_][a-z0-9_]{0,62}$/.test(opt.database)) {
  console.error('--database: a lower-case PostgreSQL name (letters, digits, _).');
  process.exit(2);
}

/** The breakdowns of every generated value: the total, sex, three age groups, urban and rural. */
const BREAKDOWNS = [
  { key: 'SEX=F', dims: { SEX: 'F' } },
  { key: 'SEX=M', dims: { SEX: 'M' } },
  { key: 'AGE=Y0T14', dims: { AGE: 'Y0T14' } },
  { key: 'AGE=Y15T64', dims: { AGE: 'Y15T64' } },
  { key: 'AGE=Y_GE65', dims: { AGE: 'Y_GE65' } },
  { key: 'URBANISATION=U', dims: { URBANISATION: 'U' } },
  { key: 'URBANISATION=R', dims: { URBANISATION: 'R' } },
];
const SIZE_KEY = JSON.stringify(size);

async function admin(query: string): Promise<number> {
  const c = new pg.Client({ connectionString: serverUrl });
  await c.connect();
  try {
    return (await c.query(query)).rowCount ?? 0;
  } finally {
    await c.end();
  }
}

async function openDatabase(): Promise<{ store: Store; drop(): Promise<void> }> {
  if (!opt.database) return createTestDatabase('postgres');
  const exists = await admin(`SELECT 1 FROM pg_database WHERE datname = '${opt.database}'`);
  if (!exists) await admin(`CREATE DATABASE ${opt.database}`);
  const u = new URL(serverUrl!);
  u.pathname = `/${opt.database}`;
  const store = await openPostgresStore(u.toString());
  return { store, drop: () => store.close() };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Fills the database once: catalogue, demonstration data, the made-up country and its values. */
async function fill(store: Store): Promise<void> {
  await prepareDatabase(store, { demo: 'yes' });
  const done = await sql<{ value: unknown; same: boolean }>`
    SELECT value, value = ${SIZE_KEY}::jsonb AS same FROM settings WHERE key = 'bench.scale'`.execute(store.db);
  if (done.rows[0]?.same) return;
  if (done.rows[0])
    throw new Error(
      `--database ${opt.database} holds another size (${JSON.stringify(done.rows[0].value)}): drop it or choose another name.`,
    );
  const t0 = Date.now();
  await store.exclusive(async (c) => {
    await c.query(
      `INSERT INTO sources (name, licence, synthetic) VALUES ('Scale benchmark values, made up', NULL, true)`,
    );
    await c.query(
      `INSERT INTO places (code, level, path, names) VALUES ('ZS', 'country', '', '{"en":"Scale test country (made up)","ar":"بلد اختبار الحجم (مختلق)"}')`,
    );
    await c.query(`UPDATE places SET path = '/' || id || '/' WHERE code = 'ZS'`);
    await c.query(
      `INSERT INTO places (code, level, parent_id, path, names)
       SELECT 'ZS-C' || lpad(n::text, 4, '0'), 'city', k.id, '',
              jsonb_build_object('en', 'Scale city ' || n || ' (made up)', 'ar', 'مدينة الاختبار ' || n)
         FROM places k CROSS JOIN generate_series(1, $1::int) n WHERE k.code = 'ZS'`,
      [size.cities],
    );
    await c.query(
      `INSERT INTO places (code, level, parent_id, path, names)
       SELECT c.code || '-D' || n, 'district', c.id, '',
              jsonb_build_object('en', 'District ' || n || ' of ' || (c.names ->> 'en'), 'ar', 'الحي ' || n)
         FROM places c CROSS JOIN generate_series(1, $1::int) n WHERE c.code LIKE 'ZS-C%' AND c.level = 'city'`,
      [size.districts],
    );
    await c.query(
      `UPDATE places p SET path = k.path || p.id || '/' FROM places k WHERE p.parent_id = k.id AND p.level = 'city' AND k.code = 'ZS'`,
    );
    await c.query(
      `UPDATE places p SET path = c.path || p.id || '/' FROM places c WHERE p.parent_id = c.id AND p.level = 'district' AND c.code LIKE 'ZS-C%'`,
    );
    for (const b of BREAKDOWNS) {
      await c.query(
        `INSERT INTO disaggregations (id, key, dims) SELECT nextval('disaggregations_id_seq'), $1, $2::jsonb
          WHERE NOT EXISTS (SELECT 1 FROM disaggregations WHERE key = $1)`,
        [b.key, JSON.stringify(b.dims)],
      );
    }
    // The programme whose 2030 targets are measured: every city of the country takes part.
    await c.query(
      `INSERT INTO programmes (code, names, start_year, end_year) VALUES ('SCALE', '{"en":"Scale test programme (made up)"}', 2020, 2030)`,
    );
    await c.query(
      `INSERT INTO programme_places (programme_id, place_id, role)
       SELECT g.id, p.id, 'participating' FROM programmes g, places p WHERE g.code = 'SCALE' AND p.code = 'ZS'`,
    );
  });
  // The indicators: those of the urban safety framework (the 2030 targets read them) and POP first, then the
  // catalogue's others, each with its default series.
  const chosen = await sql<{ series_id: number; indicator_id: number; code: string; first: boolean }>`
    SELECT DISTINCT ON (i.code) s.id AS series_id, i.id AS indicator_id, i.code,
           (EXISTS (SELECT 1 FROM indicator_frameworks m JOIN frameworks f ON f.id = m.framework_id
                     WHERE m.indicator_id = i.id AND f.code = 'urban-safety') OR i.code = 'POP') AS first
      FROM indicators i JOIN series s ON s.indicator_id = i.id
     WHERE i.status <> 'retired'
     ORDER BY i.code, s.is_default DESC, s.id`.execute(store.db);
  // Then SDG 11 and 16 (the urban and safety goals), then the others in code order.
  const rank = (r: { code: string; first: boolean }) => (r.first ? 0 : /^1[16]\./.test(r.code) ? 1 : 2);
  const picked = [...chosen.rows]
    .sort((a, b) => rank(a) - rank(b) || (a.code < b.code ? -1 : 1))
    .slice(0, size.indicators);
  let n = 0;
  for (const s of picked) {
    const t = Date.now();
    // Values per (indicator, place): a made-up level and trend, totals and the 7 breakdowns.
    await store.exclusive(async (c) => {
      const r = await c.query(
        `INSERT INTO observations (series_id, place_id, period, disagg_id, indicator_id, period_start, period_end, value, status, source_id)
         SELECT $1::int, p.id, y::text, d.id, $2::int, make_date(y, 1, 1), make_date(y, 12, 31),
                round((10 + (p.id % 90) + (y - 2000) * 0.3 + d.id % 5)::numeric, 1), 'approved', src.id
           FROM places p
           CROSS JOIN generate_series(2026 - $3::int, 2025) y
           CROSS JOIN (SELECT id FROM disaggregations WHERE id = 0 OR key = ANY($4::text[])) d
           CROSS JOIN (SELECT id FROM sources WHERE name = 'Scale benchmark values, made up') src
          WHERE p.code = 'ZS' OR p.code LIKE 'ZS-%'
         ON CONFLICT DO NOTHING`,
        [s.series_id, s.indicator_id, size.years, BREAKDOWNS.map((b) => b.key)],
      );
      return r;
    });
    n++;
    process.stdout.write(`\r  filled ${n}/${picked.length} indicators (${s.code}, ${seconds(Date.now() - t)})      `);
  }
  process.stdout.write('\n');
  // As autovacuum leaves a table that has settled: statistics, and the visibility map (index-only scans).
  await sql`VACUUM (ANALYZE)`.execute(store.db);
  await sql`INSERT INTO settings (key, value) VALUES ('bench.scale', ${SIZE_KEY}::jsonb)`.execute(store.db);
  console.log(`Filled in ${seconds(Date.now() - t0)}.`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const db = await openDatabase();
const cleanUp = dropOnInterrupt(db);

try {
  await fill(db.store);
  const count = await sql<{ n: string }>`SELECT count(*) AS n FROM observations`.execute(db.store.db);
  const places = await sql<{ n: string }>`SELECT count(*) AS n FROM places`.execute(db.store.db);
  const bytes = await sql<{ table: string; total: string }>`
    SELECT pg_size_pretty(pg_relation_size('observations')) AS table, pg_size_pretty(pg_total_relation_size('observations')) AS total`.execute(
    db.store.db,
  );
  console.log(
    `PostgreSQL: ${Number(count.rows[0]!.n).toLocaleString('en')} observations, ${Number(places.rows[0]!.n).toLocaleString('en')} places; table ${bytes.rows[0]!.table}, with indexes ${bytes.rows[0]!.total}`,
  );

  const app = await buildApp(
    {
      store: db.store,
      dataDir: await mkdtemp(path.join(os.tmpdir(), 'marsad-scale-')),
      adminToken: 'x',
      version: 'scale',
    },
    { logger: false, publicCache: false },
  );
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;

  const city = 'ZS-C0001';
  const reads: [string, string][] = [
    ['home page', '/ar/'],
    ['indicators (catalogue page)', '/en/indicators'],
    ['indicator page 16.1.1', '/en/indicators/16.1.1'],
    ['indicator page USM-CV-01', '/ar/indicators/USM-CV-01'],
    ['places page', '/en/places'],
    ['country page (520 cities)', '/ar/places/ZS'],
    ['city page', `/ar/places/${city}`],
    ['district page', `/en/places/${city}-D1`],
    ['country report page', '/en/places/ZS/report'],
    ['compare page', `/en/compare`],
    ['reporting status page', '/en/status'],
    ['programmes page', '/en/programmes'],
    ['programme page', '/en/programmes/SCALE'],
    ['success indicators page', '/en/results/success-indicators'],
    ['API observations, no filter', '/api/v1/observations'],
    ['API observations, 2nd page', '/api/v1/observations?offset=100'],
    ['API observations, one indicator', '/api/v1/observations?indicator=16.1.1'],
    ['API observations, one place subtree', `/api/v1/observations?place=${city}&subtree=true`],
    ['API indicator data', '/api/v1/indicators/16.1.1/data?lang=en'],
    ['API indicator latest', '/api/v1/indicators/16.1.1/latest?lang=en'],
    ['API indicator breakdowns', '/api/v1/indicators/16.1.1/breakdowns?lang=en'],
    ['API place summary (country)', '/api/v1/places/ZS/summary?lang=en'],
    ['API place summary (city)', `/api/v1/places/${city}/summary?lang=en`],
    ['API counts (home)', '/api/v1/summary'],
    ['API latest updates (home)', '/api/v1/updates?lang=en&limit=8'],
    ['API reporting status', '/api/v1/reporting-status?lang=en'],
    ['API country report', '/api/v1/places/ZS/report?lang=en'],
    ['API search', '/api/v1/search?q=violence&lang=en'],
    ['API programme 2030 targets', '/api/v1/programmes/SCALE/targets-2030?lang=en'],
  ];
  const downloads: [string, string][] = [
    ['bulk download, first byte', '/api/v1/downloads/all?format=csv'],
    ['export of one indicator, first byte', '/api/v1/observations/export?indicator=16.1.1&format=csv'],
  ];
  const wanted = ([name, url]: [string, string]) =>
    !opt.only || opt.only.split(',').some((w) => name.includes(w) || url.includes(w));

  console.log(`\nServer time, uncached (median of ${runs} after a warm-up), and the answer's size:`);
  console.log('| read | address | median | slowest | bytes |');
  console.log('|---|---|---|---|---|');
  const failures: string[] = [];
  for (const [name, url] of reads.filter(wanted)) {
    const times: number[] = [];
    let status = 0;
    let length = 0;
    for (let i = 0; i <= runs; i++) {
      const t = performance.now();
      const r = await app.inject({ method: 'GET', url });
      const ms = performance.now() - t;
      status = r.statusCode;
      length = r.rawPayload.length;
      if (i > 0) times.push(ms);
    }
    if (status !== 200) failures.push(`${url}: ${status}`);
    console.log(
      `| ${name} | \`${url}\` | ${median(times).toFixed(0)} ms | ${Math.max(...times).toFixed(0)} ms | ${length.toLocaleString('en')}${status === 200 ? '' : ` (HTTP ${status})`} |`,
    );
  }

  // Downloads: the time to the first byte of the body over HTTP, then the request is dropped.
  const firstByte = (url: string) =>
    new Promise<{ ms: number; status: number }>((resolve, reject) => {
      const t = performance.now();
      const req = request({ port, host: '127.0.0.1', path: url }, (res) => {
        res.once('data', () => {
          const ms = performance.now() - t;
          req.destroy();
          resolve({ ms, status: res.statusCode ?? 0 });
        });
        res.once('end', () => resolve({ ms: performance.now() - t, status: res.statusCode ?? 0 }));
      });
      req.on('error', reject);
      req.end();
    });
  for (const [name, url] of downloads.filter(wanted)) {
    const times: number[] = [];
    let status = 0;
    for (let i = 0; i <= runs; i++) {
      const r = await firstByte(url);
      status = r.status;
      if (i > 0) times.push(r.ms);
    }
    if (status !== 200) failures.push(`${url}: ${status}`);
    console.log(
      `| ${name} | \`${url}\` | ${median(times).toFixed(0)} ms | ${Math.max(...times).toFixed(0)} ms | streamed |`,
    );
  }

  // The 2030 targets against a plain SELECT of the rows they read (the same places, series, totals, years).
  if (wanted(['API programme 2030 targets', '/api/v1/programmes/SCALE/targets-2030'])) {
    const plain = async () => {
      const t = performance.now();
      const r = await sql`
        SELECT o.series_id, o.place_id, o.period, o.value
          FROM observations o
         WHERE o.series_id IN (SELECT s.id FROM series s JOIN indicator_frameworks m ON m.indicator_id = s.indicator_id
                                 JOIN frameworks f ON f.id = m.framework_id AND f.code = 'urban-safety' WHERE s.is_default
                               UNION SELECT s.id FROM series s JOIN indicators i ON i.id = s.indicator_id AND i.code = 'POP' AND s.is_default)
           AND o.place_id IN (SELECT id FROM places WHERE path LIKE (SELECT path FROM places WHERE code = 'ZS') || '%' AND level IN ('city', 'country'))
           AND o.disagg_id = 0 AND o.status = 'approved'`.execute(db.store.db);
      return { ms: performance.now() - t, rows: r.rows.length };
    };
    const targets = async () => {
      const t = performance.now();
      await app.inject({ method: 'GET', url: '/api/v1/programmes/SCALE/targets-2030?lang=en' });
      return performance.now() - t;
    };
    const a: number[] = [];
    const b: number[] = [];
    let rows = 0;
    await plain();
    for (let i = 0; i < runs; i++) {
      const p = await plain();
      rows = p.rows;
      a.push(p.ms);
      b.push(await targets());
    }
    console.log(
      `\n2030 targets: ${median(b).toFixed(0)} ms; a plain SELECT of the same ${rows.toLocaleString('en')} rows: ${median(a).toFixed(0)} ms; ratio ${(median(b) / median(a)).toFixed(2)}× (goal ≤ 1.5×)`,
    );
  }
  console.log(`\nMarsad at ${address}`);
  await app.close();
  if (failures.length) {
    console.error(`Answers that were not 200: ${failures.join('; ')}`);
    process.exitCode = 1;
  }
} finally {
  await cleanUp();
}
