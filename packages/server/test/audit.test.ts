import { testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, createTestApp, importText, type TestApp } from './helpers.ts';

describe.each(testStoreKinds())('the audit log on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => {
    await t?.close();
  });
  const audit = async (q = '') => (await t.app.inject({ url: `/api/v1/audit?limit=100${q}`, headers: AUTH })).json();

  it('records the catalogue load, then one entry per import that names its batch', async () => {
    const csv = 'indicator,place,period,value\n11.1.1,MAAGA,2020,12\n11.1.1,MAAGA,2021,11\n';
    const r = await importText(t.app, csv, { format: 'csv', fileName: 'agadir.csv' });
    const batch = r.json().batchId;
    const entries = (await audit('&entityType=import_batch')).items;
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: 'import',
      entity_id: String(batch),
      batch_id: batch,
      actor_label: 'api:admin-token',
    });
    expect(entries[0].summary).toMatch(/agadir\.csv: 2 new/);
    expect((await audit('&entityType=catalogue')).items).toHaveLength(1);
    // A failed import changes nothing and adds no entry.
    await importText(t.app, 'indicator,place,period,value\n11.1.1,MAAGA,20x0,1\n', { format: 'csv' });
    expect((await audit('&entityType=import_batch')).total).toBe(1);
  });

  it('records who changed an indicator, with the values before and after', async () => {
    await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/indicators/11.1.1',
      headers: AUTH,
      payload: { direction: 'higher' },
    });
    const [e] = (await audit('&entityType=indicator&entityId=11.1.1')).items;
    expect(e).toMatchObject({ action: 'update', before: { direction: 'lower' }, after: { direction: 'higher' } });
    expect(e.ip).toBeTruthy();
  });

  it('records places and targets added', async () => {
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/places',
      headers: AUTH,
      payload: { places: [{ code: 'JO-AMM-9', parent: 'JOAMM', level: 'district', names: { en: 'Nine' } }] },
    });
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/targets',
      headers: AUTH,
      payload: { indicator: '11.1.1', year: 2030, value: 5 },
    });
    expect((await audit('&entityType=places')).items[0]).toMatchObject({ action: 'create', entity_id: 'JO-AMM-9' });
    expect((await audit('&entityType=target')).items[0].after).toMatchObject({ indicator: '11.1.1', value: 5 });
  });

  it('records accounts and roles given', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: AUTH,
      payload: { email: 'validator@example.org', roles: [{ role: 'data-validator', place: 'MAAGA' }] },
    });
    expect(r.statusCode, r.body).toBe(201);
    const [e] = (await audit('&entityType=user')).items;
    expect(e).toMatchObject({
      action: 'create',
      after: { email: 'validator@example.org', roles: [{ role: 'data-validator', place: 'MAAGA' }] },
    });
    expect(JSON.stringify(e.after)).not.toMatch(/token|hash|argon2/i);
    expect(JSON.stringify(e)).not.toContain(r.json().invitationUrl.split('token=')[1]);
  });

  it('cannot be changed, deleted or emptied', async () => {
    for (const sql of ['UPDATE audit_log SET summary = $$x$$', 'DELETE FROM audit_log', 'TRUNCATE audit_log']) {
      await expect(
        t.db.store.exclusive((c) => c.query(sql)),
        sql,
      ).rejects.toThrow(/append-only/);
    }
    expect((await audit()).total).toBeGreaterThan(3);
  });

  it('is for administrators, and exports as CSV', async () => {
    expect((await t.app.inject({ url: '/api/v1/audit' })).statusCode).toBe(401);
    const csv = await t.app.inject({ url: '/api/v1/audit/export?entityType=indicator', headers: AUTH });
    expect(csv.statusCode).toBe(200);
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toMatch(/^id,at,actor_label/);
    expect(lines).toHaveLength(2);
    expect((await t.app.inject({ url: '/api/v1/audit?from=not-a-date', headers: AUTH })).statusCode).toBe(400);
  });
});
