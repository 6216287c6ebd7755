-- Questionnaires of reviews (issue 6, the e-survey of seed 000 §11), with versions.
-- questionnaires: one per form_id (the XLSForm settings form_id).
-- questionnaire_versions: the questionnaire as it was saved (definition: the core model,
--   packages/core/src/reviews/questionnaire.ts), numbered 1, 2, … per questionnaire. A version
--   is never changed or deleted (triggers refuse it): editing a questionnaire, in the app or
--   by importing a workbook with the same form_id, adds a version, so that whatever refers to
--   a version (review cycles, submissions: reference questionnaire_versions.id) keeps reading
--   the questions it was answered with. A whole-database restore truncates it like any table.
-- Runs unchanged on PostgreSQL 15 and on PGlite (PostgreSQL 18).

CREATE TABLE questionnaires (
  id serial PRIMARY KEY,
  form_id text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE questionnaire_versions (
  id serial PRIMARY KEY,
  questionnaire_id integer NOT NULL REFERENCES questionnaires(id),
  number integer NOT NULL CHECK (number > 0),
  title text NOT NULL,
  form_version text NOT NULL DEFAULT '',
  definition jsonb NOT NULL,
  -- SHA-256 of the definition's canonical JSON: saving the same questionnaire again adds no version.
  checksum text NOT NULL,
  source text NOT NULL CHECK (source IN ('xlsform', 'app')),
  file_name text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (questionnaire_id, number)
);
CREATE INDEX questionnaire_versions_checksum ON questionnaire_versions (questionnaire_id, checksum);

CREATE FUNCTION marsad_questionnaire_version_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'a questionnaire version is never changed: % is not allowed (save a new version)', TG_OP USING ERRCODE = '42501';
END;
$$;

CREATE TRIGGER questionnaire_versions_immutable BEFORE UPDATE OR DELETE ON questionnaire_versions
  FOR EACH ROW EXECUTE FUNCTION marsad_questionnaire_version_immutable();
