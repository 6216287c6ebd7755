import { type AnswerSet, flattenQuestions } from '@marsad/core';
import { testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_QUESTIONNAIRE } from '../src/demo/demo-questionnaire.ts';
import { loadDemoAccounts } from '../src/demo/load-demo-accounts.ts';
import { DEMO_REVIEW_PLACES, loadDemoReviews } from '../src/demo/load-demo-reviews.ts';
import { createTestApp, signedIn, type TestApp } from './helpers.ts';

/**
 * The demonstration review cycle (issue 6 item 7): the pilot cities of seed 003 and the
 * Philippines invited, submissions in different states, one published review, every answer
 * labelled as demonstration data.
 */
const TEXT_TYPES = new Set(
  flattenQuestions(DEMO_QUESTIONNAIRE.questions)
    .filter((l) => l.node.type === 'text' || l.node.type === 'long_text')
    .map((l) => l.node.name),
);

/** Every written answer (text questions, repeats included). */
function texts(a: AnswerSet): string[] {
  return Object.entries(a).flatMap(([k, v]) =>
    Array.isArray(v) && v.length && typeof v[0] === 'object'
      ? (v as AnswerSet[]).flatMap(texts)
      : TEXT_TYPES.has(k) && typeof v === 'string'
        ? [v]
        : [],
  );
}

describe.each(testStoreKinds())('demonstration review cycle on %s', (kind) => {
  let t: TestApp;
  let cycleId: number;
  let AUTH: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp(kind);
    AUTH = await signedIn(t, 'admin@reviews-demo.example', [{ role: 'administrator' }]);
    cycleId = (await loadDemoReviews(t.db.store)).cycleId!;
    expect(cycleId).toBeGreaterThan(0);
    expect((await loadDemoReviews(t.db.store)).cycleId).toBeNull(); // once only
    await loadDemoAccounts(t.db.store);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('invites the pilot cities of seed 003 and the Philippines, with submissions in different states, flagged as demonstration', async () => {
    const c = (await t.app.inject({ url: `/api/v1/review-cycles/${cycleId}`, headers: AUTH })).json();
    expect(c).toMatchObject({
      kind: 'voluntary-local-review',
      demo: true,
      startsOn: '2021-12-08',
      endsOn: '2023-06-30',
    });
    expect(c.titles.en).toMatch(/^Demonstration/);
    const states = Object.fromEntries(
      c.participants.map((p: { place: { code: string }; submission: { state: string } }) => [
        p.place.code,
        p.submission.state,
      ]),
    );
    expect(Object.keys(states).sort()).toEqual([...DEMO_REVIEW_PLACES].sort());
    expect(states).toMatchObject({
      MAAGA: 'published',
      JOAMM: 'in-review',
      ECUIO: 'submitted',
      PHL: 'draft',
      KZALA: 'draft',
    });
    const board = (await t.app.inject({ url: `/api/v1/review-cycles/${cycleId}/board-report`, headers: AUTH })).json();
    expect([
      board.participation.invited.count,
      board.participation.submitted.count,
      board.participation.reviewed.count,
      board.participation.published.count,
    ]).toEqual([9, 3, 1, 1]);
    expect(board.cycle.demo).toBe(true);
  });

  it('publishes one review, labelled, whose every written answer says it is demonstration text', async () => {
    const list = (await t.app.inject({ url: '/api/v1/published-reviews' })).json();
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ demo: true, place: { code: 'MAAGA' }, languages: ['ar'] });
    const page = (await t.app.inject({ url: `/api/v1/published-reviews/${list.items[0].id}` })).json();
    expect(page.reviewers).toEqual([
      { countries: ['KAZ'], lead: true },
      { countries: ['ECU'], lead: false },
    ]);
    expect(page.answers.measures_institutions[0].measure_indicator).toBe('16.1.1');
    const written = texts(page.answers);
    expect(written.length).toBeGreaterThan(5);
    for (const s of [...written, ...Object.values(page.consolidated as Record<string, string>)])
      expect(s).toMatch(/^\((نص تجريبي|Demonstration text)/);
    // The unpublished ones, read by an administrator, are labelled too.
    const subs = (await t.app.inject({ url: `/api/v1/review-submissions?cycle=${cycleId}`, headers: AUTH })).json()
      .items;
    for (const s of subs.filter((x: { round: number }) => x.round > 0)) {
      const full = (await t.app.inject({ url: `/api/v1/review-submissions/${s.id}`, headers: AUTH })).json();
      expect(full.demo).toBe(true);
      for (const text of texts(full.submitted.answers)) expect(text).toMatch(/^\((نص تجريبي|Demonstration text)/);
    }
  });

  it('assigns reviewers only from other countries, and the demonstration reviewers are accounts', async () => {
    const rows = await t.db.store.exclusive((c) =>
      c.query<{ code: string; email: string; country: string }>(
        `SELECT p.code, u.email, cp.code AS country FROM review_assignments a JOIN review_submissions s ON s.id = a.submission_id JOIN places p ON p.id = s.place_id
         JOIN users u ON u.id = a.reviewer_user_id JOIN role_assignments ra ON ra.user_id = u.id JOIN places rp ON rp.id = ra.place_id
         JOIN places cp ON cp.id = split_part(rp.path, '/', 2)::int ORDER BY p.code, u.email`,
      ),
    );
    expect(rows.rows.length).toBe(4);
    for (const r of rows.rows) expect(r.country).not.toBe({ MAAGA: 'MAR', JOAMM: 'JOR' }[r.code]);
    const status = await t.db.store.db
      .selectFrom('users')
      .select(['email', 'status'])
      .where('email', 'like', 'reviewer%@demo.marsad.example')
      .orderBy('email')
      .execute();
    expect(status).toEqual([
      { email: 'reviewer-almaty@demo.marsad.example', status: 'active' },
      { email: 'reviewer-quito@demo.marsad.example', status: 'active' },
      { email: 'reviewer@demo.marsad.example', status: 'active' },
    ]);
  });
});
