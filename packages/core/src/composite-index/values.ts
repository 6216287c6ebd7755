import type { CompositeIndicator, CompositeUnit } from './types.ts';

/** A value as a finite number, or `null` when missing, `null`, NaN or infinite. */
export function finiteValue(unit: CompositeUnit, indicatorId: string): number | null {
  const v = unit.values[indicatorId];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** The theme ids in the order their first indicator appears. */
export function themeIds(indicators: readonly CompositeIndicator[]): string[] {
  return [...new Set(indicators.map((i) => i.themeId))];
}

export function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Linear-interpolation quantile (Hyndman & Fan type 7, as R's default) of sorted values; `p` in [0, 1]. */
export function quantileSorted(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo] as number;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return a + (h - lo) * (b - a);
}
