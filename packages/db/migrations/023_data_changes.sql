-- What the public sees changes only when its data does (issue 16). Every statement that writes a
-- table whose rows can reach a public answer sends one notification on the channel `marsad_data`
-- (docs/decisions/0006-public-read-cache.md). PostgreSQL delivers a notification only when its
-- transaction commits, once per transaction however many statements sent it, and never for a
-- rollback: a server that hears it knows that data it may have cached is older than what a new
-- snapshot reads, without any shared row being locked by the writers.
--
-- Tables that change with sign-ins and private work (sessions, tokens, users' accounts, drafts,
-- the audit log, sign-in failures, import batches, saved mappings) send nothing: no public answer
-- reads them. A table added later must be given the trigger or be named here: a test
-- (packages/server/test/public-cache.test.ts) fails on a table that is neither.
-- Runs unchanged on PostgreSQL 15 and on PGlite (PostgreSQL 18).

CREATE FUNCTION marsad_data_changed() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    PERFORM pg_notify('marsad_data', '');
    RETURN NULL;
  END
  $$;

DO $$
DECLARE
  t text;
BEGIN
  FOR t IN
    SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
       AND c.relname NOT IN ('schema_migrations', 'users', 'user_tokens', 'sessions', 'api_tokens',
                             'audit_log', 'observation_drafts', 'login_failures', 'import_batches',
                             'saved_mappings')
  LOOP
    EXECUTE format(
      'CREATE TRIGGER marsad_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
         FOR EACH STATEMENT EXECUTE FUNCTION marsad_data_changed()', t);
  END LOOP;
END
$$;
