import { testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, createTestApp, importText, signedIn, type TestApp } from './helpers.ts';

/**
 * Values sent back to their provider and reopened, with a reason (issue 19, item 1): who may, the reason the provider
 * reads in their inbox and beside the value in the entry form, the correction that brings the value back to the
 * validators, the history of every step (who, when, why) and the audit log; and the series the entry form offers
 * (item 3).
 */
const VALUE = { indicator: '11.1.1', place: 'MAAGA', period: '2021' };

interface Step {
  action: string;
  fromStatus: string | null;
  toStatus: string;
  version: number;
  value: number;
  reason: string | null;
  by: string;
  at: string;
}

describe.each(testStoreKinds())('values sent back to their provider on %s', (kind) => {
  let t: TestApp;
  let city: Record<string, string>;
  let validator: Record<string, string>;
  let national: Record<string, string>;
  let elsewhere: Record<string, string>;

  const setStatus = (headers: Record<string, string>, payload: object) =>
    t.app.inject({ method: 'POST', url: '/api/v1/observations/status', headers, payload });
  const inbox = async (headers: Record<string, string>) => {
    const r = await t.app.inject({ url: '/api/v1/inbox', headers });
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };
  const enter = (value: number, note?: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/entry',
      headers: city,
      payload: {
        place: 'MAAGA',
        period: VALUE.period,
        entries: [{ indicator: '11.1.1', value, source: 'Agadir census office', ...(note ? { note } : {}) }],
      },
    });
  const form = async (place: string, period = VALUE.period) => {
    const r = await t.app.inject({
      url: `/api/v1/entry/form?place=${place}&period=${period}&framework=sdg`,
      headers: place === 'MAAGA' ? city : AUTH,
    });
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as {
      indicators: {
        code: string;
        series: { code: string }[];
        current: { series: string; value: number; returned?: { action: string; reason: string; by: string } | null }[];
      }[];
    };
  };
  const history = (headers: Record<string, string>, query = 'indicator=11.1.1&place=MAAGA&period=2021') =>
    t.app.inject({ url: `/api/v1/observations/history?${query}`, headers });

  beforeAll(async () => {
    t = await createTestApp(kind);
    city = await signedIn(t, 'agadir@send-back.example', [{ role: 'city-focal-point', place: 'MAAGA' }]);
    validator = await signedIn(
      t,
      'validator@send-back.example',
      [{ role: 'data-validator', place: 'MAAGA' }],
      'Validator of Agadir',
    );
    national = await signedIn(t, 'morocco@send-back.example', [{ role: 'national-focal-point', place: 'MAR' }]);
    elsewhere = await signedIn(t, 'amman@send-back.example', [{ role: 'data-validator', place: 'JOAMM' }]);
    // The previous period, approved; then the city enters 2021 in the form.
    const before = await importText(t.app, 'indicator,place,period,value,status\n11.1.1,MAAGA,2020,20,approved\n', {
      format: 'csv',
    });
    expect(before.statusCode, before.body).toBe(201);
    const entered = await enter(22, 'Census 2021');
    expect(entered.statusCode, entered.body).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('needs a reason to send a value back (400 naming the field), and the right role on the place (403)', async () => {
    for (const reason of [undefined, '', '    ', 'no', 'x'.repeat(1001)]) {
      const r = await setStatus(validator, {
        observations: [VALUE],
        to: 'provisional',
        ...(reason === undefined ? {} : { reason }),
      });
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().message).toMatch(/reason/);
    }
    // Control and direction characters do not count towards the reason.
    const hidden = await setStatus(validator, {
      observations: [VALUE],
      to: 'provisional',
      reason: '\u202e\u2066\u0007\u200f  ab',
    });
    expect(hidden.statusCode, hidden.body).toBe(400);
    const byProvider = await setStatus(city, { observations: [VALUE], to: 'provisional', reason: 'Check the census' });
    expect(byProvider.statusCode, byProvider.body).toBe(403);
    expect(byProvider.json().message).toMatch(/send back.*MAAGA/);
    const byOtherPlace = await setStatus(elsewhere, {
      observations: [VALUE],
      to: 'provisional',
      reason: 'Check the census',
    });
    expect(byOtherPlace.statusCode, byOtherPlace.body).toBe(403);
    expect((await inbox(city)).sentBack).toBe(0);
    expect((await inbox(validator)).toValidate).toBe(1);
  });

  it('lists each value to validate with names, unit, source, note, the previous value and the change', async () => {
    const item = (await inbox(validator)).items.toValidate[0];
    expect(item).toMatchObject({
      indicator: '11.1.1',
      series: 'EN_LND_SLUM',
      place: 'MAAGA',
      period: '2021',
      value: 22,
      unit: 'PERCENT',
      source: 'Agadir census office',
      note: 'Census 2021',
      framework: expect.any(String),
      previous: { period: '2020', value: 20 },
      // A percentage changes by points: no relative change.
      change: { absolute: 2, relative: null, points: true },
      returned: null,
    });
    expect(item.placeNames).toMatchObject({ ar: 'أكادير', en: 'Agadir' });
    expect(item.indicatorNames.ar).toBeTruthy();
    expect(item.unitNames.en).toBe('Percent (%)');
  });

  it('sends the value back with its reason: the provider sees it in the inbox and beside the value; it no longer waits for validation', async () => {
    const sent = await setStatus(validator, {
      observations: [VALUE],
      to: 'provisional',
      reason: '  The census\u202e gives 12 %,\u0007 not 22 %:\tplease check.  ',
    });
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json()).toEqual({ changed: 1, to: 'provisional' });
    const reason = 'The census gives 12 %, not 22 %: please check.';

    const mine = await inbox(city);
    expect(mine.sentBack).toBe(1);
    expect(mine.items.sentBack[0]).toMatchObject({
      place: 'MAAGA',
      period: '2021',
      value: 22,
      status: 'provisional',
      returned: { action: 'sent-back', reason, by: 'Validator of Agadir', open: true },
    });
    const value = (await form('MAAGA')).indicators.find((i) => i.code === '11.1.1')!.current[0]!;
    expect(value).toMatchObject({ value: 22, returned: { action: 'sent-back', reason, by: 'Validator of Agadir' } });

    const v = await inbox(validator);
    expect([v.toValidate, v.sentBack, v.awaitingCorrection]).toEqual([0, 0, 1]);
    expect(v.items.awaitingCorrection[0].returned.reason).toBe(reason);
    // The national focal point enters values of Morocco too, but the city provides this one: it waits, not theirs.
    const n = await inbox(national);
    expect([n.sentBack, n.awaitingCorrection]).toEqual([0, 1]);

    const again = await setStatus(validator, { observations: [VALUE], to: 'provisional', reason: 'Still to check' });
    expect(again.statusCode, again.body).toBe(400);
    expect(again.json().message).toMatch(/already sent back/);
  });

  it('goes back to the validators once the provider corrects it, with the reason it was sent back for', async () => {
    const corrected = await enter(12, 'Census 2021, corrected');
    expect(corrected.statusCode, corrected.body).toBe(201);
    expect((await inbox(city)).sentBack).toBe(0);
    const v = await inbox(validator);
    expect([v.toValidate, v.awaitingCorrection]).toEqual([1, 0]);
    expect(v.items.toValidate[0]).toMatchObject({
      value: 12,
      version: 2,
      change: { absolute: -8 },
      returned: { action: 'sent-back', open: false },
    });
    const value = (await form('MAAGA')).indicators.find((i) => i.code === '11.1.1')!.current[0]!;
    expect(value.returned).toBeNull();
  });

  it('is validated, approved, and reopened with a reason by the national focal point only; the provider sees why', async () => {
    expect((await setStatus(validator, { observations: [VALUE], to: 'validated' })).statusCode).toBe(200);
    expect((await setStatus(national, { observations: [VALUE], to: 'approved' })).statusCode).toBe(200);
    const n = await inbox(national);
    expect(n.items.approved).toEqual([expect.objectContaining({ place: 'MAAGA', period: '2021', status: 'approved' })]);

    const byValidator = await setStatus(validator, {
      observations: [VALUE],
      to: 'provisional',
      reason: 'A revised census',
    });
    expect(byValidator.statusCode).toBe(403);
    const noReason = await setStatus(national, { observations: [VALUE], to: 'provisional' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().message).toMatch(/reason/);
    const reopened = await setStatus(national, {
      observations: [VALUE],
      to: 'provisional',
      reason: 'The census office revised its figures',
    });
    expect(reopened.statusCode, reopened.body).toBe(200);
    expect((await inbox(national)).items.approved).toEqual([]);
    const mine = await inbox(city);
    expect(mine.items.sentBack).toEqual([
      expect.objectContaining({
        value: 12,
        status: 'provisional',
        returned: expect.objectContaining({
          action: 'reopened',
          reason: 'The census office revised its figures',
          by: 'morocco@send-back.example',
        }),
      }),
    ]);
  });

  it('keeps the history of each step with who, when and why, for those who may see the place’s unpublished values', async () => {
    const r = await history(city);
    expect(r.statusCode, r.body).toBe(200);
    const h = r.json() as {
      status: string;
      sentBack: boolean;
      versions: { version: number; value: number; status: string }[];
      steps: Step[];
    };
    expect(h).toMatchObject({ status: 'provisional', sentBack: true });
    expect(h.steps.map((s) => [s.action, s.fromStatus, s.toStatus, s.version, s.value, s.by])).toEqual([
      ['entered', null, 'provisional', 1, 22, 'agadir@send-back.example'],
      ['sent-back', 'provisional', 'provisional', 1, 22, 'Validator of Agadir'],
      ['corrected', 'provisional', 'provisional', 2, 12, 'agadir@send-back.example'],
      ['validated', 'provisional', 'validated', 3, 12, 'Validator of Agadir'],
      ['approved', 'validated', 'approved', 4, 12, 'morocco@send-back.example'],
      ['reopened', 'approved', 'provisional', 5, 12, 'morocco@send-back.example'],
    ]);
    expect(h.steps.map((s) => s.reason)).toEqual([
      null,
      'The census gives 12 %, not 22 %: please check.',
      null,
      null,
      null,
      'The census office revised its figures',
    ]);
    const times = h.steps.map((s) => Date.parse(s.at));
    expect(times.every((x, i) => Number.isFinite(x) && (i === 0 || x >= times[i - 1]!))).toBe(true);
    expect(h.versions.map((x) => [x.version, x.value, x.status])).toEqual([
      [1, 22, 'provisional'],
      [2, 12, 'provisional'],
      [3, 12, 'validated'],
      [4, 12, 'approved'],
      [5, 12, 'provisional'],
    ]);
    expect((await history(validator)).statusCode).toBe(200);
    expect((await history(elsewhere)).statusCode).toBe(403);
    expect(
      (await t.app.inject({ url: '/api/v1/observations/history?indicator=11.1.1&place=MAAGA&period=2021' })).statusCode,
    ).toBe(401);
    expect((await history(city, 'indicator=11.1.1&place=MAAGA&period=1999')).statusCode).toBe(404);
    expect((await history(city, 'indicator=11.1.1&place=MAAGA&period=2021&dims=SEX')).statusCode).toBe(400);
  });

  it('writes every step to the audit log', async () => {
    const r = await t.app.inject({ url: '/api/v1/audit?entityType=observation&limit=100', headers: AUTH });
    expect(r.statusCode, r.body).toBe(200);
    const items = r.json().items as { action: string; summary: string; actor_label: string; after: unknown }[];
    const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
    const mine = items.filter((a) => a.action === 'status' || a.action === 'entry').reverse();
    expect(mine.map((a) => [a.action, a.summary, a.actor_label])).toEqual([
      ['entry', '1 value entered for MAAGA 2021', 'user:agadir@send-back.example'],
      ['status', '1 value sent back', 'user:validator@send-back.example'],
      ['entry', '1 value entered for MAAGA 2021', 'user:agadir@send-back.example'],
      ['status', '1 value validated', 'user:validator@send-back.example'],
      ['status', '1 value approved', 'user:morocco@send-back.example'],
      ['status', '1 value reopened', 'user:morocco@send-back.example'],
    ]);
    expect(parse(mine[1]!.after)).toMatchObject({
      to: 'provisional',
      reason: 'The census gives 12 %, not 22 %: please check.',
      observations: [{ indicator: '11.1.1', place: 'MAAGA', period: '2021', action: 'sent-back', from: 'provisional' }],
    });
    expect(parse(mine[2]!.after)).toMatchObject({ values: [{ after: { value: 12, corrected: true } }] });
  });

  it('offers in the entry form only the series that apply to the place: the catalogue’s and those with values in its country', async () => {
    const other = await importText(
      t.app,
      'indicator,series,place,period,value\n11.1.1,Total by Race/ Ethnicity,JOAMM,2020,5\n11.1.1,Dwellings in Morocco (%),MAR,2020,7\n',
      { format: 'csv' },
    );
    expect(other.statusCode, other.body).toBe(201);
    const seriesOf = async (place: string) =>
      (await form(place, '2024')).indicators.find((i) => i.code === '11.1.1')!.series.map((s) => s.code);
    expect(await seriesOf('MAAGA')).toEqual(['EN_LND_SLUM', 'Dwellings in Morocco (%)']);
    expect(await seriesOf('JOAMM')).toEqual(['EN_LND_SLUM', 'Total by Race/ Ethnicity']);
    expect(await seriesOf('MAR')).toEqual(['EN_LND_SLUM', 'Dwellings in Morocco (%)']);
  });
});
