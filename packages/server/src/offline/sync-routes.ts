import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../audit/audit-log.ts';
import { currentActor, requireActor } from '../auth/policy.ts';
import type { AppContext } from '../context.ts';
import { type SyncChange, syncChanges } from './offline-sync.ts';

const Key = z
  .string()
  .min(8)
  .max(100)
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _')
  .describe('Drawn by the device for this change (a UUID); the same key is answered once, whatever the retries');

const Entry = z.object({
  indicator: z.string().min(1).max(100),
  series: z.string().min(1).max(200).optional(),
  dims: z.record(z.string().min(1).max(100), z.string().min(1).max(200)).optional(),
  value: z.number().finite(),
  unit: z.string().min(1).max(60).optional(),
  source: z.string().max(500).optional(),
  note: z.string().max(4000).optional(),
  base: z
    .number()
    .int()
    .min(1)
    .nullable()
    .describe('The version of the value the offline copy started from; null when there was no value'),
});

const EntryChange = z
  .object({
    key: Key,
    kind: z.literal('entry'),
    place: z.string().min(1).max(100),
    period: z.string().min(1).max(40),
    entries: z.array(Entry).min(1).max(2000),
  })
  .describe('Values of the data-entry form for one place and period, checked and saved as POST /api/v1/entry does');

/** How deep a value nests (arrays and objects), counted without recursion: a hostile body may nest 10,000 levels. */
function depthOf(v: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[v, 0]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [x, d] = top;
    deepest = Math.max(deepest, d);
    if (deepest > 32) return deepest;
    if (x && typeof x === 'object') for (const y of Object.values(x)) stack.push([y, d + 1]);
  }
  return deepest;
}
const AnswerValue = z
  .unknown()
  .refine((v) => depthOf(v) <= 32, 'an answer nests at most 32 levels')
  .describe('An answer as PUT /api/v1/review-submissions/:id/answers takes it; null: none');
const AnswerChange = z
  .object({
    key: Key,
    kind: z.literal('answer'),
    submission: z.number().int().positive(),
    items: z
      .array(
        z.object({
          name: z.string().min(1).max(200).describe('A question (or repeat) at the top level of the questionnaire'),
          value: AnswerValue,
          base: AnswerValue.describe('The answer the offline copy started from (null: none)'),
        }),
      )
      .min(1)
      .max(500),
    languages: z
      .array(z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/))
      .max(10)
      .optional(),
  })
  .describe('Answers of a review submission, saved as PUT /api/v1/review-submissions/:id/answers does');

const SyncBody = z.object({
  changes: z
    .array(z.discriminatedUnion('kind', [EntryChange, AnswerChange]))
    .min(1)
    .max(1000),
});
const SyncQuery = z.object({
  lang: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/)
    .default('ar')
    .describe("The reader's language for the questionnaire authors' messages"),
});

/** Sending what a device queued while offline (issue 21). */
export function registerSyncRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/v1/offline/sync',
    {
      onRequest: requireActor(ctx),
      schema: {
        tags: ['offline'],
        summary: 'Send the changes made offline, in order, each once',
        description:
          "Each change goes through the checks of its online route (POST /api/v1/entry, PUT /api/v1/review-submissions/:id/answers) with the roles the user holds now, and is answered in `results` in the same order: `accepted`; `conflict` when the server's version differs from `base` (nothing was overwritten; `conflicts` gives the server's value per entry index or question name); `refused` with the online route's error `code` (invalid_entries, forbidden, read_only, not_found, bad_request…) and its `details`, or `key_reused`. The first answer to each key is kept: a change sent again is answered the same (`replayed: true`) and never applied twice. Accepted changes are audited by their write; conflicts and refusals by an entry of their own. Accounts only (not the administrator token).",
        security: [{ bearer: [] }, { session: [] }],
        querystring: SyncQuery,
        body: SyncBody,
      },
    },
    async (req) => {
      const actor = await currentActor(req, ctx);
      const results = await syncChanges(
        ctx.store,
        actor,
        actorOf(req),
        req.body.changes as SyncChange[],
        req.query.lang,
      );
      return { results };
    },
  );
}
