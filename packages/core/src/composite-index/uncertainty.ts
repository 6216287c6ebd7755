import { seededRandom } from '../random/seeded-random.ts';
import { computeCompositeIndex, resolveWeights } from './compute.ts';
import { type IndexMessage, indexMessage } from './messages.ts';
import type {
  AggregationMethod,
  CompositeIndicator,
  CompositeOptions,
  CompositeRefusal,
  CompositeUnit,
  IndexWeights,
  MissingTreatment,
  NormalisationMethod,
  WeightingMethod,
} from './types.ts';
import { mean, quantileSorted } from './values.ts';
import { flatToThemed } from './weights.ts';

export type UncertainChoice = 'normalisation' | 'weights' | 'aggregation' | 'missing';
const CHOICES: readonly UncertainChoice[] = ['normalisation', 'weights', 'aggregation', 'missing'];

export interface UncertaintyOptions {
  /** Default: `min-max`, and `benchmarks` when every indicator has a usable baseline and target. z-scores are on
   * another scale than 0–100, so they are only mixed in when asked for. */
  normalisations?: NormalisationMethod[];
  /** Default: `equal`, `user` when user weights are given, `pca` when offered. */
  weights?: WeightingMethod[];
  /** Default: both. */
  aggregations?: AggregationMethod[];
  /** Default: all three. */
  missing?: MissingTreatment[];
  /** Each weight multiplied by 1 + u·x, u uniform in [−1, 1], then re-normalised (e.g. 0.2 for ±20 %); default 0. */
  weightPerturbation?: number;
  /** Monte-Carlo runs when not enumerated (default 1 000). */
  runs?: number;
  /** Seed of the generator (default 1). */
  seed?: number;
  /** Enumerate every combination when there are at most this many and no perturbation (default 256). */
  maxEnumerated?: number;
}

export interface UnitUncertainty {
  unitId: string;
  /** The overall score under the chosen (reference) options. */
  reference: number | null;
  median: number | null;
  p5: number | null;
  p95: number | null;
  min: number | null;
  max: number | null;
  /** Runs in which the unit had a score, and runs in which it had none (e.g. excluded for a missing value). */
  runs: number;
  noScore: number;
  /** First-order sensitivity per choice (Var of the conditional means / total Var), `null` when the choice has one
   * alternative or the unit has fewer than two scores; 0 when the score does not vary at all. */
  sensitivity: Record<UncertainChoice, number | null>;
  /** The choice with the largest first-order index, or `null` when the score does not vary. */
  mostInfluential: UncertainChoice | null;
}

export interface UncertaintyResult {
  ok: true;
  method: 'enumerated' | 'monte-carlo';
  runs: number;
  alternatives: {
    normalisation: NormalisationMethod[];
    weights: WeightingMethod[];
    aggregation: AggregationMethod[];
    missing: MissingTreatment[];
  };
  units: UnitUncertainty[];
  notes: IndexMessage[];
}

interface Run {
  choice: Record<UncertainChoice, number>;
  scores: (number | null)[];
}

/**
 * Uncertainty and sensitivity analysis in the JRC COIN practice (docs/methods/safety-index.md): each unit's overall
 * score recomputed under alternative normalisations × weights × aggregations × missing-value treatments, all
 * combinations enumerated when there are few (≤ 256, no weight perturbation), else sampled by Monte-Carlo with the
 * seeded generator. Per unit: the reference score, median, 5th–95th percentiles, min–max, and first-order sensitivity
 * indices estimated from the runs grouped by each choice's value.
 */
export function analyseUncertainty(
  indicators: readonly CompositeIndicator[],
  units: readonly CompositeUnit[],
  reference: CompositeOptions,
  options: UncertaintyOptions = {},
): UncertaintyResult | CompositeRefusal {
  const ref = computeCompositeIndex(indicators, units, reference);
  if (!ref.ok) return ref;
  const notes: IndexMessage[] = [];
  const withRef = <T>(list: T[], own: T) => (list.includes(own) ? list : [own, ...list]);
  // Alternatives that cannot be computed for these data are left out, and said so.
  const feasibleNorm = (n: NormalisationMethod) =>
    computeCompositeIndex(indicators, units, { ...reference, normalisation: n }).ok;
  const defaultNorms: NormalisationMethod[] = ['min-max', 'benchmarks'];
  const norms = withRef(options.normalisations ?? defaultNorms, reference.normalisation).filter((n) => {
    const ok = feasibleNorm(n);
    if (!ok) notes.push(indexMessage('normalisation-left-out', { method: n }));
    return ok;
  });
  const weightMethods: WeightingMethod[] = withRef(
    options.weights ?? (reference.userWeights ? ['equal', 'user', 'pca'] : ['equal', 'pca']),
    reference.weights,
  );
  const weightSets: { method: WeightingMethod; weights: IndexWeights }[] = [];
  for (const method of weightMethods) {
    const w = resolveWeights(indicators, units, { weights: method, userWeights: reference.userWeights });
    if ('ok' in w) notes.push(indexMessage('weights-left-out', { method }), w.reason);
    else weightSets.push({ method, weights: w.weights });
  }
  const aggs = withRef<AggregationMethod>(options.aggregations ?? ['arithmetic', 'geometric'], reference.aggregation);
  const missing = withRef<MissingTreatment>(
    options.missing ?? ['exclude-unit', 'mean-imputation', 'theme-available'],
    reference.missing,
  );
  const sizes = [norms.length, weightSets.length, aggs.length, missing.length];
  const [nN, nW, nA, nM] = sizes as [number, number, number, number];
  const combinations = sizes.reduce((a, b) => a * b, 1);
  const perturb = options.weightPerturbation ?? 0;
  const enumerate = combinations <= (options.maxEnumerated ?? 256) && perturb === 0;
  const random = seededRandom(options.seed ?? 1);
  const pick = (n: number) => Math.min(n - 1, Math.floor(random() * n));
  const choices: Record<UncertainChoice, number>[] = [];
  if (enumerate) {
    for (let a = 0; a < nN; a++)
      for (let b = 0; b < nW; b++)
        for (let c = 0; c < nA; c++)
          for (let d = 0; d < nM; d++) choices.push({ normalisation: a, weights: b, aggregation: c, missing: d });
  } else {
    const n = options.runs ?? 1000;
    for (let r = 0; r < n; r++)
      choices.push({
        normalisation: pick(nN),
        weights: pick(nW),
        aggregation: pick(nA),
        missing: pick(nM),
      });
    notes.push(
      perturb > 0
        ? indexMessage('monte-carlo-perturbed', { runs: n, seed: options.seed ?? 1, percent: 100 * perturb })
        : indexMessage('monte-carlo', { runs: n, seed: options.seed ?? 1 }),
    );
  }
  const runs: Run[] = [];
  for (const choice of choices) {
    let weights = (weightSets[choice.weights] as { weights: IndexWeights }).weights;
    if (perturb > 0) weights = perturbWeights(indicators, weights, perturb, random);
    const r = computeCompositeIndex(
      indicators,
      units,
      {
        ...reference,
        normalisation: norms[choice.normalisation] as NormalisationMethod,
        weights: (weightSets[choice.weights] as { method: WeightingMethod }).method,
        aggregation: aggs[choice.aggregation] as AggregationMethod,
        missing: missing[choice.missing] as MissingTreatment,
      },
      weights,
    );
    if (r.ok) runs.push({ choice, scores: r.units.map((u) => u.overall) });
  }
  const unitResults = units.map((unit, u): UnitUncertainty => {
    const scored = runs.filter((r) => r.scores[u] !== null);
    const ys = scored.map((r) => r.scores[u] as number);
    const sorted = [...ys].sort((a, b) => a - b);
    const has = sorted.length > 0;
    const sensitivity = {} as Record<UncertainChoice, number | null>;
    let mostInfluential: UncertainChoice | null = null;
    let best = 0;
    const total = has ? variance(ys) : 0;
    for (const [k, c] of CHOICES.entries()) {
      if ((sizes[k] as number) < 2 || ys.length < 2) {
        sensitivity[c] = null;
        continue;
      }
      if (!(total > 1e-12)) {
        sensitivity[c] = 0;
        continue;
      }
      const groups = new Map<number, number[]>();
      scored.forEach((r, j) => {
        const list = groups.get(r.choice[c]) ?? [];
        list.push(ys[j] as number);
        groups.set(r.choice[c], list);
      });
      const mu = mean(ys);
      let between = 0;
      for (const g of groups.values()) between += (g.length / ys.length) * (mean(g) - mu) ** 2;
      const s = between / total;
      sensitivity[c] = s;
      if (s > best) {
        best = s;
        mostInfluential = c;
      }
    }
    return {
      unitId: unit.id,
      reference: ref.units[u]?.overall ?? null,
      median: has ? quantileSorted(sorted, 0.5) : null,
      p5: has ? quantileSorted(sorted, 0.05) : null,
      p95: has ? quantileSorted(sorted, 0.95) : null,
      min: has ? (sorted[0] as number) : null,
      max: has ? (sorted[sorted.length - 1] as number) : null,
      runs: ys.length,
      noScore: runs.length - ys.length,
      sensitivity,
      mostInfluential,
    };
  });
  return {
    ok: true,
    method: enumerate ? 'enumerated' : 'monte-carlo',
    runs: runs.length,
    alternatives: { normalisation: norms, weights: weightSets.map((w) => w.method), aggregation: aggs, missing },
    units: unitResults,
    notes,
  };
}

/** Population variance (the runs are the whole set of combinations, or the sample standing for it). */
function variance(xs: readonly number[]): number {
  const m = mean(xs);
  return xs.reduce((s, x) => s + (x - m) ** 2, 0) / xs.length;
}

/** Multiplies each weight by 1 + u·x (u uniform in [−1, 1], x < 1) and re-normalises within themes and across. */
export function perturbWeights(
  indicators: readonly CompositeIndicator[],
  weights: IndexWeights,
  x: number,
  random: () => number,
): IndexWeights {
  const jiggle = (w: number) => w * (1 + x * (2 * random() - 1));
  const flat = indicators.map((i) => jiggle(weights.indicators[i.id] ?? 0) * (weights.themes[i.themeId] ?? 0));
  const themes = Object.keys(weights.themes);
  const themeFactor = Object.fromEntries(themes.map((t) => [t, jiggle(1)]));
  const scaled = flat.map((w, k) => w * (themeFactor[(indicators[k] as CompositeIndicator).themeId] ?? 1));
  const total = scaled.reduce((s, w) => s + w, 0);
  return total > 0
    ? flatToThemed(
        indicators,
        scaled.map((w) => w / total),
      )
    : weights;
}
