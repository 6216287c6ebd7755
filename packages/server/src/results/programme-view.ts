import {
  lastOf,
  type MeasureInput,
  measureProgress,
  measureYears,
  type ProgressStatus,
  type ResultLevel,
  type ResultNode,
  type ResultProgress,
  rollUp,
  TARGET_2030,
  valueOfYear,
} from '@marsad/core';
import type { ComputedFormula, Names, ResultStatus, Schema } from '@marsad/db';
import { type Kysely, sql } from 'kysely';
import { HttpError } from '../http/errors.ts';
import { pick } from '../http/pagination.ts';
import type { SourceView } from '../web-api/web-api-common.ts';
import { readMargins } from './margins-settings.ts';
import { approvedYearlyValues, type ObservedValue } from './observed-values.ts';
import { compute2030, type Figures2030 } from './targets-2030.ts';

/**
 * A programme with its results tree, every measure's baseline, targets, actual values (with
 * their year, source and status) and progress, rolled up by weight (core results/
 * result-progress.ts; docs/methods/results.md). What the pages, the reports and the exports read.
 */

export const DEMONSTRATION_NOTE =
  'Demonstration data: the structure and names come from the seed documents; baselines, targets, actual values and budgets marked as demonstration were invented to show how Marsad works and are not real figures.';

export interface PlaceView {
  place: string;
  name: string | null;
  level: string;
}
export interface PartnerView {
  organisationId: number | null;
  name: string | null;
  names: Names;
}

export interface PlaceLatest extends PlaceView {
  latest: {
    year: number;
    value: number | null;
    suppressedBelow: number | null;
    status: string;
    source: SourceView | null;
  } | null;
}

export interface ActualView {
  year: number;
  value: number;
  /**
   * observations: approved values of the catalogue; entered: typed for a programme-specific indicator; computed: a 2030
   * figure.
   */
  from: 'observations' | 'entered' | 'computed';
  sources: SourceView[];
  /** The status of the values behind it (catalogue: always approved). */
  status: string | null;
  notes?: Names;
}

export interface MeasureView {
  id: number;
  kind: 'indicator' | 'specific' | 'computed';
  name: string | null;
  names: Names;
  definitions: Names;
  indicator: { code: string; name: string | null; names: Names } | null;
  series: { code: string; name: string | null } | null;
  formula: ComputedFormula | null;
  unit: string | null;
  unitNames: Names;
  measure: 'unit' | 'percentage';
  ascending: boolean;
  aggregation: 'sum' | 'mean' | null;
  weight: number;
  position: number;
  demonstration: boolean;
  places: PlaceLatest[];
  baseline: { year: number; value: number | null; from: 'entered' | 'observations' | 'definition' } | null;
  targets: { year: number; value: number; notes: Names }[];
  actuals: ActualView[];
  actual: ActualView | null;
  target: { year: number; value: number } | null;
  progress: number | null;
  expected: number | null;
  status: ProgressStatus;
}

export interface ResultView {
  id: number;
  parentId: number | null;
  level: ResultLevel;
  code: string | null;
  title: string | null;
  titles: Names;
  description: string | null;
  descriptions: Names;
  startDate: string | null;
  endDate: string | null;
  status: ResultStatus;
  weight: number;
  position: number;
  places: PlaceView[];
  partners: PartnerView[];
  pillars: string[];
  progress: number | null;
  coverage: number;
  measures: MeasureView[];
  children: ResultView[];
}

export interface ProgrammeView {
  code: string;
  name: string | null;
  names: Names;
  description: string | null;
  descriptions: Names;
  startYear: number;
  endYear: number;
  status: ResultStatus;
  reference: string | null;
  reportingOrg: { ref: string | null; type: string | null; name: string | null; names: Names };
  demonstration: boolean;
  demonstrationNote: string | null;
  pillars: {
    code: string;
    kind: string;
    name: string | null;
    names: Names;
    description: string | null;
    descriptions: Names;
    position: number;
  }[];
  places: (PlaceView & { role: string; sinceYear: number | null; notes: Names })[];
  partners: PartnerView[];
  progress: number | null;
  coverage: number;
  results: ResultView[];
  /** The 2030 figures, when a measure of the programme is one of them. */
  targets2030: Figures2030 | null;
}

export interface ProgrammeRow {
  id: number;
  code: string;
  names: Names;
  descriptions: Names;
  start_year: number;
  end_year: number;
  status: ResultStatus;
  reference: string | null;
  reporting_org: { ref?: string; type?: string; names?: Names };
  demo: boolean;
}

export async function findProgramme(db: Kysely<Schema>, code: string): Promise<ProgrammeRow> {
  const p = await db.selectFrom('programmes').selectAll().where('code', '=', code).executeTakeFirst();
  if (!p) throw new HttpError(404, 'not_found', `No programme with code "${code}".`);
  return p;
}

async function partnerNames(db: Kysely<Schema>, ids: number[]): Promise<Map<number, Names>> {
  if (!ids.length) return new Map();
  // partner_organisations belongs to the network (migration 007).
  const rows = await sql<{
    id: number;
    names: Names;
  }>`SELECT id, names FROM partner_organisations WHERE id = ANY(${ids}::int[])`.execute(db);
  return new Map(rows.rows.map((r) => [r.id, r.names]));
}

const uniqueSources = (list: (SourceView | null | undefined)[]) => {
  const out: SourceView[] = [];
  for (const s of list) if (s && !out.some((o) => o.name === s.name)) out.push(s);
  return out;
};

/** The programme's whole tree with computed progress. */
export async function programmeView(db: Kysely<Schema>, code: string, lang?: string): Promise<ProgrammeView> {
  const p = await findProgramme(db, code);
  const [pillars, places, partners, results, resultPlaces, resultPillars, measures] = await Promise.all([
    db
      .selectFrom('programme_pillars')
      .selectAll()
      .where('programme_id', '=', p.id)
      .orderBy('position')
      .orderBy('code')
      .execute(),
    db
      .selectFrom('programme_places as pp')
      .innerJoin('places as pl', 'pl.id', 'pp.place_id')
      .where('pp.programme_id', '=', p.id)
      .select(['pl.code', 'pl.names', 'pl.level', 'pp.role', 'pp.since_year', 'pp.notes'])
      .orderBy('pl.code')
      .execute(),
    db
      .selectFrom('programme_partners')
      .selectAll()
      .where('programme_id', '=', p.id)
      .orderBy('position')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('results')
      .selectAll()
      .select([
        sql<string | null>`to_char(start_date, 'YYYY-MM-DD')`.as('start'),
        sql<string | null>`to_char(end_date, 'YYYY-MM-DD')`.as('end'),
      ])
      .where('programme_id', '=', p.id)
      .orderBy('position')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('result_places as rp')
      .innerJoin('results as r', 'r.id', 'rp.result_id')
      .innerJoin('places as pl', 'pl.id', 'rp.place_id')
      .where('r.programme_id', '=', p.id)
      .select(['rp.result_id', 'pl.code', 'pl.names', 'pl.level'])
      .orderBy('pl.code')
      .execute(),
    db
      .selectFrom('result_pillars as rq')
      .innerJoin('programme_pillars as q', 'q.id', 'rq.pillar_id')
      .where('q.programme_id', '=', p.id)
      .select(['rq.result_id', 'q.code', 'q.position'])
      .orderBy('q.position')
      .execute(),
    db
      .selectFrom('result_measures as m')
      .innerJoin('results as r', 'r.id', 'm.result_id')
      .leftJoin('indicators as i', 'i.id', 'm.indicator_id')
      .leftJoin('series as s', 's.id', 'm.series_id')
      .where('r.programme_id', '=', p.id)
      .select([
        'm.id',
        'm.result_id',
        'm.kind',
        'm.indicator_id',
        'm.series_id',
        'm.aggregation',
        'm.formula',
        'm.names',
        'm.definitions',
        'm.unit_names',
        'm.measure',
        'm.ascending',
        'm.baseline_year',
        'm.baseline_value',
        'm.weight',
        'm.position',
        'm.demo',
        'i.code as indicatorCode',
        'i.names as indicatorNames',
        'i.unit_names as indicatorUnitNames',
        's.code as seriesCode',
        's.names as seriesNames',
        's.unit_code as seriesUnitCode',
        's.unit_names as seriesUnitNames',
      ])
      .orderBy('m.position')
      .orderBy('m.id')
      .execute(),
  ]);
  const measureIds = measures.map((m) => m.id);
  const [measurePlaces, targets, actuals, orgNames] = await Promise.all([
    measureIds.length
      ? db
          .selectFrom('result_measure_places as mp')
          .innerJoin('places as pl', 'pl.id', 'mp.place_id')
          .where('mp.measure_id', 'in', measureIds)
          .select(['mp.measure_id', 'pl.id', 'pl.code', 'pl.names', 'pl.level'])
          .orderBy('pl.code')
          .execute()
      : Promise.resolve([]),
    measureIds.length
      ? db.selectFrom('result_targets').selectAll().where('measure_id', 'in', measureIds).orderBy('year').execute()
      : Promise.resolve([]),
    measureIds.length
      ? db.selectFrom('result_actuals').selectAll().where('measure_id', 'in', measureIds).orderBy('year').execute()
      : Promise.resolve([]),
    partnerNames(
      db,
      partners.flatMap((x) => (x.organisation_id === null ? [] : [x.organisation_id])),
    ),
  ]);
  const observed = await approvedYearlyValues(
    db,
    [...new Set(measures.flatMap((m) => (m.kind === 'indicator' && m.series_id !== null ? [m.series_id] : [])))],
    [...new Set(measurePlaces.map((x) => x.id))],
  );
  const figures = measures.some((m) => m.kind === 'computed')
    ? await compute2030(db, p.id, await readMargins(db), lang)
    : null;

  const partnerView = (x: (typeof partners)[number]): PartnerView => {
    const names = x.organisation_id !== null ? (orgNames.get(x.organisation_id) ?? {}) : (x.names ?? {});
    return { organisationId: x.organisation_id, name: pick(names, lang), names };
  };

  const measureView = (m: (typeof measures)[number]): MeasureView => {
    const mPlaces = measurePlaces.filter((x) => x.measure_id === m.id);
    const mTargets = targets
      .filter((t) => t.measure_id === m.id)
      .map((t) => ({ year: t.year, value: t.value, notes: t.notes }));
    let places: PlaceLatest[] = [];
    let actualList: ActualView[] = [];
    let baseline: MeasureView['baseline'] = null;
    if (m.kind === 'indicator') {
      const values = observed.filter((v) => v.seriesId === m.series_id && mPlaces.some((x) => x.id === v.placeId));
      places = mPlaces.map((x) => {
        const mine = values.filter((v) => v.placeId === x.id);
        const last: ObservedValue | undefined = mine[mine.length - 1];
        return {
          place: x.code,
          name: pick(x.names, lang),
          level: x.level,
          latest: last
            ? {
                year: last.year,
                value: last.value,
                suppressedBelow: last.suppressedBelow,
                status: last.status,
                source: last.source,
              }
            : null,
        };
      });
      const years = measureYears(
        mPlaces.map((x) => x.code),
        values.map((v) => ({ place: v.place, year: v.year, value: v.value })),
        m.aggregation ?? 'mean',
      );
      actualList = years.map((y) => ({
        year: y.year,
        value: y.value,
        from: 'observations' as const,
        status: 'approved',
        sources: uniqueSources(values.filter((v) => v.year === y.year).map((v) => v.source)),
      }));
      if (m.baseline_year !== null) {
        baseline =
          m.baseline_value !== null
            ? { year: m.baseline_year, value: m.baseline_value, from: 'entered' }
            : {
                year: m.baseline_year,
                value: valueOfYear(years, m.baseline_year)?.value ?? null,
                from: 'observations',
              };
      }
    } else if (m.kind === 'specific') {
      actualList = actuals
        .filter((a) => a.measure_id === m.id)
        .map((a) => ({
          year: a.year,
          value: a.value,
          from: 'entered' as const,
          status: null,
          notes: a.notes,
          sources: a.source ? [{ name: a.source, licence: null, synthetic: m.demo }] : [],
        }));
      if (m.baseline_year !== null) baseline = { year: m.baseline_year, value: m.baseline_value, from: 'entered' };
    } else {
      const c = figures ? computedActual(m.formula!, figures) : null;
      if (c) actualList = [{ year: c.year, value: c.value, from: 'computed', status: 'approved', sources: c.sources }];
      // By definition the 2030 figures start from nothing in the baseline year (2015): no change, no city, no country.
      baseline =
        m.baseline_value !== null && m.baseline_year !== null
          ? { year: m.baseline_year, value: m.baseline_value, from: 'entered' }
          : { year: m.baseline_year ?? TARGET_2030.baselineYear, value: 0, from: 'definition' };
    }
    const actual = lastOf(actualList);
    const target = lastOf(mTargets);
    const input: MeasureInput = {
      ascending: m.ascending,
      weight: m.weight,
      baseline: baseline && baseline.value !== null ? { year: baseline.year, value: baseline.value } : null,
      target: target ? { year: target.year, value: target.value } : null,
      actual: actual ? { year: actual.year, value: actual.value } : null,
    };
    const progress = measureProgress(input);
    const names =
      m.kind === 'indicator'
        ? (m.indicatorNames ?? {})
        : m.kind === 'computed'
          ? FORMULA_NAMES[m.formula!]
          : (m.names ?? {});
    const unitNames =
      m.kind === 'indicator'
        ? m.seriesUnitCode
          ? (m.seriesUnitNames ?? {})
          : (m.indicatorUnitNames ?? {})
        : m.unit_names;
    return {
      id: m.id,
      kind: m.kind,
      name: pick(names, lang),
      names,
      definitions: m.definitions,
      indicator: m.indicatorCode
        ? { code: m.indicatorCode, name: pick(m.indicatorNames, lang), names: m.indicatorNames ?? {} }
        : null,
      series: m.seriesCode ? { code: m.seriesCode, name: pick(m.seriesNames, lang) ?? m.seriesCode } : null,
      formula: m.formula,
      unit: pick(unitNames, lang),
      unitNames,
      measure: m.measure,
      ascending: m.ascending,
      aggregation: m.aggregation,
      weight: m.weight,
      position: m.position,
      demonstration: m.demo,
      places,
      baseline,
      targets: mTargets,
      actuals: actualList,
      actual,
      target: target ? { year: target.year, value: target.value } : null,
      progress: progress.progress,
      expected: progress.expected,
      status: progress.status,
    };
  };

  const measureViews = new Map<number, MeasureView[]>();
  for (const m of measures) measureViews.set(m.result_id, [...(measureViews.get(m.result_id) ?? []), measureView(m)]);

  const build = (r: (typeof results)[number]): { view: ResultView; node: ResultNode } => {
    const kids = results.filter((c) => c.parent_id === r.id).map(build);
    const ms = measureViews.get(r.id) ?? [];
    const node: ResultNode = {
      id: r.id,
      level: r.level,
      weight: r.weight,
      children: kids.map((k) => k.node),
      measures: ms.map((m) => ({
        ascending: m.ascending,
        weight: m.weight,
        baseline: m.baseline && m.baseline.value !== null ? { year: m.baseline.year, value: m.baseline.value } : null,
        target: m.target,
        actual: m.actual ? { year: m.actual.year, value: m.actual.value } : null,
      })),
    };
    const view: ResultView = {
      id: r.id,
      parentId: r.parent_id,
      level: r.level,
      code: r.code,
      title: pick(r.titles, lang),
      titles: r.titles,
      description: pick(r.descriptions, lang),
      descriptions: r.descriptions,
      startDate: r.start,
      endDate: r.end,
      status: r.status,
      weight: r.weight,
      position: r.position,
      places: resultPlaces
        .filter((x) => x.result_id === r.id)
        .map((x) => ({ place: x.code, name: pick(x.names, lang), level: x.level })),
      partners: partners.filter((x) => x.result_id === r.id).map(partnerView),
      pillars: resultPillars.filter((x) => x.result_id === r.id).map((x) => x.code),
      progress: null,
      coverage: 0,
      measures: ms,
      children: kids.map((k) => k.view),
    };
    return { view, node };
  };
  const roots = results.filter((r) => r.parent_id === null).map(build);
  const rolled = rollUp({ id: 'programme', level: 'impact', measures: [], children: roots.map((r) => r.node) });
  const apply = (v: ResultView, pr: ResultProgress) => {
    v.progress = pr.progress;
    v.coverage = pr.coverage;
    v.children.forEach((c, i) => {
      apply(c, pr.children[i]!);
    });
  };
  roots.forEach((r, i) => {
    apply(r.view, rolled.children[i]!);
  });

  const org = p.reporting_org ?? {};
  return {
    code: p.code,
    name: pick(p.names, lang),
    names: p.names,
    description: pick(p.descriptions, lang),
    descriptions: p.descriptions,
    startYear: p.start_year,
    endYear: p.end_year,
    status: p.status,
    reference: p.reference,
    reportingOrg: { ref: org.ref ?? null, type: org.type ?? null, name: pick(org.names, lang), names: org.names ?? {} },
    demonstration: p.demo,
    demonstrationNote: p.demo ? DEMONSTRATION_NOTE : null,
    pillars: pillars.map((q) => ({
      code: q.code,
      kind: q.kind,
      name: pick(q.names, lang),
      names: q.names,
      description: pick(q.descriptions, lang),
      descriptions: q.descriptions,
      position: q.position,
    })),
    places: places.map((x) => ({
      place: x.code,
      name: pick(x.names, lang),
      level: x.level,
      role: x.role,
      sinceYear: x.since_year,
      notes: x.notes,
    })),
    partners: partners.filter((x) => x.result_id === null).map(partnerView),
    progress: rolled.progress,
    coverage: rolled.coverage,
    results: roots.map((r) => r.view),
    targets2030: figures,
  };
}

/** The names of the 2030 figures, as measures (Arabic from seed 000 where it says it; English is Marsad's). */
export const FORMULA_NAMES: Record<ComputedFormula, Names> = {
  'urban-violence-change': {
    ar: 'التغير في العنف في المناطق الحضرية منذ عام 2015 (%)',
    en: 'Change in urban violence since 2015 (%)',
  },
  'cities-less-violence': {
    ar: 'عدد المدن التي قلَّ فيها عدد الجرائم والعنف الحضريين',
    en: 'Number of cities with less urban crime and violence',
  },
  'countries-improved': {
    ar: 'عدد البلدان التي أجرت تحسينات قابلة للقياس',
    en: 'Number of countries with a measurable improvement',
  },
  'population-concerned': {
    ar: 'عدد السكان في الأماكن التي تحسن فيها الأمان',
    en: 'Population of the places with a measurable improvement',
  },
};

/** The actual value of a computed measure: the figure, its year and the sources behind it. */
export function computedActual(
  formula: ComputedFormula,
  f: Figures2030,
): { year: number; value: number; sources: SourceView[] } | null {
  const all = <T extends { sources: SourceView[] }>(xs: T[]) => uniqueSources(xs.flatMap((x) => x.sources));
  switch (formula) {
    case 'urban-violence-change': {
      const u = f.urbanViolenceChange;
      return u.valuePercent === null || u.year === null
        ? null
        : { year: u.year, value: u.valuePercent, sources: all(u.cities.flatMap((c) => c.indicators)) };
    }
    case 'cities-less-violence': {
      const c = f.citiesWithLessViolence;
      return c.year === null
        ? null
        : {
            year: c.year,
            value: c.count,
            sources: all(c.cities.flatMap((x) => [...x.better, ...x.worse, ...x.unchanged])),
          };
    }
    case 'countries-improved': {
      const c = f.countriesImproved;
      return c.year === null
        ? null
        : {
            year: c.year,
            value: c.count,
            sources: all(c.countries),
          };
    }
    case 'population-concerned': {
      const q = f.populationConcerned;
      const year = q.year ?? f.countriesImproved.year;
      // No population known for any place concerned: no figure (not 0). Some unknown: the known total, a lower bound;
      // `missing` lists them.
      if (year === null || (q.places.length > 0 && q.missing.length === q.places.length)) return null;
      return { year, value: q.total, sources: uniqueSources(q.places.map((x) => x.source)) };
    }
  }
}
