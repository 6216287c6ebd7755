import type { SafetyFrameworkIndicator, SafetyFrameworkStructure } from '@marsad/core';

/**
 * UN-Habitat's Urban Safety Monitor ("The Bigger Picture") as far as it is confirmed (../shared/docs/DOMAIN.md,
 * "Urban safety"; docs/methods/safety-index.md): 15 indicators in three themes — Crime, Community, Local
 * Governance; under Crime the indicators crime statistics, integrated security responses, perceptions of justice
 * and safety, and justice; measures such as recidivism and attacks on property and people; data sources such as
 * police records, local safety audits, hospital and school reports. Nothing else is confirmed: the other 11
 * indicators are empty slots, not yet under a theme (the split of the 15 over the themes is not confirmed either),
 * for an administrator to fill. Where a named measure or source sits under an indicator, that placement is
 * Marsad's (`placement: 'marsad'`), to be confirmed, and so is each measure's tie to catalogue indicators.
 * The translations of the names are Marsad's, to be reviewed.
 */
export const USM_FRAMEWORK = 'usm';

export const USM_CITATION =
  'UN-Habitat, Urban Safety Monitor ("The Bigger Picture"), built with Efus after the expert group meeting on the Urban Safety Monitor held online from Madrid in October 2020.';

const slot = (n: number): SafetyFrameworkIndicator => ({
  code: `slot-${String(n).padStart(2, '0')}`,
  names: {},
  status: 'slot',
  placement: 'marsad',
  measures: [],
});

export function usmSeedStructure(): SafetyFrameworkStructure {
  return {
    code: USM_FRAMEWORK,
    names: {
      ar: 'مرصد الأمان الحضري (موئل الأمم المتحدة)',
      en: 'Urban Safety Monitor (UN-Habitat)',
      fr: 'Urban Safety Monitor (ONU-Habitat)',
      es: 'Urban Safety Monitor (ONU-Hábitat)',
      ru: 'Urban Safety Monitor (ООН-Хабитат)',
      zh: '城市安全监测（联合国人居署）',
    },
    source: {
      citation: USM_CITATION,
      note: {
        ar: 'المؤكَّد: 15 مؤشراً في ثلاثة محاور (الجريمة، المجتمع المحلي، الحوكمة المحلية)؛ وتحت الجريمة: إحصاءات الجريمة، والاستجابات الأمنية المتكاملة، وتصورات العدالة والأمان، والعدالة. المقاييس ومصادر البيانات مسمّاة في المصدر، أما وضعها تحت مؤشر بعينه فمن عمل مرصد ويحتاج إلى تأكيد. توزيع المؤشرات الـ15 على المحاور وأسماء المؤشرات الـ11 الأخرى غير مؤكدة: هي خانات فارغة يملؤها المسؤول.',
        en: 'Confirmed: 15 indicators in three themes (Crime, Community, Local Governance); under Crime the indicators crime statistics, integrated security responses, perceptions of justice and safety, and justice. The measures and data sources are named by the source; where one sits under an indicator, that placement is Marsad’s, to be confirmed. The split of the 15 indicators over the themes and the names of the other 11 are not confirmed: they are empty slots for an administrator to fill.',
      },
    },
    indicatorCount: 15,
    themeSplitConfirmed: false,
    themes: [
      {
        code: 'crime',
        placement: 'source',
        names: { ar: 'الجريمة', en: 'Crime', fr: 'Criminalité', es: 'Delincuencia', ru: 'Преступность', zh: '犯罪' },
        indicators: [
          {
            code: 'crime-statistics',
            status: 'named',
            placement: 'source',
            names: {
              ar: 'إحصاءات الجريمة',
              en: 'Crime statistics',
              fr: 'Statistiques de la criminalité',
              es: 'Estadísticas delictivas',
              ru: 'Статистика преступности',
              zh: '犯罪统计',
            },
            measures: [
              {
                code: 'attacks-on-property-and-people',
                placement: 'marsad',
                names: {
                  ar: 'الاعتداءات على الممتلكات والأشخاص',
                  en: 'Attacks on property and people',
                  fr: 'Atteintes aux biens et aux personnes',
                  es: 'Ataques contra la propiedad y las personas',
                  ru: 'Посягательства на имущество и людей',
                  zh: '对财产和人身的侵害',
                },
                // Marsad's tie: homicide (SDG 16.1.1) and the police-recorded offences of Marsad's draft matrix.
                indicators: ['16.1.1', 'USM-CV-01', 'USM-CV-02', 'USM-CV-05'],
                sources: [
                  {
                    code: 'police-records',
                    placement: 'marsad',
                    names: {
                      ar: 'سجلات الشرطة',
                      en: 'Police records',
                      fr: 'Registres de la police',
                      es: 'Registros policiales',
                      ru: 'Полицейские записи',
                      zh: '警方记录',
                    },
                  },
                  {
                    code: 'hospital-reports',
                    placement: 'marsad',
                    names: {
                      ar: 'تقارير المستشفيات',
                      en: 'Hospital reports',
                      fr: 'Rapports des hôpitaux',
                      es: 'Informes de hospitales',
                      ru: 'Отчёты больниц',
                      zh: '医院报告',
                    },
                  },
                  {
                    code: 'school-reports',
                    placement: 'marsad',
                    names: {
                      ar: 'تقارير المدارس',
                      en: 'School reports',
                      fr: 'Rapports des écoles',
                      es: 'Informes de escuelas',
                      ru: 'Отчёты школ',
                      zh: '学校报告',
                    },
                  },
                  {
                    code: 'local-safety-audits',
                    placement: 'marsad',
                    names: {
                      ar: 'عمليات التدقيق المحلية للأمان',
                      en: 'Local safety audits',
                      fr: 'Audits locaux de sécurité',
                      es: 'Auditorías locales de seguridad',
                      ru: 'Местные аудиты безопасности',
                      zh: '地方安全审计',
                    },
                  },
                ],
              },
            ],
          },
          {
            code: 'integrated-security-responses',
            status: 'named',
            placement: 'source',
            names: {
              ar: 'الاستجابات الأمنية المتكاملة',
              en: 'Integrated security responses',
              fr: 'Réponses de sécurité intégrées',
              es: 'Respuestas de seguridad integradas',
              ru: 'Комплексные меры реагирования в сфере безопасности',
              zh: '综合安全应对',
            },
            measures: [],
          },
          {
            code: 'perceptions-of-justice-and-safety',
            status: 'named',
            placement: 'source',
            names: {
              ar: 'تصورات العدالة والأمان',
              en: 'Perceptions of justice and safety',
              fr: 'Perceptions de la justice et de la sécurité',
              es: 'Percepciones de la justicia y la seguridad',
              ru: 'Восприятие правосудия и безопасности',
              zh: '对司法与安全的感知',
            },
            measures: [],
          },
          {
            code: 'justice',
            status: 'named',
            placement: 'source',
            names: { ar: 'العدالة', en: 'Justice', fr: 'Justice', es: 'Justicia', ru: 'Правосудие', zh: '司法' },
            measures: [
              {
                code: 'recidivism',
                placement: 'marsad',
                names: {
                  ar: 'العود إلى الإجرام',
                  en: 'Recidivism',
                  fr: 'Récidive',
                  es: 'Reincidencia',
                  ru: 'Рецидивизм',
                  zh: '再犯',
                },
                // No catalogue indicator measures recidivism yet: nothing to tie, nothing to prefill.
                indicators: [],
                sources: [
                  {
                    code: 'police-records',
                    placement: 'marsad',
                    names: {
                      ar: 'سجلات الشرطة',
                      en: 'Police records',
                      fr: 'Registres de la police',
                      es: 'Registros policiales',
                      ru: 'Полицейские записи',
                      zh: '警方记录',
                    },
                  },
                ],
              },
            ],
          },
        ],
      },
      {
        code: 'community',
        placement: 'source',
        names: {
          ar: 'المجتمع المحلي',
          en: 'Community',
          fr: 'Communauté',
          es: 'Comunidad',
          ru: 'Сообщество',
          zh: '社区',
        },
        indicators: [],
      },
      {
        code: 'local-governance',
        placement: 'source',
        names: {
          ar: 'الحوكمة المحلية',
          en: 'Local Governance',
          fr: 'Gouvernance locale',
          es: 'Gobernanza local',
          ru: 'Местное управление',
          zh: '地方治理',
        },
        indicators: [],
      },
    ],
    unplaced: Array.from({ length: 11 }, (_, i) => slot(i + 1)),
  };
}
