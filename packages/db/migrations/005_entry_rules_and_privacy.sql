-- Data entry and privacy in publication (issue 4, items 3 and 6).
-- validation_rules: checks a value must pass before it is saved (range, unit, required
--   disaggregations, parts summing to the total, change from the previous period needing a
--   comment); see docs/methods/validation.md.
-- suppression: the minimum count below which a public value is hidden ("fewer than N"); null
--   means no suppression; see docs/methods/suppression.md.
-- observation_drafts: what a focal point typed in the data-entry form and saved without
--   submitting (one draft per user, place, period and framework).
-- Runs unchanged on PostgreSQL 15 and on PGlite (PostgreSQL 18).

ALTER TABLE indicators ADD COLUMN validation_rules jsonb NOT NULL DEFAULT '{}'::jsonb;
ALTER TABLE indicators ADD COLUMN suppression jsonb;

CREATE TABLE observation_drafts (
  id serial PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  place_id integer NOT NULL REFERENCES places(id),
  period text NOT NULL,
  framework text NOT NULL DEFAULT '',
  entries jsonb NOT NULL DEFAULT '[]'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, place_id, period, framework)
);
