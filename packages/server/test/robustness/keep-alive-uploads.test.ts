import http from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AUTH, createTestApp, type TestApp } from '../helpers.ts';

/**
 * A refused upload must not leave its keep-alive connection waiting: the next request on the
 * same connection is answered at once (the server's keep-alive timeout is Fastify's 72 s, so a
 * hang fails the 10 s timeout here). HTTP behaviour only: one database kind is enough.
 */

let t: TestApp;
let base = '';

beforeAll(async () => {
  t = await createTestApp('pglite');
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
});
afterAll(async () => {
  t.app.server.closeAllConnections();
  await t.close();
});

interface Answer {
  status: number;
  text: string;
  socket: unknown;
}

function send(agent: http.Agent, path: string, body: Buffer, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${base}${path}`,
      { method: 'POST', agent, headers: { 'content-length': String(body.length), ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text, socket: req.socket }));
      },
    );
    // A client still sending when the server answers may see EPIPE after the answer: only a
    // missing answer is a failure.
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer to ${path} within 10 s`)));
    req.end(body);
  });
}

const GOOD_CSV = Buffer.from('indicator,place,period,value\n11.1.1,MAAGA,2020,10\n');
const badHeader = (mb: number) => Buffer.from(`x,y\n${'a'.repeat(mb * 1024 * 1024)}\n`);
const csvRows = (n: number) => Buffer.from(`indicator,place,period,value\n${'11.1.1,NOWHERE,2020,10\n'.repeat(n)}`);

const refusals: [string, string, Buffer, Record<string, string>, number][] = [
  ['an import without an account', '/api/v1/imports?format=csv', csvRows(100_000), { 'content-type': 'text/csv' }, 401],
  [
    'an import with a bad query',
    '/api/v1/imports?format=nope',
    csvRows(100_000),
    { 'content-type': 'text/csv', ...AUTH },
    400,
  ],
  [
    'an import refused on its rows',
    '/api/v1/imports?format=csv',
    csvRows(100_000),
    { 'content-type': 'text/csv', ...AUTH },
    422,
  ],
  [
    'an import refused at its header',
    '/api/v1/imports?format=csv',
    badHeader(3),
    { 'content-type': 'text/csv', ...AUTH },
    422,
  ],
  [
    'an import of 12 MB refused at its header',
    '/api/v1/imports?format=csv',
    badHeader(12),
    { 'content-type': 'text/csv', ...AUTH },
    422,
  ],
  [
    'an Open SDG file refused at its header',
    '/api/v1/imports?format=open-sdg&fileName=indicator_11-1-1.csv',
    badHeader(3),
    { 'content-type': 'text/csv', ...AUTH },
    422,
  ],
  [
    'an SDMX-JSON file refused at its start',
    '/api/v1/imports?format=sdmx-json',
    Buffer.concat([Buffer.from('[1,'), Buffer.alloc(3 * 1024 * 1024, 32)]),
    { 'content-type': 'application/json', ...AUTH },
    422,
  ],
  [
    'an XLSForm that is no workbook',
    '/api/v1/questionnaires/import',
    csvRows(100_000),
    { 'content-type': 'application/octet-stream', ...AUTH },
    400,
  ],
  ['a places file without an account', '/api/v1/places/import', csvRows(100_000), { 'content-type': 'text/csv' }, 401],
  [
    'an address and headers over the limit (a huge mapping)',
    `/api/v1/imports?format=csv&map=${'x'.repeat(1_100_000)}`,
    csvRows(10),
    { 'content-type': 'text/csv', ...AUTH },
    431,
  ],
  [
    'a JSON body over the limit',
    '/api/v1/places',
    Buffer.alloc(21 * 1024 * 1024, 32),
    { 'content-type': 'application/json', ...AUTH },
    413,
  ],
];

describe('a refused upload, then a good one on the same keep-alive connection', () => {
  for (const [name, path, body, headers, status] of refusals) {
    test(name, async () => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const first = await send(agent, path, body, headers);
        expect(first.status, first.text).toBe(status);
        expect(JSON.parse(first.text).message).toBeTruthy();
        const second = await send(agent, '/api/v1/imports?format=csv&dryRun=true', GOOD_CSV, {
          'content-type': 'text/csv',
          ...AUTH,
        });
        expect(second.status, second.text).toBe(200);
      } finally {
        agent.destroy();
      }
    }, 30_000);
  }
});
