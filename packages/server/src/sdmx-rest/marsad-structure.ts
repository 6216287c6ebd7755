/**
 * The structure of Marsad's own dataflow, MARSAD:DF_MARSAD, and the data structure MARSAD:DSD_MARSAD behind it:
 * dimensions INDICATOR, SERIES, REF_AREA, then every Marsad dimension (table `dimensions`), then TIME_PERIOD;
 * attributes UNIT_MEASURE (of the series), OBS_STATUS, CONF_STATUS, MARSAD_STATUS, COMMENT_OBS, SOURCE_DETAIL (of the
 * observation); primary measure OBS_VALUE — the components the SDMX writers of formats/ write.
 *
 * The structure is fixed, not shaped by the data of the day: a version lists its dimensions in their positions, and
 * is kept (in `settings`, under `sdmx-rest-structure-versions`) when first needed. A new Marsad dimension makes a new
 * version (2.0, 3.0 …) with the dimensions of the one before in their positions and the new ones after them, in the
 * order they were created; so 1.0 always means the same key, and older versions are still served (their data: the
 * values without the dimensions they lack). Code lists (version 1.0, growing as codes are added): CL_INDICATOR,
 * CL_SERIES, CL_AREA (every place, with its parent), CL_UNIT, CL_<DIMENSION> for each dimension (with `_T`, the
 * total), CL_OBS_STATUS, CL_CONF_STATUS, CL_MARSAD_STATUS; the concept scheme CS_MARSAD (a version per structure
 * version). Codes SDMX ids do not allow get ids of their own (sdmx-ids.ts); the original code is kept in an
 * annotation of type MARSAD_CODE, and the names in every language Marsad has.
 */
import type { Names as DbNames } from '@marsad/db';
import type { AppContext } from '../context.ts';
import { sdmxRole } from '../formats/common/sdmx.ts';
import { compareVersions } from './key-syntax.ts';
import { baseSdmxId, IdMap } from './sdmx-ids.ts';
import type {
  Artefact,
  ArtefactRef,
  AttributeComponent,
  Codelist,
  ConceptRef,
  ConceptScheme,
  Dataflow,
  DataStructure,
  Item,
  Names,
} from './structure-model.ts';
import { namesOr } from './structure-model.ts';

export const MARSAD_AGENCY = 'MARSAD';
export const MARSAD_DATAFLOW = 'DF_MARSAD';
export const MARSAD_STRUCTURE = 'DSD_MARSAD';
export const MARSAD_CONCEPTS = 'CS_MARSAD';
/** Marsad as an agency (SDMX:AGENCIES), maintaining DF_MARSAD and DF_SDG. */
export const MARSAD_AGENCY_NAMES: Names = {
  en: 'Marsad, an open urban observatory',
  fr: 'Marsad, un observatoire urbain ouvert',
  ar: 'مرصد',
};
const CODELIST_VERSION = '1.0';
export const VERSIONS_KEY = 'sdmx-rest-structure-versions';

/** The series attribute and the observation attributes, in the order the writers write them. */
export const SERIES_ATTRIBUTES = ['UNIT_MEASURE'] as const;
export const OBSERVATION_ATTRIBUTES = [
  'OBS_STATUS',
  'CONF_STATUS',
  'MARSAD_STATUS',
  'COMMENT_OBS',
  'SOURCE_DETAIL',
] as const;
export const ATTRIBUTES = [...SERIES_ATTRIBUTES, ...OBSERVATION_ATTRIBUTES] as const;
const KEY_HEAD = ['INDICATOR', 'SERIES', 'REF_AREA'] as const;

/** Ids a Marsad dimension cannot take: the other components of the structure. */
const RESERVED = new Set<string>([...KEY_HEAD, 'TIME_PERIOD', 'OBS_VALUE', ...ATTRIBUTES]);

const TOTAL = '_T';
const TOTAL_NAMES: Names = {
  en: 'Total',
  ar: 'المجموع',
  fr: 'Total',
  es: 'Total',
  ru: 'Всего',
  zh: '合计',
};

/** Names of the fixed concepts and code lists. */
const FIXED: Record<string, Names> = {
  INDICATOR: { en: 'Indicator', fr: 'Indicateur', es: 'Indicador', ar: 'المؤشر' },
  SERIES: { en: 'Series', fr: 'Série', es: 'Serie', ar: 'السلسلة' },
  REF_AREA: { en: 'Reference area', fr: 'Zone de référence', es: 'Área de referencia', ar: 'المنطقة المرجعية' },
  TIME_PERIOD: { en: 'Time period', fr: 'Période', es: 'Período', ar: 'الفترة الزمنية' },
  OBS_VALUE: { en: 'Observation value', fr: "Valeur de l'observation", es: 'Valor de la observación', ar: 'القيمة' },
  UNIT_MEASURE: { en: 'Unit of measure', fr: 'Unité de mesure', es: 'Unidad de medida', ar: 'وحدة القياس' },
  OBS_STATUS: { en: 'Observation status', fr: "Statut de l'observation", es: 'Estado de la observación' },
  CONF_STATUS: { en: 'Confidentiality status', fr: 'Statut de confidentialité', es: 'Estado de confidencialidad' },
  MARSAD_STATUS: { en: 'Marsad status (provisional, validated, approved)', fr: 'Statut Marsad' },
  COMMENT_OBS: { en: 'Observation comment', fr: "Commentaire de l'observation", es: 'Comentario' },
  SOURCE_DETAIL: { en: 'Source', fr: 'Source', es: 'Fuente', ar: 'المصدر' },
  CL_INDICATOR: { en: 'Marsad indicators', fr: 'Indicateurs de Marsad' },
  CL_SERIES: { en: 'Series of the indicators', fr: 'Séries des indicateurs' },
  CL_AREA: { en: 'Places: countries, regions, cities, districts', fr: 'Lieux : pays, régions, villes, quartiers' },
  CL_UNIT: { en: 'Units of measure', fr: 'Unités de mesure' },
  CL_OBS_STATUS: { en: 'Observation status', fr: "Statut de l'observation" },
  CL_CONF_STATUS: { en: 'Confidentiality status', fr: 'Statut de confidentialité' },
  CL_MARSAD_STATUS: { en: 'Marsad status of a value', fr: "Statut Marsad d'une valeur" },
};

/** What each fixed concept means. */
const DESCRIPTIONS: Record<string, string> = {
  INDICATOR: 'The Marsad indicator (code list CL_INDICATOR; an SDG indicator 11.1.1 has the id 11_1_1)',
  SERIES: 'The series of the indicator: a UN SDG series code, or a label of Marsad (code list CL_SERIES)',
  REF_AREA: 'The place: a country, region, city or district (code list CL_AREA, each place under its parent)',
  TIME_PERIOD: 'The period of the value: a year, half, quarter, month, week, day or a span of years',
  OBS_VALUE: 'The value; NaN where it is withheld from the reader (CONF_STATUS C)',
  UNIT_MEASURE: 'The unit of the values of the series (code list CL_UNIT)',
  OBS_STATUS: 'A for a value, P for a provisional one (SDMX code list CL_OBS_STATUS)',
  CONF_STATUS: "C for a value that rests on a count below its indicator's minimum (docs/methods/suppression.md)",
  MARSAD_STATUS: "Where the value is in Marsad's review: provisional, validated, approved",
  COMMENT_OBS: 'The note on the value, or why it is withheld',
  SOURCE_DETAIL: 'The source of the value',
};

/** A stored version of the structure: its Marsad dimensions in their positions, each [code, SDMX id]. */
export interface StoredVersion {
  version: string;
  dimensions: [code: string, id: string][];
}

/** The id a new dimension gets: its base id (sdmx-ids.ts), suffixed while taken or meaning something else in SDMX. */
function dimensionId(code: string, taken: ReadonlySet<string>): string {
  const base = baseSdmxId(code, 'component');
  let id = base;
  for (let n = 2; taken.has(id) || RESERVED.has(id) || sdmxRole(id) !== 'dim'; n++) id = `${base}_${n}`;
  return id;
}

/**
 * The versions after the dimensions became `current` (codes in the order they were created), or null when the
 * latest version has them all already. Pure.
 */
export function nextVersions(stored: readonly StoredVersion[], current: readonly string[]): StoredVersion[] | null {
  const latest = stored[stored.length - 1];
  const now = new Set(current);
  if (latest && latest.dimensions.length === now.size && latest.dimensions.every(([c]) => now.has(c))) return null;
  const kept = (latest?.dimensions ?? []).filter(([c]) => now.has(c));
  const keptCodes = new Set(kept.map(([c]) => c));
  const taken = new Set(kept.map(([, id]) => id));
  const dims: [string, string][] = [...kept];
  for (const code of current) {
    if (keptCodes.has(code)) continue;
    const id = dimensionId(code, taken);
    taken.add(id);
    dims.push([code, id]);
  }
  const major = Math.max(0, ...stored.map((v) => Number.parseInt(v.version, 10) || 0));
  return [...stored, { version: `${major + 1}.0`, dimensions: dims }];
}

function storedOf(value: unknown): StoredVersion[] {
  const list = (value as { versions?: unknown } | undefined)?.versions;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (v): v is StoredVersion =>
      typeof v === 'object' &&
      v !== null &&
      typeof (v as StoredVersion).version === 'string' &&
      Array.isArray((v as StoredVersion).dimensions),
  );
}

/**
 * The versions of the structure, with a new one kept first if the dimensions changed since the latest. Read where the
 * request reads (a replica, for the public); written, when it must be, on the primary in one transaction that holds
 * the row, so concurrent requests agree on the versions.
 */
export async function structureVersions(ctx: AppContext, dimensions: readonly string[]): Promise<StoredVersion[]> {
  const row = await ctx.store.db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', VERSIONS_KEY)
    .executeTakeFirst();
  const stored = storedOf(row?.value);
  if (nextVersions(stored, dimensions) === null) return stored;
  return ctx.store.exclusive(async (conn) => {
    await conn.query(`INSERT INTO settings (key, value) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO NOTHING`, [
      VERSIONS_KEY,
      JSON.stringify({ versions: [] }),
    ]);
    const locked = await conn.query<{ value: unknown }>('SELECT value FROM settings WHERE key = $1 FOR UPDATE', [
      VERSIONS_KEY,
    ]);
    const before = storedOf(locked.rows[0]?.value);
    // The dimensions as the primary has them now (a replica may lag behind).
    const dims = await conn.query<{ code: string }>('SELECT code FROM dimensions ORDER BY id');
    const next = nextVersions(
      before,
      dims.rows.map((d) => d.code),
    );
    if (next === null) return before;
    await conn.query('UPDATE settings SET value = $2::jsonb, updated_at = now() WHERE key = $1', [
      VERSIONS_KEY,
      JSON.stringify({ versions: next }),
    ]);
    return next;
  });
}

/** One Marsad dimension with its values as a code list. */
export interface MarsadDimension {
  code: string;
  names: Names;
  /** Value codes ↔ SDMX ids; `_T` is the total. */
  values: IdMap;
  valueNames: Map<string, Names>;
  /** The values in the order Marsad shows them (position, then creation). */
  order: string[];
  codelistId: string;
}

/** Everything the structure and the data of DF_MARSAD are made from, read once per request. */
export interface MarsadCatalog {
  indicators: IdMap;
  indicatorNames: Map<string, Names>;
  series: IdMap;
  seriesNames: Map<string, Names>;
  /** The unit of each series (by series id), which every value of the series is in. */
  seriesUnit: Map<number, string>;
  places: IdMap;
  placeNames: Map<string, Names>;
  placeParent: Map<string, string>;
  units: IdMap;
  unitNames: Map<string, Names>;
  /** Every Marsad dimension, by code, in the order created. */
  dimensions: Map<string, MarsadDimension>;
  versions: StoredVersion[];
}

const namesOf = (n: DbNames | null | undefined): Names => (n && typeof n === 'object' ? n : {});

export async function loadMarsadCatalog(ctx: AppContext): Promise<MarsadCatalog> {
  const db = ctx.store.db;
  const [indicators, series, places, dimensions, values] = await Promise.all([
    db.selectFrom('indicators').select(['id', 'code', 'names']).orderBy('id').execute(),
    db.selectFrom('series').select(['id', 'code', 'names', 'unit_code', 'unit_names']).orderBy('id').execute(),
    db.selectFrom('places').select(['id', 'code', 'names', 'parent_id']).orderBy('id').execute(),
    db.selectFrom('dimensions').select(['id', 'code', 'names']).orderBy('id').execute(),
    db
      .selectFrom('dimension_values')
      .select(['id', 'dimension_id', 'code', 'names', 'position'])
      .orderBy('id')
      .execute(),
  ]);
  const c: MarsadCatalog = {
    indicators: new IdMap(),
    indicatorNames: new Map(),
    series: new IdMap(),
    seriesNames: new Map(),
    seriesUnit: new Map(),
    places: new IdMap(),
    placeNames: new Map(),
    placeParent: new Map(),
    units: new IdMap(),
    unitNames: new Map(),
    dimensions: new Map(),
    versions: [],
  };
  for (const i of indicators) {
    c.indicators.add(i.code, 'code');
    c.indicatorNames.set(i.code, namesOf(i.names));
  }
  for (const s of series) {
    c.series.add(s.code, 'code');
    if (!c.seriesNames.has(s.code)) c.seriesNames.set(s.code, namesOf(s.names));
    if (s.unit_code) {
      c.seriesUnit.set(s.id, s.unit_code);
      c.units.add(s.unit_code, 'code');
      if (!c.unitNames.has(s.unit_code) || Object.keys(c.unitNames.get(s.unit_code)!).length === 0)
        c.unitNames.set(s.unit_code, namesOf(s.unit_names));
    }
  }
  const placeCode = new Map<number, string>();
  for (const p of places) {
    placeCode.set(p.id, p.code);
    c.places.add(p.code, 'code');
    c.placeNames.set(p.code, namesOf(p.names));
  }
  for (const p of places) {
    const parent = p.parent_id === null ? undefined : placeCode.get(p.parent_id);
    if (parent !== undefined) c.placeParent.set(p.code, parent);
  }
  const byId = new Map<number, MarsadDimension>();
  const positions = new Map<string, number>();
  for (const d of dimensions) {
    const values = new IdMap();
    values.set(TOTAL, TOTAL);
    const dim: MarsadDimension = {
      code: d.code,
      names: namesOf(d.names),
      values,
      valueNames: new Map([[TOTAL, TOTAL_NAMES]]),
      order: [],
      codelistId: '',
    };
    byId.set(d.id, dim);
    c.dimensions.set(d.code, dim);
  }
  for (const v of values) {
    const dim = byId.get(v.dimension_id);
    if (!dim) continue;
    dim.values.add(v.code, 'code');
    dim.valueNames.set(v.code, namesOf(v.names));
    dim.order.push(v.code);
    positions.set(`${v.dimension_id}\u0000${v.code}`, v.position);
  }
  for (const [id, dim] of byId) {
    const pos = (code: string) => positions.get(`${id}\u0000${code}`) ?? 0;
    dim.order.sort((a, b) => pos(a) - pos(b));
    dim.order.unshift(TOTAL);
  }
  c.versions = await structureVersions(
    ctx,
    dimensions.map((d) => d.code),
  );
  // Code list ids: CL_ and the dimension's id (from its first version), unless another code list has it.
  const taken = new Set(Object.keys(FIXED).filter((k) => k.startsWith('CL_')));
  for (const v of c.versions) {
    for (const [code, id] of v.dimensions) {
      const dim = c.dimensions.get(code);
      if (!dim || dim.codelistId) continue;
      let cl = `CL_${id}`;
      for (let n = 2; taken.has(cl); n++) cl = `CL_${id}_${n}`;
      taken.add(cl);
      dim.codelistId = cl;
    }
  }
  return c;
}

/** The code list ref of a code list of Marsad. */
const codelistRef = (id: string): ArtefactRef => ({ agency: MARSAD_AGENCY, id, version: CODELIST_VERSION });

/** A code with its names, and its original code in an annotation where the id differs. */
function codeItem(id: string, code: string, names: Names | undefined, parent?: string): Item {
  return {
    id,
    names: namesOr(names, code),
    ...(id !== code ? { annotations: [{ type: 'MARSAD_CODE', title: code }] } : {}),
    ...(parent !== undefined ? { parent } : {}),
  };
}

function codelist(id: string, names: Names, codes: Item[]): Codelist {
  return { type: 'codelist', ...codelistRef(id), names, final: false, codes };
}

/** Marsad's code lists: the fixed ones and one per dimension of any version. */
export function marsadCodelists(c: MarsadCatalog): Codelist[] {
  const list = (ids: IdMap, names: Map<string, Names>) =>
    ids.codes.map((code) => codeItem(ids.idOf(code)!, code, names.get(code)));
  const lists: Codelist[] = [
    codelist('CL_INDICATOR', FIXED.CL_INDICATOR!, list(c.indicators, c.indicatorNames)),
    codelist('CL_SERIES', FIXED.CL_SERIES!, list(c.series, c.seriesNames)),
    codelist(
      'CL_AREA',
      FIXED.CL_AREA!,
      c.places.codes.map((code) => {
        const parent = c.placeParent.get(code);
        return codeItem(
          c.places.idOf(code)!,
          code,
          c.placeNames.get(code),
          parent === undefined ? undefined : c.places.idOf(parent),
        );
      }),
    ),
    codelist('CL_UNIT', FIXED.CL_UNIT!, list(c.units, c.unitNames)),
    codelist('CL_OBS_STATUS', FIXED.CL_OBS_STATUS!, [
      { id: 'A', names: { en: 'Normal value', fr: 'Valeur normale' } },
      { id: 'P', names: { en: 'Provisional value', fr: 'Valeur provisoire' } },
    ]),
    codelist('CL_CONF_STATUS', FIXED.CL_CONF_STATUS!, [
      { id: 'F', names: { en: 'Free (free for publication)', fr: 'Libre (publiable)' } },
      {
        id: 'C',
        names: {
          en: 'Confidential statistical information (suppressed: it rests on a small count)',
          fr: 'Information statistique confidentielle',
        },
      },
    ]),
    codelist('CL_MARSAD_STATUS', FIXED.CL_MARSAD_STATUS!, [
      { id: 'provisional', names: { en: 'Provisional', fr: 'Provisoire', ar: 'مؤقت' } },
      { id: 'validated', names: { en: 'Validated', fr: 'Validé', ar: 'تم التحقق' } },
      { id: 'approved', names: { en: 'Approved', fr: 'Approuvé', ar: 'معتمد' } },
    ]),
  ];
  for (const dim of c.dimensions.values()) {
    if (!dim.codelistId) continue;
    lists.push(
      codelist(
        dim.codelistId,
        namesOr(dim.names, dim.code),
        dim.order.map((code) => codeItem(dim.values.idOf(code)!, code, dim.valueNames.get(code))),
      ),
    );
  }
  return lists;
}

/** The artefacts of one version: the dataflow, the data structure and the concept scheme. */
export function marsadVersionArtefacts(c: MarsadCatalog, v: StoredVersion): [Dataflow, DataStructure, ConceptScheme] {
  const version = v.version;
  const scheme: ArtefactRef = { agency: MARSAD_AGENCY, id: MARSAD_CONCEPTS, version };
  const concept = (id: string): ConceptRef => ({ scheme, id });
  const dims = v.dimensions.map(([code, id]) => ({ code, id, dim: c.dimensions.get(code) }));
  // Every concept has a description (rsdmx 0.6 cannot tabulate a scheme whose first concept lacks one).
  const conceptScheme: ConceptScheme = {
    type: 'conceptscheme',
    ...scheme,
    names: { en: 'Concepts of Marsad observations', fr: 'Concepts des observations de Marsad' },
    final: true,
    concepts: [
      ...KEY_HEAD.map((id) => ({ id, names: FIXED[id]!, descriptions: { en: DESCRIPTIONS[id]! } })),
      ...dims.map(({ code, id, dim }) => ({
        id,
        names: namesOr(dim?.names, code),
        descriptions: {
          en: `The breakdown by ${dim?.names.en ?? code} (Marsad dimension ${code}; code list ${dim?.codelistId || `CL_${id}`}, where _T is the total)`,
        },
        ...(id !== code ? { annotations: [{ type: 'MARSAD_CODE', title: code }] } : {}),
      })),
      ...['TIME_PERIOD', 'OBS_VALUE', ...ATTRIBUTES].map((id) => ({
        id,
        names: FIXED[id]!,
        descriptions: { en: DESCRIPTIONS[id]! },
      })),
    ],
  };
  const codelistOfAttribute: Record<string, string | undefined> = {
    UNIT_MEASURE: 'CL_UNIT',
    OBS_STATUS: 'CL_OBS_STATUS',
    CONF_STATUS: 'CL_CONF_STATUS',
    MARSAD_STATUS: 'CL_MARSAD_STATUS',
  };
  const attributes: AttributeComponent[] = ATTRIBUTES.map((id) => {
    const cl = codelistOfAttribute[id];
    return {
      id,
      concept: concept(id),
      ...(cl ? { codelist: codelistRef(cl) } : {}),
      mandatory: id === 'OBS_STATUS' || id === 'MARSAD_STATUS',
      attachment: (SERIES_ATTRIBUTES as readonly string[]).includes(id) ? 'series' : 'observation',
    };
  });
  const structureRef: ArtefactRef = { agency: MARSAD_AGENCY, id: MARSAD_STRUCTURE, version };
  const keyDims = [
    { id: 'INDICATOR', codelist: 'CL_INDICATOR' },
    { id: 'SERIES', codelist: 'CL_SERIES' },
    { id: 'REF_AREA', codelist: 'CL_AREA' },
    ...dims.map(({ id, dim }) => ({ id, codelist: dim?.codelistId || `CL_${id}` })),
  ];
  const structure: DataStructure = {
    type: 'datastructure',
    ...structureRef,
    names: {
      en: 'Marsad observations',
      ar: 'مشاهدات مرصد',
      fr: 'Observations de Marsad',
      es: 'Observaciones de Marsad',
      ru: 'Наблюдения Marsad',
      zh: 'Marsad 观测值',
    },
    descriptions: {
      en: 'Every value of every indicator at every place: the indicator, its series, the place, the breakdown by each Marsad dimension (_T: total), the period.',
    },
    final: true,
    dimensions: keyDims.map((d, i) => ({
      id: d.id,
      position: i + 1,
      concept: concept(d.id),
      codelist: codelistRef(d.codelist),
    })),
    time: { id: 'TIME_PERIOD', position: keyDims.length + 1, concept: concept('TIME_PERIOD') },
    attributes,
    measure: { id: 'OBS_VALUE', concept: concept('OBS_VALUE') },
  };
  const dataflow: Dataflow = {
    type: 'dataflow',
    agency: MARSAD_AGENCY,
    id: MARSAD_DATAFLOW,
    version,
    // Names other than English: written for Marsad, to be reviewed by a translator.
    names: {
      en: 'Marsad: indicators at every place',
      ar: 'مرصد: المؤشرات في كل مكان',
      fr: 'Marsad : les indicateurs en chaque lieu',
      es: 'Marsad: los indicadores en cada lugar',
      ru: 'Marsad: показатели по каждому месту',
      zh: 'Marsad：各地的指标',
    },
    final: true,
    structure: structureRef,
  };
  return [dataflow, structure, conceptScheme];
}

/** Every artefact of DF_MARSAD: each version's dataflow, structure and concept scheme, and the code lists. */
export function marsadArtefacts(c: MarsadCatalog): Artefact[] {
  const versions = [...c.versions].sort((a, b) => compareVersions(a.version, b.version));
  return [...versions.flatMap((v) => marsadVersionArtefacts(c, v)), ...marsadCodelists(c)];
}
