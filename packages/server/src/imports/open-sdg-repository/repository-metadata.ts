/**
 * The metadata of an Open SDG repository: per indicator, the fields of its `meta/<code>.md`
 * front matter (or `meta/<code>.yml`), of `indicator-config/<code>.yml` and of per-language
 * `meta/<lang>/<code>.md`, with values that name a translation key (`national_indicators.11-1-1-title`)
 * looked up in `translations/<lang>/<group>.yml` for every language the repository gives.
 *
 * Precedence, as Open SDG merges them: the indicator configuration, then the metadata file, then
 * the file of a language for that language. A value that is not a translation key is text in the
 * repository's own language (`language`, English unless told). A key that no translation file
 * gives is left out (the keys of Open SDG's shared translations, such as `global_indicators.…`,
 * are not in a data repository), counted in the notes.
 */
import {
  findUnstorableChar,
  METADATA_FIELDS,
  METADATA_TEXT_MAX,
  metadataFieldPosition,
  REPORTING_STATUSES,
  SOURCE_FIELD,
} from '@marsad/core';
import { parse as parseYaml } from 'yaml';
import type { CodeNames } from '../../observations/code-resolver.ts';
import { CodedError } from './repository-reason-codes.ts';

export { METADATA_FIELDS, REPORTING_STATUSES, SOURCE_KINDS } from '@marsad/core';

/** Groups of Open SDG's shared translations (sdg-translations), which a data repository does not hold. */
const SHARED_GROUPS = new Set([
  'global_indicators',
  'global_targets',
  'global_goals',
  'data',
  'general',
  'metadata_fields',
  'status',
  'indicator',
  'menu',
  'header',
  'footer',
  'search',
  'frontpage',
  'calendar',
]);

const MAX_TEXT = METADATA_TEXT_MAX;

export interface MetadataText {
  lang: string;
  field: string;
  text: string;
  position: number;
}

export interface IndicatorMetadata {
  texts: MetadataText[];
  /** Names of the indicator per language, for an indicator the import creates. */
  names: Record<string, string>;
  reportingStatus?: (typeof REPORTING_STATUSES)[number];
  notes: string[];
}

/** Translations: language → "group.key" → text. */
export type Translations = Map<string, Map<string, string>>;

/**
 * The names the translations give codes, per group (a column: REF_AREA, SERIES, UNIT_MEASURE, SEX) and code, in
 * every language they are given in: Kazakhstan's `translations/ru/REF_AREA.yml` names KZAKM "Акмолинская". The
 * import names what it creates by them (places, series, units, values of breakdowns). Group names are matched
 * without regard to case; a text longer than a name may be (300 characters) is not a name.
 */
export function codeNamesOf(translations: Translations): CodeNames {
  const byKey = new Map<string, Record<string, string>>();
  for (const [lang, texts] of translations)
    for (const [key, text] of texts) {
      const dot = key.indexOf('.');
      const group = key.slice(0, dot);
      if (dot < 1 || SHARED_GROUPS.has(group) || !text.trim() || text.length > 300) continue;
      const k = `${group.toUpperCase()}.${key.slice(dot + 1)}`;
      const names = byKey.get(k) ?? Object.create(null);
      names[lang] = text.trim();
      byKey.set(k, names);
    }
  return (group, code) => byKey.get(`${group.toUpperCase()}.${code}`);
}

/** A language folder's name as a language code: lower case, `kz` (a country) read as `kk` (Kazakh). */
export function languageCode(folder: string): string | undefined {
  const l = folder.trim().replace(/_/g, '-');
  const m = /^([a-zA-Z]{2,3})(?:-([A-Za-z0-9]{1,8}))?$/.exec(l);
  if (!m) return undefined;
  const base = m[1]!.toLowerCase() === 'kz' ? 'kk' : m[1]!.toLowerCase();
  return m[2] ? `${base}-${m[2]}` : base;
}

/** `11-1-1` → `11.1.1`; `archived-1-a-1` → archived 1.a.1; `indicator_4-c-1-2` → `4.c.1.2`. */
export function indicatorOfFileName(file: string): { code: string; archived: boolean } | undefined {
  const base = file.split('/').pop() ?? '';
  const m = /^(?:indicator_)?(archived[-_])?([0-9]{1,2}(?:-[0-9a-z]{1,3}){1,4})\.(?:csv|md|markdown|ya?ml)$/i.exec(
    base,
  );
  if (!m) return undefined;
  return { code: m[2]!.toLowerCase().replace(/-/g, '.'), archived: !!m[1] };
}

/**
 * YAML front matter and the Markdown after it (or a whole YAML file). Throws a CodedError on bad YAML: the parser's
 * first line without the place it names, then the line and column ("the YAML cannot be read: … (line 1, column 9)").
 */
export function readFrontMatter(text: string, yamlFile: boolean): { fields: Record<string, unknown>; body: string } {
  // No-break spaces that begin a line are indentation as editors meant it (PyYAML, which Open SDG uses, reads them so).
  const t = text.replace(/^\uFEFF/, '').replace(/^[ \u00A0]+/gm, (m) => ' '.repeat(m.length));
  let yamlText = t;
  let body = '';
  if (!yamlFile) {
    const m = /^---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)([\s\S]*)$/.exec(t);
    if (!m) {
      if (/^---/.test(t))
        throw new CodedError('front-matter-unclosed', 'the front matter opened with --- is never closed');
      return { fields: {}, body: t.trim() };
    }
    yamlText = m[1]!;
    body = m[2]!.trim();
  }
  let v: unknown;
  try {
    v = parseYaml(yamlText, { maxAliasCount: 100, uniqueKeys: false });
  } catch (err) {
    throw yamlError(err);
  }
  if (v === null || v === undefined) return { fields: {}, body };
  if (typeof v !== 'object' || Array.isArray(v))
    throw new CodedError('yaml-not-fields', 'the YAML is not a list of fields (key: value)');
  return { fields: v as Record<string, unknown>, body };
}

/**
 * The yaml library's error said without the excerpt of the text it appends ("… at line 1, column 9:\n\n<the line>\n
 * ^"): its words, then where, the line and column (from 1) as numbers (YAMLParseError's `linePos`).
 */
function yamlError(err: unknown): CodedError {
  const e = err as Error & { linePos?: [{ line: number; col: number }, ...unknown[]] };
  const first = (e.message ?? String(err)).split('\n')[0]!;
  const detail = first
    .replace(/ at line \d+, column \d+:?\s*$/, '')
    .replace(/:\s*$/, '')
    .slice(0, 300);
  const at = e.linePos?.[0];
  if (at && Number.isInteger(at.line) && Number.isInteger(at.col))
    return new CodedError('yaml-syntax', `the YAML cannot be read: ${detail} (line ${at.line}, column ${at.col})`, {
      line: at.line,
      column: at.col,
      detail,
    });
  return new CodedError('yaml-unreadable', `the YAML cannot be read: ${detail}`, { detail });
}

/** Flattens a translation file into `group.key` → text (nested keys joined with dots). */
export function addTranslations(into: Translations, lang: string, group: string, text: string): void {
  const { fields } = readFrontMatter(text, true);
  let m = into.get(lang);
  if (!m) {
    m = new Map();
    into.set(lang, m);
  }
  const out = m;
  const walk = (prefix: string, v: unknown, depth: number) => {
    if (depth > 6) return;
    if (typeof v === 'string' || typeof v === 'number') out.set(prefix, String(v));
    else if (v && typeof v === 'object' && !Array.isArray(v))
      for (const [k, x] of Object.entries(v)) walk(`${prefix}.${k}`, x, depth + 1);
  };
  for (const [k, v] of Object.entries(fields)) walk(`${group}.${k}`, v, 0);
}

const KEY = /^([A-Za-z][\w-]*)\.(\S+)$/;

/** Per language, the text of a value: a translation key looked up, else the value in the repository's language. */
function resolve(
  v: string,
  translations: Translations,
  groups: Set<string>,
  language: string,
  onUnresolved: () => void,
): Map<string, string> {
  const out = new Map<string, string>();
  const m = KEY.exec(v.trim());
  if (m && (groups.has(m[1]!) || SHARED_GROUPS.has(m[1]!))) {
    for (const [lang, t] of translations) {
      const x = t.get(v.trim());
      if (x?.trim()) out.set(lang, x.trim());
    }
    if (out.size === 0) onUnresolved();
    return out;
  }
  if (v.trim()) out.set(language, v.trim());
  return out;
}

function scalar(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return undefined;
}

/**
 * The metadata of one indicator from its configuration, its metadata file and the files of its
 * languages (each `{ fields, body }` as read by readFrontMatter).
 */
export function indicatorMetadata(
  layers: { lang?: string; fields: Record<string, unknown>; body?: string }[],
  translations: Translations,
  language: string,
): IndicatorMetadata {
  const groups = new Set<string>();
  for (const t of translations.values()) for (const k of t.keys()) groups.add(k.slice(0, k.indexOf('.')));
  const notes: string[] = [];
  let unresolved = 0;
  // field → lang → text, later layers overriding earlier ones.
  const values = new Map<string, Map<string, string>>();
  const set = (field: string, byLang: Map<string, string>, only?: string) => {
    let f = values.get(field);
    if (!f) {
      f = new Map();
      values.set(field, f);
    }
    for (const [lang, text] of byLang) if (!only || lang === only) f.set(lang, text);
    if (only && byLang.size && !byLang.has(only)) {
      // A language's own file gives text in that language even when it is not a key.
      const first = [...byLang.values()][0]!;
      f.set(only, first);
    }
  };
  const inactive = new Set<string>();
  for (const layer of layers) {
    const fields = { ...layer.fields };
    if (layer.body?.trim()) fields.page_content = layer.body;
    for (const [k, v] of Object.entries(fields)) {
      const a = /^source_active_(\d{1,2})$/.exec(k);
      if (a) {
        if (v === false || v === 'false') inactive.add(a[1]!);
        else inactive.delete(a[1]!);
      }
    }
    for (const [field, v] of Object.entries(fields)) {
      if (!(METADATA_FIELDS as readonly string[]).includes(field) && !SOURCE_FIELD.test(field)) continue;
      const r = (s: string) => resolve(s, translations, groups, layer.lang ?? language, () => unresolved++);
      if (field === 'graph_titles' && Array.isArray(v)) {
        const byLang = new Map<string, string[]>();
        for (const item of v) {
          if (!item || typeof item !== 'object') continue;
          const o = item as Record<string, unknown>;
          const title = scalar(o.title);
          if (!title) continue;
          const series = scalar(o.series);
          const seriesText = series ? r(series) : new Map<string, string>();
          for (const [lang, t] of r(title)) {
            const s = seriesText.get(lang) ?? series;
            const list = byLang.get(lang) ?? [];
            list.push(s ? `${s}: ${t}` : t);
            byLang.set(lang, list);
          }
        }
        set(field, new Map([...byLang].map(([l, xs]) => [l, xs.join('\n')])), layer.lang);
        continue;
      }
      if (Array.isArray(v)) {
        const byLang = new Map<string, string[]>();
        for (const item of v) {
          const s = scalar(item);
          if (!s) continue;
          for (const [lang, t] of r(s)) byLang.set(lang, [...(byLang.get(lang) ?? []), t]);
        }
        set(field, new Map([...byLang].map(([l, xs]) => [l, xs.join('; ')])), layer.lang);
        continue;
      }
      const s = scalar(v);
      if (s === undefined) continue;
      if (field === 'reporting_status') {
        set(field, new Map(s.trim() ? [[language, s.trim().toLowerCase()]] : []));
        continue;
      }
      set(field, r(s), layer.lang);
    }
  }
  const texts: MetadataText[] = [];
  const order = metadataFieldPosition;
  let skippedLong = 0;
  for (const [field, byLang] of values) {
    const n = SOURCE_FIELD.exec(field)?.[2];
    if (n && inactive.has(n)) continue;
    for (const [lang, text] of byLang) {
      if (!text.trim()) continue;
      if (text.length > MAX_TEXT || findUnstorableChar(text)) {
        skippedLong++;
        continue;
      }
      texts.push({ lang, field, text: text.trim(), position: order(field) });
    }
  }
  texts.sort((a, b) => a.position - b.position || a.lang.localeCompare(b.lang));
  const names: Record<string, string> = {};
  for (const f of ['national_indicator_available', 'indicator_available', 'graph_title', 'indicator_name']) {
    for (const [lang, t] of values.get(f) ?? []) if (!names[lang] && t.trim()) names[lang] = t.trim().slice(0, 2000);
  }
  const status = [...(values.get('reporting_status')?.values() ?? [])][0];
  if (unresolved)
    notes.push(`${unresolved} value(s) name a translation key that no translation of the repository fills: left out`);
  if (skippedLong)
    notes.push(
      `${skippedLong} text(s) longer than ${MAX_TEXT.toLocaleString('en')} characters or unstorable: left out`,
    );
  if (status && !(REPORTING_STATUSES as readonly string[]).includes(status))
    notes.push(`reporting_status "${status}" is not complete, inprogress or notstarted`);
  return {
    texts,
    names,
    ...(status && (REPORTING_STATUSES as readonly string[]).includes(status)
      ? { reportingStatus: status as IndicatorMetadata['reportingStatus'] }
      : {}),
    notes,
  };
}
