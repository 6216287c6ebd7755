import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, createTestApp, importText, SHARED, type TestApp } from './helpers.ts';

/**
 * DHIS2 as a DHIS2 user expects (issue 14, item 7), through the API: the real `dataValueSets`
 * files of DHIS2's own tests (shared/data/dhis2, BSD 3-Clause) import through a mapping; values
 * of non-numeric value types are skipped with a count; unmapped data elements are refused, or
 * skipped with a notice when asked; export takes a mapping and never answers 500.
 */
const DHIS2 = path.join(SHARED, 'data/dhis2');
const JSON_HEADERS = { ...AUTH, 'content-type': 'application/json' };

const MAPPING = {
  dataElements: {
    BjDrgVrkBI3: { indicator: 'POP', series: 'POP_T' },
    f7n9E0hX8qk: { indicator: '11.1.1' },
    // Synthetic data elements of the synthetic file below.
    synBool0001: { indicator: '11.1.1', valueType: 'BOOLEAN' },
    synText0001: { indicator: '11.1.1', valueType: 'TEXT' },
  },
  orgUnits: { O6uvpzGd5pu: 'MAAGA', DiszpKrYNg8: 'JOAMM' },
  categoryOptionCombos: { oPcWGgS2Liz: { SEX: 'F' }, rtfSaMjPyq6: { SEX: 'M' } },
};

/**
 * SYNTHETIC: a data value set as DHIS2 exports a data set that mixes value types (made up for this
 * test, not real data): numbers, a BOOLEAN and a TRUE_ONLY data element ("true"/"false"), a TEXT
 * data element with words and one with a number-like text, and a data element the mapping lacks.
 */
const SYNTHETIC = JSON.stringify({
  dataSet: 'synDataSet1',
  period: '2023',
  orgUnit: 'DiszpKrYNg8',
  dataValues: [
    { dataElement: 'f7n9E0hX8qk', value: '12.5' },
    { dataElement: 'synBool0001', value: 'true' },
    { dataElement: 'synBool0001', period: '2022', value: 'false' },
    { dataElement: 'synTrueOnly', value: 'true' },
    { dataElement: 'synText0001', value: 'Clinic closed for renovation' },
    { dataElement: 'synText0001', period: '2022', value: '12' },
    { dataElement: 'synTextUnmp', value: 'no data: the survey was postponed' },
    { dataElement: 'synUnmapped', value: '7' },
  ],
});

describe.each(testStoreKinds())('DHIS2 imports and exports on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => {
    await t?.close();
  });
  const dhis2 = (body: string | Buffer, query: Record<string, string | boolean> = {}) =>
    importText(t.app, body, { format: 'dhis2', dhis2Mapping: JSON.stringify(MAPPING), ...query }, JSON_HEADERS);

  it("imports DHIS2's own dataValueSets files through a mapping", async () => {
    const single = await dhis2(await readFile(path.join(DHIS2, 'dataValues_single_dataset.json')));
    expect(single.statusCode, single.body).toBe(201);
    expect(single.json().counts).toMatchObject({ read: 2, inserted: 2, skipped: 0 });
    const pop = await t.app.inject({ url: '/api/v1/observations?indicator=POP&place=MAAGA', headers: AUTH });
    expect(
      pop
        .json()
        .items.map((o: { period: string; value: number; dims: { SEX?: string }; status: string }) => [
          o.period,
          o.value,
          o.dims.SEX,
          o.status,
        ]),
    ).toEqual(
      expect.arrayContaining([
        ['2019-11', 1000, 'F', 'provisional'],
        ['2019-11', 2000, 'M', 'provisional'],
      ]),
    );
    const j = await dhis2(await readFile(path.join(DHIS2, 'dataValueSetJ.json')));
    expect(j.statusCode, j.body).toBe(201);
    // The same key again, with another value: one changed.
    const later = await dhis2(await readFile(path.join(DHIS2, 'dataValueSetCreateDate.json')));
    expect(later.statusCode, later.body).toBe(201);
    expect(later.json().counts).toMatchObject({ inserted: 0, updated: 1 });
  });

  it('skips the values of non-numeric value types with a count, and refuses unmapped data elements unless asked to skip them', async () => {
    const refused = await dhis2(SYNTHETIC);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors).toEqual([
      {
        at: 'dataValues[7]',
        column: 'dataElement',
        message: expect.stringMatching(/data element "synUnmapped" is not in the DHIS2 mapping.*--skip-unmapped/),
      },
    ]);
    const r = await dhis2(SYNTHETIC, { skipUnmapped: true });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().counts).toMatchObject({ read: 1, inserted: 1, skipped: 7, errors: 0 });
    expect(r.json().notices).toEqual(
      expect.arrayContaining([
        '6 data values of non-numeric value types skipped (Marsad keeps numbers): BOOLEAN (2 values), BOOLEAN or TRUE_ONLY (1 value), TEXT (3 values); data elements synBool0001 (2 values), synTrueOnly (1 value), synText0001 (2 values), synTextUnmp (1 value)',
        '1 data value skipped as asked: their data elements are not in the DHIS2 mapping: synUnmapped (1 value)',
      ]),
    );
  });

  it('exports to DHIS2 with a mapping; without one, or one that cannot express the selection, a 400 before anything is sent', async () => {
    const url = (q: Record<string, string>) => `/api/v1/observations/export?${new URLSearchParams(q)}`;
    const none = await t.app.inject({ url: url({ format: 'dhis2', indicator: 'POP' }), headers: AUTH });
    expect(none.statusCode).toBe(400);
    expect(none.json().message).toMatch(/dhis2Mapping: a DHIS2 export needs a DHIS2 mapping/);

    const ok = await t.app.inject({
      url: url({
        format: 'dhis2',
        indicator: 'POP',
        dhis2Mapping: JSON.stringify(MAPPING),
        dhis2DataSet: 'VEM58nY22sO',
      }),
      headers: AUTH,
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const set = JSON.parse(ok.body);
    expect(set.dataSet).toBe('VEM58nY22sO');
    expect(set.dataValues).toEqual(
      expect.arrayContaining([
        {
          dataElement: 'BjDrgVrkBI3',
          period: '201911',
          orgUnit: 'O6uvpzGd5pu',
          categoryOptionCombo: 'oPcWGgS2Liz',
          attributeOptionCombo: 'HllvX50cXC0',
          value: '1000',
        },
      ]),
    );

    const partial = { ...MAPPING, dataElements: { f7n9E0hX8qk: { indicator: '11.1.1' } } };
    const lacking = await t.app.inject({
      url: url({ format: 'dhis2', dhis2Mapping: JSON.stringify(partial) }),
      headers: AUTH,
    });
    expect(lacking.statusCode).toBe(400);
    expect(lacking.json().message).toMatch(/indicator POP, series POP_T: no data element/);
    const skipping = await t.app.inject({
      url: url({ format: 'dhis2', dhis2Mapping: JSON.stringify(partial), skipUnmapped: 'true' }),
      headers: AUTH,
    });
    expect(skipping.statusCode).toBe(200);
    const values = JSON.parse(skipping.body).dataValues as { dataElement: string }[];
    expect(values.length).toBeGreaterThan(0);
    expect(values.every((v) => v.dataElement === 'f7n9E0hX8qk')).toBe(true);

    const broken = await t.app.inject({
      url: url({ format: 'dhis2', dhis2Mapping: '{"dataElements": 1}' }),
      headers: AUTH,
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().message).toMatch(/dhis2Mapping: not right at dataElements/);
  });
});
