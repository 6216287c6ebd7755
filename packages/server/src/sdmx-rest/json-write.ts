/**
 * SDMX-JSON 2.0 data messages in flat memory, for the web service's large answers, of any structure: every dimension
 * at the observation level (a flat data set, observations keyed "i:j:k…" by the indexes of their dimension values),
 * every attribute attached to the observation, read from the database twice instead of held whole. An SDMX-JSON
 * message lists the values of every dimension and attribute before the observations that point into those lists, so
 * the first pass gathers the lists (the distinct values only: codes, periods, statuses, notes, sources), the second
 * writes the observations one by one. A row that appears between the two passes with a value the lists lack (an
 * import committed meanwhile) is left out; rows that changed otherwise are written as the second pass reads them.
 *
 * `writeStructuredJsonTwoPass` takes the structure's components (how each is read from a record and listed);
 * `writeSdmxJsonTwoPass` is DF_MARSAD's message, byte for byte the one writeSdmxJson (formats/sdmx-json/write.ts)
 * writes.
 */
import {
  comparePeriods,
  type ExportRecord,
  type Period,
  type PeriodOptions,
  parsePeriod,
  toSdmxTimePeriod,
} from '@marsad/core';
import { obsStatusOf, SDMX_DEFAULT_STRUCTURE_ID, sdmxRole } from '../formats/common/sdmx.ts';
import { confStatusOf, sdmxComment } from '../formats/common/suppression.ts';
import { formatNumber } from '../formats/common/values.ts';
import { SDMX_JSON_SCHEMA, type SdmxJsonWriteOptions } from '../formats/sdmx-json/write.ts';

const OBSERVATIONS_PER_CHUNK = 1000;
const ID_LIKE = /^[A-Za-z0-9_@$-]+$/;

/** A value of a component as SDMX-JSON lists it: a code with its name (a period with its days), or a text. */
export type ValueObject = { id: string; name: string; start?: string; end?: string } | { value: string };

/** A text value: as a code when it looks like one, else as a text. */
export function textValue(text: string): ValueObject {
  return ID_LIKE.test(text) ? { id: text, name: text } : { value: text };
}

class ValueList {
  readonly ids = new Map<string, number>();
  readonly items: ValueObject[] = [];
  add(id: string, make: () => ValueObject): void {
    if (this.ids.has(id)) return;
    this.ids.set(id, this.items.length);
    this.items.push(make());
  }
}

/** A component of the message: how its value is read from a record and listed. */
export interface JsonComponent<R> {
  id: string;
  name: string;
  roles?: string[];
  /** The value in a record (undefined or empty: none — only attributes may have none). */
  value(r: R): string | undefined;
  /** What the list holds for a value (made from the first record that has it). */
  object(value: string, r: R): ValueObject;
}

/** The components of a message, in the structure's order, and its header. */
export interface JsonShape<R> {
  /** The dataflow, AGENCY:ID(VERSION). */
  structureId: string;
  messageId?: string;
  prepared?: string;
  senderId?: string;
  /** The dimensions but time, in the key's order. */
  dimensions: readonly JsonComponent<R>[];
  /** The time dimension: its values are listed in the order `order` gives them (after the first pass). */
  time: Omit<JsonComponent<R>, 'object'> & {
    order(values: readonly string[]): { value: string; object: ValueObject }[];
  };
  /** The primary measure: a record's value, null for one withheld from the reader (it may throw for a bad one). */
  measure: { id: string; name: string; value(r: R): number | null };
  /** The attributes, each attached to the observation; one no record has is left out. */
  attributes: readonly JsonComponent<R>[];
}

/**
 * The message for the records `pass()` gives (called twice, the same query each time), or null when there is none.
 * Every record must have a value of every dimension.
 */
export async function writeStructuredJsonTwoPass<R>(
  pass: () => AsyncIterable<R>,
  shape: JsonShape<R>,
): Promise<AsyncIterable<string> | null> {
  const dimLists = shape.dimensions.map((c) => ({ c, list: new ValueList() }));
  const attrLists = shape.attributes.map((c) => ({ c, list: new ValueList() }));
  const times = new Set<string>();
  let count = 0;

  for await (const r of pass()) {
    count++;
    times.add(shape.time.value(r) ?? '');
    for (const { c, list } of dimLists) {
      const v = c.value(r) ?? '';
      list.add(v, () => c.object(v, r));
    }
    for (const { c, list } of attrLists) {
      const v = c.value(r);
      if (v !== undefined && v !== '') list.add(v, () => c.object(v, r));
    }
  }
  if (count === 0) return null;

  const time = new ValueList();
  for (const { value, object } of shape.time.order([...times])) time.add(value, () => object);
  const dimension = (
    c: { id: string; name: string; roles?: string[] },
    keyPosition: number,
    values: ValueObject[],
  ) => ({
    id: c.id,
    name: c.name,
    names: { en: c.name },
    keyPosition,
    ...(c.roles ? { roles: c.roles } : {}),
    values,
  });
  const dimensionList = [
    ...dimLists.map(({ c, list }, i) => dimension(c, i, list.items)),
    dimension(shape.time, shape.dimensions.length, time.items),
  ];
  const used = attrLists.filter(({ list }) => list.items.length > 0);
  const prepared = shape.prepared ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const message = {
    meta: {
      schema: SDMX_JSON_SCHEMA,
      id: shape.messageId ?? `MARSAD-${prepared.replace(/[^0-9]/g, '')}`,
      prepared,
      test: false,
      contentLanguages: ['en'],
      sender: { id: shape.senderId ?? 'MARSAD' },
    },
    data: {
      structures: [
        {
          name: shape.structureId,
          names: { en: shape.structureId },
          links: [{ urn: `urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=${shape.structureId}`, rel: 'dataflow' }],
          dimensions: { dataSet: [], series: [], observation: dimensionList },
          measures: {
            observation: [{ id: shape.measure.id, name: shape.measure.name, names: { en: shape.measure.name } }],
          },
          attributes: {
            dataSet: [],
            series: [],
            observation: used.map(({ c, list }) => ({
              id: c.id,
              name: c.name,
              names: { en: c.name },
              relationship: { observation: {} },
              values: list.items,
            })),
          },
          dataSets: [0],
        },
      ],
      dataSets: [{ structure: 0, action: 'Information', observations: {} }],
    },
  };
  const text = JSON.stringify(message);
  const marker = '"observations":{}';
  const cut = text.lastIndexOf(marker) + marker.length - 1;

  async function* write(): AsyncGenerator<string> {
    let chunk = text.slice(0, cut);
    let n = 0;
    let inChunk = 0;
    for await (const r of pass()) {
      const key: number[] = [];
      const attrs: (number | null)[] = [];
      try {
        for (const { c, list } of dimLists) key.push(index(list, c.value(r) ?? ''));
        key.push(index(time, shape.time.value(r) ?? ''));
        for (const { c, list } of used) {
          const v = c.value(r);
          attrs.push(v === undefined || v === '' ? null : index(list, v));
        }
      } catch (err) {
        if (err instanceof MissingValue) continue;
        throw err;
      }
      const obs: (number | null)[] = [shape.measure.value(r), ...attrs];
      while (obs.length > 1 && obs[obs.length - 1] === null) obs.pop();
      chunk += `${n === 0 ? '' : ','}\n${JSON.stringify(key.join(':'))}:${JSON.stringify(obs)}`;
      n++;
      if (++inChunk >= OBSERVATIONS_PER_CHUNK) {
        yield chunk;
        chunk = '';
        inChunk = 0;
      }
    }
    yield `${chunk + text.slice(cut)}\n`;
  }
  return write();
}

class MissingValue extends Error {}

function index(list: ValueList, id: string): number {
  const i = list.ids.get(id);
  if (i === undefined) throw new MissingValue();
  return i;
}

const OBS_STATUS_NAMES: Record<string, string> = { A: 'Normal value', P: 'Provisional value' };

/**
 * DF_MARSAD's message for the records `pass()` gives (called twice, the same query each time), or null when there is
 * none: INDICATOR, SERIES, REF_AREA, the dimensions (`_T` where a record has none), TIME_PERIOD; UNIT_MEASURE,
 * OBS_STATUS, CONF_STATUS, MARSAD_STATUS, COMMENT_OBS, SOURCE_DETAIL. Every record's dimensions must be among
 * `options.dimensions` (the structure's).
 */
export async function writeSdmxJsonTwoPass(
  pass: () => AsyncIterable<ExportRecord>,
  options: SdmxJsonWriteOptions & { dimensions: readonly string[] },
): Promise<AsyncIterable<string> | null> {
  const dims = [...options.dimensions];
  for (const d of dims)
    if (sdmxRole(d) !== 'dim')
      throw new Error(`dimension code ${d} cannot be an SDMX dimension: SDMX gives ${d} another meaning`);
  const periodOptions: PeriodOptions | undefined = options.periodOptions;
  const periods = new Map<string, Period>();
  const code = (id: string, name: string): ValueObject => ({ id, name });
  const text = (t: string): ValueObject => ({ value: t });
  return writeStructuredJsonTwoPass<ExportRecord>(pass, {
    structureId: options.structureId ?? SDMX_DEFAULT_STRUCTURE_ID,
    messageId: options.messageId,
    prepared: options.prepared,
    senderId: options.senderId,
    dimensions: [
      {
        id: 'INDICATOR',
        name: 'Indicator',
        value: (r) => r.indicator,
        object: (v, r) => code(v, r.indicatorName ?? v),
      },
      { id: 'SERIES', name: 'Series', value: (r) => r.series, object: (v, r) => code(v, r.seriesName ?? v) },
      {
        id: 'REF_AREA',
        name: 'Reference area',
        roles: ['REF_AREA'],
        value: (r) => r.place,
        object: (v, r) => code(v, r.placeName ?? v),
      },
      ...dims.map(
        (d): JsonComponent<ExportRecord> => ({
          id: d,
          name: options.dimensionNames?.[d] ?? d,
          value: (r) => r.dims[d] ?? '_T',
          object: (v) => code(v, options.dimensionValueNames?.[d]?.[v] ?? (v === '_T' ? 'Total' : v)),
        }),
      ),
    ],
    time: {
      id: 'TIME_PERIOD',
      name: 'Time period',
      roles: ['TIME_PERIOD'],
      value: (r) => {
        if (!periods.has(r.period)) {
          const p = parsePeriod(r.period, periodOptions);
          if (!p.ok)
            throw new Error(
              `cannot write period "${r.period}" (indicator ${r.indicator}, place ${r.place}): ${p.message}`,
            );
          periods.set(r.period, p.period);
        }
        return r.period;
      },
      order: (values) =>
        [...values]
          .sort((a, b) => comparePeriods(periods.get(a)!, periods.get(b)!))
          .map((value) => {
            const p = periods.get(value)!;
            const id = toSdmxTimePeriod(value, periodOptions);
            return { value, object: { id, name: id, start: `${p.start}T00:00:00Z`, end: `${p.end}T23:59:59Z` } };
          }),
    },
    measure: {
      id: 'OBS_VALUE',
      name: 'Observation value',
      value: (r) => {
        if (r.value === null && r.suppressedBelow === undefined)
          throw new Error(`record ${r.indicator} / ${r.place} / ${r.period} has no value and is not suppressed`);
        if (r.value !== null) formatNumber(r.value); // throws for NaN and infinities, which JSON cannot hold
        return r.value;
      },
    },
    attributes: [
      { id: 'UNIT_MEASURE', name: 'Unit of measure', value: (r) => r.unit, object: textValue },
      {
        id: 'OBS_STATUS',
        name: 'Observation status',
        value: (r) => obsStatusOf(r.status),
        object: (v) => code(v, OBS_STATUS_NAMES[v] ?? v),
      },
      {
        id: 'CONF_STATUS',
        name: 'Confidentiality status',
        value: (r) => confStatusOf(r),
        object: (v) => code(v, 'Confidential statistical information'),
      },
      {
        id: 'MARSAD_STATUS',
        name: 'Marsad status (provisional, validated, approved)',
        value: (r) => r.status,
        object: (v) => code(v, v),
      },
      { id: 'COMMENT_OBS', name: 'Observation comment', value: (r) => sdmxComment(r), object: text },
      { id: 'SOURCE_DETAIL', name: 'Source', value: (r) => r.source, object: text },
    ],
  });
}
