/**
 * SDMX-JSON 2.0 data messages in flat memory, for the web service's large answers: the message writeSdmxJson
 * (formats/sdmx-json/write.ts) writes, byte for byte, but read from the database twice instead of held whole. An
 * SDMX-JSON message lists the values of every dimension and attribute before the observations that point into those
 * lists, so the first pass gathers the lists (the distinct values only: codes, periods, statuses, notes, sources),
 * the second writes the observations one by one. A row that appears between the two passes with a value the lists
 * lack (an import committed meanwhile) is left out; rows that changed otherwise are written as the second pass reads
 * them.
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

type ValueObject = { id: string; name: string; start?: string; end?: string } | { value: string };

function textValue(text: string): ValueObject {
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

const OBS_STATUS_NAMES: Record<string, string> = { A: 'Normal value', P: 'Provisional value' };

/**
 * The message for the records `pass()` gives (called twice, the same query each time), or null when there is none.
 * Every record's dimensions must be among `options.dimensions` (the structure's).
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
  const indicator = new ValueList();
  const series = new ValueList();
  const place = new ValueList();
  const dimLists = dims.map(() => new ValueList());
  const unit = new ValueList();
  const obsStatus = new ValueList();
  const confStatus = new ValueList();
  const status = new ValueList();
  const note = new ValueList();
  const source = new ValueList();
  const periods = new Map<string, Period>();
  let count = 0;

  for await (const r of pass()) {
    count++;
    if (!periods.has(r.period)) {
      const p = parsePeriod(r.period, periodOptions);
      if (!p.ok)
        throw new Error(`cannot write period "${r.period}" (indicator ${r.indicator}, place ${r.place}): ${p.message}`);
      periods.set(r.period, p.period);
    }
    indicator.add(r.indicator, () => ({ id: r.indicator, name: r.indicatorName ?? r.indicator }));
    series.add(r.series, () => ({ id: r.series, name: r.seriesName ?? r.series }));
    place.add(r.place, () => ({ id: r.place, name: r.placeName ?? r.place }));
    dims.forEach((d, i) => {
      const v = r.dims[d] ?? '_T';
      dimLists[i]!.add(v, () => ({ id: v, name: options.dimensionValueNames?.[d]?.[v] ?? (v === '_T' ? 'Total' : v) }));
    });
    if (r.unit) unit.add(r.unit, () => textValue(r.unit!));
    const os = obsStatusOf(r.status);
    obsStatus.add(os, () => ({ id: os, name: OBS_STATUS_NAMES[os] ?? os }));
    const cs = confStatusOf(r);
    if (cs) confStatus.add(cs, () => ({ id: cs, name: 'Confidential statistical information' }));
    status.add(r.status, () => ({ id: r.status, name: r.status }));
    const comment = sdmxComment(r);
    if (comment) note.add(comment, () => ({ value: comment }));
    if (r.source) source.add(r.source, () => ({ value: r.source! }));
  }
  if (count === 0) return null;

  const time = new ValueList();
  for (const code of [...periods.keys()].sort((a, b) => comparePeriods(periods.get(a)!, periods.get(b)!))) {
    const p = periods.get(code)!;
    const id = toSdmxTimePeriod(code, periodOptions);
    time.add(code, () => ({ id, name: id, start: `${p.start}T00:00:00Z`, end: `${p.end}T23:59:59Z` }));
  }
  const dimension = (id: string, name: string, keyPosition: number, values: ValueObject[], roles?: string[]) => ({
    id,
    name,
    names: { en: name },
    keyPosition,
    ...(roles ? { roles } : {}),
    values,
  });
  const dimensionList = [
    dimension('INDICATOR', 'Indicator', 0, indicator.items),
    dimension('SERIES', 'Series', 1, series.items),
    dimension('REF_AREA', 'Reference area', 2, place.items, ['REF_AREA']),
    ...dims.map((d, i) => dimension(d, options.dimensionNames?.[d] ?? d, 3 + i, dimLists[i]!.items)),
    dimension('TIME_PERIOD', 'Time period', 3 + dims.length, time.items, ['TIME_PERIOD']),
  ];
  const attributeDefs: [string, string, ValueList][] = [
    ['UNIT_MEASURE', 'Unit of measure', unit],
    ['OBS_STATUS', 'Observation status', obsStatus],
    ['CONF_STATUS', 'Confidentiality status', confStatus],
    ['MARSAD_STATUS', 'Marsad status (provisional, validated, approved)', status],
    ['COMMENT_OBS', 'Observation comment', note],
    ['SOURCE_DETAIL', 'Source', source],
  ];
  const used = attributeDefs.map(([, , list], i) => (list.items.length > 0 ? i : -1)).filter((i) => i >= 0);
  const structureId = options.structureId ?? SDMX_DEFAULT_STRUCTURE_ID;
  const prepared = options.prepared ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const message = {
    meta: {
      schema: SDMX_JSON_SCHEMA,
      id: options.messageId ?? `MARSAD-${prepared.replace(/[^0-9]/g, '')}`,
      prepared,
      test: false,
      contentLanguages: ['en'],
      sender: { id: options.senderId ?? 'MARSAD' },
    },
    data: {
      structures: [
        {
          name: structureId,
          names: { en: structureId },
          links: [{ urn: `urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=${structureId}`, rel: 'dataflow' }],
          dimensions: { dataSet: [], series: [], observation: dimensionList },
          measures: {
            observation: [{ id: 'OBS_VALUE', name: 'Observation value', names: { en: 'Observation value' } }],
          },
          attributes: {
            dataSet: [],
            series: [],
            observation: used.map((i) => {
              const [id, name, list] = attributeDefs[i]!;
              return { id, name, names: { en: name }, relationship: { observation: {} }, values: list.items };
            }),
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
      const at = (list: ValueList, id: string) => {
        const i = list.ids.get(id);
        if (i === undefined) throw new MissingValue();
        key.push(i);
      };
      const attrs: (number | null)[] = [];
      try {
        at(indicator, r.indicator);
        at(series, r.series);
        at(place, r.place);
        for (const [i, d] of dims.entries()) at(dimLists[i]!, r.dims[d] ?? '_T');
        at(time, r.period);
        const cs = confStatusOf(r);
        const comment = sdmxComment(r);
        const all = [
          r.unit ? index(unit, r.unit) : null,
          index(obsStatus, obsStatusOf(r.status)),
          cs ? index(confStatus, cs) : null,
          index(status, r.status),
          comment ? index(note, comment) : null,
          r.source ? index(source, r.source) : null,
        ];
        for (const i of used) attrs.push(all[i]!);
      } catch (err) {
        if (err instanceof MissingValue) continue;
        throw err;
      }
      if (r.value === null && r.suppressedBelow === undefined)
        throw new Error(`record ${r.indicator} / ${r.place} / ${r.period} has no value and is not suppressed`);
      if (r.value !== null) formatNumber(r.value); // throws for NaN and infinities, which JSON cannot hold
      const obs: (number | null)[] = [r.value, ...attrs];
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
