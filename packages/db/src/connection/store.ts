import { AsyncLocalStorage } from 'node:async_hooks';
import type { Kysely } from 'kysely';
import type { Schema } from '../schema.ts';

export type StoreKind = 'pglite' | 'postgres';

export interface QueryResult<R> {
  rows: R[];
  affected: number;
}

/** One database session. Inside `Store.exclusive` it is a transaction on one connection. */
export interface SqlConn {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /** Runs a script of several statements (no parameters). */
  exec(script: string): Promise<void>;
  /** `COPY … FROM STDIN` fed from text chunks in the COPY text or CSV format of `copySql`. Returns rows copied. */
  /** COPY … FROM STDIN of the chunks: text, or its UTF-8 bytes. */
  copyIn(copySql: string, chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>): Promise<number>;
  /** `COPY … TO STDOUT`, yielding text chunks. */
  copyOut(copySql: string): AsyncIterable<string>;
}

/**
 * The database Marsad runs on: PGlite embedded in the process, or a PostgreSQL server.
 * `db` is Kysely for typed queries; `exclusive` runs a function in one transaction on one
 * connection, which bulk loads, backups and restores need for COPY.
 */
export interface Store {
  kind: StoreKind;
  db: Kysely<Schema>;
  /** Where it lives, for messages: a folder, 'memory' or a server address without password. */
  location: string;
  exclusive<T>(fn: (conn: SqlConn) => Promise<T>): Promise<T>;
  /**
   * Calls `onNotify` for the notifications on `channel` (NOTIFY: delivered once the transaction that sent them
   * commits), and `onLost` when some may have been missed (the connection listening was lost; it is opened again,
   * and `onNotify` follows once it listens). Resolves once it listens; the function it gives stops listening.
   * `own` is true for the notification of a write made through this store's own connections (on a PostgreSQL server:
   * the echo of a write `onLocalWrite` has usually told already), false for another process's or when unknown.
   * Absent on stores that cannot listen (a store inside a transaction).
   */
  listen?(channel: string, onNotify: (own: boolean) => void, onLost: () => void): Promise<() => Promise<void>>;
  /**
   * Calls `fn` as soon as this process has written public data through this store (a transaction of `exclusive` that
   * wrote, committed; a write statement of `db` to a table other than the private ones), before the notification of
   * the write comes back: on a PostgreSQL server that comes a moment later on another connection, and a read by this
   * process just after its own write must not get the answer from before it. Returns the function that stops it.
   * Absent where notifications arrive before the writing query returns (PGlite).
   */
  onLocalWrite?(fn: () => void): () => void;
  /**
   * The streaming replicas of DATABASE_READ_URL (PostgreSQL only), which the statements of `db` started inside
   * `withReplicaReads` read from (decisions/0008-read-replicas.md). Absent without replicas.
   */
  replicas?: ReadReplicas;
  /** A store inside another's transaction (a repository imported all or nothing): no VACUUM, no LISTEN. */
  inTransaction?: boolean;
  close(): Promise<void>;
}

/** Turns `COPY t (a,b) FROM STDIN …` into the PGlite form reading a blob. */
export function copyFromStdinToBlob(copySql: string): string {
  return copySql.replace(/FROM\s+STDIN/i, "FROM '/dev/blob'");
}

export function copyToStdoutToBlob(copySql: string): string {
  return copySql.replace(/TO\s+STDOUT/i, "TO '/dev/blob'");
}

/** Redacts the password of a connection string. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres server';
  }
}

const querySignal = new AsyncLocalStorage<AbortSignal>();

/**
 * Runs `fn` with the statements of `db` it starts (outside `exclusive`) tied to `signal`: once it aborts (the HTTP
 * request that asked for them is gone), a statement running on a PostgreSQL server is cancelled and one not yet started
 * is not run, so abandoned reads do not hold pooled connections and queue the reads after them. PGlite runs them.
 */
export function withQuerySignal<T>(signal: AbortSignal, fn: () => T): T {
  return querySignal.run(signal, fn);
}

/**
 * Runs `fn` free of the current request's signal: work one request starts that others wait for too (an index built
 * once for all) must not be cancelled because that one request's client left.
 */
export function withoutQuerySignal<T>(fn: () => T): T {
  return querySignal.exit(fn);
}

/** The signal of `withQuerySignal` the current code runs under, if any. */
export function currentQuerySignal(): AbortSignal | undefined {
  return querySignal.getStore();
}

/** The error of a statement not run or cancelled because its request was gone (SQLSTATE 57014, query_canceled). */
export class QueryAbandonedError extends Error {
  readonly code = '57014';
  constructor() {
    super('the statement was cancelled: the request that asked for it is gone');
    this.name = 'QueryAbandonedError';
  }
}

/** One replica of DATABASE_READ_URL, as `ReadReplicas.pick` gives it. */
export interface ReadReplica {
  /** Its address without password, for the logs. */
  readonly name: string;
}

/** A replica failed and is left aside (reads go to the primary), or answers again. */
export interface ReplicaEvent {
  kind: 'down' | 'up';
  replica: string;
  reason?: string;
}

/**
 * Streaming replicas of the primary (PostgreSQL's own replication). Which reads may go to them is the caller's
 * decision (the server: anonymous public reads, when a replica has replayed what they must show).
 */
export interface ReadReplicas {
  readonly count: number;
  /**
   * The primary's WAL position read now (pg_current_wal_insert_lsn): every transaction that committed before the call
   * ends at or before it.
   */
  primaryPosition(): Promise<bigint>;
  /**
   * The next replica in turn that answers and has replayed the primary's WAL up to `needed` (its
   * pg_last_wal_replay_lsn() read now, so data read there afterwards holds every transaction before that position);
   * null when none has (they lag, or fail: a failed one is left aside for a while and told).
   */
  pick(needed: bigint): Promise<ReadReplica | null>;
  /** Calls `fn` when a replica fails or answers again (on the console while nobody listens). */
  onEvent(fn: (e: ReplicaEvent) => void): () => void;
}

const replicaReads = new AsyncLocalStorage<ReadReplica>();

/**
 * Runs `fn` with the statements of `db` it starts (outside `exclusive`) read on `replica`. A statement the replica
 * refuses (a write, a conflict with replay) or cannot run (it failed) runs on the primary instead, except inside a
 * transaction begun there (read only: its error is the caller's); `exclusive` always runs on the primary.
 */
export function withReplicaReads<T>(replica: ReadReplica, fn: () => T): T {
  return replicaReads.run(replica, fn);
}

/** The replica of `withReplicaReads` the current code reads from, if any. */
export function currentReplica(): ReadReplica | undefined {
  return replicaReads.getStore();
}

/**
 * Set on every connection: no JIT compilation. Marsad's queries are short index reads; at 25 million observations
 * PostgreSQL chose to compile some of them, which took 1.4 s of a 9.6 s query and saved nothing (issue 17).
 */
export const CONNECTION_OPTIONS = '-c jit=off';
