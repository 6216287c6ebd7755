import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { actorOf, appendAudit } from '../audit/audit-log.ts';
import { canWritePlace, currentActor, isAdministrator, requireActor } from '../auth/policy.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { BoolParam, LangParam, PageQuery, page, pick } from '../http/pagination.ts';
import { requestBody } from '../http/raw-body.ts';
import type { UploadLimits } from '../http/upload-limits.ts';
import { registerBoundaryReadRoutes, registerBoundaryUploadRoute } from './boundary-routes.ts';
import { type ApplyPlacesResult, addPlaces, PlaceInput, placeProblemsError, readPlacesCsv } from './place-rows.ts';

/** Administrators add anywhere; national focal points under their country; city focal points under their city. */
async function placeWriter(req: FastifyRequest, ctx: AppContext): Promise<(parentPath: string | null) => boolean> {
  const actor = await currentActor(req, ctx);
  return (parentPath) =>
    parentPath === null ? isAdministrator(actor) : canWritePlace(actor, parentPath, 'places:write');
}

export function registerPlaceRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = ctx.store.db;

  r.get(
    '/api/v1/places',
    {
      schema: {
        tags: ['places'],
        summary: 'Places: countries, regions, cities, districts',
        querystring: PageQuery.extend({
          level: z.enum(['country', 'region', 'city', 'district']).optional(),
          parent: z.string().optional().describe('Code of the parent place (direct children)'),
          within: z.string().optional().describe('Code of a place: everything below it'),
          pilot: BoolParam.optional(),
          q: z.string().max(200).optional(),
          lang: LangParam,
        }),
      },
    },
    async (req) => {
      const { limit, offset, level, parent, within, pilot, q, lang } = req.query;
      let query = db.selectFrom('places as p').leftJoin('places as parent', 'parent.id', 'p.parent_id');
      if (level) query = query.where('p.level', '=', level);
      if (parent) query = query.where('parent.code', '=', parent);
      if (within) {
        const root = await db.selectFrom('places').select('path').where('code', '=', within).executeTakeFirst();
        if (!root) throw new HttpError(404, 'not_found', `No place with code "${within}".`);
        query = query.where('p.path', 'like', `${root.path}%`).where('p.code', '!=', within);
      }
      if (pilot !== undefined) query = query.where('p.pilot', '=', pilot);
      if (q)
        query = query.where(
          sql<boolean>`(p.code ILIKE ${`%${q}%`} OR p.names::text ILIKE ${`%${q}%`} OR p.external_code ILIKE ${`%${q}%`})`,
        );
      const total = (await query.select(sql<number>`count(*)::int`.as('n')).executeTakeFirst())?.n ?? 0;
      const rows = await query
        .select([
          'p.code',
          'p.level',
          'p.names',
          'p.lat',
          'p.lon',
          'p.codes',
          'p.external_code',
          'p.pilot',
          'p.level_code',
          'parent.code as parent',
          sql<Record<string, string> | null>`(SELECT l.names FROM place_levels l
            WHERE l.code = p.level_code AND l.country_id = split_part(p.path, '/', 2)::int)`.as('level_names'),
        ])
        .orderBy('p.level')
        .orderBy('p.code')
        .limit(limit)
        .offset(offset)
        .execute();
      return page(
        rows.map((p) => ({
          code: p.code,
          level: p.level,
          levelCode: p.level_code,
          levelName: p.level_code ? (pick(p.level_names ?? {}, lang) ?? p.level_code) : null,
          parent: p.parent,
          name: pick(p.names, lang),
          names: p.names,
          lat: p.lat,
          lon: p.lon,
          codes: p.codes,
          externalCode: p.external_code,
          pilot: p.pilot,
        })),
        total,
        limit,
        offset,
      );
    },
  );

  r.get(
    '/api/v1/places/:code',
    {
      schema: {
        tags: ['places'],
        summary: 'A place with its ancestors and children',
        params: z.object({ code: z.string() }),
        querystring: z.object({ lang: LangParam }),
      },
    },
    async (req) => {
      const lang = req.query.lang;
      const p = await db.selectFrom('places').selectAll().where('code', '=', req.params.code).executeTakeFirst();
      if (!p) throw new HttpError(404, 'not_found', `No place with code "${req.params.code}".`);
      const countryId = Number(p.path.split('/')[1]);
      const levelNames = p.level_code
        ? (
            await db
              .selectFrom('place_levels')
              .select('names')
              .where('country_id', '=', countryId)
              .where('code', '=', p.level_code)
              .executeTakeFirst()
          )?.names
        : undefined;
      const shapes = await db
        .selectFrom('place_boundaries as b')
        .innerJoin('places as c', 'c.id', 'b.place_id')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('c.path', 'like', `${p.path}%`)
        .where('c.id', '!=', p.id)
        .executeTakeFirst();
      const ids = p.path
        .split('/')
        .filter(Boolean)
        .map(Number)
        .filter((id) => id !== p.id);
      const ancestors = ids.length
        ? await db.selectFrom('places').select(['id', 'code', 'level', 'names']).where('id', 'in', ids).execute()
        : [];
      ancestors.sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id));
      const children = await db
        .selectFrom('places')
        .select(['code', 'level', 'names', 'pilot'])
        .where('parent_id', '=', p.id)
        .orderBy('code')
        .execute();
      return {
        code: p.code,
        level: p.level,
        levelCode: p.level_code,
        levelName: p.level_code ? (pick(levelNames ?? {}, lang) ?? p.level_code) : null,
        /** Places below this one that have a shape (a sub-national map can be drawn). */
        areasWithShapes: shapes?.n ?? 0,
        name: pick(p.names, lang),
        names: p.names,
        lat: p.lat,
        lon: p.lon,
        codes: p.codes,
        externalCode: p.external_code,
        pilot: p.pilot,
        reviewNeeded: p.review_needed,
        ancestors: ancestors.map((a) => ({ code: a.code, level: a.level, name: pick(a.names, lang) })),
        children: children.map((c) => ({ code: c.code, level: c.level, name: pick(c.names, lang), pilot: c.pilot })),
      };
    },
  );

  r.post(
    '/api/v1/places',
    {
      onRequest: requireActor(ctx),
      schema: {
        tags: ['places'],
        summary: 'Add or update places, all or nothing',
        description:
          'A place whose code exists is updated with what its row changes (parent, level, the names given, coordinates and external code when given) and audited; one that repeats an existing place is left alone. `dryRun` answers what would be added, changed and left unchanged, writing nothing.',
        security: [{ bearer: [] }],
        body: z.object({
          places: z.array(PlaceInput).min(1).max(100_000),
          dryRun: z.boolean().optional().describe('Check and report, write nothing'),
          existing: z
            .enum(['update', 'refuse'])
            .optional()
            .describe(
              'What a code that exists does: updates its place (the default) or is refused (a form adding one)',
            ),
        }),
      },
    },
    async (req, reply) => {
      const result = await ctx.store.exclusive(async (conn) => {
        const res = await addPlaces(conn, req.body.places, (i) => i, actorOf(req), await placeWriter(req, ctx), {
          dryRun: req.body.dryRun,
          refuseExisting: req.body.existing === 'refuse',
        });
        if (res.problems.length) throw placeProblemsError(res.problems);
        return res;
      });
      reply.code(result.dryRun || result.added === 0 ? 200 : 201);
      return placesAnswer(result);
    },
  );

  registerPlaceEditRoute(app, ctx);
  registerBoundaryReadRoutes(app, ctx);
}

const LANGS = ['ar', 'en', 'fr', 'es', 'ru', 'zh'] as const;

const PlacePatch = z
  .object({
    names: z
      .partialRecord(z.enum(LANGS), z.string().trim().max(300))
      .optional()
      .describe('Names by language; a name given as "" is removed; languages left out keep their names'),
    lat: z.number().min(-90).max(90).nullable().optional(),
    lon: z.number().min(-180).max(180).nullable().optional(),
  })
  .strict();

/**
 * Edits a place (names, coordinates). Who may add a place under its parent may edit it:
 * administrators everywhere (countries too), national and city focal points under their places.
 */
function registerPlaceEditRoute(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.patch(
    '/api/v1/places/:code',
    {
      onRequest: requireActor(ctx),
      schema: {
        tags: ['places'],
        summary: 'Edit a place: its names in the six languages, its coordinates',
        description:
          'Administrators edit any place; national and city focal points the places under their country or city (as for adding). A name given as "" is removed; at least one name must remain.',
        security: [{ bearer: [] }, { session: [] }],
        params: z.object({ code: z.string().max(100) }),
        body: PlacePatch,
      },
    },
    async (req) => {
      const mayEditUnder = await placeWriter(req, ctx);
      const code = req.params.code;
      return ctx.store.exclusive(async (conn) => {
        const cur = (
          await conn.query<{
            id: number;
            names: Record<string, string>;
            lat: number | null;
            lon: number | null;
            parent_code: string | null;
            parent_path: string | null;
          }>(
            `SELECT p.id, p.names, p.lat, p.lon, parent.code AS parent_code, parent.path AS parent_path
         FROM places p LEFT JOIN places parent ON parent.id = p.parent_id WHERE p.code = $1 FOR UPDATE OF p`,
            [code],
          )
        ).rows[0];
        if (!cur) throw new HttpError(404, 'not_found', `No place with code "${code}".`);
        if (!mayEditUnder(cur.parent_path)) {
          throw new HttpError(
            403,
            'forbidden',
            cur.parent_code
              ? `you may not edit "${code}": your roles cover other places`
              : 'only an administrator may edit a country',
          );
        }
        const names: Record<string, string> = { ...cur.names };
        for (const [lang, name] of Object.entries(req.body.names ?? {})) {
          if (name === undefined) continue;
          if (name === '') delete names[lang];
          else names[lang] = name;
        }
        if (Object.keys(names).length === 0)
          throw new HttpError(400, 'bad_request', 'names: give a name in at least one language');
        const lat = req.body.lat === undefined ? cur.lat : req.body.lat;
        const lon = req.body.lon === undefined ? cur.lon : req.body.lon;
        await conn.query('UPDATE places SET names = $2::jsonb, lat = $3, lon = $4, updated_at = now() WHERE id = $1', [
          cur.id,
          JSON.stringify(names),
          lat,
          lon,
        ]);
        await appendAudit(conn, actorOf(req), {
          action: 'update',
          entityType: 'place',
          entityId: code,
          before: { names: cur.names, lat: cur.lat, lon: cur.lon },
          after: { names, lat, lon },
        });
        return { code, names, lat, lon };
      });
    },
  );
}

/** The CSV upload of places: its body is the file, streamed (registered where bodies stay raw). */
export function registerPlaceUploadRoutes(app: FastifyInstance, ctx: AppContext, limits: UploadLimits): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/v1/places/import',
    {
      onRequest: requireActor(ctx),
      schema: {
        tags: ['places'],
        summary:
          'Add or update places from CSV (code,parent,level,name_ar,name_en,lat,lon,external_code; optional kind, level_name_<lang>), all or nothing',
        description:
          "Send the CSV file as the request body. A row whose code exists updates that place (audited); a row that repeats it changes nothing. `level` is a kind (country, region, city, district) or the country's own level (province, ward…), with `kind` and `level_name_<lang>` the first time. `dryRun=true` reports what would be added, changed and left unchanged.",
        security: [{ bearer: [] }],
        querystring: z.object({ dryRun: BoolParam.optional() }),
      },
    },
    async (req, reply) => {
      const { places, problems } = await readPlacesCsv(requestBody(req));
      if (problems.length) throw placeProblemsError(problems);
      const result = await ctx.store.exclusive(async (conn) => {
        const res = await addPlaces(conn, places, (i) => i + 2, actorOf(req), await placeWriter(req, ctx), {
          dryRun: req.query.dryRun,
        });
        if (res.problems.length) throw placeProblemsError(res.problems);
        return res;
      });
      reply.code(result.dryRun || result.added === 0 ? 200 : 201);
      return placesAnswer(result);
    },
  );
  registerBoundaryUploadRoute(app, ctx, limits);
}

function placesAnswer(r: ApplyPlacesResult) {
  return {
    dryRun: r.dryRun,
    added: r.added,
    updated: r.updated,
    unchanged: r.unchanged,
    levels: r.levels,
    changes: r.changes.slice(0, 1000),
  };
}
