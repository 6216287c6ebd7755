import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { sizeText } from '../http/upload-limits.ts';

/**
 * The text of a PDF file, for search, read in Node by pdfjs-dist (5.4.x: the last line that
 * runs on Node 20; version 6 needs Node 22), so users need no other program. Its legacy build
 * is the one meant for Node. No fonts are rendered: only the text content of each page.
 *
 * Bounded: at most `maxPages` pages and `maxChars` characters are read (the rest of a long
 * report is not searchable; the file itself is kept whole). pdf.js unpacks a page's compressed
 * streams whole and cannot be told to stop, so a small file can unpack to gigabytes (a stream of
 * 1 GB of spaces deflates to 1 MB). It therefore runs in a worker thread (pdf-text-worker.mjs),
 * off the server's event loop, watched: when the process's resident memory has grown by more
 * than `maxMemoryBytes` since it started, or it has taken more than `maxMilliseconds`, the
 * worker is stopped and PdfTextLimitError thrown.
 */
export interface PdfText {
  text: string;
  pages: number;
  pagesRead: number;
  truncated: boolean;
}

export interface PdfTextOptions {
  maxPages?: number;
  maxChars?: number;
  /** Growth of the process's resident memory allowed while reading (default 512 MB; MARSAD_UPLOAD_MAX_PDF_MEMORY). */
  maxMemoryBytes?: number;
  /** Time allowed (default 60 s). */
  maxMilliseconds?: number;
}

export class PdfTextLimitError extends Error {}

const require = createRequire(import.meta.url);
/** Font data for the 14 standard fonts, so that pdf.js need not guess their metrics. */
const STANDARD_FONTS = pathToFileURL(
  require.resolve('pdfjs-dist/package.json').replace(/package\.json$/, 'standard_fonts/'),
).href;
const WORKER = new URL('./pdf-text-worker.mjs', import.meta.url);
const MB = 1024 * 1024;

/** A worker that has finished a reading normally, kept for the next (unreferenced: it keeps no process alive). */
let idle: Worker | null = null;

function takeWorker(maxMemory: number): Worker {
  const kept = idle;
  idle = null;
  if (kept) {
    kept.ref();
    return kept;
  }
  return new Worker(WORKER, {
    workerData: { standardFontDataUrl: STANDARD_FONTS },
    // pdf.js's own objects; its unpacked streams are buffers outside this heap, watched below.
    resourceLimits: { maxOldGenerationSizeMb: Math.max(64, Math.ceil(maxMemory / MB)) },
  });
}

export function pdfText(bytes: Uint8Array, o: PdfTextOptions = {}): Promise<PdfText> {
  const maxMemory = o.maxMemoryBytes ?? 512 * MB;
  const maxMilliseconds = o.maxMilliseconds ?? 60_000;
  const worker = takeWorker(maxMemory);
  const started = performance.now();
  const baseline = process.memoryUsage.rss();
  return new Promise<PdfText>((resolve, reject) => {
    let settled = false;
    const onMessage = (m: PdfText | { error: string }) => ('error' in m ? finish(new Error(m.error)) : finish(null, m));
    const onError = (err: Error) =>
      finish(
        (err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new PdfTextLimitError(`reading its text needed more than ${sizeText(maxMemory)} of memory`)
          : err,
      );
    const onExit = (code: number) => finish(new Error(`the PDF reader stopped (exit ${code})`));
    const finish = (err: Error | null, result?: PdfText) => {
      if (settled) return;
      settled = true;
      clearInterval(watch);
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      if (err) {
        // Answer once the worker is gone and its memory given back, so that the next reading is measured from there.
        void worker.terminate().finally(() => reject(err));
        return;
      }
      if (idle) void worker.terminate();
      else {
        worker.unref();
        worker.once('exit', () => {
          if (idle === worker) idle = null;
        });
        idle = worker;
      }
      resolve(result!);
    };
    const watch = setInterval(() => {
      if (process.memoryUsage.rss() - baseline > maxMemory)
        finish(
          new PdfTextLimitError(
            `reading its text needed more than ${sizeText(maxMemory)} of memory (MARSAD_UPLOAD_MAX_PDF_MEMORY): its compressed streams unpack to too much`,
          ),
        );
      else if (performance.now() - started > maxMilliseconds)
        finish(new PdfTextLimitError(`reading its text took more than ${Math.round(maxMilliseconds / 1000)} s`));
    }, 20);
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    // pdf.js takes ownership of (detaches) the buffer it is given: give it a copy, moved to the worker.
    const copy = new Uint8Array(bytes);
    worker.postMessage({ bytes: copy, maxPages: o.maxPages ?? 500, maxChars: o.maxChars ?? 500_000 }, [copy.buffer]);
  });
}
