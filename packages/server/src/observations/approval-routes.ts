import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../audit/audit-log.ts';
import { currentActor, requireActor } from '../auth/policy.ts';
import type { AppContext } from '../context.ts';
import { changeStatus, inboxOf } from './approval.ts';

const ObservationRef = z.object({
  indicator: z.string().min(1).max(100),
  series: z.string().min(1).max(200).optional(),
  place: z.string().min(1).max(100),
  period: z.string().min(1).max(40),
  dims: z
    .record(z.string().max(100), z.string().max(200))
    .optional()
    .describe('Disaggregation {CODE: VALUE}; absent or empty = the total'),
});

const StatusBody = z.object({
  observations: z.array(ObservationRef).min(1).max(1000),
  to: z.enum(['validated', 'approved', 'provisional']),
  reason: z
    .string()
    .max(2000)
    .optional()
    .describe('Required (at least 5 characters) to reopen values (to provisional)'),
});

export function registerApprovalRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const signedIn = requireActor(ctx);

  r.post(
    '/api/v1/observations/status',
    {
      onRequest: signedIn,
      schema: {
        tags: ['observations'],
        summary: 'Validate, approve or reopen values, all or nothing',
        description:
          'provisional → validated by a data validator of the place; validated → approved by a national focal point of the place; validated or approved → provisional (reopen) by a national focal point, with a reason. Administrators may do all. Earlier versions stay in the observation history; one audit entry per call.',
        security: [{ bearer: [] }, { session: [] }],
        body: StatusBody,
      },
    },
    async (req) => {
      const actor = await currentActor(req, ctx);
      return changeStatus(ctx.store, actor, actorOf(req), req.body);
    },
  );

  r.get(
    '/api/v1/inbox',
    {
      onRequest: signedIn,
      schema: {
        tags: ['observations'],
        summary:
          'What waits for the signed-in user: values to validate and values to approve (counts and the first 50 of each)',
        security: [{ bearer: [] }, { session: [] }],
      },
    },
    async (req) => inboxOf(ctx.store, await currentActor(req, ctx)),
  );
}
