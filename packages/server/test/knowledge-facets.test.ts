/**
 * The knowledge search's facets (knowledge-search.ts, searchFacets; issue 16) give the counts a
 * brute-force count gives: generated items (types, drafts, texts in one to three languages, places
 * with the places above them, frameworks, SDG targets, years or none) and generated searches (zero
 * to three words, every filter with values that exist and values that do not). Each facet is
 * counted over the published items holding every word, with the other filters applied but not its
 * own; the total with all of them; values ordered by count, then value (years newest first).
 *
 * The words are made up and the same in the arabic, english and simple configurations (checked),
 * so an item matches when its texts together hold every word of the query.
 */
import { createTestDatabase, type TestDatabase, testStoreKinds } from '@marsad/db/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../src/audit/audit-log.ts';
import { insertItem } from '../src/knowledge/item-store.ts';
import { ItemCreate } from '../src/knowledge/knowledge-inputs.ts';
import { type Facets, type SearchOptions, searchFacets } from '../src/knowledge/knowledge-search.ts';

const WORDS = ['zorb', 'quix', 'blemt', 'vark', 'nolp', 'drim', 'fesk', 'glont'] as const;
/** How often a text holds each word: from nearly every text to a few. */
const WORD_SHARE = [0.9, 0.6, 0.5, 0.35, 0.25, 0.15, 0.08, 0.03];
const TYPES = ['practice', 'tool', 'document'] as const;
const TEXT_LANGUAGES = ['ar', 'en', 'fr'] as const;
const PLACES = ['MAR', 'MAAGA', 'JOR', 'JOAMM', 'ECU', 'ECUIO', 'KAZ', 'KZALA'] as const;
const FRAMEWORKS = ['sdg', 'nua', 'urban-safety', 'adequate-housing'] as const;
const SDG_TARGETS = ['11.1', '11.2', '11.7', '16.1', '5.2'] as const;
const YEARS = [2015, 2018, 2019, 2020, 2024] as const;

interface Generated {
  type: (typeof TYPES)[number];
  published: boolean;
  texts: { lang: (typeof TEXT_LANGUAGES)[number]; words: number[][] }[];
  places: string[];
  frameworks: string[];
  sdgTargets: string[];
  year: number | null;
}

interface Known {
  type: string;
  published: boolean;
  words: Set<string>;
  languages: string[];
  scope: string[];
  frameworks: string[];
  sdgTargets: string[];
  year: number | null;
}

const subset = <T>(values: readonly T[], maxLength = values.length) =>
  fc.uniqueArray(fc.constantFrom(...values), { maxLength });

/** A text's title, summary and body, each a list of indexes into WORDS, drawn by WORD_SHARE. */
const textWords = fc
  .tuple(...WORD_SHARE.map((share) => fc.double({ min: 0, max: 1, noNaN: true }).map((x) => x < share)))
  .chain((held) => {
    const present = held.flatMap((h, k) => (h ? [k] : []));
    // Each word held goes into one of the three parts; a title is never empty (word 0 stands in).
    return fc.tuple(...present.map(() => fc.nat(2))).map((parts) => {
      const out: number[][] = [[], [], []];
      for (const [k, w] of present.entries()) out[parts[k]!]!.push(w);
      if (out[0]!.length === 0) out[0]!.push(0);
      return out;
    });
  });

const item: fc.Arbitrary<Generated> = fc.record({
  type: fc.constantFrom(...TYPES),
  published: fc.double({ min: 0, max: 1, noNaN: true }).map((x) => x < 0.85),
  texts: fc
    .uniqueArray(fc.constantFrom(...TEXT_LANGUAGES), { minLength: 1, maxLength: 3 })
    .chain((langs) => fc.tuple(...langs.map((lang) => textWords.map((words) => ({ lang, words }))))),
  places: subset(PLACES, 2),
  frameworks: subset(FRAMEWORKS, 2),
  sdgTargets: subset(SDG_TARGETS, 3),
  year: fc.option(fc.constantFrom(...YEARS), { nil: null, freq: 5 }),
});

interface Search {
  words: string[];
  type: string[];
  language: string[];
  place: string[];
  framework: string[];
  sdg: string[];
  year: number[];
}

const search: fc.Arbitrary<Search> = fc.record({
  words: fc.uniqueArray(fc.constantFrom(...WORDS), { maxLength: 3 }),
  type: subset(TYPES, 2),
  language: subset([...TEXT_LANGUAGES, 'es'], 2),
  place: subset([...PLACES, 'NOWHERE'], 2),
  framework: subset([...FRAMEWORKS, 'population'], 2),
  sdg: subset([...SDG_TARGETS, '17.17'], 2),
  year: subset([...YEARS, 2001], 2),
});

type FacetName = 'type' | 'language' | 'place' | 'framework' | 'sdgTarget' | 'year';

/** The facets counted item by item. */
function bruteForce(
  items: Known[],
  s: Search,
  placeOrder: Map<string, number>,
): Omit<Facets, 'place'> & {
  place: { value: string; count: number }[];
} {
  const tests: Record<FacetName, (i: Known) => boolean> = {
    type: (i) => !s.type.length || s.type.includes(i.type),
    language: (i) => !s.language.length || i.languages.some((l) => s.language.includes(l)),
    place: (i) => !s.place.length || i.scope.some((p) => s.place.includes(p)),
    framework: (i) => !s.framework.length || i.frameworks.some((f) => s.framework.includes(f)),
    sdgTarget: (i) => !s.sdg.length || i.sdgTargets.some((t) => s.sdg.includes(t)),
    year: (i) => !s.year.length || (i.year !== null && s.year.includes(i.year)),
  };
  const matched = items.filter((i) => i.published && s.words.every((w) => i.words.has(w)));
  const without = (facet: FacetName) =>
    matched.filter((i) => (Object.keys(tests) as FacetName[]).every((f) => f === facet || tests[f](i)));
  const count = (facet: FacetName, values: (i: Known) => readonly string[]) => {
    const n = new Map<string, number>();
    for (const i of without(facet)) for (const v of values(i)) n.set(v, (n.get(v) ?? 0) + 1);
    return [...n].map(([value, count]) => ({ value, count }));
  };
  const byCount = (a: { value: string; count: number }, b: { value: string; count: number }) =>
    b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);
  return {
    total: matched.filter((i) => Object.values(tests).every((t) => t(i))).length,
    type: count('type', (i) => [i.type]).sort(byCount),
    language: count('language', (i) => i.languages).sort(byCount),
    place: count('place', (i) => i.scope).sort(
      (a, b) => b.count - a.count || placeOrder.get(a.value)! - placeOrder.get(b.value)!,
    ),
    framework: count('framework', (i) => i.frameworks).sort(byCount),
    sdgTarget: count('sdgTarget', (i) => i.sdgTargets).sort(byCount),
    year: count('year', (i) => (i.year === null ? [] : [String(i.year)])).sort(
      (a, b) => Number(b.value) - Number(a.value),
    ),
  };
}

describe.each(testStoreKinds())('knowledge search facets on %s', (kind) => {
  let db: TestDatabase;
  const known: Known[] = [];
  /** Place code → id (the place facet orders equal counts by id). */
  const placeOrder = new Map<string, number>();

  beforeAll(async () => {
    db = await createTestDatabase(kind, { catalogue: true });
    const store = db.store;
    const same = await store.exclusive((c) =>
      c.query<{ w: string; ok: boolean }>(
        `SELECT w, to_tsvector('arabic', w) = to_tsvector('english', w) AND to_tsvector('english', w) = to_tsvector('simple', w)
                AND to_tsvector('simple', w)::text = quote_literal(w) || ':1' AS ok
           FROM unnest($1::text[]) AS w`,
        [WORDS],
      ),
    );
    expect(same.rows.filter((r) => !r.ok).map((r) => r.w)).toEqual([]);
    const places = await store.db.selectFrom('places').select(['id', 'code', 'path']).execute();
    const codeOf = new Map(places.map((p) => [p.id, p.code]));
    const pathOf = new Map(places.map((p) => [p.code, p.path]));
    for (const p of places) placeOrder.set(p.code, p.id);
    const generated = fc.sample(fc.array(item, { minLength: 60, maxLength: 60 }), { numRuns: 1, seed: 20261207 })[0]!;
    for (const g of generated) {
      const texts: Record<string, { title: string; summary: string; body: string }> = {};
      for (const t of g.texts) {
        const [title, summary, body] = t.words.map((ws) => ws.map((w) => WORDS[w]).join(' '));
        texts[t.lang] = { title: title!, summary: summary!, body: body ? `<p>${body}</p>` : '' };
      }
      await insertItem(
        store,
        SYSTEM_ACTOR,
        ItemCreate.parse({
          type: g.type,
          status: g.published ? 'published' : 'draft',
          originalLanguage: g.texts[0]!.lang,
          texts,
          places: g.places,
          ...(g.year === null ? {} : { dateStart: `${g.year}-06-01` }),
          sdgTargets: g.sdgTargets,
          frameworks: g.frameworks,
        }),
      );
      known.push({
        type: g.type,
        published: g.published,
        words: new Set(g.texts.flatMap((t) => t.words.flat().map((w) => WORDS[w]!))),
        languages: g.texts.map((t) => t.lang),
        scope: [
          ...new Set(
            g.places.flatMap((c) =>
              pathOf
                .get(c)!
                .split('/')
                .filter(Boolean)
                .map((id) => codeOf.get(Number(id))!),
            ),
          ),
        ],
        frameworks: g.frameworks,
        sdgTargets: g.sdgTargets,
        year: g.year,
      });
    }
  }, 120_000);
  afterAll(async () => {
    await db?.drop();
  });

  it('count what a brute-force count of the generated items gives, for generated searches and filters', async () => {
    await fc.assert(
      fc.asyncProperty(search, async (s) => {
        const o: SearchOptions = {
          limit: 10,
          offset: 0,
          lang: 'en',
          ...(s.words.length ? { q: s.words.join(' ') } : {}),
          ...(s.type.length ? { type: s.type as SearchOptions['type'] } : {}),
          ...(s.language.length ? { language: s.language as SearchOptions['language'] } : {}),
          ...(s.place.length ? { place: s.place } : {}),
          ...(s.framework.length ? { framework: s.framework } : {}),
          ...(s.sdg.length ? { sdg: s.sdg } : {}),
          ...(s.year.length ? { year: s.year } : {}),
        };
        const got = await searchFacets(db.store, o);
        const want = bruteForce(known, s, placeOrder);
        const strip = (xs: { value: string; count: number }[]) => xs.map(({ value, count }) => ({ value, count }));
        expect({
          total: got.total,
          type: strip(got.type),
          language: strip(got.language),
          place: strip(got.place),
          framework: strip(got.framework),
          sdgTarget: strip(got.sdgTarget),
          year: strip(got.year),
        }).toEqual(want);
      }),
      { numRuns: 120 },
    );
  }, 120_000);

  it('give the places their names and levels, and the frameworks and targets their names', async () => {
    const f = await searchFacets(db.store, { q: 'zorb', lang: 'en', limit: 10, offset: 0 });
    expect(f.place.find((p) => p.value === 'MAR')).toMatchObject({ label: 'Morocco', level: 'country' });
    for (const x of [...f.framework, ...f.sdgTarget]) expect(typeof x.label).toBe('string');
  });
});
