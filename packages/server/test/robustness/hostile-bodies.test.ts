import net from 'node:net';
import type { Store } from '@marsad/db';
import { testStoreKinds } from '@marsad/db/testing';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { loadDemoProgrammes } from '../../src/demo/load-demo-programmes.ts';
import { loadDemoReviews } from '../../src/demo/load-demo-reviews.ts';
import { AUTH, createTestApp, signedIn, type TestApp } from '../helpers.ts';
import {
  type HostileBody,
  hostileBody,
  hostileQuery,
  type JsonSchema,
  pathSegment,
  type QueryParameter,
  type Vocabulary,
} from './hostile-values.ts';

/**
 * Hostile requests to every write route of the OpenAPI document (issue 13): bodies generated
 * from the route's JSON schema (plausible, slightly wrong, wholly hostile: NUL characters,
 * unpaired surrogates, prototype names, huge numbers, 10,000 levels of nesting, 100 KB strings,
 * wrong types, missing and extra properties, other content types), hostile path parameters
 * (`%00`, `%ED%A0%80`, `..%2F`, very long) next to real ids and codes, and hostile query strings.
 * Every answer must be 2xx, 3xx or a 4xx with a JSON message: never 5xx.
 *
 * Requests are made as an administrator (an API token), so that they reach the handlers; the
 * records the paths name (a programme, a result, a review submission, …) exist. Write routes run
 * before DELETE routes, so that deletions come last. The raw upload routes are covered by their
 * own tests (their body is a file). fast-check runs from the fixed seed of
 * scripts/fast-check-seed.ts; MARSAD_HOSTILE_RUNS sets the cases per route (default 200), and
 * MARSAD_HOSTILE_STATS=1 prints the answers' statuses per route.
 */

const RUNS = Number(process.env.MARSAD_HOSTILE_RUNS ?? 200);
const STATS = process.env.MARSAD_HOSTILE_STATS === '1';

/** Raw bodies (a file): another test covers them. */
const UPLOAD_ROUTES = new Set([
  'POST /api/v1/imports',
  'POST /api/v1/places/import',
  'POST /api/v1/knowledge/items/{id}/attachments',
  'POST /api/v1/questionnaires/import',
]);

interface Operation {
  parameters?: { in: string; name: string; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}
interface Route {
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  body?: JsonSchema;
  pathParams: { name: string; schema?: JsonSchema; key: string }[];
  query: QueryParameter[];
}

/**
 * The write routes of the OpenAPI document, read once before the tests are declared from an
 * application built without a database (building one queries nothing).
 */
async function writeRoutes(): Promise<Route[]> {
  const app = await buildApp(
    { store: {} as Store, dataDir: '/nonexistent', adminToken: 'unused', version: 'test' },
    { logger: false },
  );
  await app.ready();
  const doc = app.swagger() as { paths: Record<string, Record<string, Operation>> };
  await app.close();
  const routes: Route[] = [];
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [m, op] of Object.entries(operations)) {
      const method = m.toUpperCase() as Route['method'];
      if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(method) || UPLOAD_ROUTES.has(`${method} ${path}`)) continue;
      const segments = path.split('/');
      routes.push({
        method,
        path,
        body: op.requestBody?.content?.['application/json']?.schema,
        // A parameter is known by the literal segment before it: `programmes:code`, `budget-lines:id`.
        pathParams: (op.parameters ?? [])
          .filter((p) => p.in === 'path')
          .map((p) => {
            const at = segments.indexOf(`{${p.name}}`);
            const literal = segments
              .slice(0, at)
              .reverse()
              .find((s) => !s.startsWith('{'));
            return { name: p.name, schema: p.schema, key: `${literal}:${p.name}` };
          }),
        query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema })),
      });
    }
  }
  // Deletions last, so that the records they may delete are there for the other routes.
  return routes.sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));
}

const ROUTES = await writeRoutes();

interface Case {
  url: string;
  body: HostileBody;
}

function describeCase(route: Route, c: Case): string {
  const payload = c.body.payload;
  const text =
    payload === undefined ? '(none)' : typeof payload === 'string' ? payload : `bytes ${payload.toString('hex')}`;
  const shown = text.length > 400 ? `${text.slice(0, 300)}… (${text.length} characters)` : text;
  return `${route.method} ${c.url.length > 300 ? `${c.url.slice(0, 300)}…` : c.url} content-type=${c.body.contentType ?? '(none)'} body=${shown}`;
}

/** An SMTP "server" that closes every connection at once: mail to it fails at once, whatever the settings say. */
async function refusingMailServer(): Promise<net.Server> {
  const server = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

describe.each(testStoreKinds())('hostile requests to every write route on %s', (kind) => {
  let t: TestApp;
  let mail: net.Server;
  const savedEnv: Record<string, string | undefined> = {};
  /** Headers per route: the administrator's API token, a session for the routes that need one, none for sign-in. */
  let admin: Record<string, string>;
  let victimSession: Record<string, string>;
  let leaverSession: Record<string, string>;
  /** Real values of path parameters, by `segment:name`, and values never to send (the administrator's own). */
  const real: Record<string, (string | number)[]> = {};
  const avoid: Record<string, (string | number)[]> = {};
  const vocab: Record<string, (string | number)[]> = {};
  const stats = new Map<string, Map<number, number>>();
  const started = Date.now();

  const must = async (
    method: 'POST' | 'PUT' | 'PATCH',
    url: string,
    payload: unknown,
    headers: Record<string, string>,
    status = 201,
  ) => {
    const r = await t.app.inject({ method, url, headers, payload: payload as object });
    expect(r.statusCode, `${method} ${url}: ${r.body}`).toBe(status);
    return r.json();
  };
  const ids = async (query: string): Promise<(string | number)[]> => {
    const rows = (await sql.raw<{ v: string | number }>(query).execute(t.db.store.db)).rows;
    return rows.map((r) => r.v);
  };

  beforeAll(async () => {
    // Mail of invitations, resets and tests goes to a server that refuses at once: no wait, no network.
    mail = await refusingMailServer();
    for (const name of ['MARSAD_SMTP_HOST', 'MARSAD_SMTP_PORT', 'MARSAD_SMTP_SECURITY'])
      savedEnv[name] = process.env[name];
    process.env.MARSAD_SMTP_HOST = '127.0.0.1';
    process.env.MARSAD_SMTP_PORT = String((mail.address() as net.AddressInfo).port);
    process.env.MARSAD_SMTP_SECURITY = 'none';

    // Failed sign-ins wait (1, 2, 4 s) on a clock that does not.
    t = await createTestApp(kind, { build: { loginClock: { now: () => Date.now(), sleep: async () => undefined } } });
    const store = t.db.store;

    // Users the routes may change (never the administrator whose token the requests carry).
    victimSession = await signedIn(t, 'victim@hostile.example', [{ role: 'reviewer', place: 'MAAGA' }]);
    leaverSession = await signedIn(t, 'leaver@hostile.example', []);
    await must('POST', '/api/v1/users', { email: 'invited@hostile.example', roles: [] }, AUTH);
    const adminCookie = await signedIn(t, 'admin@hostile.example', [{ role: 'administrator' }]);
    const scopes = ['observations:write', 'observations:read-unpublished', 'catalogue:write', 'places:write', 'admin'];
    const token = await must('POST', '/api/v1/tokens', { name: 'hostile bodies', scopes }, adminCookie);
    admin = { authorization: `Bearer ${token.token}` };
    await must('POST', '/api/v1/tokens', { name: 'to be revoked', scopes: ['admin'] }, adminCookie);

    // Records the paths name: demonstration programmes (results, measures, budget lines) and a review cycle
    // (questionnaire, submissions, assignments, comments), then one of each network and knowledge record.
    await loadDemoProgrammes(store);
    await loadDemoReviews(store);
    const partner = await must(
      'POST',
      '/api/v1/network/partners',
      { names: { en: 'Partner' }, type: 'academia' },
      admin,
    );
    await must(
      'POST',
      '/api/v1/network/centres',
      { names: { en: 'Centre' }, place: 'MAAGA', organisation: partner.id },
      admin,
    );
    const tool = await must(
      'POST',
      '/api/v1/knowledge/items',
      {
        type: 'tool',
        kind: 'guide',
        originalLanguage: 'ar',
        status: 'published',
        ownerPlace: 'MAR',
        texts: { ar: { title: 'أداة' } },
      },
      admin,
    );
    await must(
      'POST',
      `/api/v1/knowledge/tools/${tool.id}/pilots`,
      { place: 'MAAGA', startedOn: '2022-01-01', stage: 'completed' },
      admin,
    );
    const attachment = await t.app.inject({
      method: 'POST',
      url: `/api/v1/knowledge/items/${tool.id}/attachments?fileName=notes.txt`,
      headers: { ...admin, 'content-type': 'text/plain' },
      payload: 'A text file.',
    });
    expect(attachment.statusCode, attachment.body).toBe(201);
    await must(
      'POST',
      '/api/v1/workshops',
      {
        kind: 'workshop',
        titles: { en: 'Workshop' },
        place: 'MAAGA',
        startsOn: '2022-03-14',
        materials: [tool.id],
        participants: { total: 3 },
      },
      admin,
    );
    await must('PUT', '/api/v1/settings/exchange-rates', { from: 'EUR', to: 'USD', year: 2024, rate: 1.1 }, admin, 200);
    await must(
      'POST',
      '/api/v1/indicators',
      { code: 'HOSTILE.1', names: { en: 'A local indicator' }, ownerPlace: 'MAAGA' },
      admin,
    );

    const users = await ids("SELECT id AS v FROM users WHERE email <> 'admin@hostile.example' ORDER BY id");
    avoid['users:id'] = await ids("SELECT id AS v FROM users WHERE email = 'admin@hostile.example'");
    avoid['tokens:id'] = await ids("SELECT id AS v FROM api_tokens WHERE name = 'hostile bodies'");
    Object.assign(real, {
      'users:id': users,
      'tokens:id': await ids("SELECT id AS v FROM api_tokens WHERE name = 'to be revoked'"),
      'indicators:code': ['HOSTILE.1', '11.1.1', '16.1.1'],
      'places:code': ['MAAGA', 'MAR', 'JOAMM'],
      'items:id': await ids('SELECT id AS v FROM knowledge_items ORDER BY id LIMIT 3'),
      'attachments:id': await ids('SELECT id AS v FROM knowledge_attachments LIMIT 3'),
      'tools:id': [tool.id],
      'pilots:id': await ids('SELECT id AS v FROM tool_pilots LIMIT 3'),
      'partners:id': await ids('SELECT id AS v FROM partner_organisations LIMIT 3'),
      'centres:id': await ids('SELECT id AS v FROM coordination_centres LIMIT 3'),
      'workshops:id': await ids('SELECT id AS v FROM workshops LIMIT 3'),
      'programmes:code': await ids('SELECT code AS v FROM programmes ORDER BY id'),
      'budget-lines:id': await ids('SELECT id AS v FROM budget_lines ORDER BY id LIMIT 5'),
      'exchange-rates:from': ['EUR', 'USD'],
      'exchange-rates:to': ['USD', 'EUR'],
      'exchange-rates:year': [2024, 2020],
      'results:id': await ids('SELECT id AS v FROM results ORDER BY id LIMIT 8'),
      'result-measures:id': await ids('SELECT id AS v FROM result_measures ORDER BY id LIMIT 8'),
      'targets:year': [2030, 2025],
      'actuals:year': [2024, 2020],
      'questionnaires:id': await ids('SELECT id AS v FROM questionnaires ORDER BY id'),
      'review-cycles:id': await ids('SELECT id AS v FROM review_cycles ORDER BY id'),
      'participants:place': await ids(
        'SELECT p.code AS v FROM review_participants r JOIN places p ON p.id = r.place_id ORDER BY p.code LIMIT 4',
      ),
      'review-submissions:id': await ids('SELECT id AS v FROM review_submissions ORDER BY id'),
      'review-assignments:id': await ids('SELECT id AS v FROM review_assignments ORDER BY id'),
    });
    const places = ['MAAGA', 'MAR', 'JOAMM', 'USLAX', 'PHL', 'MA-09'];
    const resultIds = real['results:id']!;
    Object.assign(vocab, {
      place: places,
      places: places,
      country: ['MAR', 'JOR', 'PHL'],
      ownerPlace: places,
      participants: places,
      indicator: ['11.1.1', '16.1.1', 'HOSTILE.1', '11.7.2'],
      series: await ids('SELECT code AS v FROM series WHERE code IS NOT NULL LIMIT 4'),
      framework: await ids('SELECT code AS v FROM frameworks'),
      frameworks: await ids('SELECT code AS v FROM frameworks'),
      programme: real['programmes:code']!,
      code: ['HB', 'NEW-CODE', ...real['programmes:code']!, '11.1.1'],
      parent: resultIds,
      result: resultIds,
      organisation: real['partners:id']!,
      organisationId: real['partners:id']!,
      reviewers: users,
      lead: users,
      user: ['victim@hostile.example', ...users],
      email: ['victim@hostile.example', 'admin@hostile.example', 'new@hostile.example'],
      materials: real['items:id']!,
      replyTo: await ids('SELECT id AS v FROM review_comments ORDER BY id LIMIT 3'),
      questionnaireVersionId: await ids('SELECT id AS v FROM questionnaire_versions ORDER BY id'),
      expectedVersion: [1, 2, 3],
      period: ['2020', '2024', '2020-Q1', '2020-01', '2019-2020', '0999'],
      year: [2020, 2024, 2030],
      sdgTargets: ['11.1', '16.1', '11.7'],
      nuaParagraphs: [1, 13, 100, 175],
      recordType: ['knowledge-item', 'review-submission', 'programme'],
      recordId: real['items:id']!.map(String),
      permission: ['edit', 'review'],
      'answers:keys': ['institution', 'has_strategy', 'strategy_date', 'measures_institutions', 'need_capacity'],
      'dims:keys': ['SEX', 'AGE', 'URBANISATION'],
      'dims{}': ['F', 'M', '_T', 'Y15T24'],
    });
  });

  afterAll(async () => {
    await t?.close();
    await new Promise((resolve) => mail?.close(resolve));
    for (const [name, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    if (STATS) {
      const lines = [...stats].map(
        ([route, counts]) =>
          `${route.padEnd(64)} ${[...counts]
            .sort((a, b) => a[0] - b[0])
            .map(([s, n]) => `${s}×${n}`)
            .join(' ')}`,
      );
      console.log(`hostile requests on ${kind}, ${((Date.now() - started) / 1000).toFixed(1)} s:\n${lines.join('\n')}`);
    }
  });

  afterEach(async () => {
    // No route may have locked the administrator out: later routes would then only see 401s.
    const me = await t.app.inject({ url: '/api/v1/auth/me', headers: admin });
    expect(me.statusCode, me.body).toBe(200);
  });

  it.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))('%s', async (name, route) => {
    const missing = route.pathParams.filter((p) => !real[p.key]);
    expect(
      missing.map((p) => p.key),
      'path parameters without real values in this test',
    ).toEqual([]);
    const headers =
      route.path === '/api/v1/auth/login' || route.path === '/api/v1/auth/accept'
        ? {}
        : route.path === '/api/v1/auth/password'
          ? victimSession
          : route.path === '/api/v1/auth/logout'
            ? leaverSession
            : admin;
    const counts = new Map<number, number>();
    stats.set(name, counts);
    const segments = fc.tuple(...route.pathParams.map((p) => pathSegment(p.schema, real[p.key]!, avoid[p.key])));
    const cases: fc.Arbitrary<Case> = fc
      .tuple(segments, hostileQuery(route.query, vocab), hostileBody(route.body, vocab as Vocabulary))
      .map(([values, query, body]) => {
        let url = route.path;
        route.pathParams.forEach((p, i) => {
          url = url.replace(`{${p.name}}`, values[i]!);
        });
        const c: Case = { url: url + query, body };
        // fast-check prints a failing case with this, shortened (bodies reach megabytes).
        Object.defineProperty(c, fc.toStringMethod, { value: () => describeCase(route, c) });
        return c;
      });
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        const r = await t.app.inject({
          method: route.method,
          url: c.url,
          headers: c.body.contentType === undefined ? headers : { ...headers, 'content-type': c.body.contentType },
          ...(c.body.payload === undefined ? {} : { payload: c.body.payload }),
        });
        counts.set(r.statusCode, (counts.get(r.statusCode) ?? 0) + 1);
        let message: unknown;
        if (r.statusCode >= 400) {
          try {
            message = (r.json() as { message?: unknown }).message;
          } catch {
            message = undefined;
          }
        }
        if (r.statusCode >= 500 || (r.statusCode >= 400 && (typeof message !== 'string' || !message))) {
          throw new Error(`answered ${r.statusCode} ${r.body.slice(0, 500)}\nto ${describeCase(route, c)}`);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
