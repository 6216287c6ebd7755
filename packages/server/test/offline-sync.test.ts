import { testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_QUESTIONNAIRE } from '../src/demo/demo-questionnaire.ts';
import { AUTH, createTestApp, signedIn, type TestApp } from './helpers.ts';

/**
 * Sending what a device queued offline (issue 21): each change once whatever the retries, in order, checked as
 * online with the roles held now; a conflict when the server's version differs from the offline copy's, nothing
 * overwritten; refusals per change next to accepted ones.
 */
type H = Record<string, string>;
// biome-ignore lint/suspicious/noExplicitAny: the answers of the sync route, read by each test
type Any = any;
let serial = 0;
const key = (tag: string) => `k-${tag}-${++serial}-${Date.now().toString(36)}`;

describe.each(testStoreKinds())('offline sync on %s', (kind) => {
  let t: TestApp;
  let city: H;
  let city2: H;
  let cityId = 0;
  let submission = 0;

  const sync = (who: H, changes: unknown[]) =>
    t.app.inject({ method: 'POST', url: '/api/v1/offline/sync?lang=en', headers: who, payload: { changes } });
  const synced = async (who: H, changes: unknown[]): Promise<Any[]> => {
    const r = await sync(who, changes);
    expect(r.statusCode, r.body).toBe(200);
    return r.json().results;
  };
  const pop = async (period: string) => {
    const rows = await t.db.store.db
      .selectFrom('observations as o')
      .innerJoin('places as p', 'p.id', 'o.place_id')
      .innerJoin('indicators as i', 'i.id', 'o.indicator_id')
      .select(['o.value', 'o.version', 'o.disagg_id'])
      .where('p.code', '=', 'MAAGA')
      .where('i.code', '=', 'POP')
      .where('o.period', '=', period)
      .where('o.disagg_id', '=', 0)
      .execute();
    return rows.map((r) => ({ value: Number(r.value), version: r.version }));
  };
  const history = async (period: string) =>
    Number(
      (
        await t.db.store.db
          .selectFrom('observation_history')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('period', '=', period)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const audits = async (action: string, entityId: string) =>
    Number(
      (
        await t.db.store.db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('action', '=', action)
          .where('entity_id', '=', entityId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const answers = async () =>
    (await t.app.inject({ url: `/api/v1/review-submissions/${submission}?lang=en`, headers: city })).json().answers;

  beforeAll(async () => {
    t = await createTestApp(kind);
    city = await signedIn(t, 'offline-agadir@example.org', [{ role: 'city-focal-point', place: 'MAAGA' }]);
    city2 = await signedIn(t, 'offline-agadir2@example.org', [{ role: 'city-focal-point', place: 'MAAGA' }]);
    cityId = (await t.app.inject({ url: '/api/v1/auth/me', headers: city })).json().user.id;
    const q = await t.app.inject({
      method: 'POST',
      url: '/api/v1/questionnaires',
      headers: AUTH,
      payload: { definition: DEMO_QUESTIONNAIRE },
    });
    expect(q.statusCode, q.body).toBe(201);
    const c = await t.app.inject({
      method: 'POST',
      url: '/api/v1/review-cycles',
      headers: AUTH,
      payload: {
        kind: 'safer-cities-peer-review',
        titles: { en: 'Offline cycle' },
        startsOn: '2024-01-01',
        questionnaireVersionId: q.json().version.id,
        participants: ['MAAGA'],
      },
    });
    expect(c.statusCode, c.body).toBe(201);
    submission = c.json().participants[0].submission.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses the unsigned, the administrator token (no account) and malformed changes', async () => {
    const change = { key: key('x'), kind: 'entry', place: 'MAAGA', period: '2019', entries: [] };
    expect((await sync({}, [change])).statusCode).toBe(401);
    const admin = await sync(AUTH, [{ ...change, entries: [{ indicator: 'POP', value: 1, base: null }] }]);
    expect(admin.statusCode).toBe(400);
    expect(admin.json().message).toMatch(/account/);
    expect((await sync(city, [change])).statusCode).toBe(400);
    expect((await sync(city, [{ ...change, key: 'short' }])).statusCode).toBe(400);
    const twice = { ...change, entries: [{ indicator: 'POP', value: 1, base: null }] };
    const dup = await sync(city, [twice, twice]);
    expect(dup.statusCode).toBe(400);
    expect(dup.json().message).toMatch(/twice/);
    expect(await pop('2019')).toEqual([]);
  });

  it('saves a value once: a retry after a dropped answer, even two at a time, changes nothing more', async () => {
    const change = {
      key: key('pop'),
      kind: 'entry',
      place: 'MAAGA',
      period: '2020',
      entries: [{ indicator: 'POP', value: 400000, base: null }],
    };
    const [first] = await synced(city, [change]);
    expect(first).toMatchObject({ key: change.key, status: 'accepted', replayed: false, saved: 1 });
    expect(await pop('2020')).toEqual([{ value: 400000, version: 1 }]);
    // The answer was lost with the connection: the device sends the same change again.
    const [again] = await synced(city, [change]);
    expect(again).toMatchObject({ key: change.key, status: 'accepted', replayed: true, saved: 1 });
    expect(await pop('2020')).toEqual([{ value: 400000, version: 1 }]);
    expect(await history('2020')).toBe(0);
    expect(await audits('entry', 'MAAGA 2020')).toBe(1);
    // Two sendings of one change at the same moment: applied once.
    const next = { ...change, key: key('race'), entries: [{ indicator: 'POP', value: 410000, base: 1 }] };
    const both = await Promise.all([synced(city, [next]), synced(city, [next])]);
    expect(both.map((r) => r[0].status)).toEqual(['accepted', 'accepted']);
    expect(both.filter((r) => r[0].replayed)).toHaveLength(1);
    expect(await pop('2020')).toEqual([{ value: 410000, version: 2 }]);
    expect(await history('2020')).toBe(1);
    expect(await audits('entry', 'MAAGA 2020')).toBe(2);
    // The key is the user's: another user's change with the same key is a change of its own.
    const [other] = await synced(city2, [{ ...next, entries: [{ indicator: 'POP', value: 410000, base: 2 }] }]);
    expect(other).toMatchObject({ status: 'accepted', replayed: false, saved: 0, unchanged: 1 });
    // The same key with another change is refused, and nothing is written.
    const [reused] = await synced(city, [{ ...next, entries: [{ indicator: 'POP', value: 1, base: 2 }] }]);
    expect(reused).toMatchObject({ status: 'refused', code: 'key_reused' });
    expect(await pop('2020')).toEqual([{ value: 410000, version: 2 }]);
  });

  it('never overwrites a value changed meanwhile: a conflict with the server value, resolved either way', async () => {
    await synced(city, [
      {
        key: key('c0'),
        kind: 'entry',
        place: 'MAAGA',
        period: '2021',
        entries: [{ indicator: 'POP', value: 500, base: null }],
      },
    ]);
    // The offline copy started from version 1; a colleague changes the value online meanwhile.
    const online = await t.app.inject({
      method: 'POST',
      url: '/api/v1/entry',
      headers: city2,
      payload: { place: 'MAAGA', period: '2021', entries: [{ indicator: 'POP', value: 600 }] },
    });
    expect(online.statusCode, online.body).toBe(201);
    const mine = {
      key: key('c1'),
      kind: 'entry',
      place: 'MAAGA',
      period: '2021',
      entries: [{ indicator: 'POP', value: 700, base: 1 }],
    };
    const [conflict] = await synced(city, [mine]);
    expect(conflict).toMatchObject({
      status: 'conflict',
      conflicts: [{ index: 0, base: 1, server: { value: 600, version: 2, status: 'provisional' } }],
    });
    expect(await pop('2021')).toEqual([{ value: 600, version: 2 }]);
    expect(await audits('sync-conflict', 'MAAGA 2021')).toBe(1);
    // Sent again, the same answer.
    expect((await synced(city, [mine]))[0]).toMatchObject({ status: 'conflict', replayed: true });
    // "Keep mine": a new change starting from the server's version.
    const [kept] = await synced(city, [
      { ...mine, key: key('c2'), entries: [{ indicator: 'POP', value: 700, base: 2 }] },
    ]);
    expect(kept).toMatchObject({ status: 'accepted', saved: 1 });
    expect(await pop('2021')).toEqual([{ value: 700, version: 3 }]);
    // "Keep the server's": nothing is sent; and the same value typed on both sides is no conflict.
    const [same] = await synced(city2, [
      {
        key: key('c3'),
        kind: 'entry',
        place: 'MAAGA',
        period: '2021',
        entries: [{ indicator: 'POP', value: 700, base: 2 }],
      },
    ]);
    expect(same).toMatchObject({ status: 'accepted', saved: 0, unchanged: 1 });
    expect(await pop('2021')).toEqual([{ value: 700, version: 3 }]);
  });

  it('answers a refusal per change with its code, next to the changes that go through, in order', async () => {
    // A rule the device did not know: the server sets a maximum after the form was taken offline.
    const rules = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/indicators/POP/rules',
      headers: AUTH,
      payload: { validationRules: { min: 0, max: 1000000 }, suppression: null },
    });
    expect(rules.statusCode, rules.body).toBe(200);
    const results = await synced(city, [
      {
        key: key('r1'),
        kind: 'entry',
        place: 'MAAGA',
        period: '2022',
        entries: [{ indicator: 'POP', value: 900000, base: null }],
      },
      {
        key: key('r2'),
        kind: 'entry',
        place: 'MAAGA',
        period: '2023',
        entries: [{ indicator: 'POP', value: 2000000, base: null }],
      },
      {
        key: key('r3'),
        kind: 'entry',
        place: 'JOAMM',
        period: '2022',
        entries: [{ indicator: 'POP', value: 5, base: null }],
      },
      {
        key: key('r4'),
        kind: 'answer',
        submission,
        items: [{ name: 'institution', value: 'Agadir office', base: null }],
      },
      { key: key('r5'), kind: 'answer', submission, items: [{ name: 'has_strategy', value: 'perhaps', base: null }] },
    ]);
    expect(results.map((r) => `${r.status}:${r.code ?? ''}`)).toEqual([
      'accepted:',
      'refused:invalid_entries',
      'refused:forbidden',
      'accepted:',
      'refused:bad_request',
    ]);
    expect(results[1].details.errors[0]).toMatchObject({
      index: 0,
      field: 'value',
      code: 'above-max',
      params: { max: 1000000 },
    });
    expect(results[4].details.invalid[0]).toMatchObject({ path: 'has_strategy' });
    expect(await pop('2022')).toEqual([{ value: 900000, version: 1 }]);
    expect(await pop('2023')).toEqual([]);
    expect(await answers()).toEqual({ institution: 'Agadir office' });
    expect(await audits('sync-refused', 'MAAGA 2023')).toBe(1);
  });

  it('merges answers per question and never overwrites one changed meanwhile', async () => {
    const before = await answers();
    // A colleague edits online while the device is offline: the institution, not the strategy.
    const put = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/review-submissions/${submission}/answers?lang=en`,
      headers: city2,
      payload: { answers: { ...before, institution: 'Municipality of Agadir' } },
    });
    expect(put.statusCode, put.body).toBe(200);
    const results = await synced(city, [
      { key: key('a1'), kind: 'answer', submission, items: [{ name: 'has_strategy', value: 'yes', base: null }] },
      {
        key: key('a2'),
        kind: 'answer',
        submission,
        items: [{ name: 'institution', value: 'Agadir city office', base: 'Agadir office' }],
      },
    ]);
    expect(results[0]).toMatchObject({ status: 'accepted', saved: 1 });
    expect(results[1]).toMatchObject({
      status: 'conflict',
      conflicts: [{ name: 'institution', base: 'Agadir office', server: 'Municipality of Agadir' }],
    });
    expect(await answers()).toEqual({ institution: 'Municipality of Agadir', has_strategy: 'yes' });
    // Keep mine: from the server's answer; a repeat's answers compare whatever the order of their keys.
    const measures = [{ measure_institutions: 'Lighting', measure_indicator: '16.1.1' }];
    const resolved = await synced(city, [
      {
        key: key('a3'),
        kind: 'answer',
        submission,
        items: [{ name: 'institution', value: 'Agadir city office', base: 'Municipality of Agadir' }],
      },
      {
        key: key('a4'),
        kind: 'answer',
        submission,
        items: [{ name: 'measures_institutions', value: measures, base: null }],
      },
    ]);
    expect(resolved.map((r) => r.status)).toEqual(['accepted', 'accepted']);
    const [again] = await synced(city, [
      {
        key: key('a5'),
        kind: 'answer',
        submission,
        items: [
          {
            name: 'measures_institutions',
            value: [],
            base: [{ measure_indicator: '16.1.1', measure_institutions: 'Lighting' }],
          },
        ],
      },
    ]);
    expect(again).toMatchObject({ status: 'accepted' });
    expect(await answers()).toEqual({
      institution: 'Agadir city office',
      has_strategy: 'yes',
      measures_institutions: [],
    });
  });

  it('refuses the changes of a user whose role was removed while offline', async () => {
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/users/${cityId}/roles`,
      headers: AUTH,
      payload: { role: 'city-focal-point', place: 'MAAGA' },
    });
    expect(del.statusCode, del.body).toBe(200);
    const results = await synced(city, [
      {
        key: key('g1'),
        kind: 'entry',
        place: 'MAAGA',
        period: '2024',
        entries: [{ indicator: 'POP', value: 1, base: null }],
      },
      {
        key: key('g2'),
        kind: 'answer',
        submission,
        items: [{ name: 'institution', value: 'x', base: 'Agadir city office' }],
      },
    ]);
    expect(results.map((r) => `${r.status}:${r.code}:${r.httpStatus}`)).toEqual([
      'refused:forbidden:403',
      'refused:forbidden:403',
    ]);
    expect(await pop('2024')).toEqual([]);
    expect((await answers()) ?? null).toBeNull();
  });
});
