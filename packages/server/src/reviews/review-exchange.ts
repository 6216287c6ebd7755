/**
 * The exchange of a review: comments on one answer or on the whole submission and replies to
 * them, the reviewers' recommendations, and the timeline. Authors are shown by role (and a
 * reviewer by the countries of their roles), never by name. Every write is audited.
 */

import { flattenQuestions, type ReviewRole } from '@marsad/core';
import type { SqlConn, Store } from '@marsad/db';
import { type AuditActor, appendAudit } from '../audit/audit-log.ts';
import type { Actor } from '../auth/actor.ts';
import { HttpError } from '../http/errors.ts';
import { iso, loadQuestionnaire } from './review-records.ts';
import { withStanding } from './review-submissions.ts';

export interface CommentView {
  id: number;
  round: number;
  parentId: number | null;
  questionPath: string | null;
  authorRole: string;
  authorCountries: string[];
  mine: boolean;
  body: string;
  language: string | null;
  createdAt: string;
}

export async function listComments(conn: SqlConn, actor: Actor, submissionId: number): Promise<CommentView[]> {
  await withStanding(conn, actor, submissionId);
  const rows = (
    await conn.query<{
      id: number;
      round: number;
      parent_id: number | null;
      question_path: string | null;
      author_role: string;
      author_user_id: number | null;
      body: string;
      language: string | null;
      created_at: Date | string;
      countries: string[] | null;
    }>(
      `SELECT c.*, CASE WHEN c.assignment_id IS NULL THEN NULL ELSE
             (SELECT array_agg(DISTINCT cp.code ORDER BY cp.code) FROM review_assignments a JOIN role_assignments ra ON ra.user_id = a.reviewer_user_id
                JOIN places rp ON rp.id = ra.place_id JOIN places cp ON cp.id = split_part(rp.path, '/', 2)::int WHERE a.id = c.assignment_id) END AS countries
        FROM review_comments c WHERE c.submission_id = $1 ORDER BY c.created_at, c.id`,
      [submissionId],
    )
  ).rows;
  return rows.map((r) => ({
    id: r.id,
    round: r.round,
    parentId: r.parent_id,
    questionPath: r.question_path,
    authorRole: r.author_role,
    authorCountries: r.countries ?? [],
    mine: actor.userId !== null && r.author_user_id === actor.userId,
    body: r.body,
    language: r.language,
    createdAt: iso(r.created_at)!,
  }));
}

/** Whether a path names an instance of a question of the questionnaire: `name`, or `repeat/0/name`. */
function validPath(names: Map<string, string[]>, path: string): boolean {
  const parts = path.split('/');
  if (parts.length % 2 === 0) return false;
  const last = parts[parts.length - 1]!;
  const repeats = names.get(last);
  if (!repeats) return false;
  const given = parts.filter((_, i) => i % 2 === 0).slice(0, -1);
  const indices = parts.filter((_, i) => i % 2 === 1);
  return (
    indices.every((x) => /^\d{1,4}$/.test(x)) &&
    given.length === repeats.length &&
    given.every((g, i) => g === repeats[i])
  );
}

export interface CommentBody {
  body: string;
  questionPath?: string | null;
  replyTo?: number;
  language?: string;
}

/**
 * Who comments when: reviewers while the submission is in review; the submitter replies to
 * comments while it is in review or revision requested; administrators from submission until
 * publication.
 */
export async function addComment(
  store: Store,
  actor: Actor,
  audit: AuditActor,
  submissionId: number,
  body: CommentBody,
): Promise<CommentView> {
  return store.exclusive(async (conn) => {
    const { sub, standing } = await withStanding(conn, actor, submissionId, true);
    const roles = standing.roles;
    let role: ReviewRole | null = null;
    if (roles.includes('reviewer') && sub.state === 'in-review')
      role = roles.includes('lead-reviewer') ? 'lead-reviewer' : 'reviewer';
    else if (
      roles.includes('submitter') &&
      ['in-review', 'revision-requested'].includes(sub.state) &&
      body.replyTo !== undefined
    )
      role = 'submitter';
    else if (
      roles.includes('administrator') &&
      ['submitted', 'in-review', 'revision-requested', 'accepted'].includes(sub.state)
    )
      role = 'administrator';
    if (!role) {
      if (!roles.includes('administrator') && !roles.includes('reviewer') && body.replyTo === undefined) {
        throw new HttpError(
          403,
          'forbidden',
          `The focal points of ${sub.place.code} answer the reviewers' comments (give replyTo); they do not open new ones.`,
        );
      }
      throw new HttpError(
        409,
        'conflict',
        `Submission ${submissionId} is ${sub.state}: reviewers comment while it is in review, the submitter replies while it is in review or revision requested, administrators comment from submission until publication.`,
      );
    }
    let questionPath = body.questionPath ?? null;
    if (body.replyTo !== undefined) {
      const parent = (
        await conn.query<{ question_path: string | null }>(
          'SELECT question_path FROM review_comments WHERE id = $1 AND submission_id = $2',
          [body.replyTo, submissionId],
        )
      ).rows[0];
      if (!parent)
        throw new HttpError(400, 'bad_request', `replyTo: no comment ${body.replyTo} on submission ${submissionId}.`);
      questionPath = parent.question_path;
    } else if (questionPath !== null) {
      const q = await loadQuestionnaire(conn, sub.cycle.questionnaireVersionId);
      const names = new Map(flattenQuestions(q.questions).map((l) => [l.node.name, l.repeats]));
      if (!validPath(names, questionPath))
        throw new HttpError(
          400,
          'bad_request',
          `questionPath: "${questionPath}" is not a question of the questionnaire (a name, or repeat/index/name inside a repeat).`,
        );
    }
    const row = (
      await conn.query<{ id: number }>(
        `INSERT INTO review_comments (submission_id, round, parent_id, question_path, author_user_id, author_role, assignment_id, body, language)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
        [
          submissionId,
          sub.round,
          body.replyTo ?? null,
          questionPath,
          actor.userId,
          role,
          role.endsWith('reviewer') ? standing.assignment!.id : null,
          body.body,
          body.language ?? null,
        ],
      )
    ).rows[0]!;
    await conn.query(
      `INSERT INTO review_events (submission_id, kind, round, actor_user_id, actor_role, assignment_id, note) VALUES ($1, 'commented', $2, $3, $4, $5, $6)`,
      [
        submissionId,
        sub.round,
        actor.userId,
        role,
        role.endsWith('reviewer') ? standing.assignment!.id : null,
        questionPath ? `on ${questionPath}` : body.replyTo !== undefined ? 'reply' : 'overall',
      ],
    );
    await appendAudit(conn, audit, {
      action: 'create',
      entityType: 'review-comment',
      entityId: row.id,
      summary: `Comment on submission ${submissionId} (${questionPath ?? 'overall'}) by the ${role}`,
      after: {
        submissionId,
        round: sub.round,
        replyTo: body.replyTo ?? null,
        questionPath,
        body: body.body,
        language: body.language ?? null,
      },
    });
    return (await listComments(conn, actor, submissionId)).find((c) => c.id === row.id)!;
  });
}

export interface RecommendationBody {
  recommendation: 'accept' | 'revise';
  summary?: string;
  language?: string;
}

/**
 * An active reviewer's recommendation for the current round, while in review (given again, it replaces the earlier one
 * of the round).
 */
export async function recommend(
  store: Store,
  actor: Actor,
  audit: AuditActor,
  submissionId: number,
  body: RecommendationBody,
): Promise<{ assignmentId: number; round: number; recommendation: string; summary: string }> {
  return store.exclusive(async (conn) => {
    const { sub, standing } = await withStanding(conn, actor, submissionId, true);
    if (!standing.roles.includes('reviewer'))
      throw new HttpError(403, 'forbidden', `Only the reviewers assigned to submission ${submissionId} recommend.`);
    if (sub.state !== 'in-review')
      throw new HttpError(
        409,
        'conflict',
        `Submission ${submissionId} is ${sub.state}: recommendations are given while it is in review.`,
      );
    const a = standing.assignment!;
    await conn.query(
      `INSERT INTO review_recommendations (assignment_id, round, recommendation, summary, language) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (assignment_id, round) DO UPDATE SET recommendation = EXCLUDED.recommendation, summary = EXCLUDED.summary, language = EXCLUDED.language, updated_at = now()`,
      [a.id, sub.round, body.recommendation, body.summary ?? '', body.language ?? null],
    );
    await conn.query(
      `INSERT INTO review_events (submission_id, kind, round, actor_user_id, actor_role, assignment_id, note) VALUES ($1, 'recommended', $2, $3, $4, $5, $6)`,
      [submissionId, sub.round, actor.userId, a.lead ? 'lead-reviewer' : 'reviewer', a.id, body.recommendation],
    );
    await appendAudit(conn, audit, {
      action: 'recommend',
      entityType: 'review-submission',
      entityId: submissionId,
      summary: `Reviewer recommends "${body.recommendation}" for submission ${submissionId}, round ${sub.round}`,
      after: { assignmentId: a.id, round: sub.round, recommendation: body.recommendation, summary: body.summary ?? '' },
    });
    return { assignmentId: a.id, round: sub.round, recommendation: body.recommendation, summary: body.summary ?? '' };
  });
}

export interface TimelineEvent {
  id: number;
  at: string;
  kind: string;
  action: string | null;
  from: string | null;
  to: string | null;
  round: number;
  actorRole: string | null;
  assignmentId: number | null;
  note: string | null;
}

export async function timeline(conn: SqlConn, actor: Actor, submissionId: number): Promise<TimelineEvent[]> {
  await withStanding(conn, actor, submissionId);
  const rows = (
    await conn.query<{
      id: number;
      at: Date | string;
      kind: string;
      action: string | null;
      from_state: string | null;
      to_state: string | null;
      round: number;
      actor_role: string | null;
      assignment_id: number | null;
      note: string | null;
    }>(
      'SELECT id, at, kind, action, from_state, to_state, round, actor_role, assignment_id, note FROM review_events WHERE submission_id = $1 ORDER BY at, id',
      [submissionId],
    )
  ).rows;
  return rows.map((r) => ({
    id: r.id,
    at: iso(r.at)!,
    kind: r.kind,
    action: r.action,
    from: r.from_state,
    to: r.to_state,
    round: r.round,
    actorRole: r.actor_role,
    assignmentId: r.assignment_id,
    note: r.note,
  }));
}
