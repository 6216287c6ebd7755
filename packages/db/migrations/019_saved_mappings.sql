-- Saved import mappings (issue 14, item 6): a column mapping ({"columns": {...}}) or a DHIS2 mapping (dataElements,
-- orgUnits, categoryOptionCombos) kept under a name, so that an import, the DHIS2 export or a repository import can
-- name it instead of carrying the JSON. A mapping belongs to a place: the role holders of that place (and of the places
-- above it: a national focal point sees its country's and its places') see it, administrators all. The body is checked
-- by the server with the same schemas the imports use before it is stored.
CREATE TABLE saved_mappings (
  id serial PRIMARY KEY,
  place_id integer NOT NULL REFERENCES places(id) ON DELETE CASCADE,
  name text NOT NULL CHECK (name = btrim(name) AND length(name) BETWEEN 1 AND 100),
  kind text NOT NULL CHECK (kind IN ('columns', 'dhis2')),
  body jsonb NOT NULL CHECK (jsonb_typeof(body) = 'object'),
  created_by integer REFERENCES users(id) ON DELETE SET NULL,
  created_by_label text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_by integer REFERENCES users(id) ON DELETE SET NULL,
  updated_by_label text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- A name is unique within its place, whatever its case ("Gender" and "gender" are one name).
CREATE UNIQUE INDEX saved_mappings_place_name ON saved_mappings (place_id, lower(name));
