import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  Kysely,
  type KyselyPlugin,
  type QueryResult as KyselyResult,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  PostgresDialect,
  type PostgresPool,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { Schema } from '../schema.ts';
import { ReplicaSet, replicaFailure } from './read-replicas.ts';
import {
  CONNECTION_OPTIONS,
  currentQuerySignal,
  currentReplica,
  describeUrl,
  QueryAbandonedError,
  type ReadReplica,
  type SqlConn,
  type Store,
} from './store.ts';

// Dates stay 'YYYY-MM-DD' strings and bigint counts numbers, as PGlite returns them.
pg.types.setTypeParser(pg.types.builtins.DATE, (v: string) => v);
pg.types.setTypeParser(pg.types.builtins.INT8, (v: string) => Number(v));

function wrap(client: pg.PoolClient): SqlConn {
  return {
    async query<R>(text: string, params: readonly unknown[] = []) {
      const r = await client.query(text, params as unknown[]);
      return { rows: r.rows as R[], affected: r.rowCount ?? 0 };
    },
    async exec(script: string) {
      await client.query(script);
    },
    async copyIn(copySql: string, chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>) {
      const stream = client.query(copyFrom(copySql));
      await pipeline(Readable.from(chunks), stream);
      return Number(stream.rowCount ?? 0);
    },
    async *copyOut(copySql: string) {
      const stream = client.query(copyTo(copySql));
      stream.setEncoding('utf8');
      for await (const chunk of stream) yield chunk as string;
    },
  };
}

/**
 * How long one statement outside `exclusive` may run on the server before PostgreSQL cancels it (the request gets a
 * 503 saying so: http/errors.ts): a read that a client gave up on, or that asks for too much, cannot hold a pooled
 * connection and queue the reads after it for minutes (issue 16). Transactions of `exclusive` (imports, backups,
 * restores) have none. MARSAD_STATEMENT_TIMEOUT_S sets it (0: none).
 */
export const DEFAULT_STATEMENT_TIMEOUT_S = 30;

export interface PostgresStoreOptions {
  /** Seconds; 0 for none. */
  statementTimeoutS?: number;
  /** Streaming replicas of this server for public reads (DATABASE_READ_URL; decisions/0008-read-replicas.md). */
  readUrls?: readonly string[];
}

/** Connections per pool (the primary's, and each replica's). */
const POOL_MAX = 10;

export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const timeout = options.statementTimeoutS ?? DEFAULT_STATEMENT_TIMEOUT_S;
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_MAX,
    options: CONNECTION_OPTIONS,
    ...(timeout > 0 ? { statement_timeout: Math.round(timeout * 1000) } : {}),
  });
  // A connection the server ends (restart, DROP DATABASE … WITH (FORCE)) must not crash the
  // process: the pool drops it, and a query on it fails with the server's message.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  /** The server processes (backend pids) of this pool's connections: a notification from one is this store's echo. */
  const ownBackends = new Set<number>();
  pool.on('connect', (client) => {
    const pid = (client as pg.PoolClient & { processID?: number }).processID;
    if (pid !== undefined) ownBackends.add(pid);
  });
  pool.on('remove', (client) => {
    const pid = (client as pg.PoolClient & { processID?: number }).processID;
    if (pid !== undefined) ownBackends.delete(pid);
  });
  // Fail early with the server's own message when it cannot be reached.
  const probe = await pool.connect();
  probe.release();
  // Replicas are not probed: one that is down at start is left aside and told, as later (never a failed start).
  const replicas = options.readUrls?.length
    ? new ReplicaSet(options.readUrls, pool, {
        statementTimeoutMs: timeout > 0 ? Math.round(timeout * 1000) : 0,
        max: POOL_MAX,
      })
    : null;
  const localWrites = new Set<() => void>();
  const wrote = () => {
    for (const fn of localWrites) fn();
  };
  const db = new Kysely<Schema>({
    dialect: new PostgresDialect({ pool: abandonable(pool, url, replicas) }),
    plugins: [new WriteWatch(wrote)],
  });
  return {
    kind: 'postgres',
    db,
    location: describeUrl(url),
    ...(replicas ? { replicas } : {}),
    async exclusive(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        if (timeout > 0) await client.query('SET LOCAL statement_timeout = 0');
        const result = await fn(wrap(client));
        // A transaction that wrote has an id (PostgreSQL 13 and later).
        const assigned = await client.query<{ wrote: boolean }>(
          'SELECT pg_current_xact_id_if_assigned() IS NOT NULL AS wrote',
        );
        await client.query('COMMIT');
        if (assigned.rows[0]?.wrote) wrote();
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    listen: (channel, onNotify, onLost) =>
      listenOn(url, channel, (pid) => onNotify(pid !== undefined && ownBackends.has(pid)), onLost),
    onLocalWrite(fn) {
      localWrites.add(fn);
      return () => localWrites.delete(fn);
    },
    async close() {
      await db.destroy();
      // Kysely ends the pool only once it has run a query itself: a store used through `exclusive` alone (a restore)
      // kept its idle connections, and the process waited 10 s for them to time out before it could end.
      if (!pool.ended) await pool.end();
      await replicas?.close();
    },
  };
}

/**
 * The pool as Kysely takes it, with the statements of a request that is gone (withQuerySignal) stopped: a connection
 * asked for after the signal aborted is given back at once (the statement fails with QueryAbandonedError), and a
 * statement running when it aborts is cancelled (pg_cancel_backend, from a connection of its own: the pool may be full
 * of the reads this frees). A connection so cancelled is closed rather than pooled again once its statement has ended,
 * so that a cancellation arriving late can only stop the statement it was meant for.
 * Inside `withReplicaReads` the connection is one of that replica's (onReplica), when it can be had.
 */
function abandonable(pool: pg.Pool, url: string, replicas: ReplicaSet | null): PostgresPool {
  const connect = async (): Promise<pg.PoolClient> => {
    const signal = currentQuerySignal();
    if (signal?.aborted) throw new QueryAbandonedError();
    const replica = replicas ? currentReplica() : undefined;
    const onReplica = replica && replicas ? await replicas.connect(replica) : null;
    const client = onReplica ?? (await pool.connect());
    const clientUrl = onReplica && replica && replicas ? replicas.urlOf(replica) : url;
    const restore = onReplica && replica && replicas ? primaryRunsRefused(onReplica, pool, replicas, replica) : null;
    if (restore) {
      const release = client.release.bind(client);
      client.release = (err?: Error | boolean) => {
        restore();
        release(err);
      };
    }
    if (!signal) return client;
    if (signal.aborted) {
      client.release();
      throw new QueryAbandonedError();
    }
    let cancelled: Promise<unknown> | null = null;
    const pid = (client as pg.PoolClient & { processID?: number }).processID;
    const onAbort = () => {
      if (!pid) return;
      cancelled = cancelBackend(clientUrl, pid);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const release = client.release.bind(client);
    client.release = (err?: Error | boolean) => {
      signal.removeEventListener('abort', onAbort);
      if (cancelled !== null) void cancelled.finally(() => release(true));
      else release(err);
    };
    return client;
  };
  return { connect, end: () => pool.end(), options: pool.options };
}

/**
 * Has a replica's connection run on the primary each statement the replica refuses (a write: 25006; a conflict with
 * WAL replay: 40001) or cannot run (the connection failed: the replica is left aside), outside a transaction begun
 * on it; Kysely calls `query(text, parameters)` alone. Gives the function that puts the connection back as it was.
 */
function primaryRunsRefused(
  client: pg.PoolClient,
  primary: pg.Pool,
  replicas: ReplicaSet,
  replica: ReadReplica,
): () => void {
  const own = client.query;
  const ownQuery = (text: string, values?: unknown[]) =>
    (own as (text: string, values?: unknown[]) => Promise<pg.QueryResult>).call(client, text, values);
  let inTransaction = false;
  const query = async (text: string, values?: unknown[]) => {
    if (/^\s*(begin|start\s+transaction)\b/i.test(text)) inTransaction = true;
    else if (/^\s*(commit|rollback|end)\b/i.test(text)) inTransaction = false;
    try {
      return await ownQuery(text, values);
    } catch (err) {
      const failure = replicaFailure(err);
      if (!failure || inTransaction || currentQuerySignal()?.aborted) throw err;
      if (failure === 'lost') replicas.failed(replica, err);
      return primary.query(text, values);
    }
  };
  // The query function Kysely calls, in the one form it calls it (pg's overloads are not used here).
  client.query = query as unknown as pg.PoolClient['query'];
  return () => {
    client.query = own;
  };
}

/** Cancels what the backend `pid` runs (nothing if it is idle); never throws. */
async function cancelBackend(url: string, pid: number): Promise<void> {
  const control = new pg.Client({ connectionString: url });
  control.on('error', () => undefined);
  try {
    await control.connect();
    await control.query('SELECT pg_cancel_backend($1)', [pid]);
  } catch {
    // The statement then ends by itself (or by the statement timeout).
  } finally {
    await control.end().catch(() => undefined);
  }
}

/** Waits before opening a lost listening connection again: 0.5 s, doubling up to 30 s. */
const RELISTEN_MS = { first: 500, max: 30_000 };

/**
 * LISTEN on a connection of its own (a pooled one would be handed to other queries): a lost connection is reported
 * (`onLost`) and opened again, then `onNotify` is called once, since what it missed meanwhile is not known.
 */
async function listenOn(
  url: string,
  channel: string,
  /** With the backend pid that sent the notification (none: after a loss, some may have been missed). */
  onNotify: (pid?: number) => void,
  onLost: () => void,
): Promise<() => Promise<void>> {
  let client: pg.Client | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wait = RELISTEN_MS.first;
  const open = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url });
    c.on('notification', (n) => {
      if (n.channel === channel) onNotify(n.processId);
    });
    c.on('error', () => lost(c));
    c.on('end', () => lost(c));
    await c.connect();
    await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    client = c;
    wait = RELISTEN_MS.first;
  };
  const lost = (c: pg.Client) => {
    if (client !== c || stopped) return;
    client = null;
    onLost();
    c.end().catch(() => undefined);
    const retry = () => {
      timer = undefined;
      if (stopped) return;
      open().then(
        () => onNotify(),
        () => {
          wait = Math.min(wait * 2, RELISTEN_MS.max);
          timer = setTimeout(retry, wait);
          timer.unref();
        },
      );
    };
    timer = setTimeout(retry, wait);
    timer.unref();
  };
  await open();
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    const c = client;
    client = null;
    await c?.end().catch(() => undefined);
  };
}

/** Tables no public answer reads (as migration 023_data_changes.sql): writes to them tell nothing. */
const PRIVATE_TABLES = new Set([
  'schema_migrations',
  'users',
  'user_tokens',
  'sessions',
  'api_tokens',
  'audit_log',
  'observation_drafts',
  'offline_sync_changes',
  'login_failures',
  'import_batches',
  'saved_mappings',
  'safety_assessments',
]);

/** The first table a query node names (an INSERT's, UPDATE's or DELETE's target comes first). */
function firstTable(node: unknown, depth = 0): string | undefined {
  if (!node || typeof node !== 'object' || depth > 6) return undefined;
  const n = node as { kind?: string; table?: { identifier?: { name?: string } } };
  if (n.kind === 'TableNode') return n.table?.identifier?.name;
  for (const v of Object.values(node)) {
    for (const x of Array.isArray(v) ? v : [v]) {
      const t = firstTable(x, depth + 1);
      if (t) return t;
    }
  }
  return undefined;
}

/** Tells `onWrite` after a Kysely INSERT, UPDATE or DELETE of a public table has run (outside `exclusive`). */
class WriteWatch implements KyselyPlugin {
  private readonly writes = new WeakMap<object, true>();
  constructor(private readonly onWrite: () => void) {}
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const kind = args.node.kind;
    if (kind === 'InsertQueryNode' || kind === 'UpdateQueryNode' || kind === 'DeleteQueryNode') {
      const table =
        kind === 'InsertQueryNode' ? firstTable((args.node as { into?: unknown }).into) : firstTable(args.node);
      if (!table || !PRIVATE_TABLES.has(table)) this.writes.set(args.queryId, true);
    }
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<KyselyResult<UnknownRow>> {
    if (this.writes.has(args.queryId)) this.onWrite();
    return args.result;
  }
}
