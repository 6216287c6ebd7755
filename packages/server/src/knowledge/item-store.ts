import { alignedSearchText, searchForm } from '@marsad/core';
import type { KnowledgeContact, Names, SqlConn, Store } from '@marsad/db';
import { type AuditActor, appendAudit } from '../audit/audit-log.ts';
import type { Actor } from '../auth/actor.ts';
import { HttpError } from '../http/errors.ts';
import { ITEM_KINDS, type ItemCreate, type ItemPatch, type ItemTextInput } from './knowledge-inputs.ts';
import { canEditItem } from './knowledge-policy.ts';
import { D, type Run, runOn, runWith } from './knowledge-sql.ts';
import { richTextToPlain, sanitiseRichText } from './rich-text.ts';

/**
 * Items of the knowledge repository: written whole in one transaction — the item, its texts
 * (rich text sanitised, search forms computed by core's full-text.ts, vectors by SQL), its
 * search vectors, a new version holding the whole item, one audit entry. Unchanged saves
 * make no version.
 */

export interface ItemText {
  title: string;
  summary: string;
  body: string;
  results: string;
  translated: boolean;
}

/** An item as it is kept in each version: codes, not ids. */
export interface ItemState {
  type: 'practice' | 'tool' | 'document';
  kind: string | null;
  status: 'draft' | 'published';
  originalLanguage: string;
  texts: Record<string, ItemText>;
  ownerPlace: string | null;
  places: string[];
  dateStart: string | null;
  dateEnd: string | null;
  issuer: Names;
  reference: string | null;
  sourceUrl: string | null;
  sdgTargets: string[];
  nuaParagraphs: number[];
  guidelinePrinciples: string[];
  frameworks: string[];
  keywords: string[];
  contacts: KnowledgeContact[];
}

export interface AttachmentSummary {
  id: number;
  fileName: string;
  mediaType: string;
  size: number;
  sha256: string;
}
export type ItemSnapshot = ItemState & { attachments: AttachmentSummary[] };

/** At most this many words of a text are indexed (PostgreSQL keeps positions up to 16,383). */
const MAX_INDEXED_CHUNKS = 60_000;

export interface PreparedText extends ItemText {
  lang: string;
  titleSearch: string;
  plainText: string;
  searchText: string;
  summaryChunks: number;
}

/** A text with its plain text and search forms, as stored (bench/search loads items through it too). */
export function prepareText(lang: string, t: ItemText): PreparedText {
  const summary = alignedSearchText(t.summary);
  const rest = alignedSearchText([richTextToPlain(t.body), richTextToPlain(t.results)].filter(Boolean).join('\n'));
  const join = (a: string, b: string) => [a, b].filter((x) => x !== '').join(' ');
  const cap = (s: string) => s.split(' ').slice(0, MAX_INDEXED_CHUNKS).join(' ');
  return {
    lang,
    ...t,
    titleSearch: searchForm(t.title),
    plainText: cap(join(summary.original, rest.original)),
    searchText: cap(join(summary.search, rest.search)),
    summaryChunks: summary.original === '' ? 0 : summary.original.split(' ').length,
  };
}

/** The stored form of a text given by a client: rich text sanitised. */
export function cleanText(t: ItemTextInput): ItemText {
  return {
    title: t.title.trim(),
    summary: t.summary.trim(),
    body: sanitiseRichText(t.body),
    results: sanitiseRichText(t.results),
    translated: t.translated,
  };
}

const uniq = <T>(xs: readonly T[]) => [...new Set(xs)];

interface PlaceRef {
  id: number;
  code: string;
  path: string;
}

/** Resolves and checks the references of a state; a bad one is a 400 naming its field. */
async function resolve(run: Run, s: ItemState) {
  const bad = (field: string, message: string) => new HttpError(400, 'bad_request', `${field}: ${message}`);
  const codes = uniq([...(s.ownerPlace ? [s.ownerPlace] : []), ...s.places, ...s.contacts.map((c) => c.place)]);
  const placeRows = codes.length
    ? await run<PlaceRef>('SELECT id, code, path FROM places WHERE code = ANY($1::text[])', [codes])
    : [];
  const byCode = new Map(placeRows.map((p) => [p.code, p]));
  const place = (code: string, field: string) => {
    const p = byCode.get(code);
    if (!p) throw bad(field, `no place with code "${code}"`);
    return p;
  };
  const owner = s.ownerPlace ? place(s.ownerPlace, 'ownerPlace') : null;
  const places = s.places.map((c, i) => place(c, `places.${i}`));
  s.contacts.forEach((c, i) => {
    place(c.place, `contacts.${i}.place`);
  });
  if (s.sdgTargets.length) {
    const known = new Set(
      (await run<{ code: string }>('SELECT code FROM sdg_targets WHERE code = ANY($1::text[])', [s.sdgTargets])).map(
        (r) => r.code,
      ),
    );
    s.sdgTargets.forEach((c, i) => {
      if (!known.has(c)) throw bad(`sdgTargets.${i}`, `no SDG target "${c}" (give a target code such as 11.7 or 16.1)`);
    });
  }
  if (s.frameworks.length) {
    const known = new Set(
      (await run<{ code: string }>('SELECT code FROM frameworks WHERE code = ANY($1::text[])', [s.frameworks])).map(
        (r) => r.code,
      ),
    );
    s.frameworks.forEach((c, i) => {
      if (!known.has(c)) throw bad(`frameworks.${i}`, `no framework "${c}"`);
    });
  }
  const kinds: readonly string[] = ITEM_KINDS[s.type];
  if (s.kind !== null && !kinds.includes(s.kind)) {
    throw bad(
      'kind',
      kinds.length ? `a ${s.type} is one of: ${kinds.join(', ')}` : `a ${s.type} has no kind (give null)`,
    );
  }
  if (!s.texts[s.originalLanguage]) throw bad(`texts.${s.originalLanguage}`, 'give the text in the original language');
  if (s.texts[s.originalLanguage]!.translated)
    throw bad(`texts.${s.originalLanguage}.translated`, 'the text in the original language is not a translation');
  if (s.dateStart && s.dateEnd && s.dateEnd < s.dateStart) throw bad('dateEnd', 'is before dateStart');
  const scope = uniq(places.flatMap((p) => p.path.split('/').filter(Boolean).map(Number)));
  return { owner, places, scope };
}

function stateFromCreate(input: ItemCreate): ItemState {
  const texts: Record<string, ItemText> = {};
  for (const [lang, t] of Object.entries(input.texts)) if (t) texts[lang] = cleanText(t);
  return {
    type: input.type,
    kind: input.kind ?? null,
    status: input.status,
    originalLanguage: input.originalLanguage,
    texts,
    ownerPlace: input.ownerPlace ?? null,
    places: uniq(input.places),
    dateStart: input.dateStart ?? null,
    dateEnd: input.dateEnd ?? null,
    issuer: input.issuer as Names,
    reference: input.reference ?? null,
    sourceUrl: input.sourceUrl ?? null,
    sdgTargets: uniq(input.sdgTargets),
    nuaParagraphs: uniq(input.nuaParagraphs).sort((a, b) => a - b),
    guidelinePrinciples: uniq(input.guidelinePrinciples),
    frameworks: uniq(input.frameworks),
    keywords: uniq(input.keywords),
    contacts: input.contacts,
  };
}

/** The state an item is in (null when there is no such item). */
export async function loadState(
  run: Run,
  id: number,
): Promise<(ItemState & { id: number; version: number; ownerPath: string | null }) | null> {
  const rows = await run<{
    type: ItemState['type'];
    kind: string | null;
    status: ItemState['status'];
    original_language: string;
    owner_code: string | null;
    owner_path: string | null;
    place_codes: string[] | null;
    date_start: string | null;
    date_end: string | null;
    issuer: Names;
    reference: string | null;
    source_url: string | null;
    sdg_targets: string[];
    nua_paragraphs: number[];
    guideline_principles: string[];
    frameworks: string[];
    keywords: string[];
    contacts: KnowledgeContact[];
    version: number;
  }>(
    `SELECT i.type, i.kind, i.status, i.original_language, o.code AS owner_code, o.path AS owner_path,
            (SELECT array_agg(p.code ORDER BY array_position(i.place_ids, p.id)) FROM places p WHERE p.id = ANY(i.place_ids)) AS place_codes,
            ${D('i.date_start')} AS date_start, ${D('i.date_end')} AS date_end, i.issuer, i.reference, i.source_url,
            i.sdg_targets, i.nua_paragraphs, i.guideline_principles, i.frameworks, i.keywords, i.contacts, i.version
       FROM knowledge_items i LEFT JOIN places o ON o.id = i.owner_place_id WHERE i.id = $1`,
    [id],
  );
  const r = rows[0];
  if (!r) return null;
  const texts: Record<string, ItemText> = {};
  for (const t of await run<{
    lang: string;
    title: string;
    summary: string;
    body: string;
    results: string;
    translated: boolean;
  }>(
    'SELECT lang, title, summary, body, results, translated FROM knowledge_item_texts WHERE item_id = $1 ORDER BY lang',
    [id],
  )) {
    texts[t.lang] = { title: t.title, summary: t.summary, body: t.body, results: t.results, translated: t.translated };
  }
  return {
    id,
    version: r.version,
    ownerPath: r.owner_path,
    type: r.type,
    kind: r.kind,
    status: r.status,
    originalLanguage: r.original_language,
    texts,
    ownerPlace: r.owner_code,
    places: r.place_codes ?? [],
    dateStart: r.date_start,
    dateEnd: r.date_end,
    issuer: r.issuer,
    reference: r.reference,
    sourceUrl: r.source_url,
    sdgTargets: r.sdg_targets,
    nuaParagraphs: r.nua_paragraphs,
    guidelinePrinciples: r.guideline_principles,
    frameworks: r.frameworks,
    keywords: r.keywords,
    contacts: r.contacts,
  };
}

export async function attachmentSummaries(run: Run, id: number): Promise<AttachmentSummary[]> {
  const rows = await run<{ id: number; file_name: string; media_type: string; size: number; sha256: string }>(
    'SELECT id, file_name, media_type, size, sha256 FROM knowledge_attachments WHERE item_id = $1 ORDER BY id',
    [id],
  );
  return rows.map((a) => ({
    id: a.id,
    fileName: a.file_name,
    mediaType: a.media_type,
    size: a.size,
    sha256: a.sha256,
  }));
}

async function writeTexts(
  conn: SqlConn,
  id: number,
  texts: Record<string, ItemText>,
  before: Record<string, ItemText>,
): Promise<void> {
  for (const lang of Object.keys(before)) {
    if (!texts[lang]) await conn.query('DELETE FROM knowledge_item_texts WHERE item_id = $1 AND lang = $2', [id, lang]);
  }
  for (const [lang, t] of Object.entries(texts)) {
    const old = before[lang];
    if (
      old &&
      old.title === t.title &&
      old.summary === t.summary &&
      old.body === t.body &&
      old.results === t.results &&
      old.translated === t.translated
    )
      continue;
    const p = prepareText(lang, t);
    await conn.query(
      `INSERT INTO knowledge_item_texts (item_id, lang, title, summary, body, results, translated, title_search, plain_text, search_text, summary_chunks, vector)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, marsad_text_vector($2, $8, $10, $11))
       ON CONFLICT (item_id, lang) DO UPDATE SET title = EXCLUDED.title, summary = EXCLUDED.summary, body = EXCLUDED.body,
         results = EXCLUDED.results, translated = EXCLUDED.translated, title_search = EXCLUDED.title_search, plain_text = EXCLUDED.plain_text,
         search_text = EXCLUDED.search_text, summary_chunks = EXCLUDED.summary_chunks, vector = EXCLUDED.vector`,
      [
        id,
        lang,
        p.title,
        p.summary,
        p.body,
        p.results,
        p.translated,
        p.titleSearch,
        p.plainText,
        p.searchText,
        p.summaryChunks,
      ],
    );
  }
}

/** Writes a new version of the item holding its whole present state. */
export async function appendVersion(
  conn: SqlConn,
  id: number,
  version: number,
  state: ItemState,
  actor: AuditActor,
): Promise<void> {
  const snapshot: ItemSnapshot = { ...state, attachments: await attachmentSummaries(runOn(conn), id) };
  await conn.query(
    'INSERT INTO knowledge_item_versions (item_id, version, status, snapshot, actor_user_id) VALUES ($1, $2, $3, $4, $5)',
    [id, version, state.status, JSON.stringify(snapshot), actor.userId],
  );
}

function rowValues(s: ItemState, refs: Awaited<ReturnType<typeof resolve>>) {
  return [
    s.kind,
    s.status,
    s.originalLanguage,
    refs.owner?.id ?? null,
    s.dateStart,
    s.dateEnd,
    s.dateStart ? Number(s.dateStart.slice(0, 4)) : null,
    JSON.stringify(s.issuer),
    s.reference,
    s.sourceUrl,
    refs.places.map((p) => p.id),
    refs.scope,
    s.sdgTargets,
    s.nuaParagraphs,
    s.guidelinePrinciples,
    s.frameworks,
    s.keywords,
    Object.keys(s.texts).sort(),
    JSON.stringify(s.contacts),
    metadataSearchForm(s),
  ];
}

/**
 * The search form of an item's keywords, issuing body (in every language) and reference,
 * indexed with its summaries (weight B): a document is found by the name of who issued it.
 */
export function metadataSearchForm(s: Pick<ItemState, 'keywords' | 'issuer' | 'reference'>): string {
  return searchForm([...s.keywords, ...Object.values(s.issuer), ...(s.reference ? [s.reference] : [])].join(' \n '));
}

/** The fields that differ between two states (top level; `texts.<lang>` for texts). */
export function changedFields(a: ItemState, b: ItemState): string[] {
  const out: string[] = [];
  for (const k of Object.keys(b) as (keyof ItemState)[]) {
    if (k === 'texts') {
      for (const lang of uniq([...Object.keys(a.texts), ...Object.keys(b.texts)]).sort()) {
        if (JSON.stringify(a.texts[lang] ?? null) !== JSON.stringify(b.texts[lang] ?? null)) out.push(`texts.${lang}`);
      }
    } else if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) out.push(k);
  }
  return out.sort();
}

function forbidden(field: string, message: string): HttpError {
  return new HttpError(403, 'forbidden', `${field}: ${message}`);
}

export async function createItem(store: Store, actor: Actor, audit: AuditActor, input: ItemCreate): Promise<number> {
  const state = stateFromCreate(input);
  const refs = await resolve(runWith(store.db), state);
  if (!canEditItem(actor, refs.owner?.path ?? null)) {
    throw refs.owner
      ? forbidden(
          'ownerPlace',
          `you may not add items of ${refs.owner.code}: only its editors and focal points (or those of a place above it) and administrators may.`,
        )
      : forbidden(
          'ownerPlace',
          'give the place the item belongs to (one you hold as an editor or focal point); items of no place are added by administrators.',
        );
  }
  return writeNewItem(store, audit, state, refs, actor.userId);
}

/**
 * Adds an item without checking who adds it: for Marsad itself (demonstration data) and the
 * CLI. The references are checked as for anyone.
 */
export async function insertItem(store: Store, audit: AuditActor, input: ItemCreate): Promise<number> {
  const state = stateFromCreate(input);
  return writeNewItem(store, audit, state, await resolve(runWith(store.db), state), null);
}

async function writeNewItem(
  store: Store,
  audit: AuditActor,
  state: ItemState,
  refs: Awaited<ReturnType<typeof resolve>>,
  userId: number | null,
): Promise<number> {
  return store.exclusive(async (conn) => {
    const [row] = (
      await conn.query<{ id: number }>(
        `INSERT INTO knowledge_items (type, kind, status, original_language, owner_place_id, date_start, date_end, year, issuer, reference, source_url,
         place_ids, place_scope, sdg_targets, nua_paragraphs, guideline_principles, frameworks, keywords, languages, contacts, keywords_search,
         created_by, published_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, CASE WHEN $3 = 'published' THEN now() END)
       RETURNING id`,
        [state.type, ...rowValues(state, refs), userId],
      )
    ).rows;
    const id = row!.id;
    await writeTexts(conn, id, state.texts, {});
    await conn.query('SELECT marsad_refresh_item_search($1::int[])', [[id]]);
    await appendVersion(conn, id, 1, state, audit);
    await appendAudit(conn, audit, {
      action: 'create',
      entityType: 'knowledge-item',
      entityId: id,
      summary: `${state.type} "${state.texts[state.originalLanguage]!.title.slice(0, 120)}" (${state.status})`,
      after: {
        version: 1,
        type: state.type,
        status: state.status,
        ownerPlace: state.ownerPlace,
        languages: Object.keys(state.texts),
      },
    });
    return id;
  });
}

export async function updateItem(
  store: Store,
  actor: Actor,
  audit: AuditActor,
  id: number,
  patch: ItemPatch,
): Promise<{ version: number; changed: string[] }> {
  const current = await loadState(runWith(store.db), id);
  if (!current) throw new HttpError(404, 'not_found', `No item ${id}.`);
  if (!canEditItem(actor, current.ownerPath, id)) {
    throw new HttpError(
      403,
      'forbidden',
      `You may not edit item ${id}: only the editors and focal points of ${current.ownerPlace ?? 'its place'}, holders of a grant on it and administrators may.`,
    );
  }
  if (patch.expectedVersion !== undefined && patch.expectedVersion !== current.version) {
    throw new HttpError(
      409,
      'conflict',
      `expectedVersion: the item is at version ${current.version} now, not ${patch.expectedVersion}; reload it and apply your change again.`,
    );
  }
  const texts: Record<string, ItemText> = { ...current.texts };
  for (const [lang, t] of Object.entries(patch.texts ?? {})) {
    if (t === null) delete texts[lang];
    else if (t) texts[lang] = cleanText(t);
  }
  const { id: _id, version: _v, ownerPath: _o, ...before } = current;
  const next: ItemState = {
    ...before,
    texts,
    ...(patch.kind !== undefined ? { kind: patch.kind } : {}),
    ...(patch.status !== undefined ? { status: patch.status } : {}),
    ...(patch.originalLanguage !== undefined ? { originalLanguage: patch.originalLanguage } : {}),
    ...(patch.ownerPlace !== undefined ? { ownerPlace: patch.ownerPlace } : {}),
    ...(patch.places !== undefined ? { places: uniq(patch.places) } : {}),
    ...(patch.dateStart !== undefined ? { dateStart: patch.dateStart } : {}),
    ...(patch.dateEnd !== undefined ? { dateEnd: patch.dateEnd } : {}),
    ...(patch.issuer !== undefined ? { issuer: patch.issuer as Names } : {}),
    ...(patch.reference !== undefined ? { reference: patch.reference } : {}),
    ...(patch.sourceUrl !== undefined ? { sourceUrl: patch.sourceUrl } : {}),
    ...(patch.sdgTargets !== undefined ? { sdgTargets: uniq(patch.sdgTargets) } : {}),
    ...(patch.nuaParagraphs !== undefined ? { nuaParagraphs: uniq(patch.nuaParagraphs).sort((a, b) => a - b) } : {}),
    ...(patch.guidelinePrinciples !== undefined ? { guidelinePrinciples: uniq(patch.guidelinePrinciples) } : {}),
    ...(patch.frameworks !== undefined ? { frameworks: uniq(patch.frameworks) } : {}),
    ...(patch.keywords !== undefined ? { keywords: uniq(patch.keywords) } : {}),
    ...(patch.contacts !== undefined ? { contacts: patch.contacts } : {}),
  };
  const refs = await resolve(runWith(store.db), next);
  if (next.ownerPlace !== before.ownerPlace && !canEditItem(actor, refs.owner?.path ?? null)) {
    throw forbidden(
      'ownerPlace',
      refs.owner
        ? `you may not give the item to ${refs.owner.code}: you are not one of its editors or focal points.`
        : 'only administrators may leave an item without a place.',
    );
  }
  const changed = changedFields(before, next);
  if (changed.length === 0) return { version: current.version, changed };
  const version = current.version + 1;
  await store.exclusive(async (conn) => {
    const r = await conn.query(
      `UPDATE knowledge_items SET kind = $1, status = $2, original_language = $3, owner_place_id = $4, date_start = $5, date_end = $6, year = $7,
         issuer = $8, reference = $9, source_url = $10, place_ids = $11, place_scope = $12, sdg_targets = $13, nua_paragraphs = $14,
         guideline_principles = $15, frameworks = $16, keywords = $17, languages = $18, contacts = $19, keywords_search = $20,
         version = $21, updated_at = now(), published_at = CASE WHEN $2 = 'published' THEN coalesce(published_at, now()) ELSE NULL END
       WHERE id = $22 AND version = $23`,
      [...rowValues(next, refs), version, id, current.version],
    );
    if (r.affected !== 1)
      throw new HttpError(
        409,
        'conflict',
        `The item was changed by someone else meanwhile (it is no longer at version ${current.version}); reload it.`,
      );
    await writeTexts(conn, id, next.texts, before.texts);
    await conn.query('SELECT marsad_refresh_item_search($1::int[])', [[id]]);
    await appendVersion(conn, id, version, next, audit);
    await appendAudit(conn, audit, {
      action: 'update',
      entityType: 'knowledge-item',
      entityId: id,
      summary: `version ${version}: ${changed.join(', ')}`,
      before: { version: current.version, status: before.status },
      after: { version, status: next.status, changed },
    });
  });
  return { version, changed };
}

/** Deletes an item with its texts, versions, files and pilots (the audit log keeps its last state). */
export async function deleteItem(store: Store, actor: Actor, audit: AuditActor, id: number): Promise<void> {
  const current = await loadState(runWith(store.db), id);
  if (!current) throw new HttpError(404, 'not_found', `No item ${id}.`);
  if (!canEditItem(actor, current.ownerPath, id))
    throw new HttpError(403, 'forbidden', `You may not delete item ${id}.`);
  await store.exclusive(async (conn) => {
    await conn.query('DELETE FROM knowledge_items WHERE id = $1', [id]);
    const { texts, ...rest } = current;
    await appendAudit(conn, audit, {
      action: 'delete',
      entityType: 'knowledge-item',
      entityId: id,
      summary: `${current.type} "${texts[current.originalLanguage]?.title.slice(0, 120) ?? ''}" deleted at version ${current.version}`,
      before: { ...rest, titles: Object.fromEntries(Object.entries(texts).map(([l, t]) => [l, t.title])) },
    });
  });
}
