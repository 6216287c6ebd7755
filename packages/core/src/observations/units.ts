/**
 * Units of measure as files write them, compared with the unit of a series. Marsad's units are
 * codes (PERCENT, NUMBER, PER_100000 …) with names in six languages; files give SDMX codes
 * (`PT`, `PER_100000_POP`), Open SDG labels ("Percentage (%)", "Number") or the codes
 * themselves. Two units are the same when they are equal ignoring case, spacing and
 * punctuation, when one is a name of the other, or when both are spellings listed below for
 * the same unit. Anything else is another unit: a value is never converted between units,
 * only scaled by a unit multiplier the file states (SDMX `UNIT_MULT`, Open SDG "Unit multiplier").
 */

/** Spellings of the same unit: the first is Marsad's code. */
const SAME_UNITS: readonly (readonly string[])[] = [
  ['PERCENT', 'PT', '%', 'PERCENTAGE', 'PER CENT', 'PERCENT (%)', 'PERCENTAGE (%)', 'PC', 'POURCENTAGE', 'PORCENTAJE'],
  ['NUMBER', 'NUM', 'NO', 'NUMBER (NO.)', 'COUNT', 'NOMBRE', 'NÚMERO'],
  ['PER_100000', 'PER_100000_POP', 'PER 100,000 POPULATION', 'RATE PER 100,000 POPULATION', 'PER 100 000 POPULATION'],
  ['PER_1000', 'PER_1000_POP', 'PER 1,000 POPULATION', 'RATE PER 1,000 POPULATION'],
  ['RATIO', 'RATIO (X:1)'],
  ['INDEX', 'IX', 'INDEX (SCORE)'],
  ['YES_NO', 'YES/NO', 'BOOLEAN', 'YES/NO (1/0)'],
  ['UG_M3', 'MCG_M3', 'µG/M³', 'UG/M3', 'MICROGRAMS PER CUBIC METRE', 'MICROGRAMS PER CUBIC METER'],
  ['USD', 'US DOLLARS', 'CU_USD', 'USD ($)'],
  ['MINUTES', 'MIN', 'MINUTE'],
  ['SQ_M_PER_CAPITA', 'M2_PER_CAPITA', 'SQUARE METRES PER INHABITANT'],
];

/** Upper case, the spaces and underscores of a code or label made one. */
function norm(unit: string): string {
  return unit
    .normalize('NFKC')
    .trim()
    .toLocaleUpperCase('en')
    .replace(/[\s_]+/g, ' ');
}

const CANONICAL = new Map<string, string>();
for (const group of SAME_UNITS) for (const u of group) CANONICAL.set(norm(u), norm(group[0] ?? u));

/** The unit a spelling stands for (its Marsad code when it is a known spelling), normalised. */
export function canonicalUnit(unit: string): string {
  const n = norm(unit);
  return CANONICAL.get(n) ?? n;
}

/**
 * Whether the unit a file gives is the unit of a series: `seriesUnit` is the series' code,
 * `seriesUnitNames` its names (any language).
 */
export function sameUnit(fileUnit: string, seriesUnit: string, seriesUnitNames: Iterable<string> = []): boolean {
  const f = canonicalUnit(fileUnit);
  if (f === canonicalUnit(seriesUnit)) return true;
  for (const name of seriesUnitNames) if (name && f === canonicalUnit(name)) return true;
  return false;
}

/** Words for powers of ten, as Open SDG's "Unit multiplier" column and SDMX's CL_UNIT_MULT labels write them. */
const MULTIPLIER_WORDS: Record<string, number> = {
  UNIT: 0,
  UNITS: 0,
  ONE: 0,
  ONES: 0,
  TENS: 1,
  HUNDREDS: 2,
  THOUSAND: 3,
  THOUSANDS: 3,
  'TEN THOUSANDS': 4,
  'HUNDRED THOUSANDS': 5,
  MILLION: 6,
  MILLIONS: 6,
  BILLION: 9,
  BILLIONS: 9,
  TRILLION: 12,
  TRILLIONS: 12,
  MILLIERS: 3,
  MILLIARDS: 9,
  MILES: 3,
  MILLONES: 6,
  ТЫСЯЧИ: 3,
  ТЫСЯЧ: 3,
  МИЛЛИОНЫ: 6,
  МИЛЛИОНОВ: 6,
  آلاف: 3,
  ملايين: 6,
};

/**
 * The power of ten a unit multiplier stands for: an SDMX code (`0`, `3`, `6`, `-3`) or a word
 * ("Units", "Thousands", "Millions"). Blank: 0. Anything else: an error message.
 */
export function parseUnitMultiplier(
  text: string | number,
): { ok: true; exponent: number } | { ok: false; message: string } {
  if (typeof text === 'number') {
    return Number.isInteger(text) && Math.abs(text) <= 15
      ? { ok: true, exponent: text }
      : { ok: false, message: `unit multiplier ${text} is not a power of ten between -15 and 15` };
  }
  const t = text.trim();
  if (t === '') return { ok: true, exponent: 0 };
  if (/^[+-]?\d{1,2}$/.test(t)) return parseUnitMultiplier(Number(t));
  const word = MULTIPLIER_WORDS[norm(t)];
  if (word !== undefined) return { ok: true, exponent: word };
  return {
    ok: false,
    message: `"${t}" is not a unit multiplier: give a power of ten (0, 3, 6 as in SDMX) or Units, Thousands, Millions, Billions`,
  };
}

/** value × 10^exponent, without the float noise of the product (0.1 × 1000 is 100, not 100.00000000000001). */
export function scaleByPowerOfTen(value: number, exponent: number): number {
  if (exponent === 0) return value;
  return Number((value * 10 ** exponent).toPrecision(15));
}
