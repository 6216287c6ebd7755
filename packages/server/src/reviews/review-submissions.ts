/**
 * Submissions: what a reader sees, saving draft answers, and the transitions of the state
 * machine (core review-states.ts) with the conditions that need data. Every write is audited in
 * its transaction and every transition is an event of the submission's timeline.
 */

import {
  type AnswerSet,
  answerIn,
  availableActions,
  checkTransition,
  EDITABLE_STATES,
  evaluateForm,
  type FormState,
  flattenQuestions,
  type Questionnaire,
  type ReviewAction,
  type ReviewRole,
  STRUCTURAL_ISSUES,
} from '@marsad/core';
import type { SqlConn, Store } from '@marsad/db';
import { type AuditActor, appendAudit } from '../audit/audit-log.ts';
import type { Actor } from '../auth/actor.ts';
import { HttpError } from '../http/errors.ts';
import {
  type AssignmentRow,
  fromJson,
  iso,
  loadAssignments,
  loadQuestionnaire,
  loadSubmission,
  type RawSubmission,
  requireStanding,
  type Standing,
  SUBMISSION_SELECT,
  type SubmissionRow,
  standingOn,
  submissionOf,
  todayIso,
} from './review-records.ts';

export interface ReferenceProblem {
  path: string;
  name: string;
  type: 'indicator' | 'knowledge_item';
  value: string;
  message: string;
}

/** Every answer to an indicator or knowledge-item question, with its path (repeats included). */
function referenceAnswers(
  q: Questionnaire,
  answers: AnswerSet,
): { path: string; name: string; type: 'indicator' | 'knowledge_item'; value: string }[] {
  const located = flattenQuestions(q.questions);
  const out: { path: string; name: string; type: 'indicator' | 'knowledge_item'; value: string }[] = [];
  const walk = (set: AnswerSet, prefix: string, repeat: string | null) => {
    for (const loc of located) {
      if ((loc.repeats[loc.repeats.length - 1] ?? null) !== repeat) continue;
      const node = loc.node;
      const v = answerIn(set, node.name);
      if (node.type === 'repeat' && Array.isArray(v)) {
        (v as AnswerSet[]).forEach((inst, i) => {
          if (inst && typeof inst === 'object' && !Array.isArray(inst))
            walk(inst, `${prefix}${node.name}/${i}/`, node.name);
        });
      } else if ((node.type === 'indicator' || node.type === 'knowledge_item') && typeof v === 'string' && v !== '') {
        out.push({ path: prefix + node.name, name: node.name, type: node.type, value: v });
      }
    }
  };
  walk(answers, '', null);
  return out;
}

/**
 * Answers citing an indicator must name an indicator of the catalogue (its code); answers citing
 * an item of the knowledge repository must name a published item (its id): a review that is
 * published links to them.
 */
export async function checkReferences(
  conn: SqlConn,
  q: Questionnaire,
  answers: AnswerSet,
): Promise<ReferenceProblem[]> {
  const refs = referenceAnswers(q, answers);
  if (!refs.length) return [];
  const codes = [...new Set(refs.filter((r) => r.type === 'indicator').map((r) => r.value))];
  const known = new Set(
    codes.length
      ? (
          await conn.query<{ code: string }>('SELECT code FROM indicators WHERE code = ANY($1::text[])', [codes])
        ).rows.map((r) => r.code)
      : [],
  );
  const itemIds = [
    ...new Set(
      refs.filter((r) => r.type === 'knowledge_item' && /^\d{1,9}$/.test(r.value)).map((r) => Number(r.value)),
    ),
  ];
  const items = new Set<string>();
  if (itemIds.length) {
    const exists = (await conn.query<{ t: string | null }>(`SELECT to_regclass('knowledge_items')::text AS t`)).rows[0]
      ?.t;
    if (exists) {
      for (const r of (
        await conn.query<{ id: number }>(
          `SELECT id FROM knowledge_items WHERE id = ANY($1::int[]) AND status = 'published'`,
          [itemIds],
        )
      ).rows)
        items.add(String(r.id));
    }
  }
  return refs.flatMap((r) => {
    if (r.type === 'indicator' && !known.has(r.value))
      return [{ ...r, message: `${r.path}: no indicator "${r.value}" in the catalogue.` }];
    if (r.type === 'knowledge_item' && !items.has(r.value))
      return [{ ...r, message: `${r.path}: no published item "${r.value}" in the knowledge repository.` }];
    return [];
  });
}

/**
 * Problems that make answers unfit to be saved at all (not merely incomplete): core's list (a choice a choice filter
 * does not offer, more instances than a repeat_count gives, among them).
 */
const STRUCTURAL = new Set<string>(STRUCTURAL_ISSUES);

export interface SubmissionView {
  id: number;
  demo: boolean;
  state: string;
  round: number;
  languages: string[];
  /** Its name by the questionnaire's instance_name (as of the last save); null without one. */
  instanceName: string | null;
  cycle: SubmissionRow['cycle'];
  place: SubmissionRow['place'];
  questionnaireVersionId: number;
  /** The roles the reader holds on it, and the transitions those roles may make now. */
  myRoles: ReviewRole[];
  actions: ReviewAction[];
  /** Whether the reader may change the answers now. */
  editable: boolean;
  /** The answers being written (submitters and administrators only; reviewers read `submitted`). */
  answers: AnswerSet | null;
  /**
   * evaluateForm of `answers` (relevance, missing, failed constraints, calculated values), in the reader's language.
   */
  form: FormState | null;
  references: ReferenceProblem[] | null;
  /** The latest submitted round: what the reviewers read. */
  submitted: { round: number; answers: AnswerSet; languages: string[]; submittedAt: string } | null;
  rounds: { round: number; submittedAt: string }[];
  consolidated: Record<string, string>;
  reviewers: ReviewerView[];
  recommendations: {
    assignmentId: number;
    round: number;
    recommendation: string;
    summary: string;
    language: string | null;
    countries: string[];
    lead: boolean;
    at: string;
  }[];
  submittedAt: string | null;
  publishedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * A reviewer as the reader may see them: administrators see the user id and the declaration;
 * everyone else the countries of the reviewer's roles and whether they lead, never a name.
 */
export interface ReviewerView {
  assignmentId: number;
  lead: boolean;
  status: string;
  countries: string[];
  chosenBy: string;
  assignedAt: string;
  declaredAt: string | null;
  userId?: number;
  conflict?: boolean | null;
  declaration?: string | null;
  you: boolean;
}

export function reviewerView(a: AssignmentRow, admin: boolean, actor: Actor): ReviewerView {
  return {
    assignmentId: a.id,
    lead: a.lead,
    status: a.status,
    countries: a.countries,
    chosenBy: a.chosenBy,
    assignedAt: a.assignedAt,
    declaredAt: a.declaredAt,
    you: actor.userId !== null && a.reviewerUserId === actor.userId,
    ...(admin ? { userId: a.reviewerUserId, conflict: a.conflict, declaration: a.declaration } : {}),
  };
}

async function latestRound(
  conn: SqlConn,
  id: number,
): Promise<{ round: number; answers: AnswerSet; languages: string[]; submittedAt: string } | null> {
  const r = (
    await conn.query<{ round: number; answers: unknown; languages: string[]; submitted_at: Date | string }>(
      'SELECT round, answers, languages, submitted_at FROM review_submission_rounds WHERE submission_id = $1 ORDER BY round DESC LIMIT 1',
      [id],
    )
  ).rows[0];
  return r
    ? { round: r.round, answers: fromJson(r.answers), languages: r.languages ?? [], submittedAt: iso(r.submitted_at)! }
    : null;
}

export async function submissionView(
  conn: SqlConn,
  actor: Actor,
  id: number,
  language: string,
): Promise<SubmissionView> {
  const sub = await loadSubmission(conn, id);
  const assignments = await loadAssignments(conn, id);
  const standing = standingOn(actor, sub, assignments);
  requireStanding(standing, id);
  const writer = standing.roles.includes('submitter') || standing.roles.includes('administrator');
  const q = await loadQuestionnaire(conn, sub.cycle.questionnaireVersionId);
  const admin = standing.roles.includes('administrator');
  const rounds = (
    await conn.query<{ round: number; submitted_at: Date | string }>(
      'SELECT round, submitted_at FROM review_submission_rounds WHERE submission_id = $1 ORDER BY round',
      [id],
    )
  ).rows;
  const recs = (
    await conn.query<{
      assignment_id: number;
      round: number;
      recommendation: string;
      summary: string;
      language: string | null;
      updated_at: Date | string;
    }>(
      `SELECT r.assignment_id, r.round, r.recommendation, r.summary, r.language, r.updated_at FROM review_recommendations r
       JOIN review_assignments a ON a.id = r.assignment_id WHERE a.submission_id = $1 ORDER BY r.round, r.assignment_id`,
      [id],
    )
  ).rows;
  return {
    id: sub.id,
    demo: sub.cycle.demo,
    state: sub.state,
    round: sub.round,
    languages: sub.languages,
    instanceName: sub.instanceName,
    cycle: sub.cycle,
    place: sub.place,
    questionnaireVersionId: sub.cycle.questionnaireVersionId,
    myRoles: standing.roles,
    actions: availableActions(sub.state, standing.roles),
    editable: writer && EDITABLE_STATES.includes(sub.state),
    answers: writer ? sub.answers : null,
    form: writer ? evaluateForm(q, sub.answers, { today: todayIso(), language }) : null,
    references: writer ? await checkReferences(conn, q, sub.answers) : null,
    submitted: await latestRound(conn, id),
    rounds: rounds.map((r) => ({ round: r.round, submittedAt: iso(r.submitted_at)! })),
    consolidated: sub.consolidated,
    reviewers: assignments.map((a) => reviewerView(a, admin, actor)),
    recommendations: recs.map((r) => {
      const a = assignments.find((x) => x.id === r.assignment_id)!;
      return {
        assignmentId: r.assignment_id,
        round: r.round,
        recommendation: r.recommendation,
        summary: r.summary,
        language: r.language,
        countries: a.countries,
        lead: a.lead,
        at: iso(r.updated_at)!,
      };
    }),
    submittedAt: sub.submittedAt,
    publishedAt: sub.publishedAt,
    createdAt: sub.createdAt,
    updatedAt: sub.updatedAt,
  };
}

/** Loads a submission with the actor's standing, refusing (403) anyone who holds no role on it. */
export async function withStanding(
  conn: SqlConn,
  actor: Actor,
  id: number,
  forUpdate = false,
): Promise<{ sub: SubmissionRow; assignments: AssignmentRow[]; standing: Standing }> {
  const sub = await loadSubmission(conn, id, forUpdate);
  const assignments = await loadAssignments(conn, id);
  const standing = standingOn(actor, sub, assignments);
  requireStanding(standing, id);
  return { sub, assignments, standing };
}

function issuesDetails(form: FormState, references: ReferenceProblem[]) {
  return { missing: form.missing, constraintFailures: form.constraintFailures, invalid: form.invalid, references };
}

/**
 * Saves the answers being written (a draft, or a revision after reviewers asked for one): the
 * submitter or an administrator, while the submission is in draft or revision requested.
 * Answers that do not fit their questions, and references to indicators or items that do not
 * exist, are refused (400); missing answers and failed constraints are allowed in a draft and
 * returned in `form`.
 */
export async function saveAnswers(
  store: Store,
  actor: Actor,
  audit: AuditActor,
  id: number,
  body: {
    /** The answers, or (the offline sync) a function of the stored ones, called with the submission locked. */
    answers: AnswerSet | ((current: AnswerSet) => AnswerSet);
    languages?: string[];
  },
  language: string,
  /** Run in the saving transaction before it commits (the offline sync records its key there). */
  inTransaction?: (conn: SqlConn) => Promise<void>,
): Promise<SubmissionView> {
  return store.exclusive(async (conn) => {
    const { sub, standing } = await withStanding(conn, actor, id, true);
    if (!standing.roles.includes('submitter') && !standing.roles.includes('administrator')) {
      throw new HttpError(
        403,
        'forbidden',
        `Only the focal points of ${sub.place.code} (or an administrator) write the answers of submission ${id}.`,
      );
    }
    if (!EDITABLE_STATES.includes(sub.state)) {
      throw new HttpError(
        409,
        'read_only',
        `Submission ${id} is ${sub.state}: its answers are read-only until reviewers ask for a revision.`,
        { state: sub.state },
      );
    }
    const answers = typeof body.answers === 'function' ? body.answers(sub.answers) : body.answers;
    const q = await loadQuestionnaire(conn, sub.cycle.questionnaireVersionId);
    const form = evaluateForm(q, answers, { today: todayIso(), language });
    const structural = form.invalid.filter((i) => STRUCTURAL.has(i.code));
    const references = await checkReferences(conn, q, answers);
    if (structural.length || references.length) {
      const first = [
        ...structural.map((i) => `${i.path}: ${i.code}${i.value ? ` (${i.value})` : ''}`),
        ...references.map((r) => r.message),
      ];
      throw new HttpError(400, 'bad_request', `The answers were refused: ${first.slice(0, 5).join('; ')}`, {
        invalid: structural,
        references,
      });
    }
    const languages = body.languages ?? sub.languages;
    await conn.query(
      'UPDATE review_submissions SET answers = $2::jsonb, languages = $3::text[], instance_name = $4, updated_at = now() WHERE id = $1',
      [id, JSON.stringify(answers), languages, form.instanceName],
    );
    await appendAudit(conn, audit, {
      action: 'update',
      entityType: 'review-submission',
      entityId: id,
      summary: `Answers of submission ${id} (${sub.place.code}, cycle ${sub.cycleId}) saved in ${sub.state}`,
      after: { answers: answers, languages },
    });
    await inTransaction?.(conn);
    return submissionView(conn, actor, id, language);
  });
}

export interface TransitionBody {
  action: ReviewAction;
  note?: string;
  consolidated?: Record<string, string>;
}

const hasText = (t: Record<string, string>) => Object.values(t).some((s) => s.trim() !== '');

/**
 * Moves a submission: the table of core decides whether the move exists (409 if not) and whether
 * the actor's roles allow it (403); the conditions are checked here (409 or 422 with the reasons).
 */
export async function transition(
  store: Store,
  actor: Actor,
  audit: AuditActor,
  id: number,
  body: TransitionBody,
  language: string,
): Promise<SubmissionView> {
  return store.exclusive(async (conn) => {
    const { sub, assignments, standing } = await withStanding(conn, actor, id, true);
    const check = checkTransition(sub.state, body.action, standing.roles);
    if (!check.ok && check.reason === 'not-a-transition') {
      const can = availableActions(sub.state, standing.roles);
      throw new HttpError(
        409,
        'invalid_transition',
        `Submission ${id} is ${sub.state}: it cannot be moved by "${body.action}"${can.length ? `; you may: ${can.join(', ')}` : ''}.`,
        { state: sub.state, actions: can },
      );
    }
    if (!check.ok) {
      throw new HttpError(
        403,
        'forbidden',
        `"${body.action}" from ${sub.state} is for: ${check.allowedRoles.join(', ')}; on submission ${id} you are ${standing.roles.join(', ')}.`,
        { allowedRoles: check.allowedRoles },
      );
    }
    const t = check.transition;
    const active = assignments.filter((a) => a.status === 'active');
    let round = sub.round;
    const consolidated = body.consolidated ? { ...sub.consolidated, ...body.consolidated } : sub.consolidated;
    if (body.consolidated && !(body.action === 'accept' || body.action === 'publish')) {
      throw new HttpError(
        400,
        'bad_request',
        'consolidated: the consolidated observations are written when accepting or publishing.',
      );
    }
    if (t.action === 'submit') {
      const q = await loadQuestionnaire(conn, sub.cycle.questionnaireVersionId);
      const form = evaluateForm(q, sub.answers, { today: todayIso(), language });
      const references = await checkReferences(conn, q, sub.answers);
      if (!form.complete || references.length) {
        const n = form.missing.length + form.constraintFailures.length + form.invalid.length + references.length;
        throw new HttpError(
          422,
          'incomplete',
          `Submission ${id} cannot be submitted yet: ${form.missing.length} required answer(s) missing${
            form.missing.length
              ? ` (${form.missing
                  .slice(0, 5)
                  .map((m) => m.path)
                  .join(', ')})`
              : ''
          }, ${n - form.missing.length} other problem(s).`,
          issuesDetails(form, references),
        );
      }
      round = sub.round + 1;
      await conn.query(
        'INSERT INTO review_submission_rounds (submission_id, round, answers, languages, submitted_by) VALUES ($1, $2, $3::jsonb, $4::text[], $5)',
        [id, round, JSON.stringify(sub.answers), sub.languages, actor.userId],
      );
    }
    if (t.action === 'start-review' && active.length < 2) {
      throw new HttpError(
        409,
        'conditions_not_met',
        `The review of submission ${id} starts with at least two reviewers who declared no conflict of interest; ${active.length} did so far.`,
        { activeReviewers: active.length },
      );
    }
    if (t.action === 'request-revision' || t.action === 'accept') {
      const recs = (
        await conn.query<{ assignment_id: number; recommendation: string }>(
          'SELECT assignment_id, recommendation FROM review_recommendations WHERE round = $1 AND assignment_id = ANY($2::int[])',
          [sub.round, active.map((a) => a.id)],
        )
      ).rows;
      if (t.action === 'request-revision' && !recs.some((r) => r.recommendation === 'revise')) {
        throw new HttpError(
          409,
          'conditions_not_met',
          `No reviewer has recommended a revision of submission ${id} in round ${sub.round}.`,
        );
      }
      if (t.action === 'accept') {
        const waiting = active.filter((a) => !recs.some((r) => r.assignment_id === a.id));
        if (waiting.length)
          throw new HttpError(
            409,
            'conditions_not_met',
            `${waiting.length} reviewer(s) have not yet given their recommendation in round ${sub.round}.`,
            { waitingAssignments: waiting.map((a) => a.id) },
          );
      }
    }
    if ((t.action === 'accept' || t.action === 'publish') && !hasText(consolidated)) {
      throw new HttpError(
        422,
        'consolidated_required',
        `Write the reviewers' consolidated observations (consolidated: {"ar": "…", "en": "…"}) to ${t.action} submission ${id}.`,
      );
    }
    await conn.query(
      `UPDATE review_submissions SET state = $2, round = $3, consolidated = $4::jsonb, updated_at = now(),
         submitted_at = CASE WHEN $5 THEN now() ELSE submitted_at END, published_at = CASE WHEN $6 THEN now() ELSE published_at END WHERE id = $1`,
      [id, t.to, round, JSON.stringify(consolidated), t.action === 'submit', t.action === 'publish'],
    );
    const role = t.roles.find((r) => standing.roles.includes(r))!;
    await conn.query(
      `INSERT INTO review_events (submission_id, kind, action, from_state, to_state, round, actor_user_id, actor_role, note) VALUES ($1, 'transition', $2, $3, $4, $5, $6, $7, $8)`,
      [id, t.action, t.from, t.to, round, actor.userId, role, body.note ?? null],
    );
    await appendAudit(conn, audit, {
      action: t.action,
      entityType: 'review-submission',
      entityId: id,
      summary: `Submission ${id} (${sub.place.code}, cycle ${sub.cycleId}): ${t.from} → ${t.to} by the ${role}`,
      before: { state: t.from, round: sub.round },
      after: { state: t.to, round, note: body.note ?? null, ...(body.consolidated ? { consolidated } : {}) },
    });
    return submissionView(conn, actor, id, language);
  });
}

export interface SubmissionSummary {
  id: number;
  demo: boolean;
  state: string;
  round: number;
  cycle: SubmissionRow['cycle'];
  place: SubmissionRow['place'];
  /** Its name by the questionnaire's instance_name (as of the last save); null without one. */
  instanceName: string | null;
  myRoles: ReviewRole[];
  submittedAt: string | null;
  publishedAt: string | null;
  updatedAt: string;
}

/** The submissions the actor holds a role on (administrators: all), optionally of one cycle or state. */
export async function listSubmissions(
  conn: SqlConn,
  actor: Actor,
  filter: { cycle?: number; state?: string },
): Promise<SubmissionSummary[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.cycle !== undefined) {
    params.push(filter.cycle);
    where.push(`s.cycle_id = $${params.length}`);
  }
  if (filter.state !== undefined) {
    params.push(filter.state);
    where.push(`s.state = $${params.length}`);
  }
  const rows = (
    await conn.query<RawSubmission>(
      `${SUBMISSION_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY c.starts_on DESC, s.cycle_id DESC, p.code`,
      params,
    )
  ).rows.map(submissionOf);
  const out: SubmissionSummary[] = [];
  for (const sub of rows) {
    const standing = standingOn(actor, sub, await loadAssignments(conn, sub.id));
    if (!standing.roles.length) continue;
    out.push({
      id: sub.id,
      demo: sub.cycle.demo,
      state: sub.state,
      round: sub.round,
      cycle: sub.cycle,
      place: sub.place,
      instanceName: sub.instanceName,
      myRoles: standing.roles,
      submittedAt: sub.submittedAt,
      publishedAt: sub.publishedAt,
      updatedAt: sub.updatedAt,
    });
  }
  return out;
}
