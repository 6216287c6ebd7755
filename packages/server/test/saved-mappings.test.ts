import { testStoreKinds } from '@marsad/db/testing';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, createTestApp, importText, signedIn, type TestApp } from './helpers.ts';

/**
 * Saved import mappings (issue 14, item 6): kept per place, seen by the role holders of the place
 * and of the places above it, changed by those who may import for it, audited; an import, a
 * repository import and the DHIS2 export name one instead of sending the JSON.
 */
const GENDER = { columns: { 'Victim Gender': { dimension: 'SEX', values: { Female: 'F', Male: 'M' } } } };
const DHIS2 = {
  dataElements: { f7n9E0hX8qk: { indicator: '11.1.1' } },
  orgUnits: { O6uvpzGd5pu: 'MAAGA' },
  categoryOptionCombos: { oPcWGgS2Liz: { SEX: 'F' } },
};
const FILE =
  'indicator,series,place,period,value,Victim Gender\n16.1.1,VC_IHR_PSRC,MAAGA,2019,3.1,Female\n16.1.1,VC_IHR_PSRC,MAAGA,2019,4.2,Male\n';

describe.each(testStoreKinds())('saved import mappings on %s', (kind) => {
  let t: TestApp;
  let agadir: Record<string, string>;
  let amman: Record<string, string>;
  let morocco: Record<string, string>;
  let validator: Record<string, string>;
  const ids = { agadir: 0, morocco: 0, amman: 0 };

  const send = (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    headers: Record<string, string>,
    payload?: unknown,
  ) =>
    t.app.inject({
      method,
      url: `/api/v1${url}`,
      headers,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const names = async (headers: Record<string, string>, query = '') =>
    ((await send('GET', `/mappings${query}`, headers)).json().items as { name: string; place: string }[]).map(
      (m) => `${m.place}/${m.name}`,
    );
  const audit = async (id: number) =>
    (
      await t.db.store.db
        .selectFrom('audit_log')
        .select(['action', 'actor_label', 'summary', 'before', 'after'])
        .where('entity_type', '=', 'saved-mapping')
        .where('entity_id', '=', String(id))
        .orderBy('id')
        .execute()
    ).map((e) => ({ ...e, before: e.before as unknown, after: e.after as unknown }));

  beforeAll(async () => {
    t = await createTestApp(kind);
    agadir = await signedIn(t, 'agadir@maps.example', [{ role: 'city-focal-point', place: 'MAAGA' }]);
    amman = await signedIn(t, 'amman@maps.example', [{ role: 'city-focal-point', place: 'JOAMM' }]);
    morocco = await signedIn(t, 'morocco@maps.example', [{ role: 'national-focal-point', place: 'MAR' }]);
    validator = await signedIn(t, 'checker@maps.example', [{ role: 'data-validator', place: 'MAAGA' }]);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('saves mappings per place, checked as an import checks them, and audits each', async () => {
    const a = await send('POST', '/mappings', agadir, {
      name: 'Gender',
      kind: 'columns',
      place: 'MAAGA',
      body: GENDER,
    });
    expect(a.statusCode, a.body).toBe(201);
    expect(a.json()).toMatchObject({ name: 'Gender', kind: 'columns', place: 'MAAGA', body: GENDER });
    ids.agadir = a.json().id;
    const m = await send('POST', '/mappings', morocco, { name: 'HMIS', kind: 'dhis2', place: 'MAR', body: DHIS2 });
    expect(m.statusCode, m.body).toBe(201);
    ids.morocco = m.json().id;
    // The same name in another place is another mapping; in the same place, whatever its case, a conflict.
    const j = await send('POST', '/mappings', amman, { name: 'Gender', kind: 'columns', place: 'JOAMM', body: GENDER });
    expect(j.statusCode, j.body).toBe(201);
    ids.amman = j.json().id;
    const again = await send('POST', '/mappings', agadir, {
      name: 'gender',
      kind: 'dhis2',
      place: 'MAAGA',
      body: DHIS2,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toMatch(/^name: the place "MAAGA" already has a mapping named "gender"/);

    const bad = await send('POST', '/mappings', agadir, {
      name: 'Broken',
      kind: 'columns',
      place: 'MAAGA',
      body: { columns: { Sex: { dimension: 7 } } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/^body\.columns\.Sex\.dimension: not a column mapping/);
    const wrongKind = await send('POST', '/mappings', agadir, {
      name: 'X',
      kind: 'dhis2',
      place: 'MAAGA',
      body: GENDER,
    });
    expect(wrongKind.statusCode).toBe(400);
    expect(wrongKind.json().message).toMatch(/^body\.dataElements: not a DHIS2 mapping/);
    const elsewhere = await send('POST', '/mappings', agadir, {
      name: 'X',
      kind: 'columns',
      place: 'JOAMM',
      body: GENDER,
    });
    expect(elsewhere.statusCode).toBe(403);

    expect(await audit(ids.agadir)).toEqual([
      expect.objectContaining({
        action: 'create',
        actor_label: expect.stringMatching(/agadir@maps\.example/),
        after: { name: 'Gender', kind: 'columns', place: 'MAAGA', body: GENDER },
      }),
    ]);
    const rows = await t.db.store.db.selectFrom('saved_mappings').select('name').execute();
    expect(rows.map((r) => r.name).sort()).toEqual(['Gender', 'Gender', 'HMIS']);
  });

  it('lists to each the mappings of the places of their roles and below; administrators all', async () => {
    expect(await names(agadir)).toEqual(['MAAGA/Gender']);
    expect(await names(validator)).toEqual(['MAAGA/Gender']);
    expect((await names(morocco)).sort()).toEqual(['MAAGA/Gender', 'MAR/HMIS']);
    expect(await names(morocco, '?kind=dhis2')).toEqual(['MAR/HMIS']);
    expect((await names(AUTH)).sort()).toEqual(['JOAMM/Gender', 'MAAGA/Gender', 'MAR/HMIS']);
    expect(await names(AUTH, '?place=JOR')).toEqual(['JOAMM/Gender']);
    expect((await send('GET', `/mappings/${ids.amman}`, agadir)).statusCode).toBe(404);
    expect((await send('GET', `/mappings/${ids.agadir}`, morocco)).json().body).toEqual(GENDER);
    expect((await send('GET', '/mappings', {})).statusCode).toBe(401);
  });

  it('imports with a saved mapping (by name or id) as with the same JSON inline', async () => {
    const strip = (b: Record<string, unknown>) => {
      const { batchId: _b, ...rest } = b;
      return rest;
    };
    const inline = await importText(t.app, FILE, { format: 'csv', dryRun: true, map: JSON.stringify(GENDER) }, agadir);
    expect(inline.statusCode, inline.body).toBe(200);
    const byName = await importText(t.app, FILE, { format: 'csv', dryRun: true, mappingName: 'gender' }, agadir);
    expect(byName.statusCode, byName.body).toBe(200);
    expect(strip(byName.json())).toEqual(strip(inline.json()));
    const without = await importText(t.app, FILE, { format: 'csv', dryRun: true }, agadir);
    expect(strip(without.json())).not.toEqual(strip(inline.json())); // the mapping does change something

    const done = await importText(t.app, FILE, { format: 'csv', mappingId: String(ids.agadir) }, agadir);
    expect(done.statusCode, done.body).toBe(201);
    const women = await t.app.inject({
      url: '/api/v1/observations?indicator=16.1.1&place=MAAGA&period=2019&dim=SEX:F',
      headers: AUTH,
    });
    expect(women.json().items.map((o: { value: number }) => o.value)).toEqual([3.1]);
  });

  it('imports an Open SDG repository with a saved mapping as with the same JSON inline', async () => {
    const zip = new JSZip();
    zip.file('data/indicator_16-1-1.csv', 'Year,Victim Gender,Value\n2017,Female,2.5\n2017,Male,3.5\n');
    const body = await zip.generateAsync({ type: 'nodebuffer' });
    const upload = async (query: Record<string, string>) => {
      const r = await t.app.inject({
        method: 'POST',
        url: `/api/v1/imports/repository?${new URLSearchParams({ place: 'MAAGA', dryRun: 'true', ...query })}`,
        payload: body,
        headers: { ...agadir, 'content-type': 'application/zip' },
      });
      expect(r.statusCode, r.body).toBe(200);
      const file = r.json().files.find((f: { path: string }) => f.path.endsWith('indicator_16-1-1.csv'));
      return { counts: file.counts, created: file.created, errors: file.errors };
    };
    const inline = await upload({ map: JSON.stringify(GENDER) });
    expect(inline.counts).toMatchObject({ read: 2, errors: 0 });
    expect(await upload({ mappingName: 'Gender' })).toEqual(inline);
    expect((await upload({})).created).not.toEqual(inline.created); // without it, an open dimension of the column
  });

  it('refuses with a 400 naming it a saved mapping that is unknown, hidden from the user or of the other kind', async () => {
    const unknown = await importText(t.app, FILE, { format: 'csv', mappingName: 'Nonesuch' }, agadir);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toBe('mappingName: no saved column mapping named "Nonesuch" that you may use.');
    const hidden = await importText(t.app, '{}', { format: 'dhis2', dhis2MappingName: 'HMIS' }, agadir);
    expect(hidden.statusCode).toBe(400);
    expect(hidden.json().message).toMatch(/^dhis2MappingName: no saved DHIS2 mapping named "HMIS"/);
    const other = await importText(t.app, FILE, { format: 'csv', mappingId: String(ids.morocco) }, morocco);
    expect(other.statusCode).toBe(400);
    expect(other.json().message).toMatch(/^mappingId: .* is a DHIS2 mapping, not a column mapping/);
    const both = await importText(
      t.app,
      FILE,
      { format: 'csv', mappingName: 'Gender', map: JSON.stringify(GENDER) },
      agadir,
    );
    expect(both.statusCode).toBe(400);
    expect(both.json().message).toMatch(/give only one of map, mappingName/);
    // Administrators see both "Gender" mappings: the name alone does not say which.
    const ambiguous = await importText(t.app, FILE, { format: 'csv', dryRun: true, mappingName: 'Gender' });
    expect(ambiguous.statusCode).toBe(400);
    expect(ambiguous.json().message).toMatch(/2 saved column mappings are named "Gender" .*name one by its id/);
  });

  it('exports to DHIS2 through a saved mapping; the public names none', async () => {
    const url = (q: Record<string, string>) => `/api/v1/observations/export?${new URLSearchParams(q)}`;
    const ok = await t.app.inject({
      url: url({
        format: 'dhis2',
        indicator: '11.1.1',
        place: 'MAAGA',
        dhis2MappingName: 'HMIS',
        skipUnmapped: 'true',
      }),
      headers: morocco,
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const inline = await t.app.inject({
      url: url({
        format: 'dhis2',
        indicator: '11.1.1',
        place: 'MAAGA',
        dhis2Mapping: JSON.stringify(DHIS2),
        skipUnmapped: 'true',
      }),
      headers: morocco,
    });
    expect(ok.body).toBe(inline.body);
    const pub = await t.app.inject({ url: url({ format: 'dhis2', indicator: '11.1.1', dhis2MappingName: 'HMIS' }) });
    expect(pub.statusCode).toBe(400);
    expect(pub.json().message).toMatch(/^dhis2MappingName: no saved DHIS2 mapping named "HMIS"/);
  });

  it('lets a city focal point change only the mappings of its place; audits replace and delete', async () => {
    // Another city's mapping is not even seen; the national one neither (it belongs to the country).
    const other = await send('PUT', `/mappings/${ids.amman}`, agadir, {
      name: 'Mine now',
      kind: 'columns',
      place: 'MAAGA',
      body: GENDER,
    });
    expect(other.statusCode).toBe(404);
    expect((await send('DELETE', `/mappings/${ids.morocco}`, agadir)).statusCode).toBe(404);
    // A validator of the city sees its mapping, and may not change it.
    const checker = await send('DELETE', `/mappings/${ids.agadir}`, validator);
    expect(checker.statusCode).toBe(403);
    // The national focal point may move the city's mapping, but not to another country.
    const away = await send('PUT', `/mappings/${ids.agadir}`, morocco, {
      name: 'Gender',
      kind: 'columns',
      place: 'JOAMM',
      body: GENDER,
    });
    expect(away.statusCode).toBe(403);
    const changed = { columns: { ...GENDER.columns, Age: { ignore: true } } };
    const put = await send('PUT', `/mappings/${ids.agadir}`, agadir, {
      name: 'Gender and age',
      kind: 'columns',
      place: 'MAAGA',
      body: changed,
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ name: 'Gender and age', body: changed, updatedBy: null });
    // Who changed it (accounts are named by e-mail): told to administrators only.
    expect((await send('GET', `/mappings/${ids.agadir}`, AUTH)).json()).toMatchObject({
      createdBy: expect.stringMatching(/agadir@maps\.example/),
      updatedBy: expect.stringMatching(/agadir@maps\.example/),
    });
    expect((await send('GET', `/mappings/${ids.amman}`, AUTH)).json().name).toBe('Gender');
    const del = await send('DELETE', `/mappings/${ids.agadir}`, morocco);
    expect(del.statusCode, del.body).toBe(200);
    expect((await send('GET', `/mappings/${ids.agadir}`, agadir)).statusCode).toBe(404);
    expect((await audit(ids.agadir)).map((e) => [e.action, e.actor_label.replace(/^\w+:/, '')])).toEqual([
      ['create', 'agadir@maps.example'],
      ['update', 'agadir@maps.example'],
      ['delete', 'morocco@maps.example'],
    ]);
    const [, update, remove] = await audit(ids.agadir);
    expect(update?.before).toMatchObject({ name: 'Gender', body: GENDER });
    expect(remove?.before).toMatchObject({ name: 'Gender and age', body: changed });
  });
});
