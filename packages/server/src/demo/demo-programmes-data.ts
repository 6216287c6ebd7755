import type { Names } from '@marsad/db';

/**
 * The three programmes of the demonstration data (issue 7), with the structure and the names
 * the seed documents give: seed 000 (the safer-cities concept note to the Executive Board,
 * 2020), seed 001 (the development of the Strategic Plan 2026-2029, Executive Board 2024) and
 * seed 003 (ESCWA's launch of the inter-regional project on implementing the New Urban Agenda,
 * Agadir 2021). The Arabic texts are the seeds' own words, shortened where a title needs it; the
 * English texts are Marsad's translations. Nothing is added that the seeds do not say: where a
 * seed does not link a result to a result above it, it stays at the top of the tree; the
 * targets of the 2030 results and the cost estimate of seed 000 §9 are the seed's figures.
 * Numbers the seeds do not give (baselines, targets and actual values of the other measures,
 * budget lines of the ESCWA project) are invented for the demonstration and flagged so
 * (`demo`): the API and the exports label them.
 */

export interface DemoMeasure {
  kind: 'indicator' | 'specific' | 'computed';
  indicator?: string;
  places?: string[];
  aggregation?: 'sum' | 'mean';
  formula?: 'urban-violence-change' | 'cities-less-violence' | 'countries-improved' | 'population-concerned';
  names?: Names;
  ascending?: boolean;
  /** Baseline year: for a catalogue indicator its value comes from the observations. */
  baselineYear?: number;
  baselineValue?: number;
  /** Targets: a value, or a factor of the baseline taken from the observations (catalogue indicators). */
  targets?: { year: number; value?: number; factorOfBaseline?: number; notes?: Names }[];
  actuals?: { year: number; value: number; source: string }[];
  /** The typed numbers are invented for the demonstration. */
  demo: boolean;
}

export interface DemoResult {
  code: string;
  level: 'impact' | 'outcome' | 'output' | 'activity';
  titles: Names;
  descriptions?: Names;
  places?: string[];
  pillars?: string[];
  partners?: Names[];
  status?: 'planned' | 'under-way' | 'completed';
  measures?: DemoMeasure[];
  children?: DemoResult[];
}

export interface DemoProgramme {
  code: string;
  names: Names;
  descriptions: Names;
  startYear: number;
  endYear: number;
  status: 'planned' | 'under-way' | 'completed';
  reference: string;
  reportingOrg: { type: string; names: Names };
  pillars: { code: string; kind: 'pillar' | 'means-of-implementation'; names: Names }[];
  places: { place: string; role: 'pilot' | 'participating' | 'supporting'; notes?: Names }[];
  partners: Names[];
  results: DemoResult[];
  budget: {
    labels: Names;
    currency: string;
    year: number;
    endYear?: number;
    amount: number;
    notes?: Names;
    demo: boolean;
  }[];
}

// Names in the other four languages: UN usage, typed by the Marsad team (awaiting review, like the catalogue's).
const UN_HABITAT: Names = {
  ar: 'موئل الأمم المتحدة',
  en: 'UN-Habitat',
  fr: 'ONU-Habitat',
  es: 'ONU-Hábitat',
  ru: 'ООН-Хабитат',
  zh: '联合国人居署',
};
const ESCWA: Names = {
  ar: 'اللجنة الاقتصادية والاجتماعية لغربي آسيا (الإسكوا)',
  en: 'Economic and Social Commission for Western Asia (ESCWA)',
  fr: 'Commission économique et sociale pour l’Asie occidentale (CESAO)',
  es: 'Comisión Económica y Social para Asia Occidental (CESPAO)',
  ru: 'Экономическая и социальная комиссия для Западной Азии (ЭСКЗА)',
  zh: '西亚经济社会委员会（西亚经社会）',
};
/**
 * IATI OrganisationType 40: multilateral. The IATI organisation identifiers are not set: the seeds do not give them.
 */
const MULTILATERAL = '40';

/** The pilot cities of seed 003 with synthetic demonstration values (the Philippines has no city named). */
const PILOT_CITIES = ['MAAGA', 'JOAMM', 'ECUIO', 'KZALA', 'KHBBM', 'CUHAV', 'CRSJO', 'LSMSU'];

/** Seed 000 §6: the initial set of countries with a strategic interest and ongoing urban safety interventions. */
const SEED_000_COUNTRIES = [
  'ZAF',
  'MEX',
  'CAN',
  'COL',
  'KEN',
  'TZA',
  'UGA',
  'MWI',
  'SEN',
  'BFA',
  'MLI',
  'FRA',
  'GBR',
  'ESP',
  'DEU',
  'NLD',
  'SWE',
  'NOR',
  'DNK',
  'AUT',
  'AUS',
  'ARG',
  'MYS',
  'IND',
  'PHL',
  'PNG',
  'SRB',
  'KOR',
  'LBN',
  'IRQ',
  'CIV',
  'MAR',
  'TUN',
  'BRA',
  'CHL',
  'SLV',
  'VNM',
  'EGY',
  'USA',
  'ITA',
  'CHE',
  'RWA',
  'COD',
  'BDI',
  'CMR',
  'NGA',
  'CPV',
  'MDG',
];

const DEMO_SOURCE = 'Marsad demonstration (invented figure)';

export const DEMO_PROGRAMMES: DemoProgramme[] = [
  {
    code: 'SAFER-CITIES',
    names: {
      ar: 'برنامج المدن الأكثر أماناً التابع لموئل الأمم المتحدة',
      en: 'UN-Habitat Safer Cities Programme',
      fr: 'Programme Villes plus sûres d’ONU-Habitat',
      es: 'Programa Ciudades más Seguras de ONU-Hábitat',
      ru: 'Программа ООН-Хабитат «Более безопасные города»',
      zh: '联合国人居署更安全城市方案',
    },
    descriptions: {
      ar: 'تنفيذ المبادئ التوجيهية على نطاق منظومة الأمم المتحدة بشأن المدن والمستوطنات البشرية الأكثر أماناً: عملية الاستعراض وإطار النتائج والأهداف المحددة لعام 2030 (المذكرة المفاهيمية المقدمة إلى المجلس التنفيذي لموئل الأمم المتحدة، 2020).',
      en: 'Implementation of the UN system-wide Guidelines on Safer Cities and Human Settlements: the review process, its results framework and its 2030 targets (concept note to the UN-Habitat Executive Board, 2020).',
    },
    startYear: 2020,
    endYear: 2030,
    status: 'under-way',
    reference:
      'UN-Habitat Executive Board, first session of 2020, provisional agenda item 6: concept note on implementing the UN system-wide Guidelines on Safer Cities and Human Settlements (seed 000)',
    reportingOrg: { type: MULTILATERAL, names: UN_HABITAT },
    pillars: [],
    places: SEED_000_COUNTRIES.map((place) => ({
      place,
      role: 'supporting' as const,
      notes: {
        ar: 'المجموعة الأولية المحددة من البلدان التي لديها اهتمام استراتيجي وتدخلات جارية في مجال الأمان الحضري (الفرع السادس)',
        en: 'Initial set of countries with a strategic interest and ongoing urban safety interventions (section VI)',
      },
    })),
    partners: [],
    results: [
      {
        code: 'T2030-VIOLENCE',
        level: 'impact',
        status: 'under-way',
        titles: { ar: 'خفض العنف في المناطق الحضرية بمقدار النصف بحلول عام 2030', en: 'Urban violence halved by 2030' },
        descriptions: {
          ar: 'الغاية 16-1 من أهداف التنمية المستدامة تحدد طموحاً عالمياً للحد بشكل كبير من جميع أشكال العنف وما يتصل به من وفيات بحلول عام 2030.',
          en: 'SDG target 16.1 sets a global ambition to significantly reduce all forms of violence and related death rates everywhere by 2030.',
        },
        measures: [
          { kind: 'computed', formula: 'urban-violence-change', targets: [{ year: 2030, value: -50 }], demo: false },
        ],
      },
      {
        code: 'T2030-CITIES',
        level: 'impact',
        status: 'under-way',
        titles: {
          ar: 'بحلول عام 2030 كانت هناك 100 مدينة قلَّ فيها عدد الجرائم والعنف الحضريين',
          en: 'By 2030, 100 cities with less urban crime and violence',
        },
        descriptions: {
          ar: 'وقيس ذلك باستخدام مؤشرات الأمان في الأحياء السكنية والمعلومات المجموعة من سجلات الشرطة والدراسات الاستقصائية للجريمة.',
          en: 'Measured with neighbourhood safety indicators, police records and crime surveys.',
        },
        measures: [
          { kind: 'computed', formula: 'cities-less-violence', targets: [{ year: 2030, value: 100 }], demo: false },
        ],
      },
      {
        code: 'T2030-COUNTRIES',
        level: 'impact',
        status: 'under-way',
        titles: {
          ar: 'بحلول عام 2030 يجري 25 بلداً من البلدان الداعمة تحسينات قابلة للقياس تؤثر على نحو 100 مليون شخص',
          en: 'By 2030, 25 supporting countries make measurable improvements affecting about 100 million people',
        },
        descriptions: {
          ar: 'تحسينات قابلة للقياس في مجال القدرات أو الأداء في سياسات المدن الأكثر أماناً والتدخلات البرنامجية.',
          en: 'Measurable improvements in capacity or performance in safer cities policies and programme interventions.',
        },
        measures: [
          { kind: 'computed', formula: 'countries-improved', targets: [{ year: 2030, value: 25 }], demo: false },
          {
            kind: 'computed',
            formula: 'population-concerned',
            targets: [{ year: 2030, value: 100_000_000 }],
            demo: false,
          },
        ],
      },
      {
        code: 'R1',
        level: 'outcome',
        status: 'under-way',
        titles: {
          ar: 'تنفيذ السلطات المحلية والحكومة لسياسات وبرامج للأمان والأمن في المناطق الحضرية وفقاً لمعايير الأمم المتحدة العالمية للمدن الأكثر أماناً',
          en: 'Local authorities and governments implement urban safety and security policies and programmes following the UN global standards for safer cities',
        },
        measures: [
          // Agadir: a city of Morocco, one of the countries of section VI; its values are synthetic demonstration
          // values.
          {
            kind: 'indicator',
            indicator: '16.1.1',
            places: ['MAAGA'],
            baselineYear: 2015,
            targets: [{ year: 2030, factorOfBaseline: 0.5 }],
            demo: true,
          },
          {
            kind: 'indicator',
            indicator: '16.1.4',
            places: ['MAAGA'],
            baselineYear: 2017,
            targets: [{ year: 2030, factorOfBaseline: 1.2 }],
            demo: true,
          },
        ],
        children: [
          {
            code: 'R1-A',
            level: 'output',
            titles: {
              ar: 'مستودع افتراضي للمعارف على الإنترنت بشأن المدن والمستوطنات البشرية الأكثر أماناً',
              en: 'An online virtual knowledge repository on safer cities and human settlements',
            },
          },
          {
            code: 'R1-B',
            level: 'output',
            titles: {
              ar: 'مصفوفة لمؤشرات الأمان الحضري لتحديد وتقييم مخاطر الأمان والأمن في المناطق الحضرية والقدرة على الصمود',
              en: 'An urban safety indicator matrix to identify and assess urban safety and security risks and resilience',
            },
          },
          {
            code: 'R1-C',
            level: 'output',
            titles: {
              ar: 'البلد المضيف الفعال والداعم للموارد العالمية للبرنامج العالمي للمدن الأكثر أماناً',
              en: 'An effective host country supporting the global resources of the global Safer Cities programme',
            },
          },
          {
            code: 'R1-D',
            level: 'output',
            titles: {
              ar: 'أدوات للدعم الفني لبناء القدرات على الصعيد العالمي والوطني والمحلي في المجالات المتصلة بالأمان والأمن الحضريين',
              en: 'Technical support tools for capacity building at global, national and local levels on urban safety and security',
            },
          },
          {
            code: 'R1-E',
            level: 'output',
            titles: {
              ar: 'تعزيز الشبكة العالمية للمدن الأكثر أماناً بوصفها شبكة للممارسة المهنية',
              en: 'The Global Network on Safer Cities strengthened as a network of professional practice',
            },
          },
        ],
      },
      {
        code: 'R2',
        level: 'outcome',
        status: 'under-way',
        titles: {
          ar: 'إنشاء بيئات مؤسسية تمكينية على الصعيدين القطري والمحلي من أجل وضع سياسات واستراتيجيات وخطط ونماذج استثمارية وأطر قانونية ومالية مستدامة لمدن أكثر أماناً',
          en: 'Enabling institutional environments at country and local levels for sustainable policies, strategies, plans, investment models and legal and financial frameworks for safer cities',
        },
        children: [
          {
            code: 'R2-A',
            level: 'output',
            titles: {
              ar: 'بناء قدرات الجهات الفاعلة في مجال الأمان الحضري من أجل وضع سياسات وخطط ومشاريع تعزز تنفيذ المبادئ التوجيهية',
              en: 'Urban safety actors able to develop policies, plans and projects that advance the implementation of the guidelines',
            },
          },
          {
            code: 'R2-B',
            level: 'output',
            titles: {
              ar: 'آليات متابعة مؤسسية، بما في ذلك آليات الرصد والتقييم لتتبع تحقيق أهداف التنمية المستدامة المتصلة بالأمان والخطة الحضرية الجديدة على مستوى المدن',
              en: 'Institutional follow-up mechanisms, including monitoring and evaluation of the safety-related SDGs and the New Urban Agenda at city level',
            },
          },
        ],
      },
      {
        code: 'R3',
        level: 'outcome',
        status: 'under-way',
        titles: {
          ar: 'إنشاء وتشغيل شبكات استراتيجية على الصعيد الوطني والإقليمي والعالمي، وبناء شراكات بين أصحاب المصلحة المتعددين، واتخاذ إجراءات مجتمعية للأمان والأمن الحضريين',
          en: 'Strategic networks at national, regional and global levels, multi-stakeholder partnerships and community action for urban safety and security',
        },
        children: [
          {
            code: 'R3-A',
            level: 'output',
            titles: {
              ar: 'دعم الحكومات المحلية وأصحاب المصلحة الرئيسيين في تنفيذ العمليات والخطط التشاركية للأمان الحضري',
              en: 'Local governments and key stakeholders supported in participatory urban safety processes and plans',
            },
          },
          {
            code: 'R3-B',
            level: 'output',
            titles: {
              ar: 'المشورة التقنية الموجهة وبناء القدرات بشأن السياسات والتشريعات والمنهجيات الشاملة المتعلقة بالأمان الحضري',
              en: 'Targeted technical advice and capacity building on comprehensive urban safety policies, legislation and methodologies',
            },
          },
          {
            code: 'R3-C',
            level: 'output',
            titles: {
              ar: 'دعم تحديد وتنفيذ مشاريع الأمان الحضري القصيرة والمتوسطة والطويلة الأجل',
              en: 'Short-, medium- and long-term urban safety projects identified and implemented',
            },
          },
        ],
      },
    ],
    budget: [
      {
        labels: {
          ar: 'التنفيذ العالمي (تقدير على مدى 10 سنوات)',
          en: 'Global implementation (estimate over 10 years)',
        },
        currency: 'USD',
        year: 2021,
        endYear: 2030,
        amount: 25_000_000,
        demo: false,
        notes: {
          ar: 'الفرع التاسع: تقدير يجري تنقيحه وتفصيله في العملية التشاورية. السنوات قراءة مرصد لعبارة «10 سنوات» ابتداءً من 2021.',
          en: 'Section IX: an estimate to be revised and detailed in the consultative process. The years are Marsad\'s reading of "10 years" from 2021.',
        },
      },
      {
        labels: { ar: 'التنفيذ المحلي (تقدير)', en: 'Local implementation (estimate)' },
        currency: 'USD',
        year: 2021,
        endYear: 2030,
        amount: 25_000_000,
        demo: false,
        notes: {
          ar: 'الفرع التاسع: تقدير يجري تنقيحه وتفصيله في العملية التشاورية.',
          en: 'Section IX: an estimate to be revised and detailed in the consultative process.',
        },
      },
    ],
  },
  {
    code: 'UNH-SP-2026-2029',
    names: {
      ar: 'الخطة الاستراتيجية لموئل الأمم المتحدة للفترة 2026-2029',
      en: 'UN-Habitat Strategic Plan 2026-2029',
      fr: 'Plan stratégique d’ONU-Habitat pour 2026-2029',
      es: 'Plan Estratégico de ONU-Hábitat para 2026-2029',
      ru: 'Стратегический план ООН-Хабитат на 2026–2029 годы',
      zh: '联合国人居署 2026-2029 年战略计划',
    },
    descriptions: {
      ar: 'التركيز الاستراتيجي: توفير السكن اللائق والأراضي والخدمات الأساسية للجميع، والتحول في المستوطنات العشوائية والأحياء الفقيرة. النتائج المقررة مرتبة في تسلسل هرمي: المخرجات، والنتائج، والآثار.',
      en: 'Strategic focus: adequate housing, land and basic services for all, and the transformation of informal settlements and slums. Planned results in a hierarchy: outputs, outcomes, impacts.',
    },
    startYear: 2026,
    endYear: 2029,
    status: 'planned',
    reference:
      'UN-Habitat Executive Board, second session of 2024, provisional agenda item 6: development of the strategic plan for 2026-2029 (seed 001)',
    reportingOrg: { type: MULTILATERAL, names: UN_HABITAT },
    pillars: [
      {
        code: 'MOI-1',
        kind: 'means-of-implementation',
        names: {
          ar: 'التخطيط، والإدارة، والاستثمار والتمويل الحضري والإقليمي المتكامل',
          en: 'Integrated urban and territorial planning, management, investment and finance',
        },
      },
      {
        code: 'MOI-2',
        kind: 'means-of-implementation',
        names: {
          ar: 'الحوكمة التشاركية المتعددة المستويات وإضفاء الطابع المحلي على أهداف التنمية المستدامة',
          en: 'Participatory multilevel governance and localization of the SDGs',
        },
      },
      {
        code: 'MOI-3',
        kind: 'means-of-implementation',
        names: {
          ar: 'المعرفة، والبيانات، والرقمنة، والاستشراف، وبناء القدرات',
          en: 'Knowledge, data, digitalization, foresight and capacity building',
        },
      },
      {
        code: 'MOI-4',
        kind: 'means-of-implementation',
        names: {
          ar: 'الشراكات، والتحالفات، والدعوة والاتصالات',
          en: 'Partnerships, alliances, advocacy and communication',
        },
      },
      {
        code: 'MOI-5',
        kind: 'means-of-implementation',
        names: { ar: 'التعبئة الفعالة للموارد', en: 'Effective resource mobilization' },
      },
    ],
    places: [],
    partners: [],
    // Seed 001 §40: planned results are achieved through interventions using all means of implementation in all impact
    // areas.
    results: [
      {
        code: 'IA-1',
        level: 'impact',
        pillars: ['MOI-1', 'MOI-2', 'MOI-3', 'MOI-4', 'MOI-5'],
        titles: {
          ar: 'الازدهار المنصف والشامل من أجل القضاء على الفقر',
          en: 'Equitable and inclusive prosperity for poverty eradication',
        },
        measures: [
          {
            kind: 'indicator',
            indicator: '11.1.1',
            places: PILOT_CITIES,
            aggregation: 'mean',
            baselineYear: 2024,
            targets: [{ year: 2029, factorOfBaseline: 0.85 }],
            demo: true,
          },
        ],
      },
      {
        code: 'IA-2',
        level: 'impact',
        pillars: ['MOI-1', 'MOI-2', 'MOI-3', 'MOI-4', 'MOI-5'],
        titles: {
          ar: 'الوقاية من الأزمات والاستجابة لها والتعافي منها',
          en: 'Crisis prevention, response and recovery',
        },
      },
      {
        code: 'IA-3',
        level: 'impact',
        pillars: ['MOI-1', 'MOI-2', 'MOI-3', 'MOI-4', 'MOI-5'],
        titles: { ar: 'البيئة والعمل المناخي', en: 'Environment and climate action' },
        measures: [
          {
            kind: 'indicator',
            indicator: '11.6.2',
            places: PILOT_CITIES,
            aggregation: 'mean',
            baselineYear: 2024,
            targets: [{ year: 2029, factorOfBaseline: 0.8 }],
            demo: true,
          },
          {
            kind: 'indicator',
            indicator: '11.6.1',
            places: PILOT_CITIES,
            aggregation: 'mean',
            baselineYear: 2024,
            targets: [{ year: 2029, factorOfBaseline: 1.1 }],
            demo: true,
          },
        ],
      },
    ],
    budget: [],
  },
  {
    code: 'ESCWA-NUA-IRP',
    names: {
      ar: 'مشروع التعاون الأقاليمي لتنفيذ الخطة الحضرية الجديدة',
      en: 'Inter-regional cooperation project on implementing the New Urban Agenda',
      fr: 'Projet de coopération interrégionale pour la mise en œuvre du Nouveau Programme pour les villes',
      es: 'Proyecto de cooperación interregional para la implementación de la Nueva Agenda Urbana',
      ru: 'Межрегиональный проект сотрудничества по осуществлению Новой программы развития городов',
      zh: '执行《新城市议程》区域间合作项目',
    },
    descriptions: {
      ar: 'تنفذه اللجنة الاقتصادية والاجتماعية لغربي آسيا (الإسكوا) بالتعاون مع برنامج الأمم المتحدة للمستوطنات البشرية (الموئل)، باتباع نهج تشاركي، حتى منتصف عام 2023؛ أُطلق في أكادير في 8 كانون الأول/ديسمبر 2021.',
      en: 'Carried out by ESCWA with UN-Habitat, with a participatory approach, until mid-2023; launched in Agadir on 8 December 2021.',
    },
    startYear: 2021,
    endYear: 2023,
    status: 'under-way',
    reference:
      'ESCWA: launch meeting of the inter-regional cooperation project on implementing the New Urban Agenda, Agadir, 8 December 2021 (seed 003)',
    reportingOrg: { type: MULTILATERAL, names: ESCWA },
    pillars: [
      {
        code: 'P1',
        kind: 'pillar',
        names: {
          ar: 'تقديم الدعم الفني من التخطيط إلى التنفيذ إلى الرصد والمتابعة',
          en: 'Technical support from planning to implementation to monitoring and follow-up',
        },
      },
      {
        code: 'P2',
        kind: 'pillar',
        names: {
          ar: 'جمع البيانات والرصد والمتابعة وتبادل المعرفة',
          en: 'Data collection, monitoring and follow-up, and knowledge exchange',
        },
      },
      { code: 'P3', kind: 'pillar', names: { ar: 'تعزيز القدرات والتدريب', en: 'Capacity building and training' } },
    ],
    places: [
      {
        place: 'MAAGA',
        role: 'pilot',
        notes: {
          ar: 'ينفذ المشروع بالتعاون الوثيق مع المدن المتحدة والحكومات المحلية وجهة سوس ماسة ومدينة أكادير ووزارة الداخلية المغربية.',
          en: 'Carried out in close cooperation with United Cities and Local Governments (UCLG), the Souss-Massa region, the city of Agadir and the Moroccan Ministry of the Interior.',
        },
      },
      { place: 'JOAMM', role: 'pilot' },
      { place: 'ECUIO', role: 'pilot' },
      { place: 'KZALA', role: 'pilot' },
      {
        place: 'PHL',
        role: 'pilot',
        notes: { ar: 'لا يسمي العرض مدينة في الفلبين.', en: 'The presentation names no city in the Philippines.' },
      },
      { place: 'KHBBM', role: 'pilot' },
      { place: 'CUHAV', role: 'pilot' },
      { place: 'CRSJO', role: 'pilot' },
      { place: 'LSMSU', role: 'pilot' },
    ],
    partners: [
      UN_HABITAT,
      { ar: 'اللجنة الاقتصادية لأفريقيا', en: 'Economic Commission for Africa (ECA)' },
      { ar: 'اللجنة الاقتصادية لأوروبا', en: 'Economic Commission for Europe (ECE)' },
      {
        ar: 'اللجنة الاقتصادية والاجتماعية لآسيا والمحيط الهادئ',
        en: 'Economic and Social Commission for Asia and the Pacific (ESCAP)',
      },
    ],
    results: [
      {
        code: 'OBJ-1',
        level: 'outcome',
        titles: {
          ar: 'زيادة اتساق السياسات بين الدول الأعضاء وتعزيز القدرات في تنفيذ الخطة الحضرية الجديدة وأهداف التنمية المستدامة المتعلقة بالتنمية الحضرية من أجل تعزيز التعاون بين الأقاليم وتبادل المعرفة',
          en: 'Greater policy coherence among member states and stronger capacities to implement the New Urban Agenda and the urban SDGs, for inter-regional cooperation and knowledge exchange',
        },
      },
      {
        code: 'OBJ-2',
        level: 'outcome',
        titles: {
          ar: 'دعم صانعي القرار على المستويين الوطني والمحلي لتطوير خطط عمل حضرية متكاملة من أجل تنفيذ ورصد وإعداد التقارير حول الخطة الحضرية الجديدة وإضفاء الطابع المحلي على أهداف التنمية المستدامة (الهدف 11)',
          en: 'Decision makers at national and local levels supported to develop integrated urban action plans to implement, monitor and report on the New Urban Agenda and localise the SDGs (Goal 11)',
        },
        measures: [
          {
            kind: 'indicator',
            indicator: '11.6.1',
            places: PILOT_CITIES,
            aggregation: 'mean',
            baselineYear: 2021,
            targets: [{ year: 2023, factorOfBaseline: 1.05 }],
            demo: true,
          },
          {
            kind: 'indicator',
            indicator: '11.2.1',
            places: PILOT_CITIES,
            aggregation: 'mean',
            baselineYear: 2021,
            targets: [{ year: 2023, factorOfBaseline: 1.05 }],
            demo: true,
          },
        ],
      },
      {
        code: 'OBJ-3',
        level: 'outcome',
        titles: {
          ar: 'إنشاء آليات لتبادل المعلومات والممارسات الجيدة العالمية والإقليمية والوطنية',
          en: 'Mechanisms for exchanging information and good practices at global, regional and national levels',
        },
      },
      {
        code: 'OBJ-4',
        level: 'outcome',
        titles: {
          ar: 'الحث على اتباع نهج تشاركي وإدماج جميع أصحاب المصلحة في صنع القرار الشامل والقائم على الأدلة حول التنمية الحضرية على المستوى الوطني',
          en: 'A participatory approach involving all stakeholders in inclusive, evidence-based decision-making on urban development at national level',
        },
      },
      {
        code: 'OUT-1',
        level: 'output',
        titles: {
          ar: 'دعم واضعي السياسات وصناع القرار على وضع خطط وسياسات متكاملة عبر القطاعات تتماشى مع الخطة الحضرية الجديدة والهدف 11، وتعزيز قدراتهم على متابعة ورصد التقدم المحرز في تنفيذها',
          en: 'Policymakers and decision makers supported to develop integrated cross-sectoral plans and policies in line with the New Urban Agenda and SDG 11, and their capacity to monitor progress strengthened',
        },
      },
      {
        code: 'OUT-2',
        level: 'output',
        titles: {
          ar: 'تعزيز التعاون الأقاليمي وتبادل أفضل الممارسات فيما يتعلق بتنفيذ الهدف 11 من أهداف التنمية المستدامة والخطة الحضرية الجديدة',
          en: 'Inter-regional cooperation and exchange of best practices on implementing SDG 11 and the New Urban Agenda',
        },
        measures: [
          {
            kind: 'specific',
            names: { ar: 'عدد فعاليات تبادل المعرفة المنظمة', en: 'Knowledge-exchange events organised' },
            ascending: true,
            baselineYear: 2021,
            baselineValue: 0,
            targets: [{ year: 2023, value: 3 }],
            actuals: [{ year: 2022, value: 1, source: DEMO_SOURCE }],
            demo: true,
          },
        ],
      },
      {
        code: 'ACT-1',
        level: 'activity',
        titles: {
          ar: 'تحديد أدوات الرصد والمتابعة التي يمكن استخدامها بما يتناسب مع الأولويات التنموية الحضرية التي تم تحديدها على المستوى الوطني والمحلي',
          en: 'Identify monitoring tools suited to the urban development priorities set at national and local levels',
        },
      },
      {
        code: 'ACT-2',
        level: 'activity',
        titles: {
          ar: 'تنظيم ورش عمل لتعزيز القدرات حول استخدام هذه الأدوات وجمع البيانات ورصد القضايا التنموية الحضرية الوطنية والمحلية ومتابعتها وتقديم الدعم الفني',
          en: 'Capacity-building workshops on using these tools, collecting data and monitoring national and local urban development issues, with technical support',
        },
        measures: [
          {
            kind: 'specific',
            names: { ar: 'عدد ورش العمل المنظمة لتعزيز القدرات', en: 'Capacity-building workshops held' },
            ascending: true,
            baselineYear: 2021,
            baselineValue: 0,
            targets: [{ year: 2023, value: 9 }],
            actuals: [{ year: 2022, value: 4, source: DEMO_SOURCE }],
            demo: true,
          },
        ],
      },
      {
        code: 'ACT-3',
        level: 'activity',
        places: ['MAR', 'MAAGA'],
        titles: {
          ar: 'تحديد الأولويات الوطنية والمحلية المتعلقة بالتنمية الحضرية في المغرب وأكادير على وجه التحديد',
          en: 'Identify the national and local urban development priorities in Morocco, and in Agadir in particular',
        },
      },
      {
        code: 'ACT-4',
        level: 'activity',
        titles: {
          ar: 'إنشاء آلية اتصال مع أصحاب المصلحة المعنيين تستمر طوال فترة المشروع',
          en: 'A communication mechanism with the stakeholders concerned, for the whole project',
        },
      },
      {
        code: 'ACT-5',
        level: 'activity',
        titles: {
          ar: 'تطوير منهجيات / دليل إقليمي لدعم صانعي السياسات في تطوير سياسات متكاملة تشمل آليات الرصد والمتابعة لتعزيز التنمية الحضرية المستدامة',
          en: 'A regional methodology / guide supporting policymakers in developing integrated policies with monitoring mechanisms for sustainable urban development',
        },
      },
      {
        code: 'ACT-6',
        level: 'activity',
        titles: {
          ar: 'تنظيم ورش عمل وطنية ومحلية وتقديم الدعم الفني (خدمات استشارية) لاستخدام الدليل',
          en: 'National and local workshops and technical support (advisory services) on using the guide',
        },
      },
      {
        code: 'ACT-7',
        level: 'activity',
        titles: {
          ar: 'إنشاء أو تطوير منصات لتبادل الخبرات والممارسات الفضلى وتنظيم فعاليات تساهم في نشر المعرفة',
          en: 'Create or develop platforms to exchange experience and best practices, and hold events that spread knowledge',
        },
      },
    ],
    budget: [
      {
        labels: { ar: 'ورش العمل والخدمات الاستشارية', en: 'Workshops and advisory services' },
        currency: 'USD',
        year: 2022,
        amount: 120_000,
        demo: true,
      },
      {
        labels: { ar: 'منصات تبادل المعرفة', en: 'Knowledge-exchange platforms' },
        currency: 'EUR',
        year: 2022,
        amount: 40_000,
        demo: true,
      },
    ],
  },
];
