import { testStoreKinds } from '@marsad/db/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuildOptions, buildApp } from '../src/app.ts';
import {
  addressKey,
  DEFAULT_LOGIN_LIMITS,
  type LoginClock,
  LoginLimiter,
  loginBlockMessage,
} from '../src/auth/login-limiter.ts';
import { parseTrustProxy } from '../src/http/trust-proxy.ts';
import { acceptLinkToken, createUser, issueReset, type RoleInput } from '../src/users/accounts.ts';
import { createTestApp, type TestApp, TOKEN } from './helpers.ts';

const GOOD = 'plum tree 42';
const WRONG = 'not the password at all';
const WINDOW = DEFAULT_LOGIN_LIMITS.windowMs;

describe('sign-in limits, without a database', () => {
  it('slow an account from its third failure: 1, 2, then at most 4 seconds', () => {
    const l = new LoginLimiter(undefined as never);
    expect([0, 1, 2, 3, 4, 5, 6, 50].map((n) => l.delayFor(n))).toEqual([0, 0, 0, 1000, 2000, 4000, 4000, 4000]);
  });

  it('count IPv6 clients by their /64 network, IPv4 (also mapped into IPv6) as it is', () => {
    expect(addressKey('203.0.113.9')).toBe('203.0.113.9');
    expect(addressKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:DB8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });

  it('name what is refused and when to try again', () => {
    const at = new Date(Date.UTC(2030, 0, 1, 12, 14, 20));
    expect(loginBlockMessage({ scope: 'account', retryAt: at, retryAfterSeconds: 840 })).toBe(
      'Too many failed sign-ins for this account from your address; try again in 14 minutes (after 12:15 UTC).',
    );
    expect(loginBlockMessage({ scope: 'address', retryAt: at, retryAfterSeconds: 30 })).toBe(
      'Too many failed sign-ins from your address; try again in 30 seconds.',
    );
  });

  it('read MARSAD_TRUST_PROXY as Fastify takes it, and refuse what it would not', () => {
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy('')).toBe(false);
    expect(parseTrustProxy('false')).toBe(false);
    expect(parseTrustProxy('TRUE')).toBe(true);
    expect(parseTrustProxy('127.0.0.1, 10.0.0.0/8,::1,fd00::/8,loopback,192.168.1.0/255.255.255.0')).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
      '::1',
      'fd00::/8',
      'loopback',
      '192.168.1.0/255.255.255.0',
    ]);
    expect(() => parseTrustProxy('2')).toThrow(/number of proxies \("2"\) is not enough.*give the addresses/);
    expect(() => parseTrustProxy('10.0.0.0/33,proxy.example.org')).toThrow(
      /MARSAD_TRUST_PROXY must be .*"10\.0\.0\.0\/33", "proxy\.example\.org" is not/,
    );
    expect(() => parseTrustProxy(',')).toThrow(/MARSAD_TRUST_PROXY must be/);
  });
});

describe.each(testStoreKinds())('sign-in limits on %s', (kind) => {
  let t: TestApp;
  /** A second server process on the same database (its own limiter, nothing shared in memory). */
  let other: FastifyInstance;
  /** Behind a reverse proxy at 127.0.0.1. */
  let proxied: FastifyInstance;
  let now = Date.UTC(2030, 0, 1, 12, 0, 0);
  let waits: number[] = [];
  const clock: LoginClock = {
    now: () => now,
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
  };
  // A low address limit, so that a spray is short to send (the default is 100).
  const build: BuildOptions = { loginClock: clock, loginLimits: { perAddress: 8 } };
  const anotherApp = (o: BuildOptions) =>
    buildApp({ store: t.db.store, dataDir: t.dataDir, adminToken: TOKEN, version: 'test' }, { ...build, ...o });

  beforeAll(async () => {
    t = await createTestApp(kind, { catalogue: false, build });
    other = await anotherApp({});
    proxied = await anotherApp({ trustProxy: ['127.0.0.1'] });
    await account('admin@example.org', [{ role: 'administrator' }]);
  });
  afterAll(async () => {
    await other?.close();
    await proxied?.close();
    await t?.close();
  });

  async function account(email: string, roles: RoleInput[] = []) {
    const { user, token } = await createUser(t.db.store, { email, roles }, null);
    await acceptLinkToken(t.db.store, token, GOOD);
    return user.id;
  }
  /** Signs in from an address (through another app, with headers); `waited`: how long the answer was held back. */
  async function login(
    email: string,
    password: string,
    remoteAddress: string,
    o: { app?: FastifyInstance; headers?: Record<string, string> } = {},
  ) {
    waits = [];
    const r = await (o.app ?? t.app).inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password },
      remoteAddress,
      headers: o.headers,
    });
    return Object.assign(r, { waited: waits.reduce((a, b) => a + b, 0) });
  }
  const via = (app: FastifyInstance, headers: Record<string, string> = {}) => ({ app, headers });
  /** Starts a new window: earlier failures no longer count. */
  const later = () => {
    now += WINDOW + 1000;
  };

  it('keeps 25 failures from one address for the administrator from keeping the administrator out elsewhere', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 25; i++) codes.push((await login('admin@example.org', `${WRONG} ${i}`, '10.0.0.1')).statusCode);
    expect(codes).toEqual([...Array(5).fill(401), ...Array(20).fill(429)]);

    const blocked = await login('admin@example.org', GOOD, '10.0.0.1');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json()).toMatchObject({ error: 'too_many_attempts', details: { scope: 'account' } });
    expect(blocked.json().message).toMatch(
      /^Too many failed sign-ins for this account from your address; try again in 15 minutes \(after 12:1\d UTC\)\.$/,
    );
    const retryAfter = Number(blocked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(new Date(blocked.json().details.retryAt).getTime()).toBe(now + retryAfter * 1000);

    // The right password from another address: in at once, or after a wait of a few seconds at most.
    const elsewhere = await login('admin@example.org', GOOD, '10.0.0.2');
    expect(elsewhere.statusCode, elsewhere.body).toBe(200);
    expect(elsewhere.waited).toBeLessThanOrEqual(4000);
    // The guessing address stays refused until its failures are 15 minutes old, then may try again.
    expect((await login('admin@example.org', GOOD, '10.0.0.1')).statusCode).toBe(429);
    now += retryAfter * 1000;
    expect((await login('admin@example.org', GOOD, '10.0.0.1')).statusCode).toBe(200);
  });

  it('lets the right password in from another address after five wrong ones; the guesses are slowed', async () => {
    later();
    await account('five@example.org');
    const waited: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await login('five@example.org', WRONG, '10.0.1.1');
      expect(r.statusCode).toBe(401);
      waited.push(r.waited);
    }
    // The 4th and 5th guesses waited 1 and 2 seconds after the failure before them.
    expect(waited).toEqual([0, 0, 0, 1000, 2000]);
    const right = await login('five@example.org', GOOD, '10.0.1.2');
    expect(right.statusCode, right.body).toBe(200);
    expect(right.waited).toBe(4000);
    // The wait runs from the last failure: a sign-in a while later waits for nothing.
    now += 60_000;
    expect((await login('five@example.org', GOOD, '10.0.1.3')).waited).toBe(0);
    expect((await login('five@example.org', GOOD, '10.0.1.1')).statusCode).toBe(429);
  });

  it('refuses a spray from one address with 429 and when, but still lets in an account that has not failed there', async () => {
    later();
    for (let i = 0; i < 8; i++) expect((await login(`spray${i}@example.org`, WRONG, '10.0.2.1')).statusCode).toBe(401);
    const sprayed = await login('spray0@example.org', WRONG, '10.0.2.1');
    expect(sprayed.statusCode).toBe(429);
    expect(sprayed.json()).toMatchObject({ details: { scope: 'address' } });
    expect(sprayed.json().message).toMatch(/^Too many failed sign-ins from your address; try again in 15 minutes/);
    expect(Number(sprayed.headers['retry-after'])).toBeGreaterThan(14 * 60);
    // Someone else behind the same address (an office, a proxy) with the right password gets in ...
    expect((await login('admin@example.org', GOOD, '10.0.2.1')).statusCode).toBe(200);
    // ... and a new guess is answered once, then refused like the others.
    expect((await login('spray8@example.org', WRONG, '10.0.2.1')).statusCode).toBe(401);
    expect((await login('spray8@example.org', WRONG, '10.0.2.1')).statusCode).toBe(429);
    // Other addresses are not concerned.
    expect((await login('spray0@example.org', WRONG, '10.0.2.2')).statusCode).toBe(401);
    later();
    expect((await login('spray0@example.org', WRONG, '10.0.2.1')).statusCode).toBe(401);
  });

  it('counts guesses sent at the same moment against each other', async () => {
    later();
    const answers = await Promise.all(
      Array.from({ length: 9 }, () =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email: 'admin@example.org', password: WRONG },
          remoteAddress: '10.0.3.1',
        }),
      ),
    );
    const codes = answers.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 401).length).toBeLessThanOrEqual(5);
    expect(codes.filter((c) => c !== 401).every((c) => c === 429)).toBe(true);
    expect((await login('admin@example.org', WRONG, '10.0.3.1')).statusCode).toBe(429);
  });

  it('shares the counts between server processes on one database', async () => {
    later();
    await account('shared@example.org');
    for (const app of [t.app, other, t.app, other, t.app])
      expect((await login('shared@example.org', WRONG, '10.0.4.1', via(app))).statusCode).toBe(401);
    expect((await login('shared@example.org', GOOD, '10.0.4.1', via(other))).statusCode).toBe(429);
    expect((await login('shared@example.org', GOOD, '10.0.4.1', via(t.app))).statusCode).toBe(429);
    const right = await login('shared@example.org', GOOD, '10.0.4.2', via(other));
    expect(right.statusCode).toBe(200);
    expect(right.waited).toBe(4000);
  });

  it('takes the client address from X-Forwarded-For only behind a trusted proxy', async () => {
    later();
    await account('proxied@example.org');
    const forwardedFor = (ip: string) => ({ 'x-forwarded-for': ip });
    // Behind the proxy (127.0.0.1, trusted): each client is counted on its own.
    for (let i = 0; i < 5; i++)
      expect(
        (await login('proxied@example.org', WRONG, '127.0.0.1', via(proxied, forwardedFor('198.51.100.7')))).statusCode,
      ).toBe(401);
    expect(
      (await login('proxied@example.org', GOOD, '127.0.0.1', via(proxied, forwardedFor('198.51.100.7')))).statusCode,
    ).toBe(429);
    const owner = await login('proxied@example.org', GOOD, '127.0.0.1', {
      app: proxied,
      headers: { ...forwardedFor('203.0.113.5, 198.51.100.8'), 'x-forwarded-proto': 'https' },
    });
    expect(owner.statusCode).toBe(200);
    // The protocol the proxy saw decides the cookie's Secure flag too.
    expect(String(owner.headers['set-cookie'])).toMatch(/; Secure/);
    // A sender that is not the trusted proxy cannot choose its address.
    for (let i = 0; i < 5; i++)
      expect(
        (await login('proxied@example.org', WRONG, '10.0.5.1', via(proxied, forwardedFor(`198.51.100.${20 + i}`))))
          .statusCode,
      ).toBe(401);
    expect(
      (await login('proxied@example.org', GOOD, '10.0.5.1', via(proxied, forwardedFor('198.51.100.99')))).statusCode,
    ).toBe(429);

    // Without MARSAD_TRUST_PROXY, X-Forwarded-For is ignored: the socket's address counts.
    later();
    for (let i = 0; i < 5; i++)
      expect(
        (await login('proxied@example.org', WRONG, '10.0.5.2', via(t.app, forwardedFor(`198.51.100.${30 + i}`))))
          .statusCode,
      ).toBe(401);
    const ignored = await login('proxied@example.org', GOOD, '10.0.5.2', via(t.app, forwardedFor('198.51.100.40')));
    expect(ignored.statusCode).toBe(429);
    const plain = await login('proxied@example.org', GOOD, '10.0.5.3', {
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(String(plain.headers['set-cookie'])).not.toMatch(/Secure/);
  });

  it('counts wrong current passwords when changing a password, and forgets an account’s failures when a link sets its password', async () => {
    later();
    const id = await account('changer@example.org');
    const signedIn = await login('changer@example.org', GOOD, '10.0.6.1');
    const headers = {
      cookie: String(signedIn.headers['set-cookie']).split(';')[0] ?? '',
      'x-csrf-token': signedIn.json().csrfToken as string,
    };
    const change = (current: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/password',
        payload: { current, next: 'a brand new passphrase' },
        headers,
        remoteAddress: '10.0.6.1',
      });
    for (let i = 0; i < 5; i++) expect((await change(WRONG)).statusCode).toBe(400);
    const refused = await change(GOOD);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    expect((await login('changer@example.org', GOOD, '10.0.6.1')).statusCode).toBe(429);

    // A reset link used: the block is gone.
    const { token } = await issueReset(t.db.store, id);
    const accepted = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/accept',
      payload: { token, password: 'the reset passphrase here' },
      remoteAddress: '10.0.6.1',
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect((await login('changer@example.org', 'the reset passphrase here', '10.0.6.1')).statusCode).toBe(200);
  });

  it('keeps no failure of a right password, and deletes failures older than the window as it writes', async () => {
    later();
    const rows = () => t.db.store.db.selectFrom('login_failures').select(['account', 'address']).execute();
    expect((await login('admin@example.org', GOOD, '10.0.7.1')).statusCode).toBe(200);
    expect((await login('admin@example.org', WRONG, '10.0.7.1')).statusCode).toBe(401);
    // Every earlier row is older than the window now: the new failure pruned them.
    expect(await rows()).toEqual([{ account: 'admin@example.org', address: '10.0.7.1' }]);
  });
});
