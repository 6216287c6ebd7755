import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { registerHomeRoutes } from './home-routes.ts';
import { registerIndicatorDataRoutes } from './indicator-data-routes.ts';
import { registerIndicatorLatestRoutes } from './indicator-latest-routes.ts';
import { registerPlaceReportRoutes } from './place-report-routes.ts';
import { registerPlaceSummaryRoutes } from './place-summary-routes.ts';
import { registerReportingStatusRoutes } from './reporting-status-routes.ts';
import { registerSearchRoutes } from './search-routes.ts';

/**
 * The views the web application reads (tag `web`): search, latest values, place pages, the country report, reporting
 * status, home page.
 */
export function registerWebApiRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerSearchRoutes(app, ctx);
  registerIndicatorLatestRoutes(app, ctx);
  registerIndicatorDataRoutes(app, ctx);
  registerPlaceSummaryRoutes(app, ctx);
  registerPlaceReportRoutes(app, ctx);
  registerReportingStatusRoutes(app, ctx);
  registerHomeRoutes(app, ctx);
}
