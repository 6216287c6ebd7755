import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AggregationMethod,
  type CompositeIndicator,
  type CompositeUnit,
  computeCompositeIndex,
  equalWeights,
  type IndexWeights,
  type MissingTreatment,
  normaliseColumn,
  pcaOffer,
  perturbWeights,
  seededRandom,
  userWeights,
} from '../src/index.ts';

/** Properties of docs/methods/safety-index.md over made-up data sets with gaps and non-finite values. */

const indicatorArb = fc.record({
  theme: fc.integer({ min: 0, max: 2 }),
  lower: fc.boolean(),
  baseline: fc.integer({ min: -100, max: 100 }),
  gap: fc.integer({ min: 1, max: 100 }),
});
const valueArb = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: -10_000, max: 10_000 }).map((x) => x / 10) },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, undefined) },
);
const dataArb = fc.array(indicatorArb, { minLength: 1, maxLength: 5 }).chain((raw) => {
  const indicators: CompositeIndicator[] = raw.map((r, k) => ({
    id: `i${k}`,
    themeId: `t${r.theme}`,
    direction: r.lower ? 'lower-is-better' : 'higher-is-better',
    baseline: r.baseline,
    target: r.lower ? r.baseline - r.gap : r.baseline + r.gap,
  }));
  return fc
    .array(fc.array(valueArb, { minLength: indicators.length, maxLength: indicators.length }), {
      minLength: 1,
      maxLength: 8,
    })
    .map((rows) => ({
      indicators,
      units: rows.map(
        (row, u): CompositeUnit => ({
          id: `u${u}`,
          values: Object.fromEntries(indicators.map((ind, i) => [ind.id, row[i]])),
        }),
      ),
    }));
});
const missingArb = fc.constantFrom<MissingTreatment>('exclude-unit', 'mean-imputation', 'theme-available');
const aggregationArb = fc.constantFrom<AggregationMethod>('arithmetic', 'geometric');

const sumsToOne = (w: IndexWeights, indicators: readonly CompositeIndicator[]) => {
  const close = (x: number) => Math.abs(x - 1) < 1e-9;
  const themes = [...new Set(indicators.map((i) => i.themeId))];
  return (
    close(themes.reduce((s, t) => s + (w.themes[t] ?? 0), 0)) &&
    themes.every((t) =>
      close(indicators.filter((i) => i.themeId === t).reduce((s, i) => s + (w.indicators[i.id] ?? 0), 0)),
    ) &&
    Object.values(w.indicators).every((x) => x >= 0) &&
    Object.values(w.themes).every((x) => x >= 0)
  );
};

describe('composite index properties', () => {
  it('scores lie in [0, 100] for min-max and clipped benchmarks', () => {
    fc.assert(
      fc.property(
        dataArb,
        missingArb,
        aggregationArb,
        fc.constantFrom('min-max', 'benchmarks' as const),
        (d, missing, aggregation, normalisation) => {
          const r = computeCompositeIndex(d.indicators, d.units, {
            missing,
            aggregation,
            normalisation,
            weights: 'equal',
          });
          if (!r.ok) throw new Error(r.reason.text);
          for (const u of r.units)
            for (const s of [u.overall, ...Object.values(u.themes)])
              if (s !== null) expect(s >= 0 && s <= 100).toBe(true);
        },
      ),
    );
  });

  it('flipping the direction mirrors the normalised value', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.integer({ min: -1000, max: 1000 })), { minLength: 1, maxLength: 12 }),
        (column) => {
          const up: CompositeIndicator = { id: 'x', themeId: 't', direction: 'higher-is-better' };
          const down: CompositeIndicator = { ...up, direction: 'lower-is-better' };
          for (const method of ['min-max', 'z-score'] as const) {
            const a = normaliseColumn(column, up, method);
            const b = normaliseColumn(column, down, method);
            if ('refused' in a || 'refused' in b) throw new Error('refused');
            const constant = new Set(column.filter((x) => x !== null)).size <= 1;
            a.values.forEach((v, k) => {
              const w = b.values[k] ?? null;
              if (v === null) expect(w).toBeNull();
              else if (constant) expect(w).toBe(v);
              else expect(w).toBeCloseTo(method === 'min-max' ? 100 - v : -v, 9);
            });
          }
        },
      ),
    );
  });

  it('permuting the units changes no unit’s score (no hidden ordering)', () => {
    fc.assert(
      fc.property(
        dataArb,
        missingArb,
        aggregationArb,
        fc.constantFrom('min-max', 'benchmarks', 'z-score' as const),
        fc.integer(),
        (d, missing, aggregation, normalisation, seed) => {
          const random = seededRandom(seed);
          const shuffled = d.units
            .map((u) => ({ u, key: random() }))
            .sort((a, b) => a.key - b.key)
            .map(({ u }) => u);
          const options = { missing, aggregation, normalisation, weights: 'equal' as const, clipBenchmarks: false };
          const a = computeCompositeIndex(d.indicators, d.units, options);
          const b = computeCompositeIndex(d.indicators, shuffled, options);
          if (!a.ok || !b.ok) throw new Error('refused');
          expect(b.units.map((u) => u.unitId)).toEqual(shuffled.map((u) => u.id));
          for (const ua of a.units) {
            const ub = b.units.find((u) => u.unitId === ua.unitId);
            for (const [x, y] of [
              [ua.overall, ub?.overall],
              ...Object.keys(ua.themes).map((t) => [ua.themes[t], ub?.themes[t]]),
            ]) {
              if (x === null || x === undefined) expect(y).toBeNull();
              else expect(Math.abs(x - (y as number))).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(x)));
            }
          }
        },
      ),
    );
  });

  it('weights always sum to 1, within each theme and across themes', () => {
    fc.assert(
      fc.property(
        dataArb,
        fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 5, maxLength: 5 }),
        fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 3, maxLength: 3 }),
        fc.integer(),
        (d, wi, wt, seed) => {
          expect(sumsToOne(equalWeights(d.indicators), d.indicators)).toBe(true);
          const given = {
            indicators: Object.fromEntries(d.indicators.map((i, k) => [i.id, wi[k] ?? 0])),
            themes: Object.fromEntries([0, 1, 2].map((t) => [`t${t}`, wt[t] ?? 0])),
          };
          const u = userWeights(d.indicators, given);
          if ('weights' in u) {
            expect(sumsToOne(u.weights, d.indicators)).toBe(true);
            expect(sumsToOne(perturbWeights(d.indicators, u.weights, 0.3, seededRandom(seed)), d.indicators)).toBe(
              true,
            );
          } else expect(u.refused.text).toMatch(/zero|finite/);
          const p = pcaOffer(d.indicators, d.units);
          if ('pca' in p) {
            expect(sumsToOne(p.pca.weights, d.indicators)).toBe(true);
            expect(Math.abs(p.pca.flat.reduce((s, x) => s + x, 0) - 1)).toBeLessThan(1e-9);
          }
        },
      ),
    );
  });

  it('no NaN escapes: a missing or non-finite value is imputed or reported', () => {
    fc.assert(
      fc.property(
        dataArb,
        missingArb,
        aggregationArb,
        fc.constantFrom('min-max', 'benchmarks', 'z-score' as const),
        fc.boolean(),
        (d, missing, aggregation, normalisation, winsorise) => {
          const r = computeCompositeIndex(d.indicators, d.units, {
            missing,
            aggregation,
            normalisation,
            winsorise,
            weights: 'equal',
            clipBenchmarks: false,
          });
          if (!r.ok) throw new Error(r.reason.text);
          for (const [k, u] of r.units.entries()) {
            for (const s of [u.overall, ...Object.values(u.themes)])
              if (s !== null) expect(Number.isFinite(s)).toBe(true);
            if (u.overall === null) expect(u.notes.length).toBeGreaterThan(0);
            const unit = d.units[k] as CompositeUnit;
            for (const ind of d.indicators) {
              const v = unit.values[ind.id];
              if (typeof v === 'number' && Number.isFinite(v)) continue;
              expect(
                r.treatments.some((t) => t.unitId === unit.id && t.indicatorId === ind.id && t.action !== 'winsorised'),
              ).toBe(true);
            }
          }
        },
      ),
    );
  });
});
