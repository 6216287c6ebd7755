import { aggregate } from './aggregate.ts';
import { type IndexMessage, indexMessage } from './messages.ts';
import { treatMissing } from './missing.ts';
import { normaliseColumn } from './normalise.ts';
import { winsorise } from './outliers.ts';
import { groupReference } from './reference.ts';
import type {
  CompositeIndicator,
  CompositeOptions,
  CompositeRefusal,
  CompositeResult,
  CompositeUnit,
  IndexWeights,
  UnitScore,
} from './types.ts';
import { finiteValue, themeIds } from './values.ts';
import { equalWeights, pcaWeights, userWeights } from './weights.ts';

/**
 * Whether PCA weights are offered for these data: at least three units with complete data for every indicator.
 * Returns the weights or the refusal reason.
 */
export function pcaOffer(indicators: readonly CompositeIndicator[], units: readonly CompositeUnit[]) {
  const rows = units
    .map((u) => indicators.map((i) => finiteValue(u, i.id)))
    .filter((r): r is number[] => r.every((v) => v !== null));
  return pcaWeights(indicators, rows);
}

/** The weights an option asks for, or a refusal. */
export function resolveWeights(
  indicators: readonly CompositeIndicator[],
  units: readonly CompositeUnit[],
  options: Pick<CompositeOptions, 'weights' | 'userWeights'>,
): { weights: IndexWeights; notes: IndexMessage[] } | CompositeRefusal {
  if (options.weights === 'equal') return { weights: equalWeights(indicators), notes: [] };
  if (options.weights === 'user') {
    if (!options.userWeights) return { ok: false, reason: indexMessage('user-weights-missing') };
    const r = userWeights(indicators, options.userWeights);
    return 'refused' in r ? { ok: false, reason: r.refused } : { weights: r.weights, notes: [] };
  }
  const r = pcaOffer(indicators, units);
  return 'refused' in r ? { ok: false, reason: r.refused } : { weights: r.pca.weights, notes: r.pca.notes };
}

/** Checks the input: ids unique, at least one indicator and one unit. */
function checkInput(indicators: readonly CompositeIndicator[], units: readonly CompositeUnit[]): IndexMessage | null {
  if (indicators.length === 0) return indexMessage('no-indicators');
  if (units.length === 0) return indexMessage('no-units');
  if (new Set(indicators.map((i) => i.id)).size !== indicators.length) return indexMessage('indicator-ids-not-unique');
  if (new Set(units.map((u) => u.id)).size !== units.length) return indexMessage('unit-ids-not-unique');
  return null;
}

/**
 * The composite index, step by step (docs/methods/safety-index.md): missing values, outliers (optional), normalisation,
 * weights, aggregation within themes and across. Results are per unit in the order given, with the group's median and
 * range — never a rank. `weightsOverride` replaces the weights the options name (used by the uncertainty analysis).
 */
export function computeCompositeIndex(
  indicators: readonly CompositeIndicator[],
  units: readonly CompositeUnit[],
  options: CompositeOptions,
  weightsOverride?: IndexWeights,
): CompositeResult | CompositeRefusal {
  const bad = checkInput(indicators, units);
  if (bad) return { ok: false, reason: bad };
  const notes: IndexMessage[] = [];
  let weights: IndexWeights;
  if (weightsOverride) weights = weightsOverride;
  else {
    const w = resolveWeights(indicators, units, options);
    if ('ok' in w) return w;
    weights = w.weights;
    notes.push(...w.notes);
  }
  const minShare = options.minThemeShare ?? 0.5;
  const data = treatMissing(indicators, units, options.missing);
  const treatments = [...data.treatments];
  const unitIds = units.map((u) => u.id);
  const normalised: (number | null)[][] = units.map(() => []);
  for (const [i, ind] of indicators.entries()) {
    const column = data.values.map((row) => row[i] ?? null);
    if (options.winsorise) treatments.push(...winsorise(column, unitIds, ind.id, options.maxWinsorised ?? 5));
    const n = normaliseColumn(column, ind, options.normalisation, options.clipBenchmarks ?? true);
    if ('refused' in n) return { ok: false, reason: n.refused };
    if (n.note) notes.push(n.note);
    n.values.forEach((v, u) => {
      (normalised[u] as (number | null)[])[i] = v;
    });
  }
  let shift = 0;
  if (options.aggregation === 'geometric') {
    const all = normalised.flat().filter((v): v is number => v !== null);
    shift = 1 - Math.min(0, ...all);
    notes.push(indexMessage('geometric-shift', { shift }));
  }
  const themes = themeIds(indicators);
  const scores: UnitScore[] = units.map((unit, u) => {
    const unitNotes: IndexMessage[] = [];
    const excluded = data.excluded.get(u);
    if (excluded) {
      return {
        unitId: unit.id,
        themes: Object.fromEntries(themes.map((t) => [t, null])),
        overall: null,
        notes: [excluded],
      };
    }
    const row = normalised[u] as (number | null)[];
    const themeScores: Record<string, number | null> = {};
    for (const t of themes) {
      const members = indicators.map((ind, i) => ({ ind, i })).filter(({ ind }) => ind.themeId === t);
      const present = members.filter(({ i }) => row[i] !== null && row[i] !== undefined);
      if (present.length < members.length) {
        const share = present.length / members.length;
        if (options.missing !== 'theme-available' || share < minShare || present.length === 0) {
          themeScores[t] = null;
          unitNotes.push(indexMessage('theme-no-score', { theme: t, present: present.length, total: members.length }));
          continue;
        }
        unitNotes.push(indexMessage('theme-partial', { theme: t, present: present.length, total: members.length }));
      }
      const s = aggregate(
        present.map(({ i }) => row[i] as number),
        present.map(({ ind }) => weights.indicators[ind.id] ?? 0),
        options.aggregation,
        shift,
      );
      themeScores[t] = s;
      if (s === null) unitNotes.push(indexMessage('theme-zero-weights', { theme: t }));
    }
    const missingThemes = themes.filter((t) => themeScores[t] === null && (weights.themes[t] ?? 0) > 0);
    let overall: number | null = null;
    if (missingThemes.length > 0) unitNotes.push(indexMessage('no-overall', { themes: missingThemes.join(', ') }));
    else {
      const used = themes.filter((t) => themeScores[t] !== null);
      overall = aggregate(
        used.map((t) => themeScores[t] as number),
        used.map((t) => weights.themes[t] ?? 0),
        options.aggregation,
        shift,
      );
    }
    return { unitId: unit.id, themes: themeScores, overall, notes: unitNotes };
  });
  return {
    ok: true,
    options,
    weights,
    units: scores,
    group: {
      overall: groupReference(scores.map((s) => s.overall)),
      themes: Object.fromEntries(themes.map((t) => [t, groupReference(scores.map((s) => s.themes[t] ?? null))])),
    },
    treatments,
    notes,
  };
}
