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

/**
 * The dimensions of a row that gives none: one object shared by every such row (frozen, so that a consumer cannot
 * change another row's). A row with dimensions gets an object of its own, without a prototype.
 */
const NO_DIMS: Record<string, string> = Object.freeze(Object.create(null));

interface Positions {
  indicator: number;
  place: number;
  period: number;
  value: number;
  /** The optional fields the header has, as field name, column index, field name, …: no object per row. */
  optional: (string | number)[];
}

function positions(fieldAt: Map<Field, number>): Positions {
  const optional: (string | number)[] = [];
  for (const f of CSV_OPTIONAL) {
    const i = fieldAt.get(f);
    if (i !== undefined) optional.push(f, i);
  }
  return {
    indicator: fieldAt.get('indicator')!,
    place: fieldAt.get('place')!,
    period: fieldAt.get('period')!,
    value: fieldAt.get('value')!,
    optional,
  };
}

/**
 * Whether a cell is a number as parseNumberCell's pattern has it (`^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$`), with
 * nothing to trim and no Arabic-Indic digits: then Number() reads it as parseNumberCell would. Checked by character,
 * the cost of a regular expression and of a result object per row spared.
 */
function isPlainNumber(s: string): boolean {
  const n = s.length;
  let i = 0;
  if (n > 0 && (s.charCodeAt(0) === 43 /* + */ || s.charCodeAt(0) === 45) /* - */) i++;
  const intStart = i;
  while (i < n && isDigit(s.charCodeAt(i))) i++;
  let digits = i - intStart;
  if (i < n && s.charCodeAt(i) === 46 /* . */) {
    i++;
    const fracStart = i;
    while (i < n && isDigit(s.charCodeAt(i))) i++;
    digits += i - fracStart;
  }
  if (digits === 0) return false;
  if (i < n && (s.charCodeAt(i) === 101 || s.charCodeAt(i) === 69) /* e E */) {
    i++;
    if (i < n && (s.charCodeAt(i) === 43 || s.charCodeAt(i) === 45)) i++;
    const expStart = i;
    while (i < n && isDigit(s.charCodeAt(i))) i++;
    if (i === expStart) return false;
  }
  return i === n;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

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
  /** Where the fields are, once the header is read. */
  let pos: Positions | undefined;
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
      if (!pos) pos = positions(fieldAt);
      // The common case first, without allocating: a plain number (parseNumberCell would give the same).
      const rawValue = cells[pos.value]!;
      let value = isPlainNumber(rawValue) ? Number(rawValue) : Number.NaN;
      if (!Number.isFinite(value)) {
        const v = parseNumberCell(rawValue, 'value');
        if (v.kind === 'blank') {
          const below = suppressedAt === undefined ? undefined : textCell(cells[suppressedAt]);
          out.push({
            kind: 'skip',
            at,
            reason: below ? `no value (suppressed in the export: fewer than ${below})` : 'no value',
          });
          continue;
        }
        if (v.kind === 'error') {
          out.push({ kind: 'error', at, column: 'value', message: v.message, code: v.code, params: v.params });
          value = Number.NaN;
        } else value = v.value;
      }
      const indicator = textCell(cells[pos.indicator]);
      const place = textCell(cells[pos.place]);
      const period = textCell(cells[pos.period]);
      if (!indicator || !place || !period || Number.isNaN(value)) {
        if (!indicator) out.push({ kind: 'error', at, column: 'indicator', message: 'indicator is blank' });
        if (!place) out.push({ kind: 'error', at, column: 'place', message: 'place is blank' });
        if (!period) out.push({ kind: 'error', at, column: 'period', message: 'period is blank' });
        continue;
      }
      const record: ObservationRecord = { indicator, place, period, value, dims: NO_DIMS };
      for (let k = 0; k < pos.optional.length; k += 2) {
        const v = textCell(cells[pos.optional[k + 1] as number]);
        if (v !== undefined) record[pos.optional[k] as (typeof CSV_OPTIONAL)[number]] = v;
      }
      const multiplier = multiplierAt === undefined ? undefined : textCell(cells[multiplierAt]);
      if (multiplier !== undefined && multiplier !== '0') record.unitMultiplier = multiplier;
      if (obsStatusAt !== undefined) {
        const s = observationStatus(textCell(cells[obsStatusAt]));
        if (s.status && record.status === undefined) record.status = s.status;
        const note = noteWithStatus(record.note, s.note);
        if (note !== undefined) record.note = note;
      }
      for (let k = 0; k < dims.length; k++) {
        const d = dims[k]!;
        const v = textCell(cells[d.index]);
        if (v === undefined) continue;
        if (record.dims === NO_DIMS) record.dims = Object.create(null);
        record.dims[d.code] = v;
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
