import { createHash } from 'node:crypto';
import { dumpDatabase, restoreDatabase } from '@marsad/db';
import { testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, createTestApp, signedIn, TEST_PASSWORD, type TestApp } from './helpers.ts';
import { tinyPdf } from './knowledge-fixtures.ts';

/**
 * The network and workshops through the API (issue 5, items 5 and 6), on PGlite and
 * PostgreSQL: partner organisations and who joined when, coordination centres, pilot places
 * with their focal-point roles (never people), the summary counts; workshops with participants
 * counted by sex and organisation type, drafts, materials, permissions by place; the whole
 * repository through a backup and restore; the OpenAPI document.
 */

describe.each(testStoreKinds())('network and workshops on %s', (kind) => {
  let t: TestApp;
  let national: Record<string, string>;
  let editorJor: Record<string, string>;

  beforeAll(async () => {
    t = await createTestApp(kind);
    national = await signedIn(
      t,
      'hafsa.national@network.example',
      [{ role: 'national-focal-point', place: 'MAR' }],
      'Hafsa Nationalpoint',
    );
    await signedIn(t, 'karim.city@network.example', [{ role: 'city-focal-point', place: 'MAAGA' }], 'Karim Citypoint');
    editorJor = await signedIn(t, 'editor.jor@network.example', [{ role: 'editor', place: 'JOR' }]);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ url, headers });
  const send = (
    method: 'POST' | 'PATCH' | 'DELETE',
    url: string,
    payload: unknown,
    headers: Record<string, string> = AUTH,
  ) => t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });

  describe('partners, centres, pilot places', () => {
    let ucl: number;
    it('administrators add partners and centres; others may not (403)', async () => {
      const a = await send('POST', '/api/v1/network/partners', {
        names: { en: 'United Cities and Local Governments', ar: 'المدن المتحدة والحكومات المحلية' },
        type: 'local-government-network',
        joinedOn: '2012-06-01',
        descriptions: { en: 'A world organisation of local governments' },
      });
      expect(a.statusCode, a.body).toBe(201);
      ucl = a.json().id;
      expect(
        (
          await send('POST', '/api/v1/network/partners', {
            names: { en: 'A university' },
            type: 'academia',
            country: 'JOR',
            joinedOn: '2021-02-01',
          })
        ).statusCode,
      ).toBe(201);
      expect(
        (
          await send('POST', '/api/v1/network/partners', {
            names: { en: 'A fund' },
            type: 'funder',
            joinedOn: '2015-01-01',
            leftOn: '2019-12-31',
          })
        ).statusCode,
      ).toBe(201);
      expect(
        (await send('POST', '/api/v1/network/partners', { names: { en: 'x' }, type: 'academia' }, national)).statusCode,
      ).toBe(403);
      const bad = await send('POST', '/api/v1/network/partners', { names: { en: 'x' }, type: 'club' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().message).toMatch(/type/);
      expect(
        (
          await send('POST', '/api/v1/network/partners', {
            names: { en: 'x' },
            type: 'academia',
            joinedOn: '2020-01-01',
            leftOn: '2019-01-01',
          })
        ).json().message,
      ).toMatch(/^leftOn/);
      expect((await send('POST', '/api/v1/network/partners', { names: {}, type: 'academia' })).statusCode).toBe(400);
      const c = await send('POST', '/api/v1/network/centres', {
        names: { ar: 'مركز تنسيق المدن الأكثر أماناً في أكادير', en: 'Agadir safer cities coordination centre' },
        place: 'MAAGA',
        organisation: ucl,
        designatedOn: '2022-05-10',
      });
      expect(c.statusCode, c.body).toBe(201);
      expect(c.json()).toMatchObject({
        place: { code: 'MAAGA' },
        organisation: { id: ucl },
        designatedOn: '2022-05-10',
      });
      expect(
        (await send('POST', '/api/v1/network/centres', { names: { en: 'x' }, place: 'NOWHERE' })).json().message,
      ).toMatch(/^place/);
      expect(
        (
          await send('POST', '/api/v1/network/centres', { names: { en: 'x' }, place: 'MAAGA', organisation: 99999 })
        ).json().message,
      ).toMatch(/^organisation/);
    });

    it('lists partners in the order they joined, by type, with their centres', async () => {
      const all = (await get('/api/v1/network/partners?lang=ar')).json().items;
      expect(all.map((p: { joinedOn: string }) => p.joinedOn)).toEqual(['2012-06-01', '2015-01-01', '2021-02-01']);
      expect(all[0]).toMatchObject({ name: 'المدن المتحدة والحكومات المحلية', member: true });
      expect((await get('/api/v1/network/partners?type=academia')).json().items).toHaveLength(1);
      expect((await get(`/api/v1/network/partners/${ucl}`)).json().centres).toHaveLength(1);
      const p = await send('PATCH', `/api/v1/network/partners/${ucl}`, { website: 'https://www.uclg.org' });
      expect(p.json()).toMatchObject({
        website: 'https://www.uclg.org',
        joinedOn: '2012-06-01',
        descriptions: { en: 'A world organisation of local governments' },
        type: 'local-government-network',
      });
    });

    it('gives the pilot places with the focal-point roles held for them — roles and dates, never people', async () => {
      const r = await get('/api/v1/network/pilots?lang=en');
      expect(r.statusCode).toBe(200);
      const items = r.json().items as {
        code: string;
        focalPoints: { role: string; count: number; since: string }[];
        centres: unknown[];
      }[];
      expect(items.map((p) => p.code)).toEqual(expect.arrayContaining(['MAR', 'MAAGA', 'JOR', 'JOAMM', 'LSMSU']));
      expect(items.find((p) => p.code === 'MAR')!.focalPoints).toEqual([
        { role: 'national-focal-point', count: 1, since: expect.stringMatching(/^\d{4}-\d\d-\d\d$/) },
      ]);
      expect(items.find((p) => p.code === 'MAAGA')!.focalPoints.map((f) => f.role)).toEqual(['city-focal-point']);
      expect(items.find((p) => p.code === 'MAAGA')!.centres).toHaveLength(1);
      expect(r.body.toLowerCase()).not.toMatch(/network\.example|hafsa|karim|nationalpoint|citypoint/);
    });

    it('counts the network (seed 000, section 8 c and f)', async () => {
      const s = (await get('/api/v1/network/summary')).json();
      expect(s).toMatchObject({
        pilotCountries: 9,
        pilotCities: 8,
        coordinationCentres: 1,
        partners: { members: 2, left: 1 },
      });
      expect(s.partners.byType).toMatchObject({ 'local-government-network': 1, academia: 1, funder: 0 });
      expect(s.byYear).toEqual([
        { year: 2012, partnersJoined: 1, partnersLeft: 0, centresDesignated: 0 },
        { year: 2015, partnersJoined: 1, partnersLeft: 0, centresDesignated: 0 },
        { year: 2019, partnersJoined: 0, partnersLeft: 1, centresDesignated: 0 },
        { year: 2021, partnersJoined: 1, partnersLeft: 0, centresDesignated: 0 },
        { year: 2022, partnersJoined: 0, partnersLeft: 0, centresDesignated: 1 },
      ]);
      const audit = (await get('/api/v1/audit?entityType=partner-organisation', AUTH)).json();
      expect(audit.total).toBe(4);
    });
  });

  describe('workshops and trainings', () => {
    let material: number;
    let workshop: number;
    beforeAll(async () => {
      const item = await send('POST', '/api/v1/knowledge/items', {
        type: 'tool',
        kind: 'guide',
        originalLanguage: 'ar',
        status: 'published',
        ownerPlace: 'MAR',
        texts: { ar: { title: 'دليل جمع البيانات المحلية' } },
      });
      expect(item.statusCode, item.body).toBe(201);
      material = item.json().id;
    });

    it('a focal point adds a workshop of their place with participant counts; the sums must agree', async () => {
      const body = {
        kind: 'workshop',
        titles: { ar: 'ورشة عمل حول أدوات الرصد والمتابعة', en: 'Workshop on monitoring tools' },
        place: 'MAAGA',
        startsOn: '2022-03-14',
        endsOn: '2022-03-16',
        topics: ['أدوات الرصد', 'جمع البيانات'],
        materials: [material],
        organisers: [{ names: { ar: 'الإسكوا' } }],
        participants: {
          total: 30,
          bySex: { female: 14, male: 15, unspecified: 1 },
          byOrganisationType: { 'local-government': 20, 'civil-society': 6, academia: 4 },
        },
      };
      expect(
        (
          await send(
            'POST',
            '/api/v1/workshops',
            { ...body, participants: { total: 30, bySex: { female: 14, male: 15 } } },
            national,
          )
        ).json().message,
      ).toMatch(/^participants\.bySex/);
      expect(
        (
          await send(
            'POST',
            '/api/v1/workshops',
            { ...body, participants: { total: 30, byOrganisationType: { academia: 4 } } },
            national,
          )
        ).json().message,
      ).toMatch(/^participants\.byOrganisationType/);
      expect(
        (await send('POST', '/api/v1/workshops', { ...body, materials: [99999] }, national)).json().message,
      ).toMatch(/^materials\.0/);
      expect(
        (await send('POST', '/api/v1/workshops', { ...body, endsOn: '2022-03-01' }, national)).json().message,
      ).toMatch(/^endsOn/);
      expect(
        (await send('POST', '/api/v1/workshops', { ...body, participants: { total: -1 } }, national)).statusCode,
      ).toBe(400);
      expect((await send('POST', '/api/v1/workshops', body, editorJor)).statusCode).toBe(403);
      const r = await send('POST', '/api/v1/workshops', body, national);
      expect(r.statusCode, r.body).toBe(201);
      workshop = r.json().id;
      expect(r.json()).toMatchObject({
        status: 'draft',
        canEdit: true,
        place: { code: 'MAAGA' },
        materials: [{ id: material, type: 'tool' }],
      });
    });

    it('drafts are hidden from the public; once published, listed with totals and linked from their materials', async () => {
      expect((await get(`/api/v1/workshops/${workshop}`)).statusCode).toBe(404);
      expect((await get('/api/v1/workshops')).json().items).toEqual([]);
      expect(
        (await send('PATCH', `/api/v1/workshops/${workshop}`, { status: 'published' }, editorJor)).statusCode,
      ).toBe(404);
      expect(
        (await send('PATCH', `/api/v1/workshops/${workshop}`, { status: 'published' }, national)).json(),
      ).toMatchObject({ status: 'published' });
      const list = (await get('/api/v1/workshops?lang=en&place=MAR')).json();
      expect(list.items).toHaveLength(1);
      expect(list.items[0]).toMatchObject({
        title: 'Workshop on monitoring tools',
        organisers: [{ organisation: null, name: 'الإسكوا' }],
        canEdit: false,
      });
      expect(list.totals).toEqual({
        workshops: 1,
        participants: 30,
        bySex: { female: 14, male: 15, unspecified: 1 },
        byOrganisationType: { 'local-government': 20, 'civil-society': 6, academia: 4 },
      });
      expect((await get('/api/v1/workshops?place=JOR')).json().items).toEqual([]);
      expect((await get('/api/v1/workshops?year=2021')).json().items).toEqual([]);
      expect((await get(`/api/v1/knowledge/items/${material}?lang=ar`)).json().workshops).toEqual([
        { id: workshop, kind: 'workshop', title: 'ورشة عمل حول أدوات الرصد والمتابعة', startsOn: '2022-03-14' },
      ]);
      const audit = (await get(`/api/v1/audit?entityType=workshop&entityId=${workshop}`, AUTH)).json();
      expect(audit.items.map((a: { action: string }) => a.action)).toEqual(['update', 'create']);
    });
  });

  describe('backup, restore and the API document', () => {
    it('keeps items, texts, versions, files byte for byte, pilots, partners and workshops; search works after it', async () => {
      const item = await send('POST', '/api/v1/knowledge/items', {
        type: 'document',
        originalLanguage: 'en',
        status: 'published',
        texts: { en: { title: 'Backup probe', body: '<p>Quillwort observatory</p>' } },
      });
      const id = item.json().id as number;
      const pdf = tinyPdf(['Restorable marigold text']);
      const up = await t.app.inject({
        method: 'POST',
        url: `/api/v1/knowledge/items/${id}/attachments?fileName=probe.pdf`,
        headers: { ...AUTH, 'content-type': 'application/pdf' },
        payload: pdf,
      });
      expect(up.statusCode, up.body).toBe(201);
      const chunks: string[] = [];
      for await (const c of dumpDatabase(t.db.store)) chunks.push(c);
      const counts = await restoreDatabase(
        t.db.store,
        (async function* () {
          yield* chunks;
        })(),
      );
      expect(counts).toMatchObject({
        knowledge_items: 2,
        knowledge_attachments: 1,
        partner_organisations: 3,
        coordination_centres: 1,
        workshops: 1,
        workshop_materials: 1,
      });
      expect(counts.knowledge_item_versions).toBe(3);
      const back = await get(up.json().url);
      expect(back.rawPayload.equals(pdf)).toBe(true);
      expect(back.headers['x-content-sha256']).toBe(createHash('sha256').update(pdf).digest('hex'));
      const found = (await get('/api/v1/knowledge/search?q=marigold')).json();
      expect(found.items.map((h: { id: number }) => h.id)).toEqual([id]);
      const next = await send('POST', '/api/v1/knowledge/items', {
        type: 'document',
        originalLanguage: 'en',
        texts: { en: { title: 'After restore' } },
      });
      expect(next.json().id).toBeGreaterThan(id);
      const login = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'hafsa.national@network.example', password: TEST_PASSWORD },
      });
      expect(login.statusCode).toBe(200);
    });

    it('documents the routes in the OpenAPI document', async () => {
      const doc = (await get('/api/openapi.json')).json();
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining([
          '/api/v1/knowledge/search',
          '/api/v1/knowledge/items',
          '/api/v1/knowledge/items/{id}',
          '/api/v1/knowledge/items/{id}/versions',
          '/api/v1/knowledge/items/{id}/compare',
          '/api/v1/knowledge/items/{id}/attachments',
          '/api/v1/knowledge/attachments/{id}',
          '/api/v1/knowledge/tools/stats',
          '/api/v1/knowledge/tools/{id}/pilots',
          '/api/v1/knowledge/options',
          '/api/v1/network/partners',
          '/api/v1/network/centres',
          '/api/v1/network/pilots',
          '/api/v1/network/summary',
          '/api/v1/workshops',
          '/api/v1/workshops/{id}',
        ]),
      );
    });
  });
});
