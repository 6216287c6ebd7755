-- Ranking of the knowledge repository's search (docs/methods/search.md, "Ranking"): an item's
-- head_vector also holds what it is about — the pairs of consecutive words of its titles,
-- summaries and keywords, and, marked with how often they occur, the words and pairs of words
-- its texts repeat. A search then reads the items holding the query in these strongest places
-- first, from GIN indexes, and ranks a bounded number of them, instead of ranking every item
-- that holds the words somewhere.
-- Runs unchanged on PostgreSQL 15 and on PGlite (PostgreSQL 18).

-- Marks of repetition: a pair of words occurring at least 2, 4 or 8 times gets the lexemes
-- "a b|2", "a b|4", "a b|8" (as many as it reaches); a word occurring at least 3 or 9 times
-- gets "a|3", "a|9".
CREATE FUNCTION marsad_repeated(v tsvector) RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT coalesce(array_to_tsvector(array_agg(lexeme)), ''::tsvector) FROM (
      SELECT pair || '|' || b AS lexeme
        FROM (SELECT pair, count(*) AS n
                FROM (SELECT lexeme || ' ' || lead(lexeme) OVER (ORDER BY position) AS pair
                        FROM (SELECT u.lexeme, unnest(u.positions) AS position FROM unnest(v) AS u) AS p) AS pairs
               WHERE pair IS NOT NULL GROUP BY pair) AS counted,
             unnest(ARRAY[2, 4, 8]) AS b
       WHERE n >= b
      UNION ALL
      SELECT u.lexeme || '|' || b
        FROM unnest(v) AS u, unnest(ARRAY[3, 9]) AS b
       WHERE coalesce(array_length(u.positions, 1), 0) >= b
    ) AS marks
  $$;

-- The query for the marks of one level: every pair of consecutive words of the query marked
-- "|level" (a query of one word: the word), in one of the three configurations; null when the
-- query has no pair (or, for a word level, more than one word).
CREATE FUNCTION marsad_repeated_query(q text, level integer) RETURNS tsquery
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT marsad_tsquery_or(x) FROM (
      SELECT string_agg('''' || replace(replace(m, '\', '\\'), '''', '''''') || '''', ' & ')::tsquery AS x
        FROM (SELECT c, u.lexeme || '|' || level AS m
                FROM unnest(ARRAY['pg_catalog.arabic', 'pg_catalog.english', 'pg_catalog.simple']::regconfig[]) AS c,
                     unnest(CASE WHEN level IN (3, 9) THEN to_tsvector(c, q) ELSE marsad_bigrams(to_tsvector(c, q)) END) AS u
               WHERE level NOT IN (3, 9) OR length(to_tsvector(c, q)) = 1) AS per_lexeme
       GROUP BY c
    ) AS per_config
  $$;

CREATE OR REPLACE FUNCTION marsad_refresh_item_search(item_ids integer[]) RETURNS void
  LANGUAGE sql VOLATILE
  AS $$
    WITH parts AS (
      SELECT i.id,
             coalesce((SELECT marsad_tsvector_agg(t.vector ORDER BY t.translated, t.lang) FROM knowledge_item_texts t WHERE t.item_id = i.id), ''::tsvector)
               || setweight(to_tsvector('pg_catalog.arabic', i.keywords_search) || to_tsvector('pg_catalog.english', i.keywords_search), 'B') AS texts,
             coalesce((SELECT marsad_tsvector_agg(a.vector ORDER BY a.id) FROM knowledge_attachments a WHERE a.item_id = i.id), ''::tsvector) AS files,
             coalesce((SELECT marsad_tsvector_agg(marsad_bigrams(t.vector) ORDER BY t.translated, t.lang) FROM knowledge_item_texts t WHERE t.item_id = i.id), ''::tsvector)
               || coalesce((SELECT marsad_tsvector_agg(marsad_bigrams(a.vector) ORDER BY a.id) FROM knowledge_attachments a WHERE a.item_id = i.id), ''::tsvector) AS pairs,
             coalesce((SELECT marsad_tsvector_agg(marsad_repeated(t.vector)) FROM knowledge_item_texts t WHERE t.item_id = i.id), ''::tsvector) AS repeated
        FROM knowledge_items i
       WHERE i.id = ANY(item_ids)
    )
    UPDATE knowledge_items i
       SET search_vector = p.texts || p.files,
           head_vector = ts_filter(p.texts, '{a,b}') || marsad_bigrams(ts_filter(p.texts, '{a,b}')) || strip(p.repeated),
           phrase_vector = p.pairs
      FROM parts p
     WHERE i.id = p.id
  $$;

-- Items saved before: their head vectors gain the marks.
SELECT marsad_refresh_item_search(ARRAY(SELECT id FROM knowledge_items));
