import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { registerKnowledgeItemRoutes } from './item-routes.ts';
import { registerNetworkRoutes } from './network-routes.ts';
import { registerPilotRoutes } from './pilot-routes.ts';
import { registerWorkshopRoutes } from './workshop-routes.ts';

export { registerKnowledgeUploadRoutes } from './item-routes.ts';

/**
 * The knowledge repository and the network (issue 5): items, pilots of tools, partners, centres, pilot places,
 * workshops.
 */
export function registerKnowledgeRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerKnowledgeItemRoutes(app, ctx);
  registerPilotRoutes(app, ctx);
  registerNetworkRoutes(app, ctx);
  registerWorkshopRoutes(app, ctx);
}
