import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareDatabase } from '../src/startup.ts';
import { PAGE_PATHS } from '../src/web/web-routes.ts';
import { AUTH, createTestApp, signedIn, type TestApp } from './helpers.ts';

/**
 * Every route of the web app's router loads directly (issue 19, item 2: `/entry` was reported to answer 404 when
 * loaded directly while it showed after navigating in the app): each path of src/app/router.tsx, its parameters filled
 * with real records of the demonstration data, answers 200 with the page in each language, and the address without a
 * language redirects to one; unknown addresses, and records that do not exist, answer 404. Needs the built web app.
 */
const ROOT = path.resolve(import.meta.dirname, '../../..');
const built = existsSync(path.join(ROOT, 'packages/web/dist/index.html'));

describe.skipIf(!built)('every route of the web app loaded directly (built)', () => {
  let t: TestApp;
  let samples: Record<string, string>;
  let admin: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp('pglite');
    const one = async <T>(q: string): Promise<T> => {
      const r = await t.db.store.exclusive((conn) => conn.query<{ v: T }>(q));
      const v = r.rows[0]?.v;
      if (v === undefined || v === null) throw new Error(`no demonstration record: ${q}`);
      return v;
    };
    // The demonstration data has no workshop: one is added (the phone walk does the same).
    const ws = await t.app.inject({
      method: 'POST',
      url: '/api/v1/workshops',
      headers: AUTH,
      payload: {
        kind: 'workshop',
        status: 'published',
        titles: { en: 'Workshop on monitoring safer cities' },
        place: 'MAAGA',
        startsOn: '2024-03-04',
        endsOn: '2024-03-06',
        participants: { total: 30 },
      },
    });
    expect(ws.statusCode, ws.body).toBe(201);
    // An administrator's session for the pages loaded signed in (it retires the first-start token, as the demonstration
    // data's administrator would).
    admin = await signedIn(t, 'admin@routes.example', [{ role: 'administrator' }]);
    await prepareDatabase(t.db.store, { demo: 'yes' });
    const item = await one<number>('SELECT min(id) AS v FROM knowledge_items');
    const cycle = await one<number>('SELECT min(id) AS v FROM review_cycles');
    const submission = await one<number>('SELECT min(id) AS v FROM review_submissions');
    const published = await one<number>("SELECT min(id) AS v FROM review_submissions WHERE state = 'published'");
    samples = {
      '/indicators/$code': '/indicators/11.1.1',
      '/places/$code': '/places/MAAGA',
      '/places/$code/report': '/places/MAR/report',
      '/programmes/$code': `/programmes/${await one<string>('SELECT min(code) AS v FROM programmes')}`,
      '/results/board-progress/$from/$to': '/results/board-progress/2024-01-01/2025-12-31',
      '/knowledge/$id': `/knowledge/${item}`,
      '/knowledge/$id/edit': `/knowledge/${item}/edit`,
      '/workshops/$id': `/workshops/${await one<number>('SELECT min(id) AS v FROM workshops')}`,
      '/reviews/cycles/$id': `/reviews/cycles/${cycle}`,
      '/reviews/cycles/$id/board-report': `/reviews/cycles/${cycle}/board-report`,
      '/reviews/submissions/$id': `/reviews/submissions/${submission}`,
      '/reviews/questionnaires/$id/edit': `/reviews/questionnaires/${await one<number>('SELECT min(id) AS v FROM questionnaires')}/edit`,
      '/reviews/published/$id': `/reviews/published/${published}`,
      '/admin/users/$id': `/admin/users/${await one<number>('SELECT min(id) AS v FROM users')}`,
      '/admin/indicators/$code': '/admin/indicators/16.1.1',
      '/safety/assessments/$id': `/safety/assessments/${await one<number>('SELECT min(id) AS v FROM safety_assessments')}`,
      '/safety/assessments/$id/profile': `/safety/assessments/${await one<number>('SELECT min(id) AS v FROM safety_assessments')}/profile`,
    };
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  const routerPaths = () =>
    [...readFileSync(path.join(ROOT, 'packages/web/src/app/router.tsx'), 'utf8').matchAll(/path: '([^']+)'/g)].map(
      (m) => m[1]!,
    );

  it('knows every route of the router as a page, and no page the router lacks', () => {
    const router = routerPaths().map((p) => p.replace(/\$(\w+)/g, ':$1'));
    expect(router).toContain('/entry');
    expect([...router].sort()).toEqual([...PAGE_PATHS].sort());
  });

  it('answers 200 with the page for every route, its parameters filled from the demonstration data', async () => {
    const wrong: string[] = [];
    for (const route of routerPaths()) {
      const url = route.includes('$') ? samples[route] : route;
      if (!url) {
        wrong.push(`${route}: no sample address (add one to the test)`);
        continue;
      }
      // As the public in Arabic (the page drawn on the server), signed in in English (drawn in the browser).
      for (const [lang, headers] of [
        ['ar', {}],
        ['en', admin],
      ] as const) {
        const address = `/${lang}${url === '/' ? '' : url}`;
        const r = await t.app.inject({ url: address, headers });
        if (r.statusCode !== 200 || !r.body.includes('<div id="root">'))
          wrong.push(`${address}${headers === admin ? ' (signed in)' : ''}: ${r.statusCode}`);
      }
      const bare = await t.app.inject({ url: `${url}${route === '/entry' ? '?place=MAAGA&period=2024' : ''}` });
      if (bare.statusCode !== 302 || !String(bare.headers.location).startsWith(`/ar${url === '/' ? '' : url}`))
        wrong.push(`${url}: ${bare.statusCode} to ${String(bare.headers.location)}`);
    }
    // The entry form's own address with its query, as the inbox links to it.
    const form = await t.app.inject({ url: '/en/entry?place=MAAGA&period=2024&framework=sdg' });
    if (form.statusCode !== 200) wrong.push(`/en/entry?…: ${form.statusCode}`);
    expect(wrong).toEqual([]);
  });

  it('answers 404 for unknown addresses and for records that do not exist', async () => {
    const missing = [
      '/en/nothing',
      '/en/entry/x',
      '/en/inbox/x',
      '/en/indicators/99.99.99',
      '/en/places/NOWHERE',
      '/en/places/MAAGA/report',
      '/en/programmes/NOPE',
      '/en/knowledge/999999',
      '/en/knowledge/new/edit',
      '/en/workshops/abc',
      '/en/reviews/cycles/abc',
      '/en/admin/users/abc',
      '/en/results/board-progress/2024/2025',
      '/xx/entry',
    ];
    const wrong: string[] = [];
    for (const url of missing) {
      const r = await t.app.inject({ url });
      if (r.statusCode !== 404) wrong.push(`${url}: ${r.statusCode}`);
    }
    expect(wrong).toEqual([]);
  });
});
