/**
 * The export API's SDMX-ML flavours (`GET /api/v1/observations/export?format=sdmx-ml&sdmxMl=…`): each has its content
 * type and message, imports back into the same database changing nothing, and the 3.0 export of real records
 * validates with xmllint against the SDMX-ML 3.0 schemas and the schema of MARSAD:DF_MARSAD(1.0) for the dimensions
 * exported (sdmx-ml-30-lint.ts). One database per store kind.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { marsadDataflowStructure } from '../../src/formats/index.ts';
import { AUTH, createTestApp, importText, type TestApp } from '../helpers.ts';
import { dataflowSchema, requireXmllint, xmllint, xmllintRequiredOrPresent } from './sdmx-ml-30-lint.ts';

const DATA = [
  'indicator,series,place,period,value,unit,status,source,note,SEX,AGE',
  '16.1.1,VC_IHR_PSRC,MAAGA,2015,6.25,PER_100000,approved,Police records,"note with, comma, <angles> & ""quotes""",,',
  '16.1.1,VC_IHR_PSRC,MAAGA,2020,4,PER_100000,validated,Police records,,F,Y15T24',
  '16.1.1,VC_IHR_PSRC,MAAGA,2020,0.5,PER_100000,provisional,Police records,ملاحظة بالعربية,M,',
  '11.1.1,,JOAMM,2017-18,31.5,PERCENT,approved,Census,,,',
  '11.1.1,,JOAMM,2024-Q2,30,PERCENT,approved,Census,,,',
].join('\n');

const XML = { ...AUTH, 'content-type': 'application/xml' };

describe.each(testStoreKinds())('SDMX-ML exports on %s', (kind) => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    t = await createTestApp(kind);
    dir = await mkdtemp(path.join(os.tmpdir(), 'marsad-sdmx-export-'));
    const r = await importText(t.app, DATA, { format: 'csv' });
    expect(r.statusCode, r.body).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const exported = (query: string) =>
    t.app.inject({ url: `/api/v1/observations/export?format=sdmx-ml${query}`, headers: AUTH });

  it.each([
    ['', 'application/vnd.sdmx.structurespecificdata+xml; version=2.1; charset=utf-8', /v2_1\/message"/],
    ['&sdmxMl=2.1', 'application/vnd.sdmx.structurespecificdata+xml; version=2.1; charset=utf-8', /v2_1\/message"/],
    [
      '&sdmxMl=2.1-generic',
      'application/vnd.sdmx.genericdata+xml; version=2.1; charset=utf-8',
      /<message:GenericData /,
    ],
    [
      '&sdmxMl=3.0',
      'application/vnd.sdmx.structurespecificdata+xml; version=3.0.0; charset=utf-8',
      /<common:StructureUsage>urn:sdmx:org\.sdmx\.infomodel\.datastructure\.Dataflow=MARSAD:DF_MARSAD\(1\.0\)</,
    ],
  ])('format=sdmx-ml%s: its content type and message; importing it back changes nothing', async (query, type, body) => {
    const r = await exported(query);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toBe(type);
    expect(r.headers['content-disposition']).toBe('attachment; filename="marsad-observations.xml"');
    expect(r.body).toMatch(body);
    const again = await importText(t.app, r.body, { format: 'sdmx-ml' }, XML);
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json().counts).toMatchObject({ read: 5, inserted: 0, updated: 0, unchanged: 5, errors: 0 });
  });

  it('refuses a flavour it does not write', async () => {
    const r = await exported('&sdmxMl=2.0');
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toMatch(/sdmxMl/);
  });

  it.skipIf(!xmllintRequiredOrPresent)(
    'the 3.0 export validates against the SDMX-ML 3.0 schemas and the dataflow schema for the dimensions exported',
    async () => {
      requireXmllint();
      const r = await exported('&sdmxMl=3.0');
      expect(r.statusCode, r.body).toBe(200);
      // The breakdowns exported are the series' XML attributes between REF_AREA and UNIT_MEASURE.
      const head =
        /<Series INDICATOR="[^"]*" SERIES="[^"]*" REF_AREA="[^"]*"((?: \w+="[^"]*")*?)(?: UNIT_MEASURE=|>)/.exec(
          r.body,
        );
      const dimensions = [...(head?.[1] ?? '').matchAll(/ (\w+)=/g)].map((m) => m[1]!);
      expect([...dimensions].sort()).toEqual(['AGE', 'SEX']);
      const schema = await dataflowSchema(dir, 'marsad', marsadDataflowStructure({ dimensions }));
      const lint = await xmllint(schema, dir, 'export-30.xml', r.body);
      expect(lint.valid, lint.stderr).toBe(true);
      // The check can fail: with the schema of a structure without breakdowns the same file does not validate.
      const narrow = await dataflowSchema(dir, 'marsad-no-breakdowns', marsadDataflowStructure());
      expect((await xmllint(narrow, dir, 'export-30.xml', r.body)).status).not.toBe(0);
    },
  );
});
