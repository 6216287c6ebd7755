/**
 * Checks a value must pass before it is saved from the data-entry form (and through the
 * entry API). Pure: the server and the browser run the same code. The rules are set per
 * indicator by administrators; docs/methods/validation.md explains each with examples.
 */

export interface ValidationRules {
  /** Smallest and largest value accepted (inclusive). */
  min?: number;
  max?: number;
  /** The unit a value must be in (e.g. PERCENT); a value entered in another unit is refused. */
  unit?: string;
  /** Dimensions whose parts must all be entered whenever a total is entered (e.g. ["SEX"]). */
  requiredDimensions?: string[];
  /**
   * Parts along one dimension must add up to the total within this relative tolerance (0.01 =
   * 1 %). Absent: parts are not summed (right for rates and percentages).
   */
  sumTolerance?: number;
  /** A change of more than this percentage from the previous period needs a comment. */
  maxChangePercent?: number;
  /**
   * Rules whose breach is a warning rather than an error: the value is saved (entered or
   * imported) and the problem reported beside it. Rules not listed refuse the value.
   */
  warnings?: ValidationRuleName[];
}

/** The rules by name, as `warnings` lists them. */
export const VALIDATION_RULE_NAMES = [
  'range',
  'unit',
  'requiredDimensions',
  'sumTolerance',
  'maxChangePercent',
] as const;
export type ValidationRuleName = (typeof VALIDATION_RULE_NAMES)[number];

/** One value being entered (the dims of a total are {}). */
export interface EntryValue {
  series: string;
  dims: Record<string, string>;
  value: number;
  unit?: string | null;
  note?: string | null;
}

export type EntryProblemCode =
  | 'below-min'
  | 'above-max'
  | 'wrong-unit'
  | 'missing-part'
  | 'parts-sum'
  | 'change-needs-comment';

/** The rule each problem breaks. */
export const RULE_OF_PROBLEM: Record<EntryProblemCode, ValidationRuleName> = {
  'below-min': 'range',
  'above-max': 'range',
  'wrong-unit': 'unit',
  'missing-part': 'requiredDimensions',
  'parts-sum': 'sumTolerance',
  'change-needs-comment': 'maxChangePercent',
};

/** Whether breaking the rule behind `code` is a warning (the value is kept) under these rules, or an error. */
export function problemSeverity(rules: ValidationRules, code: EntryProblemCode): 'error' | 'warning' {
  return rules.warnings?.includes(RULE_OF_PROBLEM[code]) ? 'warning' : 'error';
}

/** A problem with an entry, with what a message needs; `message` is English, the web app translates by code. */
export interface EntryProblem {
  code: EntryProblemCode;
  /** 'warning' when the indicator's rules list the rule under `warnings`: reported, not refused. */
  severity: 'error' | 'warning';
  /** Index in the entries given. */
  index: number;
  field: 'value' | 'unit' | 'note' | 'dims';
  params: Record<string, string | number>;
  message: string;
}

function fmt(n: number | string | undefined): string {
  if (typeof n !== 'number') return String(n ?? '');
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 1e6) / 1e6);
}

/** The English message of a problem, from its code and params (the web app translates by code). */
export function problemMessage(code: EntryProblemCode, p: Record<string, string | number>): string {
  switch (code) {
    case 'below-min':
      return `${fmt(p.value)} is below the smallest value allowed for this indicator, ${fmt(p.min)}.`;
    case 'above-max':
      return `${fmt(p.value)} is above the largest value allowed for this indicator, ${fmt(p.max)}.`;
    case 'wrong-unit':
      return `The unit "${p.unit}" is not the unit of this indicator, "${p.expected}".`;
    case 'change-needs-comment':
      return `This value changes by ${p.change} % from the previous period (${fmt(p.previous)}); a change of more than ${fmt(p.limit)} % needs a comment in the note.`;
    case 'missing-part':
      return `Enter the values by ${p.dimension} too (missing: ${p.missing}).`;
    case 'parts-sum':
      return `The values by ${p.dimension} add up to ${fmt(p.sum)}, not to the total ${fmt(p.total)} (tolerance ${fmt(p.tolerance)} %).`;
  }
}

/**
 * Checks the entries of one indicator at one place and period.
 * - `previous(series, dims)`: the value of the previous period for the same key, if any.
 * - `dimensionValues(dim)`: the value codes of a closed dimension, for `requiredDimensions`.
 */
export function checkEntries(
  rules: ValidationRules,
  entries: EntryValue[],
  previous: (series: string, dims: Record<string, string>) => number | undefined,
  dimensionValues: (dim: string) => string[],
): EntryProblem[] {
  const problems: EntryProblem[] = [];
  entries.forEach((e, index) => {
    if (rules.min !== undefined && e.value < rules.min) {
      problems.push({
        code: 'below-min',
        severity: problemSeverity(rules, 'below-min'),
        index,
        field: 'value',
        params: { value: e.value, min: rules.min },
        message: '',
      });
    }
    if (rules.max !== undefined && e.value > rules.max) {
      problems.push({
        code: 'above-max',
        severity: problemSeverity(rules, 'above-max'),
        index,
        field: 'value',
        params: { value: e.value, max: rules.max },
        message: '',
      });
    }
    if (rules.unit && e.unit && e.unit !== rules.unit) {
      problems.push({
        code: 'wrong-unit',
        severity: problemSeverity(rules, 'wrong-unit'),
        index,
        field: 'unit',
        params: { unit: e.unit, expected: rules.unit },
        message: '',
      });
    }
    if (rules.maxChangePercent !== undefined && !e.note?.trim()) {
      const prev = previous(e.series, e.dims);
      if (prev !== undefined) {
        const change = prev === 0 ? (e.value === 0 ? 0 : Infinity) : Math.abs((e.value - prev) / prev) * 100;
        if (change > rules.maxChangePercent) {
          const shown = Number.isFinite(change) ? Math.round(change) : '∞';
          problems.push({
            code: 'change-needs-comment',
            severity: problemSeverity(rules, 'change-needs-comment'),
            index,
            field: 'note',
            params: { change: shown, limit: rules.maxChangePercent, previous: prev },
            message: '',
          });
        }
      }
    }
  });

  // Totals and their parts, per series.
  const bySeries = new Map<string, { e: EntryValue; index: number }[]>();
  entries.forEach((e, index) => {
    const list = bySeries.get(e.series) ?? [];
    list.push({ e, index });
    bySeries.set(e.series, list);
  });
  for (const list of bySeries.values()) {
    const totals = list.filter((x) => Object.keys(x.e.dims).length === 0);
    for (const total of totals) {
      for (const dim of rules.requiredDimensions ?? []) {
        const present = new Set(
          list.filter((x) => Object.keys(x.e.dims).length === 1 && dim in x.e.dims).map((x) => x.e.dims[dim]!),
        );
        const missing = dimensionValues(dim).filter((v) => !present.has(v) && v !== '_T');
        if (missing.length) {
          problems.push({
            code: 'missing-part',
            severity: problemSeverity(rules, 'missing-part'),
            index: total.index,
            field: 'dims',
            params: { dimension: dim, missing: missing.join(', ') },
            message: '',
          });
        }
      }
      if (rules.sumTolerance !== undefined) {
        const dimsUsed = new Set(
          list.flatMap((x) => (Object.keys(x.e.dims).length === 1 ? Object.keys(x.e.dims) : [])),
        );
        for (const dim of dimsUsed) {
          const parts = list.filter((x) => Object.keys(x.e.dims).length === 1 && dim in x.e.dims);
          const expected = rules.requiredDimensions?.includes(dim)
            ? dimensionValues(dim).filter((v) => v !== '_T')
            : null;
          if (expected && parts.length < expected.length) continue; // reported as missing parts
          const sum = parts.reduce((s, x) => s + x.e.value, 0);
          const tol = Math.abs(total.e.value) * rules.sumTolerance;
          if (Math.abs(sum - total.e.value) > tol + 1e-9) {
            problems.push({
              code: 'parts-sum',
              severity: problemSeverity(rules, 'parts-sum'),
              index: total.index,
              field: 'value',
              params: {
                dimension: dim,
                sum: Math.round(sum * 1e6) / 1e6,
                total: total.e.value,
                tolerance: rules.sumTolerance * 100,
              },
              message: '',
            });
          }
        }
      }
    }
  }
  for (const p of problems) p.message = problemMessage(p.code, p.params);
  return problems;
}

/**
 * The rules an indicator of the reference catalogue starts with, from its unit: a percentage
 * lies in [0, 100], a yes/no in [0, 1], counts, rates, ratios, money, time, area and
 * concentrations are not negative. Indices and unknown units get none. Administrators change
 * them per indicator; docs/methods/validation.md. (Migration 010 applies the same table.)
 */
export function defaultValidationRules(unitCode: string | null | undefined): ValidationRules {
  switch (unitCode) {
    case 'PERCENT':
      return { min: 0, max: 100 };
    case 'YES_NO':
      return { min: 0, max: 1 };
    case 'NUMBER':
    case 'PER_100000':
    case 'PER_100000_WOMEN':
    case 'RATIO':
    case 'PERCENT_GDP':
    case 'USD_PER_CAPITA':
    case 'MINUTES':
    case 'SQ_M_PER_CAPITA':
    case 'UG_M3':
      return { min: 0 };
    default:
      return {};
  }
}
