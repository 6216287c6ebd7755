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
