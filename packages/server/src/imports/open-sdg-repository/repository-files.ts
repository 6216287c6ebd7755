/**
 * The files of an Open SDG data repository, from a folder or from an uploaded zip.
 *
 * Only what an import reads is listed: `data/` (the CSVs), `meta/` (front matter, per-language
 * sub-folders), `translations/<lang>/*.yml`, `indicator-config/` and the boundaries a repository
 * ships (`geojsons/*.geojson`, or a `.geojson` at the root). Paths are relative to the
 * repository's root, '/'-separated. A zip may hold the repository under a top folder (as GitHub's
 * "Download ZIP" does): the root is the shortest prefix under which `data/` holds a CSV.
 *
 * A zip is read within the repository's upload limits (http/upload-limits.ts, larger than a single
 * file's), like an XLSForm workbook (reviews/xlsform/workbook-unpack.ts): at most
 * `maxRepositoryEntries` entries in its central directory, the declared sizes of the entries read
 * at most `maxRepositoryBytes` together (refused before
 * anything is imported), and while inflating, the bytes produced are counted again (yauzl also
 * checks that no entry inflates to more than it declares).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { sizeText, type UploadLimits } from '../../http/upload-limits.ts';
import { CodedError, type ReasonParams, type RepositoryReasonCode } from './repository-reason-codes.ts';

/** The folders of a repository that an import reads. */
const READ_FOLDERS = ['data', 'meta', 'translations', 'indicator-config', 'geojsons'] as const;

/** A boundaries file: GeoJSON or TopoJSON, in `geojsons/` (the UK's) or at the root (Kazakhstan's regions.geojson). */
export const isBoundaryFile = (rel: string): boolean =>
  /\.(geo|topo)json$/i.test(rel) && (!rel.includes('/') || /^geojsons\/[^/]+$/.test(rel));

export interface RepositoryFiles {
  /** For messages: the folder, or the zip's name. */
  name: string;
  /** Files under the folders read, relative to the root, sorted. */
  paths: string[];
  /** The bytes of a file, as a stream. */
  stream(p: string): AsyncIterable<Uint8Array>;
  /** The text of a (small) file. */
  text(p: string): Promise<string>;
  close(): Promise<void>;
}

/** A zip that cannot be read as a repository (400), with the code of why (repository-reason-codes.ts). */
export class NotARepositoryError extends CodedError {}

/** A zip over an upload limit (413): the message names the limit; the code and its parameters say it too. */
export class RepositoryLimitError extends CodedError {
  constructor(
    readonly limit: 'entries' | 'unpacked-bytes' | 'upload-bytes',
    message: string,
    reasonCode: RepositoryReasonCode,
    reasonParams: ReasonParams,
  ) {
    super(reasonCode, message, reasonParams);
  }
}

const fmt = (n: number) => n.toLocaleString('en');

function isRead(rel: string): boolean {
  const parts = rel.split('/');
  if (parts.some((s) => s.startsWith('.'))) return false;
  if (parts.length === 1 || parts[0] === 'geojsons') return isBoundaryFile(rel);
  return (READ_FOLDERS as readonly string[]).includes(parts[0] ?? '');
}

/** The files of a repository folder (`DIR` with `data/`, `meta/`, …). */
export async function folderRepository(dir: string): Promise<RepositoryFiles> {
  const root = path.resolve(dir);
  const paths: string[] = [];
  const walk = async (rel: string, depth: number): Promise<void> => {
    if (depth > 4) return;
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(path.join(root, rel), { withFileTypes: true });
    } catch (err) {
      if (rel === '') throw new Error(`${dir}: ${(err as Error).message}`);
      return;
    }
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory() && (rel !== '' || (READ_FOLDERS as readonly string[]).includes(e.name)))
        await walk(r, depth + 1);
      else if (e.isFile() && isRead(r)) paths.push(r);
    }
  };
  await walk('', 0);
  if (!paths.some((p) => p.startsWith('data/')))
    throw new Error(`${dir} is not an Open SDG data repository: it has no data/ folder with CSV files.`);
  paths.sort();
  const inside = (p: string) => {
    const full = path.resolve(root, p);
    if (!full.startsWith(root + path.sep)) throw new Error(`${p} is outside the repository`);
    return full;
  };
  return {
    name: path.basename(root),
    paths,
    stream: (p) => createReadStream(inside(p)),
    text: (p) => readFile(inside(p), 'utf8'),
    close: async () => undefined,
  };
}

/** Not a zip: the zip reader's words as the detail. */
function notAZip(err: unknown): NotARepositoryError {
  const detail = (err as Error).message.slice(0, 200);
  return new NotARepositoryError('not-a-zip', `This is not a zip that can be read (${detail}).`, { detail });
}

function cannotUnpack(p: string, message: string): NotARepositoryError {
  const detail = message.slice(0, 200);
  return new NotARepositoryError('entry-unreadable', `${p} cannot be unpacked (${detail}).`, { path: p, detail });
}

function entryName(entry: yauzl.Entry): string {
  const raw = entry.fileName as unknown as Buffer;
  const name = raw.toString(entry.generalPurposeBitFlag & 0x800 ? 'utf8' : 'latin1').replace(/\\/g, '/');
  return name.replace(/^\/+/, '');
}

/**
 * Writes an uploaded zip to a temporary file (yauzl reads a zip from its end), at most
 * `maxBytes`, and opens it as a repository within the limits.
 */
export async function zipRepository(
  body: AsyncIterable<Uint8Array>,
  name: string,
  limits: Pick<UploadLimits, 'maxRepositoryBytes' | 'maxRepositoryEntries'>,
): Promise<RepositoryFiles> {
  const dir = await mkdtemp(path.join(tmpdir(), 'marsad-repo-'));
  const file = path.join(dir, 'upload.zip');
  // A zip is smaller than what it holds: one larger than the unpacked limit cannot fit in it.
  const maxBytes = limits.maxRepositoryBytes + 1024 * 1024;
  let size = 0;
  try {
    await pipeline(
      (async function* () {
        for await (const chunk of body) {
          size += chunk.length;
          if (size > maxBytes)
            throw new RepositoryLimitError(
              'upload-bytes',
              `The zip is larger than ${sizeText(maxBytes)}; a repository may unpack to at most ${sizeText(limits.maxRepositoryBytes)} (MARSAD_UPLOAD_MAX_REPOSITORY_BYTES).`,
              'zip-too-large',
              { maxBytes, maxUnpackedBytes: limits.maxRepositoryBytes },
            );
          yield chunk;
        }
      })(),
      createWriteStream(file),
    );
    if (size === 0) throw new NotARepositoryError('empty-body', 'Send the repository as a zip in the request body.');
    return await openZip(file, name, limits, () => rm(dir, { recursive: true, force: true }));
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

async function openZip(
  file: string,
  name: string,
  limits: Pick<UploadLimits, 'maxRepositoryBytes' | 'maxRepositoryEntries'>,
  cleanUp: () => Promise<void>,
): Promise<RepositoryFiles> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(file, {
      lazyEntries: true,
      decodeStrings: false,
      validateEntrySizes: true,
      autoClose: false,
    });
  } catch (err) {
    throw notAZip(err);
  }
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    zip.close();
    await cleanUp();
  };
  try {
    if (zip.entryCount > limits.maxRepositoryEntries)
      throw new RepositoryLimitError(
        'entries',
        `The zip holds ${fmt(zip.entryCount)} entries; at most ${fmt(limits.maxRepositoryEntries)} are read (MARSAD_UPLOAD_MAX_REPOSITORY_ENTRIES).`,
        'too-many-entries',
        { entries: zip.entryCount, max: limits.maxRepositoryEntries },
      );
    const all: { name: string; entry: yauzl.Entry }[] = [];
    try {
      for await (const entry of zip.eachEntry()) {
        const n = entryName(entry);
        if (n === '' || n.endsWith('/')) continue;
        all.push({ name: n, entry });
      }
    } catch (err) {
      throw notAZip(err);
    }
    // The root: the shortest prefix under which data/ holds a CSV.
    let root: string | undefined;
    for (const { name: n } of all) {
      const m = /^((?:[^/]+\/){0,3}?)data\/[^/]+\.csv$/i.exec(n);
      if (m && (root === undefined || m[1]!.length < root.length)) root = m[1]!;
    }
    if (root === undefined)
      throw new NotARepositoryError(
        'no-data-folder',
        'This zip is not an Open SDG data repository: it has no data/ folder with CSV files (indicator_11-1-1.csv).',
      );
    const entries = new Map<string, yauzl.Entry>();
    let declared = 0;
    for (const { name: n, entry } of all) {
      if (!n.startsWith(root)) continue;
      const rel = n.slice(root.length);
      if (!isRead(rel) || rel.split('/').some((s) => s === '..')) continue;
      if (entries.has(rel))
        throw new NotARepositoryError('duplicate-entry', `The zip holds ${rel} twice.`, { path: rel });
      entries.set(rel, entry);
      declared += entry.uncompressedSize;
    }
    if (declared > limits.maxRepositoryBytes)
      throw new RepositoryLimitError(
        'unpacked-bytes',
        `The repository unpacks to ${sizeText(declared)}; at most ${sizeText(limits.maxRepositoryBytes)} (MARSAD_UPLOAD_MAX_REPOSITORY_BYTES) is read. Import a large repository with \`marsad import-repo DIR\`, or raise the limit.`,
        'unpacked-too-large',
        { bytes: declared, maxBytes: limits.maxRepositoryBytes },
      );
    let inflated = 0;
    const stream = async function* (p: string): AsyncGenerator<Uint8Array> {
      const entry = entries.get(p);
      if (!entry) throw new Error(`${p} is not in the zip`);
      let s: Readable;
      try {
        s = await zip.openReadStreamPromise(entry);
      } catch (err) {
        throw cannotUnpack(p, (err as Error).message);
      }
      try {
        for await (const chunk of s as AsyncIterable<Buffer>) {
          inflated += chunk.length;
          if (inflated > limits.maxRepositoryBytes)
            throw new RepositoryLimitError(
              'unpacked-bytes',
              `The repository unpacks to more than ${sizeText(limits.maxRepositoryBytes)} (MARSAD_UPLOAD_MAX_REPOSITORY_BYTES), the most that is read (${p} was being unpacked).`,
              'inflated-too-large',
              { path: p, maxBytes: limits.maxRepositoryBytes },
            );
          yield chunk;
        }
      } catch (err) {
        if (err instanceof RepositoryLimitError) throw err;
        const message = (err as Error).message;
        throw /too many bytes in the stream/.test(message)
          ? new NotARepositoryError(
              'entry-larger-than-declared',
              `The zip is damaged or made to mislead: ${p} unpacks to more than the ${fmt(entry.uncompressedSize)} bytes it declares.`,
              { path: p, bytes: entry.uncompressedSize },
            )
          : cannotUnpack(p, message);
      } finally {
        s.destroy();
      }
    };
    return {
      name,
      paths: [...entries.keys()].sort(),
      stream,
      text: async (p) => {
        const chunks: Buffer[] = [];
        for await (const c of stream(p)) chunks.push(Buffer.from(c));
        return Buffer.concat(chunks).toString('utf8');
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
