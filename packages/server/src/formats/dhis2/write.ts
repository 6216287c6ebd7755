/**
 * ExportRecords → DHIS2 `dataValueSets` JSON, streamed (one data value per line).
 * Codes go back through the same mapping the import uses (see mapping.ts).
 * A value suppressed by its indicator's rule (docs/methods/suppression.md) has no `value` and
 * the reason as its `comment` (DHIS2 keeps comment-only data values); a reader allowed to see
 * it gets the value and the comment "Hidden from the public (fewer than N)".
 */
import { type ExportRecord, type PeriodOptions, toDhis2Period } from '@marsad/core';
import { commentWithSuppression, isWithheld, valueText } from '../common/suppression.ts';
import { DHIS2_DEFAULT_COMBO, type Dhis2Mapping, dimsKey } from './mapping.ts';

export interface Dhis2WriteOptions {
  dhis2Mapping?: Dhis2Mapping;
  /** Leave out records the mapping cannot express (no data element, no option combo, no DHIS2 period) instead of stopping. */
  dhis2SkipUnmapped?: boolean;
  /** DHIS2 data set UID written at the top of the data value set. */
  dhis2DataSet?: string;
  periodOptions?: PeriodOptions;
}

const DATA_VALUES_PER_CHUNK = 500;

interface Reverse {
  dataElement(indicator: string, series: string): string | undefined;
  orgUnit(place: string): string;
  combos(dims: Record<string, string>): { coc: string; aoc: string } | undefined;
}

function reverse(mapping: Dhis2Mapping): Reverse {
  const bySeries = new Map<string, string>();
  const byIndicator = new Map<string, string>();
  for (const [uid, m] of Object.entries(mapping.dataElements)) {
    if (m.series) {
      const key = `${m.indicator}\u0000${m.series}`;
      if (!bySeries.has(key)) bySeries.set(key, uid);
    } else if (!byIndicator.has(m.indicator)) byIndicator.set(m.indicator, uid);
  }
  const orgUnits = new Map<string, string>();
  for (const [uid, place] of Object.entries(mapping.orgUnits ?? {})) if (!orgUnits.has(place)) orgUnits.set(place, uid);
  const cocs = new Map<string, string>();
  for (const [uid, dims] of Object.entries(mapping.categoryOptionCombos ?? {})) {
    const key = dimsKey(dims);
    if (!cocs.has(key)) cocs.set(key, uid);
  }
  if (!cocs.has(dimsKey({}))) cocs.set(dimsKey({}), DHIS2_DEFAULT_COMBO);
  const aocs: [string, Record<string, string>][] = [[DHIS2_DEFAULT_COMBO, {}]];
  for (const [uid, dims] of Object.entries(mapping.attributeOptionCombos ?? {})) {
    if (Object.keys(dims).length > 0) aocs.push([uid, dims]);
  }
  return {
    dataElement: (indicator, series) => bySeries.get(`${indicator}\u0000${series}`) ?? byIndicator.get(indicator),
    orgUnit: (place) => orgUnits.get(place) ?? place,
    combos(dims) {
      for (const [aoc, aocDims] of aocs) {
        const rest: Record<string, string> = { ...dims };
        let fits = true;
        for (const [k, v] of Object.entries(aocDims)) {
          if (rest[k] !== v) {
            fits = false;
            break;
          }
          delete rest[k];
        }
        if (!fits) continue;
        const coc = cocs.get(dimsKey(rest));
        if (coc) return { coc, aoc };
      }
      return undefined;
    },
  };
}

/**
 * What of a selection a mapping cannot express, checked before anything is written: the
 * indicators and series without a data element, the disaggregations without an option combo,
 * the periods DHIS2 has none for. Empty when all can be written.
 */
export function dhis2Unmapped(
  mapping: Dhis2Mapping,
  used: { series: { indicator: string; series: string }[]; dims: Record<string, string>[]; periods: string[] },
  periodOptions?: PeriodOptions,
): string[] {
  const back = reverse(mapping);
  const out: string[] = [];
  for (const s of used.series)
    if (!back.dataElement(s.indicator, s.series))
      out.push(`indicator ${s.indicator}, series ${s.series}: no data element ("dataElements")`);
  for (const d of used.dims)
    if (!back.combos(d)) {
      const text = Object.entries(d)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ');
      out.push(`${text || 'total'}: no category option combo ("categoryOptionCombos")`);
    }
  for (const p of used.periods)
    if (toDhis2Period(p, periodOptions) === null) out.push(`period ${p}: DHIS2 has no period for it`);
  return out;
}

function describe(r: ExportRecord): string {
  const dims = Object.entries(r.dims)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return `${r.indicator} / ${r.series} / ${r.place} / ${r.period}${dims ? ` (${dims})` : ''}`;
}

export async function* writeDhis2(
  records: AsyncIterable<ExportRecord>,
  options: Dhis2WriteOptions,
): AsyncGenerator<string> {
  const mapping = options.dhis2Mapping;
  if (!mapping) throw new Error('a DHIS2 export needs a DHIS2 mapping (dataElements, orgUnits, categoryOptionCombos)');
  const back = reverse(mapping);
  const head: Record<string, string> = {};
  if (options.dhis2DataSet) head.dataSet = options.dhis2DataSet;
  let chunk = `{${Object.entries(head)
    .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)},`)
    .join('')}"dataValues":[`;
  let n = 0;
  let inChunk = 0;
  for await (const r of records) {
    const dataElement = back.dataElement(r.indicator, r.series);
    if (options.dhis2SkipUnmapped) {
      const ok = dataElement && back.combos(r.dims) && toDhis2Period(r.period, options.periodOptions) !== null;
      if (!ok) continue;
    }
    if (!dataElement) {
      throw new Error(
        `no DHIS2 data element is mapped to indicator ${r.indicator}, series ${r.series} (record ${describe(r)}): add it to "dataElements" in the mapping`,
      );
    }
    const combos = back.combos(r.dims);
    if (!combos) {
      throw new Error(
        `no DHIS2 category option combo is mapped to these dimensions (record ${describe(r)}): add it to "categoryOptionCombos" in the mapping`,
      );
    }
    const period = toDhis2Period(r.period, options.periodOptions);
    if (period === null) throw new Error(`DHIS2 has no period for ${r.period} (record ${describe(r)})`);
    const dv: Record<string, string> = {
      dataElement,
      period,
      orgUnit: back.orgUnit(r.place),
      categoryOptionCombo: combos.coc,
      attributeOptionCombo: combos.aoc,
    };
    if (!isWithheld(r)) dv.value = valueText(r);
    const comment = commentWithSuppression(r);
    if (comment) dv.comment = comment;
    chunk += `${n === 0 ? '\n' : ',\n'}${JSON.stringify(dv)}`;
    n++;
    if (++inChunk >= DATA_VALUES_PER_CHUNK) {
      yield chunk;
      chunk = '';
      inChunk = 0;
    }
  }
  yield `${chunk}\n]}\n`;
}
