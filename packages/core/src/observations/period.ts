import { civilDate, dayNumber, daysInMonth } from '../calendar/civil-date.ts';
/**
 * The period grammar of observations.
 *
 * Files write periods in many ways ("2024Q1", "2017/18", "202401", "2017-07-01/P1Y", ...).
 * `parsePeriod` reads every accepted form and returns one canonical `Period`: a code plus the
 * inclusive ISO start and end dates. Every (start, end) pair has exactly one canonical code —
 * a date range that happens to cover a whole month, quarter, ISO week, year, ... gets the code
 * of that month, quarter, ... — so codes can be compared, stored and indexed as they are.
 *
 * Canonical codes:
 *   year 2024 · half 2024-S1 · quarter 2024-Q1 · month 2024-01 · ISO week 2024-W05 ·
 *   day 2024-01-15 · financial year 2017-18 · span of years 1990-1999 ·
 *   any other run of days 2024-01-15/2024-03-31.
 *
 * Two deliberate readings of ambiguous text:
 *   - `YYYY-YYYY` with four-digit years is always a span of years, never a financial year.
 *   - `YYYY-NN` with NN from 01 to 12 is always a month. The financial years 2000-01 … 2011-12
 *     (and likewise in other centuries) therefore cannot be written `2005-06`; they are read
 *     from `2005/06`, `2005/2006` or `FY2005-06`, and their canonical code is `FY2005-06`.
 *   - `YYYY-NN` and `YYYY/NN` whose second year is later than the next one are spans of years, as Open SDG
 *     files write periods of several years (`2011-13`, `2013/16` → 2011-2013, 2013-2016); `FY2017-19` stays an error.
 *
 * Dates use the proleptic Gregorian calendar, years 1000 to 9999 (a database date has no year 0, and
 * no statistics are dated before 1000: a year 0000 or 0202 is a typing mistake). No I/O, no dependencies.
 */

export type PeriodKind = 'year' | 'half' | 'quarter' | 'month' | 'week' | 'day' | 'financial-year' | 'span' | 'range';

export interface Period {
  /** The canonical code, e.g. "2024-Q1" or "2017-18". */
  code: string;
  kind: PeriodKind;
  /** First day, ISO "YYYY-MM-DD", inclusive. */
  start: string;
  /** Last day, ISO "YYYY-MM-DD", inclusive. */
  end: string;
}

export type PeriodResult = { ok: true; period: Period } | { ok: false; message: string };

export interface PeriodOptions {
  /** Month (2–12) in which financial years start; default 7, i.e. July to June. */
  financialYearStartMonth?: number;
}

// ─── Calendar arithmetic: dates as day numbers (days since 1970-01-01) ──────────────────────

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

const floorDiv = (a: number, b: number): number => Math.floor(a / b);
const mod = (a: number, b: number): number => ((a % b) + b) % b;

/** 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday). */
function isoWeekday(days: number): number {
  return mod(days + 3, 7) + 1;
}

/** The Monday that starts ISO week 1: the week holding 4 January. */
function isoWeekOneMonday(year: number): number {
  const fourthOfJanuary = dayNumber(year, 1, 4);
  return fourthOfJanuary - (isoWeekday(fourthOfJanuary) - 1);
}

function isoWeeksInYear(year: number): number {
  return (isoWeekOneMonday(year + 1) - isoWeekOneMonday(year)) / 7;
}

/** ISO week-numbering year and week of a day (the week belongs to the year of its Thursday). */
function isoWeekOf(days: number): { year: number; week: number } {
  const thursday = days - isoWeekday(days) + 4;
  const year = civilDate(thursday).year;
  return { year, week: floorDiv(thursday - isoWeekOneMonday(year), 7) + 1 };
}

/** Adds calendar months; a day past the end of the target month is clamped to its last day. */
function addMonths(days: number, months: number): number {
  const { year, month, day } = civilDate(days);
  const index = year * 12 + (month - 1) + months;
  const targetYear = floorDiv(index, 12);
  const targetMonth = mod(index, 12) + 1;
  return dayNumber(targetYear, targetMonth, Math.min(day, daysInMonth(targetYear, targetMonth)));
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

function isoDate(days: number): string {
  const { year, month, day } = civilDate(days);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** Days of an ISO "YYYY-MM-DD" string already known to be valid (a Period's start or end). */
function daysOfIsoDate(date: string): number {
  return dayNumber(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)));
}

const FIRST_DAY = dayNumber(1000, 1, 1);
const LAST_DAY = dayNumber(9999, 12, 31);

/** What is wrong with a year-month-day triple, or null when it is a real date. */
function dateProblem(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12) return `month ${pad(month, 2)} does not exist (months run from 01 to 12)`;
  const last = daysInMonth(year, month);
  if (day < 1 || day > last) {
    return `${MONTH_NAMES[month - 1] ?? ''} ${pad(year, 4)} has days 01 to ${last}, not ${pad(day, 2)}`;
  }
  return null;
}

// ─── Canonical codes ────────────────────────────────────────────────────────────────────────

const DEFAULT_FINANCIAL_YEAR_START_MONTH = 7;

/** The financial-year start months DHIS2 has a period type for, with its id suffix. */
const DHIS2_FINANCIAL_SUFFIXES: ReadonlyMap<number, string> = new Map([
  [2, 'Feb'],
  [4, 'April'],
  [7, 'July'],
  [8, 'Aug'],
  [9, 'Sep'],
  [10, 'Oct'],
  [11, 'Nov'],
]);

const DHIS2_FINANCIAL_MONTHS: ReadonlyMap<string, number> = new Map(
  [...DHIS2_FINANCIAL_SUFFIXES].map(([month, suffix]) => [suffix.toLowerCase(), month]),
);

/** "2017-18"; "FY2005-06" when the short form would read as a month. */
function financialYearCode(firstYear: number): string {
  const secondYear = (firstYear + 1) % 100;
  const short = `${pad(firstYear, 4)}-${pad(secondYear, 2)}`;
  return secondYear >= 1 && secondYear <= 12 ? `FY${short}` : short;
}

/**
 * The one canonical period for the days start…end (inclusive, start ≤ end, both in range):
 * the named period these days make up exactly, otherwise a range.
 */
function canonicalPeriod(start: number, end: number, financialYearStartMonth: number): Period {
  const period = (kind: PeriodKind, code: string): Period => ({
    code,
    kind,
    start: isoDate(start),
    end: isoDate(end),
  });
  if (start === end) return period('day', isoDate(start));
  if (end - start === 6 && isoWeekday(start) === 1) {
    const { year, week } = isoWeekOf(start);
    return period('week', `${pad(year, 4)}-W${pad(week, 2)}`);
  }
  const first = civilDate(start);
  const next = civilDate(end + 1);
  if (first.day === 1 && next.day === 1) {
    const months = next.year * 12 + next.month - (first.year * 12 + first.month);
    const year = pad(first.year, 4);
    if (months === 1) return period('month', `${year}-${pad(first.month, 2)}`);
    if (months === 3 && first.month % 3 === 1) return period('quarter', `${year}-Q${(first.month + 2) / 3}`);
    if (months === 6 && first.month % 6 === 1) return period('half', `${year}-S${(first.month + 5) / 6}`);
    if (months === 12 && first.month === 1) return period('year', year);
    if (months === 12 && first.month === financialYearStartMonth) {
      return period('financial-year', financialYearCode(first.year));
    }
    if (months > 12 && months % 12 === 0 && first.month === 1) {
      return period('span', `${year}-${pad(next.year - 1, 4)}`);
    }
  }
  return period('range', `${isoDate(start)}/${isoDate(end)}`);
}

// ─── Messages ───────────────────────────────────────────────────────────────────────────────

const ACCEPTED_FORMS =
  'Accepted forms: a year (2024), half-year (2024-S1), quarter (2024-Q1, 2024Q1 or Q1 2024), ' +
  'month (2024-01 or 2024M01), ISO week (2024-W05 or 2024W5), day (2024-01-15), ' +
  'financial year (2017-18, 2017/18 or FY2017-18), span of years (1990-1999 or 1990 to 1999), ' +
  'date range (2024-01-15/2024-03-31, 2024-01-01/P3M or 17 May to 11 June 2023), or a DHIS2 period id ' +
  '(202401, 20240115, 2017July).';

/** The input, quoted for a message (shortened when long). */
function quote(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

interface Context {
  /** The input after trimming, as quoted in messages. */
  readonly text: string;
  readonly financialYearStartMonth: number;
}

const fail = (message: string): PeriodResult => ({ ok: false, message });

/** The canonical period of start…end, or why there is none. */
function fromDays(start: number, end: number, context: Context): PeriodResult {
  if (end < start) {
    return fail(
      `${quote(context.text)} ends before it starts: the end date must be on or after the start ` +
        'date, as in 2024-01-15/2024-03-31.',
    );
  }
  if (start < FIRST_DAY || end > LAST_DAY) {
    return fail(
      `${quote(context.text)} reaches outside the supported calendar, which runs from 1000-01-01 to 9999-12-31.`,
    );
  }
  return { ok: true, period: canonicalPeriod(start, end, context.financialYearStartMonth) };
}

// ─── One small reader per kind ──────────────────────────────────────────────────────────────

function readYear(year: number, context: Context): PeriodResult {
  return fromDays(dayNumber(year, 1, 1), dayNumber(year, 12, 31), context);
}

function readHalf(year: number, half: number, context: Context): PeriodResult {
  if (half < 1 || half > 2) {
    return fail(
      `${quote(context.text)} is not a half-year: halves are numbered 1 and 2, as in ` +
        `${pad(year, 4)}-S1 or ${pad(year, 4)}S2.`,
    );
  }
  const start = dayNumber(year, half * 6 - 5, 1);
  return fromDays(start, addMonths(start, 6) - 1, context);
}

function readQuarter(year: number, quarter: number, context: Context): PeriodResult {
  if (quarter < 1 || quarter > 4) {
    return fail(
      `${quote(context.text)} is not a quarter: quarters are numbered 1 to 4, as in ` +
        `${pad(year, 4)}-Q1 or ${pad(year, 4)}Q4.`,
    );
  }
  const start = dayNumber(year, quarter * 3 - 2, 1);
  return fromDays(start, addMonths(start, 3) - 1, context);
}

function readMonth(year: number, month: number, context: Context, example: string): PeriodResult {
  if (month < 1 || month > 12) {
    return fail(
      `${quote(context.text)} is not a month: month ${pad(month, 2)} does not exist; months run ` +
        `from 01 to 12, as in ${example}.`,
    );
  }
  const start = dayNumber(year, month, 1);
  return fromDays(start, dayNumber(year, month, daysInMonth(year, month)), context);
}

function readWeek(year: number, week: number, context: Context): PeriodResult {
  const weeks = isoWeeksInYear(year);
  if (week < 1 || week > weeks) {
    return fail(
      `${quote(context.text)} is not an ISO week: ${pad(year, 4)} has weeks 1 to ${weeks}, ` +
        `written like ${pad(year, 4)}-W05 or ${pad(year, 4)}W5.`,
    );
  }
  const start = isoWeekOneMonday(year) + (week - 1) * 7;
  return fromDays(start, start + 6, context);
}

function readDay(year: number, month: number, day: number, context: Context, example: string): PeriodResult {
  const problem = dateProblem(year, month, day);
  if (problem !== null) {
    return fail(`${quote(context.text)} is not a real date: ${problem}. Days are written like ${example}.`);
  }
  const days = dayNumber(year, month, day);
  return fromDays(days, days, context);
}

/** The later year a two-digit second year stands for (2011-13 → 2013), or the four-digit one; undefined if not later. */
function laterYear(firstYear: number, second: string): number | undefined {
  const n = Number(second);
  const year = second.length === 2 ? firstYear - (firstYear % 100) + n : n;
  return year > firstYear ? year : undefined;
}

/**
 * A financial year given by its first year and its second year as written (2 or 4 digits); a second year later than
 * the next one makes a span of years, as Open SDG files write three-year periods (2011/13 → 2011-2013), unless the
 * text says FY.
 */
function readFinancialYear(firstYear: number, second: string, context: Context, spanAllowed = false): PeriodResult {
  const expected = second.length === 2 ? (firstYear + 1) % 100 : firstYear + 1;
  const later = laterYear(firstYear, second);
  if (spanAllowed && Number(second) !== expected && later !== undefined && later > firstYear + 1) {
    return readSpan(firstYear, later, context);
  }
  if (Number(second) !== expected) {
    return fail(
      `${quote(context.text)} is not a financial year: the second year must be the year after ` +
        `the first, as in ${pad(firstYear, 4)}/${pad((firstYear + 1) % 100, 2)} or ` +
        `${pad(firstYear, 4)}/${pad(firstYear + 1, 4)}.`,
    );
  }
  return readFinancialYearFrom(firstYear, context.financialYearStartMonth, context);
}

function readFinancialYearFrom(firstYear: number, startMonth: number, context: Context): PeriodResult {
  const start = dayNumber(firstYear, startMonth, 1);
  return fromDays(start, addMonths(start, 12) - 1, context);
}

/** `YYYY-NN`: a month when NN is 01–12, otherwise a financial year such as 2017-18, or a span such as 2011-13. */
function readMonthOrFinancialYear(year: number, second: string, context: Context): PeriodResult {
  const n = Number(second);
  if (n >= 1 && n <= 12) return readMonth(year, n, context, '2024-01');
  if (n === (year + 1) % 100) return readFinancialYearFrom(year, context.financialYearStartMonth, context);
  const later = laterYear(year, second);
  if (later !== undefined) return readSpan(year, later, context);
  return fail(
    `${quote(context.text)} is neither a month (months run from 01 to 12, as in ${pad(year, 4)}-01) ` +
      `nor a financial year (the second year must follow the first, as in ${pad(year, 4)}-` +
      `${pad((year + 1) % 100, 2)}).`,
  );
}

function readSpan(firstYear: number, lastYear: number, context: Context): PeriodResult {
  if (lastYear <= firstYear) {
    return fail(
      `${quote(context.text)} is not a span of years: the second year must be later than the ` +
        `first, as in 1990-1999 (a single year is written on its own, as in 2024).`,
    );
  }
  return fromDays(dayNumber(firstYear, 1, 1), dayNumber(lastYear, 12, 31), context);
}

/** From the first day of one financial year to the last day of a later one (2007/08 to 2008/09). */
function readFinancialYears(
  first: number,
  firstSecond: string,
  last: number,
  lastSecond: string,
  context: Context,
): PeriodResult {
  const from = readFinancialYear(first, firstSecond, context);
  if (!from.ok) return from;
  const to = readFinancialYear(last, lastSecond, context);
  if (!to.ok) return to;
  if (last < first) {
    return fail(
      `${quote(context.text)} ends before it starts: the second financial year must be the same as the first or ` +
        'later, as in 2007/08 to 2008/09.',
    );
  }
  return fromDays(daysOfIsoDate(from.period.start), daysOfIsoDate(to.period.end), context);
}

function readDhis2FinancialYear(year: number, suffix: string, context: Context): PeriodResult {
  const month = DHIS2_FINANCIAL_MONTHS.get(suffix.toLowerCase());
  if (month === undefined) return fail(`${quote(context.text)} is not a recognised period. ${ACCEPTED_FORMS}`);
  return readFinancialYearFrom(year, month, context);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number of a "YYYY-MM-DD" inside a range, or a message naming the bad date. */
function rangeDate(date: string, context: Context): number | string {
  const match = ISO_DATE.exec(date);
  const [year, month, day] = [Number(match?.[1]), Number(match?.[2]), Number(match?.[3])];
  const problem = dateProblem(year, month, day);
  if (problem !== null)
    return `${quote(context.text)} is not a valid date range: ${date} is not a real date (${problem}).`;
  return dayNumber(year, month, day);
}

/** Month number (1–12) of an English month name or its first three letters ("Jun", "June"), or undefined. */
function monthOfName(name: string): number | undefined {
  const n = name.toLowerCase();
  const i = MONTH_NAMES.findIndex((m) => m.toLowerCase() === n || (n.length >= 3 && m.toLowerCase().startsWith(n)));
  return i < 0 ? undefined : i + 1;
}

/**
 * A date range in words, as Open SDG files of survey fieldwork give it: "17 May to 11 June 2023",
 * "17 May 2023 to 11 June 2023", "1 to 15 May 2023". The first date takes the month and year of the
 * last when it omits them.
 */
function readWordRange(groups: readonly (string | undefined)[], context: Context): PeriodResult {
  const [d1, m1, y1, d2, m2, y2] = groups;
  const lastMonth = monthOfName(m2 ?? '');
  const firstMonth = m1 === undefined ? lastMonth : monthOfName(m1);
  if (lastMonth === undefined || firstMonth === undefined)
    return fail(`${quote(context.text)} is not a recognised period. ${ACCEPTED_FORMS}`);
  const lastYear = int(y2);
  const firstYear = y1 === undefined ? lastYear : int(y1);
  for (const [y, m, d] of [
    [firstYear, firstMonth, int(d1)],
    [lastYear, lastMonth, int(d2)],
  ] as const) {
    const problem = dateProblem(y, m, d);
    if (problem !== null) return fail(`${quote(context.text)} is not a valid date range: ${problem}.`);
  }
  return fromDays(dayNumber(firstYear, firstMonth, int(d1)), dayNumber(lastYear, lastMonth, int(d2)), context);
}

function readRange(from: string, to: string, context: Context): PeriodResult {
  const start = rangeDate(from, context);
  if (typeof start === 'string') return fail(start);
  const end = rangeDate(to, context);
  if (typeof end === 'string') return fail(end);
  return fromDays(start, end, context);
}

const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/i;

/** SDMX `start/duration`: the period lasts until the day before start + duration. */
function readDurationRange(from: string, duration: string, context: Context): PeriodResult {
  const start = rangeDate(from, context);
  if (typeof start === 'string') return fail(start);
  const match = DURATION.exec(duration);
  const parts = [match?.[1], match?.[2], match?.[3], match?.[4]].map((part) => Number(part ?? 0));
  const [years = 0, months = 0, weeks = 0, days = 0] = parts;
  const length = years * 12 + months + weeks + days;
  if (match === null || length === 0) {
    return fail(
      `${quote(context.text)} has an unsupported duration ${JSON.stringify(duration)}: use a ` +
        'positive number of whole years, months, weeks or days, such as P1Y, P3M, P2W or P10D.',
    );
  }
  // Guard against durations so long that the arithmetic would lose precision.
  if (years > 10000 || months > 120000 || weeks > 600000 || days > 4000000) return fromDays(start, Infinity, context);
  const end = addMonths(start, years * 12 + months) + weeks * 7 + days - 1;
  return fromDays(start, end, context);
}

// ─── The grammar: one row per accepted form ─────────────────────────────────────────────────

interface Rule {
  /** The forms the rule reads, for people reading this table. */
  readonly forms: string;
  readonly pattern: RegExp;
  /** Reads the pattern's capture groups. */
  readonly read: (groups: readonly (string | undefined)[], context: Context) => PeriodResult;
}

const int = (digits: string | undefined): number => Number(digits ?? '');

const RULES: readonly Rule[] = [
  {
    forms: 'year 2024 (also DHIS2)',
    pattern: /^(\d{4})$/,
    read: ([year], c) => readYear(int(year), c),
  },
  {
    forms: 'SDMX year 2024-A1',
    pattern: /^(\d{4})-?A1$/i,
    read: ([year], c) => readYear(int(year), c),
  },
  {
    forms: 'half-year 2024-S1, 2024S1 (DHIS2), 2024 S1',
    pattern: /^(\d{4})\s*-?\s*S(\d+)$/i,
    read: ([year, half], c) => readHalf(int(year), int(half), c),
  },
  {
    forms: 'quarter 2024-Q1, 2024Q1 (DHIS2), 2024 Q1',
    pattern: /^(\d{4})\s*-?\s*Q(\d+)$/i,
    read: ([year, quarter], c) => readQuarter(int(year), int(quarter), c),
  },
  {
    forms: 'quarter written first: Q1 2024, Q1-2024 (as Open SDG displays it)',
    pattern: /^Q(\d+)\s*[-/]?\s*(\d{4})$/i,
    read: ([quarter, year], c) => readQuarter(int(year), int(quarter), c),
  },
  {
    forms: 'SDMX month 2024-M01, 2024M01',
    pattern: /^(\d{4})-?M(\d+)$/i,
    read: ([year, month], c) => readMonth(int(year), int(month), c, '2024-M01'),
  },
  {
    forms: 'ISO week 2024-W05, 2024W5 (DHIS2), 2024 W5',
    pattern: /^(\d{4})\s*-?\s*W(\d+)$/i,
    read: ([year, week], c) => readWeek(int(year), int(week), c),
  },
  {
    forms: 'day 2024-01-15',
    pattern: /^(\d{4})-(\d{2})-(\d{2})$/,
    read: ([year, month, day], c) => readDay(int(year), int(month), int(day), c, '2024-01-15'),
  },
  {
    forms: 'DHIS2 day 20240115',
    pattern: /^(\d{4})(\d{2})(\d{2})$/,
    read: ([year, month, day], c) => readDay(int(year), int(month), int(day), c, '20240115'),
  },
  {
    forms: 'DHIS2 month 202401',
    pattern: /^(\d{4})(\d{2})$/,
    read: ([year, month], c) => readMonth(int(year), int(month), c, '202401'),
  },
  {
    forms: 'month 2024-01 or 2024 01, or financial year 2017-18 or span 2011-13 when the second part is no month',
    pattern: /^(\d{4})(?:\s*-\s*|\s+)(\d{2})$/,
    read: ([year, second], c) => readMonthOrFinancialYear(int(year), second ?? '', c),
  },
  {
    forms: 'financial year FY2017-18, FY2017/18, FY2017-2018, FY 2017/2018',
    pattern: /^FY\s*(\d{4})\s*[-/]\s*(\d{2}|\d{4})$/i,
    read: ([year, second], c) => readFinancialYear(int(year), second ?? '', c),
  },
  {
    forms: 'financial year 2017/18, 2017/2018; span of years 2013/16, 2010/2020',
    pattern: /^(\d{4})\s*\/\s*(\d{2}|\d{4})$/,
    read: ([year, second], c) => readFinancialYear(int(year), second ?? '', c, true),
  },
  {
    forms: 'span of years 1990-1999, 1990 - 1999, 1990 to 1999 (as Open SDG displays it)',
    pattern: /^(\d{4})\s*(?:-|\s+to\s+)\s*(\d{4})$/i,
    read: ([first, last], c) => readSpan(int(first), int(last), c),
  },
  {
    forms: 'financial years from one to another: 2007/08 to 2008/09, 2002/03-2007/08',
    pattern: /^(\d{4})\s*\/\s*(\d{2}|\d{4})\s*(?:-|\s+to\s+)\s*(\d{4})\s*\/\s*(\d{2}|\d{4})$/i,
    read: ([first, firstEnd, last, lastEnd], c) =>
      readFinancialYears(int(first), firstEnd ?? '', int(last), lastEnd ?? '', c),
  },
  {
    forms: 'a year written as a decimal number by a spreadsheet: 2021.0',
    pattern: /^(\d{4})\.0+$/,
    read: ([year], c) => readYear(int(year), c),
  },
  {
    forms: 'DHIS2 financial year 2017Feb, 2017April, 2017July, 2017Aug, 2017Sep, 2017Oct, 2017Nov',
    pattern: /^(\d{4})(Feb|April|July|Aug|Sep|Oct|Nov)$/i,
    read: ([year, suffix], c) => readDhis2FinancialYear(int(year), suffix ?? '', c),
  },
  {
    forms: 'date range 2024-01-15/2024-03-31',
    pattern: /^(\d{4}-\d{2}-\d{2})\s*\/\s*(\d{4}-\d{2}-\d{2})$/,
    read: ([from, to], c) => readRange(from ?? '', to ?? '', c),
  },
  {
    forms: 'date range in words: 17 May to 11 June 2023, 17 May 2023 to 11 June 2023, 1 to 15 May 2023',
    pattern:
      /^(\d{1,2})(?:\s+([A-Za-z]{3,9})\.?(?:\s+(\d{4}))?)?\s*(?:-|–|\s+to\s+)\s*(\d{1,2})\s+([A-Za-z]{3,9})\.?\s+(\d{4})$/i,
    read: (groups, c) => readWordRange(groups, c),
  },
  {
    forms: 'SDMX time range 2024-01-01/P3M, 2017-07-01/P1Y, 2024-01-15/P10D',
    pattern: /^(\d{4}-\d{2}-\d{2})\s*\/\s*(P\S*)$/i,
    read: ([from, duration], c) => readDurationRange(from ?? '', duration ?? '', c),
  },
];

/** Why text that no rule reads is not a period. */
function unrecognised(text: string): string {
  if (text === '') return `No period given: the text is empty. ${ACCEPTED_FORMS}`;
  if (/^\d+$/.test(text)) {
    return (
      `${quote(text)} has ${text.length} digits, which fits no period: a year has exactly four ` +
      'digits (2024), a DHIS2 month six (202401) and a DHIS2 day eight (20240115).'
    );
  }
  const leadingDigits = /^\d+/.exec(text)?.[0] ?? '';
  if (leadingDigits.length > 4) {
    return (
      `${quote(text)} starts with the ${leadingDigits.length}-digit year ${leadingDigits}: ` +
      `years must have exactly four digits, as in 2024. ${ACCEPTED_FORMS}`
    );
  }
  return `${quote(text)} is not a recognised period. ${ACCEPTED_FORMS}`;
}

function financialYearStartMonth(options: PeriodOptions | undefined): number {
  const month = options?.financialYearStartMonth ?? DEFAULT_FINANCIAL_YEAR_START_MONTH;
  if (!Number.isInteger(month) || month < 2 || month > 12) {
    throw new RangeError(
      `financialYearStartMonth must be a whole number from 2 to 12, not ${String(month)} ` +
        '(a financial year starting in January is the calendar year).',
    );
  }
  return month;
}

// ─── Public API ─────────────────────────────────────────────────────────────────────────────

/**
 * Reads a period written in any accepted form and returns its canonical code and dates, or a
 * plain-English message naming what was wrong and the accepted forms.
 * Throws a RangeError only for invalid options (a programming error, not bad input).
 */
export function parsePeriod(text: string, options?: PeriodOptions): PeriodResult {
  const context: Context = {
    // Dashes typed by word processors (en dash, minus sign, ...) count as hyphens.
    text: text.trim().replace(/[\u2010-\u2015\u2212]/g, '-'),
    financialYearStartMonth: financialYearStartMonth(options),
  };
  for (const rule of RULES) {
    const match = rule.pattern.exec(context.text);
    if (match !== null) return rule.read(match.slice(1), context);
  }
  return fail(unrecognised(context.text));
}

function parseOrThrow(code: string, options: PeriodOptions | undefined): Period {
  const result = parsePeriod(code, options);
  if (!result.ok) throw new RangeError(result.message);
  return result.period;
}

/**
 * SDMX TIME_PERIOD for a period code (canonical codes are intended; any form parsePeriod reads
 * is accepted). Financial years, spans and ranges become `start/duration` time ranges.
 * Throws a RangeError when the code is not a period.
 */
export function toSdmxTimePeriod(code: string, options?: PeriodOptions): string {
  const period = parseOrThrow(code, options);
  switch (period.kind) {
    case 'year':
    case 'half':
    case 'quarter':
    case 'month':
    case 'week':
    case 'day':
      return period.code;
    case 'financial-year':
      return `${period.start}/P1Y`;
    case 'span': {
      const years = Number(period.end.slice(0, 4)) - Number(period.start.slice(0, 4)) + 1;
      return `${period.start}/P${years}Y`;
    }
    case 'range': {
      const days = daysOfIsoDate(period.end) - daysOfIsoDate(period.start) + 1;
      return `${period.start}/P${days}D`;
    }
  }
}

/** The DHIS2 financial-year id ("2017July") of exactly twelve months from the 1st of a month. */
function dhis2FinancialYear(period: Period): string | null {
  const start = daysOfIsoDate(period.start);
  const { year, month, day } = civilDate(start);
  const suffix = DHIS2_FINANCIAL_SUFFIXES.get(month);
  if (day !== 1 || suffix === undefined || addMonths(start, 12) - 1 !== daysOfIsoDate(period.end)) return null;
  return `${pad(year, 4)}${suffix}`;
}

/**
 * DHIS2 period id for a period code (canonical codes are intended; any form parsePeriod reads
 * is accepted), or null when DHIS2 has no such period: spans, most ranges, and financial years
 * starting in a month without a DHIS2 financial period type. A range of exactly one financial
 * year starting in a DHIS2 month ("2017-04-01/2018-03-31") gets its id ("2017April").
 * Throws a RangeError when the code is not a period.
 */
export function toDhis2Period(code: string, options?: PeriodOptions): string | null {
  const period = parseOrThrow(code, options);
  const start = daysOfIsoDate(period.start);
  const { year, month } = civilDate(start);
  const yyyy = pad(year, 4);
  switch (period.kind) {
    case 'year':
      return yyyy;
    case 'half':
      return `${yyyy}S${(month + 5) / 6}`;
    case 'quarter':
      return `${yyyy}Q${(month + 2) / 3}`;
    case 'month':
      return `${yyyy}${pad(month, 2)}`;
    case 'week': {
      const week = isoWeekOf(start);
      return `${pad(week.year, 4)}W${week.week}`;
    }
    case 'day':
      return period.start.replaceAll('-', '');
    case 'span':
      return null;
    case 'financial-year':
    case 'range':
      return dhis2FinancialYear(period);
  }
}

/** Orders periods by start date, then end date (shorter first). */
export function comparePeriods(a: Period, b: Period): number {
  if (a.start !== b.start) return a.start < b.start ? -1 : 1;
  if (a.end !== b.end) return a.end < b.end ? -1 : 1;
  return 0;
}

/** Whether every day of `inner` lies within `outer` (a period contains itself). */
export function periodContains(outer: Period, inner: Period): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}
