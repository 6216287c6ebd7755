import type { AggregationMethod } from './types.ts';

/**
 * Weighted aggregation of normalised values (Handbook step 7). `arithmetic`: Σ wᵢxᵢ / Σ wᵢ. `geometric`:
 * Π (xᵢ + c)^(wᵢ/Σw) − c, where the shift c makes every value strictly positive: c = 1 − min(0, the smallest value in
 * the run), so min-max values in [0, 100] are taken as [1, 101] and the score shifted back (stated in the result).
 * Zero-weight terms are ignored; with no positive weight the result is `null`. Both means lie between the smallest and
 * largest value weighed, so the result is held there: that only removes rounding (e.g. 100.00000000000003).
 */
export function aggregate(
  values: readonly number[],
  weights: readonly number[],
  method: AggregationMethod,
  shift: number,
): number | null {
  let sw = 0;
  for (const w of weights) sw += w;
  if (!(sw > 0)) return null;
  const weighed = values.filter((_, k) => (weights[k] as number) > 0);
  const within = (x: number) => Math.min(Math.max(...weighed), Math.max(Math.min(...weighed), x));
  if (method === 'arithmetic') {
    let s = 0;
    values.forEach((x, k) => {
      s += (weights[k] as number) * x;
    });
    return within(s / sw);
  }
  let logSum = 0;
  values.forEach((x, k) => {
    const w = weights[k] as number;
    if (w > 0) logSum += (w / sw) * Math.log(x + shift);
  });
  return within(Math.exp(logSum) - shift);
}
