import { type IndexMessage, indexMessage } from './messages.ts';
import type { CompositeIndicator, NormalisationMethod } from './types.ts';
import { mean } from './values.ts';

/**
 * Normalises one indicator's column (missing stays `null`) so that higher is always better (Handbook step 5).
 * `min-max`: 100·(x − min)/(max − min), or 100·(max − x)/(max − min) when lower is better; a constant column gets 50.
 * `z-score`: (x − mean)/s with the sample standard deviation (n − 1), negated when lower is better; constant → 0.
 * `benchmarks`: 100·(x − baseline)/(target − baseline), clipped to [0, 100] unless `clip` is false; the direction is in
 * the benchmarks themselves (a falling target is below its baseline).
 * Returns the values and a note when a rule had to be applied, or a refusal reason.
 */
export function normaliseColumn(
  column: readonly (number | null)[],
  indicator: CompositeIndicator,
  method: NormalisationMethod,
  clip = true,
): { values: (number | null)[]; note?: IndexMessage } | { refused: IndexMessage } {
  const xs = column.filter((v): v is number => v !== null);
  const lower = indicator.direction === 'lower-is-better';
  if (method === 'benchmarks') {
    const { baseline, target } = indicator;
    if (baseline === undefined || target === undefined || !Number.isFinite(baseline) || !Number.isFinite(target))
      return { refused: indexMessage('benchmarks-missing', { id: indicator.id }) };
    if (baseline === target) return { refused: indexMessage('benchmarks-equal', { id: indicator.id }) };
    if (lower !== target < baseline)
      return { refused: indexMessage('benchmarks-wrong-direction', { id: indicator.id }) };
    return {
      values: column.map((x) => {
        if (x === null) return null;
        const v = (100 * (x - baseline)) / (target - baseline);
        return clip ? Math.min(100, Math.max(0, v)) : v;
      }),
    };
  }
  if (xs.length === 0) return { values: column.map(() => null) };
  const min = Math.min(...xs);
  const max = Math.max(...xs);
  if (min === max) {
    const constant = method === 'min-max' ? 50 : 0;
    return {
      values: column.map((x) => (x === null ? null : constant)),
      note: indexMessage('indicator-constant', { id: indicator.id, value: min, score: constant, method }),
    };
  }
  if (method === 'min-max') {
    // Held to [0, 100]: (x − min)/(max − min) can round to 1.0000000000000002.
    const scale = (x: number) => Math.min(100, Math.max(0, (100 * (lower ? max - x : x - min)) / (max - min)));
    return { values: column.map((x) => (x === null ? null : scale(x))) };
  }
  const m = mean(xs);
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
  return { values: column.map((x) => (x === null ? null : ((lower ? -1 : 1) * (x - m)) / sd)) };
}
