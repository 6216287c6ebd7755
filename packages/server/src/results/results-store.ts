import type { Schema, SqlConn } from '@marsad/db';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { z } from 'zod';
import { HttpError } from '../http/errors.ts';
import type {
  PartnerInput,
  PillarInput,
  ProgrammeCreate,
  ProgrammePlaceInput,
  ResultCreate,
} from './results-inputs.ts';

/** Shared lookups and list writes of the results API (parameterised SQL, inside the caller's transaction). */

export interface PlaceRow {
  id: number;
  code: string;
  path: string;
  level: string;
}

/** The places of these codes, in the order given; 400 naming the field for an unknown one. */
export async function resolvePlaces(db: Kysely<Schema>, codes: readonly string[], field: string): Promise<PlaceRow[]> {
  const unique = [...new Set(codes)];
  if (!unique.length) return [];
  const rows = await db
    .selectFrom('places')
    .select(['id', 'code', 'path', 'level'])
    .where('code', 'in', unique)
    .execute();
  const missing = unique.filter((c) => !rows.some((r) => r.code === c));
  if (missing.length)
    throw new HttpError(400, 'bad_request', `${field}: no place ${missing.map((m) => `"${m}"`).join(', ')}.`);
  return unique.map((c) => rows.find((r) => r.code === c)!);
}

/** 400 naming the field when a partner organisation does not exist. */
export async function checkPartners(
  db: Kysely<Schema>,
  partners: readonly z.infer<typeof PartnerInput>[],
  field: string,
): Promise<void> {
  const ids = partners.flatMap((p) => ('organisationId' in p ? [p.organisationId] : []));
  if (!ids.length) return;
  const found = await sql<{ id: number }>`SELECT id FROM partner_organisations WHERE id = ANY(${ids}::int[])`.execute(
    db,
  );
  const index = partners.findIndex((p) => 'organisationId' in p && !found.rows.some((r) => r.id === p.organisationId));
  if (index >= 0) {
    const p = partners[index] as { organisationId: number };
    throw new HttpError(
      400,
      'bad_request',
      `${field}.${index}.organisationId: no partner organisation ${p.organisationId}.`,
    );
  }
}

/** Replaces the partners of a programme (resultId null) or of one result. */
export async function writePartners(
  conn: SqlConn,
  programmeId: number,
  resultId: number | null,
  partners: readonly z.infer<typeof PartnerInput>[],
): Promise<void> {
  if (resultId === null)
    await conn.query('DELETE FROM programme_partners WHERE programme_id = $1 AND result_id IS NULL', [programmeId]);
  else await conn.query('DELETE FROM programme_partners WHERE result_id = $1', [resultId]);
  for (const [i, p] of partners.entries()) {
    await conn.query(
      'INSERT INTO programme_partners (programme_id, result_id, organisation_id, names, position) VALUES ($1, $2, $3, $4, $5)',
      [
        programmeId,
        resultId,
        'organisationId' in p ? p.organisationId : null,
        'names' in p ? JSON.stringify(p.names) : null,
        i,
      ],
    );
  }
}

/** Replaces a programme's pillars, keeping those whose code stays (and so their links to results). */
export async function writePillars(
  conn: SqlConn,
  programmeId: number,
  pillars: readonly z.infer<typeof PillarInput>[],
): Promise<void> {
  const codes = pillars.map((p) => p.code);
  const dup = codes.find((c, i) => codes.indexOf(c) !== i);
  if (dup) throw new HttpError(400, 'bad_request', `pillars: the code "${dup}" is given twice.`);
  await conn.query('DELETE FROM programme_pillars WHERE programme_id = $1 AND NOT (code = ANY($2::text[]))', [
    programmeId,
    codes,
  ]);
  for (const [i, p] of pillars.entries()) {
    await conn.query(
      `INSERT INTO programme_pillars (programme_id, code, kind, names, descriptions, position) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (programme_id, code) DO UPDATE SET kind = EXCLUDED.kind, names = EXCLUDED.names, descriptions = EXCLUDED.descriptions, position = EXCLUDED.position`,
      [programmeId, p.code, p.kind, JSON.stringify(p.names), JSON.stringify(p.descriptions ?? {}), p.position ?? i],
    );
  }
}

/**
 * The participation record as given, with its places resolved (before a transaction: only its connection may be used in
 * it).
 */
export async function resolveProgrammePlaces(
  db: Kysely<Schema>,
  places: readonly z.infer<typeof ProgrammePlaceInput>[],
) {
  const rows = await resolvePlaces(
    db,
    places.map((p) => p.place),
    'places',
  );
  const dup = places.find((p, i) => places.findIndex((q) => q.place === p.place) !== i);
  if (dup) throw new HttpError(400, 'bad_request', `places: the place "${dup.place}" is given twice.`);
  return places.map((p) => ({ ...p, placeId: rows.find((r) => r.code === p.place)!.id }));
}

/** Replaces a programme's participation record. */
export async function writeProgrammePlaces(
  conn: SqlConn,
  programmeId: number,
  places: readonly (z.infer<typeof ProgrammePlaceInput> & { placeId: number })[],
): Promise<void> {
  await conn.query('DELETE FROM programme_places WHERE programme_id = $1', [programmeId]);
  for (const p of places) {
    await conn.query(
      'INSERT INTO programme_places (programme_id, place_id, role, since_year, notes) VALUES ($1, $2, $3, $4, $5)',
      [programmeId, p.placeId, p.role, p.sinceYear ?? null, JSON.stringify(p.notes ?? {})],
    );
  }
}

/** The pillar ids of these codes in the programme; 400 naming the field for an unknown one. */
export async function resolvePillars(
  db: Kysely<Schema>,
  programmeId: number,
  codes: readonly string[],
  field: string,
): Promise<number[]> {
  if (!codes.length) return [];
  const rows = await db
    .selectFrom('programme_pillars')
    .select(['id', 'code'])
    .where('programme_id', '=', programmeId)
    .where('code', 'in', [...codes])
    .execute();
  const missing = codes.filter((c) => !rows.some((r) => r.code === c));
  if (missing.length)
    throw new HttpError(
      400,
      'bad_request',
      `${field}: the programme has no pillar ${missing.map((m) => `"${m}"`).join(', ')}.`,
    );
  return [...new Set(codes)].map((c) => rows.find((r) => r.code === c)!.id);
}

/** The paths of a result's responsible places. */
export async function resultPlacePaths(db: Kysely<Schema>, resultIds: readonly number[]): Promise<string[]> {
  if (!resultIds.length) return [];
  const rows = await db
    .selectFrom('result_places as rp')
    .innerJoin('places as p', 'p.id', 'rp.place_id')
    .where('rp.result_id', 'in', [...resultIds])
    .select('p.path')
    .execute();
  return rows.map((r) => r.path);
}

/** A result and all results under it (ids). */
export async function subtreeIds(db: Kysely<Schema>, resultId: number): Promise<number[]> {
  const rows = await sql<{ id: number }>`
    WITH RECURSIVE t(id) AS (SELECT id FROM results WHERE id = ${resultId} UNION ALL SELECT r.id FROM results r JOIN t ON r.parent_id = t.id)
    SELECT id FROM t`.execute(db);
  return rows.rows.map((r) => r.id);
}

export const LEVEL_RANK: Record<string, number> = { impact: 0, outcome: 1, output: 2, activity: 3 };

/** Whether a pg / PGlite error is a unique violation. */
export function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: string }).code === '23505';
}

/** Adds a programme's own row (its lists are written after); 409 naming `code` when the code is taken. */
export async function insertProgramme(conn: SqlConn, b: z.infer<typeof ProgrammeCreate>): Promise<number> {
  try {
    const row = await conn.query<{ id: number }>(
      `INSERT INTO programmes (code, names, descriptions, start_year, end_year, status, reference, reporting_org, demo)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [
        b.code,
        JSON.stringify(b.names),
        JSON.stringify(b.descriptions ?? {}),
        b.startYear,
        b.endYear,
        b.status ?? 'under-way',
        b.reference ?? null,
        JSON.stringify(b.reportingOrg ?? {}),
        b.demonstration ?? false,
      ],
    );
    return row.rows[0]!.id;
  } catch (e) {
    if (isUniqueViolation(e)) throw new HttpError(409, 'conflict', `code: a programme "${b.code}" exists already.`);
    throw e;
  }
}

/** Adds a result's own row to a programme (its links are written after); 409 naming `code` when taken. */
export async function insertResult(
  conn: SqlConn,
  programmeId: number,
  b: z.infer<typeof ResultCreate>,
): Promise<number> {
  try {
    const row = await conn.query<{ id: number }>(
      `INSERT INTO results (programme_id, parent_id, level, code, titles, descriptions, start_date, end_date, status,
         weight, position)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
      [
        programmeId,
        b.parent ?? null,
        b.level,
        b.code ?? null,
        JSON.stringify(b.titles),
        JSON.stringify(b.descriptions ?? {}),
        b.startDate ?? null,
        b.endDate ?? null,
        b.status ?? 'planned',
        b.weight ?? 1,
        b.position ?? 0,
      ],
    );
    return row.rows[0]!.id;
  } catch (e) {
    if (isUniqueViolation(e))
      throw new HttpError(409, 'conflict', `code: the programme has a result "${b.code}" already.`);
    throw e;
  }
}
