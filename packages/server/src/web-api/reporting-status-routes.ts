import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { hasAdminToken } from '../auth/admin-token.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { CodeList, LangParam, pick } from '../http/pagination.ts';
import { REPORTING_STATUSES } from '../imports/open-sdg-repository/repository-metadata.ts';
import { latestPeriods, pairTotals, placesWithValues, reportedPairs } from './reporting-status-queries.ts';
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
  prefix: CodeList.optional().describe(
    'Only the indicators whose code starts with one of these, comma-separated (e.g. `11.,16.1.`: the goals a page is about); the summary counts those only',
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
          "One page of places (limit, offset; placesTotal), every indicator of the framework; the summary counts every place. `cells` gives each pair of indicator and place of the page that is not plainly not started: a pair without a cell is not started, with nothing declared. States: reported (approved values), in-progress (values, none approved — only with the administrator token; the public sees not-started), not-started, not-applicable (retired indicator). Counts and periods are of the values the caller may see. `declared`: the status the place's own reporting platform gives (complete, inprogress, notstarted; Open SDG metadata) and its source.",
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
      const prefixes = req.query.prefix ?? [];
      const members = (
        await db
          .selectFrom('indicator_frameworks as m')
          .innerJoin('indicators as i', 'i.id', 'm.indicator_id')
          .leftJoin('framework_groups as g', 'g.id', 'm.group_id')
          .where('m.framework_id', '=', framework.id)
          .select(['i.id', 'i.code', 'i.names', 'i.status', 'g.code as group'])
          .execute()
      ).filter((m) => !prefixes.length || prefixes.some((p) => m.code.startsWith(p)));
      members.sort((a, b) => compareCodes(a.code, b.code));
      const indicatorIds = members.map((m) => m.id);
      const statuses = admin ? (['provisional', 'validated', 'approved'] as const) : (['approved'] as const);

      const withValues = await placesWithValues(db, indicatorIds, [...statuses]);
      const placeSelect = ['p.id', 'p.code', 'p.names', 'p.level', 'p.path'] as const;
      const requested = req.query.place?.length ? [...new Set(req.query.place)] : null;
      const places = requested
        ? await db.selectFrom('places as p').select(placeSelect).where('p.code', 'in', requested).execute()
        : await db
            .selectFrom('places as p')
            .select(placeSelect)
            .where((eb) => {
              const parts = [eb.and([eb('p.pilot', '=', true), eb('p.level', 'in', ['country', 'city'])])];
              if (withValues.length) parts.push(eb('p.id', 'in', withValues));
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

      // The answer holds one page of places (every place × every indicator ran to 166 MB at 8.25 million values); the
      // summary counts them all. Counts come from observation_counts (migration 026) and latest periods from
      // latest_observations (migration 027), kept as values are written: grouping the values took 4.5 s at 25 million.
      const placesTotal = places.length;
      const activeIds = members.filter((m) => m.status !== 'retired').map((m) => m.id);
      const allPlaceIds = places.map((p) => p.id);
      places.splice(0, req.query.offset);
      places.splice(req.query.limit);
      const placeIds = places.map((p) => p.id);
      // The summary over every place and the page's cells, read side by side.
      const [totals, pairs, latest, declaredRows] = await Promise.all([
        pairTotals(db, activeIds, allPlaceIds, [...statuses]),
        reportedPairs(db, indicatorIds, placeIds, [...statuses]),
        latestPeriods(db, indicatorIds, placeIds, [...statuses]),
        // What a place's own reporting platform declares (Open SDG metadata's reporting_status, migration 017).
        indicatorIds.length && placeIds.length
          ? db
              .selectFrom('indicator_metadata')
              .select(['indicator_id', 'place_id', 'text', 'source'])
              .where('field', '=', 'reporting_status')
              .where('indicator_id', 'in', indicatorIds)
              .where('place_id', 'in', placeIds)
              .orderBy('updated_at', 'desc')
              .execute()
          : [],
      ]);
      const latestOf = new Map(latest.map((x) => [`${x.indicatorId}:${x.placeId}`, x]));
      const byKey = new Map(
        pairs.map((c) => [`${c.indicatorId}:${c.placeId}`, { ...c, ...latestOf.get(`${c.indicatorId}:${c.placeId}`) }]),
      );
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
      // A cell not started, with nothing declared, is left out: most cells of a framework at most places (the SDG
      // framework's 253 indicators at 50 places gave 1.7 MB, most of it "not started").
      const cells = members.flatMap((m) =>
        places.flatMap((p) => {
          const c = byKey.get(`${m.id}:${p.id}`);
          let state: CellState;
          if (m.status === 'retired') state = 'not-applicable';
          else if (c && c.approved > 0) state = 'reported';
          else if (c && c.n > 0) state = 'in-progress';
          else state = 'not-started';
          const said = declared.get(`${m.id}:${p.id}`) ?? null;
          if (state === 'not-started' && !said) return [];
          return {
            indicator: m.code,
            place: p.code,
            state,
            observations: c?.n ?? 0,
            latestPeriod: c?.latestPeriod ?? null,
            latestEnd: c?.latestEnd ?? null,
            declared: said,
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
