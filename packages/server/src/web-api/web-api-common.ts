import type { ObservationStatus, SourceView } from '@marsad/core';
import { type SuppressionReveal, suppressedBelowSql } from '@marsad/db';
import type { FastifyRequest } from 'fastify';
import { type RawBuilder, sql } from 'kysely';
import { hasAdminToken } from '../auth/admin-token.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { unpublishedAccess } from '../observations/observation-filter.ts';

/** The statuses a request may see: all for the administrator, approved only for the public. */
export async function visibleStatuses(req: FastifyRequest, ctx: AppContext): Promise<ObservationStatus[]> {
  return (await hasAdminToken(req, ctx)) ? ['provisional', 'validated', 'approved'] : ['approved'];
}

/**
 * Which of the latest values kept as values are written (latest_observations, migration 027) a reader of these
 * statuses sees: the latest approved (the public), or the latest whatever its status (every status visible).
 */
export function approvedOnly(statuses: readonly ObservationStatus[]): boolean {
  if (statuses.length === 1 && statuses[0] === 'approved') return true;
  if (statuses.length === 3) return false;
  throw new Error(`latest values are kept for approved values or for all, not for ${statuses.join(', ')}`);
}

/**
 * Who may see the true value of an observation its indicator's suppression rule withholds from
 * the public (docs/methods/suppression.md): the same readers as for unpublished values of the
 * place — administrators everywhere, focal points and validators under their places.
 */
export async function suppressionReveal(req: FastifyRequest, ctx: AppContext): Promise<SuppressionReveal> {
  const a = await unpublishedAccess(req, ctx);
  return a.all ? 'all' : a.within;
}

/**
 * The lateral table `sup(below)` for a query over observations `o` joined to indicators `i`,
 * places `p` and disaggregations `d`: the rule's minimum count where the value rests on fewer.
 */
export function suppressionLateral() {
  return sql<{ below: number | null }>`(SELECT ${suppressedBelowSql()} AS below OFFSET 0)`.as('sup');
}

/**
 * Natural order of codes, SDG-aware: runs of digits compare as numbers and come before
 * letters, so 11.2.1 < 11.10.1 < 11.a.1, and SDG codes come before USM-CV-01 or POP.
 */
export function compareCodes(a: string, b: string): number {
  const ta = a.match(/\d+|\D+/g) ?? [];
  const tb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(ta.length, tb.length); i++) {
    const x = ta[i]!;
    const y = tb[i]!;
    const dx = /^\d/.test(x);
    const dy = /^\d/.test(y);
    if (dx && dy) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d;
    } else if (dx !== dy) return dx ? -1 : 1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return ta.length - tb.length || (a < b ? -1 : a > b ? 1 : 0);
}

export const LEVEL_ORDER: Record<string, number> = { country: 0, region: 1, city: 2, district: 3 };

/** `date` as YYYY-MM-DD, whatever the driver would make of it. */
export function isoDate(column: string): RawBuilder<string> {
  return sql<string>`to_char(${sql.ref(column)}, 'YYYY-MM-DD')`;
}

/** `timestamptz` as an ISO instant in UTC. */
export function isoInstant(column: string): RawBuilder<string> {
  return sql<string>`to_char(${sql.ref(column)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
}

/**
 * Parses `dim=CODE:VALUE` parameters (repeatable, or comma-separated) into the exact
 * disaggregation asked for; `_T` (or no dim at all) is the total of that dimension.
 */
export function parseExactDims(dim: string | string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const parts = (Array.isArray(dim) ? dim : dim ? [dim] : [])
    .flatMap((d) => d.split(','))
    .map((d) => d.trim())
    .filter(Boolean);
  for (const d of parts) {
    const m = /^([A-Za-z0-9_.-]+):([^|:]+)$/.exec(d);
    if (!m) throw new HttpError(400, 'bad_request', `dim: "${d}" is not CODE:VALUE with one value (e.g. SEX:F)`);
    const [, code, value] = m as unknown as [string, string, string];
    if (code in out) throw new HttpError(400, 'bad_request', `dim: dimension ${code} is given twice`);
    if (value !== '_T') out[code] = value;
  }
  return out;
}

/** A source of values as the API shows it (defined in core, shared with the web app). */
export type { SourceView };

export function sourceView(
  name: string | null,
  licence: string | null,
  synthetic: boolean | null,
  names: Record<string, string> | null,
): SourceView | null {
  return name ? { name, names: names ?? {}, licence, synthetic: !!synthetic } : null;
}
