/**
 * Reviewer assignments: who may review a submission (users with the reviewer role, never from
 * the participating place's country: no role of theirs on a place of that country), the
 * assignment rule (fewest open assignments first, different countries preferred), the
 * declaration of conflicts of interest, withdrawal. An assignment gives a record grant on the
 * submission; a declared conflict or a withdrawal takes it away. docs/methods/reviews.md.
 */
import type { SqlConn, Store } from '@marsad/db';
import { type AuditActor, appendAudit } from '../audit/audit-log.ts';
import type { Actor } from '../auth/actor.ts';
import { HttpError } from '../http/errors.ts';
import {
  type AssignmentRow,
  fromJson,
  iso,
  loadAssignments,
  loadSubmission,
  REVIEW_GRANT,
  type SubmissionRow,
} from './review-records.ts';

/** States in which reviewers may be assigned or withdrawn. */
const ASSIGNABLE = ['submitted', 'in-review', 'revision-requested'];

export interface Candidate {
  userId: number;
  displayName: string | null;
  email: string;
  /** Countries of the user's roles (codes). */
  countries: string[];
  /** Open assignments: awaiting declaration or active, on submissions not yet accepted or published. */
  openAssignments: number;
  eligible: boolean;
  /** Why not, when not eligible. */
  reason: string | null;
}

/** Every user with the reviewer role, each marked eligible or not for this submission, in the rule's order. */
export async function reviewerCandidates(conn: SqlConn, sub: SubmissionRow): Promise<Candidate[]> {
  const rows = (
    await conn.query<{
      id: number;
      display_name: string | null;
      email: string;
      status: string;
      countries: string[] | null;
      open: number;
      assigned: string | null;
    }>(
      `SELECT u.id, u.display_name, u.email, u.status,
            (SELECT array_agg(DISTINCT cp.code ORDER BY cp.code) FROM role_assignments ra JOIN places rp ON rp.id = ra.place_id
               JOIN places cp ON cp.id = split_part(rp.path, '/', 2)::int WHERE ra.user_id = u.id) AS countries,
            (SELECT count(*)::int FROM review_assignments a JOIN review_submissions s ON s.id = a.submission_id
              WHERE a.reviewer_user_id = u.id AND a.status IN ('awaiting-declaration', 'active') AND s.state NOT IN ('accepted', 'published')) AS open,
            (SELECT a.status FROM review_assignments a WHERE a.reviewer_user_id = u.id AND a.submission_id = $1) AS assigned
       FROM users u
      WHERE EXISTS (SELECT 1 FROM role_assignments r WHERE r.user_id = u.id AND r.role = 'reviewer')
      ORDER BY open, u.id`,
      [sub.id],
    )
  ).rows;
  return rows.map((r) => {
    const countries = r.countries ?? [];
    const reason =
      r.status !== 'active'
        ? `the account is ${r.status}`
        : countries.includes(sub.place.countryCode)
          ? `holds a role in ${sub.place.countryCode}, the country of ${sub.place.code}`
          : r.assigned
            ? `already assigned to this submission (${r.assigned})`
            : null;
    return {
      userId: r.id,
      displayName: r.display_name,
      email: r.email,
      countries,
      openAssignments: r.open,
      eligible: reason === null,
      reason,
    };
  });
}

/**
 * The assignment rule: among eligible reviewers, those with the fewest open assignments first
 * (then the oldest account), each next one from a country none of the chosen ones comes from
 * when there is one, so that a submission is read from several countries.
 */
export function chooseByRule(candidates: Candidate[], count: number): Candidate[] {
  const eligible = candidates
    .filter((c) => c.eligible)
    .sort((a, b) => a.openAssignments - b.openAssignments || a.userId - b.userId);
  const chosen: Candidate[] = [];
  const seen = new Set<string>();
  for (const c of eligible) {
    if (chosen.length === count) break;
    if (c.countries.some((k) => seen.has(k))) continue;
    chosen.push(c);
    for (const k of c.countries) seen.add(k);
  }
  for (const c of eligible) {
    if (chosen.length === count) break;
    if (!chosen.includes(c)) chosen.push(c);
  }
  return chosen;
}

export interface AssignBody {
  reviewers?: number[];
  rule?: { count: number };
  lead?: number;
}

export async function assignReviewers(
  store: Store,
  actor: Actor,
  audit: AuditActor,
  submissionId: number,
  body: AssignBody,
): Promise<AssignmentRow[]> {
  if ((body.reviewers === undefined) === (body.rule === undefined)) {
    throw new HttpError(
      400,
      'bad_request',
      'Give either reviewers (user ids) or rule ({"count": 2}), not both and not neither.',
    );
  }
  return store.exclusive(async (conn) => {
    const sub = await loadSubmission(conn, submissionId, true);
    if (!ASSIGNABLE.includes(sub.state)) {
      throw new HttpError(
        409,
        'conflict',
        `Reviewers are assigned to a submission that was submitted and is not yet accepted; submission ${submissionId} is ${sub.state}.`,
      );
    }
    const candidates = await reviewerCandidates(conn, sub);
    let chosen: Candidate[];
    if (body.rule) {
      chosen = chooseByRule(candidates, body.rule.count);
      if (chosen.length < body.rule.count) {
        throw new HttpError(
          409,
          'not_enough_reviewers',
          `Only ${chosen.length} reviewer(s) can be assigned to submission ${submissionId} (users with the reviewer role, active, from another country than ${sub.place.countryCode}, not yet assigned); ${body.rule.count} were asked for.`,
        );
      }
    } else {
      const ids = [...new Set(body.reviewers!)];
      const problems = ids.flatMap((id) => {
        const c = candidates.find((x) => x.userId === id);
        if (!c) return [`user ${id} does not hold the reviewer role`];
        return c.eligible ? [] : [`user ${id}: ${c.reason}`];
      });
      if (problems.length) throw new HttpError(409, 'not_eligible', `reviewers: ${problems.join('; ')}.`, { problems });
      chosen = ids.map((id) => candidates.find((c) => c.userId === id)!);
    }
    const existing = await loadAssignments(conn, submissionId);
    const live = (a: AssignmentRow) => a.status === 'awaiting-declaration' || a.status === 'active';
    if (
      body.lead !== undefined &&
      !chosen.some((c) => c.userId === body.lead) &&
      !existing.some((a) => live(a) && a.reviewerUserId === body.lead)
    ) {
      throw new HttpError(
        400,
        'bad_request',
        `lead: user ${body.lead} is not among the reviewers of submission ${submissionId}.`,
      );
    }
    if (body.lead !== undefined)
      await conn.query('UPDATE review_assignments SET lead = false WHERE submission_id = $1 AND lead', [submissionId]);
    for (const c of chosen) {
      const a = (
        await conn.query<{ id: number }>(
          `INSERT INTO review_assignments (submission_id, reviewer_user_id, lead, chosen_by, assigned_by) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
          [submissionId, c.userId, body.lead === c.userId, body.rule ? 'rule' : 'administrator', actor.userId],
        )
      ).rows[0]!;
      await conn.query(
        `INSERT INTO record_grants (user_id, record_type, record_id, permission, granted_by) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
        [c.userId, REVIEW_GRANT.recordType, String(submissionId), REVIEW_GRANT.permission, actor.userId],
      );
      await conn.query(
        `INSERT INTO review_events (submission_id, kind, round, actor_user_id, actor_role, assignment_id, note) VALUES ($1, 'assigned', $2, $3, 'administrator', $4, $5)`,
        [
          submissionId,
          sub.round,
          actor.userId,
          a.id,
          `reviewer from ${c.countries.join(', ') || 'no country'}${body.rule ? ' (assignment rule)' : ''}`,
        ],
      );
    }
    if (body.lead !== undefined && !chosen.some((c) => c.userId === body.lead)) {
      await conn.query('UPDATE review_assignments SET lead = true WHERE submission_id = $1 AND reviewer_user_id = $2', [
        submissionId,
        body.lead,
      ]);
    }
    await appendAudit(conn, audit, {
      action: 'assign',
      entityType: 'review-submission',
      entityId: submissionId,
      summary: `Reviewers assigned to submission ${submissionId} (${sub.place.code}): users ${chosen.map((c) => c.userId).join(', ')}${body.rule ? ' by the assignment rule' : ''}`,
      after: {
        reviewers: chosen.map((c) => ({ userId: c.userId, countries: c.countries })),
        lead: body.lead ?? null,
        rule: body.rule ?? null,
      },
    });
    return loadAssignments(conn, submissionId);
  });
}

async function loadAssignment(conn: SqlConn, id: number): Promise<AssignmentRow> {
  const r = (
    await conn.query<{ submission_id: number }>(
      'SELECT submission_id FROM review_assignments WHERE id = $1 FOR UPDATE',
      [id],
    )
  ).rows[0];
  if (!r) throw new HttpError(404, 'not_found', `No review assignment ${id}.`);
  return (await loadAssignments(conn, r.submission_id)).find((a) => a.id === id)!;
}

async function removeGrant(conn: SqlConn, a: AssignmentRow): Promise<void> {
  await conn.query(
    'DELETE FROM record_grants WHERE user_id = $1 AND record_type = $2 AND record_id = $3 AND permission = $4',
    [a.reviewerUserId, REVIEW_GRANT.recordType, String(a.submissionId), REVIEW_GRANT.permission],
  );
}

/**
 * The assigned reviewer declares, before seeing the submission, whether they have a conflict of
 * interest. No conflict: the assignment becomes active. A conflict: it ends and its grant goes.
 */
export async function declare(
  store: Store,
  actor: Actor,
  audit: AuditActor,
  assignmentId: number,
  body: { conflict: boolean; statement?: string },
): Promise<AssignmentRow> {
  return store.exclusive(async (conn) => {
    const a = await loadAssignment(conn, assignmentId);
    if (actor.userId === null || a.reviewerUserId !== actor.userId)
      throw new HttpError(
        403,
        'forbidden',
        `Review assignment ${assignmentId} is another reviewer's; only they declare.`,
      );
    if (a.status !== 'awaiting-declaration')
      throw new HttpError(
        409,
        'conflict',
        `Review assignment ${assignmentId} is ${a.status}: the declaration was made already.`,
      );
    if (body.conflict && !body.statement?.trim())
      throw new HttpError(400, 'bad_request', 'statement: say what the conflict of interest is.');
    const status = body.conflict ? 'conflict-declared' : 'active';
    await conn.query(
      `UPDATE review_assignments SET status = $2, conflict = $3, declaration = $4, declared_at = now(), lead = CASE WHEN $3 THEN false ELSE lead END WHERE id = $1`,
      [assignmentId, status, body.conflict, body.statement ?? null],
    );
    if (body.conflict) await removeGrant(conn, a);
    const sub = await loadSubmission(conn, a.submissionId);
    await conn.query(
      `INSERT INTO review_events (submission_id, kind, round, actor_user_id, actor_role, assignment_id, note) VALUES ($1, 'declared', $2, $3, 'reviewer', $4, $5)`,
      [
        a.submissionId,
        sub.round,
        actor.userId,
        assignmentId,
        body.conflict ? 'conflict of interest declared: the reviewer steps aside' : 'no conflict of interest',
      ],
    );
    await appendAudit(conn, audit, {
      action: 'declare',
      entityType: 'review-assignment',
      entityId: assignmentId,
      summary: `Reviewer of submission ${a.submissionId} declared ${body.conflict ? 'a conflict of interest' : 'no conflict of interest'}`,
      after: { conflict: body.conflict, statement: body.statement ?? null, status },
    });
    return (await loadAssignments(conn, a.submissionId)).find((x) => x.id === assignmentId)!;
  });
}

/** An administrator withdraws a reviewer (the grant goes; comments and recommendations stay). */
export async function withdraw(
  store: Store,
  actor: Actor,
  audit: AuditActor,
  assignmentId: number,
): Promise<AssignmentRow> {
  return store.exclusive(async (conn) => {
    const a = await loadAssignment(conn, assignmentId);
    if (a.status === 'withdrawn' || a.status === 'conflict-declared')
      throw new HttpError(409, 'conflict', `Review assignment ${assignmentId} is ${a.status} already.`);
    const sub = await loadSubmission(conn, a.submissionId);
    if (!ASSIGNABLE.includes(sub.state))
      throw new HttpError(
        409,
        'conflict',
        `Submission ${a.submissionId} is ${sub.state}: its reviewers stay as they were.`,
      );
    await conn.query(
      `UPDATE review_assignments SET status = 'withdrawn', withdrawn_at = now(), lead = false WHERE id = $1`,
      [assignmentId],
    );
    await removeGrant(conn, a);
    await conn.query(
      `INSERT INTO review_events (submission_id, kind, round, actor_user_id, actor_role, assignment_id) VALUES ($1, 'withdrawn', $2, $3, 'administrator', $4)`,
      [a.submissionId, sub.round, actor.userId, assignmentId],
    );
    await appendAudit(conn, audit, {
      action: 'withdraw',
      entityType: 'review-assignment',
      entityId: assignmentId,
      summary: `Reviewer withdrawn from submission ${a.submissionId}`,
      before: { status: a.status, reviewerUserId: a.reviewerUserId },
    });
    return (await loadAssignments(conn, a.submissionId)).find((x) => x.id === assignmentId)!;
  });
}

export interface MyAssignment {
  id: number;
  status: string;
  lead: boolean;
  assignedAt: string;
  declaredAt: string | null;
  submission: {
    id: number;
    state: string;
    round: number;
    demo: boolean;
    place: { code: string; level: string; names: Record<string, string> };
    cycle: { id: number; kind: string; titles: Record<string, string> };
  };
  /**
   * What the reviewer is expected to do now: declare, recommend (in review without a recommendation this round), or
   * nothing.
   */
  awaiting: 'declaration' | 'recommendation' | null;
}

/**
 * The actor's assignments (withdrawn ones left out), newest first; `pendingOnly` keeps those waiting for the reviewer.
 */
export async function myAssignments(conn: SqlConn, userId: number, pendingOnly = false): Promise<MyAssignment[]> {
  const rows = (
    await conn.query<{
      id: number;
      status: string;
      lead: boolean;
      assigned_at: Date | string;
      declared_at: Date | string | null;
      submission_id: number;
      state: string;
      round: number;
      demo: boolean;
      code: string;
      level: string;
      names: unknown;
      cycle_id: number;
      kind: string;
      titles: unknown;
      recommended: boolean;
    }>(
      `SELECT a.id, a.status, a.lead, a.assigned_at, a.declared_at, s.id AS submission_id, s.state, s.round, c.demo, p.code, p.level, p.names, c.id AS cycle_id, c.kind, c.titles,
             EXISTS (SELECT 1 FROM review_recommendations r WHERE r.assignment_id = a.id AND r.round = s.round) AS recommended
        FROM review_assignments a JOIN review_submissions s ON s.id = a.submission_id JOIN review_cycles c ON c.id = s.cycle_id JOIN places p ON p.id = s.place_id
       WHERE a.reviewer_user_id = $1 AND a.status <> 'withdrawn' ORDER BY a.assigned_at DESC, a.id DESC`,
      [userId],
    )
  ).rows;
  return rows
    .map(
      (r): MyAssignment => ({
        id: r.id,
        status: r.status,
        lead: r.lead,
        assignedAt: iso(r.assigned_at)!,
        declaredAt: iso(r.declared_at),
        submission: {
          id: r.submission_id,
          state: r.state,
          round: r.round,
          demo: r.demo,
          place: { code: r.code, level: r.level, names: fromJson(r.names) },
          cycle: { id: r.cycle_id, kind: r.kind, titles: fromJson(r.titles) },
        },
        awaiting:
          r.status === 'awaiting-declaration'
            ? 'declaration'
            : r.status === 'active' && r.state === 'in-review' && !r.recommended
              ? 'recommendation'
              : null,
      }),
    )
    .filter((a) => !pendingOnly || a.awaiting !== null);
}
