import type { Questionnaire, SuppressionRule, ValidationRules } from '@marsad/core';
import type { ColumnType, Generated, JSONColumnType } from 'kysely';

/** Text in several languages, keyed by language code (ar, en, fr, es, ru, zh). */
export type Names = Record<string, string>;
type Json<T extends object | null> = JSONColumnType<T, T | string, T | string>;
type Timestamp = ColumnType<Date | string, Date | string | undefined, Date | string>;

export interface SettingsTable {
  key: string;
  value: Json<Record<string, unknown>>;
  updated_at: Timestamp;
}
export interface SourcesTable {
  id: Generated<number>;
  name: string;
  /** The name by language (migration 022); {} for a source known by one name only. */
  names: JSONColumnType<Names, Names | string | undefined, Names | string>;
  licence: string | null;
  citation: string | null;
  url: string | null;
  synthetic: Generated<boolean>;
  created_at: Timestamp;
}
export interface ImportBatchesTable {
  id: Generated<number>;
  format: string;
  file_name: string | null;
  checksum: string | null;
  actor: string;
  state: 'running' | 'committed' | 'failed' | 'dry-run';
  default_status: string;
  counts: Json<Record<string, number>>;
  error_count: Generated<number>;
  options: Json<Record<string, unknown>>;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  /** Why a failed batch failed (migration 016); empty otherwise. */
  failure_reason: 'invalid-rows' | 'error' | 'interrupted' | null;
}
/** Texts of an indicator's metadata from an Open SDG repository (migration 017), per language, field and source. */
export interface IndicatorMetadataTable {
  id: Generated<number>;
  indicator_id: number;
  lang: string;
  field: string;
  text: string;
  source: string;
  place_id: number | null;
  batch_id: number | null;
  position: Generated<number>;
  updated_at: Generated<Timestamp>;
}
export interface FrameworksTable {
  id: Generated<number>;
  code: string;
  names: Json<Names>;
  descriptions: Json<Names>;
  draft: Generated<boolean>;
  review_needed: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface FrameworkGroupsTable {
  id: Generated<number>;
  framework_id: number;
  code: string;
  names: Json<Names>;
  position: Generated<number>;
}
export interface SdgGoalsTable {
  code: string;
  names: Json<Names>;
  source_id: number | null;
}
export interface SdgTargetsTable {
  code: string;
  goal_code: string;
  names: Json<Names>;
  source_id: number | null;
}
export type PlaceLevel = 'country' | 'region' | 'city' | 'district';
export interface PlacesTable {
  id: Generated<number>;
  code: string;
  level: PlaceLevel;
  parent_id: number | null;
  path: string;
  names: Json<Names>;
  lat: number | null;
  lon: number | null;
  codes: Json<Record<string, string>>;
  external_code: string | null;
  pilot: Generated<boolean>;
  review_needed: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** The country's own name for the place's level (place_levels, migration 018); null: named by its kind. */
  level_code: string | null;
}
/** A level as a country names it (oblys, ward): a kind of place with names by language (migration 018). */
export interface PlaceLevelsTable {
  country_id: number;
  code: string;
  kind: Exclude<PlaceLevel, 'country'>;
  names: Json<Names>;
}
/** The simplified shape of a place, GeoJSON Polygon or MultiPolygon (migration 018). */
export interface PlaceBoundariesTable {
  place_id: number;
  geometry: Json<{ type: 'Polygon' | 'MultiPolygon'; coordinates: unknown }>;
  points: number;
  bbox: number[];
  source_file: string | null;
  match_property: string | null;
  match_value: string | null;
  updated_at: Timestamp;
}
/** A column or DHIS2 mapping kept under a name by a place's role holders (migration 019). */
export interface SavedMappingsTable {
  id: Generated<number>;
  place_id: number;
  name: string;
  kind: 'columns' | 'dhis2';
  body: Json<Record<string, unknown>>;
  created_by: number | null;
  created_by_label: string;
  created_at: Timestamp;
  updated_by: number | null;
  updated_by_label: string;
  updated_at: Timestamp;
}
export interface DimensionsTable {
  id: Generated<number>;
  code: string;
  names: Json<Names>;
  open: Generated<boolean>;
  created_by_batch: number | null;
  created_at: Timestamp;
}
export interface DimensionValuesTable {
  id: Generated<number>;
  dimension_id: number;
  code: string;
  names: Json<Names>;
  position: Generated<number>;
}
/** SDMX code lists, structures and content constraints (migration 029; server/sdmx/). */
export interface SdmxCodelistsTable {
  id: Generated<number>;
  agency: string;
  code: string;
  version: string;
  names: Json<Names>;
  loaded_at: Generated<Timestamp>;
}
export interface SdmxCodesTable {
  codelist_id: number;
  code: string;
  names: Json<Names>;
  parent: string | null;
  position: number;
}
export interface SdmxStructuresTable {
  id: Generated<number>;
  agency: string;
  code: string;
  version: string;
  names: Json<Names>;
  final: Generated<boolean>;
  loaded_at: Generated<Timestamp>;
}
export type SdmxComponentKind = 'dimension' | 'time' | 'attribute' | 'measure';
export type SdmxAttachment = 'observation' | 'series' | 'group' | 'dataset';
export interface SdmxComponentsTable {
  structure_id: number;
  component: string;
  kind: SdmxComponentKind;
  position: number;
  concept: string | null;
  codelist_id: number | null;
  mandatory: Generated<boolean>;
  attachment: SdmxAttachment | null;
  attachment_dimensions: Json<string[]>;
}
export interface SdmxConstraintsTable {
  structure_id: number;
  series: string;
  component: string;
  codes: Json<string[]> | null;
}
export interface DisaggregationsTable {
  id: number;
  key: string;
  dims: Json<Record<string, string>>;
}
export type Direction = 'higher' | 'lower' | 'none';
export type IndicatorStatus = 'active' | 'retired' | 'draft';
export interface IndicatorsTable {
  id: Generated<number>;
  code: string;
  names: Json<Names>;
  definitions: Json<Names>;
  unit_code: string | null;
  unit_names: Json<Names>;
  direction: Direction;
  status: IndicatorStatus;
  sdg_target: string | null;
  local: Generated<boolean>;
  owner_place_id: number | null;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  dimensions: ColumnType<string[], string[] | undefined, string[]>;
  source_id: number | null;
  review_needed: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Checks before a value is saved (core/indicators/validation-rules.ts); {} = none. */
  validation_rules: ColumnType<ValidationRules, ValidationRules | string | undefined, ValidationRules | string>;
  /** Minimum count for publication (core/indicators/suppression-rule.ts); null = none. */
  suppression: ColumnType<
    SuppressionRule | null,
    SuppressionRule | string | null | undefined,
    SuppressionRule | string | null
  >;
}
export interface ObservationDraftsTable {
  id: Generated<number>;
  user_id: number;
  place_id: number;
  period: string;
  framework: Generated<string>;
  entries: Json<unknown[]>;
  created_at: Timestamp;
  updated_at: Timestamp;
}
/** The first answer to each change a device sent when back online (migration 033), per user and key. */
export interface OfflineSyncChangesTable {
  user_id: number;
  key: string;
  kind: 'entry' | 'answer';
  digest: string;
  outcome: 'accepted' | 'conflict' | 'refused';
  result: Json<Record<string, unknown>>;
  created_at: Generated<Timestamp>;
}
export interface IndicatorFrameworksTable {
  indicator_id: number;
  framework_id: number;
  group_id: number | null;
}
export interface SeriesTable {
  id: Generated<number>;
  indicator_id: number;
  code: string;
  names: Json<Names>;
  unit_code: string | null;
  unit_names: Json<Names>;
  aliases: ColumnType<string[], string[] | undefined, string[]>;
  is_default: Generated<boolean>;
  created_at: Timestamp;
}
export interface TargetsTable {
  id: Generated<number>;
  indicator_id: number;
  series_id: number | null;
  place_id: number | null;
  year: number;
  value: number | null;
  relative_change: number | null;
  baseline_year: number | null;
  note: string | null;
  created_at: Timestamp;
}
export interface ObservationsTable {
  series_id: number;
  place_id: number;
  period: string;
  disagg_id: number;
  indicator_id: number;
  period_start: string;
  period_end: string;
  value: number;
  unit: string | null;
  status: 'provisional' | 'validated' | 'approved';
  source_id: number | null;
  note: string | null;
  batch_id: number | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface ObservationHistoryTable {
  series_id: number;
  place_id: number;
  period: string;
  disagg_id: number;
  version: number;
  value: number;
  unit: string | null;
  status: string;
  source_id: number | null;
  note: string | null;
  batch_id: number | null;
  valid_from: Timestamp;
  valid_to: Timestamp;
  replaced_by_batch: number | null;
  change: 'update' | 'delete';
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  actor_user_id: number | null;
  actor_label: string;
  ip: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  batch_id: number | null;
  summary: string | null;
  before: Json<Record<string, unknown>> | null;
  after: Json<Record<string, unknown>> | null;
}

export type UserStatus = 'invited' | 'active' | 'disabled';
export type RoleName =
  | 'administrator'
  | 'national-focal-point'
  | 'city-focal-point'
  | 'data-validator'
  | 'reviewer'
  | 'editor';
type TextArray = ColumnType<string[], string[], string[]>;
export interface UsersTable {
  id: Generated<number>;
  email: string;
  display_name: string | null;
  password_hash: string | null;
  status: Generated<UserStatus>;
  created_at: Generated<Date>;
  last_login_at: Date | null;
}
export interface UserTokensTable {
  id: Generated<number>;
  user_id: number;
  kind: 'invitation' | 'reset';
  token_hash: string;
  created_at: Generated<Date>;
  expires_at: Timestamp;
  used_at: Date | null;
}
export interface SessionsTable {
  id: string;
  user_id: number;
  csrf_token: string;
  created_at: Generated<Date>;
  last_seen_at: Generated<Date>;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}
/** Failed sign-ins of the last minutes (migration 015; packages/server/src/auth/login-limiter.ts). */
export interface LoginFailuresTable {
  id: Generated<number>;
  account: string;
  address: string;
  failed_at: Timestamp;
}
export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  scopes: TextArray;
  expires_at: Timestamp;
  last_used_at: Date | null;
  revoked_at: Date | null;
  created_at: Generated<Date>;
}
export interface RoleAssignmentsTable {
  id: Generated<number>;
  user_id: number;
  role: RoleName;
  place_id: number | null;
  granted_by: number | null;
  created_at: Generated<Date>;
}
export interface RecordGrantsTable {
  id: Generated<number>;
  user_id: number;
  record_type: string;
  record_id: string;
  permission: string;
  granted_by: number | null;
  created_at: Generated<Date>;
}

/**
 * Questionnaires of reviews (migration 008); a version is never changed (core/reviews/questionnaire.ts is its
 * definition).
 */
export interface QuestionnairesTable {
  id: Generated<number>;
  form_id: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export interface QuestionnaireVersionsTable {
  id: Generated<number>;
  questionnaire_id: number;
  number: number;
  title: string;
  form_version: Generated<string>;
  definition: Json<Questionnaire>;
  checksum: string;
  source: 'xlsform' | 'app';
  file_name: string | null;
  created_at: Generated<Date>;
}

/** Results frameworks (migration 011, docs/methods/results.md). */
export type ResultStatus = 'planned' | 'under-way' | 'completed' | 'suspended' | 'cancelled';
export interface ProgrammesTable {
  id: Generated<number>;
  code: string;
  names: Json<Names>;
  descriptions: Json<Names>;
  start_year: number;
  end_year: number;
  status: Generated<ResultStatus>;
  reference: string | null;
  reporting_org: Json<{ ref?: string; type?: string; names?: Names }>;
  demo: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export interface ProgrammePillarsTable {
  id: Generated<number>;
  programme_id: number;
  code: string;
  kind: 'pillar' | 'means-of-implementation';
  names: Json<Names>;
  descriptions: Json<Names>;
  position: Generated<number>;
}
export interface ProgrammePlacesTable {
  programme_id: number;
  place_id: number;
  role: 'pilot' | 'participating' | 'supporting';
  since_year: number | null;
  notes: Json<Names>;
}
export interface ResultsTable {
  id: Generated<number>;
  programme_id: number;
  parent_id: number | null;
  level: 'impact' | 'outcome' | 'output' | 'activity';
  code: string | null;
  titles: Json<Names>;
  descriptions: Json<Names>;
  start_date: string | null;
  end_date: string | null;
  status: Generated<ResultStatus>;
  weight: Generated<number>;
  position: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export interface ResultPlacesTable {
  result_id: number;
  place_id: number;
}
export interface ResultPillarsTable {
  result_id: number;
  pillar_id: number;
}
export interface ProgrammePartnersTable {
  id: Generated<number>;
  programme_id: number;
  result_id: number | null;
  organisation_id: number | null;
  names: Json<Names> | null;
  position: Generated<number>;
}
export type MeasureKind = 'indicator' | 'specific' | 'computed';
export type ComputedFormula =
  | 'urban-violence-change'
  | 'cities-less-violence'
  | 'countries-improved'
  | 'population-concerned';
export interface ResultMeasuresTable {
  id: Generated<number>;
  result_id: number;
  kind: MeasureKind;
  indicator_id: number | null;
  series_id: number | null;
  aggregation: 'sum' | 'mean' | null;
  formula: ComputedFormula | null;
  names: Json<Names> | null;
  definitions: Json<Names>;
  unit_names: Json<Names>;
  measure: Generated<'unit' | 'percentage'>;
  ascending: boolean;
  baseline_year: number | null;
  baseline_value: number | null;
  weight: Generated<number>;
  position: Generated<number>;
  demo: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export interface ResultMeasurePlacesTable {
  measure_id: number;
  place_id: number;
}
export interface ResultTargetsTable {
  measure_id: number;
  year: number;
  value: number;
  notes: Json<Names>;
}
export interface ResultActualsTable {
  measure_id: number;
  year: number;
  value: number;
  source: string | null;
  notes: Json<Names>;
  updated_at: Generated<Date>;
}
export interface BudgetLinesTable {
  id: Generated<number>;
  programme_id: number;
  result_id: number | null;
  labels: Json<Names>;
  currency: string;
  year: number;
  end_year: number | null;
  /** numeric(20,2): read it as `amount::float8`. */
  amount: ColumnType<string | number, string | number, string | number>;
  notes: Json<Names>;
  demo: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export interface ExchangeRatesTable {
  from_currency: string;
  to_currency: string;
  year: number;
  rate: number;
  source: string | null;
  updated_at: Generated<Date>;
}

// Knowledge repository and network (migration 007).
type IntArray = ColumnType<number[], number[] | undefined, number[]>;
type StrArray = ColumnType<string[], string[] | undefined, string[]>;
/** A tsvector, read as its text form; written by SQL functions only. */
type TsVector = ColumnType<string, string | undefined, string>;
export type KnowledgeItemType = 'practice' | 'tool' | 'document';
export type PublicationStatus = 'draft' | 'published';
/** A contact of a practice: a role on a place, never a person. */
export interface KnowledgeContact {
  role: string;
  place: string;
}
export interface KnowledgeItemsTable {
  id: Generated<number>;
  type: KnowledgeItemType;
  kind: string | null;
  status: Generated<PublicationStatus>;
  original_language: string;
  owner_place_id: number | null;
  date_start: string | null;
  date_end: string | null;
  year: number | null;
  issuer: Json<Names>;
  reference: string | null;
  source_url: string | null;
  place_ids: IntArray;
  place_scope: IntArray;
  sdg_targets: StrArray;
  nua_paragraphs: IntArray;
  guideline_principles: StrArray;
  frameworks: StrArray;
  keywords: StrArray;
  languages: StrArray;
  contacts: Json<KnowledgeContact[]>;
  version: Generated<number>;
  keywords_search: Generated<string>;
  search_vector: TsVector;
  head_vector: TsVector;
  phrase_vector: TsVector;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  published_at: Timestamp | null;
}
export interface KnowledgeItemTextsTable {
  item_id: number;
  lang: string;
  title: string;
  summary: string;
  body: string;
  results: string;
  translated: Generated<boolean>;
  title_search: string;
  plain_text: string;
  search_text: string;
  summary_chunks: number;
  vector: TsVector;
}
export interface KnowledgeItemVersionsTable {
  item_id: number;
  version: number;
  status: PublicationStatus;
  snapshot: Json<Record<string, unknown>>;
  actor_user_id: number | null;
  created_at: Timestamp;
}
export interface KnowledgeAttachmentsTable {
  id: Generated<number>;
  item_id: number;
  file_name: string;
  media_type: string;
  size: number;
  sha256: string;
  content: Uint8Array;
  language: string | null;
  extraction: 'pdf' | 'text' | 'none' | 'failed';
  extraction_note: string | null;
  text_chars: Generated<number>;
  vector: TsVector;
  created_by: number | null;
  created_at: Timestamp;
}
export type PilotStage = 'planned' | 'under-way' | 'completed' | 'stopped';
export interface ToolPilotsTable {
  id: Generated<number>;
  item_id: number;
  place_id: number;
  started_on: string;
  ended_on: string | null;
  stage: PilotStage;
  outcome: Json<Names>;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export type PartnerType =
  | 'local-government-network'
  | 'civil-society'
  | 'academia'
  | 'private-sector'
  | 'un-entity'
  | 'funder';
export interface PartnerOrganisationsTable {
  id: Generated<number>;
  names: Json<Names>;
  type: PartnerType;
  country_place_id: number | null;
  website: string | null;
  descriptions: Json<Names>;
  joined_on: string | null;
  left_on: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface CoordinationCentresTable {
  id: Generated<number>;
  names: Json<Names>;
  place_id: number;
  organisation_id: number | null;
  designated_on: string | null;
  descriptions: Json<Names>;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface WorkshopsTable {
  id: Generated<number>;
  kind: 'workshop' | 'training';
  status: Generated<PublicationStatus>;
  titles: Json<Names>;
  descriptions: Json<Names>;
  place_id: number | null;
  online: Generated<boolean>;
  starts_on: string;
  ends_on: string | null;
  organisers: Json<({ organisationId: number } | { names: Names })[]>;
  topics: StrArray;
  participants: Json<Record<string, unknown>>;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface WorkshopMaterialsTable {
  workshop_id: number;
  item_id: number;
  position: Generated<number>;
}

/** The breakdowns each series has values for, noted as values are written (migration 025). */
export interface SeriesDisaggregationsTable {
  series_id: number;
  disagg_id: number;
}

/**
 * The latest value of each series at each place and breakdown, kept as values are written (migration 027): with
 * `approved_only` false whatever its status, with true the latest approved value. Columns as in `observations`.
 */
export interface LatestObservationsTable {
  series_id: number;
  place_id: number;
  disagg_id: number;
  approved_only: boolean;
  indicator_id: number;
  period: string;
  period_start: string;
  period_end: string;
  value: number;
  status: 'provisional' | 'validated' | 'approved';
  source_id: number | null;
}

export interface Schema {
  settings: SettingsTable;
  sources: SourcesTable;
  import_batches: ImportBatchesTable;
  frameworks: FrameworksTable;
  framework_groups: FrameworkGroupsTable;
  sdg_goals: SdgGoalsTable;
  sdg_targets: SdgTargetsTable;
  places: PlacesTable;
  place_levels: PlaceLevelsTable;
  place_boundaries: PlaceBoundariesTable;
  dimensions: DimensionsTable;
  dimension_values: DimensionValuesTable;
  disaggregations: DisaggregationsTable;
  sdmx_codelists: SdmxCodelistsTable;
  sdmx_codes: SdmxCodesTable;
  sdmx_structures: SdmxStructuresTable;
  sdmx_components: SdmxComponentsTable;
  sdmx_constraints: SdmxConstraintsTable;
  indicators: IndicatorsTable;
  indicator_frameworks: IndicatorFrameworksTable;
  series: SeriesTable;
  indicator_metadata: IndicatorMetadataTable;
  targets: TargetsTable;
  observations: ObservationsTable;
  observation_history: ObservationHistoryTable;
  series_disaggregations: SeriesDisaggregationsTable;
  latest_observations: LatestObservationsTable;
  audit_log: AuditLogTable;
  users: UsersTable;
  user_tokens: UserTokensTable;
  sessions: SessionsTable;
  login_failures: LoginFailuresTable;
  api_tokens: ApiTokensTable;
  role_assignments: RoleAssignmentsTable;
  record_grants: RecordGrantsTable;
  observation_drafts: ObservationDraftsTable;
  offline_sync_changes: OfflineSyncChangesTable;
  questionnaires: QuestionnairesTable;
  questionnaire_versions: QuestionnaireVersionsTable;
  programmes: ProgrammesTable;
  programme_pillars: ProgrammePillarsTable;
  programme_places: ProgrammePlacesTable;
  results: ResultsTable;
  result_places: ResultPlacesTable;
  result_pillars: ResultPillarsTable;
  programme_partners: ProgrammePartnersTable;
  result_measures: ResultMeasuresTable;
  result_measure_places: ResultMeasurePlacesTable;
  result_targets: ResultTargetsTable;
  result_actuals: ResultActualsTable;
  budget_lines: BudgetLinesTable;
  exchange_rates: ExchangeRatesTable;
  knowledge_items: KnowledgeItemsTable;
  knowledge_item_texts: KnowledgeItemTextsTable;
  knowledge_item_versions: KnowledgeItemVersionsTable;
  knowledge_attachments: KnowledgeAttachmentsTable;
  tool_pilots: ToolPilotsTable;
  partner_organisations: PartnerOrganisationsTable;
  coordination_centres: CoordinationCentresTable;
  workshops: WorkshopsTable;
  workshop_materials: WorkshopMaterialsTable;
  saved_mappings: SavedMappingsTable;
}
