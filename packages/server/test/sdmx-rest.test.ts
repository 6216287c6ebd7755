/**
 * The SDMX web service under /sdmx/ (sdmx-rest/, docs/sdmx-rest.md) on a small database: data queries in the syntax
 * of SDMX REST 1.5 and 2 give the observations /api/v1/observations gives the same reader (the public; a city's
 * focal point, who also sees its provisional and suppressed values), in every format; keys, component filters and
 * the other parameters; structures with their references; availability; the versions of DSD_MARSAD; errors as SDMX
 * error messages with the standard's statuses, never a 500 (fast-check sends hostile paths and queries).
 */
import { toSdmxTimePeriod } from '@marsad/core';
import { testStoreKinds } from '@marsad/db/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseSdmxId } from '../src/sdmx-rest/sdmx-ids.ts';
import { AUTH, createTestApp, importText, signedIn, type TestApp } from './helpers.ts';

const APPROVED = `${[
  'indicator,series,place,period,value,note,SEX',
  '11.1.1,EN_LND_SLUM,MAR,2015,10,,',
  '11.1.1,EN_LND_SLUM,MAR,2016,11,a note,',
  '11.1.1,EN_LND_SLUM,MAR,2016,12,,F',
  '11.1.1,EN_LND_SLUM,MAAGA,2016,13,,',
  '11.1.1,EN_LND_SLUM,MAAGA,2017-Q1,14.5,,',
  '11.1.1,EN_LND_SLUM,MA.T1,2016,15,,',
  '11.1.1,EN_LND_SLUM,MA_T1,2016,15.5,,',
  // 16.1.1's rule: values by sex resting on fewer than 10 counted cases are withheld from the public.
  '16.1.1,VC_IHR_PSRCN,MAAGA,2022,7,,F',
  '16.1.1,VC_IHR_PSRC,MAAGA,2022,3.3179,,F',
  '16.1.1,VC_IHR_PSRCN,MAAGA,2022,40,,',
  '16.1.1,VC_IHR_PSRC,MAAGA,2022,9.4813,,',
].join('\n')}\n`;
const PROVISIONAL = `${['indicator,series,place,period,value', '11.1.1,EN_LND_SLUM,MAAGA,2018,16', '11.1.1,EN_LND_SLUM,MAR,2018,17'].join('\n')}\n`;

/** A small CSV reader (quoted cells with commas and quotes). */
function csv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const endCell = () => {
    row.push(cell);
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') endCell();
    else if (ch === '\n') {
      endCell();
      rows.push(row);
      row = [];
    } else if (ch !== '\r') cell += ch;
  }
  const [head, ...body] = rows;
  return body.map((r) => Object.fromEntries(head!.map((h, i) => [h, r[i] ?? ''])));
}

interface ApiObs {
  indicator: string;
  series: string;
  place: string;
  period: string;
  dims: Record<string, string>;
  value: number | null;
  status: string;
}

/** Observations as comparable lines: from the JSON API (mapped as SDMX maps codes), and from SDMX-CSV. */
function fromApi(items: ApiObs[], dims: string[]): string[] {
  return items
    .map((o) =>
      [
        baseSdmxId(o.indicator, 'code'),
        o.series,
        baseSdmxId(o.place, 'code') === 'MA_T1' && o.place === 'MA_T1' ? 'MA_T1_2' : baseSdmxId(o.place, 'code'),
        ...dims.map((d) => o.dims[d] ?? '_T'),
        toSdmxTimePeriod(o.period),
        o.value === null ? '' : String(o.value),
        o.status,
      ].join('|'),
    )
    .sort();
}
function fromSdmxCsv(rows: Record<string, string>[], dims: string[]): string[] {
  return rows
    .map((r) =>
      [
        r.INDICATOR,
        r.SERIES,
        r.REF_AREA,
        ...dims.map((d) => r[d]),
        r.TIME_PERIOD,
        r.OBS_VALUE === '' ? '' : String(Number(r.OBS_VALUE)),
        r.MARSAD_STATUS,
      ].join('|'),
    )
    .sort();
}

describe.each(testStoreKinds())('the SDMX web service on %s', (kind) => {
  let t: TestApp;
  let editor: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp(kind);
    const places = await t.app.inject({
      method: 'POST',
      url: '/api/v1/places',
      headers: AUTH,
      payload: {
        places: [
          { code: 'MA.T1', parent: 'MAR', level: 'city', names: { en: 'Dotted town', fr: 'Ville pointée' } },
          { code: 'MA_T1', parent: 'MAR', level: 'city', names: { en: 'Underscored town' } },
        ],
      },
    });
    expect(places.statusCode, places.body).toBe(201);
    const a = await importText(t.app, APPROVED, { format: 'csv', status: 'approved' });
    expect(a.statusCode, a.body).toBe(201);
    const b = await importText(t.app, PROVISIONAL, { format: 'csv', status: 'provisional' });
    expect(b.statusCode, b.body).toBe(201);
    editor = await signedIn(t, 'editor.sdmx@example.org', [{ role: 'city-focal-point', place: 'MAAGA' }]);
  }, 120_000);
  afterAll(async () => t?.close());

  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
  /** The dimensions of the latest DSD_MARSAD after REF_AREA, from the header of an SDMX-CSV answer. */
  const dimsOf = (text: string) => {
    const head = text.split('\n')[0]!.split(',');
    return head.slice(head.indexOf('REF_AREA') + 1, head.indexOf('TIME_PERIOD'));
  };
  const expectError = (r: Awaited<ReturnType<typeof get>>, status: number, code: number) => {
    expect(r.statusCode, r.body).toBe(status);
    expect(r.headers['content-type']).toMatch(/^application\/xml/);
    expect(r.body).toMatch(
      new RegExp(`<mes:Error [^>]*>\\s*<mes:ErrorMessage code="${code}">\\s*<com:Text xml:lang="en">`),
    );
  };

  it('gives the public and a place’s editor the observations /api/v1/observations gives them', async () => {
    for (const [who, headers] of [
      ['the public', {}],
      ['the editor', editor],
    ] as const) {
      const api = (await get('/api/v1/observations?limit=1000', headers)).json().items as ApiObs[];
      const sdmx = await get('/sdmx/data/DF_MARSAD/all?format=csvfile', headers);
      expect(sdmx.statusCode, sdmx.body).toBe(200);
      const dims = dimsOf(sdmx.body);
      expect(fromSdmxCsv(csv(sdmx.body), dims), who).toEqual(fromApi(api, dims));
      const v2 = await get('/sdmx/v2/data/dataflow/MARSAD/DF_MARSAD/~/*', {
        ...headers,
        accept: 'application/vnd.sdmx.data+csv;version=2.0.0',
      });
      expect(fromSdmxCsv(csv(v2.body), dims), who).toEqual(fromApi(api, dims));
    }
    // The public: approved values, the suppressed ones without their value; the editor also MAAGA's provisional
    // value and MAAGA's suppressed values, marked.
    const pub = csv((await get('/sdmx/data/DF_MARSAD/16_1_1?format=csv')).body);
    expect(pub.filter((r) => r.SEX === 'F').map((r) => [r.OBS_VALUE, r.CONF_STATUS])).toEqual([
      ['', 'C'],
      ['', 'C'],
    ]);
    const ed = csv((await get('/sdmx/data/DF_MARSAD/16_1_1?format=csv', editor)).body);
    expect(
      ed
        .filter((r) => r.SEX === 'F')
        .map((r) => [r.OBS_VALUE, r.CONF_STATUS])
        .sort(),
    ).toEqual([
      ['3.3179', 'C'],
      ['7', 'C'],
    ]);
    const mine = csv((await get('/sdmx/data/DF_MARSAD/11_1_1..MAAGA+MAR?format=csv&startPeriod=2018', editor)).body);
    expect(mine.map((r) => `${r.REF_AREA} ${r.OBS_VALUE} ${r.MARSAD_STATUS}`)).toEqual(['MAAGA 16 provisional']);
    // SDMX-ML: NaN for a withheld value.
    const xml = (await get('/sdmx/data/DF_MARSAD/16_1_1.VC_IHR_PSRC.MAAGA.F')).body;
    expect(xml).toMatch(/<generic:ObsValue value="NaN"\/>/);
    expect(xml).toContain('<generic:Value id="CONF_STATUS" value="C"/>');
    expect(xml).not.toContain('3.3179');
  });

  it('writes SDMX-ML generic by default and for XML, structure-specific, JSON and CSV as asked; 406 otherwise', async () => {
    const url = '/sdmx/data/MARSAD,DF_MARSAD,latest/11_1_1';
    for (const accept of [
      undefined,
      'application/xml',
      'text/xml',
      '*/*',
      'application/vnd.sdmx.genericdata+xml;version=2.1',
    ]) {
      const r = await get(url, accept ? { accept } : {});
      expect(r.statusCode, accept).toBe(200);
      expect(r.headers['content-type']).toBe('application/vnd.sdmx.genericdata+xml; version=2.1; charset=utf-8');
      expect(r.body).toContain('<message:GenericData');
      expect(r.headers.vary).toMatch(/Accept/);
    }
    const ss = await get(url, { accept: 'application/vnd.sdmx.structurespecificdata+xml;version=2.1' });
    expect(ss.body).toContain('<message:StructureSpecificData');
    // One Series element per series key: MAR total, MAR female, MAAGA, MA.T1, MA_T1.
    expect(ss.body.match(/<Series /g)).toHaveLength(5);
    expect(ss.body).toContain('REF_AREA="MA_T1"');
    expect(ss.body).toContain('REF_AREA="MA_T1_2"');
    const json = await get(url, { accept: 'application/vnd.sdmx.data+json;version=2.0.0' });
    expect(json.headers['content-type']).toMatch(/^application\/vnd\.sdmx\.data\+json/);
    const msg = json.json();
    expect(Object.keys(msg.data.dataSets[0].observations)).toHaveLength(7);
    expect(msg.data.structures[0].dimensions.observation.map((d: { id: string }) => d.id).slice(0, 4)).toEqual([
      'INDICATOR',
      'SERIES',
      'REF_AREA',
      'SEX',
    ]);
    expect((await get(`${url}?format=jsondata`)).headers['content-type']).toMatch(/json/);
    expect((await get(`${url}?format=structurespecificdata`)).body).toContain('StructureSpecificData');
    const csvAnswer = await get(url, { accept: 'application/vnd.sdmx.data+csv;version=2.0.0' });
    expect(csv(csvAnswer.body)).toHaveLength(7);
    expectError(await get(url, { accept: 'image/png' }), 406, 150);
    expectError(await get(`${url}?format=pdf`), 406, 150);
    expectError(await get(url, { accept: 'application/vnd.sdmx.data+xml;version=3.0.0' }), 406, 150);
  });

  it('reads keys, component filters and the other parameters of both APIs', async () => {
    const count = async (url: string) => {
      const r = await get(url, { accept: 'application/vnd.sdmx.data+csv;version=2.0.0' });
      if (r.statusCode === 404) return 0;
      expect(r.statusCode, `${url}: ${r.body}`).toBe(200);
      return csv(r.body).length;
    };
    expect(await count('/sdmx/data/MARSAD,DF_MARSAD,1.0/11_1_1..MAR+MAAGA')).toBe(5);
    expect(await count('/sdmx/data/DF_MARSAD/11_1_1..MAR.F')).toBe(1);
    expect(await count('/sdmx/data/DF_MARSAD/11_1_1..MAR._T')).toBe(2);
    expect(await count('/sdmx/data/DF_MARSAD/11_1_1..MA_T1')).toBe(1);
    expect(await count('/sdmx/data/DF_MARSAD/11_1_1..MA_T1_2')).toBe(1);
    expect(await count('/sdmx/data/DF_MARSAD/11_1_1?startPeriod=2016&endPeriod=2016')).toBe(5);
    expect(await count('/sdmx/data/DF_MARSAD/11_1_1?startPeriod=2017')).toBe(1);
    expect(await count('/sdmx/v2/data/dataflow/MARSAD/DF_MARSAD/1.0/11_1_1.*.MAR,16_1_1')).toBe(3 + 4);
    expect(await count('/sdmx/v2/data/dataflow/*/DF_MARSAD/*/*?c[REF_AREA]=MAR,MAAGA&c[INDICATOR]=11.1.1')).toBe(5);
    expect(await count('/sdmx/v2/data/dataflow/MARSAD/DF_MARSAD/+/11_1_1?c[TIME_PERIOD]=ge:2016+le:2016')).toBe(5);
    expect(await count('/sdmx/v2/data/dataflow/MARSAD/DF_MARSAD/+/11_1_1?c[TIME_PERIOD]=gt:2016')).toBe(1);
    expect(await count('/sdmx/v2/data/dataflow/MARSAD/DF_MARSAD/+/11_1_1?c[TIME_PERIOD]=2015,2017-Q1')).toBe(2);
    expect(await count('/sdmx/v2/data/dataflow/MARSAD/DF_MARSAD/+/11_1_1?c[TIME_PERIOD]=ne:2016')).toBe(2);
    expect(await count('/sdmx/v2/data/dataflow/MARSAD/DF_MARSAD/+/*?c[OBS_VALUE]=ge:14&c[INDICATOR]=11_1_1')).toBe(3);
    expect(await count('/sdmx/v2/data/dataflow/MARSAD/DF_MARSAD/+/*?c[CONF_STATUS]=C')).toBe(2);
    expect(await count('/sdmx/v2/data/dataflow/MARSAD/DF_MARSAD/+/*?c[COMMENT_OBS]=co:note')).toBe(1);
    expect(await count('/sdmx/v2/data/dataflow/MARSAD/DF_MARSAD/+/11_1_1?c[SEX]=ne:_T')).toBe(1);
    expect(await count('/sdmx/data/DF_MARSAD/11_1_1..MAR?lastNObservations=1')).toBe(2);
    expect(await count('/sdmx/data/DF_MARSAD/11_1_1..MAR._T?firstNObservations=1')).toBe(1);
    const first = csv((await get('/sdmx/data/DF_MARSAD/11_1_1..MAR._T?firstNObservations=1&format=csv')).body);
    const last = csv((await get('/sdmx/data/DF_MARSAD/11_1_1..MAAGA?lastNObservations=1&format=csv')).body);
    expect([first[0]!.TIME_PERIOD, last[0]!.TIME_PERIOD]).toEqual(['2015', '2017-Q1']);
    expect(await count('/sdmx/data/DF_MARSAD/all?updatedAfter=2000-01-01T00:00:00Z')).toBe(11);
    expect(
      await count(`/sdmx/data/DF_MARSAD/all?updatedAfter=${encodeURIComponent('2999-01-01T00:00:00+01:00')}`),
    ).toBe(0);
  });

  it('lays data out as asked: AllDimensions, detail, attributes, measures', async () => {
    const url = '/sdmx/data/DF_MARSAD/11_1_1..MAR';
    const flat = (await get(`${url}?dimensionAtObservation=AllDimensions&format=structurespecificdata`)).body;
    expect(flat).toContain('dimensionAtObservation="AllDimensions"');
    expect(flat).not.toContain('<Series');
    expect(flat.match(/<Obs INDICATOR="11_1_1" SERIES="EN_LND_SLUM" REF_AREA="MAR" SEX="/g)).toHaveLength(3);
    const flatGeneric = (await get(`${url}?dimensionAtObservation=AllDimensions`)).body;
    expect(flatGeneric.match(/<generic:ObsKey>/g)).toHaveLength(3);
    const keysOnly = (await get(`${url}?detail=serieskeysonly&format=structurespecificdata`)).body;
    expect(keysOnly.match(/<Series [^>]*>/g)).toHaveLength(2);
    expect(keysOnly).not.toContain('<Obs');
    expect(keysOnly).not.toContain('UNIT_MEASURE');
    const noData = (await get(`${url}?detail=nodata&format=structurespecificdata`)).body;
    expect(noData).toContain('UNIT_MEASURE="PERCENT"');
    expect(noData).not.toContain('<Obs');
    const dataOnly = (await get(`${url}?detail=dataonly`)).body;
    expect(dataOnly).toContain('<generic:ObsValue value="10"/>');
    expect(dataOnly).not.toContain('OBS_STATUS');
    const v2 = csv(
      (
        await get(
          '/sdmx/v2/data/dataflow/MARSAD/DF_MARSAD/~/11_1_1.*.MAR?attributes=OBS_STATUS&measures=none&format=csv',
        )
      ).body,
    );
    expect(Object.keys(v2[0]!).slice(-2)).toEqual(['TIME_PERIOD', 'OBS_STATUS']);
    expectError(await get(`${url}?dimensionAtObservation=REF_AREA`), 501, 501);
    expectError(await get(`${url}?dimensionAtObservation=NOPE`), 400, 140);
    expectError(await get(`${url}?detail=dataonly&format=jsondata`), 501, 501);
  });

  it('answers errors as SDMX error messages with the standard’s statuses', async () => {
    expectError(await get('/sdmx/data/DF_NOPE/all'), 404, 100);
    expectError(await get('/sdmx/data/MARSAD,DF_MARSAD,9.9/all'), 404, 100);
    expectError(await get('/sdmx/data/DF_MARSAD/11_1_1..ATLANTIS'), 404, 100);
    expectError(await get('/sdmx/data/DF_MARSAD/all?startPeriod=2100'), 404, 100);
    expectError(await get('/sdmx/data/DF_MARSAD/a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z'), 400, 140);
    expectError(await get('/sdmx/data/DF_MARSAD/11_1_1..MA%20R'), 400, 140);
    expectError(await get('/sdmx/data/DF_MARSAD/all?startPeriod=soon'), 400, 140);
    expectError(await get('/sdmx/data/DF_MARSAD/all?c[NOPE]=1'), 400, 140);
    expectError(await get('/sdmx/data/DF_MARSAD/all?firstNObservations=0'), 400, 140);
    expectError(await get('/sdmx/data/DF_MARSAD/all?updatedAfter=yesterday'), 400, 140);
    expectError(await get('/sdmx/data/DF_MARSAD/all/SOMEONE'), 404, 100);
    expectError(await get('/sdmx/data/DF_MARSAD/all?includeHistory=true'), 501, 501);
    expectError(await get('/sdmx/categoryscheme/all/all/latest'), 501, 501);
    expectError(await get('/sdmx/v2/structure/hierarchy/*/*/*'), 501, 501);
    expectError(await get('/sdmx/v2/schema/dataflow/MARSAD/DF_MARSAD/1.0'), 501, 501);
    expectError(await get('/sdmx/nonsense'), 400, 140);
    expect((await get('/sdmx/')).body).toContain('<str:Dataflow id="DF_MARSAD"');
    expectError(await get('/sdmx/data/DF_MARSAD/all?c[SEX]=%00'), 400, 140);
    const before = process.env.MARSAD_SDMX_MAX_OBSERVATIONS;
    process.env.MARSAD_SDMX_MAX_OBSERVATIONS = '3';
    try {
      expectError(await get('/sdmx/data/DF_MARSAD/all'), 413, 510);
      expect((await get('/sdmx/data/DF_MARSAD/11_1_1..MAR')).statusCode).toBe(200);
    } finally {
      if (before === undefined) delete process.env.MARSAD_SDMX_MAX_OBSERVATIONS;
      else process.env.MARSAD_SDMX_MAX_OBSERVATIONS = before;
    }
  });

  it('never answers a hostile path or query with a 500', async () => {
    const segment = fc.oneof(
      fc.constantFrom(
        'data',
        'v2',
        'structure',
        'availability',
        'availableconstraint',
        'dataflow',
        'codelist',
        'all',
        '*',
        '~',
        '+',
        'DF_MARSAD',
        'MARSAD',
        '1.0',
        'latest',
        '11_1_1..MAR',
        '',
      ),
      fc.string({ maxLength: 12 }).map(encodeURIComponent),
    );
    const param = fc.tuple(
      fc.constantFrom(
        'c[REF_AREA]',
        'c[TIME_PERIOD]',
        'c[OBS_VALUE]',
        'startPeriod',
        'updatedAfter',
        'lastNObservations',
        'detail',
        'references',
        'format',
        'attributes',
        'mode',
        'c[X',
      ),
      fc.string({ maxLength: 12 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(segment, { maxLength: 7 }), fc.array(param, { maxLength: 3 }), async (path, params) => {
        const q = params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
        const r = await get(`/sdmx/${path.join('/')}${q ? `?${q}` : ''}`);
        expect(r.statusCode, `${path.join('/')}?${q}: ${r.body.slice(0, 500)}`).toBeLessThan(500);
        if (r.statusCode !== 200) expect(r.body).toContain('<mes:ErrorMessage code=');
      }),
      { numRuns: 60 },
    );
  });

  it('serves the structures in every language Marsad holds, with references and stubs', async () => {
    const flow = (await get('/sdmx/dataflow/MARSAD/DF_MARSAD/latest')).body;
    expect(flow).toContain('<str:Dataflow id="DF_MARSAD"');
    expect(flow).toMatch(/<str:Structure><Ref id="DSD_MARSAD" version="1\.0" agencyID="MARSAD"/);
    expect(flow).not.toContain('<str:DataStructure ');
    const dsd = await get('/sdmx/datastructure/MARSAD/DSD_MARSAD/1.0?references=children');
    expect(dsd.headers['content-type']).toBe('application/vnd.sdmx.structure+xml; version=2.1; charset=utf-8');
    const dims = [...dsd.body.matchAll(/<str:Dimension id="([^"]+)" position="(\d+)"/g)].map((m) => m[1]);
    expect(dims.slice(0, 4)).toEqual(['INDICATOR', 'SERIES', 'REF_AREA', 'SEX']);
    expect(dsd.body).toContain('<str:TimeDimension id="TIME_PERIOD"');
    for (const a of ['UNIT_MEASURE', 'OBS_STATUS', 'CONF_STATUS', 'MARSAD_STATUS', 'COMMENT_OBS', 'SOURCE_DETAIL'])
      expect(dsd.body).toContain(`<str:Attribute id="${a}"`);
    expect(dsd.body).toContain('<str:PrimaryMeasure id="OBS_VALUE">');
    for (const cl of [
      'CL_INDICATOR',
      'CL_SERIES',
      'CL_AREA',
      'CL_SEX',
      'CL_UNIT',
      'CL_OBS_STATUS',
      'CL_CONF_STATUS',
      'CL_MARSAD_STATUS',
    ])
      expect(dsd.body).toContain(`<str:Codelist id="${cl}"`);
    expect(dsd.body).toContain('<str:ConceptScheme id="CS_MARSAD"');
    // The dimensions' order in the data is the structure's.
    const data = (await get('/sdmx/data/DF_MARSAD/all?format=csv')).body;
    expect(dimsOf(data)).toEqual(dims.slice(3));
    // Codes: ids SDMX allows, the original code kept; names in each language; places under their parents.
    const area = (await get('/sdmx/codelist/MARSAD/CL_AREA/latest')).body;
    expect(area).toMatch(
      /<str:Code id="MA_T1">\s*<com:Annotations>\s*<com:Annotation>\s*<com:AnnotationTitle>MA\.T1<\/com:AnnotationTitle>\s*<com:AnnotationType>MARSAD_CODE<\/com:AnnotationType>/,
    );
    expect(area).toMatch(/<str:Code id="MA_T1_2">[\s\S]*?<com:AnnotationTitle>MA_T1<\/com:AnnotationTitle>/);
    expect(area).toMatch(
      /<com:Name xml:lang="fr">Ville pointée<\/com:Name>\s*<str:Parent><Ref id="MAR"\/><\/str:Parent>/,
    );
    expect(area).toMatch(
      /<str:Code id="MAR">\s*<com:Name xml:lang="en">Morocco<\/com:Name>\s*<com:Name xml:lang="ar">/,
    );
    const ind = (await get('/sdmx/v2/structure/codelist/MARSAD/CL_INDICATOR/~/11_1_1')).body;
    expect(ind.match(/<str:Code /g)).toHaveLength(1);
    expect(ind).toContain('<com:AnnotationTitle>11.1.1</com:AnnotationTitle>');
    // Stubs, parents, agencies, every structure of a type.
    const stubs = (
      await get('/sdmx/v2/structure/datastructure/MARSAD/DSD_MARSAD/+?references=descendants&detail=allstubs')
    ).body;
    expect(stubs).toContain('<str:Codelist id="CL_AREA"');
    expect(stubs).not.toContain('<str:Code ');
    expect(stubs).not.toContain('<str:DataStructureComponents>');
    const refStubs = (
      await get('/sdmx/datastructure/MARSAD/DSD_MARSAD/latest?references=codelist&detail=referencestubs')
    ).body;
    expect(refStubs).toContain('<str:DataStructureComponents>');
    expect(refStubs).not.toContain('<str:Code ');
    expect(refStubs).not.toContain('<str:ConceptScheme');
    const parents = (await get('/sdmx/codelist/MARSAD/CL_SEX/latest?references=parents')).body;
    expect(parents).toContain('<str:DataStructure id="DSD_MARSAD"');
    const all = (await get('/sdmx/dataflow/all/all/latest?references=all')).body;
    expect(all).toContain('<str:ConceptScheme id="CS_MARSAD"');
    const agencies = (await get('/sdmx/agencyscheme/SDMX/AGENCIES/latest')).body;
    expect(agencies).toMatch(/<str:AgencyScheme id="AGENCIES"[^>]*agencyID="SDMX"[\s\S]*<str:Agency id="MARSAD">/);
    expect((await get('/sdmx/v2/structure/conceptscheme/MARSAD/CS_MARSAD/~')).body).toContain(
      '<str:Concept id="REF_AREA">',
    );
    expectError(await get('/sdmx/codelist/MARSAD/CL_NOPE/latest'), 404, 100);
    expectError(await get('/sdmx/codelist/MARSAD/CL_SEX/latest?references=nonsense'), 400, 140);
    expectError(await get('/sdmx/codelist/MARSAD/CL_SEX/latest?detail=nonsense'), 400, 140);
    expectError(await get('/sdmx/codelist/MARSAD/CL_SEX/latest', { accept: 'text/html' }), 406, 150);
  });

  it('gives the availability of data for a query, with the number of observations', async () => {
    const v2 = await get('/sdmx/v2/availability/dataflow/MARSAD/DF_MARSAD/~/11_1_1?c[TIME_PERIOD]=ge:2016');
    expect(v2.statusCode, v2.body).toBe(200);
    expect(v2.body).toContain('<str:ContentConstraint id="CC_DF_MARSAD"');
    expect(v2.body).toContain('type="Actual"');
    expect(v2.body).toMatch(/<com:Annotation id="obs_count">\s*<com:AnnotationTitle>6<\/com:AnnotationTitle>/);
    const area = /<com:KeyValue id="REF_AREA">([\s\S]*?)<\/com:KeyValue>/.exec(v2.body)![1]!;
    expect([...area.matchAll(/<com:Value>([^<]+)</g)].map((m) => m[1]).sort()).toEqual([
      'MAAGA',
      'MAR',
      'MA_T1',
      'MA_T1_2',
    ]);
    expect(v2.body).toMatch(/<com:StartPeriod isInclusive="true">2016-01-01<\/com:StartPeriod>/);
    const one = await get('/sdmx/availableconstraint/DF_MARSAD/16_1_1/all/SEX?references=codelist');
    expect(one.body).toMatch(/<com:KeyValue id="SEX">\s*<com:Value>_T<\/com:Value>\s*<com:Value>F<\/com:Value>/);
    expect(one.body).not.toContain('<com:KeyValue id="REF_AREA">');
    expect(one.body.match(/<str:Code /g)).toHaveLength(2);
    expectError(await get('/sdmx/availableconstraint/DF_MARSAD/11_1_1..ATLANTIS'), 404, 100);
    expectError(await get('/sdmx/availableconstraint/DF_MARSAD/all/all/NOPE'), 400, 140);
    expectError(await get('/sdmx/v2/availability/dataflow/MARSAD/DF_MARSAD/~/*?mode=available'), 501, 501);
  });

  it('keeps version 1.0 as it was when a new dimension makes version 2.0', async () => {
    const before = (await get('/sdmx/datastructure/MARSAD/DSD_MARSAD/1.0')).body;
    const dims1 = [...before.matchAll(/<str:Dimension id="([^"]+)"/g)].map((m) => m[1]);
    const r = await importText(
      t.app,
      'indicator,series,place,period,value,Tenure kind\n11.1.1,EN_LND_SLUM,MAR,2019,18,Owner\n',
      { format: 'csv', status: 'approved' },
    );
    expect(r.statusCode, r.body).toBe(201);
    const flows = (await get('/sdmx/dataflow/MARSAD/DF_MARSAD/all')).body;
    expect([...flows.matchAll(/<str:Dataflow id="DF_MARSAD"[^>]* version="([^"]+)"/g)].map((m) => m[1])).toEqual([
      '1.0',
      '2.0',
    ]);
    const v2 = (await get('/sdmx/datastructure/MARSAD/DSD_MARSAD/2.0')).body;
    const dims2 = [...v2.matchAll(/<str:Dimension id="([^"]+)"/g)].map((m) => m[1]);
    expect(dims2.slice(0, dims1.length)).toEqual(dims1);
    expect(dims2).toHaveLength(dims1.length + 1);
    expect((await get('/sdmx/datastructure/MARSAD/DSD_MARSAD/1.0')).body.replace(/<mes:(ID|Prepared)>[^<]*/g, '')).toBe(
      before.replace(/<mes:(ID|Prepared)>[^<]*/g, ''),
    );
    // Version 1.0 has no value with the new breakdown; 2.0 has it, at the end of its key.
    const old = csv((await get('/sdmx/data/MARSAD,DF_MARSAD,1.0/11_1_1..MAR?format=csv')).body);
    expect(old.map((x) => x.TIME_PERIOD)).not.toContain('2019');
    const now = csv((await get('/sdmx/data/MARSAD,DF_MARSAD,2.0/11_1_1..MAR?format=csv')).body);
    const added = now.find((x) => x.TIME_PERIOD === '2019')!;
    expect(added[dims2.at(-1)!]).toMatch(/^Owner|^[A-Z]/);
    expect(now.filter((x) => x.TIME_PERIOD !== '2019').every((x) => x[dims2.at(-1)!] === '_T')).toBe(true);
    expect((await get('/sdmx/data/DF_MARSAD/11_1_1..MAR?format=csv')).body).toContain(',2019,');
  });
});
