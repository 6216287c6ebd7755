import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { adminGuard } from '../auth/admin-token.ts';
import type { AppContext } from '../context.ts';
import { csvLine } from '../formats/common/csv-cell.ts';
import { PageQuery, page } from '../http/pagination.ts';

const AuditQuery = z.object({
  entityType: z.string().max(60).optional().describe('e.g. observation, import_batch, place, indicator, target, user'),
  entityId: z.string().max(200).optional(),
  actor: z.string().max(200).optional().describe('Actor label, e.g. user:12, token:3, cli:root'),
  action: z.string().max(60).optional(),
  from: z.string().datetime({ offset: true }).or(z.string().date()).optional().describe('From this date or time'),
  to: z.string().datetime({ offset: true }).or(z.string().date()).optional().describe('Up to this date or time'),
});

/** Administrators browse, filter and export the audit log; nobody can change it. */
export function registerAuditRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const admin = adminGuard(ctx);
  const query = (q: z.infer<typeof AuditQuery>) => {
    let b = ctx.store.db.selectFrom('audit_log');
    if (q.entityType) b = b.where('entity_type', '=', q.entityType);
    if (q.entityId) b = b.where('entity_id', '=', q.entityId);
    if (q.actor) b = b.where('actor_label', '=', q.actor);
    if (q.action) b = b.where('action', '=', q.action);
    if (q.from) b = b.where('at', '>=', q.from);
    if (q.to) b = b.where('at', '<=', q.to.length === 10 ? `${q.to}T23:59:59.999Z` : q.to);
    return b;
  };
  const columns = [
    'id',
    'at',
    'actor_label',
    'actor_user_id',
    'ip',
    'action',
    'entity_type',
    'entity_id',
    'batch_id',
    'summary',
    'before',
    'after',
  ] as const;

  r.get(
    '/api/v1/audit',
    {
      onRequest: admin,
      schema: {
        tags: ['audit'],
        summary: 'The audit log, newest first (administrators)',
        security: [{ bearer: [] }],
        querystring: PageQuery.merge(AuditQuery),
      },
    },
    async (req) => {
      const { limit, offset } = req.query;
      const total = (await query(req.query).select(sql<number>`count(*)::int`.as('n')).executeTakeFirst())?.n ?? 0;
      const rows = await query(req.query)
        .select([...columns])
        .orderBy('id', 'desc')
        .limit(limit)
        .offset(offset)
        .execute();
      return page(
        rows.map((x) => ({ ...x, id: Number(x.id) })),
        total,
        limit,
        offset,
      );
    },
  );

  r.get(
    '/api/v1/audit/export',
    {
      onRequest: admin,
      schema: {
        tags: ['audit'],
        summary: 'The audit log as CSV (administrators)',
        security: [{ bearer: [] }],
        querystring: AuditQuery,
      },
    },
    async (req, reply) => {
      const q = req.query;
      async function* csv() {
        // Text cells that a spreadsheet would read as a formula (a name, a file name) are neutralised.
        yield csvLine(columns);
        let after = 0;
        for (;;) {
          const rows = await query(q)
            .select([...columns])
            .where('id', '>', after)
            .orderBy('id')
            .limit(5000)
            .execute();
          if (rows.length === 0) return;
          yield rows
            .map((x) =>
              csvLine([
                Number(x.id),
                x.at instanceof Date ? x.at.toISOString() : x.at,
                x.actor_label,
                x.actor_user_id,
                x.ip,
                x.action,
                x.entity_type,
                x.entity_id,
                x.batch_id === null ? null : Number(x.batch_id),
                x.summary,
                x.before ? JSON.stringify(x.before) : '',
                x.after ? JSON.stringify(x.after) : '',
              ]),
            )
            .join('');
          after = Number(rows[rows.length - 1]!.id);
        }
      }
      reply
        .header('Content-Type', 'text/csv; charset=utf-8')
        .header('Content-Disposition', 'attachment; filename="marsad-audit-log.csv"');
      return reply.send(Readable.from(csv()));
    },
  );
}
