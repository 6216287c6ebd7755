import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../auth/actor.ts';
import { resolveActor } from '../auth/actor.ts';
import { isAdministrator, scopeAllows } from '../auth/policy.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';

/**
 * Who may write results (docs/methods/results.md, "Who may change what"): administrators any
 * result; national focal points the results whose responsible places are all within the
 * countries they hold (a result without a responsible place stays with administrators), with
 * the measures, targets and actual values of those results. A token needs the catalogue:write
 * scope. Programmes, their places, budget lines, exchange rates and the margins of the 2030
 * figures are for administrators only.
 */

/** Hook (onRequest): 401 for the public; 403 for anyone who is neither an administrator nor a national focal point. */
export function requireResultsWriter(ctx: AppContext) {
  return async (req: FastifyRequest, _reply: FastifyReply) => {
    const actor = await resolveActor(req, ctx);
    if (!actor)
      throw new HttpError(
        401,
        'unauthorized',
        'You are not signed in. Sign in, or send an API token as "Authorization: Bearer msd_…".',
      );
    if (isAdministrator(actor)) return;
    const national = actor.roles.some((r) => r.role === 'national-focal-point');
    if (national && scopeAllows(actor, 'catalogue:write')) return;
    if (national)
      throw new HttpError(
        403,
        'forbidden',
        'This API token lacks the "catalogue:write" scope that editing results needs.',
      );
    if (actor.roles.some((r) => r.role === 'administrator'))
      throw new HttpError(
        403,
        'forbidden',
        'This request needs an administrator: this API token lacks the "admin" scope.',
      );
    throw new HttpError(
      403,
      'forbidden',
      'Editing results needs an administrator, or a national focal point for the results of the places they hold; your account holds neither role.',
    );
  };
}

/** Whether the actor may write a result whose responsible places have these paths. */
export function mayWriteResultOf(actor: Actor, placePaths: readonly string[]): boolean {
  if (isAdministrator(actor)) return true;
  if (!placePaths.length || !scopeAllows(actor, 'catalogue:write')) return false;
  const held = actor.roles.filter((r) => r.role === 'national-focal-point' && r.placePath).map((r) => r.placePath!);
  return placePaths.every((p) => held.some((h) => p.startsWith(h)));
}

/** Throws 403 naming the field unless the actor may write a result with these responsible places. */
export function checkResultPlaces(actor: Actor, placePaths: readonly string[], field: string): void {
  if (mayWriteResultOf(actor, placePaths)) return;
  throw new HttpError(
    403,
    'forbidden',
    placePaths.length
      ? `${field}: you are not a national focal point of every responsible place of this result; results of other places stay with their focal points and administrators.`
      : `${field}: a result without a responsible place can be edited by administrators only; give places you hold as a national focal point.`,
  );
}
