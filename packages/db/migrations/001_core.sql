-- Marsad core schema: catalogue (frameworks, indicators, series, dimensions, places),
-- observations with history, targets, sources and import batches.
-- Runs unchanged on PostgreSQL 15 and on PGlite (PostgreSQL 18).

CREATE TABLE settings (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sources (
  id serial PRIMARY KEY,
  name text NOT NULL UNIQUE,
  licence text,
  citation text,
  url text,
  synthetic boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE import_batches (
  id serial PRIMARY KEY,
  format text NOT NULL,
  file_name text,
  checksum text,
  actor text NOT NULL,
  state text NOT NULL CHECK (state IN ('running', 'committed', 'failed', 'dry-run')),
  default_status text NOT NULL,
  counts jsonb NOT NULL DEFAULT '{}'::jsonb,
  error_count integer NOT NULL DEFAULT 0,
  options jsonb NOT NULL DEFAULT '{}'::jsonb,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);

CREATE TABLE frameworks (
  id serial PRIMARY KEY,
  code text NOT NULL UNIQUE,
  names jsonb NOT NULL,
  descriptions jsonb NOT NULL DEFAULT '{}'::jsonb,
  draft boolean NOT NULL DEFAULT false,
  review_needed boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE framework_groups (
  id serial PRIMARY KEY,
  framework_id integer NOT NULL REFERENCES frameworks(id) ON DELETE CASCADE,
  code text NOT NULL,
  names jsonb NOT NULL,
  position integer NOT NULL DEFAULT 0,
  UNIQUE (framework_id, code)
);

CREATE TABLE sdg_goals (
  code text PRIMARY KEY,
  names jsonb NOT NULL,
  source_id integer REFERENCES sources(id)
);

CREATE TABLE sdg_targets (
  code text PRIMARY KEY,
  goal_code text NOT NULL REFERENCES sdg_goals(code),
  names jsonb NOT NULL,
  source_id integer REFERENCES sources(id)
);

CREATE TABLE places (
  id serial PRIMARY KEY,
  code text NOT NULL UNIQUE,
  level text NOT NULL CHECK (level IN ('country', 'region', 'city', 'district')),
  parent_id integer REFERENCES places(id),
  -- materialised path of ids, '/1/' for a root, '/1/57/' for its child: subtree = path LIKE '/1/%'
  path text NOT NULL,
  names jsonb NOT NULL,
  lat double precision CHECK (lat BETWEEN -90 AND 90),
  lon double precision CHECK (lon BETWEEN -180 AND 180),
  codes jsonb NOT NULL DEFAULT '{}'::jsonb,
  external_code text,
  pilot boolean NOT NULL DEFAULT false,
  review_needed boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX places_parent ON places (parent_id);
CREATE INDEX places_path ON places (path text_pattern_ops);
CREATE INDEX places_external_code ON places (external_code);

CREATE TABLE dimensions (
  id serial PRIMARY KEY,
  code text NOT NULL UNIQUE,
  names jsonb NOT NULL,
  open boolean NOT NULL DEFAULT false,
  created_by_batch integer REFERENCES import_batches(id),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE dimension_values (
  id serial PRIMARY KEY,
  dimension_id integer NOT NULL REFERENCES dimensions(id) ON DELETE CASCADE,
  code text NOT NULL,
  names jsonb NOT NULL,
  position integer NOT NULL DEFAULT 0,
  UNIQUE (dimension_id, code)
);

-- One row per distinct combination of dimension values; id 0 / key '' is the total.
-- The key is canonical: 'AGE=Y15T24|SEX=F' (dimension codes sorted).
CREATE TABLE disaggregations (
  id integer PRIMARY KEY,
  key text NOT NULL UNIQUE,
  dims jsonb NOT NULL
);
CREATE SEQUENCE disaggregations_id_seq START 1 OWNED BY disaggregations.id;
INSERT INTO disaggregations (id, key, dims) VALUES (0, '', '{}'::jsonb);

CREATE TABLE indicators (
  id serial PRIMARY KEY,
  code text NOT NULL UNIQUE,
  names jsonb NOT NULL,
  definitions jsonb NOT NULL DEFAULT '{}'::jsonb,
  unit_code text,
  unit_names jsonb NOT NULL DEFAULT '{}'::jsonb,
  direction text NOT NULL DEFAULT 'none' CHECK (direction IN ('higher', 'lower', 'none')),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired', 'draft')),
  sdg_target text REFERENCES sdg_targets(code),
  local boolean NOT NULL DEFAULT false,
  owner_place_id integer REFERENCES places(id),
  tags text[] NOT NULL DEFAULT '{}',
  dimensions text[] NOT NULL DEFAULT '{}',
  source_id integer REFERENCES sources(id),
  review_needed boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE indicator_frameworks (
  indicator_id integer NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,
  framework_id integer NOT NULL REFERENCES frameworks(id) ON DELETE CASCADE,
  group_id integer REFERENCES framework_groups(id),
  PRIMARY KEY (indicator_id, framework_id)
);

CREATE TABLE series (
  id serial PRIMARY KEY,
  indicator_id integer NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,
  code text NOT NULL,
  names jsonb NOT NULL DEFAULT '{}'::jsonb,
  unit_code text,
  unit_names jsonb NOT NULL DEFAULT '{}'::jsonb,
  aliases text[] NOT NULL DEFAULT '{}',
  is_default boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (indicator_id, code)
);
CREATE INDEX series_code ON series (code);

CREATE TABLE targets (
  id serial PRIMARY KEY,
  indicator_id integer NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,
  series_id integer REFERENCES series(id) ON DELETE CASCADE,
  place_id integer REFERENCES places(id) ON DELETE CASCADE,
  year integer NOT NULL,
  value double precision,
  relative_change double precision,
  baseline_year integer,
  note text,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (value IS NOT NULL OR (relative_change IS NOT NULL AND baseline_year IS NOT NULL))
);

-- The natural key of an observation is (series, place, period, disaggregation); the
-- indicator follows from the series and is kept for filtering.
CREATE TABLE observations (
  series_id integer NOT NULL REFERENCES series(id),
  place_id integer NOT NULL REFERENCES places(id),
  period text NOT NULL,
  disagg_id integer NOT NULL REFERENCES disaggregations(id),
  indicator_id integer NOT NULL,
  period_start date NOT NULL,
  period_end date NOT NULL,
  value double precision NOT NULL,
  unit text,
  status text NOT NULL CHECK (status IN ('provisional', 'validated', 'approved')),
  source_id integer REFERENCES sources(id),
  note text,
  batch_id integer,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (series_id, place_id, period, disagg_id)
);
CREATE INDEX observations_place ON observations (place_id);

-- Every earlier version of an observation, written when a value is changed or deleted.
CREATE TABLE observation_history (
  series_id integer NOT NULL,
  place_id integer NOT NULL,
  period text NOT NULL,
  disagg_id integer NOT NULL,
  version integer NOT NULL,
  value double precision NOT NULL,
  unit text,
  status text NOT NULL,
  source_id integer,
  note text,
  batch_id integer,
  valid_from timestamptz NOT NULL,
  valid_to timestamptz NOT NULL DEFAULT now(),
  replaced_by_batch integer,
  change text NOT NULL CHECK (change IN ('update', 'delete')),
  PRIMARY KEY (series_id, place_id, period, disagg_id, version)
);
