import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { LangParam, pick } from '../http/pagination.ts';
import { homeCounts, latestUpdates } from './home-queries.ts';

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
      const groups = await latestUpdates(ctx.store, limit);
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
      const row = await homeCounts(ctx.store);
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
