import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, createTestApp, importText, SHARED, signedIn, type TestApp } from './helpers.ts';

/**
 * Loading the IAEG-SDGs global SDG data structure (the real dsd.xml, 2.6 MB, loaded once per database) and its content
 * constraints (the real CSV), then checking data against them; bad inputs answer 400 naming what is wrong.
 */
const SDG_DIR = path.join(SHARED, 'data/sdmx-sdg');
const DSD = readFileSync(path.join(SDG_DIR, 'dsd.xml'));
const CONSTRAINTS = readFileSync(path.join(SDG_DIR, 'sdmx_global_content_constraints.csv'));
const DATA_MESSAGE = readFileSync(path.join(SDG_DIR, 'samples/structure__1-1-1--structure.xml'));

/** A small structure message with labels in three languages, served over HTTP. */
const SMALL = `<?xml version="1.0" encoding="UTF-8"?>
<mes:Structure xmlns:mes="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" xmlns:str="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure" xmlns:com="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common">
<mes:Header><mes:ID>T</mes:ID><mes:Test>true</mes:Test><mes:Prepared>2026-01-01T00:00:00</mes:Prepared><mes:Sender id="T"/></mes:Header>
<mes:Structures>
<str:Codelists><str:Codelist agencyID="TEST" id="CL_TENURE" version="1.0"><com:Name xml:lang="en">Tenure</com:Name><com:Name xml:lang="fr">Statut d'occupation</com:Name>
<str:Code id="_T"><com:Name xml:lang="en">Total</com:Name></str:Code>
<str:Code id="OWN"><com:Name xml:lang="en">Owner</com:Name><com:Name xml:lang="fr">Propriétaire</com:Name><com:Name xml:lang="ar">مالك</com:Name></str:Code>
<str:Code id="RENT"><com:Name xml:lang="en">Tenant</com:Name><com:Name xml:lang="fr">Locataire</com:Name></str:Code>
</str:Codelist></str:Codelists>
<str:Concepts><str:ConceptScheme agencyID="TEST" id="CS" version="1.0"><com:Name xml:lang="en">Concepts</com:Name>
<str:Concept id="TENURE"><com:Name xml:lang="en">Tenure</com:Name><com:Name xml:lang="es">Tenencia</com:Name></str:Concept></str:ConceptScheme></str:Concepts>
<str:DataStructures><str:DataStructure agencyID="TEST" id="HOUSING" version="2.0"><com:Name xml:lang="en">Housing</com:Name>
<str:DataStructureComponents><str:DimensionList id="DimensionDescriptor">
<str:Dimension id="TENURE" position="1"><str:ConceptIdentity><Ref agencyID="TEST" maintainableParentID="CS" id="TENURE"/></str:ConceptIdentity>
<str:LocalRepresentation><str:Enumeration><Ref agencyID="TEST" id="CL_TENURE" version="1.0"/></str:Enumeration></str:LocalRepresentation></str:Dimension>
<str:TimeDimension id="TIME_PERIOD" position="2"><str:ConceptIdentity><Ref id="TIME_PERIOD"/></str:ConceptIdentity></str:TimeDimension>
</str:DimensionList><str:MeasureList id="MeasureDescriptor"><str:PrimaryMeasure id="OBS_VALUE"><str:ConceptIdentity><Ref id="OBS_VALUE"/></str:ConceptIdentity></str:PrimaryMeasure></str:MeasureList>
</str:DataStructureComponents></str:DataStructure></str:DataStructures>
</mes:Structures></mes:Structure>`;

const server = http.createServer((req, res) => {
  if (req.url === '/small.xml') return void res.writeHead(200, { 'content-type': 'application/xml' }).end(SMALL);
  if (req.url === '/slow.xml') return; // never answers
  res.writeHead(404).end('not found');
});
let base = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const post = (
  t: TestApp,
  url: string,
  body: string | Buffer,
  headers: Record<string, string> = AUTH,
  type = 'application/xml',
) => t.app.inject({ method: 'POST', url, payload: body, headers: { 'content-type': type, ...headers } });

describe.each(testStoreKinds())('SDMX structures on %s', (kind) => {
  let t: TestApp;
  let loaded: ReturnType<TestApp['app']['inject']> extends Promise<infer R> ? R : never;
  beforeAll(async () => {
    t = await createTestApp(kind);
    loaded = await post(t, '/api/v1/sdmx/structures', DSD);
  }, 120_000);
  afterAll(async () => t?.close());

  it('loads the global SDG data structure with its dimensions in order, its attributes and its code lists', async () => {
    expect(loaded.statusCode, loaded.body).toBe(200);
    const r = loaded.json();
    expect(r.structures).toHaveLength(1);
    const s = r.structures[0];
    expect(s.ref).toBe('IAEG-SDGs:SDG(1.14)');
    expect(s.dimensions).toEqual([
      'FREQ',
      'REPORTING_TYPE',
      'SERIES',
      'REF_AREA',
      'SEX',
      'AGE',
      'URBANISATION',
      'INCOME_WEALTH_QUANTILE',
      'EDUCATION_LEV',
      'OCCUPATION',
      'CUST_BREAKDOWN',
      'COMPOSITE_BREAKDOWN',
      'DISABILITY_STATUS',
      'ACTIVITY',
      'PRODUCT',
      'TIME_PERIOD',
    ]);
    const attrs = Object.fromEntries(s.attributes.map((a: { id: string }) => [a.id, a]));
    expect(attrs.OBS_STATUS).toMatchObject({
      mandatory: true,
      attachment: 'observation',
      codelist: 'SDMX:CL_OBS_STATUS(2.1)',
    });
    expect(attrs.UNIT_MEASURE).toMatchObject({
      mandatory: true,
      attachment: 'series',
      codelist: 'IAEG-SDGs:CL_UNIT_MEASURE(1.8)',
    });
    expect(attrs.NATURE).toMatchObject({ mandatory: false });
    expect(r.codelists).toHaveLength(20);
    expect(r.codelists).toContainEqual({ ref: 'IAEG-SDGs:CL_SERIES(1.14)', codes: 783 });
    // Breakdown dimensions became Marsad dimensions; REF_AREA, SERIES and FREQ did not.
    const dims = r.dimensions.map((d: { code: string }) => d.code);
    expect(dims).toEqual(expect.arrayContaining(['SEX', 'AGE', 'URBANISATION', 'CUST_BREAKDOWN', 'ACTIVITY']));
    expect(dims).not.toContain('REF_AREA');
    expect(dims).not.toContain('FREQ');

    const list = (await t.app.inject({ method: 'GET', url: '/api/v1/sdmx/structures' })).json();
    const sdg = list.structures.find((x: { ref: string }) => x.ref === 'IAEG-SDGs:SDG(1.14)');
    expect(sdg.components.find((c: { id: string }) => c.id === 'SERIES')).toMatchObject({
      kind: 'dimension',
      position: 3,
      codelist: 'IAEG-SDGs:CL_SERIES(1.14)',
    });

    // The catalogue's labels of SEX are kept (Arabic among them); the DSD's codes are added.
    const dimensions = (await t.app.inject({ method: 'GET', url: '/api/v1/dimensions' })).json();
    const rows = Array.isArray(dimensions) ? dimensions : (dimensions.items ?? dimensions.dimensions);
    const sex = rows.find((d: { code: string }) => d.code === 'SEX');
    expect(JSON.stringify(sex)).toContain('"ar"');
    const activity = rows.find((d: { code: string }) => d.code === 'ACTIVITY');
    expect(JSON.stringify(activity)).toContain('ISIC4_A');
    expect(JSON.stringify(activity)).not.toContain('"_T"');

    const audit = await t.db.store.db
      .selectFrom('audit_log')
      .select(['action', 'entity_type', 'entity_id', 'actor_label'])
      .where('entity_type', '=', 'sdmx_structure')
      .execute();
    expect(audit).toEqual([
      expect.objectContaining({ action: 'load', entity_id: 'IAEG-SDGs:SDG(1.14)', actor_label: 'api:admin-token' }),
    ]);
  });

  it('loads a structure message from a URL, keeping the labels in every language it carries', async () => {
    const r = await post(t, `/api/v1/sdmx/structures?url=${encodeURIComponent(`${base}/small.xml`)}`, '');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().dimensions).toEqual([{ code: 'TENURE', created: true, valuesAdded: 2, valuesKept: 0 }]);
    const codes = await t.db.store.db
      .selectFrom('sdmx_codes as c')
      .innerJoin('sdmx_codelists as l', 'l.id', 'c.codelist_id')
      .select(['c.code', 'c.names'])
      .where('l.code', '=', 'CL_TENURE')
      .orderBy('c.position')
      .execute();
    expect(codes.map((c) => c.code)).toEqual(['_T', 'OWN', 'RENT']);
    expect(codes[1]?.names).toEqual({ en: 'Owner', fr: 'Propriétaire', ar: 'مالك' });
    const dim = await t.db.store.db
      .selectFrom('dimensions')
      .select('names')
      .where('code', '=', 'TENURE')
      .executeTakeFirst();
    expect(dim?.names).toEqual({ en: 'Tenure', es: 'Tenencia' });
    // Loaded again: nothing new, the same codes.
    const again = await post(t, `/api/v1/sdmx/structures?url=${encodeURIComponent(`${base}/small.xml`)}`, '');
    expect(again.json().dimensions).toEqual([{ code: 'TENURE', created: false, valuesAdded: 0, valuesKept: 2 }]);
  });

  it('refuses what is not a structure message, a URL that fails, and anyone but an administrator', async () => {
    const bad = async (body: string | Buffer, query = '') => {
      const r = await post(t, `/api/v1/sdmx/structures${query}`, body);
      expect(r.statusCode, r.body).toBe(400);
      return r.json().message as string;
    };
    expect(await bad('SERIES,REF_AREA\nX,1\n')).toMatch(/not well-formed XML|not XML/);
    expect(await bad('')).toMatch(/empty/);
    expect(
      await bad(
        '<mes:Structure xmlns:mes="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"><b></mes:Structure>',
      ),
    ).toMatch(/not well-formed XML/);
    expect(await bad('<html><body>hello</body></html>')).toMatch(/not an SDMX-ML structure message/);
    expect(await bad(DATA_MESSAGE)).toMatch(/SDMX-ML data message \(GenericData\), not a structure message/);
    expect(
      await bad(
        SMALL.replace('agencyID="TEST" id="CL_TENURE" version="1.0"/>', 'agencyID="TEST" id="CL_NONE" version="1.0"/>'),
      ),
    ).toMatch(/TENURE of TEST:HOUSING\(2\.0\) takes its codes from TEST:CL_NONE\(1\.0\)/);
    expect(await bad('', `?url=${encodeURIComponent(`${base}/missing.xml`)}`)).toMatch(/^url: .*answered 404/);
    expect(await bad('', '?url=not%20a%20url')).toMatch(/^url: .*is not a URL/);
    expect(await bad('', '?url=file%3A%2F%2F%2Fetc%2Fpasswd')).toMatch(/^url: file: URLs are not fetched/);
    expect(await bad('', `?url=${encodeURIComponent('http://127.0.0.1:1/dsd.xml')}`)).toMatch(/^url: could not fetch/);

    expect((await post(t, '/api/v1/sdmx/structures', SMALL, {})).statusCode).toBe(401);
    const focal = await signedIn(t, 'focal@example.org', [{ role: 'national-focal-point', place: 'MAR' }]);
    expect((await post(t, '/api/v1/sdmx/structures', SMALL, focal)).statusCode).toBe(403);
    expect((await post(t, '/api/v1/sdmx/constraints', CONSTRAINTS, focal, 'text/csv')).statusCode).toBe(403);
  });

  it('loads the content constraints, and checks data against the structure and the constraints', async () => {
    const badCsv = await post(t, '/api/v1/sdmx/constraints', 'a,b\n1,2\n', AUTH, 'text/csv');
    expect(badCsv.statusCode).toBe(400);
    expect(badCsv.json().message).toMatch(/first column must be SERIES/);
    const noStructure = await post(t, '/api/v1/sdmx/constraints?structure=XX:NONE', CONSTRAINTS, AUTH, 'text/csv');
    expect(noStructure.statusCode).toBe(400);
    expect(noStructure.json().message).toMatch(/^structure: no data structure XX:NONE is loaded/);

    const c = await post(t, '/api/v1/sdmx/constraints', CONSTRAINTS, AUTH, 'text/csv');
    expect(c.statusCode, c.body).toBe(200);
    expect(c.json()).toMatchObject({ structure: 'IAEG-SDGs:SDG(1.14)', unknownComponents: [] });
    expect(c.json().series).toBeGreaterThan(600);

    const data = [
      'indicator,place,period,value,series,unit,source,note,SEX,URBANISATION,COLOUR',
      '11.1.1,MAR,2018,12.5,EN_LND_SLUM,,Census,,,U,',
      '11.1.1,MAR,2019,12.1,EN_LND_SLUM,,Census,,,R,',
      '16.1.1,MAR,2019,1.5,VC_IHR_PSRC,,Police,,F,,',
      '16.1.1,MAR,2020,1.4,VC_IHR_PSRC,,Police,,,,RED',
    ].join('\n');
    const imp = await importText(t.app, data, { format: 'csv', status: 'approved' });
    expect(imp.statusCode, imp.body).toBe(201);

    const check = await t.app.inject({ method: 'GET', url: '/api/v1/sdmx/check?place=MAR', headers: AUTH });
    expect(check.statusCode, check.body).toBe(200);
    const r = check.json();
    expect(r).toMatchObject({ structure: 'IAEG-SDGs:SDG(1.14)', place: 'MAR', observations: 4 });
    expect(
      r.problems.map((p: { series: string; period: string; rule: string; component?: string; code?: string }) => [
        p.series,
        p.period,
        p.rule,
        p.component,
        p.code,
      ]),
    ).toEqual([
      ['EN_LND_SLUM', '2019', 'breakdown-not-allowed', 'URBANISATION', 'R'],
      ['VC_IHR_PSRC', '2020', 'unknown-dimension', 'COLOUR', 'RED'],
    ]);
    expect(r.problems[1]).toMatchObject({ place: 'MAR', breakdown: 'COLOUR=RED' });

    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/sdmx/check?place=NOWHERE', headers: AUTH })).statusCode,
    ).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/sdmx/check?place=MAR' })).statusCode).toBe(401);
  });
});
