import net from 'node:net';
import type { Store } from '@marsad/db';
import { testStoreKinds } from '@marsad/db/testing';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { DEMO_QUESTIONNAIRE } from '../../src/demo/demo-questionnaire.ts';
import { loadDemoProgrammes } from '../../src/demo/load-demo-programmes.ts';
import { loadDemoReviews } from '../../src/demo/load-demo-reviews.ts';
import { AUTH, createTestApp, importText, signedIn, type TestApp } from '../helpers.ts';
import { fuzzSeed } from './fuzz-seed.ts';
import {
  answerProblem,
  describeRequest,
  type HostileRequest,
  hostileRequests,
  writeRoutes,
} from './hostile-requests.ts';
import type { Vocabulary } from './hostile-values.ts';

/**
 * Hostile requests to every write route of the OpenAPI document (issue 13): bodies generated
 * from the route's JSON schema (plausible, slightly wrong, wholly hostile: NUL characters,
 * unpaired surrogates, prototype names, huge numbers, 10,000 levels of nesting, 100 KB strings,
 * wrong types, missing and extra properties, other content types), hostile path parameters
 * (`%00`, `%ED%A0%80`, `..%2F`, very long) next to real ids and codes, and hostile query strings.
 * Every answer must be 2xx, 3xx or a 4xx with a JSON message: never 5xx.
 *
 * Requests are made as an administrator (the first-start token: one query to resolve, where an API
 * token takes four), so that they reach the handlers; routes that need a user get a session. The
 * records the paths name (a programme, a result, a review submission, …) exist. Write routes run
 * before DELETE routes, so that deletions come last. The raw upload routes are covered by
 * hostile-imports.test.ts (their body is a file). The routes and requests come from
 * hostile-requests.ts, which `npm run bench:fuzz` also sends to a real server.
 *
 * fast-check runs from the fixed seed of scripts/fast-check-seed.ts (MARSAD_FC_SEED for others; the
 * PostgreSQL server from the next seed: fuzz-seed.ts);
 * MARSAD_FUZZ_RUNS sets the cases per route (default 200); MARSAD_FUZZ_STATS=1 prints the answers'
 * statuses per route and the time taken, MARSAD_FUZZ_STATS=messages also their commonest messages.
 */

const RUNS = Number(process.env.MARSAD_FUZZ_RUNS ?? 200);
const STATS = !!process.env.MARSAD_FUZZ_STATS;
const MESSAGES = process.env.MARSAD_FUZZ_STATS === 'messages';

/** Routes called with a session of a user (or as the public) rather than the first-start administrator token. */
const SESSION_ROUTES: Record<string, 'none' | 'victim' | 'leaver' | 'focal'> = {
  'POST /api/v1/auth/login': 'none',
  'POST /api/v1/auth/accept': 'none',
  'POST /api/v1/auth/password': 'victim',
  'POST /api/v1/auth/logout': 'leaver',
  'POST /api/v1/tokens': 'focal',
  'PUT /api/v1/entry/draft': 'focal',
  'DELETE /api/v1/entry/draft': 'focal',
  'POST /api/v1/offline/sync': 'focal',
};

/** Complete answers to the demonstration questionnaire (as in reviews.test.ts). */
const DEMO_ANSWERS = {
  institution: 'Demonstration office',
  has_strategy: 'yes',
  strategy_date: '2020-05-01',
  measures_institutions: [{ measure_institutions: 'Measure A', measure_indicator: '16.1.1' }],
  measures_coproduction: [{ measure_coproduction: 'Co-production measure' }],
  difficulty_evidence: 'Difficulty with data',
  need_capacity: 'Needs training',
};

const text = (name: string, extra: object = {}) => ({
  type: 'text',
  name,
  label: { en: name },
  hint: {},
  required: false,
  requiredMessage: {},
  constraintMessage: {},
  ...extra,
});
/** A questionnaire whose questions bear the names of Object's properties. */
const PROTOTYPE_QUESTIONNAIRE = {
  formId: 'prototype_names',
  title: 'Prototype names',
  version: '1',
  defaultLanguage: 'en',
  languages: [{ code: 'en', name: null }],
  choiceLists: [{ name: 'hasOwnProperty', choices: [{ name: 'constructor', label: { en: 'c' } }] }],
  questions: [
    text('constructor', { required: true, constraint: 'string-length(.) <= 200' }),
    { ...text('toString'), type: 'select_one', list: 'hasOwnProperty' },
    text('valueOf', { relevant: "${toString} = 'constructor'" }),
    { type: 'repeat', name: 'hasOwnProperty', label: { en: 'r' }, hint: {}, children: [text('isPrototypeOf')] },
  ],
};
const PROTOTYPE_ANSWERS = {
  constructor: 'x',
  toString: 'constructor',
  valueOf: 'y',
  hasOwnProperty: [{ isPrototypeOf: 'z' }],
};

/**
 * The OpenAPI document, read once before the tests are declared (one test per route), from an
 * application built without a database (building one queries nothing).
 */
async function openApiDocument(): Promise<unknown> {
  const app = await buildApp(
    { store: {} as Store, dataDir: '/nonexistent', adminToken: 'unused', version: 'test' },
    { logger: false },
  );
  await app.ready();
  const doc = app.swagger();
  await app.close();
  return doc;
}

const ROUTES = writeRoutes(await openApiDocument());

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
  /** Sessions for the routes that need a user: changing one's password, signing out, drafts, API tokens. */
  let victimSession: Record<string, string>;
  let leaverSession: Record<string, string>;
  let focalSession: Record<string, string>;
  /** Real values of path parameters, by `segment:name`, and values never to send (active users). */
  const real: Record<string, (string | number)[]> = {};
  const avoid: Record<string, (string | number)[]> = {};
  const vocab: Vocabulary = {};
  const stats = new Map<string, Map<number, number>>();
  /** With MARSAD_FUZZ_STATS=messages: the commonest 4xx messages per route (to see what keeps bodies from the handlers). */
  const messages = new Map<string, Map<string, number>>();
  let started = 0;
  let cpu = process.cpuUsage();

  const sessions = () => ({ none: {}, victim: victimSession, leaver: leaverSession, focal: focalSession });
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
    started = Date.now();
    cpu = process.cpuUsage();
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

    // Users the routes may change. Requests are made with the first-start administrator token, which works
    // while no active administrator account exists: so only invited users (who have no password, and cannot
    // become active) are changed, and no path ever names an active user.
    victimSession = await signedIn(t, 'victim@hostile.example', [{ role: 'reviewer', place: 'MAAGA' }]);
    leaverSession = await signedIn(t, 'leaver@hostile.example', []);
    focalSession = await signedIn(t, 'focal@hostile.example', [{ role: 'national-focal-point', place: 'MAR' }]);
    await must('POST', '/api/v1/users', { email: 'invited@hostile.example', roles: [] }, AUTH);
    await must(
      'POST',
      '/api/v1/users',
      { email: 'invited2@hostile.example', roles: [{ role: 'editor', place: 'MAR' }] },
      AUTH,
    );
    await must('POST', '/api/v1/tokens', { name: 'to be revoked', scopes: ['observations:write'] }, focalSession);
    // Values to validate, approve or reopen.
    const values = await importText(
      t.app,
      'indicator,series,place,period,value\n16.1.1,VC_IHR_PSRC,MAAGA,2020,7.5\n16.1.1,VC_IHR_PSRC,MAAGA,2024,7\n11.1.1,,MAAGA,2020,30\n11.1.1,,JOAMM,2020,20\n',
      { format: 'csv', status: 'provisional' },
    );
    expect(values.statusCode, values.body).toBe(201);

    // Records the paths name: demonstration programmes (results, measures, budget lines) and a review cycle
    // (questionnaire, submissions, assignments, comments), then one of each network and knowledge record.
    await loadDemoProgrammes(store);
    await loadDemoReviews(store);
    const prototypes = await must('POST', '/api/v1/questionnaires', { definition: PROTOTYPE_QUESTIONNAIRE }, AUTH);
    await must(
      'POST',
      '/api/v1/review-cycles',
      {
        kind: 'safer-cities-peer-review',
        titles: { en: 'Prototype names' },
        startsOn: '2024-01-01',
        questionnaireVersionId: prototypes.version.id,
        participants: ['KZALA'],
      },
      AUTH,
    );
    const partner = await must(
      'POST',
      '/api/v1/network/partners',
      { names: { en: 'Partner' }, type: 'academia' },
      AUTH,
    );
    await must(
      'POST',
      '/api/v1/network/centres',
      { names: { en: 'Centre' }, place: 'MAAGA', organisation: partner.id },
      AUTH,
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
      AUTH,
    );
    await must(
      'POST',
      `/api/v1/knowledge/tools/${tool.id}/pilots`,
      { place: 'MAAGA', startedOn: '2022-01-01', stage: 'completed' },
      AUTH,
    );
    const attachment = await t.app.inject({
      method: 'POST',
      url: `/api/v1/knowledge/items/${tool.id}/attachments?fileName=notes.txt`,
      headers: { ...AUTH, 'content-type': 'text/plain' },
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
      AUTH,
    );
    await must('PUT', '/api/v1/settings/exchange-rates', { from: 'EUR', to: 'USD', year: 2024, rate: 1.1 }, AUTH, 200);
    await must(
      'POST',
      '/api/v1/indicators',
      { code: 'HOSTILE.1', names: { en: 'A local indicator' }, ownerPlace: 'MAAGA' },
      AUTH,
    );

    await must(
      'POST',
      '/api/v1/mappings',
      { name: 'Hostile', kind: 'columns', place: 'MAAGA', body: { columns: { Sex: { dimension: 'SEX' } } } },
      AUTH,
    );
    // Drafts of self-assessments (safety monitor) to save answers to and submit.
    await must('POST', '/api/v1/safety-assessments', { place: 'MAAGA' }, AUTH, 201);
    await must('POST', '/api/v1/safety-assessments', { place: 'JOAMM' }, AUTH, 201);
    const users = await ids("SELECT id AS v FROM users WHERE status = 'invited' ORDER BY id");
    avoid['users:id'] = await ids("SELECT id AS v FROM users WHERE status <> 'invited'");
    const items = await ids('SELECT id AS v FROM knowledge_items ORDER BY id LIMIT 3');
    const partners = await ids('SELECT id AS v FROM partner_organisations LIMIT 3');
    const programmes = await ids('SELECT code AS v FROM programmes ORDER BY id');
    const results = await ids('SELECT id AS v FROM results ORDER BY id LIMIT 8');
    const reviewers = await ids(
      "SELECT u.id AS v FROM users u JOIN role_assignments r ON r.user_id = u.id WHERE r.role = 'reviewer'",
    );
    const frameworks = await ids('SELECT code AS v FROM frameworks');
    Object.assign(real, {
      'users:id': users,
      'tokens:id': await ids("SELECT id AS v FROM api_tokens WHERE name = 'to be revoked'"),
      'indicators:code': ['HOSTILE.1', '11.1.1', '16.1.1'],
      'places:code': ['MAAGA', 'MAR', 'JOAMM'],
      'items:id': items,
      'attachments:id': await ids('SELECT id AS v FROM knowledge_attachments LIMIT 3'),
      'tools:id': [tool.id],
      'pilots:id': await ids('SELECT id AS v FROM tool_pilots LIMIT 3'),
      'partners:id': partners,
      'centres:id': await ids('SELECT id AS v FROM coordination_centres LIMIT 3'),
      'workshops:id': await ids('SELECT id AS v FROM workshops LIMIT 3'),
      'programmes:code': programmes,
      'budget-lines:id': await ids('SELECT id AS v FROM budget_lines ORDER BY id LIMIT 5'),
      'exchange-rates:from': ['EUR', 'USD'],
      'exchange-rates:to': ['USD', 'EUR'],
      'exchange-rates:year': [2024, 2020],
      'results:id': results,
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
      'mappings:id': await ids('SELECT id AS v FROM saved_mappings ORDER BY id'),
      'safety-assessments:id': await ids('SELECT id AS v FROM safety_assessments ORDER BY id'),
    });
    const places = ['MAAGA', 'MAR', 'JOAMM', 'USLAX', 'PHL', 'MA-09'];
    const currencies = ['USD', 'EUR', 'MAD'];
    Object.assign(vocab, {
      place: places,
      places,
      country: ['MAR', 'JOR', 'PHL'],
      ownerPlace: places,
      participants: places,
      indicator: ['11.1.1', '16.1.1', 'HOSTILE.1', '11.7.2'],
      series: await ids('SELECT code AS v FROM series WHERE code IS NOT NULL LIMIT 4'),
      framework: frameworks,
      frameworks,
      programme: programmes,
      code: ['HB', 'NEW-CODE', ...programmes, '11.1.1'],
      parent: results,
      result: results,
      organisation: partners,
      organisationId: partners,
      reviewers,
      lead: reviewers,
      user: ['victim@hostile.example', ...users],
      email: ['victim@hostile.example', 'focal@hostile.example', 'new@hostile.example'],
      materials: items,
      replyTo: await ids('SELECT id AS v FROM review_comments ORDER BY id LIMIT 3'),
      questionnaireVersionId: await ids('SELECT id AS v FROM questionnaire_versions ORDER BY id'),
      expectedVersion: [1, 2, 3],
      period: ['2020', '2024', '2020-Q1', '2020-01', '2019-2020', '0999'],
      year: [2020, 2024, 2030],
      sdgTargets: ['11.1', '16.1', '11.7'],
      nuaParagraphs: [1, 13, 100, 175],
      recordType: ['knowledge-item', 'review-submission', 'programme'],
      recordId: items.map(String),
      permission: ['edit', 'review'],
      ':keys': ['ar', 'en', 'fr'],
      currency: currencies,
      from: currencies,
      to: currencies,
      definition: [
        DEMO_QUESTIONNAIRE,
        { ...DEMO_QUESTIONNAIRE, formId: 'hostile_form', version: '1' },
        PROTOTYPE_QUESTIONNAIRE,
      ],
      lang: ['ar', 'en'],
      language: ['ar', 'en'],
      answers: [DEMO_ANSWERS, PROTOTYPE_ANSWERS],
      'answers:keys': [...Object.keys(DEMO_ANSWERS), ...Object.keys(PROTOTYPE_ANSWERS)],
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
      const lines = [...stats].map(([route, counts]) => {
        const common = [...(messages.get(route) ?? [])]
          .sort((a, b) => b[1] - a[1])
          .filter(([m], i) => i < 6 || m.includes('cannot take'))
          .map(([m, n]) => `\n    ${n}× ${m}`)
          .join('');
        return `${route.padEnd(64)} ${[...counts]
          .sort((a, b) => a[0] - b[0])
          .map(([s, n]) => `${s}×${n}`)
          .join(' ')}${common}`;
      });
      const used = process.cpuUsage(cpu);
      const seconds = (Date.now() - started) / 1000;
      const cpuSeconds = (used.user + used.system) / 1e6;
      console.log(
        `hostile requests on ${kind}: ${seconds.toFixed(1)} s, this process's CPU ${cpuSeconds.toFixed(1)} s\n${lines.join('\n')}`,
      );
    }
  });

  afterEach(async () => {
    // No route may have retired the administrator token: later routes would then only see 403s.
    const me = await t.app.inject({ url: '/api/v1/auth/me', headers: AUTH });
    expect(me.statusCode, me.body).toBe(200);
  });

  it.each(ROUTES.map((r) => [r.name, r] as const))('%s', async (name, route) => {
    expect(
      route.pathParams.filter((p) => !real[p.key]?.length).map((p) => p.key),
      'path parameters without real values in this test',
    ).toEqual([]);
    const headers = SESSION_ROUTES[name] === undefined ? AUTH : sessions()[SESSION_ROUTES[name]];
    const counts = new Map<number, number>();
    stats.set(name, counts);
    const common = new Map<string, number>();
    messages.set(name, common);
    await fc.assert(
      fc.asyncProperty(hostileRequests(route, real, avoid, vocab), async (c: HostileRequest) => {
        const r = await t.app.inject({
          method: c.method,
          url: c.url,
          headers: c.body.contentType === undefined ? headers : { ...headers, 'content-type': c.body.contentType },
          ...(c.body.payload === undefined ? {} : { payload: c.body.payload }),
        });
        counts.set(r.statusCode, (counts.get(r.statusCode) ?? 0) + 1);
        const problem = answerProblem(r.statusCode, r.body);
        if (problem) throw new Error(`${problem}: ${r.body.slice(0, 500)}\nto ${describeRequest(c)}`);
        if (MESSAGES && r.statusCode >= 400) {
          const message = String((r.json() as { message: string }).message);
          // The database's refusals (http/errors.ts) name no field: show what led to them.
          const m = message.startsWith('The request holds a value the database cannot take')
            ? `${r.statusCode} ${message.slice(0, 160)} ← ${describeRequest(c).slice(0, 200)}`
            : `${r.statusCode} ${message.slice(0, 100)}`;
          common.set(m, (common.get(m) ?? 0) + 1);
        }
      }),
      { numRuns: RUNS, ...fuzzSeed(kind) },
    );
  });
});
