import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { hasAdminToken } from '../auth/admin-token.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { CodeList, LangParam, pick } from '../http/pagination.ts';
import { REPORTING_STATUSES } from '../imports/open-sdg-repository/repository-metadata.ts';
import { compareCodes, LEVEL_ORDER } from './web-api-common.ts';

const StatusQuery = z.object({
  framework: z
    .string()
    .trim()
    .min(1)
    .max(80)
    .default('sdg')
    .describe('Framework code: sdg, nua, urban-safety, adequate-housing, population'),
  place: CodeList.optional().describe(
    'Place codes, comma-separated; default: the pilot countries and cities and every place with values of the framework',
  ),
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('How many places (1–200), in their order'),
  offset: z.coerce.number().int().min(0).default(0).describe('How many places to skip'),
  lang: LangParam,
});

type CellState = 'reported' | 'in-progress' | 'not-started' | 'not-applicable';

/**
 * Which indicators of a framework each place reports: reported (approved values),
 * in progress (values, none approved; shown to the administrator only), not started, or not
 * applicable (a retired indicator).
 */
export function registerReportingStatusRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = ctx.store.db;

  r.get(
    '/api/v1/reporting-status',
    {
      schema: {
        tags: ['web'],
        summary: "Reporting status of a framework's indicators per place",
        description:
          "One page of places (limit, offset; placesTotal), every indicator of the framework; the summary counts every place. States: reported (approved values), in-progress (values, none approved — only with the administrator token; the public sees not-started), not-started, not-applicable (retired indicator). Counts and periods are of the values the caller may see. `declared`: the status the place's own reporting platform gives (complete, inprogress, notstarted; Open SDG metadata) and its source.",
        querystring: StatusQuery,
      },
    },
    async (req) => {
      const { framework: frameworkCode, lang } = req.query;
      const admin = await hasAdminToken(req, ctx);
      const framework = await db
        .selectFrom('frameworks')
        .select(['id', 'code', 'names'])
        .where('code', '=', frameworkCode)
        .executeTakeFirst();
      if (!framework) {
        const known = (await db.selectFrom('frameworks').select('code').orderBy('id').execute()).map((f) => f.code);
        throw new HttpError(
          400,
          'bad_request',
          `framework: no framework "${frameworkCode}"; known: ${known.join(', ')}.`,
        );
      }
      const members = await db
        .selectFrom('indicator_frameworks as m')
        .innerJoin('indicators as i', 'i.id', 'm.indicator_id')
        .leftJoin('framework_groups as g', 'g.id', 'm.group_id')
        .where('m.framework_id', '=', framework.id)
        .select(['i.id', 'i.code', 'i.names', 'i.status', 'g.code as group'])
        .execute();
      members.sort((a, b) => compareCodes(a.code, b.code));
      const indicatorIds = members.map((m) => m.id);
      const statuses = admin ? (['provisional', 'validated', 'approved'] as const) : (['approved'] as const);

      const placeSelect = ['p.id', 'p.code', 'p.names', 'p.level', 'p.path'] as const;
      const requested = req.query.place?.length ? [...new Set(req.query.place)] : null;
      const places = requested
        ? await db.selectFrom('places as p').select(placeSelect).where('p.code', 'in', requested).execute()
        : await db
            .selectFrom('places as p')
            .select(placeSelect)
            .where((eb) => {
              const parts = [eb.and([eb('p.pilot', '=', true), eb('p.level', 'in', ['country', 'city'])])];
              if (indicatorIds.length) {
                parts.push(
                  eb.exists(
                    eb
                      .selectFrom('observations as o')
                      .select('o.place_id')
                      .whereRef('o.place_id', '=', 'p.id')
                      .where('o.indicator_id', 'in', indicatorIds)
                      .where('o.status', 'in', [...statuses]),
                  ),
                );
              }
              return eb.or(parts);
            })
            .execute();
      if (requested) {
        const missing = requested.filter((c) => !places.some((p) => p.code === c));
        if (missing.length)
          throw new HttpError(400, 'bad_request', `place: no place ${missing.map((c) => `"${c}"`).join(', ')}.`);
      }
      // Each country with the places below it, countries first within their group.
      const rootIds = [...new Set(places.map((p) => Number(p.path.split('/')[1])))];
      const roots = new Map(
        (rootIds.length
          ? await db.selectFrom('places').select(['id', 'code']).where('id', 'in', rootIds).execute()
          : []
        ).map((x) => [x.id, x.code]),
      );
      const rootCode = (p: { path: string }) => roots.get(Number(p.path.split('/')[1])) ?? '';
      places.sort(
        (a, b) =>
          compareCodes(rootCode(a), rootCode(b)) ||
          (LEVEL_ORDER[a.level] ?? 9) - (LEVEL_ORDER[b.level] ?? 9) ||
          compareCodes(a.code, b.code),
      );

      // The answer holds one page of places (every place × every indicator ran to 166 MB at 8.25 million values);
      // the summary counts them all, from the counts kept as values are written (observation_counts, migration 026:
      // grouping the values themselves took 4.5 s at 25 million).
      const placesTotal = places.length;
      const allPlaceIds = places.map((p) => p.id);
      const activeIds = members.filter((m) => m.status !== 'retired').map((m) => m.id);
      const totals =
        activeIds.length && allPlaceIds.length
          ? (
              await sql<{ reported: number; inProgress: number }>`
                SELECT (count(*) FILTER (WHERE approved > 0))::int AS reported,
                       (count(*) FILTER (WHERE approved = 0))::int AS "inProgress"
                  FROM (SELECT coalesce(sum(c.n) FILTER (WHERE c.status = 'approved'), 0) AS approved
                          FROM observation_counts c JOIN series s ON s.id = c.series_id
                         WHERE s.indicator_id = ANY(${sql.val(activeIds)}::int[])
                           AND c.place_id = ANY(${sql.val(allPlaceIds)}::int[])
                           AND c.status = ANY(${sql.val([...statuses])}::text[])
                         GROUP BY s.indicator_id, c.place_id HAVING sum(c.n) > 0) AS pairs`.execute(db)
            ).rows[0]!
          : { reported: 0, inProgress: 0 };
      places.splice(0, req.query.offset);
      places.splice(req.query.limit);
      const placeIds = places.map((p) => p.id);
      const counts =
        indicatorIds.length && placeIds.length
          ? await db
              .selectFrom('observations as o')
              .where('o.indicator_id', 'in', indicatorIds)
              .where('o.place_id', 'in', placeIds)
              .where('o.status', 'in', [...statuses])
              .groupBy(['o.indicator_id', 'o.place_id'])
              .select([
                'o.indicator_id as indicatorId',
                'o.place_id as placeId',
                sql<number>`count(*)::int`.as('n'),
                sql<number>`(count(*) FILTER (WHERE o.status = 'approved'))::int`.as('approved'),
                sql<string>`(array_agg(o.period ORDER BY o.period_end DESC, o.period_start ASC, o.period DESC))[1]`.as(
                  'latestPeriod',
                ),
                sql<string>`to_char(max(o.period_end), 'YYYY-MM-DD')`.as('latestEnd'),
              ])
              .execute()
          : [];
      const byKey = new Map(counts.map((c) => [`${c.indicatorId}:${c.placeId}`, c]));
      // What a place's own reporting platform declares (Open SDG metadata's reporting_status, migration 017).
      const declaredRows =
        indicatorIds.length && placeIds.length
          ? await db
              .selectFrom('indicator_metadata')
              .select(['indicator_id', 'place_id', 'text', 'source'])
              .where('field', '=', 'reporting_status')
              .where('indicator_id', 'in', indicatorIds)
              .where('place_id', 'in', placeIds)
              .orderBy('updated_at', 'desc')
              .execute()
          : [];
      const declared = new Map<string, { status: string; source: string }>();
      for (const d of declaredRows) {
        const key = `${d.indicator_id}:${d.place_id}`;
        if (!declared.has(key) && (REPORTING_STATUSES as readonly string[]).includes(d.text))
          declared.set(key, { status: d.text, source: d.source });
      }

      const summary = {
        reported: totals.reported,
        inProgress: totals.inProgress,
        notStarted: activeIds.length * placesTotal - totals.reported - totals.inProgress,
        notApplicable: (members.length - activeIds.length) * placesTotal,
      };
      const cells = members.flatMap((m) =>
        places.map((p) => {
          const c = byKey.get(`${m.id}:${p.id}`);
          let state: CellState;
          if (m.status === 'retired') state = 'not-applicable';
          else if (c && c.approved > 0) state = 'reported';
          else if (c && c.n > 0) state = 'in-progress';
          else state = 'not-started';
          return {
            indicator: m.code,
            place: p.code,
            state,
            observations: c?.n ?? 0,
            latestPeriod: c?.latestPeriod ?? null,
            latestEnd: c?.latestEnd ?? null,
            declared: declared.get(`${m.id}:${p.id}`) ?? null,
          };
        }),
      );

      return {
        framework: { code: framework.code, name: pick(framework.names, lang) },
        places: places.map((p) => ({ code: p.code, name: pick(p.names, lang), level: p.level })),
        placesTotal,
        limit: req.query.limit,
        offset: req.query.offset,
        indicators: members.map((m) => ({ code: m.code, name: pick(m.names, lang), status: m.status, group: m.group })),
        cells,
        summary,
      };
    },
  );
}
