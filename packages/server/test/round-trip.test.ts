import { testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, createTestApp, importText, normalise, type Obs, type TestApp } from './helpers.ts';

/** Data with notes, sources, statuses, dimensions, several period kinds and awkward text. */
const DATA = [
  'indicator,series,place,period,value,unit,status,source,note,SEX,AGE',
  '16.1.1,VC_IHR_PSRC,MAAGA,2015,6.25,PER_100000,approved,Police records,"note with, comma and ""quotes""",,',
  '16.1.1,VC_IHR_PSRC,MAAGA,2020,4,PER_100000,validated,Police records,,F,Y15T24',
  '16.1.1,VC_IHR_PSRC,MAAGA,2020,0.5,PER_100000,provisional,Police records,ملاحظة بالعربية,M,',
  '11.1.1,,JOAMM,2017-18,31.5,PERCENT,approved,Census,,,',
  '11.1.1,,JOAMM,2024-Q2,30,PERCENT,approved,Census,,,',
  '11.1.1,,JOAMM,2024-03,29.5,PERCENT,approved,,,,',
  '11.1.1,,JOAMM,1990-1999,40,PERCENT,approved,,,,',
].join('\n');

const FORMATS: { format: string; query: string; json: boolean }[] = [
  { format: 'csv', query: '', json: false },
  { format: 'sdmx-csv', query: '', json: false },
  { format: 'sdmx-json', query: '', json: true },
  { format: 'sdmx-ml', query: '', json: false },
  { format: 'open-sdg', query: '&indicator=16.1.1&place=MAAGA', json: false },
];

describe.each(testStoreKinds())('export then import into an empty database on %s', (kind) => {
  let source: TestApp;
  let original: Obs[];
  beforeAll(async () => {
    source = await createTestApp(kind);
    const r = await importText(source.app, DATA, { format: 'csv' });
    expect(r.statusCode, r.body).toBe(201);
    original = (await source.app.inject({ url: '/api/v1/observations?limit=1000', headers: AUTH })).json().items;
  });
  afterAll(async () => {
    await source?.close();
  });

  it.each(FORMATS)('$format gives the same observations', async ({ format, query, json }) => {
    const exported = await source.app.inject({
      url: `/api/v1/observations/export?format=${format}${query}`,
      headers: AUTH,
    });
    expect(exported.statusCode, exported.body).toBe(200);
    const target = await createTestApp(kind);
    try {
      const q: Record<string, string> = { format };
      if (format === 'open-sdg') Object.assign(q, { fileName: 'indicator_16-1-1.csv', place: 'MAAGA' });
      const r = await importText(target.app, exported.body, q, {
        ...AUTH,
        'content-type': json ? 'application/json' : 'text/csv',
      });
      expect(r.statusCode, r.body.slice(0, 1000)).toBe(201);
      const copied = (await target.app.inject({ url: '/api/v1/observations?limit=1000', headers: AUTH })).json()
        .items as Obs[];
      const expected =
        format === 'open-sdg' ? original.filter((o) => o.indicator === '16.1.1' && o.place === 'MAAGA') : original;
      expect(normalise(copied, format !== 'open-sdg')).toEqual(normalise(expected, format !== 'open-sdg'));
      // and once more changes nothing
      const again = await importText(target.app, exported.body, q, {
        ...AUTH,
        'content-type': json ? 'application/json' : 'text/csv',
      });
      expect(again.json().counts).toMatchObject({ inserted: 0, updated: 0 });
    } finally {
      await target.close();
    }
  });

  it('offers a bulk download of all public data', async () => {
    const all = await source.app.inject({ url: '/api/v1/downloads/all?format=csv' });
    expect(all.statusCode).toBe(200);
    expect(all.headers['content-disposition']).toMatch(/marsad-all-public\.csv/);
    const lines = all.body.trim().split(/\r?\n/);
    expect(lines).toHaveLength(1 + original.filter((o) => o.status === 'approved').length);
    expect(all.body).not.toMatch(/provisional/);
  });
});
