import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { registerProgrammeRoutes } from './programme-routes.ts';
import { registerResultRoutes } from './result-routes.ts';

/** Results frameworks (issue 7): programmes, results, measures, the 2030 figures, budgets, exports. */
export function registerResultsRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerProgrammeRoutes(app, ctx);
  registerResultRoutes(app, ctx);
}
