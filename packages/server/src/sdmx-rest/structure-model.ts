/**
 * The SDMX structural metadata the web service serves, as plain values: agency schemes, dataflows, data structures,
 * concept schemes, code lists and content constraints. Names are by language (`{ en: …, ar: … }`), as Marsad keeps
 * them. structure-write.ts writes them as an SDMX-ML 2.1 structure message, structure-json.ts as SDMX-JSON 2.0.
 */

export type Names = Readonly<Record<string, string>>;

export type ArtefactType = 'agencyscheme' | 'dataflow' | 'datastructure' | 'conceptscheme' | 'codelist';

export interface ArtefactRef {
  agency: string;
  id: string;
  version: string;
}

export interface Annotation {
  id?: string;
  title?: string;
  type?: string;
  text?: Names;
}

interface Maintainable extends ArtefactRef {
  names: Names;
  descriptions?: Names;
  final: boolean;
  annotations?: readonly Annotation[];
}

export interface Item {
  id: string;
  names: Names;
  descriptions?: Names;
  annotations?: readonly Annotation[];
  /** The id of the parent item (a code's parent code). */
  parent?: string;
}

export interface Codelist extends Maintainable {
  type: 'codelist';
  codes: readonly Item[];
}

export interface ConceptScheme extends Maintainable {
  type: 'conceptscheme';
  concepts: readonly Item[];
}

export interface AgencyScheme extends Maintainable {
  type: 'agencyscheme';
  agencies: readonly Item[];
}

export interface ConceptRef {
  scheme: ArtefactRef;
  id: string;
}

export interface DimensionComponent {
  id: string;
  /** 1-based position in the key. */
  position: number;
  concept: ConceptRef;
  codelist?: ArtefactRef;
}

export interface AttributeComponent {
  id: string;
  concept: ConceptRef;
  codelist?: ArtefactRef;
  mandatory: boolean;
  /** `series`: attached to every dimension but time (a series attribute); `observation`: to the primary measure. */
  attachment: 'series' | 'observation' | 'dataset';
  /** A series attribute related to some of the dimensions only: those (default: every dimension). */
  dimensions?: readonly string[];
}

export interface DataStructure extends Maintainable {
  type: 'datastructure';
  dimensions: readonly DimensionComponent[];
  time: { id: string; position: number; concept: ConceptRef };
  attributes: readonly AttributeComponent[];
  measure: { id: string; concept: ConceptRef };
}

export interface Dataflow extends Maintainable {
  type: 'dataflow';
  structure: ArtefactRef;
}

export type Artefact = AgencyScheme | Dataflow | DataStructure | ConceptScheme | Codelist;

/** A content constraint of the data there is (type Actual): the codes of each dimension and the time span. */
export interface ContentConstraint extends Maintainable {
  dataflow: ArtefactRef;
  keyValues: readonly { id: string; values: readonly string[] }[];
  /** The first and last day of the data (YYYY-MM-DD), when the query asked for TIME_PERIOD. */
  timeRange?: { start: string; end: string };
}

/** The URN of an artefact (`urn:sdmx:org.sdmx.infomodel.codelist.Codelist=MARSAD:CL_AREA(1.0)`). */
export function urnOf(type: ArtefactType | 'contentconstraint', ref: ArtefactRef): string {
  const cls = {
    agencyscheme: 'base.AgencyScheme',
    dataflow: 'datastructure.Dataflow',
    datastructure: 'datastructure.DataStructure',
    conceptscheme: 'conceptscheme.ConceptScheme',
    codelist: 'codelist.Codelist',
    contentconstraint: 'registry.ContentConstraint',
  }[type];
  return `urn:sdmx:org.sdmx.infomodel.${cls}=${ref.agency}:${ref.id}(${ref.version})`;
}

/** `AGENCY:ID(VERSION)`. */
export const refText = (r: ArtefactRef) => `${r.agency}:${r.id}(${r.version})`;

export const sameRef = (a: ArtefactRef, b: ArtefactRef) =>
  a.agency === b.agency && a.id === b.id && a.version === b.version;

/** The languages of names, in the order they are written: Marsad's six first, then the others in order. */
const LANGUAGE_ORDER = ['en', 'ar', 'fr', 'es', 'ru', 'zh'];
export function namesInOrder(names: Names | undefined): [string, string][] {
  const entries = Object.entries(names ?? {}).filter(
    (e): e is [string, string] => typeof e[1] === 'string' && e[1].trim() !== '',
  );
  const rank = (l: string) => {
    const i = LANGUAGE_ORDER.indexOf(l);
    return i < 0 ? LANGUAGE_ORDER.length : i;
  };
  return entries.sort((a, b) => rank(a[0]) - rank(b[0]) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** Names with at least one entry (SDMX requires a name): `fallback` in English when there is none. */
export function namesOr(names: Names | undefined | null, fallback: string): Names {
  return namesInOrder(names ?? undefined).length > 0 ? (names as Names) : { en: fallback };
}
