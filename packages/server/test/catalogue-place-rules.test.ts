import { testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, createTestApp, signedIn, type TestApp } from './helpers.ts';

/**
 * Catalogue writes follow the place rules (auth/policy.ts): administrators everything; a
 * national or city focal point adds local indicators owned by places they hold, edits those,
 * and sets targets for those places; never the reference catalogue, never a target without a
 * place. Own place / other place for each route.
 */
describe.each(testStoreKinds())('indicators and targets by place on %s', (kind) => {
  let t: TestApp;
  let city: Record<string, string>;
  let national: Record<string, string>;
  let jordan: Record<string, string>;
  let validator: Record<string, string>;
  let admin: Record<string, string>;

  beforeAll(async () => {
    t = await createTestApp(kind);
    // A second city of Morocco, next to Agadir in the same region.
    const place = await t.app.inject({
      method: 'POST',
      url: '/api/v1/places',
      headers: AUTH,
      payload: { places: [{ code: 'MATIZ', parent: 'MA-09', level: 'city', names: { en: 'Tiznit', ar: 'تيزنيت' } }] },
    });
    expect(place.statusCode, place.body).toBe(201);
    // Accounts first, while the first-start token still creates them; then the administrator.
    city = await signedIn(t, 'agadir@example.org', [{ role: 'city-focal-point', place: 'MAAGA' }]);
    national = await signedIn(t, 'morocco@example.org', [{ role: 'national-focal-point', place: 'MAR' }]);
    jordan = await signedIn(t, 'jordan@example.org', [{ role: 'national-focal-point', place: 'JOR' }]);
    validator = await signedIn(t, 'validator@example.org', [{ role: 'data-validator', place: 'MAAGA' }]);
    admin = await signedIn(t, 'admin@example.org', [{ role: 'administrator' }]);
  });
  afterAll(async () => {
    await t?.close();
  });

  const addIndicator = (headers: Record<string, string>, code: string, extra: Record<string, unknown> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/indicators',
      headers,
      payload: { code, names: { en: `Indicator ${code}` }, ...extra },
    });
  const patch = (headers: Record<string, string>, code: string, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'PATCH', url: `/api/v1/indicators/${code}`, headers, payload });
  const addTarget = (headers: Record<string, string>, payload: Record<string, unknown>) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/targets',
      headers,
      payload: { indicator: '11.1.1', year: 2030, value: 10, ...payload },
    });
  const exists = async (code: string) =>
    !!(await t.db.store.db.selectFrom('indicators').select('id').where('code', '=', code).executeTakeFirst());
  const audit = (entityType: string, entityId: string) =>
    t.db.store.db
      .selectFrom('audit_log')
      .select(['action', 'actor_label'])
      .where('entity_type', '=', entityType)
      .where('entity_id', '=', entityId)
      .orderBy('id')
      .execute();

  it('a city focal point adds a local indicator owned by their city; not by another place, not without one', async () => {
    const own = await addIndicator(city, 'MAAGA-SAFE-1', {
      ownerPlace: 'MAAGA',
      frameworks: [{ framework: 'urban-safety' }],
      direction: 'lower',
    });
    expect(own.statusCode, own.body).toBe(201);
    const got = (await t.app.inject({ url: '/api/v1/indicators/MAAGA-SAFE-1' })).json();
    expect(got).toMatchObject({
      local: true,
      ownerPlace: 'MAAGA',
      direction: 'lower',
      frameworks: [{ code: 'urban-safety' }],
    });
    expect(await audit('indicator', 'MAAGA-SAFE-1')).toEqual([
      { action: 'create', actor_label: 'user:agadir@example.org' },
    ]);

    const refusals: [string, Record<string, unknown>, number, RegExp][] = [
      ['MATIZ-1', { ownerPlace: 'MATIZ' }, 403, /^ownerPlace: you hold no focal point role on MATIZ/],
      ['MAR-1', { ownerPlace: 'MAR' }, 403, /^ownerPlace: you hold no focal point role on MAR/],
      ['JOAMM-1', { ownerPlace: 'JOAMM' }, 403, /^ownerPlace: you hold no focal point role on JOAMM/],
      ['NOWHERE-1', {}, 403, /^ownerPlace: only administrators add indicators without an owner place/],
      ['11.1.9', { ownerPlace: 'MAAGA' }, 403, /^code: "11\.1\.9" is shaped like an SDG indicator code/],
      [
        'MAAGA-SDG-1',
        { ownerPlace: 'MAAGA', frameworks: [{ framework: 'sdg' }] },
        403,
        /^frameworks: only administrators/,
      ],
      ['UNKNOWN-1', { ownerPlace: 'XXNOPE' }, 400, /^ownerPlace: no place with code "XXNOPE"/],
    ];
    for (const [code, extra, status, message] of refusals) {
      const r = await addIndicator(city, code, extra);
      expect(r.statusCode, `${code}: ${r.body}`).toBe(status);
      expect(r.json().message, code).toMatch(message);
      expect(await exists(code), code).toBe(false);
    }
  });

  it('a national focal point adds for the country and any place under it, not for another country', async () => {
    expect((await addIndicator(national, 'MAR-HOUSING-1', { ownerPlace: 'MAR' })).statusCode).toBe(201);
    expect((await addIndicator(national, 'MATIZ-WATER-1', { ownerPlace: 'MATIZ' })).statusCode).toBe(201);
    const other = await addIndicator(national, 'JOAMM-2', { ownerPlace: 'JOAMM' });
    expect(other.statusCode).toBe(403);
    expect(await exists('JOAMM-2')).toBe(false);
    const mine = await addIndicator(jordan, 'JOAMM-2', { ownerPlace: 'JOAMM' });
    expect(mine.statusCode, mine.body).toBe(201);
  });

  it('edits local indicators owned by places the focal point holds, never the reference catalogue', async () => {
    const ok = await patch(city, 'MAAGA-SAFE-1', { names: { ar: 'مؤشر أكادير' }, status: 'draft' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await audit('indicator', 'MAAGA-SAFE-1')).toEqual([
      { action: 'create', actor_label: 'user:agadir@example.org' },
      { action: 'update', actor_label: 'user:agadir@example.org' },
    ]);
    expect((await patch(national, 'MAAGA-SAFE-1', { tags: ['safety'] })).statusCode).toBe(200);

    const owned = await patch(city, 'MAR-HOUSING-1', { status: 'retired' });
    expect(owned.statusCode).toBe(403);
    expect(owned.json().message).toMatch(
      /^Indicator MAR-HOUSING-1 is owned by MAR; you hold no focal point role on it/,
    );
    expect((await patch(city, 'MATIZ-WATER-1', { status: 'retired' })).statusCode).toBe(403);
    expect((await patch(jordan, 'MAAGA-SAFE-1', { status: 'retired' })).statusCode).toBe(403);
    for (const h of [city, national]) {
      const sdg = await patch(h, '11.1.1', { names: { en: 'Changed' } });
      expect(sdg.statusCode).toBe(403);
      expect(sdg.json().message).toMatch(/belongs to the reference catalogue .*only administrators edit it/);
    }
    const names = (await t.app.inject({ url: '/api/v1/indicators/11.1.1' })).json().names;
    expect(names.en).not.toBe('Changed');
    expect((await t.app.inject({ url: '/api/v1/indicators/MAR-HOUSING-1' })).json().status).toBe('active');

    // A local indicator without an owner place (e.g. created by an import) is for administrators.
    await t.db.store.exclusive((c) =>
      c.query(
        `INSERT INTO indicators (code, names, local, status) VALUES ('ORPHAN-1', '{"en":"Orphan"}', true, 'active')`,
      ),
    );
    const orphan = await patch(national, 'ORPHAN-1', { status: 'retired' });
    expect(orphan.statusCode).toBe(403);
    expect(orphan.json().message).toMatch(/without an owner place; only administrators/);

    const v = await patch(validator, 'MAAGA-SAFE-1', { status: 'retired' });
    expect(v.statusCode).toBe(403);
    expect(v.json().message).toMatch(/needs an administrator, or a national or city focal point/);
    expect((await addIndicator(validator, 'MAAGA-V-1', { ownerPlace: 'MAAGA' })).statusCode).toBe(403);
    expect((await patch(admin, '11.1.1', { tags: ['housing'] })).statusCode).toBe(200);
    expect((await patch(admin, 'ORPHAN-1', { ownerPlace: 'MAAGA' })).statusCode).toBe(200);
    expect((await patch(city, 'ORPHAN-1', { status: 'retired' })).statusCode).toBe(200);
  });

  it('moves an indicator only between places the focal point holds', async () => {
    const away = await patch(city, 'MAAGA-SAFE-1', { ownerPlace: 'MATIZ' });
    expect(away.statusCode).toBe(403);
    expect(away.json().message).toMatch(/^ownerPlace: you hold no focal point role on MATIZ/);
    expect((await t.app.inject({ url: '/api/v1/indicators/MAAGA-SAFE-1' })).json().ownerPlace).toBe('MAAGA');
    const moved = await patch(national, 'MATIZ-WATER-1', { ownerPlace: 'MAAGA' });
    expect(moved.statusCode, moved.body).toBe(200);
    expect((await t.app.inject({ url: '/api/v1/indicators/MATIZ-WATER-1' })).json().ownerPlace).toBe('MAAGA');
    expect((await patch(city, 'MATIZ-WATER-1', { status: 'draft' })).statusCode).toBe(200);
    const sdg = await patch(admin, '11.1.1', { ownerPlace: 'MAR' });
    expect(sdg.statusCode).toBe(400);
    expect(sdg.json().message).toMatch(/^ownerPlace: 11\.1\.1 is not a local indicator/);
  });

  it('changes only the fields a PATCH gives', async () => {
    expect(
      (
        await patch(admin, 'MAR-HOUSING-1', {
          direction: 'higher',
          status: 'draft',
          tags: ['housing'],
          dimensions: ['SEX'],
        })
      ).statusCode,
    ).toBe(200);
    const r = await patch(national, 'MAR-HOUSING-1', { names: { fr: 'Logement' } });
    expect(r.json().updated).toEqual(['names']);
    expect((await t.app.inject({ url: '/api/v1/indicators/MAR-HOUSING-1' })).json()).toMatchObject({
      direction: 'higher',
      status: 'draft',
      tags: ['housing'],
      dimensions: ['SEX'],
      names: { en: 'Indicator MAR-HOUSING-1', fr: 'Logement' },
    });
  });

  it('sets targets for places the focal point holds; never without a place', async () => {
    const count = async () =>
      Number(
        (
          await t.db.store.db
            .selectFrom('targets')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const own = await addTarget(city, { place: 'MAAGA', note: 'Agadir halves it' });
    expect(own.statusCode, own.body).toBe(201);
    expect(await audit('target', String(own.json().id))).toEqual([
      { action: 'create', actor_label: 'user:agadir@example.org' },
    ]);
    const local = await addTarget(city, { indicator: 'MAAGA-SAFE-1', place: 'MAAGA' });
    expect(local.statusCode, local.body).toBe(201);

    const refusals: [Record<string, string>, Record<string, unknown>, RegExp][] = [
      [city, { place: 'MATIZ' }, /^place: you hold no focal point role on MATIZ/],
      [city, { place: 'MAR' }, /^place: you hold no focal point role on MAR/],
      [city, {}, /^place: only administrators set targets without a place/],
      [national, {}, /^place: only administrators/],
      [national, { place: 'JOAMM' }, /^place: you hold no focal point role on JOAMM/],
      [jordan, { place: 'MAAGA' }, /^place: you hold no focal point role on MAAGA/],
      [validator, { place: 'MAAGA' }, /needs an administrator, or a national or city focal point/],
    ];
    for (const [h, body, message] of refusals) {
      const r = await addTarget(h, body);
      expect(r.statusCode, JSON.stringify(body)).toBe(403);
      expect(r.json().message).toMatch(message);
    }
    expect((await addTarget(national, { place: 'MATIZ' })).statusCode).toBe(201);
    expect((await addTarget(national, { place: 'MAR' })).statusCode).toBe(201);
    expect((await addTarget(admin, {})).statusCode).toBe(201);
    expect(await count()).toBe(before + 5);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/targets',
          payload: { indicator: '11.1.1', year: 2030, value: 1 },
        })
      ).statusCode,
    ).toBe(401);
  });

  it("takes a focal point's API token only with the catalogue:write scope", async () => {
    const make = async (scopes: string[]) => {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/v1/tokens',
        headers: city,
        payload: { name: scopes.join(' '), scopes },
      });
      expect(r.statusCode, r.body).toBe(201);
      return { authorization: `Bearer ${r.json().token}` };
    };
    const values = await make(['observations:write']);
    const refused = await addTarget(values, { place: 'MAAGA' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toMatch(/"catalogue:write" scope/);
    expect((await addIndicator(values, 'MAAGA-TOK-1', { ownerPlace: 'MAAGA' })).statusCode).toBe(403);
    const catalogue = await make(['catalogue:write']);
    expect((await addTarget(catalogue, { place: 'MAAGA' })).statusCode).toBe(201);
    expect((await addTarget(catalogue, { place: 'MATIZ' })).statusCode).toBe(403);
    expect((await addIndicator(catalogue, 'MAAGA-TOK-1', { ownerPlace: 'MAAGA' })).statusCode).toBe(201);
  });
});
