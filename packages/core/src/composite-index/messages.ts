/**
 * What the composite index says about its own steps (a refusal, a treatment's reason, a note), as a stable code with
 * its parameters, so that a page says it in the reader's language (the web app's `compositeIndex.msg.<code>`
 * messages), and in English (`text`) for logs, the API's readers and the tests. Lists of ids are joined with ", ".
 */
const TEMPLATES = {
  'no-indicators': 'no indicators',
  'no-units': 'no units',
  'no-values': 'no indicator of the framework has a value in the group',
  'indicator-ids-not-unique': 'indicator ids are not unique',
  'unit-ids-not-unique': 'unit ids are not unique',
  'user-weights-missing': 'user weights were chosen but none were given',
  'user-weight-invalid': 'user weights: the weight of {id} must be a finite number ≥ 0',
  'user-weights-theme-zero': 'user weights: every indicator weight of theme {theme} is zero',
  'user-theme-weight-invalid': 'user weights: the weight of theme {theme} must be a finite number ≥ 0',
  'user-weights-all-themes-zero': 'user weights: every theme weight is zero',
  'pca-too-few-units':
    'PCA weights need at least three units with complete data for every indicator; there are {count}',
  'pca-fragile':
    'PCA on {units} complete units for {indicators} indicators: more units than indicators is preferable; the weights are fragile',
  'pca-constant': 'PCA weights: {ids} constant over the complete units',
  'pca-component-added':
    'component {component} (eigenvalue {eigenvalue}) added to explain more than 60 % of the variance',
  'pca-summary':
    'PCA: eigenvalues {eigenvalues}; components {components} retained, explaining {percent} % of the variance; no varimax rotation',
  'pca-zero-weight': 'PCA: {ids} load on no retained component: weight 0',
  'benchmarks-missing': 'benchmarks: indicator {id} has no baseline and target',
  'benchmarks-equal': 'benchmarks: indicator {id} has its target equal to its baseline',
  'benchmarks-wrong-direction': 'benchmarks: the target of {id} lies in the worse direction from its baseline',
  'indicator-constant': 'indicator {id} is constant ({value}) across the units: every unit gets {score} ({method})',
  'geometric-shift':
    'geometric aggregation: every normalised value shifted by +{shift} to be strictly positive, the score shifted back by −{shift}',
  'unit-excluded': 'no score: {ids} missing (exclude-unit)',
  'value-missing-excluded': '{why}; the unit is excluded',
  'value-missing-theme': '{why}; theme aggregated over the indicators present',
  'value-missing-no-mean': '{why}; no other unit has a value to impute from',
  'value-imputed': '{why}; imputed with the mean of the other units',
  'value-winsorised-high': 'outlier (|skewness| > 2 and kurtosis > 3.5): set to the next highest value',
  'value-winsorised-low': 'outlier (|skewness| > 2 and kurtosis > 3.5): set to the next lowest value',
  'theme-no-score': 'no score for theme {theme}: {present} of {total} indicators present',
  'theme-partial': 'theme {theme} aggregated over {present} of {total} indicators, weights re-scaled',
  'theme-zero-weights': 'no score for theme {theme}: the indicators present all have weight 0',
  'no-overall': 'no overall score: theme {themes} has no score',
  'normalisation-left-out': 'normalisation {method} left out: it cannot be computed for these data',
  'weights-left-out': 'weights {method} left out:',
  'monte-carlo': 'Monte-Carlo: {runs} runs, seed {seed}',
  'monte-carlo-perturbed': 'Monte-Carlo: {runs} runs, seed {seed}, weights perturbed by ±{percent} %',
} as const;

export type IndexMessageCode = keyof typeof TEMPLATES;
export const INDEX_MESSAGE_CODES = Object.keys(TEMPLATES) as IndexMessageCode[];

/** Why a value is missing: absent, or given but not a finite number. */
export type MissingWhy = 'missing' | 'not-finite';

export interface IndexMessage {
  code: IndexMessageCode;
  params: Record<string, string | number>;
  /** The message in English. */
  text: string;
}

/** A message of the index: its code, its parameters and its English text. */
export function indexMessage(code: IndexMessageCode, params: Record<string, string | number> = {}): IndexMessage {
  const text = TEMPLATES[code].replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (!(name in params)) return whole;
    const v = String(params[name]);
    return name === 'why' && v === 'not-finite' ? 'not a finite number' : v;
  });
  return { code, params, text };
}

/** The parameter names a message takes (for the catalogs' test). */
export function indexMessageParams(code: IndexMessageCode): string[] {
  return [...new Set([...TEMPLATES[code].matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string))];
}
