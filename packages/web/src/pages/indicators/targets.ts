import type { IndicatorDetail } from '../../api/types.ts';

type Target = IndicatorDetail['targets'][number];

/** The most specific target: for this place and series, this place, this series, then the indicator. */
export function pickTarget(targets: Target[], series: string | null, place: string | null): Target | null {
  const score = (t: Target) =>
    (t.place && t.place !== place) || (t.series && t.series !== series) ? -1 : (t.place ? 2 : 0) + (t.series ? 1 : 0);
  const ranked = targets
    .map((t) => ({ t, s: score(t) }))
    .filter((x) => x.s >= 0)
    .sort((a, b) => b.s - a.s || a.t.year - b.t.year);
  return ranked[0]?.t ?? null;
}

/** The target as a number: its value, or the baseline changed by its relative change. */
export function resolveTargetValue(t: Target, baseline: number | null): number | null {
  if (t.value !== null) return t.value;
  if (t.relativeChange !== null && baseline !== null) return baseline * (1 + t.relativeChange);
  return null;
}
