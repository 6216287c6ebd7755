import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { valueSpread } from '../src/index.ts';

describe('the spread of values over places', () => {
  it('gives the lowest, the median and the highest', () => {
    expect(valueSpread([5, 1, 3])).toEqual({ n: 3, min: 1, median: 3, max: 5 });
    expect(valueSpread([4, 1, 3, 10])).toEqual({ n: 4, min: 1, median: 3.5, max: 10 });
    expect(valueSpread([-2])).toEqual({ n: 1, min: -2, median: -2, max: -2 });
  });

  it('is null for no value and leaves out what is not a number', () => {
    expect(valueSpread([])).toBeNull();
    expect(valueSpread([Number.NaN, Number.POSITIVE_INFINITY])).toBeNull();
    expect(valueSpread([2, Number.NaN])).toEqual({ n: 1, min: 2, median: 2, max: 2 });
  });

  it('has as many values below the median as above it, whatever their order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 50 }), (values) => {
        const s = valueSpread(values)!;
        expect(s.n).toBe(values.length);
        expect(s.min).toBe(Math.min(...values));
        expect(s.max).toBe(Math.max(...values));
        expect(values.filter((v) => v < s.median).length).toBe(values.filter((v) => v > s.median).length);
      }),
    );
  });
});
