/**
 * The language of a page address (issue 15, item 2): every page has one address per language,
 * `/en/indicators/11.1.1`, `/ar/…`; an address without one is sent to the reader's language,
 * chosen by the cookie the language chooser sets, then `Accept-Language`, then Arabic.
 */
export const PAGE_LANGUAGES = ['ar', 'en', 'fr', 'es', 'ru', 'zh'] as const;
export type PageLanguage = (typeof PAGE_LANGUAGES)[number];
export const DEFAULT_PAGE_LANGUAGE: PageLanguage = 'ar';
/** The cookie the web app's language chooser sets (packages/web/src/i18n/i18n.ts writes the same name). */
export const LANGUAGE_COOKIE = 'marsad_lang';

export function isPageLanguage(v: unknown): v is PageLanguage {
  return typeof v === 'string' && (PAGE_LANGUAGES as readonly string[]).includes(v);
}

export function directionOf(lang: PageLanguage): 'rtl' | 'ltr' {
  return lang === 'ar' ? 'rtl' : 'ltr';
}

/** The value of one cookie in a `Cookie` header, or null. */
export function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/**
 * The best of the six languages in an `Accept-Language` header: by q-value (ties in the order
 * written), a tag matching by its primary subtag (`fr-CA` is French, `zh-Hant` Chinese); q=0 refuses.
 */
export function fromAcceptLanguage(header: string | undefined): PageLanguage | null {
  let best: { lang: PageLanguage; q: number } | null = null;
  for (const item of (header ?? '').split(',')) {
    const [tag, ...params] = item.trim().split(';');
    const primary = tag?.trim().toLowerCase().split('-')[0];
    if (!isPageLanguage(primary)) continue;
    let q = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p);
      if (m) q = Number(m[1]);
    }
    if (!(q > 0) || q > 1) continue;
    if (!best || q > best.q) best = { lang: primary, q };
  }
  return best?.lang ?? null;
}

/** The language for an address without one: the cookie, then `Accept-Language`, then Arabic. */
export function chooseLanguage(headers: { cookie?: string; 'accept-language'?: string }): PageLanguage {
  const fromCookie = cookieValue(headers.cookie, LANGUAGE_COOKIE);
  if (isPageLanguage(fromCookie)) return fromCookie;
  return fromAcceptLanguage(headers['accept-language']) ?? DEFAULT_PAGE_LANGUAGE;
}

/** `path` (which starts with `/`, query allowed) under the language's prefix. */
export function pathInLanguage(lang: PageLanguage, path: string): string {
  return `/${lang}${path === '/' || path.startsWith('/?') ? path.slice(1) : path}`;
}
