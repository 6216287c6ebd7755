import type { AssessmentAnswers, AssessmentChecks } from '@marsad/core';
import type { Store } from '@marsad/db';
import type { AuditActor } from '../audit/audit-log.ts';
import type { Actor } from '../auth/actor.ts';
import { createAssessment, getAssessment, saveAnswers, submitAssessment } from './assessments.ts';
import { placeByCode, selectAssessmentsOf } from './safety-monitor-store.ts';

/**
 * Demonstration self-assessments (issue 20, item 2) of two pilot cities, Agadir (MAAGA) and Amman (JOAMM), made
 * through the same functions as the API: each city's first assessment submitted, and a second one (Agadir:
 * submitted, showing the change; Amman: a draft). Flagged `demo` (every answer about them carries `demo: true`,
 * every page says "synthetic demonstration"), and every note says it is synthetic — none of it is a statement of
 * the municipalities named. The checks Marsad prefills come from the synthetic pilot observations.
 */
export const DEMO_ASSESSMENT_PLACES = ['MAAGA', 'JOAMM'] as const;

const DEMO_AUDIT: AuditActor = { label: 'demo', userId: null, ip: null };
const ADMIN: Actor = { kind: 'admin-token', userId: null, label: 'demo', roles: [], scopes: null, grants: [], ip: '' };

const NOTE =
  'Synthetic demonstration answer, not a statement of the municipality. / إجابة تجريبية مصطنعة، لا تمثل موقف البلدية.';

type Plan = Record<string, Partial<AssessmentChecks>>;

/** The answers a city "gave", over the prefill (only the checks set here change). */
const ROUNDS: Record<(typeof DEMO_ASSESSMENT_PLACES)[number], { day: string; at: string | null; checks: Plan }[]> = {
  MAAGA: [
    {
      day: '2025-06-30',
      at: '2025-06-30T10:00:00Z',
      checks: {
        'crime-statistics': { used: false },
        'integrated-security-responses': { exists: false, regular: false, disaggregated: false, used: false },
        'perceptions-of-justice-and-safety': { exists: true, regular: false, disaggregated: true, used: false },
        justice: { exists: true, regular: true, disaggregated: false, used: false },
      },
    },
    {
      day: '2026-06-30',
      at: '2026-06-30T10:00:00Z',
      checks: {
        'crime-statistics': { used: true },
        'integrated-security-responses': { exists: true, regular: false, disaggregated: false, used: true },
        'perceptions-of-justice-and-safety': { exists: true, regular: true, disaggregated: true, used: false },
        justice: { exists: true, regular: true, disaggregated: false, used: true },
      },
    },
  ],
  JOAMM: [
    {
      day: '2025-09-30',
      at: '2025-09-30T10:00:00Z',
      checks: {
        'crime-statistics': { used: false },
        'integrated-security-responses': { exists: false, regular: false, disaggregated: false, used: false },
        'perceptions-of-justice-and-safety': { exists: false, regular: false, disaggregated: false, used: false },
        justice: { exists: true, regular: false, disaggregated: false, used: false },
      },
    },
    {
      day: '2026-09-30',
      at: null,
      checks: {
        'crime-statistics': { used: true },
        'perceptions-of-justice-and-safety': { exists: true, regular: false, disaggregated: true, used: false },
      },
    },
  ],
};

/** Adds the demonstration assessments of a city that has none yet (so loading the demonstration twice adds nothing). */
export async function loadDemoAssessments(store: Store): Promise<number> {
  let made = 0;
  for (const place of DEMO_ASSESSMENT_PLACES) {
    const row = await placeByCode(store.db, place);
    if (!row || (await selectAssessmentsOf(store.db, row.id)).length > 0) continue;
    for (const round of ROUNDS[place]) {
      const draft = await createAssessment(store, ADMIN, DEMO_AUDIT, place, { demo: true, day: round.day });
      const answers: AssessmentAnswers = {};
      for (const [code, checks] of Object.entries(round.checks)) {
        const a = draft.answers[code];
        if (!a) continue;
        answers[code] = { ...a, checks: { ...a.checks, ...checks }, note: NOTE };
      }
      await saveAnswers(store, ADMIN, DEMO_AUDIT, draft.id, answers);
      if (round.at) await submitAssessment(store, ADMIN, DEMO_AUDIT, draft.id, round.at);
      else await getAssessment(store, ADMIN, draft.id);
      made++;
    }
  }
  return made;
}
