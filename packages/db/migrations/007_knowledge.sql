-- The knowledge repository and the network (issue 5; PRODUCT.md parts S5 and S7):
-- practices, tools and documents with their texts in several languages, every version,
-- attachments; pilots of tools by cities; partner organisations of the Global Network on
-- Safer Cities and designated safer-cities coordination centres; workshops and trainings.
-- Full-text search: docs/methods/search.md. Runs unchanged on PostgreSQL 15 and on PGlite
-- (PostgreSQL 18). No generated columns: backups COPY every column back in.

-- The text search configuration of a language: PostgreSQL's `arabic` and `english` (Snowball
-- stemmers), `simple` (no stemming) for every other language. Texts reach it already folded
-- by the application (packages/core/src/search/full-text.ts).
CREATE FUNCTION marsad_search_config(lang text) RETURNS regconfig
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT CASE lang WHEN 'ar' THEN 'pg_catalog.arabic'::regconfig WHEN 'en' THEN 'pg_catalog.english'::regconfig ELSE 'pg_catalog.simple'::regconfig END $$;

-- Concatenation of tsvectors over rows (positions of each next vector follow the previous).
CREATE AGGREGATE marsad_tsvector_agg(tsvector) (SFUNC = tsvector_concat, STYPE = tsvector, INITCOND = '');

-- Disjunction of tsqueries over rows (null for none).
CREATE AGGREGATE marsad_tsquery_or(tsquery) (SFUNC = tsquery_or, STYPE = tsquery);

-- The pairs of consecutive lexemes of a vector ("مرصد امان", "امان حضر"), as lexemes holding a
-- space (which the parser never produces), without positions. An item holding a phrase holds
-- its pairs: the GIN index of these pairs finds phrase matches without reading the documents.
CREATE FUNCTION marsad_bigrams(v tsvector) RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT coalesce(array_to_tsvector(array_agg(DISTINCT pair)), ''::tsvector)
      FROM (SELECT lexeme || ' ' || lead(lexeme) OVER (ORDER BY position) AS pair
              FROM (SELECT u.lexeme, unnest(u.positions) AS position FROM unnest(v) AS u) AS p) AS pairs
     WHERE pair IS NOT NULL
  $$;

-- A tsquery requiring every lexeme of a vector (null for an empty vector).
CREATE FUNCTION marsad_all_lexemes(v tsvector) RETURNS tsquery
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT string_agg('''' || replace(replace(u.lexeme, '\', '\\'), '''', '''''') || '''', ' & ')::tsquery FROM unnest(v) AS u
  $$;

-- The query for a text in its search form: every word, in the Arabic, English or simple
-- configuration (an item's text was indexed in the configuration of its language).
CREATE FUNCTION marsad_query(q text) RETURNS tsquery
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT plainto_tsquery('pg_catalog.arabic', q) || plainto_tsquery('pg_catalog.english', q) || plainto_tsquery('pg_catalog.simple', q)
  $$;

-- The phrase query: every pair of consecutive words of the query, in one of the three
-- configurations; null for a query of one word.
CREATE FUNCTION marsad_phrase_query(q text) RETURNS tsquery
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT marsad_tsquery_or(x)
      FROM (SELECT marsad_all_lexemes(marsad_bigrams(to_tsvector(c, q))) AS x
              FROM unnest(ARRAY['pg_catalog.arabic', 'pg_catalog.english', 'pg_catalog.simple']::regconfig[]) AS c) AS per_config
     WHERE x IS NOT NULL
  $$;

-- A practice (what a city did), a tool (guide, indicator toolkit, methodology, template) or a
-- document (report, resolution, review …). Contacts are roles on places, never people.
CREATE TABLE knowledge_items (
  id serial PRIMARY KEY,
  type text NOT NULL CHECK (type IN ('practice', 'tool', 'document')),
  kind text,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
  original_language text NOT NULL,
  -- The place whose editors and focal points may edit the item; null: administrators only
  -- (and holders of a grant on the item).
  owner_place_id integer REFERENCES places(id),
  date_start date,
  date_end date CHECK (date_end IS NULL OR date_start IS NULL OR date_end >= date_start),
  -- year of date_start, for the year facet
  year integer,
  issuer jsonb NOT NULL DEFAULT '{}'::jsonb,
  reference text,
  source_url text,
  -- places the item is about; place_scope adds every place above them (filter and facet)
  place_ids integer[] NOT NULL DEFAULT '{}',
  place_scope integer[] NOT NULL DEFAULT '{}',
  sdg_targets text[] NOT NULL DEFAULT '{}',
  nua_paragraphs integer[] NOT NULL DEFAULT '{}',
  guideline_principles text[] NOT NULL DEFAULT '{}',
  frameworks text[] NOT NULL DEFAULT '{}',
  keywords text[] NOT NULL DEFAULT '{}',
  languages text[] NOT NULL DEFAULT '{}',
  contacts jsonb NOT NULL DEFAULT '[]'::jsonb,
  version integer NOT NULL DEFAULT 1,
  -- the keywords in their search form
  keywords_search text NOT NULL DEFAULT '',
  -- texts (title A, summary and keywords B, body and results C) and attachments (D);
  -- head_vector: the A and B part; phrase_vector: pairs of consecutive words (marsad_bigrams)
  search_vector tsvector NOT NULL DEFAULT ''::tsvector,
  head_vector tsvector NOT NULL DEFAULT ''::tsvector,
  phrase_vector tsvector NOT NULL DEFAULT ''::tsvector,
  -- who created it (an account; never shown to the public)
  created_by integer REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);
CREATE INDEX knowledge_items_search ON knowledge_items USING gin (search_vector);
CREATE INDEX knowledge_items_head ON knowledge_items USING gin (head_vector);
CREATE INDEX knowledge_items_phrase ON knowledge_items USING gin (phrase_vector);
CREATE INDEX knowledge_items_status_type ON knowledge_items (status, type);
CREATE INDEX knowledge_items_place_scope ON knowledge_items USING gin (place_scope);
CREATE INDEX knowledge_items_owner ON knowledge_items (owner_place_id);

-- The texts of an item, one per language; `translated` marks a translation of the original.
-- body and results are sanitised HTML; plain_text is summary, body and results as text with
-- white space collapsed (its first summary_chunks chunks are the summary), search_text its
-- search form chunk for chunk (for snippets), title_search the title's.
CREATE TABLE knowledge_item_texts (
  item_id integer NOT NULL REFERENCES knowledge_items(id) ON DELETE CASCADE,
  lang text NOT NULL,
  title text NOT NULL,
  summary text NOT NULL DEFAULT '',
  body text NOT NULL DEFAULT '',
  results text NOT NULL DEFAULT '',
  translated boolean NOT NULL DEFAULT false,
  title_search text NOT NULL DEFAULT '',
  plain_text text NOT NULL DEFAULT '',
  search_text text NOT NULL DEFAULT '',
  summary_chunks integer NOT NULL DEFAULT 0,
  vector tsvector NOT NULL DEFAULT ''::tsvector,
  PRIMARY KEY (item_id, lang)
);

-- The vector of one text: title A, summary B, body and results C, in its language's configuration.
CREATE FUNCTION marsad_text_vector(lang text, title_search text, search_text text, summary_chunks integer) RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT setweight(to_tsvector(marsad_search_config(lang), title_search), 'A')
        || setweight(to_tsvector(marsad_search_config(lang), array_to_string((string_to_array(search_text, ' '))[1:summary_chunks], ' ')), 'B')
        || setweight(to_tsvector(marsad_search_config(lang), array_to_string((string_to_array(search_text, ' '))[summary_chunks + 1:], ' ')), 'C')
  $$;

-- Every version of an item as it was saved (texts, tags, status, attachments listed).
CREATE TABLE knowledge_item_versions (
  item_id integer NOT NULL REFERENCES knowledge_items(id) ON DELETE CASCADE,
  version integer NOT NULL,
  status text NOT NULL,
  snapshot jsonb NOT NULL,
  actor_user_id integer,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (item_id, version)
);

-- Files of an item, kept byte for byte with their SHA-256; text extracted for search.
CREATE TABLE knowledge_attachments (
  id serial PRIMARY KEY,
  item_id integer NOT NULL REFERENCES knowledge_items(id) ON DELETE CASCADE,
  file_name text NOT NULL,
  media_type text NOT NULL,
  size integer NOT NULL,
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  content bytea NOT NULL,
  language text,
  -- 'pdf' or 'text' when text was extracted, 'none' for formats not read, 'failed' with a note
  extraction text NOT NULL CHECK (extraction IN ('pdf', 'text', 'none', 'failed')),
  extraction_note text,
  text_chars integer NOT NULL DEFAULT 0,
  vector tsvector NOT NULL DEFAULT ''::tsvector,
  created_by integer,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX knowledge_attachments_item ON knowledge_attachments (item_id);

-- A city (or another place) piloted a tool: when, at what stage, with what outcome.
CREATE TABLE tool_pilots (
  id serial PRIMARY KEY,
  item_id integer NOT NULL REFERENCES knowledge_items(id) ON DELETE CASCADE,
  place_id integer NOT NULL REFERENCES places(id),
  started_on date NOT NULL,
  ended_on date CHECK (ended_on IS NULL OR ended_on >= started_on),
  stage text NOT NULL CHECK (stage IN ('planned', 'under-way', 'completed', 'stopped')),
  outcome jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_by integer,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tool_pilots_item ON tool_pilots (item_id);
CREATE INDEX tool_pilots_place ON tool_pilots (place_id);

-- Partner organisations of the Global Network on Safer Cities, with the date they joined.
CREATE TABLE partner_organisations (
  id serial PRIMARY KEY,
  names jsonb NOT NULL,
  type text NOT NULL CHECK (type IN ('local-government-network', 'civil-society', 'academia', 'private-sector', 'un-entity', 'funder')),
  country_place_id integer REFERENCES places(id),
  website text,
  descriptions jsonb NOT NULL DEFAULT '{}'::jsonb,
  joined_on date,
  left_on date CHECK (left_on IS NULL OR joined_on IS NULL OR left_on >= joined_on),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Designated safer-cities coordination centres (seed 000, section 8 c).
CREATE TABLE coordination_centres (
  id serial PRIMARY KEY,
  names jsonb NOT NULL,
  place_id integer NOT NULL REFERENCES places(id),
  organisation_id integer REFERENCES partner_organisations(id) ON DELETE SET NULL,
  designated_on date,
  descriptions jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Workshops and trainings (seed 003, pillar 3): participants are counted, never listed.
CREATE TABLE workshops (
  id serial PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('workshop', 'training')),
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
  titles jsonb NOT NULL,
  descriptions jsonb NOT NULL DEFAULT '{}'::jsonb,
  place_id integer REFERENCES places(id),
  online boolean NOT NULL DEFAULT false,
  starts_on date NOT NULL,
  ends_on date CHECK (ends_on IS NULL OR ends_on >= starts_on),
  -- [{organisationId} | {names}]: partner organisations or other organisers by name
  organisers jsonb NOT NULL DEFAULT '[]'::jsonb,
  topics text[] NOT NULL DEFAULT '{}',
  -- {total, bySex: {female, male, unspecified}, byOrganisationType: {type: count}}
  participants jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX workshops_place ON workshops (place_id);

-- Materials of a workshop: items of the repository.
CREATE TABLE workshop_materials (
  workshop_id integer NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
  item_id integer NOT NULL REFERENCES knowledge_items(id) ON DELETE CASCADE,
  position integer NOT NULL DEFAULT 0,
  PRIMARY KEY (workshop_id, item_id)
);
CREATE INDEX workshop_materials_item ON workshop_materials (item_id);

-- Recomputes the vectors of the given items from their texts, keywords and attachments
-- (after every change of one of them; the texts' own vectors are set when they are written).
CREATE FUNCTION marsad_refresh_item_search(item_ids integer[]) RETURNS void
  LANGUAGE sql VOLATILE
  AS $$
    WITH parts AS (
      SELECT i.id,
             coalesce((SELECT marsad_tsvector_agg(t.vector ORDER BY t.translated, t.lang) FROM knowledge_item_texts t WHERE t.item_id = i.id), ''::tsvector)
               || setweight(to_tsvector('pg_catalog.arabic', i.keywords_search) || to_tsvector('pg_catalog.english', i.keywords_search), 'B') AS texts,
             coalesce((SELECT marsad_tsvector_agg(a.vector ORDER BY a.id) FROM knowledge_attachments a WHERE a.item_id = i.id), ''::tsvector) AS files,
             coalesce((SELECT marsad_tsvector_agg(marsad_bigrams(t.vector) ORDER BY t.translated, t.lang) FROM knowledge_item_texts t WHERE t.item_id = i.id), ''::tsvector)
               || coalesce((SELECT marsad_tsvector_agg(marsad_bigrams(a.vector) ORDER BY a.id) FROM knowledge_attachments a WHERE a.item_id = i.id), ''::tsvector) AS pairs
        FROM knowledge_items i
       WHERE i.id = ANY(item_ids)
    )
    UPDATE knowledge_items i
       SET search_vector = p.texts || p.files,
           head_vector = ts_filter(p.texts, '{a,b}'),
           phrase_vector = p.pairs
      FROM parts p
     WHERE i.id = p.id
  $$;
