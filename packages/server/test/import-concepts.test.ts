import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, createTestApp, importText, SHARED, signedIn, type TestApp } from './helpers.ts';

/**
 * Columns mean what their SDMX concepts say (issue 14, item 2), on real Open SDG files: REF_AREA and GeoCode name
 * places, the columns naming the same place in words are labels, units, multipliers and observation statuses are
 * attributes, a Sex column is SEX, an age band a closed list lacks is added only when the import may extend it.
 */
const OPEN_SDG = path.join(SHARED, 'data/open-sdg');

/** Kazakhstan's regions as REF_AREA codes them (KZALA, Almaty city, is in the catalogue already). */
const KAZ_REGIONS: [string, string][] = [
  ['KZABY', 'Abai Region'],
  ['KZAKM', 'Akmola Region'],
  ['KZAKT', 'Aktobe Region'],
  ['KZALM', 'Almaty Region'],
  ['KZATY', 'Atyrau Region'],
  ['KZKAR', 'Karaganda Region'],
  ['KZKUS', 'Kostanay Region'],
  ['KZKZY', 'Kyzylorda Region'],
  ['KZMAN', 'Mangystau Region'],
  ['KZNS', 'Astana'],
  ['KZONT', 'South Kazakhstan Region'],
  ['KZPAV', 'Pavlodar Region'],
  ['KZSEV', 'North Kazakhstan Region'],
  ['KZSHY', 'Shymkent'],
  ['KZULU', 'Ulytau Region'],
  ['KZVOS', 'East Kazakhstan Region'],
  ['KZYUZ', 'Turkistan Region'],
  ['KZZAP', 'West Kazakhstan Region'],
  ['KZZHA', 'Zhambyl Region'],
  ['KZZHS', 'Zhetisu Region'],
];

describe.each(testStoreKinds())('columns as their SDMX concepts say, on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  const sql = async <T>(text: string, params: unknown[] = []) =>
    (await t.db.store.exclusive((c) => c.query<T & Record<string, unknown>>(text, params))).rows;

  /** Observations of an indicator: place code, period, disaggregation key and value. */
  const observations = (indicator: string) =>
    sql<{ place: string; period: string; key: string; value: number; note: string | null }>(
      `SELECT p.code AS place, o.period, d.key, o.value, o.note FROM observations o
       JOIN places p ON p.id = o.place_id JOIN disaggregations d ON d.id = o.disagg_id
       JOIN indicators i ON i.id = o.indicator_id WHERE i.code = $1 ORDER BY 1, 2, 3`,
      [indicator],
    );

  it("refuses an unknown REF_AREA, naming the row; a place's name in any language names it", async () => {
    const unknown = await importText(t.app, 'Year,UNIT_MEASURE,REF_AREA,Value\n2020,PT,,1\n2020,PT,KZXXX,5\n', {
      format: 'open-sdg',
      fileName: 'indicator_11-6-1.csv',
      place: 'KAZ',
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors).toEqual([
      expect.objectContaining({
        at: 3,
        column: 'place',
        message: expect.stringMatching(/unknown place "KZXXX".*--create-places/),
      }),
    ]);
    // Алматы is the catalogue's Russian name of KZALA; ALMATY its English one, any case.
    const named = await importText(t.app, 'Year,REF_AREA,Value\n2020,Алматы,5\n2021,ALMATY,6\n', {
      format: 'open-sdg',
      fileName: 'indicator_11-6-1.csv',
      place: 'KAZ',
    });
    expect(named.statusCode, named.json().message).toBe(201);
    expect((await observations('11.6.1')).map((o) => [o.place, o.period])).toEqual([
      ['KZALA', '2020'],
      ['KZALA', '2021'],
    ]);
  });

  it("imports Kazakhstan's 11-1-1 with its regions under their places, not as a breakdown", async () => {
    const places = `code,parent,level,name_en\n${KAZ_REGIONS.map(([c, n]) => `${c},KAZ,region,${n}`).join('\n')}\n`;
    const loaded = await t.app.inject({
      method: 'POST',
      url: '/api/v1/places/import',
      headers: { ...AUTH, 'content-type': 'text/csv' },
      payload: places,
    });
    expect(loaded.statusCode, loaded.body).toBe(201);
    const file = await readFile(path.join(OPEN_SDG, 'kazakhstan/data/indicator_11-1-1.csv'));
    // The file counts persons; 11.1.1 is a percentage whose rules refuse 107,786 (item 4): a local indicator takes them.
    const r = await importText(t.app, file, {
      format: 'open-sdg',
      fileName: 'indicator_11-1-1.csv',
      indicator: 'KZ-11.1.1',
      createIndicators: true,
      place: 'KAZ',
    });
    expect(r.statusCode, r.json().message).toBe(201);
    expect(r.json().counts).toMatchObject({ read: 247, errors: 0 });
    expect(r.json().created.filter((c: { kind: string }) => c.kind === 'dimension')).toEqual([]);
    const obs = await observations('KZ-11.1.1');
    expect(obs).toHaveLength(247);
    expect(obs.every((o) => o.key === '')).toBe(true);
    expect(obs.find((o) => o.place === 'KAZ' && o.period === '2010')?.value).toBe(107786);
    expect(obs.find((o) => o.place === 'KZAKM' && o.period === '2010')?.value).toBe(1423);
    expect(new Set(obs.map((o) => o.place)).size).toBe(22); // KAZ, its 20 regions and Almaty city
  });

  it("creates the places a file names with createPlaces, under the file's place, named by the label beside the code; Sex is SEX", async () => {
    const file = await readFile(path.join(OPEN_SDG, 'uk-ons/data/indicator_3-2-1.csv'));
    const query = { format: 'open-sdg', fileName: 'indicator_3-2-1.csv', place: 'GBR', newSeriesForUnits: true };
    const refused = await importText(t.app, file, query);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors[0]).toMatchObject({
      at: 2,
      column: 'place',
      message: expect.stringMatching(/E92000001/),
    });
    const r = await importText(t.app, file, { ...query, createPlaces: true });
    expect(r.statusCode, r.json().message).toBe(201);
    expect(r.json().counts).toMatchObject({ read: 322, errors: 0 });
    const created = r.json().created as { kind: string; code: string; detail?: string }[];
    expect(created.filter((c) => c.kind === 'dimension')).toEqual([]);
    expect(created.filter((c) => c.kind === 'place').map((c) => c.code)).toEqual(
      expect.arrayContaining(['E92000001', 'W92000004', 'S92000003', 'K04000001']),
    );
    const england = await sql<{ level: string; names: Record<string, string>; parent: string; external: string }>(
      `SELECT p.level, p.names, q.code AS parent, p.external_code AS external FROM places p
       JOIN places q ON q.id = p.parent_id WHERE p.code = 'E92000001'`,
    );
    expect(england).toEqual([{ level: 'region', names: { en: 'England' }, parent: 'GBR', external: 'E92000001' }]);
    const obs = await observations('3.2.1');
    expect(new Set(obs.map((o) => o.key))).toEqual(new Set(['', 'SEX=F', 'SEX=M']));
    expect(obs.find((o) => o.place === 'E92000001' && o.period === '2000' && o.key === 'SEX=M')?.value).toBe(7.11);
    // The rows without a GeoCode are the file's place's.
    expect(obs.some((o) => o.place === 'GBR')).toBe(true);
    // Observation status ("Normal value") and Unit multiplier ("Units") are neither breakdowns nor notes.
    expect(obs.every((o) => o.note === null)).toBe(true);
  });

  it('a place created from its name alone takes the code a later file gives it', async () => {
    const query = { format: 'open-sdg', place: 'GBR', createPlaces: true, createIndicators: true };
    const first = [
      'Year,Region,Local authority,GeoCode,Value',
      '2022,North East,,E12000001,90',
      '2022,North East,County Durham,E12000001,91',
    ].join('\n');
    const a = await importText(t.app, first, { ...query, fileName: 'indicator_4-2-9.csv' });
    expect(a.statusCode, a.json().message).toBe(201);
    const second = 'Year,Local authority,GeoCode,Value\n2022,County Durham,E06000047,92\n';
    const b = await importText(t.app, second, { ...query, fileName: 'indicator_4-2-8.csv' });
    expect(b.statusCode, b.json().message).toBe(201);
    const durham = await sql<{ code: string; external: string | null; parent: string }>(
      `SELECT p.code, p.external_code AS external, q.code AS parent FROM places p JOIN places q ON q.id = p.parent_id
       WHERE p.names->>'en' = 'County Durham'`,
    );
    expect(durham).toEqual([{ code: 'GBR-COUNTY_DURHAM', external: 'E06000047', parent: 'GBR' }]);
  });

  it('creates places only where the importer may add places', async () => {
    const headers = await signedIn(t, 'agadir@concepts.example', [{ role: 'city-focal-point', place: 'MAAGA' }]);
    const text = 'Year,REF_AREA,Value\n2020,AGA-NEW-1,5\n';
    const query = { format: 'open-sdg', fileName: 'indicator_11-6-1.csv', createPlaces: true };
    const country = await importText(t.app, text, { ...query, place: 'MAR' }, headers);
    expect(country.statusCode).toBe(422);
    expect(country.json().errors[0]).toMatchObject({
      at: 2,
      message: expect.stringMatching(/may not add places under MAR/),
    });
    const city = await importText(t.app, text, { ...query, place: 'MAAGA' }, headers);
    expect(city.statusCode, city.json().message).toBe(201);
    expect(
      await sql(`SELECT q.code FROM places p JOIN places q ON q.id = p.parent_id WHERE p.code = 'AGA-NEW-1'`),
    ).toEqual([{ code: 'MAAGA' }]);
  });

  it('reads Sex by its labels in any language, Total as no breakdown; statuses and multipliers are not breakdowns', async () => {
    const text = [
      'Year,Sex,Observation status,Unit multiplier,Value',
      '2020,أنثى,Normal value,Units,10',
      '2020,ذكر,Normal value,Units,11',
      '2021,Femmes,Estimated value,Units,12',
      '2021,HOMMES,Normal value,Units,13',
      '2021,Total,Normal value,Units,25',
      '2022,M,Provisional value,Units,14',
    ].join('\n');
    const r = await importText(t.app, text, {
      format: 'open-sdg',
      fileName: 'indicator_11-7-1.csv',
      place: 'MAAGA',
      status: 'approved',
    });
    expect(r.statusCode, r.json().message).toBe(201);
    expect(r.json().created).toEqual([]);
    const obs = await observations('11.7.1');
    expect(obs.map((o) => [o.period, o.key, o.value, o.note])).toEqual([
      ['2020', 'SEX=F', 10, null],
      ['2020', 'SEX=M', 11, null],
      ['2021', '', 25, null],
      ['2021', 'SEX=F', 12, 'Observation status: Estimated value'],
      ['2021', 'SEX=M', 13, null],
      ['2022', 'SEX=M', 14, null],
    ]);
    const status = await sql<{ status: string }>(
      `SELECT o.status FROM observations o JOIN indicators i ON i.id = o.indicator_id WHERE i.code = '11.7.1' AND o.period = '2022'`,
    );
    expect(status).toEqual([{ status: 'provisional' }]);
  });

  it('adds an age band a closed code list lacks only with extendCodes, with its label; "15-24" is Y15T24', async () => {
    const text = 'Year,AGE,Value\n2020,15-24,5\n2020,Y18T24,6\n2020,25 to 34,7\n';
    const query = { format: 'open-sdg', fileName: 'indicator_11-7-4.csv', place: 'MAAGA', createIndicators: true };
    const refused = await importText(t.app, text, query);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors).toEqual([
      expect.objectContaining({ at: 3, column: 'AGE', message: expect.stringMatching(/"Y18T24".*--extend-codes/) }),
      expect.objectContaining({ at: 4, column: 'AGE', message: expect.stringMatching(/"25 to 34"/) }),
    ]);
    expect(await sql(`SELECT 1 FROM dimension_values WHERE code = 'Y18T24'`)).toEqual([]);
    const r = await importText(t.app, text, { ...query, extendCodes: true });
    expect(r.statusCode, r.json().message).toBe(201);
    expect(r.json().created).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'dimension value', code: 'Y18T24' }),
        expect.objectContaining({
          kind: 'dimension value',
          code: 'Y25T34',
          detail: expect.stringMatching(/"25 to 34"/),
        }),
      ]),
    );
    const added = await sql<{ code: string; names: Record<string, string> }>(
      `SELECT v.code, v.names FROM dimension_values v JOIN dimensions d ON d.id = v.dimension_id
       WHERE d.code = 'AGE' AND v.code IN ('Y18T24', 'Y25T34') ORDER BY 1`,
    );
    expect(added.map((a) => [a.code, a.names.en, a.names.ar])).toEqual([
      ['Y18T24', '18 to 24 years', 'من 18 إلى 24 سنة'],
      ['Y25T34', '25 to 34 years', 'من 25 إلى 34 سنة'],
    ]);
    expect((await observations('11.7.4')).map((o) => o.key)).toEqual(['AGE=Y15T24', 'AGE=Y18T24', 'AGE=Y25T34']);
  });

  it('lets --map point at a dimension the same import creates; reads the periods Open SDG displays', async () => {
    const text = [
      'Year,Tenure,Tenure sub-category,Value',
      '2018 to 2020,Owned,,1',
      '2018-2020,Rented,,2',
      '2018/19,Rented,Social,3',
      'Q1 2020,Owned,,4',
      '2020 Q2,Owned,,5',
    ].join('\n');
    const map = { columns: { Tenure: { dimension: 'TENURE' }, 'Tenure sub-category': { dimension: 'TENURE_SUB' } } };
    const r = await importText(t.app, text, {
      format: 'open-sdg',
      fileName: 'indicator_11-1-2.csv',
      place: 'MAAGA',
      createIndicators: true,
      map: JSON.stringify(map),
    });
    expect(r.statusCode, r.json().message).toBe(201);
    expect(
      r
        .json()
        .created.filter((c: { kind: string }) => c.kind === 'dimension')
        .map((c: { code: string }) => c.code),
    ).toEqual(['TENURE', 'TENURE_SUB']);
    expect((await observations('11.1.2')).map((o) => [o.period, o.key])).toEqual([
      ['2018-19', 'TENURE=Rented|TENURE_SUB=Social'],
      ['2018-2020', 'TENURE=Owned'],
      ['2018-2020', 'TENURE=Rented'],
      ['2020-Q1', 'TENURE=Owned'],
      ['2020-Q2', 'TENURE=Owned'],
    ]);
  });
});
