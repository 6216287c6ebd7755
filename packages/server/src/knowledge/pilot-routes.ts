import type { Names } from '@marsad/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, appendAudit } from '../audit/audit-log.ts';
import { currentActor } from '../auth/policy.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { pick } from '../http/pagination.ts';
import { pilotsOf } from './item-view.ts';
import { IdParams, Lang, PilotInput, PilotPatch } from './knowledge-inputs.ts';
import { canRecordPilot, requirePilotRecorder } from './knowledge-policy.ts';
import { D, runWith } from './knowledge-sql.ts';

const SECURITY: { [label: string]: string[] }[] = [{ bearer: [] }, { session: [] }];
const LangQuery = z.object({ lang: Lang.optional() });

/**
 * Tools shared and piloted (seed 000, section 8 a and b): a tool is shared when it is
 * published in the repository; it is piloted when a city (or another place) recorded a pilot
 * of it — recorded by the national or city focal points of that place, or administrators.
 * The counts come from these records, with the list behind each number.
 */
export function registerPilotRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = ctx.store.db;
  const run = runWith(db);
  const recorder = requirePilotRecorder(ctx);

  r.get(
    '/api/v1/knowledge/tools/stats',
    {
      schema: {
        tags: ['knowledge'],
        summary:
          'Counts of tools shared and piloted (seed 000, section 8 a, b), with the tools and pilots behind each number',
        description:
          'shared: published tools. piloted: published tools with at least one recorded pilot; pilots: every pilot of a published tool; places: the places that piloted one.',
        querystring: LangQuery,
      },
    },
    async (req) => {
      const lang = req.query.lang;
      const tools = await run<{
        id: number;
        kind: string | null;
        titles: Names;
        date_start: string | null;
        pilots: number;
      }>(
        `SELECT i.id, i.kind, ${D('i.date_start')} AS date_start,
              (SELECT jsonb_object_agg(t.lang, t.title) FROM knowledge_item_texts t WHERE t.item_id = i.id) AS titles,
              (SELECT count(*)::int FROM tool_pilots p WHERE p.item_id = i.id) AS pilots
         FROM knowledge_items i WHERE i.type = 'tool' AND i.status = 'published' ORDER BY i.id`,
      );
      const pilots = await pilotsOf(run, null, lang);
      const list = tools.map((t) => ({
        id: t.id,
        kind: t.kind,
        title: pick(t.titles, lang),
        dateStart: t.date_start,
        pilots: t.pilots,
      }));
      const piloted = list.filter((t) => t.pilots > 0);
      const places = new Map(pilots.flatMap((p) => (p.place ? [[p.place.code, p.place] as const] : [])));
      return {
        shared: { count: list.length, tools: list },
        piloted: { count: piloted.length, tools: piloted },
        pilots: { count: pilots.length, items: pilots },
        places: { count: places.size, items: [...places.values()] },
      };
    },
  );

  r.get(
    '/api/v1/knowledge/tools/:id/pilots',
    {
      schema: {
        tags: ['knowledge'],
        summary: 'The pilots recorded for a published tool',
        params: IdParams,
        querystring: LangQuery,
      },
    },
    async (req) => {
      const tool = await db
        .selectFrom('knowledge_items')
        .select(['type', 'status'])
        .where('id', '=', req.params.id)
        .executeTakeFirst();
      if (tool?.type !== 'tool' || tool.status !== 'published')
        throw new HttpError(404, 'not_found', `No published tool ${req.params.id}.`);
      return { items: await pilotsOf(run, [req.params.id], req.query.lang) };
    },
  );

  const placeOf = async (code: string, field: string) => {
    const p = await db
      .selectFrom('places')
      .select(['id', 'code', 'path', 'level'])
      .where('code', '=', code)
      .executeTakeFirst();
    if (!p) throw new HttpError(400, 'bad_request', `${field}: no place with code "${code}".`);
    return p;
  };

  r.post(
    '/api/v1/knowledge/tools/:id/pilots',
    {
      onRequest: recorder,
      schema: {
        tags: ['knowledge'],
        summary:
          'Record that a place piloted a tool: when, at what stage, with what outcome (its national and city focal points; audited)',
        security: SECURITY,
        params: IdParams,
        body: PilotInput,
      },
    },
    async (req, reply) => {
      const actor = await currentActor(req, ctx);
      const tool = await db
        .selectFrom('knowledge_items')
        .select(['type', 'status'])
        .where('id', '=', req.params.id)
        .executeTakeFirst();
      if (tool?.type !== 'tool') throw new HttpError(404, 'not_found', `No tool ${req.params.id}.`);
      const place = await placeOf(req.body.place, 'place');
      if (!canRecordPilot(actor, place.path))
        throw new HttpError(
          403,
          'forbidden',
          `place: you may not record pilots of ${place.code}; its national and city focal points and administrators may.`,
        );
      if (req.body.endedOn && req.body.endedOn < req.body.startedOn)
        throw new HttpError(400, 'bad_request', 'endedOn: is before startedOn.');
      const id = await ctx.store.exclusive(async (conn) => {
        const [row] = (
          await conn.query<{ id: number }>(
            'INSERT INTO tool_pilots (item_id, place_id, started_on, ended_on, stage, outcome, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id',
            [
              req.params.id,
              place.id,
              req.body.startedOn,
              req.body.endedOn ?? null,
              req.body.stage,
              JSON.stringify(req.body.outcome),
              actor.userId,
            ],
          )
        ).rows;
        await appendAudit(conn, actorOf(req), {
          action: 'create',
          entityType: 'tool-pilot',
          entityId: row!.id,
          summary: `pilot of tool ${req.params.id} at ${place.code}`,
          after: {
            tool: req.params.id,
            place: place.code,
            startedOn: req.body.startedOn,
            endedOn: req.body.endedOn ?? null,
            stage: req.body.stage,
            outcome: req.body.outcome,
          },
        });
        return row!.id;
      });
      reply.code(201);
      return (await pilotsOf(run, [req.params.id], undefined, false)).find((p) => p.id === id);
    },
  );

  const loadPilot = async (id: number) => {
    const rows = await run<{
      id: number;
      item_id: number;
      place_id: number;
      code: string;
      path: string;
      started_on: string;
      ended_on: string | null;
      stage: string;
      outcome: Names;
    }>(
      `SELECT p.id, p.item_id, p.place_id, pl.code, pl.path, ${D('p.started_on')} AS started_on, ${D('p.ended_on')} AS ended_on, p.stage, p.outcome
         FROM tool_pilots p JOIN places pl ON pl.id = p.place_id WHERE p.id = $1`,
      [id],
    );
    if (!rows[0]) throw new HttpError(404, 'not_found', `No pilot ${id}.`);
    return rows[0];
  };

  r.patch(
    '/api/v1/knowledge/pilots/:id',
    {
      onRequest: recorder,
      schema: {
        tags: ['knowledge'],
        summary: "Change a recorded pilot (its place's focal points; audited)",
        security: SECURITY,
        params: IdParams,
        body: PilotPatch,
      },
    },
    async (req) => {
      const actor = await currentActor(req, ctx);
      const before = await loadPilot(req.params.id);
      if (!canRecordPilot(actor, before.path))
        throw new HttpError(403, 'forbidden', `You may not change pilots of ${before.code}.`);
      const place =
        req.body.place !== undefined
          ? await placeOf(req.body.place, 'place')
          : { id: before.place_id, code: before.code, path: before.path };
      if (!canRecordPilot(actor, place.path))
        throw new HttpError(403, 'forbidden', `place: you may not record pilots of ${place.code}.`);
      const next = {
        startedOn: req.body.startedOn ?? before.started_on,
        endedOn: req.body.endedOn !== undefined ? req.body.endedOn : before.ended_on,
        stage: req.body.stage ?? before.stage,
        outcome: req.body.outcome ?? before.outcome,
      };
      if (next.endedOn && next.endedOn < next.startedOn)
        throw new HttpError(400, 'bad_request', 'endedOn: is before startedOn.');
      await ctx.store.exclusive(async (conn) => {
        await conn.query(
          'UPDATE tool_pilots SET place_id = $1, started_on = $2, ended_on = $3, stage = $4, outcome = $5, updated_at = now() WHERE id = $6',
          [place.id, next.startedOn, next.endedOn, next.stage, JSON.stringify(next.outcome), req.params.id],
        );
        await appendAudit(conn, actorOf(req), {
          action: 'update',
          entityType: 'tool-pilot',
          entityId: req.params.id,
          summary: `pilot of tool ${before.item_id} at ${place.code}`,
          before: {
            place: before.code,
            startedOn: before.started_on,
            endedOn: before.ended_on,
            stage: before.stage,
            outcome: before.outcome,
          },
          after: { place: place.code, ...next },
        });
      });
      return (await pilotsOf(run, [before.item_id], undefined, false)).find((p) => p.id === req.params.id);
    },
  );

  r.delete(
    '/api/v1/knowledge/pilots/:id',
    {
      onRequest: recorder,
      schema: {
        tags: ['knowledge'],
        summary: "Delete a recorded pilot (its place's focal points; audited)",
        security: SECURITY,
        params: IdParams,
      },
    },
    async (req) => {
      const actor = await currentActor(req, ctx);
      const before = await loadPilot(req.params.id);
      if (!canRecordPilot(actor, before.path))
        throw new HttpError(403, 'forbidden', `You may not delete pilots of ${before.code}.`);
      await ctx.store.exclusive(async (conn) => {
        await conn.query('DELETE FROM tool_pilots WHERE id = $1', [req.params.id]);
        await appendAudit(conn, actorOf(req), {
          action: 'delete',
          entityType: 'tool-pilot',
          entityId: req.params.id,
          summary: `pilot of tool ${before.item_id} at ${before.code}`,
          before: {
            tool: before.item_id,
            place: before.code,
            startedOn: before.started_on,
            endedOn: before.ended_on,
            stage: before.stage,
            outcome: before.outcome,
          },
        });
      });
      return { deleted: true };
    },
  );
}
