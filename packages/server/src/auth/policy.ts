import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { type Actor, resolveActor } from './actor.ts';
import type { TokenScope } from './api-tokens.ts';

/**
 * Who may do what. Pure functions of the actor (its roles on places, its token's scopes, its
 * grants) and of the place's materialised path ('/12/340/'): a role on a place covers the
 * place and everything under it, so "covers" is "the path starts with the role's path".
 */

/** Whether a token's scopes allow this (a signed-in user's are not limited; 'admin' allows all). */
export function scopeAllows(actor: Actor, scope: TokenScope): boolean {
  return actor.scopes === null || actor.scopes.includes(scope) || actor.scopes.includes('admin');
}

function covers(actor: Actor, roles: readonly string[], placePath: string): boolean {
  return actor.roles.some((r) => roles.includes(r.role) && r.placePath !== null && placePath.startsWith(r.placePath));
}

/** An administrator account (with an 'admin'-scoped token), or the first-start token while it is valid. */
export function isAdministrator(actor: Actor | null): boolean {
  if (!actor) return false;
  if (actor.kind === 'admin-token') return true;
  const admin = actor.roles.some((r) => r.role === 'administrator');
  return actor.kind === 'token' ? admin && !!actor.scopes?.includes('admin') : admin;
}

/**
 * Whether the actor may write data of the place: administrators; a national focal point of a
 * country for the country and everything under it; a city focal point for the city and its
 * districts. A token also needs the scope (observations:write by default).
 */
export function canWritePlace(
  actor: Actor | null,
  placePath: string,
  scope: TokenScope = 'observations:write',
): boolean {
  if (!actor) return false;
  if (isAdministrator(actor)) return true;
  return scopeAllows(actor, scope) && covers(actor, ['national-focal-point', 'city-focal-point'], placePath);
}

/**
 * Whether the actor may enter values of the place as validated or approved (not only as
 * provisional): administrators and national focal points of the country.
 */
export function canApprovePlace(actor: Actor | null, placePath: string): boolean {
  if (!actor) return false;
  if (isAdministrator(actor)) return true;
  return scopeAllows(actor, 'observations:write') && covers(actor, ['national-focal-point'], placePath);
}

/** Whether the actor may see values of the place that are not yet approved: writers and the place's data validators. */
export function canReadUnpublished(actor: Actor | null, placePath: string): boolean {
  if (!actor) return false;
  if (isAdministrator(actor)) return true;
  return (
    scopeAllows(actor, 'observations:read-unpublished') &&
    covers(actor, ['national-focal-point', 'city-focal-point', 'data-validator'], placePath)
  );
}

/**
 * Whether the actor may add catalogue entries of the place (a local indicator owned by it, a
 * target for it): administrators; national and city focal points of the place or of a place
 * above it. A token also needs the catalogue:write scope.
 */
export function canWriteCatalogueOf(actor: Actor | null, placePath: string): boolean {
  return canWritePlace(actor, placePath, 'catalogue:write');
}

/**
 * Whether the actor may edit an indicator: administrators any; national and city focal points
 * only a local indicator owned by a place they cover, never the reference catalogue (SDG and
 * the global frameworks) nor a local indicator without an owner place.
 */
export function canEditIndicator(
  actor: Actor | null,
  indicator: { local: boolean; ownerPath: string | null },
): boolean {
  if (isAdministrator(actor)) return true;
  return indicator.local && indicator.ownerPath !== null && canWriteCatalogueOf(actor, indicator.ownerPath);
}

/** Whether the actor was granted this permission on this one record (e.g. review of a submission). */
export function hasGrant(
  actor: Actor | null,
  recordType: string,
  recordId: string | number,
  permission: string,
): boolean {
  if (!actor) return false;
  const id = String(recordId);
  return actor.grants.some((g) => g.recordType === recordType && g.recordId === id && g.permission === permission);
}

const SIGN_IN = 'Sign in, or send an API token as "Authorization: Bearer msd_…".';

/** Hook (onRequest or preHandler): 401 unless someone is signed in or sends a valid token. */
export function requireActor(ctx: AppContext) {
  return async (req: FastifyRequest, _reply: FastifyReply) => {
    if (!(await resolveActor(req, ctx))) throw new HttpError(401, 'unauthorized', `You are not signed in. ${SIGN_IN}`);
  };
}

/** Hook (onRequest or preHandler): 401 for the public, 403 for anyone who is not an administrator. */
export function requireAdministrator(ctx: AppContext) {
  return async (req: FastifyRequest, _reply: FastifyReply) => {
    const actor = await resolveActor(req, ctx);
    if (!actor) {
      throw new HttpError(
        401,
        'unauthorized',
        'This request needs an administrator: sign in as one, or send an API token with the "admin" scope (or, until the first administrator account exists, the administrator token) as "Authorization: Bearer <token>".',
      );
    }
    if (isAdministrator(actor)) return;
    const hasRole = actor.roles.some((r) => r.role === 'administrator');
    throw new HttpError(
      403,
      'forbidden',
      hasRole
        ? 'This request needs an administrator: this API token lacks the "admin" scope.'
        : 'This request needs an administrator; your account holds no administrator role.',
    );
  };
}

/**
 * Hook (onRequest) of the catalogue writes open to focal points (local indicators, targets):
 * 401 for the public, 403 for anyone who is neither an administrator nor a national or city
 * focal point (a token: with the catalogue:write scope). The route then checks the place.
 */
export function requireCatalogueWriter(ctx: AppContext) {
  return async (req: FastifyRequest, _reply: FastifyReply) => {
    const actor = await resolveActor(req, ctx);
    if (!actor) throw new HttpError(401, 'unauthorized', `You are not signed in. ${SIGN_IN}`);
    if (isAdministrator(actor)) return;
    const focal = actor.roles.some((r) => r.role === 'national-focal-point' || r.role === 'city-focal-point');
    if (focal && scopeAllows(actor, 'catalogue:write')) return;
    if (focal)
      throw new HttpError(
        403,
        'forbidden',
        'This API token lacks the "catalogue:write" scope that adding or editing indicators and targets needs.',
      );
    if (actor.roles.some((r) => r.role === 'administrator')) {
      throw new HttpError(
        403,
        'forbidden',
        'This request needs an administrator (or a focal point, for their own places): this API token lacks the "admin" scope.',
      );
    }
    throw new HttpError(
      403,
      'forbidden',
      'Adding or editing indicators and targets needs an administrator, or a national or city focal point (for the places they hold); your account holds neither role.',
    );
  };
}

/** The actor of a request that passed requireActor or requireAdministrator. */
export async function currentActor(req: FastifyRequest, ctx: AppContext): Promise<Actor> {
  const actor = await resolveActor(req, ctx);
  if (!actor) throw new HttpError(401, 'unauthorized', `You are not signed in. ${SIGN_IN}`);
  return actor;
}
