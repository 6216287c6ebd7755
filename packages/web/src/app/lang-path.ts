import { DEFAULT_LANG, isLang, type Lang } from '../i18n/languages.ts';

/**
 * The language is in the page's address (issue 15, item 2): `/en/indicators/11.1.1`. The router
 * sees addresses without it (`rewrite` in router.tsx: `input` takes it off, `output` puts the
 * page's language on every link it builds), so every route and `<Link to>` stays as written.
 * The cookie is the reader's remembered choice, set by the language chooser and read by the
 * server for an address without language (packages/server/src/web/page-language.ts).
 */
export const LANGUAGE_COOKIE = 'marsad_lang';

/** The language prefix of a path, if it is one of the six, and the rest of the path. */
export function splitLanguage(pathname: string): { lang: Lang | null; rest: string } {
  const m = /^\/([^/]+)(\/.*)?$/.exec(pathname);
  return m && isLang(m[1]) ? { lang: m[1], rest: m[2] ?? '/' } : { lang: null, rest: pathname };
}

/** `pathname` (without language) under the language's prefix: `/en`, `/en/indicators`. */
export function withLanguage(lang: Lang, pathname: string): string {
  return `/${lang}${pathname === '/' ? '' : pathname}`;
}

/** The language remembered in the cookie, if any. */
export function cookieLanguage(): Lang | null {
  const m = new RegExp(`(?:^|;\\s*)${LANGUAGE_COOKIE}=([^;]*)`).exec(document.cookie);
  return m && isLang(m[1]) ? m[1] : null;
}

/** Remembers the reader's choice for a year (the server reads it for addresses without language). */
export function rememberLanguage(lang: Lang): void {
  // biome-ignore lint/suspicious/noDocumentCookie: a plain first-party cookie the server reads; no cookie library needed
  document.cookie = `${LANGUAGE_COOKIE}=${lang}; Path=/; Max-Age=31536000; SameSite=Lax`;
}

/**
 * The language of the page shown: its address's prefix; on an address without one (a not-found
 * page such as `/xx/…`), the language the server wrote in `<html lang>`, else the cookie, else Arabic.
 * `pathname`: the router history's, which changes before `window.location` does (its updates are
 * flushed a moment later).
 */
export function pageLanguage(pathname = window.location.pathname): Lang {
  const fromAddress = splitLanguage(pathname).lang;
  if (fromAddress) return fromAddress;
  const fromHtml = document.documentElement.lang;
  return isLang(fromHtml) ? fromHtml : (cookieLanguage() ?? DEFAULT_LANG);
}

/**
 * A page address without language on an app route (the web app served without Marsad's server,
 * e.g. by Vite's dev server) gets the language of the page, so that the address is the truth.
 */
export function putLanguageInAddress(): void {
  const { pathname, search, hash } = window.location;
  if (splitLanguage(pathname).lang) return;
  const lang = pageLanguage();
  window.history.replaceState(window.history.state, '', withLanguage(lang, pathname) + search + hash);
}
