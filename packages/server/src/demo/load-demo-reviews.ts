/**
 * Demonstration review cycle (issue 6 item 7): a Voluntary Local Review cycle of the cities of
 * the ESCWA inter-regional project of seed 003 (Agadir, Amman, Quito, Almaty, Battambang, Havana,
 * San José, Maseru) and the Philippines as a country (seed 003 names no Philippine city), over the
 * project's period (launched in Agadir on 8 December 2021, until mid-2023). Agadir's review is
 * published, Amman's is in review, Quito's is submitted; the others are invited, in draft.
 *
 * Everything is flagged: the cycle is `demo` (every API answer about it carries `demo: true`),
 * and every written answer says it is demonstration text — none of it is a statement of the
 * governments or municipalities named. Made through the same functions as the API (state
 * machine, assignments with their grants and declarations, audit log, timeline).
 */

import type { AnswerSet } from '@marsad/core';
import type { RoleName, Store } from '@marsad/db';
import type { AuditActor } from '../audit/audit-log.ts';
import type { Actor } from '../auth/actor.ts';
import { hashPassword } from '../auth/passwords.ts';
import { saveQuestionnaire } from '../reviews/questionnaire-store.ts';
import { assignReviewers, declare } from '../reviews/review-assignments.ts';
import { addParticipants, createCycle, getCycle } from '../reviews/review-cycles.ts';
import { addComment, recommend } from '../reviews/review-exchange.ts';
import { REVIEW_GRANT } from '../reviews/review-records.ts';
import { saveAnswers, transition } from '../reviews/review-submissions.ts';
import { DEMO_QUESTIONNAIRE } from './demo-questionnaire.ts';
import { randomPassword } from './load-demo-accounts.ts';

export const DEMO_REVIEW_PLACES = ['MAAGA', 'JOAMM', 'ECUIO', 'KZALA', 'KHBBM', 'CUHAV', 'CRSJO', 'LSMSU', 'PHL'];

/**
 * Reviewers of the demonstration (also demonstration accounts, load-demo-accounts.ts, which
 * gives them passwords): from Morocco, Kazakhstan and Ecuador, so that each submission has two
 * reviewers from other countries.
 */
export const DEMO_REVIEWERS: { email: string; name: string; place: string }[] = [
  { email: 'reviewer@demo.marsad.example', name: 'Demo reviewer (Agadir)', place: 'MAAGA' },
  { email: 'reviewer-almaty@demo.marsad.example', name: 'Demo reviewer (Almaty)', place: 'KZALA' },
  { email: 'reviewer-quito@demo.marsad.example', name: 'Demo reviewer (Quito)', place: 'ECUIO' },
];

const DEMO_AUDIT: AuditActor = { label: 'demo', userId: null, ip: null };
const ADMIN: Actor = { kind: 'admin-token', userId: null, label: 'demo', roles: [], scopes: null, grants: [], ip: '' };

const ar = (s: string) => `(نص تجريبي، لا يمثل موقف أي جهة رسمية) ${s}`;
const en = (s: string) => `(Demonstration text, not a statement of any government) ${s}`;

const ANSWERS: Record<string, { languages: string[]; answers: AnswerSet }> = {
  MAAGA: {
    languages: ['ar'],
    answers: {
      institution: ar('مكتب بلدي للأمان الحضري (مثال توضيحي)'),
      has_strategy: 'yes',
      strategy_date: '2022-03-15',
      measures_institutions: [
        {
          measure_institutions: ar('إعداد خطة عمل محلية للأمان على نطاق المدينة بالتشاور مع مجالس الأحياء.'),
          measure_indicator: '16.1.1',
        },
        { measure_institutions: ar('إدراج بند للأمان الحضري في ميزانية البلدية السنوية.') },
      ],
      measures_coproduction: [{ measure_coproduction: ar('جولات مشي استكشافية مع السكان لتحديد الأماكن غير الآمنة.') }],
      measures_inclusion: [{ measure_inclusion: ar('تحسين إنارة الممرات التي تستعملها النساء والشباب ليلا.') }],
      difficulty_evidence: ar('قلة البيانات المصنفة على مستوى الأحياء.'),
      need_capacity: ar('تدريب فريق البلدية على تحليل بيانات الأمان.'),
      summary: ar('هذه إجابة تجريبية لعرض طريقة عمل الاستعراض.'),
    },
  },
  JOAMM: {
    languages: ['ar'],
    answers: {
      institution: ar('وحدة تخطيط تابعة للمدينة (مثال توضيحي)'),
      has_strategy: 'no',
      measures_coproduction: [{ measure_coproduction: ar('لجان أحياء تجتمع كل ثلاثة أشهر لمناقشة الأمان.') }],
      difficulty_partnerships: ar('تعدد الجهات المعنية وصعوبة التنسيق بينها.'),
      need_evidence: ar('دعم فني لإعداد مسح للإيذاء على مستوى المدينة.'),
    },
  },
  ECUIO: {
    languages: ['en'],
    answers: {
      institution: en('A municipal safety secretariat (illustrative)'),
      has_strategy: 'yes',
      strategy_date: '2021-09-01',
      measures_institutions: [
        {
          measure_institutions: en('A city-wide violence prevention plan adopted by the council.'),
          measure_indicator: '16.1.1',
        },
      ],
      measures_inclusion: [{ measure_inclusion: en('Safe routes to school designed with young people.') }],
      difficulty_evidence: en('Police and health records count incidents differently.'),
      need_capacity: en('Training in participatory safety audits.'),
    },
  },
};

/**
 * A demonstration reviewer's account, active (only active accounts can be assigned) with a random
 * password known to nobody; loadDemoAccounts gives it the password it prints.
 */
async function demoUser(
  store: Store,
  d: { email: string; name: string; place: string },
  role: RoleName,
): Promise<{ actor: Actor; id: number }> {
  const passwordHash = await hashPassword(randomPassword());
  return store.db.transaction().execute(async (trx) => {
    const place = await trx
      .selectFrom('places')
      .select(['id', 'path', 'code'])
      .where('code', '=', d.place)
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('users')
      .values({ email: d.email, display_name: d.name, status: 'active', password_hash: passwordHash })
      .onConflict((oc) => oc.column('email').doNothing())
      .execute();
    const user = await trx.selectFrom('users').select('id').where('email', '=', d.email).executeTakeFirstOrThrow();
    await trx
      .insertInto('role_assignments')
      .values({ user_id: user.id, role, place_id: place.id })
      .onConflict((oc) => oc.doNothing())
      .execute();
    const actor: Actor = {
      kind: 'user',
      userId: user.id,
      label: 'demo',
      roles: [{ role, placeId: place.id, placePath: place.path, placeCode: place.code }],
      scopes: null,
      grants: [],
      ip: '',
    };
    return { actor, id: user.id };
  });
}

/** A focal point of the place, as the demonstration's submitter (no account: the answers are the demonstration's). */
async function submitter(store: Store, code: string): Promise<Actor> {
  const p = await store.db
    .selectFrom('places')
    .select(['id', 'path', 'level'])
    .where('code', '=', code)
    .executeTakeFirstOrThrow();
  const role: RoleName = p.level === 'country' ? 'national-focal-point' : 'city-focal-point';
  return {
    kind: 'user',
    userId: null,
    label: 'demo',
    roles: [{ role, placeId: p.id, placePath: p.path, placeCode: code }],
    scopes: null,
    grants: [],
    ip: '',
  } satisfies Actor;
}

const withGrant = (a: Actor, submissionId: number): Actor => ({
  ...a,
  grants: [
    ...a.grants,
    { recordType: REVIEW_GRANT.recordType, recordId: String(submissionId), permission: REVIEW_GRANT.permission },
  ],
});

export async function demoReviewsLoaded(store: Store): Promise<boolean> {
  return store.exclusive(
    async (conn) => (await conn.query('SELECT 1 FROM review_cycles WHERE demo LIMIT 1')).rows.length > 0,
  );
}

/** Loads the demonstration cycle (once). */
export async function loadDemoReviews(store: Store): Promise<{ cycleId: number | null }> {
  if (await demoReviewsLoaded(store)) return { cycleId: null };
  const saved = await saveQuestionnaire(store, DEMO_AUDIT, DEMO_QUESTIONNAIRE, { mode: 'import', source: 'app' });
  const cycle = await createCycle(
    store,
    DEMO_AUDIT,
    {
      kind: 'voluntary-local-review',
      titles: {
        ar: 'دورة تجريبية: الاستعراضات المحلية الطوعية لمدن مشروع التعاون الأقاليمي لتنفيذ الخطة الحضرية الجديدة (بيانات عرض)',
        en: 'Demonstration: Voluntary Local Reviews of the cities of the inter-regional New Urban Agenda project (demonstration data)',
      },
      descriptions: {
        ar: 'بيانات عرض: المدن التجريبية لمشروع الإسكوا (أكادير، عمّان، كيتو، ألماتي، باتامبانج، هافانا، سان خوسيه، ماسيرو) والفلبين. الإجابات نصوص تجريبية.',
        en: 'Demonstration data: the pilot cities of the ESCWA project (Agadir, Amman, Quito, Almaty, Battambang, Havana, San José, Maseru) and the Philippines. The answers are demonstration text.',
      },
      startsOn: '2021-12-08',
      endsOn: '2023-06-30',
      questionnaireVersionId: saved.version.id,
    },
    { demo: true },
  );
  await store.exclusive((conn) => addParticipants(conn, DEMO_AUDIT, cycle.id, DEMO_REVIEW_PLACES));
  const after = await store.exclusive((conn) => getCycle(conn, cycle.id));
  const sub = Object.fromEntries(after.participants.map((p) => [p.place.code, p.submission.id]));
  const reviewers = await Promise.all(DEMO_REVIEWERS.map((r) => demoUser(store, r, 'reviewer')));
  const [ma, kz, ec] = reviewers as [
    { actor: Actor; id: number },
    { actor: Actor; id: number },
    { actor: Actor; id: number },
  ];

  for (const code of ['MAAGA', 'JOAMM', 'ECUIO']) {
    const who = await submitter(store, code);
    await saveAnswers(store, who, DEMO_AUDIT, sub[code]!, ANSWERS[code]!, 'ar');
    await transition(store, who, DEMO_AUDIT, sub[code]!, { action: 'submit' }, 'ar');
  }

  // Agadir (Morocco): reviewers from Kazakhstan (lead) and Ecuador; one revision, then accepted and published.
  const aga = sub.MAAGA!;
  const agaAssigned = await assignReviewers(store, ADMIN, DEMO_AUDIT, aga, { reviewers: [kz.id, ec.id], lead: kz.id });
  const kzA = withGrant(kz.actor, aga);
  const ecA = withGrant(ec.actor, aga);
  await declare(store, kzA, DEMO_AUDIT, agaAssigned.find((a) => a.reviewerUserId === kz.id)!.id, {
    conflict: false,
    statement: en('No link with the city under review.'),
  });
  await declare(store, ecA, DEMO_AUDIT, agaAssigned.find((a) => a.reviewerUserId === ec.id)!.id, { conflict: false });
  await transition(store, ADMIN, DEMO_AUDIT, aga, { action: 'start-review' }, 'ar');
  const c = await addComment(store, ecA, DEMO_AUDIT, aga, {
    questionPath: 'measures_institutions/1/measure_institutions',
    body: en('Could the answer say how the budget line is followed up?'),
    language: 'en',
  });
  await addComment(store, await submitter(store, 'MAAGA'), DEMO_AUDIT, aga, {
    replyTo: c.id,
    body: ar('تتابعها لجنة المالية في البلدية كل سنة.'),
    language: 'ar',
  });
  await recommend(store, ecA, DEMO_AUDIT, aga, {
    recommendation: 'revise',
    summary: en('Add how the budget line is followed up.'),
    language: 'en',
  });
  await transition(
    store,
    kzA,
    DEMO_AUDIT,
    aga,
    { action: 'request-revision', note: en('One point to complete; see the comment.') },
    'ar',
  );
  const revised = structuredClone(ANSWERS.MAAGA!);
  (revised.answers.measures_institutions as AnswerSet[])[1]!.measure_institutions = ar(
    'إدراج بند للأمان الحضري في ميزانية البلدية السنوية، تتابعه لجنة المالية كل سنة.',
  );
  await saveAnswers(store, await submitter(store, 'MAAGA'), DEMO_AUDIT, aga, revised, 'ar');
  await transition(store, await submitter(store, 'MAAGA'), DEMO_AUDIT, aga, { action: 'submit' }, 'ar');
  await transition(store, ADMIN, DEMO_AUDIT, aga, { action: 'start-review' }, 'ar');
  await recommend(store, kzA, DEMO_AUDIT, aga, { recommendation: 'accept' });
  await recommend(store, ecA, DEMO_AUDIT, aga, { recommendation: 'accept' });
  await transition(
    store,
    kzA,
    DEMO_AUDIT,
    aga,
    {
      action: 'accept',
      consolidated: {
        ar: ar(
          'يعرض الاستعراض خطة عمل محلية أعدت بمشاركة السكان، وبندا في الميزانية تتابعه البلدية. يقترح المراجعون تبادل تجربة جولات المشي الاستكشافية مع مدن الشبكة، ويؤكدون الحاجة إلى بيانات مصنفة على مستوى الأحياء.',
        ),
        en: en(
          'The review presents a local action plan prepared with residents and a budget line the municipality follows up. The reviewers suggest sharing the experience of exploratory safety walks with the cities of the network, and confirm the need for data by neighbourhood.',
        ),
      },
    },
    'ar',
  );
  await transition(store, ADMIN, DEMO_AUDIT, aga, { action: 'publish' }, 'ar');

  // Amman (Jordan): reviewers from Morocco (lead) and Kazakhstan, in review, one comment so far.
  const amm = sub.JOAMM!;
  const ammAssigned = await assignReviewers(store, ADMIN, DEMO_AUDIT, amm, { reviewers: [ma.id, kz.id], lead: ma.id });
  const maB = withGrant(ma.actor, amm);
  const kzB = withGrant(kz.actor, amm);
  await declare(store, maB, DEMO_AUDIT, ammAssigned.find((a) => a.reviewerUserId === ma.id)!.id, { conflict: false });
  await declare(store, kzB, DEMO_AUDIT, ammAssigned.find((a) => a.reviewerUserId === kz.id)!.id, { conflict: false });
  await transition(store, ADMIN, DEMO_AUDIT, amm, { action: 'start-review' }, 'ar');
  await addComment(store, maB, DEMO_AUDIT, amm, {
    body: ar('إجابات واضحة؛ هل توجد خطة لإعداد استراتيجية على نطاق المدينة؟'),
    language: 'ar',
  });

  // Quito is submitted, waiting for its reviewers; the other places are invited, in draft.
  return { cycleId: cycle.id };
}
