import { testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, createTestApp, importText, signedIn, type TestApp } from './helpers.ts';

/**
 * Results frameworks through the API (issue 7): the roll-up against a tree computed by hand,
 * actual values from approved observations only (a provisional value is not used, a suppressed
 * one is not public), typed actual values refused for catalogue indicators, permissions of
 * national focal points, the audit log, 400 answers naming the field, and budgets in their
 * currencies. The hand computation is written next to each expectation.
 */

const json = (headers: Record<string, string>) => ({ ...headers, 'content-type': 'application/json' });

describe.each(testStoreKinds())('results frameworks on %s', (kind) => {
  let t: TestApp;
  let nfp: Record<string, string>;
  let city: Record<string, string>;
  const ids: Record<string, number> = {};

  const post = async (url: string, payload: unknown, headers: Record<string, string> = AUTH, status = 201) => {
    const r = await t.app.inject({ method: 'POST', url, headers: json(headers), payload: JSON.stringify(payload) });
    expect(r.statusCode, `${url}: ${r.body}`).toBe(status);
    return r.json();
  };
  const get = async (url: string) => {
    const r = await t.app.inject({ url });
    expect(r.statusCode, `${url}: ${r.body}`).toBe(200);
    return r.json();
  };

  beforeAll(async () => {
    t = await createTestApp(kind);
    // Approved values; a provisional one that must not be used.
    const approved = `${[
      'indicator,series,place,period,value',
      '16.1.1,VC_IHR_PSRC,MAAGA,2015,8',
      '16.1.1,VC_IHR_PSRC,MAAGA,2020,7.5',
      '16.1.1,VC_IHR_PSRC,MAAGA,2024,7',
      '16.1.1,VC_IHR_PSRCN,MAAGA,2015,34',
      '16.1.1,VC_IHR_PSRCN,MAAGA,2020,31',
      '16.1.1,VC_IHR_PSRCN,MAAGA,2024,3',
      '11.1.1,,MAAGA,2020,30',
      '11.1.1,,JOAMM,2020,20',
      '11.1.1,,MAAGA,2023,24',
      '11.1.1,,JOAMM,2023,16',
      '11.1.1,,MAAGA,2024,22',
    ].join('\n')}\n`;
    const a = await importText(t.app, approved, { format: 'csv', status: 'approved', source: 'Test police records' });
    expect(a.statusCode, a.body).toBe(201);
    const p = await importText(t.app, 'indicator,series,place,period,value\n16.1.1,VC_IHR_PSRC,MAAGA,2025,5\n', {
      format: 'csv',
      status: 'provisional',
    });
    expect(p.statusCode, p.body).toBe(201);
    nfp = await signedIn(t, 'nfp@results.example', [{ role: 'national-focal-point', place: 'MAR' }]);
    city = await signedIn(t, 'city@results.example', [{ role: 'city-focal-point', place: 'MAAGA' }]);

    await post('/api/v1/programmes', {
      code: 'TEST',
      names: { ar: 'برنامج تجريبي', en: 'Test programme' },
      startYear: 2020,
      endYear: 2030,
      pillars: [{ code: 'P1', names: { en: 'Pillar one' } }],
      places: [{ place: 'MAR', role: 'participating' }],
    });
    ids.I = (
      await post('/api/v1/results', {
        programme: 'TEST',
        level: 'impact',
        code: 'I',
        titles: { ar: 'الأثر', en: 'Impact' },
      })
    ).id;
    ids.O1 = (
      await post('/api/v1/results', {
        programme: 'TEST',
        parent: ids.I,
        level: 'outcome',
        code: 'O1',
        titles: { en: 'Outcome 1' },
        weight: 2,
        places: ['MAAGA'],
        pillars: ['P1'],
      })
    ).id;
    ids.O2 = (
      await post('/api/v1/results', {
        programme: 'TEST',
        parent: ids.I,
        level: 'outcome',
        code: 'O2',
        titles: { en: 'Outcome 2' },
        weight: 1,
        places: ['JOAMM'],
      })
    ).id;
    ids.A = (
      await post('/api/v1/results', {
        programme: 'TEST',
        parent: ids.O2,
        level: 'activity',
        code: 'A',
        titles: { en: 'Activity' },
      })
    ).id;
    ids.M1 = (
      await post(`/api/v1/results/${ids.O1}/measures`, {
        kind: 'indicator',
        indicator: '16.1.1',
        places: ['MAAGA'],
        baseline: { year: 2015 },
        targets: [{ year: 2030, value: 4 }],
      })
    ).id;
    ids.M2 = (
      await post(`/api/v1/results/${ids.O1}/measures`, {
        kind: 'specific',
        names: { en: 'Workshops held' },
        ascending: true,
        baseline: { year: 2020, value: 0 },
        targets: [{ year: 2025, value: 10 }],
        actuals: [{ year: 2023, value: 6, source: 'Programme records' }],
      })
    ).id;
    ids.M3 = (
      await post(`/api/v1/results/${ids.O2}/measures`, {
        kind: 'indicator',
        indicator: '11.1.1',
        places: ['MAAGA', 'JOAMM'],
        aggregation: 'mean',
        baseline: { year: 2020 },
        targets: [{ year: 2030, value: 15 }],
      })
    ).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  // biome-ignore lint/suspicious/noExplicitAny: a test's lookup in a JSON tree
  const find = (rs: { code: string; children: unknown[] }[], code: string): any => {
    for (const r of rs) {
      if (r.code === code) return r;
      const c = find(r.children as typeof rs, code);
      if (c) return c;
    }
    return null;
  };

  it('rolls progress up the tree as computed by hand', async () => {
    const p = await get('/api/v1/programmes/TEST?lang=ar');
    expect(p).toMatchObject({
      code: 'TEST',
      name: 'برنامج تجريبي',
      demonstration: false,
      startYear: 2020,
      endYear: 2030,
    });
    // M1: 16.1.1 at Agadir, baseline 2015 = 8 (from the observations), target 2030 = 4, latest approved 2024 = 7 (the
    // provisional 2025 = 5 is not used): (7 − 8) / (4 − 8) = 0.25; expected in 2024: 8 − 4 × 9/15 = 5.6 → off track.
    const o1 = find(p.results, 'O1');
    const m1 = o1.measures.find((m: { id: number }) => m.id === ids.M1);
    expect(m1.baseline).toEqual({ year: 2015, value: 8, from: 'observations' });
    expect(m1.actual).toMatchObject({ year: 2024, value: 7, from: 'observations', status: 'approved' });
    expect(m1.actual.sources).toEqual([{ name: 'Test police records', names: {}, licence: null, synthetic: false }]);
    expect(m1.actuals.map((a: { year: number }) => a.year)).toEqual([2015, 2020, 2024]);
    expect(m1.places).toEqual([
      expect.objectContaining({
        place: 'MAAGA',
        latest: expect.objectContaining({ year: 2024, value: 7, status: 'approved', suppressedBelow: null }),
      }),
    ]);
    expect(m1.progress).toBeCloseTo(0.25, 12);
    expect(m1.expected).toBeCloseTo(5.6, 12);
    expect(m1.status).toBe('off-track');
    expect(m1).toMatchObject({
      ascending: false,
      measure: 'unit',
      indicator: { code: '16.1.1' },
      series: { code: 'VC_IHR_PSRC' },
    });
    // M2: workshops, baseline 2020 = 0, target 2025 = 10, actual 2023 = 6: 0.6; expected 6 → on track.
    const m2 = o1.measures.find((m: { id: number }) => m.id === ids.M2);
    expect(m2).toMatchObject({
      kind: 'specific',
      progress: 0.6,
      expected: 6,
      status: 'on-track',
      actual: { year: 2023, value: 6, from: 'entered' },
    });
    // O1 = (0.25 + 0.6) / 2 = 0.425, coverage 1.
    expect(o1.progress).toBeCloseTo(0.425, 12);
    expect(o1.coverage).toBe(1);
    expect(o1.places).toEqual([expect.objectContaining({ place: 'MAAGA' })]);
    expect(o1.pillars).toEqual(['P1']);
    // M3: 11.1.1, mean of Agadir and Amman. 2020: (30 + 20) / 2 = 25 (baseline); 2023: (24 + 16) / 2 = 20; 2024 has
    // Agadir
    // only, so no value. (20 − 25) / (15 − 25) = 0.5; expected in 2023: 25 − 10 × 3/10 = 22 → 20 is better: on track.
    const o2 = find(p.results, 'O2');
    const m3 = o2.measures[0];
    expect(m3.baseline).toEqual({ year: 2020, value: 25, from: 'observations' });
    expect(m3.actuals.map((a: { year: number; value: number }) => [a.year, a.value])).toEqual([
      [2020, 25],
      [2023, 20],
    ]);
    expect(m3).toMatchObject({ progress: 0.5, expected: 22, status: 'on-track' });
    // O2: its measure 0.5 (weight 1) and activity A without data (weight 1): 0.5, coverage 1/2.
    expect(o2.progress).toBe(0.5);
    expect(o2.coverage).toBe(0.5);
    expect(find(p.results, 'A')).toMatchObject({ progress: null, coverage: 0 });
    // I = (2 × 0.425 + 1 × 0.5) / 3 = 0.45; the programme is its one top result.
    expect(find(p.results, 'I').progress).toBeCloseTo(0.45, 12);
    expect(p.progress).toBeCloseTo(0.45, 12);
    const list = await get('/api/v1/programmes');
    expect(list.items).toEqual([
      expect.objectContaining({ code: 'TEST', results: 4, measures: 3, demonstration: false }),
    ]);
    expect(list.items[0].progress).toBeCloseTo(0.45, 12);
  });

  it('leaves a value withheld from the public out of every figure, for every reader', async () => {
    // 16.1.1 at Agadir rests on 3 victims in 2024: with a minimum of 10 the 2024 rate is withheld; the actual falls
    // back
    // to 2020 = 7.5: (7.5 − 8) / (4 − 8) = 0.125.
    const rule = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/indicators/16.1.1/rules',
      headers: json(AUTH),
      payload: JSON.stringify({ validationRules: {}, suppression: { minCount: 10, countSeries: 'VC_IHR_PSRCN' } }),
    });
    expect(rule.statusCode, rule.body).toBe(200);
    try {
      for (const headers of [{}, AUTH]) {
        const r = await t.app.inject({ url: '/api/v1/programmes/TEST', headers });
        const m1 = find(r.json().results, 'O1').measures.find((m: { id: number }) => m.id === ids.M1);
        expect(m1.places[0].latest).toMatchObject({ year: 2024, value: null, suppressedBelow: 10 });
        expect(m1.actual).toMatchObject({ year: 2020, value: 7.5 });
        expect(m1.progress).toBeCloseTo(0.125, 12);
        expect(r.body).not.toContain('"value":7,');
      }
      const csv = (await t.app.inject({ url: '/api/v1/programmes/TEST/export?format=csv' })).body;
      expect(csv).not.toMatch(/,2024,7,/);
    } finally {
      const back = await t.app.inject({
        method: 'PUT',
        url: '/api/v1/indicators/16.1.1/rules',
        headers: json(AUTH),
        payload: JSON.stringify({ validationRules: {}, suppression: null }),
      });
      expect(back.statusCode).toBe(200);
    }
  });

  it('refuses typed actual values for a catalogue indicator and for a computed figure', async () => {
    const r = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/result-measures/${ids.M1}/actuals`,
      headers: json(AUTH),
      payload: JSON.stringify({ year: 2024, value: 1 }),
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toMatch(/^kind: .*approved observations/);
    const ok = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/result-measures/${ids.M2}/actuals`,
      headers: json(AUTH),
      payload: JSON.stringify({ year: 2024, value: 8 }),
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const again = await get('/api/v1/programmes/TEST');
    expect(find(again.results, 'O1').measures.find((m: { id: number }) => m.id === ids.M2).actual).toMatchObject({
      year: 2024,
      value: 8,
    });
  });

  it('answers 400 naming the field', async () => {
    const cases: [string, unknown, RegExp][] = [
      ['/api/v1/results', { programme: 'TEST', level: 'programme', titles: { en: 'x' } }, /level/],
      [
        '/api/v1/results',
        { programme: 'NONE', level: 'impact', titles: { en: 'x' } },
        /^programme: no programme "NONE"/,
      ],
      ['/api/v1/results', { programme: 'TEST', level: 'impact', titles: {} }, /titles/],
      [
        '/api/v1/results',
        { programme: 'TEST', parent: ids.A, level: 'output', titles: { en: 'x' } },
        /^level: an output cannot be under an activity/,
      ],
      [
        '/api/v1/results',
        { programme: 'TEST', level: 'impact', titles: { en: 'x' }, places: ['NOWHERE'] },
        /^places: no place "NOWHERE"/,
      ],
      [
        '/api/v1/results',
        { programme: 'TEST', level: 'impact', titles: { en: 'x' }, pillars: ['P9'] },
        /^pillars: the programme has no pillar "P9"/,
      ],
      [
        `/api/v1/results/${ids.O1}/measures`,
        { kind: 'indicator', indicator: 'NOPE', places: ['MAAGA'] },
        /^indicator: no indicator "NOPE"/,
      ],
      [`/api/v1/results/${ids.O1}/measures`, { kind: 'indicator', indicator: '16.1.1', places: [] }, /places/],
      [`/api/v1/results/${ids.O1}/measures`, { kind: 'specific', names: { en: 'x' } }, /ascending/],
      [
        `/api/v1/results/${ids.O1}/measures`,
        { kind: 'specific', names: { en: 'x' }, ascending: true, baseline: { year: 2020 } },
        /^baseline.value/,
      ],
      [`/api/v1/results/${ids.O1}/measures`, { kind: 'computed', formula: 'happiness' }, /formula/],
      [
        '/api/v1/programmes/TEST/budget-lines',
        { labels: { en: 'x' }, currency: 'XYZ', year: 2024, amount: 1 },
        /currency/,
      ],
      [
        '/api/v1/programmes/TEST/budget-lines',
        { labels: { en: 'x' }, currency: 'USD', year: 2024, amount: -1 },
        /amount/,
      ],
      ['/api/v1/programmes', { code: 'BAD', names: { en: 'x' }, startYear: 2030, endYear: 2020 }, /endYear/],
    ];
    for (const [url, payload, message] of cases) {
      const r = await t.app.inject({ method: 'POST', url, headers: json(AUTH), payload: JSON.stringify(payload) });
      expect(r.statusCode, `${url} ${JSON.stringify(payload)}: ${r.body}`).toBe(400);
      expect(r.json().message, JSON.stringify(payload)).toMatch(message);
    }
    const m = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/result-measures/${ids.M1}`,
      headers: json(AUTH),
      payload: JSON.stringify({ names: { en: 'x' } }),
    });
    expect(m.statusCode).toBe(400);
    expect(m.json().message).toMatch(/^names: not for a measure of kind indicator/);
  });

  it('lets a national focal point write the results of their places only, and audits every write', async () => {
    // The public: 401; a city focal point: 403; the national focal point of Morocco: Agadir yes, Amman no, no place no.
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/results',
          headers: { 'content-type': 'application/json' },
          payload: '{}',
        })
      ).statusCode,
    ).toBe(401);
    await post(
      '/api/v1/results',
      { programme: 'TEST', level: 'output', parent: ids.O1, titles: { en: 'x' }, places: ['MAAGA'] },
      city,
      403,
    );
    const own = await post(
      '/api/v1/results',
      {
        programme: 'TEST',
        level: 'output',
        parent: ids.O1,
        code: 'OUT-AGA',
        titles: { en: 'Agadir output' },
        places: ['MAAGA'],
      },
      nfp,
      201,
    );
    const refused = await post(
      '/api/v1/results',
      { programme: 'TEST', level: 'output', parent: ids.O2, titles: { en: 'x' }, places: ['JOAMM'] },
      nfp,
      403,
    );
    expect(refused.message).toMatch(/^places: /);
    await post('/api/v1/results', { programme: 'TEST', level: 'output', titles: { en: 'x' } }, nfp, 403);
    // Measures and targets of their result; not of Amman's; not programmes, budgets or margins.
    const m = await post(
      `/api/v1/results/${own.id}/measures`,
      { kind: 'indicator', indicator: '16.1.1', places: ['MAAGA'], baseline: { year: 2015 } },
      nfp,
      201,
    );
    await post(
      `/api/v1/results/${own.id}/measures`,
      { kind: 'indicator', indicator: '16.1.1', places: ['JOAMM'] },
      nfp,
      403,
    );
    const target = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/result-measures/${m.id}/targets`,
      headers: json(nfp),
      payload: JSON.stringify({ year: 2030, value: 4 }),
    });
    expect(target.statusCode, target.body).toBe(200);
    const other = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/result-measures/${ids.M3}/targets`,
      headers: json(nfp),
      payload: JSON.stringify({ year: 2030, value: 1 }),
    });
    expect(other.statusCode).toBe(403);
    await post('/api/v1/programmes', { code: 'NFP', names: { en: 'x' }, startYear: 2020, endYear: 2030 }, nfp, 403);
    await post(
      '/api/v1/programmes/TEST/budget-lines',
      { labels: { en: 'x' }, currency: 'USD', year: 2024, amount: 1 },
      nfp,
      403,
    );
    const margins = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/settings/results-2030',
      headers: json(nfp),
      payload: JSON.stringify({ defaultMargin: 0.1 }),
    });
    expect(margins.statusCode).toBe(403);
    // The impact has no responsible place: administrators only; their own output they change and delete, not move to
    // Amman.
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/results/${ids.I}`, headers: nfp })).statusCode).toBe(
      403,
    );
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/results/${own.id}`,
      headers: json(nfp),
      payload: JSON.stringify({ status: 'under-way', weight: 3 }),
    });
    expect(patch.statusCode, patch.body).toBe(200);
    const moved = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/results/${own.id}`,
      headers: json(nfp),
      payload: JSON.stringify({ places: ['JOAMM'] }),
    });
    expect(moved.statusCode).toBe(403);
    const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/results/${own.id}`, headers: nfp });
    expect(del.statusCode, del.body).toBe(200);

    const audit = (await t.app.inject({ url: '/api/v1/audit?limit=1000', headers: AUTH })).json().items as {
      actor_label?: string;
      actorLabel?: string;
      action: string;
      entityType?: string;
      entity_type?: string;
      entityId?: string;
      entity_id?: string;
    }[];
    const mine = audit.filter((e) => (e.actorLabel ?? e.actor_label) === 'user:nfp@results.example');
    const kinds = mine.map((e) => `${e.action} ${e.entityType ?? e.entity_type}`).sort();
    expect(kinds).toEqual(
      ['create result', 'create result-measure', 'create result-target', 'delete result', 'update result'].sort(),
    );
    const admin = audit
      .filter((e) => (e.actorLabel ?? e.actor_label) === 'api:admin-token')
      .map((e) => `${e.action} ${e.entityType ?? e.entity_type}`);
    expect(admin).toEqual(
      expect.arrayContaining(['create programme', 'create result', 'create result-measure', 'create result-actual']),
    );
  });

  it('names responsible partners from the network or by name; an organisation removed from the network leaves the result', async () => {
    const org = await t.db.store.exclusive((conn) =>
      conn.query<{ id: number }>(
        'INSERT INTO partner_organisations (names, type) VALUES (\'{"ar": "شبكة المدن", "en": "Cities network"}\', \'local-government-network\') RETURNING id',
      ),
    );
    const id = org.rows[0]!.id;
    const bad = await post(
      '/api/v1/results',
      {
        programme: 'TEST',
        level: 'output',
        parent: ids.O1,
        titles: { en: 'x' },
        partners: [{ names: { en: 'A' } }, { organisationId: id + 1000 }],
      },
      AUTH,
      400,
    );
    expect(bad.message).toMatch(/^partners\.1\.organisationId: no partner organisation/);
    const r = await post('/api/v1/results', {
      programme: 'TEST',
      level: 'output',
      parent: ids.O1,
      code: 'PART',
      titles: { en: 'Partnered' },
      partners: [{ organisationId: id }, { names: { ar: 'بلدية', en: 'Municipality' } }],
    });
    const view = async () => find((await get('/api/v1/programmes/TEST?lang=ar')).results, 'PART');
    expect((await view()).partners).toEqual([
      { organisationId: id, name: 'شبكة المدن', names: { ar: 'شبكة المدن', en: 'Cities network' } },
      { organisationId: null, name: 'بلدية', names: { ar: 'بلدية', en: 'Municipality' } },
    ]);
    await t.db.store.exclusive((conn) => conn.query('DELETE FROM partner_organisations WHERE id = $1', [id]));
    expect((await view()).partners.map((x: { organisationId: number | null }) => x.organisationId)).toEqual([null]);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/results/${r.id}`, headers: AUTH })).statusCode).toBe(
      200,
    );
  });

  it('totals budgets per currency and converts only with entered rates', async () => {
    const usd = await post('/api/v1/programmes/TEST/budget-lines', {
      labels: { en: 'Staff' },
      currency: 'USD',
      year: 2024,
      amount: 1000,
    });
    await post('/api/v1/programmes/TEST/budget-lines', {
      labels: { en: 'Workshops' },
      currency: 'EUR',
      year: 2024,
      amount: 500,
      result: ids.O1,
    });
    await post('/api/v1/programmes/TEST/budget-lines', {
      labels: { en: 'More workshops' },
      currency: 'EUR',
      year: 2025,
      amount: 250.5,
    });
    let b = await get('/api/v1/programmes/TEST/budget?currency=USD');
    expect(b.totals).toEqual([
      { currency: 'EUR', amount: 750.5, lines: 2 },
      { currency: 'USD', amount: 1000, lines: 1 },
    ]);
    expect(b.conversion).toMatchObject({ currency: 'USD', total: 1000, complete: false });
    expect(b.conversion.missingRates.map((m: { from: string; year: number }) => `${m.from} ${m.year}`)).toEqual([
      'EUR 2024',
      'EUR 2025',
    ]);
    const rate = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/settings/exchange-rates',
      headers: json(AUTH),
      payload: JSON.stringify({ from: 'EUR', to: 'USD', year: 2024, rate: 1.1, source: 'Test rate' }),
    });
    expect(rate.statusCode, rate.body).toBe(200);
    b = await get('/api/v1/programmes/TEST/budget?currency=USD');
    // 1000 + 500 × 1.1 = 1550; the 2025 line has no rate and stays out.
    expect(b.conversion).toMatchObject({
      total: 1550,
      complete: false,
      lines: [expect.objectContaining({ rate: 1.1, converted: 550 })],
    });
    expect((await get('/api/v1/settings/exchange-rates')).items).toEqual([
      { from: 'EUR', to: 'USD', year: 2024, rate: 1.1, source: 'Test rate' },
    ]);
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/programmes/TEST/budget-lines/${usd.id}`,
      headers: AUTH,
    });
    expect(del.statusCode).toBe(200);
    expect((await get('/api/v1/programmes/TEST/budget')).totals).toEqual([
      { currency: 'EUR', amount: 750.5, lines: 2 },
    ]);
  });
});
