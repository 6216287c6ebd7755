import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../audit/audit-log.ts';
import {
  canApprovePlace,
  canWriteCatalogueOf,
  canWritePlace,
  currentActor,
  isAdministrator,
  requireActor,
} from '../auth/policy.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { BoolParam } from '../http/pagination.ts';
import { requestBody } from '../http/raw-body.ts';
import { sizeText, type UploadLimits, uploadLimits } from '../http/upload-limits.ts';
import { importMappings, SAVED_MAPPING_PARAMS } from '../mappings/import-mappings.ts';
import { mappingViewer } from '../mappings/saved-mappings.ts';
import { ColumnMapSchema } from '../observations/column-map.ts';
import { jsonParam, reportDir } from './import-routes.ts';
import { importRepository, repositorySummary } from './open-sdg-repository/import-repository.ts';
import { NotARepositoryError, RepositoryLimitError, zipRepository } from './open-sdg-repository/repository-files.ts';

/** `POST /api/v1/imports/repository`: a whole Open SDG data repository as a zip (the request body, streamed). */
export function registerRepositoryImportRoutes(
  app: FastifyInstance,
  ctx: AppContext,
  limits: UploadLimits = uploadLimits(),
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/v1/imports/repository',
    {
      onRequest: requireActor(ctx),
      schema: {
        tags: ['imports'],
        summary: 'Import a whole Open SDG data repository (a zip, the request body): data, metadata, translations',
        security: [{ bearer: [] }, { session: [] }],
        description:
          'The zip holds the repository (data/, meta/, translations/, indicator-config/, geojsons/; under a top folder or not). ' +
          'Every data file is imported all or nothing (allOrNothing: the whole repository); the metadata of each indicator is stored per language, marked with the source. ' +
          `The answer reports per file what was created, matched, imported, skipped and refused (with the first errors). A zip that unpacks to more than ${sizeText(limits.maxRepositoryBytes)} (MARSAD_UPLOAD_MAX_REPOSITORY_BYTES) or holds more than ${limits.maxRepositoryEntries.toLocaleString('en')} entries (MARSAD_UPLOAD_MAX_REPOSITORY_ENTRIES) is refused with 413. ` +
          'Why a file was skipped or refused is given in English (`reason`) and as a code with its values (`reasonCode`, `reasonParams`); a refusal of the zip itself (400, 413) gives the code in `details.code`, its values in `details.params`.',
        querystring: z.object({
          place: z
            .string()
            .trim()
            .min(1)
            .max(80)
            .describe('The place the repository reports for (rows without GeoCode)'),
          fileName: z.string().max(300).optional().describe('Name of the zip, for the report'),
          publisher: z
            .string()
            .trim()
            .max(200)
            .optional()
            .describe('Who publishes the repository; the source of its metadata is "<publisher> (Open SDG)"'),
          language: z
            .string()
            .regex(/^[a-zA-Z]{2,3}(-[A-Za-z0-9]{1,8})?$/)
            .optional()
            .describe('Language of metadata text that is not a translation key (default en)'),
          status: z.enum(['provisional', 'validated', 'approved']).default('provisional'),
          allOrNothing: BoolParam.optional().describe('Write nothing unless every file imports'),
          includeArchived: BoolParam.optional().describe('Also import the files of archived indicators'),
          boundaries: BoolParam.optional().describe(
            'Import the boundaries the repository ships (geojsons/*.geojson, a .geojson at its root) as the shapes of the places below `place` they match (default true; false: listed as skipped). Each file is matched by the property of its features that matches most places; a boundaries file never fails the import',
          ),
          createIndicators: BoolParam.optional().describe(
            'Create indicators unknown to the catalogue as local indicators',
          ),
          createPlaces: BoolParam.optional().describe(
            'Create the places rows name (REF_AREA, GeoCode) that are unknown, under the place (as for /api/v1/imports)',
          ),
          extendCodes: BoolParam.optional().describe('Add the values a closed code list lacks, with their labels'),
          newSeriesForUnits: BoolParam.optional().describe(
            "Values in a unit other than their series' go to a series in that unit instead of being refused",
          ),
          dryRun: BoolParam.optional(),
          map: z
            .string()
            .max(100_000)
            .optional()
            .describe('Column mapping JSON for the data files, as for /api/v1/imports'),
          mappingName: SAVED_MAPPING_PARAMS.mappingName,
          mappingId: SAVED_MAPPING_PARAMS.mappingId,
        }),
      },
    },
    async (req, reply) => {
      const q = req.query;
      const actor = await currentActor(req, ctx);
      const place = await ctx.store.db
        .selectFrom('places')
        .select(['id', 'path'])
        .where('code', '=', q.place)
        .executeTakeFirst();
      if (!place)
        throw new HttpError(400, 'bad_request', `place: no place with code "${q.place}".`, {
          code: 'unknown-place',
          params: { place: q.place },
        });
      // The metadata is the place's own account of its indicators: the importer writes for the place.
      if (!canWritePlace(actor, place.path))
        throw new HttpError(
          403,
          'forbidden',
          `You may not import a repository for "${q.place}": your roles cover other places.`,
        );
      if (q.createIndicators && !canWriteCatalogueOf(actor, place.path))
        throw new HttpError(403, 'forbidden', `You may not add indicators for "${q.place}".`);
      const { map } = await importMappings(ctx.store, mappingViewer(actor, actorOf(req)), {
        map: jsonParam('map', q.map, (v) => ColumnMapSchema.parse(v)),
        mappingName: q.mappingName,
        mappingId: q.mappingId,
      });
      let files: Awaited<ReturnType<typeof zipRepository>>;
      try {
        files = await zipRepository(
          requestBody(req),
          (q.fileName ?? 'repository.zip').replace(/\.zip$/i, '').slice(0, 200) || 'repository',
          limits,
        );
      } catch (err) {
        // The code of why (repository-reason-codes.ts) and its parameters, for a message in the user's language.
        if (err instanceof RepositoryLimitError)
          throw new HttpError(413, 'too_large', err.message, {
            limit: err.limit,
            code: err.reasonCode,
            params: err.reasonParams,
          });
        if (err instanceof NotARepositoryError)
          throw new HttpError(400, 'bad_request', err.message, { code: err.reasonCode, params: err.reasonParams });
        throw err;
      }
      try {
        const report = await importRepository(ctx.store, files, {
          place: q.place,
          publisher: q.publisher,
          language: q.language,
          allOrNothing: q.allOrNothing,
          includeArchived: q.includeArchived,
          boundaries: q.boundaries !== false,
          mayChangeShapeUnder: (parentPath) =>
            parentPath === null ? isAdministrator(actor) : canWritePlace(actor, parentPath, 'places:write'),
          boundaryLimits: limits,
          createIndicators: q.createIndicators,
          createPlaces: q.createPlaces,
          mayAddPlaceUnder: (parentPath) => canWritePlace(actor, parentPath, 'places:write'),
          extendCodes: q.extendCodes,
          newSeriesForUnits: q.newSeriesForUnits,
          map,
          dryRun: q.dryRun,
          status: q.status,
          rowStatusAllowed: true,
          placeRights: (path) => ({ write: canWritePlace(actor, path), approve: canApprovePlace(actor, path) }),
          actor: actorOf(req).label,
          auditActor: actorOf(req),
          reportDir: reportDir(ctx),
        });
        const limitHit = report.files.find((f) => /MARSAD_UPLOAD_MAX_REPOSITORY_BYTES/.test(f.reason ?? ''));
        if (limitHit && !report.files.some((f) => f.outcome === 'imported')) {
          // Unpacking went past the limit before anything was imported (entries that declared less: the zip misleads).
          throw new HttpError(413, 'too_large', limitHit.reason!, {
            limit: 'unpacked-bytes',
            ...(limitHit.reasonCode ? { code: limitHit.reasonCode, params: limitHit.reasonParams } : {}),
            report,
          });
        }
        reply.code(report.state === 'failed' ? 422 : report.state === 'dry-run' ? 200 : 201);
        const t = report.totals;
        return {
          ...report,
          message:
            report.state === 'failed'
              ? `Nothing was imported: ${t.byKind.data.refused} data file(s) and the metadata of ${t.byKind.metadata.refused} indicator(s) refused. ${repositorySummary(t)}`
              : report.state === 'dry-run'
                ? `Checked; nothing was written (dry run). ${repositorySummary(t)}`
                : repositorySummary(t),
        };
      } finally {
        await files.close();
      }
    },
  );
}
