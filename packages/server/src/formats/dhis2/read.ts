/**
 * DHIS2 `dataValueSets` JSON → ReadItems, streamed: one data value is held at a time.
 *
 * { "dataSet": "…", "period": "202401", "orgUnit": "…", "completeDate": "…",
 *   "dataValues": [ { "dataElement", "period", "orgUnit", "categoryOptionCombo",
 *                     "attributeOptionCombo", "value", "comment", "storedBy", … } ] }
 *
 * `period`, `orgUnit` and `attributeOptionCombo` at the top level are defaults for the data
 * values. Codes go through the mapping (see mapping.ts); periods pass through as DHIS2 wrote them.
 *
 * As a DHIS2 user expects of a data value set, which holds every data element of a data set:
 * values of non-numeric value types (BOOLEAN, TRUE_ONLY, TEXT, DATE …: the type the mapping
 * gives, or a value that is not a number) are skipped and counted in a notice, not refused; data
 * elements and category or attribute option combos the mapping lacks are errors, or with
 * `dhis2SkipUnmapped` skipped and listed in a notice.
 */
import type { ObservationRecord, ReaderOptions, ReadItem } from '@marsad/core';
import { formatPath, type JsonPath, type JsonVisitor, walkJson } from '../common/json-walk.ts';
import { InputFormatError } from '../common/text.ts';
import { parseNumberJson } from '../common/values.ts';
import { DHIS2_DEFAULT_COMBO, DHIS2_NUMERIC_VALUE_TYPES, type Dhis2Mapping } from './mapping.ts';

export interface Dhis2ReadOptions extends ReaderOptions {
  dhis2Mapping?: Dhis2Mapping;
  /** Skip (with a notice) data values whose data element or option combo the mapping lacks, instead of refusing them. */
  dhis2SkipUnmapped?: boolean;
}

/** At most this many identifiers are named in a notice. */
const NAMED_IN_NOTICE = 20;

/** Counts per key, shown as "A (3 values), B (1 value)". */
class Tally {
  readonly counts = new Map<string, number>();
  total = 0;
  add(key: string): void {
    this.total++;
    if (this.counts.has(key) || this.counts.size < 1000) this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
  list(): string {
    const parts = [...this.counts].slice(0, NAMED_IN_NOTICE).map(([k, n]) => `${k} (${n} value${n === 1 ? '' : 's'})`);
    const more = this.counts.size - NAMED_IN_NOTICE;
    return parts.join(', ') + (more > 0 ? ` and ${more} more` : '');
  }
}

/** The DHIS2 value type a value that is not a number is most likely of. */
function guessValueType(value: unknown): string {
  if (typeof value === 'boolean') return 'BOOLEAN';
  const v = String(value).trim().toLowerCase();
  if (v === 'true' || v === 'false') return 'BOOLEAN or TRUE_ONLY';
  if (/^\d{4}-\d{2}-\d{2}/.test(v)) return 'DATE';
  return 'TEXT';
}

const TOP_LEVEL = ['dataSet', 'period', 'orgUnit', 'completeDate', 'attributeOptionCombo'] as const;

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() === '' ? undefined : v.trim();
  if (typeof v === 'number') return String(v);
  return undefined;
}

export async function* readDhis2(
  input: AsyncIterable<Uint8Array | string>,
  options: Dhis2ReadOptions,
): AsyncGenerator<ReadItem> {
  const mapping = options.dhis2Mapping;
  if (!mapping) {
    yield {
      kind: 'error',
      at: '(top level)',
      message:
        'no DHIS2 mapping was given: data elements, org units and category option combos cannot be turned into Marsad codes without one',
    };
    return;
  }
  const top: Partial<Record<(typeof TOP_LEVEL)[number], string>> = {};
  let inDataValues = false;
  let sawDataValues = false;
  let rootIsObject = true;
  const out: ReadItem[] = [];
  const skipUnmapped = !!options.dhis2SkipUnmapped;
  /** Non-numeric values skipped, per value type, and per data element. */
  const nonNumeric = new Tally();
  const nonNumericElements = new Tally();
  const unmapped = { dataElement: new Tally(), categoryOptionCombo: new Tally(), attributeOptionCombo: new Tally() };
  /** Data values waiting for a top-level period or orgUnit written after the data values. */
  const deferred: { at: string; dv: Record<string, unknown> }[] = [];

  const convert = (at: string, dv: Record<string, unknown>): ReadItem[] => {
    if (dv.deleted === true) return [{ kind: 'skip', at, reason: 'the data value is marked deleted in DHIS2' }];
    const errors: ReadItem[] = [];
    const err = (column: string, message: string) => errors.push({ kind: 'error', at, column, message });

    const de = str(dv.dataElement);
    const m = de ? mapping.dataElements[de] : undefined;
    const nonNumericSkip = (type: string): ReadItem[] => {
      nonNumeric.add(type);
      nonNumericElements.add(de ?? '(no data element)');
      return [{ kind: 'skip', at, reason: `a ${type} value (not a number): DHIS2 data element ${de ?? '?'}` }];
    };
    const declared = m?.valueType;
    if (declared && !DHIS2_NUMERIC_VALUE_TYPES.has(declared)) return nonNumericSkip(declared);
    const value = parseNumberJson(dv.value, 'value');
    if (value.kind === 'blank') return [{ kind: 'skip', at, reason: 'no value' }];
    if (value.kind === 'error') {
      // A numeric data element holds numbers only (DHIS2 checks them): a value that is none is of another type.
      if (!declared) return nonNumericSkip(guessValueType(dv.value));
      err('value', `${value.message} (data element ${de} is of value type ${declared})`);
    }

    const record: ObservationRecord = {
      period: '',
      value: value.kind === 'number' ? value.value : null,
      dims: Object.create(null),
    };
    if (!de) err('dataElement', 'dataElement is missing');
    else if (!m) {
      if (skipUnmapped) {
        unmapped.dataElement.add(de);
        return [{ kind: 'skip', at, reason: `data element "${de}" is not in the DHIS2 mapping (skipped as asked)` }];
      }
      err(
        'dataElement',
        `data element "${de}" is not in the DHIS2 mapping ("dataElements"): map it, or import with --skip-unmapped (API skipUnmapped) to leave its values out`,
      );
    } else {
      record.indicator = m.indicator;
      if (m.series) record.series = m.series;
    }
    const period = str(dv.period) ?? top.period;
    if (!period) err('period', 'period is missing, in the data value and at the top of the data value set');
    else record.period = period;

    const ou = str(dv.orgUnit) ?? top.orgUnit ?? options.place;
    if (!ou) err('orgUnit', 'orgUnit is missing, in the data value and at the top of the data value set');
    else record.place = mapping.orgUnits?.[ou] ?? ou;

    const coc = str(dv.categoryOptionCombo) ?? DHIS2_DEFAULT_COMBO;
    const cocDims = mapping.categoryOptionCombos?.[coc] ?? (coc === DHIS2_DEFAULT_COMBO ? {} : undefined);
    const aoc = str(dv.attributeOptionCombo) ?? top.attributeOptionCombo ?? DHIS2_DEFAULT_COMBO;
    const aocDims = mapping.attributeOptionCombos?.[aoc] ?? (aoc === DHIS2_DEFAULT_COMBO ? {} : undefined);
    if (skipUnmapped && (!cocDims || !aocDims) && errors.length === 0) {
      if (!cocDims) unmapped.categoryOptionCombo.add(coc);
      else unmapped.attributeOptionCombo.add(aoc);
      const what = !cocDims ? `category option combo "${coc}"` : `attribute option combo "${aoc}"`;
      return [{ kind: 'skip', at, reason: `${what} is not in the DHIS2 mapping (skipped as asked)` }];
    }
    if (!cocDims)
      err(
        'categoryOptionCombo',
        `category option combo "${coc}" is not in the DHIS2 mapping ("categoryOptionCombos"): map it, or import with --skip-unmapped (API skipUnmapped) to leave its values out`,
      );
    if (!aocDims) {
      err(
        'attributeOptionCombo',
        `attribute option combo "${aoc}" is not in the DHIS2 mapping ("attributeOptionCombos"; map it to {} to ignore it)`,
      );
    }
    if (cocDims && aocDims) {
      for (const [k, v] of Object.entries(aocDims)) {
        if (cocDims[k] !== undefined && cocDims[k] !== v) {
          err(
            'attributeOptionCombo',
            `attribute option combo "${aoc}" and category option combo "${coc}" give ${k} two values`,
          );
        }
      }
      record.dims = { ...cocDims, ...aocDims };
    }
    const comment = str(dv.comment);
    if (comment) record.note = comment;
    if (errors.length > 0) return errors;
    return [{ kind: 'row', at, record }];
  };

  const visitor: JsonVisitor = {
    begin(path: JsonPath, kind) {
      if (path.length === 0) {
        if (kind !== 'object') {
          rootIsObject = false;
          return 'skip';
        }
        return 'enter';
      }
      if (path.length === 1) {
        const key = path[0];
        if (key === 'dataValues') {
          if (kind !== 'array') {
            out.push({ kind: 'error', at: 'dataValues', message: 'dataValues must be a list' });
            return 'skip';
          }
          inDataValues = true;
          sawDataValues = true;
          return 'enter';
        }
        return kind === 'scalar' && (TOP_LEVEL as readonly unknown[]).includes(key) ? 'assemble' : 'skip';
      }
      if (path.length === 2 && inDataValues) return 'assemble';
      return 'skip';
    },
    value(path: JsonPath, value: unknown) {
      if (path.length === 1) {
        const v = str(value);
        if (v) top[path[0] as (typeof TOP_LEVEL)[number]] = v;
        return;
      }
      const at = formatPath(path);
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        out.push({ kind: 'error', at, message: 'a data value must be an object' });
        return;
      }
      const dv = value as Record<string, unknown>;
      if ((!str(dv.period) && !top.period) || (!str(dv.orgUnit) && !top.orgUnit && !options.place)) {
        deferred.push({ at, dv });
        return;
      }
      out.push(...convert(at, dv));
    },
    end(path: JsonPath) {
      if (path.length === 1 && path[0] === 'dataValues') inDataValues = false;
    },
  };

  try {
    yield* walkJson(input, visitor, () => out.splice(0));
  } catch (err) {
    if (err instanceof InputFormatError) {
      yield { kind: 'error', at: err.at, message: err.message };
      return;
    }
    throw err;
  }
  if (!rootIsObject) {
    yield {
      kind: 'error',
      at: '(top level)',
      message: 'a DHIS2 data value set must be a JSON object with "dataValues"',
    };
    return;
  }
  for (const d of deferred) yield* convert(d.at, d.dv);
  if (!sawDataValues)
    yield { kind: 'error', at: '(top level)', message: 'no "dataValues" list: this is not a DHIS2 data value set' };
  if (nonNumeric.total > 0) {
    yield {
      kind: 'notice',
      message: `${nonNumeric.total} data value${nonNumeric.total === 1 ? '' : 's'} of non-numeric value types skipped (Marsad keeps numbers): ${nonNumeric.list()}; data elements ${nonNumericElements.list()}`,
    };
  }
  const names = {
    dataElement: 'data elements',
    categoryOptionCombo: 'category option combos',
    attributeOptionCombo: 'attribute option combos',
  } as const;
  for (const [kind, tally] of Object.entries(unmapped) as [keyof typeof names, Tally][]) {
    if (tally.total === 0) continue;
    yield {
      kind: 'notice',
      message: `${tally.total} data value${tally.total === 1 ? '' : 's'} skipped as asked: their ${names[kind]} are not in the DHIS2 mapping: ${tally.list()}`,
    };
  }
}
