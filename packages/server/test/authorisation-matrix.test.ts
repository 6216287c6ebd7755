import { testStoreKinds } from '@marsad/db/testing';
import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptLinkToken, createUser } from '../src/users/accounts.ts';
import { createTestApp, type TestApp } from './helpers.ts';

/**
 * The authorisation matrix, generated from the route table: every route the application
 * registers is collected as it is registered, so a new write route cannot be left open.
 * Each write route must be classified here; the test fails on a route that is not.
 * (Issue 4 extends the classes with place-scoped roles, own place / other place / granted record.)
 */
/** focal-point: administrators, and national or city focal points for their own places (the route checks the place). */
type Access = 'public' | 'signed-in' | 'administrator' | 'focal-point';

const WRITE_ROUTES: Record<string, Access> = {
  'POST /api/v1/auth/login': 'public',
  'POST /api/v1/auth/accept': 'public',
  'POST /api/v1/auth/logout': 'signed-in',
  'POST /api/v1/auth/password': 'signed-in',
  'POST /api/v1/tokens': 'signed-in',
  'DELETE /api/v1/tokens/:id': 'signed-in',
  'POST /api/v1/users': 'administrator',
  'PUT /api/v1/settings/mail': 'administrator',
  'DELETE /api/v1/settings/mail': 'administrator',
  'POST /api/v1/settings/mail/test': 'administrator',
  'POST /api/v1/users/:id/roles': 'administrator',
  'DELETE /api/v1/users/:id/roles': 'administrator',
  'POST /api/v1/users/:id/reset': 'administrator',
  'POST /api/v1/users/:id/disable': 'administrator',
  'POST /api/v1/users/:id/enable': 'administrator',
  'POST /api/v1/users/:id/grants': 'administrator',
  'DELETE /api/v1/users/:id/grants': 'administrator',
  'POST /api/v1/indicators': 'focal-point', // own places: catalogue-place-rules.test.ts
  'PATCH /api/v1/indicators/:code': 'focal-point',
  'PATCH /api/v1/indicators/:code/metadata': 'focal-point', // local indicators of their places, as above
  'PUT /api/v1/indicators/:code/rules': 'administrator',
  'POST /api/v1/places': 'signed-in', // then checked row by row: under places of the actor's roles
  'POST /api/v1/places/import': 'signed-in',
  'POST /api/v1/places/boundaries': 'signed-in',
  'PATCH /api/v1/places/:code': 'signed-in', // then checked against the places of the actor's roles
  'POST /api/v1/targets': 'focal-point',
  'POST /api/v1/imports': 'signed-in', // then checked row by row against the places of the actor's roles
  'POST /api/v1/imports/repository': 'signed-in', // then checked against the place given (and row by row)
  'POST /api/v1/entry': 'signed-in', // then checked against the place of the entries
  'POST /api/v1/offline/sync': 'signed-in', // then each change as its online route checks it (authorisation-places)
  'PUT /api/v1/entry/draft': 'signed-in',
  'DELETE /api/v1/entry/draft': 'signed-in',
  'POST /api/v1/observations/status': 'signed-in', // then checked item by item against the places of the actor's roles
  'POST /api/v1/questionnaires': 'administrator',
  'PUT /api/v1/questionnaires/:id': 'administrator',
  'POST /api/v1/questionnaires/check': 'administrator',
  'POST /api/v1/questionnaires/import': 'administrator',
  // SDMX structures and content constraints (server/sdmx/, docs/sdmx.md).
  'POST /api/v1/sdmx/structures': 'administrator',
  'POST /api/v1/sdmx/constraints': 'administrator',
  // Results frameworks: programmes, budgets, exchange rates and the margins of the 2030 figures by administrators;
  // results and their measures also by national focal points for their places (authorisation-places.test.ts,
  // results.test.ts).
  'POST /api/v1/programmes': 'administrator',
  'PATCH /api/v1/programmes/:code': 'administrator',
  'DELETE /api/v1/programmes/:code': 'administrator',
  'POST /api/v1/programmes/:code/budget-lines': 'administrator',
  'PATCH /api/v1/programmes/:code/budget-lines/:id': 'administrator',
  'DELETE /api/v1/programmes/:code/budget-lines/:id': 'administrator',
  'PUT /api/v1/settings/results-2030': 'administrator',
  'PUT /api/v1/settings/exchange-rates': 'administrator',
  'DELETE /api/v1/settings/exchange-rates/:from/:to/:year': 'administrator',
  // The choices of the composite safety index (issue 20): administrators only, for every place alike.
  'PUT /api/v1/safety/choices': 'administrator',
  // The Urban Safety Monitor framework (administrators); self-assessments, then checked against the place (safety-monitor.test.ts).
  'PUT /api/v1/safety-monitor/framework': 'administrator',
  'POST /api/v1/safety-assessments': 'signed-in',
  'PUT /api/v1/safety-assessments/:id': 'signed-in',
  'POST /api/v1/safety-assessments/:id/submit': 'signed-in',
  'POST /api/v1/results': 'focal-point',
  'PATCH /api/v1/results/:id': 'focal-point',
  'DELETE /api/v1/results/:id': 'focal-point',
  'POST /api/v1/results/:id/measures': 'focal-point',
  'PATCH /api/v1/result-measures/:id': 'focal-point',
  'DELETE /api/v1/result-measures/:id': 'focal-point',
  'PUT /api/v1/result-measures/:id/targets': 'focal-point',
  'DELETE /api/v1/result-measures/:id/targets/:year': 'focal-point',
  'PUT /api/v1/result-measures/:id/actuals': 'focal-point',
  'DELETE /api/v1/result-measures/:id/actuals/:year': 'focal-point',
  // Review cycles (issue 6): cycles, participants, assignments by administrators; answers and submission by the
  // focal points of the place (authorisation-places.test.ts); comments, recommendations and declarations by the
  // reviewers holding the grant on the submission (reviews.test.ts, authorisation-places.test.ts).
  'POST /api/v1/review-cycles': 'administrator',
  'PATCH /api/v1/review-cycles/:id': 'administrator',
  'DELETE /api/v1/review-cycles/:id': 'administrator',
  'POST /api/v1/review-cycles/:id/participants': 'administrator',
  'DELETE /api/v1/review-cycles/:id/participants/:place': 'administrator',
  'POST /api/v1/review-submissions/:id/assignments': 'administrator',
  'DELETE /api/v1/review-assignments/:id': 'administrator',
  'PUT /api/v1/review-submissions/:id/answers': 'signed-in', // then checked against the place of the submission
  // then checked: role on the submission × the state machine
  'POST /api/v1/review-submissions/:id/transitions': 'signed-in',
  // then checked against the grant (reviewers) or the place (replies)
  'POST /api/v1/review-submissions/:id/comments': 'signed-in',
  'POST /api/v1/review-submissions/:id/recommendations': 'signed-in', // then checked against the grant
  'POST /api/v1/review-assignments/:id/declaration': 'signed-in', // the assigned reviewer only
  // Knowledge repository and network (issue 5). Items: editors and focal points of the owner place, or a grant on the
  // item.
  // editors too; then checked against the owner place (knowledge-api.test.ts)
  'POST /api/v1/knowledge/items': 'focal-point',
  // then checked: owner place's editors and focal points, or an edit grant on the item
  'PATCH /api/v1/knowledge/items/:id': 'signed-in',
  'DELETE /api/v1/knowledge/items/:id': 'signed-in',
  'POST /api/v1/knowledge/items/:id/attachments': 'signed-in',
  'DELETE /api/v1/knowledge/attachments/:id': 'signed-in',
  'POST /api/v1/knowledge/tools/:id/pilots': 'focal-point',
  'PATCH /api/v1/knowledge/pilots/:id': 'focal-point',
  'DELETE /api/v1/knowledge/pilots/:id': 'focal-point',
  'POST /api/v1/network/partners': 'administrator',
  'PATCH /api/v1/network/partners/:id': 'administrator',
  'DELETE /api/v1/network/partners/:id': 'administrator',
  'POST /api/v1/network/centres': 'administrator',
  'PATCH /api/v1/network/centres/:id': 'administrator',
  'DELETE /api/v1/network/centres/:id': 'administrator',
  'POST /api/v1/workshops': 'focal-point', // editors too; then checked against the workshop's place
  'PATCH /api/v1/workshops/:id': 'signed-in', // then checked against the workshop's place
  'DELETE /api/v1/workshops/:id': 'signed-in',
  // Saved import mappings: then checked against the mapping's place (saved-mappings.test.ts)
  'POST /api/v1/mappings': 'signed-in',
  'PUT /api/v1/mappings/:id': 'signed-in',
  'DELETE /api/v1/mappings/:id': 'signed-in',
};

/** Reads that are not public: each must answer the public with 401. */
const RESTRICTED_READS: Record<string, Access> = {
  'GET /api/v1/auth/me': 'signed-in',
  'GET /api/v1/tokens': 'signed-in',
  'GET /api/v1/sdmx/check': 'signed-in', // then all statuses or approved ones, by the roles on the place
  // GET /api/v1/sdmx/export is public (approved values); status=all: by the roles on the place (authorisation-places).
  'GET /api/v1/users': 'administrator',
  'GET /api/v1/settings/mail': 'administrator',
  'GET /api/v1/users/:id': 'administrator',
  'GET /api/v1/users/tokens': 'administrator',
  'GET /api/v1/imports': 'administrator',
  'GET /api/v1/imports/:id': 'administrator',
  'GET /api/v1/imports/:id/errors.csv': 'administrator',
  'GET /api/v1/audit': 'administrator',
  'GET /api/v1/audit/export': 'administrator',
  'GET /api/v1/inbox': 'signed-in',
  'GET /api/v1/observations/history': 'signed-in', // then: those who may see the place's unpublished values
  'GET /api/v1/entry/form': 'signed-in',
  'GET /api/v1/questionnaires': 'signed-in',
  'GET /api/v1/questionnaires/:id': 'signed-in',
  'GET /api/v1/questionnaire-versions/:id': 'signed-in',
  'GET /api/v1/questionnaire-versions/:id/xlsform': 'signed-in',
  'GET /api/v1/review-cycles': 'signed-in',
  'GET /api/v1/review-cycles/:id': 'signed-in',
  'GET /api/v1/review-cycles/:id/board-report': 'administrator',
  'GET /api/v1/review-cycles/:id/board-report.csv': 'administrator',
  'GET /api/v1/review-submissions': 'signed-in',
  // then checked: focal points of the place, reviewers with the grant, administrators
  'GET /api/v1/review-submissions/:id': 'signed-in',
  'GET /api/v1/review-submissions/:id/timeline': 'signed-in',
  'GET /api/v1/review-submissions/:id/comments': 'signed-in',
  'GET /api/v1/review-submissions/:id/reviewer-candidates': 'administrator',
  'GET /api/v1/review-assignments': 'signed-in',
  'GET /api/v1/knowledge/editable': 'signed-in',
  'GET /api/v1/knowledge/items/:id/versions': 'signed-in', // then: those who may edit the item
  'GET /api/v1/knowledge/items/:id/versions/:version': 'signed-in',
  'GET /api/v1/knowledge/items/:id/compare': 'signed-in',
  'GET /api/v1/mappings': 'signed-in', // the mappings of the places of the actor's roles
  'GET /api/v1/mappings/:id': 'signed-in',
  // Self-assessments are private: then checked against the place (its focal points, administrators, its reviewers).
  'GET /api/v1/safety-assessments': 'signed-in',
  'GET /api/v1/safety-assessments/access': 'signed-in',
  'GET /api/v1/safety-assessments/:id': 'signed-in',
  'GET /api/v1/safety-assessments/:id/profile': 'signed-in',
};

const PASSWORD = 'matrix passphrase 1';

describe.each(testStoreKinds())('authorisation matrix on %s', (kind) => {
  let t: TestApp;
  const routes: { method: string; url: string; guarded: boolean }[] = [];

  beforeAll(async () => {
    t = await createTestApp(kind, {
      catalogue: false,
      build: {
        onRoute: (r: RouteOptions) => {
          for (const method of [r.method].flat()) routes.push({ method, url: r.url, guarded: !!r.onRequest });
        },
      },
    });
    for (const [email, roles] of [
      ['admin@matrix.example', [{ role: 'administrator' as const }]],
      ['nobody@matrix.example', []],
    ] as const) {
      const { token } = await createUser(t.db.store, { email, roles: [...roles] }, null);
      await acceptLinkToken(t.db.store, token, PASSWORD);
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  // The API and the SDMX web service (/sdmx/: reads only, public, each reader seeing what the API shows them).
  const api = () => routes.filter((r) => /^\/(api|sdmx)(\/|$)/.test(r.url) && r.method !== 'HEAD');
  const writes = () => api().filter((r) => r.method !== 'GET');
  const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`;
  const concrete = (url: string) =>
    url
      .replace(/:id\b/g, '1')
      .replace(/:(\w+)/g, 'X')
      .replace(/\*/g, 'x');

  const session = async (email: string) => {
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: PASSWORD } });
    expect(r.statusCode, r.body).toBe(200);
    const cookie = String(r.headers['set-cookie']).split(';')[0]!;
    return { cookie, 'x-csrf-token': r.json().csrfToken as string };
  };
  const send = (r: { method: string; url: string }, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: r.method as 'POST',
      url: concrete(r.url),
      headers: { 'content-type': 'application/json', ...headers },
      payload: '{}',
    });

  it('knows every write route (classify a new one in WRITE_ROUTES)', () => {
    expect(writes().length).toBeGreaterThan(15);
    const unknown = writes()
      .map(key)
      .filter((k) => !(k in WRITE_ROUTES));
    expect(unknown, 'write routes missing from the matrix').toEqual([]);
    const registered = new Set(api().map(key));
    const stale = [...Object.keys(WRITE_ROUTES), ...Object.keys(RESTRICTED_READS)].filter((k) => !registered.has(k));
    expect(stale, 'routes in the matrix that no longer exist').toEqual([]);
  });

  it('answers the public with 401 on every write route that is not public, before reading the body', async () => {
    const open: string[] = [];
    for (const r of writes()) {
      if (WRITE_ROUTES[key(r)] === 'public') continue;
      const res = await send(r);
      if (res.statusCode !== 401) open.push(`${key(r)} → ${res.statusCode}`);
      else expect(res.json().message, key(r)).toMatch(/sign in|not signed in/i);
    }
    expect(open).toEqual([]);
  });

  it('serves the SDMX web service to the public, and has no write route there', async () => {
    expect(writes().filter((r) => r.url.startsWith('/sdmx'))).toEqual([]);
    const r = await t.app.inject({ method: 'GET', url: '/sdmx/dataflow/MARSAD/DF_MARSAD/latest' });
    expect(r.statusCode, r.body).toBe(200);
  });

  it('answers the public with 401 on reads that are not public, and every guarded read is listed', async () => {
    const guardedReads = api()
      .filter((r) => r.method === 'GET' && r.guarded)
      .map(key);
    expect(guardedReads.filter((k) => !(k in RESTRICTED_READS))).toEqual([]);
    for (const k of Object.keys(RESTRICTED_READS)) {
      const [method, url] = k.split(' ') as [string, string];
      expect((await send({ method, url })).statusCode, k).toBe(401);
    }
  });

  it('refuses administrator routes to a signed-in user without the role (403), lets signed-in routes through', async () => {
    const wrong: string[] = [];
    for (const [k, access] of [...Object.entries(WRITE_ROUTES), ...Object.entries(RESTRICTED_READS)]) {
      if (access === 'public') continue;
      const [method, url] = k.split(' ') as [string, string];
      const status = (await send({ method, url }, await session('nobody@matrix.example'))).statusCode;
      if ((access === 'administrator' || access === 'focal-point') && status !== 403)
        wrong.push(`${k} → ${status}, expected 403`);
      if (access === 'signed-in' && (status === 401 || status === 403))
        wrong.push(`${k} → ${status}, expected to pass`);
    }
    expect(wrong).toEqual([]);
  });

  it('lets an administrator through every route (whatever the body makes of it)', async () => {
    const wrong: string[] = [];
    for (const k of [...Object.keys(WRITE_ROUTES), ...Object.keys(RESTRICTED_READS)]) {
      const [method, url] = k.split(' ') as [string, string];
      const status = (await send({ method, url }, await session('admin@matrix.example'))).statusCode;
      if (status === 401 || status === 403 || status >= 500) wrong.push(`${k} → ${status}`);
    }
    expect(wrong).toEqual([]);
  });
});
