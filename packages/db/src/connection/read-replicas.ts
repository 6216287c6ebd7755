import pg from 'pg';
import { CONNECTION_OPTIONS, describeUrl, type ReadReplica, type ReadReplicas, type ReplicaEvent } from './store.ts';

/**
 * DATABASE_READ_URL: one or more postgres:// addresses of streaming replicas, separated by commas (decisions/0008).
 * A wrong entry is named by its place in the list, never echoed (it may hold a password).
 */
export function parseReadUrls(raw: string | undefined): string[] {
  const text = raw?.trim();
  if (!text) return [];
  const entries = text.split(',').map((s) => s.trim());
  entries.forEach((entry, i) => {
    const where = entries.length > 1 ? `entry ${i + 1} of DATABASE_READ_URL` : 'DATABASE_READ_URL';
    let u: URL;
    try {
      u = new URL(entry);
    } catch {
      throw new Error(`${where} is not an address: give postgres://user@host:port/database, separated by commas`);
    }
    if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:')
      throw new Error(`${where} must start with postgres:// or postgresql://, not ${u.protocol}//`);
    if (!u.hostname) throw new Error(`${where} names no host: postgres://user@host:port/database`);
  });
  return entries;
}

/** A WAL position 'X/Y' (pg_lsn as text) as a number. */
export function lsnValue(text: string): bigint {
  const m = /^([0-9A-F]{1,8})\/([0-9A-F]{1,8})$/i.exec(text.trim());
  if (!m) throw new Error(`not a WAL position: ${text}`);
  return (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`);
}

/** How long a replica that failed is left aside before it is tried again: 1 s, doubling up to 30 s. */
const DOWN_MS = { first: 1000, max: 30_000 };
/** A replica that does not answer the connection within this is taken as failed (pg's default is to wait forever). */
const CONNECT_TIMEOUT_MS = 3000;

interface Member extends ReadReplica {
  readonly url: string;
  readonly pool: pg.Pool;
  /** performance.now() until which it is left aside, and how long the next time. */
  downUntil: number;
  downMs: number;
  down: boolean;
}

export interface ReplicaSetOptions {
  /** statement_timeout of the replicas' connections, in ms (0: none), as the primary's. */
  statementTimeoutMs: number;
  /** Connections per replica (as the primary's pool). */
  max: number;
}

/**
 * The replicas of DATABASE_READ_URL, each with its own pool: taken in turn (round robin) for the reads
 * `withReplicaReads` sends there, a failed one left aside for a while (reads go to the primary meanwhile), and told
 * (`onEvent`; on the console while nobody listens). The server decides which reads may go there (decisions/0008).
 */
export class ReplicaSet implements ReadReplicas {
  private readonly members: Member[];
  private turn = 0;
  private readonly listeners = new Set<(e: ReplicaEvent) => void>();

  constructor(
    urls: readonly string[],
    private readonly primary: pg.Pool,
    options: ReplicaSetOptions,
  ) {
    this.members = urls.map((url) => {
      const pool = new pg.Pool({
        connectionString: url,
        max: options.max,
        options: CONNECTION_OPTIONS,
        connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
        ...(options.statementTimeoutMs > 0 ? { statement_timeout: options.statementTimeoutMs } : {}),
      });
      // A replica that goes away must not crash the process: its connections fail, and it is left aside.
      pool.on('error', () => undefined);
      pool.on('connect', (client) => client.on('error', () => undefined));
      return { name: describeUrl(url), url, pool, downUntil: 0, downMs: DOWN_MS.first, down: false };
    });
  }

  get count(): number {
    return this.members.length;
  }

  onEvent(fn: (e: ReplicaEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private tell(e: ReplicaEvent): void {
    if (this.listeners.size === 0) {
      console.warn(`read replica ${e.replica}: ${e.kind}${e.reason ? ` (${e.reason})` : ''}`);
      return;
    }
    for (const fn of this.listeners) fn(e);
  }

  async primaryPosition(): Promise<bigint> {
    // The insert position, not the write position: with synchronous_commit off a commit may not be written yet, and
    // the position must be at or after the end of every transaction that committed before it is read.
    const r = await this.primary.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn');
    return lsnValue(r.rows[0]?.lsn ?? '');
  }

  async pick(needed: bigint): Promise<ReadReplica | null> {
    const n = this.members.length;
    const start = this.turn++ % n;
    for (let i = 0; i < n; i++) {
      const m = this.members[(start + i) % n];
      if (!m || (m.down && performance.now() < m.downUntil)) continue;
      let replayed: bigint;
      try {
        const r = await m.pool.query<{ lsn: string | null }>('SELECT pg_last_wal_replay_lsn()::text AS lsn');
        const lsn = r.rows[0]?.lsn;
        if (!lsn) {
          // Not in recovery: a promoted replica, or a primary named by mistake. Its data is not the primary's WAL.
          this.failed(m, new Error('it is not a streaming replica (pg_last_wal_replay_lsn() is null)'));
          continue;
        }
        replayed = lsnValue(lsn);
      } catch (err) {
        this.failed(m, err);
        continue;
      }
      this.recovered(m);
      if (replayed >= needed) return m;
    }
    return null;
  }

  /** A connection to `replica`, or null when it cannot be had (it is then left aside and told). */
  async connect(replica: ReadReplica): Promise<pg.PoolClient | null> {
    const m = replica as Member;
    if (m.down && performance.now() < m.downUntil) return null;
    try {
      return await m.pool.connect();
    } catch (err) {
      this.failed(m, err);
      return null;
    }
  }

  /** The address of `replica` (to cancel a statement there). */
  urlOf(replica: ReadReplica): string {
    return (replica as Member).url;
  }

  /** `replica` failed (unreachable, stopped, not a replica): left aside for a while, doubling while it keeps failing. */
  failed(replica: ReadReplica, err: unknown): void {
    const m = replica as Member;
    const now = performance.now();
    if (m.down && now < m.downUntil) return;
    m.downMs = m.down ? Math.min(m.downMs * 2, DOWN_MS.max) : DOWN_MS.first;
    m.downUntil = now + m.downMs;
    const first = !m.down;
    m.down = true;
    if (first) this.tell({ kind: 'down', replica: m.name, reason: err instanceof Error ? err.message : String(err) });
  }

  private recovered(m: Member): void {
    if (!m.down) return;
    m.down = false;
    m.downMs = DOWN_MS.first;
    this.tell({ kind: 'up', replica: m.name });
  }

  async close(): Promise<void> {
    await Promise.all(this.members.map((m) => (m.pool.ended ? undefined : m.pool.end().catch(() => undefined))));
  }
}

/** SQLSTATEs of a statement that a replica refused but the primary runs: a write, a conflict with recovery. */
const PRIMARY_RUNS = new Set(['25006', '40001']);

/**
 * Whether a statement that failed on a replica is to be run on the primary instead: the replica refused it (a write;
 * cancelled by a conflict with WAL replay), or the connection failed (`lost`: the replica is then left aside). A
 * statement cancelled for its request or its timeout (57014), or wrong in itself, is not.
 */
export function replicaFailure(err: unknown): 'retry' | 'lost' | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
    if (PRIMARY_RUNS.has(code)) return 'retry';
    return code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' ? 'lost' : null;
  }
  // No SQLSTATE: the connection itself (ECONNRESET, "Connection terminated unexpectedly").
  return err instanceof Error ? 'lost' : null;
}
