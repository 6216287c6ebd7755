import ExcelJS from 'exceljs';

/**
 * A review questionnaire as an XLSForm workbook, built here with exceljs (as an author would
 * in a spreadsheet): Arabic and English labels, a group, a repeat of measures with themes,
 * selects, a date, a constraint, a calculation, Marsad's indicator and knowledge-item types.
 * Headers in mixed case and the older `label:English` separator, as real workbooks have them.
 */
export const REVIEW_SURVEY: (string | null)[][] = [
  ['TYPE', 'Name', 'label::Arabic (ar)', 'label:English (en)', 'hint::Arabic (ar)', 'hint::English (en)', 'Required', 'relevant', 'constraint', 'constraint_message::Arabic (ar)', 'constraint_message::English (en)', 'calculation', 'appearance', 'marsad_record', 'marsad_theme'],
  ['begin group', 'profile', 'الملف', 'Profile', null, null, null, null, null, null, null, null, 'field-list', null, null],
  ['text', 'city_name', 'اسم المدينة', 'City name', null, null, 'yes', null, 'string-length(.) <= 80', 'ثمانون حرفا على الأكثر', 'At most 80 characters', null, null, null, null],
  ['date', 'strategy_date', 'تاريخ اعتماد الاستراتيجية', 'Date the strategy was adopted', null, null, null, null, '. <= today()', 'لا يمكن أن يكون التاريخ في المستقبل', 'The date cannot be in the future', null, null, null, null],
  ['integer', 'population', 'عدد السكان', 'Population', null, 'Latest census', 'yes', null, '. > 0', null, 'Must be positive', null, null, null, null],
  ['end group', null, null, null, null, null, null, null, null, null, null, null, null, null, null],
  ['select_one yes_no', 'has_strategy', 'هل لدى المدينة استراتيجية للأمان؟', 'Does the city have a safety strategy?', null, null, 'yes', null, null, null, null, null, null, null, null],
  ['select_multiple partners', 'partners', 'الشركاء', 'Partners', null, null, null, "${has_strategy} = 'yes'", 'count-selected(.) <= 3', null, 'Three at most', null, 'minimal', null, null],
  ['begin repeat', 'measures', 'التدابير', 'Measures', null, null, null, "selected(${has_strategy}, 'yes')", null, null, null, null, null, null, null],
  ['text', 'measure', 'التدبير المتخذ', 'Measure taken', null, null, 'yes', null, null, null, null, null, 'multiline', 'measure', 'co-production'],
  ['text', 'difficulty', 'الصعوبة', 'Difficulty met', null, null, null, "${measure} != ''", null, null, null, null, 'multiline', 'difficulty', 'enabling-institutions'],
  ['decimal', 'budget', 'الميزانية', 'Budget (USD)', null, null, null, null, '. >= 0', null, null, null, null, null, null],
  ['end repeat', null, null, null, null, null, null, null, null, null, null, null, null, null, null],
  ['text', 'assistance', 'احتياجات المساعدة التقنية', 'Technical-assistance needs', null, null, null, null, null, null, null, null, 'multiline', 'assistance-need', 'capacity-building'],
  ['marsad_indicator', 'indicator', 'مؤشر', 'An indicator', null, null, null, null, null, null, null, null, null, null, null],
  ['marsad_item', 'practice', 'ممارسة', 'A practice', null, null, null, null, null, null, null, null, null, null, null],
  ['calculate', 'years_since', null, null, null, null, null, null, null, null, null, "if(${strategy_date} = '', 0, (today() - ${strategy_date}) div 365)", null, null, null],
  ['note', 'thanks', 'شكرا', 'Thank you', null, null, null, null, null, null, null, null, null, null, null],
];
export const REVIEW_CHOICES: (string | null)[][] = [
  ['list name', 'name', 'label::Arabic (ar)', 'label:English (en)'],
  ['yes_no', 'yes', 'نعم', 'Yes'],
  ['yes_no', 'no', 'لا', 'No'],
  ['partners', 'civil_society', 'المجتمع المدني', 'Civil society'],
  ['partners', 'academia', 'الأوساط الأكاديمية', 'Academia'],
  ['partners', 'private_sector', 'القطاع الخاص', 'Private sector'],
  ['partners', 'police', 'الشرطة', null],
];
export const REVIEW_SETTINGS: (string | null)[][] = [
  ['form_title', 'form_id', 'version', 'default_language'],
  ['استبيان المدن الأكثر أمانا', 'safer_cities_review', '2026-1', 'Arabic (ar)'],
];

export async function workbook(sheets: Record<string, (string | number | null)[][]>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    for (const row of rows) ws.addRow(row);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export const reviewWorkbook = () => workbook({ Survey: REVIEW_SURVEY, choices: REVIEW_CHOICES, SETTINGS: REVIEW_SETTINGS });
