/**
 * SDMX-CSV 1.0 and 2.0 → ReadItems, streamed row by row.
 *
 * 1.0: `DATAFLOW,<dimensions>,TIME_PERIOD,OBS_VALUE,<attributes>`
 * 2.0: `STRUCTURE,STRUCTURE_ID,ACTION,<dimensions>,TIME_PERIOD,OBS_VALUE,<attributes>`
 * Headers written `ID: Name` (labels=both) are read by their id, and so are coded cells.
 * Columns map onto Marsad fields by id (see common/sdmx.ts): REF_AREA names the place (a code, an external code or a
 * name), UNIT_MEASURE the unit, UNIT_MULT scales the value, OBS_STATUS and the other attributes are never breakdowns;
 * the rest are dimensions.
 */
import type { ObservationRecord, ReaderOptions, ReadItem } from '@marsad/core';
import { readCsvRows } from '../common/csv-rows.ts';
import { isSdmxMissing, type SdmxRole, sdmxRole, statusFromObsStatus } from '../common/sdmx.ts';
import { parseNumberCell, SDMX_NO_BREAKDOWN, textCell } from '../common/values.ts';

interface Column {
  id: string;
  index: number;
  role: SdmxRole;
}

const CODED: ReadonlySet<SdmxRole> = new Set([
  'place',
  'series',
  'indicator',
  'unit',
  'status',
  'obsStatus',
  'unitMult',
  'dim',
]);
const LABELLED_CELL = /^([A-Za-z0-9_@$.-]+):\s/;

export async function* readSdmxCsv(
  input: AsyncIterable<Uint8Array | string>,
  options: ReaderOptions = {},
): AsyncGenerator<ReadItem> {
  let columns: Column[] | undefined;
  let width = 0;
  let labelled = false;
  const first = (role: SdmxRole): Column | undefined => columns?.find((c) => c.role === role);
  let action: Column | undefined;
  let place: Column | undefined;
  let period: Column | undefined;
  let value: Column | undefined;
  let indicator: Column | undefined;
  let series: Column | undefined;
  let unit: Column | undefined;
  let status: Column | undefined;
  let obsStatus: Column | undefined;
  let unitMult: Column | undefined;
  let notes: Column[] = [];
  let sources: Column[] = [];
  let dims: Column[] = [];

  let unreadable = false;
  for await (const batch of readCsvRows(input))
    for (const row of batch) {
      if (row.kind === 'error') {
        unreadable = true;
        yield { kind: 'error', at: row.line, message: row.message };
        continue;
      }
      if (!columns) {
        width = row.cells.length;
        const problems: string[] = [];
        const seen = new Set<string>();
        columns = row.cells.map((raw, index) => {
          let id = raw.trim();
          const colon = id.indexOf(':');
          if (colon !== -1) {
            labelled = true;
            id = id.slice(0, colon).trim();
          }
          if (id === '') problems.push(`column ${index + 1} has no id`);
          else if (seen.has(id)) problems.push(`column ${id} appears twice`);
          seen.add(id);
          return { id, index, role: sdmxRole(id) };
        });
        action = columns.find((c) => c.id === 'ACTION');
        place = first('place');
        period = first('period');
        value = first('value');
        indicator = first('indicator');
        series = first('series');
        unit = first('unit');
        status = first('status');
        obsStatus = first('obsStatus');
        unitMult = first('unitMult');
        notes = columns.filter((c) => c.role === 'note');
        sources = columns.filter((c) => c.role === 'source');
        dims = columns.filter((c) => c.role === 'dim');
        const firstId = columns[0]?.id;
        if (firstId !== 'DATAFLOW' && firstId !== 'STRUCTURE') {
          yield {
            kind: 'notice',
            message: `the first column is ${firstId ?? 'missing'}, not DATAFLOW (SDMX-CSV 1.0) or STRUCTURE (SDMX-CSV 2.0); reading the columns by their ids anyway`,
          };
        }
        if (!value) problems.push('there is no OBS_VALUE column');
        if (!period) problems.push('there is no TIME_PERIOD column');
        if (!place && !options.place?.trim())
          problems.push('there is no REF_AREA column and no place was given for the file: cannot tell the place');
        if (!indicator && !series && !options.indicator?.trim()) {
          problems.push(
            'there is neither an INDICATOR nor a SERIES column and no indicator was given for the file: cannot tell the indicator',
          );
        }
        if (problems.length > 0) {
          for (const message of problems) yield { kind: 'error', at: row.line, message };
          return;
        }
        if (dims.length > 0)
          yield { kind: 'notice', message: `dimension columns: ${dims.map((d) => d.id).join(', ')}` };
        const ignored = columns.filter(
          (c) =>
            c.role === 'ignore' &&
            !['DATAFLOW', 'STRUCTURE', 'STRUCTURE_ID', 'STRUCTURE_NAME', 'ACTION'].includes(c.id),
        );
        if (ignored.length > 0)
          yield { kind: 'notice', message: `columns not used: ${ignored.map((c) => c.id).join(', ')}` };
        continue;
      }

      const at = row.line;
      const cells = row.cells;
      if (cells.length !== width) {
        yield {
          kind: 'error',
          at,
          message: `the row has ${cells.length} cells but the header has ${width} columns`,
          code: 'cell-count',
          params: { cells: cells.length, columns: width },
        };
        continue;
      }
      const cell = (c: Column | undefined): string | undefined => {
        if (!c) return undefined;
        const text = textCell(cells[c.index]);
        if (text === undefined || !labelled || !CODED.has(c.role)) return text;
        const m = LABELLED_CELL.exec(text);
        return m ? m[1] : text;
      };

      const act = cell(action)?.toUpperCase();
      if (act === 'D') {
        yield { kind: 'skip', at, reason: 'delete actions are not supported (ACTION D): the row was not imported' };
        continue;
      }
      if (act !== undefined && !['I', 'A', 'R', 'M'].includes(act)) {
        yield {
          kind: 'error',
          at,
          column: 'ACTION',
          message: `ACTION "${act}" is not one of I, A, R, M (import) or D (delete)`,
        };
        continue;
      }
      const rawValue = cells[value!.index] ?? '';
      if (isSdmxMissing(rawValue)) {
        yield { kind: 'skip', at, reason: 'no value (OBS_VALUE NaN)' };
        continue;
      }
      const v = parseNumberCell(rawValue, 'OBS_VALUE');
      if (v.kind === 'blank') {
        yield { kind: 'skip', at, reason: 'no value' };
        continue;
      }
      const errors: ReadItem[] = [];
      if (v.kind === 'error')
        errors.push({ kind: 'error', at, column: 'OBS_VALUE', message: v.message, code: v.code, params: v.params });
      const time = cell(period);
      if (!time) errors.push({ kind: 'error', at, column: 'TIME_PERIOD', message: 'TIME_PERIOD is blank' });
      const where = cell(place) ?? (options.place?.trim() || undefined);
      if (!where)
        errors.push({
          kind: 'error',
          at,
          column: 'REF_AREA',
          message: 'REF_AREA is blank and no place was given for the file',
        });
      const ind = cell(indicator);
      const ser = cell(series);
      // The indicator given for the file is the indicator of the SERIES when the file has no INDICATOR (as in
      // SDMX-ML and SDMX-JSON: a series of the global SDG structure that Marsad does not know yet goes under it).
      const fallback = ind ? undefined : options.indicator?.trim() || undefined;
      if (!ind && !ser && !fallback) {
        errors.push({
          kind: 'error',
          at,
          column: indicator ? 'INDICATOR' : 'SERIES',
          message: 'neither INDICATOR nor SERIES is given and no indicator was given for the file',
        });
      }
      if (errors.length > 0) {
        yield* errors;
        continue;
      }
      const record: ObservationRecord = {
        place: where,
        period: time!,
        value: v.kind === 'number' ? v.value : null,
        dims: Object.create(null),
      };
      if (ind ?? fallback) record.indicator = ind ?? fallback;
      if (ser) record.series = ser;
      const u = cell(unit);
      if (u) record.unit = u;
      // UNIT_MULT scales the value into its unit (the import does it: core/observations/units.ts); 0 is the unit itself.
      const mult = cell(unitMult);
      if (mult !== undefined && mult !== '0') record.unitMultiplier = mult;
      const s = cell(status) ?? statusFromObsStatus(cell(obsStatus));
      if (s) record.status = s;
      for (const c of notes) {
        const n = cell(c);
        if (n) {
          record.note = n;
          break;
        }
      }
      for (const c of sources) {
        const n = cell(c);
        if (n) {
          record.source = n;
          break;
        }
      }
      for (const d of dims) {
        const code = cell(d);
        if (code !== undefined && !SDMX_NO_BREAKDOWN.has(code)) record.dims[d.id] = code;
      }
      yield { kind: 'row', at, record };
    }
  if (!columns && !unreadable)
    yield { kind: 'error', at: 1, message: 'the file is empty: SDMX-CSV needs a header and rows' };
}
