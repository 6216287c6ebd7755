import { describe, expect, it } from 'vitest';
import { actual, DIMENSIONS, errors, expected, MORE_PERIODS, RECORDS, read, rows, skips, write } from './helpers.ts';

// Samples written after the SDMX-CSV 1.0 and 2.0 specifications (sdmx-twg/sdmx-csv) and the
// UN SDG global database's SDMX-CSV exports.

const SDG_1_0 = [
  'DATAFLOW,FREQ,REPORTING_TYPE,SERIES,REF_AREA,SEX,AGE,URBANISATION,TIME_PERIOD,OBS_VALUE,UNIT_MULT,UNIT_MEASURE,OBS_STATUS,NATURE,SOURCE_DETAIL,COMMENT_OBS',
  'UNSD:DF_SDG_GLH(1.9),A,G,EN_LND_SLUM,818,_T,_T,_T,2018,5.2,0,PT,A,C,UN-Habitat,',
  'UNSD:DF_SDG_GLH(1.9),A,G,EN_LND_SLUM,818,F,_T,U,2018,6.1,0,PT,A,C,UN-Habitat,"Estimate, see ""notes"""',
  'UNSD:DF_SDG_GLH(1.9),A,G,EN_LND_SLUM,818,_T,_Z,_T,2020,NaN,0,PT,M,C,UN-Habitat,',
  'UNSD:DF_SDG_GLH(1.9),A,G,EN_LND_SLUM,818,_T,_T,_T,2021,,0,PT,M,C,UN-Habitat,',
].join('\r\n');

describe('sdmx-csv reader', () => {
  it('reads SDMX-CSV 1.0 (DATAFLOW first): SERIES, REF_AREA, attributes; _T and _Z are totals; FREQ and the like are not dimensions', async () => {
    const items = await read('sdmx-csv', SDG_1_0);
    expect(items.filter((i) => i.kind === 'notice')).toEqual([
      { kind: 'notice', message: 'dimension columns: SEX, AGE, URBANISATION' },
      { kind: 'notice', message: 'columns not used: FREQ, REPORTING_TYPE, NATURE' },
    ]);
    expect(errors(items)).toEqual([]);
    expect(rows(items)).toEqual([
      {
        at: 2,
        record: {
          series: 'EN_LND_SLUM',
          place: '818',
          period: '2018',
          value: 5.2,
          unit: 'PT',
          source: 'UN-Habitat',
          dims: {},
        },
      },
      {
        at: 3,
        record: {
          series: 'EN_LND_SLUM',
          place: '818',
          period: '2018',
          value: 6.1,
          unit: 'PT',
          source: 'UN-Habitat',
          note: 'Estimate, see "notes"',
          dims: { SEX: 'F', URBANISATION: 'U' },
        },
      },
    ]);
    expect(skips(items).map((s) => [s.at, s.reason])).toEqual([
      [4, 'no value (OBS_VALUE NaN)'],
      [5, 'no value'],
    ]);
  });

  it('the indicator given for the file goes with each SERIES when the file has no INDICATOR (as in SDMX-ML and SDMX-JSON)', async () => {
    const items = await read('sdmx-csv', SDG_1_0, { indicator: '11.1.1' });
    expect(errors(items)).toEqual([]);
    expect(rows(items).map((r) => [r.record.indicator, r.record.series])).toEqual([
      ['11.1.1', 'EN_LND_SLUM'],
      ['11.1.1', 'EN_LND_SLUM'],
    ]);
  });

  it('reads SDMX-CSV 2.0 with labels (ID: Name) in headers and coded cells; ACTION D rows are skipped', async () => {
    const text = [
      'STRUCTURE,STRUCTURE_ID,ACTION,FREQ: Frequency,INDICATOR: Indicator,REF_AREA: Reference area,SEX: Sex,TIME_PERIOD: Time period,OBS_VALUE: Observation value,UNIT_MEASURE: Unit of measure,COMMENT_OBS: Comment',
      'dataflow,MARSAD:DF_MARSAD(1.0),I,A: Annual,11.1.1: Slum population,EGY-CAI: القاهرة,F: Female,2024-Q1,3.5,PT: Percent,Note: with a colon',
      'dataflow,MARSAD:DF_MARSAD(1.0),R,A: Annual,11.1.1: Slum population,EGY-CAI: القاهرة,_T: Total,2024-Q2,4,PT: Percent,',
      'dataflow,MARSAD:DF_MARSAD(1.0),D,A: Annual,11.1.1: Slum population,EGY-CAI: القاهرة,_T: Total,2024-Q3,,,',
      'dataflow,MARSAD:DF_MARSAD(1.0),X,A: Annual,11.1.1: Slum population,EGY-CAI: القاهرة,_T: Total,2024-Q4,1,,',
    ].join('\n');
    const items = await read('sdmx-csv', text);
    expect(rows(items).map((r) => r.record)).toEqual([
      {
        indicator: '11.1.1',
        place: 'EGY-CAI',
        period: '2024-Q1',
        value: 3.5,
        unit: 'PT',
        note: 'Note: with a colon',
        dims: { SEX: 'F' },
      },
      { indicator: '11.1.1', place: 'EGY-CAI', period: '2024-Q2', value: 4, unit: 'PT', dims: {} },
    ]);
    expect(skips(items)).toEqual([
      { kind: 'skip', at: 4, reason: 'delete actions are not supported (ACTION D): the row was not imported' },
    ]);
    expect(errors(items)).toEqual([
      { kind: 'error', at: 5, column: 'ACTION', message: 'ACTION "X" is not one of I, A, R, M (import) or D (delete)' },
    ]);
  });

  it("MARSAD_STATUS is the status; OBS_STATUS only when it is one of Marsad's statuses", async () => {
    const text = [
      'DATAFLOW,INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE,OBS_STATUS,MARSAD_STATUS',
      'X:Y(1.0),1.1.1,EGY,2020,1,P,validated',
      'X:Y(1.0),1.1.1,EGY,2021,1,A,',
      'X:Y(1.0),1.1.1,EGY,2022,1,provisional,',
    ].join('\n');
    expect(rows(await read('sdmx-csv', text)).map((r) => r.record.status)).toEqual([
      'validated',
      undefined,
      'provisional',
    ]);
  });

  it('without REF_AREA or INDICATOR/SERIES columns: one error each, unless given for the file', async () => {
    const text = 'DATAFLOW,FREQ,CURRENCY,TIME_PERIOD,OBS_VALUE\nECB:EXR(1.0),M,USD,2010-01,1.4272\n';
    expect(errors(await read('sdmx-csv', text))).toEqual([
      {
        kind: 'error',
        at: 1,
        message: 'there is no REF_AREA column and no place was given for the file: cannot tell the place',
      },
      {
        kind: 'error',
        at: 1,
        message:
          'there is neither an INDICATOR nor a SERIES column and no indicator was given for the file: cannot tell the indicator',
      },
    ]);
    const items = await read('sdmx-csv', text, { place: 'EA', indicator: '17.3.1' });
    expect(rows(items).map((r) => r.record)).toEqual([
      { indicator: '17.3.1', place: 'EA', period: '2010-01', value: 1.4272, dims: { CURRENCY: 'USD' } },
    ]);
  });

  it('bad values and blank keys are errors naming the column', async () => {
    const text = ['DATAFLOW,SERIES,REF_AREA,TIME_PERIOD,OBS_VALUE', 'X:Y(1.0),S,EGY,2020,"1,5"', 'X:Y(1.0),S,,,2'].join(
      '\n',
    );
    expect(errors(await read('sdmx-csv', text))).toEqual([
      { kind: 'error', at: 2, column: 'OBS_VALUE', message: expect.stringMatching(/^OBS_VALUE "1,5" has a comma/) },
      { kind: 'error', at: 3, column: 'TIME_PERIOD', message: 'TIME_PERIOD is blank' },
      { kind: 'error', at: 3, column: 'REF_AREA', message: 'REF_AREA is blank and no place was given for the file' },
    ]);
  });

  it('a file without OBS_VALUE or TIME_PERIOD is refused', async () => {
    const items = await read('sdmx-csv', 'STRUCTURE,STRUCTURE_ID,ACTION,SERIES,REF_AREA,VALUE\n');
    expect(errors(items).map((e) => e.message)).toEqual([
      'there is no OBS_VALUE column',
      'there is no TIME_PERIOD column',
    ]);
  });
});

describe('sdmx-csv writer', () => {
  it('writes SDMX-CSV 2.0 with _T for totals, SDMX time periods and MARSAD_STATUS', async () => {
    const text = await write('sdmx-csv', [RECORDS[2]!], { dimensions: DIMENSIONS });
    expect(text.split('\n').slice(0, 2)).toEqual([
      'STRUCTURE,STRUCTURE_ID,ACTION,INDICATOR,SERIES,REF_AREA,SEX,AGE,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,OBS_STATUS,CONF_STATUS,MARSAD_STATUS,COMMENT_OBS,SOURCE_DETAIL',
      'dataflow,MARSAD:DF_MARSAD(1.0),I,11.1.1,EN_LND_SLUM,EGY-ALX,_T,_T,2017-07-01/P1Y,0.000125,,P,,provisional,,',
    ]);
  });

  it('takes the dataflow from the options', async () => {
    const text = await write('sdmx-csv', [RECORDS[5]!], { structureId: 'EG:DF_URBAN(2.0)' });
    expect(text.split('\n')[1]).toMatch(/^dataflow,EG:DF_URBAN\(2\.0\),I,/);
  });

  it('refuses dimension codes SDMX uses for something else', async () => {
    await expect(write('sdmx-csv', [], { dimensions: ['FREQ'] })).rejects.toThrow(/FREQ/);
  });

  it('round trip: every field comes back, the status through MARSAD_STATUS', async () => {
    const records = [...RECORDS, ...MORE_PERIODS];
    const text = await write('sdmx-csv', records, { dimensions: DIMENSIONS });
    const items = await read('sdmx-csv', text);
    expect(errors(items)).toEqual([]);
    const fields = ['indicator', 'series', 'place', 'unit', 'status', 'source', 'note'] as const;
    expect(rows(items).map((r) => actual(r.record, fields))).toEqual(records.map((r) => expected(r, fields)));
  });
});
