-- The newest approved values, for the home page's latest updates (issue 16: grouping every approved row took 1.9 s
-- at 2.25 million rows and 4.8 s at 8.25 million on PostgreSQL, 8.2 s on PGlite, during which PGlite answered
-- nothing else). web-api/home-queries.ts walks this index down from its newest entry. The times of an import are
-- those of its transaction, so the index grows at its end.
-- Runs unchanged on PostgreSQL 15 and on PGlite (PostgreSQL 18).

CREATE INDEX observations_approved_updated ON observations (updated_at DESC) WHERE status = 'approved';
