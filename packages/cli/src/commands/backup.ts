import { createReadStream, createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import {
  describeUrl,
  dumpDatabase,
  migrate,
  openPostgresStore,
  restoreDatabase,
  type Store,
  tableCounts,
} from '@marsad/db';
import { appendAudit, CLI_ACTOR } from '@marsad/server';
import type { RuntimeConfig } from '../config.ts';
import { findRemote } from '../remote.ts';
import { withLocalStore } from './local-store.ts';

async function refuseWhileServed(config: RuntimeConfig, what: string): Promise<void> {
  const remote = await findRemote(config.dataDir, config.databaseUrl);
  if (remote) {
    throw new Error(
      `A Marsad server (${remote.baseUrl}) holds the embedded database in ${config.dataDir}; stop it before running "marsad ${what}".`,
    );
  }
}

const gz = (file: string) => file.endsWith('.gz');

/** `marsad backup FILE` (gzip-compressed when FILE ends in .gz). */
export async function backupCommand(config: RuntimeConfig, file: string): Promise<number> {
  await refuseWhileServed(config, 'backup');
  await withLocalStore(config, async (store) => {
    const counts = await tableCounts(store);
    const source = Readable.from(dumpDatabase(store));
    if (gz(file)) await pipeline(source, createGzip(), createWriteStream(file));
    else await pipeline(source, createWriteStream(file));
    console.log(
      `Backup written to ${file}: ${counts.observations} observations, ${counts.indicators} indicators, ${counts.places} places.`,
    );
  });
  return 0;
}

/** `marsad restore FILE`: replaces everything in the database with the backup. */
export async function restoreCommand(config: RuntimeConfig, file: string): Promise<number> {
  await refuseWhileServed(config, 'restore');
  await withLocalStore(
    config,
    async (store) => {
      await migrate(store);
      const input = gz(file) ? createReadStream(file).pipe(createGunzip()) : createReadStream(file);
      const expected = await restoreDatabase(store, input);
      await checkCounts(store, expected);
      await store.exclusive((conn) =>
        appendAudit(conn, CLI_ACTOR, {
          action: 'restore',
          entityType: 'database',
          summary: `restored from ${file}`,
          after: expected,
        }),
      );
      console.log(
        `Restored ${file}: ${expected.observations} observations, ${expected.indicators} indicators, ${expected.places} places (counts checked).`,
      );
    },
    false,
  );
  return 0;
}

async function checkCounts(store: Store, expected: Record<string, number>): Promise<void> {
  const actual = await tableCounts(store);
  const wrong = Object.entries(expected).filter(([t, n]) => actual[t] !== n);
  if (wrong.length)
    throw new Error(
      `Counts differ after the copy: ${wrong.map(([t, n]) => `${t} ${actual[t]} instead of ${n}`).join(', ')}`,
    );
}

/** `marsad copy-to postgres://…`: moves this installation to a PostgreSQL server, checked by counts. */
export async function copyToCommand(config: RuntimeConfig, url: string, force: boolean): Promise<number> {
  if (!/^postgres(ql)?:\/\//.test(url)) throw new Error('copy-to needs a postgres://… address');
  await refuseWhileServed(config, 'copy-to');
  const target = await openPostgresStore(url);
  try {
    await migrate(target);
    const existing = await tableCounts(target);
    if (!force && (existing.observations! > 0 || existing.indicators! > 0)) {
      throw new Error(
        `${describeUrl(url)} already holds Marsad data (${existing.indicators} indicators, ${existing.observations} observations); add --force to replace it.`,
      );
    }
    await withLocalStore(config, async (source) => {
      const expected = await restoreDatabase(target, dumpDatabase(source));
      await checkCounts(target, expected);
      await target.exclusive((conn) =>
        appendAudit(conn, CLI_ACTOR, {
          action: 'restore',
          entityType: 'database',
          summary: `copied from the embedded database ${config.dataDir}`,
          after: expected,
        }),
      );
      console.log(
        `Copied to ${describeUrl(url)}: ${Object.entries(expected)
          .map(([t, n]) => `${t} ${n}`)
          .join(', ')} — counts checked.`,
      );
    });
  } finally {
    await target.close();
  }
  return 0;
}
