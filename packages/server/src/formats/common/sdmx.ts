/**
 * How SDMX component ids map onto Marsad's observation fields (SDMX-CSV and SDMX-JSON alike).
 */
import { OBSERVATION_STATUSES } from '@marsad/core';

export type SdmxRole =
  | 'place'
  | 'period'
  | 'series'
  | 'indicator'
  | 'value'
  | 'unit'
  | 'status'
  | 'obsStatus'
  | 'unitMult'
  | 'note'
  | 'source'
  | 'ignore'
  | 'dim';

const ROLES: Record<string, SdmxRole> = {
  REF_AREA: 'place',
  TIME_PERIOD: 'period',
  SERIES: 'series',
  INDICATOR: 'indicator',
  OBS_VALUE: 'value',
  UNIT_MEASURE: 'unit',
  MARSAD_STATUS: 'status',
  OBS_STATUS: 'obsStatus',
  UNIT_MULT: 'unitMult',
  COMMENT_OBS: 'note',
  COMMENT: 'note',
  SOURCE_DETAIL: 'source',
  SOURCE: 'source',
};

/**
 * Components that are neither a Marsad field nor a disaggregation: SDMX-CSV's own columns,
 * frequency and reporting type, and the usual SDMX / UN SDG attributes.
 */
export const SDMX_IGNORED = new Set([
  'DATAFLOW',
  'STRUCTURE',
  'STRUCTURE_ID',
  'STRUCTURE_NAME',
  'ACTION',
  'FREQ',
  'REPORTING_TYPE',
  'NATURE',
  'DECIMALS',
  'TIME_FORMAT',
  'TIME_DETAIL',
  'TIME_COVERAGE',
  'TITLE',
  'TITLE_COMPL',
  'BASE_PER',
  'OBS_CONF',
  'OBS_PRE_BREAK',
  'CONF_STATUS',
  'EMBARGO_TIME',
  'PREF_SCALE',
  'COMPILING_ORG',
  'DATA_COMP',
  'COLL_METHOD',
  'COMMENT_TS',
  'COMMENT_DSET',
  'SERIES_COMMENT',
  'UPPER_BOUND',
  'LOWER_BOUND',
  'GEO_INFO_URL',
  'GEO_INFO_TYPE',
  'CONTACT_EMAIL',
  // Attributes of the global SDG data structure (IAEG-SDGs:SDG): a custom breakdown's label, the last update.
  'CUST_BREAKDOWN_LB',
  'DATA_LAST_UPDATE',
]);

/** The role of a component id; `roles` are SDMX-JSON 2.x component roles (e.g. ["REF_AREA"]). */
export function sdmxRole(id: string, roles?: readonly string[]): SdmxRole {
  const byId = ROLES[id];
  if (byId) return byId;
  if (SDMX_IGNORED.has(id)) return 'ignore';
  for (const r of roles ?? []) {
    const byRole = ROLES[r];
    if (byRole === 'place' || byRole === 'period') return byRole;
  }
  return 'dim';
}

/** OBS_STATUS becomes Marsad's status only when it already is one of Marsad's statuses. */
export function statusFromObsStatus(code: string | undefined): string | undefined {
  if (!code) return undefined;
  const lower = code.trim().toLowerCase();
  return (OBSERVATION_STATUSES as readonly string[]).includes(lower) ? lower : undefined;
}

/** SDMX OBS_STATUS written beside MARSAD_STATUS for other SDMX tools: P provisional, A normal. */
export function obsStatusOf(status: string): string {
  return status === 'provisional' ? 'P' : 'A';
}

export const SDMX_DEFAULT_STRUCTURE_ID = 'MARSAD:DF_MARSAD(1.0)';

/** Values that mean "no value" in an SDMX OBS_VALUE. */
export function isSdmxMissing(text: string): boolean {
  return /^nan$/i.test(text.trim());
}
