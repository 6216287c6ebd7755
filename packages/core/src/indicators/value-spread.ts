/** How the latest values of an indicator spread over places: how many, the lowest, the median and the highest. */
export interface ValueSpread {
  n: number;
  min: number;
  median: number;
  max: number;
}

/**
 * The spread of these values (the median of an even number is the mean of the two middle values); null for none.
 * Values that are not finite numbers are left out.
 */
export function valueSpread(values: readonly number[]): ValueSpread | null {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return null;
  const mid = Math.floor(n / 2);
  const median = n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { n, min: sorted[0]!, median, max: sorted[n - 1]! };
}
