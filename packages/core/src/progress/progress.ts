import { civilDate, dayNumber, daysInMonth, isLeapYear } from '../calendar/civil-date.ts';
/**
 * Progress toward a target, for one time series (one indicator, series, place and
 * disaggregation). The method and every choice are described in docs/methods/progress.md.
 *
 * With a numeric target: the UN Statistics Division's SDG Progress Chart method (the
 * "Progress Chart technical note" of The Sustainable Development Goals Report). The
 * compound annual growth rate (CAGR) between the baseline b and the latest observation t,
 *     CAGR = (v_t / v_b)^(1 / (t − b)) − 1,
 * projects the value to the target year T,
 *     v_T = v_t · (1 + CAGR)^(T − t),
 * and the ratio of the projected change to the required change,
 *     r = (v_T − v_b) / (target − v_b),
 * is classified: ≥ 0.95 met-or-almost, [0.5, 0.95) moderate, [0.1, 0.5) marginal,
 * (−0.1, 0.1) stagnation, ≤ −0.1 deterioration. A latest value already at or beyond the
 * target (in the better direction) is met-or-almost whatever r is.
 *
 * Without a numeric target: the CAGR in the indicator's better direction against the fixed
 * thresholds of Open SDG's progress methodology (after Statistics Canada): ≥ 1.5 %
 * substantial, [0.5 %, 1.5 %) moderate, [0 %, 0.5 %) marginal, < 0 deterioration.
 *
 * Time: each observation sits at the midpoint of its period, as a fractional year
 * (`periodMidYear`): a calendar year Y at Y + 0.5, the span 1990–1999 at 1995.0. The target
 * year T stands for the calendar year T, so projections run to T + 0.5; for annual data every
 * distance is then a whole number of years, exactly as in the technical note.
 *
 * No I/O, no dependencies.
 */

export type Direction = 'higher' | 'lower' | 'none';

export interface ProgressPoint {
  /** First day of the period, ISO "YYYY-MM-DD", inclusive. */
  start: string;
  /** Last day of the period, ISO "YYYY-MM-DD", inclusive. */
  end: string;
  value: number | null;
}

export interface ProgressTarget {
  /** The year by which the target should be reached (replaces 2030). */
  year: number;
  /** An absolute target value; wins over `relativeChange` when both are given. */
  value?: number | null;
  /** A change relative to a baseline value: −0.5 halves it, 0.2 raises it by a fifth. */
  relativeChange?: number | null;
  /** The year whose value `relativeChange` applies to; default: the baseline of the data. */
  baselineYear?: number | null;
}

export type ProgressClass =
  | 'met-or-almost'
  | 'substantial'
  | 'moderate'
  | 'marginal'
  | 'stagnation'
  | 'deterioration'
  | 'insufficient-data'
  | 'not-assessed';

/** An observation used by the assessment. */
export interface ProgressObservation {
  /** Midpoint of the period as a fractional year (a calendar year Y is Y + 0.5). */
  year: number;
  value: number;
  start: string;
  end: string;
}

export interface ProgressResult {
  class: ProgressClass;
  /** 'target': UNSD ratio to a numeric target; 'trend': Open SDG growth thresholds. */
  method: 'target' | 'trend' | 'none';
  baseline?: ProgressObservation;
  latest?: ProgressObservation;
  /** Compound annual growth rate from baseline to latest; null when the linear fallback is used. */
  cagr?: number | null;
  /** The value projected to the target year (named for the usual target year, 2030). */
  projected2030?: number | null;
  /** r = (projected − baseline) / (target − baseline); null when undefined. */
  ratio?: number | null;
  /** The numeric target, relative targets resolved. */
  target?: number | null;
  targetYear?: number;
  /** True when values ≤ 0 made the CAGR undefined and linear annual change was used. */
  linearFallback?: boolean;
  /** Linear annual change (v_t − v_b) / (t − b), given when the linear fallback is used. */
  slope?: number | null;
  /**
   * Trend method: the annual rate compared with the thresholds, signed so that positive is
   * the better direction (the CAGR, or slope / |v_b| in the linear fallback); null when
   * undefined (zero baseline).
   */
  rate?: number | null;
  baselineRule?: 'from-2015' | 'earliest';
  note?: string;
}

// ─── Constants of the method ────────────────────────────────────────────────────────────────

/** The 2030 Agenda's base year. */
const BASE_YEAR = 2015;
/** UNSD Progress Chart thresholds on r. */
const RATIO_MET = 0.95;
const RATIO_MODERATE = 0.5;
const RATIO_MARGINAL = 0.1;
const RATIO_STAGNATION = -0.1;
/** Open SDG thresholds on the CAGR in the better direction. */
const RATE_SUBSTANTIAL = 0.015;
const RATE_MODERATE = 0.005;
const RATE_MARGINAL = 0;
/** Absorbs floating-point rounding at the thresholds (r = 0.95 computed as 0.9499999999). */
const EPSILON = 1e-9;

// ─── Periods as fractional years ────────────────────────────────────────────────────────────

function parseIsoDay(text: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) throw new RangeError(`not an ISO date (YYYY-MM-DD): ${JSON.stringify(text)}`);
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new RangeError(`no such date: ${text}`);
  }
  return dayNumber(year, month, day);
}

/**
 * The midpoint of a period, as a fractional year: the middle of the days from `start` to
 * `end` (both inclusive), expressed as year + fraction of that year elapsed.
 * Calendar year 2015 → 2015.5; span 1990–1999 → 1995.0; financial year July 2017–June 2018
 * → 2017.996 (≈ 2018.0); quarter 2024-Q1 → 2024.124. Throws a RangeError on an invalid date
 * or an end before the start.
 */
export function periodMidYear(start: string, end: string): number {
  const first = parseIsoDay(start);
  const last = parseIsoDay(end);
  if (last < first) throw new RangeError(`period ends (${end}) before it starts (${start})`);
  // Midpoint of the half-open interval [first day 00:00, day after last 00:00).
  const middle = (first + last + 1) / 2;
  const year = civilDate(Math.floor(middle)).year;
  const yearStart = dayNumber(year, 1, 1);
  return year + (middle - yearStart) / (isLeapYear(year) ? 366 : 365);
}

// ─── Preparing the series ───────────────────────────────────────────────────────────────────

interface Prepared extends ProgressObservation {
  endDay: number;
}

/**
 * Drops missing values (null, NaN, ±Infinity), keeps one point per calendar year of the
 * period midpoint (the one with the latest end date; on a tie the later in the input), and
 * sorts by midpoint.
 */
function prepare(points: readonly ProgressPoint[]): Prepared[] {
  const byYear = new Map<number, Prepared>();
  for (const point of points) {
    const value = point.value;
    if (value === null || !Number.isFinite(value)) continue;
    const year = periodMidYear(point.start, point.end);
    const prepared: Prepared = { year, value, start: point.start, end: point.end, endDay: parseIsoDay(point.end) };
    const key = Math.floor(year);
    const kept = byYear.get(key);
    if (kept === undefined || prepared.endDay >= kept.endDay) byYear.set(key, prepared);
  }
  return [...byYear.values()].sort((a, b) => a.year - b.year);
}

function observation(point: Prepared): ProgressObservation {
  return { year: point.year, value: point.value, start: point.start, end: point.end };
}

// ─── Classification ─────────────────────────────────────────────────────────────────────────

function classifyRatio(ratio: number): ProgressClass {
  if (ratio >= RATIO_MET - EPSILON) return 'met-or-almost';
  if (ratio >= RATIO_MODERATE - EPSILON) return 'moderate';
  if (ratio >= RATIO_MARGINAL - EPSILON) return 'marginal';
  if (ratio > RATIO_STAGNATION + EPSILON) return 'stagnation';
  return 'deterioration';
}

function classifyRate(rate: number): ProgressClass {
  if (rate >= RATE_SUBSTANTIAL - EPSILON) return 'substantial';
  if (rate >= RATE_MODERATE - EPSILON) return 'moderate';
  if (rate >= RATE_MARGINAL - EPSILON) return 'marginal';
  return 'deterioration';
}

const sameValue = (a: number, b: number): boolean => Math.abs(a - b) <= EPSILON * Math.max(1, Math.abs(a), Math.abs(b));

// ─── The assessment ─────────────────────────────────────────────────────────────────────────

/**
 * Assesses progress of one series toward its target (or, without a numeric target, the
 * direction and pace of its trend). `targetYear` (default 2030) is used when no target is
 * given; a target's own `year` replaces it. See docs/methods/progress.md.
 */
export function assessProgress(
  points: ProgressPoint[],
  direction: Direction,
  target?: ProgressTarget | null,
  targetYear = 2030,
): ProgressResult {
  const year = target?.year ?? targetYear;
  const absolute = target?.value ?? null;
  const relative = target?.relativeChange ?? null;
  const hasAbsolute = absolute !== null && Number.isFinite(absolute);
  const hasRelative = !hasAbsolute && relative !== null && Number.isFinite(relative);
  const hasTarget = hasAbsolute || hasRelative;
  const method: ProgressResult['method'] = hasTarget ? 'target' : direction === 'none' ? 'none' : 'trend';

  if (method === 'none') {
    return {
      class: 'not-assessed',
      method,
      targetYear: year,
      note: 'No numeric target and no better direction: progress is not assessed.',
    };
  }

  // ── Baseline and latest ──
  const series = prepare(points);
  const from2015 = series.filter((point) => Math.floor(point.year) >= BASE_YEAR);
  let baselineRule: 'from-2015' | 'earliest';
  let base: Prepared | undefined;
  if (from2015.length >= 2) {
    baselineRule = 'from-2015';
    base = from2015[0];
  } else {
    baselineRule = 'earliest';
    base = series[0];
  }
  const last = series[series.length - 1];
  if (series.length < 2 || base === undefined || last === undefined || !(last.year > base.year)) {
    return {
      class: 'insufficient-data',
      method,
      targetYear: year,
      note: `${series.length === 0 ? 'No values' : series.length === 1 ? 'One value' : 'Values in one year only'}: at least two years with values are needed.`,
    };
  }

  const notes: string[] = [];
  if (baselineRule === 'earliest') {
    notes.push(
      `Fewer than two values from ${BASE_YEAR} on: the baseline is the earliest value (${Math.floor(base.year)}).`,
    );
  }

  // ── Growth and projection ──
  const b = base.year;
  const t = last.year;
  const vb = base.value;
  const vt = last.value;
  const span = t - b;
  const horizon = year + 0.5 - t; // to the middle of the target year
  let cagr: number | null = null;
  let slope: number | null = null;
  let projected: number;
  const linearFallback = !(vb > 0 && vt > 0);
  if (!linearFallback) {
    cagr = (vt / vb) ** (1 / span) - 1;
    projected = vt * (1 + cagr) ** horizon;
  } else {
    slope = (vt - vb) / span;
    projected = vt + slope * horizon;
    notes.push(
      'A value is zero or negative, so the compound growth rate is undefined: linear annual change is used instead.',
    );
  }
  if (horizon < 0)
    notes.push(`The latest value is later than the target year ${year}; the trend is projected back to it.`);

  const common: Omit<ProgressResult, 'class'> = {
    method,
    baseline: observation(base),
    latest: observation(last),
    cagr,
    projected2030: projected,
    targetYear: year,
    linearFallback,
    baselineRule,
  };
  if (linearFallback) common.slope = slope;
  const finish = (result: ProgressResult): ProgressResult => {
    if (notes.length > 0) result.note = notes.join(' ');
    return result;
  };

  // ── Trend method (no numeric target) ──
  if (!hasTarget) {
    const sign = direction === 'lower' ? -1 : 1;
    let rate: number | null;
    let cls: ProgressClass;
    if (cagr !== null) {
      rate = sign * cagr;
      cls = classifyRate(rate);
    } else if (vb !== 0) {
      rate = (sign * (slope ?? 0)) / Math.abs(vb);
      cls = classifyRate(rate);
    } else {
      rate = null;
      const better = sign * (slope ?? 0);
      cls = better > 0 ? 'substantial' : better < 0 ? 'deterioration' : 'marginal';
      notes.push('The baseline is zero, so no relative rate exists: the class follows the sign of the change.');
    }
    return finish({ ...common, class: cls, rate });
  }

  // ── Target method ──
  let targetValue: number;
  if (absolute !== null && hasAbsolute) {
    targetValue = absolute;
  } else {
    const change = relative ?? 0;
    const wanted = target?.baselineYear ?? null;
    let reference = vb;
    if (wanted !== null && wanted !== Math.floor(b)) {
      const at = series.find((point) => Math.floor(point.year) === wanted);
      if (at !== undefined) {
        reference = at.value;
        notes.push(
          `The relative target is resolved against the value of ${wanted} (${at.value}); progress is measured from the baseline ${Math.floor(b)}.`,
        );
      } else {
        notes.push(
          `No value for the target's baseline year ${wanted}: the relative target is resolved against the baseline used (${Math.floor(b)}).`,
        );
      }
    }
    targetValue = reference * (1 + change);
  }
  common.target = targetValue;

  // The better direction: the indicator's, or (direction 'none') toward the target.
  const gap = targetValue - vb;
  const targetIsBaseline = sameValue(targetValue, vb);
  const better: 'higher' | 'lower' | null =
    direction !== 'none' ? direction : targetIsBaseline ? null : gap > 0 ? 'higher' : 'lower';
  const meets = (value: number): boolean => {
    if (sameValue(value, targetValue)) return true;
    if (better === 'higher') return value > targetValue;
    if (better === 'lower') return value < targetValue;
    return false;
  };

  if (targetIsBaseline) {
    // r would divide by zero.
    if (meets(vt)) return finish({ ...common, class: 'met-or-almost', ratio: null });
    notes.push('The target equals the baseline value and the latest value has moved away from it.');
    return finish({ ...common, class: 'deterioration', ratio: null });
  }

  // A target on the worse side of the baseline: the baseline already met it, and r would
  // reward moving away from the better direction.
  const baselineMet = (better === 'higher' && gap < 0) || (better === 'lower' && gap > 0);
  const ratio = baselineMet ? null : (projected - vb) / gap;
  if (meets(vt)) {
    notes.push('The latest value already meets the target.');
    return finish({ ...common, class: 'met-or-almost', ratio });
  }
  if (ratio === null) {
    notes.push('The baseline already met the target; the latest value no longer does.');
    return finish({ ...common, class: 'deterioration', ratio: null });
  }
  return finish({ ...common, class: classifyRatio(ratio), ratio });
}
