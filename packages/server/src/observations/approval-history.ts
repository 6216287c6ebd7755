import { parsePeriod } from '@marsad/core';
import type { Store } from '@marsad/db';
import type { Actor } from '../auth/actor.ts';
import { canReadUnpublished } from '../auth/policy.ts';
import { HttpError } from '../http/errors.ts';
import { EVENT_KEY, type EventAction } from './approval-events.ts';
import { disaggregationKey } from './code-resolver.ts';

/**
 * The history of one value: its versions (observation_history and the current row: value, status, note, source, from
 * when to when, and the import that wrote it) and the steps of the approval workflow (observation_events: who entered,
 * corrected, validated, approved, sent back or reopened it, when, and the reason). Shown to those who may see the
 * place's unpublished values.
 */

export interface HistoryQuery {
  indicator: string;
  series?: string;
  place: string;
  period: string;
  /** CODE=VALUE pairs joined by "|"; absent or empty = the total. */
  dims?: string;
}

export interface ValueVersion {
  version: number;
  value: number;
  status: string;
  note: string | null;
  source: string | null;
  from: string;
  /** Null for the current version. */
  to: string | null;
  /** Who wrote it through an import (the batch's actor), else null. */
  importedBy: string | null;
}

export interface ValueStep {
  action: EventAction;
  fromStatus: string | null;
  toStatus: string;
  version: number;
  value: number;
  reason: string | null;
  by: string;
  at: string;
}

export interface ValueHistory {
  indicator: string;
  series: string;
  place: string;
  period: string;
  dims: Record<string, string>;
  status: string;
  version: number;
  /** Whether the value waits for its provider's correction (sent back or reopened since its last change). */
  sentBack: boolean;
  versions: ValueVersion[];
  steps: ValueStep[];
}

/** "SEX=F|AGE=Y15T24" as dimensions (parts may be URI-encoded). */
function dimsOf(text: string | undefined): Record<string, string> {
  const dims: Record<string, string> = {};
  for (const part of (text ?? '').split('|')) {
    if (!part.trim()) continue;
    const eq = part.indexOf('=');
    if (eq <= 0 || eq === part.length - 1)
      throw new HttpError(400, 'bad_request', `dims: "${part}" is not CODE=VALUE (e.g. SEX=F|AGE=Y15T24).`);
    const decode = (s: string) => {
      try {
        return decodeURIComponent(s.trim());
      } catch {
        return s.trim();
      }
    };
    dims[decode(part.slice(0, eq))] = decode(part.slice(eq + 1));
  }
  return dims;
}

const iso = (v: Date | string) => new Date(v).toISOString();

export async function valueHistory(store: Store, actor: Actor, q: HistoryQuery): Promise<ValueHistory> {
  const p = parsePeriod(q.period);
  if (!p.ok) throw new HttpError(400, 'bad_request', `period: ${p.message}`);
  const dims = dimsOf(q.dims);
  const place = await store.db
    .selectFrom('places')
    .select(['id', 'code', 'path'])
    .where('code', '=', q.place)
    .executeTakeFirst();
  if (!place) throw new HttpError(404, 'not_found', `place: no place with code "${q.place}".`);
  if (!canReadUnpublished(actor, place.path))
    throw new HttpError(
      403,
      'forbidden',
      `place: only the focal points and data validators of ${place.code} (or of a place above it) and administrators may read the history of its values.`,
    );
  return store.exclusive(async (conn) => {
    const found = await conn.query<{
      series_id: number;
      disagg_id: number;
      series: string;
      is_default: boolean;
      status: string;
      version: number;
      value: number | string;
      note: string | null;
      source: string | null;
      updated_at: Date | string;
      actor: string | null;
      sent_back: boolean;
    }>(
      `SELECT o.series_id, o.disagg_id, s.code AS series, s.is_default, o.status, o.version, o.value, o.note,
              src.name AS source, o.updated_at, b.actor,
              EXISTS (SELECT 1 FROM observation_events e WHERE ${EVENT_KEY('e', 'o')}
                 AND e.action IN ('sent-back', 'reopened') AND e.version = o.version AND e.at >= o.updated_at) AS sent_back
         FROM observations o
         JOIN indicators i ON i.id = o.indicator_id
         JOIN series s ON s.id = o.series_id
         JOIN disaggregations d ON d.id = o.disagg_id
         LEFT JOIN sources src ON src.id = o.source_id
         LEFT JOIN import_batches b ON b.id = o.batch_id
        WHERE i.code = $1 AND o.place_id = $2 AND o.period = $3 AND d.key = $4
          AND ($5::text IS NULL OR s.code = $5 OR $5 = ANY(s.aliases))`,
      [q.indicator, place.id, p.period.code, disaggregationKey(dims), q.series ?? null],
    );
    let rows = found.rows;
    if (rows.length > 1) rows = rows.filter((r) => r.is_default);
    const cur = rows[0];
    if (!cur || rows.length > 1)
      throw new HttpError(
        rows.length > 1 ? 400 : 404,
        rows.length > 1 ? 'bad_request' : 'not_found',
        rows.length > 1
          ? `series: ${q.indicator} ${q.place} ${p.period.code} exists in several series; name the series.`
          : `No value of ${q.indicator}${q.series ? ` (${q.series})` : ''} for ${q.place} ${p.period.code}${Object.keys(dims).length ? ` ${disaggregationKey(dims)}` : ''}.`,
      );
    const key = [cur.series_id, place.id, p.period.code, cur.disagg_id];
    const earlier = await conn.query<{
      version: number;
      value: number | string;
      status: string;
      note: string | null;
      source: string | null;
      valid_from: Date | string;
      valid_to: Date | string;
      actor: string | null;
    }>(
      `SELECT h.version, h.value, h.status, h.note, src.name AS source, h.valid_from, h.valid_to, b.actor
         FROM observation_history h
         LEFT JOIN sources src ON src.id = h.source_id
         LEFT JOIN import_batches b ON b.id = h.batch_id
        WHERE h.series_id = $1 AND h.place_id = $2 AND h.period = $3 AND h.disagg_id = $4
        ORDER BY h.version`,
      key,
    );
    const steps = await conn.query<{
      action: EventAction;
      from_status: string | null;
      to_status: string;
      version: number;
      value: number | string;
      reason: string | null;
      by: string;
      at: Date | string;
    }>(
      `SELECT e.action, e.from_status, e.to_status, e.version, e.value, e.reason,
              coalesce(u.display_name, u.email, e.actor_label) AS by, e.at
         FROM observation_events e LEFT JOIN users u ON u.id = e.user_id
        WHERE e.series_id = $1 AND e.place_id = $2 AND e.period = $3 AND e.disagg_id = $4
        ORDER BY e.id`,
      key,
    );
    return {
      indicator: q.indicator,
      series: cur.series,
      place: place.code,
      period: p.period.code,
      dims,
      status: cur.status,
      version: cur.version,
      sentBack: cur.sent_back,
      versions: [
        ...earlier.rows.map((h) => ({
          version: h.version,
          value: Number(h.value),
          status: h.status,
          note: h.note,
          source: h.source,
          from: iso(h.valid_from),
          to: iso(h.valid_to),
          importedBy: h.actor,
        })),
        {
          version: cur.version,
          value: Number(cur.value),
          status: cur.status,
          note: cur.note,
          source: cur.source,
          from: iso(cur.updated_at),
          to: null,
          importedBy: cur.actor,
        },
      ],
      steps: steps.rows.map((s) => ({
        action: s.action,
        fromStatus: s.from_status,
        toStatus: s.to_status,
        version: s.version,
        value: Number(s.value),
        reason: s.reason,
        by: s.by,
        at: iso(s.at),
      })),
    };
  });
}
