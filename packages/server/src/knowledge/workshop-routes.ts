import type { Names } from '@marsad/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, appendAudit } from '../audit/audit-log.ts';
import { type Actor, resolveActor } from '../auth/actor.ts';
import { currentActor, requireActor } from '../auth/policy.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { pick } from '../http/pagination.ts';
import { placeRefs } from './item-view.ts';
import {
  IdParams,
  Lang,
  type ParticipantsInput,
  WORKSHOP_KINDS,
  WorkshopInput,
  WorkshopPatch,
} from './knowledge-inputs.ts';
import { canWriteForPlace, requireItemAuthor } from './knowledge-policy.ts';
import { D, runWith, TS } from './knowledge-sql.ts';

const SECURITY: { [label: string]: string[] }[] = [{ bearer: [] }, { session: [] }];

type Participants = z.infer<typeof ParticipantsInput>;
type WorkshopIn = z.infer<typeof WorkshopInput>;

/** Checks that the breakdowns of the participants agree with their total. */
function checkParticipants(p: Participants): void {
  const sum = (o: Record<string, number | undefined> | undefined) =>
    Object.values(o ?? {}).reduce<number>((a, b) => a + (b ?? 0), 0);
  if (p.total !== undefined && p.bySex && sum(p.bySex) !== p.total) {
    throw new HttpError(
      400,
      'bad_request',
      `participants.bySex: adds up to ${sum(p.bySex)}, not the total ${p.total} (count those not known as unspecified).`,
    );
  }
  if (
    p.total !== undefined &&
    p.byOrganisationType &&
    Object.keys(p.byOrganisationType).length &&
    sum(p.byOrganisationType) !== p.total
  ) {
    throw new HttpError(
      400,
      'bad_request',
      `participants.byOrganisationType: adds up to ${sum(p.byOrganisationType)}, not the total ${p.total} (use "other").`,
    );
  }
}

/**
 * Workshops and trainings (seed 003, pillar 3): title, place, dates, organisers, topics,
 * materials (items of the repository) and participants counted by sex and by the type of
 * organisation they come from — no list of people. Written by administrators and by the
 * editors and focal points of the workshop's place; drafts are seen by them only.
 */
export function registerWorkshopRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = ctx.store.db;
  const run = runWith(db);

  const view = async (
    lang: string | undefined,
    actor: Actor | null,
    where: { id?: number; kind?: string; place?: number[]; year?: number },
  ) => {
    const rows = await run<{
      id: number;
      kind: string;
      status: string;
      titles: Names;
      descriptions: Names;
      place_id: number | null;
      place_path: string | null;
      online: boolean;
      starts_on: string;
      ends_on: string | null;
      organisers: ({ organisationId: number } | { names: Names })[];
      topics: string[];
      participants: Participants;
      updated_at: string;
    }>(
      `SELECT w.id, w.kind, w.status, w.titles, w.descriptions, w.place_id, p.path AS place_path, w.online, ${D('w.starts_on')} AS starts_on,
              ${D('w.ends_on')} AS ends_on, w.organisers, w.topics, w.participants, ${TS('w.updated_at')} AS updated_at
         FROM workshops w LEFT JOIN places p ON p.id = w.place_id
        WHERE ($1::int IS NULL OR w.id = $1) AND ($2::text IS NULL OR w.kind = $2)
          AND ($3::int[] IS NULL OR w.place_id IN (SELECT s.id FROM places s, places f WHERE f.id = ANY($3::int[]) AND s.path LIKE f.path || '%'))
          AND ($4::int IS NULL OR extract(year FROM w.starts_on) = $4)
        ORDER BY w.starts_on DESC, w.id DESC`,
      [where.id ?? null, where.kind ?? null, where.place ?? null, where.year ?? null],
    );
    const visible = rows.filter((w) => w.status === 'published' || canWriteForPlace(actor, w.place_path));
    const ids = visible.map((w) => w.id);
    const [places, orgs, materials] = await Promise.all([
      placeRefs(
        run,
        visible.flatMap((w) => (w.place_id ? [w.place_id] : [])),
        lang,
      ),
      run<{ id: number; names: Names }>('SELECT id, names FROM partner_organisations WHERE id = ANY($1::int[])', [
        visible.flatMap((w) => w.organisers.flatMap((o) => ('organisationId' in o ? [o.organisationId] : []))),
      ]),
      ids.length
        ? run<{ workshop_id: number; item_id: number; type: string; status: string; title: string | null }>(
            `SELECT m.workshop_id, m.item_id, i.type, i.status,
                (SELECT t.title FROM knowledge_item_texts t WHERE t.item_id = i.id ORDER BY (t.lang = $2) DESC, t.translated, t.lang LIMIT 1) AS title
           FROM workshop_materials m JOIN knowledge_items i ON i.id = m.item_id WHERE m.workshop_id = ANY($1::int[]) ORDER BY m.position`,
            [ids, lang ?? ''],
          )
        : [],
    ]);
    const orgNames = new Map(orgs.map((o) => [o.id, o.names]));
    return visible.map((w) => ({
      id: w.id,
      kind: w.kind,
      status: w.status,
      canEdit: canWriteForPlace(actor, w.place_path),
      title: pick(w.titles, lang),
      titles: w.titles,
      description: pick(w.descriptions, lang),
      descriptions: w.descriptions,
      place: w.place_id ? (places.get(w.place_id) ?? null) : null,
      online: w.online,
      startsOn: w.starts_on,
      endsOn: w.ends_on,
      organisers: w.organisers.map((o) =>
        'organisationId' in o
          ? {
              organisation: { id: o.organisationId, name: pick(orgNames.get(o.organisationId), lang) },
              name: pick(orgNames.get(o.organisationId), lang),
            }
          : { organisation: null, name: pick(o.names, lang), names: o.names },
      ),
      topics: w.topics,
      materials: materials
        .filter((m) => m.workshop_id === w.id && (m.status === 'published' || canWriteForPlace(actor, w.place_path)))
        .map((m) => ({ id: m.item_id, type: m.type, title: m.title })),
      participants: w.participants,
      updatedAt: w.updated_at,
    }));
  };

  r.get(
    '/api/v1/workshops',
    {
      schema: {
        tags: ['network'],
        summary:
          'Workshops and trainings, newest first, with participants counted by sex and type of organisation, and the totals',
        querystring: z.object({
          lang: Lang.optional(),
          kind: z.enum(WORKSHOP_KINDS).optional(),
          place: z.string().max(60).optional().describe('A place code: workshops held there or in a place under it'),
          year: z.coerce.number().int().min(1900).max(2200).optional(),
        }),
      },
    },
    async (req) => {
      let place: number[] | undefined;
      if (req.query.place) {
        const p = await db.selectFrom('places').select('id').where('code', '=', req.query.place).executeTakeFirst();
        if (!p) throw new HttpError(400, 'bad_request', `place: no place with code "${req.query.place}".`);
        place = [p.id];
      }
      const items = await view(req.query.lang, await resolveActor(req, ctx), {
        ...(req.query.kind ? { kind: req.query.kind } : {}),
        ...(place ? { place } : {}),
        ...(req.query.year ? { year: req.query.year } : {}),
      });
      const published = items.filter((w) => w.status === 'published');
      const totals = {
        workshops: published.length,
        participants: 0,
        bySex: { female: 0, male: 0, unspecified: 0 },
        byOrganisationType: {} as Record<string, number>,
      };
      for (const w of published) {
        totals.participants += w.participants.total ?? 0;
        for (const k of ['female', 'male', 'unspecified'] as const) totals.bySex[k] += w.participants.bySex?.[k] ?? 0;
        for (const [k, n] of Object.entries(w.participants.byOrganisationType ?? {}))
          totals.byOrganisationType[k] = (totals.byOrganisationType[k] ?? 0) + (n ?? 0);
      }
      return { items, totals };
    },
  );

  r.get(
    '/api/v1/workshops/:id',
    {
      schema: {
        tags: ['network'],
        summary: 'One workshop or training with its materials and participant counts',
        params: IdParams,
        querystring: z.object({ lang: Lang.optional() }),
      },
    },
    async (req) => {
      const [w] = await view(req.query.lang, await resolveActor(req, ctx), { id: req.params.id });
      if (!w) throw new HttpError(404, 'not_found', `No workshop ${req.params.id}.`);
      return w;
    },
  );

  /** Resolves the place, organisers and materials of a workshop; checks the actor may write it. */
  const resolve = async (actor: Actor, b: WorkshopIn) => {
    checkParticipants(b.participants);
    if (b.endsOn && b.endsOn < b.startsOn) throw new HttpError(400, 'bad_request', 'endsOn: is before startsOn.');
    const place = b.place
      ? await db.selectFrom('places').select(['id', 'code', 'path']).where('code', '=', b.place).executeTakeFirst()
      : null;
    if (b.place && !place) throw new HttpError(400, 'bad_request', `place: no place with code "${b.place}".`);
    if (!canWriteForPlace(actor, place?.path ?? null)) {
      throw new HttpError(
        403,
        'forbidden',
        place
          ? `place: you may not add or change workshops of ${place.code}: its editors and focal points and administrators may.`
          : 'place: give the place of the workshop (one you hold as an editor or focal point); workshops of no place are written by administrators.',
      );
    }
    const orgIds = b.organisers.flatMap((o) => ('organisation' in o ? [o.organisation] : []));
    if (orgIds.length) {
      const known = new Set(
        (await run<{ id: number }>('SELECT id FROM partner_organisations WHERE id = ANY($1::int[])', [orgIds])).map(
          (x) => x.id,
        ),
      );
      b.organisers.forEach((o, i) => {
        if ('organisation' in o && !known.has(o.organisation))
          throw new HttpError(
            400,
            'bad_request',
            `organisers.${i}.organisation: no partner organisation ${o.organisation}.`,
          );
      });
    }
    if (b.materials.length) {
      const known = new Set(
        (await run<{ id: number }>('SELECT id FROM knowledge_items WHERE id = ANY($1::int[])', [b.materials])).map(
          (x) => x.id,
        ),
      );
      b.materials.forEach((m, i) => {
        if (!known.has(m)) throw new HttpError(400, 'bad_request', `materials.${i}: no item ${m} in the repository.`);
      });
    }
    const organisers = b.organisers.map((o) =>
      'organisation' in o ? { organisationId: o.organisation } : { names: o.names },
    );
    return { placeId: place?.id ?? null, organisers };
  };

  const write = async (
    conn: { query: (t: string, p?: readonly unknown[]) => Promise<unknown> },
    id: number,
    materials: number[],
  ) => {
    await conn.query('DELETE FROM workshop_materials WHERE workshop_id = $1', [id]);
    for (const [position, item] of [...new Set(materials)].entries()) {
      await conn.query('INSERT INTO workshop_materials (workshop_id, item_id, position) VALUES ($1, $2, $3)', [
        id,
        item,
        position,
      ]);
    }
  };

  r.post(
    '/api/v1/workshops',
    {
      onRequest: requireItemAuthor(ctx),
      schema: {
        tags: ['network'],
        summary: 'Add a workshop or training (editors and focal points of its place; administrators; audited)',
        security: SECURITY,
        body: WorkshopInput,
      },
    },
    async (req, reply) => {
      const actor = await currentActor(req, ctx);
      const b = req.body;
      const refs = await resolve(actor, b);
      const id = await ctx.store.exclusive(async (conn) => {
        const [row] = (
          await conn.query<{ id: number }>(
            `INSERT INTO workshops (kind, status, titles, descriptions, place_id, online, starts_on, ends_on, organisers, topics, participants)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
            [
              b.kind,
              b.status,
              JSON.stringify(b.titles),
              JSON.stringify(b.descriptions),
              refs.placeId,
              b.online,
              b.startsOn,
              b.endsOn ?? null,
              JSON.stringify(refs.organisers),
              [...new Set(b.topics)],
              JSON.stringify(b.participants),
            ],
          )
        ).rows;
        await write(conn, row!.id, b.materials);
        await appendAudit(conn, actorOf(req), {
          action: 'create',
          entityType: 'workshop',
          entityId: row!.id,
          summary: pick(b.titles as Names, 'en') ?? '',
          after: b,
        });
        return row!.id;
      });
      reply.code(201);
      return (await view(undefined, actor, { id }))[0];
    },
  );

  r.patch(
    '/api/v1/workshops/:id',
    {
      onRequest: requireActor(ctx),
      schema: {
        tags: ['network'],
        summary: 'Change a workshop or training; `status` publishes it (audited)',
        security: SECURITY,
        params: IdParams,
        body: WorkshopPatch,
      },
    },
    async (req) => {
      const actor = await currentActor(req, ctx);
      const [before] = await view(undefined, actor, { id: req.params.id });
      if (!before) throw new HttpError(404, 'not_found', `No workshop ${req.params.id}.`);
      if (!before.canEdit)
        throw new HttpError(
          403,
          'forbidden',
          `You may not change workshop ${req.params.id}: its place's editors and focal points and administrators may.`,
        );
      const b = req.body;
      const next: WorkshopIn = {
        kind: b.kind ?? (before.kind as WorkshopIn['kind']),
        status: b.status ?? (before.status as WorkshopIn['status']),
        titles: b.titles ?? before.titles,
        descriptions: b.descriptions ?? before.descriptions,
        place: b.place !== undefined ? b.place : (before.place?.code ?? null),
        online: b.online ?? before.online,
        startsOn: b.startsOn ?? before.startsOn,
        endsOn: b.endsOn !== undefined ? b.endsOn : before.endsOn,
        organisers:
          b.organisers ??
          before.organisers.map((o) =>
            o.organisation ? { organisation: o.organisation.id } : { names: (o as { names: Names }).names },
          ),
        topics: b.topics ?? before.topics,
        materials: b.materials ?? before.materials.map((m) => m.id),
        participants: b.participants ?? before.participants,
      };
      const refs = await resolve(actor, next);
      await ctx.store.exclusive(async (conn) => {
        await conn.query(
          `UPDATE workshops SET kind = $1, status = $2, titles = $3, descriptions = $4, place_id = $5, online = $6, starts_on = $7, ends_on = $8,
           organisers = $9, topics = $10, participants = $11, updated_at = now() WHERE id = $12`,
          [
            next.kind,
            next.status,
            JSON.stringify(next.titles),
            JSON.stringify(next.descriptions),
            refs.placeId,
            next.online,
            next.startsOn,
            next.endsOn ?? null,
            JSON.stringify(refs.organisers),
            [...new Set(next.topics)],
            JSON.stringify(next.participants),
            req.params.id,
          ],
        );
        await write(conn, req.params.id, next.materials);
        await appendAudit(conn, actorOf(req), {
          action: 'update',
          entityType: 'workshop',
          entityId: req.params.id,
          before,
          after: next,
        });
      });
      return (await view(undefined, actor, { id: req.params.id }))[0];
    },
  );

  r.delete(
    '/api/v1/workshops/:id',
    {
      onRequest: requireActor(ctx),
      schema: {
        tags: ['network'],
        summary: 'Delete a workshop or training (audited)',
        security: SECURITY,
        params: IdParams,
      },
    },
    async (req) => {
      const actor = await currentActor(req, ctx);
      const [before] = await view(undefined, actor, { id: req.params.id });
      if (!before) throw new HttpError(404, 'not_found', `No workshop ${req.params.id}.`);
      if (!before.canEdit) throw new HttpError(403, 'forbidden', `You may not delete workshop ${req.params.id}.`);
      await ctx.store.exclusive(async (conn) => {
        await conn.query('DELETE FROM workshops WHERE id = $1', [req.params.id]);
        await appendAudit(conn, actorOf(req), {
          action: 'delete',
          entityType: 'workshop',
          entityId: req.params.id,
          before,
        });
      });
      return { deleted: true };
    },
  );
}
