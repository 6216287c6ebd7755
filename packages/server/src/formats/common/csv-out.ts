import { type CsvCell, csvLine } from './csv-cell.ts';

/** Rows written per yielded chunk. */
const ROWS_PER_CHUNK = 500;

/**
 * Streams CSV text: the header, then rows as they are produced, in chunks of a few hundred
 * lines. `toRow` may throw to stop the export with a message. Text cells that a spreadsheet would
 * read as a formula are neutralised, numbers are not (csv-cell.ts).
 */
export async function* writeCsv<T>(
  header: readonly string[],
  records: AsyncIterable<T>,
  toRow: (record: T) => CsvCell[],
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
