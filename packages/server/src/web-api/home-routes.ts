import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { LangParam, pick } from '../http/pagination.ts';

/** The home page: the latest updates of published values, and the counts. Public data only. */
export function registerHomeRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = ctx.store.db;

  r.get(
    '/api/v1/updates',
    {
      schema: {
        tags: ['web'],
        summary: 'The latest updates of approved values: per import batch, indicator and place, newest first',
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(100).default(10).describe('How many updates (1–100)'),
          lang: LangParam,
        }),
      },
    },
    async (req) => {
      const { limit, lang } = req.query;
      const groups = await db
        .selectFrom('observations as o')
        .where('o.status', '=', 'approved')
        .groupBy(['o.batch_id', 'o.indicator_id', 'o.place_id'])
        .select([
          'o.batch_id as batchId',
          'o.indicator_id as indicatorId',
          'o.place_id as placeId',
          sql<number>`count(*)::int`.as('n'),
          sql<string>`(array_agg(o.period ORDER BY o.period_end DESC, o.period_start ASC, o.period DESC))[1]`.as(
            'latestPeriod',
          ),
          sql<string>`to_char(max(o.updated_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`.as('updatedAt'),
        ])
        .orderBy(sql`max(o.updated_at)`, 'desc')
        .orderBy('o.batch_id', 'desc')
        .orderBy('o.indicator_id')
        .orderBy('o.place_id')
        .limit(limit)
        .execute();
      if (!groups.length) return { items: [] };
      const [indicators, places] = await Promise.all([
        db
          .selectFrom('indicators')
          .select(['id', 'code', 'names'])
          .where('id', 'in', [...new Set(groups.map((g) => g.indicatorId))])
          .execute(),
        db
          .selectFrom('places')
          .select(['id', 'code', 'names'])
          .where('id', 'in', [...new Set(groups.map((g) => g.placeId))])
          .execute(),
      ]);
      const ind = new Map(indicators.map((i) => [i.id, i]));
      const pl = new Map(places.map((p) => [p.id, p]));
      return {
        items: groups.map((g) => {
          const i = ind.get(g.indicatorId);
          const p = pl.get(g.placeId);
          return {
            indicator: { code: i?.code ?? '', name: pick(i?.names, lang) },
            place: { code: p?.code ?? '', name: pick(p?.names, lang) },
            observations: g.n,
            latestPeriod: g.latestPeriod,
            updatedAt: g.updatedAt,
          };
        }),
      };
    },
  );

  r.get(
    '/api/v1/summary',
    {
      schema: {
        tags: ['web'],
        summary:
          'Counts for the home page: indicators (not retired), frameworks, places, approved values, their sources, last update',
      },
    },
    async () => {
      const row = await db
        .selectNoFrom([
          sql<number>`(SELECT count(*)::int FROM indicators WHERE status <> 'retired')`.as('indicators'),
          sql<number>`(SELECT count(*)::int FROM frameworks)`.as('frameworks'),
          sql<number>`(SELECT count(*)::int FROM places WHERE level = 'country')`.as('countries'),
          sql<number>`(SELECT count(*)::int FROM places WHERE level = 'city')`.as('cities'),
          sql<number>`(SELECT count(*)::int FROM places WHERE pilot)`.as('pilot'),
          sql<number>`(SELECT count(*)::int FROM observations WHERE status = 'approved')`.as('observations'),
          sql<number>`(SELECT count(DISTINCT source_id)::int FROM observations WHERE status = 'approved')`.as(
            'sources',
          ),
          sql<
            string | null
          >`(SELECT to_char(max(updated_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') FROM observations WHERE status = 'approved')`.as(
            'lastUpdate',
          ),
        ])
        .executeTakeFirstOrThrow();
      return {
        indicators: row.indicators,
        frameworks: row.frameworks,
        places: { countries: row.countries, cities: row.cities, pilot: row.pilot },
        observations: row.observations,
        sources: row.sources,
        lastUpdate: row.lastUpdate,
      };
    },
  );
}
