import http from 'node:http';
import fc from 'fast-check';
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
 * Hostile requests to the write routes of an OpenAPI document: the routes read from the
 * document, a request arbitrary per route (hostile-values.ts), the rule every answer must keep,
 * and `fuzzRequests`, which sends them to a listening server for `npm run bench:fuzz`.
 * hostile-bodies.test.ts sends the same requests with `inject`.
 */

/** Raw bodies (a file): their own test sends hostile files (hostile-imports.test.ts). */
export const UPLOAD_ROUTES: ReadonlySet<string> = new Set([
  'POST /api/v1/imports',
  'POST /api/v1/imports/repository',
  'POST /api/v1/places/import',
  'POST /api/v1/places/boundaries',
  'POST /api/v1/knowledge/items/{id}/attachments',
  'POST /api/v1/questionnaires/import',
]);

interface Operation {
  parameters?: { in: string; name: string; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

export interface WriteRoute {
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** As the document writes it: `/api/v1/programmes/{code}/budget-lines/{id}`. */
  path: string;
  /** `POST /api/v1/programmes/{code}/budget-lines` */
  name: string;
  body?: JsonSchema;
  /** Each known by the literal segment before it: `programmes:code`, `budget-lines:id`. */
  pathParams: { name: string; schema?: JsonSchema; key: string }[];
  query: QueryParameter[];
}

/** The POST, PUT, PATCH and DELETE routes of an OpenAPI document but the uploads, DELETE routes last. */
export function writeRoutes(openapi: unknown, exclude: ReadonlySet<string> = UPLOAD_ROUTES): WriteRoute[] {
  const doc = openapi as { paths: Record<string, Record<string, Operation>> };
  const routes: WriteRoute[] = [];
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [m, op] of Object.entries(operations)) {
      const method = m.toUpperCase() as WriteRoute['method'];
      const name = `${method} ${path}`;
      if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(method) || exclude.has(name)) continue;
      const segments = path.split('/');
      routes.push({
        method,
        path,
        name,
        body: op.requestBody?.content?.['application/json']?.schema,
        pathParams: (op.parameters ?? [])
          .filter((p) => p.in === 'path')
          .map((p) => {
            const literal = segments
              .slice(0, segments.indexOf(`{${p.name}}`))
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

export interface HostileRequest {
  method: WriteRoute['method'];
  /** Path and query string, encoded as sent. */
  url: string;
  body: HostileBody;
}

/** A request shortened for a report: bodies reach megabytes. */
export function describeRequest(r: HostileRequest): string {
  const payload = r.body.payload;
  const text =
    payload === undefined ? '(none)' : typeof payload === 'string' ? payload : `bytes ${payload.toString('hex')}`;
  const shown = text.length > 400 ? `${text.slice(0, 300)}… (${text.length} characters)` : text;
  const url = r.url.length > 300 ? `${r.url.slice(0, 300)}…` : r.url;
  return `${r.method} ${url} content-type=${r.body.contentType ?? '(none)'} body=${shown}`;
}

/**
 * Requests for a route: path parameters from `real` (by `segment:name`) or hostile, never one of
 * `avoid`; a hostile query string; a body from the route's schema or wholly hostile.
 */
export function hostileRequests(
  route: WriteRoute,
  real: Readonly<Record<string, readonly (string | number)[]>>,
  avoid: Readonly<Record<string, readonly (string | number)[]>>,
  vocab: Vocabulary,
): fc.Arbitrary<HostileRequest> {
  const segments = fc.tuple(...route.pathParams.map((p) => pathSegment(p.schema, real[p.key] ?? [], avoid[p.key])));
  return fc
    .tuple(segments, hostileQuery(route.query, vocab), hostileBody(route.body, vocab))
    .map(([values, query, body]) => {
      let url = route.path;
      route.pathParams.forEach((p, i) => {
        url = url.replace(`{${p.name}}`, values[i] ?? '');
      });
      const r: HostileRequest = { method: route.method, url: url + query, body };
      // fast-check prints a failing request with this.
      Object.defineProperty(r, fc.toStringMethod, { value: () => describeRequest(r) });
      return r;
    });
}

/** What is wrong with an answer to a hostile request, or null: never 5xx, and a 4xx says why in a JSON `message`. */
export function answerProblem(status: number, body: string): string | null {
  if (status >= 500 || status < 200) return `answered ${status}`;
  if (status < 400) return null;
  let message: unknown;
  try {
    message = (JSON.parse(body) as { message?: unknown }).message;
  } catch {
    return `answered ${status} without JSON`;
  }
  return typeof message === 'string' && message ? null : `answered ${status} without a message`;
}

// ---------------------------------------------------------------------------------------------
// Against a listening server (npm run bench:fuzz)

export interface Answer {
  status: number;
  body: string;
  ms: number;
}

/** One request over HTTP (keep-alive agent): its answer, or 'hang' after timeoutMs. Also bench/fuzz/run.ts's. */
export function sendOverHttp(
  agent: http.Agent,
  base: string,
  method: string,
  url: string,
  payload: Buffer | undefined,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<Answer | 'hang'> {
  return new Promise((resolve) => {
    const started = performance.now();
    const all = payload ? { ...headers, 'content-length': String(payload.length) } : headers;
    const req = http.request(`${base}${url}`, { method, agent, headers: all }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          ms: performance.now() - started,
        }),
      );
      res.on('error', () => resolve({ status: 0, body: 'response error', ms: performance.now() - started }));
    });
    req.setTimeout(timeoutMs, () => {
      req.destroy();
      resolve('hang');
    });
    req.on('error', (err) => resolve({ status: 0, body: String(err), ms: performance.now() - started }));
    req.end(payload);
  });
}

function send(
  agent: http.Agent,
  base: string,
  r: { method: string; url: string; body: HostileBody },
  auth: Record<string, string>,
  timeoutMs: number,
): Promise<Answer | 'hang'> {
  const payload = r.body.payload === undefined ? undefined : Buffer.from(r.body.payload);
  const headers: Record<string, string> = { ...auth };
  if (r.body.contentType !== undefined) headers['content-type'] = r.body.contentType;
  return sendOverHttp(agent, base, r.method, r.url, payload, headers, timeoutMs);
}

const json = (payload: unknown): HostileBody => ({ payload: JSON.stringify(payload), contentType: 'application/json' });

/**
 * A few records for the paths to name (a programme with a result and a measure, a questionnaire
 * with a review cycle, network and knowledge records, invited users), made through the API with
 * the administrator token; whatever cannot be made is left to guessed ids.
 */
async function prepare(
  call: (method: string, url: string, body: HostileBody) => Promise<Answer | 'hang'>,
): Promise<{ real: Record<string, (string | number)[]>; made: number; tried: number }> {
  const real: Record<string, (string | number)[]> = {};
  let made = 0;
  let tried = 0;
  // biome-ignore lint/suspicious/noExplicitAny: the answers of many routes, read for their ids
  const make = async (method: string, url: string, payload: unknown): Promise<any> => {
    tried++;
    const a = await call(method, url, json(payload));
    if (a === 'hang' || a.status >= 300) return null;
    made++;
    try {
      return JSON.parse(a.body);
    } catch {
      return null;
    }
  };
  const add = (key: string, id: unknown) => {
    if (typeof id === 'number' || typeof id === 'string') real[key] = [...(real[key] ?? []), id];
  };
  add('users:id', (await make('POST', '/api/v1/users', { email: 'fuzz@hostile.example', roles: [] }))?.user?.id);
  const partner = await make('POST', '/api/v1/network/partners', { names: { en: 'Partner' }, type: 'academia' });
  add('partners:id', partner?.id);
  add(
    'centres:id',
    (
      await make('POST', '/api/v1/network/centres', {
        names: { en: 'Centre' },
        place: 'MAAGA',
        organisation: partner?.id,
      })
    )?.id,
  );
  const tool = await make('POST', '/api/v1/knowledge/items', {
    type: 'tool',
    kind: 'guide',
    originalLanguage: 'en',
    status: 'published',
    ownerPlace: 'MAR',
    texts: { en: { title: 'A tool' } },
  });
  add('items:id', tool?.id);
  add('tools:id', tool?.id);
  const pilot = await make('POST', `/api/v1/knowledge/tools/${tool?.id}/pilots`, {
    place: 'MAAGA',
    startedOn: '2022-01-01',
    stage: 'completed',
  });
  add('pilots:id', pilot?.id);
  add(
    'workshops:id',
    (
      await make('POST', '/api/v1/workshops', {
        kind: 'workshop',
        titles: { en: 'Workshop' },
        place: 'MAAGA',
        startsOn: '2022-03-14',
        participants: { total: 3 },
      })
    )?.id,
  );
  await make('POST', '/api/v1/programmes', {
    code: 'FUZZ',
    names: { en: 'Fuzz programme' },
    startYear: 2020,
    endYear: 2030,
    places: [{ place: 'MAR', role: 'participating' }],
  });
  real['programmes:code'] = ['FUZZ'];
  const result = await make('POST', '/api/v1/results', {
    programme: 'FUZZ',
    level: 'impact',
    code: 'I',
    titles: { en: 'Impact' },
  });
  add('results:id', result?.id);
  add(
    'result-measures:id',
    (
      await make('POST', `/api/v1/results/${result?.id}/measures`, {
        kind: 'specific',
        names: { en: 'Workshops held' },
        ascending: true,
        baseline: { year: 2020, value: 1 },
        targets: [{ year: 2030, value: 10 }],
      })
    )?.id,
  );
  add(
    'budget-lines:id',
    (
      await make('POST', '/api/v1/programmes/FUZZ/budget-lines', {
        labels: { en: 'Staff' },
        currency: 'USD',
        year: 2024,
        amount: 1000,
      })
    )?.id,
  );
  return { real, made, tried };
}

/** Ids and codes to try where nothing was made. */
function guesses(key: string): (string | number)[] {
  const name = key.split(':')[1] ?? '';
  if (name === 'year') return [2020, 2030];
  if (name === 'from' || name === 'to') return ['USD', 'EUR'];
  if (name === 'code' || name === 'place') return ['MAAGA', 'MAR', '11.1.1'];
  return [1, 2, 3];
}

/**
 * Sends `count` hostile requests, spread over every write route of `openapi`, to a listening
 * server (as the administrator: `auth`), one at a time; answers a report: statuses, 5xx and
 * answers without a message, hangs (no answer within `timeoutMs`), the slowest.
 */
export async function fuzzRequests(o: {
  base: string;
  agent: http.Agent;
  auth: Record<string, string>;
  count: number;
  seed: number;
  timeoutMs: number;
  openapi: unknown;
}): Promise<string> {
  const routes = writeRoutes(o.openapi);
  const call = (method: string, url: string, body: HostileBody) =>
    send(o.agent, o.base, { method, url, body }, o.auth, o.timeoutMs);
  const setup = await prepare(call);
  const real: Record<string, (string | number)[]> = {};
  for (const route of routes)
    for (const p of route.pathParams)
      real[p.key] = setup.real[p.key]?.length ? (setup.real[p.key] ?? []) : guesses(p.key);
  const vocab: Vocabulary = {
    place: ['MAAGA', 'MAR', 'JOAMM'],
    places: ['MAAGA', 'MAR'],
    indicator: ['11.1.1', '16.1.1'],
    programme: ['FUZZ'],
    ':keys': ['ar', 'en', 'fr'],
    currency: ['USD', 'EUR'],
    period: ['2020', '2024-Q2'],
  };
  const byStatus = new Map<number, number>();
  const problems: string[] = [];
  const hangs: string[] = [];
  let slowest = 0;
  let sent = 0;
  const started = performance.now();
  const perRoute = Math.max(1, Math.ceil(o.count / Math.max(1, routes.length)));
  for (const [i, route] of routes.entries()) {
    const requests = fc.sample(hostileRequests(route, real, {}, vocab), { numRuns: perRoute, seed: o.seed + i });
    for (const r of requests) {
      if (sent >= o.count) break;
      sent++;
      const a = await send(o.agent, o.base, r, o.auth, o.timeoutMs);
      if (a === 'hang') {
        hangs.push(describeRequest(r).slice(0, 300));
        continue;
      }
      slowest = Math.max(slowest, a.ms);
      byStatus.set(a.status, (byStatus.get(a.status) ?? 0) + 1);
      const problem = answerProblem(a.status, a.body);
      if (problem) problems.push(`${problem} ${a.body.slice(0, 160)} ← ${describeRequest(r).slice(0, 300)}`);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return [
    `API bodies: ${sent} in ${seconds.toFixed(1)} s (${routes.length} write routes; ${setup.made} of ${setup.tried} records made for their paths); answers ${JSON.stringify(Object.fromEntries([...byStatus].sort((a, b) => a[0] - b[0])))}; slowest ${Math.round(slowest)} ms`,
    `  500s or answers without a message: ${problems.length}   hangs over ${o.timeoutMs / 1000} s: ${hangs.length}`,
    ...[...problems, ...hangs].slice(0, 20).map((line) => `    ${line}`),
  ].join('\n');
}
