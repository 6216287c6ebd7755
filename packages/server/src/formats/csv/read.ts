/**
 * Marsad's tidy CSV → ReadItems, streamed row by row.
 *
 * Header: `indicator,place,period,value` required; `series,unit,status,source,note` optional
 * (these names are matched without regard to case); every other column is a dimension whose
 * header is the dimension code (e.g. `SEX`) and whose cells are value codes; a blank cell
 * means the total. `suppressed_below`, written by Marsad's export (docs/methods/suppression.md),
 * is not imported: the rule belongs to the indicator; a row whose value was withheld is skipped.
 * SDMX attributes are never dimensions: `UNIT_MULT` scales the value (passed on as the record's unitMultiplier),
 * `OBS_STATUS` makes a row provisional or adds to its note (common/attributes.ts), the others (FREQ, NATURE, …) are
 * not used.
 */
import type { ObservationRecord, ReaderOptions, ReadItem } from '@marsad/core';
import { noteWithStatus, observationStatus } from '../common/attributes.ts';
import { readCsvRows } from '../common/csv-rows.ts';
import { SDMX_IGNORED } from '../common/sdmx.ts';
import { parseNumberCell, textCell } from '../common/values.ts';

export const CSV_REQUIRED = ['indicator', 'place', 'period', 'value'] as const;
export const CSV_OPTIONAL = ['series', 'unit', 'status', 'source', 'note'] as const;
type Field = (typeof CSV_REQUIRED)[number] | (typeof CSV_OPTIONAL)[number];
const FIELDS = new Set<string>([...CSV_REQUIRED, ...CSV_OPTIONAL]);
/** Columns of Marsad's export that are not imported. */
export const CSV_EXPORT_ONLY = ['suppressed_below'] as const;

/** The rows of a tidy CSV in batches (one per piece of input): the import loops over a batch without awaiting. */
export async function* readCsvBatches(
  input: AsyncIterable<Uint8Array | string>,
  _options: ReaderOptions = {},
): AsyncGenerator<ReadItem[]> {
  let out: ReadItem[] = [];
  let header: string[] | undefined;
  const fieldAt = new Map<Field, number>();
  let suppressedAt: number | undefined;
  let multiplierAt: number | undefined;
  let obsStatusAt: number | undefined;
  const unused: string[] = [];
  const dims: { code: string; index: number }[] = [];
  let unreadable = false;
  for await (const batch of readCsvRows(input)) {
    for (const row of batch) {
      if (row.kind === 'error') {
        unreadable = true;
        out.push({ kind: 'error', at: row.line, message: row.message });
        continue;
      }
      if (!header) {
        header = row.cells.map((c) => c.trim());
        const seen = new Map<string, number>();
        const problems: string[] = [];
        header.forEach((name, index) => {
          const lower = name.toLowerCase();
          const key = FIELDS.has(lower) ? lower : name;
          if (name === '') problems.push(`column ${index + 1} has no name`);
          else if (seen.has(key)) problems.push(`column "${name}" appears twice`);
          seen.set(key, index);
          if (FIELDS.has(lower)) fieldAt.set(lower as Field, index);
          else if ((CSV_EXPORT_ONLY as readonly string[]).includes(lower)) suppressedAt = index;
          else if (name.toUpperCase() === 'UNIT_MULT') multiplierAt = index;
          else if (name.toUpperCase() === 'OBS_STATUS') obsStatusAt = index;
          else if (SDMX_IGNORED.has(name.toUpperCase())) unused.push(name);
          else if (name !== '') dims.push({ code: name, index });
        });
        const missing = CSV_REQUIRED.filter((f) => !fieldAt.has(f));
        if (missing.length > 0) {
          problems.push(
            `the header lacks ${missing.join(', ')}: a Marsad CSV needs the columns indicator, place, period and value (optional: series, unit, status, source, note; any other column is a dimension)`,
          );
        }
        if (problems.length > 0) {
          for (const message of problems) out.push({ kind: 'error', at: row.line, message });
          yield out;
          return;
        }
        if (dims.length > 0)
          out.push({ kind: 'notice', message: `dimension columns: ${dims.map((d) => d.code).join(', ')}` });
        if (unused.length > 0) out.push({ kind: 'notice', message: `columns not used: ${unused.join(', ')}` });
        continue;
      }
      const at = row.line;
      const cells = row.cells;
      if (cells.length !== header.length) {
        out.push({
          kind: 'error',
          at,
          message: `the row has ${cells.length} cells but the header has ${header.length} columns`,
          code: 'cell-count',
          params: { cells: cells.length, columns: header.length },
        });
        continue;
      }
      const cell = (f: Field): string | undefined => {
        const i = fieldAt.get(f);
        return i === undefined ? undefined : textCell(cells[i]);
      };
      const value = parseNumberCell(cells[fieldAt.get('value')!] ?? '', 'value');
      if (value.kind === 'blank') {
        const below = suppressedAt === undefined ? undefined : textCell(cells[suppressedAt]);
        out.push({
          kind: 'skip',
          at,
          reason: below ? `no value (suppressed in the export: fewer than ${below})` : 'no value',
        });
        continue;
      }
      const errors: ReadItem[] = [];
      if (value.kind === 'error')
        errors.push({
          kind: 'error',
          at,
          column: 'value',
          message: value.message,
          code: value.code,
          params: value.params,
        });
      const indicator = cell('indicator');
      const place = cell('place');
      const period = cell('period');
      if (!indicator) errors.push({ kind: 'error', at, column: 'indicator', message: 'indicator is blank' });
      if (!place) errors.push({ kind: 'error', at, column: 'place', message: 'place is blank' });
      if (!period) errors.push({ kind: 'error', at, column: 'period', message: 'period is blank' });
      if (errors.length > 0) {
        out.push(...errors);
        continue;
      }
      const record: ObservationRecord = {
        indicator,
        place,
        period: period!,
        value: value.kind === 'number' ? value.value : null,
        dims: Object.create(null),
      };
      for (const f of CSV_OPTIONAL) {
        const v = cell(f);
        if (v !== undefined) record[f] = v;
      }
      const multiplier = multiplierAt === undefined ? undefined : textCell(cells[multiplierAt]);
      if (multiplier !== undefined && multiplier !== '0') record.unitMultiplier = multiplier;
      if (obsStatusAt !== undefined) {
        const s = observationStatus(textCell(cells[obsStatusAt]));
        if (s.status && record.status === undefined) record.status = s.status;
        const note = noteWithStatus(record.note, s.note);
        if (note !== undefined) record.note = note;
      }
      for (const d of dims) {
        const v = textCell(cells[d.index]);
        if (v !== undefined) record.dims[d.code] = v;
      }
      out.push({ kind: 'row', at, record });
    }
    if (out.length > 0) {
      yield out;
      out = [];
    }
  }
  if (!header && !unreadable)
    out.push({ kind: 'error', at: 1, message: 'the file is empty: a Marsad CSV needs a header and rows' });
  if (out.length > 0) yield out;
}

/** The rows of a tidy CSV one by one. */
export async function* readCsv(
  input: AsyncIterable<Uint8Array | string>,
  options: ReaderOptions = {},
): AsyncGenerator<ReadItem> {
  for await (const batch of readCsvBatches(input, options)) yield* batch;
}
