-- Results frameworks (issue 7; PRODUCT.md part S6): programmes with their results as a tree
-- impact → outcome → output → activity, the measures of each result (an indicator of the
-- catalogue, whose actual values come from approved observations and are never typed again; a
-- programme-specific indicator with its own actual values; or one of the 2030 figures of seed
-- 000 computed from the data), baselines, targets by year, budget lines in their currencies and
-- exchange rates entered by users. Method: docs/methods/results.md.
-- Responsible partners refer to partner_organisations (migration 007, the Global Network on
-- Safer Cities; the foreign key is added by 012) or are given by name in several languages.
-- Runs unchanged on PostgreSQL 15 and on PGlite (PostgreSQL 18).

CREATE TABLE programmes (
  id serial PRIMARY KEY,
  code text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9_.-]{1,60}$'),
  names jsonb NOT NULL,
  descriptions jsonb NOT NULL DEFAULT '{}'::jsonb,
  start_year integer NOT NULL CHECK (start_year BETWEEN 1900 AND 2100),
  end_year integer NOT NULL CHECK (end_year BETWEEN 1900 AND 2100 AND end_year >= start_year),
  status text NOT NULL DEFAULT 'under-way' CHECK (status IN ('planned', 'under-way', 'completed', 'suspended', 'cancelled')),
  -- The document the programme's structure comes from (e.g. HSP/EB.2020/…), free text.
  reference text,
  -- The IATI reporting organisation: {ref, type, names}; the IATI export needs ref and type.
  reporting_org jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- Loaded as demonstration data: invented numbers are labelled so wherever they are shown.
  demo boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Pillars of a project (seed 003: three) or means of implementation of a plan (seed 001: five):
-- lines of work that cut across the results; a result may be tied to any of them.
CREATE TABLE programme_pillars (
  id serial PRIMARY KEY,
  programme_id integer NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
  code text NOT NULL CHECK (code ~ '^[A-Za-z0-9_.-]{1,60}$'),
  kind text NOT NULL DEFAULT 'pillar' CHECK (kind IN ('pillar', 'means-of-implementation')),
  names jsonb NOT NULL,
  descriptions jsonb NOT NULL DEFAULT '{}'::jsonb,
  position integer NOT NULL DEFAULT 0,
  UNIQUE (programme_id, code)
);

-- The places taking part in a programme (the participation record): pilot places, participating
-- places, supporting countries. The 2030 figures count these places (docs/methods/results.md).
CREATE TABLE programme_places (
  programme_id integer NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
  place_id integer NOT NULL REFERENCES places(id),
  role text NOT NULL CHECK (role IN ('pilot', 'participating', 'supporting')),
  since_year integer CHECK (since_year BETWEEN 1900 AND 2100),
  notes jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (programme_id, place_id)
);
CREATE INDEX programme_places_place ON programme_places (place_id);

CREATE TABLE results (
  id serial PRIMARY KEY,
  programme_id integer NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
  parent_id integer REFERENCES results(id) ON DELETE CASCADE,
  level text NOT NULL CHECK (level IN ('impact', 'outcome', 'output', 'activity')),
  code text CHECK (code ~ '^[A-Za-z0-9_.-]{1,60}$'),
  titles jsonb NOT NULL,
  descriptions jsonb NOT NULL DEFAULT '{}'::jsonb,
  start_date date,
  end_date date CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date),
  status text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'under-way', 'completed', 'suspended', 'cancelled')),
  weight double precision NOT NULL DEFAULT 1 CHECK (weight >= 0 AND weight <= 1000000),
  position integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (programme_id, code)
);
CREATE INDEX results_programme ON results (programme_id);
CREATE INDEX results_parent ON results (parent_id);

-- The places responsible for a result (their national focal points may edit it).
CREATE TABLE result_places (
  result_id integer NOT NULL REFERENCES results(id) ON DELETE CASCADE,
  place_id integer NOT NULL REFERENCES places(id),
  PRIMARY KEY (result_id, place_id)
);
CREATE INDEX result_places_place ON result_places (place_id);

CREATE TABLE result_pillars (
  result_id integer NOT NULL REFERENCES results(id) ON DELETE CASCADE,
  pillar_id integer NOT NULL REFERENCES programme_pillars(id) ON DELETE CASCADE,
  PRIMARY KEY (result_id, pillar_id)
);

-- Partners of a programme (result_id null) or responsible for one result: an organisation of
-- the network, or a name in several languages for one that is not in it.
CREATE TABLE programme_partners (
  id serial PRIMARY KEY,
  programme_id integer NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
  result_id integer REFERENCES results(id) ON DELETE CASCADE,
  -- a partner organisation of the network (partner_organisations, migration 007; the foreign key is in 012)
  organisation_id integer,
  names jsonb,
  position integer NOT NULL DEFAULT 0,
  CHECK ((organisation_id IS NULL) <> (names IS NULL))
);
CREATE INDEX programme_partners_programme ON programme_partners (programme_id);

-- How a result is measured. kind 'indicator': an indicator of the catalogue and one of its series,
-- at the places of result_measure_places (values combined by `aggregation` when there are
-- several); kind 'specific': an indicator of the programme, named here, with its actual values
-- in result_actuals; kind 'computed': one of the 2030 figures of seed 000 (`formula`).
CREATE TABLE result_measures (
  id serial PRIMARY KEY,
  result_id integer NOT NULL REFERENCES results(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('indicator', 'specific', 'computed')),
  indicator_id integer REFERENCES indicators(id),
  series_id integer REFERENCES series(id),
  aggregation text CHECK (aggregation IN ('sum', 'mean')),
  formula text CHECK (formula IN ('urban-violence-change', 'cities-less-violence', 'countries-improved', 'population-concerned')),
  names jsonb,
  definitions jsonb NOT NULL DEFAULT '{}'::jsonb,
  unit_names jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- IATI indicator measure: 1 unit, 2 percentage.
  measure text NOT NULL DEFAULT 'unit' CHECK (measure IN ('unit', 'percentage')),
  -- true: a higher value is better (IATI ascending).
  ascending boolean NOT NULL,
  baseline_year integer CHECK (baseline_year BETWEEN 1900 AND 2100),
  -- null with a baseline year (kind 'indicator'): taken from the observations of that year.
  baseline_value double precision,
  weight double precision NOT NULL DEFAULT 1 CHECK (weight >= 0 AND weight <= 1000000),
  position integer NOT NULL DEFAULT 0,
  -- The baseline, targets and actual values typed for this measure are demonstration numbers.
  demo boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (kind <> 'indicator' OR (indicator_id IS NOT NULL AND series_id IS NOT NULL AND aggregation IS NOT NULL)),
  CHECK (kind <> 'specific' OR (names IS NOT NULL AND indicator_id IS NULL)),
  CHECK (kind <> 'computed' OR (formula IS NOT NULL AND indicator_id IS NULL)),
  CHECK (baseline_value IS NULL OR baseline_year IS NOT NULL)
);
CREATE INDEX result_measures_result ON result_measures (result_id);
CREATE INDEX result_measures_indicator ON result_measures (indicator_id);

CREATE TABLE result_measure_places (
  measure_id integer NOT NULL REFERENCES result_measures(id) ON DELETE CASCADE,
  place_id integer NOT NULL REFERENCES places(id),
  PRIMARY KEY (measure_id, place_id)
);

CREATE TABLE result_targets (
  measure_id integer NOT NULL REFERENCES result_measures(id) ON DELETE CASCADE,
  year integer NOT NULL CHECK (year BETWEEN 1900 AND 2100),
  value double precision NOT NULL,
  notes jsonb NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (measure_id, year)
);

-- Actual values typed for programme-specific measures only: a catalogue indicator's actual values
-- are its approved observations, never typed twice (the trigger refuses them).
CREATE TABLE result_actuals (
  measure_id integer NOT NULL REFERENCES result_measures(id) ON DELETE CASCADE,
  year integer NOT NULL CHECK (year BETWEEN 1900 AND 2100),
  value double precision NOT NULL,
  source text,
  notes jsonb NOT NULL DEFAULT '{}'::jsonb,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (measure_id, year)
);

CREATE FUNCTION result_actuals_specific_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT kind FROM result_measures WHERE id = NEW.measure_id) <> 'specific' THEN
    RAISE EXCEPTION 'actual values are typed for programme-specific measures only; a catalogue indicator takes them from its observations';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER result_actuals_specific_only BEFORE INSERT OR UPDATE ON result_actuals
  FOR EACH ROW EXECUTE FUNCTION result_actuals_specific_only();

-- Money allocated to a programme (optionally to one of its results), in its currency (ISO 4217),
-- for a year or a span of years. Totals are made within one currency; a conversion uses only
-- the rates of exchange_rates.
CREATE TABLE budget_lines (
  id serial PRIMARY KEY,
  programme_id integer NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
  result_id integer REFERENCES results(id) ON DELETE SET NULL,
  labels jsonb NOT NULL,
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  year integer NOT NULL CHECK (year BETWEEN 1900 AND 2100),
  end_year integer CHECK (end_year IS NULL OR (end_year >= year AND end_year <= 2100)),
  amount numeric(20, 2) NOT NULL CHECK (amount >= 0),
  notes jsonb NOT NULL DEFAULT '{}'::jsonb,
  demo boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX budget_lines_programme ON budget_lines (programme_id);

-- Exchange rates entered by users: 1 unit of from_currency = rate units of to_currency in that year.
CREATE TABLE exchange_rates (
  from_currency text NOT NULL CHECK (from_currency ~ '^[A-Z]{3}$'),
  to_currency text NOT NULL CHECK (to_currency ~ '^[A-Z]{3}$'),
  year integer NOT NULL CHECK (year BETWEEN 1900 AND 2100),
  rate double precision NOT NULL CHECK (rate > 0),
  source text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (from_currency, to_currency, year),
  CHECK (from_currency <> to_currency)
);
