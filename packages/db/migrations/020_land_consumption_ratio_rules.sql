-- Indicator 11.3.1 (ratio of land consumption rate to population growth rate) has no smallest value:
-- a ratio of two growth rates is negative where the built-up area or the population shrinks, and the
-- UK's Open SDG file of 11.3.1 has such values (-0.011527). Its unit's default rules (RATIO:
-- {"min":0}, migration 010) refused that file; the catalogue now gives 11.3.1 no rules
-- (indicators.json, validationRules). A database created earlier gets the same, unless an
-- administrator has set the indicator's rules (audited as update-rules).
-- Runs unchanged on PostgreSQL 15 and on PGlite (PostgreSQL 18).

UPDATE indicators i
   SET validation_rules = '{}'::jsonb
 WHERE i.code = '11.3.1'
   AND i.local = false
   AND i.validation_rules = '{"min":0}'::jsonb
   AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.action = 'update-rules' AND a.entity_type = 'indicator' AND a.entity_id = i.code);
