import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireAdministrator } from '../auth/policy.ts';
import type { AppContext } from '../context.ts';
import { LangParam } from '../http/pagination.ts';
import { RecordId } from '../http/record-id.ts';
import { boardProgressReport, defaultPeriod } from './board-progress.ts';
import { boardReport, boardReportCsv, currentSuccessIndicators } from './board-report.ts';

const Id = z.object({ id: RecordId });

const Period = z
  .object({
    from: z.iso
      .date('a date as YYYY-MM-DD')
      .optional()
      .describe('First day of the period (default: 1 January of this year)'),
    to: z.iso.date('a date as YYYY-MM-DD').optional().describe('Last day of the period (default: today)'),
    lang: LangParam,
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, {
    path: ['to'],
    message: 'the end of the period is before its start',
  });

/**
 * The report of a review cycle to the Executive Board, as JSON and CSV. Administrators only: it
 * counts and lists the answers of submissions that are not yet published.
 */
export function registerBoardReportRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const admin = requireAdministrator(ctx);
  const security: Record<string, string[]>[] = [{ bearer: [] }, { session: [] }];

  r.get(
    '/api/v1/review-cycles/:id/board-report',
    {
      onRequest: admin,
      schema: {
        tags: ['reviews'],
        security,
        params: Id,
        summary:
          'Report of a cycle to the Executive Board (administrators): participation, measures, difficulties and technical-assistance needs by theme and region, the success indicators of seed 000 §8 that the records support — every count with its list',
        description:
          'Definitions: docs/methods/reviews.md. A success indicator the records cannot support has `available: false` and a `reason`.',
      },
    },
    async (req) => boardReport(ctx.store, req.params.id),
  );

  r.get(
    '/api/v1/review-cycles/:id/board-report.csv',
    {
      onRequest: admin,
      schema: {
        tags: ['reviews'],
        security,
        params: Id,
        summary:
          'The report to the Executive Board as CSV: a row per figure, followed by the rows of its list (administrators)',
      },
    },
    async (req, reply) => {
      const report = await boardReport(ctx.store, req.params.id);
      reply
        .header('Content-Type', 'text/csv; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="board-report-cycle-${report.cycle.id}.csv"`);
      return `\uFEFF${boardReportCsv(report)}`;
    },
  );

  r.get(
    '/api/v1/reports/board-progress',
    {
      schema: {
        tags: ['reports'],
        querystring: Period,
        summary:
          "The progress report to the Executive Board for a period (public): measures and difficulties recorded in the reviews published in it, good practices published, results completed, the success indicators of seed 000 §8, and the programmes' results toward 2030 — every count with its list",
        description:
          'Seed 000 §3 (b) and (e). Reads only what the public may read: published reviews, published practices, programme views of approved values. Definitions: docs/methods/results.md.',
      },
    },
    async (req) => {
      const d = defaultPeriod();
      const from =
        req.query.from ?? (req.query.to && req.query.to < d.from ? `${req.query.to.slice(0, 4)}-01-01` : d.from);
      return boardProgressReport(ctx.store, { from, to: req.query.to ?? d.to }, req.query.lang);
    },
  );

  r.get(
    '/api/v1/success-indicators',
    {
      schema: {
        tags: ['reviews'],
        summary:
          'The success indicators of seed 000 §8 as the records stand today (public): tools shared and piloted, pilot countries and coordination centres, financial resources (totals per currency, never converted), partners of the Global Network, participation of member states in review cycles — each count with its list',
        description:
          'Computed from the records, never typed: published knowledge items only; review participation as counts by country, never the answers. Definitions: docs/methods/results.md.',
      },
    },
    async () => currentSuccessIndicators(ctx.store),
  );
}
