import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { CodeList, LangParam, pick } from '../http/pagination.ts';
import {
  COUNT_CAP,
  COUNTED_PLACES,
  COUNTED_VALUES,
  countAt,
  defaultDisaggregation,
  disaggregationId,
  disaggregationsById,
  placesByCode,
  placesById,
  placesWithValues,
  resolveIndicatorSeries,
  seriesBreakdowns,
  seriesPoints,
  sourcesById,
} from './indicator-data-queries.ts';
import { compareCodes, parseExactDims, suppressionReveal, visibleStatuses } from './web-api-common.ts';

/** How many places are chosen when the request names none: those with most values (counted up to COUNT_CAP). */
export const DEFAULT_PLACES = 5;
export const DEFAULT_POINTS = 2000;
export const MAX_POINTS = 20_000;

const DataQuery = z.object({
  series: z
    .string()
    // A series named by its label in a file ("Extent to which global citizenship education … policies": 149).
    .max(1000)
    .optional()
    .describe('Series code or alias; the default series of the indicator if not given'),
  dim: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .describe('The disaggregation shown, CODE:VALUE, repeatable, e.g. dim=SEX:F; without it, the totals'),
  place: CodeList.optional().describe(
    `Places whose values are wanted, comma-separated; without it, the ${DEFAULT_PLACES} with most values in the disaggregation (counted up to ${COUNT_CAP})`,
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
 * What the indicator page shows, asked for as it is shown (issue 14, item 5): the places with values in
 * the disaggregation shown and the values of the chosen places only, within a limit the answer says it
 * reached (`/data`, which reads no more of the series than that: index probes per place); and, asked for
 * after the first chart, the disaggregations of the series with how many values each has (`/breakdowns`,
 * from the latest values and counts kept as values are written). Never the first rows of the whole series.
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
          'An indicator page: the places with values in one disaggregation of a series, and the values of the chosen places',
        description:
          '`places`: the places with values in the disaggregation shown (`dim`; without it the total, or for a series without totals the disaggregation with most values; `dims` and `key` name the one shown), ' +
          `most values first (counted up to ${COUNT_CAP}, then in code order; in code order alone when more than ${COUNTED_PLACES} places have values). \`points\`: the values of the chosen places (\`place\`, else the first ` +
          `${DEFAULT_PLACES}), grouped by place in period order; at most \`limit\`, the latest kept when there are more (\`truncated\`, with \`pointsTotal\`). ` +
          'A point has `unit` only where it differs from the series\' unit; `source` is an index into `sources`. The public sees approved values only. A value the indicator\'s suppression rule withholds from the caller is null with `suppressedBelow` N ("fewer than N").',
        params: z.object({ code: z.string().max(120) }),
        querystring: DataQuery,
      },
    },
    async (req) => {
      const { lang, limit } = req.query;
      let dims = parseExactDims(req.query.dim);
      const ref = await resolveIndicatorSeries(db, req.params.code, req.query.series);
      const statuses = await visibleStatuses(req, ctx);
      const [reveal, asked] = await Promise.all([suppressionReveal(req, ctx), placesByCode(db, req.query.place ?? [])]);
      const missing = (req.query.place ?? []).filter((c) => !asked.some((p) => p.code === c));
      if (missing.length) throw new HttpError(400, 'bad_request', `place: no place with code ${missing.join(', ')}`);
      // Without `dim`, the totals; a series without totals (only broken-down values) shows the disaggregation
      // with the most values instead, named in `dims`.
      const disaggId =
        req.query.dim === undefined
          ? await defaultDisaggregation(db, ref.seriesId, statuses)
          : await disaggregationId(db, dims);
      if (req.query.dim === undefined && disaggId) dims = (await disaggregationsById(db, [disaggId]))[0]?.dims ?? dims;

      const found = disaggId === null ? [] : await placesWithValues(db, ref.seriesId, disaggId, statuses);
      const counted = new Map(found.map((x) => [x.placeId, x.n]));
      const placeRows = await placesById(
        db,
        found.map((x) => x.placeId),
      );
      placeRows.sort((a, b) => (counted.get(b.id) ?? 0) - (counted.get(a.id) ?? 0) || compareCodes(a.code, b.code));
      const placeById = new Map(placeRows.map((p) => [p.id, p]));
      const chosen = req.query.place
        ? asked.filter((p) => placeById.has(p.id)).map((p) => p.id)
        : placeRows.slice(0, DEFAULT_PLACES).map((p) => p.id);

      const [rows, pointsTotal] =
        disaggId === null
          ? [[], 0]
          : await Promise.all([
              seriesPoints(db, { seriesId: ref.seriesId, disaggId, placeIds: chosen, statuses, reveal, limit }),
              countAt(db, { seriesId: ref.seriesId, disaggId, placeIds: chosen, statuses }),
            ]);
      const truncated = rows.length > limit;
      if (truncated) rows.length = limit;
      const sourceIds = [...new Set(rows.map((p) => p.sourceId).filter((id): id is number => id !== null))];
      const sources = await sourcesById(db, sourceIds);
      const sourceIndex = new Map(sources.map((s, i) => [s.id, i]));
      const byPlace = new Map<number, typeof rows>(chosen.map((id) => [id, []]));
      for (const x of rows) byPlace.get(x.placeId)?.push(x);
      const series = chosen.map((id) => ({
        place: placeById.get(id)!.code,
        points: byPlace
          .get(id)!
          .sort(
            (a, b) =>
              (a.periodStart < b.periodStart ? -1 : a.periodStart > b.periodStart ? 1 : 0) ||
              (a.periodEnd < b.periodEnd ? -1 : a.periodEnd > b.periodEnd ? 1 : 0),
          )
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
      }));

      return {
        indicator: ref.indicatorCode,
        series: ref.seriesCode,
        dims,
        key: dimKey(dims),
        places: placeRows.map((p) => ({ code: p.code, name: pick(p.names, lang), level: p.level })),
        selected: series.map((s) => s.place),
        points: series,
        sources: sources.map((s) => ({ name: s.name, names: s.names, licence: s.licence, synthetic: s.synthetic })),
        pointsTotal,
        limit,
        truncated,
      };
    },
  );

  r.get(
    '/api/v1/indicators/:code/breakdowns',
    {
      schema: {
        tags: ['web'],
        summary: "The disaggregations of an indicator's series with how many values and places each has",
        description:
          'Key `""` is the total; the others list their dimension values, codes sorted (`AGE:Y15T24|SEX:F`). `places`: how many places have values in the breakdown; `values`: how many values, counted for a series of at most ' +
          `${COUNTED_VALUES.toLocaleString('en')} visible values (null above: \`total\` still counts them all). The public sees approved values only.`,
        params: z.object({ code: z.string().max(120) }),
        querystring: z.object({
          series: z
            .string()
            .max(1000)
            .optional()
            .describe('Series code or alias; the default series of the indicator if not given'),
        }),
      },
    },
    async (req) => {
      const ref = await resolveIndicatorSeries(db, req.params.code, req.query.series);
      const { total, breakdowns } = await seriesBreakdowns(db, ref.seriesId, await visibleStatuses(req, ctx));
      const byDisagg = new Map(breakdowns.map((b) => [b.disaggId, b]));
      const disaggregations = (await disaggregationsById(db, [...byDisagg.keys()]))
        .map((d) => ({
          key: dimKey(d.dims),
          dims: d.dims,
          values: byDisagg.get(d.id)!.values,
          places: byDisagg.get(d.id)!.places,
        }))
        .sort((a, b) => (a.key === '' ? -1 : b.key === '' ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      return {
        indicator: ref.indicatorCode,
        series: ref.seriesCode,
        total,
        disaggregations,
      };
    },
  );
}
