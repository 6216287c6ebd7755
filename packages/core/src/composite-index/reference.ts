import type { GroupReference } from './types.ts';
import { quantileSorted } from './values.ts';

/** The group's median and range (min, max) of a score over the units that have one: reference values, not a rank. */
export function groupReference(scores: readonly (number | null)[]): GroupReference {
  const xs = scores.filter((s): s is number => s !== null).sort((a, b) => a - b);
  if (xs.length === 0) return { count: 0, median: null, min: null, max: null };
  return { count: xs.length, median: quantileSorted(xs, 0.5), min: xs[0] as number, max: xs[xs.length - 1] as number };
}
