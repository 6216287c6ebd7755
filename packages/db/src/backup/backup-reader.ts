import { createHash, type Hash } from 'node:crypto';

/**
 * The backup format (version 2), as text lines:
 *
 *   {"marsad":"backup","format":2,"schemaVersion":16,"createdAt":…,"source":"pglite"}   the header
 *   {"table":"settings","columns":["key","value",…]}                                  a section: its table,
 *   …rows in PostgreSQL's COPY text format, one a line…                               its rows
 *   \.                                                                                and its end
 *   … one section per table of BACKUP_TABLES (backup.ts), in that order …
 *   {"marsad":"backup-end","header":"<sha256>","sections":[{"table":…,"rows":…,"sha256":…},…]}
 *
 * The trailer, last, gives the SHA-256 of the header line and, per section, its row count and the SHA-256 of its
 * bytes from its first line to its `\.` line, newlines included. A file without its trailer is incomplete; one whose
 * counts or checksums differ is damaged. `readBackup` checks all of it as it streams, keeping nothing but the line in
 * hand, so a restore can read a file once to check it whole before it touches the database, then again to load it.
 */

export const BACKUP_FORMAT = 2;

export interface BackupHeader {
  marsad: 'backup';
  format: typeof BACKUP_FORMAT;
  schemaVersion: number;
  createdAt: string;
  source: string;
}

export interface BackupSection {
  table: string;
  rows: number;
  sha256: string;
}

export interface BackupTrailer {
  marsad: 'backup-end';
  /** SHA-256 of the header line, its newline included. */
  header: string;
  sections: BackupSection[];
}

/** A file that is not a complete, intact backup this Marsad can restore; the message says what is wrong. */
export class BackupFormatError extends Error {}

export type BackupEvent =
  | { kind: 'header'; header: BackupHeader }
  | { kind: 'section'; table: string; columns: string[] }
  /** Whole rows of the current section (COPY text, each line ending in a newline). */
  | { kind: 'rows'; data: Buffer }
  | { kind: 'section-end'; table: string; rows: number }
  /** The trailer, once every count and checksum matched. Nothing comes after it. */
  | { kind: 'end'; trailer: BackupTrailer };

/** Header, section and trailer lines are short; a longer one means this is not a backup. */
const MAX_META_LINE = 1 << 20;
const HEADER_START = Buffer.from('{"marsad":"backup"');
const NEWLINE = 0x0a;
const BACKSLASH = 0x5c;
const DOT = 0x2e;

export const sha256 = (): Hash => createHash('sha256');

function parseJson(line: Buffer): unknown {
  try {
    return JSON.parse(line.toString('utf8'));
  } catch {
    return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const SAFE_COLUMN = /^[a-z_][a-z0-9_]*$/;

/**
 * Reads a backup as events, checking everything: the header (a Marsad backup, format 2, the schema version
 * `expect.schemaVersion`), every section (the next table of `expect.tables`, a safe column list), the end of every section, the
 * trailer (present, last, every count and checksum equal to what was read). Throws BackupFormatError naming what is
 * wrong as soon as it is known; the `end` event comes only when the whole file was found intact.
 */
export async function* readBackup(
  input: AsyncIterable<string | Uint8Array>,
  expect: { schemaVersion: number; tables: readonly string[] },
): AsyncGenerator<BackupEvent> {
  const { schemaVersion, tables } = expect;
  let state: 'header' | 'between' | 'rows' | 'after' = 'header';
  // The line in hand, not yet ended by a newline (kept in parts: a row may span many chunks).
  let pending: Buffer[] = [];
  let pendingLength = 0;
  let headerHash = '';
  let hash = sha256();
  let section: { table: string; rows: number } | undefined;
  const read: BackupSection[] = [];
  let started = false;
  let trailer: BackupTrailer | undefined;

  const takeLine = (end: Buffer): Buffer => {
    const line = pendingLength ? Buffer.concat([...pending, end]) : end;
    pending = [];
    pendingLength = 0;
    return line;
  };
  const keep = (part: Buffer) => {
    pending.push(part);
    pendingLength += part.length;
  };

  const headerLine = (line: Buffer): BackupHeader => {
    const h = parseJson(line);
    if (!isObject(h) || h.marsad !== 'backup') {
      throw new BackupFormatError('This is not a Marsad backup: its first line is not a backup header.');
    }
    if (h.format === 1) {
      throw new BackupFormatError(
        `This backup is in format 1 (schema version ${String(h.schemaVersion)}), written before Marsad checked its backups whole, ` +
          `and this Marsad restores format ${BACKUP_FORMAT} only. Restore it with the Marsad version that wrote it, then make a new backup with this version.`,
      );
    }
    if (h.format !== BACKUP_FORMAT) {
      throw new BackupFormatError(
        `This backup is in format ${String(h.format)}, which this Marsad does not know (it reads format ${BACKUP_FORMAT}).`,
      );
    }
    if (typeof h.schemaVersion !== 'number') throw new BackupFormatError('The backup header has no schema version.');
    if (h.schemaVersion !== schemaVersion) {
      throw new BackupFormatError(
        `The backup has schema version ${h.schemaVersion}; this Marsad has ${schemaVersion}. Restore it with the Marsad version that made it.`,
      );
    }
    return h as unknown as BackupHeader;
  };

  const sectionLine = (line: Buffer): { table: string; columns: string[] } => {
    const s = parseJson(line);
    const expected = tables[read.length];
    if (!isObject(s) || typeof s.table !== 'string' || !Array.isArray(s.columns)) {
      throw new BackupFormatError(
        `The backup is damaged: after ${read.length ? `table ${read[read.length - 1]!.table}` : 'its header'} comes a line that starts neither a table nor the closing line.`,
      );
    }
    if (s.table !== expected) {
      throw new BackupFormatError(
        expected
          ? `The backup holds table ${s.table} where table ${expected} should come: it is damaged or not from this Marsad.`
          : `The backup holds table ${s.table} after the last table this Marsad knows.`,
      );
    }
    const columns = s.columns as unknown[];
    if (!columns.length || !columns.every((c): c is string => typeof c === 'string' && SAFE_COLUMN.test(c))) {
      throw new BackupFormatError(`The backup is damaged: the column list of table ${s.table} is not valid.`);
    }
    return { table: s.table, columns };
  };

  const trailerLine = (line: Buffer): BackupTrailer => {
    const t = parseJson(line) as BackupTrailer | undefined;
    if (!isObject(t) || !Array.isArray(t.sections) || typeof t.header !== 'string') {
      throw new BackupFormatError('The backup is damaged: its closing line (counts and checksums) is not valid.');
    }
    if (t.header !== headerHash) {
      throw new BackupFormatError('The backup is damaged: its first line (the header) does not match its checksum.');
    }
    for (const [i, s] of read.entries()) {
      const claimed = t.sections[i];
      if (!claimed || claimed.table !== s.table) {
        throw new BackupFormatError(`The backup is damaged: its closing line does not list table ${s.table}.`);
      }
      if (claimed.rows !== s.rows) {
        throw new BackupFormatError(
          `The backup is damaged: table ${s.table} holds ${s.rows} rows where its closing line says ${claimed.rows}.`,
        );
      }
      if (claimed.sha256 !== s.sha256) {
        throw new BackupFormatError(`The backup is damaged: table ${s.table} does not match its checksum.`);
      }
    }
    if (t.sections.length !== read.length || read.length !== tables.length) {
      throw new BackupFormatError(
        `The backup is incomplete: it holds ${read.length} tables where this Marsad has ${tables.length}${
          read.length < tables.length ? ` (table ${tables[read.length]} is missing)` : ''
        }.`,
      );
    }
    return t;
  };

  for await (const raw of input) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    if (chunk.length) started = true;
    let p = 0;
    while (p < chunk.length) {
      if (state === 'after') throw new BackupFormatError('The backup is damaged: something follows its closing line.');
      if (state === 'rows') {
        // Runs of whole rows go out as they are (hashed on the way); a line spanning chunks is put together first. A
        // line kept from the chunks before can only be at the start of this one.
        let runStart = p;
        let ended = false;
        for (;;) {
          const nl = chunk.indexOf(NEWLINE, p);
          if (nl < 0) break;
          if (pendingLength) {
            const line = takeLine(chunk.subarray(p, nl + 1));
            hash.update(line);
            p = nl + 1;
            runStart = p;
            if (line.length === 3 && line[0] === BACKSLASH && line[1] === DOT) {
              ended = true;
              break;
            }
            section!.rows++;
            yield { kind: 'rows', data: line };
            continue;
          }
          if (nl - p === 2 && chunk[p] === BACKSLASH && chunk[p + 1] === DOT) {
            // `\.`: the end of the section.
            if (p > runStart) {
              const run = chunk.subarray(runStart, p);
              hash.update(run);
              yield { kind: 'rows', data: run };
            }
            hash.update(chunk.subarray(p, nl + 1));
            p = nl + 1;
            ended = true;
            break;
          }
          section!.rows++;
          p = nl + 1;
        }
        if (ended) {
          read.push({ table: section!.table, rows: section!.rows, sha256: hash.digest('hex') });
          state = 'between';
          yield { kind: 'section-end', table: section!.table, rows: section!.rows };
          section = undefined;
          continue;
        }
        if (p > runStart) {
          const run = chunk.subarray(runStart, p);
          hash.update(run);
          yield { kind: 'rows', data: run };
        }
        if (p < chunk.length) keep(chunk.subarray(p));
        p = chunk.length;
        continue;
      }
      // A header, section or trailer line.
      const nl = chunk.indexOf(NEWLINE, p);
      const end = nl < 0 ? chunk.length : nl + 1;
      if (state === 'header' && pendingLength < HEADER_START.length) {
        const seen = Buffer.concat([...pending, chunk.subarray(p, end)]).subarray(0, HEADER_START.length);
        if (!HEADER_START.subarray(0, seen.length).equals(seen)) {
          throw new BackupFormatError(
            seen[0] === 0x1f && seen[1] === 0x8b
              ? 'This is a gzip-compressed file: name it FILE.gz, or decompress it first.'
              : 'This is not a Marsad backup: it does not start with a backup header.',
          );
        }
      }
      if (nl < 0) {
        keep(chunk.subarray(p));
        p = chunk.length;
        if (pendingLength > MAX_META_LINE) {
          throw new BackupFormatError(
            state === 'header'
              ? 'This is not a Marsad backup: its first line is not a backup header.'
              : 'The backup is damaged: a line where a table should start is far too long.',
          );
        }
        continue;
      }
      const line = takeLine(chunk.subarray(p, end));
      p = end;
      if (state === 'header') {
        const header = headerLine(line);
        headerHash = sha256().update(line).digest('hex');
        state = 'between';
        yield { kind: 'header', header };
      } else if (line.includes('"marsad":"backup-end"')) {
        trailer = trailerLine(line);
        state = 'after';
      } else {
        const s = sectionLine(line);
        hash = sha256().update(line);
        section = { table: s.table, rows: 0 };
        state = 'rows';
        yield { kind: 'section', ...s };
      }
    }
  }

  // The end comes once the input is over: nothing may follow the closing line.
  if (trailer) {
    yield { kind: 'end', trailer };
    return;
  }
  if (!started) throw new BackupFormatError('The file is empty: it is not a Marsad backup.');
  if (state === 'header') throw new BackupFormatError('This is not a Marsad backup: it has no header line.');
  if (state === 'rows') {
    throw new BackupFormatError(
      `The backup is cut off: it ends inside table ${section!.table}, after ${section!.rows} rows, without the rest of the file.`,
    );
  }
  const last = read[read.length - 1]?.table;
  throw new BackupFormatError(
    `The backup is cut off: it ends ${last ? `after table ${last}` : 'after its header'}${
      pendingLength ? ', in the middle of a line' : ''
    }; ${read.length < tables.length ? 'the following tables and ' : ''}its closing line with the counts and checksums are missing.`,
  );
}
