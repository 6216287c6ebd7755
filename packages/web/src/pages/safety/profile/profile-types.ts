/** A message of the composite index (core's composite-index/messages.ts), said by useIndexMessage. */
export interface IndexMessage {
  code: string;
  params: Record<string, string | number>;
  text: string;
}

/** GET /api/v1/safety/profile: one place's composite safety profile (server safety-index/safety-profile.ts). */
export interface GroupRef {
  count: number;
  median: number | null;
  min: number | null;
  max: number | null;
}
export interface ScoreView {
  score: number | null;
  group: GroupRef;
  country: number | null;
}
export type Choice = 'normalisation' | 'weights' | 'aggregation' | 'missing';
export interface SafetyChoices {
  framework: string;
  normalisation: 'min-max' | 'benchmarks' | 'z-score';
  weights: 'equal' | 'user' | 'pca';
  userWeights?: { indicators: Record<string, number>; themes?: Record<string, number> };
  aggregation: 'arithmetic' | 'geometric';
  missing: 'exclude-unit' | 'mean-imputation' | 'theme-available';
  minThemeShare: number;
  winsorise: boolean;
  version: number;
  updatedAt: string | null;
}
export interface SafetyProfile {
  place: { code: string; name: string | null; level: string; pilot: boolean };
  country: { code: string; name: string | null } | null;
  framework: { code: string; name: string | null; draft: boolean };
  group: { kind: 'pilot-cities' | 'country-cities' | 'city-districts'; count: number };
  choices: SafetyChoices;
  refusal: IndexMessage | null;
  synthetic: boolean;
  themes: {
    code: string;
    name: string | null;
    weight: number | null;
    indicators: number;
    present: number;
    score: ScoreView;
  }[];
  overall: ScoreView;
  uncertainty: {
    method: 'enumerated' | 'monte-carlo';
    runs: number;
    median: number | null;
    p5: number | null;
    p95: number | null;
    min: number | null;
    max: number | null;
    noScore: number;
    sensitivity: Record<Choice, number | null>;
    mostInfluential: Choice | null;
    alternatives: Record<Choice, string[]>;
    notes: IndexMessage[];
  } | null;
  trajectory: {
    year: number;
    score: number | null;
    low: number | null;
    high: number | null;
    groupMedian: number | null;
    groupMin: number | null;
    groupMax: number | null;
    groupCount: number;
    indicators: number;
  }[];
  indicators: {
    code: string;
    name: string | null;
    theme: string;
    direction: 'higher' | 'lower';
    unit: string | null;
    used: boolean;
    reason: 'no-values-in-group' | null;
    year: number | null;
    value: number | null;
    withheld: boolean;
    synthetic: boolean;
    usedValue: number | null;
    treatment: 'imputed' | 'left-out' | 'winsorised' | null;
    weight: number | null;
    baseline: number | null;
    target: number | null;
    countryValue: number | null;
    countryYear: number | null;
  }[];
  pca: { offered: boolean; reason: IndexMessage | null; weights: Record<string, number> | null };
  benchmarks: { baselineYear: number; targetYear: number; complete: boolean };
  notes: IndexMessage[];
}
