import type { IndexMessage } from './messages.ts';
/**
 * The input model and result types of a composite index built the way the OECD/JRC Handbook on Constructing
 * Composite Indicators (2008) prescribes (docs/methods/safety-index.md). Pure data, no I/O.
 */

export type IndicatorDirection = 'higher-is-better' | 'lower-is-better';

export interface CompositeIndicator {
  id: string;
  themeId: string;
  direction: IndicatorDirection;
  /** The value that normalises to 0 under `benchmarks` (e.g. the 2015 level). */
  baseline?: number;
  /** The value that normalises to 100 under `benchmarks` (e.g. the 2030 target). */
  target?: number;
}

/** A place with a value per indicator id; a missing, `null` or non-finite value is missing. */
export interface CompositeUnit {
  id: string;
  values: Readonly<Record<string, number | null | undefined>>;
}

export type MissingTreatment = 'exclude-unit' | 'mean-imputation' | 'theme-available';
export type NormalisationMethod = 'min-max' | 'benchmarks' | 'z-score';
export type WeightingMethod = 'equal' | 'user' | 'pca';
export type AggregationMethod = 'arithmetic' | 'geometric';

export interface UserWeights {
  /** Weight of each indicator within its theme; an indicator not listed gets 0. */
  indicators: Readonly<Record<string, number>>;
  /** Weight of each theme; when absent, themes weigh equally. A theme not listed gets 0. */
  themes?: Readonly<Record<string, number>>;
}

export interface CompositeOptions {
  missing: MissingTreatment;
  /** `theme-available`: the minimum share of a theme's indicators present for a theme score (default 0.5). */
  minThemeShare?: number;
  /** Winsorise indicators whose skewness and kurtosis both exceed the rule of thumb (off by default). */
  winsorise?: boolean;
  /** At most this many values winsorised per indicator (default 5, as in the JRC COIN practice). */
  maxWinsorised?: number;
  normalisation: NormalisationMethod;
  /** `benchmarks`: clip to [0, 100] (default true). */
  clipBenchmarks?: boolean;
  weights: WeightingMethod;
  userWeights?: UserWeights;
  aggregation: AggregationMethod;
}

/** What happened to one value: imputed, left out, or winsorised — never silent. */
export interface ValueTreatment {
  unitId: string;
  indicatorId: string;
  action: 'imputed' | 'left-out' | 'winsorised';
  /** The value as given (`null` when missing or not finite). */
  original: number | null;
  /** The value used (`null` when left out). */
  used: number | null;
  reason: IndexMessage;
}

/** Weights: within each theme the indicator weights sum to 1, and the theme weights sum to 1. */
export interface IndexWeights {
  indicators: Record<string, number>;
  themes: Record<string, number>;
}

export interface UnitScore {
  unitId: string;
  /** Per theme id: the theme score, or `null` with a reason in `notes`. */
  themes: Record<string, number | null>;
  overall: number | null;
  notes: IndexMessage[];
}

/** The group's median and range of a score: reference values shown beside a unit's own score, never a rank. */
export interface GroupReference {
  count: number;
  median: number | null;
  min: number | null;
  max: number | null;
}

export interface CompositeResult {
  ok: true;
  options: CompositeOptions;
  weights: IndexWeights;
  /** Per unit, in the order given: never sorted by score. */
  units: UnitScore[];
  group: { overall: GroupReference; themes: Record<string, GroupReference> };
  treatments: ValueTreatment[];
  /** Index-wide notes: constant indicators, PCA details, the geometric shift, … */
  notes: IndexMessage[];
}

export interface CompositeRefusal {
  ok: false;
  reason: IndexMessage;
}
