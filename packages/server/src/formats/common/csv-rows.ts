import { once } from 'node:events';
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
 * Streams the rows of a CSV file as arrays of cells, each with the 1-based line it starts on,
 * in batches (one batch per input chunk). Accepts a byte-order mark and LF, CRLF or bare CR
 * line ends; skips empty lines. Rows that cannot be read (a quote never closed) come as errors
 * and reading goes on where it can. Memory stays flat: one chunk of rows at a time.
 *
 * csv-parse (its streaming API) does the parsing: the text is written into the parser and the
 * rows are taken as it finds them (`on_record`), which is much faster than reading them back
 * out of the stream one by one.
 */
export async function* readCsvRows(input: AsyncIterable<Uint8Array | string>): AsyncGenerator<CsvRow[]> {
  let batch: CsvRow[] = [];
  /** The line the last good row ended on: a row that cannot be read starts after it. */
  let lastEnd = 0;
  let failure: unknown;
  const parser = parse({
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_CHARS,
    skip_records_with_error: true,
    on_record: (cells: string[], context: Info) => {
      lastEnd = context.lines;
      batch.push({ kind: 'row', line: context.lines - countNewlines(cells), cells });
      return null; // taken here: nothing goes on through the stream
    },
    on_skip: (err: CsvError | undefined) => {
      const code = err?.code ?? '';
      const line =
        code === 'CSV_QUOTE_NOT_CLOSED' || code === 'CSV_MAX_RECORD_SIZE' || typeof err?.lines !== 'number' ? lastEnd + 1 : err.lines;
      batch.push({ kind: 'error', line, message: explain(err) });
      return undefined;
    },
  });
  parser.on('error', (err) => {
    failure ??= err;
  });
  const take = (): CsvRow[] => {
    const out = batch;
    batch = [];
    return out;
  };
  try {
    for await (const text of decodeText(input, { normalizeNewlines: true })) {
      parser.write(text);
      if (failure) throw failure;
      if (batch.length > 0) yield take();
    }
    const finished = once(parser, 'finish');
    parser.end();
    await finished;
    if (failure) throw failure;
    if (batch.length > 0) yield take();
  } catch (err) {
    if (batch.length > 0) yield take();
    if (err instanceof InputFormatError) {
      yield [{ kind: 'error', line: typeof err.at === 'number' ? err.at : 0, message: err.message }];
      return;
    }
    throw err;
  } finally {
    parser.destroy();
  }
}
