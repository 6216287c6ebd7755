import { HEADLINE_START, HEADLINE_STOP, leadSnippet, searchForm, snippetFromHeadline } from '@marsad/core';
import type { Names, Store } from '@marsad/db';
import { pick } from '../http/pagination.ts';
import type { SearchFilters } from './knowledge-inputs.ts';
import { type Run, runOn } from './knowledge-sql.ts';

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

export interface SearchPage {
  items: SearchHit[];
  total: number | null;
  hasMore: boolean;
}

export interface Facet {
  value: string;
  count: number;
  label?: string | null;
  level?: string;
}
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
export const STAGE_BOUND = 40;
const RANK_WEIGHTS = '{0.1, 0.2, 0.4, 1.0}';
/** ts_rank_cd normalisation: divide by 1 + log(length). */
const RANK_NORMALISATION = 1;
const DELIMITER = '\uE002';
const HEADLINE_OPTIONS = `StartSel=${HEADLINE_START}, StopSel=${HEADLINE_STOP}, MaxFragments=2, MaxWords=22, MinWords=10, ShortWord=1, FragmentDelimiter=${DELIMITER}`;

interface Where {
  sql: string;
  params: unknown[];
}

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
    const ids = (await run<{ id: number }>('SELECT id FROM places WHERE code = ANY($1::text[])', [o.place])).map(
      (r) => r.id,
    );
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
    // SET LOCAL of the three, in one round trip. The tiers are read in order (rankedItems): no
    // parallel workers to interleave them.
    await conn.query(
      `SELECT set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true),
              set_config('max_parallel_workers_per_gather', '0', true)`,
    );
    return fn(runOn(conn));
  });
}

/**
 * Where the candidates come from, strongest first (docs/methods/search.md, "Ranking"): the
 * query's pairs of words repeated 8 or 4 times in the texts (what a text is about); the query
 * as a phrase in a title, summary, keywords or issuer and repeated; repeated twice; in a
 * title … alone; the phrase once anywhere; a one-word query's word repeated 9 times, in a
 * title … and repeated 3 times; every word in a title …; the word repeated 3 times; every word
 * anywhere. A tier with several queries needs all of them.
 */
const TIERS = [
  { name: 'phrase repeated 8 times', vector: 'head_vector', query: ['r8'] },
  { name: 'phrase repeated 4 times', vector: 'head_vector', query: ['r4'] },
  { name: 'phrase in title and repeated', vector: 'head_vector', query: ['phrase', 'r2'] },
  { name: 'phrase repeated', vector: 'head_vector', query: ['r2'] },
  { name: 'phrase in title', vector: 'head_vector', query: ['phrase'] },
  { name: 'phrase', vector: 'phrase_vector', query: ['phrase'] },
  { name: 'word repeated 9 times', vector: 'head_vector', query: ['w9'] },
  { name: 'word in title and repeated', vector: 'head_vector', query: ['all', 'w3'] },
  { name: 'words in title', vector: 'head_vector', query: ['all'] },
  { name: 'word repeated', vector: 'head_vector', query: ['w3'] },
  { name: 'words', vector: 'search_vector', query: ['all'] },
] as const;
type TierQuery = 'all' | 'phrase' | 'r8' | 'r4' | 'r2' | 'w9' | 'w3';

async function rankedItems(run: Run, q: string, o: SearchOptions): Promise<SearchPage> {
  const tq = await queries(run, q);
  if (!tq) return { items: [], total: 0, hasMore: false };
  // Results are ordered by tier first: once the tiers read hold the page (and one more, to know
  // there is more), later tiers cannot change it. The tier that completes the page is read up
  // to the bound, so that its best items are ranked among enough of them. All tiers are one
  // statement, UNION ALL in tier order under a LIMIT: PostgreSQL reads the branches one after
  // the other and stops when the LIMIT is reached, so later tiers cost nothing when earlier
  // ones hold enough (one statement: PGlite plans each statement slowly).
  const needed = o.offset + o.limit + 1;
  const bound = Math.max(STAGE_BOUND, needed);
  const cap = needed + 2 * bound;
  const branches: { tier: number; vector: string; query: string }[] = [];
  TIERS.forEach((tier, t) => {
    const parts = tier.query.map((k) => tq[k]);
    if (parts.some((x) => !x)) return;
    branches.push({ tier: t, vector: tier.vector, query: parts.map((x) => `(${x})`).join(' & ') });
  });
  const w = await filters(run, o, branches.length + 3);
  const rows = await run<{ id: number; tier: number }>(
    `SELECT id, tier FROM (${branches.map((b, k) => `(SELECT i.id, ${b.tier} AS tier FROM knowledge_items i WHERE i.${b.vector} @@ $${k + 3}::tsquery AND ${w.sql} LIMIT $1)`).join(' UNION ALL ')}) AS x LIMIT $2`,
    [bound, cap, ...branches.map((b) => b.query), ...w.params],
  );
  const tierOf = new Map<number, number>();
  let boundary = Infinity;
  for (const r of rows) {
    if (r.tier > boundary) break;
    if (!tierOf.has(r.id)) tierOf.set(r.id, r.tier);
    if (tierOf.size >= needed) boundary = r.tier;
  }
  const last = TIERS.length - 1;
  const complete = rows.length < cap && rows.filter((r) => r.tier === last).length < bound;
  if (tierOf.size === 0) return { items: [], total: 0, hasMore: false };
  const scored = await run<{ id: number; rank: number }>(
    `SELECT i.id, ts_rank_cd('${RANK_WEIGHTS}', i.search_vector, $1::tsquery, ${RANK_NORMALISATION}) AS rank
       FROM knowledge_items i WHERE i.id = ANY($2::int[]) AND i.search_vector @@ $1::tsquery`,
    [tq.all, [...tierOf.keys()]],
  );
  const ranked = scored
    .map((r) => ({ id: r.id, tier: tierOf.get(r.id)!, rank: r.rank }))
    .sort((a, b) => a.tier - b.tier || b.rank - a.rank || b.id - a.id)
    .map((r) => ({ id: r.id, score: TIERS.length - r.tier + r.rank / (1 + r.rank) }));
  const page = ranked.slice(o.offset, o.offset + o.limit);
  return {
    items: await hits(run, page, tq.all!, o.lang),
    total: complete ? ranked.length : null,
    hasMore: ranked.length > o.offset + o.limit || !complete,
  };
}

/** The tsqueries of a query in its search form (null when it has no word to search for). */
async function queries(run: Run, q: string): Promise<Record<TierQuery, string | null> | null> {
  const [r] = await run<Record<TierQuery, string | null>>(
    `
    SELECT nullif(marsad_query($1)::text, '') AS all, marsad_phrase_query($1)::text AS phrase,
           marsad_repeated_query($1, 8)::text AS r8, marsad_repeated_query($1, 4)::text AS r4, marsad_repeated_query($1, 2)::text AS r2,
           marsad_repeated_query($1, 9)::text AS w9, marsad_repeated_query($1, 3)::text AS w3`,
    [q],
  );
  if (!r?.all) return null;
  const out = {} as Record<TierQuery, string | null>;
  for (const [k, v] of Object.entries(r) as [TierQuery, string | null][])
    out[k] = v === null ? null : distinctAlternatives(v);
  return out;
}

/**
 * A disjunction of the three configurations' queries without repeats: an Arabic word is the
 * same in `english` and `simple`, a Latin one in `arabic` and `simple`; each repeated
 * alternative would be looked up in the index again. (Lexemes are quoted and hold no " | ".)
 */
export function distinctAlternatives(tsquery: string): string {
  return [...new Set(tsquery.split(' | '))].join(' | ');
}

async function listItems(run: Run, o: SearchOptions): Promise<SearchPage> {
  const w = await filters(run, o, 1);
  const [{ n: total } = { n: 0 }] = await run<{ n: number }>(
    `SELECT count(*)::int AS n FROM knowledge_items i WHERE ${w.sql}`,
    w.params,
  );
  const page = await filters(run, o, 3);
  const rows =
    total === 0
      ? []
      : await run<{ id: number }>(
          `
    SELECT i.id FROM knowledge_items i WHERE ${page.sql}
     ORDER BY i.date_start DESC NULLS LAST, i.id DESC LIMIT $1 OFFSET $2`,
          [o.limit, o.offset, ...page.params],
        );
  return {
    items: await hits(
      run,
      rows.map((r) => ({ id: r.id, score: null })),
      null,
      o.lang,
    ),
    total,
    hasMore: o.offset + rows.length < total,
  };
}

/** The lexemes of a tsquery's text form ('a' & 'b' | …). */
export function tsqueryLexemes(tsq: string): string[] {
  return [...new Set([...tsq.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1]!.replace(/''/g, "'")))];
}

/** Words of a text around its first match that ts_headline reads (a long text costs more). */
const WINDOW = 160;
const WINDOW_BEFORE = 40;

/**
 * Titles and snippets of the page: each item shown in the text that matched, else in the reader's language, else the
 * original.
 */
async function hits(
  run: Run,
  page: { id: number; score: number | null }[],
  tsq: string | null,
  lang: string | undefined,
): Promise<SearchHit[]> {
  if (page.length === 0) return [];
  const rows = await run<{
    id: number;
    type: SearchHit['type'];
    kind: string | null;
    status: SearchHit['status'];
    year: number | null;
    date_start: string | null;
    languages: string[];
    lang: string;
    title: string;
    plain_text: string;
    search_text: string;
  }>(
    `
    WITH chosen AS (
      SELECT DISTINCT ON (t.item_id) t.item_id, t.lang, t.title, t.plain_text, t.search_text
        FROM knowledge_item_texts t
       WHERE t.item_id = ANY($1::int[])
       ORDER BY t.item_id, ($2::tsquery IS NOT NULL AND t.vector @@ $2::tsquery) DESC, (t.lang = $3) DESC, t.translated, t.lang
    )
    SELECT i.id, i.type, i.kind, i.status, i.year, to_char(i.date_start, 'YYYY-MM-DD') AS date_start, i.languages,
           c.lang, c.title, c.plain_text, c.search_text
      FROM knowledge_items i JOIN chosen c ON c.item_id = i.id`,
    [page.map((p) => p.id), tsq, lang ?? ''],
  );
  // The window of each text around its first match (found by the query's lexemes, which begin
  // the words they stem); ts_headline then reads only the window.
  const lexemes = tsq ? tsqueryLexemes(tsq).filter((l) => !l.includes(' ')) : [];
  const windows = rows.map((r) => {
    let at = -1;
    for (const l of lexemes) {
      const k = r.search_text.indexOf(l);
      if (k >= 0 && (at < 0 || k < at)) at = k;
    }
    let before = 0;
    for (let k = 0; k < Math.max(at, 0); k++) if (r.search_text.charCodeAt(k) === 32) before++;
    const first = Math.max(0, before - WINDOW_BEFORE);
    const s = r.search_text.split(' ');
    const p = r.plain_text.split(' ');
    return {
      first,
      chunks: s.length,
      s: s.slice(first, first + WINDOW).join(' '),
      p: p.slice(first, first + WINDOW).join(' '),
    };
  });
  const headlines = tsq
    ? await run<{ h: string }>(
        `SELECT ts_headline(marsad_search_config(lang), w, $3::tsquery, '${HEADLINE_OPTIONS}') AS h
                                  FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS x(lang, w, n) ORDER BY n`,
        [rows.map((r) => r.lang), windows.map((w) => w.s), tsq],
      )
    : [];
  const byId = new Map(rows.map((r, k) => [r.id, { r, w: windows[k]!, h: headlines[k]?.h ?? null }]));
  return page.flatMap((p) => {
    const x = byId.get(p.id);
    if (!x) return [];
    const { r, w, h } = x;
    const more = { before: w.first > 0, after: w.first + WINDOW < w.chunks };
    const snippet = (h && snippetFromHeadline(h, w.p, w.s, DELIMITER, more)) || leadSnippet(w.p);
    return [
      {
        id: r.id,
        type: r.type,
        kind: r.kind,
        status: r.status,
        title: r.title,
        language: r.lang,
        snippet,
        score: p.score === null ? null : Math.round(p.score * 1e6) / 1e6,
        year: r.year,
        dateStart: r.date_start,
        languages: r.languages,
      },
    ];
  });
}

/**
 * Counts of the matching items by type, language, place (and every place above), framework,
 * SDG target and year. Each facet is counted with the other facets' filters applied but not
 * its own, so a page can offer the alternatives of a chosen value.
 */
export async function searchFacets(store: Store, o: SearchOptions): Promise<Facets> {
  const q = o.q ? searchForm(o.q) : '';
  return q === ''
    ? store.exclusive((conn) => facetsOf(runOn(conn), '', o))
    : inSearchTransaction(store, (run) => facetsOf(run, q, o));
}

async function facetsOf(run: Run, q: string, o: SearchOptions): Promise<Facets> {
  let tq: string | null = null;
  if (q !== '') {
    const [r] = await run<{ all: string | null }>(`SELECT nullif(marsad_query($1)::text, '') AS all`, [q]);
    if (!r?.all) return { total: 0, type: [], language: [], place: [], framework: [], sdgTarget: [], year: [] };
    tq = distinctAlternatives(r.all);
  }
  const filter = await facetFilters(run, o, 2);
  // One pass over the matching rows (docs/methods/search.md, "Facets and filters"): they are
  // grouped by each facet's column at once (hashed grouping sets; an array is grouped whole, so a
  // row costs one hash per facet and no unnesting), then the few groups are unnested and summed. A
  // facet's column is null where a row fails the other facets' filters, leaving the row out of
  // that facet; the total counts the rows that pass them all. `gs` (GROUPING) has a bit set for
  // each column not grouped: 31 type, 47 languages, 55 place_scope, 59 frameworks, 61 sdg_targets,
  // 62 year, 63 the empty set (every row).
  const column = (name: string, facet: FacetFilter) => {
    const others = FACET_FILTERS.filter((f) => f !== facet && filter.conds[f]).map((f) => filter.conds[f]!);
    return others.length ? `CASE WHEN ${others.join(' AND ')} THEN i.${name} END AS ${name}` : `i.${name}`;
  };
  const every = FACET_FILTERS.flatMap((f) => (filter.conds[f] ? [filter.conds[f]] : []));
  const rows = await run<{ facets: Omit<Facets, 'place'> & { place: { value: number; count: number }[] } }>(
    `
    WITH g AS (
      SELECT type, languages, place_scope, frameworks, sdg_targets, year,
             GROUPING(type, languages, place_scope, frameworks, sdg_targets, year) AS gs,
             count(*) AS n, count(*) FILTER (WHERE every) AS n_every
        FROM (SELECT ${column('type', 'type')}, ${column('languages', 'language')}, ${column('place_scope', 'place')},
                     ${column('frameworks', 'framework')}, ${column('sdg_targets', 'sdg')}, ${column('year', 'year')},
                     ${every.length ? every.join(' AND ') : 'true'} AS every
                FROM knowledge_items i
               WHERE ${o.publishedOnly !== false ? `i.status = 'published' AND ` : ''}${tq ? 'i.search_vector @@ $1::tsquery' : '$1::tsquery IS NULL'}
             ) AS m
       GROUP BY GROUPING SETS ((type), (languages), (place_scope), (frameworks), (sdg_targets), (year), ())
    )
    SELECT json_build_object(
      'total', coalesce((SELECT n_every FROM g WHERE gs = 63), 0),
      'type', (SELECT coalesce(json_agg(json_build_object('value', type, 'count', n) ORDER BY n DESC, type), '[]') FROM g
                WHERE gs = 31 AND type IS NOT NULL),
      'language', (SELECT coalesce(json_agg(json_build_object('value', v, 'count', n) ORDER BY n DESC, v), '[]') FROM
                 (SELECT v, sum(n)::bigint AS n FROM g, unnest(g.languages) AS v WHERE gs = 47 GROUP BY v) x),
      'place', (SELECT coalesce(json_agg(json_build_object('value', v, 'count', n) ORDER BY n DESC, v), '[]') FROM
                 (SELECT v, sum(n)::bigint AS n FROM g, unnest(g.place_scope) AS v WHERE gs = 55 GROUP BY v ORDER BY 2 DESC, 1 LIMIT 60) x),
      'framework', (SELECT coalesce(json_agg(json_build_object('value', v, 'count', n) ORDER BY n DESC, v), '[]') FROM
                 (SELECT v, sum(n)::bigint AS n FROM g, unnest(g.frameworks) AS v WHERE gs = 59 GROUP BY v) x),
      'sdgTarget', (SELECT coalesce(json_agg(json_build_object('value', v, 'count', n) ORDER BY n DESC, v), '[]') FROM
                 (SELECT v, sum(n)::bigint AS n FROM g, unnest(g.sdg_targets) AS v WHERE gs = 61 GROUP BY v) x),
      'year', (SELECT coalesce(json_agg(json_build_object('value', year::text, 'count', n) ORDER BY year DESC), '[]') FROM g
                WHERE gs = 62 AND year IS NOT NULL)
    ) AS facets`,
    [tq, ...filter.params],
  );
  const f = rows[0]!.facets;
  const placeIds = f.place.map((p) => p.value);
  const places = placeIds.length
    ? await run<{ id: number; code: string; names: Names; level: string }>(
        'SELECT id, code, names, level FROM places WHERE id = ANY($1::int[])',
        [placeIds],
      )
    : [];
  const byId = new Map(places.map((p) => [p.id, p]));
  const labels = await labelsOf(
    run,
    f.framework.map((x) => x.value),
    f.sdgTarget.map((x) => x.value),
    o.lang,
  );
  return {
    total: Number(f.total),
    type: f.type.map((x) => ({ value: x.value, count: Number(x.count) })),
    language: f.language.map((x) => ({ value: x.value, count: Number(x.count) })),
    place: f.place.flatMap((x) => {
      const p = byId.get(x.value);
      return p ? [{ value: p.code, count: Number(x.count), label: pick(p.names, o.lang), level: p.level }] : [];
    }),
    framework: f.framework.map((x) => ({
      value: x.value,
      count: Number(x.count),
      label: labels.frameworks.get(x.value) ?? null,
    })),
    sdgTarget: f.sdgTarget.map((x) => ({
      value: x.value,
      count: Number(x.count),
      label: labels.targets.get(x.value) ?? null,
    })),
    year: f.year.map((x) => ({ value: x.value, count: Number(x.count) })),
  };
}

const FACET_FILTERS = ['type', 'language', 'place', 'framework', 'sdg', 'year'] as const;
type FacetFilter = (typeof FACET_FILTERS)[number];

/** The condition of each filter given, on knowledge_items `i`, parameters numbered from `first`. */
async function facetFilters(
  run: Run,
  o: SearchOptions,
  first: number,
): Promise<{ conds: Partial<Record<FacetFilter, string>>; params: unknown[] }> {
  const params: unknown[] = [];
  const conds: Partial<Record<FacetFilter, string>> = {};
  const add = (facet: FacetFilter, values: unknown[] | undefined, cond: (n: string) => string) => {
    if (!values?.length) return;
    params.push(values);
    conds[facet] = `(${cond(`$${first + params.length - 1}`)})`;
  };
  let placeIds: number[] | undefined;
  if (o.place?.length) {
    placeIds = (await run<{ id: number }>('SELECT id FROM places WHERE code = ANY($1::text[])', [o.place])).map(
      (r) => r.id,
    );
    if (!placeIds.length) placeIds = [-1];
  }
  add('type', o.type, (n) => `i.type = ANY(${n}::text[])`);
  add('language', o.language, (n) => `i.languages && ${n}::text[]`);
  add('place', placeIds, (n) => `i.place_scope && ${n}::int[]`);
  add('framework', o.framework, (n) => `i.frameworks && ${n}::text[]`);
  add('sdg', o.sdg, (n) => `i.sdg_targets && ${n}::text[]`);
  add('year', o.year, (n) => `i.year = ANY(${n}::int[])`);
  return { conds, params };
}

async function labelsOf(run: Run, frameworks: string[], targets: string[], lang: string | undefined) {
  const [fw, tg] = await Promise.all([
    frameworks.length
      ? run<{ code: string; names: Names }>('SELECT code, names FROM frameworks WHERE code = ANY($1::text[])', [
          frameworks,
        ])
      : [],
    targets.length
      ? run<{ code: string; names: Names }>('SELECT code, names FROM sdg_targets WHERE code = ANY($1::text[])', [
          targets,
        ])
      : [],
  ]);
  return {
    frameworks: new Map(fw.map((f) => [f.code, pick(f.names, lang)])),
    targets: new Map(tg.map((t) => [t.code, pick(t.names, lang)])),
  };
}
