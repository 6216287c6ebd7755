import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { chooseLanguage, isPageLanguage, type PageLanguage } from './page-language.ts';
import { WEB_DIST, webBuildStamp } from './web-routes.ts';

/**
 * Installing Marsad (issue 21): the web app manifest in the reader's language (the language cookie the app's chooser
 * sets, else Accept-Language), its icons, and the service worker (packages/web/public/sw.js, copied into the build),
 * sent with the build's stamp in it so that each build is a new worker (docs/decisions/0011-service-worker.md).
 * Each is read again on request: a rebuilt app is served without a restart, and never cached by the browser
 * beyond a revalidation (`no-cache`).
 */

/** The app's catalogs (packages/web/src/i18n/locales): the manifest names the app as the app does. */
const LOCALES = fileURLToPath(new URL('../../../web/src/i18n/locales/', import.meta.url));
const catalogs = new Map<PageLanguage, Record<string, unknown>>();
function message(lang: PageLanguage, key: string): string {
  let c = catalogs.get(lang);
  if (!c) {
    c = JSON.parse(readFileSync(path.join(LOCALES, `${lang}.json`), 'utf8')) as Record<string, unknown>;
    catalogs.set(lang, c);
  }
  return String(c[key] ?? '');
}

export function manifestFor(lang: PageLanguage) {
  const name = message(lang, 'app.name');
  return {
    name: `${name} — ${message(lang, 'app.tagline')}`,
    short_name: name,
    description: message(lang, 'app.tagline'),
    lang,
    dir: lang === 'ar' ? 'rtl' : 'ltr',
    id: '/',
    start_url: `/${lang}`,
    scope: '/',
    display: 'standalone',
    background_color: '#ffffff',
    theme_color: '#0b5563',
    icons: [
      { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
      { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
  };
}

const ICONS = new Set(['icon-192.png', 'icon-512.png', 'icon-maskable-512.png', 'icon.svg']);

export function registerPwaRoutes(app: FastifyInstance): void {
  const worker = path.join(WEB_DIST, 'sw.js');
  if (!existsSync(worker)) return;
  app.get('/sw.js', { schema: { hide: true } }, async (_req, reply) => {
    const source = (await readFile(worker, 'utf8')).replaceAll('__MARSAD_BUILD__', webBuildStamp());
    return reply
      .header('Content-Type', 'text/javascript; charset=utf-8')
      .header('Cache-Control', 'no-cache')
      .header('Service-Worker-Allowed', '/')
      .send(source);
  });
  // The page names its language (`?lang=`, page-html.ts): the browser fetches a manifest without cookies. An address
  // without it is sent to the reader's language (a redirect, which the cache of public reads never keeps).
  app.get(
    '/manifest.webmanifest',
    { schema: { hide: true, querystring: z.object({ lang: z.string().max(10).optional() }) } },
    async (req, reply) => {
      const asked = (req.query as { lang?: string }).lang;
      if (!isPageLanguage(asked))
        return reply
          .header('Vary', 'Cookie, Accept-Language')
          .header('Cache-Control', 'no-cache')
          .redirect(`/manifest.webmanifest?lang=${chooseLanguage(req.headers)}`, 302);
      return reply
        .header('Content-Type', 'application/manifest+json; charset=utf-8')
        .header('Cache-Control', 'no-cache')
        .send(JSON.stringify(manifestFor(asked)));
    },
  );
  app.get(
    '/icons/:file',
    { schema: { hide: true, params: z.object({ file: z.string().max(40) }) } },
    async (req, reply) => {
      const { file } = req.params as { file: string };
      if (!ICONS.has(file)) return reply.callNotFound();
      const body = await readFile(path.join(WEB_DIST, 'icons', file));
      return reply
        .header('Content-Type', file.endsWith('.svg') ? 'image/svg+xml' : 'image/png')
        .header('Cache-Control', 'public, max-age=86400')
        .send(body);
    },
  );
}
