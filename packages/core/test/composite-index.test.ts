import { describe, expect, it } from 'vitest';
import {
  analyseUncertainty,
  type CompositeIndicator,
  type CompositeOptions,
  type CompositeResult,
  type CompositeUnit,
  computeCompositeIndex,
  hasOutliers,
  pcaOffer,
  skewKurtosis,
  symmetricEigen,
  type UserWeights,
  winsorise,
} from '../src/index.ts';

/**
 * The worked examples of docs/methods/safety-index.md, computed by hand.
 *
 * Three places, three indicators in two themes:
 *   crime:     I1 homicides per 100 000 (lower is better; baseline 2015: 8, target 2030: 4)
 *              I2 % feeling safe walking after dark (higher is better; baseline 50, target 70)
 *   community: I3 % trusting neighbours (higher is better; baseline 40, target 80)
 *
 *        I1   I2   I3
 *   A     2   60   50
 *   B     6   80   70
 *   C    10   40   60
 */
const indicators: CompositeIndicator[] = [
  { id: 'I1', themeId: 'crime', direction: 'lower-is-better', baseline: 8, target: 4 },
  { id: 'I2', themeId: 'crime', direction: 'higher-is-better', baseline: 50, target: 70 },
  { id: 'I3', themeId: 'community', direction: 'higher-is-better', baseline: 40, target: 80 },
];
const units: CompositeUnit[] = [
  { id: 'A', values: { I1: 2, I2: 60, I3: 50 } },
  { id: 'B', values: { I1: 6, I2: 80, I3: 70 } },
  { id: 'C', values: { I1: 10, I2: 40, I3: 60 } },
];
const base: CompositeOptions = {
  missing: 'exclude-unit',
  normalisation: 'min-max',
  weights: 'equal',
  aggregation: 'arithmetic',
};
/** I1 : I2 = 3 : 1 within crime → 0.75, 0.25; crime : community = 1 : 3 → 0.25, 0.75. */
const userWeights = { indicators: { I1: 3, I2: 1, I3: 1 }, themes: { crime: 1, community: 3 } };

function run(options: Partial<CompositeOptions>, data = units, inds = indicators): CompositeResult {
  const r = computeCompositeIndex(inds, data, { ...base, ...options });
  if (!r.ok) throw new Error(r.reason.text);
  return r;
}
/** [crime, community, overall] per unit, in the order given. */
const table = (r: CompositeResult) => r.units.map((u) => [u.themes.crime, u.themes.community, u.overall]);

describe('composite index: worked examples', () => {
  it('min-max, equal weights, arithmetic', () => {
    // I1 (lower is better, min 2, max 10): A (10−2)/8 = 100, B (10−6)/8 = 50, C 0.
    // I2 (min 40, max 80): A 50, B 100, C 0.   I3 (min 50, max 70): A 0, B 100, C 50.
    // crime = (I1 + I2)/2: A 75, B 75, C 0; community = I3; overall = (crime + community)/2: A 37.5, B 87.5, C 25.
    const r = run({});
    expect(table(r)).toEqual([
      [75, 0, 37.5],
      [75, 100, 87.5],
      [0, 50, 25],
    ]);
    // The group's median and range beside each score, never a rank: overall median 37.5, range 25–87.5.
    expect(r.group.overall).toEqual({ count: 3, median: 37.5, min: 25, max: 87.5 });
    expect(r.group.themes.crime).toEqual({ count: 3, median: 75, min: 0, max: 75 });
    expect(r.units.map((u) => u.unitId)).toEqual(['A', 'B', 'C']);
    expect(r.units[0]).not.toHaveProperty('rank');
  });

  it('min-max, equal weights, geometric (values shifted by +1, then back)', () => {
    // crime A = √(101 · 51) − 1 = √5151 − 1 = 70.7705; B the same; C = √(1 · 1) − 1 = 0.
    // overall A = √(71.7705 · 1) − 1 = 7.4717; B = √(71.7705 · 101) − 1 = 84.1400; C = √(1 · 51) − 1 = 6.1414.
    const r = run({ aggregation: 'geometric' });
    const [a, b, c] = table(r) as number[][];
    expect(a?.[0]).toBeCloseTo(Math.sqrt(5151) - 1, 10);
    expect(a?.[2]).toBeCloseTo(Math.sqrt(Math.sqrt(5151)) - 1, 10);
    expect(b?.[2]).toBeCloseTo(Math.sqrt(Math.sqrt(5151) * 101) - 1, 10);
    expect(b?.[1]).toBe(100);
    expect(c).toEqual([0, 50, expect.closeTo(Math.sqrt(51) - 1, 10)]);
    expect(r.notes.map((n) => n.text).join(' ')).toMatch(/shifted by \+1/);
  });

  it('min-max, user weights, arithmetic', () => {
    // crime = 0.75·I1 + 0.25·I2: A 75 + 12.5 = 87.5, B 37.5 + 25 = 62.5, C 0.
    // overall = 0.25·crime + 0.75·community: A 21.875, B 15.625 + 75 = 90.625, C 37.5.
    const r = run({ weights: 'user', userWeights });
    expect(r.weights).toEqual({ indicators: { I1: 0.75, I2: 0.25, I3: 1 }, themes: { crime: 0.25, community: 0.75 } });
    expect(table(r)).toEqual([
      [87.5, 0, 21.875],
      [62.5, 100, 90.625],
      [0, 50, 37.5],
    ]);
  });

  it('user weights are validated', () => {
    const bad = (w: UserWeights) =>
      computeCompositeIndex(indicators, units, { ...base, weights: 'user', userWeights: w });
    expect(bad({ indicators: { I1: -1, I2: 1, I3: 1 }, themes: {} })).toMatchObject({ ok: false });
    expect(bad({ indicators: { I1: 0, I2: 0, I3: 1 }, themes: { crime: 1, community: 1 } })).toMatchObject({
      ok: false,
      reason: expect.objectContaining({ text: expect.stringMatching(/theme crime is zero/) }),
    });
    expect(computeCompositeIndex(indicators, units, { ...base, weights: 'user' })).toMatchObject({ ok: false });
  });

  it('benchmarks, clipped and not', () => {
    // I1 (8 → 4): A (2−8)/(4−8) = 150 → 100, B 50, C (10−8)/(4−8) = −50 → 0.
    // I2 (50 → 70): A 50, B 150 → 100, C −50 → 0.   I3 (40 → 80): A 25, B 75, C 50.
    // Clipped: crime A 75, B 75, C 0; overall A 50, B 75, C 25.
    expect(table(run({ normalisation: 'benchmarks' }))).toEqual([
      [75, 25, 50],
      [75, 75, 75],
      [0, 50, 25],
    ]);
    // Not clipped: crime A (150 + 50)/2 = 100, B 100, C −50; overall A 62.5, B 87.5, C 0.
    expect(table(run({ normalisation: 'benchmarks', clipBenchmarks: false }))).toEqual([
      [100, 25, 62.5],
      [100, 75, 87.5],
      [-50, 50, 0],
    ]);
    // Without benchmarks, or with a target on the worse side, benchmarks are refused with the reason.
    const noBench = indicators.map(({ baseline: _b, target: _t, ...i }) => i);
    expect(computeCompositeIndex(noBench, units, { ...base, normalisation: 'benchmarks' })).toMatchObject({
      ok: false,
    });
    const wrongWay = indicators.map((i) => (i.id === 'I1' ? { ...i, target: 12 } : i));
    expect(computeCompositeIndex(wrongWay, units, { ...base, normalisation: 'benchmarks' })).toEqual({
      ok: false,
      reason: expect.objectContaining({
        code: 'benchmarks-wrong-direction',
        params: { id: 'I1' },
        text: 'benchmarks: the target of I1 lies in the worse direction from its baseline',
      }),
    });
  });

  it('z-scores (sample standard deviation)', () => {
    // I1: mean 6, s = √((16 + 0 + 16)/2) = 4, lower is better → A 1, B 0, C −1.
    // I2: mean 60, s = 20 → A 0, B 1, C −1.   I3: mean 60, s = 10 → A −1, B 1, C 0.
    // crime A 0.5, B 0.5, C −1; overall A −0.25, B 0.75, C −0.5.
    expect(table(run({ normalisation: 'z-score' }))).toEqual([
      [0.5, -1, -0.25],
      [0.5, 1, 0.75],
      [-1, 0, -0.5],
    ]);
  });

  describe('a missing value (B has no I2) under each treatment', () => {
    const gap = units.map((u) => (u.id === 'B' ? { id: 'B', values: { I1: 6, I3: 70 } } : u));

    it('exclude-unit: B gets no score, with the reason; the others are normalised among themselves', () => {
      // Over A and C only: I1 A 100, C 0; I2 A 100, C 0; I3 A 0, C 100 → overall A 50, C 50.
      const r = run({}, gap);
      expect(table(r)).toEqual([
        [100, 0, 50],
        [null, null, null],
        [0, 100, 50],
      ]);
      expect(r.units[1]?.notes.map((n) => n.text)).toEqual(['no score: I2 missing (exclude-unit)']);
      expect(r.treatments).toEqual([
        {
          unitId: 'B',
          indicatorId: 'I2',
          action: 'left-out',
          original: null,
          used: null,
          reason: expect.objectContaining({ text: 'missing; the unit is excluded' }),
        },
      ]);
    });

    it('mean-imputation: B’s I2 = (60 + 40)/2 = 50', () => {
      // I2 (min 40, max 60): A 100, B 50, C 0 → crime A 100, B 50, C 0 → overall A 50, B 75, C 25.
      const r = run({ missing: 'mean-imputation' }, gap);
      expect(table(r)).toEqual([
        [100, 0, 50],
        [50, 100, 75],
        [0, 50, 25],
      ]);
      expect(r.treatments).toMatchObject([{ unitId: 'B', indicatorId: 'I2', action: 'imputed', used: 50 }]);
    });

    it('theme-available: B’s crime score from I1 alone (1 of 2 ≥ the minimum share 0.5)', () => {
      // I2 over A, C: A 100, C 0. B crime = I1 = 50 → overall (50 + 100)/2 = 75.
      const r = run({ missing: 'theme-available' }, gap);
      expect(table(r)).toEqual([
        [100, 0, 50],
        [50, 100, 75],
        [0, 50, 25],
      ]);
      expect(r.units[1]?.notes.map((n) => n.text)).toEqual([
        'theme crime aggregated over 1 of 2 indicators, weights re-scaled',
      ]);
      expect(r.treatments).toMatchObject([{ unitId: 'B', indicatorId: 'I2', action: 'left-out' }]);
      // With a minimum share of 0.6, B has no crime score and so no overall score, both stated.
      const strict = run({ missing: 'theme-available', minThemeShare: 0.6 }, gap);
      expect(table(strict)[1]).toEqual([null, 100, null]);
      expect(strict.units[1]?.notes.map((n) => n.text)).toEqual([
        'no score for theme crime: 1 of 2 indicators present',
        'no overall score: theme crime has no score',
      ]);
    });

    it('a non-finite value is treated as missing and said so', () => {
      const nan = units.map((u) => (u.id === 'B' ? { id: 'B', values: { I1: 6, I2: Number.NaN, I3: 70 } } : u));
      const r = run({ missing: 'mean-imputation' }, nan);
      expect(r.units[1]?.overall).toBe(75);
      expect(r.treatments[0]?.reason.text).toMatch(/^not a finite number/);
      expect(r.treatments[0]?.reason.params).toEqual({ why: 'not-finite' });
    });
  });

  it('a constant indicator does not divide by zero, and is stated', () => {
    const flat = units.map((u) => ({ id: u.id, values: { ...u.values, I3: 60 } }));
    const mm = run({}, flat);
    expect(mm.units.map((u) => u.themes.community)).toEqual([50, 50, 50]);
    expect(mm.notes.map((n) => n.text)).toEqual([
      'indicator I3 is constant (60) across the units: every unit gets 50 (min-max)',
    ]);
    const z = run({ normalisation: 'z-score' }, flat);
    expect(z.units.map((u) => u.themes.community)).toEqual([0, 0, 0]);
    expect(z.notes[0]?.text).toMatch(/every unit gets 0 \(z-score\)/);
  });
});

describe('outliers', () => {
  it('flags and winsorises by the rule of thumb |skewness| > 2 and kurtosis > 3.5', () => {
    // Nine 1s and one 100: skewness 8/3 = 2.667, excess kurtosis 5.111 → flagged; 100 becomes the next value, 1.
    const xs = [1, 1, 1, 1, 1, 1, 1, 1, 1, 100];
    const { skewness, kurtosis } = skewKurtosis(xs);
    expect(skewness).toBeCloseTo(8 / 3, 12);
    expect(kurtosis).toBeCloseTo(46 / 9, 12);
    expect(hasOutliers(xs)).toBe(true);
    const column: (number | null)[] = [...xs];
    const ids = xs.map((_, k) => `u${k}`);
    expect(winsorise(column, ids, 'X', 5)).toEqual([
      {
        unitId: 'u9',
        indicatorId: 'X',
        action: 'winsorised',
        original: 100,
        used: 1,
        reason: expect.objectContaining({ text: expect.stringMatching(/outlier/) }),
      },
    ]);
    expect(column[9]).toBe(1);
    expect(winsorise([...xs], ids, 'X', 0)).toEqual([]);
  });

  it('is optional and reported in the result', () => {
    const inds: CompositeIndicator[] = [{ id: 'X', themeId: 't', direction: 'higher-is-better' }];
    const data = [1, 2, 1, 2, 1, 2, 1, 2, 1, 100].map((x, k) => ({ id: `u${k}`, values: { X: x } }));
    const off = run({}, data, inds);
    expect(off.treatments).toEqual([]);
    const on = run({ winsorise: true }, data, inds);
    expect(on.treatments.map((t) => [t.unitId, t.original, t.used])).toEqual([['u9', 100, 2]]);
    expect(on.units[9]?.overall).toBe(100);
    expect(on.units[1]?.overall).toBe(100);
  });
});

describe('PCA weights', () => {
  // A and B = 2·A perfectly correlated, C uncorrelated with A (centred A = −1.5, −0.5, 0.5, 1.5; centred C = 1, −1, −1, 1;
  // their product sums to 0). Correlation matrix [[1,1,0],[1,1,0],[0,0,1]]: eigenvalues 2, 1, 0. Only the first
  // (eigenvalue 2 > 1, 66.7 % > 10 % and > 60 % cumulatively) is retained; its eigenvector (1/√2, 1/√2, 0), loadings²
  // = 2·(½, ½, 0) = (1, 1, 0), scaled to unity sum (½, ½, 0). C loads on no retained component: weight 0, stated.
  const pInds: CompositeIndicator[] = [
    { id: 'A', themeId: 't1', direction: 'higher-is-better' },
    { id: 'B', themeId: 't1', direction: 'higher-is-better' },
    { id: 'C', themeId: 't2', direction: 'higher-is-better' },
  ];
  const pUnits = [
    [1, 2, 2],
    [2, 4, 0],
    [3, 6, 0],
    [4, 8, 2],
  ].map(([a, b, c], k) => ({ id: `u${k}`, values: { A: a, B: b, C: c } }));

  it('is refused with two complete units', () => {
    const two = [...pUnits.slice(0, 2), { id: 'u9', values: { A: 5, B: 10 } }];
    expect(pcaOffer(pInds, two)).toEqual({
      refused: expect.objectContaining({
        code: 'pca-too-few-units',
        params: { count: 2 },
        text: 'PCA weights need at least three units with complete data for every indicator; there are 2',
      }),
    });
    expect(computeCompositeIndex(pInds, two, { ...base, weights: 'pca' })).toMatchObject({ ok: false });
  });

  it('is offered with four, weights summing to 1, matching the hand computation', () => {
    const r = pcaOffer(pInds, pUnits);
    if (!('pca' in r)) throw new Error(r.refused.text);
    expect(r.pca.eigenvalues[0]).toBeCloseTo(2, 12);
    expect(r.pca.eigenvalues[1]).toBeCloseTo(1, 12);
    expect(r.pca.retained).toEqual([0]);
    expect(r.pca.flat[0]).toBeCloseTo(0.5, 12);
    expect(r.pca.flat[1]).toBeCloseTo(0.5, 12);
    expect(r.pca.flat[2]).toBe(0);
    expect(r.pca.weights.themes.t1).toBeCloseTo(1, 12);
    expect(r.pca.weights.themes.t2).toBe(0);
    expect(r.pca.notes.map((n) => n.text).join(' ')).toMatch(/C load on no retained component: weight 0/);
    expect(r.pca.notes.map((n) => n.text).join(' ')).toMatch(/no varimax rotation/);
  });

  it('says when there are not more units than indicators', () => {
    const r = pcaOffer(indicators, units);
    expect('pca' in r && r.pca.notes[0]?.text).toMatch(/more units than indicators is preferable/);
  });

  it('Jacobi eigen-decomposition of a small symmetric matrix', () => {
    const { values, vectors } = symmetricEigen([
      [2, 1],
      [1, 2],
    ]);
    expect(values[0]).toBeCloseTo(3, 12);
    expect(values[1]).toBeCloseTo(1, 12);
    expect(Math.abs(vectors[0]?.[0] ?? 0)).toBeCloseTo(Math.SQRT1_2, 12);
  });
});

describe('uncertainty and sensitivity', () => {
  it('enumerates every combination exactly on a small case', () => {
    // Normalisation {min-max, benchmarks} × weights {equal, user}, arithmetic, exclude-unit: 4 runs.
    // A: min-max/equal 37.5, min-max/user 21.875, benchmarks/equal 50,
    //    benchmarks/user 0.25·(0.75·100 + 0.25·50) + 0.75·25 = 21.875 + 18.75 = 40.625.
    // Sorted 21.875, 37.5, 40.625, 50: median (37.5 + 40.625)/2 = 39.0625, min 21.875, max 50;
    // p5 = 21.875 + 0.15·15.625 = 24.21875, p95 = 40.625 + 0.85·9.375 = 48.59375 (linear interpolation).
    // Mean 37.5, variance (0 + 15.625² + 12.5² + 3.125²)/4 = 102.5390625.
    // By normalisation: means 29.6875 and 45.3125 → Var 7.8125² = 61.03515625 → S = 25/42 = 0.595.
    // By weights: means 43.75 and 31.25 → Var 6.25² = 39.0625 → S = 16/42 = 0.381 (the rest, 1/42, is interaction).
    const r = analyseUncertainty(
      indicators,
      units,
      { ...base, userWeights },
      {
        normalisations: ['min-max', 'benchmarks'],
        weights: ['equal', 'user'],
        aggregations: ['arithmetic'],
        missing: ['exclude-unit'],
      },
    );
    if (!r.ok) throw new Error(r.reason.text);
    expect(r.method).toBe('enumerated');
    expect(r.runs).toBe(4);
    const a = r.units[0];
    expect(a).toMatchObject({
      unitId: 'A',
      reference: 37.5,
      median: 39.0625,
      min: 21.875,
      max: 50,
      runs: 4,
      noScore: 0,
    });
    expect(a?.p5).toBeCloseTo(24.21875, 12);
    expect(a?.p95).toBeCloseTo(48.59375, 12);
    expect(a?.sensitivity.normalisation).toBeCloseTo(25 / 42, 12);
    expect(a?.sensitivity.weights).toBeCloseTo(16 / 42, 12);
    expect(a?.sensitivity.aggregation).toBeNull();
    expect(a?.mostInfluential).toBe('normalisation');
    // B: 87.5, 90.625, 75, 71.875 → median 81.25, range 71.875–90.625.
    expect(r.units[1]).toMatchObject({ median: 81.25, min: 71.875, max: 90.625 });
    // C: 25, 37.5, 25, 37.5 → only the weights move it: S_weights = 1, S_normalisation = 0.
    expect(r.units[2]).toMatchObject({ median: 31.25, min: 25, max: 37.5, mostInfluential: 'weights' });
    expect(r.units[2]?.sensitivity.weights).toBeCloseTo(1, 12);
  });

  it('enumerates the default alternatives when there are few, and samples with the seed otherwise', () => {
    const r = analyseUncertainty(indicators, units, base);
    if (!r.ok) throw new Error(r.reason.text);
    // min-max, benchmarks × equal, PCA (offered: 3 complete units) × 2 aggregations × 3 missing treatments = 24.
    expect(r.method).toBe('enumerated');
    expect(r.runs).toBe(24);
    const mc = analyseUncertainty(indicators, units, base, { weightPerturbation: 0.2, runs: 200, seed: 7 });
    const again = analyseUncertainty(indicators, units, base, { weightPerturbation: 0.2, runs: 200, seed: 7 });
    if (!mc.ok) throw new Error(mc.reason.text);
    expect(mc.method).toBe('monte-carlo');
    expect(mc.runs).toBe(200);
    expect(again).toEqual(mc);
    for (const u of mc.units) {
      expect(u.min).not.toBeNull();
      expect(u.p5 as number).toBeLessThanOrEqual(u.median as number);
      expect(u.median as number).toBeLessThanOrEqual(u.p95 as number);
      expect(u.min as number).toBeGreaterThanOrEqual(0);
      expect(u.max as number).toBeLessThanOrEqual(100);
    }
  });

  it('leaves out alternatives that cannot be computed, and says so', () => {
    const noBench = indicators.map(({ baseline: _b, target: _t, ...i }) => i);
    const r = analyseUncertainty(noBench, units.slice(0, 2), base);
    if (!r.ok) throw new Error(r.reason.text);
    expect(r.alternatives.normalisation).toEqual(['min-max']);
    expect(r.alternatives.weights).toEqual(['equal']);
    expect(r.notes.map((n) => n.text).join(' ')).toMatch(/benchmarks left out/);
    expect(r.notes.map((n) => n.text).join(' ')).toMatch(/weights pca left out: PCA weights need at least three units/);
  });
});
