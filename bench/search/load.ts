/**
 * Loads the benchmark's repository: the reference catalogue, the five seeds (as the
 * demonstration data loads them) and N generated items (generate.ts), copied with COPY and
 * indexed with the same SQL functions as items saved through the API.
 */
import { performance } from 'node:perf_hooks';
import { copyLine, loadCatalogue, type Store } from '@marsad/db';
import { loadKnowledgeSeeds } from '../../packages/server/src/demo/knowledge-seeds.ts';
import { metadataSearchForm, prepareText } from '../../packages/server/src/knowledge/item-store.ts';
import { plainToRichText } from '../../packages/server/src/knowledge/rich-text.ts';
import { ItemGenerator } from './generate.ts';

const BATCH = 2000;
const GENERATED_ISSUER = { en: 'bench/search (generated)' };

/** A PostgreSQL array literal of text values. */
function textArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

export async function loadBenchItems(store: Store, n: number, log: (s: string) => void): Promise<Map<string, number>> {
  let t0 = performance.now();
  await loadCatalogue(store);
  log(`catalogue loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const places = new Map(
    (await store.db.selectFrom('places').select(['id', 'code', 'path']).execute()).map((p) => [p.code, p]),
  );
  const first =
    Number(
      (
        await store.db
          .selectFrom('knowledge_items')
          .select((eb) => eb.fn.max('id').as('m'))
          .executeTakeFirstOrThrow()
      ).m ?? 0,
    ) + 1;
  const gen = new ItemGenerator();
  t0 = performance.now();
  let chars = 0;
  for (let start = 0; start < n; start += BATCH) {
    const items: string[] = [];
    const texts: string[] = [];
    for (let k = start; k < Math.min(n, start + BATCH); k++) {
      const id = first + k;
      const g = gen.next();
      const ps = g.placeCodes.map((c) => places.get(c)!).filter(Boolean);
      const scope = [...new Set(ps.flatMap((p) => p.path.split('/').filter(Boolean).map(Number)))];
      const languages = g.texts.map((t) => t.lang).sort();
      items.push(
        copyLine([
          id,
          g.type,
          g.type === 'practice' ? null : 'other',
          'published',
          g.texts[0]!.lang,
          g.year,
          `${g.year}-01-01`,
          JSON.stringify(GENERATED_ISSUER),
          `{${ps.map((p) => p.id).join(',')}}`,
          `{${scope.join(',')}}`,
          textArray(g.sdgTargets),
          textArray(g.frameworks),
          textArray(g.keywords),
          textArray(languages),
          metadataSearchForm({ keywords: g.keywords, issuer: GENERATED_ISSUER, reference: null }),
        ]),
      );
      for (const t of g.texts) {
        const p = prepareText(t.lang, {
          title: t.title,
          summary: t.summary,
          body: plainToRichText(t.body),
          results: '',
          translated: t.translated,
        });
        chars += p.plainText.length;
        texts.push(
          copyLine([
            id,
            t.lang,
            p.title,
            p.summary,
            p.body,
            p.results,
            p.translated ? 't' : 'f',
            p.titleSearch,
            p.plainText,
            p.searchText,
            p.summaryChunks,
          ]),
        );
      }
    }
    await store.exclusive(async (c) => {
      await c.copyIn(
        `COPY knowledge_items (id, type, kind, status, original_language, year, date_start, issuer, place_ids, place_scope,
        sdg_targets, frameworks, keywords, languages, keywords_search) FROM STDIN`,
        items,
      );
      await c.copyIn(
        `COPY knowledge_item_texts (item_id, lang, title, summary, body, results, translated, title_search, plain_text, search_text,
        summary_chunks) FROM STDIN`,
        texts,
      );
    });
    if ((start / BATCH) % 10 === 9) log(`  … ${start + BATCH} items copied`);
  }
  await store.exclusive((c) =>
    c.query(`SELECT setval('knowledge_items_id_seq', (SELECT max(id) FROM knowledge_items))`),
  );
  log(
    `${n} generated items (${(chars / 1e6).toFixed(0)} M characters of text) copied in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  t0 = performance.now();
  const last = first + n - 1;
  for (let a = first; a <= last; a += BATCH) {
    const b = Math.min(last, a + BATCH - 1);
    await store.exclusive(async (c) => {
      await c.query(
        'UPDATE knowledge_item_texts SET vector = marsad_text_vector(lang, title_search, search_text, summary_chunks) WHERE item_id BETWEEN $1 AND $2',
        [a, b],
      );
      await c.query('SELECT marsad_refresh_item_search(ARRAY(SELECT generate_series($1::int, $2::int)))', [a, b]);
    });
    if (((a - first) / BATCH) % 10 === 9) log(`  … ${b - first + 1} items indexed`);
  }
  log(
    `vectors, phrase pairs and repetition marks of the generated items computed in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  // The seeds come last, as the newest items: the search may not owe finding them to their
  // place in the table (the GIN indexes give matches in the order of the table's pages).
  t0 = performance.now();
  const seedIds = await loadKnowledgeSeeds(store);
  const bySeed = new Map(Object.entries(seedIds).map(([file, id]) => [file.slice(0, 3), id]));
  log(`the 5 seeds added through the API's code path in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  await store.exclusive((c) => c.query('ANALYZE'));
  const size =
    store.kind === 'postgres'
      ? (
          await store.exclusive((c) =>
            c.query<{ s: string }>(`SELECT pg_size_pretty(pg_database_size(current_database())) AS s`),
          )
        ).rows[0]!.s
      : '';
  if (size) log(`database size ${size}`);
  return bySeed;
}
