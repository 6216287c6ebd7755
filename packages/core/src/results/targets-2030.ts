/**
 * The 2030 targets of seed 000 (§4, result 3, (e), (g), (h)), computed from the data: the change
 * in urban violence against "halve by 2030", the cities with less crime and violence, the
 * countries with a measurable improvement and the people living where it was measured. Pure:
 * the server gathers the yearly values (approved, shown to the public) and calls these. The
 * definitions, with worked examples that the tests check, are in docs/methods/results.md.
 */
import { type MeasureProgress, measureProgress, type ProgressStatus } from './result-progress.ts';

export interface YearValue {
  year: number;
  value: number;
}

/** Halve urban violence by 2030 from 2015 (seed 000 §4 (e)). */
export const TARGET_2030 = {
  baselineYear: 2015,
  targetYear: 2030,
  change: -0.5,
  cities: 100,
  countries: 25,
  population: 100_000_000,
} as const;

/** The margin by which a value must change to count as a change, relative to the base value. */
export interface Margins {
  /** Applies to every indicator without its own margin; 0.05 = 5 %. */
  defaultMargin: number;
  /** Margins of single indicators, by indicator code. */
  byIndicator: Record<string, number>;
}
export const DEFAULT_MARGINS: Margins = { defaultMargin: 0.05, byIndicator: {} };

export function marginOf(m: Margins, indicator: string): number {
  return m.byIndicator[indicator] ?? m.defaultMargin;
}

/** The yearly values of one indicator at one place. */
export interface SafetySeries {
  place: string;
  indicator: string;
  /** true: a higher value is better; false: lower is better (violence, crime). */
  ascending: boolean;
  values: YearValue[];
}

export type Judgement = 'better' | 'worse' | 'unchanged';

/** The latest value of a series compared with its base value. */
export interface Comparison {
  place: string;
  indicator: string;
  base: YearValue;
  latest: YearValue;
  /** (latest − base) / base; null when the base is 0. */
  change: number | null;
  margin: number;
  judgement: Judgement;
}

/**
 * Compares the latest value with the base: the value of the baseline year if there is one, else
 * the first value. Null when there is no value later than the base. The latest value is better
 * when it moved the good way by more than `margin` × |base|, worse when it moved the bad way by
 * more than that, else unchanged.
 */
export function compareWithBase(s: SafetySeries, baselineYear: number, margin: number): Comparison | null {
  if (!s.values.length) return null;
  const sorted = [...s.values].sort((a, b) => a.year - b.year);
  const base = sorted.find((v) => v.year === baselineYear) ?? sorted[0]!;
  const latest = sorted[sorted.length - 1]!;
  if (latest.year <= base.year) return null;
  const diff = latest.value - base.value;
  const gain = s.ascending ? diff : -diff;
  const threshold = Math.abs(base.value) * margin;
  const judgement: Judgement = gain > threshold ? 'better' : gain < -threshold ? 'worse' : 'unchanged';
  return {
    place: s.place,
    indicator: s.indicator,
    base,
    latest,
    margin,
    judgement,
    change: base.value === 0 ? null : diff / base.value,
  };
}

export interface Options2030 {
  baselineYear?: number;
  margins?: Margins;
}

function comparisons(series: readonly SafetySeries[], places: ReadonlySet<string>, o: Options2030) {
  const baselineYear = o.baselineYear ?? TARGET_2030.baselineYear;
  const margins = o.margins ?? DEFAULT_MARGINS;
  const out: Comparison[] = [];
  const withoutLater: { place: string; indicator: string }[] = [];
  for (const s of series) {
    if (!places.has(s.place)) continue;
    const c = compareWithBase(s, baselineYear, marginOf(margins, s.indicator));
    if (c) out.push(c);
    else if (s.values.length) withoutLater.push({ place: s.place, indicator: s.indicator });
  }
  return { comparisons: out, withoutLater };
}

const byPlace = <T extends { place: string }>(items: readonly T[]) => {
  const m = new Map<string, T[]>();
  for (const i of items) m.set(i.place, [...(m.get(i.place) ?? []), i]);
  return m;
};

// ---- (e) the change in urban violence ------------------------------------------------------

export interface CityChange {
  place: string;
  change: number;
  comparisons: Comparison[];
}

export interface ViolenceChange {
  /** Mean over the cities of each city's mean relative change; null without data. −0.5 = halved. */
  change: number | null;
  /** The latest year of the values used. */
  year: number | null;
  cities: CityChange[];
  /** Values not used: a single value (nothing later to compare), or a base of 0 (no relative change). */
  left: { place: string; indicator: string; reason: 'single-value' | 'base-zero' }[];
  /** Progress toward halving by 2030 from the baseline year (core measureProgress). */
  progress: MeasureProgress;
}

/**
 * The change in urban violence across the cities: for each city and indicator of violence (lower
 * is better), the relative change from the base value to the latest; a city's change is the mean
 * over its indicators; the figure is the mean over the cities, each city counting once.
 */
export function urbanViolenceChange(
  cities: readonly string[],
  series: readonly SafetySeries[],
  o: Options2030 = {},
): ViolenceChange {
  const { comparisons: all, withoutLater } = comparisons(series, new Set(cities), o);
  const left: ViolenceChange['left'] = withoutLater.map((w) => ({ ...w, reason: 'single-value' as const }));
  const usable = all.filter((c) => {
    if (c.change === null) left.push({ place: c.place, indicator: c.indicator, reason: 'base-zero' });
    return c.change !== null;
  });
  const perCity: CityChange[] = [];
  for (const [place, cs] of byPlace(usable)) {
    perCity.push({ place, change: cs.reduce((s, c) => s + c.change!, 0) / cs.length, comparisons: cs });
  }
  perCity.sort((a, b) => (a.place < b.place ? -1 : a.place > b.place ? 1 : 0));
  const change = perCity.length ? perCity.reduce((s, c) => s + c.change, 0) / perCity.length : null;
  const year = usable.length ? Math.max(...usable.map((c) => c.latest.year)) : null;
  const baselineYear = o.baselineYear ?? TARGET_2030.baselineYear;
  const progress = measureProgress({
    ascending: false,
    baseline: { year: baselineYear, value: 0 },
    target: { year: TARGET_2030.targetYear, value: TARGET_2030.change },
    actual: change === null || year === null ? null : { year, value: change },
  });
  return { change, year, cities: perCity, left, progress };
}

// ---- (g) cities with less crime and violence -----------------------------------------------

export interface CityVerdict {
  place: string;
  counted: boolean;
  better: Comparison[];
  worse: Comparison[];
  unchanged: Comparison[];
}

export interface CitiesWithLessViolence {
  count: number;
  /** Every city with at least one comparison, counted or not. */
  cities: CityVerdict[];
  /** Cities without two values of any indicator. */
  withoutData: string[];
}

/**
 * A city has less crime and violence when at least one of its crime and violence indicators is
 * better than its base value by more than the indicator's margin and none is worse by more than
 * its margin.
 */
export function citiesWithLessViolence(
  cities: readonly string[],
  series: readonly SafetySeries[],
  o: Options2030 = {},
): CitiesWithLessViolence {
  const { comparisons: all } = comparisons(series, new Set(cities), o);
  const grouped = byPlace(all);
  const verdicts: CityVerdict[] = [];
  for (const place of [...new Set(cities)].sort()) {
    const cs = grouped.get(place);
    if (!cs) continue;
    const better = cs.filter((c) => c.judgement === 'better');
    const worse = cs.filter((c) => c.judgement === 'worse');
    const unchanged = cs.filter((c) => c.judgement === 'unchanged');
    verdicts.push({ place, counted: better.length > 0 && worse.length === 0, better, worse, unchanged });
  }
  return {
    count: verdicts.filter((v) => v.counted).length,
    cities: verdicts,
    withoutData: [...new Set(cities)].sort().filter((c) => !grouped.has(c)),
  };
}

// ---- (h) countries with a measurable improvement -------------------------------------------

export interface CountryInput {
  place: string;
  cities: readonly string[];
}

export interface IndicatorVerdict {
  indicator: string;
  national: Comparison | null;
  /** The comparisons of the country's cities for this indicator. */
  cityComparisons: Comparison[];
  /** Cities of the country with a comparison of this indicator, and those where it is better. */
  citiesWithData: string[];
  citiesBetter: string[];
  /** How this indicator improved: at national level, in most cities with data, or not. */
  improved: 'national' | 'cities' | null;
}

export interface CountryVerdict {
  place: string;
  counted: boolean;
  indicators: IndicatorVerdict[];
}

export interface CountriesImproved {
  count: number;
  countries: CountryVerdict[];
  withoutData: string[];
}

/**
 * A country has a measurable improvement when a safety indicator is better than its base value
 * by more than its margin at national level, or in more than half of the country's cities that
 * have a comparison of that indicator.
 */
export function countriesImproved(
  countries: readonly CountryInput[],
  series: readonly SafetySeries[],
  o: Options2030 = {},
): CountriesImproved {
  const places = new Set(countries.flatMap((c) => [c.place, ...c.cities]));
  const { comparisons: all } = comparisons(series, places, o);
  const verdicts: CountryVerdict[] = [];
  const withoutData: string[] = [];
  for (const country of [...countries].sort((a, b) => (a.place < b.place ? -1 : a.place > b.place ? 1 : 0))) {
    const cities = new Set(country.cities);
    const mine = all.filter((c) => c.place === country.place || cities.has(c.place));
    if (!mine.length) {
      withoutData.push(country.place);
      continue;
    }
    const indicators = [...new Set(mine.map((c) => c.indicator))].sort();
    const iv: IndicatorVerdict[] = indicators.map((indicator) => {
      const national = mine.find((c) => c.place === country.place && c.indicator === indicator) ?? null;
      const inCities = mine.filter((c) => c.place !== country.place && c.indicator === indicator);
      const citiesBetter = inCities
        .filter((c) => c.judgement === 'better')
        .map((c) => c.place)
        .sort();
      const improved =
        national?.judgement === 'better'
          ? ('national' as const)
          : inCities.length > 0 && citiesBetter.length * 2 > inCities.length
            ? ('cities' as const)
            : null;
      return {
        indicator,
        national,
        cityComparisons: inCities,
        citiesWithData: inCities.map((c) => c.place).sort(),
        citiesBetter,
        improved,
      };
    });
    verdicts.push({ place: country.place, counted: iv.some((v) => v.improved !== null), indicators: iv });
  }
  return { count: verdicts.filter((v) => v.counted).length, countries: verdicts, withoutData };
}

// ---- the people concerned ------------------------------------------------------------------

export interface PopulationPlace {
  place: string;
  country: string;
  basis: 'country' | 'cities';
  population: YearValue | null;
}

export interface PopulationConcerned {
  /** Sum of the populations known; places without a population are listed in `missing`. */
  total: number;
  places: PopulationPlace[];
  missing: string[];
}

/**
 * The people living where a measurable improvement was found: for each counted country, its
 * population when an indicator improved at national level, else the population of its cities
 * that were better on the indicators that improved in most cities. Each place's latest
 * population is used.
 */
export function populationConcerned(
  improved: CountriesImproved,
  population: (place: string) => YearValue | null,
): PopulationConcerned {
  const places: PopulationPlace[] = [];
  for (const c of improved.countries.filter((v) => v.counted)) {
    if (c.indicators.some((i) => i.improved === 'national')) {
      places.push({ place: c.place, country: c.place, basis: 'country', population: population(c.place) });
      continue;
    }
    const cities = new Set(c.indicators.filter((i) => i.improved === 'cities').flatMap((i) => i.citiesBetter));
    for (const city of [...cities].sort())
      places.push({ place: city, country: c.place, basis: 'cities', population: population(city) });
  }
  return {
    total: places.reduce((s, p) => s + (p.population?.value ?? 0), 0),
    places,
    missing: places.filter((p) => !p.population).map((p) => p.place),
  };
}

// ---- the figures as the API gives them ----------------------------------------------------------
// GET /api/v1/programmes/:code/targets-2030 and `targets2030` of a programme: built by the server
// (packages/server/src/results/targets-2030.ts), read by the programme pages of the web app.

/** A source of values as the API shows it. */
export interface SourceView {
  name: string;
  /** The name by language where Marsad has it (the demonstration's synthetic source); {} else. */
  names?: Record<string, string>;
  licence: string | null;
  synthetic: boolean;
}

/** A comparison of a place's latest value with its base, with percentages and the sources. */
export interface ComparisonView {
  place: string;
  indicator: string;
  base: YearValue;
  latest: YearValue;
  changePercent: number | null;
  marginPercent: number;
  judgement: Judgement;
  sources: SourceView[];
}

/** The four figures of the 2030 targets for a programme's participating places, with the places behind each. */
export interface Figures2030 {
  definitions: {
    baselineYear: number;
    targetYear: number;
    targets: { urbanViolenceChangePercent: number; cities: number; countries: number; population: number };
  };
  margins: Margins;
  participating: {
    recorded: { place: string; name: string | null; level: string; role: string }[];
    countries: { place: string; name: string | null }[];
    cities: { place: string; name: string | null; country: string | null }[];
  };
  indicators: {
    crimeAndViolence: { code: string; name: string | null }[];
    safety: { code: string; name: string | null; direction: string }[];
  };
  urbanViolenceChange: {
    /** Percent change (−50 = halved). */
    valuePercent: number | null;
    year: number | null;
    targetPercent: number;
    progress: number | null;
    expectedPercent: number | null;
    status: ProgressStatus;
    cities: { place: string; name: string | null; changePercent: number; indicators: ComparisonView[] }[];
    left: { place: string; indicator: string; reason: string }[];
  };
  citiesWithLessViolence: {
    count: number;
    target: number;
    year: number | null;
    cities: {
      place: string;
      name: string | null;
      counted: boolean;
      better: ComparisonView[];
      worse: ComparisonView[];
      unchanged: ComparisonView[];
    }[];
    withoutData: { place: string; name: string | null }[];
  };
  countriesImproved: {
    count: number;
    target: number;
    year: number | null;
    countries: {
      place: string;
      name: string | null;
      counted: boolean;
      indicators: {
        indicator: string;
        improved: 'national' | 'cities' | null;
        national: ComparisonView | null;
        /** How many of the country's cities were compared. */
        citiesCompared: number;
        /** Each city's comparison, for a country of few cities taking part (else empty: see each city's page). */
        cities: ComparisonView[];
        citiesBetter: string[];
      }[];
      /** The sources of every comparison of the country, national and of its cities, listed or not. */
      sources: SourceView[];
    }[];
    withoutData: { place: string; name: string | null }[];
  };
  populationConcerned: {
    total: number;
    target: number;
    year: number | null;
    places: {
      place: string;
      name: string | null;
      country: string;
      basis: 'country' | 'cities';
      population: YearValue | null;
      source: SourceView | null;
    }[];
    missing: string[];
  };
}
