/**
 * The structure of the SDG dataflow MARSAD:DF_SDG (sdg-dataflow.ts), made from the SDMX structures Marsad has loaded
 * (server/sdmx/: tables sdmx_structures, sdmx_components, sdmx_codelists, sdmx_codes; docs/sdmx.md): the latest
 * version loaded of the global SDG data structure IAEG-SDGs:SDG with its dimensions in their positions, its time
 * dimension, its attributes (attachment and assignment status) and primary measure; its code lists with their codes
 * and their names in every language held; a concept scheme MARSAD:CS_SDG of its concepts (the tables keep the concepts'
 * ids, not the structure message's concept scheme: the breakdown dimensions are named as Marsad names the dimensions
 * the structure made, in every language it has, the other concepts in English); the dataflow MARSAD:DF_SDG of the
 * structure's version. Null when no SDG structure is loaded.
 *
 * Every request of the web service opens every provider, so this is read on each: a few small queries, and the codes
 * of the code lists (7,000 for SDG 1.14) kept in memory per database and code list until the list is loaded again
 * (its `loaded_at` moves).
 */
import type { Store } from '@marsad/db';
import { sql } from 'kysely';
import { SDG_STRUCTURE } from '../sdmx/un-export.ts';
import { compareVersions } from './key-syntax.ts';
import { MARSAD_AGENCY, MARSAD_AGENCY_NAMES } from './marsad-structure.ts';
import type {
  ArtefactRef,
  AttributeComponent,
  Codelist,
  ConceptScheme,
  Dataflow,
  DataStructure,
  DimensionComponent,
  Item,
  Names,
} from './structure-model.ts';
import { namesOr } from './structure-model.ts';

export const SDG_DATAFLOW = 'DF_SDG';
export const SDG_CONCEPTS = 'CS_SDG';
const [SDG_AGENCY, SDG_ID] = SDG_STRUCTURE.split(':') as [string, string];

/**
 * The dataflow's names. The translations (fr, es, ar, ru, zh) are Marsad's own and await a reviewer who writes each
 * language (marked for review, like the other labels Marsad translated itself).
 */
const DATAFLOW_NAMES: Names = {
  en: 'SDG data of Marsad in the global SDG structure',
  fr: 'Données ODD de Marsad dans la structure mondiale des ODD',
  es: 'Datos ODS de Marsad en la estructura mundial de los ODS',
  ar: 'بيانات أهداف التنمية المستدامة في مرصد وفق الهيكل العالمي لأهداف التنمية المستدامة',
  ru: 'Данные ЦУР Marsad в глобальной структуре ЦУР',
  zh: 'Marsad 的可持续发展目标数据（全球可持续发展目标结构）',
};

/** English names of the concepts the global SDG structure has besides its breakdowns (not kept by the tables). */
const CONCEPT_NAMES: Record<string, string> = {
  FREQ: 'Frequency',
  REPORTING_TYPE: 'Reporting type',
  SERIES: 'Series',
  REF_AREA: 'Reference area',
  TIME_PERIOD: 'Time period',
  OBS_VALUE: 'Observation value',
  OBS_STATUS: 'Observation status',
  UNIT_MULT: 'Unit multiplier',
  UNIT_MEASURE: 'Unit of measure',
  BASE_PER: 'Base period',
  NATURE: 'Nature of data',
  TIME_DETAIL: 'Time detail',
  COMMENT_OBS: 'Observation comment',
  TIME_COVERAGE: 'Time coverage',
  UPPER_BOUND: 'Upper bound',
  LOWER_BOUND: 'Lower bound',
  SOURCE_DETAIL: 'Source details',
  COMMENT_TS: 'Time series comment',
  GEO_INFO_URL: 'Geospatial information URL',
  GEO_INFO_TYPE: 'Geospatial information type',
  CUST_BREAKDOWN_LB: 'Custom breakdown label',
  DATA_LAST_UPDATE: 'Data last update',
};

/** Names of the agencies maintaining what the dataflow serves. */
const AGENCY_NAMES: Record<string, Names> = {
  [MARSAD_AGENCY]: MARSAD_AGENCY_NAMES,
  [SDG_AGENCY]: { en: 'Inter-agency and Expert Group on SDG Indicators (IAEG-SDGs)' },
  SDMX: { en: 'SDMX' },
};

/** The SDG dataflow's structural metadata, and what its data message needs of it. */
export interface SdgCatalog {
  /** The loaded structure's row (sdmx_structures). */
  row: { id: number; agency: string; code: string; version: string };
  /** Changes when the structure or one of its code lists is loaded again. */
  loaded: string;
  dataflow: Dataflow;
  structure: DataStructure;
  conceptScheme: ConceptScheme;
  codelists: Codelist[];
  agencies: Item[];
  /** The English name of a component (its concept's). */
  componentName(id: string): string;
  /** The English name of a code of a component's code list. */
  codeName(component: string, code: string): string | undefined;
}

interface CachedCodes {
  loadedAt: string;
  codes: Item[];
}

/** Per database (tests open several in one process), per code list id. */
const codeCache = new WeakMap<Store, Map<number, CachedCodes>>();

async function codesOf(store: Store, lists: readonly { id: number; loadedAt: string }[]): Promise<Map<number, Item[]>> {
  let cache = codeCache.get(store);
  if (!cache) {
    cache = new Map();
    codeCache.set(store, cache);
  }
  const stale = lists.filter((l) => cache.get(l.id)?.loadedAt !== l.loadedAt);
  if (stale.length) {
    const rows = await store.db
      .selectFrom('sdmx_codes')
      .select(['codelist_id', 'code', 'names', 'parent'])
      .where(
        'codelist_id',
        'in',
        stale.map((l) => l.id),
      )
      .orderBy('codelist_id')
      .orderBy('position')
      .execute();
    const byList = new Map<number, Item[]>(stale.map((l) => [l.id, []]));
    for (const r of rows)
      byList.get(r.codelist_id)?.push({
        id: r.code,
        names: namesOr(r.names as Names, r.code),
        ...(r.parent ? { parent: r.parent } : {}),
      });
    for (const l of stale) cache.set(l.id, { loadedAt: l.loadedAt, codes: byList.get(l.id) ?? [] });
  }
  // Only the lists of the structure served stay in memory.
  const wanted = new Set(lists.map((l) => l.id));
  for (const id of cache.keys()) if (!wanted.has(id)) cache.delete(id);
  return new Map(lists.map((l) => [l.id, cache.get(l.id)?.codes ?? []]));
}

type Kind = 'dimension' | 'time' | 'attribute' | 'measure';

/** The SDG dataflow's structure from the loaded tables, or null when no IAEG-SDGs:SDG is loaded. */
export async function loadSdgCatalog(store: Store): Promise<SdgCatalog | null> {
  const db = store.db;
  const versions = await db
    .selectFrom('sdmx_structures')
    .select(['id', 'agency', 'code', 'version', 'names', 'final', sql<string>`loaded_at::text`.as('loaded_at')])
    .where('agency', '=', SDG_AGENCY)
    .where('code', '=', SDG_ID)
    .execute();
  const row = versions.sort((a, b) => compareVersions(a.version, b.version)).at(-1);
  if (!row) return null;
  const components = await db
    .selectFrom('sdmx_components as c')
    .leftJoin('sdmx_codelists as l', 'l.id', 'c.codelist_id')
    .select([
      'c.component',
      'c.kind',
      'c.position',
      'c.concept',
      'c.codelist_id',
      'c.mandatory',
      'c.attachment',
      'c.attachment_dimensions',
      'l.agency',
      'l.code',
      'l.version',
      'l.names',
      sql<string | null>`l.loaded_at::text`.as('loaded_at'),
    ])
    .where('c.structure_id', '=', row.id)
    .orderBy('c.position')
    .execute();
  const dims = components.filter((c) => (c.kind as Kind) === 'dimension');
  const time = components.find((c) => (c.kind as Kind) === 'time');
  const measure = components.find((c) => (c.kind as Kind) === 'measure');
  if (!dims.length || !time || !measure) return null;
  const marsadNames = new Map(
    (
      await db
        .selectFrom('dimensions')
        .select(['code', 'names'])
        .where(
          'code',
          'in',
          dims.map((d) => d.component),
        )
        .execute()
    ).map((d) => [d.code, d.names as Names]),
  );

  const version = row.version;
  const structureRef: ArtefactRef = { agency: row.agency, id: row.code, version };
  const schemeRef: ArtefactRef = { agency: MARSAD_AGENCY, id: SDG_CONCEPTS, version };
  const listRefs = new Map<number, ArtefactRef & { names: Names; loadedAt: string }>();
  for (const c of components)
    if (c.codelist_id !== null && c.agency && c.code && c.version)
      listRefs.set(c.codelist_id, {
        agency: c.agency,
        id: c.code,
        version: c.version,
        names: (c.names ?? {}) as Names,
        loadedAt: c.loaded_at ?? '',
      });
  const listOf = (c: (typeof components)[number]): ArtefactRef | undefined => {
    const l = c.codelist_id === null ? undefined : listRefs.get(c.codelist_id);
    return l ? { agency: l.agency, id: l.id, version: l.version } : undefined;
  };
  const conceptId = (c: (typeof components)[number]) => c.concept ?? c.component;
  const concept = (c: (typeof components)[number]) => ({ scheme: schemeRef, id: conceptId(c) });

  const dimensions: DimensionComponent[] = dims.map((d, i) => {
    const codelist = listOf(d);
    return { id: d.component, position: i + 1, concept: concept(d), ...(codelist ? { codelist } : {}) };
  });
  const dimIds = dimensions.map((d) => d.id);
  const attributes: AttributeComponent[] = components
    .filter((c) => (c.kind as Kind) === 'attribute')
    .map((a) => {
      const codelist = listOf(a);
      const related = Array.isArray(a.attachment_dimensions)
        ? (a.attachment_dimensions as unknown[]).filter((x): x is string => typeof x === 'string')
        : [];
      const attachment: AttributeComponent['attachment'] =
        a.attachment === 'observation'
          ? 'observation'
          : a.attachment === 'dataset' || !a.attachment
            ? 'dataset'
            : 'series';
      const some = attachment === 'series' && related.length > 0 && related.length < dimIds.length;
      return {
        id: a.component,
        concept: concept(a),
        ...(codelist ? { codelist } : {}),
        mandatory: a.mandatory,
        attachment,
        ...(some ? { dimensions: dimIds.filter((d) => related.includes(d)) } : {}),
      };
    });
  const structure: DataStructure = {
    type: 'datastructure',
    ...structureRef,
    names: namesOr(row.names as Names, `${row.agency}:${row.code}`),
    final: row.final,
    dimensions,
    time: { id: time.component, position: dimensions.length + 1, concept: concept(time) },
    attributes,
    measure: { id: measure.component, concept: concept(measure) },
  };

  const componentNames = new Map<string, Names>();
  for (const c of components) {
    const listNames = c.codelist_id === null ? undefined : listRefs.get(c.codelist_id)?.names;
    const own = marsadNames.get(c.component);
    const fixed = CONCEPT_NAMES[conceptId(c)];
    componentNames.set(
      c.component,
      own && Object.keys(own).length ? own : fixed ? { en: fixed } : namesOr(listNames, conceptId(c)),
    );
  }
  const kindText: Record<Kind, string> = {
    dimension: 'dimension',
    time: 'time dimension',
    attribute: 'attribute',
    measure: 'primary measure',
  };
  const seen = new Set<string>();
  const conceptScheme: ConceptScheme = {
    type: 'conceptscheme',
    ...schemeRef,
    names: { en: `Concepts of ${SDG_STRUCTURE}(${version}) as Marsad holds them` },
    descriptions: {
      en: `The concepts of the components of ${SDG_STRUCTURE}(${version}), by their ids: the structure message's own concept scheme is not kept by Marsad.`,
    },
    final: row.final,
    concepts: components
      .filter((c) => !seen.has(conceptId(c)) && seen.add(conceptId(c)))
      .map((c) => {
        const l = c.codelist_id === null ? undefined : listRefs.get(c.codelist_id);
        return {
          id: conceptId(c),
          names: componentNames.get(c.component) ?? { en: conceptId(c) },
          descriptions: {
            en: `The ${kindText[c.kind as Kind]} ${c.component} of ${SDG_STRUCTURE}(${version})${l ? ` (code list ${l.agency}:${l.id}(${l.version}))` : ''}`,
          },
        };
      }),
  };

  const codes = await codesOf(
    store,
    [...listRefs].map(([id, l]) => ({ id, loadedAt: l.loadedAt })),
  );
  // A final structure references final code lists only (SDMX): the lists it takes are as final as it is.
  const codelists: Codelist[] = [...listRefs].map(([id, l]) => ({
    type: 'codelist',
    agency: l.agency,
    id: l.id,
    version: l.version,
    names: namesOr(l.names, l.id),
    final: row.final,
    codes: codes.get(id) ?? [],
  }));

  const dataflow: Dataflow = {
    type: 'dataflow',
    agency: MARSAD_AGENCY,
    id: SDG_DATAFLOW,
    version,
    names: DATAFLOW_NAMES,
    descriptions: {
      en: `Marsad's SDG data of every country with an M49 code, in their UN form under ${SDG_STRUCTURE}(${version}): the values the export for the UN writes (those that pass the check against the structure and its content constraints; national data only). The public sees approved values; a country's focal points and data validators also see its other values.`,
    },
    final: row.final,
    structure: structureRef,
  };

  const agencyIds = new Set([MARSAD_AGENCY, row.agency, ...codelists.map((c) => c.agency)]);
  const agencies: Item[] = [...agencyIds].map((id) => ({ id, names: AGENCY_NAMES[id] ?? { en: id } }));

  const englishCodes = new Map<string, Map<string, string>>();
  const listByComponent = new Map<string, number>();
  for (const c of components) if (c.codelist_id !== null) listByComponent.set(c.component, c.codelist_id);
  return {
    row: { id: row.id, agency: row.agency, code: row.code, version },
    loaded: [row.id, row.loaded_at, ...[...listRefs].map(([id, l]) => `${id}@${l.loadedAt}`)].join(' '),
    dataflow,
    structure,
    conceptScheme,
    codelists,
    agencies,
    componentName: (id) => {
      const n = componentNames.get(id);
      return n?.en ?? Object.values(n ?? {})[0] ?? id;
    },
    codeName(component, code) {
      const listId = listByComponent.get(component);
      if (listId === undefined) return undefined;
      let names = englishCodes.get(component);
      if (!names) {
        names = new Map((codes.get(listId) ?? []).map((c) => [c.id, c.names.en ?? Object.values(c.names)[0] ?? c.id]));
        englishCodes.set(component, names);
      }
      return names.get(code);
    },
  };
}
