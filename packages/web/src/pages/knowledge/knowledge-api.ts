import type { TFunction } from 'i18next';
import type { Names } from '../../api/types.ts';
import type { SessionRole } from '../../app/session.tsx';

/**
 * What the knowledge, network and workshop pages read from the API
 * (packages/server/src/knowledge: item-routes, item-view, item-versions, pilot-routes,
 * network-routes, workshop-routes).
 */

export type ItemType = 'practice' | 'tool' | 'document';
export const ITEM_TYPES: readonly ItemType[] = ['practice', 'tool', 'document'];
export const TEXT_LANGS = ['ar', 'en', 'fr', 'es', 'ru', 'zh'] as const;

export interface SearchHit {
  id: number;
  type: ItemType;
  kind: string | null;
  status: 'draft' | 'published';
  title: string;
  language: string;
  /** HTML in which everything is escaped except <mark> around matched words (see Snippet.tsx). */
  snippet: string;
  score: number | null;
  year: number | null;
  dateStart: string | null;
  languages: string[];
}
export interface Facet {
  value: string;
  count: number;
  label?: string | null;
  level?: string;
}
export interface Facets {
  total: number;
  type: Facet[];
  language: Facet[];
  place: Facet[];
  framework: Facet[];
  sdgTarget: Facet[];
  year: Facet[];
}
export interface SearchAnswer {
  items: SearchHit[];
  total: number | null;
  hasMore: boolean;
  limit: number;
  offset: number;
  facets: Facets | null;
}

export interface PlaceRef {
  code: string;
  name: string | null;
  level: string | null;
}
export interface ItemText {
  title: string;
  summary: string;
  body: string;
  results: string;
  translated: boolean;
}
export interface Attachment {
  id: number;
  fileName: string;
  mediaType: string;
  size: number;
  sha256: string;
  language: string | null;
  extraction: string;
  extractionNote: string | null;
  createdAt: string;
  url: string;
}
export interface Pilot {
  id: number;
  tool: { id: number; title: string | null };
  place: PlaceRef | null;
  startedOn: string;
  endedOn: string | null;
  stage: string;
  outcome: Names;
  outcomeText: string | null;
  updatedAt: string;
}
export interface Item {
  id: number;
  type: ItemType;
  kind: string | null;
  status: 'draft' | 'published';
  version: number;
  canEdit: boolean;
  originalLanguage: string;
  title: string | null;
  language: string | null;
  texts: Record<string, ItemText>;
  languages: string[];
  ownerPlace: PlaceRef | null;
  places: PlaceRef[];
  dateStart: string | null;
  dateEnd: string | null;
  year: number | null;
  issuer: Names;
  issuerName: string | null;
  reference: string | null;
  sourceUrl: string | null;
  sdgTargets: { code: string; name: string | null }[];
  nuaParagraphs: number[];
  guidelinePrinciples: string[];
  frameworks: { code: string; name: string | null }[];
  keywords: string[];
  contacts: { role: string; place: PlaceRef }[];
  attachments: Attachment[];
  pilots: Pilot[];
  workshops: { id: number; kind: string; title: string | null; startsOn: string }[];
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
}
export interface VersionRow {
  version: number;
  status: string;
  createdAt: string;
  changed: string[];
}
export interface WordChange {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
  words?: WordChange[];
}
export interface Comparison {
  id: number;
  from: { version: number; createdAt: string };
  to: { version: number; createdAt: string };
  changes: FieldChange[];
}

export interface Options {
  types: ItemType[];
  kinds: Record<ItemType, string[]>;
  statuses: string[];
  languages: string[];
  pilotStages: string[];
  partnerTypes: string[];
  participantOrganisationTypes: string[];
  attachmentExtensions: string[];
  maxAttachmentBytes: number;
  frameworks: { code: string; name: string | null }[];
  sdgTargets: { code: string; goal: string; name: string | null }[];
}

export interface Partner {
  id: number;
  name: string | null;
  type: string;
  country: PlaceRef | null;
  website: string | null;
  description: string | null;
  joinedOn: string | null;
  leftOn: string | null;
  member: boolean;
}
export interface Centre {
  id: number;
  name: string | null;
  place: PlaceRef | null;
  organisation: { id: number; name: string | null } | null;
  designatedOn: string | null;
  description?: string | null;
}
export interface PilotPlace {
  code: string;
  level: string;
  name: string | null;
  parent: { code: string; name: string | null } | null;
  focalPoints: { role: string; count: number; since: string }[];
  centres: { id: number; name: string | null; designatedOn: string | null }[];
}
export interface NetworkSummary {
  pilotCountries: number;
  pilotCities: number;
  coordinationCentres: number;
  partners: { members: number; left: number; byType: Record<string, number> };
  byYear: { year: number; partnersJoined: number; partnersLeft: number; centresDesignated: number }[];
}
export interface ToolStats {
  shared: {
    count: number;
    tools: { id: number; kind: string | null; title: string | null; dateStart: string | null; pilots: number }[];
  };
  piloted: {
    count: number;
    tools: { id: number; kind: string | null; title: string | null; dateStart: string | null; pilots: number }[];
  };
  pilots: { count: number; items: Pilot[] };
  places: { count: number; items: PlaceRef[] };
}
export interface Participants {
  total?: number;
  bySex?: { female: number; male: number; unspecified: number };
  byOrganisationType?: Record<string, number>;
}
export interface Workshop {
  id: number;
  kind: string;
  status: string;
  canEdit: boolean;
  title: string | null;
  description: string | null;
  place: PlaceRef | null;
  online: boolean;
  startsOn: string;
  endsOn: string | null;
  organisers: { organisation: { id: number; name: string | null } | null; name: string | null }[];
  topics: string[];
  materials: { id: number; type: string; title: string | null }[];
  participants: Participants;
  updatedAt: string;
}
export interface WorkshopList {
  items: Workshop[];
  totals: {
    workshops: number;
    participants: number;
    bySex: { female: number; male: number; unspecified: number };
    byOrganisationType: Record<string, number>;
  };
}

const AUTHOR_ROLES = ['administrator', 'editor', 'national-focal-point', 'city-focal-point'];
/** May add items (the API decides per item; this only chooses which links to show). */
export function mayAuthor(roles: SessionRole[] | undefined): boolean {
  return !!roles?.some((r) => AUTHOR_ROLES.includes(r.role));
}
/** Places where the user may record pilots: national and city focal points. */
export function pilotPlaces(roles: SessionRole[] | undefined): string[] {
  return [
    ...new Set(
      (roles ?? [])
        .filter((r) => (r.role === 'national-focal-point' || r.role === 'city-focal-point') && r.place)
        .map((r) => r.place!),
    ),
  ];
}
/** Places whose items the user may own: editors' and focal points' places. */
export function authorPlaces(roles: SessionRole[] | undefined): string[] {
  return [
    ...new Set(
      (roles ?? [])
        .filter((r) => ['editor', 'national-focal-point', 'city-focal-point'].includes(r.role) && r.place)
        .map((r) => r.place!),
    ),
  ];
}

/** "1.2 MB" in the reader's digits. */
export function fileSize(num: (v: number, f?: number) => string, t: TFunction, bytes: number): string {
  if (bytes < 1024) return t('knowledge.size.bytes', { n: num(bytes, 0) });
  if (bytes < 1024 * 1024) return t('knowledge.size.kb', { n: num(bytes / 1024, 1) });
  return t('knowledge.size.mb', { n: num(bytes / 1024 / 1024, 1) });
}

// ---- labels (literal keys, so that the catalog test sees each) ----------------------------

export function typeLabel(t: TFunction, type: string): string {
  switch (type) {
    case 'practice':
      return t('knowledge.type.practice');
    case 'tool':
      return t('knowledge.type.tool');
    case 'document':
      return t('knowledge.type.document');
    default:
      return type;
  }
}
export function kindLabel(t: TFunction, kind: string): string {
  switch (kind) {
    case 'guide':
      return t('knowledge.kind.guide');
    case 'indicator-toolkit':
      return t('knowledge.kind.indicatorToolkit');
    case 'methodology':
      return t('knowledge.kind.methodology');
    case 'template':
      return t('knowledge.kind.template');
    case 'report':
      return t('knowledge.kind.report');
    case 'resolution':
      return t('knowledge.kind.resolution');
    case 'decision':
      return t('knowledge.kind.decision');
    case 'concept-note':
      return t('knowledge.kind.conceptNote');
    case 'review':
      return t('knowledge.kind.review');
    case 'presentation':
      return t('knowledge.kind.presentation');
    case 'meeting-outcome':
      return t('knowledge.kind.meetingOutcome');
    case 'other':
      return t('knowledge.kind.other');
    default:
      return kind;
  }
}
export function stageLabel(t: TFunction, stage: string): string {
  switch (stage) {
    case 'planned':
      return t('knowledge.stage.planned');
    case 'under-way':
      return t('knowledge.stage.underWay');
    case 'completed':
      return t('knowledge.stage.completed');
    case 'stopped':
      return t('knowledge.stage.stopped');
    default:
      return stage;
  }
}
export function partnerTypeLabel(t: TFunction, type: string): string {
  switch (type) {
    case 'local-government-network':
      return t('network.type.localGovernmentNetwork');
    case 'civil-society':
      return t('network.type.civilSociety');
    case 'academia':
      return t('network.type.academia');
    case 'private-sector':
      return t('network.type.privateSector');
    case 'un-entity':
      return t('network.type.unEntity');
    case 'funder':
      return t('network.type.funder');
    default:
      return type;
  }
}
export function orgTypeLabel(t: TFunction, type: string): string {
  switch (type) {
    case 'national-government':
      return t('workshops.org.nationalGovernment');
    case 'local-government':
      return t('workshops.org.localGovernment');
    case 'civil-society':
      return t('network.type.civilSociety');
    case 'academia':
      return t('network.type.academia');
    case 'private-sector':
      return t('network.type.privateSector');
    case 'un-entity':
      return t('network.type.unEntity');
    case 'other-international':
      return t('workshops.org.otherInternational');
    case 'other':
      return t('workshops.org.other');
    default:
      return type;
  }
}
export function workshopKindLabel(t: TFunction, kind: string): string {
  switch (kind) {
    case 'workshop':
      return t('workshops.kind.workshop');
    case 'training':
      return t('workshops.kind.training');
    default:
      return kind;
  }
}
export function statusLabel(t: TFunction, status: string): string {
  return status === 'draft'
    ? t('knowledge.status.draft')
    : status === 'published'
      ? t('knowledge.status.published')
      : status;
}
/** The name of a field of an item, as the versions and the comparison name them. */
export function fieldLabel(t: TFunction, field: string): string {
  const m = /^texts\.(\w+)(?:\.(\w+))?$/.exec(field);
  if (m) {
    const part =
      m[2] === 'title'
        ? t('knowledge.field.title')
        : m[2] === 'summary'
          ? t('knowledge.field.summary')
          : m[2] === 'body'
            ? t('knowledge.field.body')
            : m[2] === 'results'
              ? t('knowledge.field.results')
              : m[2] === 'translated'
                ? t('knowledge.field.translated')
                : t('knowledge.field.text');
    return t('knowledge.field.inLanguage', { field: part, language: m[1]! });
  }
  switch (field) {
    case 'kind':
      return t('knowledge.field.kind');
    case 'status':
      return t('knowledge.field.status');
    case 'originalLanguage':
      return t('knowledge.field.originalLanguage');
    case 'ownerPlace':
      return t('knowledge.field.ownerPlace');
    case 'places':
      return t('knowledge.field.places');
    case 'dateStart':
      return t('knowledge.field.dateStart');
    case 'dateEnd':
      return t('knowledge.field.dateEnd');
    case 'issuer':
      return t('knowledge.field.issuer');
    case 'reference':
      return t('knowledge.field.reference');
    case 'sourceUrl':
      return t('knowledge.field.sourceUrl');
    case 'sdgTargets':
      return t('knowledge.field.sdgTargets');
    case 'nuaParagraphs':
      return t('knowledge.field.nuaParagraphs');
    case 'guidelinePrinciples':
      return t('knowledge.field.guidelinePrinciples');
    case 'frameworks':
      return t('knowledge.field.frameworks');
    case 'keywords':
      return t('knowledge.field.keywords');
    case 'contacts':
      return t('knowledge.field.contacts');
    case 'attachments':
      return t('knowledge.field.attachments');
    case 'type':
      return t('knowledge.field.type');
    default:
      return field;
  }
}
