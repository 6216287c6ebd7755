import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { testStoreKinds } from '@marsad/db/testing';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, createTestApp, importText, SHARED, type TestApp } from '../helpers.ts';
import {
  type HostileFile,
  hostileColumnMap,
  hostileJson,
  hostileJsonFile,
  hostileString,
  hostileTable,
  PROTOTYPE_NAMES,
} from './hostile-files.ts';
import { hostileWorkbook } from './hostile-workbooks.ts';

/**
 * Hostile files for every import format, the places import and the XLSForm upload, generated
 * by fast-check from valid files (fixed seed: scripts/fast-check-seed.ts): every answer is 2xx
 * or a 4xx with a message, and a refused file changes no table (counts of the code lists and a
 * checksum of every observation, before and after). MARSAD_FUZZ_RUNS sets the cases per format
 * (200 by default); bench/fuzz runs thousands against a server.
 */

const RUNS = Number(process.env.MARSAD_FUZZ_RUNS ?? 200);

const DATA = [
  'indicator,series,place,period,value,unit,status,source,note,SEX,AGE',
  '16.1.1,VC_IHR_PSRC,MAAGA,2015,6.25,PER_100000,approved,Police records,"a note",,',
  '16.1.1,VC_IHR_PSRC,MAAGA,2020,4,PER_100000,validated,Police records,,F,Y15T24',
  '16.1.1,VC_IHR_PSRC,MAAGA,2020,-0.5,PER_100000,provisional,Police records,ملاحظة,M,',
  '11.1.1,,JOAMM,2017-18,31.5,PERCENT,approved,Census,,,',
  '11.1.1,,JOAMM,2024-Q2,30,PERCENT,approved,Census,,,',
].join('\n');

const DHIS2_FILE = {
  dataSet: 'pBOMPrpg1QX',
  period: '2023',
  orgUnit: 'DiszpKrYNg8',
  dataValues: [
    { dataElement: 'fbfJHSPpUQD', categoryOptionCombo: 'HllvX50cXC0', value: '3.2', comment: 'from DHIS2' },
    { dataElement: 'fbfJHSPpUQD', categoryOptionCombo: 'psbwp3CQEhs', value: '1.1' },
    { dataElement: 'fbfJHSPpUQD', categoryOptionCombo: 'hEFKSsPV5et', value: '5.4', period: '2023Q2' },
  ],
};
const DHIS2_MAPPING = {
  dataElements: { fbfJHSPpUQD: { indicator: '16.1.1', series: 'VC_IHR_PSRC' } },
  orgUnits: { DiszpKrYNg8: 'KZALA' },
  categoryOptionCombos: { psbwp3CQEhs: { SEX: 'F' }, hEFKSsPV5et: { SEX: 'M' } },
};

/** A mapping with hostile identifiers and codes, in its JSON, or not JSON at all. */
const hostileDhis2Mapping: fc.Arbitrary<Record<string, string>> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ dhis2Mapping: JSON.stringify(DHIS2_MAPPING) }) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES), hostileString), hostileString, hostileJson)
      .map(([id, code, anything]) => ({
        dhis2Mapping: JSON.stringify({
          dataElements: { ...DHIS2_MAPPING.dataElements, [id]: { indicator: code } },
          orgUnits: { DiszpKrYNg8: code, [id]: 'KZALA' },
          categoryOptionCombos: { [id]: { SEX: code }, psbwp3CQEhs: { [code]: 'F' } },
          attributeOptionCombos: { constructor: {}, x: anything },
        }),
      })),
  },
  { weight: 1, arbitrary: hostileString.map((s) => ({ dhis2Mapping: s })) },
);

/** One row of counts and a checksum of every observation: what a refused file must leave as it was. */
async function fingerprint(t: TestApp): Promise<string> {
  const r = await sql<{ f: string }>`
    SELECT concat_ws(' ',
      (SELECT count(*) FROM observations), (SELECT count(*) FROM observation_history),
      (SELECT count(*) FROM dimensions), (SELECT count(*) FROM dimension_values),
      (SELECT count(*) FROM disaggregations), (SELECT count(*) FROM indicators), (SELECT count(*) FROM series),
      (SELECT count(*) FROM sources), (SELECT count(*) FROM places), (SELECT count(*) FROM questionnaires),
      (SELECT count(*) FROM questionnaire_versions),
      (SELECT md5(coalesce(string_agg(o::text, '|' ORDER BY o.series_id, o.place_id, o.period, o.disagg_id), '')) FROM observations o)) AS f`.execute(
    t.db.store.db,
  );
  return r.rows[0]!.f;
}

function sent(file: HostileFile): string {
  return `${file.story.join(' · ')}\n${file.body.subarray(0, 300).toString('utf8')}`;
}

describe.each(testStoreKinds())('hostile files on %s', (kind) => {
  let t: TestApp;
  let before = '';
  const statuses = new Map<number, number>();
  const bases: Record<string, { text: string; query: Record<string, string> }> = {};

  beforeAll(async () => {
    t = await createTestApp(kind);
    const r = await importText(t.app, DATA, { format: 'csv' });
    expect(r.statusCode, r.body).toBe(201);
    for (const [format, query] of [
      ['csv', ''],
      ['sdmx-csv', ''],
      ['sdmx-json', ''],
      ['open-sdg', '&indicator=16.1.1&place=MAAGA'],
    ] as const) {
      const e = await t.app.inject({ url: `/api/v1/observations/export?format=${format}${query}`, headers: AUTH });
      expect(e.statusCode, e.body).toBe(200);
      bases[format] = {
        text: e.body,
        query:
          format === 'open-sdg' ? { format, fileName: 'indicator_16-1-1.csv', place: 'MAAGA' } : { format: format },
      };
    }
    before = await fingerprint(t);
  });
  afterAll(async () => {
    // How the cases were answered (in the failure output, and with MARSAD_FUZZ_STATS=1).
    if (process.env.MARSAD_FUZZ_STATS) console.log(kind, Object.fromEntries([...statuses].sort()));
    await t?.close();
  });

  /** Sends the file; checks the answer and, when refused, that nothing changed. */
  async function check(file: HostileFile, url: string): Promise<void> {
    const r = await t.app.inject({
      method: 'POST',
      url: `${url}?${new URLSearchParams(file.query)}`,
      payload: file.body,
      headers: { ...AUTH, 'content-type': file.contentType },
    });
    const status = r.statusCode;
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    if (status >= 500 || status < 200 || (status >= 300 && status < 400)) {
      throw new Error(`answered ${status} to ${sent(file)}\n${r.body.slice(0, 500)}`);
    }
    const after = await fingerprint(t);
    if (status >= 400) {
      const message = (r.json() as { message?: unknown }).message;
      if (typeof message !== 'string' || !message)
        throw new Error(`a ${status} without a message: ${r.body.slice(0, 300)}`);
      if (after !== before)
        throw new Error(`refused with ${status} but tables changed: ${before} → ${after}\n${sent(file)}`);
    }
    before = after;
  }

  const textFormats = ['csv', 'sdmx-csv', 'open-sdg'] as const;
  for (const format of textFormats) {
    it(`${format}: every answer is 2xx or a 4xx with a message; a refused file writes nothing`, async () => {
      const base = bases[format]!;
      await fc.assert(
        fc.asyncProperty(hostileTable(base.text, base.query, hostileColumnMap), (file) =>
          check(file, '/api/v1/imports'),
        ),
        { numRuns: RUNS },
      );
    });
  }

  it('sdmx-json: every answer is 2xx or a 4xx with a message; a refused file writes nothing', async () => {
    const base = bases['sdmx-json']!;
    await fc.assert(
      fc.asyncProperty(hostileJsonFile(JSON.parse(base.text), base.query), (file) => check(file, '/api/v1/imports')),
      { numRuns: RUNS },
    );
  });

  it('dhis2: every answer is 2xx or a 4xx with a message; a refused file writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(hostileJsonFile(DHIS2_FILE, { format: 'dhis2' }, hostileDhis2Mapping), (file) =>
        check(file, '/api/v1/imports'),
      ),
      { numRuns: RUNS },
    );
  });

  it('places: every answer is 2xx or a 4xx with a message; a refused file writes nothing', async () => {
    const places = [
      'code,parent,level,name_ar,name_en,lat,lon,external_code',
      'MATST1,MA,city,مدينة,Test city,30.4,-9.6,',
      'MATST2,MA,city,مدينة ٢,Test city 2,,,X2',
    ].join('\n');
    let n = 0;
    await fc.assert(
      fc.asyncProperty(hostileTable(places, {}), async (file) => {
        // Fresh codes each time, so that a valid file adds places instead of repeating them.
        n++;
        const body = Buffer.from(file.body.toString('latin1').replaceAll('MATST', `MAT${n}X`), 'latin1');
        await check({ ...file, body }, '/api/v1/places/import');
      }),
      { numRuns: RUNS },
    );
  });

  it('XLSForm: every answer is 2xx or a 4xx with a message; a refused workbook writes nothing', async () => {
    const workbook = await readFile(path.join(SHARED, 'data/xlsform/text_and_integer.xlsx'));
    await fc.assert(
      fc.asyncProperty(hostileWorkbook(workbook), async (w) => check(await w.file(), '/api/v1/questionnaires/import')),
      { numRuns: RUNS },
    );
  });
});
