import { metadataFieldPosition } from '@marsad/core';
import type { Schema, SqlConn } from '@marsad/db';
import type { Kysely } from 'kysely';

/**
 * The SQL of an indicator's metadata (migration 017, `indicator_metadata`: one row per indicator,
 * source, language and field): reading it for the pages, and writing the texts an administrator
 * enters in them (indicator-metadata-routes.ts), inside the caller's transaction.
 */

/** The indicator a metadata route names, with what deciding who may edit it needs. */
export async function indicatorOf(db: Kysely<Schema>, code: string) {
  return db
    .selectFrom('indicators as i')
    .leftJoin('places as p', 'p.id', 'i.owner_place_id')
    .select(['i.id', 'i.code', 'i.local', 'p.code as owner_code', 'p.path as owner_path'])
    .where('i.code', '=', code)
    .executeTakeFirst();
}

/** Every metadata text of an indicator, with the place it reports for, by source and position. */
export async function metadataRows(db: Kysely<Schema>, indicatorId: number) {
  return db
    .selectFrom('indicator_metadata as m')
    .leftJoin('places as p', 'p.id', 'm.place_id')
    .select([
      'm.source',
      'm.lang',
      'm.field',
      'm.text',
      'm.position',
      'm.updated_at',
      'p.code as place_code',
      'p.names as place_names',
    ])
    .where('m.indicator_id', '=', indicatorId)
    .orderBy('m.source')
    .orderBy('m.position')
    .orderBy('m.field')
    .orderBy('m.lang')
    .execute();
}

/** Texts by field and language: `{ data_footnote: { en: '…', fr: '…' } }`. */
export type FieldTexts = Record<string, Record<string, string>>;

export interface MetadataWrite {
  /** The texts of the fields written as they were, and as they are (for the audit log). */
  before: FieldTexts;
  after: FieldTexts;
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
}

/**
 * Writes texts of one source of an indicator's metadata: a language given replaces its text (trimmed), an empty one
 * removes it; the fields and languages left out stay. New rows take the place the source reports for (a new source:
 * none) and the field's position (its other languages', else its place in Open SDG's order); they have no batch, as
 * they come from no import. A new import of the repository of that source replaces the source's texts.
 */
export async function writeMetadataTexts(
  conn: SqlConn,
  indicatorId: number,
  source: string,
  fields: FieldTexts,
): Promise<MetadataWrite> {
  const rows = (
    await conn.query<{
      id: number;
      lang: string;
      field: string;
      text: string;
      position: number;
      place_id: number | null;
    }>(
      `SELECT id, lang, field, text, position, place_id FROM indicator_metadata
       WHERE indicator_id = $1 AND source = $2 ORDER BY id FOR UPDATE`,
      [indicatorId, source],
    )
  ).rows;
  const placeId = rows.find((r) => r.place_id !== null)?.place_id ?? null;
  const out: MetadataWrite = { before: {}, after: {}, added: 0, changed: 0, removed: 0, unchanged: 0 };
  for (const [field, byLang] of Object.entries(fields)) {
    const existing = rows.filter((r) => r.field === field);
    const before = Object.fromEntries(existing.map((r) => [r.lang, r.text]));
    const after = { ...before };
    const position = existing[0]?.position ?? metadataFieldPosition(field);
    for (const [lang, raw] of Object.entries(byLang)) {
      const text = raw.trim();
      const row = existing.find((r) => r.lang === lang);
      if (!text) {
        if (!row) continue;
        await conn.query('DELETE FROM indicator_metadata WHERE id = $1', [row.id]);
        delete after[lang];
        out.removed++;
      } else if (!row) {
        await conn.query(
          `INSERT INTO indicator_metadata (indicator_id, lang, field, text, source, place_id, position)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [indicatorId, lang, field, text, source, placeId, position],
        );
        after[lang] = text;
        out.added++;
      } else if (row.text !== text) {
        await conn.query('UPDATE indicator_metadata SET text = $2, updated_at = now() WHERE id = $1', [row.id, text]);
        after[lang] = text;
        out.changed++;
      } else out.unchanged++;
    }
    out.before[field] = before;
    out.after[field] = after;
  }
  return out;
}
