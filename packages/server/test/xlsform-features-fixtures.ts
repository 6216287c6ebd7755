/**
 * An XLSForm workbook as KoboToolbox writes one (issue 19, item 4), built here with exceljs: the metadata questions
 * (start, end, today, deviceid, username, phonenumber, audit, simserial, subscriberid), a cascading select
 * (choice_filter over a column of the choices), selects with or_other, a geopoint, a repeat whose number of
 * instances an answer gives (repeat_count), answers shown in labels and hints (`${name}`), instance_name, and
 * Kobo's own columns and sheet (kobo--score-choices, kobo--rank-items, $kuid, kobo--locking-profile, the
 * kobo--locking-profiles sheet). Read by xlsform-features.test.ts and by the browser test of the web app.
 */
import { workbook } from './questionnaire-fixtures.ts';

type Cell = string | number | null;

const SURVEY_HEADER = [
  'type',
  'name',
  'label::English (en)',
  'label::Arabic (ar)',
  'hint::English (en)',
  'hint::Arabic (ar)',
  'required',
  'constraint',
  'choice_filter',
  'repeat_count',
  'appearance',
  'kobo--score-choices',
  'kobo--rank-items',
  '$kuid',
];

/** A survey row by column name (the rest empty). */
function row(values: Partial<Record<(typeof SURVEY_HEADER)[number], Cell>>): Cell[] {
  return SURVEY_HEADER.map((h) => values[h] ?? null);
}

export const FEATURES_SURVEY: Cell[][] = [
  SURVEY_HEADER,
  row({ type: 'start', name: 'start', $kuid: 'k1' }),
  row({ type: 'end', name: 'end', $kuid: 'k2' }),
  row({ type: 'today', name: 'today' }),
  row({ type: 'deviceid', name: 'deviceid' }),
  row({ type: 'username', name: 'username' }),
  row({ type: 'phonenumber', name: 'phonenumber' }),
  row({ type: 'audit', name: 'audit' }),
  row({ type: 'simserial', name: 'simserial' }),
  row({ type: 'subscriberid', name: 'subscriberid' }),
  row({
    type: 'select_one countries',
    name: 'country',
    'label::English (en)': 'Country',
    'label::Arabic (ar)': 'البلد',
    required: 'yes',
    $kuid: 'k3',
  }),
  row({
    type: 'select_one cities',
    name: 'city',
    'label::English (en)': 'A city of ${country}',
    'label::Arabic (ar)': 'مدينة في ${country}',
    'hint::English (en)': 'Only the cities of the country chosen are offered',
    'hint::Arabic (ar)': 'لا تُعرض إلا مدن البلد المختار',
    required: 'yes',
    choice_filter: 'country = ${country}',
  }),
  row({
    type: 'select_one partners or_other',
    name: 'partner',
    'label::English (en)': 'Main partner',
    'label::Arabic (ar)': 'الشريك الرئيسي',
    required: 'yes',
    'kobo--score-choices': 'partners',
  }),
  row({
    type: 'select_multiple partners or_other',
    name: 'others',
    'label::English (en)': 'Other partners',
    'label::Arabic (ar)': 'شركاء آخرون',
    'kobo--rank-items': 'partners',
  }),
  row({
    type: 'geopoint',
    name: 'site',
    'label::English (en)': 'Where in ${city} is the main measure?',
    'label::Arabic (ar)': 'أين يقع التدبير الرئيسي في ${city}؟',
    'hint::English (en)': 'Click the map or type the coordinates',
    'hint::Arabic (ar)': 'انقر على الخريطة أو اكتب الإحداثيات',
  }),
  row({
    type: 'integer',
    name: 'measures_count',
    'label::English (en)': 'How many measures?',
    'label::Arabic (ar)': 'كم عدد التدابير؟',
    constraint: '. >= 0 and . <= 10',
  }),
  row({
    type: 'begin repeat',
    name: 'measure',
    'label::English (en)': 'Measures taken in ${city}',
    'label::Arabic (ar)': 'التدابير المتخذة في ${city}',
    repeat_count: '${measures_count}',
  }),
  row({
    type: 'text',
    name: 'measure_name',
    'label::English (en)': 'Name of the measure',
    'label::Arabic (ar)': 'اسم التدبير',
    required: 'yes',
  }),
  row({ type: 'end repeat' }),
  row({
    type: 'note',
    name: 'thanks',
    'label::English (en)': 'Thank you: ${measures_count} measures in ${city}.',
    'label::Arabic (ar)': 'شكرًا: ${measures_count} تدابير في ${city}.',
  }),
];

export const FEATURES_CHOICES: Cell[][] = [
  ['list_name', 'name', 'label::English (en)', 'label::Arabic (ar)', 'country', '$kuid'],
  ['countries', 'ma', 'Morocco', 'المغرب', null, 'c1'],
  ['countries', 'kz', 'Kazakhstan', 'كازاخستان', null, 'c2'],
  ['cities', 'agadir', 'Agadir', 'أكادير', 'ma', 'c3'],
  ['cities', 'rabat', 'Rabat', 'الرباط', 'ma', null],
  ['cities', 'almaty', 'Almaty', 'ألماتي', 'kz', null],
  ['partners', 'police', 'Police', 'الشرطة', null, null],
  ['partners', 'ngo', 'Civil society', 'المجتمع المدني', null, null],
];

export const FEATURES_SETTINGS: Cell[][] = [
  ['form_title', 'form_id', 'version', 'default_language', 'instance_name', 'kobo--locking-profile'],
  ['Measures by city', 'kobo_features', '2026-1', 'English (en)', "concat(${city}, ' – ', ${today})", 'profile_1'],
];

export const featuresWorkbook = (extra: Record<string, Cell[][]> = {}) =>
  workbook({
    survey: FEATURES_SURVEY,
    choices: FEATURES_CHOICES,
    settings: FEATURES_SETTINGS,
    'kobo--locking-profiles': [
      ['restriction', 'profile_1'],
      ['choice_add', 'locked'],
    ],
    ...extra,
  });

/** The first bytes of an .xls workbook (an OLE2 compound file of Excel 97–2003), then nothing that matters. */
export const XLS_BYTES = Buffer.concat([
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
  Buffer.alloc(504, 0),
]);
