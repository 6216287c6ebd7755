import { unlessHidden } from '@marsad/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { LangParam, pick } from '../http/pagination.ts';
import { sourcesById } from './indicator-data-queries.ts';
import {
  approvedOnly,
  isoDate,
  parseExactDims,
  suppressionLateral,
  suppressionReveal,
  visibleStatuses,
} from './web-api-common.ts';

const LatestQuery = z.object({
  series: z
    .string()
    // A series named by its label in a file ("Extent to which global citizenship education … policies": 149).
    .max(1000)
    .optional()
    .describe('Series code or alias; the default series of the indicator if not given'),
  dim: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .describe('The disaggregation, CODE:VALUE, repeatable, e.g. dim=SEX:F; without it, the totals'),
  level: z.enum(['country', 'region', 'city', 'district']).optional().describe('Only places of this level'),
  lang: LangParam,
});

/** The latest value per place of one indicator's series: what the map and the ranking table show. */
export function registerIndicatorLatestRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = ctx.store.db;

  r.get(
    '/api/v1/indicators/:code/latest',
    {
      schema: {
        tags: ['web'],
        summary:
          'The latest value of an indicator per place (one series, one disaggregation); the public sees approved values only',
        description:
          'A latest value the indicator\'s suppression rule withholds from the caller is null, with `suppressedBelow` N ("fewer than N", docs/methods/suppression.md); it is not replaced by an older value. An item\'s `source` is an index into `sources` (absent without a source).',
        params: z.object({ code: z.string().max(120) }),
        querystring: LatestQuery,
      },
    },
    async (req) => {
      const { lang, level } = req.query;
      const dims = parseExactDims(req.query.dim);
      const ind = await db
        .selectFrom('indicators')
        .select(['id', 'code', 'names', 'unit_code', 'unit_names'])
        .where('code', '=', req.params.code)
        .executeTakeFirst();
      if (!ind) throw new HttpError(404, 'not_found', `No indicator with code "${req.params.code}".`);

      const allSeries = await db
        .selectFrom('series')
        .select(['id', 'code', 'names', 'aliases', 'is_default', 'unit_code', 'unit_names'])
        .where('indicator_id', '=', ind.id)
        .orderBy('id')
        .execute();
      const wanted = req.query.series;
      const series = wanted
        ? (allSeries.find((s) => s.code === wanted) ?? allSeries.find((s) => s.aliases.includes(wanted)))
        : (allSeries.find((s) => s.is_default) ?? allSeries[0]);
      if (!series) {
        throw new HttpError(
          404,
          'not_found',
          wanted
            ? `Indicator ${ind.code} has no series "${wanted}"; its series are ${allSeries.map((s) => s.code).join(', ') || 'none'}.`
            : `Indicator ${ind.code} has no series.`,
        );
      }

      const reveal = await suppressionReveal(req, ctx);
      const below = sql.ref<number | null>('sup.below');
      const disaggId = Object.keys(dims).length
        ? ((
            await db
              .selectFrom('disaggregations')
              .select('id')
              .where(sql<boolean>`dims = ${JSON.stringify(dims)}::jsonb`)
              .executeTakeFirst()
          )?.id ?? null)
        : 0;
      // The latest value of each place, kept as values are written (latest_observations, migration 027).
      let q = db
        .selectFrom('latest_observations as o')
        .innerJoin('disaggregations as d', 'd.id', 'o.disagg_id')
        .innerJoin('places as p', 'p.id', 'o.place_id')
        .innerJoin('indicators as i', 'i.id', 'o.indicator_id')
        .leftJoinLateral(suppressionLateral(), (join) => join.onTrue())
        .where('o.series_id', '=', series.id)
        .where('o.disagg_id', '=', disaggId ?? -1)
        .where('o.approved_only', '=', approvedOnly(await visibleStatuses(req, ctx)));
      if (level) q = q.where('p.level', '=', level);
      const rows = await q
        .select([
          'p.code as place',
          'p.names',
          'p.level',
          'p.lat',
          'p.lon',
          sql<string | null>`p.codes ->> 'iso3166_numeric'`.as('iso3166Numeric'),
          'o.period',
          isoDate('o.period_start').as('periodStart'),
          isoDate('o.period_end').as('periodEnd'),
          unlessHidden(below, reveal, sql<number>`o.value`).as('value'),
          below.as('suppressedBelow'),
          'o.status',
          'o.source_id as sourceId',
        ])
        .execute();
      rows.sort((a, b) => (a.place < b.place ? -1 : a.place > b.place ? 1 : 0));

      // Each source once, the values naming it by its place in `sources` (with its names in six languages, a source
      // repeated on each of a country's 2,000 places made most of a 740 kB answer).
      const sources = await sourcesById(db, [
        ...new Set(rows.map((o) => o.sourceId).filter((id): id is number => id !== null)),
      ]);
      const sourceIndex = new Map(sources.map((x, i) => [x.id, i]));
      const unitCode = series.unit_code ?? ind.unit_code;
      const unitNames = series.unit_code ? series.unit_names : ind.unit_names;
      return {
        indicator: { code: ind.code, name: pick(ind.names, lang), names: ind.names },
        series: { code: series.code, name: pick(series.names, lang) ?? series.code, default: series.is_default },
        unit: unitCode ? { code: unitCode, name: pick(unitNames, lang) } : null,
        dims,
        items: rows.map((o) => ({
          place: o.place,
          name: pick(o.names, lang),
          level: o.level,
          lat: o.lat,
          lon: o.lon,
          iso3166Numeric: o.iso3166Numeric,
          period: o.period,
          periodStart: o.periodStart,
          periodEnd: o.periodEnd,
          value: o.value,
          suppressedBelow: o.suppressedBelow,
          status: o.status,
          ...(o.sourceId !== null ? { source: sourceIndex.get(o.sourceId) } : {}),
        })),
        sources: sources.map((x) => ({ name: x.name, names: x.names, licence: x.licence, synthetic: x.synthetic })),
      };
    },
  );
}
