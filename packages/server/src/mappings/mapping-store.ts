import type { Schema, SqlConn } from '@marsad/db';
import type { Kysely } from 'kysely';
import type { MappingKind } from './mapping-body.ts';

/** The SQL of saved mappings (parameterised; writes inside the caller's transaction). */

export interface MappingRow {
  id: number;
  name: string;
  kind: MappingKind;
  body: Record<string, unknown>;
  placeId: number;
  placeCode: string;
  placePath: string;
  createdBy: string;
  createdAt: Date | string;
  updatedBy: string;
  updatedAt: Date | string;
}

function select(db: Kysely<Schema>) {
  return db
    .selectFrom('saved_mappings as m')
    .innerJoin('places as p', 'p.id', 'm.place_id')
    .select([
      'm.id',
      'm.name',
      'm.kind',
      'm.body',
      'm.place_id as placeId',
      'p.code as placeCode',
      'p.path as placePath',
      'm.created_by_label as createdBy',
      'm.created_at as createdAt',
      'm.updated_by_label as updatedBy',
      'm.updated_at as updatedAt',
    ]);
}

/** Mappings of a kind and/or of places under a path (all when not given), by place then name. */
export async function selectMappings(
  db: Kysely<Schema>,
  filter: { kind?: MappingKind; underPath?: string },
): Promise<MappingRow[]> {
  let q = select(db);
  if (filter.kind) q = q.where('m.kind', '=', filter.kind);
  if (filter.underPath) q = q.where('p.path', 'like', `${filter.underPath.replace(/[\\%_]/g, '\\$&')}%`);
  return (await q.orderBy('p.path').orderBy('m.name').execute()) as MappingRow[];
}

export async function selectMapping(db: Kysely<Schema>, id: number): Promise<MappingRow | undefined> {
  return (await select(db).where('m.id', '=', id).executeTakeFirst()) as MappingRow | undefined;
}

/** The mappings of this name (whatever its case) and kind, in every place. */
export async function selectMappingsNamed(db: Kysely<Schema>, kind: MappingKind, name: string): Promise<MappingRow[]> {
  return (await select(db)
    .where('m.kind', '=', kind)
    .where((eb) => eb(eb.fn('lower', ['m.name']), '=', name.trim().toLowerCase()))
    .orderBy('p.path')
    .execute()) as MappingRow[];
}

/** Whether another mapping of the place holds this name (whatever its case). */
export async function nameTaken(conn: SqlConn, placeId: number, name: string, exceptId?: number): Promise<boolean> {
  const r = await conn.query(
    'SELECT 1 FROM saved_mappings WHERE place_id = $1 AND lower(name) = lower($2) AND id <> $3 LIMIT 1',
    [placeId, name, exceptId ?? 0],
  );
  return r.rows.length > 0;
}

export interface MappingWrite {
  placeId: number;
  name: string;
  kind: MappingKind;
  body: unknown;
  userId: number | null;
  label: string;
}

export async function insertMapping(conn: SqlConn, w: MappingWrite): Promise<number> {
  const r = await conn.query<{ id: number }>(
    `INSERT INTO saved_mappings (place_id, name, kind, body, created_by, created_by_label, updated_by, updated_by_label)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6, $5, $6) RETURNING id`,
    [w.placeId, w.name, w.kind, JSON.stringify(w.body), w.userId, w.label],
  );
  const [row] = r.rows;
  if (!row) throw new Error('saved_mappings: INSERT returned no row');
  return row.id;
}

export async function updateMapping(conn: SqlConn, id: number, w: MappingWrite): Promise<void> {
  await conn.query(
    `UPDATE saved_mappings SET place_id = $2, name = $3, kind = $4, body = $5::jsonb, updated_by = $6,
       updated_by_label = $7, updated_at = now()
     WHERE id = $1`,
    [id, w.placeId, w.name, w.kind, JSON.stringify(w.body), w.userId, w.label],
  );
}

export async function deleteMapping(conn: SqlConn, id: number): Promise<void> {
  await conn.query('DELETE FROM saved_mappings WHERE id = $1', [id]);
}

export async function placeByCode(
  db: Kysely<Schema>,
  code: string,
): Promise<{ id: number; code: string; path: string } | undefined> {
  return db.selectFrom('places').select(['id', 'code', 'path']).where('code', '=', code).executeTakeFirst();
}
