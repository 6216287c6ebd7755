import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BACKUP_TABLES,
  BackupFormatError,
  dumpDatabase,
  listMigrations,
  readBackupFile,
  restoreDatabase,
  type Store,
  sha256,
  tableCounts,
  verifyBackup,
} from '../src/index.ts';
import { createTestDatabase, type TestDatabase, testStoreKinds } from '../src/testing/test-stores.ts';

/** A few observations whose notes need COPY's escapes (newline, tab, backslash) and a character outside ASCII. */
async function addObservations(store: Store): Promise<void> {
  await sql
    .raw(
      `INSERT INTO observations (series_id, place_id, period, disagg_id, indicator_id, period_start, period_end,
            value, status, note)
          SELECT s.id, p.id, y::text, 0, s.indicator_id, make_date(y, 1, 1), make_date(y, 12, 31), s.id * 1.5 + y,
            'approved', E'line\\nnext\\ttab \\\\ back é'
          FROM (SELECT id, indicator_id FROM series ORDER BY id LIMIT 10) s,
               (SELECT id FROM places ORDER BY id LIMIT 3) p, generate_series(2015, 2020) y`,
    )
    .execute(store.db);
}

/** What must not change: every table's count and a checksum of every observation. */
async function fingerprint(store: Store): Promise<{ counts: Record<string, number>; observations: string }> {
  const r = await store.exclusive((conn) =>
    conn.query<{ md5: string }>(
      'SELECT md5(string_agg(o::text, $1 ORDER BY series_id, place_id, period, disagg_id)) AS md5 FROM observations o',
      ['|'],
    ),
  );
  return { counts: await tableCounts(store), observations: r.rows[0]!.md5 };
}

/** A backup as bytes (positions below are byte offsets: the catalogue holds Arabic, Chinese…). */
async function dumpBytes(store: Store): Promise<Buffer> {
  const chunks: string[] = [];
  for await (const chunk of dumpDatabase(store)) chunks.push(chunk);
  return Buffer.from(chunks.join(''));
}

async function* stream(text: string | Buffer, size = 4096): AsyncGenerator<Buffer> {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const problem = (text: string | Buffer, size?: number) =>
  verifyBackup(stream(text, size)).then(
    () => 'accepted',
    (err: Error) => (err instanceof BackupFormatError ? err.message : `not a format error: ${err.stack}`),
  );

/** Where the rows of a table start and end in a backup's text. */
function rowsOf(text: Buffer, table: string): { start: number; end: number } {
  const start = text.indexOf('\n', text.indexOf(`{"table":"${table}"`)) + 1;
  return { start, end: text.indexOf('\n\\.\n', start) + 1 };
}

// Checking needs no database: one backup to check, from PGlite (from the server in CI's run on the server alone).
describe('a backup is checked whole', () => {
  let t: TestDatabase;
  let good: Buffer;
  beforeAll(async () => {
    t = await createTestDatabase(testStoreKinds()[0]!, { catalogue: true });
    await addObservations(t.store);
    good = await dumpBytes(t.store);
  });
  afterAll(() => t?.drop());

  it('accepts an intact backup, ending with counts and checksums per table', async () => {
    for (const size of [4096, 1 << 20]) expect(await problem(good, size)).toBe('accepted');
    const trailer = JSON.parse(good.subarray(good.lastIndexOf('\n', good.length - 2) + 1).toString());
    expect(trailer.sections.map((s: { table: string }) => s.table)).toEqual([...BACKUP_TABLES]);
    expect(trailer.sections.find((s: { table: string }) => s.table === 'observations').rows).toBe(180);
    expect(JSON.parse(good.subarray(0, good.indexOf('\n')).toString())).toMatchObject({ marsad: 'backup', format: 2 });
  });

  it('refuses a backup cut off anywhere, saying where', async () => {
    const afterSettings = good.indexOf('\\.\n') + 3;
    expect(await problem(good.subarray(0, afterSettings))).toMatch(
      /cut off: it ends after table settings; the following tables and its closing line .* are missing/,
    );
    const obs = rowsOf(good, 'observations');
    expect(await problem(good.subarray(0, obs.start + 100))).toMatch(
      /cut off: it ends inside table observations, after 0 rows/,
    );
    expect(await problem(good.subarray(0, good.length - 20))).toMatch(
      new RegExp(`cut off: it ends after table ${BACKUP_TABLES.at(-1)}, in the middle`),
    );
    const withoutTrailer = good.subarray(0, good.lastIndexOf('\n', good.length - 2) + 1);
    expect(await problem(withoutTrailer)).toMatch(/its closing line with the counts and checksums are missing/);
    expect(await problem('')).toMatch(/empty/);
  });

  it('refuses a backup with one byte changed, naming the table or line', async () => {
    const obs = rowsOf(good, 'observations');
    const at = obs.start + Math.floor((obs.end - obs.start) / 2);
    const flip = (i: number) => {
      const b = Buffer.from(good);
      b[i] = b[i]! ^ 0x01;
      return b;
    };
    expect(await problem(flip(at))).toMatch(/damaged: table observations does not match its checksum/);
    // The header (a digit of the time), a section line, a `\.` line, the trailer.
    expect(await problem(flip(good.indexOf('"createdAt"') + 20))).toMatch(/first line \(the header\) does not match/);
    expect(await problem(flip(good.indexOf('{"table":"places"') + 3))).toMatch(/damaged/);
    expect(await problem(flip(good.indexOf('\n\\.\n', obs.start) + 2))).toMatch(/damaged/);
    expect(await problem(flip(good.length - 10))).toMatch(/damaged/);
    // A row left out, with the count in the closing line still saying 180.
    const noRow = Buffer.concat([good.subarray(0, obs.start), good.subarray(good.indexOf('\n', obs.start) + 1)]);
    expect(await problem(noRow)).toMatch(/table observations holds 179 rows where its closing line says 180/);
    expect(await problem(Buffer.concat([good, Buffer.from('x')]))).toMatch(/something follows its closing line/);
  });

  it('refuses what is not a backup of this Marsad', async () => {
    expect(await problem('indicator,place,period,value\n11.1.1,MAAGA,2020,12\n')).toMatch(/not a Marsad backup/);
    expect(await problem(gzipSync(good))).toMatch(/gzip-compressed/);
    const header = JSON.parse(good.subarray(0, good.indexOf('\n')).toString());
    const withHeader = (h: object) =>
      Buffer.concat([Buffer.from(`${JSON.stringify(h)}\n`), good.subarray(good.indexOf('\n') + 1)]);
    expect(await problem(withHeader({ ...header, format: 1, counts: {} }))).toMatch(
      /format 1 .*this Marsad restores format 2 only/,
    );
    expect(await problem(withHeader({ ...header, format: 3 }))).toMatch(/format 3, which this Marsad does not know/);
    const version = (await listMigrations()).at(-1)!.version;
    expect(await problem(withHeader({ ...header, schemaVersion: version - 1 }))).toMatch(
      new RegExp(`schema version ${version - 1}; this Marsad has ${version}`),
    );
  });

  it('reads a compressed file, and refuses one cut off or damaged', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'marsad-backup-'));
    try {
      const gz = gzipSync(good);
      const file = path.join(dir, 'b.backup.gz');
      await writeFile(file, gz);
      await expect(verifyBackup(readBackupFile(file))).resolves.toHaveProperty('trailer');
      await writeFile(file, gz.subarray(0, gz.length >> 1));
      await expect(verifyBackup(readBackupFile(file))).rejects.toThrow(/cut off: its compressed data ends early/);
      const damaged = Buffer.from(gz);
      damaged[damaged.length >> 1] = damaged[damaged.length >> 1]! ^ 0xff;
      await writeFile(file, damaged);
      await expect(verifyBackup(readBackupFile(file))).rejects.toThrow(/damaged|checksum/);
      // Plain text whatever the name.
      await writeFile(file, good);
      await expect(verifyBackup(readBackupFile(file))).resolves.toHaveProperty('header');
      expect((await readFile(file)).length).toBe(good.length);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('checks a large backup keeping no more than a line in memory', async () => {
    // 200,000 observation rows (about 25 MB), made as they are read.
    const row = `1\t2\t2020\t0\t3\t2020-01-01\t2020-12-31\t12.5\t\\N\tapproved\t\\N\t${'x'.repeat(40)}\t\\N\t1\n`;
    const chunk = row.repeat(1000);
    let grown = 0;
    async function* observations(): AsyncGenerator<string> {
      global.gc?.();
      const before = process.memoryUsage().heapUsed;
      for (let i = 0; i < 200; i++) yield chunk;
      global.gc?.();
      grown = process.memoryUsage().heapUsed - before;
    }
    await expect(verifyBackup(syntheticBackup(observations(), 200_000))).resolves.toHaveProperty('trailer');
    expect(grown).toBeLessThan(8 << 20);
  });

  it('finds rows and the end of tables wherever the chunks of the input split them', async () => {
    const text: string[] = [];
    async function* rows(): AsyncGenerator<string> {
      yield 'a\\.b\n\\\\.\n.\\\n\n';
    }
    for await (const part of syntheticBackup(rows(), 4)) text.push(part);
    const whole = Buffer.from(text.join(''));
    for (const size of [1, 2, 3, 5]) expect(await problem(whole, size), `chunks of ${size}`).toBe('accepted');
  });
});

/** A backup of this schema, each table empty but observations, whose rows (`count` of them) come from `rows`. */
async function* syntheticBackup(rows: AsyncIterable<string>, count: number): AsyncGenerator<string> {
  const version = (await listMigrations()).at(-1)!.version;
  const headerLine = `${JSON.stringify({ marsad: 'backup', format: 2, schemaVersion: version, createdAt: '', source: 'test' })}\n`;
  yield headerLine;
  const sections = [];
  for (const table of BACKUP_TABLES) {
    const line = `${JSON.stringify({ table, columns: ['a'] })}\n`;
    const hash = sha256().update(line);
    yield line;
    if (table === 'observations') {
      for await (const part of rows) {
        hash.update(part);
        yield part;
      }
    }
    hash.update('\\.\n');
    yield '\\.\n';
    sections.push({ table, rows: table === 'observations' ? count : 0, sha256: hash.digest('hex') });
  }
  yield `${JSON.stringify({ marsad: 'backup-end', header: sha256().update(headerLine).digest('hex'), sections })}\n`;
}

describe.each(testStoreKinds())('restoring on %s', (kind) => {
  let t: TestDatabase;
  let good: Buffer;
  let before: Awaited<ReturnType<typeof fingerprint>>;
  beforeAll(async () => {
    t = await createTestDatabase(kind, { catalogue: true });
    await addObservations(t.store);
    good = await dumpBytes(t.store);
    before = await fingerprint(t.store);
  });
  afterAll(() => t?.drop());

  it('gives back the same data, in one transaction with the audit entry', async () => {
    let seen: Record<string, number> = {};
    const counts = await restoreDatabase(t.store, stream(good, 1000), {
      onRestored: async (_conn, restored) => {
        seen = restored;
      },
    });
    expect(counts.observations).toBe(180);
    expect(seen).toEqual(counts);
    expect(await fingerprint(t.store)).toEqual(before);
  });

  it('rolls everything back when the stream turns out wrong after the tables were emptied', async () => {
    // Damaged in audit_log (found at the closing line, after every COPY), cut off inside observations (found during
    // its COPY): each after the TRUNCATE, as `copy-to` would meet it.
    const last = rowsOf(good, 'audit_log');
    const damaged = Buffer.from(good);
    damaged[last.start + 5] = damaged[last.start + 5]! ^ 0x01;
    await expect(restoreDatabase(t.store, stream(damaged))).rejects.toThrow(/audit_log does not match its checksum/);
    expect(await fingerprint(t.store)).toEqual(before);
    const obs = rowsOf(good, 'observations');
    await expect(restoreDatabase(t.store, stream(good.subarray(0, obs.start + 500)))).rejects.toThrow(
      /ends inside table observations/,
    );
    expect(await fingerprint(t.store)).toEqual(before);
    await expect(restoreDatabase(t.store, stream('not a backup\n'))).rejects.toThrow(/not a Marsad backup/);
    expect(await fingerprint(t.store)).toEqual(before);
  });
});
