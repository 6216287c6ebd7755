import { createHash, timingSafeEqual } from 'node:crypto';
import type { RoleName } from '@marsad/db';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { activeAdministratorExists, loadGrants, loadRoles } from '../users/accounts.ts';
import { lookupApiToken, type TokenScope } from './api-tokens.ts';
import { checkCsrf } from './csrf.ts';
import { findSession, readCookie, SESSION_COOKIE, type SessionRow } from './sessions.ts';

export interface ActorRole {
  role: RoleName;
  placeId: number | null;
  placePath: string | null;
  placeCode: string | null;
}
export interface ActorGrant {
  recordType: string;
  recordId: string;
  permission: string;
}

/** Who makes a request: a signed-in user, an API token of a user, or the first-start administrator token. */
export interface Actor {
  kind: 'user' | 'token' | 'admin-token';
  userId: number | null;
  /** For logs and the audit log: 'user:<e-mail>', 'token:<owner's e-mail>/<token name>' or 'api:admin-token'. */
  label: string;
  roles: ActorRole[];
  /** The token's scopes; null for a signed-in user (all that the roles allow). */
  scopes: TokenScope[] | null;
  grants: ActorGrant[];
  ip: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set once the actor is resolved (by a guard, or by any route that asks): read by the audit log. */
    marsadActor?: Actor;
  }
}

interface Resolution {
  actor: Actor | null;
  session: SessionRow | null;
  tokenId: number | null;
}

const resolutions = new WeakMap<FastifyRequest, Promise<Resolution>>();

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/** The bearer token of the request: undefined without an Authorization header. */
function bearer(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  if (header === undefined) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m)
    throw new HttpError(
      401,
      'unauthorized',
      'Authorization: only "Bearer <token>" is understood (an API token msd_…).',
    );
  return m[1]!;
}

async function userActor(
  ctx: AppContext,
  req: FastifyRequest,
  userId: number,
  kind: 'user' | 'token',
  label: string,
  scopes: TokenScope[] | null,
): Promise<Actor> {
  const [roles, grants] = await Promise.all([loadRoles(ctx.store.db, userId), loadGrants(ctx.store.db, userId)]);
  return { kind, userId, label, roles, scopes, grants, ip: req.ip };
}

async function resolve(req: FastifyRequest, ctx: AppContext): Promise<Resolution> {
  const db = ctx.store.db;
  const token = bearer(req);
  if (token !== undefined) {
    const found = await lookupApiToken(ctx.store, token);
    if (found.state === 'ok') {
      const user = await db
        .selectFrom('users')
        .select('email')
        .where('id', '=', found.userId)
        .executeTakeFirstOrThrow();
      const actor = await userActor(ctx, req, found.userId, 'token', `token:${user.email}/${found.name}`, found.scopes);
      return { actor, session: null, tokenId: found.id };
    }
    if (found.state === 'revoked')
      throw new HttpError(
        403,
        'token_revoked',
        `This API token was revoked on ${found.at?.toISOString().slice(0, 10)}; create a new one.`,
      );
    if (found.state === 'expired')
      throw new HttpError(
        403,
        'token_expired',
        `This API token expired on ${found.at?.toISOString().slice(0, 10)}; create a new one.`,
      );
    if (found.state === 'account-disabled')
      throw new HttpError(403, 'account_disabled', 'The account this API token belongs to is disabled.');
    if (ctx.adminToken && timingSafeEqual(digest(token), digest(ctx.adminToken))) {
      if (await activeAdministratorExists(db)) {
        throw new HttpError(
          403,
          'admin_token_retired',
          'The administrator token of the first start no longer works now that an administrator account exists: sign in with an account, or send an API token (create one with POST /api/v1/tokens).',
        );
      }
      return {
        actor: {
          kind: 'admin-token',
          userId: null,
          label: 'api:admin-token',
          roles: [],
          scopes: null,
          grants: [],
          ip: req.ip,
        },
        session: null,
        tokenId: null,
      };
    }
    throw new HttpError(403, 'forbidden', 'The token given is not valid.');
  }
  const cookie = readCookie(req, SESSION_COOKIE);
  if (!cookie) return { actor: null, session: null, tokenId: null };
  const session = await findSession(ctx.store, cookie);
  if (!session) return { actor: null, session: null, tokenId: null };
  const user = await db
    .selectFrom('users')
    .select(['email', 'status'])
    .where('id', '=', session.userId)
    .executeTakeFirst();
  if (user?.status !== 'active') return { actor: null, session: null, tokenId: null };
  checkCsrf(req, session.csrfToken);
  return {
    actor: await userActor(ctx, req, session.userId, 'user', `user:${user.email}`, null),
    session,
    tokenId: null,
  };
}

function resolution(req: FastifyRequest, ctx: AppContext): Promise<Resolution> {
  let r = resolutions.get(req);
  if (!r) {
    r = resolve(req, ctx).then((res) => {
      if (res.actor) req.marsadActor = res.actor;
      return res;
    });
    resolutions.set(req, r);
  }
  return r;
}

/**
 * Who makes the request, or null for the public: the API token of the Authorization header
 * (refused with 403 when unknown, expired or revoked), else the session cookie (a
 * state-changing request must then carry X-CSRF-Token, else 403). The first-start
 * administrator token works only until an active administrator account exists.
 * Resolved once per request.
 */
export async function resolveActor(req: FastifyRequest, ctx: AppContext): Promise<Actor | null> {
  return (await resolution(req, ctx)).actor;
}

/** The session the request is signed in by (null for tokens and the public). */
export async function requestSession(req: FastifyRequest, ctx: AppContext): Promise<SessionRow | null> {
  return (await resolution(req, ctx)).session;
}
