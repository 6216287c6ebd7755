import { matchesSearch, normaliseForSearch, searchIndexTerms, searchTokens, stripArabicAffixes } from '@marsad/core';
import { type Names, type PlaceLevel, withoutQuerySignal } from '@marsad/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { LangParam, pick } from '../http/pagination.ts';
import { searchItems } from '../knowledge/knowledge-search.ts';
import { compareCodes, LEVEL_ORDER } from './web-api-common.ts';

const SearchQuery = z.object({
  q: z
    .string()
    .trim()
    .min(1, 'give the text to search for')
    .max(200)
    .describe('Text to find: a code, or words of a name in any of the six languages'),
  lang: LangParam,
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(20)
    .describe('How many items, indicators and places at most, each (1–100)'),
});

/**
 * Scripts written without spaces between words (Chinese, Japanese, Thai): a word inside a
 * run is no prefix of a token, so such queries also match anywhere in a name.
 */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;

/** One searchable row, folded once when the index is built. */
interface Entry {
  /** Codes, normalised: the code, and for places the external code and other codes. */
  codes: string[];
  /** Every term the row can be found by (`searchIndexTerms` of codes and all names). */
  terms: string[];
  names: string[];
  normalisedNames: string[];
}

interface Index {
  signature: string;
  indicators: { code: string; names: Names; status: string; entry: Entry }[];
  places: {
    code: string;
    level: PlaceLevel;
    names: Names;
    pilot: boolean;
    parent: { code: string; names: Names; level: PlaceLevel } | null;
    entry: Entry;
  }[];
}

function entryOf(codes: string[], names: Names): Entry {
  const nameTexts = Object.values(names).filter((n): n is string => typeof n === 'string');
  return {
    codes: codes.map((c) => normaliseForSearch(c)),
    terms: searchIndexTerms([...codes, ...nameTexts].join(' \n ')),
    names: nameTexts,
    normalisedNames: nameTexts.map((n) => normaliseForSearch(n)),
  };
}

/** The same test as `matchesSearch(haystack, query)`, on the haystack's terms computed once. */
function matchesTerms(terms: string[], queryTokens: string[]): boolean {
  return queryTokens.every((token) => {
    const stripped = stripArabicAffixes(token);
    return terms.some((term) => term.startsWith(token) || term.startsWith(stripped));
  });
}

/** 0 exact code, 1 code starting with the query, 2 a name starting with the query, 3 any other match. */
type Rank = 0 | 1 | 2 | 3;

function rankOf(e: Entry, query: string, q: string, queryTokens: string[]): Rank | null {
  if (e.codes.some((c) => c === q)) return 0;
  if (e.codes.some((c) => c.startsWith(q))) return 1;
  const unspaced = UNSPACED.test(q);
  const matched =
    (queryTokens.length > 0 && matchesTerms(e.terms, queryTokens)) ||
    (unspaced && e.normalisedNames.some((n) => n.includes(q)));
  if (!matched) return null;
  const startsWith = e.names.some((name, i) => {
    if (unspaced && e.normalisedNames[i]!.startsWith(q)) return true;
    const head = searchTokens(name).slice(0, queryTokens.length).join(' ');
    return head !== '' && queryTokens.length > 0 && matchesSearch(head, query);
  });
  return startsWith ? 2 : 3;
}

const STATUS_ORDER: Record<string, number> = { active: 0, draft: 1, retired: 2 };

/**
 * Search for the web application: indicators by code or name, places by code, external code,
 * other codes or name, in any language, with Arabic folded (hamza forms, ta marbuta, alef
 * maqsura, diacritics, tatweel, the article and و). The catalogue is a few hundred rows: it
 * is folded once into an index in the process, rebuilt when the tables' counts or latest
 * changes differ.
 */
export function registerSearchRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = ctx.store.db;
  let cached: Promise<Index> | null = null;

  async function signature(): Promise<string> {
    const row = await db
      .selectNoFrom([
        sql<string>`(SELECT count(*)::text || '/' || coalesce(max(updated_at)::text, '') FROM indicators)`.as('i'),
        sql<string>`(SELECT count(*)::text || '/' || coalesce(max(updated_at)::text, '') || '/' || coalesce(max(id), 0)::text FROM places)`.as(
          'p',
        ),
      ])
      .executeTakeFirstOrThrow();
    return `${row.i}|${row.p}`;
  }

  async function build(sig: string): Promise<Index> {
    const [indicators, places] = await Promise.all([
      db.selectFrom('indicators').select(['code', 'names', 'status']).execute(),
      db
        .selectFrom('places as p')
        .leftJoin('places as parent', 'parent.id', 'p.parent_id')
        .select([
          'p.code',
          'p.level',
          'p.names',
          'p.pilot',
          'p.external_code',
          'p.codes',
          'parent.code as parent_code',
          'parent.names as parent_names',
          'parent.level as parent_level',
        ])
        .execute(),
    ]);
    return {
      signature: sig,
      indicators: indicators.map((i) => ({
        code: i.code,
        names: i.names,
        status: i.status,
        entry: entryOf([i.code], i.names),
      })),
      places: places.map((p) => ({
        code: p.code,
        level: p.level,
        names: p.names,
        pilot: p.pilot,
        parent:
          p.parent_code && p.parent_names && p.parent_level
            ? { code: p.parent_code, names: p.parent_names, level: p.parent_level }
            : null,
        entry: entryOf(
          [
            p.code,
            ...(p.external_code ? [p.external_code] : []),
            ...Object.values(p.codes ?? {}).filter((c): c is string => typeof c === 'string'),
          ],
          p.names,
        ),
      })),
    };
  }

  async function index(): Promise<Index> {
    const sig = await signature();
    const current = cached !== null ? await cached.catch(() => null) : null;
    if (current?.signature === sig) return current;
    // Built once for every request waiting on it: not stopped if the client of the one that started it leaves.
    cached = withoutQuerySignal(() => build(sig));
    return cached;
  }

  r.get(
    '/api/v1/search',
    {
      schema: {
        tags: ['web'],
        summary:
          'Find published items of the knowledge repository, indicators and places, in any language (Arabic spelling variants folded)',
        description:
          '`items`: published practices, tools and documents of the knowledge repository, ranked by relevance, each with id, type, title, language (of the title and snippet), snippet (HTML: everything escaped but <mark> around matched words) and score — the same search as GET /api/v1/knowledge/search (docs/methods/search.md), which adds filters, facets and pages. `indicators` and `places`: every word of `q` must begin a word of the code or of a name in any language (Arabic folded: hamza forms of alef, ta marbuta/ha, alef maqsura/ya, diacritics, tatweel, Arabic-Indic digits, the article and و). Ranked: exact code, codes starting with the text, names starting with it, other matches; active indicators before retired ones, pilot places first.',
        querystring: SearchQuery,
      },
    },
    async (req) => {
      const { q: query, lang, limit } = req.query;
      const q = normaliseForSearch(query);
      const queryTokens = searchTokens(query);
      const idx = await index();

      const indicators = idx.indicators
        .map((i) => ({ i, rank: rankOf(i.entry, query, q, queryTokens) }))
        .filter((x): x is { i: typeof x.i; rank: Rank } => x.rank !== null)
        .sort(
          (a, b) =>
            a.rank - b.rank ||
            (STATUS_ORDER[a.i.status] ?? 1) - (STATUS_ORDER[b.i.status] ?? 1) ||
            compareCodes(a.i.code, b.i.code),
        )
        .slice(0, limit)
        .map(({ i }) => ({ code: i.code, name: pick(i.names, lang), names: i.names, status: i.status }));

      const places = idx.places
        .map((p) => ({ p, rank: rankOf(p.entry, query, q, queryTokens) }))
        .filter((x): x is { p: typeof x.p; rank: Rank } => x.rank !== null)
        .sort(
          (a, b) =>
            a.rank - b.rank ||
            Number(b.p.pilot) - Number(a.p.pilot) ||
            (LEVEL_ORDER[a.p.level] ?? 9) - (LEVEL_ORDER[b.p.level] ?? 9) ||
            compareCodes(a.p.code, b.p.code),
        )
        .slice(0, limit)
        .map(({ p }) => ({
          code: p.code,
          level: p.level,
          name: pick(p.names, lang),
          names: p.names,
          pilot: p.pilot,
          parent: p.parent ? { code: p.parent.code, name: pick(p.parent.names, lang), level: p.parent.level } : null,
        }));

      const found = await searchItems(ctx.store, { q: query, ...(lang ? { lang } : {}), limit, offset: 0 });
      const items = found.items.map((i) => ({
        id: i.id,
        type: i.type,
        title: i.title,
        language: i.language,
        snippet: i.snippet,
        score: i.score,
        kind: i.kind,
        year: i.year,
      }));

      return { items, indicators, places };
    },
  );
}
