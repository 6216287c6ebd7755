/**
 * Published reviews, open to the public: only submissions in the state `published` are read
 * here, with the answers of their latest submitted round, the questionnaire they answer, the
 * consolidated observations, the reviewers by country (never by name) and the dates of the
 * steps. Comments, recommendations, drafts and earlier rounds stay with the participants.
 * Listed by cycle and place name, never by any score (seed 000 §2: no ranking).
 */

import type { AnswerSet, Questionnaire } from '@marsad/core';
import type { SqlConn } from '@marsad/db';
import { HttpError } from '../http/errors.ts';
import { fromJson, iso } from './review-records.ts';

export interface PublishedSummary {
  id: number;
  demo: boolean;
  languages: string[];
  publishedAt: string;
  cycle: { id: number; kind: string; titles: Record<string, string>; startsOn: string; endsOn: string };
  place: { code: string; level: string; names: Record<string, string>; countryCode: string };
}

export interface PublishedReview extends PublishedSummary {
  questionnaire: { versionId: number; definition: Questionnaire };
  answers: AnswerSet;
  round: number;
  consolidated: Record<string, string>;
  reviewers: { countries: string[]; lead: boolean }[];
  steps: { action: string; to: string; round: number; at: string }[];
}

const SELECT = `SELECT s.id, c.demo, r.languages, s.published_at, c.id AS cycle_id, c.kind, c.titles, c.starts_on::text AS starts_on, c.ends_on::text AS ends_on,
       p.code, p.level, p.names, cp.code AS country_code
  FROM review_submissions s JOIN review_cycles c ON c.id = s.cycle_id JOIN places p ON p.id = s.place_id
  JOIN places cp ON cp.id = split_part(p.path, '/', 2)::int
  JOIN review_submission_rounds r ON r.submission_id = s.id AND r.round = s.round
 WHERE s.state = 'published'`;

interface Raw {
  id: number;
  demo: boolean;
  languages: string[];
  published_at: Date | string;
  cycle_id: number;
  kind: string;
  titles: unknown;
  starts_on: string;
  ends_on: string;
  code: string;
  level: string;
  names: unknown;
  country_code: string;
}

const summary = (r: Raw): PublishedSummary => ({
  id: r.id,
  demo: r.demo,
  languages: r.languages ?? [],
  publishedAt: iso(r.published_at)!,
  cycle: { id: r.cycle_id, kind: r.kind, titles: fromJson(r.titles), startsOn: r.starts_on, endsOn: r.ends_on },
  place: { code: r.code, level: r.level, names: fromJson(r.names), countryCode: r.country_code },
});

export async function listPublished(
  conn: SqlConn,
  filter: { cycle?: number; place?: string; limit: number; offset: number },
): Promise<{ total: number; items: PublishedSummary[] }> {
  const params: unknown[] = [];
  let where = '';
  if (filter.cycle !== undefined) {
    params.push(filter.cycle);
    where += ` AND c.id = $${params.length}`;
  }
  if (filter.place !== undefined) {
    params.push(filter.place);
    where += ` AND (p.code = $${params.length} OR cp.code = $${params.length})`;
  }
  const total = (await conn.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${SELECT}${where}) x`, params))
    .rows[0]!.n;
  const rows = (
    await conn.query<Raw>(
      `${SELECT}${where} ORDER BY c.starts_on DESC, c.id DESC, p.code LIMIT ${filter.limit} OFFSET ${filter.offset}`,
      params,
    )
  ).rows;
  return { total, items: rows.map(summary) };
}

export async function getPublished(conn: SqlConn, id: number): Promise<PublishedReview> {
  const r = (
    await conn.query<
      Raw & { answers: unknown; round: number; consolidated: unknown; definition: unknown; version_id: number }
    >(
      `SELECT x.*, s.round, s.consolidated, rr.answers, v.definition, v.id AS version_id
       FROM (${SELECT} AND s.id = $1) x JOIN review_submissions s ON s.id = x.id JOIN review_cycles c ON c.id = s.cycle_id
       JOIN questionnaire_versions v ON v.id = c.questionnaire_version_id
       JOIN review_submission_rounds rr ON rr.submission_id = s.id AND rr.round = s.round`,
      [id],
    )
  ).rows[0];
  if (!r) throw new HttpError(404, 'not_found', `No published review ${id}.`);
  const reviewers = (
    await conn.query<{ lead: boolean; countries: string[] | null }>(
      `SELECT a.lead, (SELECT array_agg(DISTINCT cp.code ORDER BY cp.code) FROM role_assignments ra JOIN places rp ON rp.id = ra.place_id
                      JOIN places cp ON cp.id = split_part(rp.path, '/', 2)::int WHERE ra.user_id = a.reviewer_user_id) AS countries
       FROM review_assignments a WHERE a.submission_id = $1 AND a.status = 'active' ORDER BY a.lead DESC, a.id`,
      [id],
    )
  ).rows;
  const steps = (
    await conn.query<{ action: string; to_state: string; round: number; at: Date | string }>(
      `SELECT action, to_state, round, at FROM review_events WHERE submission_id = $1 AND kind = 'transition' ORDER BY at, id`,
      [id],
    )
  ).rows;
  return {
    ...summary(r),
    questionnaire: { versionId: r.version_id, definition: fromJson(r.definition) },
    answers: fromJson(r.answers),
    round: r.round,
    consolidated: fromJson(r.consolidated),
    reviewers: reviewers.map((x) => ({ countries: x.countries ?? [], lead: x.lead })),
    steps: steps.map((s) => ({ action: s.action, to: s.to_state, round: s.round, at: iso(s.at)! })),
  };
}
