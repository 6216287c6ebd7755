import { testStoreKinds } from '@marsad/db/testing';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, createTestApp, importText, type TestApp } from './helpers.ts';

const DATA = [
  'indicator,place,period,value,series,status,SEX',
  '16.1.1,MAAGA,2015,6,VC_IHR_PSRC,approved,',
  '16.1.1,MAAGA,2020,4,VC_IHR_PSRC,approved,',
  '16.1.1,MAAGA,2020,2,VC_IHR_PSRC,approved,F',
  '16.1.1,MAAGA,2020,6,VC_IHR_PSRC,approved,M',
  '16.1.1,MAAGA,2024Q1,1.1,VC_IHR_PSRC,approved,',
  '16.1.1,JOAMM,2020,1.5,VC_IHR_PSRC,provisional,',
  '16.1.1,MAR,2020,2.5,VC_IHR_PSRC,approved,',
].join('\n');

describe.each(testStoreKinds())('API on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
    const r = await importText(t.app, DATA, { format: 'csv' });
    expect(r.statusCode, r.body).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
  });

  const get = async (url: string, headers: Record<string, string> = {}) => {
    const r = await t.app.inject({ url, headers });
    return { status: r.statusCode, body: r.json(), headers: r.headers };
  };

  it('lists the SDG catalogue with titles in six languages and the source', async () => {
    const g = await get('/api/v1/sdg/goals');
    expect(g.body.items).toHaveLength(17);
    const g11 = g.body.items.find((x: { code: string }) => x.code === '11');
    for (const lang of ['ar', 'en', 'fr', 'es', 'ru', 'zh']) expect(g11.names[lang]).toBeTruthy();
    expect(g11.source).toMatch(/sdg-translations/i);
    const all = await get('/api/v1/indicators?framework=sdg&limit=1000');
    expect(all.body.total).toBeGreaterThan(230);
  });

  it('describes SDG 11 and 16.1 indicators fully', async () => {
    const i = await get('/api/v1/indicators/11.6.2?lang=ar');
    expect(i.status).toBe(200);
    expect(i.body.series.map((s: { code: string }) => s.code)).toContain('EN_ATM_PM25');
    expect(i.body.series.length).toBeGreaterThanOrEqual(2);
    expect(i.body.direction).toBe('lower');
    expect(i.body.name).toMatch(/[\u0600-\u06FF]/);
    const h = await get('/api/v1/indicators/16.1.1');
    expect(h.body.series.map((s: { code: string }) => s.code)).toEqual(
      expect.arrayContaining(['VC_IHR_PSRC', 'VC_IHR_PSRCN']),
    );
    expect(h.body.frameworks.map((f: { code: string }) => f.code)).toEqual(
      expect.arrayContaining(['sdg', 'urban-safety']),
    );
    expect((await get('/api/v1/indicators/11.c.1')).body.status).toBe('retired');
    expect((await get('/api/v1/indicators/11.5.3')).status).toBe(200);
  });

  it('ships the urban safety matrix, adequate housing and population', async () => {
    const safety = await get('/api/v1/frameworks/urban-safety');
    expect(safety.body.draft).toBe(true);
    expect(safety.body.indicators.length).toBeGreaterThanOrEqual(20);
    const groups = new Set(safety.body.indicators.map((i: { group: string }) => i.group));
    for (const g of ['crime-violence', 'victimisation', 'perceptions', 'risk-factors', 'resilience-factors'])
      expect(groups).toContain(g);
    const housing = await get('/api/v1/frameworks/adequate-housing');
    expect(housing.body.groups).toHaveLength(7);
    const covered = new Set(housing.body.indicators.map((i: { group: string | null }) => i.group).filter(Boolean));
    expect(covered.size).toBe(7);
    expect((await get('/api/v1/indicators/POP')).status).toBe(200);
  });

  it('lists places as a tree with pilot cities flagged, and none invented for the Philippines', async () => {
    const pilots = await get('/api/v1/places?pilot=true&level=city');
    expect(pilots.body.items.map((p: { code: string }) => p.code).sort()).toEqual([
      'CRSJO',
      'CUHAV',
      'ECUIO',
      'JOAMM',
      'KHBBM',
      'KZALA',
      'LSMSU',
      'MAAGA',
    ]);
    const phl = await get('/api/v1/places/PHL');
    expect(phl.body.pilot).toBe(true);
    expect(phl.body.children).toEqual([]);
    const agadir = await get('/api/v1/places/MAAGA');
    expect(agadir.body.ancestors.map((a: { code: string }) => a.code)).toContain('MAR');
    expect(agadir.body.codes.unlocode).toBe('MA AGA');
  });

  it('shows the public approved values only; the token shows all', async () => {
    const pub = await get('/api/v1/observations?indicator=16.1.1&limit=100');
    expect(pub.body.total).toBe(6);
    expect(pub.body.items.every((o: { status: string }) => o.status === 'approved')).toBe(true);
    const all = await get('/api/v1/observations?indicator=16.1.1&limit=100', AUTH);
    expect(all.body.total).toBe(7);
    expect((await get('/api/v1/observations?status=provisional')).status).toBe(403);
  });

  it('filters by place subtree, period range and dimension', async () => {
    const subtree = await get('/api/v1/observations?place=MAR&subtree=true');
    expect(subtree.body.total).toBe(6);
    const only = await get('/api/v1/observations?place=MAR');
    expect(only.body.total).toBe(1);
    const range = await get('/api/v1/observations?place=MAAGA&from=2016&to=2020');
    expect(range.body.total).toBe(3);
    const quarter = await get('/api/v1/observations?place=MAAGA&from=2024-01&to=2024-02');
    expect(quarter.body.items.map((o: { period: string }) => o.period)).toEqual(['2024-Q1']);
    const women = await get('/api/v1/observations?place=MAAGA&dim=SEX:F');
    expect(women.body.items.map((o: { value: number }) => o.value)).toEqual([2]);
    const totals = await get('/api/v1/observations?place=MAAGA&dim=SEX:_T');
    expect(totals.body.total).toBe(3);
    const page = await get('/api/v1/observations?place=MAAGA&limit=2&offset=2');
    expect(page.body).toMatchObject({ total: 5, limit: 2, offset: 2 });
    expect(page.body.items).toHaveLength(2);
  });

  it('answers bad requests with a 4xx and a message, never a 500', async () => {
    const cases = [
      '/api/v1/observations?limit=0',
      '/api/v1/observations?limit=abc',
      '/api/v1/observations?from=20x5',
      '/api/v1/observations?dim=SEX',
      '/api/v1/indicators/NOPE',
      '/api/v1/places/NOPE',
      '/api/v1/nothing',
      '/api/v1/observations/export?format=open-sdg',
      '/api/v1/observations/export?format=xml',
      '/api/v1/imports/abc',
    ];
    for (const url of cases) {
      const r = await t.app.inject({ url, headers: AUTH });
      expect(r.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(r.statusCode, url).toBeLessThan(500);
      expect(r.json().message, url).toBeTruthy();
    }
    const badJson = await t.app.inject({
      method: 'POST',
      url: '/api/v1/places',
      headers: { ...AUTH, 'content-type': 'application/json' },
      payload: '{"places": [',
    });
    expect(badJson.statusCode).toBe(400);
    const badFormat = await importText(t.app, 'x', { format: 'xml' });
    expect(badFormat.statusCode).toBe(400);
    const badMap = await importText(t.app, 'x', { format: 'csv', map: '{nope' });
    expect(badMap.statusCode).toBe(400);
    expect(badMap.json().message).toMatch(/map/);
  });

  it('adds places all or nothing, and local indicators and targets', async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/places',
      headers: AUTH,
      payload: {
        places: [
          { code: 'MA-AGA-D1', parent: 'MAAGA', level: 'district', names: { ar: 'حي', en: 'District 1' } },
          { code: 'MA-AGA-D2', parent: 'NOWHERE', level: 'district', names: { en: 'District 2' } },
        ],
      },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().details.problems[0]).toMatchObject({ row: 1, column: 'parent' });
    expect((await get('/api/v1/places/MA-AGA-D1')).status).toBe(404);
    const csv =
      'code,parent,level,name_ar,name_en,lat,lon,external_code\nMA-AGA-D1,MAAGA,district,حي تالبورجت,Talborjt,30.42,-9.6,AGA01\n';
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/places/import',
      headers: { ...AUTH, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const d = await get('/api/v1/places/MA-AGA-D1');
    expect(d.body).toMatchObject({ level: 'district', externalCode: 'AGA01', names: { ar: 'حي تالبورجت' } });
    expect(d.body.ancestors.map((a: { code: string }) => a.code)).toEqual(['MAR', 'MA-09', 'MAAGA']);
    const ind = await t.app.inject({
      method: 'POST',
      url: '/api/v1/indicators',
      headers: AUTH,
      payload: {
        code: 'AGA-SAFE-1',
        names: { ar: 'نسبة الأحياء المضاءة', en: 'Share of lit neighbourhoods' },
        unit: { code: 'PERCENT' },
        direction: 'higher',
        frameworks: [{ framework: 'urban-safety', group: 'resilience-factors' }, { framework: 'nua' }],
        ownerPlace: 'MAAGA',
      },
    });
    expect(ind.statusCode, ind.body).toBe(201);
    expect((await get('/api/v1/indicators/AGA-SAFE-1')).body.frameworks).toHaveLength(2);
    const target = await t.app.inject({
      method: 'POST',
      url: '/api/v1/targets',
      headers: AUTH,
      payload: {
        indicator: '16.1.1',
        place: 'MAAGA',
        year: 2030,
        relativeChange: -0.5,
        baselineYear: 2015,
        note: 'halve by 2030 from 2015',
      },
    });
    expect(target.statusCode).toBe(201);
    const targets = await get('/api/v1/targets?indicator=16.1.1');
    expect(targets.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ place: 'MAAGA', relativeChange: -0.5, baselineYear: 2015 })]),
    );
    const bt = await t.app.inject({
      method: 'POST',
      url: '/api/v1/targets',
      headers: AUTH,
      payload: { indicator: '16.1.1', year: 2030 },
    });
    expect(bt.statusCode).toBe(400);
  });

  it('publishes a valid OpenAPI 3.1 document and its docs page', async () => {
    const doc = await get('/api/openapi.json');
    expect(doc.body.openapi).toMatch(/^3\.1/);
    const v = new Validator();
    const res = await v.validate(doc.body);
    expect(res.errors ?? []).toEqual([]);
    expect(res.valid).toBe(true);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/indicators', '/api/v1/observations', '/api/v1/imports']),
    );
    const docs = await t.app.inject({ url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['x-content-type-options']).toBe('nosniff');
  });
});
