import { describe, expect, it } from 'vitest';
import { isSuppressed, type SuppressionRule, suppressionApplies } from '../src/index.ts';

const byDims: SuppressionRule = { minCount: 10, dimensions: ['SEX', 'AGE', 'DISABILITY_STATUS'], levels: ['district'] };

describe('suppressionApplies', () => {
  it('a rule without dimensions and levels covers every value', () => {
    expect(suppressionApplies({ minCount: 5 }, {}, 'country')).toBe(true);
    expect(suppressionApplies({ minCount: 5, dimensions: [], levels: [] }, { SEX: 'F' }, 'city')).toBe(true);
  });

  it('covers values disaggregated by one of its dimensions, or at one of its levels', () => {
    expect(suppressionApplies(byDims, { SEX: 'F' }, 'city')).toBe(true);
    expect(suppressionApplies(byDims, { AGE: 'Y15T24', URBANISATION: 'U' }, 'country')).toBe(true);
    expect(suppressionApplies(byDims, {}, 'district')).toBe(true);
    expect(suppressionApplies(byDims, {}, 'city')).toBe(false);
    expect(suppressionApplies(byDims, { URBANISATION: 'U' }, 'city')).toBe(false);
  });

  it('with levels only, covers those levels only', () => {
    const r: SuppressionRule = { minCount: 10, levels: ['district'] };
    expect(suppressionApplies(r, { SEX: 'F' }, 'city')).toBe(false);
    expect(suppressionApplies(r, { SEX: 'F' }, 'district')).toBe(true);
  });
});

describe('isSuppressed', () => {
  it('no rule, no suppression', () => {
    expect(isSuppressed(null, 1, null, { SEX: 'F' }, 'district')).toBe(false);
    expect(isSuppressed(undefined, 1, null, {}, 'district')).toBe(false);
  });

  it('a count below the minimum is suppressed; at the minimum it is shown', () => {
    expect(isSuppressed(byDims, 9, null, { SEX: 'F' }, 'city')).toBe(true);
    expect(isSuppressed(byDims, 0, null, { SEX: 'F' }, 'city')).toBe(true);
    expect(isSuppressed(byDims, 10, null, { SEX: 'F' }, 'city')).toBe(false);
    expect(isSuppressed(byDims, 3, null, {}, 'city')).toBe(false); // not covered: a city total
  });

  it('a rate is judged by its count series: hidden when the count is small, shown when it is unknown', () => {
    const rate: SuppressionRule = { ...byDims, countSeries: 'VC_IHR_PSRCN' };
    expect(isSuppressed(rate, 250.5, 4, { SEX: 'F' }, 'city')).toBe(true);
    expect(isSuppressed(rate, 0.5, 40, { SEX: 'F' }, 'city')).toBe(false);
    expect(isSuppressed(rate, 0.5, null, { SEX: 'F' }, 'city')).toBe(false);
    expect(isSuppressed(rate, 0.5, undefined, { SEX: 'F' }, 'district')).toBe(false);
  });
});
