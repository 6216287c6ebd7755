-- Partners of programmes and results refer to the partner organisations of the Global Network
-- on Safer Cities (partner_organisations, migration 007). Removing an organisation removes it
-- from the programmes and results it was a partner of (the audit log keeps the earlier state).
-- Runs unchanged on PostgreSQL 15 and on PGlite (PostgreSQL 18).

ALTER TABLE programme_partners
  ADD CONSTRAINT programme_partners_organisation FOREIGN KEY (organisation_id) REFERENCES partner_organisations(id) ON DELETE CASCADE;
