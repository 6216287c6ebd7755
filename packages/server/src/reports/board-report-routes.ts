import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { requireAdministrator } from '../auth/policy.ts';
import { boardReport, boardReportCsv, currentSuccessIndicators } from './board-report.ts';

const Id = z.object({ id: z.coerce.number().int().positive() });

/**
 * The report of a review cycle to the Executive Board, as JSON and CSV. Administrators only: it
 * counts and lists the answers of submissions that are not yet published.
 */
export function registerBoardReportRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const admin = requireAdministrator(ctx);
  const security: Record<string, string[]>[] = [{ bearer: [] }, { session: [] }];

  r.get('/api/v1/review-cycles/:id/board-report', {
    onRequest: admin,
    schema: {
      tags: ['reviews'], security, params: Id,
      summary: 'Report of a cycle to the Executive Board (administrators): participation, measures, difficulties and technical-assistance needs by theme and region, the success indicators of seed 000 §8 that the records support — every count with its list',
      description: 'Definitions: docs/methods/reviews.md. A success indicator the records cannot support has `available: false` and a `reason`.',
    },
  }, async (req) => boardReport(ctx.store, req.params.id));

  r.get('/api/v1/review-cycles/:id/board-report.csv', {
    onRequest: admin,
    schema: { tags: ['reviews'], security, params: Id, summary: 'The report to the Executive Board as CSV: a row per figure, followed by the rows of its list (administrators)' },
  }, async (req, reply) => {
    const report = await boardReport(ctx.store, req.params.id);
    reply.header('Content-Type', 'text/csv; charset=utf-8').header('Content-Disposition', `attachment; filename="board-report-cycle-${report.cycle.id}.csv"`);
    return '\uFEFF' + boardReportCsv(report);
  });

  r.get('/api/v1/success-indicators', {
    schema: {
      tags: ['reviews'],
      summary: 'The success indicators of seed 000 §8 as the records stand today (public): tools shared and piloted, pilot countries and coordination centres, financial resources (totals per currency, never converted), partners of the Global Network, participation of member states in review cycles — each count with its list',
      description: 'Computed from the records, never typed: published knowledge items only; review participation as counts by country, never the answers. Definitions: docs/methods/results.md.',
    },
  }, async () => currentSuccessIndicators(ctx.store));
}
