import { describe, expect, it } from 'vitest';
import {
  availableActions,
  checkTransition,
  REVIEW_ACTIONS,
  REVIEW_ROLES,
  REVIEW_STATES,
  type ReviewAction,
  type ReviewRole,
  type ReviewState,
} from '../src/reviews/review-states.ts';

/**
 * The expected moves, written out here independently of the table in review-states.ts, as
 * "from action → to: roles". Every (state, action, role) not listed must be refused.
 */
const EXPECTED: Record<string, { to: ReviewState; roles: ReviewRole[] }> = {
  'draft submit': { to: 'submitted', roles: ['submitter', 'administrator'] },
  'revision-requested submit': { to: 'submitted', roles: ['submitter', 'administrator'] },
  'submitted start-review': { to: 'in-review', roles: ['administrator'] },
  'in-review request-revision': { to: 'revision-requested', roles: ['lead-reviewer', 'administrator'] },
  'in-review accept': { to: 'accepted', roles: ['lead-reviewer', 'administrator'] },
  'accepted publish': { to: 'published', roles: ['administrator'] },
};

describe('review state machine', () => {
  const cases: [ReviewState, ReviewAction, ReviewRole | 'none'][] = [];
  for (const s of REVIEW_STATES)
    for (const a of REVIEW_ACTIONS) for (const r of [...REVIEW_ROLES, 'none' as const]) cases.push([s, a, r]);

  it('covers 6 states × 5 actions × 5 roles (four and none)', () => {
    expect(cases).toHaveLength(6 * 5 * 5);
  });

  it.each(cases)('%s --%s--> as %s', (state, action, role) => {
    const expected = EXPECTED[`${state} ${action}`];
    const got = checkTransition(state, action, role === 'none' ? [] : [role]);
    if (expected && role !== 'none' && expected.roles.includes(role)) {
      expect(got).toMatchObject({ ok: true, transition: { to: expected.to } });
    } else if (expected) {
      expect(got).toEqual({ ok: false, reason: 'role-not-allowed', allowedRoles: expected.roles });
    } else {
      expect(got).toEqual({ ok: false, reason: 'not-a-transition', allowedRoles: [] });
    }
  });

  it('lets an actor holding several roles make a move any of them allows', () => {
    expect(checkTransition('submitted', 'start-review', ['reviewer', 'administrator']).ok).toBe(true);
    expect(checkTransition('submitted', 'start-review', ['reviewer', 'submitter', 'lead-reviewer']).ok).toBe(false);
  });

  it('a published review moves no further, and reviewers who are not the lead move nothing', () => {
    expect(availableActions('published', [...REVIEW_ROLES])).toEqual([]);
    for (const s of REVIEW_STATES) expect(availableActions(s, ['reviewer'])).toEqual([]);
    expect(availableActions('in-review', ['lead-reviewer'])).toEqual(['request-revision', 'accept']);
    expect(availableActions('draft', ['submitter'])).toEqual(['submit']);
  });
});
