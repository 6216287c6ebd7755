/**
 * How files write the values of Marsad's dimensions beyond the names in the catalogue: other common forms of the
 * sex codes in the six languages, the words for "all" (no breakdown), and age bands written in words or numbers
 * ("15-24", "15 to 24", "65 and over") read as the SDMX age codes (Y15T24, Y_GE65). Compared folded
 * (core's normaliseForSearch: case, accents and Arabic letter forms aside).
 */
import { normaliseForSearch } from '@marsad/core';

/** Other labels of a dimension's values, by dimension code and value code (the catalogue's names are found too). */
export const VALUE_SYNONYMS: Record<string, Record<string, string[]>> = {
  SEX: {
    F: [
      'female',
      'females',
      'woman',
      'women',
      'girl',
      'girls',
      'أنثى',
      'اناث',
      'نساء',
      'فتيات',
      'بنات',
      'امراه',
      'femme',
      'femmes',
      'fille',
      'filles',
      'féminin',
      'mujer',
      'mujeres',
      'niña',
      'niñas',
      'femenino',
      'женщина',
      'женщины',
      'девочка',
      'девочки',
      'женский',
      'ж',
      '女',
      '女性',
      '女孩',
    ],
    M: [
      'male',
      'males',
      'man',
      'men',
      'boy',
      'boys',
      'ذكر',
      'ذكور',
      'رجال',
      'رجل',
      'فتيان',
      'أولاد',
      'homme',
      'hommes',
      'garçon',
      'garçons',
      'masculin',
      'hombre',
      'hombres',
      'niño',
      'niños',
      'masculino',
      'мужчина',
      'мужчины',
      'мальчик',
      'мальчики',
      'мужской',
      'м',
      '男',
      '男性',
      '男孩',
    ],
  },
  URBANISATION: {
    U: ['urban', 'urban areas', 'town', 'towns', 'حضر', 'urbain', 'urbana', 'город', 'городская', '城镇'],
    R: ['rural', 'rural areas', 'ريف', 'rurale', 'село', 'сельская', '乡村'],
  },
};

/** Words that mean "every value": no breakdown by that dimension. */
const TOTALS = new Set(
  [
    '_T',
    '_Z',
    'total',
    'totals',
    'all',
    'both sexes',
    'all ages',
    'all persons',
    'المجموع',
    'الاجمالي',
    'الكل',
    'ensemble',
    'tous',
    'todos',
    'ambos sexos',
    'всего',
    'итого',
    'все',
    '合计',
    '总计',
    '总数',
  ].map((w) => normaliseForSearch(w)),
);

/** Whether a cell says "all" (Total, المجموع, Ensemble, Всего …). */
export function isTotalLabel(value: string): boolean {
  return TOTALS.has(normaliseForSearch(value));
}

const AGE_CODE = /^(?:Y\d{1,3}(?:T\d{1,3})?|Y_GE\d{1,3}|Y_LT\d{1,3}|M\d{1,3}(?:T\d{1,3})?|_T)$/;
const YEARS = '(?:\\s*(?:years?|yrs?|y|ans?|años?|лет|года?|سنة|سنه|岁))?';

/**
 * The SDMX code of an age band written as a code (Y15T24, Y_GE65, M0T11) or in words and numbers: "15-24",
 * "15 to 24", "15–24 years", "65+", "65 and over", "65 or older", "under 5", "<5", "2"; else undefined.
 */
export function ageBandCode(written: string): string | undefined {
  const t = written.trim();
  if (AGE_CODE.test(t)) return t;
  const s = normaliseForSearch(t)
    .replace(/[\u2010-\u2015]/g, '-')
    .replace(/^(?:aged?|ages)\s+/, '');
  let m = new RegExp(`^(\\d{1,3})\\s*(?:-|to|à|a|до|إلى|الى)\\s*(\\d{1,3})${YEARS}$`).exec(s);
  if (m && Number(m[1]) < Number(m[2])) return `Y${Number(m[1])}T${Number(m[2])}`;
  m = new RegExp(
    `^(\\d{1,3})${YEARS}\\s*(?:\\+|and over|and older|or over|or older|and above|et plus|y más|y mas|и старше|فاكثر|فأكثر|及以上)$`,
  ).exec(s);
  if (m) return `Y_GE${Number(m[1])}`;
  m = new RegExp(`^(?:under|less than|below|<|moins de|menos de|до|младше|اقل من)\\s*(\\d{1,3})${YEARS}$`).exec(s);
  if (m) return `Y_LT${Number(m[1])}`;
  m = new RegExp(`^(\\d{1,3})${YEARS}$`).exec(s);
  if (m) return `Y${Number(m[1])}`;
  return undefined;
}

/** Names in the six languages of an SDMX age code in years (Y15T24, Y_GE65, Y_LT5, Y2), as the catalogue writes them. */
export function ageBandNames(code: string): Record<string, string> | undefined {
  let m = /^Y(\d+)T(\d+)$/.exec(code);
  if (m) {
    const [a, b] = [m[1], m[2]];
    return {
      ar: `من ${a} إلى ${b} سنة`,
      en: `${a} to ${b} years`,
      fr: `${a} à ${b} ans`,
      es: `${a} a ${b} años`,
      ru: `от ${a} до ${b} лет`,
      zh: `${a}-${b}岁`,
    };
  }
  m = /^Y_GE(\d+)$/.exec(code);
  if (m) {
    const a = m[1];
    return {
      ar: `${a} سنة فأكثر`,
      en: `${a} years and over`,
      fr: `${a} ans et plus`,
      es: `${a} años y más`,
      ru: `${a} лет и старше`,
      zh: `${a}岁及以上`,
    };
  }
  m = /^Y_LT(\d+)$/.exec(code);
  if (m) {
    const a = m[1];
    return {
      ar: `أقل من ${a} سنة`,
      en: `under ${a} years`,
      fr: `moins de ${a} ans`,
      es: `menos de ${a} años`,
      ru: `до ${a} лет`,
      zh: `${a}岁以下`,
    };
  }
  m = /^Y(\d+)$/.exec(code);
  if (m) {
    const a = m[1];
    return { ar: `${a} سنة`, en: `${a} years`, fr: `${a} ans`, es: `${a} años`, ru: `${a} лет`, zh: `${a}岁` };
  }
  return undefined;
}
