-- Failed sign-ins (issue 13), counted by the server's sign-in limits
-- (packages/server/src/auth/login-limiter.ts; docs/operations.md, "Sign-in limits"): per account
-- and address, per address, and per account. They are kept in the database so that several server
-- processes on one database share them. A row is written when a password check starts (so that
-- attempts made at the same moment count against each other) and deleted again unless the password
-- was wrong; a successful sign-in also deletes the failures of that account from that address.
-- Rows older than the window (15 minutes) are deleted as new ones are written. Not in backups: a
-- restore starts with no failures counted.
-- Runs unchanged on PostgreSQL 15 and on PGlite (PostgreSQL 18).

CREATE TABLE login_failures (
  id bigserial PRIMARY KEY,
  -- the e-mail address given, normalised (lower case), whether or not an account has it
  account text NOT NULL,
  -- the client address as the server sees it (behind a trusted proxy, from X-Forwarded-For);
  -- an IPv6 address is kept as its /64 network
  address text NOT NULL,
  failed_at timestamptz NOT NULL
);
CREATE INDEX login_failures_account ON login_failures (account, failed_at);
CREATE INDEX login_failures_address ON login_failures (address, failed_at);
CREATE INDEX login_failures_failed_at ON login_failures (failed_at);
