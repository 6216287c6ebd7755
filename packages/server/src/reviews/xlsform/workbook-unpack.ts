/**
 * Unpacks an uploaded .xlsx workbook (a zip) entry by entry, within limits, before anything
 * parses it (http/upload-limits.ts): at most `maxEntries` entries; their declared sizes together
 * at most `maxUnpackedBytes` (else refused before anything is inflated); and while inflating, the
 * bytes actually produced are counted (inflating stops at the limit, the rest is never
 * decompressed) and so are the `<row` elements of the worksheets (stops past `maxRows`, naming
 * the sheet). yauzl reads the zip from its central directory, as exceljs's JSZip does, and checks
 * that no entry inflates to more than it declares.
 */
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { sizeText, type UploadLimits } from '../../http/upload-limits.ts';

/**
 * Not a workbook that can be read; `inflatedBytes`: what was inflated before stopping; `code`: `xls-file` for an
 * .xls workbook of Excel 97–2003, else `not-a-workbook` (the web app says either in the user's language).
 */
export class NotAWorkbookError extends Error {
  constructor(
    message: string,
    readonly inflatedBytes = 0,
    readonly code: 'not-a-workbook' | 'xls-file' = 'not-a-workbook',
  ) {
    super(message);
  }
}

/** A workbook over a limit: the message names the limit; `inflatedBytes` is what was inflated before stopping. */
export class WorkbookLimitError extends Error {
  constructor(
    readonly limit: 'entries' | 'unpacked-bytes' | 'rows',
    message: string,
    readonly inflatedBytes: number,
  ) {
    super(message);
  }
}

export interface UnpackedWorkbook {
  /** Entries by name (no folders; a leading "/" taken off), in the zip's order. */
  entries: Map<string, Buffer>;
  inflatedBytes: number;
  rows: number;
}

/** Counts `<row` start tags (with or without a namespace prefix) in chunks of XML, across chunk boundaries. */
export class RowCounter {
  private static readonly TAG = /<(?:[A-Za-z_][\w.-]{0,30}:)?row[\s/>]/g;
  /** Longer than any match less one character, so that a match cut by a chunk boundary is found whole. */
  private static readonly KEEP = 40;
  private tail = '';
  count = 0;

  push(chunk: Buffer): number {
    // latin1 keeps one character per byte: the tag is ASCII, and no byte of a multi-byte UTF-8 character is.
    const text = this.tail + chunk.toString('latin1');
    const RE = RowCounter.TAG;
    RE.lastIndex = 0;
    for (let m = RE.exec(text); m; m = RE.exec(text)) {
      // A match that ends inside the kept tail was counted with the chunk before.
      if (m.index + m[0].length > this.tail.length) this.count++;
    }
    this.tail = text.slice(-RowCounter.KEEP);
    return this.count;
  }
}

const isWorksheet = (name: string) => /(^|\/)worksheets\//i.test(name) && !/\.rels$/i.test(name);

function entryName(entry: yauzl.Entry): string {
  const raw = entry.fileName as unknown as Buffer;
  // Bit 11: the name is UTF-8; otherwise CP437, which agrees with latin1 on the ASCII names of a workbook.
  const name = raw.toString(entry.generalPurposeBitFlag & 0x800 ? 'utf8' : 'latin1').replace(/\\/g, '/');
  return name.replace(/^\/+/, '');
}

function attributes(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of tag.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g))
    out.set(m[1]!.toLowerCase(), decodeXmlText(m[2] ?? m[3] ?? ''));
  return out;
}

export function decodeXmlText(s: string): string {
  return s.replace(/&(?:#x([0-9a-fA-F]{1,6})|#([0-9]{1,7})|(lt|gt|amp|quot|apos));/g, (all, hex, dec, named) => {
    if (named) return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[named as 'lt'];
    const code = hex ? Number.parseInt(hex, 16) : Number(dec);
    return code <= 0x10ffff ? String.fromCodePoint(code) : all;
  });
}

/** Worksheet entry → sheet name, from xl/workbook.xml and its relationships (the entry's name when they do not say). */
function sheetNames(workbookXml: string | undefined, relsXml: string | undefined): Map<string, string> {
  const targets = new Map<string, string>();
  for (const m of (relsXml ?? '').matchAll(/<(?:[\w.-]+:)?Relationship\b([^>]*)>/g)) {
    const a = attributes(m[1]!);
    const id = a.get('id');
    const target = a.get('target');
    if (!id || !target) continue;
    const parts: string[] = target.startsWith('/') ? [] : ['xl'];
    for (const p of target.replace(/^\/+/, '').split('/')) {
      if (p === '..') parts.pop();
      else if (p !== '.' && p !== '') parts.push(p);
    }
    targets.set(id, parts.join('/'));
  }
  const names = new Map<string, string>();
  for (const m of (workbookXml ?? '').matchAll(/<(?:[\w.-]+:)?sheet\b([^>]*)>/g)) {
    const a = attributes(m[1]!);
    const rid = [...a].find(([k]) => k === 'r:id' || k.endsWith(':id'))?.[1];
    const name = a.get('name');
    const target = rid ? targets.get(rid) : undefined;
    if (name && target) names.set(target.toLowerCase(), name);
  }
  return names;
}

function readAll(stream: Readable, onChunk: (chunk: Buffer) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.on('data', (chunk: Buffer) => {
      try {
        onChunk(chunk);
      } catch (err) {
        // yauzl's destroy() stops reading and inflating this entry.
        stream.destroy();
        reject(err);
      }
    });
    stream.on('error', reject);
    stream.on('end', resolve);
  });
}

const fmt = (n: number) => n.toLocaleString('en');

/** Unpacks a workbook within the limits; throws WorkbookLimitError over one, NotAWorkbookError for what is not a zip. */
export async function unpackWorkbook(
  bytes: Buffer,
  limits: Pick<UploadLimits, 'maxUnpackedBytes' | 'maxRows' | 'maxEntries'>,
): Promise<UnpackedWorkbook> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true });
  } catch (err) {
    throw new NotAWorkbookError(`This is not an .xlsx workbook (${(err as Error).message.slice(0, 200)}).`);
  }
  try {
    if (zip.entryCount > limits.maxEntries)
      throw new WorkbookLimitError(
        'entries',
        `The workbook holds ${fmt(zip.entryCount)} files; at most ${fmt(limits.maxEntries)} are read.`,
        0,
      );
    const listed: { name: string; entry: yauzl.Entry }[] = [];
    let declared = 0;
    try {
      for await (const entry of zip.eachEntry()) {
        const name = entryName(entry);
        if (name === '' || name.endsWith('/')) continue;
        declared += entry.uncompressedSize;
        listed.push({ name, entry });
      }
    } catch (err) {
      throw new NotAWorkbookError(`This is not an .xlsx workbook (${(err as Error).message.slice(0, 200)}).`);
    }
    const limitText = `${sizeText(limits.maxUnpackedBytes)} (MARSAD_UPLOAD_MAX_UNPACKED_BYTES)`;
    if (declared > limits.maxUnpackedBytes)
      throw new WorkbookLimitError(
        'unpacked-bytes',
        `The workbook unpacks to ${sizeText(declared)}; at most ${limitText} is read. A questionnaire needs far less: is it the right file?`,
        0,
      );

    // The workbook and its relationships first: they name the sheets.
    const rank = (n: string) => (n === 'xl/workbook.xml' ? 0 : n === 'xl/_rels/workbook.xml.rels' ? 1 : 2);
    const order = [...listed].sort((a, b) => rank(a.name) - rank(b.name));
    const entries = new Map<string, Buffer>();
    let inflated = 0;
    let rows = 0;
    let names: Map<string, string> | null = null;
    for (const { name, entry } of order) {
      if (rank(name) === 2 && !names)
        names = sheetNames(
          entries.get('xl/workbook.xml')?.toString(),
          entries.get('xl/_rels/workbook.xml.rels')?.toString(),
        );
      const sheet = isWorksheet(name) ? (names?.get(name.toLowerCase()) ?? name) : null;
      const counter = sheet !== null ? new RowCounter() : null;
      const rowsBefore = rows;
      const chunks: Buffer[] = [];
      let stream: Readable;
      try {
        stream = await zip.openReadStreamPromise(entry);
      } catch (err) {
        throw new NotAWorkbookError(
          `This is not an .xlsx workbook that can be read (${name}: ${(err as Error).message.slice(0, 200)}).`,
        );
      }
      try {
        await readAll(stream, (chunk) => {
          inflated += chunk.length;
          if (inflated > limits.maxUnpackedBytes)
            throw new WorkbookLimitError(
              'unpacked-bytes',
              `The workbook unpacks to more than ${limitText}, the most that is read (${name} was being unpacked). A questionnaire needs far less: is it the right file?`,
              inflated,
            );
          if (counter) {
            rows = rowsBefore + counter.push(chunk);
            if (rows > limits.maxRows)
              throw new WorkbookLimitError(
                'rows',
                `The sheet "${sheet}" takes the workbook over ${fmt(limits.maxRows)} rows, the most that is read (MARSAD_UPLOAD_MAX_ROWS). A questionnaire needs far fewer: is it the right file?`,
                inflated,
              );
          }
          chunks.push(chunk);
        });
      } catch (err) {
        if (err instanceof WorkbookLimitError) throw err;
        const message = (err as Error).message;
        // yauzl stops an entry that inflates to more than its declared size.
        if (/too many bytes in the stream/.test(message))
          throw new NotAWorkbookError(
            `This workbook is damaged or made to mislead: ${name} unpacks to more than the ${fmt(entry.uncompressedSize)} bytes it declares.`,
            inflated,
          );
        throw new NotAWorkbookError(
          `This is not an .xlsx workbook that can be read (${name}: ${message.slice(0, 200)}).`,
          inflated,
        );
      }
      entries.set(name, Buffer.concat(chunks));
    }
    // In the zip's order again, as exceljs reads them.
    const ordered = new Map<string, Buffer>();
    for (const { name } of listed) ordered.set(name, entries.get(name)!);
    return { entries: ordered, inflatedBytes: inflated, rows };
  } finally {
    zip.close();
  }
}
