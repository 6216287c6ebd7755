/**
 * Turning the bytes of an uploaded file into text, chunk by chunk, without holding the file.
 */

/** The input is not what a reader can read at all (not UTF-8, not JSON, ...). */
export class InputFormatError extends Error {
  constructor(
    message: string,
    /** Where the problem is: a line number for text formats, a JSON path for JSON ones. */
    readonly at: number | string,
  ) {
    super(message);
    this.name = 'InputFormatError';
  }
}

export interface DecodeOptions {
  /** Turn CRLF and bare CR line ends into LF (CSV readers). */
  normalizeNewlines?: boolean;
}

function countNewlines(text: string, end = text.length): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Decodes UTF-8 chunks (or passes strings through), drops a leading byte-order mark and, if
 * asked, normalises line ends. Throws an InputFormatError at the first byte that is not UTF-8,
 * naming the line it is on.
 */
export async function* decodeText(
  input: AsyncIterable<Uint8Array | string>,
  options: DecodeOptions = {},
): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let first = true;
  let pendingCR = false;
  let lines = 1;
  const out = (text: string): string => {
    if (first && text.length > 0) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (options.normalizeNewlines) {
      if (pendingCR) {
        text = `\r${text}`;
        pendingCR = false;
      }
      if (text.endsWith('\r')) {
        pendingCR = true;
        text = text.slice(0, -1);
      }
      text = text.replace(/\r\n?/g, '\n');
    }
    lines += countNewlines(text);
    return text;
  };
  for await (const chunk of input) {
    let text: string;
    if (typeof chunk === 'string') {
      text = chunk;
    } else {
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        const lossy = new TextDecoder('utf-8').decode(chunk);
        const bad = lossy.indexOf('\uFFFD');
        const line = lines + countNewlines(lossy.replace(/\r\n?/g, '\n'), bad === -1 ? 0 : bad);
        throw new InputFormatError(
          'the file is not UTF-8 text (an invalid byte sequence is on this line): save it again as UTF-8 (in Excel: "CSV UTF-8")',
          line,
        );
      }
    }
    const text2 = out(text);
    const nul = text2.indexOf('\u0000');
    if (nul !== -1) {
      throw new InputFormatError(
        'the file holds a NUL character (byte 0), which no text cell can hold: is it UTF-16 or a binary file? Save it again as UTF-8 text',
        lines - countNewlines(text2) + countNewlines(text2, nul),
      );
    }
    if (text2.length > 0) yield text2;
  }
  let tail: string;
  try {
    tail = decoder.decode();
  } catch {
    throw new InputFormatError('the file is not UTF-8 text: it ends in the middle of a character', lines);
  }
  const rest = out(tail) + (pendingCR ? '\n' : '');
  if (rest.includes('\u0000')) throw new InputFormatError('the file holds a NUL character (byte 0)', lines);
  if (rest.length > 0) yield rest;
}

/** Wraps a string or buffer as a one-chunk async input (handy for tests and small bodies). */
export async function* inputOf(...chunks: (string | Uint8Array)[]): AsyncGenerator<Uint8Array | string> {
  for (const c of chunks) yield c;
}
