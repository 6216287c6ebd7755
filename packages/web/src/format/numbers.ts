import type { Lang } from '../i18n/languages.ts';

export type DigitStyle = 'arab' | 'latn';
const DIGITS_KEY = 'marsad.digits';

/** Arabic-Indic digits by default in Arabic; Latin digits on request (Morocco writes Latin digits). */
export function storedDigits(): DigitStyle {
  try {
    return localStorage.getItem(DIGITS_KEY) === 'latn' ? 'latn' : 'arab';
  } catch {
    return 'arab';
  }
}
export function storeDigits(d: DigitStyle): void {
  try {
    localStorage.setItem(DIGITS_KEY, d);
  } catch {
    /* storage unavailable */
  }
}

export function localeTag(lang: Lang, digits: DigitStyle): string {
  if (lang === 'ar') return `ar-u-nu-${digits}`;
  if (lang === 'zh') return 'zh-Hans';
  return lang;
}

/**
 * Formatters made once per locale and options: a table of a thousand values asked a new Intl.NumberFormat for
 * each (resolving the locale every time, tens of milliseconds on a page of many values).
 */
const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(tag: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${tag}|${JSON.stringify(options)}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(tag, options);
    numberFormats.set(key, f);
  }
  return f;
}
const dateFormats = new Map<string, Intl.DateTimeFormat>();

export function formatNumber(
  value: number | null | undefined,
  lang: Lang,
  digits: DigitStyle,
  maxFractionDigits = 2,
): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return numberFormat(localeTag(lang, digits), { maximumFractionDigits: maxFractionDigits }).format(value);
}

export function formatPercent(value: number, lang: Lang, digits: DigitStyle): string {
  return numberFormat(localeTag(lang, digits), {
    style: 'percent',
    maximumFractionDigits: 1,
    signDisplay: 'exceptZero',
  }).format(value);
}

export function formatDate(iso: string, lang: Lang, digits: DigitStyle): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const tag = localeTag(lang, digits);
  let f = dateFormats.get(tag);
  if (!f) {
    f = new Intl.DateTimeFormat(tag, { year: 'numeric', month: 'short', day: 'numeric' });
    dateFormats.set(tag, f);
  }
  return f.format(d);
}

/** Digits inside a period code ("2017-18", "2024-Q1") follow the chosen digits too. */
export function formatPeriod(code: string, lang: Lang, digits: DigitStyle): string {
  if (lang !== 'ar' || digits === 'latn') return code;
  return code.replace(/[0-9]/g, (d) => String.fromCharCode(0x0660 + Number(d)));
}
