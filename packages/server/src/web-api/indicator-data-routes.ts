import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { CodeList, LangParam, pick } from '../http/pagination.ts';
import {
  countValues,
  disaggregationId,
  disaggregationsById,
  placesByCode,
  placesById,
  resolveIndicatorSeries,
  seriesPoints,
  sourcesById,
} from './indicator-data-queries.ts';
import { compareCodes, parseExactDims, suppressionReveal, visibleStatuses } from './web-api-common.ts';

/** How many places are chosen when the request names none: those with the most values. */
export const DEFAULT_PLACES = 5;
export const DEFAULT_POINTS = 2000;
export const MAX_POINTS = 20_000;

const DataQuery = z.object({
  series: z
    .string()
    .max(120)
    .optional()
    .describe('Series code or alias; the default series of the indicator if not given'),
  dim: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .describe('The disaggregation shown, CODE:VALUE, repeatable, e.g. dim=SEX:F; without it, the totals'),
  place: CodeList.optional().describe(
    `Places whose values are wanted, comma-separated; without it, the ${DEFAULT_PLACES} with the most values in the disaggregation`,
  ),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_POINTS)
    .default(DEFAULT_POINTS)
    .describe(`At most this many values (1–${MAX_POINTS}), the latest first across the places`),
  lang: LangParam,
});

/** "AGE:Y15T24|SEX:F": dimension codes sorted, the web page's key of a disaggregation ('' is the total). */
const dimKey = (dims: Record<string, string>) =>
  Object.keys(dims)
    .sort()
    .map((k) => `${k}:${dims[k]}`)
    .join('|');

/**
 * What the indicator page shows, asked for as it is shown (issue 14, item 5): the disaggregations of a
 * series with how many values each has, the places with values in the chosen one, and the values of the
 * chosen places only, within a limit the answer says it reached. Never the first rows of the whole series.
 */
export function registerIndicatorDataRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = ctx.store.db;

  r.get(
    '/api/v1/indicators/:code/data',
    {
      schema: {
        tags: ['web'],
        summary:
          'An indicator page: the disaggregations and places with values in one series, and the values of the chosen places',
        description:
          '`disaggregations`: every disaggregation of the series with visible values (key `""` is the total), with counts of values and places. `places`: the places with values in the disaggregation shown (`dim`; without it the total, or for a series without totals the disaggregation with most values; `dims` and `key` name the one shown), most values first. `points`: the values of the chosen places (`place`, else the ' +
          `${DEFAULT_PLACES} with most values), grouped by place in period order; at most \`limit\`, the latest kept when there are more (\`truncated\`, with \`pointsTotal\`). ` +
          'A point has `unit` only where it differs from the series\' unit. The public sees approved values only. A value the indicator\'s suppression rule withholds from the caller is null with `suppressedBelow` N ("fewer than N"). `source` is an index into `sources`.',
        params: z.object({ code: z.string().max(120) }),
        querystring: DataQuery,
      },
    },
    async (req) => {
      const { lang, limit } = req.query;
      let dims = parseExactDims(req.query.dim);
      const ref = await resolveIndicatorSeries(db, req.params.code, req.query.series);
      const statuses = await visibleStatuses(req, ctx);
      const [counts, askedDisagg, reveal, asked] = await Promise.all([
        countValues(db, ref.seriesId, statuses),
        disaggregationId(db, dims),
        suppressionReveal(req, ctx),
        placesByCode(db, req.query.place ?? []),
      ]);
      const missing = (req.query.place ?? []).filter((c) => !asked.some((p) => p.code === c));
      if (missing.length) throw new HttpError(400, 'bad_request', `place: no place with code ${missing.join(', ')}`);

      // Disaggregations with their counts of values and places.
      const byDisagg = new Map<number, { values: number; places: number }>();
      for (const c of counts) {
        const d = byDisagg.get(c.disaggId) ?? { values: 0, places: 0 };
        d.values += c.n;
        d.places += 1;
        byDisagg.set(c.disaggId, d);
      }
      const disaggRows = await disaggregationsById(db, [...byDisagg.keys()]);
      const disaggregations = disaggRows
        .map((d) => ({ key: dimKey(d.dims), dims: d.dims, ...byDisagg.get(d.id)! }))
        .sort((a, b) => (a.key === '' ? -1 : b.key === '' ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

      // Without `dim`, the totals; a series without totals (only broken-down values) shows the disaggregation
      // with the most values instead, named in `dims`.
      let disaggId = askedDisagg;
      if (req.query.dim === undefined && !byDisagg.has(0) && disaggRows.length) {
        const most = disaggRows.reduce((a, b) => (byDisagg.get(b.id)!.values > byDisagg.get(a.id)!.values ? b : a));
        disaggId = most.id;
        dims = most.dims;
      }

      // The places with values in the disaggregation shown, most values first.
      const here = disaggId === null ? [] : counts.filter((c) => c.disaggId === disaggId);
      const placeRows = await placesById(
        db,
        here.map((c) => c.placeId),
      );
      const placeById = new Map(placeRows.map((p) => [p.id, p]));
      const places = here
        .map((c) => ({ place: placeById.get(c.placeId)!, values: c.n }))
        .sort((a, b) => b.values - a.values || compareCodes(a.place.code, b.place.code));
      const chosen = req.query.place
        ? asked.filter((p) => placeById.has(p.id)).map((p) => p.id)
        : places.slice(0, DEFAULT_PLACES).map((p) => p.place.id);
      const pointsTotal = here.filter((c) => chosen.includes(c.placeId)).reduce((s, c) => s + c.n, 0);

      const rows =
        disaggId === null
          ? []
          : await seriesPoints(db, { seriesId: ref.seriesId, disaggId, placeIds: chosen, statuses, reveal, limit });
      const truncated = rows.length > limit;
      if (truncated) rows.length = limit;
      const sourceIds = [...new Set(rows.map((p) => p.sourceId).filter((id): id is number => id !== null))];
      const sources = await sourcesById(db, sourceIds);
      const sourceIndex = new Map(sources.map((s, i) => [s.id, i]));
      rows.sort(
        (a, b) =>
          a.placeId - b.placeId ||
          (a.periodStart < b.periodStart ? -1 : a.periodStart > b.periodStart ? 1 : 0) ||
          (a.periodEnd < b.periodEnd ? -1 : a.periodEnd > b.periodEnd ? 1 : 0),
      );
      const series = chosen.map((id) => {
        const p = placeById.get(id)!;
        return {
          place: p.code,
          points: rows
            .filter((x) => x.placeId === id)
            .map((x) => ({
              period: x.period,
              start: x.periodStart,
              end: x.periodEnd,
              value: x.value,
              status: x.status,
              // Left out when empty: a page of monthly values stays small.
              ...(x.suppressedBelow !== null ? { suppressedBelow: x.suppressedBelow } : {}),
              ...(x.sourceId !== null ? { source: sourceIndex.get(x.sourceId) } : {}),
              ...(x.unit !== null && x.unit !== ref.unitCode ? { unit: x.unit } : {}),
              ...(x.note ? { note: x.note } : {}),
            })),
        };
      });

      return {
        indicator: ref.indicatorCode,
        series: ref.seriesCode,
        dims,
        key: dimKey(dims),
        total: counts.reduce((s, c) => s + c.n, 0),
        disaggregations,
        places: places.map(({ place: p, values }) => ({
          code: p.code,
          name: pick(p.names, lang),
          level: p.level,
          values,
        })),
        selected: series.map((s) => s.place),
        points: series,
        sources: sources.map((s) => ({ name: s.name, licence: s.licence, synthetic: s.synthetic })),
        pointsTotal,
        limit,
        truncated,
      };
    },
  );
}
