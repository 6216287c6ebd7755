import { Readable } from 'node:stream';
import { COUNT_LIMIT, decodeObservationCursor, encodeObservationCursor, observationsPage } from '@marsad/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../audit/audit-log.ts';
import { resolveActor } from '../auth/actor.ts';
import type { AppContext } from '../context.ts';
import { exportObservations } from '../exports/export-observations.ts';
import {
  Dhis2MappingSchema,
  FORMATS,
  SDMX_ML_VERSION_NAMES,
  SDMX_ML_VERSIONS,
  writeContentType,
} from '../formats/index.ts';
import { HttpError } from '../http/errors.ts';
import { BoolParam, PageQuery } from '../http/pagination.ts';
import { dhis2MappingOf, SAVED_DHIS2_MAPPING_PARAMS } from '../mappings/import-mappings.ts';
import { mappingViewer } from '../mappings/saved-mappings.ts';
import { ObservationQuery, toFilter, unpublishedAccess } from './observation-filter.ts';

/** The deepest `offset` of a page of observations: deeper pages are read with the `after` cursor. */
const MAX_OFFSET = 10_000;

function pageAfter<T>(items: T[], total: number | null, limit: number, offset: number, next: string | null) {
  return { items, total, limit, offset, next };
}

export function registerObservationRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = ctx.store.db;

  r.get(
    '/api/v1/observations',
    {
      schema: {
        tags: ['observations'],
        summary: 'Observations, filtered; the public sees approved values only',
        description: `In the order of their key: series, place, period, breakdown (the order of the database's index, so that any page comes at once at national scale). \`next\` is the cursor of the page after this one (\`after=\`), null on the last page; \`offset\` goes up to ${MAX_OFFSET.toLocaleString('en')}, and deeper pages are read with \`after\`. \`total\` is the number of matching observations, or null when more than ${COUNT_LIMIT.toLocaleString('en')} match (they are not all counted). A value its indicator's suppression rule withholds from the caller is null, with \`suppressedBelow\` N ("fewer than N", docs/methods/suppression.md); callers who may see unpublished values of the place get the value with \`suppressedBelow\` set, as a mark that the public does not see it.`,
        querystring: PageQuery.extend(ObservationQuery.shape).extend({
          offset: z.coerce
            .number()
            .int()
            .min(0)
            .max(MAX_OFFSET)
            .default(0)
            .describe(`How many items to skip (up to ${MAX_OFFSET.toLocaleString('en')}; deeper pages: \`after\`)`),
          after: z
            .string()
            .max(200)
            .optional()
            .describe('The `next` cursor of the page before: the page starts after that observation'),
        }),
      },
    },
    async (req) => {
      const filter = toFilter(req.query, await unpublishedAccess(req, ctx));
      const { limit, offset } = req.query;
      const after = req.query.after === undefined ? undefined : decodeObservationCursor(req.query.after);
      if (after === null)
        throw new HttpError(
          400,
          'bad_request',
          'after: not a cursor of this API (give the `next` of a page as it came)',
        );
      // One row more than the page tells whether there is a page after it.
      const { total, rows: more } = await observationsPage(db, filter, limit + 1, offset, after);
      const rows = more.slice(0, limit);
      const last = rows[rows.length - 1];
      const next = more.length > limit && last ? encodeObservationCursor(last) : null;
      return pageAfter(
        rows.map((o) => ({
          indicator: o.indicator,
          series: o.series,
          place: o.place,
          period: o.period,
          periodStart: o.periodStart,
          periodEnd: o.periodEnd,
          dims: o.dims,
          value: o.value,
          suppressedBelow: o.suppressedBelow,
          unit: o.unit,
          status: o.status,
          source: o.source ? { name: o.source, licence: o.sourceLicence, synthetic: o.synthetic } : null,
          note: o.note,
          version: o.version,
          updatedAt: o.updatedAt,
        })),
        total,
        limit,
        offset,
        next,
      );
    },
  );

  r.get(
    '/api/v1/observations/export',
    {
      schema: {
        tags: ['observations'],
        summary: 'Download the selected observations as CSV, Open SDG, SDMX-CSV, SDMX-JSON, SDMX-ML or DHIS2',
        description:
          'DHIS2 (`dataValueSets` JSON) needs `dhis2Mapping`, the mapping an import uses: what the selection holds and the mapping cannot express is a 400 listing it, before anything is sent, unless `skipUnmapped` leaves those values out. ' +
          'SDMX-ML: `sdmxMl` chooses the message, `2.1` structure-specific (the default, `application/vnd.sdmx.structurespecificdata+xml; version=2.1`), `2.1-generic` (`application/vnd.sdmx.genericdata+xml; version=2.1`) or `3.0` structure-specific (`application/vnd.sdmx.structurespecificdata+xml; version=3.0.0`), all for the dataflow MARSAD:DF_MARSAD(1.0).',
        querystring: ObservationQuery.extend({
          format: z.enum(FORMATS).default('csv'),
          sdmxMl: z
            .enum(SDMX_ML_VERSION_NAMES)
            .default('2.1')
            .describe('SDMX-ML: 2.1 structure-specific (default), 2.1 generic or 3.0 structure-specific'),
          dhis2Mapping: z
            .string()
            .max(1_000_000)
            .optional()
            .describe('DHIS2: the mapping JSON (dataElements, orgUnits, categoryOptionCombos), as for import'),
          dhis2DataSet: z
            .string()
            .regex(/^[A-Za-z0-9]{1,40}$/)
            .optional()
            .describe('DHIS2: the data set UID written at the top of the data value set'),
          skipUnmapped: BoolParam.optional().describe('DHIS2: leave out the values the mapping cannot express'),
          ...SAVED_DHIS2_MAPPING_PARAMS,
        }),
      },
    },
    async (req, reply) => {
      const filter = toFilter(req.query, await unpublishedAccess(req, ctx));
      const { format, dhis2Mapping, dhis2DataSet, skipUnmapped, sdmxMl } = req.query;
      let mapping: ReturnType<typeof Dhis2MappingSchema.parse> | undefined;
      if (dhis2Mapping) {
        let json: unknown;
        try {
          json = JSON.parse(dhis2Mapping);
        } catch {
          throw new HttpError(400, 'bad_request', 'dhis2Mapping: not valid JSON');
        }
        const parsed = Dhis2MappingSchema.safeParse(json);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new HttpError(
            400,
            'bad_request',
            `dhis2Mapping: not right at ${issue?.path.join('.') || 'the top level'}: ${issue?.message ?? 'unknown problem'}`,
          );
        }
        mapping = parsed.data;
      }
      mapping = await dhis2MappingOf(ctx.store, mappingViewer(await resolveActor(req, ctx), actorOf(req)), {
        ...req.query,
        dhis2Mapping: mapping,
      });
      const sdmxMlOptions = { sdmxMl: SDMX_ML_VERSIONS[sdmxMl] };
      const out = await exportObservations(ctx.store, filter, format, {
        ...(format === 'dhis2' ? { dhis2Mapping: mapping, dhis2DataSet, dhis2SkipUnmapped: skipUnmapped } : {}),
        ...(format === 'sdmx-ml' ? sdmxMlOptions : {}),
      });
      reply
        .header('Content-Type', format === 'sdmx-ml' ? writeContentType(format, sdmxMlOptions) : out.contentType)
        .header('Content-Disposition', `attachment; filename="${out.fileName}"`);
      return reply.send(Readable.from(out.body));
    },
  );

  r.get(
    '/api/v1/downloads/all',
    {
      schema: {
        tags: ['observations'],
        summary: 'Bulk download of all public (approved) data',
        querystring: z.object({ format: z.enum(['csv', 'sdmx-csv', 'sdmx-json']).default('csv') }),
      },
    },
    async (req, reply) => {
      const out = await exportObservations(
        ctx.store,
        { statuses: ['approved'], revealSuppressed: [] },
        req.query.format,
      );
      const name = `marsad-all-public${out.fileName.slice(out.fileName.lastIndexOf('.'))}`;
      reply.header('Content-Type', out.contentType).header('Content-Disposition', `attachment; filename="${name}"`);
      return reply.send(Readable.from(out.body));
    },
  );

  r.get(
    '/api/v1/targets',
    {
      schema: {
        tags: ['observations'],
        summary: 'Targets per indicator (optionally per place and series)',
        querystring: z.object({ indicator: z.string().optional() }),
      },
    },
    async (req) => {
      let q = db
        .selectFrom('targets as t')
        .innerJoin('indicators as i', 'i.id', 't.indicator_id')
        .leftJoin('series as s', 's.id', 't.series_id')
        .leftJoin('places as p', 'p.id', 't.place_id')
        .select([
          't.id',
          'i.code as indicator',
          's.code as series',
          'p.code as place',
          't.year',
          't.value',
          't.relative_change',
          't.baseline_year',
          't.note',
        ]);
      if (req.query.indicator) q = q.where('i.code', '=', req.query.indicator);
      const rows = await q.orderBy('i.code').orderBy('t.year').execute();
      return {
        items: rows.map((t) => ({
          id: t.id,
          indicator: t.indicator,
          series: t.series,
          place: t.place,
          year: t.year,
          value: t.value,
          relativeChange: t.relative_change,
          baselineYear: t.baseline_year,
          note: t.note,
        })),
      };
    },
  );
}
