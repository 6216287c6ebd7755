import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { dumpDatabase, restoreDatabase } from '@marsad/db';
import { createTestDatabase, testStoreKinds } from '@marsad/db/testing';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/auth/actor.ts';
import { cliTokenPath, readCliToken, writeDemoCliToken } from '../src/auth/cli-token.ts';
import { passwordProblem } from '../src/auth/passwords.ts';
import { canReadUnpublished, canWritePlace, hasGrant, isAdministrator } from '../src/auth/policy.ts';
import { setSessionCookie } from '../src/auth/sessions.ts';
import { loadDemoAccounts } from '../src/demo/load-demo-accounts.ts';
import { prepareDatabase } from '../src/startup.ts';
import { acceptLinkToken, createUser, type RoleInput } from '../src/users/accounts.ts';
import { AUTH, createTestApp, type TestApp } from './helpers.ts';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const GOOD = 'plum tree 42';
const ADMIN_PASSWORD = 'the administrator walks at dawn';

describe('password rules', () => {
  it('refuses fewer than 12 characters and common passwords, with the field named; no composition rules', () => {
    expect(passwordProblem('abcdefghijk')).toMatch(/^password: must be at least 12 characters.*has 11/);
    expect(passwordProblem('qwerty123456', 'next')).toMatch(/^next: is one of the most common passwords/);
    expect(passwordProblem('QWERTY123456')).toMatch(/most common/);
    expect(passwordProblem('1qaz2wsx3edc')).toMatch(/most common/);
    expect(passwordProblem(GOOD)).toBeNull();
    expect(passwordProblem('alllowercaseletters')).toBeNull();
    expect(passwordProblem('x'.repeat(257))).toMatch(/at most 256/);
  });
});

describe('the session cookie', () => {
  it('is Secure over HTTPS only', () => {
    const headers: Record<string, string> = {};
    const reply = {
      header: (k: string, v: string) => {
        headers[k] = v;
        return reply;
      },
    };
    setSessionCookie({ protocol: 'https' } as never, reply as never, 'v', new Date(Date.now() + 1000_000));
    expect(String(headers['Set-Cookie'])).toMatch(/; Secure/);
    setSessionCookie({ protocol: 'http' } as never, reply as never, 'v', new Date(Date.now() + 1000_000));
    expect(String(headers['Set-Cookie'])).not.toMatch(/Secure/);
  });
});

describe('policy', () => {
  // Morocco /1/, its region /1/9/, Agadir /1/9/57/, a district of Agadir /1/9/57/900/, another city /1/9/58/, Jordan
  // /2/.
  const MAR = '/1/';
  const REGION = '/1/9/';
  const AGA = '/1/9/57/';
  const DISTRICT = '/1/9/57/900/';
  const OTHER_CITY = '/1/9/58/';
  const JOR = '/2/';
  const actor = (roles: [Actor['roles'][number]['role'], string | null][], extra: Partial<Actor> = {}): Actor => ({
    kind: 'user',
    userId: 1,
    label: 'user:x',
    scopes: null,
    grants: [],
    ip: '127.0.0.1',
    roles: roles.map(([role, placePath]) => ({ role, placePath, placeId: placePath ? 1 : null, placeCode: null })),
    ...extra,
  });

  it('national focal point: the country and everything under it, not another country', () => {
    const a = actor([['national-focal-point', MAR]]);
    expect(canWritePlace(a, MAR)).toBe(true);
    expect(canWritePlace(a, AGA)).toBe(true);
    expect(canWritePlace(a, DISTRICT)).toBe(true);
    expect(canWritePlace(a, JOR)).toBe(false);
    expect(canReadUnpublished(a, AGA)).toBe(true);
    expect(canReadUnpublished(a, JOR)).toBe(false);
    expect(isAdministrator(a)).toBe(false);
  });

  it('city focal point: the city and its districts, not the country, the region or another city', () => {
    const a = actor([['city-focal-point', AGA]]);
    expect(canWritePlace(a, AGA)).toBe(true);
    expect(canWritePlace(a, DISTRICT)).toBe(true);
    expect(canWritePlace(a, MAR)).toBe(false);
    expect(canWritePlace(a, REGION)).toBe(false);
    expect(canWritePlace(a, OTHER_CITY)).toBe(false);
    expect(canWritePlace(a, JOR)).toBe(false);
    // '/1/9/57/' must not cover '/1/9/570/'
    expect(canWritePlace(a, '/1/9/570/')).toBe(false);
  });

  it('data validator reads unpublished values of the place but writes nothing; administrators do all', () => {
    const v = actor([['data-validator', AGA]]);
    expect(canWritePlace(v, AGA)).toBe(false);
    expect(canReadUnpublished(v, AGA)).toBe(true);
    expect(canReadUnpublished(v, DISTRICT)).toBe(true);
    expect(canReadUnpublished(v, MAR)).toBe(false);
    const admin = actor([['administrator', null]]);
    expect(isAdministrator(admin)).toBe(true);
    expect(canWritePlace(admin, JOR)).toBe(true);
    expect(canReadUnpublished(admin, JOR)).toBe(true);
    expect(canWritePlace(null, MAR)).toBe(false);
    expect(
      isAdministrator(
        actor([
          ['reviewer', AGA],
          ['editor', AGA],
        ]),
      ),
    ).toBe(false);
    expect(
      canWritePlace(
        actor([
          ['reviewer', AGA],
          ['editor', AGA],
        ]),
        AGA,
      ),
    ).toBe(false);
  });

  it('a token gives no more than its scopes', () => {
    const fp = actor([['city-focal-point', AGA]], { kind: 'token', scopes: ['observations:read-unpublished'] });
    expect(canWritePlace(fp, AGA)).toBe(false);
    expect(canReadUnpublished(fp, AGA)).toBe(true);
    expect(canWritePlace({ ...fp, scopes: ['observations:write'] }, AGA)).toBe(true);
    expect(canWritePlace({ ...fp, scopes: ['observations:write'] }, JOR)).toBe(false);
    const admin = actor([['administrator', null]], { kind: 'token', scopes: ['observations:write'] });
    expect(isAdministrator(admin)).toBe(false);
    expect(isAdministrator({ ...admin, scopes: ['admin'] })).toBe(true);
    expect(
      isAdministrator({
        kind: 'admin-token',
        userId: null,
        label: 'api:admin-token',
        roles: [],
        scopes: null,
        grants: [],
        ip: '',
      }),
    ).toBe(true);
  });

  it('grants give access to the one record only', () => {
    const r = actor([['reviewer', AGA]], {
      grants: [{ recordType: 'submission', recordId: '12', permission: 'review' }],
    });
    expect(hasGrant(r, 'submission', 12, 'review')).toBe(true);
    expect(hasGrant(r, 'submission', '13', 'review')).toBe(false);
    expect(hasGrant(r, 'submission', '12', 'edit')).toBe(false);
    expect(hasGrant(null, 'submission', '12', 'review')).toBe(false);
  });
});

describe.each(testStoreKinds())('accounts on %s', (kind) => {
  let t: TestApp;
  /** Every JSON answer, to check at the end that no secret was ever in one. */
  const bodies: string[] = [];
  const cookiesSeen: string[] = [];

  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  const call = async (o: InjectOptions): Promise<LightMyRequestResponse> => {
    const r = await t.app.inject(o);
    bodies.push(r.body);
    return r;
  };
  const sessionCookie = (r: LightMyRequestResponse): string => {
    const raw = r.headers['set-cookie'];
    const line = (Array.isArray(raw) ? raw : [raw ?? '']).find((c) => c.startsWith('marsad_session='));
    if (!line) throw new Error(`no session cookie in ${r.statusCode} ${r.body}`);
    const value = line.split(';')[0]!.slice('marsad_session='.length);
    cookiesSeen.push(value);
    return `marsad_session=${value}`;
  };
  const login = async (email: string, password: string, remoteAddress = '127.0.0.1') =>
    call({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress });
  /** Signs in and returns the headers of a browser's later writes. */
  const signIn = async (email: string, password: string) => {
    const r = await login(email, password);
    expect(r.statusCode, r.body).toBe(200);
    return { cookie: sessionCookie(r), 'x-csrf-token': r.json().csrfToken as string };
  };
  const account = async (email: string, roles: RoleInput[], password = GOOD) => {
    const { user, token } = await createUser(t.db.store, { email, roles }, null);
    await acceptLinkToken(t.db.store, token, password);
    return user.id;
  };
  const tokenOf = (url: string) => new URL(url).searchParams.get('token')!;

  it('takes the administrator token of the first start until an administrator account exists, then refuses it', async () => {
    const before = await call({ url: '/api/v1/observations?status=provisional', headers: AUTH });
    expect(before.statusCode).toBe(200);
    const write = await call({
      method: 'POST',
      url: '/api/v1/targets',
      headers: AUTH,
      payload: { indicator: '16.1.1', year: 2030, value: 1 },
    });
    expect(write.statusCode, write.body).toBe(201);
    // An invited administrator (no password yet) is not active: the token still works.
    const { token } = await createUser(
      t.db.store,
      { email: 'Admin@Example.org', roles: [{ role: 'administrator' }] },
      null,
    );
    expect(
      (
        await call({
          method: 'POST',
          url: '/api/v1/targets',
          headers: AUTH,
          payload: { indicator: '16.1.1', year: 2030, value: 2 },
        })
      ).statusCode,
    ).toBe(201);
    await acceptLinkToken(t.db.store, token, ADMIN_PASSWORD);
    const after = await call({
      method: 'POST',
      url: '/api/v1/targets',
      headers: AUTH,
      payload: { indicator: '16.1.1', year: 2030, value: 3 },
    });
    expect(after.statusCode).toBe(403);
    expect(after.json().message).toMatch(/administrator account exists.*sign in with an account, or send an API token/);
    expect((await call({ url: '/api/v1/observations', headers: AUTH })).statusCode).toBe(403);
  });

  it('signs in with HttpOnly, SameSite=Lax cookies (not Secure over http), and tells who is signed in', async () => {
    const r = await login('admin@example.org', ADMIN_PASSWORD);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().user).toMatchObject({
      email: 'admin@example.org',
      roles: [{ role: 'administrator', place: null }],
    });
    expect(r.json().csrfToken).toMatch(/^[\w-]{40,}$/);
    const raw = String(r.headers['set-cookie']);
    expect(raw).toMatch(/^marsad_session=[\w-]{40,}; /);
    expect(raw).toMatch(/; HttpOnly/);
    expect(raw).toMatch(/; SameSite=Lax/);
    expect(raw).toMatch(/; Path=\//);
    expect(raw).toMatch(/Max-Age=1209600/);
    expect(raw).not.toMatch(/Secure/);
    // X-Forwarded-Proto is not trusted (no trustProxy): over http, no Secure.
    const proxied = await call({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'admin@example.org', password: ADMIN_PASSWORD },
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(proxied.statusCode).toBe(200);
    expect(String(proxied.headers['set-cookie'])).not.toMatch(/Secure/);
    const cookie = sessionCookie(r);
    const me = await call({ url: '/api/v1/auth/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      user: { email: 'admin@example.org' },
      via: 'user',
      csrfToken: r.json().csrfToken,
    });
    expect((await call({ url: '/api/v1/auth/me' })).statusCode).toBe(401);
    expect((await call({ url: '/api/v1/auth/me', headers: { cookie: 'marsad_session=forged' } })).statusCode).toBe(401);
    // The session is rotated on sign-in: the old cookie ends.
    const again = await call({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'admin@example.org', password: ADMIN_PASSWORD },
      headers: { cookie },
    });
    expect(again.statusCode).toBe(200);
    expect((await call({ url: '/api/v1/auth/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('answers a wrong password and an unknown address alike', async () => {
    const wrong = await login('admin@example.org', 'not the password at all', '127.0.0.4');
    const unknown = await login('nobody@example.org', 'not the password at all', '127.0.0.4');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(unknown.body).toBe(wrong.body);
    expect(wrong.json().message).toBe('The e-mail address or the password is not right.');
    expect(wrong.headers['set-cookie']).toBeUndefined();
    const bad = await call({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'not-an-address', password: 'x' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/email/);
  });

  it('needs X-CSRF-Token on cookie-authenticated writes; API tokens need none', async () => {
    const h = await signIn('admin@example.org', ADMIN_PASSWORD);
    const body = { name: 'csrf check', scopes: ['admin'], expiresInDays: 7 };
    const none = await call({ method: 'POST', url: '/api/v1/tokens', headers: { cookie: h.cookie }, payload: body });
    expect(none.statusCode).toBe(403);
    expect(none.json().message).toMatch(/X-CSRF-Token/);
    const wrong = await call({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { cookie: h.cookie, 'x-csrf-token': 'nope' },
      payload: body,
    });
    expect(wrong.statusCode).toBe(403);
    const ok = await call({ method: 'POST', url: '/api/v1/tokens', headers: h, payload: body });
    expect(ok.statusCode, ok.body).toBe(201);
    // Reads need no CSRF token.
    expect((await call({ url: '/api/v1/users', headers: { cookie: h.cookie } })).statusCode).toBe(200);
    const viaToken = await call({
      method: 'POST',
      url: '/api/v1/targets',
      headers: { authorization: `Bearer ${ok.json().token}` },
      payload: { indicator: '16.1.1', year: 2030, value: 4 },
    });
    expect(viaToken.statusCode, viaToken.body).toBe(201);
  });

  it('signs out: the session ends', async () => {
    const h = await signIn('admin@example.org', ADMIN_PASSWORD);
    expect((await call({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: h.cookie } })).statusCode).toBe(
      403,
    );
    const out = await call({ method: 'POST', url: '/api/v1/auth/logout', headers: h });
    expect(out.statusCode).toBe(200);
    expect(String(out.headers['set-cookie'])).toMatch(/marsad_session=; .*Max-Age=0/);
    expect((await call({ url: '/api/v1/auth/me', headers: { cookie: h.cookie } })).statusCode).toBe(401);
    expect((await call({ method: 'POST', url: '/api/v1/auth/logout', headers: h })).statusCode).toBe(401);
  });

  it('changes a password under the rules; other sessions end', async () => {
    await account('changer@example.org', [{ role: 'editor', place: 'MAAGA' }]);
    const other = await signIn('changer@example.org', GOOD);
    const h = await signIn('changer@example.org', GOOD);
    const change = (current: string, next: string) =>
      call({ method: 'POST', url: '/api/v1/auth/password', headers: h, payload: { current, next } });
    const short = await change(GOOD, 'abcdefghijk');
    expect(short.statusCode).toBe(400);
    expect(short.json().message).toMatch(/^next: must be at least 12 characters/);
    const common = await change(GOOD, 'password1234');
    expect(common.statusCode).toBe(400);
    expect(common.json().message).toMatch(/^next: is one of the most common passwords/);
    expect((await change('not my password', 'a fine new passphrase')).json().message).toMatch(/^current:/);
    const ok = await change(GOOD, 'pear tree 43');
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await call({ url: '/api/v1/auth/me', headers: { cookie: h.cookie } })).statusCode).toBe(200);
    expect((await call({ url: '/api/v1/auth/me', headers: { cookie: other.cookie } })).statusCode).toBe(401);
    expect((await login('changer@example.org', GOOD, '127.0.3.1')).statusCode).toBe(401);
    expect((await login('changer@example.org', 'pear tree 43', '127.0.3.1')).statusCode).toBe(200);
  });

  it('invites a user with roles on places; the link sets the password once', async () => {
    const admin = await signIn('admin@example.org', ADMIN_PASSWORD);
    const invite = await call({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin,
      payload: {
        email: 'Focal.Agadir@Example.org',
        displayName: 'Focal point of Agadir',
        roles: [
          { role: 'city-focal-point', place: 'MAAGA' },
          { role: 'data-validator', place: 'MAAGA' },
        ],
      },
    });
    expect(invite.statusCode, invite.body).toBe(201);
    expect(invite.json()).toMatchObject({
      user: { email: 'focal.agadir@example.org', status: 'invited' },
      emailSent: false,
    });
    expect(invite.json().invitationUrl).toMatch(/^http:\/\/localhost(:80)?\/accept\?token=[\w-]{40,}$/);
    const dup = await call({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin,
      payload: { email: 'focal.agadir@example.org' },
    });
    expect(dup.statusCode).toBe(409);
    const badPlace = await call({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin,
      payload: { email: 'x@example.org', roles: [{ role: 'national-focal-point', place: 'MAAGA' }] },
    });
    expect(badPlace.statusCode).toBe(400);
    expect(badPlace.json().message).toMatch(/^roles\.0\.place: a national focal point holds a country/);
    const noPlace = await call({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin,
      payload: { email: 'x@example.org', roles: [{ role: 'reviewer' }] },
    });
    expect(noPlace.json().message).toMatch(/^roles\.0\.place:/);

    const token = tokenOf(invite.json().invitationUrl);
    expect((await login('focal.agadir@example.org', GOOD, '127.0.4.1')).statusCode).toBe(401);
    const weak = await call({
      method: 'POST',
      url: '/api/v1/auth/accept',
      payload: { token, password: 'qwerty123456' },
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().message).toMatch(/^password:/);
    const accepted = await call({
      method: 'POST',
      url: '/api/v1/auth/accept',
      payload: { token, password: GOOD, displayName: 'Amina' },
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ user: { email: 'focal.agadir@example.org', displayName: 'Amina' } });
    const cookie = sessionCookie(accepted);
    expect((await call({ url: '/api/v1/auth/me', headers: { cookie } })).json().roles).toEqual([
      { role: 'city-focal-point', place: 'MAAGA' },
      { role: 'data-validator', place: 'MAAGA' },
    ]);
    const twice = await call({
      method: 'POST',
      url: '/api/v1/auth/accept',
      payload: { token, password: 'another fine phrase' },
    });
    expect(twice.statusCode).toBe(400);
    expect(twice.json().message).toMatch(/^token: this link is not valid/);

    const list = await call({ url: '/api/v1/users?q=agadir', headers: admin });
    expect(list.json()).toMatchObject({
      total: 1,
      items: [
        {
          email: 'focal.agadir@example.org',
          status: 'active',
          roles: [
            { role: 'city-focal-point', place: 'MAAGA' },
            { role: 'data-validator', place: 'MAAGA' },
          ],
        },
      ],
    });
    const focal = await signIn('focal.agadir@example.org', GOOD);
    const forbidden = await call({ url: '/api/v1/users', headers: focal });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().message).toMatch(/needs an administrator/);
  });

  it('manages roles and grants, and disables accounts (never the last administrator)', async () => {
    const admin = await signIn('admin@example.org', ADMIN_PASSWORD);
    const id = await account('roles@example.org', []);
    const add = await call({
      method: 'POST',
      url: `/api/v1/users/${id}/roles`,
      headers: admin,
      payload: { role: 'national-focal-point', place: 'MAR' },
    });
    expect(add.statusCode, add.body).toBe(201);
    expect(
      (
        await call({
          method: 'POST',
          url: `/api/v1/users/${id}/roles`,
          headers: admin,
          payload: { role: 'national-focal-point', place: 'MAR' },
        })
      ).statusCode,
    ).toBe(200);
    const del = await call({
      method: 'DELETE',
      url: `/api/v1/users/${id}/roles`,
      headers: admin,
      payload: { role: 'national-focal-point', place: 'MAR' },
    });
    expect(del.statusCode, del.body).toBe(200);
    expect(del.json().user.roles).toEqual([]);
    expect(
      (
        await call({
          method: 'DELETE',
          url: `/api/v1/users/${id}/roles`,
          headers: admin,
          payload: { role: 'national-focal-point', place: 'MAR' },
        })
      ).statusCode,
    ).toBe(404);
    const grant = { recordType: 'submission', recordId: '7', permission: 'review' };
    expect(
      (await call({ method: 'POST', url: `/api/v1/users/${id}/grants`, headers: admin, payload: grant })).statusCode,
    ).toBe(201);
    expect((await call({ url: `/api/v1/users/${id}`, headers: admin })).json().grants).toEqual([
      expect.objectContaining(grant),
    ]);
    expect(
      (await call({ method: 'DELETE', url: `/api/v1/users/${id}/grants`, headers: admin, payload: grant })).statusCode,
    ).toBe(200);
    expect(
      (
        await call({
          method: 'POST',
          url: `/api/v1/users/999999/roles`,
          headers: admin,
          payload: { role: 'administrator' },
        })
      ).statusCode,
    ).toBe(404);

    const h = await signIn('roles@example.org', GOOD);
    const disable = await call({ method: 'POST', url: `/api/v1/users/${id}/disable`, headers: admin });
    expect(disable.json().user.status).toBe('disabled');
    expect((await call({ url: '/api/v1/auth/me', headers: { cookie: h.cookie } })).statusCode).toBe(401);
    expect((await login('roles@example.org', GOOD, '127.0.5.1')).statusCode).toBe(403);
    const adminId = (await call({ url: '/api/v1/auth/me', headers: admin })).json().user.id;
    const last = await call({ method: 'POST', url: `/api/v1/users/${adminId}/disable`, headers: admin });
    expect(last.statusCode).toBe(409);
    expect(last.json().message).toMatch(/no active administrator/);
  });

  it('issues reset links: the old password works until the link is used, then not', async () => {
    const admin = await signIn('admin@example.org', ADMIN_PASSWORD);
    const id = await account('forgetful@example.org', [{ role: 'reviewer', place: 'MAAGA' }]);
    const before = await signIn('forgetful@example.org', GOOD);
    const reset = await call({ method: 'POST', url: `/api/v1/users/${id}/reset`, headers: admin });
    expect(reset.statusCode, reset.body).toBe(200);
    expect(reset.json()).toMatchObject({ kind: 'reset', emailSent: false });
    expect((await login('forgetful@example.org', GOOD, '127.0.6.1')).statusCode).toBe(200);
    const token = tokenOf(reset.json().resetUrl);
    const used = await call({
      method: 'POST',
      url: '/api/v1/auth/accept',
      payload: { token, password: 'a brand new passphrase' },
    });
    expect(used.statusCode, used.body).toBe(200);
    expect((await call({ url: '/api/v1/auth/me', headers: { cookie: before.cookie } })).statusCode).toBe(401);
    expect((await login('forgetful@example.org', GOOD, '127.0.6.2')).statusCode).toBe(401);
    expect((await login('forgetful@example.org', 'a brand new passphrase', '127.0.6.2')).statusCode).toBe(200);
    // An expired link does not work.
    const again = await call({ method: 'POST', url: `/api/v1/users/${id}/reset`, headers: admin });
    await t.db.store.db
      .updateTable('user_tokens')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('user_id', '=', id)
      .execute();
    const late = await call({
      method: 'POST',
      url: '/api/v1/auth/accept',
      payload: { token: tokenOf(again.json().resetUrl), password: 'yet another passphrase' },
    });
    expect(late.statusCode).toBe(400);
  });

  it('API tokens: shown once, stored hashed, scoped, refused when expired or revoked', async () => {
    const admin = await signIn('admin@example.org', ADMIN_PASSWORD);
    const made = await call({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: admin,
      payload: { name: 'statistics office', scopes: ['observations:write'], expiresInDays: 30 },
    });
    expect(made.statusCode, made.body).toBe(201);
    const token = made.json().token as string;
    expect(token).toMatch(/^msd_[\w-]{40,}$/);
    const row = await t.db.store.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', made.json().id)
      .executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(sha256(token));
    expect(JSON.stringify(row)).not.toContain(token);
    const list = await call({ url: '/api/v1/tokens', headers: { cookie: admin.cookie } });
    expect(list.json().items[0]).toMatchObject({
      name: 'statistics office',
      scopes: ['observations:write'],
      state: 'active',
    });
    expect(list.body).not.toContain(token);
    expect(list.body).not.toContain(row.token_hash);

    const bearer = { authorization: `Bearer ${token}` };
    expect((await call({ url: '/api/v1/auth/me', headers: bearer })).json()).toMatchObject({
      via: 'token',
      scopes: ['observations:write'],
      csrfToken: null,
    });
    const noAdminScope = await call({
      method: 'POST',
      url: '/api/v1/targets',
      headers: bearer,
      payload: { indicator: '16.1.1', year: 2030, value: 5 },
    });
    expect(noAdminScope.statusCode).toBe(403);
    expect(noAdminScope.json().message).toMatch(/"admin" scope/);
    expect(
      (
        await call({
          method: 'POST',
          url: '/api/v1/tokens',
          headers: bearer,
          payload: { name: 'x', scopes: ['admin'] },
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await call({
          method: 'POST',
          url: '/api/v1/tokens',
          headers: admin,
          payload: { name: 'x', scopes: ['admin'], expiresInDays: 366 },
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await call({
          method: 'POST',
          url: '/api/v1/tokens',
          headers: admin,
          payload: { name: 'x', scopes: ['everything'] },
        })
      ).statusCode,
    ).toBe(400);

    await account('fp@example.org', [{ role: 'city-focal-point', place: 'MAAGA' }]);
    const fp = await signIn('fp@example.org', GOOD);
    const escalate = await call({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: fp,
      payload: { name: 'x', scopes: ['admin'] },
    });
    expect(escalate.statusCode).toBe(403);
    expect(escalate.json().message).toMatch(/^scopes:/);
    const fpToken = (
      await call({
        method: 'POST',
        url: '/api/v1/tokens',
        headers: fp,
        payload: { name: 'city system', scopes: ['observations:write'] },
      })
    ).json();
    expect((await call({ method: 'DELETE', url: `/api/v1/tokens/${made.json().id}`, headers: fp })).statusCode).toBe(
      404,
    );

    const admins = await call({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: admin,
      payload: { name: 'admin machine', scopes: ['admin'] },
    });
    const adminBearer = { authorization: `Bearer ${admins.json().token}` };
    expect(
      (
        await call({
          method: 'POST',
          url: '/api/v1/targets',
          headers: adminBearer,
          payload: { indicator: '16.1.1', year: 2030, value: 6 },
        })
      ).statusCode,
    ).toBe(201);
    await t.db.store.db
      .updateTable('api_tokens')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', admins.json().id)
      .execute();
    const expired = await call({ url: '/api/v1/auth/me', headers: adminBearer });
    expect(expired.statusCode).toBe(403);
    expect(expired.json().message).toMatch(/expired on \d{4}-\d\d-\d\d/);

    const revoke = await call({ method: 'DELETE', url: `/api/v1/tokens/${fpToken.id}`, headers: fp });
    expect(revoke.statusCode, revoke.body).toBe(200);
    const revoked = await call({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${fpToken.token}` } });
    expect(revoked.statusCode).toBe(403);
    expect(revoked.json().message).toMatch(/revoked/);
    expect((await call({ url: '/api/v1/auth/me', headers: { authorization: 'Bearer msd_unknown' } })).statusCode).toBe(
      403,
    );
    expect((await call({ url: '/api/v1/auth/me', headers: { authorization: 'Basic abc' } })).statusCode).toBe(401);
  });

  it('creates one demonstration account per role on the pilot places, only with the demonstration data', async () => {
    expect((await prepareDatabase(t.db.store, { demo: 'no' })).demoAccounts).toEqual([]);
    const accounts = await loadDemoAccounts(t.db.store);
    expect(accounts.map((a) => a.roles)).toEqual([
      [{ role: 'administrator', place: null }],
      [{ role: 'national-focal-point', place: 'MAR' }],
      [{ role: 'city-focal-point', place: 'MAAGA' }],
      [{ role: 'data-validator', place: 'MAAGA' }],
      [{ role: 'reviewer', place: 'MAAGA' }],
      // the two other reviewers of the demonstration review cycle (load-demo-reviews.ts)
      [{ role: 'reviewer', place: 'KZALA' }],
      [{ role: 'reviewer', place: 'ECUIO' }],
      [{ role: 'editor', place: 'MAAGA' }],
    ]);
    for (const a of accounts) {
      expect(passwordProblem(a.password)).toBeNull();
      const r = await login(a.email, a.password, '127.0.7.1');
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json().user.roles).toEqual(a.roles);
    }
    // Loaded again, the accounts get new passwords: the printed ones are the only ones.
    const again = await loadDemoAccounts(t.db.store);
    expect(again[0]!.password).not.toBe(accounts[0]!.password);
    expect((await login(accounts[0]!.email, accounts[0]!.password, '127.0.7.2')).statusCode).toBe(401);
    expect((await login(again[0]!.email, again[0]!.password, '127.0.7.2')).statusCode).toBe(200);

    // The demonstration administrator retires the administrator token: the CLI beside the server uses an API token
    // of that account, saved in the data folder (`npx marsad import` on a new clone was refused with 403).
    const cliToken = await writeDemoCliToken(t.db.store, t.dataDir, again[0]!.email);
    expect(cliToken).toMatch(/^msd_/);
    expect(await readCliToken(t.dataDir)).toBe(cliToken);
    expect((await stat(cliTokenPath(t.dataDir))).mode & 0o077).toBe(0);
    const me = await call({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${cliToken}` } });
    expect(me.statusCode, me.body).toBe(200);
    const imported = await call({
      method: 'POST',
      url: '/api/v1/imports?format=csv&dryRun=true',
      headers: { authorization: `Bearer ${cliToken}`, 'content-type': 'text/csv' },
      payload: 'indicator,place,period,value\n11.1.1,MAAGA,2020,12\n',
    });
    expect(imported.statusCode, imported.body).toBe(200);
    expect(await writeDemoCliToken(t.db.store, t.dataDir, 'nobody@example.org')).toBeNull();
  });

  it('keeps accounts, roles, grants and tokens in a backup; sessions are not restored', async () => {
    const copy = await createTestDatabase(kind);
    try {
      const counts = await restoreDatabase(copy.store, dumpDatabase(t.db.store));
      expect(counts.users).toBeGreaterThan(5);
      for (const table of ['users', 'role_assignments', 'api_tokens', 'record_grants', 'user_tokens'] as const) {
        const n = async (store: typeof copy.store) =>
          Number(
            (
              await store.db
                .selectFrom(table)
                .select((eb) => eb.fn.countAll().as('n'))
                .executeTakeFirstOrThrow()
            ).n,
          );
        expect(await n(copy.store), table).toBe(await n(t.db.store));
      }
      expect(await copy.store.db.selectFrom('sessions').select('id').execute()).toEqual([]);
    } finally {
      await copy.drop();
    }
  });

  it('never puts a password hash, token hash, session id or token value in an answer', async () => {
    const db = t.db.store.db;
    const secrets = [
      ...(await db.selectFrom('users').select('password_hash').execute())
        .map((r) => r.password_hash)
        .filter((h): h is string => !!h),
      ...(await db.selectFrom('api_tokens').select('token_hash').execute()).map((r) => r.token_hash),
      ...(await db.selectFrom('user_tokens').select('token_hash').execute()).map((r) => r.token_hash),
      ...(await db.selectFrom('sessions').select('id').execute()).map((r) => r.id),
      ...cookiesSeen.map(sha256),
    ];
    expect(secrets.length).toBeGreaterThan(10);
    expect(bodies.length).toBeGreaterThan(50);
    for (const body of bodies) {
      expect(body).not.toMatch(/\$argon2/);
      expect(body).not.toMatch(/password_?hash|token_?hash|"sessionId"/i);
      for (const s of secrets) expect(body.includes(s), `a secret in ${body.slice(0, 200)}`).toBe(false);
      // Cookie values only ever travel in Set-Cookie, never in a body.
      for (const c of cookiesSeen) expect(body.includes(c)).toBe(false);
    }
  });
});

describe('log lines', () => {
  it('carry no password, token, cookie or link token', async () => {
    const lines: string[] = [];
    const stream = {
      write: (l: string) => {
        lines.push(l);
      },
    };
    const t = await createTestApp('pglite', { catalogue: false, build: { logger: { level: 'info', stream } } });
    try {
      const { token } = await createUser(
        t.db.store,
        { email: 'logged@example.org', roles: [{ role: 'administrator' }] },
        null,
      );
      const link = await createUser(t.db.store, { email: 'invited@example.org', roles: [] }, null);
      await acceptLinkToken(t.db.store, token, GOOD);
      const login = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'logged@example.org', password: GOOD },
      });
      const cookie = String(login.headers['set-cookie']).split(';')[0]!;
      const made = await t.app.inject({
        method: 'POST',
        url: '/api/v1/tokens',
        headers: { cookie, 'x-csrf-token': login.json().csrfToken },
        payload: { name: 'n', scopes: ['admin'] },
      });
      await t.app.inject({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${made.json().token}` } });
      await t.app.inject({ url: `/accept?token=${link.token}` });
      await t.app.inject({ url: `/api/v1/users?token=${link.token}`, headers: { cookie } });
      const log = lines.join('');
      expect(log).toMatch(/token=\*\*\*/);
      for (const secret of [
        GOOD,
        token,
        link.token,
        cookie.split('=')[1]!,
        made.json().token,
        login.json().csrfToken,
      ]) {
        expect(log.includes(secret), 'a secret in the log').toBe(false);
      }
    } finally {
      await t.close();
    }
  });
});
