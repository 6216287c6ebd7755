-- A submission's name by its questionnaire's XLSForm `instance_name` (an expression over the answers, such as
-- concat(${city}, ' – ', ${today})), computed by core's evaluateForm each time the answers are saved and shown where
-- submissions are listed; null when the questionnaire has none (docs/methods/questionnaires.md).
-- Runs unchanged on PostgreSQL 15 and on PGlite (PostgreSQL 18).

ALTER TABLE review_submissions ADD COLUMN instance_name text;
