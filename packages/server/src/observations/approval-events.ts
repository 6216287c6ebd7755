import type { SqlConn } from '@marsad/db';
import type { AuditActor } from '../audit/audit-log.ts';

/**
 * The steps of the approval workflow of each value (observation_events, migration 030): who entered, corrected,
 * validated, approved, sent back or reopened it, when, and the reason given. A value is sent back (waiting for its
 * provider's correction) while a `sent-back` or `reopened` step is at its current version and no later than its
 * last change: the provider's correction, like any other change, gives the value a new version.
 */

export type EventAction = 'entered' | 'corrected' | 'validated' | 'approved' | 'sent-back' | 'reopened';

/** The steps that give a value back to its provider (with a reason). */
export const RETURN_ACTIONS = ['sent-back', 'reopened'] as const;
export type ReturnAction = (typeof RETURN_ACTIONS)[number];

/** Shortest and longest reason for sending a value back or reopening it (after cleaning). */
export const REASON_MIN = 5;
export const REASON_MAX = 1000;

/** SQL: the key columns of observation_events `e` equal those of observations `o`. */
export const EVENT_KEY = (e: string, o: string) =>
  `${e}.series_id = ${o}.series_id AND ${e}.place_id = ${o}.place_id AND ${e}.period = ${o}.period AND ${e}.disagg_id = ${o}.disagg_id`;

/** SQL: whether the value `o` is sent back now (waiting for its provider). */
export const SENT_BACK = (o: string) =>
  `EXISTS (SELECT 1 FROM observation_events e_open WHERE ${EVENT_KEY('e_open', o)}
     AND e_open.action IN ('sent-back', 'reopened') AND e_open.version = ${o}.version AND e_open.at >= ${o}.updated_at)`;

/**
 * A reason as it is kept: Unicode NFC, without control characters (a tab becomes a space; line breaks are kept, at
 * most one empty line in a row) nor bidirectional controls (the page isolates user text itself, `dir="auto"`), spaces
 * collapsed, trimmed.
 */
export function cleanReason(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/\p{Cc}/gu, (c) => (c === '\n' ? c : c === '\t' ? ' ' : ''))
    .replace(/[\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/g, '')
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export interface NewEvent {
  series_id: number;
  place_id: number;
  period: string;
  disagg_id: number;
  /** The value's version after the step. */
  version: number;
  action: EventAction;
  from: string | null;
  to: string;
  value: number;
  reason: string | null;
}

/** Writes the steps, in the caller's transaction, by the actor of the request. */
export async function appendEvents(conn: SqlConn, actor: AuditActor, events: NewEvent[]): Promise<void> {
  if (!events.length) return;
  await conn.query(
    `INSERT INTO observation_events (series_id, place_id, period, disagg_id, version, action, from_status, to_status, value,
        reason, user_id, actor_label)
     SELECT x.series_id, x.place_id, x.period, x.disagg_id, x.version, x.action, x."from", x."to", x.value, x.reason, $2, $3
       FROM jsonb_to_recordset($1::jsonb) AS x(series_id int, place_id int, period text, disagg_id int, version int,
            action text, "from" text, "to" text, value float8, reason text)`,
    [JSON.stringify(events), actor.userId, actor.label],
  );
}
