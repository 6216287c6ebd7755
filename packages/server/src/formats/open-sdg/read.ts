/**
 * Open SDG data CSV → ReadItems, streamed row by row.
 *
 * One indicator per file (`indicator_11-1-1.csv`). Columns: `Year`, disaggregation columns
 * (any header; a blank cell means "all"), optional `Units`, `Series`, `GeoCode`,
 * `COMMENT_OBS`, and `Value`. The special columns are matched without regard to case.
 * Disaggregation columns come out under their header text ("Victim Gender"): the import
 * pipeline maps them onto Marsad dimensions with the `--map` file.
 */
import type { ObservationRecord, ReaderOptions, ReadItem } from '@marsad/core';
import { readCsvRows } from '../common/csv-rows.ts';
import { parseNumberCell, textCell } from '../common/values.ts';

const SPECIAL = {
  year: 'Year',
  value: 'Value',
  units: 'Units',
  series: 'Series',
  geocode: 'GeoCode',
  comment_obs: 'COMMENT_OBS',
} as const;
type Special = keyof typeof SPECIAL;

/** `indicator_11-1-1.csv` → `11.1.1`; `indicator_11-a-1.csv` → `11.a.1`; anything else → undefined. */
export function indicatorFromFileName(fileName: string | undefined): string | undefined {
  if (!fileName) return undefined;
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const m = /^indicator_([0-9a-z]+(?:-[0-9a-z]+)+)\.csv$/i.exec(base);
  return m ? m[1]!.toLowerCase().replace(/-/g, '.') : undefined;
}

export async function* readOpenSdg(
  input: AsyncIterable<Uint8Array | string>,
  options: ReaderOptions = {},
): AsyncGenerator<ReadItem> {
  const indicator = options.indicator?.trim() || indicatorFromFileName(options.fileName);
  if (!indicator) {
    yield {
      kind: 'error',
      at: 1,
      message: `no indicator: the file name${options.fileName ? ` "${options.fileName}"` : ''} is not of the form indicator_11-1-1.csv and none was given for the file`,
    };
    return;
  }
  let header: string[] | undefined;
  const at_ = new Map<Special, number>();
  const dims: { name: string; index: number }[] = [];
  let unreadable = false;
  for await (const batch of readCsvRows(input))
    for (const row of batch) {
      if (row.kind === 'error') {
        unreadable = true;
        yield { kind: 'error', at: row.line, message: row.message };
        continue;
      }
      if (!header) {
        header = row.cells.map((c) => c.trim());
        const problems: string[] = [];
        const seen = new Set<string>();
        header.forEach((name, index) => {
          const lower = name.toLowerCase() as Special;
          const key = lower in SPECIAL ? lower : name;
          if (name === '') problems.push(`column ${index + 1} has no name`);
          else if (seen.has(key)) problems.push(`column "${name}" appears twice`);
          seen.add(key);
          if (lower in SPECIAL) at_.set(lower, index);
          else if (name !== '') dims.push({ name, index });
        });
        if (!at_.has('year')) problems.push('there is no Year column: an Open SDG data file starts with Year');
        if (!at_.has('value')) problems.push('there is no Value column: an Open SDG data file ends with Value');
        if (!at_.has('geocode') && !options.place?.trim()) {
          problems.push('no place: the file has no GeoCode column and no place was given for the file');
        }
        if (problems.length > 0) {
          for (const message of problems) yield { kind: 'error', at: row.line, message };
          return;
        }
        continue;
      }
      const at = row.line;
      const cells = row.cells;
      if (cells.length !== header.length) {
        yield {
          kind: 'error',
          at,
          message: `the row has ${cells.length} cells but the header has ${header.length} columns`,
        };
        continue;
      }
      const cell = (s: Special): string | undefined => {
        const i = at_.get(s);
        return i === undefined ? undefined : textCell(cells[i]);
      };
      const value = parseNumberCell(cells[at_.get('value')!] ?? '', 'Value');
      if (value.kind === 'blank') {
        yield { kind: 'skip', at, reason: 'no data (blank Value)' };
        continue;
      }
      const errors: ReadItem[] = [];
      if (value.kind === 'error') errors.push({ kind: 'error', at, column: 'Value', message: value.message });
      const year = cell('year');
      if (!year) errors.push({ kind: 'error', at, column: 'Year', message: 'Year is blank' });
      const place = cell('geocode') ?? (options.place?.trim() || undefined);
      if (!place)
        errors.push({
          kind: 'error',
          at,
          column: 'GeoCode',
          message: 'GeoCode is blank and no place was given for the file',
        });
      if (errors.length > 0) {
        yield* errors;
        continue;
      }
      const record: ObservationRecord = {
        indicator,
        place,
        period: year!,
        value: value.kind === 'number' ? value.value : null,
        dims: Object.create(null),
      };
      const units = cell('units');
      const series = cell('series');
      if (series !== undefined) {
        record.series = series;
        if (units !== undefined) record.unit = units;
      } else if (units !== undefined) {
        record.series = units;
        record.unit = units;
      }
      const note = cell('comment_obs');
      if (note !== undefined) record.note = note;
      for (const d of dims) {
        const v = textCell(cells[d.index]);
        if (v !== undefined) record.dims[d.name] = v;
      }
      yield { kind: 'row', at, record };
    }
  if (!header && !unreadable)
    yield { kind: 'error', at: 1, message: 'the file is empty: an Open SDG data file needs a header and rows' };
}
