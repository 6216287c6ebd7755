import { assessProgress, valueSpread } from '@marsad/core';
import { type PlaceLevel, unlessHidden } from '@marsad/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { LangParam, pick } from '../http/pagination.ts';
import { MAX_POINTS } from './indicator-data-routes.ts';
import {
  approvedOnly,
  compareCodes,
  isoDate,
  sourceView,
  suppressionLateral,
  suppressionReveal,
  visibleStatuses,
} from './web-api-common.ts';

/** Entries (indicator, series) of one answer: by default, and at most (issue 16: every answer is bounded). */
export const SUMMARY_DEFAULT_ENTRIES = 50;
export const SUMMARY_MAX_ENTRIES = 200;
/**
 * The latest values of a series kept in `points` (the page draws a sparkline, the latest value and one chart):
 * 40 years of annual data, ten of quarterly, three of monthly. `latest`, `progress` and the counts are of the
 * whole series; the rest of it is on the indicator page (`pointsUrl`).
 */
export const SUMMARY_MAX_POINTS = 40;

const SummaryQuery = z.object({
  lang: LangParam,
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(SUMMARY_MAX_ENTRIES)
    .default(SUMMARY_DEFAULT_ENTRIES)
    .describe(`How many entries (indicator, series) of \`indicators\` (1–${SUMMARY_MAX_ENTRIES}), in their order`),
  offset: z.coerce.number().int().min(0).default(0).describe('How many entries to skip'),
});

interface LatestRow {
  seriesId: number;
  placeId: number;
  place: string;
  period: string;
  value: number | null;
  suppressedBelow: number | null;
}

/**
 * The place page: the (indicator, series) with data at the place, one page of them at a time
 * (`limit`, `offset`, `indicatorsTotal`), with the latest values of its time series of totals
 * (at most SUMMARY_MAX_POINTS), the latest value, progress, the target, the country's latest
 * value and the spread over the pilot places of the same level. No ranks. Values suppressed by
 * their indicator's rule (docs/methods/suppression.md) are null with `suppressedBelow` for
 * readers who may not see them, and never enter the pilot group's median and range (for anyone).
 */
export function registerPlaceSummaryRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = ctx.store.db;

  r.get(
    '/api/v1/places/:code/summary',
    {
      schema: {
        tags: ['web'],
        summary:
          'A place page: each indicator with data there, its values over time, target, country value and pilot group spread',
        description:
          `One page of the place's entries (indicator, series) in code order, default series first: \`limit\` (at most ${SUMMARY_MAX_ENTRIES}) from \`offset\`; \`indicatorsTotal\` counts them all, and \`latestPeriod\` is the latest period of the totals at the place over all of them. ` +
          `Points are the totals (no disaggregation), ordered by period start, the latest ${SUMMARY_MAX_POINTS} of each series: \`pointsTotal\` counts them all and, when some were left out, \`pointsTruncated\` is true and \`pointsUrl\` is where the whole series is (the indicator data API); \`latest\` and \`progress\` (its class and method, docs/methods/progress.md) are of the whole series. ` +
          'The whole answer is bounded (about 1.2 MB at the largest limit). `latest` is null for a series with only broken-down values at the place (`brokenDownValues` counts them). The public sees approved values only. A value the indicator\'s suppression rule withholds from the caller is null with `suppressedBelow` N ("fewer than N"); the pilot group\'s median and range leave suppressed values out.',
        params: z.object({ code: z.string().max(120) }),
        querystring: SummaryQuery,
      },
    },
    async (req) => {
      const { lang, limit, offset } = req.query;
      const statuses = await visibleStatuses(req, ctx);
      const reveal = await suppressionReveal(req, ctx);
      const below = sql.ref<number | null>('sup.below');
      const place = await db
        .selectFrom('places')
        .select(['id', 'code', 'level', 'names', 'pilot', 'path', 'parent_id'])
        .where('code', '=', req.params.code)
        .executeTakeFirst();
      if (!place) throw new HttpError(404, 'not_found', `No place with code "${req.params.code}".`);

      const ancestorIds = place.path
        .split('/')
        .filter(Boolean)
        .map(Number)
        .filter((id) => id !== place.id);
      const ancestors = ancestorIds.length
        ? await db
            .selectFrom('places')
            .select(['id', 'code', 'level', 'names'])
            .where('id', 'in', ancestorIds)
            .execute()
        : [];
      const parent = ancestors.find((a) => a.id === place.parent_id) ?? null;
      const country = place.level === 'country' ? null : (ancestors.find((a) => a.level === 'country') ?? null);

      // The (indicator, series) pairs with any visible value at the place, disaggregated or not, from the latest values
      // kept as values are written (latest_observations, migration 027: one row per series and breakdown).
      const scope = approvedOnly(statuses);
      const seriesRows = await db
        .selectFrom('latest_observations as o')
        .innerJoin('series as s', 's.id', 'o.series_id')
        .innerJoin('indicators as i', 'i.id', 'o.indicator_id')
        .where('o.place_id', '=', place.id)
        .where('o.approved_only', '=', scope)
        .select([
          's.id as seriesId',
          's.code as seriesCode',
          's.names as seriesNames',
          's.is_default as isDefault',
          's.unit_code as seriesUnit',
          's.unit_names as seriesUnitNames',
          'i.id as indicatorId',
          'i.code as indicatorCode',
          'i.names as indicatorNames',
          'i.unit_code as unitCode',
          'i.unit_names as unitNames',
          'i.direction',
          'i.status',
        ])
        .distinct()
        .execute();

      // The latest period of the totals at the place over all its entries (the page's "data up to"), as the page
      // took it from every point: the one ending last, on a tie the one starting first.
      async function latestPeriodAt(placeId: number): Promise<string | null> {
        const row = await db
          .selectFrom('latest_observations as o')
          .where('o.place_id', '=', placeId)
          .where('o.disagg_id', '=', 0)
          .where('o.approved_only', '=', scope)
          .select('o.period')
          .orderBy('o.period_end', 'desc')
          .orderBy('o.period_start', 'asc')
          .orderBy('o.period', 'asc')
          .limit(1)
          .executeTakeFirst();
        return row?.period ?? null;
      }

      const placeOut = {
        code: place.code,
        name: pick(place.names, lang),
        names: place.names,
        level: place.level,
        pilot: place.pilot,
        parent: parent ? { code: parent.code, name: pick(parent.names, lang), level: parent.level } : null,
        country: country ? { code: country.code, name: pick(country.names, lang) } : null,
      };
      const indicatorsTotal = seriesRows.length;
      seriesRows.sort(
        (a, b) =>
          compareCodes(a.indicatorCode, b.indicatorCode) ||
          Number(b.isDefault) - Number(a.isDefault) ||
          compareCodes(a.seriesCode, b.seriesCode),
      );
      const pageRows = seriesRows.slice(offset, offset + limit);
      const paging = { indicatorsTotal, limit, offset };
      if (!pageRows.length) {
        const latestPeriod = indicatorsTotal ? await latestPeriodAt(place.id) : null;
        return { place: placeOut, ...paging, latestPeriod, indicators: [] };
      }

      const seriesIds = pageRows.map((s) => s.seriesId);
      const indicatorIds = [...new Set(pageRows.map((s) => s.indicatorId))];

      const latestTotals = async (placeFilter: { ids?: number[]; pilotLevel?: PlaceLevel }): Promise<LatestRow[]> => {
        let q = db
          .selectFrom('latest_observations as o')
          .innerJoin('places as p', 'p.id', 'o.place_id')
          .innerJoin('indicators as i', 'i.id', 'o.indicator_id')
          .innerJoin('disaggregations as d', 'd.id', 'o.disagg_id')
          .where('o.series_id', 'in', seriesIds)
          .where('o.disagg_id', '=', 0)
          .where('o.approved_only', '=', scope);
        if (placeFilter.ids) q = q.where('o.place_id', 'in', placeFilter.ids);
        if (placeFilter.pilotLevel) q = q.where('p.pilot', '=', true).where('p.level', '=', placeFilter.pilotLevel);
        return q
          .leftJoinLateral(suppressionLateral(), (join) => join.onTrue())
          .select([
            'o.series_id as seriesId',
            'o.place_id as placeId',
            'p.code as place',
            'o.period',
            unlessHidden(below, reveal, sql<number>`o.value`).as('value'),
            below.as('suppressedBelow'),
          ])
          .orderBy('o.series_id')
          .orderBy('o.place_id')
          .execute();
      };

      const [points, frameworks, targets, countryLatest, pilotLatest, valueCounts, latestPeriod] = await Promise.all([
        db
          .selectFrom('observations as o')
          .leftJoin('sources as src', 'src.id', 'o.source_id')
          .innerJoin('places as p', 'p.id', 'o.place_id')
          .innerJoin('indicators as i', 'i.id', 'o.indicator_id')
          .innerJoin('disaggregations as d', 'd.id', 'o.disagg_id')
          .leftJoinLateral(suppressionLateral(), (join) => join.onTrue())
          .where('o.place_id', '=', place.id)
          .where('o.series_id', 'in', seriesIds)
          .where('o.disagg_id', '=', 0)
          .where('o.status', 'in', statuses)
          .select([
            'o.series_id as seriesId',
            'o.period',
            isoDate('o.period_start').as('periodStart'),
            isoDate('o.period_end').as('periodEnd'),
            unlessHidden(below, reveal, sql<number>`o.value`).as('value'),
            below.as('suppressedBelow'),
            'o.status',
            'src.name as sourceName',
            'src.licence as sourceLicence',
            'src.synthetic as sourceSynthetic',
            'src.names as sourceNames',
          ])
          .orderBy('o.period_start')
          .orderBy('o.period_end')
          .orderBy('o.period')
          .execute(),
        db
          .selectFrom('indicator_frameworks as m')
          .innerJoin('frameworks as f', 'f.id', 'm.framework_id')
          .where('m.indicator_id', 'in', indicatorIds)
          .select(['m.indicator_id as indicatorId', 'f.code'])
          .orderBy('f.id')
          .execute(),
        db
          .selectFrom('targets')
          .where('indicator_id', 'in', indicatorIds)
          .where((eb) => eb.or([eb('place_id', 'is', null), eb('place_id', '=', place.id)]))
          .select([
            'indicator_id',
            'series_id',
            'place_id',
            'year',
            'value',
            'relative_change',
            'baseline_year',
            'note',
          ])
          .execute(),
        country ? latestTotals({ ids: [country.id] }) : Promise.resolve([] as LatestRow[]),
        latestTotals({ pilotLevel: place.level }),
        // How many values of each series at the place are totals and how many are broken down: a series may
        // have only broken-down values there (an SDMX or Open SDG file without total rows).
        db
          .selectFrom('observations as o')
          .where('o.place_id', '=', place.id)
          .where('o.series_id', 'in', seriesIds)
          .where('o.status', 'in', statuses)
          .groupBy('o.series_id')
          .select(['o.series_id as seriesId', sql<string>`count(*) FILTER (WHERE o.disagg_id <> 0)`.as('brokenDown')])
          .execute(),
        latestPeriodAt(place.id),
      ]);
      // Grouped by series once: a place may have a thousand indicators.
      const group = <T extends { seriesId: number }>(rows: T[]) => {
        const m = new Map<number, T[]>();
        for (const row of rows) {
          const list = m.get(row.seriesId);
          if (list) list.push(row);
          else m.set(row.seriesId, [row]);
        }
        return m;
      };
      const pointsBySeries = group(points);
      const countryBySeries = group(countryLatest);
      const pilotBySeries = group(pilotLatest);
      const brokenDown = new Map(valueCounts.map((c) => [c.seriesId, Number(c.brokenDown)]));

      const indicators = pageRows.map((s) => {
        const pts = pointsBySeries.get(s.seriesId) ?? [];
        let last: (typeof pts)[number] | undefined;
        for (const p of pts) {
          if (
            !last ||
            p.periodEnd > last.periodEnd ||
            (p.periodEnd === last.periodEnd && p.periodStart < last.periodStart)
          )
            last = p;
        }
        // The most specific target: this place and series, this place, this series, the indicator.
        const candidates = targets.filter(
          (t) => t.indicator_id === s.indicatorId && (t.series_id === null || t.series_id === s.seriesId),
        );
        const score = (t: (typeof candidates)[number]) =>
          (t.place_id !== null ? 2 : 0) + (t.series_id !== null ? 1 : 0);
        const target = candidates.sort((a, b) => score(b) - score(a) || b.year - a.year)[0];
        const c = countryBySeries.get(s.seriesId)?.[0];
        // The pilot group's spread over published values only: a suppressed value is left out for every reader.
        const pilots = (pilotBySeries.get(s.seriesId) ?? []).filter(
          (x): x is LatestRow & { value: number } => x.suppressedBelow === null && x.value !== null,
        );
        const groupPeriods = new Set(pilots.map((g) => g.period));
        // Progress over the whole series, as the page assessed it from every point it was given.
        const progress = assessProgress(
          pts.filter((p) => p.value !== null).map((p) => ({ start: p.periodStart, end: p.periodEnd, value: p.value })),
          s.direction,
          target
            ? {
                year: target.year,
                value: target.value,
                relativeChange: target.relative_change,
                baselineYear: target.baseline_year,
              }
            : null,
        );
        const pointsTruncated = pts.length > SUMMARY_MAX_POINTS;
        const shownPoints = pointsTruncated ? pts.slice(-SUMMARY_MAX_POINTS) : pts;
        const spread = valueSpread(pilots.map((g) => g.value));
        const unitCode = s.seriesUnit ?? s.unitCode;
        const unitNames = s.seriesUnit ? s.seriesUnitNames : s.unitNames;
        return {
          indicator: {
            code: s.indicatorCode,
            name: pick(s.indicatorNames, lang),
            unit: unitCode ? { code: unitCode, name: pick(unitNames, lang) } : null,
            direction: s.direction,
            status: s.status,
            frameworks: frameworks.filter((f) => f.indicatorId === s.indicatorId).map((f) => f.code),
          },
          series: { code: s.seriesCode, name: pick(s.seriesNames, lang) ?? s.seriesCode, default: s.isDefault },
          points: shownPoints.map((p) => ({
            period: p.period,
            periodStart: p.periodStart,
            periodEnd: p.periodEnd,
            value: p.value,
            suppressedBelow: p.suppressedBelow,
            status: p.status,
          })),
          pointsTotal: pts.length,
          pointsTruncated,
          // The whole series at the place: the indicator page's data API.
          ...(pointsTruncated
            ? {
                pointsUrl: `/api/v1/indicators/${encodeURIComponent(s.indicatorCode)}/data?${new URLSearchParams({
                  series: s.seriesCode,
                  place: place.code,
                  limit: String(Math.min(pts.length, MAX_POINTS)),
                })}`,
              }
            : {}),
          progress: { class: progress.class, method: progress.method },
          latest: last
            ? {
                period: last.period,
                value: last.value,
                suppressedBelow: last.suppressedBelow,
                status: last.status,
                source: sourceView(last.sourceName, last.sourceLicence, last.sourceSynthetic, last.sourceNames),
              }
            : null,
          target: target
            ? {
                year: target.year,
                value: target.value,
                relativeChange: target.relative_change,
                baselineYear: target.baseline_year,
                note: target.note,
              }
            : null,
          country: c ? { place: c.place, period: c.period, value: c.value, suppressedBelow: c.suppressedBelow } : null,
          // Values at the place that are broken down (by sex, age…); `latest` is null when there is no total.
          brokenDownValues: brokenDown.get(s.seriesId) ?? 0,
          pilotGroup:
            spread && spread.n >= 2
              ? {
                  count: spread.n,
                  median: spread.median,
                  min: spread.min,
                  max: spread.max,
                  ...(groupPeriods.size === 1 ? { period: pilots[0]!.period } : {}),
                }
              : null,
        };
      });
      return { place: placeOut, ...paging, latestPeriod, indicators };
    },
  );
}
