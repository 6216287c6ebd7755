import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { isAnonymous } from '../http/public-cache.ts';
import { linkBase } from '../mail/link-mail.ts';
import { loadMailSettings } from '../mail/mail-settings.ts';
import { pageHtml } from './page-html.ts';
import { chooseLanguage, isPageLanguage, type PageLanguage, pathInLanguage } from './page-language.ts';
import { pageDataRequests, pageModuleFiles, readWebBuild } from './page-preloads.ts';
import { drawPage, withDrawnPage } from './page-render.ts';

export const WEB_DIST = fileURLToPath(new URL('../../../web/dist/', import.meta.url));
/** The web app's server renderer (packages/web/src/entry-server.tsx, built by scripts/build-web.mjs). */
const WEB_DIST_SERVER = fileURLToPath(new URL('../../../web/dist-server/', import.meta.url));

let stamp = { at: 0, value: '' };
/**
 * The build of the web app the pages are made of (the time index.html was written), looked at once a second: part of
 * the key under which a page's HTML is kept (http/public-cache.ts), so a rebuilt app is served without a restart.
 */
export function webBuildStamp(): string {
  const now = Date.now();
  if (now - stamp.at >= 1000) {
    let value = '';
    try {
      value = String(statSync(path.join(WEB_DIST, 'index.html')).mtimeMs);
    } catch {
      /* not built */
    }
    stamp = { at: now, value };
  }
  return stamp.value;
}

/**
 * The page addresses of the app (packages/web/src/app/router.tsx, whose `$name` parameters are `:name` here), without
 * the language prefix: each answers 200 with the page when loaded directly (test/web-routes-direct.test.ts walks the
 * router's routes against this list). What a parameter may be is in PARAMETERS; an address of a record that does not
 * exist is the not-found page (404), checked in `page` below.
 */
export const PAGE_PATHS = [
  '/',
  '/indicators',
  '/indicators/:code',
  '/places',
  '/places/:code',
  '/places/:code/report',
  '/programmes',
  '/programmes/:code',
  '/results/success-indicators',
  '/results/board-progress',
  '/results/board-progress/:from/:to',
  '/compare',
  '/status',
  '/safety/profile',
  '/safety',
  '/safety/monitor',
  '/safety/monitor/edit',
  '/safety/assessments',
  '/safety/assessments/:id',
  '/safety/assessments/:id/profile',
  '/sign-in',
  '/accept',
  '/inbox',
  '/import',
  '/entry',
  '/offline',
  '/knowledge',
  '/knowledge/new',
  '/knowledge/:id',
  '/knowledge/:id/edit',
  '/network',
  '/network/partner',
  '/network/centre',
  '/network/workshop',
  '/workshops',
  '/workshops/:id',
  '/reviews',
  '/reviews/cycles/new',
  '/reviews/questionnaires/new',
  '/reviews/questionnaires/:id/edit',
  '/reviews/cycles/:id',
  '/reviews/cycles/:id/board-report',
  '/reviews/submissions/:id',
  '/reviews/published/:id',
  '/admin',
  '/admin/users',
  '/admin/users/:id',
  '/admin/tokens',
  '/admin/places',
  '/admin/indicators',
  '/admin/indicators/:code',
  '/admin/audit',
];

/** What a parameter of a page address may be (any other segment: anything but a slash). */
const PARAMETERS: Record<string, string> = { id: '\\d{1,9}', from: '\\d{4}-\\d{2}-\\d{2}', to: '\\d{4}-\\d{2}-\\d{2}' };

/** PAGE_PATHS as patterns of a decoded address (a trailing slash allowed). */
const PAGE_PATTERNS = PAGE_PATHS.map(
  (p) =>
    new RegExp(
      `^${p
        .split('/')
        .map((seg) =>
          seg.startsWith(':')
            ? `(?:${PARAMETERS[seg.slice(1)] ?? '[^/]+'})`
            : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
        )
        .join('/')}/?$`,
    ),
);

/** Whether an address (decoded, without language prefix) is one of the app's pages. */
export function isPagePath(url: string): boolean {
  return url === '/' || PAGE_PATTERNS.some((re) => re.test(url));
}

/**
 * Serves the web app built into packages/web/dist: its files, and index.html for every page
 * address under a language prefix (`/en/indicators/11.1.1`; the app routes in the browser), with
 * `<html lang dir>` and the `hreflang` alternates of the language (page-html.ts). An address
 * without prefix is redirected (302) to the reader's language (page-language.ts), query kept. An
 * address for an indicator, a place or a programme that does not exist answers HTTP 404 with the
 * app's not-found page; so does an unknown prefix (`/xx/…`).
 */
export async function registerWebRoutes(app: FastifyInstance, ctx: AppContext): Promise<boolean> {
  const index = path.join(WEB_DIST, 'index.html');
  if (!existsSync(index)) return false;
  await app.register(fastifyStatic, {
    root: path.join(WEB_DIST, 'assets'),
    prefix: '/assets/',
    wildcard: true,
    index: false,
    maxAge: '1y',
    immutable: true,
    // The build writes each asset also as .br and .gz (scripts/build-web.mjs): sent as the browser accepts.
    preCompressed: true,
  });
  // Built assets have content hashes in their names: they are cached for good (maxAge, immutable).

  // Read on each page request (a small file), so a rebuilt app is served without a restart. A page drawn on the
  // server needs neither its data (it is in the page) nor its chart's code before it shows: the chart loads after.
  const preloads = (lang: PageLanguage, pagePath: string | null, drawn: boolean) => {
    const build = readWebBuild(WEB_DIST);
    return {
      data: pagePath === null || drawn ? [] : pageDataRequests(lang, pagePath),
      modules: build ? pageModuleFiles(build, lang, pagePath ?? '', { extras: !drawn }) : [],
    };
  };
  const sendPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    lang: PageLanguage,
    alternates: { origin: string; path: string },
    status: number,
  ) => {
    // A reader without a session gets the page drawn (page-render.ts); one with a session may see unpublished
    // values, which the server's drawing (the public answers) would not show: the browser draws it. A page of
    // something that does not exist is left to the browser too (its query fails), which says what was not found.
    // The router's addresses have no trailing slash (`/en/` is `/en`): drawn at the address it would go to.
    const address = req.url.replace(/^([^?]*[^/?])\/+(?=\?|$)/, '$1');
    const drawn = isAnonymous(req) ? await drawPage(app, WEB_DIST_SERVER, address, lang) : null;
    let html = pageHtml(
      await readFile(index, 'utf8'),
      lang,
      status === 200 ? alternates : null,
      preloads(lang, status === 200 ? alternates.path : null, drawn !== null),
    );
    if (drawn) html = withDrawnPage(html, drawn);
    return reply
      .code(status)
      .header('Content-Type', 'text/html; charset=utf-8')
      .header('Cache-Control', 'no-cache')
      .send(html);
  };

  const exists = async (kind: 'indicator' | 'place' | 'programme', code: string): Promise<boolean> => {
    const q =
      kind === 'indicator'
        ? ctx.store.db.selectFrom('indicators').select('id').where('code', '=', code)
        : kind === 'programme'
          ? ctx.store.db.selectFrom('programmes').select('id').where('code', '=', code)
          : ctx.store.db.selectFrom('places').select('id').where('code', '=', code);
    return !!(await q.executeTakeFirst());
  };

  // The address the alternates name: the public address an administrator set (MARSAD_PUBLIC_URL or the mail
  // settings, as for the links in e-mails), else the one the request came to (behind a proxy, its Host).
  const publicOrigin = async (req: FastifyRequest) =>
    linkBase(await loadMailSettings(ctx.store.db), { protocol: req.protocol, host: req.host }).replace(/\/+$/, '');

  // A page in its language: `/:lang` and the rest of the address, which the app knows or not.
  const page = async (req: FastifyRequest, reply: FastifyReply) => {
    const { lang } = req.params as { lang: string };
    if (!isPageLanguage(lang)) return reply.callNotFound();
    const rawPath = (req.url.split('?')[0] ?? '/').slice(lang.length + 1) || '/';
    const url = decodeURIComponent(rawPath);
    const sent = async (status = 200) =>
      sendPage(req, reply, lang, { origin: await publicOrigin(req), path: rawPath.replace(/(.)\/$/, '$1') }, status);
    const m = /^\/(indicators|places)\/([^/]+)\/?$/.exec(url);
    if (m && !(await exists(m[1] === 'indicators' ? 'indicator' : 'place', m[2]!))) return sent(404);
    // The country report: for a country only.
    const report = /^\/places\/([^/]+)\/report\/?$/.exec(url);
    if (report) {
      const level = (
        await ctx.store.db.selectFrom('places').select('level').where('code', '=', report[1]!).executeTakeFirst()
      )?.level;
      return sent(level === 'country' ? 200 : 404);
    }
    const prog = /^\/programmes\/([^/]+)\/?$/.exec(url);
    if (prog && !(await exists('programme', prog[1]!))) return sent(404);
    const admin = /^\/admin\/indicators\/([^/]+)\/?$/.exec(url);
    if (admin && !(await exists('indicator', admin[1]!))) return sent(404);
    const pub = /^\/reviews\/published\/([^/]+)\/?$/.exec(url);
    if (
      pub &&
      !(
        /^\d{1,9}$/.test(pub[1]!) &&
        (
          await ctx.store.exclusive((conn) =>
            conn.query<{ id: number }>("SELECT id FROM review_submissions WHERE id = $1 AND state = 'published'", [
              Number(pub[1]),
            ]),
          )
        ).rows.length > 0
      )
    )
      return sent(404);
    const item = /^\/knowledge\/([^/]+)(\/edit)?\/?$/.exec(url);
    if (
      item &&
      item[1] !== 'new' &&
      !(
        /^\d{1,9}$/.test(item[1]!) &&
        (await ctx.store.db
          .selectFrom('knowledge_items')
          .select('id')
          .where('id', '=', Number(item[1]))
          .executeTakeFirst())
      )
    )
      return sent(404);
    if (item && item[1] === 'new' && item[2]) return sent(404);
    const ws = /^\/workshops\/([^/]+)\/?$/.exec(url);
    if (
      ws &&
      !(
        /^\d{1,9}$/.test(ws[1]!) &&
        (await ctx.store.db.selectFrom('workshops').select('id').where('id', '=', Number(ws[1])).executeTakeFirst())
      )
    )
      return sent(404);
    // Every other address of the router's pages is a page (its records, if any, checked above); anything else is not.
    return sent(isPagePath(url) ? 200 : 404);
  };
  // Old addresses without a language keep working: 302 to the reader's language, query kept.
  const redirect = async (req: FastifyRequest, reply: FastifyReply) =>
    reply
      .header('Vary', 'Cookie, Accept-Language')
      .header('Cache-Control', 'no-cache')
      .redirect(pathInLanguage(chooseLanguage(req.headers), req.url), 302);
  for (const p of PAGE_PATHS) {
    app.get(p, { schema: { hide: true } }, redirect);
    app.get(p === '/' ? '/:lang' : `/:lang${p}`, { schema: { hide: true } }, page);
  }
  return true;
}

/**
 * For unknown addresses outside /api: the app's not-found page with HTTP 404, in the language of
 * the address's prefix, else the reader's (never a redirect: `/xx/…` is not found, not sent on).
 */
export async function webNotFound(req: FastifyRequest, reply: FastifyReply): Promise<boolean> {
  if (req.method !== 'GET' || req.url.startsWith('/api/') || !existsSync(path.join(WEB_DIST, 'index.html')))
    return false;
  const prefix = /^\/([^/?]+)/.exec(req.url)?.[1];
  const lang = isPageLanguage(prefix) ? prefix : chooseLanguage(req.headers);
  const build = readWebBuild(WEB_DIST);
  const html = pageHtml(await readFile(path.join(WEB_DIST, 'index.html'), 'utf8'), lang, null, {
    data: [],
    modules: build ? pageModuleFiles(build, lang, '') : [],
  });
  await reply
    .code(404)
    .header('Content-Type', 'text/html; charset=utf-8')
    .header('Vary', 'Cookie, Accept-Language')
    .send(html);
  return true;
}
