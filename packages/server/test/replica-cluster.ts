import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** PostgreSQL's programs (Debian's postgresql-15); MARSAD_PG_BIN names another folder. */
export const PG_BIN = process.env.MARSAD_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const RUNUSER = '/usr/sbin/runuser';
const asRoot = process.getuid?.() === 0;

/** What is missing to make the clusters here (empty: nothing). */
export function missingReplicaTools(): string[] {
  const tools = ['initdb', 'pg_ctl', 'pg_basebackup'].map((t) => path.join(PG_BIN, t));
  if (asRoot) tools.push(RUNUSER);
  return tools.filter((t) => !existsSync(t));
}

/** A free TCP port on 127.0.0.1 (the system's choice, given back at once). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

/** Runs one of PostgreSQL's programs as the postgres user (initdb refuses root). */
async function pg(tool: string, args: string[]): Promise<void> {
  const program = path.join(PG_BIN, tool);
  try {
    if (asRoot) await run(RUNUSER, ['-u', 'postgres', '--', program, ...args]);
    else await run(program, args);
  } catch (err) {
    const e = err as Error & { stderr?: string };
    throw new Error(`${tool} ${args.join(' ')} failed: ${e.stderr || e.message}`);
  }
}

export interface ReplicaCluster {
  primaryUrl: string;
  replicaUrl: string;
  /** Stops the replica (a replica that goes away). */
  stopReplica(): Promise<void>;
  /** Stops both servers and removes their folders; safe to call twice. */
  close(): Promise<void>;
}

/**
 * A primary and a streaming replica of its own, in a temporary folder, on free ports of 127.0.0.1 (never the CI
 * server's 5432, whose configuration refuses replication): initdb with wal_level=replica and trust on 127.0.0.1, then
 * pg_basebackup -R. Made for speed (fsync off, small buffers); nothing here is kept.
 */
export async function startReplicaCluster(): Promise<ReplicaCluster> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'marsad-replicas-'));
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const primary = path.join(dir, 'primary');
  const replica = path.join(dir, 'replica');
  const started: string[] = [];
  const stop = async (data: string) => {
    if (!started.includes(data)) return;
    started.splice(started.indexOf(data), 1);
    await pg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
  };
  const close = async () => {
    await stop(replica);
    await stop(primary);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const [primaryPort, replicaPort] = [await freePort(), await freePort()];
    await pg('initdb', ['-D', primary, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
    await appendFile(
      path.join(primary, 'postgresql.conf'),
      [
        '',
        `port = ${primaryPort}`,
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${dir}'`,
        'wal_level = replica',
        'max_wal_senders = 4',
        'hot_standby = on',
        'max_connections = 40',
        'shared_buffers = 16MB',
        'fsync = off',
        'full_page_writes = off',
        '',
      ].join('\n'),
    );
    await appendFile(
      path.join(primary, 'pg_hba.conf'),
      '\nhost replication postgres 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 trust\n',
    );
    await pg('pg_ctl', ['-D', primary, '-l', path.join(dir, 'primary.log'), '-w', 'start']);
    started.push(primary);
    await pg('pg_basebackup', [
      '-h',
      '127.0.0.1',
      '-p',
      String(primaryPort),
      '-U',
      'postgres',
      '-D',
      replica,
      '-R',
      '-X',
      'stream',
      '-c',
      'fast',
      '--no-sync',
    ]);
    // The copied configuration names the primary's port: the last line wins.
    await appendFile(path.join(replica, 'postgresql.conf'), `\nport = ${replicaPort}\n`);
    await pg('pg_ctl', ['-D', replica, '-l', path.join(dir, 'replica.log'), '-w', 'start']);
    started.push(replica);
    return {
      primaryUrl: `postgres://postgres@127.0.0.1:${primaryPort}/postgres`,
      replicaUrl: `postgres://postgres@127.0.0.1:${replicaPort}/postgres`,
      stopReplica: () => stop(replica),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
