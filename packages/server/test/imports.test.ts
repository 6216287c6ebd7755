import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, createTestApp, importText, LA_DIR, observationCount, SHARED, type TestApp } from './helpers.ts';

const TIDY = `${[
  'indicator,place,period,value,series,unit,source,note,SEX',
  '11.1.1,MAAGA,2015,31.5,,,Survey A,"first, with a comma",',
  '11.1.1,MAAGA,2020,28.25,,,Survey A,,',
  '16.1.1,MAAGA,2019,4.5,VC_IHR_PSRC,,Police records,,F',
  '16.1.1,MAAGA,2019,7.5,VC_IHR_PSRC,,Police records,,M',
  '16.1.1,JOAMM,2017-18,3.1,VC_IHR_PSRC,,Police records,financial year,',
].join('\n')}\n`;

describe.each(testStoreKinds())('imports on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses writes from someone not signed in, or with a wrong token', async () => {
    const none = await importText(t.app, TIDY, { format: 'csv' }, {});
    expect(none.statusCode).toBe(401);
    expect(none.json().message).toMatch(/Sign in, or send an API token/);
    const wrong = await importText(t.app, TIDY, { format: 'csv' }, { authorization: 'Bearer nope' });
    expect(wrong.statusCode).toBe(403);
    expect(await observationCount(t)).toBe(0);
  });

  it('checks a tidy CSV in a dry run without writing anything', async () => {
    const r = await importText(t.app, TIDY, { format: 'csv', dryRun: true });
    expect(r.statusCode).toBe(200);
    expect(r.json().state).toBe('dry-run');
    expect(r.json().counts).toMatchObject({ read: 5, inserted: 5, errors: 0 });
    expect(await observationCount(t)).toBe(0);
  });

  it('imports a tidy CSV, and re-importing it changes nothing', async () => {
    const first = await importText(t.app, TIDY, { format: 'csv', status: 'approved' });
    expect(first.statusCode).toBe(201);
    expect(first.json().counts).toMatchObject({ read: 5, inserted: 5, updated: 0, errors: 0 });
    expect(first.json().checksum).toMatch(/^[0-9a-f]{64}$/);
    const again = await importText(t.app, TIDY, { format: 'csv', status: 'approved' });
    expect(again.json().counts).toMatchObject({ inserted: 0, updated: 0, unchanged: 5 });
    expect(await observationCount(t)).toBe(5);
    const obs = await t.app.inject({ url: '/api/v1/observations?indicator=16.1.1&place=JOAMM' });
    expect(obs.json().items[0]).toMatchObject({
      period: '2017-18',
      periodStart: '2017-07-01',
      periodEnd: '2018-06-30',
      value: 3.1,
      note: 'financial year',
      status: 'approved',
    });
  });

  it('keeps the earlier version when a value changes', async () => {
    const changed = TIDY.replace('11.1.1,MAAGA,2020,28.25', '11.1.1,MAAGA,2020,27.75');
    const r = await importText(t.app, changed, { format: 'csv', status: 'approved' });
    expect(r.json().counts).toMatchObject({ inserted: 0, updated: 1, unchanged: 4 });
    const hist = await t.db.store.db.selectFrom('observation_history').selectAll().execute();
    expect(hist).toHaveLength(1);
    expect(hist[0]).toMatchObject({ value: 28.25, version: 1, change: 'update' });
    const obs = await t.app.inject({ url: '/api/v1/observations?indicator=11.1.1&place=MAAGA&from=2020&to=2020' });
    expect(obs.json().items[0]).toMatchObject({ value: 27.75, version: 2 });
  });

  it('writes nothing when the last row is bad, and names row, column and reason', async () => {
    const before = await observationCount(t);
    const bad = `${TIDY.replace('11.1.1,MAAGA,2015,31.5', '11.1.1,MAAGA,2016,1')}11.1.1,MAAGA,2023-02-30,5,,,,,\n`;
    const r = await importText(t.app, bad, { format: 'csv', status: 'approved' });
    expect(r.statusCode).toBe(422);
    const body = r.json();
    expect(body.state).toBe('failed');
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]).toMatchObject({ at: 7, column: 'period' });
    expect(body.message).toMatch(/Nothing was imported/);
    expect(body.errorReport).toMatch(/\/api\/v1\/imports\/\d+\/errors\.csv$/);
    expect(await observationCount(t)).toBe(before);
    const report = await t.app.inject({ url: body.errorReport, headers: AUTH });
    expect(report.statusCode).toBe(200);
    expect(report.body.split('\n')[0]).toBe('location,column,message');
    expect(report.body).toContain('7,period,');
  });

  it('reports unknown codes, bad values and keys given twice, each with its row', async () => {
    const bad = [
      'indicator,place,period,value,SEX',
      '99.9.9,MAAGA,2020,1,',
      '11.1.1,NOWHERE,2020,1,',
      '11.1.1,MAAGA,2020,abc,',
      '11.1.1,MAAGA,2020,1,X',
      '11.1.1,MAAGA,2021,1,',
      '11.1.1,MAAGA,2021,2,',
    ].join('\n');
    const r = await importText(t.app, bad, { format: 'csv' });
    expect(r.statusCode).toBe(422);
    const errors = r.json().errors as { at: number; column?: string; message: string }[];
    const byRow = Object.fromEntries(errors.map((e) => [e.at, e]));
    expect(byRow[2]).toMatchObject({ column: 'indicator' });
    expect(byRow[2]!.message).toMatch(/unknown indicator "99.9.9"/);
    expect(byRow[3]).toMatchObject({ column: 'place' });
    expect(byRow[4]).toMatchObject({ column: 'value' });
    expect(byRow[5]).toMatchObject({ column: 'SEX' });
    expect(byRow[5]!.message).toMatch(/not a value of dimension SEX/);
  });

  it('refuses a key given twice in one file', async () => {
    const dup = 'indicator,place,period,value\n11.1.1,JOAMM,2021,1\n11.1.1,JOAMM,2021,2\n';
    const r = await importText(t.app, dup, { format: 'csv' });
    expect(r.statusCode).toBe(422);
    expect(r.json().errors[0].message).toMatch(/same indicator, series, place, period/);
  });

  it('creates local indicators only when asked', async () => {
    const local = 'indicator,place,period,value\nAMM-LOCAL-1,JOAMM,2022,12\n';
    expect((await importText(t.app, local, { format: 'csv' })).statusCode).toBe(422);
    const r = await importText(t.app, local, { format: 'csv', createIndicators: true });
    expect(r.statusCode).toBe(201);
    expect(r.json().created).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'indicator', code: 'AMM-LOCAL-1' })]),
    );
    const ind = await t.app.inject({ url: '/api/v1/indicators/AMM-LOCAL-1' });
    expect(ind.json()).toMatchObject({ code: 'AMM-LOCAL-1', local: true });
  });

  it('imports every Open SDG file of Los Angeles', async () => {
    const files = (await readdir(LA_DIR)).filter((f) => f.endsWith('.csv'));
    expect(files).toHaveLength(25);
    let total = 0;
    for (const f of files) {
      const query = { format: 'open-sdg', fileName: f, place: 'USLAX', createIndicators: true, status: 'approved' };
      let r = await importText(t.app, await readFile(path.join(LA_DIR, f)), query);
      if (f === 'indicator_11-2-1.csv') {
        // Boardings (counts) in a percentage indicator: refused by its range, row by row; imported when the
        // importer says what unit they are in, into a series of the indicator in that unit.
        expect(r.statusCode).toBe(422);
        expect(r.json().errors[0]).toMatchObject({ at: 2, column: 'value', code: 'above-max' });
        r = await importText(t.app, await readFile(path.join(LA_DIR, f)), {
          ...query,
          unit: 'NUMBER',
          newSeriesForUnits: true,
        });
      }
      expect(r.statusCode, `${f}: ${r.body.slice(0, 400)}`).toBe(201);
      total += r.json().counts.inserted;
      if (f === 'indicator_11-1-1.csv') expect(r.json().counts.skipped).toBeGreaterThan(0);
    }
    expect(total).toBeGreaterThan(900);
    const pm = await t.app.inject({ url: '/api/v1/observations?indicator=11.6.2&place=USLAX&limit=1000' });
    const series = new Set(pm.json().items.map((o: { series: string }) => o.series));
    expect(series.size).toBe(2);
    const decade = await t.app.inject({ url: '/api/v1/observations?indicator=11.5.2&place=USLAX' });
    expect(decade.json().items.map((o: { period: string }) => o.period)).toContain('1990-1999');
  });

  it('refuses to delete a place or a series that observations refer to', async () => {
    const del = (sql: string) => t.db.store.exclusive((c) => c.query(sql));
    await expect(del("DELETE FROM places WHERE code = 'MAAGA'")).rejects.toThrow(/observations refer/);
    await expect(del("DELETE FROM series WHERE code = 'VC_IHR_PSRC'")).rejects.toThrow(/observations refer/);
    await expect(del("DELETE FROM indicators WHERE code = '16.1.1'")).rejects.toThrow(/observations refer/);
  });

  it('imports a DHIS2 dataValueSets file through a mapping (built from the documented format: no real file could be shipped)', async () => {
    const file = JSON.stringify({
      dataSet: 'pBOMPrpg1QX',
      period: '2023',
      orgUnit: 'DiszpKrYNg8',
      dataValues: [
        { dataElement: 'fbfJHSPpUQD', categoryOptionCombo: 'HllvX50cXC0', value: '3.2', comment: 'from DHIS2' },
        { dataElement: 'fbfJHSPpUQD', categoryOptionCombo: 'psbwp3CQEhs', value: '1.1' },
        { dataElement: 'fbfJHSPpUQD', categoryOptionCombo: 'hEFKSsPV5et', value: '5.4', period: '2023Q2' },
      ],
    });
    const mapping = {
      dataElements: { fbfJHSPpUQD: { indicator: '16.1.1', series: 'VC_IHR_PSRC' } },
      orgUnits: { DiszpKrYNg8: 'KZALA' },
      categoryOptionCombos: { psbwp3CQEhs: { SEX: 'F' }, hEFKSsPV5et: { SEX: 'M' } },
    };
    const r = await importText(
      t.app,
      file,
      { format: 'dhis2', dhis2Mapping: JSON.stringify(mapping), status: 'approved' },
      { ...AUTH, 'content-type': 'application/json' },
    );
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().counts).toMatchObject({ inserted: 3 });
    const obs = await t.app.inject({ url: '/api/v1/observations?indicator=16.1.1&place=KZALA' });
    const byPeriod = obs
      .json()
      .items.map((o: { period: string; value: number; dims: Record<string, string>; note: string | null }) => [
        o.period,
        o.value,
        o.dims.SEX ?? '_T',
        o.note,
      ]);
    expect(byPeriod).toEqual(
      expect.arrayContaining([
        ['2023', 3.2, '_T', 'from DHIS2'],
        ['2023', 1.1, 'F', null],
        ['2023-Q2', 5.4, 'M', null],
      ]),
    );
    const unmapped = await importText(
      t.app,
      file.replace('fbfJHSPpUQD', 'unknownElem'),
      { format: 'dhis2', dhis2Mapping: JSON.stringify(mapping) },
      { ...AUTH, 'content-type': 'application/json' },
    );
    expect(unmapped.statusCode).toBe(422);
    expect(unmapped.json().errors[0].message).toMatch(/unknownElem/);
  });

  it('says clearly why an SDMX-JSON message without a place cannot be imported', async () => {
    const sample = await readFile(path.join(SHARED, 'data/sdmx-json', 'exr-flat.json'));
    const r = await importText(t.app, sample, { format: 'sdmx-json' }, { ...AUTH, 'content-type': 'application/json' });
    expect(r.statusCode).toBe(422);
    expect(r.json().message).toMatch(/REF_AREA|place/);
  });

  it('maps freely named columns onto dimensions with a mapping', async () => {
    const file = await readFile(path.join(LA_DIR, 'indicator_16-1-4.csv'));
    const map = { columns: { Gender: { dimension: 'SEX', values: { Female: 'F', Male: 'M' } } } };
    const r = await importText(t.app, file, {
      format: 'open-sdg',
      fileName: 'indicator_16-1-4.csv',
      place: 'JOAMM',
      map: JSON.stringify(map),
      status: 'approved',
    });
    expect(r.statusCode).toBe(201);
    const women = await t.app.inject({ url: '/api/v1/observations?indicator=16.1.4&place=JOAMM&dim=SEX:F' });
    expect(women.json().total).toBeGreaterThan(0);
    expect(women.json().items.every((o: { dims: Record<string, string> }) => o.dims.SEX === 'F')).toBe(true);
  });
});

describe.each(testStoreKinds())('a first import into an empty database on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses a key given twice, naming the second row and the key, and writes nothing', async () => {
    const rows = ['indicator,place,period,value'];
    for (let y = 1990; y < 2030; y++) rows.push(`11.1.1,MAAGA,${y},${y - 1980}`);
    rows.push('11.1.1,JOAMM,2020,5', '11.1.1,MAAGA,2001,7');
    const r = await importText(t.app, `${rows.join('\n')}\n`, { format: 'csv' });
    expect(r.statusCode, r.body).toBe(422);
    expect(r.json().errors[0]).toMatchObject({ at: 43 });
    expect(r.json().errors[0].message).toMatch(/earlier row \(11\.1\.1 \/ EN_LND_SLUM \/ MAAGA \/ 2001 \/ total\)/);
    expect(await observationCount(t)).toBe(0);
    const ok = await importText(t.app, `${rows.slice(0, -1).join('\n')}\n`, { format: 'csv' });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().counts).toMatchObject({ inserted: 41 });
  });
});
