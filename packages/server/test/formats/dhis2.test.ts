/**
 * No real DHIS2 `dataValueSets` file could be found to ship with the project (see
 * shared/data/README.md). The fixtures are built from DHIS2's documented format:
 * - fixtures/dhis2-docs-example.json is the example of the DHIS2 Web API documentation
 *   ("Data values" → sending data values: data set, complete date, period and org unit at the
 *   top, data values with only dataElement and value), with the Sierra Leone demo identifiers;
 * - fixtures/dhis2-export.json has the shape `GET /api/dataValueSets` returns (every data value
 *   with period, orgUnit, categoryOptionCombo, attributeOptionCombo, storedBy, created,
 *   lastUpdated, comment, followup; `deleted` when asked for), with made-up values.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Dhis2Mapping, parseDhis2Mapping } from '../../src/formats/index.ts';
import { actual, bytesIn, errors, expected, RECORDS, read, readFile, rows, skips, write } from './helpers.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');

const MAPPING: Dhis2Mapping = {
  dataElements: {
    f7n9E0hX8qk: { indicator: '3.1.1', series: 'SH_STA_MORT' },
    Ix2HsbDMLea: { indicator: '3.1.2' },
    eY5ehpbEsB7: { indicator: '3.2.1', series: 'SH_DYN_MORT' },
    deSlum00001: { indicator: '11.1.1', series: 'EN_LND_SLUM' },
  },
  orgUnits: { DiszpKrYNg8: 'SLE-BO', egyCairo001: 'EGY-CAI', egyAlex0001: 'EGY-ALX' },
  categoryOptionCombos: {
    S34ULMcHMca: { SEX: 'F' },
    cocFemYouth: { SEX: 'F', AGE: 'Y15T24' },
    cocMale0001: { SEX: 'M' },
    cocFemale01: { SEX: 'F' },
  },
  attributeOptionCombos: { aocOld65001: { AGE: 'Y_GE65' } },
};

describe('dhis2 reader', () => {
  it('reads the documentation example: period and orgUnit at the top are defaults', async () => {
    const items = await readFile('dhis2', join(FIXTURES, 'dhis2-docs-example.json'), { dhis2Mapping: MAPPING });
    expect(items).toEqual([
      {
        kind: 'row',
        at: 'dataValues[0]',
        record: { indicator: '3.1.1', series: 'SH_STA_MORT', place: 'SLE-BO', period: '201401', value: 1, dims: {} },
      },
      {
        kind: 'row',
        at: 'dataValues[1]',
        record: { indicator: '3.1.2', place: 'SLE-BO', period: '201401', value: 2, dims: {} },
      },
      {
        kind: 'row',
        at: 'dataValues[2]',
        record: { indicator: '3.2.1', series: 'SH_DYN_MORT', place: 'SLE-BO', period: '201401', value: 3, dims: {} },
      },
    ]);
  });

  it('reads an API export: combos to dimensions, comments to notes, DHIS2 periods as written; deleted, blank and non-numeric values are skipped', async () => {
    const items = await readFile('dhis2', join(FIXTURES, 'dhis2-export.json'), { dhis2Mapping: MAPPING });
    expect(rows(items)).toEqual([
      {
        at: 'dataValues[0]',
        record: {
          indicator: '3.1.1',
          series: 'SH_STA_MORT',
          place: 'SLE-BO',
          period: '2024Q1',
          value: 12.5,
          note: 'Revised after the district review, "final"',
          dims: { SEX: 'F' },
        },
      },
      // An org unit not in the mapping passes through as the place code; the pipeline checks it.
      {
        at: 'dataValues[1]',
        record: {
          indicator: '3.1.1',
          series: 'SH_STA_MORT',
          place: 'Rp268JB6Ne4',
          period: '2024July',
          value: -4,
          dims: {},
        },
      },
    ]);
    expect(skips(items)).toEqual([
      { kind: 'skip', at: 'dataValues[2]', reason: 'the data value is marked deleted in DHIS2' },
      { kind: 'skip', at: 'dataValues[3]', reason: 'no value' },
      // "true": a BOOLEAN (or TRUE_ONLY) data element's value, skipped whether mapped or not.
      {
        kind: 'skip',
        at: 'dataValues[4]',
        reason: 'a BOOLEAN or TRUE_ONLY value (not a number): DHIS2 data element UNMAPPED001',
      },
    ]);
    expect(errors(items)).toEqual([]);
  });

  it('without a mapping: one error', async () => {
    expect(await readFile('dhis2', join(FIXTURES, 'dhis2-docs-example.json'))).toEqual([
      { kind: 'error', at: '(top level)', message: expect.stringMatching(/^no DHIS2 mapping was given/) },
    ]);
  });

  it('top-level defaults written after the data values still apply', async () => {
    const text = JSON.stringify({
      dataValues: [{ dataElement: 'Ix2HsbDMLea', value: '5' }],
      period: '2024S1',
      orgUnit: 'egyCairo001',
    });
    expect(rows(await read('dhis2', text, { dhis2Mapping: MAPPING })).map((r) => r.record)).toEqual([
      { indicator: '3.1.2', place: 'EGY-CAI', period: '2024S1', value: 5, dims: {} },
    ]);
  });

  it('a data value without period or orgUnit anywhere is an error naming the field', async () => {
    const text = JSON.stringify({ dataValues: [{ dataElement: 'Ix2HsbDMLea', value: '5' }] });
    expect(errors(await read('dhis2', text, { dhis2Mapping: MAPPING })).map((e) => e.column)).toEqual([
      'period',
      'orgUnit',
    ]);
  });

  it('an unmapped non-default attribute option combo is an error; mapped ones add dimensions', async () => {
    const text = JSON.stringify({
      period: '2024',
      orgUnit: 'egyAlex0001',
      dataValues: [
        {
          dataElement: 'deSlum00001',
          categoryOptionCombo: 'cocFemale01',
          attributeOptionCombo: 'aocOld65001',
          value: '1',
        },
        { dataElement: 'deSlum00001', attributeOptionCombo: 'somePartner', value: '2' },
      ],
    });
    const items = await read('dhis2', text, { dhis2Mapping: MAPPING });
    expect(rows(items)[0]!.record.dims).toEqual({ SEX: 'F', AGE: 'Y_GE65' });
    expect(errors(items)).toEqual([
      {
        kind: 'error',
        at: 'dataValues[1]',
        column: 'attributeOptionCombo',
        message:
          'attribute option combo "somePartner" is not in the DHIS2 mapping ("attributeOptionCombos"; map it to {} to ignore it)',
      },
    ]);
  });

  it('not a data value set: clear errors', async () => {
    expect(errors(await read('dhis2', '[1, 2]', { dhis2Mapping: MAPPING })).map((e) => e.message)).toEqual([
      'a DHIS2 data value set must be a JSON object with "dataValues"',
    ]);
    expect(errors(await read('dhis2', '{"foo": 1}', { dhis2Mapping: MAPPING })).map((e) => e.message)).toEqual([
      'no "dataValues" list: this is not a DHIS2 data value set',
    ]);
    expect(errors(await read('dhis2', '{"dataValues": [1]}', { dhis2Mapping: MAPPING }))).toEqual([
      { kind: 'error', at: 'dataValues[0]', message: 'a data value must be an object' },
    ]);
  });
});

describe('dhis2 mapping file', () => {
  it('is checked with a message saying where', () => {
    expect(parseDhis2Mapping(JSON.stringify(MAPPING))).toEqual(MAPPING);
    expect(() => parseDhis2Mapping('{"dataElements": {"x": {"series": "S"}}}')).toThrow(/dataElements\.x\.indicator/);
    expect(() => parseDhis2Mapping('{nope')).toThrow(/not valid JSON/);
  });
});

describe('dhis2 writer', () => {
  const records = RECORDS.map((r) => ({ ...r, series: 'EN_LND_SLUM' }));

  it('writes a data value set with DHIS2 identifiers and periods', async () => {
    const text = await write('dhis2', records.slice(0, 3), { dhis2Mapping: MAPPING, dhis2DataSet: 'pBOMPrpg1QX' });
    expect(JSON.parse(text)).toEqual({
      dataSet: 'pBOMPrpg1QX',
      dataValues: [
        {
          dataElement: 'deSlum00001',
          period: '2024',
          orgUnit: 'egyCairo001',
          categoryOptionCombo: 'cocFemYouth',
          attributeOptionCombo: 'HllvX50cXC0',
          value: '12.5',
          comment: 'Estimate, "provisional" method;\nsee annex',
        },
        {
          dataElement: 'deSlum00001',
          period: '2024',
          orgUnit: 'egyCairo001',
          categoryOptionCombo: 'cocMale0001',
          attributeOptionCombo: 'HllvX50cXC0',
          value: '-3.75',
          comment: 'ملاحظة: القيمة سالبة، "تقديرية"',
        },
        {
          dataElement: 'deSlum00001',
          period: '2017July',
          orgUnit: 'egyAlex0001',
          categoryOptionCombo: 'HllvX50cXC0',
          attributeOptionCombo: 'HllvX50cXC0',
          value: '0.000125',
        },
      ],
    });
  });

  it('splits dimensions between an attribute option combo and a category option combo', async () => {
    const text = await write('dhis2', [records[3]!], { dhis2Mapping: MAPPING });
    expect(JSON.parse(text).dataValues[0]).toMatchObject({
      categoryOptionCombo: 'HllvX50cXC0',
      attributeOptionCombo: 'aocOld65001',
    });
  });

  it('refuses records it cannot map, naming them', async () => {
    await expect(write('dhis2', [{ ...records[0]!, indicator: '9.9.9' }], { dhis2Mapping: MAPPING })).rejects.toThrow(
      /no DHIS2 data element is mapped to indicator 9\.9\.9, series EN_LND_SLUM/,
    );
    await expect(write('dhis2', [{ ...records[0]!, dims: { SEX: 'X' } }], { dhis2Mapping: MAPPING })).rejects.toThrow(
      /no DHIS2 category option combo is mapped to these dimensions \(record 11\.1\.1 \/ EN_LND_SLUM \/ EGY-CAI \/ 2024 \(SEX=X\)\)/,
    );
    await expect(
      write('dhis2', [{ ...records[0]!, period: '1990-1999', dims: {} }], { dhis2Mapping: MAPPING }),
    ).rejects.toThrow(/DHIS2 has no period for 1990-1999/);
    await expect(write('dhis2', records, {})).rejects.toThrow(/needs a DHIS2 mapping/);
  });

  it('round trip: indicator, series, place, note and dimensions come back; periods mean the same', async () => {
    const text = await write('dhis2', records, { dhis2Mapping: MAPPING });
    const items = await read('dhis2', bytesIn(text, 5), { dhis2Mapping: MAPPING });
    expect(errors(items)).toEqual([]);
    const fields = ['indicator', 'series', 'place', 'note'] as const;
    expect(rows(items).map((r) => actual(r.record, fields))).toEqual(records.map((r) => expected(r, fields)));
  });
});
