-- The Urban Safety Monitor as a framework and a city's self-assessment against it (issue 20, items 1 and 2;
-- docs/methods/safety-index.md, "The Urban Safety Monitor framework and the self-assessment").
-- Runs unchanged on PostgreSQL 15 and on PGlite (PostgreSQL 18).

-- Versions of a framework's structure (themes → indicators → measures → data sources, core's
-- SafetyFrameworkStructure, checked by the server before it is stored). A version is never changed: an
-- administrator's edit adds the next version, and an assessment keeps the version it was made with.
CREATE TABLE safety_framework_versions (
  id serial PRIMARY KEY,
  framework text NOT NULL CHECK (framework ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
  version integer NOT NULL CHECK (version > 0),
  structure jsonb NOT NULL CHECK (jsonb_typeof(structure) = 'object'),
  -- why this version was made (the administrator's words; the seed's own text for version 1)
  note text NOT NULL DEFAULT '',
  created_by integer REFERENCES users(id) ON DELETE SET NULL,
  created_by_label text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (framework, version)
);

CREATE FUNCTION safety_framework_versions_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'a safety framework version is never changed: save a new version';
END;
$$;
CREATE TRIGGER safety_framework_versions_no_update BEFORE UPDATE ON safety_framework_versions
  FOR EACH ROW EXECUTE FUNCTION safety_framework_versions_frozen();

-- A city's self-assessment: per framework indicator four checks, evidence and a note (`answers`, core's
-- AssessmentAnswers), and what Marsad prefilled from approved observations and from what (`prefill`). Private:
-- the place's focal points and administrators write it, reviewers of a review cycle of the place read it.
CREATE TABLE safety_assessments (
  id serial PRIMARY KEY,
  place_id integer NOT NULL REFERENCES places(id) ON DELETE CASCADE,
  framework_version_id integer NOT NULL REFERENCES safety_framework_versions(id),
  state text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'submitted')),
  answers jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(answers) = 'object'),
  prefill jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(prefill) = 'object'),
  -- the day the prefill was computed for (its "how recent" is counted from it)
  prefilled_on date NOT NULL,
  -- the submitted assessment this one started from (its answers were copied)
  previous_id integer REFERENCES safety_assessments(id) ON DELETE SET NULL,
  -- demonstration data (packages/server/src/safety-monitor/demo-assessments.ts): labelled synthetic everywhere
  demo boolean NOT NULL DEFAULT false,
  created_by integer REFERENCES users(id) ON DELETE SET NULL,
  created_by_label text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_by_label text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  submitted_by_label text,
  submitted_at timestamptz,
  CHECK ((state = 'submitted') = (submitted_at IS NOT NULL))
);
CREATE INDEX safety_assessments_place ON safety_assessments (place_id, created_at);
-- at most one draft per place at a time
CREATE UNIQUE INDEX safety_assessments_one_draft ON safety_assessments (place_id) WHERE state = 'draft';

-- Framework versions are public (GET /api/v1/safety-monitor/framework): a change tells the cache of public reads
-- (migration 023). Assessments are private: no public answer reads them.
CREATE TRIGGER marsad_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON safety_framework_versions
  FOR EACH STATEMENT EXECUTE FUNCTION marsad_data_changed();
