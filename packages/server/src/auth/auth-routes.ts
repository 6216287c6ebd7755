import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, recordAudit } from '../audit/audit-log.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { acceptLinkToken, loadRoles, normaliseEmail, setPassword } from '../users/accounts.ts';
import { requestSession, resolveActor } from './actor.ts';
import {
  type LoginBlock,
  type LoginClock,
  LoginLimiter,
  type LoginLimits,
  loginBlockMessage,
} from './login-limiter.ts';
import { verifyNothing, verifyPassword } from './passwords.ts';
import { requireActor } from './policy.ts';
import { endSession, endUserSessions, startSession } from './sessions.ts';

const Email = z
  .string()
  .trim()
  .min(3)
  .max(254)
  .regex(/^[^\s@]+@[^\s@]+$/, 'must be an e-mail address');
const Password = z.string().min(1).max(1024);

/** The signed-in user as they see themselves. */
async function me(ctx: AppContext, userId: number) {
  const u = await ctx.store.db
    .selectFrom('users')
    .select(['id', 'email', 'display_name'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  const roles = (await loadRoles(ctx.store.db, userId)).map((r) => ({ role: r.role, place: r.placeCode }));
  return { id: u.id, email: u.email, displayName: u.display_name, roles };
}

const WRONG = 'The e-mail address or the password is not right.';

export interface AuthRouteOptions {
  loginLimits?: Partial<LoginLimits>;
  loginClock?: LoginClock;
}

/** Sign in and out, who am I, change the password, accept an invitation or reset link. */
export function registerAuthRoutes(app: FastifyInstance, ctx: AppContext, options: AuthRouteOptions = {}): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = ctx.store.db;
  const limiter = new LoginLimiter(db, options.loginLimits, options.loginClock);
  const signedIn = requireActor(ctx);

  const refuse = (reply: FastifyReply, block: LoginBlock): never => {
    reply.header('Retry-After', String(block.retryAfterSeconds));
    throw new HttpError(429, 'too_many_attempts', loginBlockMessage(block), {
      scope: block.scope,
      retryAfterSeconds: block.retryAfterSeconds,
      retryAt: block.retryAt.toISOString(),
    });
  };

  r.post(
    '/api/v1/auth/login',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Sign in: sets the session cookie and returns the CSRF token for later writes',
        description:
          'Failed attempts are limited (docs/operations.md, "Sign-in limits"): after 5 in 15 minutes for one account from one address, that account is refused from that address; after 100 from one address, the accounts that failed from it are refused there; both answer 429 with Retry-After and the time to try again (details.retryAt). From the third failure for an account, its sign-ins wait 1, 2, then at most 4 seconds. The same message answers an unknown address and a wrong password.',
        body: z.object({ email: Email, password: Password }),
      },
    },
    async (req, reply) => {
      const email = normaliseEmail(req.body.email);
      const user = await db
        .selectFrom('users')
        .select(['id', 'password_hash', 'status'])
        .where('email', '=', email)
        .executeTakeFirst();
      const outcome = await limiter.attempt(email, req.ip, async () =>
        user?.password_hash
          ? await verifyPassword(user.password_hash, req.body.password)
          : await verifyNothing(req.body.password),
      );
      if ('block' in outcome) return refuse(reply, outcome.block);
      if (!user || !outcome.ok) throw new HttpError(401, 'invalid_credentials', WRONG);
      if (user.status !== 'active')
        throw new HttpError(403, 'account_disabled', 'This account is disabled; ask an administrator.');
      const session = await startSession(ctx.store, req, reply, user.id);
      await db.updateTable('users').set({ last_login_at: new Date() }).where('id', '=', user.id).execute();
      return { user: await me(ctx, user.id), csrfToken: session.csrfToken };
    },
  );

  r.post(
    '/api/v1/auth/logout',
    {
      onRequest: signedIn,
      schema: { tags: ['accounts'], summary: 'Sign out: ends the session (needs X-CSRF-Token)' },
    },
    async (req: FastifyRequest, reply) => {
      if (!(await requestSession(req, ctx)))
        throw new HttpError(
          400,
          'bad_request',
          'This request is signed in by an API token, not a session; there is nothing to sign out of (revoke the token with DELETE /api/v1/tokens/:id).',
        );
      await endSession(ctx.store, req, reply);
      return { signedOut: true };
    },
  );

  r.get(
    '/api/v1/auth/me',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Who is signed in: the user, their roles on places, and the CSRF token of the session',
      },
    },
    async (req) => {
      const actor = await resolveActor(req, ctx);
      if (!actor) throw new HttpError(401, 'unauthorized', 'You are not signed in.');
      const session = await requestSession(req, ctx);
      const user = actor.userId === null ? null : await me(ctx, actor.userId);
      return {
        user,
        roles: user?.roles ?? [],
        via: actor.kind,
        scopes: actor.scopes,
        csrfToken: session?.csrfToken ?? null,
      };
    },
  );

  r.post(
    '/api/v1/auth/password',
    {
      onRequest: signedIn,
      schema: {
        tags: ['accounts'],
        summary: "Change one's password (at least 12 characters, not a common password); other sessions end",
        body: z.object({ current: Password, next: Password }),
      },
    },
    async (req, reply) => {
      const session = await requestSession(req, ctx);
      const actor = await resolveActor(req, ctx);
      if (!session || !actor?.userId)
        throw new HttpError(403, 'forbidden', 'Change a password when signed in with it, not with an API token.');
      const user = await db
        .selectFrom('users')
        .select(['email', 'password_hash'])
        .where('id', '=', actor.userId)
        .executeTakeFirstOrThrow();
      const outcome = await limiter.attempt(user.email, req.ip, async () =>
        user.password_hash ? await verifyPassword(user.password_hash, req.body.current) : false,
      );
      if ('block' in outcome) return refuse(reply, outcome.block);
      if (!outcome.ok) throw new HttpError(400, 'bad_request', 'current: this is not your current password.');
      if (req.body.next === req.body.current)
        throw new HttpError(400, 'bad_request', 'next: is the same as the current password.');
      await setPassword(db, actor.userId, req.body.next, 'next');
      await recordAudit(ctx.store, actorOf(req), {
        action: 'password-change',
        entityType: 'user',
        entityId: actor.userId,
      });
      await endUserSessions(ctx.store, actor.userId, session.id);
      return { changed: true };
    },
  );

  r.post(
    '/api/v1/auth/accept',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Use an invitation or password reset link: set the password (and name); signs in',
        body: z.object({
          token: z.string().min(10).max(200),
          password: Password,
          displayName: z.string().trim().min(1).max(200).optional(),
        }),
      },
    },
    async (req, reply) => {
      const { userId } = await acceptLinkToken(ctx.store, req.body.token, req.body.password, req.body.displayName);
      // A new password set through a link clears the account's failed sign-ins, wherever they came from.
      const { email } = await db.selectFrom('users').select('email').where('id', '=', userId).executeTakeFirstOrThrow();
      await limiter.forgetAccount(email);
      await recordAudit(
        ctx.store,
        { label: `user:${userId}`, userId, ip: req.ip },
        { action: 'password-set', entityType: 'user', entityId: userId },
      );
      const session = await startSession(ctx.store, req, reply, userId);
      await db.updateTable('users').set({ last_login_at: new Date() }).where('id', '=', userId).execute();
      reply.code(200);
      return { user: await me(ctx, userId), csrfToken: session.csrfToken };
    },
  );
}
