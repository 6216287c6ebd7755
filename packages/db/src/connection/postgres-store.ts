import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { Schema } from '../schema.ts';
import { describeUrl, type SqlConn, type Store } from './store.ts';

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
    async copyIn(copySql: string, chunks: AsyncIterable<string> | Iterable<string>) {
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

export async function openPostgresStore(url: string): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // A connection the server ends (restart, DROP DATABASE … WITH (FORCE)) must not crash the
  // process: the pool drops it, and a query on it fails with the server's message.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  // Fail early with the server's own message when it cannot be reached.
  const probe = await pool.connect();
  probe.release();
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'postgres',
    db,
    location: describeUrl(url),
    async exclusive(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    async close() {
      await db.destroy();
      // Kysely ends the pool only once it has run a query itself: a store used through `exclusive` alone (a restore)
      // kept its idle connections, and the process waited 10 s for them to time out before it could end.
      if (!pool.ended) await pool.end();
    },
  };
}
