/**
 * "What would the UN refuse?": observations checked against an SDMX data structure (its code lists, its mandatory
 * attributes) and its content constraints (the breakdown codes and units each series allows). Pure: the caller reads
 * the structure, the constraints and the observations, already written with SDMX codes (M49 area, SDMX unit) — the
 * server writes each value in its UN form once (server/sdmx/un-form.ts) and both checks and exports that form, so
 * that the check checks exactly what the export writes. Besides what the UN would refuse, a value Marsad itself never
 * sends is a problem too (a value withheld from the public, a value of a synthetic source): the export leaves out
 * every value with a problem.
 */

/** A code list as a set of codes; null = the component takes free text. */
export type CodeSet = ReadonlySet<string> | null;

export interface CheckStructure {
  /** AGENCY:ID(VERSION), for messages. */
  ref: string;
  /** Dimensions other than time, in order, with their codes. */
  dimensions: readonly { id: string; codes: CodeSet }[];
  attributes: readonly { id: string; mandatory: boolean; codes: CodeSet }[];
}

/** Per series: component → allowed codes (null = any code of the list). */
export type CheckConstraints = ReadonlyMap<string, ReadonlyMap<string, ReadonlySet<string> | null>>;

export interface CheckObservation {
  series: string;
  /** Marsad's place code, for messages. */
  place: string;
  /** The place's REF_AREA code (M49); null when the place has none. */
  area: string | null;
  period: string;
  /** Breakdown dimension → code; a dimension not given is the total (`_T`). */
  breakdown: Readonly<Record<string, string>>;
  /** Attribute → value (UNIT_MEASURE, UNIT_MULT, OBS_STATUS, …); absent or empty = not given. */
  attributes: Readonly<Record<string, string | undefined>>;
  /**
   * The code written for a breakdown dimension the value is not broken down by (`_T`, or `_Z` where the series takes
   * that instead); a dimension not named here is `_T`.
   */
  totals?: Readonly<Record<string, string>>;
  /** FREQ as written; null: the period has no SDMX frequency (a span of years). Absent: not checked. */
  frequency?: string | null;
  /** REPORTING_TYPE as written. Absent: not checked. */
  reportingType?: string;
  /** The minimum count of the indicator's suppression rule, when the value rests on fewer (never sent). */
  suppressedBelow?: number;
  /** The value comes from a synthetic source (demonstration data; never sent). */
  synthetic?: boolean;
}

export type CheckRule =
  | 'unknown-series'
  | 'series-not-constrained'
  | 'no-area-code'
  | 'unknown-dimension'
  | 'unknown-code'
  | 'breakdown-not-allowed'
  | 'missing-attribute'
  | 'unit-not-allowed'
  | 'no-frequency'
  | 'suppressed'
  | 'synthetic-source'
  /** The same UN key given twice (two Marsad series written as one SERIES code; found by the server, which reads all). */
  | 'duplicate-key'
  /** A series attribute (UNIT_MEASURE) other than the one of the values before it under the same key (the server). */
  | 'series-attribute-differs';

export interface CheckProblem {
  series: string;
  place: string;
  period: string;
  /** The breakdown written as a key: 'AGE=Y15T24|SEX=F', '' for the total. */
  breakdown: string;
  rule: CheckRule;
  component?: string;
  code?: string;
  message: string;
}

/** The dimensions that are not breakdowns: they are given by the export, not by the data. */
export const SDMX_KEY_DIMENSIONS: ReadonlySet<string> = new Set(['FREQ', 'REPORTING_TYPE', 'SERIES', 'REF_AREA']);
export const NO_BREAKDOWN_CODE = '_T';

/** The code written for a dimension the value is not broken down by. */
function totalOf(o: CheckObservation, id: string): string {
  return o.totals?.[id] ?? NO_BREAKDOWN_CODE;
}

export function breakdownKey(b: Readonly<Record<string, string>>): string {
  return Object.keys(b)
    .sort()
    .map((k) => `${k}=${b[k]}`)
    .join('|');
}

/** The problems of one observation, in a stable order. */
export function checkObservation(
  structure: CheckStructure,
  constraints: CheckConstraints,
  o: CheckObservation,
): CheckProblem[] {
  const problems: CheckProblem[] = [];
  const where = { series: o.series, place: o.place, period: o.period, breakdown: breakdownKey(o.breakdown) };
  const add = (rule: CheckRule, message: string, component?: string, code?: string) =>
    problems.push({
      ...where,
      rule,
      ...(component ? { component } : {}),
      ...(code !== undefined ? { code } : {}),
      message,
    });
  const dims = new Map(structure.dimensions.map((d) => [d.id, d]));

  const seriesCodes = dims.get('SERIES')?.codes;
  const knownSeries = !seriesCodes || seriesCodes.has(o.series);
  if (!knownSeries)
    add('unknown-series', `series ${o.series} is not a code of SERIES in ${structure.ref}`, 'SERIES', o.series);

  const areaCodes = dims.get('REF_AREA')?.codes;
  if (o.area === null) add('no-area-code', `place ${o.place} has no M49 code (REF_AREA)`, 'REF_AREA');
  else if (areaCodes && !areaCodes.has(o.area))
    add('unknown-code', `REF_AREA ${o.area} (place ${o.place}) is not a code of REF_AREA`, 'REF_AREA', o.area);

  const freq = dims.get('FREQ');
  if (o.frequency === null)
    add(
      'no-frequency',
      `the period ${o.period} has no SDMX frequency (FREQ): the UN takes values for a year, a half-year, a quarter, a month, a week or a day`,
      'FREQ',
    );
  else if (o.frequency !== undefined && freq?.codes && !freq.codes.has(o.frequency))
    add('unknown-code', `${o.frequency} (the frequency of ${o.period}) is not a code of FREQ`, 'FREQ', o.frequency);
  const reporting = dims.get('REPORTING_TYPE');
  if (o.reportingType !== undefined && reporting?.codes && !reporting.codes.has(o.reportingType))
    add('unknown-code', `${o.reportingType} is not a code of REPORTING_TYPE`, 'REPORTING_TYPE', o.reportingType);

  for (const id of Object.keys(o.breakdown).sort()) {
    const code = o.breakdown[id] as string;
    const d = dims.get(id);
    if (!d || SDMX_KEY_DIMENSIONS.has(id)) {
      add('unknown-dimension', `the breakdown ${id} is not a dimension of ${structure.ref}`, id, code);
      continue;
    }
    if (d.codes && !d.codes.has(code)) add('unknown-code', `${code} is not a code of ${id}`, id, code);
  }
  for (const d of structure.dimensions) {
    if (SDMX_KEY_DIMENSIONS.has(d.id) || o.breakdown[d.id] !== undefined) continue;
    const code = totalOf(o, d.id);
    if (d.codes && !d.codes.has(code))
      add('unknown-code', `${code} (no breakdown by ${d.id}) is not a code of ${d.id}`, d.id, code);
  }

  const rules = knownSeries ? constraints.get(o.series) : undefined;
  if (knownSeries && !rules)
    add(
      'series-not-constrained',
      `series ${o.series} has no content constraint: no breakdown or unit is allowed for it`,
    );
  if (rules) {
    for (const d of structure.dimensions) {
      if (SDMX_KEY_DIMENSIONS.has(d.id)) continue;
      const allowed = rules.get(d.id);
      if (!allowed) continue;
      const code = o.breakdown[d.id] ?? totalOf(o, d.id);
      if (!allowed.has(code))
        add(
          'breakdown-not-allowed',
          `series ${o.series} does not allow ${d.id}=${code} (allowed: ${[...allowed].slice(0, 10).join(', ')}${allowed.size > 10 ? ', …' : ''})`,
          d.id,
          code,
        );
    }
  }

  for (const a of structure.attributes) {
    const value = o.attributes[a.id];
    if (value === undefined || value === '') {
      if (a.mandatory) add('missing-attribute', `the mandatory attribute ${a.id} is missing`, a.id);
      continue;
    }
    if (a.codes && !a.codes.has(value)) {
      add('unknown-code', `${value} is not a code of ${a.id}`, a.id, value);
      continue;
    }
    const allowed = rules?.get(a.id);
    if (allowed && !allowed.has(value))
      add(
        'unit-not-allowed',
        `series ${o.series} takes ${a.id} ${[...allowed].join(' or ')}, not ${value}`,
        a.id,
        value,
      );
  }

  if (o.suppressedBelow !== undefined)
    add(
      'suppressed',
      `the value rests on fewer than ${o.suppressedBelow} cases: its indicator's suppression rule withholds it from the public, and it is never sent to the UN`,
    );
  if (o.synthetic)
    add('synthetic-source', 'the value comes from a synthetic source (demonstration data): never sent to the UN');
  return problems;
}

/** The problems of all observations, in their order. */
export function checkObservations(
  structure: CheckStructure,
  constraints: CheckConstraints,
  observations: Iterable<CheckObservation>,
): CheckProblem[] {
  const out: CheckProblem[] = [];
  for (const o of observations) out.push(...checkObservation(structure, constraints, o));
  return out;
}
