/**
 * Import benchmark: N synthetic observations loaded three ways into fresh databases.
 *
 *   1. bare COPY     — the raw CSV rows into an unindexed table of 4 text/float columns;
 *   2. indexed COPY  — the same rows, already resolved to ids, into Marsad's real
 *                      `observations` table (same keys, foreign keys and indexes);
 *   3. Marsad import — `importFile(store, csv, { format: 'csv', … })`, start to commit.
 *
 * The CSV is generated lazily in ~1 MB chunks, never held whole. See README.md.
 *
 *   npm run bench:import -- --db postgres        (needs DATABASE_URL)
 *   npm run bench:import -- --db pglite --places 700
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { SqlConn, Store, StoreKind } from '@marsad/db';
import { createEmptyDatabase, createTestDatabase, type TestDatabase } from '@marsad/db/testing';
import { type ImportReport, importFile, readObservations } from '@marsad/server';
import pg from 'pg';

// ---------------------------------------------------------------------------------------------
// Options

const DEFAULTS: Record<StoreKind, { indicators: number; places: number; years: number }> = {
  postgres: { indicators: 60, places: 7_000, years: 24 },
  pglite: { indicators: 60, places: 700, years: 24 },
};
const PHASES = ['bare', 'indexed', 'marsad', 'merge', 'stage', 'parse'] as const;
type Phase = (typeof PHASES)[number];
const DEFAULT_PHASES: Phase[] = ['bare', 'indexed', 'marsad'];
const FIRST_YEAR = 2000;
const CHUNK_CHARS = 1 << 20;
const GOAL = 0.5;

const USAGE = `Usage: npm run bench:import -- [options]

  --db pglite|postgres   database (default: postgres when DATABASE_URL is set, else pglite)
  --indicators N         indicators (default 60)
  --places N             places (default 7000 on postgres, 700 on pglite)
  --years N              years per indicator and place (default 24, from ${FIRST_YEAR})
  --phases a,b,…         which loads to run: bare, indexed, marsad (default all three);
                         'merge' adds the Marsad import into a table already holding an
                         observation of another indicator (the file's series hold none:
                         their rows are still copied straight in);
                         'stage' the import into a table where every series of the file
                         already holds an observation (every row staged, then merged);
                         'parse' times Marsad's CSV reader alone, without a database
  --rules none|row|set   validation rules of the benchmark's indicators (default none):
                         'row' a range (checked as each row is read), 'set' a range and a
                         large-change rule set as a warning (checked over the staged rows in
                         SQL; the import then always stages)
  --help

PostgreSQL: DATABASE_URL names a server where the benchmark may create and drop databases,
e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres`;

function fail(message: string, code = 2): never {
  process.stderr.write(`bench:import: ${message}\n`);
  process.exit(code);
}

function positiveInt(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text.replace(/[_,]/g, ''));
  if (!Number.isInteger(n) || n < 1) fail(`--${name} wants a positive whole number, not "${text}"`);
  return n;
}

function readOptions() {
  const options = {
    db: { type: 'string' },
    indicators: { type: 'string' },
    places: { type: 'string' },
    years: { type: 'string' },
    phases: { type: 'string' },
    rules: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  } as const;
  let parsed: ReturnType<typeof parseArgs<{ options: typeof options; strict: true; allowPositionals: false }>>;
  try {
    parsed = parseArgs({ options, strict: true, allowPositionals: false });
  } catch (err) {
    fail(`${(err as Error).message}\n\n${USAGE}`);
  }
  const v = parsed.values;
  if (v.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const db = (v.db ?? (process.env.DATABASE_URL ? 'postgres' : 'pglite')) as StoreKind;
  if (db !== 'pglite' && db !== 'postgres') fail(`--db is pglite or postgres, not "${v.db}"`);
  if (db === 'postgres' && !process.env.DATABASE_URL) {
    fail(
      '--db postgres needs DATABASE_URL, the address of a PostgreSQL server where the benchmark may\n' +
        'create and drop databases, e.g.\n' +
        '  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:import -- --db postgres',
    );
  }
  const d = DEFAULTS[db];
  const phases = (v.phases ?? DEFAULT_PHASES.join(','))
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  for (const p of phases)
    if (!(PHASES as readonly string[]).includes(p)) fail(`unknown phase "${p}" (known: ${PHASES.join(', ')})`);
  const rules = v.rules ?? 'none';
  if (rules !== 'none' && rules !== 'row' && rules !== 'set') fail(`--rules is none, row or set, not "${rules}"`);
  return {
    db,
    rules: rules as keyof typeof RULES,
    indicators: positiveInt('indicators', v.indicators, d.indicators),
    places: positiveInt('places', v.places, d.places),
    years: positiveInt('years', v.years, d.years),
    phases: phases as Phase[],
  };
}

// ---------------------------------------------------------------------------------------------
// Synthetic data: I indicators × P places × Y years, generated in the same order every time.

interface Shape {
  indicators: number;
  places: number;
  years: number;
}

const indicatorCode = (i: number) => `BENCH${String(i + 1).padStart(3, '0')}`;
const placeCode = (p: number) => `ZZ-C${String(p + 1).padStart(6, '0')}`;

/** A pool of value texts, picked by a cheap hash of (indicator, place, year): the same in every phase. */
const VALUE_POOL = 10_007;
const valueTexts = Array.from({ length: VALUE_POOL }, (_, k) => String(((k * 7_919) % 100_000) / 100));
const valueAt = (i: number, p: number, y: number) => valueTexts[(i * 131 + p * 31 + y * 7) % VALUE_POOL]!;

/** The tidy CSV: `indicator,place,period,value`, in chunks of about 1 MB ending on a line end. */
async function* csvChunks(s: Shape, header: boolean): AsyncGenerator<string> {
  const years = Array.from({ length: s.years }, (_, y) => String(FIRST_YEAR + y));
  let buf = header ? 'indicator,place,period,value\n' : '';
  for (let i = 0; i < s.indicators; i++) {
    const ind = `${indicatorCode(i)},`;
    for (let p = 0; p < s.places; p++) {
      const prefix = `${ind + placeCode(p)},`;
      for (let y = 0; y < s.years; y++) buf += `${prefix + years[y]},${valueAt(i, p, y)}\n`;
      if (buf.length >= CHUNK_CHARS) {
        yield buf;
        buf = '';
      }
    }
  }
  if (buf) yield buf;
}

interface Ids {
  indicatorIds: number[];
  seriesIds: number[];
  placeIds: number[];
}

/** The same rows resolved to ids, in COPY text format, for `RESOLVED_COPY`. */
async function* resolvedChunks(s: Shape, ids: Ids, batchId: number): AsyncGenerator<string> {
  // Per year: `<period>\t0\t` (disagg_id 0) before the indicator id, then the period's dates.
  const years = Array.from({ length: s.years }, (_, y) => {
    const year = FIRST_YEAR + y;
    return { head: `${year}\t0\t`, dates: `\t${year}-01-01\t${year}-12-31\t` };
  });
  const suffix = `\tapproved\t${batchId}\n`;
  let buf = '';
  for (let i = 0; i < s.indicators; i++) {
    const series = `${String(ids.seriesIds[i])}\t`;
    const indicator = String(ids.indicatorIds[i]);
    for (let p = 0; p < s.places; p++) {
      const head = `${series + String(ids.placeIds[p])}\t`;
      for (let y = 0; y < s.years; y++) {
        const yr = years[y]!;
        buf += head + yr.head + indicator + yr.dates + valueAt(i, p, y) + suffix;
      }
      if (buf.length >= CHUNK_CHARS) {
        yield buf;
        buf = '';
      }
    }
  }
  if (buf) yield buf;
}
const RESOLVED_COPY =
  'COPY observations (series_id, place_id, period, disagg_id, indicator_id, period_start, period_end, value, status, batch_id) FROM STDIN';

/** Counts the characters (= bytes: all ASCII) going through. */
async function* counting(chunks: AsyncIterable<string>, counter: { chars: number }): AsyncGenerator<string> {
  for await (const c of chunks) {
    counter.chars += c.length;
    yield c;
  }
}

// ---------------------------------------------------------------------------------------------
// Catalogue: I indicators with one default series each, one country with P cities.

/** Validation rules the benchmark's indicators get (--rules); the generated values, in [0, 1000), pass them. */
const RULES = {
  none: null,
  row: { min: 0, max: 1000 },
  // A change from a value of 0 is infinite: as a warning, it is reported and the import goes on.
  set: { min: 0, max: 1000, maxChangePercent: 100_000, warnings: ['maxChangePercent'] },
} as const;

async function setRules(store: Store, rules: (typeof RULES)[keyof typeof RULES]): Promise<void> {
  if (!rules) return;
  await store.exclusive((c) =>
    c.query(`UPDATE indicators SET validation_rules = $1::jsonb WHERE code LIKE 'BENCH%'`, [JSON.stringify(rules)]),
  );
}

async function createCatalogue(store: Store, s: Shape): Promise<Ids> {
  return store.exclusive(async (conn) => {
    await conn.query(
      `INSERT INTO indicators (code, names)
       SELECT 'BENCH' || lpad(g::text, 3, '0'), jsonb_build_object('en', 'Benchmark indicator ' || g)
         FROM generate_series(1, $1::int) g ORDER BY g`,
      [s.indicators],
    );
    await conn.query(
      `INSERT INTO series (indicator_id, code, names, is_default)
       SELECT id, code, names, true FROM indicators WHERE code LIKE 'BENCH%' ORDER BY id`,
    );
    await conn.exec(`
      INSERT INTO places (code, level, path, names) VALUES ('ZZ', 'country', '', '{"en":"Benchland"}');
      UPDATE places SET path = '/' || id || '/' WHERE code = 'ZZ';`);
    await conn.query(
      `INSERT INTO places (code, level, parent_id, path, names)
       SELECT 'ZZ-C' || lpad(g::text, 6, '0'), 'city', c.id, '', jsonb_build_object('en', 'Bench city ' || g)
         FROM generate_series(1, $1::int) g CROSS JOIN (SELECT id FROM places WHERE code = 'ZZ') c ORDER BY g`,
      [s.places],
    );
    await conn.exec(
      `UPDATE places p SET path = c.path || p.id || '/' FROM places c WHERE p.parent_id = c.id AND c.code = 'ZZ'`,
    );

    const ind = await conn.query<{ code: string; indicator_id: number; series_id: number }>(
      `SELECT i.code, i.id AS indicator_id, s.id AS series_id
         FROM indicators i JOIN series s ON s.indicator_id = i.id AND s.is_default WHERE i.code LIKE 'BENCH%'`,
    );
    const byInd = new Map(ind.rows.map((r) => [r.code, r]));
    const pl = await conn.query<{ code: string; id: number }>(`SELECT code, id FROM places WHERE code LIKE 'ZZ-C%'`);
    const byPlace = new Map(pl.rows.map((r) => [r.code, r.id]));
    const ids: Ids = { indicatorIds: [], seriesIds: [], placeIds: [] };
    for (let i = 0; i < s.indicators; i++) {
      const r = byInd.get(indicatorCode(i));
      if (!r) throw new Error(`catalogue: indicator ${indicatorCode(i)} missing`);
      ids.indicatorIds.push(r.indicator_id);
      ids.seriesIds.push(r.series_id);
    }
    for (let p = 0; p < s.places; p++) {
      const id = byPlace.get(placeCode(p));
      if (id === undefined) throw new Error(`catalogue: place ${placeCode(p)} missing`);
      ids.placeIds.push(id);
    }
    return ids;
  });
}

/**
 * For the 'merge' phase: one observation of another indicator, so that the import finds the
 * observations table not empty and takes its general path (staging table, then merge).
 * Returns the series id of that observation.
 */
async function seedOtherObservation(store: Store): Promise<number> {
  return store.exclusive(async (conn) => {
    const ind = await conn.query<{ id: number }>(
      `INSERT INTO indicators (code, names) VALUES ('SEED', '{"en":"Seed"}') RETURNING id`,
    );
    const indicatorId = ind.rows[0]!.id;
    const ser = await conn.query<{ id: number }>(
      `INSERT INTO series (indicator_id, code, is_default) VALUES ($1, 'SEED', true) RETURNING id`,
      [indicatorId],
    );
    const seriesId = ser.rows[0]!.id;
    await conn.query(
      `INSERT INTO observations (series_id, place_id, period, disagg_id, indicator_id, period_start, period_end, value, status)
       SELECT $1, id, '1999', 0, $2, '1999-01-01', '1999-12-31', 1, 'approved' FROM places WHERE code = 'ZZ'`,
      [seriesId, indicatorId],
    );
    return seriesId;
  });
}

// ---------------------------------------------------------------------------------------------
// Databases: every one created is dropped at the end, also on failure or Ctrl-C.

const openDatabases = new Set<TestDatabase>();

async function freshDatabase(kind: StoreKind, migrated: boolean): Promise<TestDatabase> {
  const t = migrated ? await createTestDatabase(kind) : await createEmptyDatabase(kind);
  openDatabases.add(t);
  return t;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The name of a server database created by createTestDatabase, from its URL. */
function databaseName(t: TestDatabase): string | undefined {
  if (!t.url) return undefined;
  const name = decodeURIComponent(new URL(t.url).pathname.slice(1));
  return /^marsad_test_\w+$/.test(name) ? name : undefined;
}

/**
 * Drops a database. For the server this does not use TestDatabase.drop(): that runs
 * `DROP DATABASE … WITH (FORCE)` right after the pool's end() returns, while the pool's
 * connections may still be closing, and the FATAL 57P01 they then receive is emitted as an
 * unhandled pool 'error' that kills the process. Here: close, then a plain DROP, retried
 * while the connections go away, and FORCE only as the last resort.
 */
async function dropDatabase(t: TestDatabase): Promise<void> {
  openDatabases.delete(t);
  const name = databaseName(t);
  const serverUrl = process.env.DATABASE_URL;
  if (!name || !serverUrl) return t.drop();
  await t.store.close();
  const c = new pg.Client({ connectionString: serverUrl });
  await c.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await c.query(
          attempt < 50 ? `DROP DATABASE IF EXISTS ${name}` : `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`,
        );
        return;
      } catch (err) {
        if ((err as { code?: string }).code !== '55006' || attempt >= 50) throw err; // 55006: in use
        await sleep(100);
      }
    }
  } finally {
    await c.end();
  }
}

async function dropAll(): Promise<void> {
  for (const t of [...openDatabases]) {
    try {
      await dropDatabase(t);
    } catch (err) {
      process.stderr.write(`bench:import: could not drop ${t.url ?? t.kind} database: ${(err as Error).message}\n`);
    }
  }
}

/** Set once the process is being stopped by a signal or an uncaught error. */
let stopping: Promise<void> | undefined;

/**
 * On a signal or an uncaught error a COPY may still hold a connection: drop the server
 * databases by force, directly (this ends the benchmark's own sessions too; the errors that
 * follow from it are ignored), close PGlite, and exit.
 */
function forceDropAndExit(why: string): Promise<void> {
  stopping ??= (async () => {
    process.stderr.write(`\nbench:import: ${why}; dropping the databases created…\n`);
    const serverUrl = process.env.DATABASE_URL;
    for (const t of [...openDatabases]) {
      openDatabases.delete(t);
      const name = databaseName(t);
      if (!name || !serverUrl) {
        await t.drop().catch(() => undefined);
        continue;
      }
      const c = new pg.Client({ connectionString: serverUrl });
      try {
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        process.stderr.write(`bench:import: dropped ${name}\n`);
      } catch (err) {
        process.stderr.write(`bench:import: could not drop ${name}: ${(err as Error).message}\n`);
      } finally {
        await c.end().catch(() => undefined);
      }
    }
    process.exit(130);
  })();
  return stopping;
}

/**
 * For the 'stage' phase: one observation (of 1999, a year the file lacks) in every series of the benchmark, so that
 * every row of the file is staged and merged (the general path), all of them new keys.
 */
async function seedEverySeries(store: Store): Promise<void> {
  await store.exclusive((conn) =>
    conn.query(
      `INSERT INTO observations (series_id, place_id, period, disagg_id, indicator_id, period_start, period_end, value, status)
       SELECT s.id, p.id, '1999', 0, s.indicator_id, '1999-01-01', '1999-12-31', 1, 'approved'
         FROM series s JOIN indicators i ON i.id = s.indicator_id AND i.code LIKE 'BENCH%'
        CROSS JOIN (SELECT id FROM places WHERE code = 'ZZ') p`,
    ),
  );
}

/**
 * An order-independent fingerprint of the observations (outside the timing): the indexed COPY
 * and the Marsad import must leave the same rows, given the same catalogue ids.
 */
async function fingerprint(store: Store): Promise<string> {
  const r = await store.exclusive((c) =>
    c.query<{ n: number; h: string }>(
      `SELECT count(*)::bigint AS n,
              sum(hashtext(concat_ws(',', series_id, place_id, period, disagg_id, indicator_id,
                  period_start, period_end, value, status))::bigint)::text AS h
         FROM observations WHERE period <> '1999'`, // not the seeded observations of 'merge' and 'stage'
    ),
  );
  return `${r.rows[0]?.n}:${r.rows[0]?.h}`;
}

async function checkpoint(store: Store): Promise<void> {
  if (store.kind !== 'postgres') return;
  // Flush what setup (and earlier phases) wrote, so it is not paid for inside the timing.
  await store.exclusive((conn) => conn.query('CHECKPOINT')).catch(() => undefined);
}

// ---------------------------------------------------------------------------------------------
// Measuring: wall time and RSS sampled every 100 ms (peak reset per phase).

const gc: (() => void) | undefined = (() => {
  try {
    v8.setFlagsFromString('--expose_gc');
    return vm.runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
})();

class RssSampler {
  peak = 0;
  start = 0;
  private timer: NodeJS.Timeout | undefined;
  begin(): void {
    gc?.();
    this.start = process.memoryUsage.rss();
    this.peak = this.start;
    this.timer = setInterval(() => this.sample(), 100);
  }
  sample(): void {
    const rss = process.memoryUsage.rss();
    if (rss > this.peak) this.peak = rss;
  }
  /** Stops sampling; returns the peak. */
  end(): number {
    this.sample();
    if (this.timer) clearInterval(this.timer);
    return this.peak;
  }
}

interface PhaseResult {
  label: string;
  seconds: number;
  rows: number;
  peakRss: number;
  startRss: number;
  /** CPU time of this (Node) process during the phase, user + system: less skewed by other work than the wall time. */
  cpuSeconds: number;
  notes: string[];
}

async function measure(label: string, rows: number, run: (notes: string[]) => Promise<void>): Promise<PhaseResult> {
  const sampler = new RssSampler();
  const notes: string[] = [];
  sampler.begin();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let seconds: number;
  let peak: number;
  let cpu: NodeJS.CpuUsage;
  try {
    await run(notes);
  } finally {
    seconds = (performance.now() - t0) / 1000;
    cpu = process.cpuUsage(cpu0);
    peak = sampler.end();
  }
  return {
    label,
    seconds,
    rows,
    peakRss: peak,
    startRss: sampler.start,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    notes,
  };
}

// ---------------------------------------------------------------------------------------------
// Instrumented store: times the statements the import runs, to see where its time goes.

interface StatementTime {
  label: string;
  calls: number;
  ms: number;
}

class StatementLog {
  readonly byLabel = new Map<string, StatementTime>();
  fnEnd = 0;
  add(label: string, ms: number): void {
    const e = this.byLabel.get(label) ?? { label, calls: 0, ms: 0 };
    e.calls++;
    e.ms += ms;
    this.byLabel.set(label, e);
  }
}

function statementLabel(sql: string): string {
  const s = sql.replace(/\s+/g, ' ').trim();
  return s.length > 70 ? `${s.slice(0, 67)}…` : s;
}

function instrument(store: Store, log: StatementLog): Store {
  const wrapConn = (conn: SqlConn): SqlConn => ({
    async query(text, params) {
      const t = performance.now();
      try {
        return await conn.query(text, params);
      } finally {
        log.add(statementLabel(text), performance.now() - t);
      }
    },
    async exec(script) {
      const t = performance.now();
      try {
        return await conn.exec(script);
      } finally {
        log.add(statementLabel(script), performance.now() - t);
      }
    },
    async copyIn(sql, chunks) {
      const t = performance.now();
      try {
        return await conn.copyIn(sql, chunks);
      } finally {
        log.add(statementLabel(sql), performance.now() - t);
      }
    },
    copyOut: (sql) => conn.copyOut(sql),
  });
  return {
    kind: store.kind,
    db: store.db,
    location: store.location,
    exclusive: (fn) =>
      store.exclusive(async (conn) => {
        const r = await fn(wrapConn(conn));
        log.fnEnd = performance.now();
        return r;
      }),
    close: () => store.close(),
  };
}

// ---------------------------------------------------------------------------------------------
// Output

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = (b: number) => `${int(b / 1024 / 1024)} MB`;
const secs = (s: number) => `${s.toFixed(1)} s`;

function line(r: PhaseResult, extra = ''): string {
  const rate = r.rows / r.seconds;
  return (
    `${r.label.padEnd(16)} ${secs(r.seconds).padStart(8)}  ${(`${int(rate)} rows/s`).padStart(17)}   ` +
    `peak RSS ${mb(r.peakRss).padStart(8)} (from ${mb(r.startRss)}), Node CPU ${secs(r.cpuSeconds)}` +
    (extra ? `   ${extra}` : '')
  );
}

function pgliteVersion(): string {
  for (const rel of [
    '../../node_modules/@electric-sql/pglite/package.json',
    '../../packages/db/node_modules/@electric-sql/pglite/package.json',
  ]) {
    try {
      return (JSON.parse(readFileSync(fileURLToPath(new URL(rel, import.meta.url)), 'utf8')) as { version: string })
        .version;
    } catch {
      /* next */
    }
  }
  return '?';
}

// ---------------------------------------------------------------------------------------------
// The phases

async function main(): Promise<number> {
  const o = readOptions();
  const shape: Shape = { indicators: o.indicators, places: o.places, years: o.years };
  const N = o.indicators * o.places * o.years;
  const results = new Map<Phase, PhaseResult>();
  let serverVersion = '';
  let ok = true;
  let indexedRows: { ids: string; fingerprint: string } | undefined;

  const log = (s: string) => process.stdout.write(`${s}\n`);
  log(
    `Marsad import benchmark: ${int(o.indicators)} indicators × ${int(o.places)} places × ${o.years} years = ${int(N)} rows on ${o.db}${o.rules === 'none' ? '' : `, rules: ${o.rules}`}`,
  );
  log(
    `Node ${process.version}${gc ? '' : ' (no gc between phases)'}; ${os.cpus().length} cores, ` +
      `load average ${os.loadavg()[0]!.toFixed(1)} at start (other work on the machine skews the times)`,
  );

  const versionOf = async (store: Store) => {
    if (serverVersion) return;
    const r = await store.exclusive((c) => c.query<{ server_version: string }>('SHOW server_version'));
    const v = (r.rows[0]?.server_version ?? '?').split(' ')[0];
    serverVersion = store.kind === 'pglite' ? `PGlite ${pgliteVersion()}, PostgreSQL ${v}` : `PostgreSQL ${v}`;
    log(
      `database: ${serverVersion}${store.kind === 'postgres' ? ` at ${process.env.DATABASE_URL ? store.location.replace(/\/[^/]*$/, '/…') : ''}` : ' in memory, in this process'}`,
    );
  };

  const phaseStart = (what: string) => process.stdout.write(`… ${what}\n`);

  for (const phase of o.phases) {
    if (phase === 'bare') {
      const t = await freshDatabase(o.db, false);
      await versionOf(t.store);
      await t.store.exclusive((c) =>
        c.exec('CREATE TABLE bench_raw (indicator text, place text, period text, value double precision)'),
      );
      await checkpoint(t.store);
      phaseStart('bare COPY');
      const counter = { chars: 0 };
      const r = await measure('bare COPY', N, async (notes) => {
        const copied = await t.store.exclusive((c) =>
          c.copyIn(
            'COPY bench_raw (indicator, place, period, value) FROM STDIN (FORMAT csv)',
            counting(csvChunks(shape, false), counter),
          ),
        );
        if (copied !== N) throw new Error(`bare COPY copied ${copied} rows, expected ${N}`);
        notes.push(`CSV ${mb(counter.chars)}`);
      });
      results.set(phase, r);
      log(line(r, r.notes.join(', ')));
      await dropDatabase(t);
    }

    if (phase === 'indexed') {
      const t = await freshDatabase(o.db, true);
      await versionOf(t.store);
      const ids = await createCatalogue(t.store, shape);
      await checkpoint(t.store);
      phaseStart('indexed COPY');
      const r = await measure('indexed COPY', N, async () => {
        const copied = await t.store.exclusive((c) => c.copyIn(RESOLVED_COPY, resolvedChunks(shape, ids, 1)));
        if (copied !== N) throw new Error(`indexed COPY copied ${copied} rows, expected ${N}`);
      });
      results.set(phase, r);
      const bare = results.get('bare');
      log(line(r, bare ? `ratio to bare COPY ${(bare.seconds / r.seconds).toFixed(2)}×` : ''));
      indexedRows = { ids: JSON.stringify(ids), fingerprint: await fingerprint(t.store) };
      await dropDatabase(t);
    }

    if (phase === 'marsad' || phase === 'merge' || phase === 'stage') {
      const label = phase === 'marsad' ? 'Marsad import' : phase === 'merge' ? 'Marsad merge' : 'Marsad staged';
      const t = await freshDatabase(o.db, true);
      await versionOf(t.store);
      const ids = await createCatalogue(t.store, shape);
      await setRules(t.store, RULES[o.rules]);
      if (phase === 'merge') await seedOtherObservation(t.store);
      if (phase === 'stage') await seedEverySeries(t.store);
      await checkpoint(t.store);
      phaseStart(
        phase === 'marsad'
          ? 'Marsad import'
          : phase === 'merge'
            ? 'Marsad import into a table that already holds an observation of another indicator'
            : 'Marsad import into a table where every series of the file holds an observation (stage + merge)',
      );
      const statements = new StatementLog();
      const store = instrument(t.store, statements);
      let report: ImportReport | undefined;
      let stagedAt = 0;
      let t0 = 0;
      const r = await measure(label, N, async () => {
        t0 = performance.now();
        report = await importFile(store, csvChunks(shape, true), {
          format: 'csv',
          actor: 'bench',
          status: 'approved',
          rowStatusAllowed: true,
          fileName: 'bench.csv',
          onProgress: () => {
            stagedAt = performance.now();
          },
        });
      });
      const end = t0 + r.seconds * 1000;
      results.set(phase, r);
      const indexed = results.get('indexed');
      const bare = results.get('bare');
      const ratios = [
        indexed ? `ratio to indexed COPY ${(indexed.seconds / r.seconds).toFixed(2)}×` : '',
        bare ? `to bare COPY ${(bare.seconds / r.seconds).toFixed(2)}×` : '',
      ].filter(Boolean);
      log(line(r, ratios.join(', ')));
      if (report?.state !== 'committed' || report.counts.inserted !== N) {
        ok = false;
        log(
          `  CHECK FAILED: state ${report?.state}, inserted ${report?.counts.inserted} of ${N}, errors ${report?.counts.errors}`,
        );
        for (const e of report?.errors.slice(0, 5) ?? []) log(`    ${e.at} ${e.column ?? ''}: ${e.message}`);
      } else {
        log(`  state committed, inserted ${int(report.counts.inserted)} (batch ${report.batchId})`);
      }
      if (indexedRows && indexedRows.ids === JSON.stringify(ids)) {
        const same = (await fingerprint(t.store)) === indexedRows.fingerprint;
        if (!same) ok = false;
        log(
          same
            ? '  same rows as the indexed COPY (fingerprint)'
            : '  CHECK FAILED: the rows differ from those of the indexed COPY',
        );
      }
      // Where the time went (statement times; the stage COPYs overlap with reading the CSV).
      const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
      log(
        `  read + resolve + stage ${s(stagedAt - t0)}, then the rest in the transaction ${s(statements.fnEnd - stagedAt)}, commit ${s(end - statements.fnEnd)}`,
      );
      const top = [...statements.byLabel.values()].sort((a, b) => b.ms - a.ms).slice(0, 6);
      for (const st of top)
        if (st.ms >= 50) log(`    ${s(st.ms).padStart(7)}  ×${String(st.calls).padEnd(5)} ${st.label}`);
      await dropDatabase(t);
    }

    if (phase === 'parse') {
      phaseStart("Marsad's CSV reader alone (no database)");
      const r = await measure('CSV reader only', N, async () => {
        let rows = 0;
        for await (const item of readObservations('csv', csvChunks(shape, true), {})) if (item.kind === 'row') rows++;
        if (rows !== N) throw new Error(`the reader gave ${rows} rows, expected ${N}`);
      });
      results.set(phase, r);
      log(line(r));
    }
  }

  const indexed = results.get('indexed');
  const marsad = results.get('marsad');
  log('');
  log(`rows ${int(N)} on ${o.db} (${serverVersion || 'no database'}), Node ${process.version}`);
  for (const p of o.phases) {
    const r = results.get(p)!;
    const extra =
      (p === 'marsad' || p === 'merge' || p === 'stage') && indexed
        ? `ratio to indexed COPY ${(indexed.seconds / r.seconds).toFixed(2)}×`
        : p === 'indexed' && results.get('bare')
          ? `ratio to bare COPY ${(results.get('bare')!.seconds / r.seconds).toFixed(2)}×`
          : '';
    log(
      `${r.label.padEnd(16)} ${secs(r.seconds).padStart(8)}  ${(`${int(r.rows / r.seconds)} rows/s`).padStart(17)}   peak RSS ${mb(r.peakRss).padStart(8)}, Node CPU ${secs(r.cpuSeconds).padStart(7)}` +
        (extra ? `   ${extra}` : ''),
    );
  }
  if (indexed && marsad) {
    const ratio = indexed.seconds / marsad.seconds;
    log(`goal: Marsad import ≥ ${GOAL}× indexed COPY — ${ratio >= GOAL ? 'met' : 'NOT met'} (${ratio.toFixed(2)}×)`);
  }
  return ok ? 0 : 1;
}

process.once('SIGINT', (s) => void forceDropAndExit(s));
process.once('SIGTERM', (s) => void forceDropAndExit(s));
process.on('uncaughtException', (err) => {
  if (!stopping) void forceDropAndExit(`uncaught error: ${err.stack ?? err.message}`);
});

const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', '28P01', '28000', '3D000']);

let exitCode = 1;
try {
  exitCode = await main();
} catch (err) {
  if (stopping !== undefined) await stopping; // exits
  const e = err as Error & { code?: string };
  if (e.code && CONNECT_ERRORS.has(e.code)) {
    process.stderr.write(`bench:import: cannot use the database server of DATABASE_URL: ${e.message}\n`);
  } else {
    process.stderr.write(`bench:import: failed: ${e.stack ?? e.message}\n`);
  }
} finally {
  if (stopping !== undefined) await stopping;
  await dropAll();
}
process.exit(exitCode);
