import path, { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  actual,
  bytesIn,
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

const SAMPLES = path.resolve(import.meta.dirname, '../../../../../shared/data/sdmx-json');

describe('sdmx-json reader on the SDMX technical working group samples (2.x)', () => {
  it('exchange rates have no REF_AREA and no SERIES/INDICATOR: one clear error each', async () => {
    for (const file of ['exr-flat.json', 'exr-time-series.json', 'exr-cross-section.json']) {
      expect(await readFile('sdmx-json', join(SAMPLES, file))).toEqual([
        {
          kind: 'error',
          at: 'data.dataSets[0]',
          message: 'no REF_AREA dimension: cannot tell the place (give a place for the file)',
        },
        {
          kind: 'error',
          at: 'data.dataSets[0]',
          message: 'no SERIES or INDICATOR dimension: cannot tell the indicator (give an indicator for the file)',
        },
      ]);
    }
  });

  it('flat, time-series and cross-section layouts give the same four observations', async () => {
    const expectedRecords = [
      ['NZD', '2013-01-18', 1.5931],
      ['NZD', '2013-01-21', 1.5925],
      ['RUB', '2013-01-18', 40.3426],
      ['RUB', '2013-01-21', 40.3],
    ];
    for (const file of ['exr-flat.json', 'exr-time-series.json', 'exr-cross-section.json']) {
      const items = await readFile('sdmx-json', join(SAMPLES, file), { place: 'EA', indicator: '17.3.1' });
      expect(errors(items)).toEqual([]);
      const got = rows(items)
        .map((r) => [r.record.dims.CURRENCY, r.record.period, r.record.value])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0])) || String(a[1]).localeCompare(String(b[1])));
      expect(got).toEqual(expectedRecords);
      for (const { record } of rows(items)) {
        expect(record).toMatchObject({ indicator: '17.3.1', place: 'EA' });
        // FREQ is not a dimension; the data-set-level dimensions are.
        expect(Object.keys(record.dims).sort()).toEqual(['CURRENCY', 'CURRENCY_DENOM', 'EXR_SUFFIX', 'EXR_TYPE']);
      }
    }
    const flat = await readFile('sdmx-json', join(SAMPLES, 'exr-flat.json'), { place: 'EA', indicator: '17.3.1' });
    expect(rows(flat)[0]!.at).toBe('data.dataSets[0].observations["0:0"]');
  });

  it('a Delete data set is skipped with its reason; the Replace one is read', async () => {
    const items = await readFile('sdmx-json', join(SAMPLES, 'exr-action-delete.json'), {
      place: 'EA',
      indicator: '17.3.1',
    });
    expect(errors(items)).toEqual([]);
    expect(rows(items).map((r) => [r.at, r.record.period, r.record.dims.CURRENCY, r.record.value])).toEqual([
      ['data.dataSets[0].series["0"].observations["1"]', '2013-01-18', 'RUB', 40.3426],
      ['data.dataSets[0].series["1"].observations["1"]', '2013-01-21', 'RUB', 40.3],
    ]);
    expect(skips(items)).toEqual([
      {
        kind: 'skip',
        at: 'data.dataSets[1].series["0"].observations["0"]',
        reason: "the data set's action is Delete: deletions are not imported",
      },
    ]);
  });

  it('agri: data sets before the structure, REF_AREA, data-set and dimension-group attributes', async () => {
    const items = await readFile('sdmx-json', join(SAMPLES, 'agri.json'), { indicator: '2.4.1' });
    expect(errors(items)).toEqual([]);
    expect(rows(items)).toHaveLength(12);
    expect(rows(items)[1]).toEqual({
      at: 'data.dataSets[0].observations["0:1"]',
      record: {
        indicator: '2.4.1',
        place: 'ASIKHM001',
        period: '2015',
        value: 389.385,
        unit: 'TONES',
        // UNIT_MULT 3: thousands of tonnes, scaled by the import.
        unitMultiplier: '3',
        source: 'MAFF_Agricultural Statistics_2015; Other sources',
        dims: {},
      },
    });
    expect(rows(items).map((r) => r.record.place)).toContain('ASIKHM');
  });
});

/** An SDMX-JSON 1.0 message written after the 1.0 field guide (sdmx-twg/sdmx-json, 1.0 docs). */
const V1 = {
  header: { id: 'TEST1', prepared: '2024-05-01T10:00:00Z', sender: { id: 'UNSD' } },
  structure: {
    name: 'SDG',
    dimensions: {
      dataSet: [{ id: 'FREQ', name: 'Frequency', values: [{ id: 'A', name: 'Annual' }] }],
      series: [
        { id: 'SERIES', keyPosition: 1, values: [{ id: 'EN_LND_SLUM', name: 'Slums' }] },
        {
          id: 'REF_AREA',
          keyPosition: 2,
          values: [
            { id: '818', name: 'Egypt' },
            { id: '504', name: 'Morocco' },
          ],
        },
        {
          id: 'SEX',
          keyPosition: 3,
          values: [
            { id: '_T', name: 'Total' },
            { id: 'F', name: 'Female' },
          ],
        },
      ],
      observation: [
        {
          id: 'TIME_PERIOD',
          keyPosition: 4,
          values: [
            { id: '2018', name: '2018' },
            { id: '2020', name: '2020' },
          ],
        },
      ],
    },
    attributes: {
      dataSet: [],
      series: [{ id: 'UNIT_MEASURE', name: 'Unit', values: [{ id: 'PT', name: 'Percent' }] }],
      observation: [
        { id: 'OBS_STATUS', name: 'Status', default: 'A', values: [{ id: 'A' }, { id: 'E' }] },
        { id: 'COMMENT_OBS', name: 'Comment', values: [{ name: 'Estimated from the census, see "notes"' }] },
      ],
    },
  },
  dataSets: [
    {
      action: 'Information',
      series: {
        '0:0:0': { attributes: [0], observations: { '0': [24.6, 1, 0], '1': [22.1] } },
        '0:1:1': { attributes: [0], observations: { '0': [13.1], '1': [null, 0] } },
        '0:5:0': { observations: { '0': [1] } },
        '0:0:1': { observations: { '3': [1], '1': 'x', '0': ['abc'] } },
      },
    },
  ],
};

describe('sdmx-json reader', () => {
  it('reads SDMX-JSON 1.0: series keys, attributes at every level, defaults, _T as total', async () => {
    const items = await read('sdmx-json', JSON.stringify(V1));
    expect(rows(items)).toEqual([
      {
        at: 'dataSets[0].series["0:0:0"].observations["0"]',
        record: {
          series: 'EN_LND_SLUM',
          place: '818',
          period: '2018',
          value: 24.6,
          unit: 'PT',
          note: 'Estimated from the census, see "notes"',
          dims: {},
        },
      },
      {
        at: 'dataSets[0].series["0:0:0"].observations["1"]',
        record: { series: 'EN_LND_SLUM', place: '818', period: '2020', value: 22.1, unit: 'PT', dims: {} },
      },
      {
        at: 'dataSets[0].series["0:1:1"].observations["0"]',
        record: { series: 'EN_LND_SLUM', place: '504', period: '2018', value: 13.1, unit: 'PT', dims: { SEX: 'F' } },
      },
    ]);
    expect(skips(items)).toEqual([
      { kind: 'skip', at: 'dataSets[0].series["0:1:1"].observations["1"]', reason: 'no value' },
    ]);
    expect(errors(items)).toEqual([
      {
        kind: 'error',
        at: 'dataSets[0].series["0:5:0"]',
        message: 'series key "0:5:0": "5" is not a value index of dimension REF_AREA (2 values)',
      },
      {
        kind: 'error',
        at: 'dataSets[0].series["0:0:1"].observations["0"]',
        column: 'OBS_VALUE',
        message: 'OBS_VALUE "abc" is not a number',
      },
      {
        kind: 'error',
        at: 'dataSets[0].series["0:0:1"].observations["1"]',
        message: 'an observation must be a list: [value, attribute indexes…]',
      },
      {
        kind: 'error',
        at: 'dataSets[0].series["0:0:1"].observations["3"]',
        message: 'observation key "3": "3" is not a value index of dimension TIME_PERIOD (2 values)',
      },
    ]);
  });

  it('the indicator given for the file goes with each SERIES when the message has no INDICATOR (as in SDMX-ML and SDMX-CSV)', async () => {
    const items = await read('sdmx-json', JSON.stringify(V1), { indicator: '11.1.1' });
    expect(rows(items).map((r) => [r.record.indicator, r.record.series])).toEqual([
      ['11.1.1', 'EN_LND_SLUM'],
      ['11.1.1', 'EN_LND_SLUM'],
      ['11.1.1', 'EN_LND_SLUM'],
    ]);
  });

  it('reads the same whatever the chunk boundaries', async () => {
    const text = JSON.stringify(V1, null, 2);
    const whole = await read('sdmx-json', text);
    for (const size of [1, 3, 64]) expect(await read('sdmx-json', bytesIn(text, size))).toEqual(whole);
  });

  it('a data-set field after the observations cannot apply any more: an error, not a silent import', async () => {
    const message = { ...V1, dataSets: [{ series: { '0:0:0': { observations: { '0': [1] } } }, action: 'Delete' }] };
    const items = await read('sdmx-json', JSON.stringify(message));
    expect(errors(items)).toEqual([
      {
        kind: 'error',
        at: 'dataSets[0].action',
        message: `the data set's "action" comes after its observations; Marsad reads SDMX-JSON in one pass and needs it before them`,
      },
    ]);
  });

  it('the same field order is fine when the structure comes last (everything waits for it)', async () => {
    const { structure, ...rest } = V1;
    const message = {
      ...rest,
      dataSets: [{ series: { '0:0:0': { observations: { '0': [1] } } }, action: 'Delete' }],
      structure,
    };
    const items = await read('sdmx-json', JSON.stringify(message));
    expect(items).toEqual([
      {
        kind: 'skip',
        at: 'dataSets[0].series["0:0:0"].observations["0"]',
        reason: "the data set's action is Delete: deletions are not imported",
      },
    ]);
  });

  it('broken JSON is one error saying where', async () => {
    const items = await read('sdmx-json', '{"dataSets": [{"observations": {"0": [1,]}}]}');
    // The place is as near as the tokenizer tells: within the observation here.
    expect(errors(items)).toEqual([
      {
        kind: 'error',
        at: expect.stringMatching(/^dataSets\[0\]\.observations/),
        message: expect.stringMatching(/^the file is not valid JSON/),
      },
    ]);
    expect(errors(await read('sdmx-json', '{"dataSets": [')).map((e) => e.message)).toEqual([
      expect.stringMatching(/cut off|not valid JSON/),
    ]);
    expect(errors(await read('sdmx-json', '')).map((e) => e.message)).toEqual([expect.stringMatching(/empty/)]);
  });

  it('a message with errors and no data says so', async () => {
    const items = await read(
      'sdmx-json',
      JSON.stringify({ meta: { id: 'x' }, errors: [{ code: 404, title: 'No results found' }] }),
    );
    expect(errors(items).map((e) => e.message)).toEqual([
      'the message reports an error: No results found',
      'no dataSets: this SDMX-JSON message holds no data',
    ]);
  });
});

describe('sdmx-json writer', () => {
  it('writes an SDMX-JSON 2.0 message with a flat data set', async () => {
    const text = await write('sdmx-json', RECORDS.slice(0, 3), {
      dimensions: DIMENSIONS,
      prepared: '2024-06-01T00:00:00Z',
      messageId: 'M1',
    });
    const message = JSON.parse(text);
    expect(message.meta).toMatchObject({ id: 'M1', prepared: '2024-06-01T00:00:00Z', sender: { id: 'MARSAD' } });
    const structure = message.data.structures[0];
    expect(
      structure.dimensions.observation.map((d: { id: string; keyPosition: number }) => [d.id, d.keyPosition]),
    ).toEqual([
      ['INDICATOR', 0],
      ['SERIES', 1],
      ['REF_AREA', 2],
      ['SEX', 3],
      ['AGE', 4],
      ['TIME_PERIOD', 5],
    ]);
    expect(structure.dimensions.observation[2].values).toEqual([
      { id: 'EGY-CAI', name: 'القاهرة' },
      { id: 'EGY-ALX', name: 'EGY-ALX' },
    ]);
    // Periods are sorted and carry their dates.
    expect(structure.dimensions.observation[5].values).toEqual([
      { id: '2017-07-01/P1Y', name: '2017-07-01/P1Y', start: '2017-07-01T00:00:00Z', end: '2018-06-30T23:59:59Z' },
      { id: '2024', name: '2024', start: '2024-01-01T00:00:00Z', end: '2024-12-31T23:59:59Z' },
    ]);
    expect(structure.attributes.observation.map((a: { id: string }) => a.id)).toEqual([
      'UNIT_MEASURE',
      'OBS_STATUS',
      'MARSAD_STATUS',
      'COMMENT_OBS',
      'SOURCE_DETAIL',
    ]);
    expect(message.data.dataSets[0].observations).toEqual({
      '0:0:0:0:0:1': [12.5, 0, 0, 0, 0, 0],
      '0:0:0:1:1:1': [-3.75, 0, 0, 1, 1, 1],
      '0:0:1:2:1:0': [0.000125, null, 1, 2],
    });
  });

  it('leaves out attributes no record uses', async () => {
    const message = JSON.parse(await write('sdmx-json', [RECORDS[5]!]));
    expect(message.data.structures[0].attributes.observation.map((a: { id: string }) => a.id)).toEqual([
      'OBS_STATUS',
      'MARSAD_STATUS',
    ]);
  });

  it('refuses two records with the same key', async () => {
    await expect(write('sdmx-json', [RECORDS[5]!, { ...RECORDS[5]!, value: 8 }])).rejects.toThrow(/same key/);
  });

  it('round trip: every field comes back', async () => {
    const records = [...RECORDS, ...MORE_PERIODS];
    const text = await write('sdmx-json', records, { dimensions: DIMENSIONS });
    const items = await read('sdmx-json', text);
    expect(errors(items)).toEqual([]);
    const fields = ['indicator', 'series', 'place', 'unit', 'status', 'source', 'note'] as const;
    const byKey = (c: { place?: string; period: string; dims: Record<string, string> }) =>
      `${c.place} ${c.period} ${JSON.stringify(c.dims)}`;
    const got = rows(items).map((r) => actual(r.record, fields));
    const want = records.map((r) => expected(r, fields));
    expect(got.sort((a, b) => byKey(a).localeCompare(byKey(b)))).toEqual(
      want.sort((a, b) => byKey(a).localeCompare(byKey(b))),
    );
  });
});
