import {
  type Comparison,
  type ComparisonView,
  citiesWithLessViolence,
  countriesImproved,
  type Figures2030,
  type Margins,
  populationConcerned,
  type SafetySeries,
  type SourceView,
  TARGET_2030,
  urbanViolenceChange,
} from '@marsad/core';
import type { Names, Schema } from '@marsad/db';
import { type Kysely, sql } from 'kysely';
import { pick } from '../http/pagination.ts';
import { approvedYearlyEnds, type ObservedValue } from './observed-values.ts';

/**
 * The 2030 targets of seed 000 (§4 (e), (g), (h)) for one programme, computed from the data
 * (docs/methods/results.md, "The 2030 targets of seed 000"). The arithmetic is in core
 * (results/targets-2030.ts); this module chooses the places and the values:
 *
 * - participating places: the places recorded for the programme (programme_places, any role);
 *   participating countries are the recorded countries and the countries of recorded places;
 *   participating cities are the recorded cities and every city under a recorded country or
 *   region;
 * - crime and violence indicators: the indicators of the framework urban-safety, group
 *   crime-violence, where lower is better (16.1.1 and the matrix's USM-CV-*); safety indicators:
 *   every indicator of urban-safety with a better direction (for the countries);
 * - values: each indicator's default series, totals, yearly, approved, not withheld from the
 *   public; population: the latest such value of POP.
 */

export type { ComparisonView, Figures2030 } from '@marsad/core';

export interface PlaceRef {
  id: number;
  code: string;
  level: string;
  names: Names;
}

export interface Participation {
  recorded: (PlaceRef & { role: string })[];
  countries: PlaceRef[];
  cities: (PlaceRef & { country: string | null })[];
}

export async function participatingPlaces(db: Kysely<Schema>, programmeId: number): Promise<Participation> {
  const recorded = await db
    .selectFrom('programme_places as pp')
    .innerJoin('places as p', 'p.id', 'pp.place_id')
    .where('pp.programme_id', '=', programmeId)
    .select(['p.id', 'p.code', 'p.level', 'p.names', 'p.path', 'pp.role'])
    .orderBy('p.code')
    .execute();
  if (!recorded.length) return { recorded: [], countries: [], cities: [] };
  const under = recorded.filter((r) => r.level === 'country' || r.level === 'region').map((r) => `${r.path}%`);
  const cityIds = recorded.filter((r) => r.level === 'city').map((r) => r.id);
  const recordedIds = recorded.map((r) => r.id);
  // Cities (recorded, or under a recorded country or region) and the country above every recorded place and city.
  const rows = await sql<{
    id: number;
    code: string;
    level: string;
    names: Names;
    kind: 'city' | 'country';
    country: string | null;
  }>`
    WITH cities AS (
      SELECT c.id FROM places c
       WHERE c.level = 'city' AND (c.id = ANY(${cityIds}::int[]) OR c.path LIKE ANY(${under}::text[]))
    ), anchors AS (
      SELECT id FROM cities UNION SELECT unnest(${recordedIds}::int[])
    )
    SELECT p.id, p.code, p.level, p.names, 'city' AS kind,
           (SELECT k.code FROM places k WHERE k.level = 'country' AND p.path LIKE k.path || '%' ORDER BY length(k.path) LIMIT 1) AS country
      FROM places p WHERE p.id IN (SELECT id FROM cities)
    UNION ALL
    SELECT DISTINCT k.id, k.code, k.level, k.names, 'country' AS kind, NULL AS country
      FROM anchors a JOIN places p ON p.id = a.id JOIN places k ON k.level = 'country' AND p.path LIKE k.path || '%'
  `.execute(db);
  const byCode = (a: { code: string }, b: { code: string }) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
  return {
    recorded: recorded.map(({ path: _path, ...r }) => r),
    countries: rows.rows
      .filter((r) => r.kind === 'country')
      .map(({ id, code, level, names }) => ({ id, code, level, names }))
      .sort(byCode),
    cities: rows.rows
      .filter((r) => r.kind === 'city')
      .map(({ id, code, level, names, country }) => ({ id, code, level, names, country }))
      .sort(byCode),
  };
}

interface SafetyIndicator {
  id: number;
  code: string;
  names: Names;
  direction: 'higher' | 'lower';
  group: string | null;
  seriesId: number;
}

async function safetyIndicators(db: Kysely<Schema>): Promise<SafetyIndicator[]> {
  const rows = await sql<SafetyIndicator>`
    SELECT i.id, i.code, i.names, i.direction, g.code AS "group",
           (SELECT s.id FROM series s WHERE s.indicator_id = i.id ORDER BY s.is_default DESC, s.id LIMIT 1) AS "seriesId"
      FROM indicators i
      JOIN indicator_frameworks m ON m.indicator_id = i.id
      JOIN frameworks f ON f.id = m.framework_id AND f.code = 'urban-safety'
      LEFT JOIN framework_groups g ON g.id = m.group_id
     WHERE i.direction IN ('higher', 'lower') AND i.status <> 'retired'
     ORDER BY i.code
  `.execute(db);
  return rows.rows.filter((r) => r.seriesId !== null);
}

/** Up to this many cities of a country taking part, its figure lists each city's comparison (issue 17). */
export const CITIES_LISTED = 30;

const pct = (x: number | null) => (x === null ? null : Math.round(x * 1e8) / 1e6);

/** Computes the four figures of the 2030 targets for a programme's participating places. */
export async function compute2030(
  db: Kysely<Schema>,
  programmeId: number,
  margins: Margins,
  lang?: string,
): Promise<Figures2030> {
  const [participation, indicators, popSeries] = await Promise.all([
    participatingPlaces(db, programmeId),
    safetyIndicators(db),
    db
      .selectFrom('series as s')
      .innerJoin('indicators as i', 'i.id', 's.indicator_id')
      .where('i.code', '=', 'POP')
      .select('s.id')
      .orderBy('s.is_default', 'desc')
      .orderBy('s.id')
      .executeTakeFirst(),
  ]);
  const names = new Map<string, Names>();
  for (const p of [...participation.recorded, ...participation.countries, ...participation.cities])
    names.set(p.code, p.names);
  const nameOf = (code: string) => pick(names.get(code), lang);
  const placeIds = [...new Set([...participation.countries, ...participation.cities].map((p) => p.id))];
  const seriesIds = indicators.map((i) => i.seriesId);
  const [values, popValues] = await Promise.all([
    // A comparison reads the first, the baseline year's and the latest value; the population its latest.
    approvedYearlyEnds(db, seriesIds, placeIds, TARGET_2030.baselineYear),
    popSeries
      ? approvedYearlyEnds(db, [popSeries.id], placeIds, TARGET_2030.baselineYear)
      : Promise.resolve([] as ObservedValue[]),
  ]);

  const indicatorOfSeries = new Map(indicators.map((i) => [i.seriesId, i]));
  const sourceAt = new Map<string, SourceView | null>();
  const grouped = new Map<string, SafetySeries>();
  for (const v of values) {
    const ind = indicatorOfSeries.get(v.seriesId);
    if (!ind || v.value === null) continue;
    const key = `${v.place}|${ind.code}`;
    let s = grouped.get(key);
    if (!s) {
      s = { place: v.place, indicator: ind.code, ascending: ind.direction === 'higher', values: [] };
      grouped.set(key, s);
    }
    s.values.push({ year: v.year, value: v.value });
    sourceAt.set(`${key}|${v.year}`, v.source);
  }
  const allSeries = [...grouped.values()];
  const crimeCodes = new Set(
    indicators.filter((i) => i.group === 'crime-violence' && i.direction === 'lower').map((i) => i.code),
  );
  const crimeSeries = allSeries.filter((s) => crimeCodes.has(s.indicator));
  const cityCodes = participation.cities.map((c) => c.code);

  /** The sources of these comparisons' base and latest values, each once (by name). */
  const sourcesOf = (cs: Comparison[]) => {
    const byName = new Map<string, SourceView>();
    for (const c of cs)
      for (const year of [c.base.year, c.latest.year]) {
        const s = sourceAt.get(`${c.place}|${c.indicator}|${year}`);
        if (s && !byName.has(s.name)) byName.set(s.name, s);
      }
    return [...byName.values()];
  };
  const view = (c: Comparison): ComparisonView => ({
    place: c.place,
    indicator: c.indicator,
    base: c.base,
    latest: c.latest,
    changePercent: pct(c.change),
    marginPercent: pct(c.margin)!,
    judgement: c.judgement,
    sources: sourcesOf([c]),
  });
  // A country of many cities taking part gives each indicator's count of cities compared and better, not every
  // city's comparison: at 520 cities and 30 indicators, those made 5 MB of a 6.8 MB answer (the cities' comparisons
  // on the crime indicators stay in the two figures above).
  const citiesOf = new Map<string, number>();
  for (const c of participation.cities) if (c.country) citiesOf.set(c.country, (citiesOf.get(c.country) ?? 0) + 1);
  const listsCities = (country: string) => (citiesOf.get(country) ?? 0) <= CITIES_LISTED;
  const latestYear = (cs: Comparison[]) => (cs.length ? Math.max(...cs.map((c) => c.latest.year)) : null);

  const change = urbanViolenceChange(cityCodes, crimeSeries, { margins });
  const less = citiesWithLessViolence(cityCodes, crimeSeries, { margins });
  const countries = countriesImproved(
    participation.countries.map((k) => ({
      place: k.code,
      cities: participation.cities.filter((c) => c.country === k.code).map((c) => c.code),
    })),
    allSeries,
    { margins },
  );
  const latestPop = new Map<string, ObservedValue>();
  for (const v of popValues) if (v.value !== null) latestPop.set(v.place, v); // ordered by period: the last one stays
  const people = populationConcerned(countries, (place) => {
    const v = latestPop.get(place);
    return v ? { year: v.year, value: v.value! } : null;
  });
  const lessComparisons = less.cities.flatMap((c) => [...c.better, ...c.worse, ...c.unchanged]);
  const countryComparisons = countries.countries.flatMap((c) =>
    c.indicators.flatMap((i) => [...(i.national ? [i.national] : []), ...i.cityComparisons]),
  );
  return {
    definitions: {
      baselineYear: TARGET_2030.baselineYear,
      targetYear: TARGET_2030.targetYear,
      targets: {
        urbanViolenceChangePercent: TARGET_2030.change * 100,
        cities: TARGET_2030.cities,
        countries: TARGET_2030.countries,
        population: TARGET_2030.population,
      },
    },
    margins,
    participating: {
      recorded: participation.recorded.map((r) => ({
        place: r.code,
        name: nameOf(r.code),
        level: r.level,
        role: r.role,
      })),
      countries: participation.countries.map((c) => ({ place: c.code, name: nameOf(c.code) })),
      cities: participation.cities.map((c) => ({ place: c.code, name: nameOf(c.code), country: c.country })),
    },
    indicators: {
      crimeAndViolence: indicators
        .filter((i) => crimeCodes.has(i.code))
        .map((i) => ({ code: i.code, name: pick(i.names, lang) })),
      safety: indicators.map((i) => ({ code: i.code, name: pick(i.names, lang), direction: i.direction })),
    },
    urbanViolenceChange: {
      valuePercent: pct(change.change),
      year: change.year,
      targetPercent: TARGET_2030.change * 100,
      progress: change.progress.progress,
      expectedPercent: pct(change.progress.expected),
      status: change.progress.status,
      cities: change.cities.map((c) => ({
        place: c.place,
        name: nameOf(c.place),
        changePercent: pct(c.change)!,
        indicators: c.comparisons.map(view),
      })),
      left: change.left,
    },
    citiesWithLessViolence: {
      count: less.count,
      target: TARGET_2030.cities,
      year: latestYear(lessComparisons),
      cities: less.cities.map((c) => ({
        place: c.place,
        name: nameOf(c.place),
        counted: c.counted,
        better: c.better.map(view),
        worse: c.worse.map(view),
        unchanged: c.unchanged.map(view),
      })),
      withoutData: less.withoutData.map((p) => ({ place: p, name: nameOf(p) })),
    },
    countriesImproved: {
      count: countries.count,
      target: TARGET_2030.countries,
      year: latestYear(countryComparisons),
      countries: countries.countries.map((c) => ({
        place: c.place,
        name: nameOf(c.place),
        counted: c.counted,
        indicators: c.indicators.map((i) => ({
          indicator: i.indicator,
          improved: i.improved,
          national: i.national ? view(i.national) : null,
          citiesCompared: i.cityComparisons.length,
          cities: listsCities(c.place) ? i.cityComparisons.map(view) : [],
          citiesBetter: i.citiesBetter,
        })),
        sources: sourcesOf(c.indicators.flatMap((i) => [...(i.national ? [i.national] : []), ...i.cityComparisons])),
      })),
      withoutData: countries.withoutData.map((p) => ({ place: p, name: nameOf(p) })),
    },
    populationConcerned: {
      total: people.total,
      target: TARGET_2030.population,
      year: people.places.some((p) => p.population)
        ? Math.max(...people.places.filter((p) => p.population).map((p) => p.population!.year))
        : null,
      places: people.places.map((p) => ({
        ...p,
        name: nameOf(p.place),
        source: latestPop.get(p.place)?.source ?? null,
      })),
      missing: people.missing,
    },
  };
}
