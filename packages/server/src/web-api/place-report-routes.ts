import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { LangParam, pick } from '../http/pagination.ts';
import { listPublished } from '../reviews/published-reviews.ts';
import { reportCityCount, reportLatestValues, reportSpreads } from './place-report-queries.ts';
import {
  approvedOnly,
  compareCodes,
  type SourceView,
  sourceView,
  suppressionReveal,
  visibleStatuses,
} from './web-api-common.ts';

/** Up to this many cities with values, the report lists each; above, its pilot cities (issue 17). */
export const REPORT_CITIES = 30;

/** A latest value as the report shows it: null with `suppressedBelow` N where withheld from the reader. */
interface ReportValue {
  period: string;
  periodEnd: string;
  value: number | null;
  suppressedBelow: number | null;
  status: string;
  source: SourceView | null;
}

/**
 * The country report (issue 7 item 5): for a country, the latest national value of each
 * (indicator, series) with data there or in its cities, the latest value of each city under it,
 * the programmes the country or its places take part in, the published reviews of its places,
 * and the date of the data. A country of more than REPORT_CITIES cities with values (a national observatory's
 * hundreds) has its pilot cities listed one by one, and each indicator's spread over all its cities (how many, the
 * lowest, the median, the highest): the page stays readable and its answer bounded. Values go through the same
 * suppression test as the place summary: a value withheld from the reader is null with `suppressedBelow` and is not
 * replaced by an older one. Totals only (no disaggregation). No ranks: cities are listed in the order of their codes.
 */
export function registerPlaceReportRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = ctx.store.db;

  r.get(
    '/api/v1/places/:code/report',
    {
      schema: {
        tags: ['web'],
        summary:
          'The country report: national and city values of each indicator, programmes, published reviews, the date of the data',
        description:
          'For a place of level `country` (400 otherwise). Each (indicator, series) with a visible total value at the country or one of its cities, with the latest value of each (period, value, status, source). The public sees approved values only. A value the indicator\'s suppression rule withholds from the caller is null with `suppressedBelow` N ("fewer than N"). `latestPeriod` is the period of the data ending last; `generatedAt` the moment of the answer. ' +
          `\`citiesWithValues\`: how many cities have values; up to ${REPORT_CITIES}, each is listed (\`citiesListed\` "all"), above only the pilot cities ("pilot"). Each indicator gives \`spread\`: how many city values are shown (\`n\`), the lowest, the median and the highest, and the periods ending first and last, over every city (not a ranking).`,
        params: z.object({ code: z.string().max(120) }),
        querystring: z.object({ lang: LangParam }),
      },
    },
    async (req) => {
      const lang = req.query.lang;
      const place = await db
        .selectFrom('places')
        .select(['id', 'code', 'level', 'names', 'path'])
        .where('code', '=', req.params.code)
        .executeTakeFirst();
      if (!place) throw new HttpError(404, 'not_found', `No place with code "${req.params.code}".`);
      if (place.level !== 'country')
        throw new HttpError(
          400,
          'not_a_country',
          `"${place.code}" is a ${place.level}: the report is made for countries.`,
        );
      const generatedAt = new Date().toISOString();
      const statuses = await visibleStatuses(req, ctx);
      const reveal = await suppressionReveal(req, ctx);
      const approved = approvedOnly(statuses);
      // The cities with values; listed one by one up to REPORT_CITIES of them, else the pilot cities only (every
      // city is still in each indicator's spread, on its own page and in the downloads).
      const [citiesWithValues, spreads] = await Promise.all([
        reportCityCount(db, place, approved),
        reportSpreads(db, place, approved, reveal),
      ]);
      const citiesListed: 'all' | 'pilot' = citiesWithValues <= REPORT_CITIES ? 'all' : 'pilot';
      const found = await reportLatestValues(db, place, approved, reveal, {
        pilotCitiesOnly: citiesListed === 'pilot',
        moreSeries: spreads.map((x) => x.seriesId),
      });
      // The values are read as they came (ids and figures), their place, series and source looked up.
      const latest = found.values.filter((v) => found.places.has(v.placeId));
      const sourceOf = (v: (typeof latest)[number]) => {
        const src = v.sourceId === null ? undefined : found.sources.get(v.sourceId);
        return src ? sourceView(src.name, src.licence, src.synthetic, src.names) : null;
      };
      const valueFor = (row: (typeof latest)[number]): ReportValue => ({
        period: row.period,
        periodEnd: row.periodEnd,
        value: row.value,
        suppressedBelow: row.suppressedBelow,
        status: row.status,
        source: sourceOf(row),
      });

      const cityIds = new Set(latest.map((v) => v.placeId).filter((id) => id !== place.id));
      const cities = [...cityIds]
        .map((id) => {
          const p = found.places.get(id)!;
          return { code: p.code, name: pick(p.names, lang), names: p.names, pilot: p.pilot };
        })
        .sort((a, b) => compareCodes(a.code, b.code));

      const bySeries = new Map<number, (typeof latest)[number][]>();
      for (const row of latest) {
        const list = bySeries.get(row.seriesId);
        if (list) list.push(row);
        else bySeries.set(row.seriesId, [row]);
      }
      const spreadOf = new Map(spreads.map((x) => [x.seriesId, x]));
      const indicators = [...new Set([...bySeries.keys(), ...spreadOf.keys()])]
        .filter((id) => found.series.has(id))
        .map((id) => ({ s: found.series.get(id)!, rows: bySeries.get(id) ?? [], spread: spreadOf.get(id) }))
        .sort(
          (a, b) =>
            compareCodes(a.s.indicatorCode, b.s.indicatorCode) ||
            Number(b.s.isDefault) - Number(a.s.isDefault) ||
            compareCodes(a.s.seriesCode, b.s.seriesCode),
        )
        .map(({ s, rows, spread }) => {
          const unitCode = s.seriesUnit ?? s.unitCode;
          const unitNames = s.seriesUnit ? s.seriesUnitNames : s.unitNames;
          const national = rows.find((x) => x.placeId === place.id);
          // Spread over the values shown (a value withheld from the reader is left out of it).
          const shown =
            spread && spread.n > 0
              ? {
                  n: spread.n,
                  min: spread.min!,
                  median: (spread.lowMiddle! + spread.highMiddle!) / 2,
                  max: spread.max!,
                  earliestPeriod: spread.earliestPeriod!,
                  latestPeriod: spread.latestPeriod!,
                }
              : null;
          return {
            indicator: {
              code: s.indicatorCode,
              name: pick(s.indicatorNames, lang),
              unit: unitCode ? { code: unitCode, name: pick(unitNames, lang) } : null,
              direction: s.direction,
            },
            series: { code: s.seriesCode, name: pick(s.seriesNames, lang) ?? s.seriesCode, default: s.isDefault },
            national: national ? valueFor(national) : null,
            citiesWithValues: spread?.cities ?? 0,
            spread: shown,
            cities: rows
              .filter((x) => x.placeId !== place.id)
              .map((x) => ({ place: found.places.get(x.placeId)!.code, ...valueFor(x) }))
              .sort((a, b) => compareCodes(a.place, b.place)),
          };
        });

      // The date of the data: the period ending last, at the country or any of its cities.
      let last: { period: string; periodEnd: string } | undefined;
      for (const row of latest) if (!last || row.periodEnd > last.periodEnd) last = row;
      for (const x of spreads)
        if (!last || x.lastEnd > last.periodEnd) last = { period: x.lastPeriod, periodEnd: x.lastEnd };

      const programmeRows = await db
        .selectFrom('programme_places as pp')
        .innerJoin('programmes as g', 'g.id', 'pp.programme_id')
        .innerJoin('places as p', 'p.id', 'pp.place_id')
        .where('p.path', 'like', `${place.path}%`)
        .select([
          'g.code',
          'g.names',
          'g.start_year as startYear',
          'g.end_year as endYear',
          'g.demo',
          'p.code as placeCode',
          'p.names as placeNames',
          'p.level',
          'pp.role',
          'pp.since_year as sinceYear',
        ])
        .orderBy('g.start_year')
        .orderBy('g.code')
        .orderBy('p.path')
        .execute();
      const programmes: {
        code: string;
        name: string | null;
        names: Record<string, string>;
        startYear: number;
        endYear: number;
        demonstration: boolean;
        places: { code: string; name: string | null; level: string; role: string; sinceYear: number | null }[];
      }[] = [];
      for (const row of programmeRows) {
        let g = programmes.find((x) => x.code === row.code);
        if (!g) {
          g = {
            code: row.code,
            name: pick(row.names, lang),
            names: row.names ?? {},
            startYear: row.startYear,
            endYear: row.endYear,
            demonstration: row.demo,
            places: [],
          };
          programmes.push(g);
        }
        g.places.push({
          code: row.placeCode,
          name: pick(row.placeNames, lang),
          level: row.level,
          role: row.role,
          sinceYear: row.sinceYear,
        });
      }

      const reviews = (
        await ctx.store.exclusive((conn) => listPublished(conn, { place: place.code, limit: 200, offset: 0 }))
      ).items.map((x) => ({
        id: x.id,
        demonstration: x.demo,
        publishedAt: x.publishedAt,
        languages: x.languages,
        cycle: {
          id: x.cycle.id,
          kind: x.cycle.kind,
          title: pick(x.cycle.titles, lang),
          startsOn: x.cycle.startsOn,
          endsOn: x.cycle.endsOn,
        },
        place: { code: x.place.code, level: x.place.level, name: pick(x.place.names, lang) },
      }));

      return {
        place: { code: place.code, level: place.level, name: pick(place.names, lang), names: place.names },
        generatedAt,
        latestPeriod: last ? { period: last.period, periodEnd: last.periodEnd } : null,
        citiesWithValues,
        citiesListed,
        cities,
        indicators,
        programmes,
        reviews,
      };
    },
  );
}
