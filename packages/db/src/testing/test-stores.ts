import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { loadCatalogue } from '../catalogue/load-catalogue.ts';
import { pgliteDir } from '../connection/open-store.ts';
import { openPGliteStore } from '../connection/pglite-store.ts';
import { openPostgresStore } from '../connection/postgres-store.ts';
import type { Store, StoreKind } from '../connection/store.ts';
import { migrate } from '../migrations/migrate.ts';

/** The databases the suite runs on: PGlite always, the PostgreSQL server when DATABASE_URL is set. */
export function testStoreKinds(): StoreKind[] {
  // CI's second run sets MARSAD_TEST_SERVER_ONLY=1: its first run covered PGlite already.
  if (process.env.DATABASE_URL && process.env.MARSAD_TEST_SERVER_ONLY === '1') return ['postgres'];
  return process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

export interface TestDatabase {
  kind: StoreKind;
  /** For postgres: the URL of the database created for this test file. */
  url?: string;
  store: Store;
  /** Closes the store and drops the database it created. */
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** Also the reference catalogue, as `loadCatalogue` loads it on a new database. */
  catalogue?: boolean;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

function serverUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  return url;
}

async function adminQuery(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/** A new database on the server (a copy of `template` when given) that `drop` drops. */
async function createServerDatabase(template?: string): Promise<TestDatabase> {
  const name = `marsad_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  const url = withDatabase(serverUrl(), name);
  const store = await openPostgresStore(url);
  return {
    kind: 'postgres',
    url,
    store,
    async drop() {
      await store.close();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** A fresh, empty database of the given kind: PGlite in memory, or a new database on the server. */
export async function createEmptyDatabase(kind: StoreKind): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const store = await openPGliteStore();
    return { kind, store, drop: () => store.close() };
  }
  return createServerDatabase();
}

/**
 * A fresh database with the schema applied (and the reference catalogue with `catalogue: true`).
 *
 * Applying the migrations and loading the catalogue take seconds, so they are done once: PGlite
 * databases open from a snapshot of the data directory cached in the temporary folder, server
 * databases are copies of a template database (docs/ARCHITECTURE.md, "Tests"). Both are named by a
 * hash of everything that shapes them, so a changed migration or catalogue file builds new ones.
 * MARSAD_TEST_NO_SNAPSHOTS=1 migrates and loads every database from scratch instead.
 */
export async function createTestDatabase(kind: StoreKind, options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const stage: Stage = options.catalogue ? 'catalogue' : 'migrated';
  if (process.env.MARSAD_TEST_NO_SNAPSHOTS === '1') {
    const t = await createEmptyDatabase(kind);
    await buildStage(t.store, stage);
    return t;
  }
  if (kind === 'pglite') {
    const store = await openPGliteStore(undefined, { loadDataDir: await pgliteSnapshot(stage) });
    return { kind, store, drop: () => store.close() };
  }
  return createServerDatabase(await serverTemplate(stage));
}

/**
 * What the `marsad` command of a test works on, already migrated with the catalogue (as its first
 * command would leave it): for PGlite, `<dataDir>/pgdata` written from the snapshot; for the
 * server, a copy of the template (`drop` drops it). Saves each CLI test file building one itself.
 */
export async function createTestDataDirectory(
  kind: StoreKind,
  dataDir: string,
): Promise<{ url?: string; drop(): Promise<void> }> {
  if (kind === 'postgres') {
    const t = await createTestDatabase('postgres', { catalogue: true });
    // The command opens its own connections: this one is not needed.
    return { url: t.url, drop: () => t.drop() };
  }
  if (process.env.MARSAD_TEST_NO_SNAPSHOTS !== '1') {
    await mkdir(dataDir, { recursive: true });
    const store = await openPGliteStore(pgliteDir(dataDir), { loadDataDir: await pgliteSnapshot('catalogue') });
    await store.close();
  }
  return { drop: async () => undefined };
}

/** Builds the snapshots and templates the suite uses, once before the workers start (Vitest's globalSetup). */
export async function prepareTestSnapshots(kinds: StoreKind[] = testStoreKinds()): Promise<void> {
  if (process.env.MARSAD_TEST_NO_SNAPSHOTS === '1') return;
  for (const kind of kinds) {
    if (kind === 'pglite') {
      await pruneSnapshotFiles();
      for (const stage of STAGES) if (!(await exists(await snapshotFile(stage)))) await pgliteSnapshot(stage);
    } else {
      await serverTemplate('catalogue');
    }
  }
}

// --- What a snapshot holds, and its key -------------------------------------------------------------

type Stage = 'migrated' | 'catalogue';
const STAGES: Stage[] = ['migrated', 'catalogue'];

/** The migrated database, then the reference catalogue on top of it. */
async function buildStage(store: Store, stage: Stage): Promise<void> {
  await migrate(store);
  if (stage === 'catalogue') await loadCatalogue(store);
}

/** Bump when the way snapshots are made changes. */
const SNAPSHOT_FORMAT = 1;
const DB_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The migrations, the catalogue files and the code loading them (with the core rules the catalogue uses). */
const KEY_SOURCES = [path.join(DB_ROOT, 'migrations'), path.join(DB_ROOT, 'src'), path.join(DB_ROOT, '../core/src')];

async function hashTree(hash: ReturnType<typeof createHash>, dir: string): Promise<void> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) await hashTree(hash, p);
    else if (e.isFile()) {
      hash.update(`${path.relative(DB_ROOT, p)}\0`);
      hash.update(await readFile(p));
      hash.update('\0');
    }
  }
}

function pgliteVersion(): string {
  const require = createRequire(import.meta.url);
  const main = require.resolve('@electric-sql/pglite');
  // …/node_modules/@electric-sql/pglite/dist/index.cjs
  const pkg = JSON.parse(readFileSync(path.join(path.dirname(main), '..', 'package.json'), 'utf8'));
  return String(pkg.version);
}

let keyPromise: Promise<string> | undefined;
function snapshotKey(): Promise<string> {
  keyPromise ??= (async () => {
    const hash = createHash('sha256');
    hash.update(`format ${SNAPSHOT_FORMAT}\0pglite ${pgliteVersion()}\0`);
    for (const dir of KEY_SOURCES) await hashTree(hash, dir);
    return hash.digest('hex').slice(0, 16);
  })();
  return keyPromise;
}

/** `make` once per stage in this process; a failure is not remembered, so the next call tries again. */
function onceEach<T>(make: (stage: Stage) => Promise<T>): (stage: Stage) => Promise<T> {
  const made = new Map<Stage, Promise<T>>();
  return (stage) => {
    let p = made.get(stage);
    if (!p) {
      p = make(stage);
      p.catch(() => made.delete(stage));
      made.set(stage, p);
    }
    return p;
  };
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

// --- PGlite: data directory snapshots in the temporary folder ---------------------------------------

const SNAPSHOT_DIR = path.join(os.tmpdir(), 'marsad-test-snapshots');
const HOUR = 3_600_000;

async function snapshotFile(stage: Stage): Promise<string> {
  return path.join(SNAPSHOT_DIR, `${await snapshotKey()}-${stage}.tar`);
}

const pgliteSnapshot = onceEach(readOrBuildSnapshot);

async function readOrBuildSnapshot(stage: Stage): Promise<Blob> {
  const file = await snapshotFile(stage);
  try {
    // Written by rename, so a file that is there is complete.
    return new Blob([await readFile(file)]);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  let pglite: PGlite | undefined;
  const onOpen = (p: PGlite) => {
    pglite = p;
  };
  const store =
    stage === 'migrated'
      ? await openPGliteStore(undefined, { onOpen })
      : await openPGliteStore(undefined, { onOpen, loadDataDir: await pgliteSnapshot('migrated') });
  let blob: Blob;
  try {
    if (stage === 'migrated') await migrate(store);
    else await loadCatalogue(store);
    if (!pglite) throw new Error('openPGliteStore did not report its PGlite instance');
    // Everything on disk, so that the copy starts without replaying the log.
    await pglite.exec('CHECKPOINT');
    blob = await pglite.dumpDataDir('none');
  } finally {
    await store.close();
  }
  await mkdir(SNAPSHOT_DIR, { recursive: true });
  // Parallel workers may build the same snapshot: each writes its own file and renames it into place.
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, new Uint8Array(await blob.arrayBuffer()));
  await rename(temp, file);
  return blob;
}

/** Removes snapshots of other keys (older migrations) and abandoned temporary files, after an hour. */
async function pruneSnapshotFiles(): Promise<void> {
  const key = await snapshotKey();
  let names: string[];
  try {
    names = await readdir(SNAPSHOT_DIR);
  } catch {
    return;
  }
  for (const name of names) {
    if (name.startsWith(`${key}-`) && !name.endsWith('.tmp')) continue;
    const file = path.join(SNAPSHOT_DIR, name);
    try {
      if (Date.now() - (await stat(file)).mtimeMs > HOUR) await rm(file, { force: true });
    } catch {
      // Another run removed it first.
    }
  }
}

// --- PostgreSQL: template databases -----------------------------------------------------------------

/** Any fixed number: one worker at a time builds the template databases of a server. */
const TEMPLATE_LOCK = 7_400_112;
const TEMPLATE_PREFIX = 'marsad_tpl_';

const serverTemplate = onceEach(findOrBuildTemplate);

async function templateExists(admin: pg.Client, name: string): Promise<boolean> {
  return (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
}

/**
 * The template database of a stage, built if missing. It is built under a temporary name and
 * renamed when complete, holding an advisory lock so that two workers never build it at once.
 */
async function findOrBuildTemplate(stage: Stage): Promise<string> {
  const name = `${TEMPLATE_PREFIX}${await snapshotKey()}_${stage === 'migrated' ? 'm' : 'c'}`;
  const source = stage === 'catalogue' ? await serverTemplate('migrated') : undefined;
  const admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
  try {
    if (await templateExists(admin, name)) return name;
    await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK]);
    try {
      if (await templateExists(admin, name)) return name;
      await dropStaleTemplates(admin);
      const building = `${name}_build_${randomBytes(4).toString('hex')}`;
      await admin.query(`CREATE DATABASE ${building}${source ? ` TEMPLATE ${source}` : ''}`);
      try {
        const store = await openPostgresStore(withDatabase(serverUrl(), building));
        try {
          if (stage === 'migrated') await migrate(store);
          else await loadCatalogue(store);
        } finally {
          await store.close();
        }
        // A copy needs a template nobody is connected to: the store's pool may keep a connection
        // open after close (Kysely ends the pool only when it ran a query itself).
        await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [building]);
        await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
      } catch (e) {
        await admin.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
        throw e;
      }
      await admin.query(
        `COMMENT ON DATABASE ${name} IS 'Marsad test template (packages/db/src/testing/test-stores.ts), built ${new Date().toISOString()}'`,
      );
      return name;
    } finally {
      await admin.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK]);
    }
  } finally {
    await admin.end();
  }
}

/**
 * Under the lock: drops half-built templates (their builder died) and the templates of other keys
 * built more than a day ago (older migrations; a run still using one would have finished by then).
 */
async function dropStaleTemplates(admin: pg.Client): Promise<void> {
  const key = await snapshotKey();
  const r = await admin.query<{ datname: string; comment: string | null }>(
    `SELECT datname, shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname LIKE $1`,
    [`${TEMPLATE_PREFIX}%`],
  );
  for (const { datname, comment } of r.rows) {
    const built = Date.parse(/built (\S+)$/.exec(comment ?? '')?.[1] ?? '');
    const stale =
      datname.includes('_build_') ||
      (!datname.startsWith(`${TEMPLATE_PREFIX}${key}_`) && Date.now() - built > 24 * HOUR);
    if (!stale) continue;
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${datname}`);
    } catch {
      // In use: left for a later run.
    }
  }
}
