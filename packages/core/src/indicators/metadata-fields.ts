/**
 * The fields of an indicator's metadata (migration 017, `indicator_metadata`), as Open SDG names
 * them: what a repository import keeps, in the order pages show them, and what an administrator
 * may enter in the pages (docs/formats.md, "Indicator metadata"). Shared by the server (import,
 * API) and the web app (the administration form).
 */

/** The fields kept, in the order pages show them (sources follow, per source number). */
export const METADATA_FIELDS = [
  'national_indicator_available',
  'indicator_available',
  'indicator_name',
  'graph_title',
  'graph_titles',
  'national_indicator_description',
  'computation_units',
  'computation_definitions',
  'computation_calculations',
  'comments_limitations',
  'data_footnote',
  'other_info',
  'page_content',
  'national_geographical_coverage',
  'available_disaggregations',
  'data_keywords',
  'reporting_status',
  'un_designated_tier',
  'un_custodian_agency',
  'goal_meta_link',
  'goal_meta_link_text',
] as const;

/** The fields of each source (`source_organisation_1`, …), in the order pages show them. */
export const SOURCE_KINDS = [
  'organisation',
  'title',
  'data',
  'periodicity',
  'earliest_available',
  'geographical_coverage',
  'url',
  'url_text',
  'release_date',
  'next_release',
  'statistical_classification',
  'compilation',
  'implementation',
  'contact',
  'other_info',
] as const;

/** A field of a numbered source: `source_organisation_1` → kind `organisation`, number `1`. */
export const SOURCE_FIELD = new RegExp(`^source_(${SOURCE_KINDS.join('|')})_(\\d{1,2})$`);

/** The reporting statuses Open SDG declares (`reporting_status`, one code, not a text by language). */
export const REPORTING_STATUSES = ['complete', 'inprogress', 'notstarted'] as const;

/** A field name as the database takes it (migration 017's CHECK). */
export const METADATA_FIELD_NAME = /^[a-z][a-z0-9_]{0,79}$/;

/** The longest text of one field in one language (migration 017's CHECK). */
export const METADATA_TEXT_MAX = 100_000;

/** Where a field comes in its source's list: the fields in METADATA_FIELDS' order, then the sources by number and kind. */
export function metadataFieldPosition(field: string): number {
  const i = (METADATA_FIELDS as readonly string[]).indexOf(field);
  if (i >= 0) return i;
  const m = SOURCE_FIELD.exec(field);
  return 1000 + Number(m?.[2] ?? 0) * 100 + (m ? (SOURCE_KINDS as readonly string[]).indexOf(m[1]!) : 0);
}
