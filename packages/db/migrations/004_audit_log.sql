-- The audit log: who changed what, when, from where, with the values before and after.
-- Append-only: UPDATE, DELETE and TRUNCATE are refused by triggers. The one exception is a
-- restore of a whole backup by the operator (`marsad restore`), which sets
-- marsad.restoring = 'on' for its own transaction.

CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor_user_id integer,
  actor_label text NOT NULL,
  ip text,
  action text NOT NULL,
  entity_type text NOT NULL,
  entity_id text,
  batch_id integer,
  summary text,
  before jsonb,
  after jsonb
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id);
CREATE INDEX audit_log_actor ON audit_log (actor_user_id);

CREATE FUNCTION marsad_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' AND current_setting('marsad.restoring', true) = 'on' THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION 'the audit log is append-only: % is not allowed', TG_OP USING ERRCODE = '42501';
END;
$$;

CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION marsad_audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION marsad_audit_log_append_only();
