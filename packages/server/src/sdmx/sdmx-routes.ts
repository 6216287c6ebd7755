/**
 * SDMX structures for the UN: load a data structure and its code lists from an SDMX-ML 2.1 structure message, load the
 * content constraints of a structure, list what is loaded, check a place's data against a structure ("what would
 * the UN refuse?"), and export a country's SDG data for the UN under it (un-export.ts). Loads are for administrators,
 * audited; the body is the file, or `url` names where to fetch it.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../audit/audit-log.ts';
import { resolveActor } from '../auth/actor.ts';
import { canReadUnpublished, currentActor, requireActor, requireAdministrator } from '../auth/policy.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { BoolParam } from '../http/pagination.ts';
import { requestBody } from '../http/raw-body.ts';
import { checkPlaceData } from './check-data.ts';
import { ConstraintsError, findStructure, loadConstraints, readConstraintsCsv } from './constraints.ts';
import { DEFAULT_FETCH_LIMITS, type FetchLimits, FetchSourceError, fetchSource } from './fetch-source.ts';
import { readStructureMessage, StructureFormatError } from './structure-read.ts';
import { loadStructureMessage } from './structure-store.ts';
import { exportForUn, SDG_STRUCTURE, UN_EXPORT_FORMATS } from './un-export.ts';

export { SDG_STRUCTURE } from './un-export.ts';

const SourceQuery = z.object({
  url: z
    .string()
    .trim()
    .max(2000)
    .optional()
    .describe('Fetch the file from this http(s) URL instead of reading the request body'),
});

async function sourceOf(
  req: FastifyRequest,
  url: string | undefined,
  limits: FetchLimits,
): Promise<{ input: AsyncIterable<Uint8Array>; name: string }> {
  if (url) {
    try {
      return { input: await fetchSource(url, limits), name: url };
    } catch (err) {
      if (err instanceof FetchSourceError) throw new HttpError(400, 'bad_request', `url: ${err.message}`);
      throw err;
    }
  }
  return { input: requestBody(req), name: 'the request body' };
}

function badInput(err: unknown): never {
  if (err instanceof StructureFormatError || err instanceof FetchSourceError)
    throw new HttpError(400, 'bad_request', err.message);
  if (err instanceof ConstraintsError)
    throw new HttpError(400, 'bad_request', err.message, { problems: err.problems.slice(0, 1000) });
  throw err;
}

/** Upload routes (the body stays a raw stream): register inside the raw-body plugin. */
export function registerSdmxUploadRoutes(
  app: FastifyInstance,
  ctx: AppContext,
  limits: FetchLimits = DEFAULT_FETCH_LIMITS,
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/v1/sdmx/structures',
    {
      onRequest: requireAdministrator(ctx),
      schema: {
        tags: ['catalogue'],
        summary: 'Load data structures and code lists from an SDMX-ML 2.1 structure message (administrators)',
        description:
          'The body is the structure message (application/xml), or `url` names it. Code lists, data structures (dimensions in order, attributes with their attachment and whether mandatory, the code list of each component) are stored; loading the same ones again replaces them. Each breakdown dimension becomes a Marsad dimension with the codes of its list (labels Marsad has are kept, the languages it lacks are added). Anything but a structure message is refused with 400 naming why.',
        security: [{ bearer: [] }, { session: [] }],
        querystring: SourceQuery,
      },
    },
    async (req) => {
      const { input, name } = await sourceOf(req, req.query.url, limits);
      try {
        const msg = await readStructureMessage(input);
        return await loadStructureMessage(ctx.store, msg, actorOf(req), name);
      } catch (err) {
        return badInput(err);
      }
    },
  );

  r.post(
    '/api/v1/sdmx/constraints',
    {
      onRequest: requireAdministrator(ctx),
      schema: {
        tags: ['catalogue'],
        summary: 'Load the content constraints of a data structure (administrators)',
        description:
          'The body is a CSV (text/csv) as the IAEG-SDGs publish `sdmx_global_content_constraints.csv`: SERIES, Name, then a column per component (UNIT_MEASURE, SEX, AGE, …) with the codes the series allows separated by ";", or ALL. It replaces the constraints of the structure. The structure must be loaded first.',
        security: [{ bearer: [] }, { session: [] }],
        querystring: SourceQuery.extend({
          structure: z
            .string()
            .trim()
            .max(200)
            .default(SDG_STRUCTURE)
            .describe('AGENCY:ID or AGENCY:ID(VERSION); without a version, the latest loaded'),
        }),
      },
    },
    async (req) => {
      const structure = await findStructure(ctx.store, req.query.structure);
      if (!structure)
        throw new HttpError(
          400,
          'bad_request',
          `structure: no data structure ${req.query.structure} is loaded; load its structure message first (POST /api/v1/sdmx/structures).`,
        );
      const { input, name } = await sourceOf(req, req.query.url, limits);
      try {
        const constraints = await readConstraintsCsv(input);
        return await loadConstraints(ctx.store, structure, constraints, actorOf(req), name);
      } catch (err) {
        return badInput(err);
      }
    },
  );
}

export function registerSdmxRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/sdmx/structures',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'The SDMX data structures loaded, with their components in order',
      },
    },
    async () => {
      const structures = await ctx.store.db
        .selectFrom('sdmx_structures')
        .select(['id', 'agency', 'code', 'version', 'names', 'final'])
        .orderBy('agency')
        .orderBy('code')
        .orderBy('version')
        .execute();
      const components = await ctx.store.db
        .selectFrom('sdmx_components as c')
        .leftJoin('sdmx_codelists as l', 'l.id', 'c.codelist_id')
        .select([
          'c.structure_id',
          'c.component',
          'c.kind',
          'c.position',
          'c.mandatory',
          'c.attachment',
          'c.attachment_dimensions',
          'l.agency',
          'l.code',
          'l.version',
        ])
        .orderBy('c.structure_id')
        .orderBy('c.kind')
        .orderBy('c.position')
        .execute();
      const constraints = await ctx.store.db
        .selectFrom('sdmx_constraints')
        .select(['structure_id', (eb) => eb.fn.count<number>('series').distinct().as('n')])
        .groupBy('structure_id')
        .execute();
      return {
        structures: structures.map((s) => ({
          ref: `${s.agency}:${s.code}(${s.version})`,
          agency: s.agency,
          id: s.code,
          version: s.version,
          names: s.names,
          final: s.final,
          constrainedSeries: Number(constraints.find((c) => c.structure_id === s.id)?.n ?? 0),
          components: components
            .filter((c) => c.structure_id === s.id)
            .map((c) => ({
              id: c.component,
              kind: c.kind,
              position: c.position,
              mandatory: c.mandatory,
              attachment: c.attachment,
              attachmentDimensions: c.attachment_dimensions,
              codelist: c.code ? `${c.agency}:${c.code}(${c.version})` : null,
            })),
        })),
      };
    },
  );

  r.get(
    '/api/v1/sdmx/check',
    {
      onRequest: requireActor(ctx),
      schema: {
        tags: ['observations'],
        summary: "Check a place's SDG data against an SDMX data structure and its content constraints",
        description:
          "What the UN would refuse: series that are not codes of SERIES, a place without an M49 code, unknown codes, breakdowns a series does not allow, a missing mandatory attribute, a unit the series does not take, a period without an SDMX frequency — and what Marsad never sends (a value withheld by its indicator's suppression rule, a synthetic source, a key given twice) — each named by series, place, period, breakdown and rule (the first 1,000; `problemCount` and `byRule` count all, `valuesLeftOut` the values GET /api/v1/sdmx/export leaves out). The values of the place itself, of SDG indicators, each as the export writes it; all statuses for those who may see unpublished values of the place, approved ones for others.",
        security: [{ bearer: [] }, { session: [] }],
        querystring: z.object({
          place: z.string().trim().min(1).max(80).describe('Code of the place (a country)'),
          structure: z.string().trim().max(200).default(SDG_STRUCTURE),
        }),
      },
    },
    async (req) => {
      const place = await ctx.store.db
        .selectFrom('places')
        .select(['id', 'code', 'codes', 'path'])
        .where('code', '=', req.query.place)
        .executeTakeFirst();
      if (!place) throw new HttpError(400, 'bad_request', `place: no place with code "${req.query.place}".`);
      const structure = await findStructure(ctx.store, req.query.structure);
      if (!structure)
        throw new HttpError(
          400,
          'bad_request',
          `structure: no data structure ${req.query.structure} is loaded; an administrator loads it with POST /api/v1/sdmx/structures.`,
        );
      const actor = await currentActor(req, ctx);
      return checkPlaceData(
        ctx.store,
        structure,
        { id: place.id, code: place.code, codes: (place.codes ?? {}) as Record<string, string> },
        { approvedOnly: !canReadUnpublished(actor, place.path) },
      );
    },
  );

  r.get(
    '/api/v1/sdmx/export',
    {
      schema: {
        tags: ['observations'],
        summary:
          "Export a country's SDG data for the UN: SDMX-ML 2.1 structure-specific or SDMX-CSV 2.0 under the SDG data structure",
        description:
          "The country's own values of SDG indicators under a loaded data structure (IAEG-SDGs:SDG, its latest version, unless `structure` names one), each written as GET /api/v1/sdmx/check checks it: SERIES (the series code or its alias that is a SERIES code), REF_AREA the M49 code, FREQ, REPORTING_TYPE N, every breakdown dimension in the structure's order (`_T` where the value has none), TIME_PERIOD, OBS_VALUE, UNIT_MEASURE, UNIT_MULT, OBS_STATUS, NATURE C, COMMENT_OBS, SOURCE_DETAIL. The check runs first: only the values that pass are written, and `X-Marsad-Left-Out` tells how many were left out (the `Link` header names the check that lists them; values withheld from the public by a suppression rule are always left out); with `strict` any such value refuses the export (422, the problems in `details`). Approved values for everyone; `status=all` adds the unpublished ones for those who may see them (provisional values: OBS_STATUS P).",
        querystring: z.object({
          place: z.string().trim().min(1).max(80).describe('Code of the place: a country'),
          format: z.enum(UN_EXPORT_FORMATS).default('sdmx-ml'),
          structure: z
            .string()
            .trim()
            .max(200)
            .default(SDG_STRUCTURE)
            .describe('AGENCY:ID or AGENCY:ID(VERSION); without a version, the latest loaded'),
          status: z
            .enum(['approved', 'all'])
            .default('approved')
            .describe("approved, or all (every status: for those who may see the place's unpublished values)"),
          strict: BoolParam.optional().describe('Refuse the export when any value would be left out'),
        }),
      },
    },
    async (req, reply) => {
      const actor = await resolveActor(req, ctx);
      const out = await exportForUn(ctx.store, {
        ...req.query,
        readsUnpublished: (path) => canReadUnpublished(actor, path),
      });
      reply
        .header('Content-Type', out.contentType)
        .header('Content-Disposition', `attachment; filename="${out.fileName}"`)
        .header('X-Marsad-Left-Out', String(out.report.valuesLeftOut))
        .header('Link', `<${out.checkPath}>; rel="describedby"; title="the values left out"`);
      return reply.send(Readable.from(out.body));
    },
  );
}
