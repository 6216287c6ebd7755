import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ObservationRecord, ReadItem } from '@marsad/core';
import { testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSdmxCsv } from '../src/formats/sdmx-csv/read.ts';
import { readSdmxMl } from '../src/formats/sdmx-ml/read.ts';
import { unCountries } from '../src/sdmx/un-export.ts';
import { AUTH, createTestApp, importText, SHARED, signedIn, type TestApp } from './helpers.ts';

/**
 * The SDG dataflow of the SDMX web service (sdmx-rest/sdg-dataflow.ts; docs/sdmx-rest.md, "The SDG dataflow"):
 * MARSAD:DF_SDG under the real global SDG data structure IAEG-SDGs:SDG(1.14) and its content constraints, absent
 * until they are loaded; its data are what GET /api/v1/sdmx/export writes for each country (the values that pass the
 * check, national data only), selected by key, period and the other parameters, as each reader may see them, in every
 * format, read back by Marsad's readers; its structures and availability.
 */
const SDG_DIR = path.join(SHARED, 'data/sdmx-sdg');
const DSD = readFileSync(path.join(SDG_DIR, 'dsd.xml'));
const CONSTRAINTS = readFileSync(path.join(SDG_DIR, 'sdmx_global_content_constraints.csv'));

/** Approved values of Morocco (M49 504) and Jordan (400); the comments say which the UN form leaves out. */
const APPROVED = [
  'indicator,place,period,value,series,unit,source,note,SEX,URBANISATION',
  '11.1.1,MAR,2018,12.5,EN_LND_SLUM,,Census,,,U',
  '11.1.1,MAR,2019,12.1,EN_LND_SLUM,,Census,"Urban areas, census year",,U',
  '11.1.1,MAR,2020,11.9,EN_LND_SLUM,,Census,,,', // not broken down: goes under URBANISATION U
  '11.1.1,MAR,2019,30,EN_LND_SLUM,,Census,,,R', // URBANISATION R: the series takes U only (left out)
  '11.1.1,JOR,2019,20.5,EN_LND_SLUM,,Census,,,',
  '16.1.1,MAR,2019,1.5,VC_IHR_PSRC,,Police,,F,',
  '16.1.1,MAR,2019,1.4,VC_IHR_PSRC,,Police,,,',
  '16.1.1,MAR,2020,1.3,VC_IHR_PSRC,,Police,,,',
  '16.1.1,MAR,2021,0.5,VC_IHR_PSRC,,Police,,F,', // suppressed: 5 victims (fewer than 10)
  '16.1.1,MAR,2021,5,VC_IHR_PSRCN,,Police,,F,', // suppressed: the count itself
  '16.1.1,MAAGA,2019,2.5,VC_IHR_PSRC,,Police,,,', // a city: the UN takes national data
  '11.5.2,MAR,2020,2500000,VC_DSR_CHLN,USD,Ministry,,,', // in millions (UNIT_MULT 6)
  '16.1.4,MAR,2020,60.5,VC_SNS_WALN_DRK,,Survey,,,', // written under its alias VC_SNS_WALN
].join('\n');
/** Provisional values: Morocco's and Jordan's. */
const PROVISIONAL = [
  'indicator,place,period,value,series,source',
  '16.1.1,MAR,2022,1.1,VC_IHR_PSRC,Police',
  '11.1.1,JOR,2021,19,EN_LND_SLUM,Census',
].join('\n');
/** What the public gets: the approved values that pass (Morocco 8, Jordan 1). */
const PUBLIC = 9;

/** A small CSV reader (quoted cells with commas and quotes). */
function csv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else if (ch !== '\r') cell += ch;
  }
  const [head = [], ...body] = rows;
  return body.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i] ?? ''])));
}

async function rowsOf(items: AsyncIterable<ReadItem>): Promise<ObservationRecord[]> {
  const rows: ObservationRecord[] = [];
  for await (const item of items) {
    if (item.kind === 'error') throw new Error(`${item.at}: ${item.message}`);
    if (item.kind === 'row') rows.push(item.record);
  }
  return rows;
}

async function* once(text: string) {
  yield text;
}

describe.each(testStoreKinds())('the SDG dataflow on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
    const a = await importText(t.app, APPROVED, { format: 'csv', status: 'approved' });
    expect(a.statusCode, a.body).toBe(201);
    const p = await importText(t.app, PROVISIONAL, { format: 'csv' });
    expect(p.statusCode, p.body).toBe(201);
    await t.db.store.db
      .updateTable('series')
      .set({ aliases: ['VC_SNS_WALN'] })
      .where('code', '=', 'VC_SNS_WALN_DRK')
      .execute();
  }, 120_000);
  afterAll(async () => t?.close());

  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
  const expectError = (r: Awaited<ReturnType<typeof get>>, status: number, code: number) => {
    expect(r.statusCode, r.body).toBe(status);
    expect(r.headers['content-type']).toMatch(/^application\/xml/);
    expect(r.body).toContain(`<mes:ErrorMessage code="${code}">`);
  };
  const csvOf = async (url: string, headers: Record<string, string> = {}) => {
    const r = await get(url, headers);
    expect(r.statusCode, `${url}: ${r.body}`).toBe(200);
    return csv(r.body);
  };

  it('is absent while no SDG data structure is loaded', async () => {
    const flows = (await get('/sdmx/dataflow/all/all/latest')).body;
    expect([...flows.matchAll(/<str:Dataflow id="([^"]+)"/g)].map((m) => m[1])).toEqual(['DF_MARSAD']);
    expect(flows).not.toContain('IAEG-SDGs');
    expectError(await get('/sdmx/data/MARSAD,DF_SDG,latest/all'), 404, 100);
    expectError(await get('/sdmx/dataflow/MARSAD/DF_SDG/latest'), 404, 100);
    expectError(await get('/sdmx/availableconstraint/DF_SDG/all'), 404, 100);
  });

  describe('with IAEG-SDGs:SDG loaded', () => {
    beforeAll(async () => {
      const s = await t.app.inject({
        method: 'POST',
        url: '/api/v1/sdmx/structures',
        payload: DSD,
        headers: { ...AUTH, 'content-type': 'application/xml' },
      });
      expect(s.statusCode, s.body).toBe(200);
      const c = await t.app.inject({
        method: 'POST',
        url: '/api/v1/sdmx/constraints',
        payload: CONSTRAINTS,
        headers: { ...AUTH, 'content-type': 'text/csv' },
      });
      expect(c.statusCode, c.body).toBe(200);
    }, 120_000);

    it('serves the dataflow, the data structure, its code lists and concepts', async () => {
      const flows = (await get('/sdmx/dataflow/all/all/latest')).body;
      expect([...flows.matchAll(/<str:Dataflow id="([^"]+)"/g)].map((m) => m[1])).toEqual(['DF_MARSAD', 'DF_SDG']);
      const children = (await get('/sdmx/dataflow/MARSAD/DF_SDG/latest?references=children')).body;
      expect(children).toMatch(/<str:Dataflow id="DF_SDG" [^>]*agencyID="MARSAD" version="1\.14"/);
      expect(children).toContain('<com:Name xml:lang="en">SDG data of Marsad in the global SDG structure</com:Name>');
      for (const lang of ['ar', 'fr', 'es', 'ru', 'zh']) expect(children).toContain(`<com:Name xml:lang="${lang}">`);
      expect(children).toMatch(
        /<str:Structure><Ref id="SDG" version="1\.14" agencyID="IAEG-SDGs" package="datastructure"/,
      );
      expect(children).toMatch(/<str:DataStructure id="SDG" [^>]*agencyID="IAEG-SDGs" version="1\.14"/);

      // The structure's components in their positions, the attributes with their attachment and status.
      const dsd = (await get('/sdmx/datastructure/IAEG-SDGs/SDG/latest?references=children')).body;
      const dims = [...dsd.matchAll(/<str:Dimension id="([^"]+)" position="(\d+)"/g)].map((m) => m[1]);
      expect(dims.slice(0, 5)).toEqual(['FREQ', 'REPORTING_TYPE', 'SERIES', 'REF_AREA', 'SEX']);
      expect(dims).toHaveLength(15);
      expect(dsd).toContain('<str:TimeDimension id="TIME_PERIOD" position="16">');
      expect(dsd).toContain('<str:Attribute id="UNIT_MEASURE" assignmentStatus="Mandatory">');
      expect(dsd).toContain('<str:Attribute id="COMMENT_OBS" assignmentStatus="Conditional">');
      expect(dsd).toMatch(
        /<str:Attribute id="OBS_STATUS"[\s\S]*?<str:PrimaryMeasure><Ref id="OBS_VALUE"\/><\/str:PrimaryMeasure>/,
      );
      expect(dsd).toMatch(
        /<str:Attribute id="UNIT_MEASURE"[\s\S]*?<Ref id="CL_UNIT_MEASURE" version="1\.8" agencyID="IAEG-SDGs"[\s\S]*?<str:Dimension><Ref id="FREQ"\/>/,
      );
      for (const cl of ['CL_SERIES', 'CL_AREA', 'CL_SEX', 'CL_UNIT_MEASURE', 'CL_FREQ', 'CL_UNIT_MULT'])
        expect(dsd).toContain(`<str:Codelist id="${cl}"`);
      expect(dsd).toContain('<str:ConceptScheme id="CS_SDG"');
      expect(dsd).toMatch(/<str:Concept id="SEX">[\s\S]*?<com:Name xml:lang="en">Sex<\/com:Name>/);
      // Every artefact down from the dataflow.
      const all = (await get('/sdmx/dataflow/MARSAD/DF_SDG/1.14?references=descendants&detail=referencestubs')).body;
      expect(all).toContain('<str:Codelist id="CL_AREA"');
      expect(all).not.toContain('<str:Code ');
      // A code with its names, an item query.
      const area = (await get('/sdmx/codelist/IAEG-SDGs/CL_AREA/latest/504+400')).body;
      expect(area.match(/<str:Code /g)).toHaveLength(2);
      expect(area).toMatch(/<str:Code id="504">\s*<com:Name xml:lang="en">Morocco<\/com:Name>/);
      const agencies = (await get('/sdmx/agencyscheme/SDMX/AGENCIES/latest')).body;
      expect(agencies).toContain('<str:Agency id="IAEG-SDGs">');
      expect(agencies).toContain('<str:Agency id="MARSAD">');
    });

    it('gives a series of a country as the export for the UN writes it', async () => {
      const exported = await get('/api/v1/sdmx/export?place=MAR&format=sdmx-csv');
      expect(exported.statusCode, exported.body).toBe(200);
      const served = await get('/sdmx/data/MARSAD,DF_SDG,latest/A.N.EN_LND_SLUM.504?format=csvfile');
      expect(served.statusCode, served.body).toBe(200);
      const lines = (text: string) => text.trimEnd().split('\n');
      const [exportHead = '', ...exportRows] = lines(exported.body);
      const [servedHead = '', ...servedRows] = lines(served.body);
      // The same columns after STRUCTURE,STRUCTURE_ID; the same observations, cell for cell.
      const rest = (line: string) => line.split(',').slice(2).join(',');
      expect(rest(servedHead)).toBe(rest(exportHead));
      expect(servedRows.every((l) => l.startsWith('dataflow,MARSAD:DF_SDG(1.14),I,A,N,EN_LND_SLUM,504,'))).toBe(true);
      const slum = exportRows.filter((l) => l.includes(',EN_LND_SLUM,'));
      expect(slum).toHaveLength(3);
      expect(servedRows.map(rest).sort()).toEqual(slum.map(rest).sort());
      expect(csv(served.body).map((r) => [r.TIME_PERIOD, r.OBS_VALUE, r.URBANISATION, r.UNIT_MEASURE])).toEqual([
        ['2018', '12.5', 'U', 'PT'],
        ['2019', '12.1', 'U', 'PT'],
        ['2020', '11.9', 'U', 'PT'],
      ]);

      // Read back by Marsad's readers: SDMX-CSV and SDMX-ML generic (the default).
      const fromCsv = await rowsOf(readSdmxCsv(once(served.body)));
      expect(fromCsv.map((r) => [r.series, r.place, r.period, r.value, r.dims.URBANISATION])).toEqual([
        ['EN_LND_SLUM', '504', '2018', 12.5, 'U'],
        ['EN_LND_SLUM', '504', '2019', 12.1, 'U'],
        ['EN_LND_SLUM', '504', '2020', 11.9, 'U'],
      ]);
      const generic = await get('/sdmx/data/DF_SDG/A.N.EN_LND_SLUM.504');
      expect(generic.headers['content-type']).toMatch(/^application\/vnd\.sdmx\.genericdata\+xml/);
      expect(generic.body).toMatch(/<common:StructureUsage><Ref agencyID="MARSAD" id="DF_SDG" version="1\.14"\/>/);
      const fromXml = await rowsOf(readSdmxMl(once(generic.body)));
      expect(fromXml.map((r) => [r.series, r.place, r.period, r.value, r.unit, r.note ?? ''])).toEqual([
        ['EN_LND_SLUM', '504', '2018', 12.5, 'PT', ''],
        ['EN_LND_SLUM', '504', '2019', 12.1, 'PT', 'Urban areas, census year'],
        ['EN_LND_SLUM', '504', '2020', 11.9, 'PT', ''],
      ]);
      const ss = (await get('/sdmx/data/DF_SDG/A.N.EN_LND_SLUM.504?format=structurespecificdata')).body;
      expect(ss.match(/<Series /g)).toHaveLength(1);
      expect(ss).toMatch(/<Series FREQ="A" REPORTING_TYPE="N" SERIES="EN_LND_SLUM" REF_AREA="504" SEX="_T"/);
      expect(ss).toContain('UNIT_MEASURE="PT"');
      expect(ss).toMatch(/<Obs TIME_PERIOD="2018" OBS_VALUE="12\.5" OBS_STATUS="A" UNIT_MULT="0" NATURE="C"/);
    });

    it('selects countries by REF_AREA and series by SERIES, national data only, never a suppressed value', async () => {
      const jor = await csvOf('/sdmx/data/DF_SDG/..EN_LND_SLUM.400?format=csv');
      expect(jor.map((r) => [r.REF_AREA, r.TIME_PERIOD, r.OBS_VALUE])).toEqual([['400', '2019', '20.5']]);
      expect((await unCountries(t.db.store, ['400'])).map((c) => c.code)).toEqual(['JOR']);
      const every = await csvOf('/sdmx/data/DF_SDG/all?format=csv');
      expect(every).toHaveLength(PUBLIC);
      expect(new Set(every.map((r) => r.REF_AREA))).toEqual(new Set(['504', '400']));
      expect(every.map((r) => r.OBS_VALUE)).not.toContain('0.5');
      expect(every.map((r) => r.SERIES)).not.toContain('VC_IHR_PSRCN');
      // Under the alias the constraints name, Marsad's code told; in millions, as the series' constraint says.
      const walk = await csvOf('/sdmx/data/DF_SDG/A.N.VC_SNS_WALN.504?format=csv');
      expect(walk.map((r) => [r.OBS_VALUE, r.COMMENT_TS])).toEqual([['60.5', 'National series code VC_SNS_WALN_DRK']]);
      const loss = await csvOf('/sdmx/v2/data/dataflow/MARSAD/DF_SDG/~/*.*.VC_DSR_CHLN?format=csv');
      expect(loss.map((r) => [r.OBS_VALUE, r.UNIT_MULT, r.UNIT_MEASURE])).toEqual([['2.5', '6', 'USD']]);
      // Breakdowns, filters, periods, several keys.
      expect(await csvOf('/sdmx/data/DF_SDG/A.N.VC_IHR_PSRC.504.F?format=csv')).toHaveLength(1);
      expect(await csvOf('/sdmx/v2/data/dataflow/MARSAD/DF_SDG/1.14/*?c[SEX]=F&format=csv')).toHaveLength(1);
      expect(
        await csvOf('/sdmx/v2/data/dataflow/*/DF_SDG/~/*?c[REF_AREA]=400,504&c[SERIES]=sw:EN_&format=csv'),
      ).toHaveLength(4);
      expect(
        (await csvOf('/sdmx/data/DF_SDG/A.N.EN_LND_SLUM.504?startPeriod=2019&format=csv')).map((r) => r.TIME_PERIOD),
      ).toEqual(['2019', '2020']);
      expect(
        (await csvOf('/sdmx/v2/data/dataflow/MARSAD/DF_SDG/~/*.*.EN_LND_SLUM?c[TIME_PERIOD]=le:2019&format=csv')).map(
          (r) => `${r.REF_AREA} ${r.TIME_PERIOD}`,
        ),
      ).toEqual(['400 2019', '504 2018', '504 2019']);
      expect(
        (await csvOf('/sdmx/data/DF_SDG/..EN_LND_SLUM?lastNObservations=1&format=csv')).map(
          (r) => `${r.REF_AREA} ${r.TIME_PERIOD}`,
        ),
      ).toEqual(['400 2019', '504 2020']);
      expect(
        await csvOf('/sdmx/v2/data/dataflow/MARSAD/DF_SDG/~/A.N.EN_LND_SLUM.504,A.N.VC_IHR_PSRC.504.F?format=csv'),
      ).toHaveLength(4);
      expect(await csvOf('/sdmx/v2/data/dataflow/MARSAD/DF_SDG/~/*?c[OBS_VALUE]=gt:20&format=csv')).toHaveLength(2);
      expect(await csvOf('/sdmx/data/DF_SDG/all?updatedAfter=2000-01-01T00:00:00Z&format=csv')).toHaveLength(PUBLIC);
      expectError(await get('/sdmx/data/DF_SDG/all?updatedAfter=2999-01-01T00:00:00Z'), 404, 100);
      expectError(await get('/sdmx/data/DF_SDG/A.N.NOPE'), 404, 100);
      expectError(await get('/sdmx/data/DF_SDG/..EN_LND_SLUM.4'), 404, 100); // Afghanistan: no values
      expectError(await get('/sdmx/data/MARSAD,DF_SDG,9.9/all'), 404, 100);
      expectError(await get('/sdmx/data/DF_SDG/all?c[INDICATOR]=11_1_1'), 400, 140);
      expectError(await get('/sdmx/data/DF_SDG/a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p'), 400, 140);
    });

    it('gives the public approved values, and a national focal point the country’s provisional ones', async () => {
      const national = await signedIn(t, 'national.sdg@example.org', [{ role: 'national-focal-point', place: 'MAR' }]);
      const pub = await csvOf('/sdmx/data/DF_SDG/all?format=csv');
      expect(pub.map((r) => r.OBS_STATUS)).not.toContain('P');
      const mine = await csvOf('/sdmx/data/DF_SDG/all?format=csv', national);
      expect(mine).toHaveLength(PUBLIC + 1);
      expect(
        mine.filter((r) => r.OBS_STATUS === 'P').map((r) => `${r.REF_AREA} ${r.TIME_PERIOD} ${r.OBS_VALUE}`),
      ).toEqual(['504 2022 1.1']);
      // Never a suppressed value, whoever asks (the UN never gets them).
      expect(mine.map((r) => r.OBS_VALUE)).not.toContain('0.5');
      const admin = await csvOf('/sdmx/data/DF_SDG/all?format=csv', AUTH);
      expect(admin).toHaveLength(PUBLIC + 2);
      expect(admin.map((r) => r.OBS_VALUE)).not.toContain('0.5');
      // The same as the export with status=all.
      const exported = csv((await get('/api/v1/sdmx/export?place=MAR&format=sdmx-csv&status=all', national)).body);
      expect(mine.filter((r) => r.REF_AREA === '504')).toHaveLength(exported.length);
    });

    it('writes SDMX-JSON and the other layouts, and gives the availability of data', async () => {
      const json = await get('/sdmx/data/DF_SDG/all?format=jsondata');
      expect(json.statusCode, json.body).toBe(200);
      const msg = json.json();
      expect(Object.keys(msg.data.dataSets[0].observations)).toHaveLength(PUBLIC);
      const structure = msg.data.structures[0];
      expect(structure.name).toBe('MARSAD:DF_SDG(1.14)');
      const ids = structure.dimensions.observation.map((d: { id: string }) => d.id);
      expect(ids.slice(0, 4)).toEqual(['FREQ', 'REPORTING_TYPE', 'SERIES', 'REF_AREA']);
      expect(ids).toHaveLength(16);
      const area = structure.dimensions.observation[3];
      expect(area.values).toEqual(
        expect.arrayContaining([
          { id: '504', name: 'Morocco' },
          { id: '400', name: 'Jordan' },
        ]),
      );
      expect(structure.attributes.observation.map((a: { id: string }) => a.id)).toEqual(
        expect.arrayContaining(['OBS_STATUS', 'UNIT_MULT', 'UNIT_MEASURE', 'NATURE']),
      );

      const keysOnly = (await get('/sdmx/data/DF_SDG/..EN_LND_SLUM?detail=serieskeysonly&format=structurespecificdata'))
        .body;
      expect(keysOnly.match(/<Series [^>]*>/g)).toHaveLength(2);
      expect(keysOnly).not.toContain('<Obs');
      const flat = (await get('/sdmx/data/DF_SDG/A.N.EN_LND_SLUM.504?dimensionAtObservation=AllDimensions')).body;
      expect(flat.match(/<generic:ObsKey>/g)).toHaveLength(3);
      const chosen = await csvOf(
        '/sdmx/v2/data/dataflow/MARSAD/DF_SDG/~/A.N.EN_LND_SLUM.504?attributes=OBS_STATUS&format=csv',
      );
      expect(Object.keys(chosen[0] ?? {}).slice(-3)).toEqual(['TIME_PERIOD', 'OBS_VALUE', 'OBS_STATUS']);
      expectError(await get('/sdmx/data/DF_SDG/all?detail=dataonly&format=jsondata'), 501, 501);

      const available = await get('/sdmx/availableconstraint/DF_SDG/..EN_LND_SLUM/all/REF_AREA');
      expect(available.statusCode, available.body).toBe(200);
      expect(available.body).toContain('<str:ContentConstraint id="CC_DF_SDG"');
      const refArea = /<com:KeyValue id="REF_AREA">([\s\S]*?)<\/com:KeyValue>/.exec(available.body)?.[1] ?? '';
      expect([...refArea.matchAll(/<com:Value>([^<]+)</g)].map((m) => m[1]).sort()).toEqual(['400', '504']);
      expect(available.body).toMatch(/<com:Annotation id="obs_count">\s*<com:AnnotationTitle>4<\/com:AnnotationTitle>/);
      expect(available.body).toMatch(
        /<com:Annotation id="series_count">\s*<com:AnnotationTitle>2<\/com:AnnotationTitle>/,
      );
      const v2 = await get('/sdmx/v2/availability/dataflow/MARSAD/DF_SDG/~/*?references=codelist');
      expect(v2.statusCode, v2.body).toBe(200);
      expect(v2.body).toMatch(/<com:Annotation id="obs_count">\s*<com:AnnotationTitle>9<\/com:AnnotationTitle>/);
      const series = /<com:KeyValue id="SERIES">([\s\S]*?)<\/com:KeyValue>/.exec(v2.body)?.[1] ?? '';
      expect([...series.matchAll(/<com:Value>([^<]+)</g)].map((m) => m[1]).sort()).toEqual([
        'EN_LND_SLUM',
        'VC_DSR_CHLN',
        'VC_IHR_PSRC',
        'VC_SNS_WALN',
      ]);
      expect(v2.body).toMatch(/<str:Codelist id="CL_AREA"[\s\S]*?<str:Code id="504">/);
    });
  });
});
