import type { RoleName } from '@marsad/db';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Actor, resolveActor } from '../auth/actor.ts';
import { hasGrant, isAdministrator, scopeAllows } from '../auth/policy.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';

/**
 * Who may write the knowledge repository and the network (docs/methods/search.md does not
 * cover this; ARCHITECTURE.md, "Knowledge repository"):
 * - items: administrators; editors, national and city focal points for items owned by a place
 *   they hold (or one under it); anyone granted `edit` on the one item (record_grants,
 *   record type `knowledge-item`). Items owned by no place stay with administrators.
 * - pilots of tools: administrators; national and city focal points for places they hold.
 * - workshops: as items, owned by their place.
 * - partner organisations and coordination centres: administrators.
 * A token needs the catalogue:write scope for all of it.
 */

export const ITEM_GRANT_TYPE = 'knowledge-item';
export const ITEM_GRANT_PERMISSION = 'edit';
const EDITOR_ROLES: readonly RoleName[] = ['editor', 'national-focal-point', 'city-focal-point'];
const PILOT_ROLES: readonly RoleName[] = ['national-focal-point', 'city-focal-point'];
const SIGN_IN = 'You are not signed in. Sign in, or send an API token as "Authorization: Bearer msd_…".';

function covers(actor: Actor, roles: readonly RoleName[], placePath: string): boolean {
  return actor.roles.some((r) => roles.includes(r.role) && r.placePath !== null && placePath.startsWith(r.placePath));
}

/** Whether the actor may edit an item owned by the place with this path (null: no owner place). */
export function canEditItem(actor: Actor | null, ownerPath: string | null, itemId?: number): boolean {
  if (!actor) return false;
  if (isAdministrator(actor)) return true;
  if (!scopeAllows(actor, 'catalogue:write')) return false;
  if (itemId !== undefined && hasGrant(actor, ITEM_GRANT_TYPE, itemId, ITEM_GRANT_PERMISSION)) return true;
  return ownerPath !== null && covers(actor, EDITOR_ROLES, ownerPath);
}

/** Whether the actor may own things by this place (create an item or a workshop of it). */
export function canWriteForPlace(actor: Actor | null, placePath: string | null): boolean {
  return canEditItem(actor, placePath);
}

/** Whether the actor may record a pilot of a tool at the place. */
export function canRecordPilot(actor: Actor | null, placePath: string): boolean {
  if (!actor) return false;
  if (isAdministrator(actor)) return true;
  return scopeAllows(actor, 'catalogue:write') && covers(actor, PILOT_ROLES, placePath);
}

function roleGuard(ctx: AppContext, roles: readonly RoleName[], what: string) {
  return async (req: FastifyRequest, _reply: FastifyReply) => {
    const actor = await resolveActor(req, ctx);
    if (!actor) throw new HttpError(401, 'unauthorized', SIGN_IN);
    if (isAdministrator(actor)) return;
    const holds = actor.roles.some((r) => roles.includes(r.role));
    if (holds && scopeAllows(actor, 'catalogue:write')) return;
    if (holds)
      throw new HttpError(403, 'forbidden', `This API token lacks the "catalogue:write" scope that ${what} needs.`);
    if (actor.roles.some((r) => r.role === 'administrator'))
      throw new HttpError(
        403,
        'forbidden',
        'This request needs an administrator: this API token lacks the "admin" scope.',
      );
    throw new HttpError(
      403,
      'forbidden',
      `${what[0]!.toUpperCase()}${what.slice(1)} needs an administrator, or one of these roles on a place: ${roles.join(', ')}; your account holds none.`,
    );
  };
}

/** Hook (onRequest) of creating items and workshops: editors and focal points (the route checks the place). */
export function requireItemAuthor(ctx: AppContext) {
  return roleGuard(ctx, EDITOR_ROLES, 'adding to the knowledge repository');
}

/** Hook (onRequest) of recording pilots of tools: national and city focal points (the route checks the place). */
export function requirePilotRecorder(ctx: AppContext) {
  return roleGuard(ctx, PILOT_ROLES, 'recording the pilot of a tool');
}
