import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createTestDataDirectory, testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { withLocalStore } from '../src/commands/local-store.ts';
import { type PullDhis2Options, pullDhis2Command } from '../src/commands/pull.ts';
import { readConfig } from '../src/config.ts';
import { marsad, ROOT } from './run-marsad.ts';

/**
 * `marsad pull dhis2` against a local HTTP server that answers as DHIS2's Web API documents
 * (docs.dhis2.org, "Data values": GET /api/dataValueSets.json?dataSet=…&period=…&orgUnit=…;
 * personal access tokens in `Authorization: ApiToken …`; errors as JSON web messages). The data it
 * serves is a real file of DHIS2's own tests (shared/data/dhis2, BSD 3-Clause).
 */
const REAL = readFileSync(path.join(ROOT, '../shared/data/dhis2/dataValues_single_dataset.json'), 'utf8');
const TOKEN = 'd2pat_5xVA12xyUbWNedQxy4ohH77WlxRGVvZZ1151814092';
const webMessage = (status: number, httpStatus: string, message: string) =>
  JSON.stringify({ httpStatus, httpStatusCode: status, status: 'ERROR', message });

const requests: { path: string; query: URLSearchParams; authorization?: string }[] = [];
const fakeDhis2 = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://dhis2');
  requests.push({ path: url.pathname, query: url.searchParams, authorization: req.headers.authorization });
  const json = (status: number, body: string) =>
    res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8' }).end(body);
  if (url.pathname === '/slow/api/dataValueSets.json') return; // never answers
  if (url.pathname === '/login/api/dataValueSets.json') {
    // A server that sends its login page instead (a proxy, or an old DHIS2 redirecting to it).
    res.writeHead(200, { 'Content-Type': 'text/html;charset=UTF-8' }).end('<!doctype html><title>DHIS2</title>');
    return;
  }
  if (url.pathname !== '/dhis/api/dataValueSets.json') return json(404, webMessage(404, 'Not Found', 'Not found'));
  if (req.headers.authorization !== `ApiToken ${TOKEN}`)
    return json(401, webMessage(401, 'Unauthorized', 'The API token does not exist'));
  if (!url.searchParams.get('dataSet'))
    return json(409, webMessage(409, 'Conflict', 'At least one valid data set must be specified'));
  const matches =
    url.searchParams.getAll('dataSet').includes('VEM58nY22sO') &&
    url.searchParams.getAll('period').includes('201911') &&
    url.searchParams.getAll('orgUnit').includes('O6uvpzGd5pu');
  return json(200, matches ? REAL : '{"dataValues":[]}');
});

describe.each(testStoreKinds())('marsad pull dhis2 on %s', (kind) => {
  let dir: string;
  let db: { url?: string; drop(): Promise<void> } | undefined;
  let env: Record<string, string | undefined>;
  let base: string;
  let mapping: string;
  const config = () => readConfig({ MARSAD_DATA_DIR: path.join(dir, 'data'), DATABASE_URL: db?.url });
  const options = (): PullDhis2Options => ({
    url: base,
    dataSet: ['VEM58nY22sO'],
    period: ['201911'],
    orgUnit: ['O6uvpzGd5pu'],
    dhis2Mapping: mapping,
  });

  beforeAll(async () => {
    if (!fakeDhis2.listening) await new Promise<void>((resolve) => fakeDhis2.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(fakeDhis2.address() as AddressInfo).port}`;
    dir = await mkdtemp(path.join(os.tmpdir(), 'marsad-pull-'));
    db = await createTestDataDirectory(kind, path.join(dir, 'data'));
    env = { MARSAD_DATA_DIR: path.join(dir, 'data'), DATABASE_URL: db.url };
    mapping = path.join(dir, 'mapping.json');
    await writeFile(
      mapping,
      JSON.stringify({
        dataElements: { BjDrgVrkBI3: { indicator: 'POP', series: 'POP_T' } },
        orgUnits: { O6uvpzGd5pu: 'MAAGA' },
        categoryOptionCombos: { oPcWGgS2Liz: { SEX: 'F' }, rtfSaMjPyq6: { SEX: 'M' } },
      }),
    );
  });
  afterAll(async () => {
    fakeDhis2.closeAllConnections();
    await new Promise((resolve) => fakeDhis2.close(resolve));
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a data value set from the Web API with a personal access token and imports it as provisional', async () => {
    requests.length = 0;
    const r = await marsad(
      [
        'pull',
        'dhis2',
        '--url',
        `${base}/dhis`,
        '--token',
        TOKEN,
        '--data-set',
        'VEM58nY22sO',
        '--period',
        '201911',
        '--org-unit',
        'O6uvpzGd5pu',
        '--dhis2-mapping',
        mapping,
      ],
      env,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/imported 2 rows — 2 new/);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.authorization).toBe(`ApiToken ${TOKEN}`);
    expect(Object.fromEntries(requests[0]?.query ?? [])).toEqual({
      dataSet: 'VEM58nY22sO',
      period: '201911',
      orgUnit: 'O6uvpzGd5pu',
    });
    // The rest in this process (each command started costs seconds): the token from MARSAD_DHIS2_TOKEN, a base
    // address ending in /, the report as JSON.
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      process.env.MARSAD_DHIS2_TOKEN = TOKEN;
      const code = await pullDhis2Command(config(), { ...options(), url: `${base}/dhis/`, json: true });
      expect(code).toBe(0);
      const report = JSON.parse(String(log.mock.calls.at(-1)?.[0]));
      expect(report.counts).toMatchObject({ read: 2, inserted: 0, unchanged: 2 });
      const statuses = await withLocalStore(config(), (store) =>
        store.db.selectFrom('observations').select('status').distinct().execute(),
      );
      expect(statuses).toEqual([{ status: 'provisional' }]);
    } finally {
      delete process.env.MARSAD_DHIS2_TOKEN;
      log.mockRestore();
    }
  });

  it.runIf(kind === testStoreKinds()[0])(
    'says clearly what went wrong: a refused token, a wrong address, a web page, no answer, a missing option',
    async () => {
      const failure = (o: Partial<PullDhis2Options>) =>
        pullDhis2Command(config(), { ...options(), token: TOKEN, ...o }).then(
          () => 'no error',
          (err: Error) => err.message,
        );
      expect(await failure({ url: `${base}/dhis`, token: 'd2pat_wrong' })).toMatch(
        /DHIS2 refused the token \(401 Unauthorized\).*DHIS2 says: The API token does not exist/,
      );
      expect(await failure({ url: `${base}/nothing` })).toMatch(
        /\(404 Not Found\): check that --url is the DHIS2 server's base address/,
      );
      expect(await failure({ url: `${base}/login` })).toMatch(/answered with a web page, not DHIS2's JSON/);
      expect(await failure({ url: `${base}/slow`, timeout: '1' })).toMatch(/did not answer within 1 s/);
      const closed = http.createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise((resolve) => closed.close(resolve));
      expect(await failure({ url: `http://127.0.0.1:${port}` })).toBe(
        `could not reach DHIS2 at http://127.0.0.1:${port}/api/dataValueSets.json: ECONNREFUSED`,
      );
      expect(await failure({ url: base, period: undefined })).toMatch(
        /--period .* or both --start-date and --end-date are needed/,
      );
      expect(await failure({ url: 'ftp://example.org' })).toMatch(/must start with https:\/\//);
      expect(await failure({ url: `${base}/dhis`, dhis2Mapping: undefined })).toMatch(/--dhis2-mapping FILE is needed/);
    },
  );
});
