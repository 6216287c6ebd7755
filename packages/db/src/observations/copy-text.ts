const SPECIAL = /[\\\t\n\r]/;

/** Encodes one field of PostgreSQL's COPY text format. */
export function copyField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number') return String(value);
  if (!SPECIAL.test(value)) return value; // the common case: nothing to escape
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** One COPY text line from its fields. */
export function copyLine(fields: ReadonlyArray<string | number | null | undefined>): string {
  let line = '';
  for (let i = 0; i < fields.length; i++) {
    if (i > 0) line += '\t';
    line += copyField(fields[i]);
  }
  return `${line}\n`;
}

const TAB = 9;
const NEWLINE = 10;
const BACKSLASH = 92;

/**
 * COPY text lines written straight into a Buffer, field by field: no string and no array per row (an import of
 * millions of rows spent much of its time making and collecting them). Equivalent to copyLine: the same bytes.
 */
export class CopyTextBuffer {
  private buf: Buffer;
  private used = 0;
  /** Whether the next field is the first of its line. */
  private first = true;

  constructor(private readonly size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }

  /** Bytes written since the last take(). */
  get length(): number {
    return this.used;
  }

  private room(bytes: number): void {
    if (this.used + bytes <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.used + bytes));
    this.buf.copy(bigger, 0, 0, this.used);
    this.buf = bigger;
  }

  private separate(): void {
    if (this.first) this.first = false;
    else this.buf[this.used++] = TAB;
  }

  /** A whole number (ids): its digits. Anything else as num(). */
  int(n: number): this {
    if (!Number.isSafeInteger(n) || n < 0) return this.num(n);
    this.room(17);
    this.separate();
    const buf = this.buf;
    if (n < 10) {
      buf[this.used++] = 48 + n;
      return this;
    }
    let digits = 0;
    for (let m = n; m > 0; m = Math.floor(m / 10)) digits++;
    let at = this.used + digits;
    this.used = at;
    for (let m = n; m > 0; m = Math.floor(m / 10)) buf[--at] = 48 + (m % 10);
    return this;
  }

  /** A number as copyField writes it (String(n): ASCII). */
  num(n: number): this {
    return this.ascii(String(n));
  }

  /** A text known to be ASCII without \ tab or line ends (numbers as text, statuses, dates): as it is. */
  private ascii(s: string): this {
    this.room(s.length + 1);
    this.separate();
    const buf = this.buf;
    let at = this.used;
    for (let i = 0; i < s.length; i++) buf[at++] = s.charCodeAt(i);
    this.used = at;
    return this;
  }

  /** A text field, escaped as copyField does and encoded as UTF-8; null or undefined is \N. */
  text(s: string | null | undefined): this {
    if (s === null || s === undefined) {
      this.room(3);
      this.separate();
      this.buf[this.used++] = BACKSLASH;
      this.buf[this.used++] = 78; // N
      return this;
    }
    // An escaped ASCII character takes 2 bytes, any other UTF-16 unit at most 3.
    this.room(s.length * 3 + 1);
    this.separate();
    const buf = this.buf;
    let at = this.used;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        // Not ASCII: the rest as UTF-8, by Node's encoder.
        this.used = at;
        this.used += buf.write(copyField(s.slice(i)), at, 'utf8');
        return this;
      }
      if (c === BACKSLASH || c === TAB || c === NEWLINE || c === 13) {
        buf[at++] = BACKSLASH;
        buf[at++] = c === BACKSLASH ? BACKSLASH : c === TAB ? 116 : c === NEWLINE ? 110 : 114; // \\ \t \n \r
      } else buf[at++] = c;
    }
    this.used = at;
    return this;
  }

  /** Ends the line. */
  end(): void {
    this.room(1);
    this.buf[this.used++] = NEWLINE;
    this.first = true;
  }

  /** The lines written so far (a view of the buffer, which is not written again), and a new buffer for the next. */
  take(): Buffer {
    const lines = this.buf.subarray(0, this.used);
    this.buf = Buffer.allocUnsafe(this.size);
    this.used = 0;
    this.first = true;
    return lines;
  }
}
