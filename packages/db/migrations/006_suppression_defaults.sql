-- Suppression of small counts in publication (issue 4, item 6; docs/methods/suppression.md):
-- the default rules of the victimisation, harassment and violence indicators, and the count
-- series those rules rest on. A new database gets both from the reference catalogue
-- (indicators.json), which is loaded after the migrations; this brings a database created
-- earlier to the same state:
-- 1. the count series are added to the indicators that exist (not the default series);
-- 2. each rule is set where the indicator has none and no administrator has set its rules
--    (PUT /api/v1/indicators/:code/rules, audited as update-rules) — an administrator's
--    choice, including "no rule", stands;
-- 3. one audit entry lists the indicators that got a rule.
-- Runs unchanged on PostgreSQL 15 and on PGlite (PostgreSQL 18).

INSERT INTO series (indicator_id, code, names, unit_code, unit_names, aliases, is_default)
SELECT i.id, n.code, n.names::jsonb, 'NUMBER', '{"ar":"عدد","en":"Number","fr":"Nombre","es":"Número","ru":"Число","zh":"数量"}'::jsonb, '{}', false
  FROM (VALUES
    ('11.7.2', 'MARSAD_11_7_2_N', '{"ar":"عدد المستجيبين الذين يستند إليهم التقدير (غير مرجَّح)","en":"Number of respondents the estimate rests on (unweighted)","fr":"Nombre de répondants sur lesquels repose l’estimation (non pondéré)","es":"Número de personas encuestadas en las que se basa la estimación (sin ponderar)","ru":"Число респондентов, на которых основана оценка (невзвешенное)","zh":"估计所依据的受访者人数（未加权）"}'),
    ('16.1.3', 'MARSAD_16_1_3_N', '{"ar":"عدد المستجيبين الذين يستند إليهم التقدير (غير مرجَّح)","en":"Number of respondents the estimate rests on (unweighted)","fr":"Nombre de répondants sur lesquels repose l’estimation (non pondéré)","es":"Número de personas encuestadas en las que se basa la estimación (sin ponderar)","ru":"Число респондентов, на которых основана оценка (невзвешенное)","zh":"估计所依据的受访者人数（未加权）"}'),
    ('USM-CV-01', 'USM-CV-01-N', '{"ar":"عدد جرائم السرقة بالإكراه المسجلة لدى الشرطة","en":"Number of robberies recorded by the police","fr":"Nombre de vols avec violence enregistrés par la police","es":"Número de robos registrados por la policía","ru":"Число грабежей и разбоев, зарегистрированных полицией","zh":"警方记录的抢劫案件数"}'),
    ('USM-CV-02', 'USM-CV-02-N', '{"ar":"عدد جرائم السطو على المساكن المسجلة لدى الشرطة","en":"Number of residential burglaries recorded by the police","fr":"Nombre de cambriolages de logements enregistrés par la police","es":"Número de robos con allanamiento de vivienda registrados por la policía","ru":"Число краж со взломом из жилищ, зарегистрированных полицией","zh":"警方记录的入室盗窃案件数"}'),
    ('USM-CV-03', 'USM-CV-03-N', '{"ar":"عدد جرائم العنف الجنسي المسجلة لدى الشرطة","en":"Number of sexual violence offences recorded by the police","fr":"Nombre d’infractions de violence sexuelle enregistrées par la police","es":"Número de delitos de violencia sexual registrados por la policía","ru":"Число преступлений сексуального насилия, зарегистрированных полицией","zh":"警方记录的性暴力犯罪数"}'),
    ('USM-CV-04', 'USM-CV-04-N', '{"ar":"عدد حالات العنف الأسري وعنف الشريك الحميم ضد النساء المسجلة","en":"Number of recorded cases of domestic and intimate partner violence against women","fr":"Nombre de cas enregistrés de violences domestiques et conjugales contre les femmes","es":"Número de casos registrados de violencia doméstica y de pareja contra las mujeres","ru":"Число зарегистрированных случаев домашнего насилия и насилия со стороны партнера в отношении женщин","zh":"记录的针对妇女的家庭暴力和亲密伴侣暴力案件数"}'),
    ('USM-CV-05', 'USM-CV-05-N', '{"ar":"عدد جرائم الاعتداء الجسيم المسجلة لدى الشرطة","en":"Number of serious assaults recorded by the police","fr":"Nombre d’agressions graves enregistrées par la police","es":"Número de agresiones graves registradas por la policía","ru":"Число тяжких нападений, зарегистрированных полицией","zh":"警方记录的严重伤害案件数"}'),
    ('USM-CV-06', 'USM-CV-06-N', '{"ar":"عدد جرائم العنف المسجلة التي تستند إليها النسبة","en":"Number of recorded violent crimes the share rests on","fr":"Nombre de crimes violents enregistrés sur lesquels repose la part","es":"Número de delitos violentos registrados en los que se basa la proporción","ru":"Число зарегистрированных насильственных преступлений, на котором основана доля","zh":"该比例所依据的已记录暴力犯罪数"}'),
    ('USM-VI-01', 'USM-VI-01-N', '{"ar":"عدد المستجيبين الذين يستند إليهم التقدير (غير مرجَّح)","en":"Number of respondents the estimate rests on (unweighted)","fr":"Nombre de répondants sur lesquels repose l’estimation (non pondéré)","es":"Número de personas encuestadas en las que se basa la estimación (sin ponderar)","ru":"Число респондентов, на которых основана оценка (невзвешенное)","zh":"估计所依据的受访者人数（未加权）"}'),
    ('USM-VI-02', 'USM-VI-02-N', '{"ar":"عدد المستجيبين الذين يستند إليهم التقدير (غير مرجَّح)","en":"Number of respondents the estimate rests on (unweighted)","fr":"Nombre de répondants sur lesquels repose l’estimation (non pondéré)","es":"Número de personas encuestadas en las que se basa la estimación (sin ponderar)","ru":"Число респондентов, на которых основана оценка (невзвешенное)","zh":"估计所依据的受访者人数（未加权）"}'),
    ('USM-VI-03', 'USM-VI-03-N', '{"ar":"عدد المستجيبين الذين يستند إليهم التقدير (غير مرجَّح)","en":"Number of respondents the estimate rests on (unweighted)","fr":"Nombre de répondants sur lesquels repose l’estimation (non pondéré)","es":"Número de personas encuestadas en las que se basa la estimación (sin ponderar)","ru":"Число респондентов, на которых основана оценка (невзвешенное)","zh":"估计所依据的受访者人数（未加权）"}'),
    ('USM-VI-04', 'USM-VI-04-N', '{"ar":"عدد المستجيبين الذين يستند إليهم التقدير (غير مرجَّح)","en":"Number of respondents the estimate rests on (unweighted)","fr":"Nombre de répondants sur lesquels repose l’estimation (non pondéré)","es":"Número de personas encuestadas en las que se basa la estimación (sin ponderar)","ru":"Число респондентов, на которых основана оценка (невзвешенное)","zh":"估计所依据的受访者人数（未加权）"}'),
    ('USM-VI-05', 'USM-VI-05-N', '{"ar":"عدد المستجيبين الذين يستند إليهم التقدير (غير مرجَّح)","en":"Number of respondents the estimate rests on (unweighted)","fr":"Nombre de répondants sur lesquels repose l’estimation (non pondéré)","es":"Número de personas encuestadas en las que se basa la estimación (sin ponderar)","ru":"Число респондентов, на которых основана оценка (невзвешенное)","zh":"估计所依据的受访者人数（未加权）"}')
  ) AS n (indicator_code, code, names)
  JOIN indicators i ON i.code = n.indicator_code
ON CONFLICT (indicator_id, code) DO NOTHING;

WITH defaults (code, rule) AS (VALUES
    ('11.7.2', '{"minCount":25,"countSeries":"MARSAD_11_7_2_N","dimensions":["SEX","AGE","DISABILITY_STATUS"],"levels":["district"]}'),
    ('16.1.1', '{"minCount":10,"countSeries":"VC_IHR_PSRCN","dimensions":["SEX","AGE","DISABILITY_STATUS"],"levels":["district"]}'),
    ('16.1.2', '{"minCount":10,"countSeries":"VC_DTH_TOTN","dimensions":["SEX","AGE","DISABILITY_STATUS"],"levels":["district"]}'),
    ('16.1.3', '{"minCount":25,"countSeries":"MARSAD_16_1_3_N","dimensions":["SEX","AGE","DISABILITY_STATUS"],"levels":["district"]}'),
    ('USM-CV-01', '{"minCount":10,"countSeries":"USM-CV-01-N","dimensions":["SEX","AGE","DISABILITY_STATUS"],"levels":["district"]}'),
    ('USM-CV-02', '{"minCount":10,"countSeries":"USM-CV-02-N","dimensions":["SEX","AGE","DISABILITY_STATUS"],"levels":["district"]}'),
    ('USM-CV-03', '{"minCount":10,"countSeries":"USM-CV-03-N","dimensions":["SEX","AGE","DISABILITY_STATUS"],"levels":["district"]}'),
    ('USM-CV-04', '{"minCount":10,"countSeries":"USM-CV-04-N","dimensions":["SEX","AGE","DISABILITY_STATUS"],"levels":["district"]}'),
    ('USM-CV-05', '{"minCount":10,"countSeries":"USM-CV-05-N","dimensions":["SEX","AGE","DISABILITY_STATUS"],"levels":["district"]}'),
    ('USM-CV-06', '{"minCount":10,"countSeries":"USM-CV-06-N","dimensions":["SEX","AGE","DISABILITY_STATUS"],"levels":["district"]}'),
    ('USM-VI-01', '{"minCount":25,"countSeries":"USM-VI-01-N","dimensions":["SEX","AGE","DISABILITY_STATUS"],"levels":["district"]}'),
    ('USM-VI-02', '{"minCount":25,"countSeries":"USM-VI-02-N","dimensions":["SEX","AGE","DISABILITY_STATUS"],"levels":["district"]}'),
    ('USM-VI-03', '{"minCount":25,"countSeries":"USM-VI-03-N","dimensions":["SEX","AGE","DISABILITY_STATUS"],"levels":["district"]}'),
    ('USM-VI-04', '{"minCount":25,"countSeries":"USM-VI-04-N","dimensions":["SEX","AGE","DISABILITY_STATUS"],"levels":["district"]}'),
    ('USM-VI-05', '{"minCount":25,"countSeries":"USM-VI-05-N","dimensions":["SEX","AGE","DISABILITY_STATUS"],"levels":["district"]}')
), updated AS (
  UPDATE indicators i SET suppression = d.rule::jsonb, updated_at = now()
    FROM defaults d
   WHERE i.code = d.code AND i.suppression IS NULL
     AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.entity_type = 'indicator' AND a.entity_id = i.code AND a.action = 'update-rules')
  RETURNING i.code
)
INSERT INTO audit_log (actor_label, action, entity_type, summary, after)
SELECT 'system', 'migrate', 'catalogue', 'default suppression rules (migration 006)', jsonb_build_object('indicators', jsonb_agg(code ORDER BY code))
  FROM updated
HAVING count(*) > 0;
