import { z } from 'zod';
import { assessableIndicators, type SafetyFrameworkStructure } from './framework.ts';

/**
 * A city's self-assessment against a safety monitoring framework (issue 20, item 2): for each indicator, four checks
 * of the city's knowledge system, evidence and a note; prefilled from the approved observations Marsad holds; and the
 * one-page profile derived from it. Pure (docs/methods/safety-index.md, "The Urban Safety Monitor framework and the
 * self-assessment").
 */

export const ASSESSMENT_CHECKS = ['exists', 'regular', 'disaggregated', 'used'] as const;
export type AssessmentCheck = (typeof ASSESSMENT_CHECKS)[number];
/** The checks Marsad can prefill from observations ("used in decisions" cannot be known from data). */
export const PREFILLED_CHECKS = ['exists', 'regular', 'disaggregated'] as const;

/** yes, no, or not answered (null). */
const CheckValue = z.boolean().nullable();
export const AssessmentChecks = z
  .object({ exists: CheckValue, regular: CheckValue, disaggregated: CheckValue, used: CheckValue })
  .strict();
export type AssessmentChecks = z.infer<typeof AssessmentChecks>;

export const ObservationEvidence = z
  .object({
    indicator: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/),
    series: z.string().trim().min(1).max(120).optional(),
  })
  .strict();
export type ObservationEvidence = z.infer<typeof ObservationEvidence>;

export const IndicatorAnswer = z
  .object({
    checks: AssessmentChecks,
    evidence: z
      .object({
        /** Knowledge repository items by id. */
        knowledge: z.array(z.number().int().positive().max(2_147_483_647)).max(30),
        /** Observations in Marsad by indicator (and series). */
        observations: z.array(ObservationEvidence).max(30),
      })
      .strict(),
    note: z.string().max(4000),
  })
  .strict();
export type IndicatorAnswer = z.infer<typeof IndicatorAnswer>;

/** Answers by framework indicator code. */
export const AssessmentAnswers = z.record(z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/), IndicatorAnswer);
export type AssessmentAnswers = z.infer<typeof AssessmentAnswers>;

export function emptyAnswer(): IndicatorAnswer {
  return {
    checks: { exists: null, regular: null, disaggregated: null, used: null },
    evidence: { knowledge: [], observations: [] },
    note: '',
  };
}

/** What Marsad holds of one catalogue indicator at the place: approved values, per series. */
export interface SeriesHoldings {
  indicator: string;
  series: string;
  /** Distinct periods with an approved value (any breakdown). */
  periods: number;
  /** The latest period with an approved value, and the day it ends (YYYY-MM-DD). */
  latestPeriod: string;
  latestEnd: string;
  /** Whether an approved value broken down (sex, age, …) exists. */
  brokenDown: boolean;
}

/** The prefill rule's thresholds: "regular" is at least REGULAR_PERIODS periods, the latest ending within REGULAR_YEARS years. */
export const REGULAR_PERIODS = 3;
export const REGULAR_YEARS = 3;

export interface IndicatorPrefill {
  /** The checks Marsad could fill, or null for each when the indicator's measures name no catalogue indicator. */
  checks: { exists: boolean | null; regular: boolean | null; disaggregated: boolean | null };
  /** The catalogue indicators looked at. */
  catalogue: string[];
  /** What the checks were filled from. */
  from: SeriesHoldings[];
}

function yearsBefore(day: string, years: number): string {
  const [y, rest] = [Number(day.slice(0, 4)), day.slice(4)];
  return `${String(y - years).padStart(4, '0')}${rest}`;
}

/**
 * The prefill of one framework indicator from the approved observations of the place for its measures' catalogue
 * indicators (`holdings`, for those codes only), as of the day `today` (YYYY-MM-DD):
 * - data exists: at least one approved value of any of them;
 * - regular: one series has approved values for at least 3 different periods and its latest ends at most 3 years
 *   before today;
 * - disaggregated: an approved value broken down by a dimension (sex, age, …) exists;
 * - used in decisions: never prefilled.
 * With no catalogue indicator named by its measures, nothing is prefilled (null).
 */
export function prefillIndicator(
  catalogue: readonly string[],
  holdings: readonly SeriesHoldings[],
  today: string,
): IndicatorPrefill {
  const codes = [...new Set(catalogue)];
  if (!codes.length) return { checks: { exists: null, regular: null, disaggregated: null }, catalogue: [], from: [] };
  const from = holdings.filter((h) => codes.includes(h.indicator) && h.periods > 0);
  const since = yearsBefore(today, REGULAR_YEARS);
  return {
    checks: {
      exists: from.length > 0,
      regular: from.some((h) => h.periods >= REGULAR_PERIODS && h.latestEnd >= since),
      disaggregated: from.some((h) => h.brokenDown),
    },
    catalogue: codes,
    from,
  };
}

/**
 * The answers a new assessment starts from: the last submitted assessment's answers for the indicators the
 * framework still has (else empty), with the prefilled checks put over them where Marsad could tell.
 */
export function startingAnswers(
  structure: SafetyFrameworkStructure,
  previous: AssessmentAnswers | null,
  prefill: Record<string, IndicatorPrefill>,
): AssessmentAnswers {
  const out: AssessmentAnswers = {};
  for (const ind of assessableIndicators(structure)) {
    const before = previous?.[ind.code];
    const a: IndicatorAnswer = before ? structuredClone(before) : emptyAnswer();
    const p = prefill[ind.code];
    if (p) {
      for (const c of PREFILLED_CHECKS) if (p.checks[c] !== null) a.checks[c] = p.checks[c];
      for (const h of p.from)
        if (!a.evidence.observations.some((o) => o.indicator === h.indicator && o.series === h.series))
          a.evidence.observations.push({ indicator: h.indicator, series: h.series });
      a.evidence.observations = a.evidence.observations.slice(0, 30);
    }
    out[ind.code] = a;
  }
  return out;
}

/**
 * Where an indicator stands in the profile, by the four checks (all answered):
 * - `strength` (a quick win, to use now): data exists, is regular, and is disaggregated or used in decisions;
 * - `weakest` (a weakest link): no data, or at most one of the four checks is yes;
 * - `connect` (a capacity to connect): the rest — data exists, but some of regular / disaggregated / used is missing;
 * - `unassessed`: one of the four checks is not answered.
 */
export type ProfileCategory = 'strength' | 'connect' | 'weakest' | 'unassessed';

export function categorise(c: AssessmentChecks): ProfileCategory {
  if (ASSESSMENT_CHECKS.some((k) => c[k] === null)) return 'unassessed';
  const yes = ASSESSMENT_CHECKS.filter((k) => c[k] === true).length;
  if (!c.exists || yes <= 1) return 'weakest';
  if (c.regular && (c.disaggregated || c.used)) return 'strength';
  return 'connect';
}

export interface ProfileEntry {
  indicator: string;
  theme: string | null;
  category: ProfileCategory;
  /** How many of the four checks are yes. */
  yes: number;
  /** The checks that are no (what to work on). */
  missing: AssessmentCheck[];
}

export interface AssessmentProfile {
  strengths: ProfileEntry[];
  connect: ProfileEntry[];
  weakest: ProfileEntry[];
  unassessed: ProfileEntry[];
}

/** The one-page profile: each assessable indicator in its category, in the framework's order. */
export function deriveProfile(structure: SafetyFrameworkStructure, answers: AssessmentAnswers): AssessmentProfile {
  const out: AssessmentProfile = { strengths: [], connect: [], weakest: [], unassessed: [] };
  const themes = new Map<string, string | null>();
  for (const t of structure.themes) for (const i of t.indicators) themes.set(i.code, t.code);
  for (const ind of assessableIndicators(structure)) {
    const checks = answers[ind.code]?.checks ?? emptyAnswer().checks;
    const category = categorise(checks);
    const entry: ProfileEntry = {
      indicator: ind.code,
      theme: themes.get(ind.code) ?? null,
      category,
      yes: ASSESSMENT_CHECKS.filter((k) => checks[k] === true).length,
      missing: ASSESSMENT_CHECKS.filter((k) => checks[k] === false),
    };
    const list = category === 'strength' ? out.strengths : category === 'weakest' ? out.weakest : out[category];
    list.push(entry);
  }
  return out;
}

export interface AssessmentChange {
  indicator: string;
  /** Checks whose answer changed, with before and after. */
  checks: { check: AssessmentCheck; before: boolean | null; after: boolean | null }[];
  categoryBefore: ProfileCategory | null;
  categoryAfter: ProfileCategory;
}

/** What changed from the previous submitted assessment: per indicator of `current`'s framework, only those that changed. */
export function assessmentChanges(
  structure: SafetyFrameworkStructure,
  previous: AssessmentAnswers,
  current: AssessmentAnswers,
): AssessmentChange[] {
  const out: AssessmentChange[] = [];
  for (const ind of assessableIndicators(structure)) {
    const after = current[ind.code]?.checks ?? emptyAnswer().checks;
    const beforeAnswer = previous[ind.code];
    const before = beforeAnswer?.checks ?? emptyAnswer().checks;
    const checks = ASSESSMENT_CHECKS.filter((k) => before[k] !== after[k]).map((k) => ({
      check: k,
      before: before[k],
      after: after[k],
    }));
    const categoryBefore = beforeAnswer ? categorise(before) : null;
    const categoryAfter = categorise(after);
    if (checks.length || categoryBefore !== categoryAfter)
      out.push({ indicator: ind.code, checks, categoryBefore, categoryAfter });
  }
  return out;
}
