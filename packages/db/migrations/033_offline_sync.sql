-- Work without a connection (issue 21): a device queues the values and answers typed offline and sends them when it
-- is back online, each change with a key of its own (a UUID the device draws). The first answer to a key is kept
-- here, per user, so that a change sent again (the answer was lost with the connection, the device retried) is
-- answered the same and never applied twice. `digest` is the SHA-256 of the change as first sent: the same key with
-- another change is refused. `outcome` is what became of it: accepted (written, audited by the write it went
-- through), conflict (the server's version differed from the one the offline copy started from: nothing was
-- overwritten) or refused (a check failed; the code the web app translates is in `result`).
-- No public answer reads it: like the drafts it sends no notification (migration 023; the test of the public cache
-- names it among the private tables).
-- Runs unchanged on PostgreSQL 15 and on PGlite (PostgreSQL 18).

CREATE TABLE offline_sync_changes (
  user_id integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  key text NOT NULL CHECK (char_length(key) BETWEEN 8 AND 100),
  kind text NOT NULL CHECK (kind IN ('entry', 'answer')),
  digest text NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('accepted', 'conflict', 'refused')),
  result jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, key)
);
