/**
 * Pages drawn on the server (issue 16; docs/decisions/0007-server-rendered-pages.md): the web app's server
 * renderer (packages/web/src/entry-server.tsx, built into packages/web/dist-server/) gives a page's HTML and
 * the API answers it was drawn from; this module loads it, hands it the server's own API (in process, without
 * credentials: the public answer, from the public cache when kept) and puts what it drew into index.html. A
 * page that cannot be drawn here (the renderer is not built, a query failed, its data is too large) is sent
 * as before, and the browser draws it.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { attr } from './page-html.ts';
import type { PageLanguage } from './page-language.ts';

/** What the renderer module exports (packages/web/src/entry-server.tsx). */
interface RendererModule {
  renderPage(
    url: string,
    lang: PageLanguage,
    fetchApi: (url: string, init?: RequestInit) => Promise<Response>,
    maxStateBytes?: number,
  ): Promise<{ html: string; state: string; title: string }>;
  NotRendered: new (...args: never[]) => Error;
  SERVER_STATE_ID: string;
}

/** A page as the server drew it: what goes into index.html. */
export interface DrawnPage {
  html: string;
  state: string;
  stateId: string;
  title: string;
}

let loaded: { key: string; module: Promise<RendererModule | null> } | null = null;

/** The renderer of the build in `distServer`, loaded again when it is rebuilt; null when it is not built. */
function renderer(distServer: string, log: FastifyBaseLogger): Promise<RendererModule | null> {
  const file = path.join(distServer, 'entry-server.js');
  let key: string;
  try {
    key = String(statSync(file).mtimeMs);
  } catch {
    return Promise.resolve(null);
  }
  if (loaded?.key !== key) {
    const module = import(`${pathToFileURL(file).href}?v=${key}`).then(
      (m) => m as RendererModule,
      (err: unknown) => {
        log.warn({ err }, 'the pages renderer could not be loaded: pages are drawn in the browser');
        return null;
      },
    );
    loaded = { key, module };
  }
  return loaded.module;
}

/** JSON inside `<script type="application/json">`: nothing in it can end the element or open a comment. */
function scriptSafe(json: string): string {
  return json
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * The page at `url` (address with language prefix and query) drawn in `lang` for a reader without a session,
 * or null when it is drawn in the browser instead (the reason logged at debug level; a fault at warn).
 */
export async function drawPage(
  app: FastifyInstance,
  distServer: string,
  url: string,
  lang: PageLanguage,
): Promise<DrawnPage | null> {
  const r = await renderer(distServer, app.log);
  if (!r) return null;
  const fetchApi = async (apiUrl: string) => {
    const res = await app.inject({ method: 'GET', url: apiUrl, headers: { accept: 'application/json' } });
    const headers = new Headers();
    for (const [k, v] of Object.entries(res.headers))
      if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : String(v));
    return new Response(res.statusCode === 304 || res.statusCode === 204 ? null : new Uint8Array(res.rawPayload), {
      status: res.statusCode,
      headers,
    });
  };
  try {
    const page = await r.renderPage(url, lang, fetchApi);
    return { ...page, stateId: r.SERVER_STATE_ID };
  } catch (err) {
    if (err instanceof r.NotRendered) app.log.debug({ url, reason: err.message }, 'page drawn in the browser');
    else app.log.warn({ err, url }, 'the server could not draw the page: it is drawn in the browser');
    return null;
  }
}

/** index.html (already given its language and links by page-html.ts) with the page drawn in it. */
export function withDrawnPage(html: string, page: DrawnPage): string {
  return (
    html
      .replace(/<title>[\s\S]*?<\/title>/i, () => `<title>${attr(page.title)}</title>`)
      // The page reads without JavaScript: the note that it needs it goes.
      .replace(/<noscript>[\s\S]*?<\/noscript>\s*/i, '')
      .replace(
        /<div id="root"><\/div>/,
        () =>
          `<div id="root">${page.html}</div>\n    <script type="application/json" id="${page.stateId}">${scriptSafe(page.state)}</script>`,
      )
  );
}
