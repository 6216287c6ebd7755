/**
 * The files of a published site (`marsad publish DIR`, docs/decisions/0009-static-publish.md) and its manifest,
 * `DIR/.marsad-publish.json`: every file the last publish wrote, by its path under DIR, with its SHA-256. The next
 * publish rewrites a file only when its bytes changed, and deletes the files of the manifest no longer published;
 * a file the manifest does not name (the site owner's own) is never touched.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const MANIFEST = '.marsad-publish.json';

export interface Manifest {
  format: 1;
  /** Path under DIR (with `/`) → SHA-256 of its bytes, hexadecimal. */
  files: Record<string, string>;
}

export const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

/** The manifest of DIR, null when DIR has none; a manifest that cannot be read is an error naming it. */
export async function readManifest(dir: string): Promise<Manifest | null> {
  let text: string;
  try {
    text = await readFile(path.join(dir, MANIFEST), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    const m = JSON.parse(text) as Manifest;
    if (m.format === 1 && m.files && typeof m.files === 'object') return m;
  } catch {
    /* said below */
  }
  throw new Error(`${path.join(dir, MANIFEST)} is not a publish manifest; remove it (or publish to another folder).`);
}

/** Writes a file whole or not at all: a temporary file beside it, then renamed over it. */
export async function writeAtomic(file: string, bytes: Uint8Array | string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.partial-${process.pid}`;
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** What one publish did to DIR. */
export interface PublishCounts {
  written: number;
  unchanged: number;
  deleted: number;
  bytes: number;
}

/**
 * Writes the site into DIR as files whose bytes differ from the last publish's (or are missing), records them in
 * the manifest and deletes the files of the last manifest that are no longer published (and the folders that
 * leaves empty). The manifest is written last: a publish that stops half-way leaves the old one, which the next
 * publish corrects.
 */
export class SiteWriter {
  private readonly files: Record<string, string> = {};
  readonly counts: PublishCounts = { written: 0, unchanged: 0, deleted: 0, bytes: 0 };
  /** The paths written by this publish (for a caller that lists them). */
  readonly written: string[] = [];

  constructor(
    private readonly dir: string,
    private readonly previous: Manifest | null,
  ) {}

  has(rel: string): boolean {
    return rel in this.files;
  }

  /**
   * Publishes `bytes` at `rel`. `volatile`: parts of the bytes that change each time they are made without saying
   * anything new (an SDMX-JSON message's time of preparation), left out of the hash, so the file is not rewritten
   * for them alone.
   */
  async put(rel: string, bytes: Uint8Array | string, volatile?: RegExp): Promise<void> {
    if (rel in this.files) throw new Error(`published twice: ${rel}`);
    const hash = volatile
      ? sha256((typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8')).replace(volatile, ''))
      : sha256(bytes);
    this.files[rel] = hash;
    const size = typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.length;
    this.counts.bytes += size;
    const file = path.join(this.dir, ...rel.split('/'));
    if (this.previous?.files[rel] === hash) {
      const s = await stat(file).catch(() => null);
      if (s?.isFile() && (volatile || s.size === size)) {
        this.counts.unchanged++;
        return;
      }
    }
    await writeAtomic(file, bytes);
    this.counts.written++;
    this.written.push(rel);
  }

  /** Deletes what the last publish wrote and this one did not, then writes the manifest. */
  async finish(): Promise<void> {
    for (const rel of Object.keys(this.previous?.files ?? {})) {
      if (rel in this.files) continue;
      const file = path.join(this.dir, ...rel.split('/'));
      await rm(file, { force: true });
      this.counts.deleted++;
      // The folders it leaves empty go too, up to DIR (a folder with the owner's files stays).
      for (let d = path.dirname(file); d.startsWith(this.dir + path.sep); d = path.dirname(d)) {
        if ((await readdir(d).catch(() => ['?'])).length > 0) break;
        await rmdir(d).catch(() => undefined);
      }
    }
    const manifest: Manifest = { format: 1, files: this.files };
    await writeAtomic(path.join(this.dir, MANIFEST), `${JSON.stringify(manifest, null, 0)}\n`);
  }
}
