/**
 * Availability (SDMX REST 2 `availability`, 1.5 `availableconstraint`): which codes of each dimension have data for a
 * query, as a content constraint of type Actual whose cube region lists them (and the time span of the data), with
 * the number of observations and of series in annotations (`obs_count`, `series_count`, of type `sdmx_metrics`, as
 * the .Stat Suite writes the observation count). The mode is `exact` (the codes the data query would return). Pure.
 */
import type { SeriesAvailability } from './dataflows.ts';
import { syntaxError } from './error-message.ts';
import type { Codelist, ContentConstraint, Dataflow, DataStructure } from './structure-model.ts';
import { sameRef } from './structure-model.ts';

export function availabilityConstraint(
  flow: Dataflow,
  structure: DataStructure,
  series: readonly SeriesAvailability[],
  component: string | null,
  codelists: readonly Codelist[],
): ContentConstraint {
  if (component !== null && component !== structure.time.id && !structure.dimensions.some((d) => d.id === component))
    throw syntaxError(
      `componentID: ${component} is not a dimension of ${flow.agency}:${flow.id}(${flow.version}) (${[
        ...structure.dimensions.map((d) => d.id),
        structure.time.id,
      ].join(', ')})`,
    );
  const keyValues = structure.dimensions
    .map((d, i) => ({ d, i }))
    .filter(({ d }) => component === null || component === d.id)
    .map(({ d, i }) => {
      const present = new Set(series.map((s) => s.key[i]!));
      const list = d.codelist ? codelists.find((c) => sameRef(c, d.codelist!)) : undefined;
      const order = new Map(list?.codes.map((c, n) => [c.id, n]) ?? []);
      const values = [...present].sort(
        (a, b) =>
          (order.get(a) ?? Number.MAX_SAFE_INTEGER) - (order.get(b) ?? Number.MAX_SAFE_INTEGER) || (a < b ? -1 : 1),
      );
      return { id: d.id, values };
    });
  const observations = series.reduce((n, s) => n + s.observations, 0);
  const first = series.reduce<string | undefined>(
    (m, s) => (m === undefined || s.firstDay < m ? s.firstDay : m),
    undefined,
  );
  const last = series.reduce<string | undefined>(
    (m, s) => (m === undefined || s.lastDay > m ? s.lastDay : m),
    undefined,
  );
  return {
    agency: flow.agency,
    id: `CC_${flow.id}`,
    version: flow.version,
    names: { en: `Data available in ${flow.agency}:${flow.id}(${flow.version}) for the query` },
    final: false,
    annotations: [
      { id: 'obs_count', title: String(observations), type: 'sdmx_metrics' },
      { id: 'series_count', title: String(series.length), type: 'sdmx_metrics' },
    ],
    dataflow: { agency: flow.agency, id: flow.id, version: flow.version },
    keyValues,
    ...((component === null || component === structure.time.id) && first !== undefined && last !== undefined
      ? { timeRange: { start: first, end: last } }
      : {}),
  };
}

/** The code lists of the constrained dimensions, holding only the codes with data (and their parents). */
export function partialCodelists(
  constraint: ContentConstraint,
  structure: DataStructure,
  codelists: readonly Codelist[],
): Codelist[] {
  const out: Codelist[] = [];
  for (const kv of constraint.keyValues) {
    const dim = structure.dimensions.find((d) => d.id === kv.id);
    const list = dim?.codelist ? codelists.find((c) => sameRef(c, dim.codelist!)) : undefined;
    if (!list) continue;
    const keep = new Set(kv.values);
    const byId = new Map(list.codes.map((c) => [c.id, c]));
    for (const id of kv.values) {
      for (let p = byId.get(id)?.parent; p !== undefined && !keep.has(p); p = byId.get(p)?.parent) keep.add(p);
    }
    out.push({ ...list, codes: list.codes.filter((c) => keep.has(c.id)) });
  }
  return out;
}
