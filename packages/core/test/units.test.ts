import { describe, expect, it } from 'vitest';
import { canonicalUnit, parseUnitMultiplier, sameUnit, scaleByPowerOfTen } from '../src/index.ts';

describe('units as files write them', () => {
  it("compares a file's unit with a series' code and names", () => {
    expect(sameUnit('PT', 'PERCENT')).toBe(true);
    expect(sameUnit('Percentage (%)', 'PERCENT')).toBe(true);
    expect(sameUnit('per_100000_pop', 'PER_100000')).toBe(true);
    expect(sameUnit('Pourcentage (%)', 'PERCENT', ['Pourcentage (%)'])).toBe(true);
    expect(sameUnit('PERSONS', 'PERCENT')).toBe(false);
    expect(sameUnit('Rate per 100,000 population', 'Rate per 100,000 population')).toBe(true);
    expect(canonicalUnit(' number ')).toBe('NUMBER');
  });

  it('reads unit multipliers as SDMX codes or words, and scales without float noise', () => {
    expect(parseUnitMultiplier('3')).toEqual({ ok: true, exponent: 3 });
    expect(parseUnitMultiplier('Thousands')).toEqual({ ok: true, exponent: 3 });
    expect(parseUnitMultiplier('Units')).toEqual({ ok: true, exponent: 0 });
    expect(parseUnitMultiplier('')).toEqual({ ok: true, exponent: 0 });
    expect(parseUnitMultiplier('-2')).toEqual({ ok: true, exponent: -2 });
    expect(parseUnitMultiplier('Percentage (%)')).toMatchObject({ ok: false });
    expect(parseUnitMultiplier('99')).toMatchObject({ ok: false });
    expect(scaleByPowerOfTen(0.1, 3)).toBe(100);
    expect(scaleByPowerOfTen(5.2, 6)).toBe(5_200_000);
    expect(scaleByPowerOfTen(12, 0)).toBe(12);
  });
});
