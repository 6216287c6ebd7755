import { testStoreKinds } from '@marsad/db/testing';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signedIn, type TestApp } from './helpers.ts';

/**
 * What the administration pages of the web app need beyond the account API: users filtered by
 * place, every user's API tokens for administrators, and editing a place's names.
 */
describe.each(testStoreKinds())('administration API on %s', (kind) => {
  let t: TestApp;
  let admin: Record<string, string>;
  let national: Record<string, string>;
  let city: Record<string, string>;
  let jordan: Record<string, string>;
  const call = (o: InjectOptions) => t.app.inject(o);
  const audit = async (entityType: string, entityId: string) =>
    (
      await call({
        url: `/api/v1/audit?entityType=${entityType}&entityId=${encodeURIComponent(entityId)}`,
        headers: admin,
      })
    ).json().items as { action: string; actor_label: string; before: unknown; after: unknown }[];

  beforeAll(async () => {
    t = await createTestApp(kind);
    // Everyone is invited with the first-start token, the administrator last (it retires the token).
    national = await signedIn(t, 'national@example.org', [{ role: 'national-focal-point', place: 'MAR' }]);
    city = await signedIn(t, 'city@example.org', [
      { role: 'city-focal-point', place: 'MAAGA' },
      { role: 'data-validator', place: 'MAAGA' },
    ]);
    jordan = await signedIn(t, 'jordan@example.org', [{ role: 'national-focal-point', place: 'JOR' }]);
    admin = await signedIn(t, 'admin@example.org', [{ role: 'administrator' }]);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists users by place: a role on the place or under it, optionally a given role', async () => {
    const emails = async (q: string) => {
      const r = await call({ url: `/api/v1/users?${q}`, headers: admin });
      expect(r.statusCode, r.body).toBe(200);
      return (r.json().items as { email: string }[]).map((u) => u.email);
    };
    expect(await emails('place=MAR')).toEqual(['city@example.org', 'national@example.org']);
    expect(await emails('place=MAAGA')).toEqual(['city@example.org']);
    expect(await emails('place=MAR&role=national-focal-point')).toEqual(['national@example.org']);
    expect(await emails('place=MAR&role=data-validator')).toEqual(['city@example.org']);
    expect(await emails('place=JOR')).toEqual(['jordan@example.org']);
    expect(await emails('role=administrator')).toEqual(['admin@example.org']);
    const unknown = await call({ url: '/api/v1/users?place=NOWHERE', headers: admin });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toMatch(/^place: no place with code "NOWHERE"/);
  });

  it("gives each role its place with the place's level and names", async () => {
    const list = (await call({ url: '/api/v1/users?q=city@', headers: admin })).json();
    expect(list.items[0].roles[0]).toMatchObject({
      role: 'city-focal-point',
      place: 'MAAGA',
      placeLevel: 'city',
      placeNames: { ar: 'أكادير', en: 'Agadir' },
    });
    const a = (await call({ url: '/api/v1/users?q=admin@', headers: admin })).json();
    expect(a.items[0].roles).toEqual([{ role: 'administrator', place: null, placeLevel: null, placeNames: null }]);
  });

  it("shows administrators every user's API tokens (never their values), and lets them revoke any", async () => {
    const make = async (headers: Record<string, string>, name: string) => {
      const r = await call({
        method: 'POST',
        url: '/api/v1/tokens',
        headers,
        payload: { name, scopes: ['observations:write'], expiresInDays: 30 },
      });
      expect(r.statusCode, r.body).toBe(201);
      return r.json() as { id: number; token: string };
    };
    const nat = await make(national, 'national statistics system');
    const cit = await make(city, 'city dashboard');
    const users = (await call({ url: '/api/v1/users?place=MAAGA', headers: admin })).json().items as { id: number }[];
    const cityId = users[0]!.id;

    const all = await call({ url: '/api/v1/users/tokens', headers: admin });
    expect(all.statusCode, all.body).toBe(200);
    expect(all.json().total).toBe(2);
    expect(all.json().items[0]).toMatchObject({
      id: cit.id,
      name: 'city dashboard',
      state: 'active',
      scopes: ['observations:write'],
      user: { id: cityId, email: 'city@example.org', status: 'active' },
    });
    expect(all.body).not.toContain(cit.token);
    expect(all.body).not.toContain(nat.token);
    expect(all.body).not.toMatch(/hash/i);

    const mine = (await call({ url: `/api/v1/users/tokens?user=${cityId}`, headers: admin })).json();
    expect(mine.items.map((x: { name: string }) => x.name)).toEqual(['city dashboard']);
    expect(
      (await call({ url: '/api/v1/users/tokens?q=national%40', headers: admin }))
        .json()
        .items.map((x: { id: number }) => x.id),
    ).toEqual([nat.id]);
    expect(
      (await call({ url: '/api/v1/users/tokens?q=dashboard', headers: admin }))
        .json()
        .items.map((x: { id: number }) => x.id),
    ).toEqual([cit.id]);
    expect((await call({ url: '/api/v1/users/tokens?user=999999', headers: admin })).statusCode).toBe(404);

    // Refused to everyone else.
    expect((await call({ url: '/api/v1/users/tokens' })).statusCode).toBe(401);
    const refused = await call({ url: '/api/v1/users/tokens', headers: national });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toMatch(/needs an administrator/);

    // The administrator revokes the city's token: it stops working, the list says so, the audit log has it.
    expect(
      (await call({ url: '/api/v1/observations?limit=1', headers: { authorization: `Bearer ${cit.token}` } }))
        .statusCode,
    ).toBe(200);
    const revoke = await call({ method: 'DELETE', url: `/api/v1/tokens/${cit.id}`, headers: admin });
    expect(revoke.statusCode, revoke.body).toBe(200);
    const after = await call({
      url: '/api/v1/observations?limit=1',
      headers: { authorization: `Bearer ${cit.token}` },
    });
    expect(after.statusCode).toBe(403);
    expect(after.json().message).toMatch(/revoked/);
    expect(
      (await call({ url: '/api/v1/users/tokens?state=revoked', headers: admin }))
        .json()
        .items.map((x: { id: number }) => x.id),
    ).toEqual([cit.id]);
    expect(
      (await call({ url: '/api/v1/users/tokens?state=active', headers: admin }))
        .json()
        .items.map((x: { id: number }) => x.id),
    ).toEqual([nat.id]);
    expect((await audit('token', String(cit.id))).map((e) => e.action)).toEqual(['revoke', 'create']);
  });

  it("edits a place's names: administrators anywhere, focal points under their places; audited", async () => {
    const patch = (code: string, headers: Record<string, string>, payload: unknown) =>
      call({ method: 'PATCH', url: `/api/v1/places/${code}`, headers, payload: payload as object });

    // The administrator corrects Morocco's French name and removes nothing else.
    const r = await patch('MAR', admin, { names: { fr: 'Royaume du Maroc' } });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().names).toMatchObject({ ar: 'المغرب', en: 'Morocco', fr: 'Royaume du Maroc' });
    expect((await call({ url: '/api/v1/places/MAR?lang=fr' })).json().name).toBe('Royaume du Maroc');
    const [entry] = await audit('place', 'MAR');
    expect(entry).toMatchObject({
      action: 'update',
      actor_label: 'user:admin@example.org',
      before: { names: { fr: 'Maroc' } },
      after: { names: { fr: 'Royaume du Maroc' } },
    });

    // The national focal point of Morocco edits Agadir (under Morocco), not Morocco itself nor Amman.
    const agadir = await patch('MAAGA', national, { names: { en: 'Agadir city', zh: '' }, lat: 30.42, lon: -9.6 });
    expect(agadir.statusCode, agadir.body).toBe(200);
    expect(agadir.json()).toMatchObject({ lat: 30.42, lon: -9.6 });
    expect(agadir.json().names.zh).toBeUndefined();
    expect(agadir.json().names.en).toBe('Agadir city');
    const country = await patch('MAR', national, { names: { en: 'Morocco!' } });
    expect(country.statusCode).toBe(403);
    expect(country.json().message).toBe('only an administrator may edit a country');
    const other = await patch('JOAMM', national, { names: { en: 'Amman!' } });
    expect(other.statusCode).toBe(403);
    expect(other.json().message).toMatch(/^you may not edit "JOAMM"/);

    // The city focal point edits a district of Agadir it adds, not Agadir.
    const add = await call({
      method: 'POST',
      url: '/api/v1/places',
      headers: city,
      payload: { places: [{ code: 'MAAGA-D1', parent: 'MAAGA', level: 'district', names: { ar: 'حي تجريبي' } }] },
    });
    expect(add.statusCode, add.body).toBe(201);
    const district = await patch('MAAGA-D1', city, { names: { en: 'Test district' } });
    expect(district.statusCode, district.body).toBe(200);
    expect(district.json().names).toEqual({ ar: 'حي تجريبي', en: 'Test district' });
    expect((await patch('MAAGA', city, { names: { en: 'x' } })).statusCode).toBe(403);

    // The search finds the new name at once.
    const found = (await call({ url: '/api/v1/search?q=Test%20district' })).json();
    expect(found.places.map((p: { code: string }) => p.code)).toEqual(['MAAGA-D1']);

    // Problems are named by field.
    const empty = await patch('MAAGA-D1', city, { names: { ar: '', en: '' } });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().message).toBe('names: give a name in at least one language');
    const badLang = await patch('MAAGA-D1', city, { names: { de: 'Bezirk' } });
    expect(badLang.statusCode).toBe(400);
    expect(badLang.json().message).toMatch(/^body\.names/);
    const badLat = await patch('MAAGA-D1', city, { lat: 91 });
    expect(badLat.statusCode).toBe(400);
    expect(badLat.json().message).toMatch(/^body\.lat:/);
    expect((await patch('NOWHERE', admin, { names: { en: 'x' } })).statusCode).toBe(404);
    expect((await patch('MAR', {}, { names: { en: 'x' } })).statusCode).toBe(401);
    expect((await patch('MAR', jordan, { names: { en: 'x' } })).statusCode).toBe(403);
    // Nothing was changed by the refused requests.
    expect((await audit('place', 'MAAGA')).length).toBe(1);
    expect((await call({ url: '/api/v1/places/MAR?lang=en' })).json().name).toBe('Morocco');
  });
});
