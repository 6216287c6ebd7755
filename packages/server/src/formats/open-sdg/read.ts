/**
 * Open SDG data CSV → ReadItems, streamed row by row.
 *
 * One indicator per file (`indicator_11-1-1.csv`). Columns are read for what their SDMX concept says (headers are
 * matched without regard to case, spaces or underscores):
 * - `Year` the period, `Value` the value;
 * - `REF_AREA`, `GeoCode`: the place (a code, an external code or a name; blank: the file's place);
 * - beside one of them, the columns that name the same place in words (`Country`, `Region`, `Local authority`, `City`,
 *   … see PLACE_LABELS): labels, never breakdowns. When the code is blank, the most specific label names the place;
 *   so does a finer label than the code's own (a local authority given its region's code).
 * - `SERIES`/`Series` the series; `UNIT_MEASURE`/"Unit measure" the unit; `Units` the unit, and the series when there
 *   is no series column (Open SDG shows Units as its own selector, and files use it to part series: Deaths, Injuries);
 * - `UNIT_MULT`/"Unit multiplier": passed on for the import to scale the value (common/attributes.ts);
 * - `OBS_STATUS`/"Observation status": provisional, or a note when it says more than "normal value";
 * - `COMMENT_OBS`: the note; the other SDMX attributes (FREQ, NATURE, …) are not read;
 * - an unnamed column is read only to check that it is empty;
 * - every other column is a breakdown under its header text ("Victim Gender"), a blank cell meaning "all": the import
 *   maps it onto a Marsad dimension by its name or its values' labels, or as `--map` says.
 */
import type { ObservationRecord, ReaderOptions, ReadItem } from '@marsad/core';
import { normaliseForSearch } from '@marsad/core';
import { noteWithStatus, observationStatus, unitStatesMultiplier } from '../common/attributes.ts';
import { readCsvRows } from '../common/csv-rows.ts';
import { SDMX_IGNORED } from '../common/sdmx.ts';
import { parseNumberCell, textCell } from '../common/values.ts';

type Role =
  | 'year'
  | 'value'
  | 'place'
  | 'placeLabel'
  | 'series'
  | 'units'
  | 'unit'
  | 'multiplier'
  | 'obsStatus'
  | 'comment'
  | 'ignore'
  | 'unnamed'
  | 'dim';

/** Headers (lower case, spaces for underscores) with a fixed role. */
const ROLES: Record<string, Role> = {
  year: 'year',
  value: 'value',
  geocode: 'place',
  'ref area': 'place',
  series: 'series',
  units: 'units',
  'unit measure': 'unit',
  'unit mult': 'multiplier',
  'unit multiplier': 'multiplier',
  'obs status': 'obsStatus',
  'observation status': 'obsStatus',
  'comment obs': 'comment',
};

/**
 * Headers that name a place in words beside its code: the usual names of areas in the six languages, and any header
 * ending in "authority", "council area" or "health board" (UK: "Welsh Unitary Authority", "Scottish Council Area").
 * Read so only when the file has a REF_AREA or GeoCode column.
 */
const PLACE_LABELS = new Set(
  [
    'country',
    'region',
    'sub-national area',
    'subnational area',
    'local authority',
    'city',
    'town',
    'county',
    'district',
    'province',
    'municipality',
    'state',
    'territory',
    'ward',
    'governorate',
    'oblast',
    'geography',
    'area name',
    'geocode name',
    'ref area name',
    'pays',
    'région',
    'ville',
    'département',
    'commune',
    'país',
    'región',
    'ciudad',
    'provincia',
    'municipio',
    'البلد',
    'الدولة',
    'المنطقة',
    'الجهة',
    'الاقليم',
    'المحافظة',
    'الولاية',
    'المدينة',
    'страна',
    'регион',
    'область',
    'город',
    'район',
    '国家',
    '地区',
    '省',
    '城市',
  ].map((h) => normaliseForSearch(h)),
);
const PLACE_LABEL_ENDINGS = /\s(?:authority|council area|health board)$/;

function roleOf(header: string): Role {
  if (header === '') return 'unnamed';
  const key = header
    .toLowerCase()
    .replace(/[_\s]+/g, ' ')
    .trim();
  const role = ROLES[key];
  if (role) return role;
  if (SDMX_IGNORED.has(header.toUpperCase().replace(/\s+/g, '_'))) return 'ignore';
  const words = normaliseForSearch(header.replace(/_/g, ' '));
  if (PLACE_LABELS.has(words) || PLACE_LABEL_ENDINGS.test(words)) return 'placeLabel';
  return 'dim';
}

/** `indicator_11-1-1.csv` → `11.1.1`; `indicator_11-a-1.csv` → `11.a.1`; anything else → undefined. */
export function indicatorFromFileName(fileName: string | undefined): string | undefined {
  if (!fileName) return undefined;
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const m = /^indicator_([0-9a-z]+(?:-[0-9a-z]+)+)\.csv$/i.exec(base);
  return m ? m[1]!.toLowerCase().replace(/-/g, '.') : undefined;
}

/** "2019/20 [Note 5]", "2001-2005 (baseline)": the period and the annotation Open SDG files add to it. */
function splitYear(year: string): { period: string; annotation?: string } {
  const m = /^(.*?\d)\s*[[(]([^\])]*)[\])]$/.exec(year);
  return m ? { period: m[1]!, annotation: m[2]!.trim() || undefined } : { period: year };
}

interface Column {
  name: string;
  index: number;
  role: Role;
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
  const filePlace = options.place?.trim() || undefined;
  let width = 0;
  let columns: Column[] | undefined;
  let year: Column | undefined;
  let value: Column | undefined;
  let places: Column[] = [];
  let labels: Column[] = [];
  let series: Column | undefined;
  let units: Column | undefined;
  let unit: Column | undefined;
  let multiplier: Column | undefined;
  let obsStatus: Column | undefined;
  let comment: Column | undefined;
  let unnamed: Column[] = [];
  let dims: Column[] = [];
  const told = new Set<string>();
  /** Per place code, the label column and name of its first row with a label (see below). */
  const codeLabels = new Map<string, { column: number; name: string; key: string; at: number }>();
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
        columns = row.cells.map((cell, index) => {
          const name = cell.trim();
          const role = roleOf(name);
          const key = role === 'dim' || role === 'placeLabel' ? name : name.toLowerCase().replace(/[_\s]+/g, ' ');
          if (name !== '' && seen.has(key)) problems.push(`column "${name}" appears twice`);
          seen.add(key);
          return { name, index, role };
        });
        const all = (role: Role) => columns!.filter((c) => c.role === role);
        year = all('year')[0];
        value = all('value')[0];
        // REF_AREA before GeoCode when a file gives both.
        places = all('place').sort((a, b) => Number(/geo/i.test(a.name)) - Number(/geo/i.test(b.name)));
        series = all('series')[0];
        units = all('units')[0];
        unit = all('unit')[0];
        multiplier = all('multiplier')[0];
        obsStatus = all('obsStatus')[0];
        comment = all('comment')[0];
        unnamed = all('unnamed');
        // Columns naming places in words are labels only beside a place code; otherwise they are breakdowns.
        labels = places.length > 0 ? all('placeLabel') : [];
        if (places.length === 0) for (const c of columns) if (c.role === 'placeLabel') c.role = 'dim';
        dims = all('dim');
        if (!year) problems.push('there is no Year column: an Open SDG data file starts with Year');
        if (!value) problems.push('there is no Value column: an Open SDG data file ends with Value');
        if (places.length === 0 && !filePlace) {
          problems.push('no place: the file has no GeoCode or REF_AREA column and no place was given for the file');
        }
        if (problems.length > 0) {
          for (const message of problems) yield { kind: 'error', at: row.line, message };
          return;
        }
        if (labels.length > 0) {
          yield {
            kind: 'notice',
            message: `${labels.map((c) => `"${c.name}"`).join(', ')} name the place of ${places.map((c) => c.name).join(' or ')} in words: read as its name, not as a breakdown`,
          };
        }
        const ignored = all('ignore');
        if (ignored.length > 0)
          yield { kind: 'notice', message: `columns not used: ${ignored.map((c) => c.name).join(', ')}` };
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
      const cell = (c: Column | undefined): string | undefined => (c ? textCell(cells[c.index]) : undefined);
      const v = parseNumberCell(cells[value!.index] ?? '', 'Value');
      if (v.kind === 'blank') {
        yield { kind: 'skip', at, reason: 'no data (blank Value)' };
        continue;
      }
      const errors: ReadItem[] = [];
      if (v.kind === 'error')
        errors.push({ kind: 'error', at, column: 'Value', message: v.message, code: v.code, params: v.params });
      for (const c of unnamed) {
        if (cell(c) !== undefined)
          errors.push({
            kind: 'error',
            at,
            column: `column ${c.index + 1}`,
            message: `column ${c.index + 1} has no name but this row gives it "${cell(c)}": name the column or empty it`,
          });
      }
      const rawYear = cell(year);
      if (!rawYear) errors.push({ kind: 'error', at, column: 'Year', message: 'Year is blank' });
      let code: string | undefined;
      for (const c of places) code ??= cell(c);
      let placeName: string | undefined;
      let placeColumn: string | undefined;
      let finest = -1;
      labels.forEach((c, i) => {
        const name = cell(c);
        if (name !== undefined) {
          placeName = name;
          placeColumn = c.name;
          finest = i;
        }
      });
      // A code is the place of the finest label its first row gives. A later row giving it with a finer label is
      // about that finer place, named by it (UK files give local authorities their region's GeoCode); one giving it
      // to another place of the same or a coarser column would put two places' values under one: an error.
      let byName = false;
      if (code !== undefined && finest >= 0) {
        const seen = codeLabels.get(code);
        const key = normaliseForSearch(placeName!);
        if (!seen || seen.column < 0) {
          if (codeLabels.size < 100_000) codeLabels.set(code, { column: finest, name: placeName!, key, at });
        } else if (finest > seen.column) {
          byName = true;
          if (!told.has('finer')) {
            told.add('finer');
            yield {
              kind: 'notice',
              message: `${placeColumn} "${placeName}" (row ${at}) has the ${places[0]!.name} of ${labels[seen.column]!.name} "${seen.name}": such rows are read as the place ${placeColumn} names`,
            };
          }
        } else if (finest < seen.column || key !== seen.key) {
          errors.push({
            kind: 'error',
            at,
            column: places[0]!.name,
            message: `${places[0]!.name} "${code}" is given to ${placeColumn} "${placeName}" here and to ${labels[seen.column]!.name} "${seen.name}" on row ${seen.at}: a code names one place; give each place its own code, or leave the code blank where the label names the place`,
          });
        }
      } else if (code !== undefined && !codeLabels.has(code) && codeLabels.size < 100_000) {
        codeLabels.set(code, { column: -1, name: code, key: '', at });
      }
      const place = (byName ? placeName : code) ?? placeName ?? filePlace;
      if (!place)
        errors.push({
          kind: 'error',
          at,
          column: places[0]?.name ?? 'GeoCode',
          message: `${places[0]?.name ?? 'GeoCode'} is blank and no place was given for the file`,
        });
      const unitText = cell(unit) ?? cell(units);
      if (errors.length > 0) {
        yield* errors;
        continue;
      }
      let multiplierText = cell(multiplier);
      if (multiplierText !== undefined && unitStatesMultiplier(unitText, multiplierText)) {
        if (!told.has(multiplierText)) {
          told.add(multiplierText);
          yield {
            kind: 'notice',
            message: `${multiplier!.name} "${multiplierText}" with the unit "${unitText}", which says the multiple itself: values kept as written (row ${at} first)`,
          };
        }
        multiplierText = undefined;
      }
      const { period, annotation } = splitYear(rawYear!);
      const record: ObservationRecord = {
        indicator,
        place,
        period,
        value: v.kind === 'number' ? v.value : null,
        dims: Object.create(null),
      };
      if (placeName !== undefined) {
        record.placeName = placeName;
        record.placeColumn = placeColumn;
      }
      const s = cell(series);
      if (s !== undefined) record.series = s;
      else if (cell(units) !== undefined) record.series = cell(units);
      if (unitText !== undefined) record.unit = unitText;
      if (multiplierText !== undefined) record.unitMultiplier = multiplierText;
      const status = observationStatus(cell(obsStatus));
      if (status.status) record.status = status.status;
      const note = noteWithStatus(
        [cell(comment), annotation].filter((n) => n !== undefined).join('; ') || undefined,
        status.note,
      );
      if (note !== undefined) record.note = note;
      for (const d of dims) {
        const x = cell(d);
        if (x !== undefined) record.dims[d.name] = x;
      }
      yield { kind: 'row', at, record };
    }
  if (!columns && !unreadable)
    yield { kind: 'error', at: 1, message: 'the file is empty: an Open SDG data file needs a header and rows' };
}
