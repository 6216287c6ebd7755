import { readdirSync } from 'node:fs';
import path, { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { indicatorFromFileName, openSdgFileName } from '../../src/formats/index.ts';
import {
  actual,
  DIMENSIONS,
  errors,
  expected,
  MORE_PERIODS,
  RECORDS,
  read,
  readFile,
  rows,
  skips,
  write,
} from './helpers.ts';

const LA = path.resolve(import.meta.dirname, '../../src/demo/data/open-sdg/los-angeles');

// Data rows per file, counted by eye from the files (data lines; the header is line 1).
const LA_COUNTS: Record<string, { rows: number; skipped: number }> = {
  'indicator_11-1-1.csv': { rows: 161, skipped: 3 },
  'indicator_11-2-1.csv': { rows: 18, skipped: 0 },
  'indicator_11-2-2.csv': { rows: 30, skipped: 0 },
  'indicator_11-5-1.csv': { rows: 6, skipped: 0 },
  'indicator_11-5-2.csv': { rows: 3, skipped: 0 },
  'indicator_11-6-1.csv': { rows: 6, skipped: 0 },
  'indicator_11-6-2.csv': { rows: 16, skipped: 0 },
  'indicator_11-7-1.csv': { rows: 14, skipped: 0 },
  'indicator_11-7-2.csv': { rows: 80, skipped: 0 },
  'indicator_16-1-1.csv': { rows: 90, skipped: 0 },
  'indicator_16-1-2.csv': { rows: 11, skipped: 0 },
  'indicator_16-1-3.csv': { rows: 80, skipped: 0 },
  'indicator_16-1-4.csv': { rows: 18, skipped: 0 },
  'indicator_16-2-1.csv': { rows: 63, skipped: 0 },
  'indicator_16-2-2.csv': { rows: 28, skipped: 0 },
  'indicator_16-2-3.csv': { rows: 54, skipped: 0 },
  'indicator_16-3-1.csv': { rows: 80, skipped: 0 },
  'indicator_16-3-2.csv': { rows: 23, skipped: 0 },
  'indicator_16-4-2.csv': { rows: 11, skipped: 0 },
  'indicator_16-5-1.csv': { rows: 11, skipped: 0 },
  'indicator_16-6-1.csv': { rows: 72, skipped: 0 },
  'indicator_16-7-1.csv': { rows: 77, skipped: 0 },
  'indicator_16-7-2.csv': { rows: 34, skipped: 0 },
  'indicator_16-8-1.csv': { rows: 12, skipped: 0 },
  'indicator_16-b-1.csv': { rows: 6, skipped: 0 },
};

describe('open-sdg reader on the Los Angeles data', () => {
  const files = readdirSync(LA).filter((f) => f.endsWith('.csv'));

  it('has the 25 files', () => {
    expect(files.sort()).toEqual(Object.keys(LA_COUNTS).sort());
  });

  for (const file of Object.keys(LA_COUNTS)) {
    it(`reads ${file} without a single error`, async () => {
      const items = await readFile('open-sdg', join(LA, file), { fileName: file, place: 'US-LAX' });
      expect(errors(items)).toEqual([]);
      expect(rows(items)).toHaveLength(LA_COUNTS[file]!.rows);
      expect(skips(items)).toHaveLength(LA_COUNTS[file]!.skipped);
      const indicator = file.replace(/^indicator_|\.csv$/g, '').replace(/-/g, '.');
      for (const { record } of rows(items)) {
        expect(record.indicator).toBe(indicator);
        expect(record.place).toBe('US-LAX');
        expect(record.value).not.toBeNaN();
      }
    });
  }

  it('11-1-1: blank values are skipped as "no data", blank cells are totals, Units is the series', async () => {
    const items = await readFile('open-sdg', join(LA, 'indicator_11-1-1.csv'), {
      fileName: 'indicator_11-1-1.csv',
      place: 'US-LAX',
    });
    expect(skips(items).map((s) => s.at)).toEqual([110, 130, 133]);
    expect(skips(items)[0]!.reason).toMatch(/no data/);
    const first = rows(items)[0]!;
    expect(first.at).toBe(2);
    expect(first.record).toEqual({
      indicator: '11.1.1',
      place: 'US-LAX',
      period: '2019',
      value: 0.91,
      series: 'Percent of Total Population',
      unit: 'Percent of Total Population',
      dims: {},
    });
    expect(rows(items)[2]!.record.dims).toEqual({ 'Sheltered/Unsheltered': 'sheltered' });
    expect(rows(items)[2]!.record.value).toBe(8944);
  });

  it('16-1-1 has several series; disaggregation columns keep their header text', async () => {
    const items = await readFile('open-sdg', join(LA, 'indicator_16-1-1.csv'), {
      fileName: 'indicator_16-1-1.csv',
      place: 'US-LAX',
    });
    const series = new Set(rows(items).map((r) => r.record.series));
    expect([...series].sort()).toEqual(['Homicides by victim descent', 'Homicides by victim gender']);
    expect(rows(items)[1]!.record).toMatchObject({ period: '2010', value: 50, dims: { 'Victim Gender': 'Female' } });
  });

  it('11-5-1: decade periods pass through untouched, two units in one file', async () => {
    const items = await readFile('open-sdg', join(LA, 'indicator_11-5-1.csv'), {
      fileName: 'indicator_11-5-1.csv',
      place: 'US-LAX',
    });
    expect(rows(items).map((r) => [r.record.period, r.record.series, r.record.value])).toEqual([
      ['1990-1999', 'Deaths', 224],
      ['1990-1999', 'Injuries', 15592],
      ['2000-2009', 'Deaths', 59],
      ['2000-2009', 'Injuries', 885],
      ['2010-2017', 'Deaths', 92],
      ['2010-2017', 'Injuries', 27],
    ]);
  });

  it('16-7-2: the byte-order mark is not part of the Year header', async () => {
    const items = await readFile('open-sdg', join(LA, 'indicator_16-7-2.csv'), {
      fileName: 'indicator_16-7-2.csv',
      place: 'US-LAX',
    });
    expect(rows(items)[0]!.record).toMatchObject({
      period: '2018',
      value: 85,
      dims: { 'Persons Registered to Vote': 'General Election' },
    });
  });

  it('16-8-1: leading spaces in quoted values (" 67.46") are accepted', async () => {
    const items = await readFile('open-sdg', join(LA, 'indicator_16-8-1.csv'), {
      fileName: 'indicator_16-8-1.csv',
      place: 'US-LAX',
    });
    expect(rows(items).find((r) => r.at === 6)!.record).toMatchObject({
      period: '2016',
      value: 67.46,
      dims: { 'Turnout Type': 'Turnout registered' },
    });
  });

  it('11-2-2: a local indicator, quoted cells with commas', async () => {
    const items = await readFile('open-sdg', join(LA, 'indicator_11-2-2.csv'), {
      fileName: 'indicator_11-2-2.csv',
      place: 'US-LAX',
    });
    expect(rows(items)[0]!.record).toMatchObject({
      indicator: '11.2.2',
      value: 78,
      dims: { 'Means of transportation to work': 'car, truck, or van' },
    });
  });
});

describe('open-sdg reader', () => {
  it('takes the indicator from the file name, letters included', () => {
    expect(indicatorFromFileName('indicator_11-1-1.csv')).toBe('11.1.1');
    expect(indicatorFromFileName('data/indicator_11-a-1.csv')).toBe('11.a.1');
    expect(indicatorFromFileName('C:\\x\\indicator_16-B-1.csv')).toBe('16.b.1');
    expect(indicatorFromFileName('11-1-1.csv')).toBeUndefined();
    expect(openSdgFileName('11.a.1')).toBe('indicator_11-a-1.csv');
  });

  it('an indicator given for the file wins over the file name', async () => {
    const items = await read('open-sdg', 'Year,Value\n2020,5\n', {
      fileName: 'indicator_1-1-1.csv',
      indicator: '11.1.1',
      place: 'X',
    });
    expect(rows(items)[0]!.record.indicator).toBe('11.1.1');
  });

  it('without an indicator: one error', async () => {
    const items = await read('open-sdg', 'Year,Value\n2020,5\n2021,6\n', { fileName: 'data.csv', place: 'X' });
    expect(items).toEqual([
      { kind: 'error', at: 1, message: expect.stringMatching(/no indicator.*indicator_11-1-1\.csv/) },
    ]);
  });

  it('without GeoCode and without a place: one error', async () => {
    const items = await read('open-sdg', 'Year,Value\n2020,5\n2021,6\n', { fileName: 'indicator_11-1-1.csv' });
    expect(items).toEqual([{ kind: 'error', at: 1, message: expect.stringMatching(/no place.*GeoCode/) }]);
  });

  it('GeoCode is the place, COMMENT_OBS the note, Series and Units apart when both are there', async () => {
    const text =
      'Year,Sex,Series,Units,GeoCode,COMMENT_OBS,Value\r2019,Female,SI_POV,Percent,EGY,"a note, quoted",4.5\r2019,,SI_POV,,EGY,,5\r';
    const items = await read('open-sdg', text, { fileName: 'indicator_1-1-1.csv' });
    expect(errors(items)).toEqual([]);
    expect(rows(items).map((r) => r.record)).toEqual([
      {
        indicator: '1.1.1',
        place: 'EGY',
        period: '2019',
        value: 4.5,
        series: 'SI_POV',
        unit: 'Percent',
        note: 'a note, quoted',
        dims: { Sex: 'Female' },
      },
      { indicator: '1.1.1', place: 'EGY', period: '2019', value: 5, series: 'SI_POV', dims: {} },
    ]);
  });

  it('bad values are errors naming Value and the line', async () => {
    const items = await read('open-sdg', 'Year,Value\n2019,abc\n2020,"1,5"\n,3\n', {
      fileName: 'indicator_1-1-1.csv',
      place: 'X',
    });
    expect(errors(items)).toEqual([
      {
        kind: 'error',
        at: 2,
        column: 'Value',
        message: 'Value "abc" is not a number',
        code: 'not-a-number',
        params: { value: 'abc' },
      },
      {
        kind: 'error',
        at: 3,
        column: 'Value',
        message: expect.stringMatching(/comma/),
        code: undefined,
        params: undefined,
      },
      { kind: 'error', at: 4, column: 'Year', message: 'Year is blank' },
    ]);
  });

  it('a header without Year or Value is refused', async () => {
    const items = await read('open-sdg', 'Annee,Valeur\n2019,1\n', { fileName: 'indicator_1-1-1.csv', place: 'X' });
    expect(errors(items).map((e) => e.message)).toEqual([
      expect.stringMatching(/no Year column/),
      expect.stringMatching(/no Value column/),
    ]);
  });
});

describe('open-sdg writer', () => {
  it('writes Year, the dimensions, Series, Units, GeoCode, COMMENT_OBS, Value', async () => {
    const text = await write('open-sdg', RECORDS.slice(0, 2), { dimensions: DIMENSIONS });
    const lines = text.split('\n');
    expect(lines[0]).toBe('Year,SEX,AGE,Series,Units,GeoCode,COMMENT_OBS,Value');
    expect(lines[1]).toBe('2024,F,Y15T24,EN_LND_SLUM,PERCENT,EGY-CAI,"Estimate, ""provisional"" method;');
    expect(lines[2]).toBe('see annex",12.5');
  });

  it('uses dimension names and value names when given, and the external place code on request', async () => {
    const text = await write('open-sdg', [{ ...RECORDS[0]!, dims: { SEX: 'F' } }], {
      dimensions: ['SEX'],
      dimensionNames: { SEX: 'Sex' },
      dimensionValueNames: { SEX: { F: 'Female' } },
      geoCode: 'external',
    });
    expect(text.split('\n')[0]).toBe('Year,Sex,Series,Units,GeoCode,COMMENT_OBS,Value');
    expect(text.split('\n')[1]).toMatch(/^2024,Female,EN_LND_SLUM,PERCENT,0101,/);
  });

  it('refuses a second indicator', async () => {
    await expect(
      write('open-sdg', [RECORDS[0]!, { ...RECORDS[1]!, indicator: '11.2.1' }], { dimensions: DIMENSIONS }),
    ).rejects.toThrow(/one indicator.*11\.1\.1 and 11\.2\.1/);
  });

  it('refuses a dimension it was not told about', async () => {
    await expect(write('open-sdg', RECORDS.slice(0, 1), { dimensions: ['SEX'] })).rejects.toThrow(/dimension AGE/);
  });

  it('round trip: what is written reads back the same (indicator, series, unit, place, note, dims)', async () => {
    const records = [...RECORDS, ...MORE_PERIODS];
    const text = await write('open-sdg', records, { dimensions: DIMENSIONS });
    const items = await read('open-sdg', text, { fileName: 'indicator_11-1-1.csv' });
    expect(errors(items)).toEqual([]);
    const fields = ['indicator', 'series', 'unit', 'place', 'note'] as const;
    expect(rows(items).map((r) => actual(r.record, fields))).toEqual(records.map((r) => expected(r, fields)));
  });
});

describe('open-sdg reader: columns as their SDMX concepts say', () => {
  it('REF_AREA names the place; a blank one is the file place; it is no breakdown', async () => {
    const items = await read(
      'open-sdg',
      'Year,UNIT_MEASURE,REF_AREA,Value\n2010,PERSONS,,107786.0\n2010,PERSONS,KZAKM,1423\n',
      {
        fileName: 'indicator_11-1-1.csv',
        place: 'KAZ',
      },
    );
    expect(errors(items)).toEqual([]);
    expect(rows(items).map((r) => [r.record.place, r.record.unit, r.record.series, r.record.dims])).toEqual([
      ['KAZ', 'PERSONS', undefined, {}],
      ['KZAKM', 'PERSONS', undefined, {}],
    ]);
  });

  it('columns naming the GeoCode in words are its labels; alone they name the place; beside no code they are breakdowns', async () => {
    const text = [
      'Year,Country,Region,Local Authority,Sex,Observation status,Unit multiplier,Unit measure,GeoCode,Value',
      '2020,England,,,Female,Normal value,Units,Number,E92000001,1',
      '2020,England,South West,,,Estimated value,Thousands,Number,E12000009,2',
      '2020,England,South West,"Bristol, City of",,Provisional value,Units,Number,,3',
      '2020,,,,,Undefined,Millions,GBP (£ millions),,4',
    ].join('\n');
    const items = await read('open-sdg', text, { fileName: 'indicator_8-10-1.csv', place: 'GBR' });
    expect(errors(items)).toEqual([]);
    expect(rows(items).map((r) => r.record)).toEqual([
      expect.objectContaining({
        place: 'E92000001',
        placeName: 'England',
        placeColumn: 'Country',
        dims: { Sex: 'Female' },
      }),
      expect.objectContaining({
        place: 'E12000009',
        placeName: 'South West',
        unitMultiplier: 'Thousands',
        note: 'Observation status: Estimated value',
        dims: {},
      }),
      expect.objectContaining({ place: 'Bristol, City of', placeName: 'Bristol, City of', status: 'provisional' }),
      // A unit that says the multiple itself keeps its values as written.
      expect.objectContaining({ place: 'GBR', unit: 'GBP (£ millions)', dims: {} }),
    ]);
    expect(rows(items)[3]!.record.unitMultiplier).toBeUndefined();
    const notices = items.filter((i) => i.kind === 'notice').map((i) => (i as { message: string }).message);
    expect(notices[0]).toMatch(/"Country", "Region", "Local Authority" name the place of GeoCode in words/);
    const noCode = await read('open-sdg', 'Year,City,Value\n2020,Leeds,1\n', {
      fileName: 'indicator_11-6-2.csv',
      place: 'GBR',
    });
    expect(rows(noCode)[0]!.record).toMatchObject({ place: 'GBR', dims: { City: 'Leeds' } });
  });

  it("a finer label than its code's own names the place; a code given to two places of one level is an error", async () => {
    const text = [
      'Year,Region,Local authority,GeoCode,Value',
      '2022,South West,,E12000009,93.4',
      '2022,South West,Wiltshire,E12000009,95.9',
      '2022,South West,Swindon,E12000009,94.1',
      '2023,South West,,E12000009,93.5',
    ].join('\n');
    const items = await read('open-sdg', text, { fileName: 'indicator_4-2-2.csv', place: 'GBR' });
    expect(errors(items)).toEqual([]);
    expect(rows(items).map((r) => r.record.place)).toEqual(['E12000009', 'Wiltshire', 'Swindon', 'E12000009']);
    const swapped = [
      'Year,Region,Local authority,GeoCode,Value',
      '2022,East of England,Bedford,E12000006,95.3',
      '2022,East of England,Luton,E12000006,95.1',
      '2022,East of England,,E12000006,95.6',
    ].join('\n');
    const bad = await read('open-sdg', swapped, { fileName: 'indicator_4-c-1.csv', place: 'GBR' });
    expect(errors(bad).map((e) => [e.at, e.column])).toEqual([
      [3, 'GeoCode'],
      [4, 'GeoCode'],
    ]);
    expect(errors(bad)[0]!.message).toMatch(
      /"E12000006" is given to Local authority "Luton" here and to Local authority "Bedford" on row 2/,
    );
  });

  it('Units names the series of a row whose Series is blank or absent; Unit measure is the unit', async () => {
    const items = await read(
      'open-sdg',
      'Year,Series,Units,Unit measure,Value\n2020,Area,Area (000s hectares),Hectares,1\n2020,,Number,,2\n',
      { fileName: 'indicator_15-2-1.csv', place: 'GBR' },
    );
    expect(rows(items).map((r) => [r.record.series, r.record.unit])).toEqual([
      ['Area', 'Hectares'],
      ['Number', 'Number'],
    ]);
    const alone = await read('open-sdg', 'Year,Units,Value\n2020,Deaths,1\n', {
      fileName: 'indicator_11-5-1.csv',
      place: 'X',
    });
    expect(rows(alone)[0]!.record).toMatchObject({ series: 'Deaths', unit: 'Deaths' });
  });

  it('reads empty unnamed columns as nothing, refuses a value in one; keeps a year note as a note', async () => {
    const ok = await read('open-sdg', 'Year,SEX,Value,,\n2019/20 [Note 5],F,1,,\n2001-2005 (baseline),,2,,\n', {
      fileName: 'indicator_1-4-2.csv',
      place: 'KAZ',
    });
    expect(errors(ok)).toEqual([]);
    expect(rows(ok).map((r) => [r.record.period, r.record.note, r.record.dims])).toEqual([
      ['2019/20', 'Note 5', { SEX: 'F' }],
      ['2001-2005', 'baseline', {}],
    ]);
    const bad = await read('open-sdg', 'Year,Value,\n2019,1,x\n', { fileName: 'indicator_1-4-2.csv', place: 'KAZ' });
    expect(errors(bad)).toEqual([
      expect.objectContaining({ at: 2, column: 'column 3', message: expect.stringMatching(/has no name/) }),
    ]);
  });
});
