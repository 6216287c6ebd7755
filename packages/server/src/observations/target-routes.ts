import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, appendAudit } from '../audit/audit-log.ts';
import { canWriteCatalogueOf, currentActor, isAdministrator, requireCatalogueWriter } from '../auth/policy.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';

const TargetInput = z
  .object({
    indicator: z.string(),
    series: z.string().optional(),
    place: z.string().optional(),
    year: z.number().int().min(1900).max(2100),
    value: z.number().finite().optional(),
    relativeChange: z.number().finite().min(-1).max(100).optional().describe('e.g. -0.5 for "halve"'),
    baselineYear: z.number().int().min(1900).max(2100).optional(),
    note: z.string().max(2000).optional(),
  })
  .refine((t) => t.value !== undefined || (t.relativeChange !== undefined && t.baselineYear !== undefined), {
    message: 'give either a value, or a relativeChange with its baselineYear',
  });

export function registerTargetRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/v1/targets',
    {
      onRequest: requireCatalogueWriter(ctx),
      schema: {
        tags: ['observations'],
        summary: 'Add a target: a value, or a relative change from a baseline year ("halve by 2030 from 2015")',
        description:
          'Administrators set any target; national and city focal points set targets for the places they hold (never a target without a place).',
        security: [{ bearer: [] }, { session: [] }],
        body: TargetInput,
      },
    },
    async (req, reply) => {
      const t = req.body;
      const db = ctx.store.db;
      const actor = await currentActor(req, ctx);
      const admin = isAdministrator(actor);
      if (!admin && !t.place) {
        throw new HttpError(
          403,
          'forbidden',
          'place: only administrators set targets without a place (for every place); give the code of a place you hold.',
        );
      }
      const ind = await db.selectFrom('indicators').select('id').where('code', '=', t.indicator).executeTakeFirst();
      if (!ind) throw new HttpError(400, 'bad_request', `indicator: no indicator "${t.indicator}".`);
      let seriesId: number | null = null;
      if (t.series) {
        const s = await db
          .selectFrom('series')
          .select('id')
          .where('indicator_id', '=', ind.id)
          .where('code', '=', t.series)
          .executeTakeFirst();
        if (!s)
          throw new HttpError(400, 'bad_request', `series: indicator ${t.indicator} has no series "${t.series}".`);
        seriesId = s.id;
      }
      let placeId: number | null = null;
      if (t.place) {
        const p = await db.selectFrom('places').select(['id', 'path']).where('code', '=', t.place).executeTakeFirst();
        if (!p) throw new HttpError(400, 'bad_request', `place: no place "${t.place}".`);
        if (!admin && !canWriteCatalogueOf(actor, p.path)) {
          throw new HttpError(
            403,
            'forbidden',
            `place: you hold no focal point role on ${t.place} or on a place above it; set targets for your own places.`,
          );
        }
        placeId = p.id;
      }
      if (t.baselineYear !== undefined && t.baselineYear >= t.year)
        throw new HttpError(400, 'bad_request', 'baselineYear: must be before the target year.');
      const row = await ctx.store.exclusive(async (conn) => {
        const ins = await conn.query<{ id: number }>(
          `INSERT INTO targets (indicator_id, series_id, place_id, year, value, relative_change, baseline_year, note)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
          [
            ind.id,
            seriesId,
            placeId,
            t.year,
            t.value ?? null,
            t.relativeChange ?? null,
            t.baselineYear ?? null,
            t.note ?? null,
          ],
        );
        await appendAudit(conn, actorOf(req), {
          action: 'create',
          entityType: 'target',
          entityId: ins.rows[0]!.id,
          after: t,
        });
        return ins.rows[0]!;
      });
      reply.code(201);
      return { id: row.id };
    },
  );
}
