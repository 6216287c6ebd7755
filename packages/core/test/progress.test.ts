import { describe, expect, it } from 'vitest';
import { assessProgress, type ProgressPoint, periodMidYear } from '../src/index.ts';

/**
 * Every expected number below was worked out by hand; the arithmetic is in the comments.
 * Time convention: a calendar year Y sits at its midpoint Y + 0.5 and the target year T at
 * T + 0.5, so for annual data "2020 → 2030" is exactly 10 years, as in the UNSD note.
 */

/** An annual observation. */
const y = (year: number, value: number | null): ProgressPoint => ({
  start: `${year}-01-01`,
  end: `${year}-12-31`,
  value,
});

describe('periodMidYear', () => {
  it('places a calendar year at its middle', () => {
    // 2015 has 365 days; the middle is 182.5 days in: 2015 + 182.5/365.
    expect(periodMidYear('2015-01-01', '2015-12-31')).toBe(2015.5);
    // 2016 has 366 days: 2016 + 183/366.
    expect(periodMidYear('2016-01-01', '2016-12-31')).toBe(2016.5);
  });

  it('places a span of years at its middle', () => {
    // 1990-01-01 … 1999-12-31: 3652 days (leap 1992, 1996); half = 1826 days
    // = 365 + 365 + 366 + 365 + 365 (1990–1994) → 1995-01-01, i.e. 1995.0.
    expect(periodMidYear('1990-01-01', '1999-12-31')).toBe(1995);
    // 2010-01-01 … 2017-12-31: 2922 days; half = 1461 = 365 + 365 + 366 + 365 → 2014-01-01.
    expect(periodMidYear('2010-01-01', '2017-12-31')).toBe(2014);
  });

  it('places a July–June financial year near the new year', () => {
    // 2017-07-01 … 2018-06-30: 365 days; half = 182.5. 2017-07-01 is day 181 of 2017
    // (31+28+31+30+31+30), so the middle is day 363.5: 2017 + 363.5/365 = 2017.99589.
    expect(periodMidYear('2017-07-01', '2018-06-30')).toBeCloseTo(2017 + 363.5 / 365, 12);
    expect(periodMidYear('2017-07-01', '2018-06-30')).toBeCloseTo(2018.0, 1);
  });

  it('places quarters, months and days', () => {
    // 2024-Q1: 91 days (leap February); middle = day 45.5: 2024 + 45.5/366 = 2024.12432.
    expect(periodMidYear('2024-01-01', '2024-03-31')).toBeCloseTo(2024 + 45.5 / 366, 12);
    expect(periodMidYear('2024-01-01', '2024-03-31')).toBeCloseTo(2024.12, 2);
    // January 2024: 31 days, middle day 15.5.
    expect(periodMidYear('2024-01-01', '2024-01-31')).toBeCloseTo(2024 + 15.5 / 366, 12);
    // One day: the middle of 1 January.
    expect(periodMidYear('2024-01-01', '2024-01-01')).toBeCloseTo(2024 + 0.5 / 366, 12);
  });

  it('rejects invalid dates and reversed periods', () => {
    expect(() => periodMidYear('2023-02-29', '2023-12-31')).toThrow(RangeError);
    expect(() => periodMidYear('2024-1-1', '2024-12-31')).toThrow(RangeError);
    expect(() => periodMidYear('2024-12-31', '2024-01-01')).toThrow(RangeError);
  });
});

describe('assessProgress with a numeric target (UNSD Progress Chart)', () => {
  it('the worked example: 40 → 30, target 0, lower is better → moderate', () => {
    // b = 2015.5, t = 2020.5, t − b = 5.
    // CAGR = (30/40)^(1/5) − 1 = 0.75^0.2 − 1 = exp(ln 0.75 / 5) − 1
    //      = exp(−0.2876821 / 5) − 1 = exp(−0.0575364) − 1 = 0.9440875 − 1 = −0.0559125.
    // v2030 = 30 · (0.75^0.2)^10 = 30 · 0.75² = 30 · 0.5625 = 16.875.
    // r = (16.875 − 40) / (0 − 40) = −23.125 / −40 = 0.578125 → [0.5, 0.95) → moderate.
    const result = assessProgress([y(2015, 40), y(2020, 30)], 'lower', { year: 2030, value: 0 });
    expect(result.class).toBe('moderate');
    expect(result.method).toBe('target');
    expect(result.cagr).toBeCloseTo(-0.0559125, 6);
    expect(result.projected2030).toBeCloseTo(16.875, 9);
    expect(result.ratio).toBeCloseTo(0.578125, 9);
    expect(result.target).toBe(0);
    expect(result.targetYear).toBe(2030);
    expect(result.baseline).toMatchObject({ year: 2015.5, value: 40 });
    expect(result.latest).toMatchObject({ year: 2020.5, value: 30, start: '2020-01-01', end: '2020-12-31' });
    expect(result.baselineRule).toBe('from-2015');
    expect(result.linearFallback).toBe(false);
    expect(result.note).toBeUndefined();
  });

  it('uses the target’s own year: the same data toward 0 by 2025 → marginal', () => {
    // Horizon 2025.5 − 2020.5 = 5: v2025 = 30 · (0.75^0.2)^5 = 30 · 0.75 = 22.5.
    // r = (22.5 − 40) / (0 − 40) = 0.4375 → [0.1, 0.5) → marginal.
    const result = assessProgress([y(2015, 40), y(2020, 30)], 'lower', { year: 2025, value: 0 });
    expect(result.class).toBe('marginal');
    expect(result.targetYear).toBe(2025);
    expect(result.projected2030).toBeCloseTo(22.5, 9);
    expect(result.ratio).toBeCloseTo(0.4375, 9);
  });

  it('classifies each band of r (higher is better, 50 in 2015, target 100)', () => {
    // With t − b = 5 and 2030 − 2020 = 10: v2030 = v2020 · (v2020/50)².
    // 70: v2030 = 70 · 1.4² = 70 · 1.96 = 137.2;   r = 87.2 / 50  = 1.744  → met-or-almost
    // 55: v2030 = 55 · 1.1² = 55 · 1.21 = 66.55;   r = 16.55 / 50 = 0.331  → marginal
    // 51: v2030 = 51 · 1.02² = 51 · 1.0404 = 53.0604; r = 3.0604 / 50 = 0.061208 → stagnation
    // 45: v2030 = 45 · 0.9² = 45 · 0.81 = 36.45;   r = −13.55 / 50 = −0.271 → deterioration
    const target = { year: 2030, value: 100 };
    const cases: [number, string, number][] = [
      [70, 'met-or-almost', 1.744],
      [55, 'marginal', 0.331],
      [51, 'stagnation', 0.061208],
      [45, 'deterioration', -0.271],
    ];
    for (const [latest, cls, ratio] of cases) {
      const result = assessProgress([y(2015, 50), y(2020, latest)], 'higher', target);
      expect(result.class, String(latest)).toBe(cls);
      expect(result.ratio, String(latest)).toBeCloseTo(ratio, 9);
    }
  });

  it('puts the thresholds on the right side (data in the target year, so v2030 = v_t)', () => {
    // Horizon 0: v2030 = v2030 observed. Baseline 100, target 200: r = (v − 100) / 100.
    const target = { year: 2030, value: 200 };
    const cases: [number, string][] = [
      [195, 'met-or-almost'], // r = 0.95
      [194.9, 'moderate'], // r = 0.949
      [150, 'moderate'], // r = 0.5
      [149.9, 'marginal'], // r = 0.499
      [110, 'marginal'], // r = 0.1
      [109.9, 'stagnation'], // r = 0.099
      [90.1, 'stagnation'], // r = −0.099
      [90, 'deterioration'], // r = −0.1
    ];
    for (const [latest, cls] of cases) {
      expect(assessProgress([y(2015, 100), y(2030, latest)], 'higher', target).class, String(latest)).toBe(cls);
    }
  });

  it('a target already met is met-or-almost, whatever the trend', () => {
    // 50 → 100, target 80, higher: the latest value 100 ≥ 80 → met-or-almost.
    // (CAGR = 2^(1/5) − 1 = 0.1486984; v2030 = 100 · 2² = 400; r = (400 − 50)/(80 − 50) = 11.6667.)
    const met = assessProgress([y(2015, 50), y(2020, 100)], 'higher', { year: 2030, value: 80 });
    expect(met.class).toBe('met-or-almost');
    expect(met.ratio).toBeCloseTo(350 / 30, 9);
    expect(met.note).toContain('already meets');
    // Exactly at the target counts as met: 60 → 80, target 80.
    expect(assessProgress([y(2015, 60), y(2020, 80)], 'higher', { year: 2030, value: 80 }).class).toBe('met-or-almost');
    // Falling since 2015 but still under the cap: lower, target 10, 8 → 9 → met-or-almost.
    const stillMet = assessProgress([y(2015, 8), y(2020, 9)], 'lower', { year: 2030, value: 10 });
    expect(stillMet.class).toBe('met-or-almost');
    expect(stillMet.ratio).toBeNull(); // r is meaningless when the baseline was already past the target
  });

  it('a baseline that met the target and a latest value that no longer does → deterioration', () => {
    // lower, target 10: 8 (met) → 12 (not met).
    const result = assessProgress([y(2015, 8), y(2020, 12)], 'lower', { year: 2030, value: 10 });
    expect(result.class).toBe('deterioration');
    expect(result.ratio).toBeNull();
  });

  it('lower is better and values rise → deterioration', () => {
    // 10 → 12, target 5: CAGR = 1.2^(1/5) − 1 = exp(0.1823216/5) − 1 = exp(0.0364643) − 1 = 0.0371373.
    // v2030 = 12 · 1.2² = 12 · 1.44 = 17.28; r = (17.28 − 10)/(5 − 10) = 7.28 / −5 = −1.456.
    const result = assessProgress([y(2015, 10), y(2020, 12)], 'lower', { year: 2030, value: 5 });
    expect(result.class).toBe('deterioration');
    expect(result.cagr).toBeCloseTo(0.0371373, 6);
    expect(result.projected2030).toBeCloseTo(17.28, 9);
    expect(result.ratio).toBeCloseTo(-1.456, 9);
  });

  it('a relative target "halve by 2030 from 2015"', () => {
    // target = v2015 · (1 − 0.5) = 20 · 0.5 = 10. b = 2015.5, t = 2021.5, t − b = 6.
    // CAGR = 0.8^(1/6) − 1; v2030 = 16 · 0.8^(9/6) = 16 · 0.8^1.5 = 16 · (0.8 · √0.8)
    //      = 16 · (0.8 · 0.8944272) = 16 · 0.7155418 = 11.4486680.
    // r = (11.4486680 − 20)/(10 − 20) = −8.5513320 / −10 = 0.8551332 → moderate.
    const points = [y(2015, 20), y(2021, 16)];
    const result = assessProgress(points, 'lower', { year: 2030, relativeChange: -0.5, baselineYear: 2015 });
    expect(result.class).toBe('moderate');
    expect(result.target).toBe(10);
    expect(result.projected2030).toBeCloseTo(11.448668, 6);
    expect(result.ratio).toBeCloseTo(0.8551332, 6);
    expect(result.note).toBeUndefined();
    // Without baselineYear the relative target is resolved against the baseline used: same result.
    expect(assessProgress(points, 'lower', { year: 2030, relativeChange: -0.5 }).ratio).toBeCloseTo(0.8551332, 6);
  });

  it('a relative target from another baseline year', () => {
    // Values 2010 = 30, 2015 = 20, 2021 = 16; "halve from 2010": target = 30 · 0.5 = 15.
    // Progress is still measured from 2015 (20): v2030 = 11.4486680 (as above);
    // r = (11.4486680 − 20)/(15 − 20) = −8.5513320 / −5 = 1.7102664 → met-or-almost.
    const points = [y(2010, 30), y(2015, 20), y(2021, 16)];
    const from2010 = assessProgress(points, 'lower', { year: 2030, relativeChange: -0.5, baselineYear: 2010 });
    expect(from2010.class).toBe('met-or-almost');
    expect(from2010.target).toBe(15);
    expect(from2010.ratio).toBeCloseTo(1.7102664, 6);
    expect(from2010.baseline?.value).toBe(20);
    expect(from2010.note).toContain('2010');
    // No value for 2012: resolved against the baseline used (20) → target 10, r = 0.8551332.
    const from2012 = assessProgress(points, 'lower', { year: 2030, relativeChange: -0.5, baselineYear: 2012 });
    expect(from2012.target).toBe(10);
    expect(from2012.ratio).toBeCloseTo(0.8551332, 6);
    expect(from2012.note).toContain('No value for the target');
  });

  it('an absolute value wins over a relative change', () => {
    const result = assessProgress([y(2015, 40), y(2020, 30)], 'lower', {
      year: 2030,
      value: 0,
      relativeChange: -0.5,
    });
    expect(result.target).toBe(0);
    expect(result.ratio).toBeCloseTo(0.578125, 9);
  });

  it('target equal to the baseline: met or deterioration, never a division by zero', () => {
    // 50 → 55, target 50, higher: 55 ≥ 50 → met-or-almost.
    const met = assessProgress([y(2015, 50), y(2020, 55)], 'higher', { year: 2030, value: 50 });
    expect(met.class).toBe('met-or-almost');
    expect(met.ratio).toBeNull();
    // 50 → 45, target 50, higher: the value has moved to the worse side → deterioration.
    const worse = assessProgress([y(2015, 50), y(2020, 45)], 'higher', { year: 2030, value: 50 });
    expect(worse.class).toBe('deterioration');
    expect(worse.ratio).toBeNull();
    // Direction 'none' (hold the level): unchanged → met; changed → deterioration.
    expect(assessProgress([y(2015, 50), y(2020, 50)], 'none', { year: 2030, value: 50 }).class).toBe('met-or-almost');
    expect(assessProgress([y(2015, 50), y(2020, 52)], 'none', { year: 2030, value: 50 }).class).toBe('deterioration');
  });

  it('direction "none" with a target takes the direction toward the target', () => {
    // 40 → 30 toward 0: lower, as in the worked example → r = 0.578125, moderate.
    const result = assessProgress([y(2015, 40), y(2020, 30)], 'none', { year: 2030, value: 0 });
    expect(result.class).toBe('moderate');
    expect(result.method).toBe('target');
    expect(result.ratio).toBeCloseTo(0.578125, 9);
  });
});

describe('assessProgress without a numeric target (Open SDG growth thresholds)', () => {
  it.each([
    // 100 → 110: CAGR = 1.1^(1/5) − 1 = exp(0.0953102/5) − 1 = exp(0.0190620) − 1 = 0.0192449 ≥ 1.5 %
    [110, 'higher', 'substantial', 0.0192449],
    // 100 → 105: CAGR = exp(0.0487902/5) − 1 = exp(0.0097580) − 1 = 0.0098058, in [0.5 %, 1.5 %)
    [105, 'higher', 'moderate', 0.0098058],
    // 100 → 101: CAGR = exp(0.0099503/5) − 1 = exp(0.0019901) − 1 = 0.0019921, in [0, 0.5 %)
    [101, 'higher', 'marginal', 0.0019921],
    // 100 → 100: CAGR = 0 → marginal (the band is 0 ≤ CAGR < 0.5 %)
    [100, 'higher', 'marginal', 0],
    // 100 → 95: CAGR = exp(−0.0512933/5) − 1 = exp(−0.0102587) − 1 = −0.0102062 < 0
    [95, 'higher', 'deterioration', -0.0102062],
    // lower is better, 100 → 90: CAGR = exp(−0.1053605/5) − 1 = exp(−0.0210721) − 1 = −0.0208516;
    // in the better direction +0.0208516 ≥ 1.5 %
    [90, 'lower', 'substantial', 0.0208516],
    // lower is better, 100 → 120: CAGR = exp(0.1823216/5) − 1 = 0.0371373; better direction −0.0371373
    [120, 'lower', 'deterioration', -0.0371373],
  ] as const)('100 → %d, %s is better → %s', (latest, direction, cls, rate) => {
    const result = assessProgress([y(2015, 100), y(2020, latest)], direction);
    expect(result.class).toBe(cls);
    expect(result.method).toBe('trend');
    expect(result.rate).toBeCloseTo(rate, 6);
    expect(result.targetYear).toBe(2030);
  });

  it('puts the growth thresholds on the right side', () => {
    // One year apart, so CAGR = v_t/100 − 1.
    expect(assessProgress([y(2015, 100), y(2016, 101.5)], 'higher').class).toBe('substantial'); // 1.5 %
    expect(assessProgress([y(2015, 100), y(2016, 101.49)], 'higher').class).toBe('moderate'); // 1.49 %
    expect(assessProgress([y(2015, 100), y(2016, 100.5)], 'higher').class).toBe('moderate'); // 0.5 %
    expect(assessProgress([y(2015, 100), y(2016, 100.49)], 'higher').class).toBe('marginal'); // 0.49 %
    expect(assessProgress([y(2015, 100), y(2016, 99.99)], 'higher').class).toBe('deterioration'); // −0.01 %
  });

  it('a target without a value or a relative change is no target', () => {
    const result = assessProgress([y(2015, 100), y(2020, 110)], 'higher', { year: 2030, value: null });
    expect(result.method).toBe('trend');
    expect(result.class).toBe('substantial');
  });

  it('direction "none" without a target → not-assessed', () => {
    expect(assessProgress([y(2015, 100), y(2020, 110)], 'none')).toMatchObject({
      class: 'not-assessed',
      method: 'none',
    });
    expect(assessProgress([], 'none').class).toBe('not-assessed');
  });
});

describe('assessProgress: zero and negative values (linear fallback)', () => {
  it('a zero baseline with a target uses linear change', () => {
    // 0 → 10, higher, target 50. CAGR undefined (v_b = 0).
    // slope = (10 − 0)/5 = 2 per year; v2030 = 10 + 2 · 10 = 30; r = (30 − 0)/(50 − 0) = 0.6 → moderate.
    const result = assessProgress([y(2015, 0), y(2020, 10)], 'higher', { year: 2030, value: 50 });
    expect(result.class).toBe('moderate');
    expect(result.linearFallback).toBe(true);
    expect(result.cagr).toBeNull();
    expect(result.slope).toBe(2);
    expect(result.projected2030).toBe(30);
    expect(result.ratio).toBe(0.6);
    expect(result.note).toContain('linear');
  });

  it('a zero baseline without a target: the class follows the sign of the change', () => {
    const up = assessProgress([y(2015, 0), y(2020, 10)], 'higher');
    expect(up.class).toBe('substantial');
    expect(up.rate).toBeNull();
    expect(assessProgress([y(2015, 0), y(2020, 10)], 'lower').class).toBe('deterioration');
    expect(assessProgress([y(2015, 0), y(2020, 0)], 'higher').class).toBe('marginal');
  });

  it('negative values', () => {
    // −10 → −5, higher: slope = 5/5 = 1 per year; rate = 1 / |−10| = 0.1 ≥ 1.5 % → substantial.
    const trend = assessProgress([y(2015, -10), y(2020, -5)], 'higher');
    expect(trend.class).toBe('substantial');
    expect(trend.rate).toBeCloseTo(0.1, 12);
    expect(trend.linearFallback).toBe(true);
    // Same data, target 0: v2030 = −5 + 1 · 10 = 5; r = (5 − (−10))/(0 − (−10)) = 15/10 = 1.5
    // → met-or-almost (the latest value −5 is not yet at 0).
    const toZero = assessProgress([y(2015, -10), y(2020, -5)], 'higher', { year: 2030, value: 0 });
    expect(toZero.class).toBe('met-or-almost');
    expect(toZero.projected2030).toBe(5);
    expect(toZero.ratio).toBe(1.5);
  });

  it('a change of sign', () => {
    // −4 (2015) → 2 (2019), lower, target −10. slope = (2 − (−4))/4 = 1.5; horizon 2030 − 2019 = 11;
    // v2030 = 2 + 1.5 · 11 = 18.5; r = (18.5 − (−4))/(−10 − (−4)) = 22.5 / −6 = −3.75 → deterioration.
    const result = assessProgress([y(2015, -4), y(2019, 2)], 'lower', { year: 2030, value: -10 });
    expect(result.class).toBe('deterioration');
    expect(result.slope).toBe(1.5);
    expect(result.projected2030).toBe(18.5);
    expect(result.ratio).toBe(-3.75);
  });

  it('a value falling to zero meets a target of zero', () => {
    const result = assessProgress([y(2015, 10), y(2020, 0)], 'lower', { year: 2030, value: 0 });
    expect(result.class).toBe('met-or-almost');
    expect(result.linearFallback).toBe(true);
  });
});

describe('assessProgress: missing, sparse and irregular data', () => {
  it('no values, all nulls, a single value → insufficient-data', () => {
    const target = { year: 2030, value: 0 };
    expect(assessProgress([], 'lower', target).class).toBe('insufficient-data');
    expect(assessProgress([y(2015, null), y(2020, null)], 'lower', target).class).toBe('insufficient-data');
    expect(assessProgress([y(2020, 30)], 'lower', target)).toMatchObject({
      class: 'insufficient-data',
      method: 'target',
    });
    expect(assessProgress([y(2020, 30)], 'higher')).toMatchObject({ class: 'insufficient-data', method: 'trend' });
    // Two values in the same year are one value.
    const sameYear: ProgressPoint[] = [
      { start: '2020-01-01', end: '2020-03-31', value: 1 },
      { start: '2020-04-01', end: '2020-06-30', value: 2 },
    ];
    expect(assessProgress(sameYear, 'higher').class).toBe('insufficient-data');
  });

  it('skips null, NaN and infinite values', () => {
    // Values left: 2016 = 50, 2021 = 60. CAGR = 1.2^(1/5) − 1 = 0.0371373 → substantial.
    const points = [y(2015, null), y(2016, 50), y(2017, Number.NaN), y(2018, Number.POSITIVE_INFINITY), y(2021, 60)];
    const result = assessProgress(points, 'higher');
    expect(result.baseline).toMatchObject({ year: 2016.5, value: 50 });
    expect(result.latest).toMatchObject({ year: 2021.5, value: 60 });
    expect(result.baselineRule).toBe('from-2015');
    expect(result.cagr).toBeCloseTo(0.0371373, 6);
    expect(result.class).toBe('substantial');
  });

  it('ignores values before 2015 when two or more are from 2015 on', () => {
    // 2010 = 100 is ignored; 2015 = 40, 2020 = 30 → the worked example, r = 0.578125.
    const result = assessProgress([y(2010, 100), y(2015, 40), y(2020, 30)], 'lower', { year: 2030, value: 0 });
    expect(result.baseline?.value).toBe(40);
    expect(result.ratio).toBeCloseTo(0.578125, 9);
    expect(result.baselineRule).toBe('from-2015');
  });

  it('takes the earliest value as baseline when fewer than two are from 2015 on', () => {
    // 2010 = 50, 2018 = 40, lower. b = 2010.5, t = 2018.5, t − b = 8.
    // CAGR = 0.8^(1/8) − 1 = exp(−0.2231436/8) − 1 = exp(−0.0278929) − 1 = −0.0275075;
    // better direction: +0.0275075 ≥ 1.5 % → substantial.
    const result = assessProgress([y(2010, 50), y(2018, 40)], 'lower');
    expect(result.baselineRule).toBe('earliest');
    expect(result.baseline).toMatchObject({ year: 2010.5, value: 50 });
    expect(result.rate).toBeCloseTo(0.0275075, 6);
    expect(result.class).toBe('substantial');
    expect(result.note).toContain('earliest');
  });

  it('spans of years (decade data, as Los Angeles publishes)', () => {
    // 1990-1999 → 1995.0; 2000-2009 → 2004.9986; 2010-2017 → 2014.0 (see periodMidYear).
    // No two values from 2015 on → baseline = earliest: b = 1995.0 (100), t = 2014.0 (70), t − b = 19.
    // CAGR = 0.7^(1/19) − 1 = exp(−0.3566749/19) − 1 = exp(−0.0187724) − 1 = −0.0185973;
    // lower is better: +0.0185973 ≥ 1.5 % → substantial.
    // v2030 (at 2030.5, horizon 16.5): 70 · 0.7^(16.5/19) = 70 · exp(−0.3566749 · 0.8684211)
    //       = 70 · exp(−0.3097440) = 70 · 0.7336347 = 51.35443.
    const points: ProgressPoint[] = [
      { start: '1990-01-01', end: '1999-12-31', value: 100 },
      { start: '2000-01-01', end: '2009-12-31', value: 80 },
      { start: '2010-01-01', end: '2017-12-31', value: 70 },
    ];
    const result = assessProgress(points, 'lower');
    expect(result.baselineRule).toBe('earliest');
    expect(result.baseline?.year).toBe(1995);
    expect(result.latest?.year).toBe(2014);
    expect(result.cagr).toBeCloseTo(-0.0185973, 6);
    expect(result.class).toBe('substantial');
    expect(result.projected2030).toBeCloseTo(51.35443, 4);
  });

  it('same-year duplicates: keeps the one that ends last, then the later in the input', () => {
    // 2020 has a Q2 value (33, ends 06-30) and an annual value (30, ends 12-31): the annual one
    // is kept, whatever the input order → the worked example again, r = 0.578125.
    const points: ProgressPoint[] = [y(2020, 30), { start: '2020-04-01', end: '2020-06-30', value: 33 }, y(2015, 40)];
    const result = assessProgress(points, 'lower', { year: 2030, value: 0 });
    expect(result.latest).toMatchObject({ year: 2020.5, value: 30 });
    expect(result.ratio).toBeCloseTo(0.578125, 9);
    // Two annual values for 2020: the later in the input (31) is kept.
    const tie = assessProgress([y(2015, 40), y(2020, 30), y(2020, 31)], 'lower', { year: 2030, value: 0 });
    expect(tie.latest?.value).toBe(31);
  });

  it('quarterly data: one value per year, the last quarter', () => {
    // Q1–Q4 2015 and Q1–Q4 2020 → Q4 2015 (40) and Q4 2020 (30) remain. Q4 has 92 days, its
    // middle is 46 days in: b = 2015 + (273 + 46)/365 = 2015.87397, t = 2020 + (274 + 46)/366
    // = 2020.87432 (1 October is day 273 of 2015, 274 of 2020), so t − b = 5.00035 and
    // 2030.5 − t = 9.62568: v2030 ≈ 30 · 0.75^(9.62568/5.00035) = 30 · 0.75^1.92500 ≈ 17.24;
    // r ≈ (17.24 − 40)/(0 − 40) ≈ 0.569 → moderate.
    const quarter = (year: number, q: number, value: number): ProgressPoint => {
      const months = [
        ['01-01', '03-31'],
        ['04-01', '06-30'],
        ['07-01', '09-30'],
        ['10-01', '12-31'],
      ] as const;
      const [from, to] = months[q - 1] ?? ['01-01', '03-31'];
      return { start: `${year}-${from}`, end: `${year}-${to}`, value };
    };
    const points = [1, 2, 3, 4].flatMap((q) => [quarter(2015, q, 50 - q * 2.5), quarter(2020, q, 40 - q * 2.5)]);
    const result = assessProgress(points, 'lower', { year: 2030, value: 0 });
    expect(result.baseline?.value).toBe(40);
    expect(result.latest?.value).toBe(30);
    expect(result.class).toBe('moderate');
  });
});
