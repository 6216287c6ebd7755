import {
  AssessmentAnswers as AnswersSchema,
  type AssessmentAnswers,
  type AssessmentChange,
  type AssessmentProfile,
  assessableIndicators,
  assessmentChanges,
  deriveProfile,
  frameworkCatalogueCodes,
  type IndicatorPrefill,
  prefillIndicator,
  type SafetyFrameworkStructure,
  startingAnswers,
} from '@marsad/core';
import type { Store } from '@marsad/db';
import { type AuditActor, appendAudit } from '../audit/audit-log.ts';
import type { Actor } from '../auth/actor.ts';
import { canWritePlace, isAdministrator } from '../auth/policy.ts';
import { HttpError } from '../http/errors.ts';
import { searchItems } from '../knowledge/knowledge-search.ts';
import { currentVersion, type FrameworkVersion, versionById } from './framework-versions.ts';
import {
  type AssessmentRow,
  draftExists,
  existingIndicatorCodes,
  existingKnowledgeIds,
  insertAssessment,
  markSubmitted,
  type PlaceRow,
  placeByCode,
  placeById,
  reviewsPlace,
  selectAssessment,
  selectAssessmentsOf,
  selectHoldings,
  selectLastSubmitted,
  updateDraftAnswers,
} from './safety-monitor-store.ts';

/**
 * A city's self-assessment against the Urban Safety Monitor (issue 20, item 2). Private: written by the place's
 * focal points (city, and national above it) and administrators; read by them and by reviewers with an active
 * assignment in a review cycle of the place (or of a place above it); nobody else, and never the public. A draft is
 * saved any number of times; once submitted it is read-only, and the next assessment of the place starts from it.
 * Every change is audited in its transaction.
 */

export interface AssessmentAccess {
  reads: boolean;
  writes: boolean;
}

export async function accessTo(store: Store, actor: Actor | null, place: PlaceRow): Promise<AssessmentAccess> {
  if (!actor) return { reads: false, writes: false };
  if (canWritePlace(actor, place.path)) return { reads: true, writes: true };
  const reviewer = actor.userId !== null && (await reviewsPlace(store.db, actor.userId, place.path));
  return { reads: reviewer, writes: false };
}

async function placeOf(store: Store, code: string): Promise<PlaceRow> {
  const place = await placeByCode(store.db, code);
  if (!place) throw new HttpError(400, 'bad_request', `place: no place with code "${code}".`);
  return place;
}

function refuseRead(code: string): HttpError {
  return new HttpError(
    403,
    'safety_assessment_forbidden',
    `The self-assessments of ${code} are read by its focal points, administrators and the reviewers of a review cycle of the place only.`,
  );
}
function refuseWrite(code: string): HttpError {
  return new HttpError(
    403,
    'safety_assessment_forbidden',
    `The self-assessments of ${code} are written by its city or national focal points and administrators only.`,
  );
}

const today = () => new Date().toISOString().slice(0, 10);

/** The prefill of every assessable indicator of the structure from the approved observations of the place. */
export async function computePrefill(
  store: Store,
  structure: SafetyFrameworkStructure,
  placeId: number,
  day: string,
): Promise<Record<string, IndicatorPrefill>> {
  const holdings = await selectHoldings(store.db, placeId, frameworkCatalogueCodes(structure));
  const out: Record<string, IndicatorPrefill> = {};
  for (const ind of assessableIndicators(structure))
    out[ind.code] = prefillIndicator(
      ind.measures.flatMap((m) => m.indicators),
      holdings,
      day,
    );
  return out;
}

export interface AssessmentSummary {
  id: number;
  place: string;
  state: 'draft' | 'submitted';
  demo: boolean;
  frameworkVersion: number;
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  /** How many indicators fall in each category of the profile (counts of this place's own assessment). */
  counts: { strengths: number; connect: number; weakest: number; unassessed: number };
}

export interface AssessmentView extends AssessmentSummary {
  placeNames: Record<string, string>;
  framework: { id: number; version: number; structure: SafetyFrameworkStructure; latestVersion: number };
  answers: AssessmentAnswers;
  prefill: Record<string, IndicatorPrefill>;
  prefilledOn: string;
  /** The submitted assessment this one is compared with (the last one submitted before it), and the changes. */
  previous: { id: number; submittedAt: string | null } | null;
  changes: AssessmentChange[];
  canWrite: boolean;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

async function versions(store: Store, ids: number[]): Promise<Map<number, FrameworkVersion>> {
  const out = new Map<number, FrameworkVersion>();
  for (const id of new Set(ids)) out.set(id, await versionById(store, id));
  return out;
}

function summary(r: AssessmentRow, place: PlaceRow, v: FrameworkVersion): AssessmentSummary {
  const p = deriveProfile(v.structure, r.answers as AssessmentAnswers);
  return {
    id: r.id,
    place: place.code,
    state: r.state,
    demo: r.demo,
    frameworkVersion: v.version,
    createdAt: iso(r.createdAt)!,
    updatedAt: iso(r.updatedAt)!,
    submittedAt: iso(r.submittedAt),
    counts: {
      strengths: p.strengths.length,
      connect: p.connect.length,
      weakest: p.weakest.length,
      unassessed: p.unassessed.length,
    },
  };
}

/** The assessments of one place (oldest first), for those who may read them. */
export async function listAssessments(
  store: Store,
  actor: Actor | null,
  placeCode: string,
): Promise<{ place: string; placeNames: Record<string, string>; canWrite: boolean; items: AssessmentSummary[] }> {
  const place = await placeOf(store, placeCode);
  const access = await accessTo(store, actor, place);
  if (!access.reads) throw refuseRead(place.code);
  const rows = await selectAssessmentsOf(store.db, place.id);
  const vs = await versions(
    store,
    rows.map((r) => r.versionId),
  );
  return {
    place: place.code,
    placeNames: place.names,
    canWrite: access.writes,
    items: rows.map((r) => summary(r, place, vs.get(r.versionId)!)),
  };
}

async function readable(store: Store, actor: Actor | null, id: number) {
  const row = await selectAssessment(store.db, id);
  const place = row ? await placeById(store.db, row.placeId) : undefined;
  if (!row || !place) throw new HttpError(404, 'safety_assessment_not_found', `No self-assessment ${id}.`);
  const access = await accessTo(store, actor, place);
  if (!access.reads) throw new HttpError(404, 'safety_assessment_not_found', `No self-assessment ${id}.`);
  return { row, place, access };
}

export async function getAssessment(store: Store, actor: Actor | null, id: number): Promise<AssessmentView> {
  const { row, place, access } = await readable(store, actor, id);
  const v = await versionById(store, row.versionId);
  const latest = await currentVersion(store);
  const prev = await selectLastSubmitted(store.db, place.id, row.id);
  const answers = row.answers as AssessmentAnswers;
  return {
    ...summary(row, place, v),
    placeNames: place.names,
    framework: { id: v.id, version: v.version, structure: v.structure, latestVersion: latest.version },
    answers,
    prefill: row.prefill as Record<string, IndicatorPrefill>,
    prefilledOn: row.prefilledOn,
    previous: prev ? { id: prev.id, submittedAt: iso(prev.submittedAt) } : null,
    changes: prev ? assessmentChanges(v.structure, prev.answers as AssessmentAnswers, answers) : [],
    canWrite: access.writes && row.state === 'draft',
  };
}

/**
 * Starts an assessment of the place: a draft on the framework's latest version, starting from the last submitted
 * assessment's answers, with the checks Marsad can tell prefilled from approved observations. 409 while a draft
 * of the place exists.
 */
export async function createAssessment(
  store: Store,
  actor: Actor | null,
  audit: AuditActor,
  placeCode: string,
  options: { demo?: boolean; day?: string } = {},
): Promise<AssessmentView> {
  const place = await placeOf(store, placeCode);
  const access = await accessTo(store, actor, place);
  if (!access.writes) throw refuseWrite(place.code);
  const v = await currentVersion(store);
  const day = options.day ?? today();
  const prefill = await computePrefill(store, v.structure, place.id, day);
  const last = await selectLastSubmitted(store.db, place.id);
  const lastAnswers = last ? AnswersSchema.safeParse(last.answers) : null;
  const answers = startingAnswers(v.structure, lastAnswers?.success ? lastAnswers.data : null, prefill);
  const draftConflict = (existing: number | null) =>
    new HttpError(
      409,
      'safety_assessment_draft_exists',
      `${place.code} already has a draft self-assessment${existing === null ? '' : ` (${existing})`}: continue it or submit it first.`,
      existing === null ? undefined : { id: existing },
    );
  const id = await store
    .exclusive(async (conn) => {
      const existing = await draftExists(conn, place.id);
      if (existing !== null) throw draftConflict(existing);
      const id = await insertAssessment(conn, {
        placeId: place.id,
        versionId: v.id,
        answers,
        prefill,
        prefilledOn: day,
        previousId: last?.id ?? null,
        // One started from a demonstration assessment copies its synthetic answers: it is flagged too.
        demo: options.demo ?? last?.demo ?? false,
        userId: audit.userId,
        label: audit.label,
      });
      await appendAudit(conn, audit, {
        action: 'create',
        entityType: 'safety-assessment',
        entityId: id,
        summary: `Started a self-assessment of ${place.code} on version ${v.version} of the Urban Safety Monitor`,
        after: { place: place.code, frameworkVersion: v.version, previous: last?.id ?? null, answers },
      });
      return id;
    })
    .catch((e: unknown) => {
      // Another draft of the place committed meanwhile (the partial unique index of migration 032).
      if ((e as { code?: unknown }).code === '23505') throw draftConflict(null);
      throw e;
    });
  return getAssessment(store, actor ?? null, id);
}

/** Evidence names knowledge items and catalogue indicators that exist. */
async function checkEvidence(store: Store, answers: AssessmentAnswers): Promise<void> {
  const items = [...new Set(Object.values(answers).flatMap((a) => a.evidence.knowledge))];
  const codes = [...new Set(Object.values(answers).flatMap((a) => a.evidence.observations.map((o) => o.indicator)))];
  const knownItems = await existingKnowledgeIds(store.db, items);
  const knownCodes = await existingIndicatorCodes(store.db, codes);
  const missing = [
    ...items.filter((i) => !knownItems.has(i)).map((i) => `knowledge item ${i}`),
    ...codes.filter((c) => !knownCodes.has(c)).map((c) => `indicator "${c}"`),
  ];
  if (missing.length)
    throw new HttpError(
      400,
      'safety_assessment_unknown_evidence',
      `answers: the evidence names what Marsad does not hold: ${missing.join(', ')}.`,
      { missing },
    );
}

/** Only the framework's assessable indicators, each once. */
function checkAnswers(structure: SafetyFrameworkStructure, answers: AssessmentAnswers): void {
  const codes = new Set(assessableIndicators(structure).map((i) => i.code));
  const unknown = Object.keys(answers).filter((k) => !codes.has(k));
  if (unknown.length)
    throw new HttpError(
      400,
      'safety_assessment_unknown_indicator',
      `answers: ${unknown.map((k) => `"${k}"`).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not an indicator of this version of the framework.`,
      { indicators: unknown },
    );
}

async function writable(store: Store, actor: Actor | null, id: number) {
  const r = await readable(store, actor, id);
  if (!r.access.writes) throw refuseWrite(r.place.code);
  if (r.row.state !== 'draft')
    throw new HttpError(409, 'safety_assessment_submitted', `Self-assessment ${id} is submitted: it is read-only.`);
  return r;
}

export async function saveAnswers(
  store: Store,
  actor: Actor | null,
  audit: AuditActor,
  id: number,
  answers: AssessmentAnswers,
): Promise<AssessmentView> {
  const { row, place } = await writable(store, actor, id);
  const v = await versionById(store, row.versionId);
  checkAnswers(v.structure, answers);
  await checkEvidence(store, answers);
  const merged = { ...(row.answers as AssessmentAnswers), ...answers };
  await store.exclusive(async (conn) => {
    if (!(await updateDraftAnswers(conn, id, merged, audit.label)))
      throw new HttpError(409, 'safety_assessment_submitted', `Self-assessment ${id} is submitted: it is read-only.`);
    await appendAudit(conn, audit, {
      action: 'update',
      entityType: 'safety-assessment',
      entityId: id,
      summary: `Saved the draft self-assessment ${id} of ${place.code}`,
      before: { answers: row.answers },
      after: { answers: merged },
    });
  });
  return getAssessment(store, actor, id);
}

export async function submitAssessment(
  store: Store,
  actor: Actor | null,
  audit: AuditActor,
  id: number,
  at?: string,
): Promise<AssessmentView> {
  const { place } = await writable(store, actor, id);
  await store.exclusive(async (conn) => {
    if (!(await markSubmitted(conn, id, audit.label, at)))
      throw new HttpError(409, 'safety_assessment_submitted', `Self-assessment ${id} is submitted: it is read-only.`);
    await appendAudit(conn, audit, {
      action: 'update',
      entityType: 'safety-assessment',
      entityId: id,
      summary: `Submitted the self-assessment ${id} of ${place.code}`,
      before: { state: 'draft' },
      after: { state: 'submitted' },
    });
  });
  return getAssessment(store, actor, id);
}

export interface SuggestedTool {
  id: number;
  type: string;
  title: string;
  language: string;
}

/** Up to three knowledge items for an indicator: searched by its name, then its measures' names, then its longer words. */
async function suggestions(store: Store, queries: string[], lang: string): Promise<SuggestedTool[]> {
  const found = new Map<number, SuggestedTool>();
  for (const q of queries) {
    if (found.size >= 3) break;
    const page = await searchItems(store, { q, lang, limit: 3, offset: 0 });
    for (const h of page.items)
      if (found.size < 3 && !found.has(h.id))
        found.set(h.id, { id: h.id, type: h.type, title: h.title, language: h.language });
  }
  return [...found.values()];
}

/** The names to search by: the reader's language, then Arabic and English (the repository's documents are mostly in these). */
function nameIn(names: Record<string, string | undefined>, lang: string): string[] {
  return [...new Set([names[lang], names.ar, names.en].filter((x): x is string => !!x))];
}

export interface AssessmentProfileView {
  assessment: AssessmentView;
  profile: AssessmentProfile;
  /** Suggested knowledge items per indicator code (capacities to connect and weakest links). */
  tools: Record<string, SuggestedTool[]>;
}

/** The one-page profile of an assessment, with suggested tools from the knowledge repository. */
export async function assessmentProfile(
  store: Store,
  actor: Actor | null,
  id: number,
  lang: string,
): Promise<AssessmentProfileView> {
  const assessment = await getAssessment(store, actor, id);
  const structure = assessment.framework.structure;
  const profile = deriveProfile(structure, assessment.answers);
  const byCode = new Map(assessableIndicators(structure).map((i) => [i.code, i]));
  const tools: Record<string, SuggestedTool[]> = {};
  for (const e of [...profile.weakest, ...profile.connect]) {
    const ind = byCode.get(e.indicator);
    if (!ind) continue;
    const names = [...new Set(nameIn(ind.names, lang))];
    const measures = ind.measures.flatMap((m) => nameIn(m.names, lang));
    const words = names.flatMap((n) => n.split(/[\s,;:()]+/u).filter((w) => w.length >= 5));
    tools[e.indicator] = await suggestions(store, [...new Set([...names, ...measures, ...words])].slice(0, 8), lang);
  }
  return { assessment, profile, tools };
}

/** Whether the actor may read some assessment of the place (the city profile's PDF and link ask this). */
export async function mayReadAssessmentsOf(store: Store, actor: Actor | null, placeCode: string): Promise<boolean> {
  const place = await placeByCode(store.db, placeCode);
  if (!place) return false;
  if (isAdministrator(actor)) return true;
  return (await accessTo(store, actor, place)).reads;
}
