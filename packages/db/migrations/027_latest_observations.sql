-- The latest value of each series at each place and breakdown, kept as values are written (issue 17). The country
-- report shows the latest value of every series at the country and each of its cities, the map and table of an
-- indicator the latest value at every place, the reporting status the latest period of each pair: at 25 million
-- values, finding them among the values took 0.3 to 8 s. Two rows per (series, place, breakdown): the latest value
-- whatever its status (`approved_only` false: what an administrator sees) and the latest approved value (true: what
-- the public sees). "Latest" is the order every read used: the period ending last, then the longer period (earlier
-- start), then the period's code, descending.
--
-- Kept by statement triggers (decisions/0010), in the same transaction as the write, whatever writes the table:
-- - an insert offers each key's latest new row, which replaces the kept one if it is later or the same period;
-- - a delete, or an update that takes a row out of a key (an approved value sent back, a key changed), finds the keys
--   whose kept row was that row and reads their latest again from the values (a walk of the key's index);
-- - a truncate empties it.
-- Rows are written in key order, so concurrent writers of the same keys wait for each other instead of deadlocking.
-- A writer waiting on a key re-checks the row it finds (PostgreSQL re-reads a row changed by a transaction it waited
-- for), so a later value committed meanwhile is never replaced by an earlier one.
-- Runs unchanged on PostgreSQL 15 and on PGlite (PostgreSQL 18).

CREATE TABLE latest_observations (
  series_id integer NOT NULL,
  place_id integer NOT NULL,
  disagg_id integer NOT NULL,
  approved_only boolean NOT NULL,
  indicator_id integer NOT NULL,
  period text NOT NULL,
  period_start date NOT NULL,
  period_end date NOT NULL,
  value double precision NOT NULL,
  status text NOT NULL,
  source_id integer,
  PRIMARY KEY (series_id, place_id, disagg_id, approved_only)
);
-- The reads by place (a country report's 31,000 values of 521 places, a reporting status's page of places) read this
-- index alone: the rows of a place are scattered over the table, which is written in the order of imports (one
-- indicator after another); reading them from the table took 0.5 s for the country report at 25 million values,
-- from the index 60 ms.
CREATE INDEX latest_observations_place ON latest_observations (place_id, disagg_id, approved_only)
  INCLUDE (series_id, indicator_id, period, period_start, period_end, value, status, source_id);

INSERT INTO latest_observations
SELECT DISTINCT ON (series_id, place_id, disagg_id, approved_only)
       series_id, place_id, disagg_id, approved_only, indicator_id, period, period_start, period_end, value, status,
       source_id
  FROM (SELECT o.*, false AS approved_only FROM observations o
        UNION ALL
        SELECT o.*, true FROM observations o WHERE o.status = 'approved') AS x
 ORDER BY series_id, place_id, disagg_id, approved_only, period_end DESC, period_start, period DESC;

-- True when the row (e) is as late as or later than the kept row (l), in the order above.
CREATE FUNCTION marsad_latest_at_least(e_end date, e_start date, e_period text, l_end date, l_start date, l_period text)
  RETURNS boolean
  LANGUAGE sql IMMUTABLE
  AS $$
    SELECT e_end > l_end OR (e_end = l_end AND (e_start < l_start OR (e_start = l_start AND e_period >= l_period)))
  $$;

-- The latest row of each given key, read again from the values (keys without values any more stay removed).
CREATE FUNCTION marsad_reread_latest_observations(series_ids int[], place_ids int[], disagg_ids int[],
                                                  approved_onlys boolean[]) RETURNS void
  LANGUAGE plpgsql
  AS $$
  BEGIN
    INSERT INTO latest_observations AS l
    SELECT k.series_id, k.place_id, k.disagg_id, k.approved_only, x.indicator_id, x.period, x.period_start,
           x.period_end, x.value, x.status, x.source_id
      FROM unnest(series_ids, place_ids, disagg_ids, approved_onlys) AS k(series_id, place_id, disagg_id, approved_only)
      CROSS JOIN LATERAL (
        SELECT o.indicator_id, o.period, o.period_start, o.period_end, o.value, o.status, o.source_id
          FROM observations o
         WHERE o.series_id = k.series_id AND o.place_id = k.place_id AND o.disagg_id = k.disagg_id
           AND (NOT k.approved_only OR o.status = 'approved')
         ORDER BY o.period_end DESC, o.period_start, o.period DESC
         LIMIT 1) AS x
     ORDER BY 1, 2, 3, 4
    ON CONFLICT (series_id, place_id, disagg_id, approved_only) DO UPDATE
       SET indicator_id = excluded.indicator_id, period = excluded.period, period_start = excluded.period_start,
           period_end = excluded.period_end, value = excluded.value, status = excluded.status,
           source_id = excluded.source_id
     WHERE marsad_latest_at_least(excluded.period_end, excluded.period_start, excluded.period,
                                  l.period_end, l.period_start, l.period);
  END
  $$;

-- Removes the kept rows that were one of the given (key, period) and reads those keys again.
CREATE FUNCTION marsad_forget_latest_observations(series_ids int[], place_ids int[], disagg_ids int[],
                                                  approved_onlys boolean[], periods text[]) RETURNS void
  LANGUAGE plpgsql
  AS $$
  DECLARE
    s int[];
    p int[];
    d int[];
    a boolean[];
  BEGIN
    WITH gone AS (
      DELETE FROM latest_observations l
       USING unnest(series_ids, place_ids, disagg_ids, approved_onlys, periods)
             AS r(series_id, place_id, disagg_id, approved_only, period)
       WHERE l.series_id = r.series_id AND l.place_id = r.place_id AND l.disagg_id = r.disagg_id
         AND l.approved_only = r.approved_only AND l.period = r.period
      RETURNING l.series_id, l.place_id, l.disagg_id, l.approved_only
    )
    SELECT array_agg(series_id), array_agg(place_id), array_agg(disagg_id), array_agg(approved_only)
      INTO s, p, d, a
      FROM gone;
    IF s IS NOT NULL THEN
      PERFORM marsad_reread_latest_observations(s, p, d, a);
    END IF;
  END
  $$;

-- Offers each key's latest new row: it replaces the kept row when it is as late or later. Only the rows ending last in
-- their key are sorted (found by one grouping of the new rows): sorting every new row made a write of 2 million values
-- take 49 % longer (15.1 to 22.5 s), this 2.7 s instead of 6.6 s for the choice. An update's new rows are offered by it too.
CREATE FUNCTION marsad_offer_latest_observations() RETURNS trigger
  LANGUAGE plpgsql
  -- The new rows and their grouping are joined by hashing: PostgreSQL guesses 200 groups for a transition table
  -- and chose a nested loop, which made an import of 2 million values in 33 statements take 417 s instead of 20 s.
  SET enable_nestloop = off
  AS $$
  BEGIN
    WITH m AS (
      SELECT series_id, place_id, disagg_id, max(period_end) AS last_end,
             max(period_end) FILTER (WHERE status = 'approved') AS last_approved_end
        FROM new_rows GROUP BY series_id, place_id, disagg_id
    ), c AS (
      SELECT n.series_id, n.place_id, n.disagg_id, n.indicator_id, n.period, n.period_start, n.period_end, n.value,
             n.status, n.source_id, n.period_end = m.last_end AS latest,
             n.status = 'approved' AND n.period_end = m.last_approved_end AS latest_approved
        FROM new_rows n
        JOIN m ON m.series_id = n.series_id AND m.place_id = n.place_id AND m.disagg_id = n.disagg_id
       WHERE n.period_end = m.last_end OR (n.status = 'approved' AND n.period_end = m.last_approved_end)
    )
    INSERT INTO latest_observations AS l
    SELECT DISTINCT ON (series_id, place_id, disagg_id, approved_only)
           series_id, place_id, disagg_id, approved_only, indicator_id, period, period_start, period_end, value,
           status, source_id
      FROM (SELECT c.*, false AS approved_only FROM c WHERE latest
            UNION ALL
            SELECT c.*, true FROM c WHERE latest_approved) AS x
     ORDER BY series_id, place_id, disagg_id, approved_only, period_end DESC, period_start, period DESC
    ON CONFLICT (series_id, place_id, disagg_id, approved_only) DO UPDATE
       SET indicator_id = excluded.indicator_id, period = excluded.period, period_start = excluded.period_start,
           period_end = excluded.period_end, value = excluded.value, status = excluded.status,
           source_id = excluded.source_id
     WHERE marsad_latest_at_least(excluded.period_end, excluded.period_start, excluded.period,
                                  l.period_end, l.period_start, l.period);
    RETURN NULL;
  END
  $$;

CREATE FUNCTION marsad_forget_deleted_latest_observations() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    PERFORM marsad_forget_latest_observations(array_agg(series_id), array_agg(place_id), array_agg(disagg_id),
                                              array_agg(approved_only), array_agg(period))
       FROM (SELECT series_id, place_id, disagg_id, false AS approved_only, period FROM old_rows
             UNION ALL
             SELECT series_id, place_id, disagg_id, true, period FROM old_rows WHERE status = 'approved') AS r;
    RETURN NULL;
  END
  $$;

-- An update: rows that left a key (a key changed, an approved value no longer approved) are forgotten; its new rows are
-- offered by the insert's function, as a trigger of its own (the same period refreshes the kept value, status and
-- source). The two may run in either order: a forgotten (key, period) is one no new row has.
CREATE FUNCTION marsad_forget_updated_latest_observations() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    PERFORM marsad_forget_latest_observations(array_agg(series_id), array_agg(place_id), array_agg(disagg_id),
                                              array_agg(approved_only), array_agg(period))
       FROM (SELECT series_id, place_id, disagg_id, false AS approved_only, period FROM old_rows
             UNION ALL
             SELECT series_id, place_id, disagg_id, true, period FROM old_rows WHERE status = 'approved'
             EXCEPT
             (SELECT series_id, place_id, disagg_id, false, period FROM new_rows
              UNION ALL
              SELECT series_id, place_id, disagg_id, true, period FROM new_rows WHERE status = 'approved')) AS r;
    RETURN NULL;
  END
  $$;

CREATE FUNCTION marsad_empty_latest_observations() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    DELETE FROM latest_observations;
    RETURN NULL;
  END
  $$;

CREATE TRIGGER observations_latest_insert AFTER INSERT ON observations
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION marsad_offer_latest_observations();
CREATE TRIGGER observations_latest_delete AFTER DELETE ON observations
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION marsad_forget_deleted_latest_observations();
CREATE TRIGGER observations_latest_update_forget AFTER UPDATE ON observations
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION marsad_forget_updated_latest_observations();
CREATE TRIGGER observations_latest_update_offer AFTER UPDATE ON observations
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION marsad_offer_latest_observations();
CREATE TRIGGER observations_latest_truncate AFTER TRUNCATE ON observations
  FOR EACH STATEMENT EXECUTE FUNCTION marsad_empty_latest_observations();

-- A public answer reads it (decisions/0006): its writes are announced like those of observations.
CREATE TRIGGER marsad_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON latest_observations
  FOR EACH STATEMENT EXECUTE FUNCTION marsad_data_changed();
