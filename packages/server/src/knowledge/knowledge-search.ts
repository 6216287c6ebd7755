import { HEADLINE_START, HEADLINE_STOP, leadSnippet, searchForm, snippetFromHeadline } from '@marsad/core';
import type { Names, Store } from '@marsad/db';
import { pick } from '../http/pagination.ts';
import { runOn, type Run } from './knowledge-sql.ts';
import type { SearchFilters } from './knowledge-inputs.ts';

/**
 * Search of the knowledge repository (docs/methods/search.md): the query and the items are
 * folded the same way by core's full-text.ts, then matched with PostgreSQL's full-text search
 * in the `arabic`, `english` and `simple` configurations at once (marsad_query). Every word
 * must appear.
 *
 * Ranking must not read every matching item: a word common to half the repository would make
 * each query read half of it. So candidates are read from the GIN indexes of three vectors
 * (head, phrase pairs, all words), strongest evidence first (TIERS), until STAGE_BOUND are
 * gathered; they are ordered by their tier, then by ts_rank_cd (cover density: words close
 * together score higher; weights title 1.0, summary, keywords and issuer 0.4, body 0.2,
 * files 0.1; divided by 1 + the logarithm of the item's length). When the last tier reached
 * its bound, the total is not counted here (`total: null`); the facets count it.
 */

export interface SearchOptions extends SearchFilters {
  q?: string;
  lang?: string;
  limit: number;
  offset: number;
  /** Published items only (the public); false lets an editor's listing see drafts. */
  publishedOnly?: boolean;
}

export interface SearchHit {
  id: number;
  type: 'practice' | 'tool' | 'document';
  kind: string | null;
  status: 'draft' | 'published';
  title: string;
  language: string;
  snippet: string;
  score: number | null;
  year: number | null;
  dateStart: string | null;
  languages: string[];
}

export interface SearchPage { items: SearchHit[]; total: number | null; hasMore: boolean }

export interface Facet { value: string; count: number; label?: string | null; level?: string }
export interface Facets {
  total: number;
  type: Facet[];
  language: Facet[];
  place: Facet[];
  framework: Facet[];
  sdgTarget: Facet[];
  year: Facet[];
}

/** Candidates gathered before ranking (more when a later page is asked for). */
export const STAGE_BOUND = 60;
const RANK_WEIGHTS = '{0.1, 0.2, 0.4, 1.0}';
/** ts_rank_cd normalisation: divide by 1 + log(length). */
const RANK_NORMALISATION = 1;
const DELIMITER = '\uE002';
const HEADLINE_OPTIONS = `StartSel=${HEADLINE_START}, StopSel=${HEADLINE_STOP}, MaxFragments=2, MaxWords=22, MinWords=10, ShortWord=1, FragmentDelimiter=${DELIMITER}`;

interface Where { sql: string; params: unknown[] }

/** The filter conditions on knowledge_items `i`, parameters numbered from `first`. */
async function filters(run: Run, o: SearchOptions, first: number): Promise<Where> {
  const parts: string[] = [];
  const params: unknown[] = [];
  const add = (cond: (n: string) => string, value: unknown) => {
    params.push(value);
    parts.push(cond(`$${first + params.length - 1}`));
  };
  if (o.publishedOnly !== false) parts.push(`i.status = 'published'`);
  if (o.type?.length) add((n) => `i.type = ANY(${n}::text[])`, o.type);
  if (o.language?.length) add((n) => `i.languages && ${n}::text[]`, o.language);
  if (o.framework?.length) add((n) => `i.frameworks && ${n}::text[]`, o.framework);
  if (o.sdg?.length) add((n) => `i.sdg_targets && ${n}::text[]`, o.sdg);
  if (o.year?.length) add((n) => `i.year = ANY(${n}::int[])`, o.year);
  if (o.place?.length) {
    const ids = (await run<{ id: number }>('SELECT id FROM places WHERE code = ANY($1::text[])', [o.place])).map((r) => r.id);
    add((n) => `i.place_scope && ${n}::int[]`, ids.length ? ids : [-1]);
  }
  return { sql: parts.length ? parts.join(' AND ') : 'true', params };
}

/** The first page of results: ranked when there is a query, newest first otherwise. */
export async function searchItems(store: Store, o: SearchOptions): Promise<SearchPage> {
  const q = o.q ? searchForm(o.q) : '';
  if (q === '') return store.exclusive((conn) => listItems(runOn(conn), o));
  return inSearchTransaction(store, (run) => rankedItems(run, q, o));
}

/**
 * Runs search queries in one transaction where the planner reads the GIN indexes (bitmap
 * scans) rather than walking the table in some order and testing each row: it would estimate
 * that cheap when it expects many items to match, not counting that each row's vector must
 * then be read and decompressed — and when few match after all, it reads every row. The GIN
 * indexes answer a match without reading the vectors.
 */
function inSearchTransaction<T>(store: Store, fn: (run: Run) => Promise<T>): Promise<T> {
  return store.exclusive(async (conn) => {
    await conn.query('SET LOCAL enable_seqscan = off');
    await conn.query('SET LOCAL enable_indexscan = off');
    return fn(runOn(conn));
  });
}

/**
 * Where the candidates come from, strongest first (docs/methods/search.md, "Ranking"): the
 * query's pairs of words repeated 8, 4 or 2 times in the texts (what a text is about); the
 * query as a phrase in a title, summary, keywords or issuer; the phrase once anywhere; a
 * one-word query's word repeated 9 times; every word in a title, summary, keywords or issuer;
 * a one-word query's word repeated 3 times; every word anywhere.
 */
const TIERS = [
  { name: 'phrase repeated 8 times', vector: 'head_vector', query: 'r8' },
  { name: 'phrase repeated 4 times', vector: 'head_vector', query: 'r4' },
  { name: 'phrase repeated', vector: 'head_vector', query: 'r2' },
  { name: 'phrase in title', vector: 'head_vector', query: 'phrase' },
  { name: 'phrase', vector: 'phrase_vector', query: 'phrase' },
  { name: 'word repeated 9 times', vector: 'head_vector', query: 'w9' },
  { name: 'words in title', vector: 'head_vector', query: 'all' },
  { name: 'word repeated', vector: 'head_vector', query: 'w3' },
  { name: 'words', vector: 'search_vector', query: 'all' },
] as const;
type TierQuery = (typeof TIERS)[number]['query'];

async function rankedItems(run: Run, q: string, o: SearchOptions): Promise<SearchPage> {
  const tq = await queries(run, q);
  if (!tq) return { items: [], total: 0, hasMore: false };
  const bound = Math.max(STAGE_BOUND, o.offset + o.limit + 1);
  const w = await filters(run, o, 4);
  const tierOf = new Map<number, number>();
  let complete = false;
  for (let t = 0; t < TIERS.length && tierOf.size < bound; t++) {
    const tier = TIERS[t]!;
    const query = tq[tier.query];
    if (!query) continue;
    const want = bound - tierOf.size;
    const ids = await run<{ id: number }>(
      `SELECT i.id FROM knowledge_items i WHERE i.${tier.vector} @@ $1::tsquery AND NOT (i.id = ANY($2::int[])) AND ${w.sql} LIMIT $3`,
      [query, [...tierOf.keys()], want, ...w.params]);
    for (const { id } of ids) tierOf.set(id, t);
    if (tier.vector === 'search_vector') complete = ids.length < want;
  }
  if (tierOf.size === 0) return { items: [], total: 0, hasMore: false };
  const scored = await run<{ id: number; rank: number }>(
    `SELECT i.id, ts_rank_cd('${RANK_WEIGHTS}', i.search_vector, $1::tsquery, ${RANK_NORMALISATION}) AS rank
       FROM knowledge_items i WHERE i.id = ANY($2::int[]) AND i.search_vector @@ $1::tsquery`, [tq.all, [...tierOf.keys()]]);
  const ranked = scored
    .map((r) => ({ id: r.id, tier: tierOf.get(r.id)!, rank: r.rank }))
    .sort((a, b) => a.tier - b.tier || b.rank - a.rank || b.id - a.id)
    .map((r) => ({ id: r.id, score: TIERS.length - r.tier + r.rank / (1 + r.rank) }));
  const page = ranked.slice(o.offset, o.offset + o.limit);
  return {
    items: await hits(run, page, tq.all!, o.lang),
    total: complete ? ranked.length : null,
    hasMore: ranked.length > o.offset + o.limit,
  };
}

/** The tsqueries of a query in its search form (null when it has no word to search for). */
async function queries(run: Run, q: string): Promise<Record<TierQuery, string | null> | null> {
  const [r] = await run<Record<TierQuery, string | null>>(`
    SELECT nullif(marsad_query($1)::text, '') AS all, marsad_phrase_query($1)::text AS phrase,
           marsad_repeated_query($1, 8)::text AS r8, marsad_repeated_query($1, 4)::text AS r4, marsad_repeated_query($1, 2)::text AS r2,
           marsad_repeated_query($1, 9)::text AS w9, marsad_repeated_query($1, 3)::text AS w3`, [q]);
  return r?.all ? r : null;
}

async function listItems(run: Run, o: SearchOptions): Promise<SearchPage> {
  const w = await filters(run, o, 1);
  const [{ n: total } = { n: 0 }] = await run<{ n: number }>(`SELECT count(*)::int AS n FROM knowledge_items i WHERE ${w.sql}`, w.params);
  const page = await filters(run, o, 3);
  const rows = total === 0 ? [] : await run<{ id: number }>(`
    SELECT i.id FROM knowledge_items i WHERE ${page.sql}
     ORDER BY i.date_start DESC NULLS LAST, i.id DESC LIMIT $1 OFFSET $2`, [o.limit, o.offset, ...page.params]);
  return { items: await hits(run, rows.map((r) => ({ id: r.id, score: null })), null, o.lang), total, hasMore: o.offset + rows.length < total };
}

/** The lexemes of a tsquery's text form ('a' & 'b' | …). */
export function tsqueryLexemes(tsq: string): string[] {
  return [...new Set([...tsq.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1]!.replace(/''/g, "'")))];
}

/** Words of a text around its first match that ts_headline reads (a long text costs more). */
const WINDOW = 160;
const WINDOW_BEFORE = 40;

/** Titles and snippets of the page: each item shown in the text that matched, else in the reader's language, else the original. */
async function hits(run: Run, page: { id: number; score: number | null }[], tsq: string | null, lang: string | undefined): Promise<SearchHit[]> {
  if (page.length === 0) return [];
  const ids = page.map((p) => p.id);
  const rows = await run<{
    id: number; type: SearchHit['type']; kind: string | null; status: SearchHit['status']; year: number | null; date_start: string | null; languages: string[];
    lang: string; title: string; p_win: string; s_win: string; w0: number; chunks: number; headline: string | null;
  }>(`
    WITH q AS (SELECT $2::tsquery AS tsq),
    chosen AS (
      SELECT DISTINCT ON (t.item_id) t.item_id, t.lang, t.title, t.plain_text, t.search_text
        FROM knowledge_item_texts t, q
       WHERE t.item_id = ANY($1::int[])
       ORDER BY t.item_id, (q.tsq IS NOT NULL AND t.vector @@ q.tsq) DESC, (t.lang = $3) DESC, t.translated, t.lang
    ),
    located AS (
      SELECT c.*, coalesce((SELECT min(nullif(strpos(c.search_text, l), 0)) FROM unnest($4::text[]) AS l), 1) AS off,
             string_to_array(c.search_text, ' ') AS s_chunks, string_to_array(c.plain_text, ' ') AS p_chunks
        FROM chosen c
    ),
    windowed AS (
      SELECT l.*, greatest(1, char_length(left(l.search_text, l.off)) - char_length(replace(left(l.search_text, l.off), ' ', '')) + 1 - ${WINDOW_BEFORE}) AS w0
        FROM located l
    )
    SELECT i.id, i.type, i.kind, i.status, i.year, to_char(i.date_start, 'YYYY-MM-DD') AS date_start, i.languages,
           w.lang, w.title, coalesce(array_length(w.s_chunks, 1), 0) AS chunks, w.w0,
           array_to_string(w.p_chunks[w.w0:w.w0 + ${WINDOW - 1}], ' ') AS p_win,
           array_to_string(w.s_chunks[w.w0:w.w0 + ${WINDOW - 1}], ' ') AS s_win,
           CASE WHEN q.tsq IS NULL THEN NULL
                ELSE ts_headline(marsad_search_config(w.lang), array_to_string(w.s_chunks[w.w0:w.w0 + ${WINDOW - 1}], ' '), q.tsq, '${HEADLINE_OPTIONS}') END AS headline
      FROM knowledge_items i JOIN windowed w ON w.item_id = i.id, q`, [ids, tsq, lang ?? '', tsq ? tsqueryLexemes(tsq) : []]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return page.flatMap((p) => {
    const r = byId.get(p.id);
    if (!r) return [];
    const more = { before: r.w0 > 1, after: r.w0 - 1 + WINDOW < r.chunks };
    const snippet = (r.headline && snippetFromHeadline(r.headline, r.p_win, r.s_win, DELIMITER, more)) || leadSnippet(r.p_win);
    return [{
      id: r.id, type: r.type, kind: r.kind, status: r.status, title: r.title, language: r.lang, snippet,
      score: p.score === null ? null : Math.round(p.score * 1e6) / 1e6, year: r.year, dateStart: r.date_start, languages: r.languages,
    }];
  });
}

/**
 * Counts of the matching items by type, language, place (and every place above), framework,
 * SDG target and year. Each facet is counted with the other facets' filters applied but not
 * its own, so a page can offer the alternatives of a chosen value.
 */
export async function searchFacets(store: Store, o: SearchOptions): Promise<Facets> {
  const q = o.q ? searchForm(o.q) : '';
  return q === '' ? store.exclusive((conn) => facetsOf(runOn(conn), '', o)) : inSearchTransaction(store, (run) => facetsOf(run, q, o));
}

async function facetsOf(run: Run, q: string, o: SearchOptions): Promise<Facets> {
  const tq = q === '' ? null : await queries(run, q);
  if (q !== '' && !tq) return { total: 0, type: [], language: [], place: [], framework: [], sdgTarget: [], year: [] };
  const flags = await facetFlags(run, o, 2);
  const rows = await run<{ facets: Omit<Facets, 'place'> & { place: { value: number; count: number }[] } }>(`
    WITH m AS MATERIALIZED (
      SELECT i.type, i.languages, i.year, i.frameworks, i.sdg_targets, i.place_scope,
             ${flags.sql}
        FROM knowledge_items i
       WHERE ${o.publishedOnly !== false ? `i.status = 'published' AND ` : ''}${tq ? 'i.search_vector @@ $1::tsquery' : '$1::tsquery IS NULL'}
    )
    SELECT json_build_object(
      'total', (SELECT count(*) FROM m WHERE f_type AND f_language AND f_place AND f_framework AND f_sdg AND f_year),
      'type', (SELECT coalesce(json_agg(json_build_object('value', v, 'count', n) ORDER BY n DESC, v), '[]') FROM
                 (SELECT type AS v, count(*) AS n FROM m WHERE f_language AND f_place AND f_framework AND f_sdg AND f_year GROUP BY 1) x),
      'language', (SELECT coalesce(json_agg(json_build_object('value', v, 'count', n) ORDER BY n DESC, v), '[]') FROM
                 (SELECT unnest(languages) AS v, count(*) AS n FROM m WHERE f_type AND f_place AND f_framework AND f_sdg AND f_year GROUP BY 1) x),
      'place', (SELECT coalesce(json_agg(json_build_object('value', v, 'count', n) ORDER BY n DESC, v), '[]') FROM
                 (SELECT unnest(place_scope) AS v, count(*) AS n FROM m WHERE f_type AND f_language AND f_framework AND f_sdg AND f_year GROUP BY 1 ORDER BY 2 DESC LIMIT 60) x),
      'framework', (SELECT coalesce(json_agg(json_build_object('value', v, 'count', n) ORDER BY n DESC, v), '[]') FROM
                 (SELECT unnest(frameworks) AS v, count(*) AS n FROM m WHERE f_type AND f_language AND f_place AND f_sdg AND f_year GROUP BY 1) x),
      'sdgTarget', (SELECT coalesce(json_agg(json_build_object('value', v, 'count', n) ORDER BY n DESC, v), '[]') FROM
                 (SELECT unnest(sdg_targets) AS v, count(*) AS n FROM m WHERE f_type AND f_language AND f_place AND f_framework AND f_year GROUP BY 1) x),
      'year', (SELECT coalesce(json_agg(json_build_object('value', v::text, 'count', n) ORDER BY v DESC), '[]') FROM
                 (SELECT year AS v, count(*) AS n FROM m WHERE year IS NOT NULL AND f_type AND f_language AND f_place AND f_framework AND f_sdg GROUP BY 1) x)
    ) AS facets`, [tq?.all ?? null, ...flags.params]);
  const f = rows[0]!.facets;
  const placeIds = f.place.map((p) => p.value);
  const places = placeIds.length
    ? await run<{ id: number; code: string; names: Names; level: string }>('SELECT id, code, names, level FROM places WHERE id = ANY($1::int[])', [placeIds])
    : [];
  const byId = new Map(places.map((p) => [p.id, p]));
  const labels = await labelsOf(run, f.framework.map((x) => x.value), f.sdgTarget.map((x) => x.value), o.lang);
  return {
    total: Number(f.total),
    type: f.type.map((x) => ({ value: x.value, count: Number(x.count) })),
    language: f.language.map((x) => ({ value: x.value, count: Number(x.count) })),
    place: f.place.flatMap((x) => {
      const p = byId.get(x.value);
      return p ? [{ value: p.code, count: Number(x.count), label: pick(p.names, o.lang), level: p.level }] : [];
    }),
    framework: f.framework.map((x) => ({ value: x.value, count: Number(x.count), label: labels.frameworks.get(x.value) ?? null })),
    sdgTarget: f.sdgTarget.map((x) => ({ value: x.value, count: Number(x.count), label: labels.targets.get(x.value) ?? null })),
    year: f.year.map((x) => ({ value: x.value, count: Number(x.count) })),
  };
}

async function facetFlags(run: Run, o: SearchOptions, first: number): Promise<Where> {
  const params: unknown[] = [];
  const flag = (name: string, values: unknown[] | undefined, cond: (n: string) => string) => {
    if (!values?.length) return `true AS ${name}`;
    params.push(values);
    return `(${cond(`$${first + params.length - 1}`)}) AS ${name}`;
  };
  let placeIds: number[] | undefined;
  if (o.place?.length) {
    placeIds = (await run<{ id: number }>('SELECT id FROM places WHERE code = ANY($1::text[])', [o.place])).map((r) => r.id);
    if (!placeIds.length) placeIds = [-1];
  }
  const sql = [
    flag('f_type', o.type, (n) => `i.type = ANY(${n}::text[])`),
    flag('f_language', o.language, (n) => `i.languages && ${n}::text[]`),
    flag('f_place', placeIds, (n) => `i.place_scope && ${n}::int[]`),
    flag('f_framework', o.framework, (n) => `i.frameworks && ${n}::text[]`),
    flag('f_sdg', o.sdg, (n) => `i.sdg_targets && ${n}::text[]`),
    flag('f_year', o.year, (n) => `i.year = ANY(${n}::int[])`),
  ].join(', ');
  return { sql, params };
}

async function labelsOf(run: Run, frameworks: string[], targets: string[], lang: string | undefined) {
  const [fw, tg] = await Promise.all([
    frameworks.length ? run<{ code: string; names: Names }>('SELECT code, names FROM frameworks WHERE code = ANY($1::text[])', [frameworks]) : [],
    targets.length ? run<{ code: string; names: Names }>('SELECT code, names FROM sdg_targets WHERE code = ANY($1::text[])', [targets]) : [],
  ]);
  return {
    frameworks: new Map(fw.map((f) => [f.code, pick(f.names, lang)])),
    targets: new Map(tg.map((t) => [t.code, pick(t.names, lang)])),
  };
}
