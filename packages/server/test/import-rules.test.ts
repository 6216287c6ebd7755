import { testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, createTestApp, importText, signedIn, type TestApp } from './helpers.ts';

/**
 * Units and validation rules hold on imports as in the data-entry form (issue 14, item 4): a
 * value in another unit than its series' is refused naming the row (or, when asked, starts a
 * series of its own); the indicator's rules refuse a row, or warn and import it, the way each
 * rule is set; imports enter as provisional.
 */
describe.each(testStoreKinds())('units and rules on imports on %s', (kind) => {
  let t: TestApp;
  const csv = (...rows: string[]) => `${rows.join('\n')}\n`;
  const obs = async (indicator: string, place: string) =>
    (await t.app.inject({ url: `/api/v1/observations?indicator=${indicator}&place=${place}&limit=100`, headers: AUTH }))
      .json()
      .items.map(
        (o: { series: string; period: string; value: number; unit: string; status: string; dims: object }) => ({
          series: o.series,
          period: o.period,
          value: o.value,
          unit: o.unit,
          status: o.status,
          dims: o.dims,
        }),
      );
  const setRules = async (code: string, validationRules: object) => {
    const r = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/indicators/${code}/rules`,
      headers: AUTH,
      payload: { validationRules, suppression: null },
    });
    expect(r.statusCode, r.body).toBe(200);
  };

  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses a value outside the range as the entry form does, naming the row, and writes nothing', async () => {
    const r = await importText(
      t.app,
      csv('indicator,place,period,value', '11.1.1,MAAGA,2025,40', '11.1.1,MAAGA,2026,150'),
      {
        format: 'csv',
      },
    );
    expect(r.statusCode, r.body).toBe(422);
    expect(r.json().errors).toEqual([
      {
        at: 3,
        column: 'value',
        code: 'above-max',
        message: 'indicator 11.1.1: 150 is above the largest value allowed for this indicator, 100.',
      },
    ]);
    expect(await obs('11.1.1', 'MAAGA')).toEqual([]);
    // The entry form refuses the same value with the same rule.
    const national = await signedIn(t, 'rules-morocco@example.org', [{ role: 'national-focal-point', place: 'MAR' }]);
    const form = await t.app.inject({
      method: 'POST',
      url: '/api/v1/entry',
      headers: national,
      payload: { place: 'MAAGA', period: '2026', entries: [{ indicator: '11.1.1', value: 150 }] },
    });
    expect(form.statusCode).toBe(400);
    expect(form.json().details.errors[0]).toMatchObject({ code: 'above-max', params: { max: 100 } });
  });

  it("refuses a unit that is not the series', naming the row; PT is PERCENT; with newSeriesForUnits the values start a series in their unit", async () => {
    const file = csv(
      'indicator,place,period,value,unit',
      '11.1.1,KZALA,2019,31.5,PT',
      '11.1.1,KZALA,2010,107786,PERSONS',
    );
    const refused = await importText(t.app, file, { format: 'csv' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors).toHaveLength(1);
    expect(refused.json().errors[0]).toMatchObject({ at: 3, column: 'unit' });
    expect(refused.json().errors[0].message).toMatch(
      /the unit "PERSONS" is not the unit of series EN_LND_SLUM of indicator 11\.1\.1, "PERCENT".*--new-series-for-units/,
    );
    expect(await obs('11.1.1', 'KZALA')).toEqual([]);

    const r = await importText(t.app, file, { format: 'csv', newSeriesForUnits: true });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().created).toContainEqual({
      kind: 'series',
      code: 'EN_LND_SLUM (PERSONS)',
      detail: 'of indicator 11.1.1',
    });
    // Counts are not held to the percentage's range; the percentage is stored in the series' unit code.
    expect(await obs('11.1.1', 'KZALA')).toEqual(
      expect.arrayContaining([
        { series: 'EN_LND_SLUM', period: '2019', value: 31.5, unit: 'PERCENT', status: 'provisional', dims: {} },
        {
          series: 'EN_LND_SLUM (PERSONS)',
          period: '2010',
          value: 107786,
          unit: 'PERSONS',
          status: 'provisional',
          dims: {},
        },
      ]),
    );
    // Later files in that unit find its series.
    const again = await importText(
      t.app,
      csv('indicator,place,period,value,unit', '11.1.1,KZALA,2011,108000,PERSONS'),
      {
        format: 'csv',
        newSeriesForUnits: true,
      },
    );
    expect(again.json().created).toEqual([]);
    // A unit multiplier the file states scales the value into the series' unit; one it cannot read names the row.
    const thousands = await importText(
      t.app,
      csv(
        'indicator,place,period,value,unit,UNIT_MULT',
        'POP,KZALA,2020,5.2,NUMBER,3',
        'POP,KZALA,2021,5.3,NUMBER,Thousands',
      ),
      { format: 'csv' },
    );
    expect(thousands.statusCode, thousands.body).toBe(201);
    expect((await obs('POP', 'KZALA')).map((o: { value: number; unit: string }) => [o.value, o.unit])).toEqual(
      expect.arrayContaining([
        [5200, 'NUMBER'],
        [5300, 'NUMBER'],
      ]),
    );
    const unreadable = await importText(
      t.app,
      csv('indicator,place,period,value,UNIT_MULT', 'POP,KZALA,2022,5.2,Percentage (%)'),
      { format: 'csv' },
    );
    expect(unreadable.json().errors[0]).toMatchObject({ at: 2, column: 'unit multiplier' });
  });

  it('checks the rules over sets of values (parts of a total, their sum, large changes) and reports rules set as warnings without refusing', async () => {
    const stored = await importText(t.app, csv('indicator,place,period,value,SEX', 'POP,JOAMM,2020,1000,'), {
      format: 'csv',
    });
    expect(stored.statusCode, stored.body).toBe(201);
    await setRules('POP', { min: 0, requiredDimensions: ['SEX'], sumTolerance: 0.01, maxChangePercent: 50 });
    const file = csv(
      'indicator,place,period,value,SEX,note',
      'POP,JOAMM,2021,1700,,', // +70 % from the stored 2020 value, no note
      'POP,JOAMM,2021,800,F,',
      'POP,JOAMM,2021,800,M,', // 1,600 is not 1,700
      'POP,JOAMM,2022,1800,,', // no parts by SEX
      'POP,JOAMM,2023,3000,,a new census', // +67 %, with a note: fine
      'POP,JOAMM,2023,1500,F,a new census',
      'POP,JOAMM,2023,1500,M,a new census',
    );
    const r = await importText(t.app, file, { format: 'csv' });
    expect(r.statusCode, r.body).toBe(422);
    const problems = r
      .json()
      .errors.map((e: { at: number; column: string; code: string }) => `${e.at} ${e.column} ${e.code}`);
    expect(problems.sort()).toEqual(['2 note change-needs-comment', '2 value parts-sum', '5 dims missing-part'].sort());
    expect(r.json().errors.find((e: { code: string }) => e.code === 'missing-part').message).toBe(
      'indicator POP: Enter the values by SEX too (missing: F, M).',
    );
    expect(r.json().errors.find((e: { code: string }) => e.code === 'parts-sum').message).toMatch(
      /add up to 1600, not to the total 1700/,
    );

    // The same rules set as warnings: imported, and every problem reported with its row.
    await setRules('POP', {
      min: 0,
      requiredDimensions: ['SEX'],
      sumTolerance: 0.01,
      maxChangePercent: 50,
      warnings: ['requiredDimensions', 'sumTolerance', 'maxChangePercent'],
    });
    const warned = await importText(t.app, file, { format: 'csv' });
    expect(warned.statusCode, warned.body).toBe(201);
    expect(warned.json().counts).toMatchObject({ inserted: 7, errors: 0, warnings: 3 });
    expect(
      warned
        .json()
        .warnings.map((w: { at: number; code: string }) => `${w.at} ${w.code}`)
        .sort(),
    ).toEqual(['2 change-needs-comment', '2 parts-sum', '5 missing-part'].sort());
    // A range set as a warning too; a range left as an error still refuses.
    await setRules('POP', { min: 0, max: 10000, warnings: ['range'] });
    const big = await importText(t.app, csv('indicator,place,period,value', 'POP,JOAMM,2024,20000'), { format: 'csv' });
    expect(big.statusCode, big.body).toBe(201);
    expect(big.json().warnings[0]).toMatchObject({ at: 2, code: 'above-max' });
    // The entry form too: saved, the warning answered.
    const national = await signedIn(t, 'rules-jordan@example.org', [{ role: 'national-focal-point', place: 'JOR' }]);
    const form = await t.app.inject({
      method: 'POST',
      url: '/api/v1/entry',
      headers: national,
      payload: { place: 'JOAMM', period: '2030', entries: [{ indicator: 'POP', value: 30000 }] },
    });
    expect(form.statusCode, form.body).toBe(201);
    expect(form.json().warnings).toEqual([expect.objectContaining({ index: 0, field: 'value', code: 'above-max' })]);
    const negative = await importText(t.app, csv('indicator,place,period,value', 'POP,JOAMM,2025,-1'), {
      format: 'csv',
    });
    expect(negative.statusCode).toBe(201);
    await setRules('POP', { min: 0 });
    const refused = await importText(t.app, csv('indicator,place,period,value', 'POP,JOAMM,2026,-1'), {
      format: 'csv',
    });
    expect(refused.json().errors[0]).toMatchObject({ at: 2, code: 'below-min' });
    // Overlapping periods: the previous value of 2027-Q4 is the latest that ends before it starts (2025), not 2027.
    await setRules('POP', { maxChangePercent: 50 });
    const overlap = await importText(
      t.app,
      csv('indicator,place,period,value', 'POP,JOAMM,2027,100', 'POP,JOAMM,2027-Q4,120'),
      { format: 'csv' },
    );
    expect(
      overlap.json().errors.map((e: { at: number; code: string; message: string }) => [e.at, e.code, e.message]),
    ).toEqual([
      [2, 'change-needs-comment', expect.stringContaining('from the previous period (-1)')],
      [3, 'change-needs-comment', expect.stringContaining('from the previous period (-1)')],
    ]);
  });
});
