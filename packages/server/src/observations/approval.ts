import { parsePeriod } from '@marsad/core';
import type { SqlConn, Store } from '@marsad/db';
import { type AuditActor, appendAudit } from '../audit/audit-log.ts';
import type { Actor } from '../auth/actor.ts';
import { canApprovePlace, isAdministrator, scopeAllows } from '../auth/policy.ts';
import { HttpError } from '../http/errors.ts';
import { type MyAssignment, myAssignments } from '../reviews/review-assignments.ts';
import { appendEvents, cleanReason, type EventAction, REASON_MAX, REASON_MIN, SENT_BACK } from './approval-events.ts';
import { approvedValues, type InboxValue, type Scope, sentBackValues, waitingValues } from './approval-inbox.ts';
import { disaggregationKey } from './code-resolver.ts';

/**
 * The status workflow of observations: provisional → validated (a data validator of the place)
 * → approved (a national focal point of the place). With a reason, a value goes back to its provider:
 * a provisional one is sent back (by a data validator or a national focal point of the place), a
 * validated or approved one is reopened (→ provisional, by a national focal point); it then waits for
 * the provider's correction (approval-events.ts), which brings it back to the validators. Administrators
 * may do all. Every change keeps the earlier version in observation_history, each step of each value is
 * kept with who, when and why in observation_events, and each call is one audit entry.
 */

export type Status = 'provisional' | 'validated' | 'approved';

export interface ObservationRef {
  indicator: string;
  series?: string;
  place: string;
  period: string;
  dims?: Record<string, string>;
}

export interface StatusChange {
  observations: ObservationRef[];
  to: Status;
  reason?: string;
}

/** Roles whose holders may validate values of the places they cover (and send provisional ones back). */
export const VALIDATOR_ROLES = ['data-validator'] as const;
/** Roles whose holders may approve values (and reopen them) of the places they cover. */
export const APPROVER_ROLES = ['national-focal-point'] as const;
/** Roles whose holders enter values of the places they cover: the providers a value goes back to. */
export const PROVIDER_ROLES = ['national-focal-point', 'city-focal-point'] as const;

function coversWith(actor: Actor, roles: readonly string[], placePath: string): boolean {
  return actor.roles.some((r) => roles.includes(r.role) && r.placePath !== null && placePath.startsWith(r.placePath));
}

/** Whether the actor may move values of the place from provisional to validated. */
export function canValidatePlace(actor: Actor | null, placePath: string): boolean {
  if (!actor) return false;
  if (isAdministrator(actor)) return true;
  return scopeAllows(actor, 'observations:write') && coversWith(actor, VALIDATOR_ROLES, placePath);
}

type Transition = 'validate' | 'approve' | 'reopen' | 'send-back';

/** The transition from one status to another, or null when it is not allowed. */
export function transitionOf(from: string, to: Status): Transition | null {
  if (from === 'provisional' && to === 'validated') return 'validate';
  if (from === 'validated' && to === 'approved') return 'approve';
  if ((from === 'approved' || from === 'validated') && to === 'provisional') return 'reopen';
  if (from === 'provisional' && to === 'provisional') return 'send-back';
  return null;
}

const WHO: Record<Transition, string> = {
  validate: 'a data validator of the place (or an administrator)',
  approve: 'a national focal point of the place (or an administrator)',
  reopen: 'a national focal point of the place (or an administrator)',
  'send-back': 'a data validator or a national focal point of the place (or an administrator)',
};
const VERB: Record<Transition, string> = {
  validate: 'validate',
  approve: 'approve',
  reopen: 'reopen',
  'send-back': 'send back',
};
const DONE: Record<Transition, string> = {
  validate: 'validated',
  approve: 'approved',
  reopen: 'reopened',
  'send-back': 'sent back',
};
const ACTION: Record<Transition, EventAction> = {
  validate: 'validated',
  approve: 'approved',
  reopen: 'reopened',
  'send-back': 'sent-back',
};

function allowed(actor: Actor, t: Transition, placePath: string): boolean {
  if (t === 'validate') return canValidatePlace(actor, placePath);
  if (t === 'send-back') return canValidatePlace(actor, placePath) || canApprovePlace(actor, placePath);
  return canApprovePlace(actor, placePath);
}

interface Found {
  i: number;
  series_id: number;
  place_id: number;
  period: string;
  disagg_id: number;
  status: string;
  version: number;
  series: string;
  is_default: boolean;
  path: string;
  place: string;
  indicator: string;
  value: number;
  sent_back: boolean;
}

const describeRef = (o: ObservationRef) =>
  `${o.indicator}${o.series ? ` (${o.series})` : ''} ${o.place} ${o.period}${o.dims && Object.keys(o.dims).length ? ` ${disaggregationKey(o.dims)}` : ''}`;

/** "2 values validated", "1 value sent back, 1 reopened". */
function summaryOf(transitions: Transition[]): string {
  const counts = new Map<Transition, number>();
  for (const t of transitions) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts]
    .map(([t, n], i) => (i === 0 ? `${n} value${n === 1 ? '' : 's'} ${DONE[t]}` : `${n} ${DONE[t]}`))
    .join(', ');
}

/**
 * Changes the status of the given observations, all or nothing: every item is checked first
 * (404 unknown, 400 transition not allowed, 403 no right), then all are changed in one
 * transaction with their earlier versions in observation_history, their steps in
 * observation_events and one audit entry. `to: 'provisional'` gives values back to their
 * provider with the reason: a provisional value is sent back (it keeps its version), a validated
 * or approved one is reopened.
 */
export async function changeStatus(
  store: Store,
  actor: Actor,
  audit: AuditActor,
  change: StatusChange,
): Promise<{ changed: number; to: Status }> {
  const { to } = change;
  const reason = change.reason === undefined ? undefined : cleanReason(change.reason) || undefined;
  if (to === 'provisional' && (!reason || reason.length < REASON_MIN)) {
    throw new HttpError(
      400,
      'bad_request',
      `reason: sending values back or reopening them (to provisional) needs a reason of at least ${REASON_MIN} characters.`,
    );
  }
  if (reason && reason.length > REASON_MAX)
    throw new HttpError(400, 'bad_request', `reason: at most ${REASON_MAX} characters.`);
  const items = change.observations.map((o, i) => {
    const p = parsePeriod(o.period);
    if (!p.ok) throw new HttpError(400, 'bad_request', `observations.${i}.period: ${p.message}`);
    return {
      i,
      indicator: o.indicator,
      series: o.series ?? null,
      place: o.place,
      period: p.period.code,
      dkey: disaggregationKey(o.dims ?? {}),
    };
  });

  return store.exclusive(async (conn: SqlConn) => {
    const found = await conn.query<Found>(
      `SELECT x.i, o.series_id, o.place_id, o.period, o.disagg_id, o.status, o.version, o.value, s.code AS series, s.is_default,
              p.path, p.code AS place, ind.code AS indicator, ${SENT_BACK('o')} AS sent_back
         FROM jsonb_to_recordset($1::jsonb) AS x(i int, indicator text, series text, place text, period text, dkey text)
         JOIN indicators ind ON ind.code = x.indicator
         JOIN places p ON p.code = x.place
         JOIN disaggregations d ON d.key = x.dkey
         JOIN observations o ON o.indicator_id = ind.id AND o.place_id = p.id AND o.period = x.period AND o.disagg_id = d.id
         JOIN series s ON s.id = o.series_id AND (x.series IS NULL OR s.code = x.series OR x.series = ANY(s.aliases))
        ORDER BY x.i
        FOR UPDATE OF o`,
      [JSON.stringify(items)],
    );
    const byItem = new Map<number, Found[]>();
    for (const r of found.rows) byItem.set(r.i, [...(byItem.get(r.i) ?? []), r]);

    const rows: (Found & { t: Transition })[] = [];
    const seen = new Map<string, number>();
    for (const item of items) {
      const ref = change.observations[item.i]!;
      let matches = byItem.get(item.i) ?? [];
      if (matches.length > 1) matches = matches.filter((m) => m.is_default);
      if (matches.length === 0) {
        throw new HttpError(404, 'not_found', `observations.${item.i}: no observation ${describeRef(ref)}.`);
      }
      if (matches.length > 1) {
        throw new HttpError(
          400,
          'bad_request',
          `observations.${item.i}: ${describeRef(ref)} exists in several series; name the series.`,
        );
      }
      const row = matches[0]!;
      const key = `${row.series_id}|${row.place_id}|${row.period}|${row.disagg_id}`;
      if (seen.has(key))
        throw new HttpError(
          400,
          'bad_request',
          `observations.${item.i}: the same observation as observations.${seen.get(key)}.`,
        );
      seen.set(key, item.i);
      const t = transitionOf(row.status, to);
      if (!t) {
        throw new HttpError(
          400,
          'bad_request',
          `observations.${item.i}: ${describeRef(ref)} is ${row.status}; it cannot become ${to} (provisional → validated → approved; to provisional, with a reason, sends a value back to its provider or reopens it).`,
        );
      }
      if (!allowed(actor, t, row.path)) {
        throw new HttpError(
          403,
          'forbidden',
          `observations.${item.i}: only ${WHO[t]} may ${VERB[t]} values of ${row.place}.`,
        );
      }
      if (t === 'send-back' && row.sent_back) {
        throw new HttpError(
          400,
          'bad_request',
          `observations.${item.i}: ${describeRef(ref)} was already sent back to its provider; it waits for their correction.`,
        );
      }
      rows.push({ ...row, t });
    }

    // A value sent back keeps its version: nothing of it changes but that it waits for its provider.
    const moved = rows.filter((r) => r.t !== 'send-back');
    if (moved.length) {
      const keys = JSON.stringify(moved.map((r) => ({ s: r.series_id, p: r.place_id, per: r.period, d: r.disagg_id })));
      const KEYS = `jsonb_to_recordset($1::jsonb) AS k(s int, p int, per text, d int)`;
      const MATCH = 'o.series_id = k.s AND o.place_id = k.p AND o.period = k.per AND o.disagg_id = k.d';
      await conn.query(
        `INSERT INTO observation_history (series_id, place_id, period, disagg_id, version, value, unit, status, source_id, note,
            batch_id, valid_from, valid_to, replaced_by_batch, change)
         SELECT o.series_id, o.place_id, o.period, o.disagg_id, o.version, o.value, o.unit, o.status, o.source_id, o.note,
            o.batch_id, o.updated_at, now(), NULL, 'update'
           FROM observations o JOIN ${KEYS} ON ${MATCH}`,
        [keys],
      );
      await conn.query(
        `UPDATE observations o SET status = $2, version = o.version + 1, updated_at = now() FROM ${KEYS} WHERE ${MATCH}`,
        [keys, to],
      );
    }
    await appendEvents(
      conn,
      audit,
      rows.map((r) => ({
        series_id: r.series_id,
        place_id: r.place_id,
        period: r.period,
        disagg_id: r.disagg_id,
        version: r.t === 'send-back' ? r.version : r.version + 1,
        action: ACTION[r.t],
        from: r.status,
        to,
        value: Number(r.value),
        reason: reason ?? null,
      })),
    );
    await appendAudit(conn, audit, {
      action: 'status',
      entityType: 'observation',
      summary: summaryOf(rows.map((r) => r.t)),
      before: rows.map((r) => ({
        indicator: r.indicator,
        series: r.series,
        place: r.place,
        period: r.period,
        disaggId: r.disagg_id,
        status: r.status,
        version: r.version,
      })),
      after: {
        to,
        ...(reason ? { reason } : {}),
        observations: rows.map((r) => {
          const ref = change.observations[r.i]!;
          return {
            indicator: r.indicator,
            series: r.series,
            place: r.place,
            period: r.period,
            dims: ref.dims ?? {},
            action: ACTION[r.t],
            from: r.status,
            to,
            version: r.t === 'send-back' ? r.version : r.version + 1,
          };
        }),
      },
    });
    return { changed: rows.length, to };
  });
}

/** A value in an inbox (approval-inbox.ts). */
export type InboxItem = InboxValue;
export interface InvitationItem {
  userId: number;
  email: string;
  invitedAt: string;
  expiresAt: string | null;
  expired: boolean;
}
export interface Inbox {
  toValidate: number;
  toApprove: number;
  /** Values sent back to the user (they provide them), waiting for their correction. */
  sentBack: number;
  /** Values of the places the user validates or approves, sent back and not yet corrected by their provider. */
  awaitingCorrection: number;
  /** Administrators: invitations not yet accepted (an expired one needs a new link). */
  invitations: { pending: number; expired: number; items: InvitationItem[] };
  /**
   * Review assignments waiting for the reviewer: a declaration of conflicts, or a recommendation
   * (reviews/review-assignments.ts).
   */
  reviews: { count: number; items: MyAssignment[] };
  items: {
    toValidate: InboxItem[];
    toApprove: InboxItem[];
    sentBack: InboxItem[];
    awaitingCorrection: InboxItem[];
    /** Values the user may reopen: the latest approved through the inbox at the places they approve. */
    approved: InboxItem[];
  };
}

/** Subtree patterns (path LIKE) of the places the actor holds one of the roles on; null = all places. */
function scopeOf(actor: Actor, roles: readonly string[]): Scope {
  if (isAdministrator(actor)) return null;
  return roleScopeOf(actor, roles);
}

/** The places of the actor's roles only (an administrator's role covers none). */
function roleScopeOf(actor: Actor, roles: readonly string[]): string[] {
  if (actor.kind === 'token' && !scopeAllows(actor, 'observations:write')) return [];
  return [...new Set(actor.roles.filter((r) => roles.includes(r.role) && r.placePath).map((r) => `${r.placePath}%`))];
}

/**
 * What waits for the actor: values to validate and to approve, values sent back to them for correction, values of
 * their places waiting for their provider's correction, counted, with the first `limit` of each; the latest values
 * approved at their places (to reopen one); invitations and review assignments.
 */
export async function inboxOf(store: Store, actor: Actor, limit = 50): Promise<Inbox> {
  const validates = scopeOf(actor, VALIDATOR_ROLES);
  const approves = scopeOf(actor, APPROVER_ROLES);
  const reviewing: Scope = validates === null || approves === null ? null : [...new Set([...validates, ...approves])];
  const { v, a, back, awaiting, approved } = await store.exclusive(async (conn) => {
    const v = await waitingValues(conn, 'provisional', validates, limit);
    const a = await waitingValues(conn, 'validated', approves, limit);
    const provider = { user: actor.userId, places: roleScopeOf(actor, PROVIDER_ROLES) };
    const back = await sentBackValues(conn, { provider }, limit);
    const awaiting = await sentBackValues(conn, { scope: reviewing, except: provider }, limit);
    const approved = await approvedValues(conn, approves, 20);
    return { v, a, back, awaiting, approved };
  });
  const invitations = isAdministrator(actor)
    ? await pendingInvitations(store, limit)
    : { pending: 0, expired: 0, items: [] };
  const assigned =
    actor.userId === null ? [] : await store.exclusive((conn) => myAssignments(conn, actor.userId!, true));
  const reviews = { count: assigned.length, items: assigned.slice(0, limit) };
  return {
    toValidate: v.count,
    toApprove: a.count,
    sentBack: back.count,
    awaitingCorrection: awaiting.count,
    invitations,
    reviews,
    items: {
      toValidate: v.items,
      toApprove: a.items,
      sentBack: back.items,
      awaitingCorrection: awaiting.items,
      approved,
    },
  };
}

/** Accounts invited and not yet active, with their latest invitation link's expiry. */
async function pendingInvitations(store: Store, limit: number): Promise<Inbox['invitations']> {
  const rows = await store.exclusive(
    async (conn) =>
      (
        await conn.query<{ id: number; email: string; created_at: Date | string; expires_at: Date | string | null }>(
          `SELECT u.id, u.email, u.created_at, (SELECT max(t.expires_at) FROM user_tokens t WHERE t.user_id = u.id AND t.kind = 'invitation' AND t.used_at IS NULL) AS expires_at
       FROM users u WHERE u.status = 'invited' ORDER BY u.created_at`,
        )
      ).rows,
  );
  const now = Date.now();
  const items = rows.map((r) => {
    const expiresAt = r.expires_at ? new Date(r.expires_at).toISOString() : null;
    return {
      userId: r.id,
      email: r.email,
      invitedAt: new Date(r.created_at).toISOString(),
      expiresAt,
      expired: !expiresAt || Date.parse(expiresAt) < now,
    };
  });
  return {
    pending: items.filter((i) => !i.expired).length,
    expired: items.filter((i) => i.expired).length,
    items: items.slice(0, limit),
  };
}
