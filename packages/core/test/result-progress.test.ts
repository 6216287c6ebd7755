import { describe, expect, it } from 'vitest';
import { type MeasureInput, measureProgress, type ResultNode, rollUp } from '../src/index.ts';

/** The worked examples of docs/methods/results.md, computed by hand. */
const m = (
  baseline: [number, number] | null,
  target: [number, number] | null,
  actual: [number, number] | null,
  ascending = true,
  weight?: number,
): MeasureInput => ({
  ascending,
  weight,
  baseline: baseline && { year: baseline[0], value: baseline[1] },
  target: target && { year: target[0], value: target[1] },
  actual: actual && { year: actual[0], value: actual[1] },
});

describe('progress of a measure', () => {
  it('example 1: a rising indicator part of the way, on track', () => {
    // Baseline 2015: 40 %, target 2030: 70 %, actual 2024: 58 %. (58 − 40) / (70 − 40) = 18 / 30 = 0.6.
    // Expected in 2024: 40 + 30 × 9/15 = 58 → on track (exactly on the line).
    expect(measureProgress(m([2015, 40], [2030, 70], [2024, 58]))).toEqual({
      progress: 0.6,
      expected: 58,
      status: 'on-track',
    });
  });

  it('example 2: halve the homicide rate by 2030 from 2015 (a falling indicator), off track', () => {
    // Baseline 2015: 8 per 100 000, target 2030: 4, actual 2025: 7. (7 − 8) / (4 − 8) = 0.25.
    // Expected in 2025: 8 − 4 × 10/15 = 5.333… → 7 is worse → off track.
    const r = measureProgress(m([2015, 8], [2030, 4], [2025, 7], false));
    expect(r.progress).toBeCloseTo(0.25, 12);
    expect(r.expected).toBeCloseTo(16 / 3, 12);
    expect(r.status).toBe('off-track');
  });

  it('example 3: the wrong way counts 0, beyond the target counts 1', () => {
    expect(measureProgress(m([2015, 8], [2030, 4], [2025, 9], false)).progress).toBe(0);
    expect(measureProgress(m([2015, 8], [2030, 4], [2025, 3], false))).toMatchObject({
      progress: 1,
      status: 'achieved',
    });
  });

  it('example 4: holding a level (target = baseline)', () => {
    expect(measureProgress(m([2020, 100], [2030, 100], [2024, 101])).progress).toBe(1);
    expect(measureProgress(m([2020, 100], [2030, 100], [2024, 99])).progress).toBe(0);
  });

  it('has no progress without a baseline and target, or without an actual', () => {
    expect(measureProgress(m(null, [2030, 1], [2024, 1])).status).toBe('no-target');
    expect(measureProgress(m([2015, 1], [2030, 2], null))).toEqual({
      progress: null,
      expected: null,
      status: 'no-data',
    });
  });
});

describe('roll-up by weight', () => {
  it('example 5: an outcome with two outputs weighted 2 and 1, one activity without data', () => {
    // Output A (weight 2): one measure at 0.6. Output B (weight 1): measures 0.25 and 1 → 0.625.
    // Outcome: (2 × 0.6 + 1 × 0.625) / 3 = 1.825 / 3 = 0.608333…; the activity (weight 1, no data) is left out:
    // coverage 3 / 4.
    const tree: ResultNode = {
      id: 'outcome',
      level: 'outcome',
      measures: [],
      children: [
        { id: 'A', level: 'output', weight: 2, measures: [m([2015, 40], [2030, 70], [2024, 58])], children: [] },
        {
          id: 'B',
          level: 'output',
          weight: 1,
          measures: [m([2015, 8], [2030, 4], [2025, 7], false), m([2015, 8], [2030, 4], [2025, 3], false)],
          children: [],
        },
        { id: 'C', level: 'activity', measures: [m([2015, 1], [2030, 2], null)], children: [] },
      ],
    };
    const r = rollUp(tree);
    expect(r.children.map((c) => c.progress)).toEqual([0.6, 0.625, null]);
    expect(r.progress).toBeCloseTo(1.825 / 3, 12);
    expect(r.coverage).toBe(0.75);
  });

  it("example 6: a result's own measure counts beside its children", () => {
    // Impact measure 0.5 (weight 1) and one outcome at 0.8 (weight 3): (0.5 + 3 × 0.8) / 4 = 0.725.
    const tree: ResultNode = {
      id: 'impact',
      level: 'impact',
      measures: [m([2020, 0], [2030, 10], [2025, 5])],
      children: [
        { id: 'o', level: 'outcome', weight: 3, measures: [m([2020, 0], [2030, 10], [2025, 8])], children: [] },
      ],
    };
    expect(rollUp(tree).progress).toBeCloseTo(0.725, 12);
    expect(rollUp(tree).coverage).toBe(1);
  });

  it('has no progress when nothing has data, and ignores zero weights', () => {
    expect(rollUp({ id: 'x', level: 'output', measures: [m([2015, 1], [2030, 2], null)], children: [] })).toMatchObject(
      { progress: null, coverage: 0 },
    );
    const zero = rollUp({
      id: 'y',
      level: 'output',
      measures: [m([2020, 0], [2030, 10], [2025, 10], true, 0), m([2020, 0], [2030, 10], [2025, 2])],
      children: [],
    });
    expect(zero.progress).toBeCloseTo(0.2, 12);
  });
});
