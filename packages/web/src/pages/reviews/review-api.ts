import type { AnswerSet, FormState, Questionnaire, ReviewAction, ReviewState } from '@marsad/core';
import type { TFunction } from 'i18next';
import { apiGet } from '../../api/client.ts';
import type { Names } from '../../api/types.ts';

/** What the review pages read from the reviews API (docs/methods/reviews.md). */

export type CycleKind = 'safer-cities-peer-review' | 'voluntary-local-review' | 'national-nua-report';
export const CYCLE_KINDS: readonly CycleKind[] = [
  'safer-cities-peer-review',
  'voluntary-local-review',
  'national-nua-report',
];

export interface ReviewPlace {
  code: string;
  level: string;
  names: Names;
  countryCode?: string;
}
export interface CycleSummary {
  id: number;
  kind: CycleKind;
  titles: Names;
  startsOn: string;
  endsOn: string;
  demo?: boolean;
}
export interface Participant {
  place: ReviewPlace;
  invitedAt: string;
  submission: { id: number; state: ReviewState; round: number; submittedAt: string | null; publishedAt: string | null };
}
export interface Cycle extends CycleSummary {
  descriptions: Names;
  questionnaire: { versionId: number; questionnaireId: number; formId: string; number: number; title: string };
  participants: Participant[];
  createdAt: string;
  updatedAt: string;
}
export interface VersionSummary {
  id: number;
  questionnaireId: number;
  formId: string;
  number: number;
  title: string;
  formVersion: string;
  source: string;
  fileName: string | null;
  createdAt: string;
}
export interface QuestionnaireSummary {
  id: number;
  formId: string;
  versions: number;
  latest: VersionSummary;
}
export interface VersionRecord extends VersionSummary {
  definition: Questionnaire;
}

export interface SubmissionItem {
  id: number;
  demo?: boolean;
  state: ReviewState;
  round: number;
  cycle: CycleSummary & { questionnaireVersionId: number };
  place: ReviewPlace;
  /** Its name by the questionnaire's XLSForm instance_name, as of the last save; null without one. */
  instanceName?: string | null;
  myRoles: string[];
  submittedAt: string | null;
  publishedAt: string | null;
  updatedAt: string;
}
export interface ReviewerView {
  assignmentId: number;
  lead: boolean;
  status: string;
  countries: string[];
  chosenBy?: string;
  assignedAt: string;
  declaredAt: string | null;
  you: boolean;
  userId?: number;
  conflict?: boolean | null;
  declaration?: string | null;
}
export interface RecommendationView {
  assignmentId: number;
  round: number;
  recommendation: 'accept' | 'revise';
  summary: string;
  language: string | null;
  countries: string[];
  lead: boolean;
  at: string;
}
export interface SubmissionView extends Omit<SubmissionItem, 'updatedAt'> {
  languages: string[];
  questionnaireVersionId: number;
  actions: ReviewAction[];
  editable: boolean;
  answers?: AnswerSet;
  form?: FormState;
  submitted: { round: number; answers: AnswerSet; languages: string[]; submittedAt: string } | null;
  rounds: { round: number; submittedAt: string }[];
  consolidated: Names;
  reviewers: ReviewerView[];
  recommendations: RecommendationView[];
}
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
export interface Candidate {
  userId: number;
  displayName: string | null;
  email: string;
  countries: string[];
  openAssignments: number;
  eligible: boolean;
  reason: string | null;
}
export interface AssignmentItem {
  id: number;
  status: string;
  lead: boolean;
  assignedAt: string;
  declaredAt: string | null;
  awaiting: 'declaration' | 'recommendation' | null;
  submission: {
    id: number;
    state: ReviewState;
    round: number;
    demo?: boolean;
    place: ReviewPlace;
    cycle: { id: number; kind: CycleKind; titles: Names };
  };
}
export interface PublishedItem {
  id: number;
  demo?: boolean;
  languages: string[];
  publishedAt: string;
  cycle: CycleSummary;
  place: ReviewPlace;
}
export interface PublishedReview extends PublishedItem {
  questionnaire: { versionId: number; definition: Questionnaire };
  answers: AnswerSet;
  round: number;
  consolidated: Names;
  reviewers: { countries: string[]; lead: boolean }[];
  steps: { action: string; to: string; round: number; at: string }[];
}

/** An API refusal with its code and details (e.g. 403 declaration_required with details.assignmentId). */
export class ReviewApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> | undefined,
  ) {
    super(message);
  }
}

export async function bodyOf(
  res: Response,
): Promise<
  { error?: string; code?: string; message?: string; details?: Record<string, unknown> } & Record<string, unknown>
> {
  try {
    return (await res.json()) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** GET with the code and details of a refusal kept. */
export async function getReview<T>(path: string): Promise<T> {
  const res = await apiGet(`/api/v1${path}`);
  if (!res.ok) {
    const b = await bodyOf(res);
    throw new ReviewApiError(res.status, String(b.code ?? b.error ?? ''), b.message ?? res.statusText, b.details);
  }
  return (await res.json()) as T;
}

// ---- labels (literal keys, so that the catalog test sees each) ----------------------------

export function stateLabel(t: TFunction, s: string): string {
  switch (s) {
    case 'draft':
      return t('reviews.state.draft');
    case 'submitted':
      return t('reviews.state.submitted');
    case 'in-review':
      return t('reviews.state.inReview');
    case 'revision-requested':
      return t('reviews.state.revisionRequested');
    case 'accepted':
      return t('reviews.state.accepted');
    case 'published':
      return t('reviews.state.published');
    default:
      return s;
  }
}

export function actionLabel(t: TFunction, a: string): string {
  switch (a) {
    case 'submit':
      return t('reviews.action.submit');
    case 'start-review':
      return t('reviews.action.startReview');
    case 'request-revision':
      return t('reviews.action.requestRevision');
    case 'accept':
      return t('reviews.action.accept');
    case 'publish':
      return t('reviews.action.publish');
    default:
      return a;
  }
}

export function kindLabel(t: TFunction, k: string): string {
  switch (k) {
    case 'safer-cities-peer-review':
      return t('reviews.kind.saferCities');
    case 'voluntary-local-review':
      return t('reviews.kind.vlr');
    case 'national-nua-report':
      return t('reviews.kind.nua');
    default:
      return k;
  }
}

export function roleOnReview(t: TFunction, r: string | null): string {
  switch (r) {
    case 'submitter':
      return t('reviews.role.submitter');
    case 'reviewer':
      return t('reviews.role.reviewer');
    case 'lead-reviewer':
      return t('reviews.role.leadReviewer');
    case 'administrator':
      return t('reviews.role.administrator');
    default:
      return r ?? '—';
  }
}

export function eventLabel(t: TFunction, e: TimelineEvent): string {
  switch (e.kind) {
    case 'invited':
      return t('reviews.event.invited');
    case 'transition':
      return e.action ? actionLabel(t, e.action) : t('reviews.event.transition');
    case 'assigned':
      return t('reviews.event.assigned');
    case 'declared':
      return t('reviews.event.declared');
    case 'withdrawn':
      return t('reviews.event.withdrawn');
    case 'recommended':
      return t('reviews.event.recommended');
    case 'commented':
      return t('reviews.event.commented');
    default:
      return e.kind;
  }
}

export function recommendationLabel(t: TFunction, r: string): string {
  return r === 'accept' ? t('reviews.recommend.accept') : t('reviews.recommend.revise');
}

/** Today in the browser's time zone, YYYY-MM-DD (for today() in the questionnaire's expressions). */
export function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** The 4-year default of a safer-cities peer review: the day before the same date four years later. */
export function fourYearsFrom(start: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(start);
  if (!m) return '';
  const d = new Date(Date.UTC(Number(m[1]) + 4, Number(m[2]) - 1, Number(m[3])));
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}
