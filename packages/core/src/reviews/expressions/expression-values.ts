/**
 * Values of expressions and their conversions, as in XPath 1.0 (what XLSForm/ODK use), with
 * one addition: a text that is a date 'YYYY-MM-DD' is, as a number, its day number (days since
 * 1970-01-01), so dates compare and subtract as dates (ODK does the same with its date values).
 * An empty answer is the text '' — as a number NaN, as a boolean false.
 */
import { dayNumber, daysInMonth } from '../../calendar/civil-date.ts';

export type ExpressionValue = string | number | boolean;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const XPATH_NUMBER = /^\s*-?(\d+(\.\d*)?|\.\d+)\s*$/;

/** The day number of a valid date 'YYYY-MM-DD', else null. */
export function dateDayNumber(text: string): number | null {
  const m = DATE.exec(text.trim());
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return dayNumber(year, month, day);
}

/** Whether a text is a valid date 'YYYY-MM-DD'. */
export function isDateText(text: string): boolean {
  return dateDayNumber(text) !== null;
}

/** XPath number(): numbers as they are, true 1, false 0, texts parsed ('' and other text: NaN; dates: day numbers). */
export function toNumber(v: ExpressionValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (XPATH_NUMBER.test(v)) return Number(v.trim());
  return dateDayNumber(v) ?? Number.NaN;
}

/** XPath string(): numbers without a useless ".0" ("NaN", "Infinity"), booleans "true"/"false". */
export function toText(v: ExpressionValue): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return 'Infinity';
  if (v === Number.NEGATIVE_INFINITY) return '-Infinity';
  if (Object.is(v, -0)) return '0';
  return String(v);
}

/** XPath boolean(): a number is true unless 0 or NaN; a text unless empty. */
export function toBoolean(v: ExpressionValue): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  return v.length > 0;
}

/** The choices of a select-multiple answer held in a text ('a b c'), as ODK keeps them. */
export function selectedItems(v: ExpressionValue): string[] {
  const text = toText(v).trim();
  return text ? text.split(/\s+/) : [];
}
