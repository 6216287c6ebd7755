import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../audit/audit-log.ts';
import { adminGuard } from '../auth/admin-token.ts';
import { canApprovePlace, canWritePlace, currentActor, requireActor } from '../auth/policy.ts';
import type { AppContext } from '../context.ts';
import { Dhis2MappingSchema, FORMATS } from '../formats/index.ts';
import { HttpError } from '../http/errors.ts';
import { BoolParam, PageQuery, page } from '../http/pagination.ts';
import { requestBody } from '../http/raw-body.ts';
import { importMappings, SAVED_MAPPING_PARAMS } from '../mappings/import-mappings.ts';
import { mappingViewer } from '../mappings/saved-mappings.ts';
import { ColumnMapSchema } from '../observations/column-map.ts';
import { importFile } from './import-file.ts';

export function jsonParam<T>(name: string, text: string | undefined, parse: (v: unknown) => T): T | undefined {
  if (!text) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'bad_request', `${name}: not valid JSON`);
  }
  try {
    return parse(v);
  } catch (err) {
    throw new HttpError(400, 'bad_request', `${name}: ${(err as Error).message}`);
  }
}

export function reportDir(ctx: AppContext): string {
  return path.join(ctx.dataDir, 'import-reports');
}

/** Upload routes: the body is the file itself, streamed. */
export function registerImportRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const admin = adminGuard(ctx);

  r.post(
    '/api/v1/imports',
    {
      onRequest: requireActor(ctx),
      schema: {
        tags: ['imports'],
        summary: 'Import observations from a file (the request body), all or nothing',
        security: [{ bearer: [] }],
        description:
          "Formats: csv (tidy), open-sdg, sdmx-csv, sdmx-json, sdmx-ml (SDMX-ML 2.1 generic or structure-specific, 3.0 structure-specific), dhis2 (dataValueSets). One bad row means nothing is written; the answer lists the first 1,000 errors and links the full report. A value must be in the unit of its series (a unit multiplier the file states scales it) and pass its indicator's validation rules as in the data-entry form: a rule set as a warning is listed under `warnings` and the value imported. Values enter as provisional unless `status` says otherwise.",
        querystring: z.object({
          format: z.enum(FORMATS),
          fileName: z.string().max(300).optional().describe('Name of the file (Open SDG reads the indicator from it)'),
          indicator: z.string().max(80).optional(),
          place: z.string().max(80).optional(),
          status: z
            .enum(['provisional', 'validated', 'approved'])
            .default('provisional')
            .describe(
              'Status of rows that give none; validated or approved only for administrators and national focal points of the places',
            ),
          dryRun: BoolParam.optional(),
          createIndicators: BoolParam.optional(),
          createPlaces: BoolParam.optional().describe(
            "A place a row names (REF_AREA, GeoCode, or a place's name) and no place is known by is created under the file's `place` (as a region, or a city or district when its column says so), named by the label beside its code; you need the right to add places there. A places file sets parents: the data alone gives no hierarchy",
          ),
          extendCodes: BoolParam.optional().describe(
            'A value that a closed code list lacks (an age band Y18T24 or "15-24" of AGE) is added to that list, with its label, instead of being an error',
          ),
          newSeriesForUnits: BoolParam.optional().describe(
            "A value in a unit other than its series' goes to a series of the indicator in that unit (found or created) instead of being an error",
          ),
          unit: z
            .string()
            .max(100)
            .optional()
            .describe(
              "Unit of rows that name none; one that is not their series' is an error unless newSeriesForUnits",
            ),
          skipUnmapped: BoolParam.optional().describe(
            'DHIS2: skip the values of data elements and option combos the mapping lacks (named in a notice) instead of refusing them',
          ),
          source: z.string().max(300).optional().describe('Source of rows that name none'),
          map: z
            .string()
            .max(100_000)
            .optional()
            .describe(
              'Column mapping JSON: {"columns": {"Victim Gender": {"dimension": "SEX", "values": {"Female": "F"}}}}',
            ),
          dhis2Mapping: z
            .string()
            .max(1_000_000)
            .optional()
            .describe('DHIS2 mapping JSON (dataElements, orgUnits, categoryOptionCombos)'),
          ...SAVED_MAPPING_PARAMS,
        }),
      },
    },
    async (req, reply) => {
      const q = req.query;
      const actor = await currentActor(req, ctx);
      const report = await importFile(ctx.store, requestBody(req), {
        placeRights: (path) => ({ write: canWritePlace(actor, path), approve: canApprovePlace(actor, path) }),
        format: q.format,
        fileName: q.fileName,
        indicator: q.indicator,
        place: q.place,
        actor: actorOf(req).label,
        auditActor: actorOf(req),
        status: q.status,
        rowStatusAllowed: true,
        dryRun: q.dryRun,
        createIndicators: q.createIndicators,
        createPlaces: q.createPlaces,
        mayAddPlaceUnder: (parentPath) => canWritePlace(actor, parentPath, 'places:write'),
        extendCodes: q.extendCodes,
        newSeriesForUnits: q.newSeriesForUnits,
        unit: q.unit,
        dhis2SkipUnmapped: q.skipUnmapped,
        source: q.source,
        ...(await importMappings(ctx.store, mappingViewer(actor, actorOf(req)), {
          ...q,
          map: jsonParam('map', q.map, (v) => ColumnMapSchema.parse(v)),
          dhis2Mapping: jsonParam('dhis2Mapping', q.dhis2Mapping, (v) => Dhis2MappingSchema.parse(v)),
        })),
        reportDir: reportDir(ctx),
      });
      const { errorReportPath, ...rest } = report;
      reply.code(report.state === 'failed' ? 422 : report.state === 'dry-run' ? 200 : 201);
      return {
        ...rest,
        message:
          report.state === 'failed'
            ? `Nothing was imported: ${report.counts.errors} error(s). First: ${report.errors[0] ? `${report.errors[0].at}${report.errors[0].column ? ` (${report.errors[0].column})` : ''}: ${report.errors[0].message}` : ''}`
            : report.state === 'dry-run'
              ? 'Checked; nothing was written (dry run).'
              : `Imported: ${report.counts.inserted} new, ${report.counts.updated} changed, ${report.counts.unchanged} unchanged.`,
        errorReport: errorReportPath ? `/api/v1/imports/${report.batchId}/errors.csv` : null,
      };
    },
  );

  r.get(
    '/api/v1/imports',
    {
      onRequest: admin,
      schema: {
        tags: ['imports'],
        summary: 'Import batches: who, when, file, checksum, counts',
        security: [{ bearer: [] }],
        querystring: PageQuery,
      },
    },
    async (req) => {
      const { limit, offset } = req.query;
      const total = Number(
        (
          await ctx.store.db
            .selectFrom('import_batches')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirst()
        )?.n ?? 0,
      );
      const rows = await ctx.store.db
        .selectFrom('import_batches')
        .selectAll()
        .orderBy('id', 'desc')
        .limit(limit)
        .offset(offset)
        .execute();
      return page(rows, total, limit, offset);
    },
  );

  r.get(
    '/api/v1/imports/:id',
    {
      onRequest: admin,
      schema: {
        tags: ['imports'],
        summary: 'One import batch',
        security: [{ bearer: [] }],
        params: z.object({ id: z.coerce.number().int().positive() }),
      },
    },
    async (req) => {
      const row = await ctx.store.db
        .selectFrom('import_batches')
        .selectAll()
        .where('id', '=', req.params.id)
        .executeTakeFirst();
      if (!row) throw new HttpError(404, 'not_found', `No import batch ${req.params.id}.`);
      return row;
    },
  );

  r.get(
    '/api/v1/imports/:id/errors.csv',
    {
      onRequest: admin,
      schema: {
        tags: ['imports'],
        summary: 'The full error report of a failed import',
        security: [{ bearer: [] }],
        params: z.object({ id: z.coerce.number().int().positive() }),
      },
    },
    async (req, reply) => {
      const file = path.join(reportDir(ctx), `batch-${req.params.id}-errors.csv`);
      if (!existsSync(file))
        throw new HttpError(404, 'not_found', `Import batch ${req.params.id} has no error report.`);
      reply
        .header('Content-Type', 'text/csv; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="batch-${req.params.id}-errors.csv"`);
      return reply.send(createReadStream(file));
    },
  );
}
