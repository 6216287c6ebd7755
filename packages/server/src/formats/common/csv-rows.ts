import { Readable, pipeline } from 'node:stream';
import { parse, type CsvError, type Info } from 'csv-parse';
import { decodeText, InputFormatError } from './text.ts';

export type CsvRow =
  | { kind: 'row'; line: number; cells: string[] }
  | { kind: 'error'; line: number; message: string };

/** A row longer than this is a quote left open, not data. */
const MAX_RECORD_CHARS = 1_000_000;

function countNewlines(cells: string[]): number {
  let n = 0;
  for (const c of cells) for (let i = c.indexOf('\n'); i !== -1; i = c.indexOf('\n', i + 1)) n++;
  return n;
}

function explain(err: CsvError | undefined): string {
  const code = err?.code ?? '';
  if (code === 'CSV_QUOTE_NOT_CLOSED') return 'a quoted cell is never closed: a " is missing in this row (or the rows after it)';
  if (code === 'CSV_MAX_RECORD_SIZE') return 'this row is longer than a million characters: a quoted cell is probably not closed';
  return `this part of the file cannot be read as CSV (${err?.message ?? 'unknown error'})`;
}

/**
 * Streams the rows of a CSV file as arrays of cells, each with the 1-based line it starts on.
 * Accepts a byte-order mark and LF, CRLF or bare CR line ends; skips empty lines. Rows that
 * cannot be read (a quote never closed) come as errors and reading goes on where it can.
 * Memory stays flat: one row at a time.
 */
export async function* readCsvRows(input: AsyncIterable<Uint8Array | string>): AsyncGenerator<CsvRow> {
  const problems: CsvRow[] = [];
  /** The line the last good row ended on: a row that cannot be read starts after it. */
  let lastEnd = 0;
  const parser = parse({
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    info: true,
    max_record_size: MAX_RECORD_CHARS,
    skip_records_with_error: true,
    on_record: (record: unknown, context: Info) => {
      lastEnd = context.lines;
      return record;
    },
    on_skip: (err: CsvError | undefined) => {
      const code = err?.code ?? '';
      const line =
        code === 'CSV_QUOTE_NOT_CLOSED' || code === 'CSV_MAX_RECORD_SIZE' || typeof err?.lines !== 'number' ? lastEnd + 1 : err.lines;
      problems.push({ kind: 'error', line, message: explain(err) });
      return undefined;
    },
  });
  let sourceError: unknown;
  pipeline(Readable.from(decodeText(input, { normalizeNewlines: true })), parser, (err) => {
    if (err) sourceError = err;
  });
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      while (problems.length > 0) yield problems.shift()!;
      const cells = item.record;
      yield { kind: 'row', line: item.info.lines - countNewlines(cells), cells };
    }
  } catch (err) {
    const cause = sourceError ?? err;
    while (problems.length > 0) yield problems.shift()!;
    if (cause instanceof InputFormatError) {
      yield { kind: 'error', line: typeof cause.at === 'number' ? cause.at : 0, message: cause.message };
      return;
    }
    throw cause;
  }
  while (problems.length > 0) yield problems.shift()!;
}
