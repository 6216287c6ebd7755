import { indexMessage } from './messages.ts';
import type { ValueTreatment } from './types.ts';
import { mean } from './values.ts';

/** Skewness (g1 = m3 / m2^1.5) and excess kurtosis (g2 = m4 / m2² − 3) from population moments; 0 for constant data. */
export function skewKurtosis(xs: readonly number[]): { skewness: number; kurtosis: number } {
  const m = mean(xs);
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (const x of xs) {
    const d = x - m;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  m2 /= xs.length;
  m3 /= xs.length;
  m4 /= xs.length;
  if (!(m2 > 0)) return { skewness: 0, kurtosis: 0 };
  return { skewness: m3 / m2 ** 1.5, kurtosis: m4 / (m2 * m2) - 3 };
}

/** The rule of thumb of the JRC COIN practice: |skewness| > 2 and kurtosis > 3.5. */
export function hasOutliers(xs: readonly number[]): boolean {
  if (xs.length < 3) return false;
  const { skewness, kurtosis } = skewKurtosis(xs);
  return Math.abs(skewness) > 2 && kurtosis > 3.5;
}

/**
 * Winsorises one indicator's column in place: while the rule of thumb flags it and fewer than `max` values have been
 * changed, the most extreme value on the side of the skew is set to the next value inward. Returns what changed.
 */
export function winsorise(
  column: (number | null)[],
  unitIds: readonly string[],
  indicatorId: string,
  max: number,
): ValueTreatment[] {
  const out: ValueTreatment[] = [];
  const present = () => column.filter((v): v is number => v !== null);
  while (out.length < max && hasOutliers(present())) {
    const xs = present();
    const high = skewKurtosis(xs).skewness > 0;
    const sorted = [...xs].sort((a, b) => a - b);
    const extreme = high ? (sorted[sorted.length - 1] as number) : (sorted[0] as number);
    const inward = sorted.filter((v) => (high ? v < extreme : v > extreme));
    if (inward.length === 0) break;
    const next = high ? Math.max(...inward) : Math.min(...inward);
    const u = column.indexOf(extreme);
    column[u] = next;
    out.push({
      unitId: unitIds[u] as string,
      indicatorId,
      action: 'winsorised',
      original: extreme,
      used: next,
      reason: indexMessage(high ? 'value-winsorised-high' : 'value-winsorised-low'),
    });
  }
  return out;
}
