import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { openPGliteStore } from './pglite-store.ts';
import { openPostgresStore } from './postgres-store.ts';
import type { Store } from './store.ts';

export interface StoreOptions {
  /** postgres://… — use that server; otherwise the embedded database in dataDir. */
  databaseUrl?: string;
  /** Folder of the embedded database and of the administrator token. */
  dataDir: string;
  /** On a PostgreSQL server: how long a statement outside a transaction may run (MARSAD_STATEMENT_TIMEOUT_S). */
  statementTimeoutS?: number;
  /** Streaming replicas of the server of `databaseUrl` for public reads (DATABASE_READ_URL; decisions/0008). */
  readUrls?: readonly string[];
}

/** What a running server writes next to the embedded database so no second process opens it. */
export interface LockInfo {
  pid: number;
  port?: number;
  startedAt: string;
}

export function pgliteDir(dataDir: string): string {
  return path.join(dataDir, 'pgdata');
}
function lockPath(dataDir: string): string {
  return path.join(dataDir, 'marsad.lock');
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The lock of a live process holding the embedded database, or null. Stale locks are ignored. */
export async function readLiveLock(dataDir: string): Promise<LockInfo | null> {
  const file = lockPath(dataDir);
  if (!existsSync(file)) return null;
  try {
    const info = JSON.parse(await readFile(file, 'utf8')) as LockInfo;
    if (info.pid !== process.pid && processAlive(info.pid)) return info;
  } catch {
    /* unreadable lock: treated as stale */
  }
  return null;
}

export class DatabaseInUseError extends Error {
  constructor(
    readonly lock: LockInfo,
    dataDir: string,
  ) {
    super(
      `The embedded database in ${dataDir} is held by a running Marsad server (process ${lock.pid}` +
        (lock.port ? `, http://127.0.0.1:${lock.port}` : '') +
        '). Stop it first, or run the command against that server.',
    );
  }
}

/**
 * Opens the database: the PostgreSQL server of `databaseUrl`, or the embedded PGlite database
 * in `<dataDir>/pgdata`, which is locked to this process until the store is closed.
 */
export async function openStore(options: StoreOptions): Promise<Store> {
  if (options.databaseUrl)
    return openPostgresStore(options.databaseUrl, {
      statementTimeoutS: options.statementTimeoutS,
      readUrls: options.readUrls,
    });
  if (options.readUrls?.length)
    throw new Error(
      'DATABASE_READ_URL names replicas of a PostgreSQL server: set DATABASE_URL to that server (the embedded database has none)',
    );
  await mkdir(options.dataDir, { recursive: true });
  const lock = await readLiveLock(options.dataDir);
  if (lock) throw new DatabaseInUseError(lock, options.dataDir);
  await writeFile(lockPath(options.dataDir), JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() }));
  const store = await openPGliteStore(pgliteDir(options.dataDir));
  const close = store.close;
  store.close = async () => {
    await close();
    await rm(lockPath(options.dataDir), { force: true });
  };
  return store;
}

/** Records the port of the server holding the embedded database, for CLI commands to find it. */
export async function announcePort(dataDir: string, port: number): Promise<void> {
  await writeFile(lockPath(dataDir), JSON.stringify({ pid: process.pid, port, startedAt: new Date().toISOString() }));
}
