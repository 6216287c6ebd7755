/**
 * The yearly values of a measure of a result that is an indicator of the catalogue, taken from
 * its observations at one or more places (docs/methods/results.md, "Actual values"). Pure.
 */

/** A yearly value of one place; `value` null when it is withheld from the public (suppressed). */
export interface PlaceYearValue {
  place: string;
  year: number;
  value: number | null;
}

export type Aggregation = 'sum' | 'mean';

export interface MeasureYear {
  year: number;
  value: number;
}

/**
 * The measure's value per year: for each year in which every place of the measure has a value
 * that may be shown to the public, the sum or the unweighted mean of those values. A year in
 * which a place has no value, or only a withheld one, gives no value, so that a figure is never
 * made of some places one year and others another. Years in ascending order.
 */
export function measureYears(
  places: readonly string[],
  values: readonly PlaceYearValue[],
  aggregation: Aggregation,
): MeasureYear[] {
  if (!places.length) return [];
  const wanted = new Set(places);
  const byYear = new Map<number, Map<string, number | null>>();
  for (const v of values) {
    if (!wanted.has(v.place)) continue;
    let m = byYear.get(v.year);
    if (!m) {
      m = new Map();
      byYear.set(v.year, m);
    }
    m.set(v.place, v.value);
  }
  const out: MeasureYear[] = [];
  for (const [year, m] of [...byYear].sort((a, b) => a[0] - b[0])) {
    const vals = places.map((p) => m.get(p));
    if (vals.some((v) => v === undefined || v === null)) continue;
    const sum = (vals as number[]).reduce((s, v) => s + v, 0);
    out.push({ year, value: aggregation === 'sum' ? sum : sum / vals.length });
  }
  return out;
}

/** The value of a year, if there is one. */
export function valueOfYear(years: readonly MeasureYear[], year: number): MeasureYear | null {
  return years.find((y) => y.year === year) ?? null;
}

/** The last of a list of yearly values (the latest actual, or the last target). */
export function lastOf<T extends { year: number }>(items: readonly T[]): T | null {
  let last: T | null = null;
  for (const i of items) if (!last || i.year > last.year) last = i;
  return last;
}
