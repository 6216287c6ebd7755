import { dumpDatabase, restoreDatabase } from '@marsad/db';
import { testStoreKinds } from '@marsad/db/testing';
import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_QUESTIONNAIRE } from '../src/demo/demo-questionnaire.ts';
import { createTestApp, signedIn, type TestApp } from './helpers.ts';

/**
 * Review cycles through the API (issue 6): cycles, submissions (drafts, missing answers,
 * submission, read-only after it), reviewer assignment (never the own country, the rule,
 * conflict declarations, the grant that opens one submission only), comments, recommendations,
 * every transition of a whole cycle with the roles that may and may not make it, the timeline,
 * the audit log, publication (the public sees published material only, on every public route).
 */
type H = Record<string, string>;
const json = (h: H) => ({ ...h, 'content-type': 'application/json' });

/** Text that must never reach the public while its submission is unpublished. */
const SECRET = 'UNPUBLISHED-SENTINEL';
const PUBLIC_TEXT = 'PUBLISHED-SENTINEL';

const completeAnswers = (tag: string) => ({
  institution: `Demonstration office ${tag}`,
  has_strategy: 'yes',
  strategy_date: '2020-05-01',
  measures_institutions: [
    { measure_institutions: `${tag} measure A`, measure_indicator: '16.1.1' },
    { measure_institutions: `${tag} measure B` },
  ],
  measures_coproduction: [{ measure_coproduction: `${tag} co-production measure` }],
  difficulty_evidence: `${tag} difficulty with data`,
  need_capacity: `${tag} needs training`,
});

describe.each(testStoreKinds())('review cycles on %s', (kind) => {
  let t: TestApp;
  const routes: { method: string; url: string; guarded: boolean }[] = [];
  const h: Record<string, H> = {};
  const ids: Record<string, number> = {};
  let versionId = 0;
  let cycleId = 0;
  const sub: Record<string, number> = {};

  const call = (method: string, url: string, who: string | null, payload?: unknown) =>
    t.app.inject({
      method: method as 'GET',
      url,
      headers: who ? (payload !== undefined ? json(h[who]!) : h[who]!) : {},
      ...(payload !== undefined ? { payload: JSON.stringify(payload) } : {}),
    });
  // biome-ignore lint/suspicious/noExplicitAny: the answers of many routes, read by each test
  const ok = async (p: Promise<{ statusCode: number; body: string; json(): any }>, status = 200) => {
    const r = await p;
    expect(r.statusCode, r.body).toBe(status);
    return r.json();
  };

  beforeAll(async () => {
    t = await createTestApp(kind, {
      build: {
        onRoute: (r: RouteOptions) => {
          for (const method of [r.method].flat()) routes.push({ method, url: r.url, guarded: !!r.onRequest });
        },
      },
    });
    const people: [string, { role: string; place?: string }[]][] = [
      ['cityAgadir', [{ role: 'city-focal-point', place: 'MAAGA' }]],
      ['nationalMorocco', [{ role: 'national-focal-point', place: 'MAR' }]],
      ['cityAmman', [{ role: 'city-focal-point', place: 'JOAMM' }]],
      ['validatorAgadir', [{ role: 'data-validator', place: 'MAAGA' }]],
      ['reviewerMA', [{ role: 'reviewer', place: 'MAAGA' }]],
      ['reviewerJO', [{ role: 'reviewer', place: 'JOAMM' }]],
      ['reviewerKZ', [{ role: 'reviewer', place: 'KZALA' }]],
      ['reviewerEC', [{ role: 'reviewer', place: 'ECUIO' }]],
      [
        'reviewerMixed',
        [
          { role: 'reviewer', place: 'CUHAV' },
          { role: 'editor', place: 'MAR' },
        ],
      ],
      ['nobody', []],
      ['admin', [{ role: 'administrator' }]], // last: its account retires the first-start token
    ];
    for (const [name, roles] of people) {
      h[name] = await signedIn(t, `${name.toLowerCase()}@reviews.example`, roles, `Person ${name}`);
      ids[name] = (await ok(call('GET', '/api/v1/auth/me', name))).user.id;
    }
    versionId = (await ok(call('POST', '/api/v1/questionnaires', 'admin', { definition: DEMO_QUESTIONNAIRE }), 201))
      .version.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('cycles', () => {
    it('an administrator creates a 4-year peer review by default and invites countries and cities; others may not', async () => {
      const c = await ok(
        call('POST', '/api/v1/review-cycles', 'admin', {
          kind: 'safer-cities-peer-review',
          titles: { ar: 'دورة الاستعراض', en: 'Review cycle' },
          startsOn: '2024-01-01',
          questionnaireVersionId: versionId,
          participants: ['MAAGA', 'JOAMM', 'PHL'],
        }),
        201,
      );
      expect(c).toMatchObject({
        kind: 'safer-cities-peer-review',
        startsOn: '2024-01-01',
        endsOn: '2027-12-31',
        demo: false,
        questionnaire: { versionId },
      });
      expect(c.participants.map((p: { place: { code: string } }) => p.place.code)).toEqual(['JOAMM', 'MAAGA', 'PHL']);
      expect(c.participants.every((p: { submission: { state: string } }) => p.submission.state === 'draft')).toBe(true);
      cycleId = c.id;
      for (const p of c.participants) sub[p.place.code] = p.submission.id;

      const vlr = await call('POST', '/api/v1/review-cycles', 'admin', {
        kind: 'voluntary-local-review',
        titles: { en: 'VLR' },
        startsOn: '2024-01-01',
        questionnaireVersionId: versionId,
      });
      expect(vlr.statusCode, vlr.body).toBe(400);
      expect(vlr.json().message).toMatch(/endsOn/);
      const region = await call('POST', `/api/v1/review-cycles/${cycleId}/participants`, 'admin', {
        places: ['MA-09'],
      });
      expect(region.statusCode).toBe(400);
      expect(region.json().message).toMatch(/countries or cities/);
      expect(
        (
          await call('POST', '/api/v1/review-cycles', 'nationalMorocco', {
            kind: 'national-nua-report',
            titles: { en: 'x' },
            startsOn: '2024-01-01',
            endsOn: '2025-01-01',
            questionnaireVersionId: versionId,
          })
        ).statusCode,
      ).toBe(403);
      const list = await ok(call('GET', '/api/v1/review-cycles', 'cityAmman'));
      expect(list.items.map((x: { id: number }) => x.id)).toContain(cycleId);
    });
  });

  describe('submissions', () => {
    it('the focal point sees the missing required answers, saves a draft, and cannot submit an incomplete one', async () => {
      const s = await ok(call('GET', `/api/v1/review-submissions/${sub.MAAGA}?lang=ar`, 'cityAgadir'));
      expect(s).toMatchObject({ state: 'draft', editable: true, myRoles: ['submitter'], actions: ['submit'] });
      expect(s.form.missing.map((m: { path: string }) => m.path)).toEqual(['institution', 'has_strategy']);
      expect(s.form.missing[0].message).toBe('اذكر المؤسسة');

      const saved = await ok(
        call('PUT', `/api/v1/review-submissions/${sub.MAAGA}/answers`, 'cityAgadir', {
          answers: { institution: `Agadir office ${SECRET}` },
          languages: ['en'],
        }),
      );
      expect(saved.form.missing.map((m: { path: string }) => m.path)).toEqual(['has_strategy']);
      const refused = await call('POST', `/api/v1/review-submissions/${sub.MAAGA}/transitions`, 'cityAgadir', {
        action: 'submit',
      });
      expect(refused.statusCode, refused.body).toBe(422);
      expect(refused.json()).toMatchObject({ error: 'incomplete', details: { missing: [{ path: 'has_strategy' }] } });
    });

    it('refuses answers that cite an indicator or item that does not exist, or do not fit their question', async () => {
      const bad = await call('PUT', `/api/v1/review-submissions/${sub.MAAGA}/answers`, 'cityAgadir', {
        answers: {
          ...completeAnswers('x'),
          measures_institutions: [{ measure_institutions: 'm', measure_indicator: 'NO-SUCH-INDICATOR' }],
          practice: '99999',
        },
      });
      expect(bad.statusCode, bad.body).toBe(400);
      expect(bad.json().details.references.map((r: { path: string }) => r.path)).toEqual([
        'measures_institutions/0/measure_indicator',
        'practice',
      ]);
      const wrong = await call('PUT', `/api/v1/review-submissions/${sub.MAAGA}/answers`, 'cityAgadir', {
        answers: { has_strategy: 'perhaps', nonsense: 'x' },
      });
      expect(wrong.statusCode).toBe(400);
      expect(
        wrong
          .json()
          .details.invalid.map((i: { code: string }) => i.code)
          .sort(),
      ).toEqual(['unknown-choice', 'unknown-question']);
    });

    it('only the focal points of the place (and administrators) open and write it', async () => {
      for (const who of ['cityAmman', 'validatorAgadir', 'reviewerJO', 'nobody']) {
        expect((await call('GET', `/api/v1/review-submissions/${sub.MAAGA}`, who)).statusCode, who).toBe(403);
        expect(
          (await call('PUT', `/api/v1/review-submissions/${sub.MAAGA}/answers`, who, { answers: {} })).statusCode,
          who,
        ).toBe(403);
      }
      expect((await ok(call('GET', `/api/v1/review-submissions/${sub.MAAGA}`, 'nationalMorocco'))).myRoles).toEqual([
        'submitter',
      ]);
      expect((await call('GET', `/api/v1/review-submissions/${sub.PHL}`, 'nationalMorocco')).statusCode).toBe(403);
      const mine = await ok(call('GET', '/api/v1/review-submissions', 'cityAgadir'));
      expect(mine.items.map((x: { place: { code: string } }) => x.place.code)).toEqual(['MAAGA']);
    });

    it('submits complete answers; the submission is then read-only for the submitter', async () => {
      await ok(
        call('PUT', `/api/v1/review-submissions/${sub.MAAGA}/answers`, 'cityAgadir', {
          answers: { ...completeAnswers(SECRET), summary: `${SECRET} remark` },
          languages: ['en', 'ar'],
        }),
      );
      const s = await ok(
        call('POST', `/api/v1/review-submissions/${sub.MAAGA}/transitions`, 'cityAgadir', {
          action: 'submit',
          note: 'first submission',
        }),
      );
      expect(s).toMatchObject({ state: 'submitted', round: 1, editable: false, actions: [], submitted: { round: 1 } });
      const again = await call('PUT', `/api/v1/review-submissions/${sub.MAAGA}/answers`, 'cityAgadir', {
        answers: completeAnswers('later'),
      });
      expect(again.statusCode).toBe(409);
      expect(again.json().error).toBe('read_only');
      const twice = await call('POST', `/api/v1/review-submissions/${sub.MAAGA}/transitions`, 'cityAgadir', {
        action: 'submit',
      });
      expect(twice.statusCode).toBe(409);
      expect(twice.json().error).toBe('invalid_transition');
      // Only an administrator starts the review, and not without two declared reviewers.
      expect(
        (
          await call('POST', `/api/v1/review-submissions/${sub.MAAGA}/transitions`, 'cityAgadir', {
            action: 'start-review',
          })
        ).statusCode,
      ).toBe(403);
      const early = await call('POST', `/api/v1/review-submissions/${sub.MAAGA}/transitions`, 'admin', {
        action: 'start-review',
      });
      expect(early.statusCode).toBe(409);
      expect(early.json().error).toBe('conditions_not_met');
    });
  });

  describe('peer review', () => {
    it("never assigns a reviewer from the submitter's country, by hand or by the rule", async () => {
      const candidates = await ok(call('GET', `/api/v1/review-submissions/${sub.MAAGA}/reviewer-candidates`, 'admin'));
      const byId = new Map(candidates.items.map((c: { userId: number }) => [c.userId, c]));
      expect(byId.get(ids.reviewerMA)).toMatchObject({ eligible: false, countries: ['MAR'] });
      expect(byId.get(ids.reviewerMixed)).toMatchObject({ eligible: false, countries: ['CUB', 'MAR'] });
      expect(byId.get(ids.reviewerJO)).toMatchObject({ eligible: true });
      for (const who of [ids.reviewerMA!, ids.reviewerMixed!, ids.cityAmman!]) {
        const r = await call('POST', `/api/v1/review-submissions/${sub.MAAGA}/assignments`, 'admin', {
          reviewers: [who],
        });
        expect(r.statusCode, r.body).toBe(409);
      }
      // The rule: two reviewers with the fewest open assignments, from other countries than Morocco.
      const a = await ok(
        call('POST', `/api/v1/review-submissions/${sub.MAAGA}/assignments`, 'admin', {
          rule: { count: 2 },
          lead: undefined,
        }),
        201,
      );
      expect(a.items.map((x: { reviewerUserId: number }) => x.reviewerUserId)).toEqual([
        ids.reviewerJO,
        ids.reviewerKZ,
      ]);
      expect(
        a.items.every(
          (x: { status: string; chosenBy: string }) => x.status === 'awaiting-declaration' && x.chosenBy === 'rule',
        ),
      ).toBe(true);
      expect(a.items.flatMap((x: { countries: string[] }) => x.countries)).not.toContain('MAR');
      // A third, chosen by hand, as lead.
      const b = await ok(
        call('POST', `/api/v1/review-submissions/${sub.MAAGA}/assignments`, 'admin', {
          reviewers: [ids.reviewerEC],
          lead: ids.reviewerEC,
        }),
        201,
      );
      expect(b.items.find((x: { reviewerUserId: number }) => x.reviewerUserId === ids.reviewerEC)).toMatchObject({
        lead: true,
        chosenBy: 'administrator',
      });
      expect(
        (
          await call('POST', `/api/v1/review-submissions/${sub.MAAGA}/assignments`, 'reviewerJO', {
            rule: { count: 1 },
          })
        ).statusCode,
      ).toBe(403);
    });

    it('a reviewer declares conflicts before seeing the submission; the grant opens that submission only', async () => {
      const mine = await ok(call('GET', '/api/v1/review-assignments', 'reviewerJO'));
      expect(mine.items).toHaveLength(1);
      expect(mine.items[0]).toMatchObject({
        status: 'awaiting-declaration',
        awaiting: 'declaration',
        submission: { id: sub.MAAGA },
      });
      const inbox = await ok(call('GET', '/api/v1/inbox', 'reviewerJO'));
      expect(inbox.reviews.count).toBe(1);
      const before = await call('GET', `/api/v1/review-submissions/${sub.MAAGA}`, 'reviewerJO');
      expect(before.statusCode).toBe(403);
      expect(before.json()).toMatchObject({
        error: 'declaration_required',
        details: { assignmentId: mine.items[0].id },
      });
      // Someone else cannot declare for them.
      expect(
        (
          await call('POST', `/api/v1/review-assignments/${mine.items[0].id}/declaration`, 'reviewerKZ', {
            conflict: false,
          })
        ).statusCode,
      ).toBe(403);
      await ok(
        call('POST', `/api/v1/review-assignments/${mine.items[0].id}/declaration`, 'reviewerJO', {
          conflict: false,
          statement: 'I have no link with Agadir.',
        }),
      );
      const s = await ok(call('GET', `/api/v1/review-submissions/${sub.MAAGA}`, 'reviewerJO'));
      expect(s).toMatchObject({ myRoles: ['reviewer'], answers: null, form: null, submitted: { round: 1 } });
      expect(JSON.stringify(s.reviewers)).not.toMatch(/@reviews\.example|Person /);
      expect(s.reviewers.every((r: { userId?: number }) => r.userId === undefined)).toBe(true);
      // The grant is on this submission only: not on Amman's, nor on the Philippines'.
      expect((await call('GET', `/api/v1/review-submissions/${sub.JOAMM}`, 'reviewerJO')).statusCode).toBe(403);
      expect((await call('GET', `/api/v1/review-submissions/${sub.PHL}/comments`, 'reviewerJO')).statusCode).toBe(403);
      // A reviewer without the grant.
      expect((await call('GET', `/api/v1/review-submissions/${sub.MAAGA}`, 'reviewerMA')).statusCode).toBe(403);

      // Kazakhstan's reviewer declares a conflict: the assignment ends, the grant goes.
      const kz = (await ok(call('GET', '/api/v1/review-assignments', 'reviewerKZ'))).items[0];
      expect(
        (await call('POST', `/api/v1/review-assignments/${kz.id}/declaration`, 'reviewerKZ', { conflict: true }))
          .statusCode,
      ).toBe(400);
      expect(
        (
          await ok(
            call('POST', `/api/v1/review-assignments/${kz.id}/declaration`, 'reviewerKZ', {
              conflict: true,
              statement: 'I advised the municipality.',
            }),
          )
        ).status,
      ).toBe('conflict-declared');
      expect((await call('GET', `/api/v1/review-submissions/${sub.MAAGA}`, 'reviewerKZ')).statusCode).toBe(403);
      const grants = await t.db.store.db
        .selectFrom('record_grants')
        .select(['user_id', 'record_id'])
        .where('record_type', '=', 'review-submission')
        .execute();
      expect(grants.map((g) => g.user_id).sort()).toEqual([ids.reviewerJO, ids.reviewerEC].sort());
      expect(grants.every((g) => g.record_id === String(sub.MAAGA))).toBe(true);
    });

    it('runs the whole review: comments, replies, recommendations, revision, resubmission, acceptance, publication — each by its role', async () => {
      const tr = (who: string, action: string, extra: object = {}) =>
        call('POST', `/api/v1/review-submissions/${sub.MAAGA}/transitions`, who, { action, ...extra });
      expect((await tr('admin', 'start-review')).statusCode).toBe(409); // one active reviewer so far
      const ec = (await ok(call('GET', '/api/v1/review-assignments', 'reviewerEC'))).items[0];
      await ok(call('POST', `/api/v1/review-assignments/${ec.id}/declaration`, 'reviewerEC', { conflict: false }));
      for (const who of ['cityAgadir', 'reviewerJO', 'reviewerEC'])
        expect((await tr(who, 'start-review')).statusCode, who).toBe(403);
      expect((await ok(tr('admin', 'start-review'))).state).toBe('in-review');

      // Comments: on an answer in a repeat, overall; the submitter replies (and may not open a thread).
      const c1 = await ok(
        call('POST', `/api/v1/review-submissions/${sub.MAAGA}/comments`, 'reviewerJO', {
          questionPath: 'measures_institutions/1/measure_institutions',
          body: `Please say who leads it. ${SECRET}`,
        }),
        201,
      );
      expect(c1).toMatchObject({ authorRole: 'reviewer', authorCountries: ['JOR'], mine: true, round: 1 });
      await ok(
        call('POST', `/api/v1/review-submissions/${sub.MAAGA}/comments`, 'reviewerEC', {
          body: 'A clear submission overall.',
        }),
        201,
      );
      expect(
        (
          await call('POST', `/api/v1/review-submissions/${sub.MAAGA}/comments`, 'reviewerJO', {
            questionPath: 'no_such_question',
            body: 'x',
          })
        ).statusCode,
      ).toBe(400);
      expect(
        (
          await call('POST', `/api/v1/review-submissions/${sub.MAAGA}/comments`, 'cityAgadir', {
            body: 'Thread of my own',
          })
        ).statusCode,
      ).toBe(403);
      const reply = await ok(
        call('POST', `/api/v1/review-submissions/${sub.MAAGA}/comments`, 'cityAgadir', {
          replyTo: c1.id,
          body: 'The municipal council leads it.',
        }),
        201,
      );
      expect(reply).toMatchObject({
        parentId: c1.id,
        questionPath: 'measures_institutions/1/measure_institutions',
        authorRole: 'submitter',
      });
      const comments = await ok(call('GET', `/api/v1/review-submissions/${sub.MAAGA}/comments`, 'cityAgadir'));
      expect(comments.items).toHaveLength(3);
      expect(JSON.stringify(comments.items)).not.toMatch(/@reviews\.example|Person /);

      // Recommendations: the lead cannot accept while a reviewer asks for a revision… it requests one.
      expect(
        (
          await call('POST', `/api/v1/review-submissions/${sub.MAAGA}/recommendations`, 'cityAgadir', {
            recommendation: 'accept',
          })
        ).statusCode,
      ).toBe(403);
      await ok(
        call('POST', `/api/v1/review-submissions/${sub.MAAGA}/recommendations`, 'reviewerJO', {
          recommendation: 'revise',
          summary: 'Say who leads measure B.',
        }),
      );
      // EC has not recommended yet
      expect((await tr('reviewerEC', 'accept', { consolidated: { en: 'x' } })).statusCode).toBe(409);
      expect((await tr('reviewerJO', 'request-revision')).statusCode).toBe(403); // not the lead
      expect((await tr('cityAgadir', 'request-revision')).statusCode).toBe(403);
      expect((await ok(tr('reviewerEC', 'request-revision', { note: 'See the comment on measure B.' }))).state).toBe(
        'revision-requested',
      );

      // The submitter revises and submits again (round 2); reviewers still read round 1 until then.
      // Round 1 (never published) held the SECRET text; round 2 is what is published.
      const revised = {
        ...completeAnswers(PUBLIC_TEXT),
        measures_institutions: [
          { measure_institutions: `${PUBLIC_TEXT} measure A` },
          { measure_institutions: `${PUBLIC_TEXT} measure B, led by the municipal council` },
        ],
      };
      await ok(call('PUT', `/api/v1/review-submissions/${sub.MAAGA}/answers`, 'cityAgadir', { answers: revised }));
      const readByReviewer = await ok(call('GET', `/api/v1/review-submissions/${sub.MAAGA}`, 'reviewerJO'));
      expect(readByReviewer.submitted.round).toBe(1);
      expect(JSON.stringify(readByReviewer.submitted.answers)).not.toContain('led by the municipal council');
      expect((await tr('reviewerJO', 'submit')).statusCode).toBe(403);
      expect((await ok(tr('nationalMorocco', 'submit'))).round).toBe(2);
      await ok(tr('admin', 'start-review'));

      for (const who of ['reviewerJO', 'reviewerEC'])
        await ok(
          call('POST', `/api/v1/review-submissions/${sub.MAAGA}/recommendations`, who, { recommendation: 'accept' }),
        );
      const noText = await tr('reviewerEC', 'accept');
      expect(noText.statusCode).toBe(422);
      expect(noText.json().error).toBe('consolidated_required');
      const consolidated = { en: `Consolidated observations: a clear plan. ${PUBLIC_TEXT}`, ar: 'ملاحظات موحدة' };
      expect((await tr('reviewerJO', 'accept', { consolidated })).statusCode).toBe(403);
      expect((await ok(tr('reviewerEC', 'accept', { consolidated }))).state).toBe('accepted');
      expect((await tr('reviewerEC', 'publish')).statusCode).toBe(403);
      expect((await tr('cityAgadir', 'publish')).statusCode).toBe(403);
      const pub = await ok(tr('admin', 'publish'));
      expect(pub).toMatchObject({ state: 'published', actions: [] });
      expect((await tr('admin', 'submit')).statusCode).toBe(409);
    });

    it('shows the timeline, and every step is in the audit log', async () => {
      const tl = await ok(call('GET', `/api/v1/review-submissions/${sub.MAAGA}/timeline`, 'cityAgadir'));
      const moves = tl.items
        .filter((e: { kind: string }) => e.kind === 'transition')
        .map((e: { action: string; to: string; actorRole: string }) => `${e.action}→${e.to} by ${e.actorRole}`);
      expect(moves).toEqual([
        'submit→submitted by submitter',
        'start-review→in-review by administrator',
        'request-revision→revision-requested by lead-reviewer',
        'submit→submitted by submitter',
        'start-review→in-review by administrator',
        'accept→accepted by lead-reviewer',
        'publish→published by administrator',
      ]);
      expect(tl.items.map((e: { kind: string }) => e.kind)).toEqual(
        expect.arrayContaining(['invited', 'assigned', 'declared', 'commented', 'recommended']),
      );
      expect(JSON.stringify(tl.items)).not.toMatch(/@reviews\.example|Person /);
      expect((await call('GET', `/api/v1/review-submissions/${sub.MAAGA}/timeline`, 'cityAmman')).statusCode).toBe(403);

      const audit = await ok(
        call('GET', `/api/v1/audit?entityType=review-submission&entityId=${sub.MAAGA}&limit=100`, 'admin'),
      );
      const actions = audit.items.map((a: { action: string }) => a.action);
      for (const a of [
        'update',
        'submit',
        'assign',
        'start-review',
        'recommend',
        'request-revision',
        'accept',
        'publish',
      ])
        expect(actions, a).toContain(a);
      const declarations = await ok(call('GET', '/api/v1/audit?entityType=review-assignment&limit=100', 'admin'));
      expect(declarations.items.filter((a: { action: string }) => a.action === 'declare')).toHaveLength(3);
      const comments = await ok(call('GET', '/api/v1/audit?entityType=review-comment&limit=100', 'admin'));
      expect(comments.items).toHaveLength(3);
      const cycles = await ok(call('GET', `/api/v1/audit?entityType=review-cycle&entityId=${cycleId}`, 'admin'));
      expect(cycles.items.map((a: { action: string }) => a.action)).toEqual(['create']);
    });
  });

  describe('publication', () => {
    it('shows a published review to the public, and nothing unpublished on any public route', async () => {
      // Amman submits (unpublished); the Philippines stay in draft; Agadir's first round and the comments were never
      // published.
      await ok(
        call('PUT', `/api/v1/review-submissions/${sub.JOAMM}/answers`, 'cityAmman', {
          answers: completeAnswers(SECRET),
        }),
      );
      await ok(call('POST', `/api/v1/review-submissions/${sub.JOAMM}/transitions`, 'cityAmman', { action: 'submit' }));
      await ok(
        call('PUT', `/api/v1/review-submissions/${sub.PHL}/answers`, 'admin', {
          answers: { institution: `Draft ${SECRET}` },
        }),
      );

      const list = await ok(call('GET', '/api/v1/published-reviews', null));
      expect(list.items.map((x: { id: number }) => x.id)).toEqual([sub.MAAGA]);
      const page = await ok(call('GET', `/api/v1/published-reviews/${sub.MAAGA}`, null));
      expect(page).toMatchObject({
        place: { code: 'MAAGA', countryCode: 'MAR' },
        languages: ['en', 'ar'],
        round: 2,
        consolidated: { ar: 'ملاحظات موحدة' },
        demo: false,
      });
      expect(page.answers.measures_institutions[1].measure_institutions).toContain('led by the municipal council');
      expect(page.questionnaire.definition.formId).toBe(DEMO_QUESTIONNAIRE.formId);
      expect(page.reviewers).toEqual([
        { countries: ['ECU'], lead: true },
        { countries: ['JOR'], lead: false },
      ]);
      expect(page.steps.map((s: { to: string }) => s.to)).toEqual([
        'submitted',
        'in-review',
        'revision-requested',
        'submitted',
        'in-review',
        'accepted',
        'published',
      ]);
      for (const id of [sub.JOAMM, sub.PHL])
        expect((await call('GET', `/api/v1/published-reviews/${id}`, null)).statusCode).toBe(404);

      // Every public GET route of the application, with every submission's id and the cycle's.
      const publicGets = routes
        .filter((r) => r.method === 'GET' && r.url.startsWith('/api/v1/') && !r.guarded)
        .map((r) => r.url);
      expect(publicGets).toEqual(
        expect.arrayContaining(['/api/v1/published-reviews', '/api/v1/published-reviews/:id']),
      );
      let published = 0;
      for (const url of publicGets) {
        for (const id of [sub.MAAGA, sub.JOAMM, sub.PHL, cycleId]) {
          const res = await call('GET', url.replace(/:id\b/g, String(id)).replace(/:\w+/g, 'MAAGA'), null);
          expect(res.body, url).not.toContain(SECRET.slice(0, 11));
          expect(res.body.toLowerCase(), url).not.toMatch(/@reviews\.example|person reviewer|person city/);
          if (res.body.includes(PUBLIC_TEXT)) published++;
        }
      }
      expect(published).toBeGreaterThan(0); // the published page was read: the check could fail
      // Signed-in routes refuse the public.
      for (const url of [
        `/api/v1/review-submissions/${sub.JOAMM}`,
        `/api/v1/review-submissions/${sub.JOAMM}/comments`,
        `/api/v1/review-cycles/${cycleId}`,
        `/api/v1/review-cycles/${cycleId}/board-report`,
      ]) {
        expect((await call('GET', url, null)).statusCode, url).toBe(401);
      }
    });
  });

  describe('report to the Executive Board', () => {
    it('counts a fixture counted by hand, each number with its list, by theme and by region, and exports it as CSV', async () => {
      // Cycle: Agadir (MAR, Northern Africa), Amman (JOR, Western Asia), Quito (ECU, Latin America), Jordan itself.
      const c = await ok(
        call('POST', '/api/v1/review-cycles', 'admin', {
          kind: 'voluntary-local-review',
          titles: { en: 'Board fixture' },
          startsOn: '2025-01-01',
          endsOn: '2025-12-31',
          questionnaireVersionId: versionId,
          participants: ['MAAGA', 'JOAMM', 'ECUIO', 'JOR'],
        }),
        201,
      );
      const s = Object.fromEntries(
        c.participants.map((p: { place: { code: string }; submission: { id: number } }) => [
          p.place.code,
          p.submission.id,
        ]),
      );
      // Agadir: 2 institutions measures + 1 co-production, 1 evidence difficulty, 1 capacity need.
      await ok(
        call('PUT', `/api/v1/review-submissions/${s.MAAGA}/answers`, 'admin', { answers: completeAnswers('AGA') }),
      );
      await ok(call('POST', `/api/v1/review-submissions/${s.MAAGA}/transitions`, 'admin', { action: 'submit' }));
      // Amman: 1 inclusion measure, 1 partnerships difficulty, 2 needs; has_strategy 'no' hides strategy_date (not a
      // record anyway).
      await ok(
        call('PUT', `/api/v1/review-submissions/${s.JOAMM}/answers`, 'cityAmman', {
          answers: {
            institution: 'Amman office',
            has_strategy: 'no',
            measures_inclusion: [{ measure_inclusion: 'AMM inclusion' }],
            difficulty_partnerships: 'AMM partnerships',
            need_capacity: 'AMM training',
            need_evidence: 'AMM data',
          },
        }),
      );
      await ok(call('POST', `/api/v1/review-submissions/${s.JOAMM}/transitions`, 'cityAmman', { action: 'submit' }));
      // Quito: a draft with answers — never counted.
      await ok(
        call('PUT', `/api/v1/review-submissions/${s.ECUIO}/answers`, 'admin', { answers: completeAnswers('UIO') }),
      );

      const r = await ok(call('GET', `/api/v1/review-cycles/${c.id}/board-report`, 'admin'));
      const count = (f: { count: number; items: unknown[] }) => {
        expect(f.items).toHaveLength(f.count);
        return f.count;
      };
      expect(count(r.participation.invited)).toBe(4);
      expect(count(r.participation.submitted)).toBe(2);
      expect(r.participation.submitted.items.map((i: { place: string }) => i.place)).toEqual(['JOAMM', 'MAAGA']);
      expect(count(r.participation.reviewed)).toBe(0);
      expect(count(r.participation.published)).toBe(0);
      const kinds = Object.fromEntries(
        r.records.byKind.map((k: { kind: string; figure: { count: number; items: unknown[] } }) => [
          k.kind,
          count(k.figure),
        ]),
      );
      expect(kinds).toEqual({ measure: 4, difficulty: 2, 'assistance-need': 3 });
      const theme = (kind: string, th: string) =>
        count(r.records.byTheme.find((x: { kind: string; theme: string }) => x.kind === kind && x.theme === th).figure);
      expect(theme('measure', 'enabling-institutions')).toBe(2);
      expect(theme('measure', 'co-production')).toBe(1);
      expect(theme('measure', 'inclusion')).toBe(1);
      expect(theme('measure', 'human-rights-lawfulness')).toBe(0);
      expect(theme('difficulty', 'evidence-monitoring')).toBe(1);
      expect(theme('difficulty', 'networks-partnerships')).toBe(1);
      expect(theme('assistance-need', 'capacity-building')).toBe(2);
      expect(theme('assistance-need', 'evidence-monitoring')).toBe(1);
      expect(r.records.byTheme).toHaveLength(3 * 10);
      const inst = r.records.byTheme.find(
        (x: { kind: string; theme: string }) => x.kind === 'measure' && x.theme === 'enabling-institutions',
      ).figure.items;
      expect(
        inst.map((i: { path: string; value: string; place: string }) => `${i.place} ${i.path} ${i.value}`),
      ).toEqual([
        'MAAGA measures_institutions/0/measure_institutions AGA measure A',
        'MAAGA measures_institutions/1/measure_institutions AGA measure B',
      ]);
      const region = (kind: string, code: string) =>
        count(
          r.records.byRegion.find(
            (x: { kind: string; region: { code: string } | null }) => x.kind === kind && x.region?.code === code,
          ).figure,
        );
      expect(region('measure', '015')).toBe(3); // Northern Africa: Agadir
      expect(region('measure', '145')).toBe(1); // Western Asia: Amman
      expect(region('assistance-need', '145')).toBe(2);
      expect(region('measure', '419')).toBe(0); // Latin America: Quito's draft is not counted
      expect(r.participation.byRegion.find((x: { region: { code: string } }) => x.region.code === '145')).toMatchObject(
        { invited: 2, submitted: 1 },
      );
      // Success indicators: figures from the records or left out with a reason, never typed.
      const si = Object.fromEntries(r.successIndicators.map((x: { code: string }) => [x.code, x]));
      expect(si['d-financial-resources']).toMatchObject({
        available: true,
        atCycleEnd: { count: 0 },
        amounts: { atCycleEnd: [] },
      });
      expect(si['e-awareness']).toMatchObject({ available: false });
      expect(si['c-pilot-countries'].atCycleEnd.count).toBe(9);
      expect(si['c-pilot-countries'].atCycleEnd.items.map((i: { place: string }) => i.place)).toContain('PHL');
      for (const code of ['a-tools-shared', 'b-tools-piloted', 'c-coordination-centres', 'f-partners-joined']) {
        const x = si[code];
        if (x.available)
          expect(x.atCycleEnd.count, code).toBe(new Set(x.atCycleEnd.items.map((i: { id: number }) => i.id)).size);
        else expect(x.reason, code).toMatch(/migration 007/);
      }

      const csv = await call('GET', `/api/v1/review-cycles/${c.id}/board-report.csv`, 'admin');
      expect(csv.statusCode).toBe(200);
      expect(csv.headers['content-type']).toMatch(/text\/csv/);
      const lines = csv.body
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
      expect(lines[0]).toBe('section,figure,group,count,place,country,region,submission,question,value');
      expect(lines).toContain('records-by-theme,measure,enabling-institutions,2');
      expect(lines).toContain(
        `records-by-theme,measure,enabling-institutions,,MAAGA,MAR,015,${s.MAAGA},measures_institutions/0/measure_institutions,AGA measure A`,
      );
      expect(lines).toContain('participation,submitted,,2');
      expect((await call('GET', `/api/v1/review-cycles/${c.id}/board-report`, 'nationalMorocco')).statusCode).toBe(403);
      // No route orders places by a score: no endpoint of reviews sorts by anything but dates, cycle and code.
      expect(routes.some((x) => /rank|league|score/i.test(x.url))).toBe(false);
    });
  });

  describe('the rest', () => {
    it('keeps cycles, submissions, rounds, assignments, comments and the timeline through a backup and restore', async () => {
      const before = await ok(call('GET', `/api/v1/published-reviews/${sub.MAAGA}`, null));
      const chunks: string[] = [];
      for await (const c of dumpDatabase(t.db.store)) chunks.push(c);
      const counts = await restoreDatabase(
        t.db.store,
        (async function* () {
          yield* chunks;
        })(),
      );
      expect(counts).toMatchObject({
        review_cycles: 2,
        review_participants: 7,
        review_submissions: 7,
        review_assignments: 3,
        review_recommendations: 3,
        review_comments: 3,
      });
      expect(counts.review_submission_rounds).toBe(5);
      expect(await ok(call('GET', `/api/v1/published-reviews/${sub.MAAGA}`, null))).toEqual(before);
      const next = await t.db.store.exclusive((c) =>
        c.query<{ id: number }>("SELECT nextval('review_events_id_seq') AS id"),
      );
      expect(Number(next.rows[0]!.id)).toBeGreaterThan(counts.review_events!);
    });

    it('appears in the OpenAPI document under the reviews tag', async () => {
      const doc = (await t.app.inject({ url: '/api/openapi.json' })).json();
      for (const p of [
        '/api/v1/review-cycles',
        '/api/v1/review-submissions/{id}/transitions',
        '/api/v1/review-assignments/{id}/declaration',
        '/api/v1/published-reviews/{id}',
        '/api/v1/review-cycles/{id}/board-report.csv',
      ]) {
        expect(doc.paths[p], p).toBeTruthy();
      }
      expect(doc.paths['/api/v1/review-submissions/{id}/transitions'].post.tags).toEqual(['reviews']);
    });
  });
});
