/**
 * A data query on MARSAD:DF_MARSAD turned into the ObservationFilter of the JSON API and back into SDMX: the key's
 * codes (SDMX ids, or Marsad's own codes where unambiguous) become indicators, series, places and breakdowns, with
 * the reader's access to unpublished and suppressed values from `toFilter` (observations/observation-filter.ts), so
 * /sdmx/ shows each reader what /api/v1/observations shows them. What the filter cannot say is checked on each row
 * as it streams: several keys (OR), a series code that matched as an alias, operators on TIME_PERIOD other than
 * ge/le, filters on attributes and OBS_VALUE, firstNObservations / lastNObservations per series.
 *
 * Rows come in series order (streamObservations' `series` order: a series at a place and breakdown whole, from its
 * earliest period), so that a writer makes one Series element per series key.
 */
import { type ExportRecord, parsePeriod } from '@marsad/core';
import {
  countObservationsUpTo,
  type ObservationFilter,
  type ObservationRow,
  observationSeriesSummary,
  streamObservations,
  toExportRecord,
} from '@marsad/db';
import type { AppContext } from '../context.ts';
import { obsStatusOf } from '../formats/common/sdmx.ts';
import { confStatusOf, sdmxComment, valueText } from '../formats/common/suppression.ts';
import { toFilter, type UnpublishedAccess } from '../observations/observation-filter.ts';
import type { DataFormat } from './content-negotiation.ts';
import { isUsualLayout, writeData } from './data-write.ts';
import type { DataLayout, DataQuery, DataSelection, SeriesAvailability } from './dataflows.ts';
import { syntaxError } from './error-message.ts';
import { writeSdmxJsonTwoPass } from './json-write.ts';
import {
  type ComponentFilter,
  type FilterTerm,
  filterMatches,
  keyMatches,
  mergeKeys,
  type SeriesKeyQuery,
} from './key-syntax.ts';
import {
  ATTRIBUTES,
  MARSAD_AGENCY,
  MARSAD_DATAFLOW,
  type MarsadCatalog,
  type MarsadDimension,
  type StoredVersion,
} from './marsad-structure.ts';
import { baseSdmxId, type IdMap, idMapOf } from './sdmx-ids.ts';

type Field = 'indicator' | 'series' | 'place' | 'dim';

interface KeyDimension {
  id: string;
  field: Field;
  ids: IdMap;
  /** The Marsad dimension (field 'dim'). */
  dim?: MarsadDimension;
}

/** The key's dimensions of a version, in order. */
export function keyDimensions(c: MarsadCatalog, v: StoredVersion): KeyDimension[] {
  return [
    { id: 'INDICATOR', field: 'indicator', ids: c.indicators },
    { id: 'SERIES', field: 'series', ids: c.series },
    { id: 'REF_AREA', field: 'place', ids: c.places },
    ...v.dimensions.map(([code, id]): KeyDimension => {
      // A dimension the catalog lacks (read from a replica behind the primary that wrote the version) keeps its
      // position, with its total alone.
      const dim = c.dimensions.get(code) ?? {
        code,
        names: {},
        values: idMapOf(['_T'], 'code'),
        valueNames: new Map(),
        order: ['_T'],
        codelistId: `CL_${id}`,
      };
      return { id, field: 'dim', ids: dim.values, dim };
    }),
  ];
}

/** A term on TIME_PERIOD: a canonical period with its first and last day. */
interface TimeTerm {
  op: FilterTerm['op'];
  code: string;
  start: string;
  end: string;
  text: string;
}

function period(text: string, where: string): { code: string; start: string; end: string } {
  const p = parsePeriod(text);
  if (!p.ok)
    throw syntaxError(`${where}: "${text}" is not a time period (2015, 2015-Q1, 2015-01, 2015-01-31…): ${p.message}`);
  return p.period;
}

/** Whether a row's period passes one alternative of c[TIME_PERIOD] (all its terms). */
function timeTermsHold(terms: readonly TimeTerm[], row: { period: string; periodStart: string; periodEnd: string }) {
  return terms.every((t) => {
    switch (t.op) {
      case 'eq':
        return row.period === t.code;
      case 'ne':
        return row.period !== t.code;
      case 'ge':
        return row.periodEnd >= t.start;
      case 'gt':
        return row.periodStart > t.end;
      case 'le':
        return row.periodStart <= t.end;
      case 'lt':
        return row.periodEnd < t.start;
      case 'co':
        return row.period.includes(t.text);
      case 'nc':
        return !row.period.includes(t.text);
      case 'sw':
        return row.period.startsWith(t.text);
      case 'ew':
        return row.period.endsWith(t.text);
    }
    return false;
  });
}

/** The days the alternatives of c[TIME_PERIOD] can reach: every row they keep lies within (superset). */
function timeBounds(alternatives: readonly (readonly TimeTerm[])[]): { from?: string; to?: string } {
  let from: string | undefined = '9999-12-31';
  let to: string | undefined = '0001-01-01';
  for (const terms of alternatives) {
    let lo: string | undefined;
    let hi: string | undefined;
    for (const t of terms) {
      const l = t.op === 'ge' || t.op === 'eq' ? t.start : t.op === 'gt' ? t.end : undefined;
      const h = t.op === 'le' || t.op === 'eq' ? t.end : t.op === 'lt' ? t.start : undefined;
      if (l !== undefined && (lo === undefined || l > lo)) lo = l;
      if (h !== undefined && (hi === undefined || h < hi)) hi = h;
    }
    from = lo === undefined || from === undefined ? undefined : lo < from ? lo : from;
    to = hi === undefined || to === undefined ? undefined : hi > to ? hi : to;
  }
  return { from, to };
}

const later = (a: string | undefined, b: string | undefined) =>
  a === undefined ? b : b === undefined || a > b ? a : b;
const earlier = (a: string | undefined, b: string | undefined) =>
  a === undefined ? b : b === undefined || a < b ? a : b;

/** What a query asks of time: startPeriod, endPeriod and c[TIME_PERIOD]. */
export interface TimeSelection {
  /** The first and last day a value may reach (a superset of what `holds` keeps). */
  from?: string;
  to?: string;
  /** Whether no period can pass (from after to). */
  empty: boolean;
  /** Whether a value's period (Marsad's code, its first and last day) passes c[TIME_PERIOD]; undefined: no filter. */
  holds?: (row: { period: string; periodStart: string; periodEnd: string }) => boolean;
}

/**
 * startPeriod, endPeriod and c[TIME_PERIOD] of a query: the days they bound (periods ending on or after `from`,
 * starting on or before `to`), and the exact test of c[TIME_PERIOD]. A bad period is a 400.
 */
export function timeSelectionOf(query: DataQuery): TimeSelection {
  const timeFilter = query.filters.get('TIME_PERIOD');
  const alternatives: TimeTerm[][] | undefined = timeFilter?.map((terms) =>
    terms.map((t) => ({ op: t.op, text: t.value, ...period(t.value, 'c[TIME_PERIOD]') })),
  );
  let from = query.startPeriod === undefined ? undefined : period(query.startPeriod, 'startPeriod').start;
  let to = query.endPeriod === undefined ? undefined : period(query.endPeriod, 'endPeriod').end;
  if (alternatives) {
    const b = timeBounds(alternatives);
    from = later(from, b.from);
    to = earlier(to, b.to);
  }
  return {
    from,
    to,
    empty: from !== undefined && to !== undefined && from > to,
    holds: alternatives ? (row) => alternatives.some((terms) => timeTermsHold(terms, row)) : undefined,
  };
}

/** The value an attribute or the measure has in a record, as the writers write it. */
function componentValue(r: ExportRecord, id: string): string | undefined {
  switch (id) {
    case 'UNIT_MEASURE':
      return r.unit;
    case 'OBS_STATUS':
      return obsStatusOf(r.status);
    case 'CONF_STATUS':
      return confStatusOf(r) || undefined;
    case 'MARSAD_STATUS':
      return r.status;
    case 'COMMENT_OBS':
      return sdmxComment(r);
    case 'SOURCE_DETAIL':
      return r.source;
    case 'OBS_VALUE': {
      const v = valueText(r);
      return v === '' ? undefined : v;
    }
  }
  return undefined;
}

export interface MarsadSelectionOptions {
  /** Names of codes in this language for SDMX-JSON (default English). */
  language?: string;
}

/** The data of DF_MARSAD (one version) a query selects, as the reader may see it. */
export function selectMarsadData(
  ctx: AppContext,
  c: MarsadCatalog,
  version: StoredVersion,
  query: DataQuery,
  access: UnpublishedAccess,
): DataSelection {
  const dims = keyDimensions(c, version);
  const structureId = `${MARSAD_AGENCY}:${MARSAD_DATAFLOW}(${version.version})`;
  const known = new Set([...dims.map((d) => d.id), 'TIME_PERIOD', 'OBS_VALUE', ...ATTRIBUTES]);
  for (const id of query.filters.keys())
    if (!known.has(id))
      throw syntaxError(`c[${id}]: ${structureId} has no component ${id}; its components are ${[...known].join(', ')}`);

  // The keys in SDMX ids, with the component filters on dimensions applied; a key one of whose positions keeps no
  // code selects nothing.
  const keys: SeriesKeyQuery[] = [];
  for (const key of query.keys) {
    const resolved = dims.map((d, i) => {
      const asked = key[i] ?? null;
      let ids: string[] | null =
        asked === null ? null : [...new Set(asked.map((v) => d.ids.resolveId(v)).filter((x) => x !== undefined))];
      const filter = query.filters.get(d.id);
      if (filter) {
        const all = ids ?? d.ids.codes.map((code) => d.ids.idOf(code)!);
        ids = all.filter((id) => filterMatches(filter, id, { alias: d.ids.codeOf(id) }));
      }
      return ids;
    });
    if (resolved.every((p) => p === null || p.length > 0)) keys.push(resolved);
  }

  // Time: startPeriod and endPeriod, and c[TIME_PERIOD] (exact on each row; its bounds narrow the query).
  const time = timeSelectionOf(query);
  const { from, to } = time;

  // The filter: the reader's access as the JSON API gives it, then the merged keys.
  const f: ObservationFilter = toFilter({}, access);
  const dimsFilter: Record<string, string[]> = {};
  const merged = mergeKeys(keys, dims.length);
  const codesAt = (i: number) => {
    const ids = merged[i];
    return ids === null || ids === undefined ? undefined : ids.map((id) => dims[i]!.ids.codeOf(id)!);
  };
  dims.forEach((d, i) => {
    const codes = codesAt(i);
    if (codes === undefined) return;
    if (d.field === 'indicator') f.indicators = codes;
    else if (d.field === 'series') f.series = codes;
    else if (d.field === 'place') f.places = codes;
    else if (d.dim) dimsFilter[d.dim.code] = codes;
  });
  // The dimensions this version lacks: their totals only.
  const inVersion = new Map(version.dimensions.map(([code, id]) => [code, id]));
  for (const code of c.dimensions.keys()) if (!inVersion.has(code)) dimsFilter[code] = ['_T'];
  const onlyTotal = (code: string) => dimsFilter[code]?.length === 1 && dimsFilter[code][0] === '_T';
  if (c.dimensions.size > 0 && [...c.dimensions.keys()].every(onlyTotal)) f.totalOnly = true;
  else if (Object.keys(dimsFilter).length) f.dims = dimsFilter;
  if (from !== undefined) f.from = from;
  if (to !== undefined) f.to = to;
  if (query.updatedAfter) f.updatedAfter = query.updatedAfter;
  const empty = keys.length === 0 || (from !== undefined && to !== undefined && from > to);

  const attributeFilters: [string, ComponentFilter][] = [...query.filters].filter(
    ([id]) => id === 'OBS_VALUE' || (ATTRIBUTES as readonly string[]).includes(id),
  );
  const versionDims = dims.filter((d) => d.field === 'dim');
  const dimByCode = new Map(versionDims.map((d) => [d.dim!.code, d]));

  /** A row in SDMX ids, or null when it has a dimension this version lacks (created since the catalog was read). */
  function toRecord(row: ObservationRow): ExportRecord | null {
    const out: Record<string, string> = {};
    for (const [code, value] of Object.entries(row.dims)) {
      const d = dimByCode.get(code);
      if (!d) return null;
      out[d.id] = d.ids.idOf(value) ?? baseSdmxId(value, 'code');
    }
    const unitCode = c.seriesUnit.get(row.seriesId) ?? row.unit ?? undefined;
    const en = (names: Map<string, Readonly<Record<string, string>>>, code: string) => names.get(code)?.en;
    return {
      ...toExportRecord(row),
      indicator: c.indicators.idOf(row.indicator) ?? baseSdmxId(row.indicator, 'code'),
      indicatorName: en(c.indicatorNames, row.indicator),
      series: c.series.idOf(row.series) ?? baseSdmxId(row.series, 'code'),
      seriesName: en(c.seriesNames, row.series),
      place: c.places.idOf(row.place) ?? baseSdmxId(row.place, 'code'),
      placeName: en(c.placeNames, row.place),
      placeExternal: undefined,
      unit: unitCode === undefined ? undefined : (c.units.idOf(unitCode) ?? baseSdmxId(unitCode, 'code')),
      dims: out,
    };
  }
  /** English names of the Marsad dimensions and their values, for SDMX-JSON. */
  function jsonNames() {
    const dimensionNames: Record<string, string> = {};
    const dimensionValueNames: Record<string, Record<string, string>> = {};
    for (const d of versionDims) {
      const dim = d.dim!;
      dimensionNames[d.id] = dim.names.en ?? dim.code;
      const names: Record<string, string> = {};
      for (const code of dim.order) {
        const n = dim.valueNames.get(code)?.en;
        if (n) names[d.ids.idOf(code)!] = n;
      }
      dimensionValueNames[d.id] = names;
    }
    return { dimensionNames, dimensionValueNames };
  }
  const keyOf = (r: ExportRecord) => [r.indicator, r.series, r.place, ...versionDims.map((d) => r.dims[d.id] ?? '_T')];

  /** The records the query selects, in series order, with firstN / lastN applied per series. */
  async function* records(): AsyncGenerator<ExportRecord> {
    if (empty) return;
    const firstN = query.firstNObservations;
    const lastN = query.lastNObservations;
    let group = '';
    let seen = 0;
    let tail: ExportRecord[] = [];
    for await (const row of streamObservations(ctx.store.db, f, 5000, 'series')) {
      if (time.holds && !time.holds(row)) continue;
      const r = toRecord(row);
      if (!r) continue;
      if (!keyMatches(keys, keyOf(r))) continue;
      if (attributeFilters.some(([id, flt]) => !filterMatches(flt, componentValue(r, id)))) continue;
      if (firstN === undefined && lastN === undefined) {
        yield r;
        continue;
      }
      const g = `${row.seriesId}:${row.placeId}:${row.disaggId}`;
      if (g !== group) {
        yield* tail;
        tail = [];
        group = g;
        seen = 0;
      }
      seen++;
      if (firstN !== undefined && seen <= firstN) yield r;
      else if (lastN !== undefined) {
        tail.push(r);
        if (tail.length > lastN) tail.shift();
      }
    }
    yield* tail;
  }

  return {
    async countUpTo(limit) {
      return empty ? 0 : countObservationsUpTo(ctx.store.db, f, limit);
    },
    async availability(): Promise<SeriesAvailability[]> {
      if (empty) return [];
      const out: SeriesAvailability[] = [];
      for (const s of await observationSeriesSummary(ctx.store.db, f)) {
        const key: string[] = [
          c.indicators.idOf(s.indicator) ?? baseSdmxId(s.indicator, 'code'),
          c.series.idOf(s.series) ?? baseSdmxId(s.series, 'code'),
          c.places.idOf(s.place) ?? baseSdmxId(s.place, 'code'),
        ];
        let known = true;
        for (const d of versionDims) {
          const value = s.dims[d.dim!.code];
          key.push(value === undefined ? '_T' : (d.ids.idOf(value) ?? baseSdmxId(value, 'code')));
        }
        for (const code of Object.keys(s.dims)) if (!inVersion.has(code)) known = false;
        if (!known || !keyMatches(keys, key)) continue;
        out.push({ key, observations: s.observations, firstDay: s.firstDay, lastDay: s.lastDay });
      }
      return out;
    },
    async write(format: DataFormat, layout: DataLayout) {
      const options = {
        dimensions: versionDims.map((d) => d.id),
        structureId,
        ...(format === 'json' ? jsonNames() : {}),
      };
      // SDMX-JSON lists every value before the observations: read twice rather than held (json-write.ts).
      if (format === 'json' && isUsualLayout(layout)) return writeSdmxJsonTwoPass(records, options);
      const it = records();
      const first = await it.next();
      if (first.done) return null;
      async function* all(): AsyncGenerator<ExportRecord> {
        yield first.value as ExportRecord;
        yield* it;
      }
      return writeData(all(), format, layout, options);
    },
  };
}
