import { directionOf, PAGE_LANGUAGES, type PageLanguage, pathInLanguage } from './page-language.ts';

/** Text made safe inside an HTML attribute or element. */
export const attr = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The app's index.html for a page in `lang`: `<html lang dir>` set for the language, and when the
 * page is known (`path`: its address without the language prefix and without query), a
 * `<link rel="alternate" hreflang>` for each of the six languages and `x-default` (the address
 * without prefix, which chooses the reader's language) at `origin`. `preloads`: the API answers
 * (`data`) and built modules (`modules`) the page loads first, named so that the browser fetches them
 * beside the app's code (page-preloads.ts).
 */
export function pageHtml(
  index: string,
  lang: PageLanguage,
  alternates: { origin: string; path: string } | null,
  preloads: { data: string[]; modules: string[] } = { data: [], modules: [] },
): string {
  let html = index.replace(/<html\b[^>]*>/i, `<html lang="${lang}" dir="${directionOf(lang)}">`);
  // The web app manifest in the page's language (issue 21; pwa-routes.ts): the browser fetches it without cookies.
  html = html.replace('href="/manifest.webmanifest"', `href="/manifest.webmanifest?lang=${lang}"`);
  const modules = preloads.modules.map((u) => `<link rel="modulepreload" crossorigin href="${attr(u)}" />`);
  // As the app's fetch() asks (same-origin credentials): the browser hands the preloaded answer to it.
  const data = preloads.data.map((u) => `<link rel="preload" as="fetch" crossorigin="anonymous" href="${attr(u)}" />`);
  // The code before the app's script; the API answers after all the code, so that a server whose database shares
  // its thread (PGlite) sends the files first and reads the data while the browser compiles them.
  if (modules.length) html = html.replace(/<script\b/i, `${modules.join('\n    ')}\n    <script`);
  if (data.length) html = html.replace(/<\/head>/i, `  ${data.join('\n    ')}\n  </head>`);
  if (alternates) {
    const { origin, path } = alternates;
    const links = [
      ...PAGE_LANGUAGES.map(
        (l) => `<link rel="alternate" hreflang="${l}" href="${attr(origin + pathInLanguage(l, path))}" />`,
      ),
      `<link rel="alternate" hreflang="x-default" href="${attr(origin + path)}" />`,
    ].join('\n    ');
    html = html.replace(/<\/head>/i, `  ${links}\n  </head>`);
  }
  return html;
}
