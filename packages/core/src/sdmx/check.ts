/**
 * "What would the UN refuse?": observations checked against an SDMX data structure (its code lists, its mandatory
 * attributes) and its content constraints (the breakdown codes and units each series allows). Pure: the caller reads
 * the structure, the constraints and the observations, already written with SDMX codes (M49 area, SDMX unit).
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
}

export type CheckRule =
  | 'unknown-series'
  | 'series-not-constrained'
  | 'no-area-code'
  | 'unknown-dimension'
  | 'unknown-code'
  | 'breakdown-not-allowed'
  | 'missing-attribute'
  | 'unit-not-allowed';

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
const KEY_DIMENSIONS = new Set(['FREQ', 'REPORTING_TYPE', 'SERIES', 'REF_AREA']);
export const NO_BREAKDOWN_CODE = '_T';

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

  for (const id of Object.keys(o.breakdown).sort()) {
    const code = o.breakdown[id] as string;
    const d = dims.get(id);
    if (!d || KEY_DIMENSIONS.has(id)) {
      add('unknown-dimension', `the breakdown ${id} is not a dimension of ${structure.ref}`, id, code);
      continue;
    }
    if (d.codes && !d.codes.has(code)) add('unknown-code', `${code} is not a code of ${id}`, id, code);
  }

  const rules = knownSeries ? constraints.get(o.series) : undefined;
  if (knownSeries && !rules)
    add(
      'series-not-constrained',
      `series ${o.series} has no content constraint: no breakdown or unit is allowed for it`,
    );
  if (rules) {
    for (const d of structure.dimensions) {
      if (KEY_DIMENSIONS.has(d.id)) continue;
      const allowed = rules.get(d.id);
      if (!allowed) continue;
      const code = o.breakdown[d.id] ?? NO_BREAKDOWN_CODE;
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
