import {
  BackupFormatError,
  describeUrl,
  dumpDatabase,
  faultPoint,
  migrate,
  openPostgresStore,
  readBackupFile,
  restoreDatabase,
  tableCounts,
  verifyBackup,
  writeBackupFile,
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

/** An error's message ending with a full stop, to be followed by another sentence. */
const sentence = (err: unknown) => (err as Error).message.replace(/\.?$/, '.');

/** `marsad backup FILE` (gzip-compressed when FILE ends in .gz), written whole or not at all (writeBackupFile). */
export async function backupCommand(config: RuntimeConfig, file: string): Promise<number> {
  await refuseWhileServed(config, 'backup');
  await withLocalStore(config, async (store) => {
    const counts: Record<string, number> = {};
    const dump = dumpDatabase(store, {
      onSection: (table, rows) => {
        counts[table] = rows;
        faultPoint(`backup-after:${table}`);
      },
    });
    await writeBackupFile(file, dump);
    console.log(
      `Backup written to ${file}: ${counts.observations} observations, ${counts.indicators} indicators, ${counts.places} places.`,
    );
  });
  return 0;
}

/**
 * `marsad restore FILE`: replaces everything in the database with the backup. The file is read twice: once to check
 * it whole (header, schema version, every table's rows and checksum, the closing line) before the database is
 * touched, then to load it in one transaction, checked again as it goes and against the tables' counts before COMMIT.
 */
export async function restoreCommand(config: RuntimeConfig, file: string): Promise<number> {
  await refuseWhileServed(config, 'restore');
  try {
    await verifyBackup(readBackupFile(file));
  } catch (err) {
    if (err instanceof BackupFormatError)
      throw new Error(`${file} was not restored: ${err.message} The database was not touched.`);
    throw err;
  }
  await withLocalStore(
    config,
    async (store) => {
      await migrate(store);
      let counts: Record<string, number>;
      try {
        counts = await restoreDatabase(store, readBackupFile(file), {
          onRestored: (conn, restored) =>
            appendAudit(conn, CLI_ACTOR, {
              action: 'restore',
              entityType: 'database',
              summary: `restored from ${file}`,
              after: restored,
            }),
        });
      } catch (err) {
        throw new Error(`${file} was not restored: ${sentence(err)} The database is as it was.`);
      }
      console.log(
        `Restored ${file}: ${counts.observations} observations, ${counts.indicators} indicators, ${counts.places} places (checksums and counts checked).`,
      );
    },
    false,
  );
  return 0;
}

/** `marsad copy-to postgres://…`: moves this installation to a PostgreSQL server, checked by counts and checksums. */
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
      // One transaction on the target, checked (every table's rows and checksum, then its counts) before COMMIT: a
      // failure leaves the target as it was.
      let expected: Record<string, number>;
      try {
        expected = await restoreDatabase(target, dumpDatabase(source), {
          onRestored: (conn, restored) =>
            appendAudit(conn, CLI_ACTOR, {
              action: 'restore',
              entityType: 'database',
              summary: `copied from the embedded database ${config.dataDir}`,
              after: restored,
            }),
        });
      } catch (err) {
        throw new Error(`Nothing was copied to ${describeUrl(url)}: ${sentence(err)} The target is as it was.`);
      }
      console.log(
        `Copied to ${describeUrl(url)}: ${Object.entries(expected)
          .map(([t, n]) => `${t} ${n}`)
          .join(', ')} — checksums and counts checked.`,
      );
    });
  } finally {
    await target.close();
  }
  return 0;
}
