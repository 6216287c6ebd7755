/**
 * Reading review cycles and submissions from the database (migration 013) into the shapes the
 * routes answer with, and the rules of who holds which role on a submission.
 * docs/methods/reviews.md.
 */

import type { AnswerSet, Questionnaire, ReviewRole, ReviewState } from '@marsad/core';
import type { SqlConn } from '@marsad/db';
import type { Actor } from '../auth/actor.ts';
import { hasGrant, isAdministrator, scopeAllows } from '../auth/policy.ts';
import { HttpError } from '../http/errors.ts';

export const CYCLE_KINDS = ['safer-cities-peer-review', 'voluntary-local-review', 'national-nua-report'] as const;
export type CycleKind = (typeof CYCLE_KINDS)[number];

/** The record grant an assignment gives on a submission. */
export const REVIEW_GRANT = { recordType: 'review-submission', permission: 'review' } as const;

export const iso = (d: Date | string | null | undefined): string | null =>
  d === null || d === undefined ? null : new Date(d).toISOString();

/** A jsonb value: PostgreSQL's driver parses it, some paths give text. */
export function fromJson<T>(v: unknown): T {
  return (typeof v === 'string' ? JSON.parse(v) : v) as T;
}

export interface PlaceRef {
  code: string;
  level: string;
  names: Record<string, string>;
  countryCode: string;
}

export interface SubmissionRow {
  id: number;
  cycleId: number;
  placeId: number;
  placePath: string;
  place: PlaceRef;
  state: ReviewState;
  answers: AnswerSet;
  /** Its name by the questionnaire's instance_name, as of the last save (migration 031); null without one. */
  instanceName: string | null;
  languages: string[];
  round: number;
  consolidated: Record<string, string>;
  submittedAt: string | null;
  publishedAt: string | null;
  createdAt: string;
  updatedAt: string;
  cycle: {
    id: number;
    kind: CycleKind;
    titles: Record<string, string>;
    startsOn: string;
    endsOn: string;
    questionnaireVersionId: number;
    demo: boolean;
  };
}

export interface RawSubmission {
  id: number;
  cycle_id: number;
  place_id: number;
  path: string;
  code: string;
  level: string;
  names: unknown;
  country_code: string;
  state: ReviewState;
  answers: unknown;
  instance_name: string | null;
  languages: string[];
  round: number;
  consolidated: unknown;
  submitted_at: Date | string | null;
  published_at: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
  kind: CycleKind;
  titles: unknown;
  starts_on: string;
  ends_on: string;
  questionnaire_version_id: number;
  demo: boolean;
}

/** The columns of a submission with its place (and its country's code) and cycle. */
export const SUBMISSION_SELECT = `
  SELECT s.id, s.cycle_id, s.place_id, p.path, p.code, p.level, p.names, c_place.code AS country_code,
         s.state, s.answers, s.instance_name, s.languages, s.round, s.consolidated, s.submitted_at, s.published_at, s.created_at, s.updated_at,
         c.kind, c.titles, c.starts_on::text AS starts_on, c.ends_on::text AS ends_on, c.questionnaire_version_id, c.demo
    FROM review_submissions s
    JOIN review_cycles c ON c.id = s.cycle_id
    JOIN places p ON p.id = s.place_id
    JOIN places c_place ON c_place.id = split_part(p.path, '/', 2)::int`;

export function submissionOf(r: RawSubmission): SubmissionRow {
  return {
    id: r.id,
    cycleId: r.cycle_id,
    placeId: r.place_id,
    placePath: r.path,
    place: { code: r.code, level: r.level, names: fromJson(r.names), countryCode: r.country_code },
    state: r.state,
    answers: fromJson(r.answers),
    instanceName: r.instance_name ?? null,
    languages: r.languages ?? [],
    round: r.round,
    consolidated: fromJson(r.consolidated),
    submittedAt: iso(r.submitted_at),
    publishedAt: iso(r.published_at),
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
    cycle: {
      id: r.cycle_id,
      kind: r.kind,
      titles: fromJson(r.titles),
      startsOn: r.starts_on,
      endsOn: r.ends_on,
      questionnaireVersionId: r.questionnaire_version_id,
      demo: r.demo,
    },
  };
}

/** A submission, or 404. `forUpdate` locks its row for the transaction. */
export async function loadSubmission(conn: SqlConn, id: number, forUpdate = false): Promise<SubmissionRow> {
  if (forUpdate) await conn.query('SELECT id FROM review_submissions WHERE id = $1 FOR UPDATE', [id]);
  const r = (await conn.query<RawSubmission>(`${SUBMISSION_SELECT} WHERE s.id = $1`, [id])).rows[0];
  if (!r) throw new HttpError(404, 'not_found', `No review submission ${id}.`);
  return submissionOf(r);
}

export async function loadQuestionnaire(conn: SqlConn, versionId: number): Promise<Questionnaire> {
  const r = (
    await conn.query<{ definition: unknown }>('SELECT definition FROM questionnaire_versions WHERE id = $1', [
      versionId,
    ])
  ).rows[0];
  if (!r) throw new HttpError(404, 'not_found', `No questionnaire version ${versionId}.`);
  return fromJson<Questionnaire>(r.definition);
}

export interface AssignmentRow {
  id: number;
  submissionId: number;
  reviewerUserId: number;
  lead: boolean;
  status: 'awaiting-declaration' | 'active' | 'conflict-declared' | 'withdrawn';
  chosenBy: 'administrator' | 'rule';
  assignedAt: string;
  conflict: boolean | null;
  declaration: string | null;
  declaredAt: string | null;
  withdrawnAt: string | null;
  /** Countries of the reviewer's roles (codes): how the reviewer is shown to anyone but administrators. */
  countries: string[];
}

export async function loadAssignments(conn: SqlConn, submissionId: number): Promise<AssignmentRow[]> {
  const rows = (
    await conn.query<{
      id: number;
      submission_id: number;
      reviewer_user_id: number;
      lead: boolean;
      status: AssignmentRow['status'];
      chosen_by: AssignmentRow['chosenBy'];
      assigned_at: Date | string;
      conflict: boolean | null;
      declaration: string | null;
      declared_at: Date | string | null;
      withdrawn_at: Date | string | null;
      countries: string[] | null;
    }>(
      `SELECT a.*, (SELECT array_agg(DISTINCT cp.code ORDER BY cp.code) FROM role_assignments ra JOIN places rp ON rp.id = ra.place_id
                    JOIN places cp ON cp.id = split_part(rp.path, '/', 2)::int WHERE ra.user_id = a.reviewer_user_id) AS countries
        FROM review_assignments a WHERE a.submission_id = $1 ORDER BY a.id`,
      [submissionId],
    )
  ).rows;
  return rows.map((a) => ({
    id: a.id,
    submissionId: a.submission_id,
    reviewerUserId: a.reviewer_user_id,
    lead: a.lead,
    status: a.status,
    chosenBy: a.chosen_by,
    assignedAt: iso(a.assigned_at)!,
    conflict: a.conflict,
    declaration: a.declaration,
    declaredAt: iso(a.declared_at),
    withdrawnAt: iso(a.withdrawn_at),
    countries: a.countries ?? [],
  }));
}

/**
 * Whether the actor is a submitter of the place: a national or city focal point whose role's
 * place covers it (a national focal point covers the country's cities). A token also needs the
 * observations:write scope (answering for a place is writing its data).
 */
export function isSubmitterOf(actor: Actor, placePath: string): boolean {
  if (!scopeAllows(actor, 'observations:write')) return false;
  return actor.roles.some(
    (r) =>
      (r.role === 'national-focal-point' || r.role === 'city-focal-point') &&
      r.placePath !== null &&
      placePath.startsWith(r.placePath),
  );
}

export interface Standing {
  roles: ReviewRole[];
  /** The actor's assignment on the submission, whatever its status. */
  assignment: AssignmentRow | null;
}

/**
 * The roles the actor holds on a submission (core review-states.ts): administrator; submitter;
 * reviewer when assigned, with the grant, and after declaring no conflict of interest
 * (lead-reviewer too for the lead).
 */
export function standingOn(actor: Actor, sub: SubmissionRow, assignments: AssignmentRow[]): Standing {
  const roles: ReviewRole[] = [];
  if (isAdministrator(actor)) roles.push('administrator');
  if (isSubmitterOf(actor, sub.placePath)) roles.push('submitter');
  const assignment =
    actor.userId === null ? null : (assignments.find((a) => a.reviewerUserId === actor.userId) ?? null);
  if (
    assignment &&
    assignment.status === 'active' &&
    hasGrant(actor, REVIEW_GRANT.recordType, sub.id, REVIEW_GRANT.permission)
  ) {
    roles.push('reviewer');
    if (assignment.lead) roles.push('lead-reviewer');
  }
  return { roles, assignment };
}

/** Refuses (403) an actor who holds no role on the submission; a reviewer who has not declared is told to. */
export function requireStanding(standing: Standing, submissionId: number): void {
  if (standing.roles.length) return;
  const a = standing.assignment;
  if (a && a.status === 'awaiting-declaration') {
    throw new HttpError(
      403,
      'declaration_required',
      `Declare whether you have a conflict of interest before you see submission ${submissionId}: POST /api/v1/review-assignments/${a.id}/declaration.`,
      { assignmentId: a.id },
    );
  }
  throw new HttpError(
    403,
    'forbidden',
    `You may not open review submission ${submissionId}: it is open to the focal points of its place, its assigned reviewers (after their declaration) and administrators.`,
  );
}

export function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}
