-- SDMX data structure definitions (DSDs) and their code lists, loaded from SDMX-ML 2.1 structure messages
-- (server/sdmx/, docs/sdmx.md), and the content constraints of a structure (which breakdown codes and units each
-- series allows), so that data can be checked against them and exported under them. The breakdown dimensions of a
-- structure also become Marsad dimensions (`dimensions`, `dimension_values`), matched by the component's id.
-- Runs unchanged on PostgreSQL 15 and on PGlite (PostgreSQL 18).

CREATE TABLE sdmx_codelists (
  id serial PRIMARY KEY,
  agency text NOT NULL,
  code text NOT NULL,
  version text NOT NULL,
  names jsonb NOT NULL DEFAULT '{}'::jsonb,
  loaded_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (agency, code, version)
);

-- Every code of a code list, with its names in every language the message gave and its parent code.
CREATE TABLE sdmx_codes (
  codelist_id integer NOT NULL REFERENCES sdmx_codelists(id) ON DELETE CASCADE,
  code text NOT NULL,
  names jsonb NOT NULL DEFAULT '{}'::jsonb,
  parent text,
  position integer NOT NULL,
  PRIMARY KEY (codelist_id, code)
);

CREATE TABLE sdmx_structures (
  id serial PRIMARY KEY,
  agency text NOT NULL,
  code text NOT NULL,
  version text NOT NULL,
  names jsonb NOT NULL DEFAULT '{}'::jsonb,
  final boolean NOT NULL DEFAULT false,
  loaded_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (agency, code, version)
);

-- The components of a structure: its dimensions in order (position), the time dimension, the attributes (with their
-- attachment: observation, series, group or dataset, the dimensions they relate to, whether mandatory) and the
-- primary measure; each with the code list of its values, if enumerated.
CREATE TABLE sdmx_components (
  structure_id integer NOT NULL REFERENCES sdmx_structures(id) ON DELETE CASCADE,
  component text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('dimension', 'time', 'attribute', 'measure')),
  position integer NOT NULL,
  concept text,
  codelist_id integer REFERENCES sdmx_codelists(id),
  mandatory boolean NOT NULL DEFAULT false,
  attachment text CHECK (attachment IN ('observation', 'series', 'group', 'dataset')),
  attachment_dimensions jsonb NOT NULL DEFAULT '[]'::jsonb,
  PRIMARY KEY (structure_id, component)
);

-- Content constraints per series: the codes a component may take for the series; NULL codes = any code of the list.
CREATE TABLE sdmx_constraints (
  structure_id integer NOT NULL REFERENCES sdmx_structures(id) ON DELETE CASCADE,
  series text NOT NULL,
  component text NOT NULL,
  codes jsonb,
  PRIMARY KEY (structure_id, series, component)
);

-- Structures are public (GET /api/v1/sdmx/structures): a change tells the cache of public reads (migration 023).
CREATE TRIGGER marsad_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sdmx_codelists
  FOR EACH STATEMENT EXECUTE FUNCTION marsad_data_changed();
CREATE TRIGGER marsad_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sdmx_codes
  FOR EACH STATEMENT EXECUTE FUNCTION marsad_data_changed();
CREATE TRIGGER marsad_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sdmx_structures
  FOR EACH STATEMENT EXECUTE FUNCTION marsad_data_changed();
CREATE TRIGGER marsad_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sdmx_components
  FOR EACH STATEMENT EXECUTE FUNCTION marsad_data_changed();
CREATE TRIGGER marsad_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sdmx_constraints
  FOR EACH STATEMENT EXECUTE FUNCTION marsad_data_changed();
