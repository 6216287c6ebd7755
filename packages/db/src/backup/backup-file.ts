import { createReadStream } from 'node:fs';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { BackupFormatError } from './backup-reader.ts';

/** The temporary name a backup is written under, in the folder of `file`, until it is complete. */
export function partialBackupName(file: string, pid = process.pid): string {
  return `${file}.partial-${pid}`;
}

async function writeAll(fh: FileHandle, data: string | Uint8Array): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  for (let done = 0; done < bytes.length; ) {
    done += (await fh.write(bytes, done, bytes.length - done)).bytesWritten;
  }
}

/**
 * Writes a backup to `file` (gzip-compressed when its name ends in .gz) without ever leaving an incomplete file
 * under that name: the backup goes to `FILE.partial-<pid>` in the same folder, is flushed to disk (fsync), and only
 * then renamed to FILE (and the folder flushed, so that the rename survives a crash). On an error the partial file is
 * removed; a process killed outright leaves it behind, never FILE. Mode 600: a backup holds password hashes, and the
 * mail password if one is stored.
 */
export async function writeBackupFile(file: string, chunks: AsyncIterable<string>): Promise<void> {
  const partial = partialBackupName(file);
  const fh = await open(partial, 'w', 0o600);
  try {
    if (file.endsWith('.gz')) {
      await pipeline(Readable.from(chunks), createGzip(), async (compressed: AsyncIterable<Buffer>) => {
        for await (const data of compressed) await writeAll(fh, data);
      });
    } else {
      // Each chunk is on disk (in the page cache) before the next is asked for.
      for await (const chunk of chunks) await writeAll(fh, chunk);
    }
    await fh.sync();
    await fh.close();
  } catch (err) {
    await fh.close().catch(() => undefined);
    await rm(partial, { force: true });
    throw err;
  }
  await rename(partial, file);
  const folder = await open(path.dirname(path.resolve(file)), 'r');
  try {
    await folder.sync();
  } catch {
    /* some file systems cannot flush a folder; the rename is done all the same */
  } finally {
    await folder.close();
  }
}

/**
 * Reads a backup file as bytes, decompressing it when it is gzip data (by its first bytes, whatever its name). A
 * compressed file cut off or damaged is reported as such (BackupFormatError).
 */
export async function* readBackupFile(file: string): AsyncGenerator<Buffer> {
  const fh = await open(file, 'r');
  let gzip: boolean;
  try {
    const { bytesRead, buffer } = await fh.read(Buffer.alloc(2), 0, 2, 0);
    gzip = bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await fh.close();
  }
  const source = createReadStream(file);
  if (!gzip) {
    try {
      yield* source;
    } finally {
      source.destroy();
    }
    return;
  }
  const gunzip = createGunzip();
  const piping = pipeline(source, gunzip).catch(() => undefined);
  try {
    yield* gunzip;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (code === 'Z_BUF_ERROR') throw new BackupFormatError('The backup is cut off: its compressed data ends early.');
    if (code.startsWith('Z_')) {
      throw new BackupFormatError(
        `The backup is damaged: its compressed data cannot be read (${(err as Error).message}).`,
      );
    }
    throw err;
  } finally {
    gunzip.destroy();
    source.destroy();
    await piping;
  }
}
