/**
 * ExportRecords → an SDMX-JSON 2.0 data message with one flat data set: every dimension is at
 * the observation level and observations are keyed "i:j:k…" by the indexes of their
 * dimension values, in the order INDICATOR, SERIES, REF_AREA, <dimensions…>, TIME_PERIOD.
 * Observation attributes: UNIT_MEASURE, OBS_STATUS (A, or P for provisional), CONF_STATUS (C for
 * a value suppressed by its indicator's rule, docs/methods/suppression.md: for the public its
 * value is null and COMMENT_OBS says why), MARSAD_STATUS, COMMENT_OBS, SOURCE_DETAIL (an
 * attribute no record uses is left out).
 *
 * The value lists come before the observations in the message, so this writer holds every
 * record until the input ends, then streams the text out.
 */
import {
  comparePeriods,
  type ExportRecord,
  type Period,
  type PeriodOptions,
  parsePeriod,
  toSdmxTimePeriod,
} from '@marsad/core';
import { obsStatusOf, SDMX_DEFAULT_STRUCTURE_ID, sdmxRole } from '../common/sdmx.ts';
import { confStatusOf, sdmxComment } from '../common/suppression.ts';
import { formatNumber } from '../common/values.ts';

export interface SdmxJsonWriteOptions {
  /** Dimension codes in the order wanted; codes found in the records but not listed follow, sorted. */
  dimensions?: readonly string[];
  dimensionNames?: Record<string, string>;
  dimensionValueNames?: Record<string, Record<string, string>>;
  /** The dataflow, `AGENCY:ID(VERSION)`; default MARSAD:DF_MARSAD(1.0). */
  structureId?: string;
  /** meta.id (default: MARSAD- and the time), meta.prepared (default: now), meta.sender.id (default: MARSAD). */
  messageId?: string;
  prepared?: string;
  senderId?: string;
  periodOptions?: PeriodOptions;
}

export const SDMX_JSON_SCHEMA =
  'https://raw.githubusercontent.com/sdmx-twg/sdmx-json/master/data-message/tools/schemas/2.0.0/sdmx-json-data-schema.json';

const OBSERVATIONS_PER_CHUNK = 1000;
const ID_LIKE = /^[A-Za-z0-9_@$-]+$/;

/** Values of one component, indexed in order of first appearance. */
class ValueList<T> {
  readonly ids = new Map<string, number>();
  readonly items: T[] = [];
  index(id: string, make: () => T): number {
    let i = this.ids.get(id);
    if (i === undefined) {
      i = this.items.length;
      this.ids.set(id, i);
      this.items.push(make());
    }
    return i;
  }
}

type ValueObject = { id: string; name: string; start?: string; end?: string } | { value: string };

function textValue(text: string): ValueObject {
  return ID_LIKE.test(text) ? { id: text, name: text } : { value: text };
}

export async function* writeSdmxJson(
  records: AsyncIterable<ExportRecord>,
  options: SdmxJsonWriteOptions = {},
): AsyncGenerator<string> {
  const all: ExportRecord[] = [];
  const dimCodes = new Set<string>();
  for await (const r of records) {
    all.push(r);
    for (const code of Object.keys(r.dims)) dimCodes.add(code);
  }
  const listed = [...(options.dimensions ?? [])];
  const dims = [...listed, ...[...dimCodes].filter((d) => !listed.includes(d)).sort()];
  for (const d of dims) {
    if (sdmxRole(d) !== 'dim')
      throw new Error(`dimension code ${d} cannot be an SDMX dimension: SDMX gives ${d} another meaning`);
  }

  // Dimension value lists. TIME_PERIOD values are sorted by period.
  const periodsByCode = new Map<string, Period>();
  for (const r of all) {
    if (periodsByCode.has(r.period)) continue;
    const p = parsePeriod(r.period, options.periodOptions);
    if (!p.ok)
      throw new Error(`cannot write period "${r.period}" (indicator ${r.indicator}, place ${r.place}): ${p.message}`);
    periodsByCode.set(r.period, p.period);
  }
  const periodCodes = [...periodsByCode.keys()].sort((a, b) =>
    comparePeriods(periodsByCode.get(a)!, periodsByCode.get(b)!),
  );
  const time = new ValueList<ValueObject>();
  for (const code of periodCodes) {
    const p = periodsByCode.get(code)!;
    const id = toSdmxTimePeriod(code, options.periodOptions);
    time.index(code, () => ({ id, name: id, start: `${p.start}T00:00:00Z`, end: `${p.end}T23:59:59Z` }));
  }
  const indicator = new ValueList<ValueObject>();
  const series = new ValueList<ValueObject>();
  const place = new ValueList<ValueObject>();
  const dimLists = dims.map(() => new ValueList<ValueObject>());
  const unit = new ValueList<ValueObject>();
  const obsStatus = new ValueList<ValueObject>();
  const confStatus = new ValueList<ValueObject>();
  const status = new ValueList<ValueObject>();
  const note = new ValueList<ValueObject>();
  const source = new ValueList<ValueObject>();
  const OBS_STATUS_NAMES: Record<string, string> = { A: 'Normal value', P: 'Provisional value' };

  const keys: number[][] = [];
  const values: (number | null)[] = [];
  const attrIndexes: (number | null)[][] = [];
  const seen = new Set<string>();
  for (const r of all) {
    const key = [
      indicator.index(r.indicator, () => ({ id: r.indicator, name: r.indicatorName ?? r.indicator })),
      series.index(r.series, () => ({ id: r.series, name: r.seriesName ?? r.series })),
      place.index(r.place, () => ({ id: r.place, name: r.placeName ?? r.place })),
      ...dims.map((d, i) => {
        const v = r.dims[d] ?? '_T';
        return dimLists[i]!.index(v, () => ({
          id: v,
          name: options.dimensionValueNames?.[d]?.[v] ?? (v === '_T' ? 'Total' : v),
        }));
      }),
      time.ids.get(r.period)!,
    ];
    const k = key.join(':');
    if (seen.has(k)) {
      throw new Error(
        `two records have the same key (indicator ${r.indicator}, series ${r.series}, place ${r.place}, period ${r.period})`,
      );
    }
    seen.add(k);
    keys.push(key);
    if (r.value === null && r.suppressedBelow === undefined)
      throw new Error(`record ${r.indicator} / ${r.place} / ${r.period} has no value and is not suppressed`);
    if (r.value !== null) formatNumber(r.value); // throws for NaN and infinities, which JSON cannot hold
    values.push(r.value);
    const os = obsStatusOf(r.status);
    const cs = confStatusOf(r);
    const comment = sdmxComment(r);
    attrIndexes.push([
      r.unit ? unit.index(r.unit, () => textValue(r.unit!)) : null,
      obsStatus.index(os, () => ({ id: os, name: OBS_STATUS_NAMES[os] ?? os })),
      cs ? confStatus.index(cs, () => ({ id: cs, name: 'Confidential statistical information' })) : null,
      status.index(r.status, () => ({ id: r.status, name: r.status })),
      comment ? note.index(comment, () => ({ value: comment })) : null,
      r.source ? source.index(r.source, () => ({ value: r.source! })) : null,
    ]);
  }
  all.length = 0;

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
  const attributeDefs: [string, string, ValueList<ValueObject>][] = [
    ['UNIT_MEASURE', 'Unit of measure', unit],
    ['OBS_STATUS', 'Observation status', obsStatus],
    ['CONF_STATUS', 'Confidentiality status', confStatus],
    ['MARSAD_STATUS', 'Marsad status (provisional, validated, approved)', status],
    ['COMMENT_OBS', 'Observation comment', note],
    ['SOURCE_DETAIL', 'Source', source],
  ];
  const usedAttributes = attributeDefs.map(([, , list], i) => (list.items.length > 0 ? i : -1)).filter((i) => i >= 0);
  const attributes = usedAttributes.map((i) => {
    const [id, name, list] = attributeDefs[i]!;
    return { id, name, names: { en: name }, relationship: { observation: {} }, values: list.items };
  });

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
          attributes: { dataSet: [], series: [], observation: attributes },
          dataSets: [0],
        },
      ],
      dataSets: [{ structure: 0, action: 'Information', observations: {} }],
    },
  };
  // Everything up to the observations, then the observations one by one, then the closing brackets.
  const text = JSON.stringify(message);
  const marker = '"observations":{}';
  const cut = text.lastIndexOf(marker) + marker.length - 1;
  let chunk = text.slice(0, cut);
  let inChunk = 0;
  for (let n = 0; n < keys.length; n++) {
    const all5 = attrIndexes[n]!;
    const obs: (number | null)[] = [values[n]!];
    for (const i of usedAttributes) obs.push(all5[i]!);
    while (obs.length > 1 && obs[obs.length - 1] === null) obs.pop();
    chunk += `${n === 0 ? '' : ','}\n${JSON.stringify(keys[n]!.join(':'))}:${JSON.stringify(obs)}`;
    if (++inChunk >= OBSERVATIONS_PER_CHUNK) {
      yield chunk;
      chunk = '';
      inChunk = 0;
    }
  }
  yield `${chunk + text.slice(cut)}\n`;
}
