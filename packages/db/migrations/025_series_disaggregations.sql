-- Which breakdowns (disaggregations) each series has values for (issue 17). An export writes one column per
-- dimension its values use, in its first line: at 25 million observations, finding them in the values themselves
-- read every row before the first byte (26.6 s for the bulk download). The pairs are noted as observations are
-- written, by one statement per write (its new rows as a transition table), and never removed: a pair whose
-- values were all deleted only costs an empty column. Small selections are still read exactly
-- (observations/observation-queries.ts, dimensionsUsed).
-- Runs unchanged on PostgreSQL 15 and on PGlite (PostgreSQL 18).

CREATE TABLE series_disaggregations (
  series_id integer NOT NULL,
  disagg_id integer NOT NULL,
  PRIMARY KEY (series_id, disagg_id)
);

INSERT INTO series_disaggregations (series_id, disagg_id)
SELECT DISTINCT series_id, disagg_id FROM observations;

CREATE FUNCTION marsad_note_series_disaggregations() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    INSERT INTO series_disaggregations (series_id, disagg_id)
    SELECT DISTINCT series_id, disagg_id FROM new_rows ORDER BY 1, 2
    ON CONFLICT DO NOTHING;
    RETURN NULL;
  END
  $$;

CREATE TRIGGER observations_series_disaggregations AFTER INSERT ON observations
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION marsad_note_series_disaggregations();

-- A public answer may read it (decisions/0006): its writes are announced like those of observations.
CREATE TRIGGER marsad_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON series_disaggregations
  FOR EACH STATEMENT EXECUTE FUNCTION marsad_data_changed();
