import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../audit/audit-log.ts';
import { currentActor, requireActor } from '../auth/policy.ts';
import type { AppContext } from '../context.ts';
import { changeStatus, inboxOf } from './approval.ts';
import { REASON_MAX, REASON_MIN } from './approval-events.ts';
import { valueHistory } from './approval-history.ts';

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

const StatusBody = z
  .object({
    observations: z.array(ObservationRef).min(1).max(1000),
    to: z
      .enum(['validated', 'approved', 'provisional'])
      .describe(
        'provisional: back to the provider — a provisional value is sent back, a validated or approved one reopened',
      ),
    reason: z
      .string()
      .trim()
      .min(REASON_MIN)
      .max(REASON_MAX)
      .optional()
      .describe(
        `Why (shown to the provider beside the value and in their inbox); required, ${REASON_MIN} to ${REASON_MAX} characters, to send values back or reopen them (to provisional)`,
      ),
  })
  .superRefine((b, ctx) => {
    if (b.to === 'provisional' && b.reason === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['reason'],
        message: `required to send values back or reopen them (to provisional): at least ${REASON_MIN} characters`,
      });
  });

const HistoryQuery = z.object({
  indicator: z.string().min(1).max(100),
  series: z.string().min(1).max(200).optional().describe("Series code; absent: the indicator's default series"),
  place: z.string().min(1).max(100),
  period: z.string().min(1).max(40),
  dims: z
    .string()
    .max(2000)
    .optional()
    .describe('Disaggregation as CODE=VALUE pairs joined by "|" (SEX=F|AGE=Y15T24); absent or empty = the total'),
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
        summary: 'Validate, approve, send back or reopen values, all or nothing',
        description:
          "provisional → validated by a data validator of the place; validated → approved by a national focal point of the place. To provisional, with a reason: a provisional value is sent back to its provider (by a data validator or a national focal point of the place), a validated or approved one is reopened (by a national focal point); it then waits for its provider's correction, which the provider sees with the reason in the data-entry form and their inbox. Administrators may do all. Earlier versions stay in the observation history, each step with who, when and why in the value's history (GET /api/v1/observations/history); one audit entry per call.",
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
    '/api/v1/observations/history',
    {
      onRequest: signedIn,
      schema: {
        tags: ['observations'],
        summary:
          "A value's versions and the steps of its approval workflow (entered, corrected, validated, approved, sent back, reopened) with who, when and why",
        description:
          'For those who may see unpublished values of the place: its focal points and data validators (or those of a place above it) and administrators.',
        security: [{ bearer: [] }, { session: [] }],
        querystring: HistoryQuery,
      },
    },
    async (req) => valueHistory(ctx.store, await currentActor(req, ctx), req.query),
  );

  r.get(
    '/api/v1/inbox',
    {
      onRequest: signedIn,
      schema: {
        tags: ['observations'],
        summary:
          'What waits for the signed-in user: values to validate and to approve, values sent back to them and those waiting for their provider (counts and the first 50 of each), the latest approved values they may reopen',
        security: [{ bearer: [] }, { session: [] }],
      },
    },
    async (req) => inboxOf(ctx.store, await currentActor(req, ctx)),
  );
}
