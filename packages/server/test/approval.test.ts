import { testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, createTestApp, importText, signedIn, type TestApp } from './helpers.ts';

const AGADIR = { indicator: '11.1.1', place: 'MAAGA', period: '2020' };
const AMMAN = { indicator: '11.1.1', place: 'JOAMM', period: '2020' };

describe.each(testStoreKinds())('validation, approval and the task inbox on %s', (kind) => {
  let t: TestApp;
  let city: Record<string, string>;
  let validator: Record<string, string>;
  let national: Record<string, string>;

  const setStatus = (headers: Record<string, string>, payload: unknown) =>
    t.app.inject({ method: 'POST', url: '/api/v1/observations/status', headers, payload: payload as object });
  const inbox = async (headers: Record<string, string>) => {
    const r = await t.app.inject({ url: '/api/v1/inbox', headers });
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };
  const current = async (place: string) => {
    const r = await t.db.store.db
      .selectFrom('observations as o')
      .innerJoin('places as p', 'p.id', 'o.place_id')
      .select(['o.status', 'o.version', 'o.value'])
      .where('p.code', '=', place)
      .where('o.period', '=', '2020')
      .executeTakeFirstOrThrow();
    return { status: r.status, version: r.version };
  };
  const statusAudits = async () => {
    const r = await t.app.inject({
      url: '/api/v1/audit?action=status&entityType=observation&limit=100',
      headers: AUTH,
    });
    expect(r.statusCode, r.body).toBe(200);
    return r.json().items as { summary: string; actor_label: string; after: unknown }[];
  };
  const publicValues = async () => {
    const r = await t.app.inject({ url: '/api/v1/observations?indicator=11.1.1&place=MAAGA&limit=100' });
    expect(r.statusCode, r.body).toBe(200);
    return r
      .json()
      .items.map((o: { period: string; value: number; status: string }) => `${o.period} ${o.value} ${o.status}`);
  };

  beforeAll(async () => {
    t = await createTestApp(kind);
    city = await signedIn(t, 'agadir@example.org', [{ role: 'city-focal-point', place: 'MAAGA' }]);
    validator = await signedIn(t, 'validator@example.org', [{ role: 'data-validator', place: 'MAAGA' }]);
    national = await signedIn(t, 'morocco@example.org', [{ role: 'national-focal-point', place: 'MAR' }]);
    const own = await importText(
      t.app,
      'indicator,place,period,value\n11.1.1,MAAGA,2020,20\n',
      { format: 'csv' },
      city,
    );
    expect(own.statusCode, own.body).toBe(201);
    const other = await importText(t.app, 'indicator,place,period,value\n11.1.1,JOAMM,2020,31\n', { format: 'csv' });
    expect(other.statusCode, other.body).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('shows administrators the invitations not yet accepted, and which have expired; nobody else', async () => {
    const inv = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: AUTH,
      payload: { email: 'pending@example.org', roles: [] },
    });
    expect(inv.statusCode, inv.body).toBe(201);
    const a = await inbox(AUTH);
    expect(a.invitations).toMatchObject({ pending: 1, expired: 0 });
    expect(a.invitations.items.map((i: { email: string }) => i.email)).toEqual(['pending@example.org']);
    expect((await inbox(validator)).invitations).toEqual({ pending: 0, expired: 0, items: [] });
    await t.db.store.exclusive((conn) =>
      conn.query(
        `UPDATE user_tokens SET expires_at = now() - interval '1 day' WHERE user_id = (SELECT id FROM users WHERE email = 'pending@example.org')`,
      ),
    );
    expect((await inbox(AUTH)).invitations).toMatchObject({
      pending: 0,
      expired: 1,
      items: [{ email: 'pending@example.org', expired: true }],
    });
  });

  it('needs someone signed in', async () => {
    expect((await t.app.inject({ url: '/api/v1/inbox' })).statusCode).toBe(401);
    expect((await setStatus({}, { observations: [AGADIR], to: 'validated' })).statusCode).toBe(401);
  });

  it('shows the provisional value of the city in the inbox of its validator only', async () => {
    expect(await current('MAAGA')).toEqual({ status: 'provisional', version: 1 });
    const v = await inbox(validator);
    expect(v.toValidate).toBe(1);
    expect(v.toApprove).toBe(0);
    expect(v.items.toValidate).toEqual([
      expect.objectContaining({ indicator: '11.1.1', place: 'MAAGA', period: '2020', value: 20, dims: {} }),
    ]);
    const n = await inbox(national);
    expect([n.toValidate, n.toApprove]).toEqual([0, 0]);
    const a = await inbox(AUTH);
    expect(a.toValidate).toBe(2);
  });

  it('refuses, all or nothing, a list with a value of another country (403) or an unknown value (404)', async () => {
    const mixed = await setStatus(validator, { observations: [AGADIR, AMMAN], to: 'validated' });
    expect(mixed.statusCode, mixed.body).toBe(403);
    expect(mixed.json().message).toMatch(/observations\.1.*JOAMM/);
    const unknown = await setStatus(validator, {
      observations: [AGADIR, { ...AGADIR, period: '1999' }],
      to: 'validated',
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toMatch(/observations\.1/);
    const byCity = await setStatus(city, { observations: [AGADIR], to: 'validated' });
    expect(byCity.statusCode).toBe(403);
    const skip = await setStatus(AUTH, { observations: [AGADIR], to: 'approved' });
    expect(skip.statusCode).toBe(400);
    expect(skip.json().message).toMatch(/provisional/);
    expect(await current('MAAGA')).toEqual({ status: 'provisional', version: 1 });
    expect(await current('JOAMM')).toEqual({ status: 'provisional', version: 1 });
    expect(await statusAudits()).toEqual([]);
  });

  it('lets the validator validate, but not approve; the national focal point approves; the public sees it', async () => {
    const ok = await setStatus(validator, { observations: [{ ...AGADIR, dims: {} }], to: 'validated' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ changed: 1, to: 'validated' });
    expect(await current('MAAGA')).toEqual({ status: 'validated', version: 2 });
    expect((await inbox(validator)).toValidate).toBe(0);
    expect(await publicValues()).toEqual([]);

    const byValidator = await setStatus(validator, { observations: [AGADIR], to: 'approved' });
    expect(byValidator.statusCode).toBe(403);
    expect(byValidator.json().message).toMatch(/national focal point.*MAAGA/);

    const n = await inbox(national);
    expect(n.toApprove).toBe(1);
    expect(n.items.toApprove[0]).toMatchObject({ place: 'MAAGA', period: '2020', value: 20 });
    const approved = await setStatus(national, { observations: [AGADIR], to: 'approved' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(await current('MAAGA')).toEqual({ status: 'approved', version: 3 });
    expect((await inbox(national)).toApprove).toBe(0);
    expect(await publicValues()).toEqual(['2020 20 approved']);
  });

  it('reopens an approved value only with a reason, and the public no longer sees it', async () => {
    const noReason = await setStatus(national, { observations: [AGADIR], to: 'provisional' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().message).toMatch(/reason/);
    const short = await setStatus(national, { observations: [AGADIR], to: 'provisional', reason: 'no' });
    expect(short.statusCode).toBe(400);
    const byValidator = await setStatus(validator, {
      observations: [AGADIR],
      to: 'provisional',
      reason: 'the source was revised',
    });
    expect(byValidator.statusCode).toBe(403);
    expect(await current('MAAGA')).toEqual({ status: 'approved', version: 3 });

    const reopened = await setStatus(national, {
      observations: [AGADIR],
      to: 'provisional',
      reason: 'the source was revised',
    });
    expect(reopened.statusCode, reopened.body).toBe(200);
    expect(reopened.json()).toEqual({ changed: 1, to: 'provisional' });
    expect(await current('MAAGA')).toEqual({ status: 'provisional', version: 4 });
    expect(await publicValues()).toEqual([]);
    // Reopened, it waits for its provider (the city imported it), not for the validator (approval-send-back.test.ts).
    expect((await inbox(validator)).toValidate).toBe(0);
    expect((await inbox(city)).items.sentBack).toEqual([
      expect.objectContaining({ place: 'MAAGA', period: '2020', returned: expect.objectContaining({ open: true }) }),
    ]);
  });

  it('keeps every version in the history and writes one audit entry per change', async () => {
    const history = await t.db.store.db
      .selectFrom('observation_history as h')
      .innerJoin('places as p', 'p.id', 'h.place_id')
      .select(['h.version', 'h.status', 'h.change', 'h.value'])
      .where('p.code', '=', 'MAAGA')
      .where('h.period', '=', '2020')
      .orderBy('h.version')
      .execute();
    expect(history.map((h) => [h.version, h.status, h.change, h.value])).toEqual([
      [1, 'provisional', 'update', 20],
      [2, 'validated', 'update', 20],
      [3, 'approved', 'update', 20],
    ]);
    const audits = await statusAudits();
    expect(audits.map((a) => a.summary)).toEqual(['1 value reopened', '1 value approved', '1 value validated']);
    expect(audits.map((a) => a.actor_label)).toEqual([
      'user:morocco@example.org',
      'user:morocco@example.org',
      'user:validator@example.org',
    ]);
    const after = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
    expect(after(audits[0]!.after)).toMatchObject({
      to: 'provisional',
      reason: 'the source was revised',
      observations: [{ indicator: '11.1.1', place: 'MAAGA', period: '2020', from: 'approved', to: 'provisional' }],
    });
    expect(await current('JOAMM')).toEqual({ status: 'provisional', version: 1 });
  });

  it('lets an administrator move several values at once', async () => {
    const r = await setStatus(AUTH, { observations: [AGADIR, AMMAN], to: 'validated' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({ changed: 2, to: 'validated' });
    expect((await statusAudits())[0]!.summary).toBe('2 values validated');
    const twice = await setStatus(AUTH, { observations: [AGADIR, AGADIR], to: 'approved' });
    expect(twice.statusCode).toBe(400);
  });
});
