import { stringify } from 'csv-stringify/sync';

/** Rows written per yielded chunk. */
const ROWS_PER_CHUNK = 500;

/** One CSV line (RFC 4180 quoting, CRLF-free: LF line ends). */
export function csvLine(cells: readonly string[]): string {
  return stringify([cells as string[]], { record_delimiter: '\n', quoted_match: /^\s|\s$/ });
}

/**
 * Streams CSV text: the header, then rows as they are produced, in chunks of a few hundred
 * lines. `toRow` may throw to stop the export with a message.
 */
export async function* writeCsv<T>(
  header: readonly string[],
  records: AsyncIterable<T>,
  toRow: (record: T) => string[],
  bom = false,
): AsyncGenerator<string> {
  let chunk = (bom ? '\uFEFF' : '') + csvLine(header);
  let rows = 0;
  for await (const record of records) {
    chunk += csvLine(toRow(record));
    if (++rows >= ROWS_PER_CHUNK) {
      yield chunk;
      chunk = '';
      rows = 0;
    }
  }
  if (chunk) yield chunk;
}
