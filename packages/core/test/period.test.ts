import { describe, expect, it } from 'vitest';
import {
  comparePeriods,
  type Period,
  type PeriodKind,
  type PeriodOptions,
  parsePeriod,
  periodContains,
  seededRandom,
  toDhis2Period,
  toSdmxTimePeriod,
} from '../src/index.ts';

/** The period of a text that must parse. */
function period(text: string, options?: PeriodOptions): Period {
  const result = parsePeriod(text, options);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(text)} to parse: ${result.message}`);
  return result.period;
}

/** The message for a text that must not parse. */
function rejection(text: string, options?: PeriodOptions): string {
  const result = parsePeriod(text, options);
  if (result.ok) throw new Error(`expected ${JSON.stringify(text)} to be rejected, got ${result.period.code}`);
  return result.message;
}

type Expected = [code: string, kind: PeriodKind, start: string, end: string];

const Y2024: Expected = ['2024', 'year', '2024-01-01', '2024-12-31'];
const Q1: Expected = ['2024-Q1', 'quarter', '2024-01-01', '2024-03-31'];
const S1: Expected = ['2024-S1', 'half', '2024-01-01', '2024-06-30'];
const S2: Expected = ['2024-S2', 'half', '2024-07-01', '2024-12-31'];
const JAN: Expected = ['2024-01', 'month', '2024-01-01', '2024-01-31'];
const W05: Expected = ['2024-W05', 'week', '2024-01-29', '2024-02-04'];
const DAY: Expected = ['2024-01-15', 'day', '2024-01-15', '2024-01-15'];
const FY17: Expected = ['2017-18', 'financial-year', '2017-07-01', '2018-06-30'];
const SPAN90: Expected = ['1990-1999', 'span', '1990-01-01', '1999-12-31'];

const ACCEPTED: [input: string, expected: Expected][] = [
  // years
  ['2024', Y2024],
  ['2024-A1', Y2024],
  ['2024A1', Y2024],
  ['  2024\n', Y2024],
  // halves
  ['2024S1', S1],
  ['2024-S1', S1],
  ['2024 S1', S1],
  ['2024-S2', S2],
  ['2024s2', S2],
  // quarters
  ['2024Q1', Q1],
  ['2024-Q1', Q1],
  ['2024 Q1', Q1],
  ['2024q1', Q1],
  ['2024-Q4', ['2024-Q4', 'quarter', '2024-10-01', '2024-12-31']],
  // as Open SDG displays them
  ['Q1 2024', Q1],
  ['q1-2024', Q1],
  ['2024 q1', Q1],
  // months
  ['2024-01', JAN],
  ['2024M01', JAN],
  ['2024-M01', JAN],
  ['2024M1', JAN],
  ['202401', JAN],
  ['2024-12', ['2024-12', 'month', '2024-12-01', '2024-12-31']],
  ['2011-12', ['2011-12', 'month', '2011-12-01', '2011-12-31']],
  // ISO weeks
  ['2024W5', W05],
  ['2024-W05', W05],
  ['2024W05', W05],
  ['2024 W5', W05],
  ['2024w5', W05],
  // days
  ['2024-01-15', DAY],
  ['20240115', DAY],
  // financial years (default July–June)
  ['2017-18', FY17],
  ['2017/18', FY17],
  ['2017/2018', FY17],
  ['2017 / 18', FY17],
  ['FY2017-18', FY17],
  ['FY2017/18', FY17],
  ['FY 2017-18', FY17],
  ['fy2017-2018', FY17],
  ['FY2017/2018', FY17],
  ['2017July', FY17],
  ['2017july', FY17],
  ['2017-07-01/P1Y', FY17],
  ['2017-07-01/2018-06-30', FY17],
  ['1999-00', ['1999-00', 'financial-year', '1999-07-01', '2000-06-30']],
  ['1999/2000', ['1999-00', 'financial-year', '1999-07-01', '2000-06-30']],
  ['2012-13', ['2012-13', 'financial-year', '2012-07-01', '2013-06-30']],
  // financial years whose short form reads as a month
  ['2005/06', ['FY2005-06', 'financial-year', '2005-07-01', '2006-06-30']],
  ['FY2005-06', ['FY2005-06', 'financial-year', '2005-07-01', '2006-06-30']],
  ['2000/01', ['FY2000-01', 'financial-year', '2000-07-01', '2001-06-30']],
  ['2011/2012', ['FY2011-12', 'financial-year', '2011-07-01', '2012-06-30']],
  // DHIS2 financial years starting in another month than the configured one become ranges
  ['2017April', ['2017-04-01/2018-03-31', 'range', '2017-04-01', '2018-03-31']],
  ['2017Oct', ['2017-10-01/2018-09-30', 'range', '2017-10-01', '2018-09-30']],
  ['2017Nov', ['2017-11-01/2018-10-31', 'range', '2017-11-01', '2018-10-31']],
  ['2017Feb', ['2017-02-01/2018-01-31', 'range', '2017-02-01', '2018-01-31']],
  ['2017Aug', ['2017-08-01/2018-07-31', 'range', '2017-08-01', '2018-07-31']],
  ['2017Sep', ['2017-09-01/2018-08-31', 'range', '2017-09-01', '2018-08-31']],
  // spans of years
  ['1990-1999', SPAN90],
  ['1990 - 1999', SPAN90],
  ['1990–1999', SPAN90], // en dash
  ['2010-2017', ['2010-2017', 'span', '2010-01-01', '2017-12-31']],
  ['2017-2018', ['2017-2018', 'span', '2017-01-01', '2018-12-31']],
  ['1990 to 1999', SPAN90],
  ['2018 to 2020', ['2018-2020', 'span', '2018-01-01', '2020-12-31']],
  ['2011-13', ['2011-2013', 'span', '2011-01-01', '2013-12-31']],
  ['2013/16', ['2013-2016', 'span', '2013-01-01', '2016-12-31']],
  ['2017/2019', ['2017-2019', 'span', '2017-01-01', '2019-12-31']],
  ['2018-2020', ['2018-2020', 'span', '2018-01-01', '2020-12-31']],
  ['2018/19', ['2018-19', 'financial-year', '2018-07-01', '2019-06-30']],
  ['2021.0', ['2021', 'year', '2021-01-01', '2021-12-31']],
  ['1993 01', ['1993-01', 'month', '1993-01-01', '1993-01-31']],
  ['2007/08 to 2008/09', ['2007-07-01/2009-06-30', 'range', '2007-07-01', '2009-06-30']],
  ['2002/03-2007/08', ['2002-07-01/2008-06-30', 'range', '2002-07-01', '2008-06-30']],
  // date ranges in words (the UK's Open SDG file of indicator 16.6.2: survey fieldwork)
  ['17 May to 11 June 2023', ['2023-05-17/2023-06-11', 'range', '2023-05-17', '2023-06-11']],
  ['17 May 2023 to 11 June 2023', ['2023-05-17/2023-06-11', 'range', '2023-05-17', '2023-06-11']],
  ['1 to 15 Sep 2021', ['2021-09-01/2021-09-15', 'range', '2021-09-01', '2021-09-15']],
  ['1 December 2020 to 31 January 2021', ['2020-12-01/2021-01-31', 'range', '2020-12-01', '2021-01-31']],
  ['1 May to 31 May 2023', ['2023-05', 'month', '2023-05-01', '2023-05-31']],
  ['1990-01-01/P10Y', SPAN90],
  ['2020-01-01/P10Y', ['2020-2029', 'span', '2020-01-01', '2029-12-31']],
  // SDMX time ranges that are exactly a named period
  ['2024-01-01/P1Y', Y2024],
  ['2024-01-01/P6M', S1],
  ['2024-01-01/P3M', Q1],
  ['2024-01-01/P1M', JAN],
  ['2024-01-29/P1W', W05],
  ['2024-01-29/P7D', W05],
  ['2024-01-15/P1D', DAY],
  ['2024-01-01/2024-03-31', Q1],
  ['2024-01-15/2024-01-15', DAY],
  // other ranges
  ['2024-01-15/2024-03-31', ['2024-01-15/2024-03-31', 'range', '2024-01-15', '2024-03-31']],
  ['2024-01-15 / 2024-03-31', ['2024-01-15/2024-03-31', 'range', '2024-01-15', '2024-03-31']],
  ['2024-01-15/P77D', ['2024-01-15/2024-03-31', 'range', '2024-01-15', '2024-03-31']],
  ['2024-02-01/P3M', ['2024-02-01/2024-04-30', 'range', '2024-02-01', '2024-04-30']],
  ['2024-01-01/P1Y2M', ['2024-01-01/2025-02-28', 'range', '2024-01-01', '2025-02-28']],
  ['2024-01-01/P2W', ['2024-01-01/2024-01-14', 'range', '2024-01-01', '2024-01-14']],
  ['2024-01-30/P2D', ['2024-01-30/2024-01-31', 'range', '2024-01-30', '2024-01-31']],
  ['2024-01-31/P1M', ['2024-01-31/2024-02-28', 'range', '2024-01-31', '2024-02-28']], // day clamped to Feb 29
  ['2024-01-02/2024-01-08', ['2024-01-02/2024-01-08', 'range', '2024-01-02', '2024-01-08']], // 7 days, not Mon–Sun
  ['2024-07-01/P1Y', ['2024-25', 'financial-year', '2024-07-01', '2025-06-30']],
];

describe('parsePeriod: accepted forms', () => {
  it.each(ACCEPTED)('%j', (input, [code, kind, start, end]) => {
    expect(parsePeriod(input)).toEqual({ ok: true, period: { code, kind, start, end } });
  });

  it('reads every canonical code back as itself', () => {
    for (const [, [code, kind, start, end]] of ACCEPTED) {
      expect(period(code)).toEqual({ code, kind, start, end });
    }
  });
});

describe('parsePeriod: financial year start month', () => {
  const april = { financialYearStartMonth: 4 };

  it('defaults to July–June', () => {
    expect(period('2017-18')).toMatchObject({ start: '2017-07-01', end: '2018-06-30' });
    expect(period('2017-18', {})).toMatchObject({ start: '2017-07-01', end: '2018-06-30' });
  });

  it('uses the configured start month for the written forms', () => {
    expect(period('2017-18', april)).toEqual({
      code: '2017-18',
      kind: 'financial-year',
      start: '2017-04-01',
      end: '2018-03-31',
    });
    expect(period('2017/2018', april).start).toBe('2017-04-01');
    expect(period('FY2005-06', april)).toMatchObject({ code: 'FY2005-06', start: '2005-04-01', end: '2006-03-31' });
    expect(period('2017-18', { financialYearStartMonth: 10 })).toMatchObject({
      start: '2017-10-01',
      end: '2018-09-30',
    });
    expect(period('2015-16', { financialYearStartMonth: 3 })).toMatchObject({
      start: '2015-03-01',
      end: '2016-02-29',
    });
    expect(period('2015-16', { financialYearStartMonth: 12 })).toMatchObject({
      start: '2015-12-01',
      end: '2016-11-30',
    });
  });

  it('gives a DHIS2 financial year the code 2017-18 only when its month is the configured one', () => {
    expect(period('2017April', april)).toMatchObject({ code: '2017-18', kind: 'financial-year' });
    expect(period('2017July', april)).toMatchObject({ code: '2017-07-01/2018-06-30', kind: 'range' });
    expect(period('2017Oct', { financialYearStartMonth: 10 }).code).toBe('2017-18');
    expect(period('2017Nov', { financialYearStartMonth: 11 }).code).toBe('2017-18');
  });

  it('recognises SDMX ranges as financial years under the configured month only', () => {
    expect(period('2017-04-01/P1Y', april).code).toBe('2017-18');
    expect(period('2017-07-01/P1Y', april).code).toBe('2017-07-01/2018-06-30');
  });

  it('never reads a July–June year as a half-year or year', () => {
    expect(period('2024-07-01/P6M').code).toBe('2024-S2');
    expect(period('2024-07-01/P6M', april).code).toBe('2024-S2');
  });

  it.each([0, 1, 13, 6.5, Number.NaN])('throws a RangeError for financialYearStartMonth %s', (month) => {
    expect(() => parsePeriod('2024', { financialYearStartMonth: month })).toThrow(RangeError);
    expect(() => parsePeriod('2024', { financialYearStartMonth: month })).toThrow(/2 to 12/);
  });
});

const REJECTED: [input: string, message: RegExp][] = [
  // empty
  ['', /empty.*Accepted forms/],
  ['   ', /empty.*Accepted forms/],
  // text
  ['hello', /"hello" is not a recognised period.*Accepted forms: a year \(2024\)/],
  ['Q5 2024', /not a quarter: quarters are numbered 1 to 4/],
  ['2007/08 to 2006/07', /ends before it starts/],
  ['2007/09 to 2008/09', /not a financial year/],
  ['2021.5', /not a recognised period/],
  ['2024-Jan', /not a recognised period/],
  ['2024-1-5', /not a recognised period/],
  ['24Q1', /not a recognised period/],
  ['2024Q', /not a recognised period/],
  ['2017March', /not a recognised period/],
  ['2024-01-01T00:00:00/P1D', /not a recognised period/],
  // digit counts
  ['20245', /"20245" has 5 digits.*four digits \(2024\).*six \(202401\).*eight \(20240115\)/],
  ['202', /3 digits.*four digits/],
  ['2024011', /7 digits/],
  ['202401150', /9 digits/],
  ['12024', /5 digits.*four digits/],
  ['12024-Q1', /5-digit year 12024.*exactly four digits/],
  ['12024-01-15', /5-digit year/],
  ['10000-10001', /5-digit year/],
  // impossible periods
  ['2024-S3', /not a half-year: halves are numbered 1 and 2, as in 2024-S1/],
  ['2024S0', /not a half-year/],
  ['2024-Q5', /"2024-Q5" is not a quarter: quarters are numbered 1 to 4, as in 2024-Q1/],
  ['2024Q0', /not a quarter/],
  ['2024M13', /month 13 does not exist; months run from 01 to 12, as in 2024-M01/],
  ['2024-M00', /month 00 does not exist/],
  ['202413', /month 13 does not exist.*as in 202401/],
  ['202400', /month 00 does not exist/],
  ['2024-13', /neither a month \(months run from 01 to 12, as in 2024-01\) nor a financial year .*2024-25/],
  ['2024-00', /neither a month/],
  ['2024-W54', /not an ISO week: 2024 has weeks 1 to 52/],
  ['2024-W00', /not an ISO week/],
  ['2021-W53', /2021 has weeks 1 to 52, written like 2021-W05 or 2021W5/],
  ['2023-02-29', /"2023-02-29" is not a real date: February 2023 has days 01 to 28, not 29/],
  ['1900-02-29', /February 1900 has days 01 to 28/],
  ['2024-02-30', /February 2024 has days 01 to 29, not 30/],
  ['2024-04-31', /April 2024 has days 01 to 30/],
  ['2024-13-01', /month 13 does not exist/],
  ['2024-00-10', /month 00 does not exist/],
  ['2024-01-00', /January 2024 has days 01 to 31, not 00/],
  ['20230229', /February 2023.*written like 20240115/],
  // financial years
  ['1998-15', /neither a month .* nor a financial year \(the second year must follow the first, as in 1998-99\)/],
  ['2017/2017', /not a financial year: the second year must be the year after the first, as in 2017\/18 or 2017\/2018/],
  ['2017/16', /not a financial year/],
  ['FY2017-19', /not a financial year/],
  ['FY2017-2019', /not a financial year/],
  // spans
  ['1999-1990', /not a span of years: the second year must be later than the first, as in 1990-1999/],
  ['2000-2000', /not a span of years.*single year.*2024/],
  // ranges
  ['2024-03-31/2024-01-15', /ends before it starts: the end date must be on or after the start date/],
  ['2024-02-30/2024-03-31', /not a valid date range: 2024-02-30 is not a real date \(February 2024 has days 01 to 29/],
  ['2024-01-01/2023-02-29', /2023-02-29 is not a real date/],
  ['31 June to 2 July 2023', /not a valid date range: June 2023 has days 01 to 30, not 31/],
  ['11 June to 17 May 2023', /ends before it starts/],
  ['17 Mayo to 11 June 2023', /not a recognised period/],
  ['2024-01-01/P0D', /unsupported duration "P0D".*P1Y, P3M, P2W or P10D/],
  ['2024-01-01/P', /unsupported duration "P"/],
  ['2024-01-01/PT1H', /unsupported duration "PT1H"/],
  ['2024-01-01/P1.5Y', /unsupported duration/],
  ['2024-01-01/P-1D', /unsupported duration/],
  // outside the calendar
  ['9999-00', /outside the supported calendar.*1000-01-01 to 9999-12-31/],
  ['9999July', /outside the supported calendar/],
  ['9999-W52', /outside the supported calendar/],
  ['9990-01-01/P11Y', /outside the supported calendar/],
  ['9999-12-31/P2D', /outside the supported calendar/],
  ['2024-01-01/P99999999999999999999Y', /outside the supported calendar/],
];

describe('parsePeriod: rejections', () => {
  it.each(REJECTED)('%j', (input, message) => {
    expect(rejection(input)).toMatch(message);
  });

  it('quotes the input, and shortens long input', () => {
    expect(rejection('2024-Q5')).toContain('"2024-Q5"');
    const long = 'x'.repeat(500);
    const message = rejection(long);
    expect(message).toContain('...');
    expect(message.length).toBeLessThan(600);
  });

  it('reads 2000-01 … 2011-12 as months, not financial years', () => {
    expect(period('2005-06').kind).toBe('month');
    expect(period('2000-01').code).toBe('2000-01');
  });
});

describe('calendar boundaries', () => {
  it('knows leap years', () => {
    expect(period('2024-02-29').code).toBe('2024-02-29');
    expect(period('2000-02-29').code).toBe('2000-02-29');
    expect(period('2024-02').end).toBe('2024-02-29');
    expect(period('2023-02').end).toBe('2023-02-28');
    expect(period('1900-02').end).toBe('1900-02-28');
    expect(period('2000-02').end).toBe('2000-02-29');
    expect(period('2024-Q1').end).toBe('2024-03-31');
    expect(period('2023-24').end).toBe('2024-06-30');
    expect(period('2023-07-01/P366D').code).toBe('2023-24');
    expect(period('2022-07-01/P365D').code).toBe('2022-23');
    expect(period('2024-02-29/P1D').code).toBe('2024-02-29');
  });

  it('has ISO week 53 only in years that have it', () => {
    expect(period('2020-W53')).toEqual({ code: '2020-W53', kind: 'week', start: '2020-12-28', end: '2021-01-03' });
    expect(period('2015W53')).toMatchObject({ start: '2015-12-28', end: '2016-01-03' });
    expect(period('2026-W53')).toMatchObject({ start: '2026-12-28', end: '2027-01-03' });
    expect(period('2004-W53').start).toBe('2004-12-27'); // leap year starting on a Thursday
    expect(period('1992-W53').start).toBe('1992-12-28'); // leap year starting on a Wednesday
    for (const year of [2019, 2021, 2022, 2023, 2024, 2025]) {
      expect(rejection(`${year}-W53`)).toMatch(`${year} has weeks 1 to 52`);
    }
  });

  it('starts week 1 on the Monday of the week holding 4 January', () => {
    expect(period('2020-W01')).toEqual({ code: '2020-W01', kind: 'week', start: '2019-12-30', end: '2020-01-05' });
    expect(period('2021-W01')).toMatchObject({ start: '2021-01-04', end: '2021-01-10' });
    expect(period('2024-W01')).toMatchObject({ start: '2024-01-01', end: '2024-01-07' });
    expect(period('2026-W01')).toMatchObject({ start: '2025-12-29', end: '2026-01-04' });
    expect(period('2024-W52')).toMatchObject({ start: '2024-12-23', end: '2024-12-29' });
  });

  it('codes a Monday-to-Sunday range by its ISO week-numbering year', () => {
    expect(period('2019-12-30/2020-01-05').code).toBe('2020-W01');
    expect(period('2021-01-01/2021-01-03').code).toBe('2021-01-01/2021-01-03');
    expect(period('2020-12-28/P1W').code).toBe('2020-W53');
  });

  it('agrees with the platform Date for every Monday of 1899–2101', () => {
    /** ISO week of a UTC date, computed independently with Date. */
    const referenceWeek = (date: Date): string => {
      const thursday = new Date(date);
      thursday.setUTCDate(date.getUTCDate() + 3 - ((date.getUTCDay() + 6) % 7));
      const year = thursday.getUTCFullYear();
      const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 / 7) + 1;
      return `${year}-W${String(week).padStart(2, '0')}`;
    };
    let date = new Date(Date.UTC(1899, 0, 2)); // a Monday
    let checked = 0;
    while (date.getUTCFullYear() < 2102) {
      const iso = date.toISOString().slice(0, 10);
      const week = period(`${iso}/P7D`);
      expect(week.code).toBe(referenceWeek(date));
      expect(period(week.code).start).toBe(iso);
      date = new Date(date.getTime() + 7 * 86_400_000);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(10_000);
  });

  it('agrees with the platform Date on month lengths for 1600–2400', () => {
    for (let year = 1600; year <= 2400; year += 1) {
      for (let month = 1; month <= 12; month += 1) {
        const last = new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
        expect(period(`${year}M${month}`).end).toBe(last);
      }
    }
  });

  it('supports years 1000 to 9999, and refuses earlier ones with a message', () => {
    expect(period('1000')).toMatchObject({ code: '1000', start: '1000-01-01' });
    expect(period('1000-01-01').code).toBe('1000-01-01');
    for (const early of ['0000', '0999-01-01', '0202-Q1', '0999-1000']) {
      const r = parsePeriod(early);
      expect(r.ok, early).toBe(false);
      if (!r.ok) expect(r.message).toMatch(/outside the supported calendar.*1000-01-01/);
    }
    expect(period('9999-12-31').code).toBe('9999-12-31');
    expect(period('9998-99').end).toBe('9999-06-30');
    expect(period('9990-9999').end).toBe('9999-12-31');
  });
});

describe('toSdmxTimePeriod', () => {
  it.each([
    ['2024', '2024'],
    ['2024-S1', '2024-S1'],
    ['2024-Q1', '2024-Q1'],
    ['2024-01', '2024-01'],
    ['2024-W05', '2024-W05'],
    ['2024-01-15', '2024-01-15'],
    ['2017-18', '2017-07-01/P1Y'],
    ['FY2005-06', '2005-07-01/P1Y'],
    ['1990-1999', '1990-01-01/P10Y'],
    ['2017-2018', '2017-01-01/P2Y'],
    ['2024-01-15/2024-03-31', '2024-01-15/P77D'],
    ['2017-04-01/2018-03-31', '2017-04-01/P365D'],
  ])('%s → %s', (code, sdmx) => {
    expect(toSdmxTimePeriod(code)).toBe(sdmx);
  });

  it('uses the configured financial year start', () => {
    expect(toSdmxTimePeriod('2017-18', { financialYearStartMonth: 4 })).toBe('2017-04-01/P1Y');
  });

  it('accepts any readable form and throws on text that is no period', () => {
    expect(toSdmxTimePeriod('2024Q1')).toBe('2024-Q1');
    expect(toSdmxTimePeriod('2017/18')).toBe('2017-07-01/P1Y');
    expect(() => toSdmxTimePeriod('2024-Q5')).toThrow(RangeError);
    expect(() => toSdmxTimePeriod('2024-Q5')).toThrow(/quarters are numbered 1 to 4/);
  });
});

describe('toDhis2Period', () => {
  it.each([
    ['2024', '2024'],
    ['2024-S1', '2024S1'],
    ['2024-S2', '2024S2'],
    ['2024-Q1', '2024Q1'],
    ['2024-01', '202401'],
    ['2024-12', '202412'],
    ['2024-W05', '2024W5'],
    ['2020-W53', '2020W53'],
    ['2020-W01', '2020W1'],
    ['2024-01-15', '20240115'],
    ['2017-18', '2017July'],
    ['1999-00', '1999July'],
    ['FY2005-06', '2005July'],
    ['1990-1999', null],
    ['2024-01-15/2024-03-31', null],
    ['2017-04-01/2018-03-31', '2017April'],
    ['2017-10-01/2018-09-30', '2017Oct'],
    ['2017-11-01/2018-10-31', '2017Nov'],
    ['2017-02-01/2018-01-31', '2017Feb'],
    ['2017-03-01/2018-02-28', null],
    ['2017-04-02/2018-04-01', null],
  ])('%s → %s', (code, dhis2) => {
    expect(toDhis2Period(code)).toBe(dhis2);
  });

  it.each([
    [4, '2017April'],
    [7, '2017July'],
    [8, '2017Aug'],
    [9, '2017Sep'],
    [10, '2017Oct'],
    [11, '2017Nov'],
    [2, '2017Feb'],
    [3, null],
    [12, null],
  ])('financial year 2017-18 starting in month %i → %s', (month, dhis2) => {
    expect(toDhis2Period('2017-18', { financialYearStartMonth: month })).toBe(dhis2);
  });

  it('throws on text that is no period', () => {
    expect(() => toDhis2Period('nonsense')).toThrow(RangeError);
  });
});

describe('comparePeriods and periodContains', () => {
  it('orders by start, then end', () => {
    const codes = [
      '2024-Q2',
      '2024-02',
      '2024',
      '2023-24',
      '2024-01',
      '2024-W05',
      '2024-01-01',
      '2024-S1',
      '2020-2029',
    ];
    const sorted = codes
      .map((code) => period(code))
      .sort(comparePeriods)
      .map((p) => p.code);
    expect(sorted).toEqual([
      '2020-2029',
      '2023-24',
      '2024-01-01',
      '2024-01',
      '2024-S1',
      '2024',
      '2024-W05',
      '2024-02',
      '2024-Q2',
    ]);
    expect(comparePeriods(period('2024'), period('2024-01-01/2024-12-31'))).toBe(0);
    expect(comparePeriods(period('2024-01'), period('2024'))).toBeLessThan(0);
    expect(comparePeriods(period('2024'), period('2024-01'))).toBeGreaterThan(0);
    expect(comparePeriods(period('2023'), period('2024-01'))).toBeLessThan(0);
  });

  it('tells whether one period lies within another', () => {
    expect(periodContains(period('2024'), period('2024-Q3'))).toBe(true);
    expect(periodContains(period('2024'), period('2024'))).toBe(true);
    expect(periodContains(period('2024-Q1'), period('2024-W05'))).toBe(true);
    expect(periodContains(period('2024'), period('2020-W53'))).toBe(false);
    expect(periodContains(period('2021'), period('2020-W53'))).toBe(false);
    expect(periodContains(period('2020-2029'), period('2020-W53'))).toBe(true);
    expect(periodContains(period('2024-Q1'), period('2024'))).toBe(false);
    expect(periodContains(period('2023-24'), period('2024-S1'))).toBe(true);
    expect(periodContains(period('2023-24'), period('2024'))).toBe(false);
  });
});

describe('round trips (property over generated codes)', () => {
  /** Whole numbers from low to high, from a seeded generator, so failures reproduce. */
  function random(seed: number): (low: number, high: number) => number {
    const next = seededRandom(seed);
    return (low, high) => low + Math.floor(next() * (high - low + 1));
  }

  const pad = (n: number, width: number): string => String(n).padStart(width, '0');
  const DHIS2_MONTHS = ['Feb', 'April', 'July', 'Aug', 'Sep', 'Oct', 'Nov'];

  /** Inputs of every form; some are invalid (week 53, day 31 …) and simply fail to parse. */
  function generateInputs(seed: number, count: number): string[] {
    const int = random(seed);
    const year = (): number => (int(0, 9) === 0 ? int(0, 9998) : int(1900, 2100));
    const date = (): string => `${pad(year(), 4)}-${pad(int(1, 12), 2)}-${pad(int(1, 31), 2)}`;
    const forms: (() => string)[] = [
      () => pad(year(), 4),
      () => `${pad(year(), 4)}-S${int(1, 2)}`,
      () => `${pad(year(), 4)}Q${int(1, 4)}`,
      () => `${pad(year(), 4)}-${pad(int(1, 12), 2)}`,
      () => `${pad(year(), 4)}W${int(1, 53)}`,
      date,
      () => {
        const first = year();
        return `${pad(first, 4)}/${pad((first + 1) % 100, 2)}`;
      },
      () => `${pad(year(), 4)}${DHIS2_MONTHS[int(0, DHIS2_MONTHS.length - 1)] ?? 'July'}`,
      () => {
        const first = int(1000, 9000);
        return `${first}-${first + int(1, 40)}`;
      },
      () => `${date()}/P${int(1, 800)}D`,
      () => `${date()}/P${int(1, 30)}M`,
      () => `${date()}/P${int(1, 12)}Y`,
      () => `${pad(year(), 4)}-${pad(int(1, 12), 2)}-01/P${int(1, 40)}Y`,
    ];
    return Array.from({ length: count }, () => forms[int(0, forms.length - 1)]?.() ?? '');
  }

  for (const financialYearStartMonth of [7, 4, 10, 11, 2, 3, 12]) {
    const options: PeriodOptions = { financialYearStartMonth };

    it(`hold for every kind with financial years starting in month ${financialYearStartMonth}`, () => {
      const byDates = new Map<string, string>();
      const kinds = new Map<PeriodKind, number>();
      let dhis2Checked = 0;

      for (const input of generateInputs(financialYearStartMonth * 7919, 6000)) {
        const result = parsePeriod(input, options);
        if (!result.ok) continue;
        const p = result.period;
        kinds.set(p.kind, (kinds.get(p.kind) ?? 0) + 1);

        // The code is canonical: it reads back as the same period.
        expect(parsePeriod(p.code, options)).toEqual({ ok: true, period: p });
        expect(p.start <= p.end).toBe(true);

        // One code per (start, end), whichever way the period was written.
        const dates = `${p.start}/${p.end}`;
        expect(byDates.get(dates) ?? p.code).toBe(p.code);
        byDates.set(dates, p.code);
        expect(period(dates, options)).toEqual(p);

        // SDMX: every period has a TIME_PERIOD, which reads back as the same code.
        const sdmx = toSdmxTimePeriod(p.code, options);
        expect(period(sdmx, options).code, `${p.code} → ${sdmx}`).toBe(p.code);

        // DHIS2: every calendar kind has an id; whenever there is one, it reads back as the same code.
        const dhis2 = toDhis2Period(p.code, options);
        if (['year', 'half', 'quarter', 'month', 'week', 'day'].includes(p.kind)) expect(dhis2).not.toBeNull();
        if (p.kind === 'span') expect(dhis2).toBeNull();
        if (p.kind === 'financial-year') {
          expect(dhis2 === null).toBe(![2, 4, 7, 8, 9, 10, 11].includes(financialYearStartMonth));
        }
        if (dhis2 !== null) {
          expect(period(dhis2, options).code, `${p.code} → ${dhis2}`).toBe(p.code);
          dhis2Checked += 1;
        }
      }

      for (const kind of [
        'year',
        'half',
        'quarter',
        'month',
        'week',
        'day',
        'financial-year',
        'span',
        'range',
      ] as const) {
        expect(kinds.get(kind) ?? 0, kind).toBeGreaterThan(20);
      }
      expect(dhis2Checked).toBeGreaterThan(2000);
    });
  }

  it('hold for every financial year 1900–2100, including those coded FY2000-01 … FY2011-12', () => {
    for (let first = 1900; first <= 2100; first += 1) {
      const p = period(`${first}/${first + 1}`);
      expect(p.kind).toBe('financial-year');
      expect(period(p.code)).toEqual(p);
      expect(period(toSdmxTimePeriod(p.code))).toEqual(p);
      expect(period(toDhis2Period(p.code) ?? '')).toEqual(p);
      const second = (first + 1) % 100;
      expect(p.code.startsWith('FY')).toBe(second >= 1 && second <= 12);
    }
  });
});
