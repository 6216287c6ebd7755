-- Review cycles (issue 6; PRODUCT.md part S4; seed 000 §2, §3, §11; seed 003): the 4-year
-- safer-cities peer review, Voluntary Local Reviews and national NUA reports. A cycle invites
-- countries or cities (participants) to answer one questionnaire version; each participant has
-- one submission that moves draft → submitted → in-review → revision-requested → accepted →
-- published (packages/core/src/reviews/review-states.ts). Reviewers from other countries are
-- assigned, declare their conflicts of interest, comment and recommend. docs/methods/reviews.md.
-- Runs unchanged on PostgreSQL 15 and on PGlite (PostgreSQL 18). No generated columns: backups
-- COPY every column back in.

CREATE TABLE review_cycles (
  id serial PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('safer-cities-peer-review', 'voluntary-local-review', 'national-nua-report')),
  -- by language: {"ar": "…", "en": "…"}
  titles jsonb NOT NULL,
  descriptions jsonb NOT NULL DEFAULT '{}'::jsonb,
  starts_on date NOT NULL,
  ends_on date NOT NULL CHECK (ends_on > starts_on),
  questionnaire_version_id integer NOT NULL REFERENCES questionnaire_versions(id),
  -- demonstration data (packages/server/src/demo): flagged in every answer of the API
  demo boolean NOT NULL DEFAULT false,
  created_by integer REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- A country or city invited to a cycle; it has exactly one submission.
CREATE TABLE review_participants (
  cycle_id integer NOT NULL REFERENCES review_cycles(id) ON DELETE CASCADE,
  place_id integer NOT NULL REFERENCES places(id),
  invited_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (cycle_id, place_id)
);
CREATE INDEX review_participants_place ON review_participants (place_id);

CREATE TABLE review_submissions (
  id serial PRIMARY KEY,
  cycle_id integer NOT NULL,
  place_id integer NOT NULL,
  state text NOT NULL DEFAULT 'draft'
    CHECK (state IN ('draft', 'submitted', 'in-review', 'revision-requested', 'accepted', 'published')),
  -- the answers being written (core evaluate-form.ts: one object per level, repeats as arrays)
  answers jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- languages the answers are written in (ISO 639 codes)
  languages text[] NOT NULL DEFAULT '{}',
  -- how many times it was submitted (the round of review: 1 after the first submission)
  round integer NOT NULL DEFAULT 0 CHECK (round >= 0),
  -- the reviewers' consolidated observations, by language, written by an administrator or the
  -- lead reviewer when accepting or publishing
  consolidated jsonb NOT NULL DEFAULT '{}'::jsonb,
  submitted_at timestamptz,
  published_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (cycle_id, place_id),
  FOREIGN KEY (cycle_id, place_id) REFERENCES review_participants(cycle_id, place_id) ON DELETE CASCADE,
  CHECK (state = 'draft' OR round > 0),
  CHECK (state <> 'published' OR published_at IS NOT NULL)
);
CREATE INDEX review_submissions_state ON review_submissions (state);

-- The answers as submitted in each round (what the reviewers read, what is published).
CREATE TABLE review_submission_rounds (
  submission_id integer NOT NULL REFERENCES review_submissions(id) ON DELETE CASCADE,
  round integer NOT NULL CHECK (round > 0),
  answers jsonb NOT NULL,
  languages text[] NOT NULL DEFAULT '{}',
  submitted_by integer REFERENCES users(id) ON DELETE SET NULL,
  submitted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (submission_id, round)
);

-- A reviewer assigned to a submission. The assignment gives a record grant on the submission
-- (record_grants: 'review-submission', its id, 'review'); the submission is shown to the reviewer
-- only after they declared that they have no conflict of interest.
CREATE TABLE review_assignments (
  id serial PRIMARY KEY,
  submission_id integer NOT NULL REFERENCES review_submissions(id) ON DELETE CASCADE,
  reviewer_user_id integer NOT NULL REFERENCES users(id),
  -- the lead reviewer may request a revision and accept, and writes the consolidated observations
  lead boolean NOT NULL DEFAULT false,
  status text NOT NULL DEFAULT 'awaiting-declaration'
    CHECK (status IN ('awaiting-declaration', 'active', 'conflict-declared', 'withdrawn')),
  -- 'rule' when chosen by the assignment rule (fewest assignments, other countries), else 'administrator'
  chosen_by text NOT NULL DEFAULT 'administrator' CHECK (chosen_by IN ('administrator', 'rule')),
  assigned_by integer REFERENCES users(id) ON DELETE SET NULL,
  assigned_at timestamptz NOT NULL DEFAULT now(),
  -- the declaration: conflict (true/false) and the reviewer's statement, as given
  conflict boolean,
  declaration text,
  declared_at timestamptz,
  withdrawn_at timestamptz,
  UNIQUE (submission_id, reviewer_user_id),
  CHECK ((status IN ('active', 'conflict-declared')) = (declared_at IS NOT NULL AND conflict IS NOT NULL) OR status = 'withdrawn'),
  CHECK (status <> 'active' OR conflict = false),
  CHECK (status <> 'conflict-declared' OR conflict = true)
);
CREATE INDEX review_assignments_reviewer ON review_assignments (reviewer_user_id);
CREATE UNIQUE INDEX review_assignments_one_lead ON review_assignments (submission_id) WHERE lead AND status IN ('awaiting-declaration', 'active');

-- A reviewer's recommendation in a round (one per reviewer and round; changed until the round ends).
CREATE TABLE review_recommendations (
  assignment_id integer NOT NULL REFERENCES review_assignments(id) ON DELETE CASCADE,
  round integer NOT NULL CHECK (round > 0),
  recommendation text NOT NULL CHECK (recommendation IN ('accept', 'revise')),
  summary text NOT NULL DEFAULT '',
  language text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (assignment_id, round)
);

-- Comments on one answer (question_path: `name`, or `repeat/0/name`) or on the whole submission
-- (null), and replies (parent_id). Authors are kept by role; names are never shown publicly.
CREATE TABLE review_comments (
  id serial PRIMARY KEY,
  submission_id integer NOT NULL REFERENCES review_submissions(id) ON DELETE CASCADE,
  round integer NOT NULL,
  parent_id integer REFERENCES review_comments(id) ON DELETE CASCADE,
  question_path text,
  author_user_id integer REFERENCES users(id) ON DELETE SET NULL,
  author_role text NOT NULL CHECK (author_role IN ('reviewer', 'lead-reviewer', 'submitter', 'administrator')),
  -- for a reviewer: the assignment (its country is shown, not the name)
  assignment_id integer REFERENCES review_assignments(id) ON DELETE SET NULL,
  body text NOT NULL CHECK (length(body) > 0),
  language text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX review_comments_submission ON review_comments (submission_id, created_at);

-- The timeline of a submission: every transition and every step of the review.
CREATE TABLE review_events (
  id serial PRIMARY KEY,
  submission_id integer NOT NULL REFERENCES review_submissions(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('invited', 'saved', 'transition', 'assigned', 'declared', 'withdrawn', 'recommended', 'commented')),
  action text,
  from_state text,
  to_state text,
  round integer NOT NULL DEFAULT 0,
  actor_user_id integer REFERENCES users(id) ON DELETE SET NULL,
  actor_role text,
  assignment_id integer REFERENCES review_assignments(id) ON DELETE SET NULL,
  note text,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX review_events_submission ON review_events (submission_id, at, id);
