-- A source's name by language (issue 15, item 5), like the names of indicators and places:
-- `name` stays the key (unique, as its publisher writes it, the name imports refer to); `names`
-- gives it in other languages where Marsad has them ({} for a source known by one name only).
-- The demonstration's synthetic source, written by Marsad, gets its six names in a database
-- created earlier too (the translations await review, like the catalogue's).
-- Runs unchanged on PostgreSQL 15 and on PGlite (PostgreSQL 18).

ALTER TABLE sources ADD COLUMN names jsonb NOT NULL DEFAULT '{}'::jsonb;

UPDATE sources
   SET names = '{"ar":"بيانات مرصد التوضيحية الاصطناعية","en":"Marsad synthetic demonstration data","fr":"Données de démonstration synthétiques de Marsad","es":"Datos de demostración sintéticos de Marsad","ru":"Синтетические демонстрационные данные Marsad","zh":"Marsad 合成演示数据"}'::jsonb
 WHERE name = 'Marsad synthetic demonstration data' AND synthetic;
