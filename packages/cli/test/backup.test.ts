import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { dumpDatabase, openStore, partialBackupName, type Store, tableCounts, writeBackupFile } from '@marsad/db';
import { createTestDataDirectory, testStoreKinds } from '@marsad/db/testing';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { marsad, startMarsad } from './run-marsad.ts';

/**
 * Faults (issue 13): a backup or a server killed (SIGKILL) in the middle of its work, a backup cut off or damaged.
 * Whatever happens, the database stays as it was, and the next start is clean. Each process is killed at a moment it
 * shows itself to be in (a line it writes, an import batch it records), never after a guessed time.
 */
describe.each(testStoreKinds())('faults on %s', (kind) => {
  let dir: string;
  let dataDir: string;
  let db: { url?: string; drop(): Promise<void> } | undefined;
  let env: Record<string, string | undefined>;
  let before: Fingerprint;

  /** Every table's count and a checksum of every observation, read with the command's database closed. */
  type Fingerprint = { counts: Record<string, number>; observations: string };
  async function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
    const store = await openStore({ dataDir, databaseUrl: db?.url });
    try {
      return await fn(store);
    } finally {
      await store.close();
    }
  }
  async function fingerprintOf(store: Store): Promise<Fingerprint> {
    const r = await sql<{ md5: string }>`
      SELECT md5(string_agg(o::text, '|' ORDER BY series_id, place_id, period, disagg_id)) AS md5
      FROM observations o`.execute(store.db);
    return { counts: await tableCounts(store), observations: r.rows[0]!.md5 };
  }
  const fingerprint = () => withStore(fingerprintOf);

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'marsad-faults-'));
    dataDir = path.join(dir, 'data');
    db = await createTestDataDirectory(kind, dataDir);
    env = { MARSAD_DATA_DIR: dataDir, DATABASE_URL: db.url };
    // A few observations, with notes that need COPY's escapes and a character outside ASCII; a good backup of it all.
    before = await withStore(async (store) => {
      await sql`INSERT INTO observations (series_id, place_id, period, disagg_id, indicator_id, period_start,
            period_end, value, status, note)
          SELECT s.id, p.id, y::text, 0, s.indicator_id, make_date(y, 1, 1), make_date(y, 12, 31), s.id * 1.5 + y,
            'approved', E'line\\nnext\\ttab \\\\ back é'
          FROM (SELECT id, indicator_id FROM series ORDER BY id LIMIT 10) s,
               (SELECT id FROM places ORDER BY id LIMIT 3) p, generate_series(2015, 2020) y`.execute(store.db);
      await writeBackupFile(path.join(dir, 'good.backup'), dumpDatabase(store));
      return fingerprintOf(store);
    });
    expect(before.counts.observations).toBe(180);
  });
  afterAll(async () => {
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('a backup killed midway leaves no file under its name; it and damaged ones are refused, nothing changed', async () => {
    const file = path.join(dir, 'killed.backup');
    const backup = startMarsad(['backup', file], { ...env, MARSAD_FAULT_STOP: 'backup-after:observations' });
    await backup.waitFor(/stopped at backup-after:observations/);
    backup.child.kill('SIGKILL');
    expect((await backup.ended).signal).toBe('SIGKILL');
    expect(existsSync(file)).toBe(false);
    const partial = partialBackupName(file, backup.child.pid);
    expect(existsSync(partial)).toBe(true);
    // Like the file of the issue, it ends cleanly after one table.
    const cut = await marsad(['restore', partial], env);
    expect(cut.code).toBe(1);
    expect(cut.stderr).toMatch(
      /was not restored: The backup is cut off: it ends after table observations; the following tables and its closing line with the counts and checksums are missing\. The database was not touched\./,
    );

    const bytes = await readFile(path.join(dir, 'good.backup'));
    // 'line' → 'Line' in the note of an observation.
    bytes[bytes.indexOf('line', bytes.indexOf('{"table":"observations"'))] = 'L'.charCodeAt(0);
    await writeFile(path.join(dir, 'damaged.backup'), bytes);
    const damaged = await marsad(['restore', path.join(dir, 'damaged.backup')], env);
    expect(damaged.code).toBe(1);
    expect(damaged.stderr).toMatch(/table observations does not match its checksum\. The database was not touched\./);
    expect(await fingerprint()).toEqual(before);
  });

  it('a good backup restores the same data', async () => {
    const ok = await marsad(['restore', path.join(dir, 'good.backup')], env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/180 observations, .* \(checksums and counts checked\)/);
    const after = await fingerprint();
    // The restore is in the audit log: one more entry.
    expect(after).toEqual({ ...before, counts: { ...before.counts, audit_log: before.counts.audit_log! + 1 } });
    before = after;
  });

  it('a server killed during an import: the restart records it as failed, interrupted, and nothing else changed', async () => {
    // Stopped once the import's rows are written in its transaction, before COMMIT (PGlite runs nothing else while
    // an import holds the database, so the API could not be asked).
    const server = startMarsad(['serve'], { ...env, PORT: '0', MARSAD_FAULT_STOP: 'import-written' });
    const base = (await server.waitFor(/Marsad is running at (http:\/\/\S+?)\/?\n/))[1]!;
    const headers = { authorization: `Bearer ${(await readFile(path.join(dataDir, 'admin-token'), 'utf8')).trim()}` };
    const upload = fetch(`${base}/api/v1/imports?format=csv`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/octet-stream' },
      body: 'indicator,place,period,value\n11.1.1,MAAGA,2020,12\n11.1.1,MAAGA,2021,13\n',
    }).catch(() => 'no answer');
    await server.waitFor(/stopped at import-written/);
    server.child.kill('SIGKILL');
    expect((await server.ended).signal).toBe('SIGKILL');
    expect(await upload).toBe('no answer');
    if (kind === 'postgres') {
      // PostgreSQL ends the sessions of the killed process (rolling its transaction back) as it notices them gone.
      await expect.poll(() => otherSessions(db!.url!), { timeout: 30_000 }).toBe(0);
    }

    const again = startMarsad(['serve'], { ...env, PORT: '0' });
    const base2 = (await again.waitFor(/Marsad is running at (http:\/\/\S+?)\/?\n/))[1]!;
    const marked = /Import batches interrupted by the end of their process, now marked failed: (\d+)\n/.exec(
      again.output().stdout,
    );
    expect(marked, again.output().stdout).not.toBeNull();
    const record = await (await fetch(`${base2}/api/v1/imports/${marked![1]}`, { headers })).json();
    expect(record).toMatchObject({ state: 'failed', failure_reason: 'interrupted', finished_at: null });
    again.child.kill('SIGTERM');
    expect((await again.ended).code).toBe(0);

    // The record of the import is the one change.
    const import_batches = before.counts.import_batches! + 1;
    expect(await fingerprint()).toEqual({ ...before, counts: { ...before.counts, import_batches } });
  });
});

/** Sessions on the test database other than this one's. */
async function otherSessions(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const r = await client.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    return r.rows[0]!.n;
  } finally {
    await client.end();
  }
}
