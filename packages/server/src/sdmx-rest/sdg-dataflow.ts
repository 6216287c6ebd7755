/**
 * The SDG dataflow as a provider of the SDMX web service (dataflows.ts; docs/sdmx-rest.md, "The SDG dataflow"):
 * MARSAD:DF_SDG, over the global SDG data structure IAEG-SDGs:SDG (the latest version loaded; sdg-structure.ts), holding
 * Marsad's SDG data of every country with an M49 code in its UN form — exactly what the export for the UN writes for
 * each country (server/sdmx/un-export.ts: `unWrittenValues`, the values that pass the check; suppressed values and the
 * values of places that are not countries never appear). When no SDG structure is loaded the provider lists nothing,
 * and a query for DF_SDG is a 404.
 *
 * Who sees what: the rule of GET /api/v1/sdmx/export — approved values, and for a reader who may see a country's
 * unpublished values (its national focal points and data validators, administrators) every status of that country
 * (the export's `status=all`).
 *
 * A query is read country by country, one Marsad series at a time (`unItems` streams and groups one series' values):
 * REF_AREA in the key or c[REF_AREA] names the countries read (by M49 code); SERIES, the Marsad series read (those
 * written under the SERIES codes asked, by the same code or alias choice as the export); the other dimensions, the
 * periods (startPeriod, endPeriod, c[TIME_PERIOD]), updatedAfter and the attributes are applied to each value once it
 * is in its UN form. A series is read over all its periods, so that the check's rules over several values (one SERIES
 * code from one Marsad series, one value per key and period, the series attributes of a key) decide as in the export.
 */
import type { Store } from '@marsad/db';
import { sql } from 'kysely';
import type { AppContext } from '../context.ts';
import { formatNumber } from '../formats/common/values.ts';
import type { UnpublishedAccess } from '../observations/observation-filter.ts';
import { type UnCountry, unCountries, unWrittenValues } from '../sdmx/un-export.ts';
import { attributeCell, notXmlNames } from '../sdmx/un-export-write.ts';
import { loadUnStructure, type UnRecord, type UnStructure, unSeriesCode } from '../sdmx/un-form.ts';
import type { DataFormat } from './content-negotiation.ts';
import { timeSelectionOf } from './data-query.ts';
import { type MessageShape, type ObservationParts, writeStructuredData } from './data-write.ts';
import type { DataflowProvider, DataLayout, DataQuery, DataSelection, SeriesAvailability } from './dataflows.ts';
import { noResults, notImplemented, syntaxError } from './error-message.ts';
import { type JsonShape, textValue, writeStructuredJsonTwoPass } from './json-write.ts';
import { type ComponentFilter, filterMatches, keyMatches, mergeKeys } from './key-syntax.ts';
import { MARSAD_AGENCY } from './marsad-structure.ts';
import { loadSdgCatalog, SDG_DATAFLOW, type SdgCatalog } from './sdg-structure.ts';
import { refText } from './structure-model.ts';

/** One observation of DF_SDG: its key (a code per dimension, in order), its record, the days of its period. */
interface SdgObservation {
  key: string[];
  record: UnRecord;
  firstDay: string;
  lastDay: string;
}

/** Whether the reader may see the unpublished values of a place at this path (the export's `status=all` rule). */
function readsUnpublished(access: UnpublishedAccess): (placePath: string) => boolean {
  return (path) => access.all || access.within.some((w) => path.startsWith(w));
}

/** The structure in the export's terms, per database, while it and its code lists and constraints are unchanged. */
const unStructures = new WeakMap<Store, { key: string; un: UnStructure }>();

/**
 * The structure in the export's terms (loadUnStructure: the codes of its lists and its content constraints, 15,000 rows
 * for SDG 1.14), kept until the structure, a code list (`loaded`) or the constraints (their number and the transaction
 * that wrote them: loading constraints replaces them all) change.
 */
async function unStructureOf(store: Store, sdg: SdgCatalog): Promise<UnStructure> {
  const c = await store.db
    .selectFrom('sdmx_constraints')
    .select(sql<string>`count(*)::text || ':' || coalesce(max(xmin::text), '')`.as('written'))
    .where('structure_id', '=', sdg.row.id)
    .executeTakeFirst();
  const key = `${sdg.loaded} ${c?.written ?? ''}`;
  const kept = unStructures.get(store);
  if (kept?.key === key) return kept.un;
  const un = await loadUnStructure(store, sdg.row);
  unStructures.set(store, { key, un });
  return un;
}

/** What a query reads: the structure in the export's terms, the countries, the Marsad series (undefined: all). */
interface Reading {
  un: UnStructure;
  countries: UnCountry[];
  series?: string[];
}

/** The data of DF_SDG a query selects, as the reader may see it. */
export function selectSdgData(
  ctx: AppContext,
  sdg: SdgCatalog,
  query: DataQuery,
  access: UnpublishedAccess,
): DataSelection {
  const store = ctx.store;
  const { structure } = sdg;
  const flowId = refText(sdg.dataflow);
  const dims = structure.dimensions.map((d) => d.id);
  const attributes = structure.attributes.map((a) => a.id);
  const measure = structure.measure.id;
  const known = new Set([...dims, structure.time.id, measure, ...attributes]);
  for (const id of query.filters.keys())
    if (!known.has(id))
      throw syntaxError(`c[${id}]: ${flowId} has no component ${id}; its components are ${[...known].join(', ')}`);

  const time = timeSelectionOf(query);
  const after = query.updatedAfter === undefined ? undefined : Date.parse(query.updatedAfter);
  const dimFilters = dims
    .map((id, i): [number, ComponentFilter | undefined] => [i, query.filters.get(id)])
    .filter((x): x is [number, ComponentFilter] => x[1] !== undefined);
  const valueFilters = [...query.filters].filter(([id]) => id === measure || attributes.includes(id));
  const merged = mergeKeys(query.keys, dims.length);
  const at = (id: string) => {
    const i = dims.indexOf(id);
    return { codes: i < 0 ? null : (merged[i] ?? null), filter: query.filters.get(id) };
  };
  const area = at('REF_AREA');
  const seriesAsked = at('SERIES');
  const reads = readsUnpublished(access);

  let reading: Promise<Reading | null> | undefined;
  /** The structure, countries and series a query reads (null: nothing can match), found once. */
  const prepare = () => {
    reading ??= (async (): Promise<Reading | null> => {
      if (time.empty) return null;
      const countries = (await unCountries(store, area.codes ?? undefined)).filter(
        (c) => !area.filter || filterMatches(area.filter, c.area),
      );
      if (!countries.length) return null;
      const un = await unStructureOf(store, sdg);
      let series: string[] | undefined;
      if (seriesAsked.codes !== null || seriesAsked.filter) {
        const toUn = unSeriesCode(un);
        const rows = await store.db
          .selectFrom('series as s')
          .innerJoin('indicators as i', 'i.id', 's.indicator_id')
          .select(['s.code', 's.aliases'])
          .where('i.sdg_target', 'is not', null)
          .execute();
        series = [
          ...new Set(
            rows
              .filter((r) => {
                const code = toUn(r.code, r.aliases);
                return (
                  (seriesAsked.codes === null || seriesAsked.codes.includes(code)) &&
                  (!seriesAsked.filter || filterMatches(seriesAsked.filter, code))
                );
              })
              .map((r) => r.code),
          ),
        ];
        if (!series.length) return null;
      }
      return { un, countries, series };
    })();
    return reading;
  };

  /** The observations the query selects, country by country, each key's together, firstN / lastN per key. */
  async function* observations(): AsyncGenerator<SdgObservation> {
    const r = await prepare();
    if (!r) return;
    const firstN = query.firstNObservations;
    const lastN = query.lastNObservations;
    let group = '';
    let seen = 0;
    let tail: SdgObservation[] = [];
    for (const country of r.countries) {
      const values = unWrittenValues(store, r.un, country, { approvedOnly: !reads(country.path), series: r.series });
      for await (const { record, observation: o } of values) {
        if (time.from !== undefined && o.periodEnd < time.from) continue;
        if (time.to !== undefined && o.periodStart > time.to) continue;
        if (time.holds && !time.holds(o)) continue;
        // updatedAt is to the second: a value written in the second of `updatedAfter` is kept.
        if (after !== undefined && Date.parse(o.updatedAt) + 1000 <= after) continue;
        const key = dims.map((d) => record.key[d] ?? '');
        if (!keyMatches(query.keys, key)) continue;
        if (dimFilters.some(([i, f]) => !filterMatches(f, key[i]))) continue;
        if (
          valueFilters.some(
            ([id, f]) => !filterMatches(f, id === measure ? formatNumber(record.value) : record.attributes[id]),
          )
        )
          continue;
        const obs: SdgObservation = { key, record, firstDay: o.periodStart, lastDay: o.periodEnd };
        if (firstN === undefined && lastN === undefined) {
          yield obs;
          continue;
        }
        const g = key.join('\u0000');
        if (g !== group) {
          yield* tail;
          tail = [];
          group = g;
          seen = 0;
        }
        seen++;
        if (firstN !== undefined && seen <= firstN) yield obs;
        else if (lastN !== undefined) {
          tail.push(obs);
          if (tail.length > lastN) tail.shift();
        }
      }
    }
    yield* tail;
  }

  const seriesAttributes = structure.attributes.filter((a) => a.attachment !== 'observation').map((a) => a.id);
  const observationAttributes = structure.attributes.filter((a) => a.attachment === 'observation').map((a) => a.id);
  const shape: MessageShape = {
    structureId: flowId,
    dimensions: dims,
    time: structure.time.id,
    measure,
    seriesAttributes,
    observationAttributes,
    attributeOrder: attributes,
  };
  const partsOf = (o: SdgObservation): ObservationParts => ({
    key: o.key,
    time: o.record.timePeriod,
    value: o.record.value,
    attributes: Object.fromEntries(attributes.map((a) => [a, attributeCell(o.record.attributes[a])])),
  });

  /** SDMX-JSON: every dimension at the observation, the codes named in English from their code lists. */
  function jsonShape(): JsonShape<SdgObservation> {
    const days = new Map<string, { start: string; end: string }>();
    const coded = new Set(
      [...structure.dimensions, ...structure.attributes].filter((c) => c.codelist).map((c) => c.id),
    );
    const code = (component: string) => (v: string) => ({ id: v, name: sdg.codeName(component, v) ?? v });
    return {
      structureId: flowId,
      dimensions: dims.map((d, i) => ({
        id: d,
        name: sdg.componentName(d),
        ...(d === 'REF_AREA' ? { roles: ['REF_AREA'] } : {}),
        value: (o) => o.key[i],
        object: code(d),
      })),
      time: {
        id: structure.time.id,
        name: sdg.componentName(structure.time.id),
        roles: ['TIME_PERIOD'],
        value: (o) => {
          if (!days.has(o.record.timePeriod)) days.set(o.record.timePeriod, { start: o.firstDay, end: o.lastDay });
          return o.record.timePeriod;
        },
        order: (values) =>
          [...values]
            .map((value) => ({ value, d: days.get(value) ?? { start: '', end: '' } }))
            .sort((a, b) =>
              a.d.start !== b.d.start
                ? a.d.start < b.d.start
                  ? -1
                  : 1
                : a.d.end < b.d.end
                  ? -1
                  : a.d.end > b.d.end
                    ? 1
                    : 0,
            )
            .map(({ value, d }) => ({
              value,
              object: { id: value, name: value, start: `${d.start}T00:00:00Z`, end: `${d.end}T23:59:59Z` },
            })),
      },
      measure: { id: measure, name: sdg.componentName(measure), value: (o) => o.record.value },
      attributes: attributes.map((a) => ({
        id: a,
        name: sdg.componentName(a),
        value: (o) => o.record.attributes[a],
        object: coded.has(a) ? code(a) : textValue,
      })),
    };
  }

  return {
    async countUpTo(limit) {
      let n = 0;
      for await (const _ of observations()) if (++n > limit) break;
      return n;
    },
    async availability(): Promise<SeriesAvailability[]> {
      const byKey = new Map<string, SeriesAvailability>();
      for await (const o of observations()) {
        const k = o.key.join('\u0000');
        const s = byKey.get(k);
        if (!s) byKey.set(k, { key: o.key, observations: 1, firstDay: o.firstDay, lastDay: o.lastDay });
        else {
          s.observations++;
          if (o.firstDay < s.firstDay) s.firstDay = o.firstDay;
          if (o.lastDay > s.lastDay) s.lastDay = o.lastDay;
        }
      }
      return [...byKey.values()];
    },
    async write(format: DataFormat, layout: DataLayout) {
      if (format === 'json') {
        const usual =
          layout.dimensionAtObservation === 'TIME_PERIOD' &&
          layout.measures &&
          layout.observations &&
          attributes.every((a) => layout.attributes.has(a));
        if (!usual)
          throw notImplemented(
            'SDMX-JSON is written with every attribute, the values and every dimension at the observation level: ask SDMX-ML or SDMX-CSV for another layout (attributes, measures, detail)',
          );
        // SDMX-JSON lists every value before the observations: read twice rather than held (json-write.ts).
        return writeStructuredJsonTwoPass(observations, jsonShape());
      }
      if (format === 'structurespecific') {
        const r = await prepare();
        const bad = r ? notXmlNames(r.un) : [];
        if (bad.length)
          throw notImplemented(
            `${refText(structure)} has components whose ids cannot be XML attributes (${bad.join(', ')}): ask for generic data (format=genericdata) or SDMX-CSV`,
          );
      }
      const it = observations();
      const first = await it.next();
      if (first.done) return null;
      async function* all(): AsyncGenerator<SdgObservation> {
        yield first.value as SdgObservation;
        yield* it;
      }
      return writeStructuredData(all(), format, layout, shape, partsOf);
    },
  };
}

export const sdgDataflowProvider: DataflowProvider = {
  agency: MARSAD_AGENCY,
  dataflowIds: [SDG_DATAFLOW],
  async open(ctx) {
    const sdg = await loadSdgCatalog(ctx.store);
    return {
      artefacts: sdg ? [sdg.dataflow, sdg.structure, sdg.conceptScheme, ...sdg.codelists] : [],
      agencies: sdg?.agencies ?? [],
      async select(dataflow, query, access) {
        if (!sdg || dataflow.id !== SDG_DATAFLOW || dataflow.version !== sdg.dataflow.version)
          throw noResults(`No dataflow ${MARSAD_AGENCY}:${dataflow.id}(${dataflow.version})`);
        return selectSdgData(ctx, sdg, query, access);
      },
    };
  },
};
