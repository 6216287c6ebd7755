import { testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, createTestApp, importText, signedIn, type TestApp } from './helpers.ts';

describe.each(testStoreKinds())('imports checked against the places of the roles on %s', (kind) => {
  let t: TestApp;
  let city: Record<string, string>;
  let national: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp(kind);
    // Accounts first, while the first-start token still creates them; then the administrator.
    city = await signedIn(t, 'agadir@example.org', [{ role: 'city-focal-point', place: 'MAAGA' }]);
    national = await signedIn(t, 'morocco@example.org', [{ role: 'national-focal-point', place: 'MAR' }]);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lets a city focal point import values of the city, as provisional', async () => {
    const r = await importText(t.app, 'indicator,place,period,value\n11.1.1,MAAGA,2020,20\n', { format: 'csv' }, city);
    expect(r.statusCode, r.body).toBe(201);
    const audit = await t.app.inject({ url: '/api/v1/audit?entityType=import_batch', headers: AUTH });
    expect(audit.json().items[0].actor_label).toMatch(/agadir@example\.org/);
  });

  it('refuses, row by row, places outside the roles and approval without the right, writing nothing', async () => {
    const r = await importText(
      t.app,
      'indicator,place,period,value\n11.1.1,MAAGA,2021,19\n11.1.1,JOAMM,2021,30\n',
      { format: 'csv' },
      city,
    );
    expect(r.statusCode).toBe(422);
    expect(r.json().errors).toEqual([expect.objectContaining({ at: 3, column: 'place' })]);
    const approved = await importText(
      t.app,
      'indicator,place,period,value\n11.1.1,MAAGA,2022,18\n',
      { format: 'csv', status: 'approved' },
      city,
    );
    expect(approved.statusCode).toBe(422);
    expect(approved.json().errors[0]).toMatchObject({ column: 'status' });
    expect(approved.json().errors[0].message).toMatch(/national focal point/);
  });

  it('lets a national focal point approve values of its cities, but not of another country', async () => {
    const ok = await importText(
      t.app,
      'indicator,place,period,value\n11.1.1,MAAGA,2023,17\n11.1.1,MAR,2023,15\n',
      { format: 'csv', status: 'approved' },
      national,
    );
    expect(ok.statusCode, ok.body).toBe(201);
    const other = await importText(
      t.app,
      'indicator,place,period,value\n11.1.1,JOR,2023,9\n',
      { format: 'csv' },
      national,
    );
    expect(other.statusCode).toBe(422);
  });

  it('shows unpublished values to the focal points of the place only', async () => {
    const seed = await importText(t.app, 'indicator,place,period,value\n11.1.1,JOAMM,2020,31\n', { format: 'csv' });
    expect(seed.statusCode, seed.body).toBe(201);
    const see = async (headers: Record<string, string>) => {
      const r = await t.app.inject({
        url: '/api/v1/observations?indicator=11.1.1&status=provisional&limit=100',
        headers,
      });
      return r.statusCode === 200
        ? r
            .json()
            .items.map((o: { place: string; period: string }) => `${o.place} ${o.period}`)
            .sort()
        : r.statusCode;
    };
    expect(await see(city)).toEqual(['MAAGA 2020']);
    expect(await see(national)).toEqual(['MAAGA 2020']);
    expect(await see(AUTH)).toEqual(['JOAMM 2020', 'MAAGA 2020']);
    expect(await see({})).toBe(403);
    const pub = await t.app.inject({ url: '/api/v1/observations?indicator=11.1.1&limit=100' });
    expect(pub.json().items.every((o: { status: string }) => o.status === 'approved')).toBe(true);
  });

  it('lets focal points add places under their own places only, all or nothing', async () => {
    const add = (headers: Record<string, string>, places: unknown[]) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/places',
        headers: { ...headers, 'content-type': 'application/json' },
        payload: { places },
      });
    const district = {
      code: 'MA-AGA-T1',
      parent: 'MAAGA',
      level: 'district',
      names: { ar: 'تالبرجت', en: 'Talborjt' },
    };
    const amman = { code: 'JO-AMM-X1', parent: 'JOAMM', level: 'district', names: { en: 'Abdali' } };
    const refused = await add(city, [district, amman]);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().details.problems).toEqual([expect.objectContaining({ row: 1, column: 'parent' })]);
    expect((await add(city, [district])).statusCode).toBe(201);
    const region = { code: 'MA-01', parent: 'MAR', level: 'region', names: { en: 'Tanger-Tétouan-Al Hoceïma' } };
    const cityBelow = { code: 'MATNG', parent: 'MA-01', level: 'city', names: { en: 'Tangier' } };
    expect((await add(national, [region, cityBelow])).statusCode).toBe(201);
    const country = await add(national, [{ code: 'ZZZ', parent: null, level: 'country', names: { en: 'Nowhere' } }]);
    expect(country.statusCode).toBe(422);
    expect(country.json().details.problems[0].message).toMatch(/only an administrator may add a country/);
  });

  it('needs a CSRF token with a session cookie, and someone signed in', async () => {
    const noCsrf = await importText(
      t.app,
      'indicator,place,period,value\n11.1.1,MAAGA,2024,16\n',
      { format: 'csv' },
      { cookie: city.cookie! },
    );
    expect(noCsrf.statusCode).toBe(403);
    const anonymous = await importText(
      t.app,
      'indicator,place,period,value\n11.1.1,MAAGA,2024,16\n',
      { format: 'csv' },
      {},
    );
    expect(anonymous.statusCode).toBe(401);
  });
});
