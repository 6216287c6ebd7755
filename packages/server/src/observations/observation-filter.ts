import { type ObservationStatus, parsePeriod } from '@marsad/core';
import type { ObservationFilter } from '@marsad/db';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { resolveActor } from '../auth/actor.ts';
import { isAdministrator, scopeAllows } from '../auth/policy.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { BoolParam, CodeList } from '../http/pagination.ts';

export const ObservationQuery = z.object({
  indicator: CodeList.optional().describe('Indicator codes, comma-separated'),
  series: CodeList.optional().describe('Series codes (UN series codes or labels)'),
  place: CodeList.optional().describe('Place codes, comma-separated'),
  subtree: BoolParam.optional().describe('Include every place below the given places'),
  from: z.string().max(40).optional().describe('Periods ending on or after the start of this period (e.g. 2015)'),
  to: z.string().max(40).optional().describe('Periods starting on or before the end of this period (e.g. 2030)'),
  dim: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .describe('Dimension filter CODE:VALUE[|VALUE…], repeatable, e.g. dim=SEX:F; _T is the total'),
  total: BoolParam.optional().describe('Only values without disaggregation'),
  status: CodeList.optional().describe(
    'Statuses (provisional, validated, approved); the public sees approved values only',
  ),
});
export type ObservationQuery = z.infer<typeof ObservationQuery>;

/** What unpublished values a request may see: all (administrators), those of some subtrees, or none. */
export interface UnpublishedAccess {
  all: boolean;
  within: string[];
}

export async function unpublishedAccess(req: FastifyRequest, ctx: AppContext): Promise<UnpublishedAccess> {
  const actor = await resolveActor(req, ctx);
  if (!actor) return { all: false, within: [] };
  if (isAdministrator(actor)) return { all: true, within: [] };
  if (!scopeAllows(actor, 'observations:read-unpublished') && actor.kind === 'token') return { all: false, within: [] };
  const within = actor.roles
    .filter((r) => ['national-focal-point', 'city-focal-point', 'data-validator'].includes(r.role) && r.placePath)
    .map((r) => r.placePath!);
  return { all: false, within };
}

/**
 * Turns query parameters into a filter. The public sees approved values only; focal points and
 * validators also see the unpublished values of their places; administrators see all. Values
 * suppressed by their indicator's rule (docs/methods/suppression.md) are withheld from the
 * public the same way: only those who may see unpublished values of the place see them, marked.
 */
export function toFilter(q: ObservationQuery, access: UnpublishedAccess | boolean): ObservationFilter {
  const a: UnpublishedAccess = typeof access === 'boolean' ? { all: access, within: [] } : access;
  const privileged = a.all || a.within.length > 0;
  const f: ObservationFilter = {
    indicators: q.indicator,
    series: q.series,
    places: q.place,
    subtree: q.subtree,
    totalOnly: q.total,
  };
  if (q.from) {
    const p = parsePeriod(q.from);
    if (!p.ok) throw new HttpError(400, 'bad_request', `from: ${p.message}`);
    f.from = p.period.start;
  }
  if (q.to) {
    const p = parsePeriod(q.to);
    if (!p.ok) throw new HttpError(400, 'bad_request', `to: ${p.message}`);
    f.to = p.period.end;
  }
  if (q.dim) {
    f.dims = {};
    for (const d of Array.isArray(q.dim) ? q.dim : [q.dim]) {
      const m = /^([^:]+):(.+)$/.exec(d);
      if (!m) throw new HttpError(400, 'bad_request', `dim: "${d}" is not CODE:VALUE (e.g. SEX:F)`);
      f.dims[m[1]!] = m[2]!.split('|');
    }
  }
  const statuses = (q.status ?? []) as string[];
  for (const s of statuses) {
    if (!['provisional', 'validated', 'approved'].includes(s))
      throw new HttpError(400, 'bad_request', `status: "${s}" is not provisional, validated or approved`);
  }
  if (!privileged) {
    if (statuses.some((s) => s !== 'approved'))
      throw new HttpError(
        403,
        'forbidden',
        'Only approved values are public; sign in as a focal point or validator of the place (or send such an API token) to see others.',
      );
    f.statuses = ['approved'];
  } else if (statuses.length) f.statuses = statuses as ObservationStatus[];
  if (!a.all && privileged) f.unpublishedWithin = a.within;
  f.revealSuppressed = a.all ? 'all' : a.within;
  return f;
}
