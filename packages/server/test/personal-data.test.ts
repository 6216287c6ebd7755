import { testStoreKinds } from '@marsad/db/testing';
import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, createTestApp, importText, TEST_PASSWORD, type TestApp } from './helpers.ts';

/**
 * No answer to the public (not signed in) carries a user's e-mail address or name. Users with
 * recognisable addresses and names import values, add indicators, targets and places (so that
 * their traces are in batches, the audit log, the catalogue); then every public GET route of
 * the route table is called without credentials and its answer searched.
 */
const PEOPLE = [
  {
    email: 'amina.quillfeather@example.org',
    name: 'Amina Quillfeather',
    roles: [{ role: 'city-focal-point', place: 'MAAGA' }],
  },
  {
    email: 'omar.brightwater@example.org',
    name: 'Omar Brightwater',
    roles: [{ role: 'national-focal-point', place: 'MAR' }],
  },
  { email: 'admin.silverthorn@example.org', name: 'Leila Silverthorn', roles: [{ role: 'administrator' }] },
];
const TELLTALES = PEOPLE.flatMap((p) => [p.email, p.email.split('@')[0]!, p.name, p.name.split(' ')[1]!]).map((s) =>
  s.toLowerCase(),
);

describe.each(testStoreKinds())('personal data in public answers on %s', (kind) => {
  let t: TestApp;
  const routes: { url: string; guarded: boolean }[] = [];
  const headers: Record<string, Record<string, string>> = {};

  beforeAll(async () => {
    t = await createTestApp(kind, {
      build: {
        onRoute: (r: RouteOptions) => {
          if ([r.method].flat().includes('GET')) routes.push({ url: r.url, guarded: !!r.onRequest });
        },
      },
    });
    for (const p of PEOPLE) {
      const inv = await t.app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: AUTH,
        payload: { email: p.email, displayName: p.name, roles: p.roles },
      });
      expect(inv.statusCode, inv.body).toBe(201);
      const token = new URL(inv.json().invitationUrl).searchParams.get('token');
      expect(
        (
          await t.app.inject({
            method: 'POST',
            url: '/api/v1/auth/accept',
            payload: { token, password: TEST_PASSWORD, displayName: p.name },
          })
        ).statusCode,
      ).toBe(200);
      const login = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: p.email, password: TEST_PASSWORD },
      });
      headers[p.email] = {
        cookie: String(login.headers['set-cookie']).split(';')[0]!,
        'x-csrf-token': login.json().csrfToken,
      };
    }
    const [city, national, admin] = PEOPLE.map((p) => headers[p.email]!);
    const ok = (r: { statusCode: number; body: string }, status: number) => expect(r.statusCode, r.body).toBe(status);
    ok(
      await importText(
        t.app,
        'indicator,place,period,value\n11.1.1,MAAGA,2020,21\n11.1.1,MAAGA,2021,20\n',
        { format: 'csv' },
        city!,
      ),
      201,
    );
    ok(
      await importText(
        t.app,
        'indicator,place,period,value\n11.1.1,MAAGA,2022,19\n11.1.1,MAR,2022,15\n',
        { format: 'csv', status: 'approved' },
        admin!,
      ),
      201,
    );
    ok(
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/indicators',
        headers: city!,
        payload: { code: 'MAAGA-PD-1', names: { en: 'Agadir local' }, ownerPlace: 'MAAGA' },
      }),
      201,
    );
    ok(
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/targets',
        headers: national!,
        payload: { indicator: '11.1.1', place: 'MAR', year: 2030, value: 5 },
      }),
      201,
    );
    ok(
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/places',
        headers: national!,
        payload: { places: [{ code: 'MATIZ', parent: 'MA-09', level: 'city', names: { en: 'Tiznit' } }] },
      }),
      201,
    );
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A concrete address for a route: codes that exist, so that the answers carry data. */
  const concrete = (url: string) =>
    url
      .replace('/indicators/:code', '/indicators/11.1.1')
      .replace('/places/:code/report', '/places/MAR/report') // the country report is made for countries
      .replace('/places/:code', '/places/MAAGA')
      .replace('/frameworks/:code', '/frameworks/sdg')
      .replace(/:id\b/g, '1')
      .replace(/:(\w+)/g, 'X')
      .replace(/\*/g, 'x');

  it('never carries an e-mail address or a name of a user', async () => {
    const api = routes.filter((r) => r.url.startsWith('/api/v1/') && !r.guarded);
    expect(api.length).toBeGreaterThan(15);
    const answered: string[] = [];
    const leaks: string[] = [];
    for (const r of api) {
      for (const query of ['', '?status=provisional', '?lang=ar']) {
        const res = await t.app.inject({ url: concrete(r.url) + query });
        if (res.statusCode === 401 || res.statusCode === 403) continue;
        if (res.statusCode === 200) answered.push(r.url);
        const body = res.body.toLowerCase();
        for (const s of TELLTALES) if (body.includes(s)) leaks.push(`${r.url}${query} → "${s}"`);
      }
    }
    expect(leaks).toEqual([]);
    // The check saw data: the main public reads answered.
    expect(answered).toEqual(
      expect.arrayContaining([
        '/api/v1/observations',
        '/api/v1/indicators/:code',
        '/api/v1/places/:code',
        '/api/v1/places/:code/report',
        '/api/v1/targets',
      ]),
    );
    // …and the traces are there for signed-in administrators (so the search above could have found them).
    const audit = await t.app.inject({ url: '/api/v1/audit', headers: { cookie: headers[PEOPLE[2]!.email]!.cookie } });
    expect(audit.body).toContain(PEOPLE[0]!.email);
  });
});
