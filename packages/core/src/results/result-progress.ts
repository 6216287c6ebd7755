/**
 * Progress of a results framework (impact → outcome → output → activity) toward its targets,
 * rolled up from the leaves by weight. Pure: the server's API, the reports and the browser use
 * the same functions. The method, with the worked examples that the tests check, is in
 * docs/methods/results.md.
 */

export type ResultLevel = 'impact' | 'outcome' | 'output' | 'activity';
export const RESULT_LEVELS: ResultLevel[] = ['impact', 'outcome', 'output', 'activity'];

/** One measurement of a result: an indicator with its baseline, its target and its latest actual value. */
export interface MeasureInput {
  /** true: a higher value is better (IATI's `ascending`); false: lower is better. */
  ascending: boolean;
  baseline: { year: number; value: number } | null;
  /** The target used for progress: the last one (e.g. 2030). */
  target: { year: number; value: number } | null;
  /** The latest actual value, with its year. */
  actual: { year: number; value: number } | null;
  /** Weight among the result's measures and children (default 1). */
  weight?: number;
}

export type ProgressStatus = 'achieved' | 'on-track' | 'off-track' | 'no-data' | 'no-target';

export interface MeasureProgress {
  /** Share of the way from the baseline to the target, clamped to [0, 1]; null without data. */
  progress: number | null;
  /** Where the value should be by the actual's year, on a straight line from baseline to target. */
  expected: number | null;
  status: ProgressStatus;
}

/**
 * Progress of one measure: (actual − baseline) / (target − baseline), clamped to [0, 1], so
 * that moving the wrong way counts as 0 and going beyond the target counts as 1. When the
 * target equals the baseline (hold the level), progress is 1 while the actual is at least as
 * good, else 0. Without a baseline, target or actual there is no progress.
 */
export function measureProgress(m: MeasureInput): MeasureProgress {
  if (!m.target || !m.baseline) return { progress: null, expected: null, status: 'no-target' };
  if (!m.actual) return { progress: null, expected: null, status: 'no-data' };
  const { baseline: b, target: t, actual: a } = m;
  const better = (x: number, y: number) => (m.ascending ? x >= y : x <= y);
  let progress: number;
  if (t.value === b.value) progress = better(a.value, t.value) ? 1 : 0;
  else progress = Math.min(1, Math.max(0, (a.value - b.value) / (t.value - b.value)));
  const span = t.year - b.year;
  const share = span <= 0 ? 1 : Math.min(1, Math.max(0, (a.year - b.year) / span));
  const expected = b.value + (t.value - b.value) * share;
  const status: ProgressStatus = progress >= 1 ? 'achieved' : better(a.value, expected) ? 'on-track' : 'off-track';
  return { progress, expected, status };
}

/** A result of the tree with its own measures and its children. */
export interface ResultNode {
  id: string | number;
  level: ResultLevel;
  /** Weight among its siblings (default 1). */
  weight?: number;
  measures: MeasureInput[];
  children: ResultNode[];
}

export interface ResultProgress {
  id: string | number;
  /** Weighted mean of the progress of the measures and children that have data; null if none has. */
  progress: number | null;
  /** Share of the weight (measures and children) that has data, 0–1: how much the figure rests on. */
  coverage: number;
  measures: MeasureProgress[];
  children: ResultProgress[];
}

/**
 * Rolls progress up the tree. A result's components are its own measures (each with its
 * weight) and its children (each with its weight); the result's progress is the weighted mean
 * over the components that have data, the weights renormalised among them; coverage says what
 * share of the weight that is. A child's own progress counts as one value, whatever its
 * coverage. Negative or non-finite weights are treated as 0.
 */
export function rollUp(node: ResultNode): ResultProgress {
  const w = (x: number | undefined) => (x === undefined ? 1 : Number.isFinite(x) && x > 0 ? x : 0);
  const measures = node.measures.map(measureProgress);
  const children = node.children.map(rollUp);
  const parts: { weight: number; value: number | null }[] = [
    ...node.measures.map((m, i) => ({ weight: w(m.weight), value: measures[i]!.progress })),
    ...node.children.map((c, i) => ({ weight: w(c.weight), value: children[i]!.progress })),
  ];
  const total = parts.reduce((s, p) => s + p.weight, 0);
  const withData = parts.filter((p) => p.value !== null && p.weight > 0);
  const covered = withData.reduce((s, p) => s + p.weight, 0);
  const progress = covered > 0 ? withData.reduce((s, p) => s + p.weight * p.value!, 0) / covered : null;
  return { id: node.id, progress, coverage: total > 0 ? covered / total : 0, measures, children };
}
