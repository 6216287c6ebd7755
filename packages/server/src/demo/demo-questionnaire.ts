/**
 * The demonstration questionnaire of review cycles, built from what seed 000 asks member states
 * to share (§2, §3 (b), (c)): measures taken in implementing the guidelines, difficulties met,
 * technical-assistance needs — each question marked with the kind and theme of the guidelines it
 * records (core guideline-themes.ts), with repeats for lists of measures, a reference to an
 * indicator of the catalogue and one to an item of the knowledge repository. Arabic first, and
 * English. It is a demonstration: the questions are Marsad's wording, not the e-survey of the
 * UN-Habitat secretariat, which seed 000 §11 announces without giving its text.
 */
import type { QuestionNode, Questionnaire } from '@marsad/core';

const t = (ar: string, en: string) => ({ ar, en });
const none = {};

const text = (
  name: string,
  ar: string,
  en: string,
  o: Partial<Extract<QuestionNode, { required: boolean }>> = {},
): QuestionNode =>
  ({
    type: 'long_text',
    name,
    label: t(ar, en),
    hint: none,
    required: false,
    requiredMessage: none,
    constraintMessage: none,
    ...o,
  }) as QuestionNode;

export const DEMO_QUESTIONNAIRE: Questionnaire = {
  formId: 'marsad_demo_safer_cities_review',
  title: 'استبيان تجريبي: حالة تنفيذ المبادئ التوجيهية بشأن المدن الأكثر أمانا (Demonstration)',
  version: 'demo-1',
  defaultLanguage: 'ar',
  languages: [
    { code: 'ar', name: null },
    { code: 'en', name: null },
  ],
  choiceLists: [
    {
      name: 'yes_no',
      choices: [
        { name: 'yes', label: t('نعم', 'Yes') },
        { name: 'no', label: t('لا', 'No') },
      ],
    },
  ],
  questions: [
    {
      type: 'group',
      name: 'profile',
      label: t('الجهة المجيبة', 'Who answers'),
      hint: none,
      children: [
        {
          type: 'text',
          name: 'institution',
          label: t('المؤسسة التي تجيب عن الاستبيان', 'Institution answering the questionnaire'),
          hint: t('اسم المؤسسة، لا اسم شخص', 'The institution, not a person'),
          required: true,
          requiredMessage: t('اذكر المؤسسة', 'Name the institution'),
          constraintMessage: none,
          constraint: 'string-length(.) <= 200',
        },
        {
          type: 'select_one',
          name: 'has_strategy',
          list: 'yes_no',
          label: t(
            'هل لدى المدينة أو البلد استراتيجية أو خطة عمل للأمان على نطاق المدينة؟',
            'Is there a city-wide safety strategy or action plan?',
          ),
          hint: t('المذكرة المفاهيمية، أولا', 'Seed 000 §1'),
          required: true,
          requiredMessage: none,
          constraintMessage: none,
        },
        {
          type: 'date',
          name: 'strategy_date',
          relevant: "${has_strategy} = 'yes'",
          label: t('تاريخ اعتمادها', 'Date it was adopted'),
          hint: none,
          required: false,
          requiredMessage: none,
          constraint: '. <= today()',
          constraintMessage: t('لا يمكن أن يكون التاريخ في المستقبل', 'The date cannot be in the future'),
        },
      ],
    },
    {
      type: 'repeat',
      name: 'measures_institutions',
      label: t(
        'التدابير: السياسات والاستراتيجيات والأطر القانونية والمالية',
        'Measures: policies, strategies, legal and financial frameworks',
      ),
      hint: t('تدبير واحد في كل مرة', 'One measure at a time'),
      children: [
        text('measure_institutions', 'التدبير المتخذ', 'Measure taken', {
          required: true,
          records: { kind: 'measure', theme: 'enabling-institutions' },
        }),
        {
          type: 'indicator',
          name: 'measure_indicator',
          label: t('مؤشر يرصد هذا التدبير', 'An indicator that follows this measure'),
          hint: t('من فهرس المؤشرات', 'From the indicator catalogue'),
          required: false,
          requiredMessage: none,
          constraintMessage: none,
        },
      ],
    },
    {
      type: 'repeat',
      name: 'measures_coproduction',
      label: t(
        'التدابير: الإنتاج المشترك للأمان مع السكان وأصحاب المصلحة',
        'Measures: co-production of safety with residents and stakeholders',
      ),
      hint: none,
      children: [
        text('measure_coproduction', 'التدبير المتخذ', 'Measure taken', {
          required: true,
          records: { kind: 'measure', theme: 'co-production' },
        }),
      ],
    },
    {
      type: 'repeat',
      name: 'measures_inclusion',
      label: t(
        'التدابير: الإدماج (النساء، الشباب، كبار السن، ذوو الإعاقة)',
        'Measures: inclusion (women, youth, older persons, persons with disabilities)',
      ),
      hint: none,
      children: [
        text('measure_inclusion', 'التدبير المتخذ', 'Measure taken', {
          required: true,
          records: { kind: 'measure', theme: 'inclusion' },
        }),
      ],
    },
    text(
      'difficulty_evidence',
      'الصعوبات في جمع البيانات والرصد والتقييم',
      'Difficulties met in data, monitoring and evaluation',
      { records: { kind: 'difficulty', theme: 'evidence-monitoring' } },
    ),
    text(
      'difficulty_partnerships',
      'الصعوبات في الشراكات والتنسيق',
      'Difficulties met in partnerships and coordination',
      { records: { kind: 'difficulty', theme: 'networks-partnerships' } },
    ),
    text('need_capacity', 'احتياجات المساعدة التقنية: بناء القدرات', 'Technical-assistance needs: capacity building', {
      records: { kind: 'assistance-need', theme: 'capacity-building' },
    }),
    text(
      'need_evidence',
      'احتياجات المساعدة التقنية: البيانات والرصد',
      'Technical-assistance needs: data and monitoring',
      { records: { kind: 'assistance-need', theme: 'evidence-monitoring' } },
    ),
    {
      type: 'knowledge_item',
      name: 'practice',
      label: t('ممارسة من مستودع المعارف تود مشاركتها', 'A practice of the knowledge repository to share'),
      hint: none,
      required: false,
      requiredMessage: none,
      constraintMessage: none,
    },
    text('summary', 'ملاحظات عامة', 'General remarks'),
  ],
};
