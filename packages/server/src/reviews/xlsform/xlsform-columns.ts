/**
 * XLSForm column headers as pyxform reads them: case-insensitive, `label::English (en)` or the
 * older `label:English`, `list name` for `list_name`. Texts in several languages carry the
 * language after the separator; the language's key is its code when the header gives one.
 */

/** Columns Marsad reads, by sheet; anything else that holds a value is refused. */
export const SURVEY_COLUMNS = [
  'type',
  'name',
  'label',
  'hint',
  'required',
  'required_message',
  'relevant',
  'constraint',
  'constraint_message',
  'calculation',
  'appearance',
  'choice_filter',
  'repeat_count',
  'marsad_record',
  'marsad_theme',
] as const;
export const CHOICES_COLUMNS = ['list_name', 'name', 'label'] as const;
export const SETTINGS_COLUMNS = [
  'form_title',
  'form_id',
  'version',
  'default_language',
  'instance_name',
  'allow_choice_duplicates',
] as const;

/**
 * Columns and sheets of KoboToolbox's own (`kobo--score-choices`, `kobo--rank-items`, `kobo--locking-profile`, the
 * `kobo--locking-profiles` sheet; `$kuid`, `$autoname` and the other `$` columns its form builder writes): they
 * drive Kobo's form builder and its locking of forms, not what is asked. Ignored, with a notice.
 */
export function isKoboOwn(header: string): boolean {
  const h = header.trim().toLowerCase();
  return h.startsWith('kobo--') || h.startsWith('$');
}

/** Choice columns that hold media (images, sounds, films): not supported. */
export function isMediaColumn(header: string): boolean {
  const h = header.trim().toLowerCase();
  return /^(image|big-image|audio|video)(::|:|$)/.test(h) || h.startsWith('media:');
}
/** Columns that hold text in several languages. */
export const TRANSLATABLE = new Set(['label', 'hint', 'required_message', 'constraint_message']);

const ALIASES: Record<string, string> = {
  'list name': 'list_name',
  requiredmsg: 'required_message',
  'required message': 'required_message',
  'constraint message': 'constraint_message',
  'form title': 'form_title',
  'form id': 'form_id',
  'default language': 'default_language',
  'choice filter': 'choice_filter',
  'repeat count': 'repeat_count',
  'instance name': 'instance_name',
};

export interface ParsedHeader {
  /** The column's base name, lower case (`label`). */
  base: string;
  /** The language part as written (`English (en)`), or null for a plain column. */
  language: string | null;
}

export function parseHeader(header: string): ParsedHeader {
  const h = header.trim();
  const sep = h.indexOf(':');
  const rawBase = (sep < 0 ? h : h.slice(0, sep)).trim().toLowerCase().replace(/\s+/g, ' ');
  const base = ALIASES[rawBase] ?? rawBase;
  if (sep < 0 || !TRANSLATABLE.has(base)) return { base: sep < 0 ? base : h.toLowerCase(), language: null };
  const language = h.slice(sep).replace(/^::?/, '').trim();
  return { base, language: language || null };
}

const LANGUAGE_NAMES: Record<string, string> = {
  arabic: 'ar',
  english: 'en',
  french: 'fr',
  spanish: 'es',
  russian: 'ru',
  chinese: 'zh',
  العربية: 'ar',
  français: 'fr',
  francais: 'fr',
  español: 'es',
  espanol: 'es',
  русский: 'ru',
  中文: 'zh',
};
const CODE = /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i;

/**
 * The key of a language as a header or `default_language` names it: the code in brackets
 * (`English (en)` → en), a code alone (`EN` → en), a UN language's name (`english` → en),
 * else the name itself. `name` is what to write back (null when the header was the code).
 */
export function languageKey(written: string): { code: string; name: string | null } {
  const w = written.trim();
  const bracket = /\(([^()]+)\)\s*$/.exec(w);
  if (bracket && CODE.test(bracket[1]!.trim())) return { code: bracket[1]!.trim().toLowerCase(), name: w };
  if (CODE.test(w)) return { code: w.toLowerCase(), name: null };
  const known = LANGUAGE_NAMES[w.toLowerCase()];
  if (known) return { code: known, name: w };
  return { code: w, name: w };
}
