import type { KnowledgeContact, Names } from '@marsad/db';
import type { Actor } from '../auth/actor.ts';
import { HttpError } from '../http/errors.ts';
import { pick } from '../http/pagination.ts';
import { canEditItem } from './knowledge-policy.ts';
import { D, type Run, TS } from './knowledge-sql.ts';

/**
 * An item as the API shows it: its texts in every language, its tags with their names in the
 * reader's language, its files, and — for a tool — the pilots recorded for it; the workshops
 * that used it. No account of any person: contacts are roles on places, and who created or
 * changed the item is only in the audit log.
 */

export interface PlaceRef {
  code: string;
  name: string | null;
  level: string;
}

export async function placeRefs(run: Run, ids: number[], lang: string | undefined): Promise<Map<number, PlaceRef>> {
  if (!ids.length) return new Map();
  const rows = await run<{ id: number; code: string; names: Names; level: string }>(
    'SELECT id, code, names, level FROM places WHERE id = ANY($1::int[])',
    [ids],
  );
  return new Map(rows.map((p) => [p.id, { code: p.code, name: pick(p.names, lang), level: p.level }]));
}

export async function itemView(run: Run, id: number, lang: string | undefined, actor: Actor | null) {
  const [i] = await run<{
    id: number;
    type: string;
    kind: string | null;
    status: string;
    original_language: string;
    owner_place_id: number | null;
    owner_path: string | null;
    date_start: string | null;
    date_end: string | null;
    year: number | null;
    issuer: Names;
    reference: string | null;
    source_url: string | null;
    place_ids: number[];
    sdg_targets: string[];
    nua_paragraphs: number[];
    guideline_principles: string[];
    frameworks: string[];
    keywords: string[];
    languages: string[];
    contacts: KnowledgeContact[];
    version: number;
    created_at: string;
    updated_at: string;
    published_at: string | null;
  }>(
    `SELECT i.id, i.type, i.kind, i.status, i.original_language, i.owner_place_id, o.path AS owner_path, ${D('i.date_start')} AS date_start,
            ${D('i.date_end')} AS date_end, i.year, i.issuer, i.reference, i.source_url, i.place_ids, i.sdg_targets, i.nua_paragraphs,
            i.guideline_principles, i.frameworks, i.keywords, i.languages, i.contacts, i.version,
            ${TS('i.created_at')} AS created_at, ${TS('i.updated_at')} AS updated_at, ${TS('i.published_at')} AS published_at
       FROM knowledge_items i LEFT JOIN places o ON o.id = i.owner_place_id WHERE i.id = $1`,
    [id],
  );
  const canEdit = !!i && canEditItem(actor, i.owner_path, id);
  if (!i || (i.status !== 'published' && !canEdit)) throw new HttpError(404, 'not_found', `No item ${id}.`);

  const [texts, attachments, frameworks, targets, pilots, workshops] = await Promise.all([
    run<{ lang: string; title: string; summary: string; body: string; results: string; translated: boolean }>(
      'SELECT lang, title, summary, body, results, translated FROM knowledge_item_texts WHERE item_id = $1 ORDER BY lang',
      [id],
    ),
    run<{
      id: number;
      file_name: string;
      media_type: string;
      size: number;
      sha256: string;
      language: string | null;
      extraction: string;
      extraction_note: string | null;
      created_at: string;
    }>(
      `SELECT id, file_name, media_type, size, sha256, language, extraction, extraction_note, ${TS('created_at')} AS created_at
         FROM knowledge_attachments WHERE item_id = $1 ORDER BY id`,
      [id],
    ),
    i.frameworks.length
      ? run<{ code: string; names: Names }>('SELECT code, names FROM frameworks WHERE code = ANY($1::text[])', [
          i.frameworks,
        ])
      : [],
    i.sdg_targets.length
      ? run<{ code: string; names: Names }>('SELECT code, names FROM sdg_targets WHERE code = ANY($1::text[])', [
          i.sdg_targets,
        ])
      : [],
    i.type === 'tool' ? pilotsOf(run, [id], lang) : [],
    run<{ id: number; titles: Names; starts_on: string; kind: string }>(
      `SELECT w.id, w.titles, ${D('w.starts_on')} AS starts_on, w.kind FROM workshop_materials m JOIN workshops w ON w.id = m.workshop_id
        WHERE m.item_id = $1 AND w.status = 'published' ORDER BY w.starts_on DESC`,
      [id],
    ),
  ]);
  const contactPlaces = await run<{ code: string; names: Names; level: string }>(
    'SELECT code, names, level FROM places WHERE code = ANY($1::text[])',
    [i.contacts.map((c) => c.place)],
  );
  const byCode = new Map(contactPlaces.map((p) => [p.code, p]));
  const places = await placeRefs(run, [...i.place_ids, ...(i.owner_place_id ? [i.owner_place_id] : [])], lang);
  const fw = new Map(frameworks.map((f) => [f.code, f.names]));
  const tg = new Map(targets.map((t) => [t.code, t.names]));
  const shown = texts.find((t) => t.lang === lang) ?? texts.find((t) => t.lang === i.original_language) ?? texts[0];
  return {
    id: i.id,
    type: i.type,
    kind: i.kind,
    status: i.status,
    version: i.version,
    canEdit,
    originalLanguage: i.original_language,
    title: shown?.title ?? null,
    language: shown?.lang ?? null,
    texts: Object.fromEntries(
      texts.map((t) => [
        t.lang,
        { title: t.title, summary: t.summary, body: t.body, results: t.results, translated: t.translated },
      ]),
    ),
    languages: i.languages,
    ownerPlace: i.owner_place_id ? (places.get(i.owner_place_id) ?? null) : null,
    places: i.place_ids.flatMap((p) => places.get(p) ?? []),
    dateStart: i.date_start,
    dateEnd: i.date_end,
    year: i.year,
    issuer: i.issuer,
    issuerName: pick(i.issuer, lang),
    reference: i.reference,
    sourceUrl: i.source_url,
    sdgTargets: i.sdg_targets.map((code) => ({ code, name: pick(tg.get(code), lang) })),
    nuaParagraphs: i.nua_paragraphs,
    guidelinePrinciples: i.guideline_principles,
    frameworks: i.frameworks.map((code) => ({ code, name: pick(fw.get(code), lang) })),
    keywords: i.keywords,
    contacts: i.contacts.map((c) => {
      const p = byCode.get(c.place);
      return { role: c.role, place: { code: c.place, name: p ? pick(p.names, lang) : null, level: p?.level ?? null } };
    }),
    attachments: attachments.map((a) => ({
      id: a.id,
      fileName: a.file_name,
      mediaType: a.media_type,
      size: a.size,
      sha256: a.sha256,
      language: a.language,
      extraction: a.extraction,
      extractionNote: a.extraction_note,
      createdAt: a.created_at,
      url: `/api/v1/knowledge/attachments/${a.id}`,
    })),
    pilots,
    workshops: workshops.map((w) => ({ id: w.id, kind: w.kind, title: pick(w.titles, lang), startsOn: w.starts_on })),
    createdAt: i.created_at,
    updatedAt: i.updated_at,
    publishedAt: i.published_at,
  };
}

export interface PilotView {
  id: number;
  tool: { id: number; title: string | null };
  place: PlaceRef | null;
  startedOn: string;
  endedOn: string | null;
  stage: string;
  outcome: Names;
  outcomeText: string | null;
  updatedAt: string;
}

/** Pilots of the given tools (all tools when null), newest first. */
export async function pilotsOf(
  run: Run,
  toolIds: number[] | null,
  lang: string | undefined,
  publishedOnly = true,
): Promise<PilotView[]> {
  const rows = await run<{
    id: number;
    item_id: number;
    place_id: number;
    started_on: string;
    ended_on: string | null;
    stage: string;
    outcome: Names;
    updated_at: string;
    title: string | null;
  }>(
    `SELECT p.id, p.item_id, p.place_id, ${D('p.started_on')} AS started_on, ${D('p.ended_on')} AS ended_on, p.stage, p.outcome, ${TS('p.updated_at')} AS updated_at,
            (SELECT t.title FROM knowledge_item_texts t WHERE t.item_id = p.item_id ORDER BY (t.lang = $2) DESC, t.translated, t.lang LIMIT 1) AS title
       FROM tool_pilots p JOIN knowledge_items i ON i.id = p.item_id
      WHERE ($1::int[] IS NULL OR p.item_id = ANY($1::int[])) AND (NOT $3 OR i.status = 'published')
      ORDER BY p.started_on DESC, p.id DESC`,
    [toolIds, lang ?? '', publishedOnly],
  );
  const places = await placeRefs(run, [...new Set(rows.map((r) => r.place_id))], lang);
  return rows.map((r) => ({
    id: r.id,
    tool: { id: r.item_id, title: r.title },
    place: places.get(r.place_id) ?? null,
    startedOn: r.started_on,
    endedOn: r.ended_on,
    stage: r.stage,
    outcome: r.outcome,
    outcomeText: pick(r.outcome, lang),
    updatedAt: r.updated_at,
  }));
}
