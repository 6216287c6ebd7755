import { testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, createTestApp, signedIn, type TestApp } from './helpers.ts';

/** The data-entry form and its validation rules (issue 4, item 3), through the API. */
describe.each(testStoreKinds())('data entry on %s', (kind) => {
  let t: TestApp;
  let city: Record<string, string>;
  let validator: Record<string, string>;
  let national: Record<string, string>;
  let other: Record<string, string>;

  const enter = (headers: Record<string, string>, payload: object) =>
    t.app.inject({ method: 'POST', url: '/api/v1/entry', headers, payload });
  const popAt = async (period: string) => {
    const rows = await t.db.store.db
      .selectFrom('observations as o')
      .innerJoin('places as p', 'p.id', 'o.place_id')
      .innerJoin('indicators as i', 'i.id', 'o.indicator_id')
      .innerJoin('disaggregations as d', 'd.id', 'o.disagg_id')
      .select(['d.key', 'o.value', 'o.status', 'o.version', 'o.note'])
      .where('p.code', '=', 'MAAGA')
      .where('i.code', '=', 'POP')
      .where('o.period', '=', period)
      .execute();
    return rows.map((r) => `${r.key || 'total'}=${r.value} ${r.status} v${r.version}`).sort();
  };
  const codes = (r: { json(): { details?: { errors: { code: string; index: number | null; field: string }[] } } }) =>
    r.json().details?.errors.map((e) => `${e.index}.${e.field}:${e.code}`);

  beforeAll(async () => {
    t = await createTestApp(kind);
    city = await signedIn(t, 'agadir@example.org', [{ role: 'city-focal-point', place: 'MAAGA' }]);
    validator = await signedIn(t, 'validator@example.org', [{ role: 'data-validator', place: 'MAAGA' }]);
    national = await signedIn(t, 'morocco@example.org', [{ role: 'national-focal-point', place: 'MAR' }]);
    other = await signedIn(t, 'amman@example.org', [{ role: 'city-focal-point', place: 'JOAMM' }]);
    const rules = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/indicators/POP/rules',
      headers: AUTH,
      payload: {
        validationRules: {
          min: 0,
          max: 50000000,
          requiredDimensions: ['SEX'],
          sumTolerance: 0.01,
          maxChangePercent: 20,
        },
        suppression: null,
      },
    });
    expect(rules.statusCode, rules.body).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('sets rules for administrators only, checks them and records them in the audit log', async () => {
    expect(
      (
        await t.app.inject({
          method: 'PUT',
          url: '/api/v1/indicators/POP/rules',
          payload: { validationRules: {}, suppression: null },
        })
      ).statusCode,
    ).toBe(401);
    expect(
      (
        await t.app.inject({
          method: 'PUT',
          url: '/api/v1/indicators/POP/rules',
          headers: national,
          payload: { validationRules: {}, suppression: null },
        })
      ).statusCode,
    ).toBe(403);
    const bad = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/indicators/POP/rules',
      headers: AUTH,
      payload: { validationRules: { min: 10, max: 1 }, suppression: null },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/max/);
    const dim = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/indicators/POP/rules',
      headers: AUTH,
      payload: { validationRules: { requiredDimensions: ['NOPE'] }, suppression: null },
    });
    expect(dim.statusCode).toBe(400);
    expect(dim.json().message).toMatch(/NOPE/);
    const got = await t.app.inject({ url: '/api/v1/indicators/POP' });
    expect(got.json().validationRules).toEqual({
      min: 0,
      max: 50000000,
      requiredDimensions: ['SEX'],
      sumTolerance: 0.01,
      maxChangePercent: 20,
    });
    const audit = await t.app.inject({ url: '/api/v1/audit?action=update-rules&limit=10', headers: AUTH });
    expect(audit.json().items[0]).toMatchObject({ entity_id: 'POP' });
  });

  it('opens the form of an own place only, with the indicators of the framework, their dimensions and rules', async () => {
    expect((await t.app.inject({ url: '/api/v1/entry/form?place=MAAGA&period=2024' })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/v1/entry/form?place=MAAGA&period=2024', headers: other })).statusCode).toBe(
      403,
    );
    expect((await t.app.inject({ url: '/api/v1/entry/form?place=MAAGA&period=20x4', headers: city })).statusCode).toBe(
      400,
    );
    const r = await t.app.inject({
      url: '/api/v1/entry/form?place=MAAGA&period=2024&framework=population',
      headers: city,
    });
    expect(r.statusCode, r.body).toBe(200);
    const form = r.json();
    expect(form.frameworks.map((f: { code: string }) => f.code)).toEqual(
      expect.arrayContaining(['sdg', 'urban-safety', 'adequate-housing', 'population']),
    );
    expect(form.indicators.map((i: { code: string }) => i.code)).toEqual(['POP']);
    const pop = form.indicators[0];
    expect(pop.dimensions.map((d: { code: string }) => d.code)).toEqual(['SEX', 'AGE']);
    expect(pop.dimensions[0].values.map((v: { code: string }) => v.code)).toEqual(['F', 'M']);
    expect(pop.validationRules.requiredDimensions).toEqual(['SEX']);
    const safety = (
      await t.app.inject({ url: '/api/v1/entry/form?place=MAAGA&period=2024&framework=urban-safety', headers: city })
    ).json();
    expect(safety.indicators.length).toBeGreaterThan(20);
    expect(safety.indicators.every((i: { group: string | null }) => i.group)).toBe(true);
    // SDG indicators in the order of goals, targets (numbers before letters) and indicators.
    const sdg = (
      await t.app.inject({ url: '/api/v1/entry/form?place=MAAGA&period=2024&framework=sdg', headers: city })
    ).json();
    const order = sdg.indicators.map((i: { code: string }) => i.code);
    expect(order.indexOf('1.1.1')).toBeLessThan(order.indexOf('1.a.1'));
    expect(order.indexOf('1.5.4')).toBeLessThan(order.indexOf('2.1.1'));
    expect(order.indexOf('9.c.1')).toBeLessThan(order.indexOf('10.1.1'));
    expect(order.indexOf('11.2.1')).toBeLessThan(order.indexOf('11.a.1'));
  });

  it('saves nothing when a rule fails, and names every problem by entry and field', async () => {
    const aboveMax = await enter(city, {
      place: 'MAAGA',
      period: '2023',
      entries: [{ indicator: 'POP', value: 60000000 }],
    });
    expect(aboveMax.statusCode).toBe(400);
    expect(codes(aboveMax)).toEqual(['0.value:above-max', '0.dims:missing-part']);
    expect(aboveMax.json().message).toMatch(/Nothing was saved.*entries\.0\.value/);
    const sum = await enter(city, {
      place: 'MAAGA',
      period: '2023',
      entries: [
        { indicator: 'POP', value: 1000 },
        { indicator: 'POP', dims: { SEX: 'F' }, value: 400 },
        { indicator: 'POP', dims: { SEX: 'M' }, value: 500 },
      ],
    });
    expect(sum.statusCode).toBe(400);
    expect(codes(sum)).toEqual(['0.value:parts-sum']);
    const unknown = await enter(city, {
      place: 'MAAGA',
      period: '2023',
      entries: [
        { indicator: 'POP', dims: { SEX: 'X' }, value: 1 },
        { indicator: 'POP', dims: { HERITAGE_TYPE: 'CUL' }, value: 1 },
        { indicator: 'NOPE', value: 1 },
        { indicator: 'POP', series: 'NOPE', value: 1 },
      ],
    });
    expect(codes(unknown)).toEqual([
      '0.dims:unknown-dimension-value',
      '1.dims:dimension-not-of-indicator',
      '2.indicator:unknown-indicator',
      '3.series:unknown-series',
    ]);
    expect(await popAt('2023')).toEqual([]);
  });

  it('saves valid values as provisional, once; a large change from the previous period needs a note', async () => {
    const ok = await enter(city, {
      place: 'MAAGA',
      period: '2023',
      entries: [
        { indicator: 'POP', value: 1000, source: 'Agadir civil register' },
        { indicator: 'POP', dims: { SEX: 'F' }, value: 505 },
        { indicator: 'POP', dims: { SEX: 'M' }, value: 500 },
      ],
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ saved: 3, unchanged: 0, period: '2023', place: 'MAAGA' });
    expect(await popAt('2023')).toEqual([
      'SEX=F=505 provisional v1',
      'SEX=M=500 provisional v1',
      'total=1000 provisional v1',
    ]);
    const again = await enter(city, {
      place: 'MAAGA',
      period: '2023',
      entries: [
        { indicator: 'POP', value: 1000, source: 'Agadir civil register' },
        { indicator: 'POP', dims: { SEX: 'F' }, value: 505 },
        { indicator: 'POP', dims: { SEX: 'M' }, value: 500 },
      ],
    });
    expect(again.json()).toMatchObject({ saved: 0, unchanged: 3 });

    const jump = [
      { indicator: 'POP', value: 2000 },
      { indicator: 'POP', dims: { SEX: 'F' }, value: 1000 },
      { indicator: 'POP', dims: { SEX: 'M' }, value: 1000 },
    ];
    const noNote = await enter(city, { place: 'MAAGA', period: '2024', entries: jump });
    expect(noNote.statusCode).toBe(400);
    expect(codes(noNote)).toEqual([
      '0.note:change-needs-comment',
      '1.note:change-needs-comment',
      '2.note:change-needs-comment',
    ]);
    expect(noNote.json().details.errors[0].params).toMatchObject({ change: 100, limit: 20, previous: 1000 });
    const dry = await enter(city, {
      place: 'MAAGA',
      period: '2024',
      dryRun: true,
      entries: jump.map((e) => ({ ...e, note: 'New census boundaries' })),
    });
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({ saved: 3, dryRun: true });
    expect(await popAt('2024')).toEqual([]);
    const withNote = await enter(city, {
      place: 'MAAGA',
      period: '2024',
      entries: jump.map((e) => ({ ...e, note: 'New census boundaries' })),
    });
    expect(withNote.statusCode, withNote.body).toBe(201);
    const audit = (await t.app.inject({ url: '/api/v1/audit?action=entry&limit=10', headers: AUTH })).json().items;
    expect(audit.map((a: { entity_id: string; actor_label: string }) => `${a.entity_id} ${a.actor_label}`)).toEqual([
      'MAAGA 2024 user:agadir@example.org',
      'MAAGA 2023 user:agadir@example.org',
    ]);
  });

  it("refuses values of another city, and shows the form's current and previous values", async () => {
    const r = await enter(other, { place: 'MAAGA', period: '2023', entries: [{ indicator: 'POP', value: 1 }] });
    expect(r.statusCode).toBe(403);
    const form = (
      await t.app.inject({ url: '/api/v1/entry/form?place=MAAGA&period=2024&framework=population', headers: national })
    ).json();
    const pop = form.indicators[0];
    expect(
      pop.current
        .map((v: { dims: object; value: number; status: string }) => `${JSON.stringify(v.dims)} ${v.value} ${v.status}`)
        .sort(),
    ).toEqual(['{"SEX":"F"} 1000 provisional', '{"SEX":"M"} 1000 provisional', '{} 2000 provisional']);
    expect(pop.previous.map((v: { period: string; value: number }) => `${v.period} ${v.value}`).sort()).toEqual([
      '2023 1000',
      '2023 500',
      '2023 505',
    ]);
  });

  it('sends a changed validated value back to provisional with its history, and refuses to change an approved one', async () => {
    const ref = { indicator: 'POP', place: 'MAAGA', period: '2023' };
    const v = await t.app.inject({
      method: 'POST',
      url: '/api/v1/observations/status',
      headers: validator,
      payload: { observations: [ref], to: 'validated' },
    });
    expect(v.statusCode, v.body).toBe(200);
    const changed = await enter(city, {
      place: 'MAAGA',
      period: '2023',
      entries: [
        { indicator: 'POP', value: 1005, source: 'Agadir civil register' },
        { indicator: 'POP', dims: { SEX: 'F' }, value: 505 },
        { indicator: 'POP', dims: { SEX: 'M' }, value: 500 },
      ],
    });
    expect(changed.statusCode, changed.body).toBe(201);
    expect(changed.json()).toMatchObject({ saved: 1, unchanged: 2 });
    expect(await popAt('2023')).toContain('total=1005 provisional v3');
    const hist = await t.db.store.db
      .selectFrom('observation_history')
      .select(['version', 'value', 'status'])
      .where('period', '=', '2023')
      .where('disagg_id', '=', 0)
      .orderBy('version')
      .execute();
    expect(hist.map((h) => `v${h.version} ${h.value} ${h.status}`)).toEqual([
      'v1 1000 provisional',
      'v2 1000 validated',
    ]);

    await t.app.inject({
      method: 'POST',
      url: '/api/v1/observations/status',
      headers: validator,
      payload: { observations: [ref], to: 'validated' },
    });
    const a = await t.app.inject({
      method: 'POST',
      url: '/api/v1/observations/status',
      headers: national,
      payload: { observations: [ref], to: 'approved' },
    });
    expect(a.statusCode, a.body).toBe(200);
    const refused = await enter(city, {
      place: 'MAAGA',
      period: '2023',
      entries: [
        { indicator: 'POP', value: 1010, source: 'Agadir civil register' },
        { indicator: 'POP', dims: { SEX: 'F' }, value: 510 },
        { indicator: 'POP', dims: { SEX: 'M' }, value: 500 },
      ],
    });
    expect(refused.statusCode).toBe(400);
    expect(codes(refused)).toEqual(['0.value:approved-value']);
  });

  it('keeps a draft as typed for its author only, and discards it when the values are saved', async () => {
    const draft = {
      place: 'MAAGA',
      period: '2025',
      framework: 'population',
      entries: [
        { indicator: 'POP', value: '12 3' },
        { indicator: 'POP', dims: { SEX: 'F' }, value: '' },
      ],
    };
    expect((await t.app.inject({ method: 'PUT', url: '/api/v1/entry/draft', payload: draft })).statusCode).toBe(401);
    expect(
      (await t.app.inject({ method: 'PUT', url: '/api/v1/entry/draft', headers: other, payload: draft })).statusCode,
    ).toBe(403);
    const saved = await t.app.inject({ method: 'PUT', url: '/api/v1/entry/draft', headers: city, payload: draft });
    expect(saved.statusCode, saved.body).toBe(200);
    const form = (
      await t.app.inject({ url: '/api/v1/entry/form?place=MAAGA&period=2025&framework=population', headers: city })
    ).json();
    expect(form.draft.entries).toEqual(draft.entries);
    const theirs = (
      await t.app.inject({ url: '/api/v1/entry/form?place=MAAGA&period=2025&framework=population', headers: national })
    ).json();
    expect(theirs.draft).toBeNull();
    const ok = await enter(city, {
      place: 'MAAGA',
      period: '2025',
      entries: [
        { indicator: 'POP', value: 2100 },
        { indicator: 'POP', dims: { SEX: 'F' }, value: 1050 },
        { indicator: 'POP', dims: { SEX: 'M' }, value: 1050 },
      ],
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const after = (
      await t.app.inject({ url: '/api/v1/entry/form?place=MAAGA&period=2025&framework=population', headers: city })
    ).json();
    expect(after.draft).toBeNull();
  });
});
