import type { TFunction } from 'i18next';
import { type Problem, type Shown, splitMessage, translateProblem } from '../admin/admin-api.ts';

/** Labels of the programme pages (literal keys, so that the catalog test sees each) and the results API's problems. */

export function levelLabel(t: TFunction, level: string): string {
  switch (level) {
    case 'impact':
      return t('programmes.level.impact');
    case 'outcome':
      return t('programmes.level.outcome');
    case 'output':
      return t('programmes.level.output');
    case 'activity':
      return t('programmes.level.activity');
    default:
      return level;
  }
}

export function resultStatusLabel(t: TFunction, status: string): string {
  switch (status) {
    case 'planned':
      return t('programmes.resultStatus.planned');
    case 'under-way':
      return t('programmes.resultStatus.underWay');
    case 'completed':
      return t('programmes.resultStatus.completed');
    case 'suspended':
      return t('programmes.resultStatus.suspended');
    case 'cancelled':
      return t('programmes.resultStatus.cancelled');
    default:
      return status;
  }
}

/** The status of a measure in words, with an icon (never colour alone) and a tone for the badge. */
export function measureStatusLook(t: TFunction, status: string): { label: string; icon: string; tone: string } {
  switch (status) {
    case 'achieved':
      return { label: t('programmes.measureStatus.achieved'), icon: '✔', tone: 'good' };
    case 'on-track':
      return { label: t('programmes.measureStatus.onTrack'), icon: '▲', tone: 'good' };
    case 'off-track':
      return { label: t('programmes.measureStatus.offTrack'), icon: '▼', tone: 'warn' };
    case 'no-data':
      return { label: t('programmes.measureStatus.noData'), icon: '…', tone: 'none' };
    case 'no-target':
      return { label: t('programmes.measureStatus.noTarget'), icon: '–', tone: 'none' };
    default:
      return { label: status, icon: '–', tone: 'none' };
  }
}

export function judgementLabel(t: TFunction, j: string): string {
  switch (j) {
    case 'better':
      return t('programmes.judgement.better');
    case 'worse':
      return t('programmes.judgement.worse');
    case 'unchanged':
      return t('programmes.judgement.unchanged');
    default:
      return j;
  }
}

export function participationRoleLabel(t: TFunction, role: string): string {
  switch (role) {
    case 'pilot':
      return t('programmes.role.pilot');
    case 'participating':
      return t('programmes.role.participating');
    case 'supporting':
      return t('programmes.role.supporting');
    default:
      return role;
  }
}

export function pillarKindLabel(t: TFunction, kind: string): string {
  return kind === 'means-of-implementation' ? t('programmes.pillarKind.means') : t('programmes.pillarKind.pillar');
}

/** The IATI OrganisationType codelist (version 2.03), for a programme's reporting organisation. */
export { IATI_ORGANISATION_TYPES } from '@marsad/core';

export function iatiOrganisationTypeLabel(t: TFunction, code: string): string {
  switch (code) {
    case '10':
      return t('programmes.iatiType.t10');
    case '11':
      return t('programmes.iatiType.t11');
    case '15':
      return t('programmes.iatiType.t15');
    case '21':
      return t('programmes.iatiType.t21');
    case '22':
      return t('programmes.iatiType.t22');
    case '23':
      return t('programmes.iatiType.t23');
    case '24':
      return t('programmes.iatiType.t24');
    case '30':
      return t('programmes.iatiType.t30');
    case '40':
      return t('programmes.iatiType.t40');
    case '60':
      return t('programmes.iatiType.t60');
    case '70':
      return t('programmes.iatiType.t70');
    case '71':
      return t('programmes.iatiType.t71');
    case '72':
      return t('programmes.iatiType.t72');
    case '73':
      return t('programmes.iatiType.t73');
    case '80':
      return t('programmes.iatiType.t80');
    case '90':
      return t('programmes.iatiType.t90');
    default:
      return code;
  }
}

export function actualOriginLabel(t: TFunction, from: string): string {
  switch (from) {
    case 'observations':
      return t('programmes.origin.observations');
    case 'entered':
      return t('programmes.origin.entered');
    case 'computed':
      return t('programmes.origin.computed');
    default:
      return from;
  }
}

// ---- problems reported by the results API ---------------------------------------------------

type Rule = [RegExp, (t: TFunction, m: RegExpExecArray) => string];

/**
 * The results API's messages for the cases these pages meet (packages/server/src/results), each with its translation.
 */
const KNOWN: Rule[] = [
  [/give the text in at least one language/, (t) => t('programmes.error.textNeeded')],
  [/letters, digits, "_", "\." or "-"/, (t) => t('programmes.error.code')],
  [/the programme has a result "([^"]+)" already/, (t, m) => t('programmes.error.codeTaken', { code: m[1]! })],
  [/cannot be under an? \w+; the chain runs/, (t) => t('programmes.error.levelOrder')],
  [/a result under it is an? \w+;/, (t) => t('programmes.error.levelAboveChildren')],
  [/you are not a national focal point of every responsible place/, (t) => t('programmes.error.notYourPlaces')],
  [
    /a result without a responsible place can be edited by administrators only/,
    (t) => t('programmes.error.placesNeeded'),
  ],
  [/Editing results needs an administrator/, (t) => t('programmes.error.forbidden')],
  [/is before startDate/, (t) => t('programmes.error.endBeforeStart')],
  [
    /is before year|must not be before year|is before startYear|must not be before startYear/,
    (t) => t('programmes.error.endYearBefore'),
  ],
  [/a programme "([^"]+)" exists already/, (t, m) => t('programmes.error.programmeCodeTaken', { code: m[1]! })],
  [/the code "([^"]+)" is given twice/, (t, m) => t('programmes.error.pillarCodeTwice', { code: m[1]! })],
  [/the place "([^"]+)" is given twice/, (t, m) => t('programmes.error.placeTwice', { place: m[1]! })],
  [/IATI OrganisationType codelist/, (t) => t('programmes.error.orgType')],
  [/no partner organisation \d+/, (t) => t('programmes.error.noPartner')],
  [/a date as YYYY-MM-DD|not a real date/, (t) => t('programmes.error.date')],
  [/no indicator "([^"]+)"/, (t, m) => t('programmes.error.noIndicator', { code: m[1]! })],
  [/has no series "([^"]+)"/, (t, m) => t('apiError.noSeries', { code: m[1]! })],
  [/has no better direction/, (t) => t('programmes.error.needsDirection')],
  [/a programme-specific indicator needs its baseline value/, (t) => t('programmes.error.baselineValueNeeded')],
  [/the year (\d+) is given twice/, (t, m) => t('programmes.error.yearTwice', { year: m[1]! })],
  [
    /the actual values of a catalogue indicator are its approved observations/,
    (t) => t('programmes.error.actualsFromData'),
  ],
  [/the actual value of a 2030 figure is computed/, (t) => t('programmes.error.actualComputed')],
  [/^no place (.+)\.$/, (t, m) => t('apiError.noPlace', { code: m[1]!.replace(/"/g, '') })],
  [/an ISO 4217 code|not an ISO 4217 currency code/, (t) => t('programmes.error.currency')],
  [/must differ from "from"/, (t) => t('programmes.error.sameCurrency')],
  [/the programme has no result \d+/, (t) => t('programmes.error.gone')],
  [
    /^No (?:measure|result) \d+|has no (?:target|actual value) for|has no budget line/,
    (t) => t('programmes.error.gone'),
  ],
  [/set the programme's IATI reporting organisation first/, (t) => t('programmes.iati.needsOrg')],
];

export function translateResultsProblem(t: TFunction, text: string): Shown {
  for (const [re, f] of KNOWN) {
    const m = re.exec(text);
    if (m) return { text: f(t, m) };
  }
  return translateProblem(t, text);
}

/** The problems of a failed answer of the results API, translated where the case is known. */
export async function resultsProblemsOf(res: Response, t: TFunction): Promise<Problem[]> {
  let body: { message?: string } = {};
  try {
    body = (await res.json()) as typeof body;
  } catch {
    /* not JSON */
  }
  if (res.status === 401) return [{ path: null, text: t('apiError.signIn') }];
  const message = body.message ?? `${res.status} ${res.statusText}`;
  return splitMessage(message).map((p) => ({ path: p.path, ...translateResultsProblem(t, p.text) }));
}
