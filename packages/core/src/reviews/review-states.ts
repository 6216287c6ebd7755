/**
 * The states of a review submission and who may move it (issue 6; docs/methods/reviews.md).
 * A pure state machine: one table of transitions, each with the roles allowed to make it. The
 * server decides which roles an actor holds on a submission and checks the conditions that
 * need data (answers complete, reviewers declared, recommendations given, consolidated text);
 * this table alone decides whether the move is a move at all and whether the role may make it.
 *
 *   draft ──submit──▶ submitted ──start-review──▶ in-review ──accept──▶ accepted ──publish──▶ published
 *                         ▲                          │
 *                         └───────submit─────── revision-requested ◀──request-revision──┘
 *
 * Non-punitive (seed 000 §2): the states record where the exchange is, never a score.
 */
export const REVIEW_STATES = [
  'draft',
  'submitted',
  'in-review',
  'revision-requested',
  'accepted',
  'published',
] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

export const REVIEW_ACTIONS = ['submit', 'start-review', 'request-revision', 'accept', 'publish'] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];

/**
 * Roles on one submission: the submitter (a focal point of the participating place: national
 * for a country, city for a city, or a national focal point of the city's country), an assigned
 * reviewer who declared no conflict of interest, the lead reviewer among them, an administrator.
 * Anyone else (the public, other users) holds none.
 */
export const REVIEW_ROLES = ['submitter', 'reviewer', 'lead-reviewer', 'administrator'] as const;
export type ReviewRole = (typeof REVIEW_ROLES)[number];

export interface ReviewTransition {
  action: ReviewAction;
  from: ReviewState;
  to: ReviewState;
  roles: readonly ReviewRole[];
  /** What the server checks besides the role (docs/methods/reviews.md). */
  conditions: string;
}

/**
 * Every permitted move. Administrators may submit on behalf of a place (answers received from a
 * government without an account); reviewers recommend, but the decision to ask for a revision
 * or to accept is the lead reviewer's or an administrator's; only an administrator publishes.
 */
export const REVIEW_TRANSITIONS: readonly ReviewTransition[] = [
  {
    action: 'submit',
    from: 'draft',
    to: 'submitted',
    roles: ['submitter', 'administrator'],
    conditions:
      'every required answer given, no failed constraint, every referenced indicator and knowledge item exists',
  },
  {
    action: 'submit',
    from: 'revision-requested',
    to: 'submitted',
    roles: ['submitter', 'administrator'],
    conditions: 'as the first submission',
  },
  {
    action: 'start-review',
    from: 'submitted',
    to: 'in-review',
    roles: ['administrator'],
    conditions: 'at least two assigned reviewers from other countries who declared no conflict of interest',
  },
  {
    action: 'request-revision',
    from: 'in-review',
    to: 'revision-requested',
    roles: ['lead-reviewer', 'administrator'],
    conditions: 'at least one reviewer recommended a revision in this round',
  },
  {
    action: 'accept',
    from: 'in-review',
    to: 'accepted',
    roles: ['lead-reviewer', 'administrator'],
    conditions: 'every active reviewer gave a recommendation in this round; consolidated observations written',
  },
  {
    action: 'publish',
    from: 'accepted',
    to: 'published',
    roles: ['administrator'],
    conditions: 'consolidated observations written',
  },
];

export type TransitionCheck =
  | { ok: true; transition: ReviewTransition }
  | { ok: false; reason: 'not-a-transition' | 'role-not-allowed'; allowedRoles: readonly ReviewRole[] };

/** The transition of an action from a state, if the action moves that state at all. */
export function findTransition(from: ReviewState, action: ReviewAction): ReviewTransition | undefined {
  return REVIEW_TRANSITIONS.find((t) => t.from === from && t.action === action);
}

/** Whether an actor holding these roles on the submission may make the action from the state. */
export function checkTransition(
  from: ReviewState,
  action: ReviewAction,
  roles: readonly ReviewRole[],
): TransitionCheck {
  const t = findTransition(from, action);
  if (!t) return { ok: false, reason: 'not-a-transition', allowedRoles: [] };
  if (!roles.some((r) => t.roles.includes(r))) return { ok: false, reason: 'role-not-allowed', allowedRoles: t.roles };
  return { ok: true, transition: t };
}

/** The actions these roles may take from a state (for the page's buttons). */
export function availableActions(from: ReviewState, roles: readonly ReviewRole[]): ReviewAction[] {
  return REVIEW_TRANSITIONS.filter((t) => t.from === from && roles.some((r) => t.roles.includes(r))).map(
    (t) => t.action,
  );
}

/** States in which the submitter may change the answers. */
export const EDITABLE_STATES: readonly ReviewState[] = ['draft', 'revision-requested'];

export function isReviewState(s: string): s is ReviewState {
  return (REVIEW_STATES as readonly string[]).includes(s);
}
