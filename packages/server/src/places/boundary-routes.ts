import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { actorOf } from '../audit/audit-log.ts';
import { canWritePlace, currentActor, isAdministrator, requireActor } from '../auth/policy.ts';
import type { AppContext } from '../context.ts';
import { InputFormatError } from '../formats/common/text.ts';
import { HttpError } from '../http/errors.ts';
import { BoolParam, LangParam, pick } from '../http/pagination.ts';
import { requestBody } from '../http/raw-body.ts';
import type { UploadLimits } from '../http/upload-limits.ts';
import { visibleStatuses } from '../web-api/web-api-common.ts';
import { importBoundaries, readAreasFile } from './boundary-import.ts';

const BoundaryQuery = z.object({
  matchProperty: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .describe(
      'The feature property that names the place: its code, external code, another code, or a name in any language (compared case- and accent-insensitively), e.g. LAD16CD or kzName',
    ),
  parent: z.string().trim().max(100).optional().describe('Match only places below this place'),
  fileName: z.string().trim().max(300).optional().describe('The name of the file, kept with the shapes'),
  dryRun: BoolParam.optional().describe('Check and report, write nothing'),
});

async function shapeWriter(req: FastifyRequest, ctx: AppContext): Promise<(parentPath: string | null) => boolean> {
  const actor = await currentActor(req, ctx);
  return (parentPath) =>
    parentPath === null ? isAdministrator(actor) : canWritePlace(actor, parentPath, 'places:write');
}

/** POST /api/v1/places/boundaries: the body is the GeoJSON or TopoJSON file, streamed (registered with raw bodies). */
export function registerBoundaryUploadRoute(app: FastifyInstance, ctx: AppContext, limits: UploadLimits): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/v1/places/boundaries',
    {
      onRequest: requireActor(ctx),
      schema: {
        tags: ['places'],
        summary: "Import places' shapes from a GeoJSON or TopoJSON file of areas, matched by a property",
        description:
          'Send the file as the request body. Each area is matched to a place by `matchProperty` and stored, simplified for the web, as its shape; areas that match no place (or several) are listed. All or nothing: a feature that is not a Polygon or MultiPolygon in longitude and latitude refuses the file. Within MARSAD_UPLOAD_MAX_UNPACKED_BYTES (the file) and MARSAD_UPLOAD_MAX_ROWS (its features). Administrators, and focal points for the places below theirs.',
        security: [{ bearer: [] }, { session: [] }],
        querystring: BoundaryQuery,
      },
    },
    async (req) => {
      const q = req.query;
      let features: Awaited<ReturnType<typeof readAreasFile>>;
      try {
        features = await readAreasFile(requestBody(req), limits);
      } catch (err) {
        if (err instanceof InputFormatError)
          throw new HttpError(422, 'invalid_file', `Nothing was stored: ${err.message}.`, { at: err.at });
        throw err;
      }
      if (features.length === 0) throw new HttpError(422, 'invalid_file', 'Nothing was stored: the file has no areas.');
      const mayChangeUnder = await shapeWriter(req, ctx);
      return ctx.store.exclusive((conn) =>
        importBoundaries(conn, features, {
          matchProperty: q.matchProperty,
          parent: q.parent || null,
          file: q.fileName ?? null,
          dryRun: q.dryRun,
          actor: actorOf(req),
          mayChangeUnder,
        }),
      );
    },
  );
}

interface ShapedPlace {
  id: number;
  code: string;
  path: string;
}

/** The shaped places below a place that no shaped place between contains: the areas a map of it draws. */
function topMostBelow(all: ShapedPlace[], rootId: number): ShapedPlace[] {
  const shapedIds = new Set(all.map((p) => p.id));
  return all.filter((p) => {
    const ids = p.path.split('/').filter(Boolean).map(Number);
    const at = ids.indexOf(rootId);
    if (at < 0 || p.id === rootId) return false;
    return !ids.slice(at + 1, -1).some((id) => shapedIds.has(id));
  });
}

export function registerBoundaryReadRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = ctx.store.db;

  r.get(
    '/api/v1/boundaries',
    {
      schema: {
        tags: ['places'],
        summary: 'Places with sub-national shapes below them, with the areas a map of each draws',
        querystring: z.object({ lang: LangParam }),
      },
    },
    async (req) => {
      const shaped = (await db
        .selectFrom('place_boundaries as b')
        .innerJoin('places as p', 'p.id', 'b.place_id')
        .select(['p.id', 'p.code', 'p.path'])
        .execute()) as ShapedPlace[];
      const ancestorIds = new Set<number>();
      for (const p of shaped)
        for (const id of p.path.split('/').filter(Boolean).map(Number)) if (id !== p.id) ancestorIds.add(id);
      if (ancestorIds.size === 0) return { items: [] };
      const ancestors = await db
        .selectFrom('places')
        .select(['id', 'code', 'level', 'names'])
        .where('id', 'in', [...ancestorIds])
        .orderBy('code')
        .execute();
      return {
        items: ancestors.map((a) => ({
          code: a.code,
          level: a.level,
          name: pick(a.names, req.query.lang),
          areas: topMostBelow(shaped, a.id)
            .map((p) => p.code)
            .sort(),
        })),
      };
    },
  );

  r.get(
    '/api/v1/places/:code/areas',
    {
      schema: {
        tags: ['places'],
        summary:
          'The shapes of the areas a map of a place draws (the shaped places just below it), with the indicators that have values there',
        description:
          'Each area has its GeoJSON geometry (a MultiPolygon in longitude and latitude, outer rings counter-clockwise as RFC 7946 says). `indicators` lists the indicator series with a total value visible to the caller in at least one area.',
        params: z.object({ code: z.string().max(100) }),
        querystring: z.object({ lang: LangParam }),
      },
    },
    async (req) => {
      const lang = req.query.lang;
      const place = await db
        .selectFrom('places')
        .select(['id', 'code', 'names', 'path', 'level'])
        .where('code', '=', req.params.code)
        .executeTakeFirst();
      if (!place) throw new HttpError(404, 'not_found', `No place with code "${req.params.code}".`);
      const shaped = (await db
        .selectFrom('place_boundaries as b')
        .innerJoin('places as p', 'p.id', 'b.place_id')
        .select(['p.id', 'p.code', 'p.path'])
        .where('p.path', 'like', `${place.path}%`)
        .where('p.id', '!=', place.id)
        .execute()) as ShapedPlace[];
      const ids = topMostBelow(shaped, place.id).map((p) => p.id);
      const areas = ids.length
        ? await db
            .selectFrom('place_boundaries as b')
            .innerJoin('places as p', 'p.id', 'b.place_id')
            .select(['p.code', 'p.names', 'p.level', 'p.level_code', 'b.geometry'])
            .where('p.id', 'in', ids)
            .orderBy('p.code')
            .execute()
        : [];
      const indicators = ids.length
        ? await db
            .selectFrom(
              db
                .selectFrom('observations as o')
                .select('o.series_id')
                .distinct()
                .where('o.place_id', 'in', ids)
                .where('o.disagg_id', '=', 0)
                .where('o.status', 'in', await visibleStatuses(req, ctx))
                .as('x'),
            )
            .innerJoin('series as s', 's.id', 'x.series_id')
            .innerJoin('indicators as i', 'i.id', 's.indicator_id')
            .select(['i.code', 'i.names', 's.code as series', 's.names as series_names', 's.is_default'])
            .orderBy('i.code')
            .orderBy(sql`s.is_default`, 'desc')
            .orderBy('s.code')
            .execute()
        : [];
      return {
        place: { code: place.code, name: pick(place.names, lang), level: place.level },
        areas: areas.map((a) => ({
          code: a.code,
          name: pick(a.names, lang),
          level: a.level,
          geometry: a.geometry,
        })),
        indicators: indicators.map((i) => ({
          code: i.code,
          name: pick(i.names, lang),
          series: i.series,
          seriesName: pick(i.series_names, lang),
          default: i.is_default,
        })),
      };
    },
  );
}
