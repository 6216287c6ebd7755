import type { TFunction } from 'i18next';
import type { Names } from '../../api/types.ts';
import type { SessionRole } from '../../app/session.tsx';

/** What the administration pages read from the account, token, place, indicator and audit API. */

export const ROLES = [
  'administrator',
  'national-focal-point',
  'city-focal-point',
  'data-validator',
  'reviewer',
  'editor',
] as const;
export type Role = (typeof ROLES)[number];
export const USER_STATUSES = ['invited', 'active', 'disabled'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];
export const TOKEN_STATES = ['active', 'expired', 'revoked'] as const;
export type TokenState = (typeof TOKEN_STATES)[number];
export const LEVELS = ['country', 'region', 'city', 'district'] as const;
export type Level = (typeof LEVELS)[number];
export const LANGS = ['ar', 'en', 'fr', 'es', 'ru', 'zh'] as const;

/** The level of place a role must hold (the server checks it too); none: any place. */
export const ROLE_LEVEL: Partial<Record<Role, Level>> = {
  'national-focal-point': 'country',
  'city-focal-point': 'city',
};

export interface UserRole {
  role: Role;
  place: string | null;
  placeLevel: string | null;
  placeNames: Names | null;
}
export interface AdminUser {
  id: number;
  email: string;
  displayName: string | null;
  status: UserStatus;
  createdAt: string;
  lastLoginAt: string | null;
  roles: UserRole[];
}
export interface Grant {
  recordType: string;
  recordId: string;
  permission: string;
  createdAt: string;
}
export interface UserToken {
  id: number;
  name: string;
  scopes: string[];
  state: TokenState;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
  user: { id: number; email: string; displayName: string | null; status: string };
}
export interface LinkAnswer {
  url: string;
  expiresAt: string;
  emailSent: boolean;
}
export interface AuditEntry {
  id: number;
  at: string;
  actor_label: string;
  actor_user_id: number | null;
  ip: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  batch_id: number | null;
  summary: string | null;
  before: unknown;
  after: unknown;
}
export interface SearchPlace {
  code: string;
  level: string;
  name: string | null;
  names: Names;
  pilot: boolean;
  parent: { code: string; name: string | null; level: string } | null;
}

export interface ValidationRules {
  min?: number;
  max?: number;
  unit?: string;
  requiredDimensions?: string[];
  sumTolerance?: number;
  maxChangePercent?: number;
  /** Rules whose breach is a warning (the value is saved and the problem shown), not an error. */
  warnings?: RuleName[];
}
/** The rules by name, as `warnings` lists them (core VALIDATION_RULE_NAMES). */
export const RULE_NAMES = ['range', 'unit', 'requiredDimensions', 'sumTolerance', 'maxChangePercent'] as const;
export type RuleName = (typeof RULE_NAMES)[number];
export interface SuppressionRule {
  minCount: number;
  countSeries?: string;
  dimensions?: string[];
  levels?: Level[];
}

export function isAdministrator(roles: SessionRole[] | undefined): boolean {
  return !!roles?.some((r) => r.role === 'administrator');
}
/** Places of the focal-point roles: where the user may add places (and edit those under them). */
export function focalPlaces(roles: SessionRole[] | undefined): string[] {
  return [
    ...new Set(
      (roles ?? [])
        .filter((r) => (r.role === 'national-focal-point' || r.role === 'city-focal-point') && r.place)
        .map((r) => r.place!),
    ),
  ];
}

// ---- labels (literal keys, so that the catalog test sees each) ----------------------------

export function roleLabel(t: TFunction, role: string): string {
  switch (role) {
    case 'administrator':
      return t('admin.role.administrator');
    case 'national-focal-point':
      return t('admin.role.nationalFocalPoint');
    case 'city-focal-point':
      return t('admin.role.cityFocalPoint');
    case 'data-validator':
      return t('admin.role.dataValidator');
    case 'reviewer':
      return t('admin.role.reviewer');
    case 'editor':
      return t('admin.role.editor');
    default:
      return role;
  }
}
export function userStatusLabel(t: TFunction, s: string): string {
  switch (s) {
    case 'invited':
      return t('admin.userStatus.invited');
    case 'active':
      return t('admin.userStatus.active');
    case 'disabled':
      return t('admin.userStatus.disabled');
    default:
      return s;
  }
}
export function tokenStateLabel(t: TFunction, s: string): string {
  switch (s) {
    case 'active':
      return t('admin.tokenState.active');
    case 'expired':
      return t('admin.tokenState.expired');
    case 'revoked':
      return t('admin.tokenState.revoked');
    default:
      return s;
  }
}
export function languageLabel(t: TFunction, lang: string): string {
  switch (lang) {
    case 'ar':
      return t('admin.lang.ar');
    case 'en':
      return t('admin.lang.en');
    case 'fr':
      return t('admin.lang.fr');
    case 'es':
      return t('admin.lang.es');
    case 'ru':
      return t('admin.lang.ru');
    case 'zh':
      return t('admin.lang.zh');
    default:
      return lang;
  }
}

// ---- problems reported by the API ---------------------------------------------------------

/** A message to show: translated, or the API's English text (then `lang` is 'en'). */
export interface Shown {
  text: string;
  lang?: 'en';
}
/** A problem with the field path the API named (e.g. "roles.0.place"), if any. */
export interface Problem extends Shown {
  path: string | null;
}

type Rule = [RegExp, (t: TFunction, m: RegExpExecArray) => string];

/** The messages the API sends for the cases these pages meet, each with its translation. */
const KNOWN: Rule[] = [
  [/must be an e-mail address|is not an e-mail address|Invalid email/i, (t) => t('apiError.email')],
  [/an account with the address \S+? exists already/, (t) => t('apiError.emailTaken')],
  [/a national focal point holds a country/, (t) => t('apiError.nationalNeedsCountry')],
  [/a city focal point holds a city/, (t) => t('apiError.cityNeedsCity')],
  [/the role \S+ needs the code of a place/, (t) => t('apiError.roleNeedsPlace')],
  [/the administrator role is not tied to a place/, (t) => t('apiError.adminNoPlace')],
  [/would leave no active administrator/, (t) => t('apiError.lastAdministrator')],
  [/is disabled; enable the account first/, (t) => t('apiError.userDisabled')],
  [/does not hold the role/, (t) => t('apiError.noSuchRole')],
  [/has no grant/, (t) => t('apiError.noSuchGrant')],
  [/no active API token with id/, (t) => t('apiError.noSuchToken')],
  [/must be a lower-case record type/, (t) => t('apiError.recordType')],
  [/must be a lower-case permission/, (t) => t('apiError.permission')],
  [/a place with code "([^"]+)" exists already/, (t, m) => t('apiError.placeCodeTaken', { code: m[1]! })],
  [/code "([^"]+)" is given twice/, (t, m) => t('apiError.placeCodeTaken', { code: m[1]! })],
  [/letters, digits, \. _ - \(up to 40\)/, (t) => t('apiError.placeCode')],
  [/only an administrator may add a country/, (t) => t('apiError.countryAddAdminOnly')],
  [/only an administrator may edit a country/, (t) => t('apiError.countryEditAdminOnly')],
  [/you may not (?:add places under|edit) "([^"]+)"/, (t, m) => t('apiError.notYourPlace', { code: m[1]! })],
  [/a (\w+) cannot be under a (\w+)/, (t) => t('apiError.levelUnder')],
  [/a \w+ needs a parent place/, (t) => t('apiError.needsParent')],
  [/unknown parent "([^"]+)"/, (t, m) => t('apiError.noPlace', { code: m[1]! })],
  [/no place with code "([^"]+)"/, (t, m) => t('apiError.noPlace', { code: m[1]! })],
  [/give a name in at least one language/, (t) => t('apiError.nameNeeded')],
  [/min must not be above max/, (t) => t('apiError.minAboveMax')],
  [/no series with code "([^"]+)"/, (t, m) => t('apiError.noSeries', { code: m[1]! })],
  [/no dimension with code "([^"]+)"/, (t, m) => t('apiError.noDimension', { code: m[1]! })],
  [/needs an administrator/, (t) => t('apiError.forbidden')],
  [/You are not signed in|not signed in/, (t) => t('apiError.signIn')],
  [/Invalid CSRF|X-CSRF-Token/i, (t) => t('apiError.csrf')],
  [/^Too small: expected number to be >=?\s*(-?[\d.e+]+)/, (t, m) => t('apiError.tooSmall', { min: m[1]! })],
  [/^Too big: expected number to be <=?\s*(-?[\d.e+]+)/, (t, m) => t('apiError.tooBig', { max: m[1]! })],
  [/^Too small: expected string to have >=?1 characters?/, (t) => t('apiError.required')],
  [/^Too big: expected string to have <=?\s*(\d+) characters/, (t, m) => t('apiError.tooLong', { max: m[1]! })],
  [/^Invalid input: expected number/, (t) => t('apiError.number')],
  [/^Invalid input: expected int|expected int,|Invalid input: expected an integer/, (t) => t('apiError.integer')],
];

export function translateProblem(t: TFunction, text: string): Shown {
  for (const [re, f] of KNOWN) {
    const m = re.exec(text);
    if (m) return { text: f(t, m) };
  }
  return { text, lang: 'en' };
}

/** "body.roles.0.place: …; body.email: …" → one problem per part, with its path. */
export function splitMessage(message: string): { path: string | null; text: string }[] {
  return message.split(/; (?=[A-Za-z][\w.]*: )/).map((part) => {
    const m = /^([A-Za-z][\w.]*): ([\s\S]*)$/.exec(part);
    if (!m) return { path: null, text: part };
    return { path: m[1]!.replace(/^(?:body|querystring|params)\.?/, '') || null, text: m[2]! };
  });
}

/** The problems of a failed answer, translated where the case is known. */
export async function problemsOf(res: Response, t: TFunction): Promise<Problem[]> {
  let body: { message?: string; details?: { problems?: { row: number; column?: string; message: string }[] } } = {};
  try {
    body = (await res.json()) as typeof body;
  } catch {
    /* not JSON */
  }
  const rows = body.details?.problems;
  if (Array.isArray(rows) && rows.length) {
    return rows.map((p) => ({ path: p.column || null, ...translateProblem(t, p.message) }));
  }
  const message = body.message ?? `${res.status} ${res.statusText}`;
  if (res.status === 403 && /needs an administrator/.test(message))
    return [{ path: null, text: t('apiError.forbidden') }];
  if (res.status === 401) return [{ path: null, text: t('apiError.signIn') }];
  return splitMessage(message).map((p) => ({ path: p.path, ...translateProblem(t, p.text) }));
}

/** The last segment of a path that is not an index: "roles.0.place" → "place". */
export function lastSegment(path: string | null): string | null {
  if (!path) return null;
  const parts = path.split('.').filter((s) => !/^\d+$/.test(s));
  return parts[parts.length - 1] ?? null;
}
