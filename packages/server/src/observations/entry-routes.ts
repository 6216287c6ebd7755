import { parsePeriod } from '@marsad/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, appendAudit } from '../audit/audit-log.ts';
import { canWritePlace, currentActor, requireActor } from '../auth/policy.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { entryFrameworks, loadEntryForm, loadPlace } from './entry-form.ts';
import { saveEntries } from './entry-save.ts';

const Dims = z
  .record(z.string().min(1).max(100), z.string().min(1).max(200))
  .describe('Disaggregation {CODE: VALUE}; absent or empty = the total');

const Entry = z.object({
  indicator: z.string().min(1).max(100),
  series: z.string().min(1).max(200).optional().describe("Series code; absent: the indicator's default series"),
  dims: Dims.optional(),
  value: z.number().finite(),
  unit: z.string().min(1).max(60).optional(),
  source: z.string().max(500).optional(),
  note: z
    .string()
    .max(4000)
    .optional()
    .describe('Shown with the value; the comment a large change from the previous period needs'),
});

const EntryBody = z.object({
  place: z.string().min(1).max(100),
  period: z.string().min(1).max(40),
  entries: z.array(Entry).min(1).max(2000),
  dryRun: z
    .boolean()
    .optional()
    .describe('Check only: answer the problems (400) or what would be saved, and save nothing'),
});

/** A draft keeps what was typed, as typed: a value may still be empty or not yet a number. */
const DraftEntry = Entry.extend({ value: z.string().max(100) });
const DraftBody = z.object({
  place: z.string().min(1).max(100),
  period: z.string().min(1).max(40),
  framework: z.string().max(60).default(''),
  entries: z.array(DraftEntry).max(2000),
});

const FormQuery = z.object({
  place: z.string().min(1).max(100),
  period: z.string().min(1).max(40),
  framework: z.string().min(1).max(60).optional().describe('Framework code; default: the first one with indicators'),
});

async function placeFor(ctx: AppContext, code: string) {
  const place = await loadPlace(ctx.store, code);
  if (!place) throw new HttpError(404, 'not_found', `place: no place with code "${code}".`);
  return place;
}

function periodOf(text: string) {
  const p = parsePeriod(text);
  if (!p.ok) throw new HttpError(400, 'bad_request', `period: ${p.message}`);
  return p.period;
}

/** The data-entry form: what applies to a place and period, saving values (checked) and drafts. */
export function registerEntryRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const signedIn = requireActor(ctx);

  r.get(
    '/api/v1/entry/form',
    {
      onRequest: signedIn,
      schema: {
        tags: ['observations'],
        summary:
          'The data-entry form of a place and period: indicators that apply, their series, dimensions, rules, current and previous values, and the saved draft',
        security: [{ bearer: [] }, { session: [] }],
        querystring: FormQuery,
      },
    },
    async (req) => {
      const actor = await currentActor(req, ctx);
      const place = await placeFor(ctx, req.query.place);
      if (!canWritePlace(actor, place.path))
        throw new HttpError(
          403,
          'forbidden',
          `place: you may not enter values for ${place.code}; only its focal points (or those of a place above it) and administrators may.`,
        );
      const period = periodOf(req.query.period);
      const frameworks = await entryFrameworks(ctx.store);
      const framework = req.query.framework ?? frameworks[0]?.code ?? '';
      if (!frameworks.some((f) => f.code === framework))
        throw new HttpError(
          400,
          'bad_request',
          `framework: "${framework}" is not one of ${frameworks.map((f) => f.code).join(', ')}.`,
        );
      const indicators = await loadEntryForm(ctx.store, place, period, framework);
      const draft =
        actor.userId === null
          ? undefined
          : await ctx.store.db
              .selectFrom('observation_drafts')
              .select(['entries', 'updated_at'])
              .where('user_id', '=', actor.userId)
              .where('place_id', '=', place.id)
              .where('period', '=', period.code)
              .where('framework', '=', framework)
              .executeTakeFirst();
      return {
        place: { code: place.code, level: place.level, names: place.names },
        period: { code: period.code, start: period.start, end: period.end },
        framework,
        frameworks,
        indicators,
        draft: draft ? { entries: draft.entries, updatedAt: new Date(draft.updated_at).toISOString() } : null,
      };
    },
  );

  r.post(
    '/api/v1/entry',
    {
      onRequest: signedIn,
      schema: {
        tags: ['observations'],
        summary: 'Enter values for one place and period, all or nothing',
        description:
          'Each entry is checked against the catalogue and the indicator\'s validation rules (range, unit, required disaggregations, parts summing to the total, change from the previous period needing a note). On any problem nothing is saved and the answer (400, error "invalid_entries") lists every problem in details.errors with the entry index, field, a code and its parameters; a rule the indicator sets as a warning does not stop the save and is listed in `warnings` in the same form. Values are saved as provisional; an approved value must be reopened first. One audit entry per call.',
        security: [{ bearer: [] }, { session: [] }],
        body: EntryBody,
      },
    },
    async (req, reply) => {
      const actor = await currentActor(req, ctx);
      const { dryRun, ...body } = req.body;
      const result = await saveEntries(ctx.store, actor, actorOf(req), body, { dryRun });
      if (!dryRun && result.saved) reply.code(201);
      return { ...result, dryRun: !!dryRun };
    },
  );

  r.put(
    '/api/v1/entry/draft',
    {
      onRequest: signedIn,
      schema: {
        tags: ['observations'],
        summary:
          'Save what was typed in the data-entry form as a draft (not checked, not public, seen by its author only)',
        security: [{ bearer: [] }, { session: [] }],
        body: DraftBody,
      },
    },
    async (req) => {
      const actor = await currentActor(req, ctx);
      if (actor.userId === null)
        throw new HttpError(400, 'bad_request', 'Drafts belong to a user account; the administrator token has none.');
      const place = await placeFor(ctx, req.body.place);
      if (!canWritePlace(actor, place.path))
        throw new HttpError(403, 'forbidden', `place: you may not enter values for ${place.code}.`);
      const period = periodOf(req.body.period);
      const entries = JSON.stringify(req.body.entries);
      return ctx.store.exclusive(async (conn) => {
        const r = await conn.query<{ updated_at: Date | string }>(
          `INSERT INTO observation_drafts (user_id, place_id, period, framework, entries) VALUES ($1, $2, $3, $4, $5::jsonb)
         ON CONFLICT (user_id, place_id, period, framework) DO UPDATE SET entries = EXCLUDED.entries, updated_at = now()
         RETURNING updated_at`,
          [actor.userId, place.id, period.code, req.body.framework, entries],
        );
        await appendAudit(conn, actorOf(req), {
          action: 'draft',
          entityType: 'observation-draft',
          entityId: `${place.code} ${period.code} ${req.body.framework}`.trim(),
          summary: `draft of ${req.body.entries.length} value${req.body.entries.length === 1 ? '' : 's'} saved`,
          after: { entries: req.body.entries },
        });
        return {
          place: place.code,
          period: period.code,
          framework: req.body.framework,
          entries: req.body.entries.length,
          updatedAt: new Date(r.rows[0]!.updated_at).toISOString(),
        };
      });
    },
  );

  r.delete(
    '/api/v1/entry/draft',
    {
      onRequest: signedIn,
      schema: {
        tags: ['observations'],
        summary: 'Discard a draft of the data-entry form',
        security: [{ bearer: [] }, { session: [] }],
        querystring: FormQuery,
      },
    },
    async (req) => {
      const actor = await currentActor(req, ctx);
      const place = await placeFor(ctx, req.query.place);
      const period = periodOf(req.query.period);
      const framework = req.query.framework ?? '';
      return ctx.store.exclusive(async (conn) => {
        const r = await conn.query(
          'DELETE FROM observation_drafts WHERE user_id = $1 AND place_id = $2 AND period = $3 AND framework = $4',
          [actor.userId ?? -1, place.id, period.code, framework],
        );
        if (r.affected)
          await appendAudit(conn, actorOf(req), {
            action: 'delete',
            entityType: 'observation-draft',
            entityId: `${place.code} ${period.code} ${framework}`.trim(),
          });
        return { deleted: r.affected };
      });
    },
  );
}
