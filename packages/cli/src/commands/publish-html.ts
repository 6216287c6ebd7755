/**
 * A page the server drew made into a page of the published site (docs/decisions/0009-static-publish.md): without
 * the app's scripts (the page reads without them: decision 0007), its header's controls the links that work
 * without scripts, and every address in it one that the published site has, or the live server's, or none.
 */

/** The stylesheet every published page adds: the header's links in place of the controls that need scripts. */
export const STATIC_CSS_PATH = '/static.css';
export const STATIC_CSS = `/* marsad publish: the published site runs no scripts, so the header shows the links that work without them
   (the menu's #site-nav and #top links, the language links) whatever the browser's scripting. */
/* Controls only scripts make work (a choice of series, places or indicator; the print and PDF buttons; the search
   box) are not shown: the published site runs none, and what they choose is the live server's. */
button[type="button"],
label:has(> select),
fieldset.no-print,
form.search-box {
  display: none !important;
}
@media (scripting: enabled) {
  .language-links {
    display: flex;
  }
}
@media (max-width: 56rem) and (scripting: enabled) {
  .site-nav .menu-link.menu-open {
    display: inline-flex;
  }
  .site-nav:target .menu-link.menu-close {
    display: inline-flex;
  }
  .site-nav:target .menu-link.menu-open {
    display: none;
  }
  .site-nav:target .site-menu:not([data-open="true"]) {
    display: flex;
  }
}
`;

/** Entities in an attribute's value as written by React (and page-html.ts). */
export const unescapeAttr = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, '&');
const escapeAttr = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The drawn page without what needs the app: its scripts (the entry, the module preloads, the answers it was drawn
 * from), the controls that only scripts work (the menu button, the selects of the header), and the placeholders of
 * the parts the browser draws after (a chart, a map: "Loading…" would stay for good), with the heading of such a
 * part when nothing else is under it. `/static.css` is added after the app's stylesheets.
 */
export function withoutScripts(html: string): string {
  return (
    html
      .replace(/<script\b[^>]*>[\s\S]*?<\/script>\s*/gi, '')
      .replace(/<link rel="modulepreload"[^>]*>\s*/gi, '')
      .replace(/<link rel="preload" as="fetch"[^>]*>\s*/gi, '')
      .replace(/<button type="button" class="menu-button[^"]*"[^>]*>[\s\S]*?<\/button>/g, '')
      .replace(/<label class="needs-script">[\s\S]*?<\/label>/g, '')
      .replace(/(<h[23][^>]*>[^<]*<\/h[23]>)?<p role="status" class="muted loading">[^<]*<\/p>/g, '')
      // A map the browser draws: once its code has loaded in the process, the server draws its frame, whose drawing
      // says "Loading…" until the script runs (the home page's map; seen when pages were drawn after another's map).
      .replace(/<figure class="map"[^>]*>[\s\S]*?<\/figure>/g, '')
      .replace(/<\/head>/i, `  <link rel="stylesheet" href="${STATIC_CSS_PATH}" />\n  </head>`)
  );
}

/** The internal addresses (`/…`, not `//…`) a page's `href` and `src` attributes name, as written (unescaped). */
export function internalLinks(html: string): string[] {
  const out = new Set<string>();
  for (const m of html.matchAll(/\s(?:href|src)="(\/(?!\/)[^"]*)"/g)) out.add(unescapeAttr(m[1]!));
  return [...out];
}

/**
 * The page with each internal address replaced as `resolve` says: a new address, or null for none — an `<a>` to
 * nowhere is removed with its text when it leads to a page of work (sign-in and such: `drop`), else kept as its
 * text; a language link (`hreflang`) to a language not published goes with its list item; another element naming
 * nowhere (`<link>`) is removed.
 */
export function rewriteLinks(
  html: string,
  resolve: (href: string) => string | null,
  drop: (href: string) => boolean,
): string {
  // Anchors first (their text kept or dropped), then any other attribute.
  let out = html.replace(
    /(<li>)?<a\b([^>]*?)\shref="(\/(?!\/)[^"]*)"([^>]*)>([\s\S]*?)<\/a>(<\/li>)?/g,
    (whole, li: string | undefined, before: string, raw: string, after: string, text: string, endLi?: string) => {
      const href = unescapeAttr(raw);
      const to = resolve(href);
      if (to !== null) return whole.replace(`href="${raw}"`, `href="${escapeAttr(to)}"`);
      if (/\shreflang=/i.test(before + after) && li && endLi) return '';
      const open = li ?? '';
      const close = endLi ?? '';
      return drop(href) ? `${open}${close}` : `${open}${text}${close}`;
    },
  );
  out = out.replace(/<link\b[^>]*\shref="(\/(?!\/)[^"]*)"[^>]*>\s*/g, (whole, raw: string) => {
    const to = resolve(unescapeAttr(raw));
    return to === null ? '' : whole.replace(`href="${raw}"`, `href="${escapeAttr(to)}"`);
  });
  out = out.replace(/(\s(?:href|src)=")(\/(?!\/)[^"]*)"/g, (whole, start: string, raw: string) => {
    const to = resolve(unescapeAttr(raw));
    return to === null ? whole : `${start}${escapeAttr(to)}"`;
  });
  return out;
}

/**
 * The `hreflang` alternates of the page for the published languages, at `site` (the published site's address, or
 * none: addresses from its root); x-default is the site's root, which sends to the default language.
 */
export function withAlternates(html: string, site: string, langs: readonly string[], pagePath: string): string {
  const links = [
    ...langs.map(
      (l) =>
        `<link rel="alternate" hreflang="${l}" href="${escapeAttr(`${site}/${l}${pagePath === '/' ? '' : pagePath}`)}" />`,
    ),
    `<link rel="alternate" hreflang="x-default" href="${escapeAttr(`${site}/`)}" />`,
  ];
  return html
    .replace(/\s*<link rel="alternate" hreflang="[^"]*" href="[^"]*" \/>/g, '')
    .replace(/<\/head>/i, `  ${links.join('\n    ')}\n  </head>`);
}

/** `DIR/index.html`: sends the reader to the default language's home (a meta refresh and a link). */
export function rootPage(lang: string, dir: 'rtl' | 'ltr', title: string, linkText: string): string {
  return `<!doctype html>
<html lang="${lang}" dir="${dir}">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta http-equiv="refresh" content="0; url=/${lang}" />
    <title>${escapeAttr(title)}</title>
    <link rel="canonical" href="/${lang}" />
  </head>
  <body>
    <p><a href="/${lang}">${escapeAttr(linkText)}</a></p>
  </body>
</html>
`;
}
