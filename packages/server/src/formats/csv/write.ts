/**
 * ExportRecords → Marsad's tidy CSV, streamed.
 * `indicator,series,place,period,value,unit,status,source,note,suppressed_below,<one column per dimension>`.
 * `suppressed_below` is the minimum count of the indicator's suppression rule for a value that
 * rests on fewer (docs/methods/suppression.md): its value is empty for the public, and shown
 * to a reader allowed to see it; blank for every other value.
 */
import type { ExportRecord } from '@marsad/core';
import { writeCsv } from '../common/csv-out.ts';
import { valueCell } from '../common/suppression.ts';

export interface CsvWriteOptions {
  /** The dimension codes, one column each in this order; a record with another dimension is an error. */
  dimensions?: readonly string[];
  /** Start with a byte-order mark (helps Excel open Arabic text as UTF-8). */
  bom?: boolean;
}

export const CSV_COLUMNS = [
  'indicator',
  'series',
  'place',
  'period',
  'value',
  'unit',
  'status',
  'source',
  'note',
  'suppressed_below',
] as const;

/** Throws when a record has a dimension the caller did not announce (a column cannot be added mid-stream). */
export function checkDimensions(r: ExportRecord, known: ReadonlySet<string>, format: string): void {
  for (const code of Object.keys(r.dims)) {
    if (!known.has(code)) {
      throw new Error(
        `the ${format} export was not told about dimension ${code} (indicator ${r.indicator}, place ${r.place}, period ${r.period}): pass every dimension code in options.dimensions`,
      );
    }
  }
}

export async function* writeCsvRecords(
  records: AsyncIterable<ExportRecord>,
  options: CsvWriteOptions = {},
): AsyncGenerator<string> {
  const dims = [...(options.dimensions ?? [])];
  const known = new Set(dims);
  for (const d of dims) {
    if ((CSV_COLUMNS as readonly string[]).includes(d.toLowerCase())) {
      throw new Error(`dimension code ${d} cannot be a CSV column: it clashes with the ${d.toLowerCase()} column`);
    }
  }
  yield* writeCsv(
    [...CSV_COLUMNS, ...dims],
    records,
    (r) => {
      checkDimensions(r, known, 'CSV');
      return [
        r.indicator,
        r.series,
        r.place,
        r.period,
        valueCell(r),
        r.unit ?? '',
        r.status,
        r.source ?? '',
        r.note ?? '',
        r.suppressedBelow,
        ...dims.map((d) => r.dims[d] ?? ''),
      ];
    },
    options.bom,
  );
}
