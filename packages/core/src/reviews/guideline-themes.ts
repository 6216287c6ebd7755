/**
 * What a review answer records, and the themes it is counted under in the report to the
 * Executive Board. Both come from seed 000 (the concept note on the review of the UN
 * system-wide Guidelines on Safer Cities and Human Settlements, HSP/EB.2020): not invented.
 *
 * Kinds (§2 and §3 (b), (c)): member states share "the measures taken in implementing the
 * guidelines and the difficulties they met in doing so", and "identify and confirm specific
 * technical-assistance needs" (التدابير المتخذة عند تنفيذ المبادئ التوجيهية والصعوبات التي
 * تواجهها ... احتياجات محددة للمساعدة التقنية).
 *
 * Themes: the approach the guidelines set out, as §4 states it in outcomes 1 to 3 and §1 in the
 * Safer Cities Programme's method; `source` says where each one's words are.
 */
export const RECORD_KINDS = ['measure', 'difficulty', 'assistance-need'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

export const RECORD_KIND_NAMES: Record<RecordKind, { ar: string; en: string }> = {
  measure: { ar: 'التدابير المتخذة', en: 'Measures taken' },
  difficulty: { ar: 'الصعوبات', en: 'Difficulties met' },
  'assistance-need': { ar: 'احتياجات المساعدة التقنية', en: 'Technical-assistance needs' },
};

export interface GuidelineTheme {
  code: string;
  names: { ar: string; en: string };
  /** Where in seed 000 the words are. */
  source: string;
}

export const GUIDELINE_THEMES = [
  {
    code: 'integrated-place-based',
    names: { ar: 'نهج كلي ومتكامل وقائم على أساس مكاني', en: 'A holistic, integrated and place-based approach' },
    source: 'seed 000 §4, outcome 1',
  },
  {
    code: 'human-rights-lawfulness',
    names: { ar: 'مراعاة حقوق الإنسان وثقافة الشرعية', en: 'Human rights and a culture of lawfulness' },
    source: 'seed 000 §4, outcome 1',
  },
  {
    code: 'inclusion',
    names: {
      ar: 'الإدماج في كل من الجنسين وفي كل الفئات العمرية والهويات الثقافية',
      en: 'Inclusion across genders, age groups and cultural identities',
    },
    source: 'seed 000 §4, outcome 1; §5 (a)',
  },
  {
    code: 'co-production',
    names: { ar: 'الإنتاج المشترك للأمان والأمن للجميع', en: 'Co-production of safety and security for all' },
    source: 'seed 000 §4, outcome 1; §5',
  },
  {
    code: 'enabling-institutions',
    names: {
      ar: 'بيئات مؤسسية تمكينية: السياسات والاستراتيجيات والخطط والأطر القانونية والمالية',
      en: 'Enabling institutional environments: policies, strategies, plans, legal and financial frameworks',
    },
    source: 'seed 000 §4, outcome 2',
  },
  {
    code: 'participatory-governance',
    names: {
      ar: 'آليات شاملة لإدارة الأمان تنص على الحق في المشاركة لجميع السكان',
      en: 'Inclusive safety governance with the right of all residents to participate',
    },
    source: 'seed 000 §4, outcome 2; §5 (b)',
  },
  {
    code: 'networks-partnerships',
    names: {
      ar: 'الشبكات الاستراتيجية والشراكات بين أصحاب المصلحة المتعددين',
      en: 'Strategic networks and multi-stakeholder partnerships',
    },
    source: 'seed 000 §4, outcome 3; §7',
  },
  {
    code: 'community-action',
    names: {
      ar: 'إجراءات مجتمعية لأكثر الفئات ضعفا في المناطق الحضرية المحرومة',
      en: 'Community action for the most vulnerable in disadvantaged urban areas',
    },
    source: 'seed 000 §4, outcome 3',
  },
  {
    code: 'evidence-monitoring',
    names: {
      ar: 'التحليل والاستراتيجيات القائمة على الأدلة والرصد والتقييم',
      en: 'Analysis, evidence-based strategies, monitoring and evaluation',
    },
    source: 'seed 000 §1; §4, outcome 2 (b)',
  },
  {
    code: 'capacity-building',
    names: { ar: 'بناء القدرات والدعم التقني', en: 'Capacity building and technical support' },
    source: 'seed 000 §4, outcome 1 (d), outcome 2 (a), outcome 3 (b)',
  },
] as const satisfies readonly GuidelineTheme[];

export type GuidelineThemeCode = (typeof GUIDELINE_THEMES)[number]['code'];
export const GUIDELINE_THEME_CODES: readonly GuidelineThemeCode[] = GUIDELINE_THEMES.map((t) => t.code);

export function isGuidelineTheme(code: string): code is GuidelineThemeCode {
  return (GUIDELINE_THEME_CODES as readonly string[]).includes(code);
}

export function isRecordKind(kind: string): kind is RecordKind {
  return (RECORD_KINDS as readonly string[]).includes(kind);
}
