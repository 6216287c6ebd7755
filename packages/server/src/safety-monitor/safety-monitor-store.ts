import type { SeriesHoldings } from '@marsad/core';
import type { Schema, SqlConn } from '@marsad/db';
import { type Kysely, sql } from 'kysely';

/** The SQL of the safety monitor's framework versions and self-assessments (parameterised; writes in the caller's transaction). */

export interface VersionRow {
  id: number;
  framework: string;
  version: number;
  structure: unknown;
  note: string;
  createdBy: string;
  createdAt: Date | string;
}

const VERSION_COLUMNS = `id, framework, version, structure, note, created_by_label AS "createdBy", created_at AS "createdAt"`;

async function rows<T>(db: Kysely<Schema>, text: string, params: unknown[]): Promise<T[]> {
  // A raw statement with numbered parameters, run on the store's connection pool (reads outside a transaction).
  const parts = text.split(/\$(\d+)/);
  const strings: string[] = [];
  const values: unknown[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    strings.push(parts[i]!);
    if (i + 1 < parts.length) values.push(params[Number(parts[i + 1]) - 1]);
  }
  const tpl = Object.assign([...strings], { raw: strings }) as unknown as TemplateStringsArray;
  return (await sql<T>(tpl, ...values).execute(db)).rows;
}

export async function selectCurrentVersion(db: Kysely<Schema>, framework: string): Promise<VersionRow | undefined> {
  const [r] = await rows<VersionRow>(
    db,
    `SELECT ${VERSION_COLUMNS} FROM safety_framework_versions WHERE framework = $1 ORDER BY version DESC LIMIT 1`,
    [framework],
  );
  return r;
}

export async function selectVersion(
  db: Kysely<Schema>,
  framework: string,
  version: number,
): Promise<VersionRow | undefined> {
  const [r] = await rows<VersionRow>(
    db,
    `SELECT ${VERSION_COLUMNS} FROM safety_framework_versions WHERE framework = $1 AND version = $2`,
    [framework, version],
  );
  return r;
}

export async function selectVersionById(db: Kysely<Schema>, id: number): Promise<VersionRow | undefined> {
  const [r] = await rows<VersionRow>(db, `SELECT ${VERSION_COLUMNS} FROM safety_framework_versions WHERE id = $1`, [
    id,
  ]);
  return r;
}

/** The versions of a framework, newest first, without their structures. */
export async function selectVersions(
  db: Kysely<Schema>,
  framework: string,
): Promise<Omit<VersionRow, 'structure' | 'framework'>[]> {
  return rows(
    db,
    `SELECT id, version, note, created_by_label AS "createdBy", created_at AS "createdAt"
     FROM safety_framework_versions WHERE framework = $1 ORDER BY version DESC`,
    [framework],
  );
}

/** The first version of a framework, unless one exists (several servers starting at once add it once). */
export async function insertSeedVersion(
  conn: SqlConn,
  framework: string,
  structure: unknown,
  note: string,
): Promise<boolean> {
  const r = await conn.query(
    `INSERT INTO safety_framework_versions (framework, version, structure, note, created_by_label)
     SELECT $1, 1, $2::jsonb, $3, 'Marsad'
     WHERE NOT EXISTS (SELECT 1 FROM safety_framework_versions WHERE framework = $1)
     ON CONFLICT (framework, version) DO NOTHING RETURNING id`,
    [framework, JSON.stringify(structure), note],
  );
  return r.rows.length > 0;
}

/** The next version of a framework; null when `after` is no longer the latest (someone saved meanwhile). */
export async function insertNextVersion(
  conn: SqlConn,
  w: { framework: string; after: number; structure: unknown; note: string; userId: number | null; label: string },
): Promise<{ id: number; version: number } | null> {
  const r = await conn.query<{ id: number; version: number }>(
    `INSERT INTO safety_framework_versions (framework, version, structure, note, created_by, created_by_label)
     SELECT $1, $2::int + 1, $3::jsonb, $4, $5, $6
     WHERE (SELECT max(version) FROM safety_framework_versions WHERE framework = $1) = $2::int
     ON CONFLICT (framework, version) DO NOTHING RETURNING id, version`,
    [w.framework, w.after, JSON.stringify(w.structure), w.note, w.userId, w.label],
  );
  return r.rows[0] ?? null;
}

/** Which of these codes are indicators of the catalogue. */
export async function existingIndicatorCodes(db: Kysely<Schema>, codes: readonly string[]): Promise<Set<string>> {
  if (!codes.length) return new Set();
  const r = await db
    .selectFrom('indicators')
    .select('code')
    .where('code', 'in', [...codes])
    .execute();
  return new Set(r.map((x) => x.code));
}

/** Which of these ids are items of the knowledge repository. */
export async function existingKnowledgeIds(db: Kysely<Schema>, ids: readonly number[]): Promise<Set<number>> {
  if (!ids.length) return new Set();
  const r = await rows<{ id: number }>(db, 'SELECT id FROM knowledge_items WHERE id = ANY($1::int[])', [[...ids]]);
  return new Set(r.map((x) => x.id));
}

export interface PlaceRow {
  id: number;
  code: string;
  path: string;
  level: string;
  names: Record<string, string>;
}

export async function placeByCode(db: Kysely<Schema>, code: string): Promise<PlaceRow | undefined> {
  return (await db
    .selectFrom('places')
    .select(['id', 'code', 'path', 'level', 'names'])
    .where('code', '=', code)
    .executeTakeFirst()) as PlaceRow | undefined;
}

export async function placeById(db: Kysely<Schema>, id: number): Promise<PlaceRow | undefined> {
  return (await db
    .selectFrom('places')
    .select(['id', 'code', 'path', 'level', 'names'])
    .where('id', '=', id)
    .executeTakeFirst()) as PlaceRow | undefined;
}

/**
 * What Marsad holds at the place for these catalogue indicators: per series, the distinct periods with an approved
 * value, the latest of them and the day it ends, and whether an approved value is broken down (disaggregation
 * other than the total). The place's own values only (not its districts').
 */
export async function selectHoldings(
  db: Kysely<Schema>,
  placeId: number,
  codes: readonly string[],
): Promise<SeriesHoldings[]> {
  if (!codes.length) return [];
  return rows<SeriesHoldings>(
    db,
    `SELECT i.code AS indicator, s.code AS series, count(DISTINCT o.period)::int AS periods,
            (array_agg(o.period ORDER BY o.period_end DESC, o.period DESC))[1] AS "latestPeriod",
            to_char(max(o.period_end), 'YYYY-MM-DD') AS "latestEnd",
            bool_or(o.disagg_id <> 0) AS "brokenDown"
     FROM indicators i
     JOIN series s ON s.indicator_id = i.id
     JOIN observations o ON o.series_id = s.id AND o.place_id = $1 AND o.status = 'approved'
     WHERE i.code = ANY($2::text[])
     GROUP BY i.code, s.code
     ORDER BY i.code, s.code`,
    [placeId, [...codes]],
  );
}

/**
 * Whether the user is a reviewer of a review cycle of the place: an active assignment (conflicts declared, none
 * found) on a submission of the place or of a place above it.
 */
export async function reviewsPlace(db: Kysely<Schema>, userId: number, placePath: string): Promise<boolean> {
  const r = await rows(
    db,
    `SELECT 1 FROM review_assignments a
     JOIN review_submissions s ON s.id = a.submission_id
     JOIN places p ON p.id = s.place_id
     WHERE a.reviewer_user_id = $1 AND a.status = 'active' AND left($2::text, length(p.path)) = p.path
     LIMIT 1`,
    [userId, placePath],
  );
  return r.length > 0;
}

export interface AssessmentRow {
  id: number;
  placeId: number;
  versionId: number;
  state: 'draft' | 'submitted';
  answers: unknown;
  prefill: unknown;
  prefilledOn: string;
  previousId: number | null;
  demo: boolean;
  createdBy: string;
  createdAt: Date | string;
  updatedBy: string;
  updatedAt: Date | string;
  submittedBy: string | null;
  submittedAt: Date | string | null;
}

const ASSESSMENT_COLUMNS = `id, place_id AS "placeId", framework_version_id AS "versionId", state, answers, prefill,
  to_char(prefilled_on, 'YYYY-MM-DD') AS "prefilledOn", previous_id AS "previousId", demo,
  created_by_label AS "createdBy", created_at AS "createdAt", updated_by_label AS "updatedBy",
  updated_at AS "updatedAt", submitted_by_label AS "submittedBy", submitted_at AS "submittedAt"`;

export async function selectAssessment(db: Kysely<Schema>, id: number): Promise<AssessmentRow | undefined> {
  const [r] = await rows<AssessmentRow>(db, `SELECT ${ASSESSMENT_COLUMNS} FROM safety_assessments WHERE id = $1`, [id]);
  return r;
}

/** The assessments of a place, oldest first (never ordered by any score). */
export async function selectAssessmentsOf(db: Kysely<Schema>, placeId: number): Promise<AssessmentRow[]> {
  return rows(db, `SELECT ${ASSESSMENT_COLUMNS} FROM safety_assessments WHERE place_id = $1 ORDER BY created_at, id`, [
    placeId,
  ]);
}

/** The last submitted assessment of a place before `beforeId` (or at all). */
export async function selectLastSubmitted(
  db: Kysely<Schema>,
  placeId: number,
  beforeId?: number,
): Promise<AssessmentRow | undefined> {
  const [r] = await rows<AssessmentRow>(
    db,
    `SELECT ${ASSESSMENT_COLUMNS} FROM safety_assessments
     WHERE place_id = $1 AND state = 'submitted' AND id < $2
     ORDER BY submitted_at DESC, id DESC LIMIT 1`,
    [placeId, beforeId ?? 2_147_483_647],
  );
  return r;
}

export async function draftExists(conn: SqlConn, placeId: number): Promise<number | null> {
  const r = await conn.query<{ id: number }>(
    `SELECT id FROM safety_assessments WHERE place_id = $1 AND state = 'draft' LIMIT 1`,
    [placeId],
  );
  return r.rows[0]?.id ?? null;
}

export async function insertAssessment(
  conn: SqlConn,
  w: {
    placeId: number;
    versionId: number;
    answers: unknown;
    prefill: unknown;
    prefilledOn: string;
    previousId: number | null;
    demo: boolean;
    userId: number | null;
    label: string;
  },
): Promise<number> {
  const r = await conn.query<{ id: number }>(
    `INSERT INTO safety_assessments (place_id, framework_version_id, answers, prefill, prefilled_on, previous_id, demo,
       created_by, created_by_label, updated_by_label)
     VALUES ($1, $2, $3::jsonb, $4::jsonb, $5::date, $6, $7, $8, $9, $9) RETURNING id`,
    [
      w.placeId,
      w.versionId,
      JSON.stringify(w.answers),
      JSON.stringify(w.prefill),
      w.prefilledOn,
      w.previousId,
      w.demo,
      w.userId,
      w.label,
    ],
  );
  const [row] = r.rows;
  if (!row) throw new Error('safety_assessments: INSERT returned no row');
  return row.id;
}

/** Saves a draft's answers; false when it is no longer a draft. */
export async function updateDraftAnswers(conn: SqlConn, id: number, answers: unknown, label: string): Promise<boolean> {
  const r = await conn.query(
    `UPDATE safety_assessments SET answers = $2::jsonb, updated_by_label = $3, updated_at = now()
     WHERE id = $1 AND state = 'draft' RETURNING id`,
    [id, JSON.stringify(answers), label],
  );
  return r.rows.length > 0;
}

export async function markSubmitted(conn: SqlConn, id: number, label: string, at?: string): Promise<boolean> {
  const r = await conn.query(
    `UPDATE safety_assessments SET state = 'submitted', submitted_by_label = $2,
       submitted_at = coalesce($3::timestamptz, now()), updated_by_label = $2, updated_at = coalesce($3::timestamptz, now())
     WHERE id = $1 AND state = 'draft' RETURNING id`,
    [id, label, at ?? null],
  );
  return r.rows.length > 0;
}

export async function deleteDraft(conn: SqlConn, id: number): Promise<boolean> {
  const r = await conn.query(`DELETE FROM safety_assessments WHERE id = $1 AND state = 'draft' RETURNING id`, [id]);
  return r.rows.length > 0;
}
