/**
 * Privacy in publication: per indicator, the minimum count below which a public value is not
 * shown (it reads "fewer than N"), and rates computed from such a count are hidden too. The
 * method is in docs/methods/suppression.md.
 */

export type SuppressionLevel = 'country' | 'region' | 'city' | 'district';

export interface SuppressionRule {
  /** Public values whose count is below this are suppressed (1 or more). */
  minCount: number;
  /**
   * The series whose value at the same place, period and disaggregation is the count the value
   * rests on (for a rate or a percentage). Absent: the value itself is the count.
   */
  countSeries?: string;
  /**
   * Apply only to values disaggregated by one of these dimensions (e.g. SEX, AGE, DISABILITY).
   * Absent or empty, with no `levels` either: apply to every value of the indicator.
   */
  dimensions?: string[];
  /** Apply also (or only, without `dimensions`) to values of places at these levels (e.g. district). */
  levels?: SuppressionLevel[];
}

/** Whether the rule covers a value with these disaggregations at a place of this level. */
export function suppressionApplies(rule: SuppressionRule, dims: Record<string, string>, level: string): boolean {
  const byDim = rule.dimensions?.length ? rule.dimensions.some((d) => d in dims) : false;
  const byLevel = rule.levels?.length ? (rule.levels as string[]).includes(level) : false;
  if (!rule.dimensions?.length && !rule.levels?.length) return true;
  return byDim || byLevel;
}

/**
 * Whether a value must be hidden from the public: the rule applies, and its count (the value
 * itself, or the count series' value) is below the minimum. A rate whose count is unknown is
 * shown: suppression rests on a count that is in Marsad.
 */
export function isSuppressed(
  rule: SuppressionRule | null | undefined,
  value: number,
  count: number | null | undefined,
  dims: Record<string, string>,
  level: string,
): boolean {
  if (!rule) return false;
  if (!suppressionApplies(rule, dims, level)) return false;
  const n = rule.countSeries ? count : value;
  if (n === null || n === undefined) return false;
  return n < rule.minCount;
}
