-- Row-level foreign keys on observations cost more than the load itself: measured on
-- PostgreSQL 15 here, 1M rows into the same table took 13.5 s with three foreign keys and
-- 2.4 s without (decisions/0002). Imports resolve every id from the database inside their own
-- transaction, so the references they write exist; what could break them later is a delete,
-- and that is refused here by triggers that look for observations through the indexes.

ALTER TABLE observations DROP CONSTRAINT IF EXISTS observations_series_id_fkey;
ALTER TABLE observations DROP CONSTRAINT IF EXISTS observations_place_id_fkey;
ALTER TABLE observations DROP CONSTRAINT IF EXISTS observations_disagg_id_fkey;
ALTER TABLE observations DROP CONSTRAINT IF EXISTS observations_source_id_fkey;

CREATE FUNCTION marsad_refuse_delete_of_observed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (TG_TABLE_NAME = 'series' AND EXISTS (SELECT 1 FROM observations WHERE series_id = OLD.id))
     OR (TG_TABLE_NAME = 'places' AND EXISTS (SELECT 1 FROM observations WHERE place_id = OLD.id))
     OR (TG_TABLE_NAME = 'disaggregations' AND EXISTS (SELECT 1 FROM observations WHERE disagg_id = OLD.id))
     OR (TG_TABLE_NAME = 'sources' AND EXISTS (SELECT 1 FROM observations WHERE source_id = OLD.id)) THEN
    RAISE EXCEPTION 'cannot delete from %: observations refer to id %', TG_TABLE_NAME, OLD.id USING ERRCODE = '23503';
  END IF;
  RETURN OLD;
END;
$$;

CREATE TRIGGER series_observed BEFORE DELETE ON series FOR EACH ROW EXECUTE FUNCTION marsad_refuse_delete_of_observed();
CREATE TRIGGER places_observed BEFORE DELETE ON places FOR EACH ROW EXECUTE FUNCTION marsad_refuse_delete_of_observed();
CREATE TRIGGER disaggregations_observed BEFORE DELETE ON disaggregations FOR EACH ROW EXECUTE FUNCTION marsad_refuse_delete_of_observed();
CREATE TRIGGER sources_observed BEFORE DELETE ON sources FOR EACH ROW EXECUTE FUNCTION marsad_refuse_delete_of_observed();
