/**
 * A Store that lives inside one transaction of another (a whole repository imported all or
 * nothing): its `db` runs on that transaction's connection, and its `exclusive` is a SAVEPOINT
 * of it, rolled back to when the function throws — so each file is still all or nothing, and the
 * caller commits or rolls back the whole at the end.
 */
import type { Schema, SqlConn, Store } from '@marsad/db';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
} from 'kysely';

class ConnectionDriver implements Driver {
  constructor(private readonly conn: SqlConn) {}
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    const conn = this.conn;
    return {
      async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
        const r = await conn.query<R>(q.sql, q.parameters);
        return { rows: r.rows, numAffectedRows: BigInt(r.affected) };
      },
      // biome-ignore lint/correctness/useYield: streaming is not offered inside a repository import
      async *streamQuery(): AsyncIterableIterator<QueryResult<never>> {
        throw new Error('streaming queries are not available inside a repository import');
      },
    };
  }
  async beginTransaction(): Promise<void> {
    throw new Error('a transaction inside a repository import goes through exclusive()');
  }
  async commitTransaction(): Promise<void> {}
  async rollbackTransaction(): Promise<void> {}
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}
}

export function storeInTransaction(outer: Store, conn: SqlConn): Store {
  let n = 0;
  const db = new Kysely<Schema>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new ConnectionDriver(conn),
      createIntrospector: (k) => new PostgresIntrospector(k),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
  return {
    kind: outer.kind,
    inTransaction: true,
    db,
    location: outer.location,
    async exclusive<T>(fn: (c: SqlConn) => Promise<T>): Promise<T> {
      const name = `marsad_repo_${++n}`;
      await conn.query(`SAVEPOINT ${name}`);
      try {
        const r = await fn(conn);
        await conn.query(`RELEASE SAVEPOINT ${name}`);
        return r;
      } catch (err) {
        await conn.query(`ROLLBACK TO SAVEPOINT ${name}`);
        await conn.query(`RELEASE SAVEPOINT ${name}`);
        throw err;
      }
    },
    close: async () => undefined,
  };
}
