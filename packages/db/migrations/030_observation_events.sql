-- The steps of the approval workflow of each value (issue 19): entered or corrected in the data-entry form,
-- validated, approved, sent back to its provider or reopened — who, when, and why. observation_history keeps the
-- values of the earlier versions; this table keeps who moved a value and the reason given, which the provider reads
-- beside the value (the entry form) and in their inbox. A value is "sent back" while the latest step of its key is
-- `sent-back` or `reopened` at its current version: the provider's correction (a new version) ends it.
-- No public answer reads it: like the audit log it sends no notification (migration 023; the test of the public
-- cache names it among the private tables). Like the audit log, the user is referred to by id without a foreign key
-- (an account's history outlives it) and the label is kept.
-- Runs unchanged on PostgreSQL 15 and on PGlite (PostgreSQL 18).

CREATE TABLE observation_events (
  id bigserial PRIMARY KEY,
  series_id integer NOT NULL,
  place_id integer NOT NULL,
  period text NOT NULL,
  disagg_id integer NOT NULL,
  -- The value's version after the step (a value sent back keeps its version: nothing of it changes).
  version integer NOT NULL,
  action text NOT NULL CHECK (action IN ('entered', 'corrected', 'validated', 'approved', 'sent-back', 'reopened')),
  from_status text CHECK (from_status IN ('provisional', 'validated', 'approved')),
  to_status text NOT NULL CHECK (to_status IN ('provisional', 'validated', 'approved')),
  value double precision NOT NULL,
  reason text CHECK (reason IS NULL OR char_length(reason) BETWEEN 1 AND 1000),
  CHECK (action NOT IN ('sent-back', 'reopened') OR reason IS NOT NULL),
  user_id integer,
  actor_label text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
-- The steps of one value, latest first (ORDER BY id DESC LIMIT 1: is it sent back?).
CREATE INDEX observation_events_key ON observation_events (series_id, place_id, period, disagg_id, id);
-- The values sent back, for the inboxes.
CREATE INDEX observation_events_returns ON observation_events (id) WHERE action IN ('sent-back', 'reopened');
-- The values approved through the inbox, latest first (the national focal point reopens one from there).
CREATE INDEX observation_events_approved ON observation_events (id) WHERE action = 'approved';
