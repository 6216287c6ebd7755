-- Accounts: users, their invitation and reset links, sessions, API tokens, roles on places and
-- grants on single records. Secrets are never stored: link tokens, session cookies and API
-- tokens are kept as SHA-256 hashes, passwords as argon2id hashes.
-- Runs unchanged on PostgreSQL 15 and on PGlite (PostgreSQL 18).

CREATE TABLE users (
  id serial PRIMARY KEY,
  email text NOT NULL UNIQUE CHECK (email = lower(email) AND email LIKE '_%@_%'),
  display_name text,
  -- argon2id in the PHC string format; null until the user accepts the invitation
  password_hash text,
  status text NOT NULL DEFAULT 'invited' CHECK (status IN ('invited', 'active', 'disabled')),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_login_at timestamptz,
  CHECK (status <> 'active' OR password_hash IS NOT NULL)
);

-- Invitation and password reset links: the token is in the link, only its hash is here.
CREATE TABLE user_tokens (
  id serial PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('invitation', 'reset')),
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX user_tokens_user ON user_tokens (user_id);

-- A signed-in browser: id is the SHA-256 hash of the cookie value.
CREATE TABLE sessions (
  id text PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  ip text,
  user_agent text
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Tokens for machine clients ("Authorization: Bearer msd_…"), created by a user.
CREATE TABLE api_tokens (
  id serial PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  scopes text[] NOT NULL,
  expires_at timestamptz NOT NULL,
  last_used_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Roles on places: a national focal point holds a country and everything under it, a city
-- focal point a city and its districts. Only the administrator has no place.
CREATE TABLE role_assignments (
  id serial PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('administrator', 'national-focal-point', 'city-focal-point', 'data-validator', 'reviewer', 'editor')),
  place_id integer REFERENCES places(id),
  granted_by integer REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((role = 'administrator') = (place_id IS NULL)),
  UNIQUE NULLS NOT DISTINCT (user_id, role, place_id)
);
CREATE INDEX role_assignments_place ON role_assignments (place_id);

-- Access to one record only (a reviewer assigned to a submission, an editor to an item).
CREATE TABLE record_grants (
  id serial PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  record_type text NOT NULL,
  record_id text NOT NULL,
  permission text NOT NULL,
  granted_by integer REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, record_type, record_id, permission)
);
CREATE INDEX record_grants_record ON record_grants (record_type, record_id);
