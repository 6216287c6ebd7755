import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';

export const WEB_DIST = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

/**
 * Serves the web app built into packages/web/dist: its files, and index.html for every other
 * page address (the app routes in the browser). An address for an indicator, a place or a
 * programme that does not exist answers HTTP 404 with the app's not-found page.
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
  });
  // Built assets have content hashes in their names: they are cached for good (maxAge, immutable).

  // Read on each page request (a small file), so a rebuilt app is served without a restart.
  const sendPage = async (reply: FastifyReply, status = 200) =>
    reply
      .code(status)
      .header('Content-Type', 'text/html; charset=utf-8')
      .header('Cache-Control', 'no-cache')
      .send(await readFile(index, 'utf8'));

  const exists = async (kind: 'indicator' | 'place' | 'programme', code: string): Promise<boolean> => {
    const q =
      kind === 'indicator'
        ? ctx.store.db.selectFrom('indicators').select('id').where('code', '=', code)
        : kind === 'programme'
          ? ctx.store.db.selectFrom('programmes').select('id').where('code', '=', code)
          : ctx.store.db.selectFrom('places').select('id').where('code', '=', code);
    return !!(await q.executeTakeFirst());
  };

  const page = async (req: FastifyRequest, reply: FastifyReply) => {
    const url = decodeURIComponent(req.url.split('?')[0] ?? '/');
    const m = /^\/(indicators|places)\/([^/]+)\/?$/.exec(url);
    if (m && !(await exists(m[1] === 'indicators' ? 'indicator' : 'place', m[2]!))) return sendPage(reply, 404);
    // The country report: for a country only.
    const report = /^\/places\/([^/]+)\/report\/?$/.exec(url);
    if (report) {
      const level = (
        await ctx.store.db.selectFrom('places').select('level').where('code', '=', report[1]!).executeTakeFirst()
      )?.level;
      return sendPage(reply, level === 'country' ? 200 : 404);
    }
    const prog = /^\/programmes\/([^/]+)\/?$/.exec(url);
    if (prog && !(await exists('programme', prog[1]!))) return sendPage(reply, 404);
    const admin = /^\/admin\/indicators\/([^/]+)\/?$/.exec(url);
    if (admin && !(await exists('indicator', admin[1]!))) return sendPage(reply, 404);
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
      return sendPage(reply, 404);
    if (/^\/reviews(\/(cycles\/(new|\d+(\/board-report)?)|submissions\/\d+|published\/\d+))?\/?$/.test(url))
      return sendPage(reply);
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
      return sendPage(reply, 404);
    if (item && item[1] === 'new' && item[2]) return sendPage(reply, 404);
    const ws = /^\/workshops\/([^/]+)\/?$/.exec(url);
    if (
      ws &&
      !(
        /^\d{1,9}$/.test(ws[1]!) &&
        (await ctx.store.db.selectFrom('workshops').select('id').where('id', '=', Number(ws[1])).executeTakeFirst())
      )
    )
      return sendPage(reply, 404);
    if (/^\/(knowledge(\/(new|\d+(\/edit)?))?|network|workshops(\/\d+)?)\/?$/.test(url)) return sendPage(reply);
    const known =
      url === '/' ||
      /^\/results\/success-indicators\/?$/.test(url) ||
      /^\/results\/board-progress(\/\d{4}-\d{2}-\d{2}\/\d{4}-\d{2}-\d{2})?\/?$/.test(url) ||
      /^\/(indicators|places|programmes|compare|status|sign-in|accept|inbox)(\/[^/]+)?\/?$/.test(url) ||
      /^\/(import|entry)\/?$/.test(url) ||
      /^\/admin(\/(users(\/\d+)?|tokens|places|indicators(\/[^/]+)?|audit))?\/?$/.test(url);
    return sendPage(reply, known ? 200 : 404);
  };
  app.get('/', { schema: { hide: true } }, page);
  app.get('/indicators', { schema: { hide: true } }, page);
  app.get('/indicators/:code', { schema: { hide: true } }, page);
  app.get('/places', { schema: { hide: true } }, page);
  app.get('/places/:code', { schema: { hide: true } }, page);
  app.get('/places/:code/report', { schema: { hide: true } }, page);
  app.get('/programmes', { schema: { hide: true } }, page);
  app.get('/programmes/:code', { schema: { hide: true } }, page);
  app.get('/results/success-indicators', { schema: { hide: true } }, page);
  app.get('/results/board-progress', { schema: { hide: true } }, page);
  app.get('/results/board-progress/:from/:to', { schema: { hide: true } }, page);
  app.get('/compare', { schema: { hide: true } }, page);
  app.get('/status', { schema: { hide: true } }, page);
  app.get('/sign-in', { schema: { hide: true } }, page);
  app.get('/accept', { schema: { hide: true } }, page);
  app.get('/inbox', { schema: { hide: true } }, page);
  app.get('/import', { schema: { hide: true } }, page);
  app.get('/entry', { schema: { hide: true } }, page);
  for (const p of ['/knowledge', '/knowledge/:id', '/knowledge/:id/edit', '/network', '/workshops', '/workshops/:id']) {
    app.get(p, { schema: { hide: true } }, page);
  }
  for (const p of [
    '/reviews',
    '/reviews/cycles/:id',
    '/reviews/cycles/:id/board-report',
    '/reviews/submissions/:id',
    '/reviews/published/:id',
  ]) {
    app.get(p, { schema: { hide: true } }, page);
  }
  for (const p of [
    '/admin',
    '/admin/users',
    '/admin/users/:id',
    '/admin/tokens',
    '/admin/places',
    '/admin/indicators',
    '/admin/indicators/:code',
    '/admin/audit',
  ]) {
    app.get(p, { schema: { hide: true } }, page);
  }
  return true;
}

/** For unknown addresses outside /api: the app's not-found page with HTTP 404. */
export async function webNotFound(req: FastifyRequest, reply: FastifyReply): Promise<boolean> {
  if (req.method !== 'GET' || req.url.startsWith('/api/') || !existsSync(path.join(WEB_DIST, 'index.html')))
    return false;
  const html = await readFile(path.join(WEB_DIST, 'index.html'), 'utf8');
  await reply.code(404).header('Content-Type', 'text/html; charset=utf-8').send(html);
  return true;
}
