import { PGlite, type Transaction } from '@electric-sql/pglite';
import { Kysely, PGliteDialect } from 'kysely';
import type { Schema } from '../schema.ts';
import { copyFromStdinToBlob, copyToStdoutToBlob, type SqlConn, type Store } from './store.ts';

/** Rows per COPY statement: PGlite takes a COPY as one blob, so large loads go in chunks. */
const PGLITE_COPY_CHUNK_BYTES = 8 * 1024 * 1024;

function wrap(tx: Transaction | PGlite): SqlConn {
  return {
    async query<R>(text: string, params: readonly unknown[] = []) {
      const r = await tx.query<R>(text, params as unknown[]);
      return { rows: r.rows, affected: r.affectedRows ?? 0 };
    },
    async exec(script: string) {
      await tx.exec(script);
    },
    async copyIn(copySql: string, chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>) {
      const sqlText = copyFromStdinToBlob(copySql);
      let parts: (string | Uint8Array)[] = [];
      let size = 0;
      let total = 0;
      const flush = async () => {
        if (size === 0) return;
        // The byte chunks are Buffers over ordinary ArrayBuffers (never shared ones), which Blob takes.
        const r = await tx.query(sqlText, [], { blob: new Blob(parts as BlobPart[]) });
        total += r.affectedRows ?? 0;
        parts = [];
        size = 0;
      };
      for await (const chunk of chunks) {
        parts.push(chunk);
        size += chunk.length;
        if (size >= PGLITE_COPY_CHUNK_BYTES) await flush();
      }
      await flush();
      return total;
    },
    async *copyOut(copySql: string) {
      const r = await tx.query(copyToStdoutToBlob(copySql));
      if (r.blob) yield await r.blob.text();
    },
  };
}

export interface PGliteStoreOptions {
  /** Starts from this data directory (a tarball from PGlite's `dumpDataDir`) instead of an empty cluster. */
  loadDataDir?: Blob;
  /** Receives the PGlite instance once it is open (the test snapshots dump it with `dumpDataDir`). */
  onOpen?: (pglite: PGlite) => void;
}

/** Opens (and creates) an embedded database in `dataDir`, or in memory when dataDir is undefined. */
export async function openPGliteStore(dataDir?: string, options: PGliteStoreOptions = {}): Promise<Store> {
  const pglite = options.loadDataDir
    ? await PGlite.create({ ...(dataDir ? { dataDir } : {}), loadDataDir: options.loadDataDir })
    : dataDir
      ? await PGlite.create(dataDir)
      : await PGlite.create();
  options.onOpen?.(pglite);
  const db = new Kysely<Schema>({ dialect: new PGliteDialect({ pglite }) });
  return {
    kind: 'pglite',
    db,
    location: dataDir ?? 'memory',
    exclusive: (fn) => pglite.transaction((tx) => fn(wrap(tx))),
    // One process holds the embedded database: nothing is missed, so `onLost` is never called.
    listen: async (channel, onNotify) => {
      // The only writer is this process, and no onLocalWrite tells its writes first: each notification is news.
      const stop = await pglite.listen(channel, () => onNotify(false));
      return async () => {
        if (!pglite.closed) await stop();
      };
    },
    close: async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}
