import { type AnswerSet, REVIEW_ACTIONS, REVIEW_STATES } from '@marsad/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../audit/audit-log.ts';
import { currentActor, requireActor, requireAdministrator } from '../auth/policy.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { PageQuery, page } from '../http/pagination.ts';
import { RecordId } from '../http/record-id.ts';
import { getPublished, listPublished } from './published-reviews.ts';
import { assignReviewers, declare, myAssignments, reviewerCandidates, withdraw } from './review-assignments.ts';
import {
  addParticipants,
  createCycle,
  deleteCycle,
  getCycle,
  listCycles,
  removeParticipant,
  updateCycle,
} from './review-cycles.ts';
import { addComment, listComments, recommend, timeline } from './review-exchange.ts';
import { CYCLE_KINDS, loadSubmission } from './review-records.ts';
import { listSubmissions, saveAnswers, submissionView, transition } from './review-submissions.ts';

const security: Record<string, string[]>[] = [{ bearer: [] }, { session: [] }];
const Id = z.object({ id: RecordId });
const Lang = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a language code such as ar or en');
const LangQuery = z.object({
  lang: Lang.default('ar').describe("The reader's language for the questionnaire authors' messages (default ar)"),
});
const LangText = z
  .record(Lang.or(z.literal('und')), z.string().max(20_000))
  .describe('Text by language: {"ar": "…", "en": "…"}');
const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
  .refine(
    (d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    'not a real date',
  );
const PlaceCode = z.string().min(1).max(64);

/** Answers: one object per level by question name; a repeat is an array of such objects (checked in full below). */
const AnswersOutline = z
  .record(z.string(), z.unknown())
  .describe(
    'Answers by question name: a string, a number, an array of choice names, or for a repeat an array of answer objects (docs/methods/questionnaires.md)',
  );
type Value = string | number | null | string[] | AnswerSet[];
const AnswerSetSchema: z.ZodType<AnswerSet> = z.lazy(() =>
  z.record(
    z.string().max(200),
    z.union([
      z.string().max(50_000),
      z.number().finite(),
      z.null(),
      z.array(z.string().max(1000)).max(500),
      z.array(AnswerSetSchema).max(500),
    ]) as z.ZodType<Value>,
  ),
);

export function parseAnswers(v: unknown): AnswerSet {
  const r = AnswerSetSchema.safeParse(v);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new HttpError(400, 'bad_request', `answers.${i.path.join('.')}: ${i.message}`);
  }
  return r.data;
}

const CycleBody = z
  .object({
    kind: z
      .enum(CYCLE_KINDS)
      .describe('safer-cities-peer-review (4 years by default), voluntary-local-review, national-nua-report'),
    titles: LangText.refine((t) => Object.values(t).some((s) => s.trim()), 'give a title in at least one language'),
    descriptions: LangText.optional(),
    startsOn: Day,
    endsOn: Day.optional().describe('Default for a safer-cities peer review: four years from startsOn, less a day'),
    questionnaireVersionId: z
      .number()
      .int()
      .positive()
      .describe('questionnaire_versions.id (GET /api/v1/questionnaires)'),
    participants: z.array(PlaceCode).max(500).optional().describe('Codes of the countries or cities invited'),
  })
  .strict();

const CyclePatch = z
  .object({
    titles: LangText.optional(),
    descriptions: LangText.optional(),
    startsOn: Day.optional(),
    endsOn: Day.optional(),
    questionnaireVersionId: z.number().int().positive().optional().describe('Only while no submission holds answers'),
  })
  .strict();

/** Review cycles, submissions, peer review and publication (issue 6; docs/methods/reviews.md). */
export function registerReviewRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const signedIn = requireActor(ctx);
  const admin = requireAdministrator(ctx);
  const tags = ['reviews'];
  const store = ctx.store;

  // Cycles ------------------------------------------------------------------------------------
  r.get(
    '/api/v1/review-cycles',
    {
      onRequest: signedIn,
      schema: {
        tags,
        security,
        summary: 'Review cycles, newest first, each with its participants and the state of their submissions',
        querystring: PageQuery,
      },
    },
    async (req) => {
      const { total, items } = await listCycles(store, req.query.limit, req.query.offset);
      return page(items, total, req.query.limit, req.query.offset);
    },
  );

  r.get(
    '/api/v1/review-cycles/:id',
    {
      onRequest: signedIn,
      schema: { tags, security, summary: 'A review cycle with its questionnaire version and participants', params: Id },
    },
    async (req) => store.exclusive((conn) => getCycle(conn, req.params.id)),
  );

  r.post(
    '/api/v1/review-cycles',
    {
      onRequest: admin,
      schema: {
        tags,
        security,
        summary: 'Create a review cycle (administrators)',
        body: CycleBody,
        description: 'Invited participants (countries or cities) each get a submission in draft. Audited.',
      },
    },
    async (req, reply) => {
      reply.code(201);
      return createCycle(store, actorOf(req), req.body);
    },
  );

  r.patch(
    '/api/v1/review-cycles/:id',
    {
      onRequest: admin,
      schema: {
        tags,
        security,
        summary: 'Change a review cycle (administrators); the questionnaire only while no submission holds answers',
        params: Id,
        body: CyclePatch,
      },
    },
    async (req) => updateCycle(store, actorOf(req), req.params.id, req.body),
  );

  r.delete(
    '/api/v1/review-cycles/:id',
    {
      onRequest: admin,
      schema: { tags, security, summary: 'Delete a review cycle nobody has submitted to (administrators)', params: Id },
    },
    async (req) => {
      await deleteCycle(store, actorOf(req), req.params.id);
      return { deleted: true };
    },
  );

  r.post(
    '/api/v1/review-cycles/:id/participants',
    {
      onRequest: admin,
      schema: {
        tags,
        security,
        summary: 'Invite countries or cities to a cycle (administrators); each gets a submission in draft',
        params: Id,
        body: z.object({ places: z.array(PlaceCode).min(1).max(500) }).strict(),
      },
    },
    async (req) =>
      store.exclusive(async (conn) => {
        await getCycle(conn, req.params.id);
        const added = await addParticipants(conn, actorOf(req), req.params.id, req.body.places);
        return { added, cycle: await getCycle(conn, req.params.id) };
      }),
  );

  r.delete(
    '/api/v1/review-cycles/:id/participants/:place',
    {
      onRequest: admin,
      schema: {
        tags,
        security,
        summary: 'Remove a participant that has not submitted (administrators)',
        params: z.object({ id: RecordId, place: PlaceCode }),
      },
    },
    async (req) => {
      await removeParticipant(store, actorOf(req), req.params.id, req.params.place);
      return { removed: true };
    },
  );

  // Submissions -------------------------------------------------------------------------------
  r.get(
    '/api/v1/review-submissions',
    {
      onRequest: signedIn,
      schema: {
        tags,
        security,
        summary:
          'The submissions you hold a role on (focal points: their places; reviewers: assigned and declared; administrators: all)',
        querystring: z.object({
          cycle: RecordId.optional(),
          state: z.enum(REVIEW_STATES).optional(),
        }),
      },
    },
    async (req) => {
      const actor = await currentActor(req, ctx);
      return { items: await store.exclusive((conn) => listSubmissions(conn, actor, req.query)) };
    },
  );

  r.get(
    '/api/v1/review-submissions/:id',
    {
      onRequest: signedIn,
      schema: {
        tags,
        security,
        params: Id,
        querystring: LangQuery,
        summary:
          'A submission: the answers being written and their form state (submitters, administrators), the latest submitted round, reviewers, recommendations, your roles and the actions open to you',
        description:
          '403 to anyone without a role on it; an assigned reviewer who has not declared gets 403 `declaration_required` with `details.assignmentId`.',
      },
    },
    async (req) => {
      const actor = await currentActor(req, ctx);
      return store.exclusive((conn) => submissionView(conn, actor, req.params.id, req.query.lang));
    },
  );

  r.put(
    '/api/v1/review-submissions/:id/answers',
    {
      onRequest: signedIn,
      schema: {
        tags,
        security,
        params: Id,
        querystring: LangQuery,
        summary:
          'Save the answers (a draft, or a revision): the focal points of the place or an administrator, in draft or revision requested',
        description:
          '409 `read_only` once submitted, until reviewers ask for a revision. 400 with `details.invalid` and `details.references` for answers that do not fit their question or cite an indicator or item that does not exist. Missing answers are allowed in a draft: see `form.missing`.',
        body: z
          .object({
            answers: AnswersOutline,
            languages: z.array(Lang).max(10).optional().describe('Languages the answers are written in'),
          })
          .strict(),
      },
    },
    async (req) => {
      const actor = await currentActor(req, ctx);
      return saveAnswers(
        store,
        actor,
        actorOf(req),
        req.params.id,
        { answers: parseAnswers(req.body.answers), languages: req.body.languages },
        req.query.lang,
      );
    },
  );

  r.post(
    '/api/v1/review-submissions/:id/transitions',
    {
      onRequest: signedIn,
      schema: {
        tags,
        security,
        params: Id,
        querystring: LangQuery,
        summary: 'Move a submission: submit (also after a revision), start-review, request-revision, accept, publish',
        description:
          '409 `invalid_transition` when the action does not move the current state; 403 when your role may not; 422 `incomplete` (with `details.missing`, `constraintFailures`, `invalid`, `references`) for a submission with missing answers; 409 `conditions_not_met` (reviewers, recommendations); 422 `consolidated_required` to accept or publish without the consolidated observations.',
        body: z
          .object({
            action: z.enum(REVIEW_ACTIONS),
            note: z.string().max(5000).optional().describe('Shown in the timeline'),
            consolidated: LangText.optional().describe(
              "The reviewers' consolidated observations by language (accept, publish)",
            ),
          })
          .strict(),
      },
    },
    async (req) => {
      const actor = await currentActor(req, ctx);
      return transition(store, actor, actorOf(req), req.params.id, req.body, req.query.lang);
    },
  );

  r.get(
    '/api/v1/review-submissions/:id/timeline',
    {
      onRequest: signedIn,
      schema: {
        tags,
        security,
        params: Id,
        summary:
          'The timeline of a submission: invitation, transitions, assignments, declarations, recommendations, comments (by role, never by name)',
      },
    },
    async (req) => {
      const actor = await currentActor(req, ctx);
      return { items: await store.exclusive((conn) => timeline(conn, actor, req.params.id)) };
    },
  );

  r.get(
    '/api/v1/review-submissions/:id/comments',
    {
      onRequest: signedIn,
      schema: {
        tags,
        security,
        params: Id,
        summary: 'Comments on answers and on the whole submission, with replies (authors by role and country)',
      },
    },
    async (req) => {
      const actor = await currentActor(req, ctx);
      return { items: await store.exclusive((conn) => listComments(conn, actor, req.params.id)) };
    },
  );

  r.post(
    '/api/v1/review-submissions/:id/comments',
    {
      onRequest: signedIn,
      schema: {
        tags,
        security,
        params: Id,
        summary: 'Comment on an answer (questionPath) or overall (no questionPath), or reply to a comment (replyTo)',
        description:
          'Reviewers while in review; the submitter replies while in review or revision requested; administrators from submission until publication.',
        body: z
          .object({
            body: z.string().trim().min(1).max(20_000),
            questionPath: z
              .string()
              .max(500)
              .nullable()
              .optional()
              .describe('`name`, or `repeat/0/name` inside a repeat'),
            replyTo: z.number().int().positive().optional(),
            language: Lang.optional(),
          })
          .strict(),
      },
    },
    async (req, reply) => {
      const actor = await currentActor(req, ctx);
      reply.code(201);
      return addComment(store, actor, actorOf(req), req.params.id, req.body);
    },
  );

  r.post(
    '/api/v1/review-submissions/:id/recommendations',
    {
      onRequest: signedIn,
      schema: {
        tags,
        security,
        params: Id,
        summary:
          "A reviewer's recommendation for the current round (accept or revise); given again, it replaces the earlier one",
        body: z
          .object({
            recommendation: z.enum(['accept', 'revise']),
            summary: z.string().max(20_000).optional(),
            language: Lang.optional(),
          })
          .strict(),
      },
    },
    async (req) => {
      const actor = await currentActor(req, ctx);
      return recommend(store, actor, actorOf(req), req.params.id, req.body);
    },
  );

  r.get(
    '/api/v1/review-submissions/:id/reviewer-candidates',
    {
      onRequest: admin,
      schema: {
        tags,
        security,
        params: Id,
        summary:
          'Users with the reviewer role, each eligible or not (own country, already assigned, inactive), fewest open assignments first (administrators)',
      },
    },
    async (req) =>
      store.exclusive(async (conn) => ({
        items: await reviewerCandidates(conn, await loadSubmission(conn, req.params.id)),
      })),
  );

  r.post(
    '/api/v1/review-submissions/:id/assignments',
    {
      onRequest: admin,
      schema: {
        tags,
        security,
        params: Id,
        summary:
          'Assign reviewers (administrators): chosen by id, or by the rule (fewest open assignments, other countries); each gets a grant on the submission and must declare conflicts before seeing it',
        body: z
          .object({
            reviewers: z.array(z.number().int().positive()).min(1).max(10).optional(),
            rule: z
              .object({ count: z.number().int().min(1).max(10) })
              .strict()
              .optional(),
            lead: z.number().int().positive().optional().describe('User id of the lead reviewer (among the reviewers)'),
          })
          .strict(),
      },
    },
    async (req, reply) => {
      const actor = await currentActor(req, ctx);
      const items = await assignReviewers(store, actor, actorOf(req), req.params.id, req.body);
      reply.code(201);
      return { items: items.map((a) => ({ ...a })) };
    },
  );

  // Assignments -------------------------------------------------------------------------------
  r.get(
    '/api/v1/review-assignments',
    {
      onRequest: signedIn,
      schema: {
        tags,
        security,
        summary:
          'Your review assignments (without withdrawn ones), with what each waits for: declaration, recommendation, or nothing',
        querystring: z.object({ pending: z.enum(['true', 'false']).optional().describe('Only those waiting for you') }),
      },
    },
    async (req) => {
      const actor = await currentActor(req, ctx);
      if (actor.userId === null) return { items: [] };
      return {
        items: await store.exclusive((conn) => myAssignments(conn, actor.userId!, req.query.pending === 'true')),
      };
    },
  );

  r.post(
    '/api/v1/review-assignments/:id/declaration',
    {
      onRequest: signedIn,
      schema: {
        tags,
        security,
        params: Id,
        summary:
          'Declare, as the assigned reviewer, whether you have a conflict of interest (before seeing the submission); a conflict ends the assignment',
        body: z
          .object({
            conflict: z.boolean(),
            statement: z.string().max(5000).optional().describe('Required when conflict is true'),
          })
          .strict(),
      },
    },
    async (req) => {
      const actor = await currentActor(req, ctx);
      return declare(store, actor, actorOf(req), req.params.id, req.body);
    },
  );

  r.delete(
    '/api/v1/review-assignments/:id',
    {
      onRequest: admin,
      schema: {
        tags,
        security,
        params: Id,
        summary: 'Withdraw a reviewer (administrators); the grant on the submission goes',
      },
    },
    async (req) => {
      const actor = await currentActor(req, ctx);
      return withdraw(store, actor, actorOf(req), req.params.id);
    },
  );

  // Published reviews (public) ------------------------------------------------------------------
  r.get(
    '/api/v1/published-reviews',
    {
      schema: {
        tags,
        summary: 'Published reviews (public): by cycle, then place code — never by any score',
        querystring: PageQuery.extend({
          cycle: RecordId.optional(),
          place: PlaceCode.optional().describe('A place code, or a country code for its cities too'),
        }),
      },
    },
    async (req) => {
      const { total, items } = await store.exclusive((conn) => listPublished(conn, req.query));
      return page(items, total, req.query.limit, req.query.offset);
    },
  );

  r.get(
    '/api/v1/published-reviews/:id',
    {
      schema: {
        tags,
        params: Id,
        summary:
          "A published review (public): the questionnaire, the answers as submitted, the reviewers' consolidated observations, the reviewers by country, the dates of each step",
      },
    },
    async (req) => store.exclusive((conn) => getPublished(conn, req.params.id)),
  );
}
