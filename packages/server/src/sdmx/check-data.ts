/**
 * Runs core's check (sdmx/check.ts) on a place's SDG data: the values of the place itself (not of the places under
 * it) for the series of SDG indicators, each written in its UN form exactly as the export for the UN writes it
 * (un-form.ts: the SERIES code or its alias, the place's M49 code as REF_AREA, FREQ, REPORTING_TYPE N, `_T`/`_Z` for
 * the breakdowns a value has not, the SDMX unit, UNIT_MULT, OBS_STATUS, NATURE, COMMENT_OBS, SOURCE_DETAIL). The
 * values with a problem are those the export leaves out.
 */
import type { CheckProblem } from '@marsad/core';
import type { Store } from '@marsad/db';
import { loadUnStructure, m49Of, type UnStructure } from './un-form.ts';
import { type UnSelection, unItems } from './un-values.ts';

export { m49Of } from './un-form.ts';

export interface CheckReport {
  structure: string;
  place: string;
  /** The values checked. */
  observations: number;
  /** The values with at least one problem: those the export for the UN leaves out. */
  valuesLeftOut: number;
  problemCount: number;
  byRule: Record<string, number>;
  problems: CheckProblem[];
}

export const MAX_LISTED_PROBLEMS = 1_000;

/** Checks the values of a selection under a structure already read (the export's first pass). */
export async function checkUnValues(store: Store, s: UnStructure, sel: UnSelection): Promise<CheckReport> {
  const byRule: Record<string, number> = {};
  const problems: CheckProblem[] = [];
  let problemCount = 0;
  let observations = 0;
  let valuesLeftOut = 0;
  for await (const item of unItems(store, s, sel)) {
    observations++;
    if (item.problems.length) valuesLeftOut++;
    for (const p of item.problems) {
      problemCount++;
      byRule[p.rule] = (byRule[p.rule] ?? 0) + 1;
      if (problems.length < MAX_LISTED_PROBLEMS) problems.push(p);
    }
  }
  return { structure: s.ref, place: sel.place.code, observations, valuesLeftOut, problemCount, byRule, problems };
}

export async function checkPlaceData(
  store: Store,
  structure: { id: number; agency: string; code: string; version: string },
  place: { id: number; code: string; codes: Record<string, string> },
  options: { approvedOnly: boolean },
): Promise<CheckReport> {
  return checkUnValues(store, await loadUnStructure(store, structure), {
    place,
    area: m49Of(place.codes),
    approvedOnly: options.approvedOnly,
  });
}
