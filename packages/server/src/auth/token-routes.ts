import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, recordAudit } from '../audit/audit-log.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { RecordId } from '../http/record-id.ts';
import { createApiToken, listApiTokens, revokeApiToken, TOKEN_MAX_DAYS, TOKEN_SCOPES } from './api-tokens.ts';
import { currentActor, isAdministrator, requireActor } from './policy.ts';

/** API tokens for machine clients, created by a signed-in user; each user sees and revokes their own. */
export function registerTokenRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const signedIn = requireActor(ctx);
  const security: Record<string, string[]>[] = [{ bearer: [] }, { session: [] }];

  r.post(
    '/api/v1/tokens',
    {
      onRequest: signedIn,
      schema: {
        tags: ['accounts'],
        summary: 'Create an API token for a machine client; the token is shown in this answer only',
        description: `Send it as "Authorization: Bearer msd_…". A token never gives more than its user's roles; the "admin" scope is for administrators. Expiry: 1 to ${TOKEN_MAX_DAYS} days.`,
        security,
        body: z.object({
          name: z.string().trim().min(1).max(100).describe('What it is for, e.g. "national statistics system"'),
          scopes: z.array(z.enum(TOKEN_SCOPES)).min(1).max(TOKEN_SCOPES.length),
          expiresInDays: z.number().int().min(1).max(TOKEN_MAX_DAYS).default(90),
        }),
      },
    },
    async (req, reply) => {
      const actor = await currentActor(req, ctx);
      if (actor.kind !== 'user' || actor.userId === null) {
        throw new HttpError(
          403,
          'forbidden',
          actor.kind === 'token'
            ? 'API tokens are created by a signed-in user, not with another token.'
            : 'API tokens belong to an account: create an administrator account first (npx marsad user create --admin) and sign in.',
        );
      }
      if (req.body.scopes.includes('admin') && !isAdministrator(actor)) {
        throw new HttpError(403, 'forbidden', 'scopes: the "admin" scope is for administrators only.');
      }
      const t = await createApiToken(ctx.store, actor.userId, req.body);
      await recordAudit(ctx.store, actorOf(req), {
        action: 'create',
        entityType: 'token',
        entityId: t.id,
        after: { name: req.body.name, scopes: req.body.scopes, expiresAt: t.expiresAt },
      });
      reply.code(201);
      return {
        token: t.token,
        id: t.id,
        name: t.name,
        scopes: t.scopes,
        expiresAt: t.expiresAt.toISOString(),
        createdAt: t.createdAt.toISOString(),
        note: 'This is the only time the token is shown; Marsad keeps only its hash.',
      };
    },
  );

  r.get(
    '/api/v1/tokens',
    {
      onRequest: signedIn,
      schema: { tags: ['accounts'], summary: "One's own API tokens (never their values)", security },
    },
    async (req) => {
      const actor = await currentActor(req, ctx);
      return { items: actor.userId === null ? [] : await listApiTokens(ctx.store, actor.userId) };
    },
  );

  r.delete(
    '/api/v1/tokens/:id',
    {
      onRequest: signedIn,
      schema: {
        tags: ['accounts'],
        summary: "Revoke an API token (one's own; administrators: anyone's)",
        security,
        params: z.object({ id: RecordId }),
      },
    },
    async (req) => {
      const actor = await currentActor(req, ctx);
      const revoked = await revokeApiToken(
        ctx.store,
        req.params.id,
        isAdministrator(actor) ? null : (actor.userId ?? -1),
      );
      if (revoked)
        await recordAudit(ctx.store, actorOf(req), { action: 'revoke', entityType: 'token', entityId: req.params.id });
      if (!revoked) throw new HttpError(404, 'not_found', `You have no active API token with id ${req.params.id}.`);
      return { revoked: true, id: revoked.id, name: revoked.name };
    },
  );
}
