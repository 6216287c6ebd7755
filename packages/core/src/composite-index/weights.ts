import { symmetricEigen } from './eigen.ts';
import { type IndexMessage, indexMessage } from './messages.ts';
import type { CompositeIndicator, IndexWeights, UserWeights } from './types.ts';
import { mean, themeIds } from './values.ts';

/** Equal weights: every indicator equal within its theme, and the themes equal (Handbook step 6, the default). */
export function equalWeights(indicators: readonly CompositeIndicator[]): IndexWeights {
  const themes = themeIds(indicators);
  const count = (t: string) => indicators.filter((i) => i.themeId === t).length;
  return {
    indicators: Object.fromEntries(indicators.map((i) => [i.id, 1 / count(i.themeId)])),
    themes: Object.fromEntries(themes.map((t) => [t, 1 / themes.length])),
  };
}

/**
 * User weights, validated: each finite and non-negative, not all zero within a theme nor across themes; normalised
 * to sum to 1 within each theme and across themes. A refusal names what is wrong.
 */
export function userWeights(
  indicators: readonly CompositeIndicator[],
  given: UserWeights,
): { weights: IndexWeights } | { refused: IndexMessage } {
  const themes = themeIds(indicators);
  const bad = (w: number) => !Number.isFinite(w) || w < 0;
  const ind: Record<string, number> = {};
  for (const i of indicators) {
    const w = given.indicators[i.id] ?? 0;
    if (bad(w)) return { refused: indexMessage('user-weight-invalid', { id: i.id }) };
    ind[i.id] = w;
  }
  for (const t of themes) {
    const members = indicators.filter((i) => i.themeId === t);
    const sum = members.reduce((s, i) => s + (ind[i.id] as number), 0);
    if (!(sum > 0)) return { refused: indexMessage('user-weights-theme-zero', { theme: t }) };
    for (const i of members) ind[i.id] = (ind[i.id] as number) / sum;
  }
  const th: Record<string, number> = {};
  for (const t of themes) {
    const w = given.themes ? (given.themes[t] ?? 0) : 1;
    if (bad(w)) return { refused: indexMessage('user-theme-weight-invalid', { theme: t }) };
    th[t] = w;
  }
  const total = themes.reduce((s, t) => s + (th[t] as number), 0);
  if (!(total > 0)) return { refused: indexMessage('user-weights-all-themes-zero') };
  for (const t of themes) th[t] = (th[t] as number) / total;
  return { weights: { indicators: ind, themes: th } };
}

/**
 * Turns one weight per indicator (summing to 1 over all) into theme weights (the sum over the theme's indicators)
 * and weights within the theme (each indicator's share of its theme; equal when the theme's sum is 0).
 */
export function flatToThemed(indicators: readonly CompositeIndicator[], flat: readonly number[]): IndexWeights {
  const themes = themeIds(indicators);
  const themeSum = (t: string) => indicators.reduce((s, i, k) => s + (i.themeId === t ? (flat[k] as number) : 0), 0);
  const count = (t: string) => indicators.filter((i) => i.themeId === t).length;
  return {
    indicators: Object.fromEntries(
      indicators.map((i, k) => {
        const s = themeSum(i.themeId);
        return [i.id, s > 0 ? (flat[k] as number) / s : 1 / count(i.themeId)];
      }),
    ),
    themes: Object.fromEntries(themes.map((t) => [t, themeSum(t)])),
  };
}

export interface PcaWeights {
  weights: IndexWeights;
  /** One weight per indicator, in the order given, summing to 1. */
  flat: number[];
  eigenvalues: number[];
  /** Components retained (0-based, in decreasing eigenvalue order). */
  retained: number[];
  notes: IndexMessage[];
}

/**
 * Weights from principal components (Handbook step 6, "PCA/FA"), computed on the correlation matrix of the units with
 * complete data for every indicator (`rows`: one array per such unit). Refused with fewer than three complete units, or
 * when an indicator is constant over them (its correlation is undefined). Steps:
 * 1. components of the correlation matrix, eigenvalues in decreasing order;
 * 2. retain those with eigenvalue > 1 and explaining individually > 10 % of the variance; if together they explain
 *    60 % or less, add the next components in order until they explain more than 60 %;
 * 3. no varimax rotation (a deviation, stated): loadings are eigenvector × √eigenvalue;
 * 4. each indicator goes to the retained component on which its squared loading is largest; its weight is that squared
 *    loading scaled to unity sum within the component, times the component's share of the variance explained by the
 *    retained components; weights are then scaled to sum to 1. An indicator with no loading on any retained component
 *    gets weight 0 (stated).
 */
export function pcaWeights(
  indicators: readonly CompositeIndicator[],
  rows: readonly (readonly number[])[],
): { pca: PcaWeights } | { refused: IndexMessage } {
  const m = indicators.length;
  if (rows.length < 3) return { refused: indexMessage('pca-too-few-units', { count: rows.length }) };
  const notes: IndexMessage[] = [];
  if (rows.length <= m) notes.push(indexMessage('pca-fragile', { units: rows.length, indicators: m }));
  const cols = indicators.map((_, k) => rows.map((r) => r[k] as number));
  const sds = cols.map((c) => {
    const mu = mean(c);
    return Math.sqrt(c.reduce((s, x) => s + (x - mu) ** 2, 0));
  });
  const constant = indicators.filter((_, k) => !((sds[k] as number) > 0));
  if (constant.length > 0)
    return { refused: indexMessage('pca-constant', { ids: constant.map((i) => i.id).join(', ') }) };
  const centred = cols.map((c) => {
    const mu = mean(c);
    return c.map((x) => x - mu);
  });
  const corr = centred.map((a, i) =>
    centred.map((b, j) =>
      i === j ? 1 : a.reduce((s, x, k) => s + x * (b[k] as number), 0) / ((sds[i] as number) * (sds[j] as number)),
    ),
  );
  const { values, vectors } = symmetricEigen(corr);
  const eig = values.map((v) => Math.max(0, v));
  const share = eig.map((v) => v / m);
  const eps = 1e-9;
  const retained: number[] = [];
  for (let k = 0; k < m; k++) if ((eig[k] as number) > 1 + eps && (share[k] as number) > 0.1 + eps) retained.push(k);
  let cumulative = retained.reduce((s, k) => s + (share[k] as number), 0);
  for (let k = 0; k < m && cumulative <= 0.6 + eps; k++) {
    if (retained.includes(k) || !((eig[k] as number) > eps)) continue;
    retained.push(k);
    cumulative += share[k] as number;
    notes.push(indexMessage('pca-component-added', { component: k + 1, eigenvalue: round(eig[k] as number) }));
  }
  retained.sort((a, b) => a - b);
  notes.push(
    indexMessage('pca-summary', {
      eigenvalues: eig.map(round).join(', '),
      components: retained.map((k) => k + 1).join(', '),
      percent: round(100 * cumulative),
    }),
  );
  const loading2 = retained.map((k) => (vectors[k] as number[]).map((x) => x * x * (eig[k] as number)));
  const explained = retained.reduce((s, k) => s + (eig[k] as number), 0);
  const flat = indicators.map((_, i) => {
    let best = -1;
    let bestValue = eps;
    loading2.forEach((l, r) => {
      if ((l[i] as number) > bestValue) {
        bestValue = l[i] as number;
        best = r;
      }
    });
    if (best < 0) return 0;
    const l = loading2[best] as number[];
    const sum = l.reduce((s, x) => s + x, 0);
    return (bestValue / sum) * ((eig[retained[best] as number] as number) / explained);
  });
  const total = flat.reduce((s, x) => s + x, 0);
  const scaled = flat.map((w) => w / total);
  const zero = indicators.filter((_, k) => scaled[k] === 0);
  if (zero.length > 0) notes.push(indexMessage('pca-zero-weight', { ids: zero.map((i) => i.id).join(', ') }));
  return { pca: { weights: flatToThemed(indicators, scaled), flat: scaled, eigenvalues: eig, retained, notes } };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
