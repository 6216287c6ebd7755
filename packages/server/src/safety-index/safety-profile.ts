import {
  analyseUncertainty,
  type CompositeIndicator,
  type CompositeResult,
  type CompositeUnit,
  computeCompositeIndex,
  type GroupReference,
  type IndexMessage,
  indexMessage,
  pcaOffer,
  quantileSorted,
  type UncertainChoice,
  type UncertaintyOptions,
} from '@marsad/core';
import type { Schema } from '@marsad/db';
import type { Kysely } from 'kysely';
import { HttpError } from '../http/errors.ts';
import { pick } from '../http/pagination.ts';
import type { ObservedValue } from '../results/observed-values.ts';
import { coreOptions, readChoices, type SafetyChoices } from './safety-index-settings.ts';
import {
  countryOf,
  findFramework,
  findPlace,
  frameworkIndicators,
  frameworkThemes,
  type GroupKind,
  groupOf,
  groupTargets,
  type ProfileIndicator,
  yearlyValues,
} from './safety-index-store.ts';

/**
 * The composite safety profile of ONE place (docs/methods/safety-index.md, "The profile from the data"): its overall
 * and theme scores under the administrator's choices, its uncertainty band and the choice that moves it most, its
 * trajectory, the group's median and range beside each score, its country's score, the treatments of its values, the
 * indicators used. Other places of the group enter the computation but never the answer: no code, no name, no score
 * of theirs, no rank.
 */

/** The year of the baseline of the benchmarks when a target does not name one (seed 000's 2015). */
export const BASELINE_YEAR = 2015;
export const TARGET_YEAR = 2030;
/** Years of the trajectory at most (the latest). */
const MAX_YEARS = 15;

export interface ScoreView {
  score: number | null;
  group: GroupReference;
  country: number | null;
}

export interface SafetyProfile {
  place: { code: string; name: string | null; level: string; pilot: boolean };
  country: { code: string; name: string | null } | null;
  framework: { code: string; name: string | null; draft: boolean };
  group: { kind: GroupKind; count: number };
  choices: SafetyChoices;
  /** Why the choices in force cannot be computed for this group (then no scores), else null. */
  refusal: IndexMessage | null;
  /** Whether values of a synthetic (demonstration) source enter the profile. */
  synthetic: boolean;
  themes: {
    code: string;
    name: string | null;
    weight: number | null;
    indicators: number;
    /** Of the theme's indicators used, how many the place has a value for (after treatment). */
    present: number;
    score: ScoreView;
  }[];
  overall: ScoreView;
  uncertainty: {
    method: 'enumerated' | 'monte-carlo';
    runs: number;
    median: number | null;
    p5: number | null;
    p95: number | null;
    min: number | null;
    max: number | null;
    noScore: number;
    sensitivity: Record<UncertainChoice, number | null>;
    mostInfluential: UncertainChoice | null;
    alternatives: { normalisation: string[]; weights: string[]; aggregation: string[]; missing: string[] };
    notes: IndexMessage[];
  } | null;
  trajectory: {
    year: number;
    score: number | null;
    low: number | null;
    high: number | null;
    groupMedian: number | null;
    groupMin: number | null;
    groupMax: number | null;
    groupCount: number;
    indicators: number;
  }[];
  indicators: {
    code: string;
    name: string | null;
    theme: string;
    direction: 'higher' | 'lower';
    unit: string | null;
    used: boolean;
    /** Why not used: no value in the group. */
    reason: 'no-values-in-group' | null;
    year: number | null;
    value: number | null;
    /** Withheld from the public by the indicator's suppression rule: treated as missing. */
    withheld: boolean;
    synthetic: boolean;
    /** The value the index used (imputed, winsorised), null when left out. */
    usedValue: number | null;
    treatment: 'imputed' | 'left-out' | 'winsorised' | null;
    weight: number | null;
    baseline: number | null;
    target: number | null;
    countryValue: number | null;
    countryYear: number | null;
  }[];
  pca: { offered: boolean; reason: IndexMessage | null; weights: Record<string, number> | null };
  benchmarks: { baselineYear: number; targetYear: number; complete: boolean };
  notes: IndexMessage[];
}

interface Cell {
  year: number;
  value: number | null;
  synthetic: boolean;
}

/** value[placeId][indicatorCode] → the yearly values in year order. */
function byPlace(values: readonly ObservedValue[], indicators: readonly ProfileIndicator[]) {
  const codeOf = new Map(indicators.map((i) => [i.seriesId, i.code]));
  const out = new Map<number, Map<string, Cell[]>>();
  for (const v of values) {
    const code = codeOf.get(v.seriesId);
    if (!code) continue;
    const place = out.get(v.placeId) ?? new Map<string, Cell[]>();
    out.set(v.placeId, place);
    const cells = place.get(code) ?? [];
    place.set(code, cells);
    cells.push({ year: v.year, value: v.value, synthetic: !!v.source?.synthetic });
  }
  for (const place of out.values()) for (const cells of place.values()) cells.sort((a, b) => a.year - b.year);
  return out;
}

/** The latest cell with a value shown to the public (withheld ones passed over), and whether a later one is withheld. */
function latestShown(cells: readonly Cell[] | undefined): { cell: Cell | null; withheld: boolean } {
  if (!cells?.length) return { cell: null, withheld: false };
  for (let k = cells.length - 1; k >= 0; k--) {
    const c = cells[k] as Cell;
    if (c.value !== null) return { cell: c, withheld: k < cells.length - 1 };
  }
  return { cell: null, withheld: true };
}

const median = (xs: number[]) =>
  xs.length
    ? quantileSorted(
        [...xs].sort((a, b) => a - b),
        0.5,
      )
    : null;

function uncertaintyOptions(normalisation: string): UncertaintyOptions {
  // z-scores are on another scale than 0–100: mixed with the others, the band would mean nothing.
  return normalisation === 'z-score' ? { normalisations: ['z-score'] } : {};
}

export async function safetyProfile(db: Kysely<Schema>, code: string, lang?: string): Promise<SafetyProfile> {
  const choices = await readChoices(db);
  const framework = await findFramework(db, choices.framework);
  if (!framework)
    throw new HttpError(
      409,
      'safety_framework_missing',
      `The safety index's framework "${choices.framework}" is not in the catalogue; an administrator chooses another.`,
    );
  const place = await findPlace(db, code);
  if (!place) throw new HttpError(404, 'not_found', `No place "${code}".`);
  const [themes, allIndicators, country] = await Promise.all([
    frameworkThemes(db, framework.id),
    frameworkIndicators(db, framework.id),
    countryOf(db, place),
  ]);
  const group = await groupOf(db, place, country);
  if (!group)
    throw new HttpError(
      400,
      'safety_profile_level',
      `place: a safety profile is made for a city or a district, and ${code} is a ${place.level}.`,
    );
  const placeIds = country ? [...group.ids, country.id] : group.ids;
  const [values, targets] = await Promise.all([
    yearlyValues(
      db,
      allIndicators.map((i) => i.seriesId),
      placeIds,
    ),
    groupTargets(
      db,
      allIndicators.map((i) => i.id),
      TARGET_YEAR,
    ),
  ]);
  const cells = byPlace(values, allIndicators);
  const groupIds = new Set(group.ids);
  const hasGroupValue = (code: string, year?: number) =>
    group.ids.some((id) =>
      (cells.get(id)?.get(code) ?? []).some((c) => c.value !== null && (year === undefined || c.year === year)),
    );

  // Benchmarks: the 2030 target for every place, and its baseline: the group's median in the target's baseline year.
  const benchmarks = new Map<string, { baseline: number; target: number }>();
  for (const ind of allIndicators) {
    const t = targets.find((r) => r.indicatorId === ind.id && (r.seriesId === null || r.seriesId === ind.seriesId));
    if (!t) continue;
    const year = t.baselineYear ?? BASELINE_YEAR;
    const base = median(
      group.ids.flatMap((id) =>
        (cells.get(id)?.get(ind.code) ?? [])
          .filter((c) => c.year === year && c.value !== null)
          .map((c) => c.value as number),
      ),
    );
    if (base === null) continue;
    const target = t.value ?? (t.relativeChange !== null ? base * (1 + t.relativeChange) : null);
    if (target !== null) benchmarks.set(ind.code, { baseline: base, target });
  }
  const asComposite = (list: readonly ProfileIndicator[]): CompositeIndicator[] =>
    list.map((i) => {
      const b = benchmarks.get(i.code);
      return {
        id: i.code,
        themeId: i.theme,
        direction: i.direction === 'lower' ? 'lower-is-better' : 'higher-is-better',
        ...(b ? { baseline: b.baseline, target: b.target } : {}),
      };
    });
  const options = coreOptions(choices);

  // The profile now: each indicator's latest value shown to the public, per place of the group.
  const used = allIndicators.filter((i) => hasGroupValue(i.code));
  const usedIndicators = asComposite(used);
  const latestUnit = (id: number): CompositeUnit => ({
    id: String(id),
    values: Object.fromEntries(used.map((i) => [i.code, latestShown(cells.get(id)?.get(i.code)).cell?.value ?? null])),
  });
  const units = group.ids.map(latestUnit);
  const own = group.ids.indexOf(place.id);
  const notes: IndexMessage[] = [];
  let refusal: IndexMessage | null = null;
  let result: CompositeResult | null = null;
  if (!used.length) refusal = indexMessage('no-values');
  else {
    const r = computeCompositeIndex(usedIndicators, units, options);
    if (r.ok) result = r;
    else refusal = r.reason;
  }
  // The country's score: the country taken as one more place of the group (the group's own scores are computed
  // without it), where it has a value of an indicator used.
  let countryResult: CompositeResult | null = null;
  if (result && country && used.some((i) => latestShown(cells.get(country.id)?.get(i.code)).cell)) {
    const r = computeCompositeIndex(usedIndicators, [...units, latestUnit(country.id)], options);
    if (r.ok) countryResult = r;
  }
  const countryScore = (theme?: string) => {
    const u = countryResult?.units[units.length];
    if (!u) return null;
    return theme === undefined ? u.overall : (u.themes[theme] ?? null);
  };
  const ownScore = result?.units[own];
  let uncertainty: SafetyProfile['uncertainty'] = null;
  if (result) {
    notes.push(...result.notes);
    if (ownScore) notes.push(...ownScore.notes);
    const u = analyseUncertainty(usedIndicators, units, options, uncertaintyOptions(choices.normalisation));
    if (u.ok) {
      const mine = u.units[own];
      if (mine)
        uncertainty = {
          method: u.method,
          runs: u.runs,
          median: mine.median,
          p5: mine.p5,
          p95: mine.p95,
          min: mine.min,
          max: mine.max,
          noScore: mine.noScore,
          sensitivity: mine.sensitivity,
          mostInfluential: mine.mostInfluential,
          alternatives: u.alternatives,
          notes: u.notes,
        };
    }
  }

  // The trajectory: a score per year, from the values of that year only.
  const years = [
    ...new Set(values.filter((v) => groupIds.has(v.placeId) && v.value !== null && used.length).map((v) => v.year)),
  ]
    .sort((a, b) => a - b)
    .slice(-MAX_YEARS);
  const trajectory: SafetyProfile['trajectory'] = [];
  for (const year of years) {
    const list = allIndicators.filter((i) => hasGroupValue(i.code, year));
    if (!list.length) continue;
    const inds = asComposite(list);
    const yearUnits = group.ids.map(
      (id): CompositeUnit => ({
        id: String(id),
        values: Object.fromEntries(
          list.map((i) => [i.code, (cells.get(id)?.get(i.code) ?? []).find((c) => c.year === year)?.value ?? null]),
        ),
      }),
    );
    const r = computeCompositeIndex(inds, yearUnits, options);
    if (!r.ok) continue;
    const u = analyseUncertainty(inds, yearUnits, options, uncertaintyOptions(choices.normalisation));
    const band = u.ok ? u.units[own] : undefined;
    trajectory.push({
      year,
      score: r.units[own]?.overall ?? null,
      low: band?.p5 ?? null,
      high: band?.p95 ?? null,
      groupMedian: r.group.overall.median,
      groupMin: r.group.overall.min,
      groupMax: r.group.overall.max,
      groupCount: r.group.overall.count,
      indicators: list.length,
    });
  }

  const ownTreatments = new Map(
    (result?.treatments ?? []).filter((t) => t.unitId === String(place.id)).map((t) => [t.indicatorId, t]),
  );
  const own$ = (ind: ProfileIndicator) => latestShown(cells.get(place.id)?.get(ind.code));
  const emptyGroup: GroupReference = { count: 0, median: null, min: null, max: null };
  const synthetic = values.some((v) => groupIds.has(v.placeId) && v.value !== null && v.source?.synthetic);
  const pca = used.length ? pcaOffer(usedIndicators, units) : { refused: indexMessage('no-values') };
  return {
    place: { code: place.code, name: pick(place.names, lang), level: place.level, pilot: place.pilot },
    country: country ? { code: country.code, name: pick(country.names, lang) } : null,
    framework: { code: framework.code, name: pick(framework.names, lang), draft: framework.draft },
    group: { kind: group.kind, count: group.ids.length },
    choices,
    refusal,
    synthetic,
    themes: themes
      .filter((t) => used.some((i) => i.theme === t.code))
      .map((t) => {
        const members = used.filter((i) => i.theme === t.code);
        return {
          code: t.code,
          name: pick(t.names, lang),
          weight: result?.weights.themes[t.code] ?? null,
          indicators: members.length,
          present: members.filter((i) => {
            const tr = ownTreatments.get(i.code);
            return tr ? tr.action !== 'left-out' : own$(i).cell !== null;
          }).length,
          score: {
            score: ownScore?.themes[t.code] ?? null,
            group: result?.group.themes[t.code] ?? emptyGroup,
            country: countryScore(t.code),
          },
        };
      }),
    overall: { score: ownScore?.overall ?? null, group: result?.group.overall ?? emptyGroup, country: countryScore() },
    uncertainty,
    trajectory,
    indicators: allIndicators.map((ind) => {
      const mine = own$(ind);
      const tr = ownTreatments.get(ind.code);
      const isUsed = used.includes(ind);
      const b = benchmarks.get(ind.code);
      const c = country ? latestShown(cells.get(country.id)?.get(ind.code)).cell : null;
      return {
        code: ind.code,
        name: pick(ind.names, lang),
        theme: ind.theme,
        direction: ind.direction,
        unit: pick(ind.unitNames, lang) ?? ind.unitCode,
        used: isUsed,
        reason: isUsed ? null : 'no-values-in-group',
        year: mine.cell?.year ?? null,
        value: mine.cell?.value ?? null,
        withheld: mine.withheld,
        synthetic: mine.cell?.synthetic ?? false,
        usedValue: !isUsed || !result ? null : tr ? tr.used : (mine.cell?.value ?? null),
        treatment: tr?.action ?? null,
        weight: isUsed && result ? (result.weights.indicators[ind.code] ?? null) : null,
        baseline: b?.baseline ?? null,
        target: b?.target ?? null,
        countryValue: c?.value ?? null,
        countryYear: c?.year ?? null,
      };
    }),
    pca:
      'refused' in pca
        ? { offered: false, reason: pca.refused, weights: null }
        : {
            offered: true,
            reason: null,
            weights: Object.fromEntries(used.map((i, k) => [i.code, pca.pca.flat[k] as number])),
          },
    benchmarks: {
      baselineYear: BASELINE_YEAR,
      targetYear: TARGET_YEAR,
      complete: used.length > 0 && used.every((i) => benchmarks.has(i.code)),
    },
    // Index-wide notes and the place's own: none names another place (core's notes of a unit are the unit's).
    notes,
  };
}
