-- The validation rules indicators of the reference catalogue start with (issue 4, item 3;
-- docs/methods/validation.md): from the unit, the same table as defaultValidationRules in
-- packages/core/src/indicators/validation-rules.ts, which the catalogue loader applies to a new
-- database. This brings a database created earlier to the same state, leaving alone every
-- indicator whose rules an administrator has set (audited as update-rules) or that has rules.
-- Runs unchanged on PostgreSQL 15 and on PGlite (PostgreSQL 18).

UPDATE indicators i
   SET validation_rules = CASE i.unit_code
         WHEN 'PERCENT' THEN '{"min":0,"max":100}'::jsonb
         WHEN 'YES_NO' THEN '{"min":0,"max":1}'::jsonb
         ELSE '{"min":0}'::jsonb
       END
 WHERE i.validation_rules = '{}'::jsonb
   AND i.local = false
   AND i.unit_code IN ('PERCENT', 'YES_NO', 'NUMBER', 'PER_100000', 'PER_100000_WOMEN', 'RATIO', 'PERCENT_GDP',
                       'USD_PER_CAPITA', 'MINUTES', 'SQ_M_PER_CAPITA', 'UG_M3')
   AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.action = 'update-rules' AND a.entity_type = 'indicator' AND a.entity_id = i.code);
