/**
 * The export for the UN: a country's SDG data under an SDMX data structure (the global SDG structure
 * `IAEG-SDGs:SDG`, its latest version loaded unless one is named), as SDMX-ML 2.1 structure-specific data or SDMX-CSV
 * 2.0 (un-export-write.ts), every value in its UN form (un-form.ts). The check runs first (check-data.ts, over the
 * same values in the same form): by default only the values without a problem are written, and how many were left
 * out is told (the API: `X-Marsad-Left-Out` and a link to GET /api/v1/sdmx/check; the CLI: on stderr); `strict`
 * refuses the export with the problems instead. The values: those of the country itself (the UN takes national data),
 * of SDG indicators, approved ones, or every status (`status: 'all'`) for those who may see the place's unpublished
 * values. Values withheld from the public by their indicator's suppression rule are never sent (left out, counted).
 * The data are read twice (the check, then the writing): a value changed in between is checked again as it is
 * written, so what is written always passes; only the count told may then be off by the values changed.
 */
import type { Store } from '@marsad/db';
import { sql } from 'kysely';
import { FORMAT_CONTENT_TYPES } from '../formats/index.ts';
import { HttpError } from '../http/errors.ts';
import { type CheckReport, checkUnValues } from './check-data.ts';
import { findStructure } from './constraints.ts';
import { notXmlNames, writeUnSdmxCsv, writeUnSdmxMl } from './un-export-write.ts';
import { loadUnStructure, m49Of, type UnDataStructure, type UnRecord, type UnStructure } from './un-form.ts';
import { type UnItem, type UnSelection, unItems } from './un-values.ts';

export const UN_EXPORT_FORMATS = ['sdmx-ml', 'sdmx-csv'] as const;
export type UnExportFormat = (typeof UN_EXPORT_FORMATS)[number];
export type UnExportStatus = 'approved' | 'all';
export const SDG_STRUCTURE = 'IAEG-SDGs:SDG';

/** What to export: a country, under a structure, approved values or all. */
export interface UnTarget {
  /** Marsad's code of the place: a country. */
  place: string;
  /** `AGENCY:ID` (its latest version loaded) or `AGENCY:ID(VERSION)`; default IAEG-SDGs:SDG. */
  structure?: string;
  /** approved (default), or all: every status, which needs `readsUnpublished`. */
  status?: UnExportStatus;
  /** Whether the caller may see the unpublished values of the place at this path (its roles; the operator: yes). */
  readsUnpublished?: (placePath: string) => boolean;
}

interface Resolved {
  structure: UnStructure;
  selection: UnSelection;
}

/** The place and the structure of a target, every bad input a 400 (403: status all without the right) naming it. */
async function resolveTarget(store: Store, t: UnTarget): Promise<Resolved> {
  const place = await store.db
    .selectFrom('places')
    .select(['id', 'code', 'level', 'path', 'codes'])
    .where('code', '=', t.place)
    .executeTakeFirst();
  if (!place) throw new HttpError(400, 'bad_request', `place: no place with code "${t.place}".`);
  if (place.level !== 'country') {
    const countryId = Number(place.path.split('/')[1]);
    const country = Number.isInteger(countryId)
      ? await store.db.selectFrom('places').select('code').where('id', '=', countryId).executeTakeFirst()
      : undefined;
    throw new HttpError(
      400,
      'bad_request',
      `place: ${place.code} is a ${place.level}, not a country: the UN takes a country's national data${country ? `; export ${country.code}` : ''}.`,
    );
  }
  const status = t.status ?? 'approved';
  if (status === 'all' && !t.readsUnpublished?.(place.path))
    throw new HttpError(
      403,
      'forbidden',
      `status: "all" includes values that are not approved yet; only those who may see the unpublished values of ${place.code} (its national focal points and data validators, administrators) may export them. Export the approved values (status=approved).`,
    );
  const ref = t.structure?.trim() || SDG_STRUCTURE;
  const found = await findStructure(store, ref);
  if (!found)
    throw new HttpError(
      400,
      'bad_request',
      `structure: no data structure ${ref} is loaded; an administrator loads it with POST /api/v1/sdmx/structures (marsad sdmx load-structure), and its content constraints with POST /api/v1/sdmx/constraints.`,
    );
  const codes = (place.codes ?? {}) as Record<string, string>;
  const area = m49Of(codes);
  if (area === null)
    throw new HttpError(
      400,
      'bad_request',
      `place: ${place.code} has no M49 code (codes.m49, or codes.iso3166_numeric), which the UN needs as REF_AREA; give the place its M49 code first.`,
    );
  const structure = await loadUnStructure(store, found);
  const bad = notXmlNames(structure);
  if (bad.length)
    throw new HttpError(
      400,
      'bad_request',
      `structure: the components ${bad.join(', ')} of ${structure.ref} cannot be written as XML attributes.`,
    );
  return { structure, selection: { place: { code: place.code, codes }, area, approvedOnly: status !== 'all' } };
}

/** What the export left out (or, after `records` was read to its end, the second pass left out). */
export interface LeftOut {
  values: number;
  byRule: Record<string, number>;
}

/**
 * A country's SDG data in the terms of a data structure, for the export for the UN and for any service that offers
 * the data under that structure (the /sdmx/ REST service):
 *
 * ```ts
 * const u = await unRecords(store, { place: 'MAR' });            // IAEG-SDGs:SDG, its latest version; approved values
 * u.structure;  // { ref: 'IAEG-SDGs:SDG(1.14)', agency: 'IAEG-SDGs', id: 'SDG', version: '1.14',
 *               //   components: [{ id: 'FREQ', kind: 'dimension', position: 1, mandatory: false, attachment: null,
 *               //   codelist: 'SDMX:CL_FREQ(2.0)' }, …, { id: 'TIME_PERIOD', kind: 'time', … },
 *               //   { id: 'OBS_VALUE', kind: 'measure', … }, { id: 'OBS_STATUS', kind: 'attribute',
 *               //   attachment: 'observation', mandatory: true, … }, …] }
 * for await (const r of u.records) {
 *   r.key;        // { FREQ: 'A', REPORTING_TYPE: 'N', SERIES: 'EN_LND_SLUM', REF_AREA: '504', SEX: '_T', …, PRODUCT: '_T' }
 *                 // (every dimension but time, in the structure's order)
 *   r.timePeriod; // '2020'
 *   r.value;      // 12.5
 *   r.attributes; // { OBS_STATUS: 'A', UNIT_MULT: '0', UNIT_MEASURE: 'PT', NATURE: 'C', SOURCE_DETAIL: 'Census' }
 *                 // (the ones given; `attachment` says which belong to the series, which to the observation)
 * }
 * u.leftOut;      // once the records are read: { values: 2, byRule: { 'breakdown-not-allowed': 1, suppressed: 1 } }
 * ```
 *
 * Only the values that pass the check come out (GET /api/v1/sdmx/check lists the others), the records of one key one
 * after another by time period, the series attributes the same for all of them. Bad input throws an HttpError: 400
 * naming the field (no such place, not a country, no M49 code, no such structure loaded), 403 for `status: 'all'`
 * without `readsUnpublished`.
 */
export async function unRecords(
  store: Store,
  target: UnTarget,
): Promise<{ structure: UnDataStructure; records: AsyncIterable<UnRecord>; leftOut: LeftOut }> {
  const r = await resolveTarget(store, target);
  return recordsOf(store, r);
}

/** Whether the export writes a value: it passes the check (a withheld value never does). */
export function isWritten(item: UnItem): item is UnItem & { form: UnItem['form'] & { value: number } } {
  return item.problems.length === 0 && item.form.value !== null;
}

/** The record the export writes for a value that passes. */
function recordOf({ form }: UnItem & { form: { value: number } }): UnRecord {
  return { key: form.key, timePeriod: form.timePeriod, value: form.value, attributes: form.attributes };
}

function recordsOf(store: Store, r: Resolved) {
  const leftOut: LeftOut = { values: 0, byRule: {} };
  async function* records(): AsyncGenerator<UnRecord> {
    for await (const item of unItems(store, r.structure, r.selection)) {
      if (!isWritten(item)) {
        leftOut.values++;
        for (const p of new Set(item.problems.map((x) => x.rule))) leftOut.byRule[p] = (leftOut.byRule[p] ?? 0) + 1;
        continue;
      }
      yield recordOf(item);
    }
  }
  const { rowId: _rowId, check: _check, constraints: _constraints, units: _units, ...structure } = r.structure;
  return { structure, records: records(), leftOut };
}

export interface UnExport {
  contentType: string;
  fileName: string;
  /** The check of every value, before anything is written: `valuesLeftOut` values are not written. */
  report: CheckReport;
  /** Where the values left out are listed (GET /api/v1/sdmx/check). */
  checkPath: string;
  body: AsyncIterable<string>;
}

/**
 * The export for the UN of a place's SDG data: the check first, then the values that pass, written in the format.
 * With `strict`, a value with a problem refuses the whole export (422, the problems in `details`).
 */
export async function exportForUn(
  store: Store,
  target: UnTarget & {
    format?: UnExportFormat;
    strict?: boolean;
    /** Header of an SDMX-ML message: the sender (default MARSAD). */
    senderId?: string;
    /** Told as values are written. */
    onWritten?: (values: number) => void;
  },
): Promise<UnExport> {
  const resolved = await resolveTarget(store, target);
  const report = await checkUnValues(store, resolved.structure, resolved.selection);
  const checkPath = `/api/v1/sdmx/check?${new URLSearchParams({ place: resolved.selection.place.code, structure: resolved.structure.ref })}`;
  if (target.strict && report.valuesLeftOut > 0)
    throw new HttpError(
      422,
      'refused_by_check',
      `strict: ${report.valuesLeftOut} of the ${report.observations} values of ${report.place} would not pass under ${report.structure} (${Object.entries(
        report.byRule,
      )
        .map(([rule, n]) => `${rule}: ${n}`)
        .join(', ')}), so nothing is exported. The first: ${report.problems
        .slice(0, 3)
        .map((p) => `${p.series} ${p.period}${p.breakdown ? ` [${p.breakdown}]` : ''}: ${p.message}`)
        .join('; ')}.`,
      {
        observations: report.observations,
        valuesLeftOut: report.valuesLeftOut,
        problemCount: report.problemCount,
        byRule: report.byRule,
        problems: report.problems,
      },
    );
  const format = target.format ?? 'sdmx-ml';
  const { structure, records } = recordsOf(store, resolved);
  const counted = target.onWritten ? counting(records, target.onWritten) : records;
  const s = resolved.structure;
  const stem = `${resolved.selection.place.code}_${s.agency}-${s.id}-${s.version}`.replace(/[^A-Za-z0-9_.-]/g, '_');
  return {
    contentType: FORMAT_CONTENT_TYPES[format],
    fileName: `${stem}.${format === 'sdmx-ml' ? 'xml' : 'csv'}`,
    report,
    checkPath,
    body:
      format === 'sdmx-ml'
        ? writeUnSdmxMl(structure, counted, { senderId: target.senderId })
        : writeUnSdmxCsv(structure, counted),
  };
}

async function* counting<T>(items: AsyncIterable<T>, tell: (n: number) => void): AsyncGenerator<T> {
  let n = 0;
  for await (const item of items) {
    yield item;
    if (++n % 1000 === 0) tell(n);
  }
  tell(n);
}

/** A country the UN takes data of: a place of level country with an M49 code (its REF_AREA). */
export interface UnCountry {
  id: number;
  code: string;
  path: string;
  codes: Record<string, string>;
  /** The M49 code (m49Of). */
  area: string;
}

/**
 * The countries with an M49 code that hold values of SDG indicators (of any status), in the order of their M49 codes;
 * only those of the given M49 codes when `areas` is given. What a service offering every country's data under the
 * structure reads, one country at a time (the /sdmx/ REST service's DF_SDG). A country is found to hold values by one
 * probe of the `place_id` index.
 */
export async function unCountries(store: Store, areas?: readonly string[]): Promise<UnCountry[]> {
  const rows = await store.db
    .selectFrom('places')
    .select(['id', 'code', 'path', 'codes'])
    .where('level', '=', 'country')
    .execute();
  const wanted = areas ? new Set(areas) : null;
  const countries: UnCountry[] = [];
  for (const r of rows) {
    const codes = (r.codes ?? {}) as Record<string, string>;
    const area = m49Of(codes);
    if (area !== null && (wanted === null || wanted.has(area)))
      countries.push({ id: r.id, code: r.code, path: r.path, codes, area });
  }
  if (!countries.length) return [];
  const withValues = new Set(
    (
      await store.db
        .selectFrom('places as p')
        .select('p.id')
        .where(
          'p.id',
          'in',
          countries.map((c) => c.id),
        )
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('observations as o')
              .select(sql`1`.as('one'))
              .whereRef('o.place_id', '=', 'p.id')
              .where(
                'o.indicator_id',
                'in',
                eb.selectFrom('indicators').select('id').where('sdg_target', 'is not', null),
              ),
          ),
        )
        .execute()
    ).map((r) => r.id),
  );
  return countries
    .filter((c) => withValues.has(c.id))
    .sort((a, b) => Number(a.area) - Number(b.area) || (a.code < b.code ? -1 : 1));
}

/** A value the export writes, with the stored value it comes from. */
export interface UnWrittenValue {
  record: UnRecord;
  observation: UnItem['observation'];
}

/**
 * What the export for the UN writes for one country (the records of `unRecords`: the values that pass the check, each
 * key's values together), with the stored value each comes from — its period's days and when it was written — for a
 * service that selects by period or time of writing after the check. `approvedOnly: false` is for readers who may see
 * the country's unpublished values (as `status: 'all'`); `series` limits the reading to those Marsad series.
 */
export async function* unWrittenValues(
  store: Store,
  structure: UnStructure,
  country: UnCountry,
  options: { approvedOnly: boolean; series?: readonly string[] },
): AsyncGenerator<UnWrittenValue> {
  const selection: UnSelection = {
    place: { code: country.code, codes: country.codes },
    area: country.area,
    approvedOnly: options.approvedOnly,
    ...(options.series ? { series: options.series } : {}),
  };
  for await (const item of unItems(store, structure, selection)) {
    if (isWritten(item)) yield { record: recordOf(item), observation: item.observation };
  }
}
