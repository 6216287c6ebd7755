import { describe, expect, it } from 'vitest';
import {
  citiesWithLessViolence,
  compareWithBase,
  countriesImproved,
  type Margins,
  measureYears,
  populationConcerned,
  type SafetySeries,
  urbanViolenceChange,
  type YearValue,
} from '../src/index.ts';

/** The worked examples of docs/methods/results.md ("The 2030 targets of seed 000"), counted by hand. */
const s = (place: string, indicator: string, values: [number, number][], ascending = false): SafetySeries => ({
  place,
  indicator,
  ascending,
  values: values.map(([year, value]) => ({ year, value })),
});

describe('a value compared with its base (example 8)', () => {
  it('2015 8.0 → 2024 7.5 with a 5 % margin: better by 0.5 > 0.4, change −6.25 %', () => {
    const c = compareWithBase(
      s('A', '16.1.1', [
        [2015, 8],
        [2020, 7],
        [2024, 7.5],
      ]),
      2015,
      0.05,
    )!;
    expect(c.base).toEqual({ year: 2015, value: 8 });
    expect(c.latest).toEqual({ year: 2024, value: 7.5 });
    expect(c.change).toBeCloseTo(-0.0625, 12);
    expect(c.judgement).toBe('better');
  });
  it('2015 8.0 → 2024 7.7: a fall of 0.3 is within the margin of 0.4: unchanged', () => {
    expect(
      compareWithBase(
        s('A', '16.1.1', [
          [2015, 8],
          [2024, 7.7],
        ]),
        2015,
        0.05,
      )!.judgement,
    ).toBe('unchanged');
  });
  it('no 2015 value: the first value is the base; 2017 10 → 2023 11 is worse', () => {
    const c = compareWithBase(
      s('A', '16.1.1', [
        [2023, 11],
        [2017, 10],
      ]),
      2015,
      0.05,
    )!;
    expect(c.base).toEqual({ year: 2017, value: 10 });
    expect(c.change).toBeCloseTo(0.1, 12);
    expect(c.judgement).toBe('worse');
  });
  it('a higher-is-better indicator: 50 → 53 is better, 50 → 51 is within 2.5', () => {
    expect(
      compareWithBase(
        s(
          'A',
          '16.1.4',
          [
            [2015, 50],
            [2024, 53],
          ],
          true,
        ),
        2015,
        0.05,
      )!.judgement,
    ).toBe('better');
    expect(
      compareWithBase(
        s(
          'A',
          '16.1.4',
          [
            [2015, 50],
            [2024, 51],
          ],
          true,
        ),
        2015,
        0.05,
      )!.judgement,
    ).toBe('unchanged');
  });
  it('a single value, or none later than the base, gives no comparison', () => {
    expect(compareWithBase(s('A', '16.1.1', [[2020, 3]]), 2015, 0.05)).toBeNull();
    expect(
      compareWithBase(
        s('A', '16.1.1', [
          [2012, 3],
          [2015, 4],
        ]),
        2015,
        0.05,
      ),
    ).toBeNull();
  });
});

describe('the change in urban violence (example 9)', () => {
  const series = [
    s('A', '16.1.1', [
      [2015, 8],
      [2024, 6],
    ]), // −25 %
    s('A', 'USM-CV-01', [
      [2015, 200],
      [2023, 170],
    ]), // −15 %
    s('B', '16.1.1', [
      [2015, 5],
      [2022, 4.5],
    ]), // −10 %
    s('C', '16.1.1', [[2020, 3]]), // one value
    s('D', 'USM-CV-02', [
      [2015, 0],
      [2020, 2],
    ]), // base 0
    s('OUT', '16.1.1', [
      [2015, 9],
      [2024, 1],
    ]), // not a participating city
  ];
  it('city A −20 %, city B −10 %: −15 % in 2024; progress 0.3 toward −50 %, expected −30 %: off track', () => {
    const r = urbanViolenceChange(['A', 'B', 'C', 'D'], series);
    expect(r.cities.map((c) => [c.place, Number(c.change.toFixed(10))])).toEqual([
      ['A', -0.2],
      ['B', -0.1],
    ]);
    expect(r.change).toBeCloseTo(-0.15, 12);
    expect(r.year).toBe(2024);
    expect(r.left).toEqual([
      { place: 'C', indicator: '16.1.1', reason: 'single-value' },
      { place: 'D', indicator: 'USM-CV-02', reason: 'base-zero' },
    ]);
    expect(r.progress.progress).toBeCloseTo(0.3, 12);
    expect(r.progress.expected).toBeCloseTo(-0.3, 12);
    expect(r.progress.status).toBe('off-track');
  });
  it('no city with data: no figure', () => {
    const r = urbanViolenceChange(['C'], series);
    expect(r).toMatchObject({ change: null, year: null, cities: [] });
    expect(r.progress.status).toBe('no-data');
  });
});

describe('cities with less crime and violence (example 10)', () => {
  const series = [
    s('A', '16.1.1', [
      [2015, 8],
      [2024, 6],
    ]),
    s('A', 'USM-CV-01', [
      [2015, 200],
      [2023, 170],
    ]),
    s('B', '16.1.1', [
      [2015, 5],
      [2022, 4.5],
    ]),
    s('C', '16.1.1', [[2020, 3]]),
    s('E', '16.1.1', [
      [2015, 10],
      [2024, 8],
    ]),
    s('E', 'USM-CV-01', [
      [2015, 100],
      [2024, 120],
    ]),
  ];
  const cities = ['A', 'B', 'C', 'E'];
  it('16.1.1 with a 10 % margin: A only (B fell by 0.5, not more than 0.5; E is worse on robberies)', () => {
    const margins: Margins = { defaultMargin: 0.05, byIndicator: { '16.1.1': 0.1 } };
    const r = citiesWithLessViolence(cities, series, { margins });
    expect(r.count).toBe(1);
    expect(r.cities.filter((c) => c.counted).map((c) => c.place)).toEqual(['A']);
    expect(r.cities.find((c) => c.place === 'B')!.unchanged.map((c) => c.indicator)).toEqual(['16.1.1']);
    expect(r.cities.find((c) => c.place === 'E')!.worse.map((c) => c.indicator)).toEqual(['USM-CV-01']);
    expect(r.withoutData).toEqual(['C']);
  });
  it('with the default 5 % margin B counts too: 2', () => {
    expect(
      citiesWithLessViolence(cities, series)
        .cities.filter((c) => c.counted)
        .map((c) => c.place),
    ).toEqual(['A', 'B']);
  });
});

describe('countries with a measurable improvement and the people concerned (example 11)', () => {
  const series = [
    s('X', '16.1.1', [
      [2015, 6],
      [2024, 5],
    ]),
    s('Y1', '16.1.1', [
      [2015, 4],
      [2024, 3],
    ]),
    s('Y2', '16.1.1', [
      [2015, 4],
      [2024, 5],
    ]),
    s('Y3', '16.1.1', [
      [2016, 2],
      [2023, 1.5],
    ]),
    s('Z1', '16.1.1', [
      [2015, 4],
      [2024, 3],
    ]),
    s('Z2', '16.1.1', [
      [2015, 4],
      [2024, 4.5],
    ]),
    s(
      'Z',
      '16.1.4',
      [
        [2015, 50],
        [2024, 51],
      ],
      true,
    ),
  ];
  const countries = [
    { place: 'X', cities: [] },
    { place: 'Y', cities: ['Y1', 'Y2', 'Y3'] },
    { place: 'Z', cities: ['Z1', 'Z2'] },
    { place: 'W', cities: ['W1'] },
  ];
  const improved = countriesImproved(countries, series);
  it('X at national level, Y in 2 of its 3 cities; not Z (1 of 2 cities, 16.1.4 within its margin); W has no data', () => {
    expect(improved.count).toBe(2);
    expect(improved.countries.map((c) => [c.place, c.counted])).toEqual([
      ['X', true],
      ['Y', true],
      ['Z', false],
    ]);
    expect(improved.countries.find((c) => c.place === 'X')!.indicators[0]!.improved).toBe('national');
    expect(improved.countries.find((c) => c.place === 'Y')!.indicators[0]).toMatchObject({
      improved: 'cities',
      citiesWithData: ['Y1', 'Y2', 'Y3'],
      citiesBetter: ['Y1', 'Y3'],
    });
    expect(improved.countries.find((c) => c.place === 'Z')!.indicators.map((i) => [i.indicator, i.improved])).toEqual([
      ['16.1.1', null],
      ['16.1.4', null],
    ]);
    expect(improved.withoutData).toEqual(['W']);
  });
  it('people concerned: X 30 000 000 + Y1 1 200 000; Y3 has no population', () => {
    const pop: Record<string, YearValue> = {
      X: { year: 2024, value: 30_000_000 },
      Y1: { year: 2023, value: 1_200_000 },
      Z: { year: 2024, value: 5_000_000 },
    };
    const r = populationConcerned(improved, (p) => pop[p] ?? null);
    expect(r.total).toBe(31_200_000);
    expect(r.places.map((p) => [p.place, p.basis])).toEqual([
      ['X', 'country'],
      ['Y1', 'cities'],
      ['Y3', 'cities'],
    ]);
    expect(r.missing).toEqual(['Y3']);
  });
});

describe('a measure of a catalogue indicator at several places (example 7)', () => {
  const values = [
    { place: 'A', year: 2015, value: 10 },
    { place: 'B', year: 2015, value: 20 },
    { place: 'A', year: 2016, value: 12 },
    { place: 'A', year: 2017, value: 14 },
    { place: 'B', year: 2017, value: null },
    { place: 'A', year: 2018, value: 16 },
    { place: 'B', year: 2018, value: 24 },
    { place: 'C', year: 2018, value: 99 },
  ];
  it('only the years in which every place has a public value: 2015 and 2018', () => {
    expect(measureYears(['A', 'B'], values, 'sum')).toEqual([
      { year: 2015, value: 30 },
      { year: 2018, value: 40 },
    ]);
    expect(measureYears(['A', 'B'], values, 'mean')).toEqual([
      { year: 2015, value: 15 },
      { year: 2018, value: 20 },
    ]);
    expect(measureYears(['A'], values, 'mean').map((y) => y.year)).toEqual([2015, 2016, 2017, 2018]);
    expect(measureYears([], values, 'sum')).toEqual([]);
  });
});
