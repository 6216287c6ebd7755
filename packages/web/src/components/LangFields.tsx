import { useTranslation } from 'react-i18next';
import { usePrefs } from '../app/prefs.tsx';
import { dirOf, LANGUAGES, type Lang } from '../i18n/languages.ts';
import { languageName } from '../i18n/pick-user-text.ts';
import type { Shown } from '../pages/admin/admin-api.ts';
import { described, FieldError } from '../pages/admin/forms.tsx';

/** A text in each of the six languages, as a form edits it ('' where there is none). */
export type LangValues = Record<string, string>;

/** The six language codes, for a form's field names ("names.fr"). */
export const LANG_CODES: readonly Lang[] = LANGUAGES.map((l) => l.code);

/** A form's values from stored texts: the six languages, '' where there is none (other languages kept). */
export function sixOf(texts: Record<string, string> | null | undefined): LangValues {
  return { ...texts, ...Object.fromEntries(LANG_CODES.map((l) => [l, texts?.[l] ?? ''])) };
}

/** The form field names of one text in the six languages: "names" → "names.ar", "names.en", …. */
export function langKeys(name: string): string[] {
  return LANG_CODES.map((l) => `${name}.${l}`);
}

/** A form's errors of one text by language ("names.fr" → fr), for LangFields' `errors`. */
export function langErrors(fields: Partial<Record<string, Shown>>, name: string): Partial<Record<string, Shown>> {
  return Object.fromEntries(LANG_CODES.map((l) => [l, fields[`${name}.${l}`]]).filter(([, e]) => e));
}

/**
 * One text (a name, a definition, a title) in each of the six UN languages: the reader's language
 * first, the five others folded in a disclosure that says how many are filled (open when one of them
 * is in error). Each field carries its language (`lang`, `dir`), so the browser spells and lays it
 * out right. `errors` by language code; the inputs' ids are `${id}-${lang}`.
 */
export function LangFields({
  id,
  label,
  values,
  onChange,
  multiline = false,
  errors = {},
  maxLength = 2000,
  autoFocus = false,
  className,
}: {
  id: string;
  label: string;
  values: LangValues;
  onChange: (next: LangValues) => void;
  multiline?: boolean;
  errors?: Partial<Record<string, Shown>>;
  maxLength?: number;
  /** Focus the reader's language's field when the form opens. */
  autoFocus?: boolean;
  className?: string;
}) {
  const { t } = useTranslation();
  const { lang } = usePrefs();
  const others = LANGUAGES.map((l) => l.code).filter((l) => l !== lang);
  const filled = others.filter((l) => (values[l] ?? '').trim() !== '').length;
  const field = (l: Lang) => {
    const fid = `${id}-${l}`;
    const error = errors[l];
    const props = {
      id: fid,
      lang: l,
      dir: dirOf(l),
      value: values[l] ?? '',
      maxLength,
      onChange: (e: { target: { value: string } }) => onChange({ ...values, [l]: e.target.value }),
      autoFocus: autoFocus && l === lang,
      ...described(fid, error),
    };
    return (
      <div className="field" key={l}>
        <label htmlFor={fid}>{t('common.fieldInLanguage', { field: label, language: languageName(l, lang) })}</label>
        {multiline ? <textarea rows={4} {...props} /> : <input type="text" {...props} />}
        <FieldError id={fid} error={error} />
      </div>
    );
  };
  return (
    <div className={`lang-fields${className ? ` ${className}` : ''}`}>
      {field(lang)}
      <details className="lang-fields-others" open={others.some((l) => errors[l]) || undefined}>
        <summary>{t('common.otherLanguages', { field: label, filled, total: others.length })}</summary>
        {others.map(field)}
      </details>
    </div>
  );
}
