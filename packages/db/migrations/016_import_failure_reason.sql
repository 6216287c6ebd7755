-- Why an import batch failed (issue 13): 'invalid-rows' (rows with errors: error_count and the
-- error report say which), 'error' (the import stopped on an unexpected error, logged by the
-- server), 'interrupted' (its process ended while it ran, without a word: found "running" at a
-- later start-up by failInterruptedImports, packages/server/src/observations/import-recovery.ts).
-- Empty for the batches that failed before this migration.
-- Runs unchanged on PostgreSQL 15 and on PGlite (PostgreSQL 18).

ALTER TABLE import_batches
  ADD COLUMN failure_reason text
    CHECK (failure_reason IN ('invalid-rows', 'error', 'interrupted'));
