-- Metadata of indicators brought with an Open SDG data repository (issue 14): the texts of its
-- meta/*.md front matter, indicator configuration and translations — national indicator
-- description, computation units and definitions, data footnotes, reporting status, graph
-- titles, keywords, sources — one row per indicator, language, field and source. `source`
-- names who publishes them ("Office for National Statistics (Open SDG)"); `place_id` the place
-- the repository reports for (the importer's --place); `batch_id` the repository import that
-- wrote them. A new import of the same source replaces an indicator's rows of that source.
-- Texts may hold HTML and Markdown as published: they are sanitised where they are shown.
-- Runs unchanged on PostgreSQL 15 and on PGlite (PostgreSQL 18).

CREATE TABLE indicator_metadata (
  id serial PRIMARY KEY,
  indicator_id integer NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,
  lang text NOT NULL CHECK (lang ~ '^[a-z]{2,3}(-[A-Za-z0-9]{1,8})?$'),
  field text NOT NULL CHECK (field ~ '^[a-z][a-z0-9_]{0,79}$'),
  text text NOT NULL CHECK (length(text) <= 100000),
  source text NOT NULL CHECK (length(source) BETWEEN 1 AND 300),
  place_id integer REFERENCES places(id) ON DELETE SET NULL,
  batch_id integer REFERENCES import_batches(id),
  position integer NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (indicator_id, source, lang, field)
);

CREATE INDEX indicator_metadata_indicator ON indicator_metadata (indicator_id, lang);
