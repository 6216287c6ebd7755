import { describe, expect, it } from 'vitest';
import {
  actual,
  chunks,
  DIMENSIONS,
  errors,
  expected,
  MORE_PERIODS,
  RECORDS,
  read,
  rows,
  skips,
  write,
} from './helpers.ts';

const HEADER = 'indicator,place,period,value';

describe('csv reader', () => {
  it('reads the required columns, the optional ones and dimensions', async () => {
    const text = [
      'indicator,series,place,period,value,unit,status,source,note,SEX,AGE',
      '11.1.1,EN_LND_SLUM,EGY-CAI,2024,12.5,PERCENT,approved,CAPMAS,"a, b",F,Y15T24',
      '11.1.1,,EGY-CAI,2024-Q1, -3 ,,,,,,',
    ].join('\n');
    const items = await read('csv', text);
    expect(items[0]).toEqual({ kind: 'notice', message: 'dimension columns: SEX, AGE' });
    expect(rows(items)).toEqual([
      {
        at: 2,
        record: {
          indicator: '11.1.1',
          series: 'EN_LND_SLUM',
          place: 'EGY-CAI',
          period: '2024',
          value: 12.5,
          unit: 'PERCENT',
          status: 'approved',
          source: 'CAPMAS',
          note: 'a, b',
          dims: { SEX: 'F', AGE: 'Y15T24' },
        },
      },
      { at: 3, record: { indicator: '11.1.1', place: 'EGY-CAI', period: '2024-Q1', value: -3, dims: {} } },
    ]);
  });

  it('accepts a byte-order mark, CRLF and bare CR line ends, and headers in any case', async () => {
    for (const text of [
      `\uFEFF${HEADER}\r\n1.1.1,X,2020,1\r\n1.1.1,X,2021,2\r\n`,
      `${HEADER}\r1.1.1,X,2020,1\r1.1.1,X,2021,2`,
      `Indicator,PLACE,Period,Value\n1.1.1,X,2020,1\n1.1.1,X,2021,2\n`,
    ]) {
      const items = await read('csv', text);
      expect(errors(items)).toEqual([]);
      expect(rows(items).map((r) => [r.at, r.record.period, r.record.value])).toEqual([
        [2, '2020', 1],
        [3, '2021', 2],
      ]);
    }
  });

  it('a CR and LF split across chunks is one line end', async () => {
    const items = await read('csv', chunks(`${HEADER}\r`, '\n1.1.1,X,2020,1\r', '\n1.1.1,X,2021,2'));
    expect(rows(items).map((r) => r.at)).toEqual([2, 3]);
  });

  it('numbers: spaces, signs, exponents and Arabic-Indic digits are fine; the rest is an error naming value', async () => {
    const cells = [
      ' 7 ',
      '+1.5',
      '-0.25',
      '.5',
      '1e3',
      '٤٥٫٥',
      'abc',
      '"1,5"',
      '"12,500"',
      'NaN',
      'Infinity',
      '45%',
      '1e400',
      '0x10',
    ];
    const text = [HEADER, ...cells.map((c) => `1.1.1,X,2020,${c}`)].join('\n');
    const items = await read('csv', text);
    expect(rows(items).map((r) => r.record.value)).toEqual([7, 1.5, -0.25, 0.5, 1000, 45.5]);
    expect(errors(items).map((e) => [e.at, e.column, e.message])).toEqual([
      [8, 'value', 'value "abc" is not a number'],
      [9, 'value', 'value "1,5" has a comma: write decimals with a point (1.5) and no thousands separators (12500)'],
      [
        10,
        'value',
        'value "12,500" has a comma: write decimals with a point (1.5) and no thousands separators (12500)',
      ],
      [11, 'value', 'value "NaN" is not a number: leave the cell blank when there is no value'],
      [12, 'value', 'value "Infinity" is not a number: leave the cell blank when there is no value'],
      [13, 'value', 'value "45%" is not a plain number: write it without the % sign'],
      [14, 'value', 'value "1e400" is too large to be stored as a number'],
      [15, 'value', 'value "0x10" is not a number'],
    ]);
  });

  it('blank values are skipped, blank dimension cells are totals', async () => {
    const items = await read('csv', `${HEADER},SEX\n1.1.1,X,2020,,F\n1.1.1,X,2021,  ,\n1.1.1,X,2022,3,\n`);
    expect(skips(items)).toEqual([
      { kind: 'skip', at: 2, reason: 'no value' },
      { kind: 'skip', at: 3, reason: 'no value' },
    ]);
    expect(rows(items)[0]!.record.dims).toEqual({});
  });

  it('missing fields are errors with their column and line', async () => {
    const items = await read('csv', `${HEADER}\n,X,2020,1\n1.1.1,,,1\n`);
    expect(errors(items)).toEqual([
      { kind: 'error', at: 2, column: 'indicator', message: 'indicator is blank' },
      { kind: 'error', at: 3, column: 'place', message: 'place is blank' },
      { kind: 'error', at: 3, column: 'period', message: 'period is blank' },
    ]);
  });

  it('a row with too many or too few cells is an error', async () => {
    const items = await read('csv', `${HEADER}\n1.1.1,X,2020,1,extra\n1.1.1,X,2020\n`);
    expect(errors(items).map((e) => [e.at, e.message])).toEqual([
      [2, 'the row has 5 cells but the header has 4 columns'],
      [3, 'the row has 3 cells but the header has 4 columns'],
    ]);
  });

  it('line numbers follow the file when a quoted cell spans lines and empty lines are skipped', async () => {
    const text = `${HEADER},note\n1.1.1,X,2020,1,"first\nsecond\nthird"\n\n1.1.1,X,2021,oops,\n`;
    const items = await read('csv', text);
    expect(rows(items)[0]).toMatchObject({ at: 2, record: { note: 'first\nsecond\nthird' } });
    expect(errors(items)).toEqual([
      {
        kind: 'error',
        at: 6,
        column: 'value',
        message: 'value "oops" is not a number',
        code: 'not-a-number',
        params: { value: 'oops' },
      },
    ]);
  });

  it('a header without the required columns is refused once', async () => {
    const items = await read('csv', 'indicator,place,year,amount\n1.1.1,X,2020,1\n');
    expect(items).toEqual([
      {
        kind: 'error',
        at: 1,
        message: expect.stringMatching(
          /^the header lacks period, value: a Marsad CSV needs the columns indicator, place, period and value/,
        ),
      },
    ]);
  });

  it('duplicate and nameless columns are refused', async () => {
    const items = await read('csv', `${HEADER},SEX,SEX,\n`);
    expect(errors(items).map((e) => e.message)).toEqual(['column "SEX" appears twice', 'column 7 has no name']);
  });

  it('an unclosed quote is one error, not a crash', async () => {
    const items = await read('csv', `${HEADER}\n1.1.1,X,2020,1\n1.1.1,X,"2021,2\n1.1.1,X,2022,3\n`);
    expect(rows(items)).toHaveLength(1);
    expect(errors(items)).toEqual([
      { kind: 'error', at: 3, message: expect.stringMatching(/quoted cell is never closed/) },
    ]);
  });

  it('a file that is not UTF-8 is one clear error', async () => {
    // "Cairo" in Arabic, Windows-1256: bytes that are not UTF-8.
    const bytes = new Uint8Array([
      ...new TextEncoder().encode(`${HEADER},note\n1.1.1,X,2020,1,`),
      0xc7,
      0xe1,
      0xde,
      0xc7,
      0x0a,
    ]);
    const items = await read('csv', chunks(bytes));
    expect(errors(items)).toEqual([{ kind: 'error', at: 2, message: expect.stringMatching(/not UTF-8.*CSV UTF-8/) }]);
  });

  it('an empty file is an error', async () => {
    expect(await read('csv', '')).toEqual([{ kind: 'error', at: 1, message: expect.stringMatching(/empty/) }]);
  });
});

describe('csv writer', () => {
  it('writes the header with one column per dimension and quotes what needs it', async () => {
    const text = await write('csv', RECORDS.slice(0, 2), { dimensions: DIMENSIONS });
    expect(text.split('\n').slice(0, 3)).toEqual([
      'indicator,series,place,period,value,unit,status,source,note,suppressed_below,SEX,AGE',
      '11.1.1,EN_LND_SLUM,EGY-CAI,2024,12.5,PERCENT,approved,"CAPMAS, Census 2024","Estimate, ""provisional"" method;',
      'see annex",,F,Y15T24',
    ]);
  });

  it('begins with a byte-order mark on request', async () => {
    expect((await write('csv', [], { bom: true })).startsWith('\uFEFFindicator,')).toBe(true);
  });

  it('refuses a dimension it was not told about, and dimension codes that clash with columns', async () => {
    await expect(write('csv', RECORDS.slice(0, 1), { dimensions: ['SEX'] })).rejects.toThrow(
      /dimension AGE.*options\.dimensions/,
    );
    await expect(write('csv', [], { dimensions: ['Unit'] })).rejects.toThrow(/clashes with the unit column/);
  });

  it('round trip: every field comes back', async () => {
    const records = [...RECORDS, ...MORE_PERIODS];
    const text = await write('csv', records, { dimensions: DIMENSIONS });
    const items = await read('csv', text);
    expect(errors(items)).toEqual([]);
    const fields = ['indicator', 'series', 'place', 'unit', 'status', 'source', 'note'] as const;
    expect(rows(items).map((r) => actual(r.record, fields))).toEqual(records.map((r) => expected(r, fields)));
    // Periods are written as their canonical codes, untouched.
    expect(rows(items).map((r) => r.record.period)).toEqual(records.map((r) => r.period));
  });
});

describe('csv reader: SDMX attributes are never dimensions', () => {
  it('UNIT_MULT is passed on, OBS_STATUS makes a row provisional or adds to its note, FREQ is not used', async () => {
    const items = await read(
      'csv',
      'indicator,place,period,value,note,UNIT_MULT,OBS_STATUS,FREQ,SEX\n11.1.1,MAAGA,2020,5.2,,6,E,A,F\n11.1.1,MAAGA,2021,5,seen,0,P,A,\n',
    );
    expect(errors(items)).toEqual([]);
    expect(rows(items).map((r) => r.record)).toEqual([
      expect.objectContaining({ unitMultiplier: '6', note: 'Observation status: E', dims: { SEX: 'F' } }),
      expect.objectContaining({ note: 'seen', status: 'provisional', dims: {} }),
    ]);
    expect(rows(items)[1]!.record.unitMultiplier).toBeUndefined();
    expect(items).toContainEqual({ kind: 'notice', message: 'columns not used: FREQ' });
  });
});
