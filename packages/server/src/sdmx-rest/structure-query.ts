/**
 * Structure queries over the artefacts the dataflow providers serve and the agency scheme SDMX:AGENCIES: which
 * artefacts a query names (type, agency, id, version: `latest`, `~`, `+`, `all`, `*` or exact), the artefacts they
 * reference or that reference them (`references`: none, parents, parentsandsiblings, ancestors, children,
 * descendants, all, or a structure type) and how much of each is written (`detail`: full, allstubs, referencestubs,
 * allcompletestubs, referencecompletestubs; referencepartial and raw are written full). Pure: no I/O.
 */
import { noResults, syntaxError } from './error-message.ts';
import { type ArtefactQuery, selectVersions } from './key-syntax.ts';
import {
  type AgencyScheme,
  type Artefact,
  type ArtefactRef,
  type ArtefactType,
  type Item,
  refText,
  sameRef,
} from './structure-model.ts';

/** The agency scheme of the agencies maintaining what is served (SDMX's own scheme id, as registries write it). */
export function agencyScheme(agencies: readonly Item[]): AgencyScheme {
  const seen = new Set<string>();
  return {
    type: 'agencyscheme',
    agency: 'SDMX',
    id: 'AGENCIES',
    version: '1.0',
    names: { en: 'SDMX Agency Scheme' },
    final: false,
    agencies: agencies.filter((a) => !seen.has(a.id) && seen.add(a.id)),
  };
}

const key = (a: Artefact) => `${a.type}\u0000${refText(a)}`;

function children(a: Artefact, all: readonly Artefact[]): Artefact[] {
  const find = (type: ArtefactType, r: ArtefactRef) => all.filter((x) => x.type === type && sameRef(x, r));
  switch (a.type) {
    case 'dataflow':
      return find('datastructure', a.structure);
    case 'datastructure': {
      const refs: { type: ArtefactType; ref: ArtefactRef }[] = [];
      for (const c of [...a.dimensions, a.time, ...a.attributes, a.measure])
        refs.push({ type: 'conceptscheme', ref: c.concept.scheme });
      for (const c of [...a.dimensions, ...a.attributes])
        if (c.codelist) refs.push({ type: 'codelist', ref: c.codelist });
      return unique(refs.flatMap((r) => find(r.type, r.ref)));
    }
    default:
      return [];
  }
}

function parents(a: Artefact, all: readonly Artefact[]): Artefact[] {
  switch (a.type) {
    case 'datastructure':
      return all.filter((x) => x.type === 'dataflow' && sameRef(x.structure, a));
    case 'codelist':
    case 'conceptscheme':
      return all.filter((x) => x.type === 'datastructure' && children(x, all).some((c) => key(c) === key(a)));
    default:
      return [];
  }
}

function unique(list: readonly Artefact[]): Artefact[] {
  const seen = new Set<string>();
  return list.filter((a) => !seen.has(key(a)) && seen.add(key(a)));
}

function closure(start: readonly Artefact[], step: (a: Artefact) => Artefact[]): Artefact[] {
  const out: Artefact[] = [];
  const seen = new Set(start.map(key));
  let frontier = [...start];
  while (frontier.length) {
    const next: Artefact[] = [];
    for (const a of frontier)
      for (const b of step(a))
        if (!seen.has(key(b))) {
          seen.add(key(b));
          out.push(b);
          next.push(b);
        }
    frontier = next;
  }
  return out;
}

const STRUCTURE_TYPES = new Set<string>(['agencyscheme', 'dataflow', 'datastructure', 'conceptscheme', 'codelist']);
const KNOWN_TYPES = new Set([
  ...STRUCTURE_TYPES,
  'categoryscheme',
  'categorisation',
  'contentconstraint',
  'dataconstraint',
  'hierarchicalcodelist',
  'metadatastructure',
  'metadataflow',
  'provisionagreement',
  'dataproviderscheme',
  'dataconsumerscheme',
  'organisationunitscheme',
  'organisationscheme',
  'structureset',
  'process',
  'reportingtaxonomy',
  'valuelist',
  'hierarchy',
]);

/** The artefacts related to `queried` that `references` asks for. */
export function referencedArtefacts(
  queried: readonly Artefact[],
  all: readonly Artefact[],
  references: string | undefined,
): Artefact[] {
  const r = (references ?? 'none').trim().toLowerCase();
  const par = () => unique(queried.flatMap((a) => parents(a, all)));
  const desc = () => closure(queried, (a) => children(a, all));
  const anc = () => closure(queried, (a) => parents(a, all));
  const siblings = () => {
    const p = par();
    return unique([...p, ...p.flatMap((x) => children(x, all))]);
  };
  let related: Artefact[];
  switch (r) {
    case 'none':
      related = [];
      break;
    case 'parents':
      related = par();
      break;
    case 'parentsandsiblings':
      related = siblings();
      break;
    case 'ancestors':
      related = anc();
      break;
    case 'children':
      related = unique(queried.flatMap((a) => children(a, all)));
      break;
    case 'descendants':
      related = desc();
      break;
    case 'all':
      related = unique([...anc(), ...siblings(), ...desc()]);
      break;
    default: {
      const types = r.split(',');
      for (const t of types)
        if (!KNOWN_TYPES.has(t))
          throw syntaxError(
            `references: "${t}" is not none, parents, parentsandsiblings, ancestors, children, descendants, all or a structure type`,
          );
      related = unique([...anc(), ...siblings(), ...desc()]).filter((a) => types.includes(a.type));
    }
  }
  const queriedKeys = new Set(queried.map(key));
  return related.filter((a) => !queriedKeys.has(key(a)));
}

/** How a query's `detail` writes the queried artefacts and the referenced ones: whole, or as stubs. */
export function detailOf(detail: string | undefined): { queriedStub: boolean; referencedStub: boolean } {
  switch ((detail ?? 'full').trim().toLowerCase()) {
    case 'full':
    case 'referencepartial':
    case 'raw':
      return { queriedStub: false, referencedStub: false };
    case 'allstubs':
    case 'allcompletestubs':
      return { queriedStub: true, referencedStub: true };
    case 'referencestubs':
    case 'referencecompletestubs':
      return { queriedStub: false, referencedStub: true };
    default:
      throw syntaxError(
        `detail: "${detail}" is not full, allstubs, referencestubs, allcompletestubs, referencecompletestubs, referencepartial or raw`,
      );
  }
}

/** The artefacts of the given types a query names (404 when none). */
export function matchArtefacts(all: readonly Artefact[], types: readonly ArtefactType[], q: ArtefactQuery): Artefact[] {
  const candidates = all.filter(
    (a) =>
      types.includes(a.type) &&
      (q.agencies === null || q.agencies.includes(a.agency)) &&
      (q.ids === null || q.ids.includes(a.id)),
  );
  const groups = new Map<string, Artefact[]>();
  for (const a of candidates) {
    const g = `${a.type}\u0000${a.agency}\u0000${a.id}`;
    groups.set(g, [...(groups.get(g) ?? []), a]);
  }
  const out = [...groups.values()].flatMap((versions) => selectVersions(versions, q.versions));
  if (!out.length) throw noResults(`No ${types.length === 1 ? types[0] : 'structure'} matches the query`);
  return out;
}

/** Keeps the named items of item schemes (an item query: /codelist/MARSAD/CL_AREA/1.0/MAR+MAAGA). */
export function withItems(artefacts: readonly Artefact[], items: readonly string[] | null): Artefact[] {
  if (items === null) return [...artefacts];
  const keep = (list: readonly Item[]) => list.filter((i) => items.includes(i.id));
  const out = artefacts.flatMap((a): Artefact[] => {
    if (a.type === 'codelist') return keep(a.codes).length ? [{ ...a, codes: keep(a.codes) }] : [];
    if (a.type === 'conceptscheme') return keep(a.concepts).length ? [{ ...a, concepts: keep(a.concepts) }] : [];
    if (a.type === 'agencyscheme') return keep(a.agencies).length ? [{ ...a, agencies: keep(a.agencies) }] : [];
    return [a];
  });
  if (!out.length) throw noResults(`No item ${items.join(', ')} in the structures queried`);
  return out;
}
