-- How many observations there are, per series, place, source and status, kept as values are written (issue 17).
-- The home page counts the approved values and their sources, and the reporting status the pairs of indicator and
-- place with values: grouping every row took 5 to 12 s at 25 million values. Each statement writing observations
-- adds one row per (series, place, source, status) it changed, with the change in number (its new and old rows as
-- transition tables): rows are only added by writers, so concurrent imports never wait for each other here, and a
-- reader sums them (web-api/home-queries.ts, web-api/reporting-status-routes.ts). The writer that takes the advisory
-- lock first then folds the rows of the series and places its statement touched into one row per key; the others go
-- on, and their rows are folded by a later write of the same series and places.
-- Runs unchanged on PostgreSQL 15 and on PGlite (PostgreSQL 18).

CREATE TABLE observation_counts (
  series_id integer NOT NULL,
  place_id integer NOT NULL,
  source_id integer,
  status text NOT NULL,
  n bigint NOT NULL
);
CREATE INDEX observation_counts_key ON observation_counts (series_id, place_id);

INSERT INTO observation_counts (series_id, place_id, source_id, status, n)
SELECT series_id, place_id, source_id, status, count(*) FROM observations GROUP BY series_id, place_id, source_id, status;

CREATE FUNCTION marsad_fold_observation_counts(series_ids int[], place_ids int[]) RETURNS void
  LANGUAGE plpgsql
  AS $$
  BEGIN
    IF pg_try_advisory_xact_lock(7117001) THEN
      WITH k AS (
        SELECT * FROM unnest(series_ids, place_ids) AS k(series_id, place_id)
      ), gone AS (
        DELETE FROM observation_counts c USING k
         WHERE c.series_id = k.series_id AND c.place_id = k.place_id
        RETURNING c.series_id, c.place_id, c.source_id, c.status, c.n
      )
      INSERT INTO observation_counts (series_id, place_id, source_id, status, n)
      SELECT series_id, place_id, source_id, status, sum(n) FROM gone
       GROUP BY series_id, place_id, source_id, status HAVING sum(n) <> 0;
    END IF;
  END
  $$;

CREATE FUNCTION marsad_count_inserted_observations() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    INSERT INTO observation_counts (series_id, place_id, source_id, status, n)
    SELECT series_id, place_id, source_id, status, count(*) FROM new_rows
     GROUP BY series_id, place_id, source_id, status;
    PERFORM marsad_fold_observation_counts(array_agg(series_id), array_agg(place_id))
       FROM (SELECT DISTINCT series_id, place_id FROM new_rows) t;
    RETURN NULL;
  END
  $$;

CREATE FUNCTION marsad_count_deleted_observations() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    INSERT INTO observation_counts (series_id, place_id, source_id, status, n)
    SELECT series_id, place_id, source_id, status, -count(*) FROM old_rows
     GROUP BY series_id, place_id, source_id, status;
    PERFORM marsad_fold_observation_counts(array_agg(series_id), array_agg(place_id))
       FROM (SELECT DISTINCT series_id, place_id FROM old_rows) t;
    RETURN NULL;
  END
  $$;

CREATE FUNCTION marsad_count_updated_observations() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    INSERT INTO observation_counts (series_id, place_id, source_id, status, n)
    SELECT series_id, place_id, source_id, status, sum(n) FROM (
      SELECT series_id, place_id, source_id, status, count(*) AS n FROM new_rows
       GROUP BY series_id, place_id, source_id, status
      UNION ALL
      SELECT series_id, place_id, source_id, status, -count(*) AS n FROM old_rows
       GROUP BY series_id, place_id, source_id, status
    ) c GROUP BY series_id, place_id, source_id, status HAVING sum(n) <> 0;
    PERFORM marsad_fold_observation_counts(array_agg(series_id), array_agg(place_id))
       FROM (SELECT series_id, place_id FROM new_rows UNION SELECT series_id, place_id FROM old_rows) t;
    RETURN NULL;
  END
  $$;

-- Emptied with the table (a restore empties it before loading a backup): the counts, and the breakdowns noted by
-- migration 025, which the loaded values note again.
CREATE FUNCTION marsad_count_truncated_observations() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    DELETE FROM observation_counts;
    DELETE FROM series_disaggregations;
    RETURN NULL;
  END
  $$;

CREATE TRIGGER observations_counted_insert AFTER INSERT ON observations
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION marsad_count_inserted_observations();
CREATE TRIGGER observations_counted_delete AFTER DELETE ON observations
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION marsad_count_deleted_observations();
CREATE TRIGGER observations_counted_update AFTER UPDATE ON observations
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION marsad_count_updated_observations();
CREATE TRIGGER observations_counted_truncate AFTER TRUNCATE ON observations
  FOR EACH STATEMENT EXECUTE FUNCTION marsad_count_truncated_observations();

-- A public answer reads it (decisions/0006): its writes are announced like those of observations.
CREATE TRIGGER marsad_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON observation_counts
  FOR EACH STATEMENT EXECUTE FUNCTION marsad_data_changed();
