import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../audit/audit-log.ts';
import { currentActor, requireActor } from '../auth/policy.ts';
import type { AppContext } from '../context.ts';
import { MAPPING_KINDS, SavedMappingInput } from './mapping-body.ts';
import {
  createSavedMapping,
  deleteSavedMapping,
  getSavedMapping,
  listSavedMappings,
  mappingViewer,
  replaceSavedMapping,
} from './saved-mappings.ts';

const SECURITY: { [label: string]: string[] }[] = [{ bearer: [] }, { session: [] }];
const IdParams = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });
const WHO =
  'A mapping belongs to a place: those holding a role on that place or a place above it see it (a national focal point its country’s and its places’), administrators all; the focal points who may import for the place change it. Every change is audited.';

/** `/api/v1/mappings`: saved column and DHIS2 mappings that imports and the DHIS2 export name instead of sending the JSON. */
export function registerMappingRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const viewer = async (req: FastifyRequest) => mappingViewer(await currentActor(req, ctx), actorOf(req));

  r.get(
    '/api/v1/mappings',
    {
      onRequest: requireActor(ctx),
      schema: {
        tags: ['imports'],
        summary: 'The saved mappings you see (without their bodies)',
        description: WHO,
        security: SECURITY,
        querystring: z.object({
          kind: z.enum(MAPPING_KINDS).optional(),
          place: z
            .string()
            .trim()
            .min(1)
            .max(80)
            .optional()
            .describe('Only the mappings of this place and those below it'),
        }),
      },
    },
    async (req) => ({ items: await listSavedMappings(ctx.store, await viewer(req), req.query) }),
  );

  r.get(
    '/api/v1/mappings/:id',
    {
      onRequest: requireActor(ctx),
      schema: { tags: ['imports'], summary: 'One saved mapping with its body', security: SECURITY, params: IdParams },
    },
    async (req) => getSavedMapping(ctx.store, await viewer(req), req.params.id),
  );

  r.post(
    '/api/v1/mappings',
    {
      onRequest: requireActor(ctx),
      schema: {
        tags: ['imports'],
        summary: 'Save a mapping under a name (unique within its place), checked as an import checks it',
        description: WHO,
        security: SECURITY,
        body: SavedMappingInput,
      },
    },
    async (req, reply) => {
      const saved = await createSavedMapping(ctx.store, await viewer(req), req.body);
      reply.code(201);
      return saved;
    },
  );

  r.put(
    '/api/v1/mappings/:id',
    {
      onRequest: requireActor(ctx),
      schema: {
        tags: ['imports'],
        summary: 'Replace a saved mapping: its name, kind, place and body',
        description: WHO,
        security: SECURITY,
        params: IdParams,
        body: SavedMappingInput,
      },
    },
    async (req) => replaceSavedMapping(ctx.store, await viewer(req), req.params.id, req.body),
  );

  r.delete(
    '/api/v1/mappings/:id',
    {
      onRequest: requireActor(ctx),
      schema: { tags: ['imports'], summary: 'Delete a saved mapping', security: SECURITY, params: IdParams },
    },
    async (req) => {
      await deleteSavedMapping(ctx.store, await viewer(req), req.params.id);
      return { deleted: req.params.id };
    },
  );
}
