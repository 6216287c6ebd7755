import { AssessmentAnswers } from '@marsad/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../audit/audit-log.ts';
import { currentActor, requireActor, requireAdministrator } from '../auth/policy.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import {
  accessTo,
  assessmentProfile,
  createAssessment,
  getAssessment,
  listAssessments,
  saveAnswers,
  submitAssessment,
} from './assessments.ts';
import { currentVersion, listVersions, saveVersion, versionNumbered } from './framework-versions.ts';
import { placeByCode } from './safety-monitor-store.ts';

const SECURITY: { [label: string]: string[] }[] = [{ bearer: [] }, { session: [] }];
const TAGS = ['safety-monitor'];
const IdParams = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });
const PlaceCode = z.string().trim().min(1).max(80);
const Lang = z.enum(['ar', 'en', 'fr', 'es', 'ru', 'zh']);
const WHO =
  'A self-assessment is private: the focal points of the place (city, or national above it) and administrators write it; they and the reviewers of a review cycle of the place (an active assignment) read it; nobody else. A submitted assessment is read-only. Never ordered or compared by any score across places. Every change is audited.';
const SOURCE =
  'UN-Habitat’s Urban Safety Monitor ("The Bigger Picture") as far as it is confirmed: 15 indicators in three themes (Crime, Community, Local Governance); under Crime four named indicators, with the measures and data sources the source names (their placement under an indicator is Marsad’s, to be confirmed); 11 empty slots for an administrator. Not Marsad’s draft urban safety matrix (catalogue framework urban-safety), which is a separate framework.';

/** A public view of a version: who made it is not shown (accounts are named by e-mail). */
function publicVersion(v: Awaited<ReturnType<typeof currentVersion>>) {
  return {
    id: v.id,
    framework: v.framework,
    version: v.version,
    structure: v.structure,
    note: v.note,
    createdAt: v.createdAt,
  };
}

/** `/api/v1/safety-monitor/…` (the framework, public; its edit, administrators) and `/api/v1/safety-assessments/…`. */
export function registerSafetyMonitorRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  // Version 1 of the framework (UN-Habitat's structure as confirmed) is added when it is first read
  // (framework-versions.ts, currentVersion): not at start-up, so that starting a server changes no data (a restored
  // database stays as restored) and an app built without a database (the robustness tests) starts.

  r.get(
    '/api/v1/safety-monitor/framework',
    { schema: { tags: TAGS, summary: 'The Urban Safety Monitor framework: its latest version', description: SOURCE } },
    async () => publicVersion(await currentVersion(ctx.store)),
  );

  r.get(
    '/api/v1/safety-monitor/framework/versions',
    { schema: { tags: TAGS, summary: 'The versions of the Urban Safety Monitor framework, newest first' } },
    async () => ({
      items: (await listVersions(ctx.store)).map((v) => ({
        id: v.id,
        version: v.version,
        note: v.note,
        createdAt: v.createdAt,
      })),
    }),
  );

  r.get(
    '/api/v1/safety-monitor/framework/versions/:version',
    {
      schema: {
        tags: TAGS,
        summary: 'One version of the Urban Safety Monitor framework',
        params: z.object({ version: z.coerce.number().int().positive().max(1_000_000) }),
      },
    },
    async (req) => publicVersion(await versionNumbered(ctx.store, req.params.version)),
  );

  r.put(
    '/api/v1/safety-monitor/framework',
    {
      onRequest: requireAdministrator(ctx),
      schema: {
        tags: TAGS,
        summary: 'Save a new version of the framework (administrators)',
        description:
          'The structure is checked (core SafetyFrameworkStructure: unique codes, names, empty slots empty, as many indicators as indicatorCount) and every catalogue indicator a measure names must exist. `basedOn` is the version edited: 409 when another was saved meanwhile. Versions are never changed; assessments keep theirs.',
        security: SECURITY,
        body: z.object({
          basedOn: z.number().int().positive(),
          note: z.string().trim().max(1000).default(''),
          structure: z.record(z.string(), z.unknown()),
        }),
      },
    },
    async (req) => {
      const v = await saveVersion(ctx.store, actorOf(req), req.body);
      return publicVersion(v);
    },
  );

  r.get(
    '/api/v1/safety-assessments',
    {
      onRequest: requireActor(ctx),
      schema: {
        tags: TAGS,
        summary: 'The self-assessments of one place, oldest first',
        description: WHO,
        security: SECURITY,
        querystring: z.object({ place: PlaceCode }),
      },
    },
    async (req) => listAssessments(ctx.store, await currentActor(req, ctx), req.query.place),
  );

  r.get(
    '/api/v1/safety-assessments/access',
    {
      onRequest: requireActor(ctx),
      schema: {
        tags: TAGS,
        summary: 'Whether you may read and write the self-assessments of a place',
        security: SECURITY,
        querystring: z.object({ place: PlaceCode }),
      },
    },
    async (req) => {
      const place = await placeByCode(ctx.store.db, req.query.place);
      if (!place) throw new HttpError(400, 'bad_request', `place: no place with code "${req.query.place}".`);
      return { place: place.code, ...(await accessTo(ctx.store, await currentActor(req, ctx), place)) };
    },
  );

  r.post(
    '/api/v1/safety-assessments',
    {
      onRequest: requireActor(ctx),
      schema: {
        tags: TAGS,
        summary: 'Start a self-assessment of a place: a draft prefilled from the approved observations',
        description: `${WHO} The draft uses the framework's latest version, starts from the place's last submitted assessment, and has "data exists", "regular" and "disaggregated" prefilled from the approved observations of its measures' catalogue indicators (docs/methods/safety-index.md). 409 while the place has a draft.`,
        security: SECURITY,
        body: z.object({ place: PlaceCode }),
      },
    },
    async (req, reply) => {
      const v = await createAssessment(ctx.store, await currentActor(req, ctx), actorOf(req), req.body.place);
      reply.code(201);
      return v;
    },
  );

  r.get(
    '/api/v1/safety-assessments/:id',
    {
      onRequest: requireActor(ctx),
      schema: {
        tags: TAGS,
        summary: 'One self-assessment: its framework version, answers, prefill and the change from the previous one',
        description: WHO,
        security: SECURITY,
        params: IdParams,
      },
    },
    async (req) => getAssessment(ctx.store, await currentActor(req, ctx), req.params.id),
  );

  r.put(
    '/api/v1/safety-assessments/:id',
    {
      onRequest: requireActor(ctx),
      schema: {
        tags: TAGS,
        summary: 'Save answers of a draft self-assessment (the indicators given replace theirs)',
        description: WHO,
        security: SECURITY,
        params: IdParams,
        body: z.object({ answers: AssessmentAnswers }),
      },
    },
    async (req) => saveAnswers(ctx.store, await currentActor(req, ctx), actorOf(req), req.params.id, req.body.answers),
  );

  r.post(
    '/api/v1/safety-assessments/:id/submit',
    {
      onRequest: requireActor(ctx),
      schema: {
        tags: TAGS,
        summary: 'Submit a draft self-assessment: it becomes read-only',
        description: WHO,
        security: SECURITY,
        params: IdParams,
      },
    },
    async (req) => submitAssessment(ctx.store, await currentActor(req, ctx), actorOf(req), req.params.id),
  );

  r.get(
    '/api/v1/safety-assessments/:id/profile',
    {
      onRequest: requireActor(ctx),
      schema: {
        tags: TAGS,
        summary:
          'The one-page profile of a self-assessment: strengths, capacities to connect, weakest links, suggested tools',
        description: `${WHO} Categories by the four checks (docs/methods/safety-index.md): a strength has data that exists, is regular, and is disaggregated or used in decisions; a weakest link has no data or at most one check met; the rest are capacities to connect.`,
        security: SECURITY,
        params: IdParams,
        querystring: z.object({ lang: Lang.default('en') }),
      },
    },
    async (req) => assessmentProfile(ctx.store, await currentActor(req, ctx), req.params.id, req.query.lang),
  );
}
