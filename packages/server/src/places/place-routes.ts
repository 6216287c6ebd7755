import { sql } from 'kysely';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { BoolParam, LangParam, PageQuery, page, pick } from '../http/pagination.ts';
import { addPlaces, PlaceInput, placeProblemsError, readPlacesCsv } from './place-rows.ts';
import { requestBody } from '../http/raw-body.ts';
import { actorOf } from '../audit/audit-log.ts';
import { canWritePlace, currentActor, isAdministrator, requireActor } from '../auth/policy.ts';

/** Administrators add anywhere; national focal points under their country; city focal points under their city. */
async function placeWriter(req: FastifyRequest, ctx: AppContext): Promise<(parentPath: string | null) => boolean> {
  const actor = await currentActor(req, ctx);
  return (parentPath) => (parentPath === null ? isAdministrator(actor) : canWritePlace(actor, parentPath, 'places:write'));
}

export function registerPlaceRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = ctx.store.db;

  r.get('/api/v1/places', {
    schema: {
      tags: ['places'], summary: 'Places: countries, regions, cities, districts',
      querystring: PageQuery.extend({
        level: z.enum(['country', 'region', 'city', 'district']).optional(),
        parent: z.string().optional().describe('Code of the parent place (direct children)'),
        within: z.string().optional().describe('Code of a place: everything below it'),
        pilot: BoolParam.optional(), q: z.string().max(200).optional(), lang: LangParam,
      }),
    },
  }, async (req) => {
    const { limit, offset, level, parent, within, pilot, q, lang } = req.query;
    let query = db.selectFrom('places as p').leftJoin('places as parent', 'parent.id', 'p.parent_id');
    if (level) query = query.where('p.level', '=', level);
    if (parent) query = query.where('parent.code', '=', parent);
    if (within) {
      const root = await db.selectFrom('places').select('path').where('code', '=', within).executeTakeFirst();
      if (!root) throw new HttpError(404, 'not_found', `No place with code "${within}".`);
      query = query.where('p.path', 'like', root.path + '%').where('p.code', '!=', within);
    }
    if (pilot !== undefined) query = query.where('p.pilot', '=', pilot);
    if (q) query = query.where(sql<boolean>`(p.code ILIKE ${'%' + q + '%'} OR p.names::text ILIKE ${'%' + q + '%'} OR p.external_code ILIKE ${'%' + q + '%'})`);
    const total = (await query.select(sql<number>`count(*)::int`.as('n')).executeTakeFirst())?.n ?? 0;
    const rows = await query.select(['p.code', 'p.level', 'p.names', 'p.lat', 'p.lon', 'p.codes', 'p.external_code', 'p.pilot', 'parent.code as parent'])
      .orderBy('p.level').orderBy('p.code').limit(limit).offset(offset).execute();
    return page(rows.map((p) => ({
      code: p.code, level: p.level, parent: p.parent, name: pick(p.names, lang), names: p.names, lat: p.lat, lon: p.lon,
      codes: p.codes, externalCode: p.external_code, pilot: p.pilot,
    })), total, limit, offset);
  });

  r.get('/api/v1/places/:code', {
    schema: { tags: ['places'], summary: 'A place with its ancestors and children', params: z.object({ code: z.string() }), querystring: z.object({ lang: LangParam }) },
  }, async (req) => {
    const lang = req.query.lang;
    const p = await db.selectFrom('places').selectAll().where('code', '=', req.params.code).executeTakeFirst();
    if (!p) throw new HttpError(404, 'not_found', `No place with code "${req.params.code}".`);
    const ids = p.path.split('/').filter(Boolean).map(Number).filter((id) => id !== p.id);
    const ancestors = ids.length ? await db.selectFrom('places').select(['id', 'code', 'level', 'names']).where('id', 'in', ids).execute() : [];
    ancestors.sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id));
    const children = await db.selectFrom('places').select(['code', 'level', 'names', 'pilot']).where('parent_id', '=', p.id).orderBy('code').execute();
    return {
      code: p.code, level: p.level, name: pick(p.names, lang), names: p.names, lat: p.lat, lon: p.lon, codes: p.codes,
      externalCode: p.external_code, pilot: p.pilot, reviewNeeded: p.review_needed,
      ancestors: ancestors.map((a) => ({ code: a.code, level: a.level, name: pick(a.names, lang) })),
      children: children.map((c) => ({ code: c.code, level: c.level, name: pick(c.names, lang), pilot: c.pilot })),
    };
  });

  r.post('/api/v1/places', {
    onRequest: requireActor(ctx),
    schema: { tags: ['places'], summary: 'Add places, all or nothing', security: [{ bearer: [] }], body: z.object({ places: z.array(PlaceInput).min(1).max(100_000) }) },
  }, async (req, reply) => {
    const result = await ctx.store.exclusive(async (conn) => {
      const res = await addPlaces(conn, req.body.places, (i) => i, actorOf(req), await placeWriter(req, ctx));
      if (res.problems.length) throw placeProblemsError(res.problems.map((p) => ({ ...p, row: p.row })));
      return res;
    });
    reply.code(201);
    return { added: result.added };
  });
}

/** The CSV upload of places: its body is the file, streamed (registered where bodies stay raw). */
export function registerPlaceUploadRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post('/api/v1/places/import', {
    onRequest: requireActor(ctx),
    schema: {
      tags: ['places'], summary: 'Add places from CSV (code,parent,level,name_ar,name_en,lat,lon,external_code), all or nothing',
      description: 'Send the CSV file as the request body.', security: [{ bearer: [] }],
    },
  }, async (req, reply) => {
    const { places, problems } = await readPlacesCsv(requestBody(req));
    if (problems.length) throw placeProblemsError(problems);
    const result = await ctx.store.exclusive(async (conn) => {
      const res = await addPlaces(conn, places, (i) => i + 2, actorOf(req), await placeWriter(req, ctx));
      if (res.problems.length) throw placeProblemsError(res.problems);
      return res;
    });
    reply.code(201);
    return { added: result.added };
  });
}
