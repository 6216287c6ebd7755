import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createTestDataDirectory, testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withLocalStore } from '../src/commands/local-store.ts';
import {
  type PullSdmxOptions,
  parseBytes,
  parseHeaders,
  pullSdmxCommand,
  pullUrl,
  SDMX_ACCEPT,
  sdmxErrorOf,
  shownUrl,
  sniffAnswer,
} from '../src/commands/pull-sdmx.ts';
import { readConfig } from '../src/config.ts';
import { marsad, marsadInProcess, ROOT } from './run-marsad.ts';

/**
 * `marsad pull sdmx URL` against a local HTTP server that answers as an SDMX REST service does (SDMX 2.1 RESTful web
 * services: `GET /rest/data/FLOW/KEY`, content negotiation by Accept, errors as SDMX-ML `Error` messages with the
 * standard codes, 100 "No results found"). The SDMX-ML messages it serves are the real SDG data messages of Open
 * SDG's sdg-build (fixtures/sdmx/README.md); the SDMX-CSV and SDMX-JSON ones carry the same series in later years.
 */
const FIXTURES = path.join(import.meta.dirname, 'fixtures/sdmx');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name));
const SDG_DSD = path.join(ROOT, '../shared/data/sdmx-sdg/dsd.xml');

const ML21_SS = 'application/vnd.sdmx.structurespecificdata+xml;version=2.1';
const ML21_GENERIC = 'application/vnd.sdmx.genericdata+xml;version=2.1';
const NO_RESULTS = `<?xml version="1.0" encoding="UTF-8"?>
<mes:Error xmlns:mes="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" xmlns:com="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common">
  <mes:ErrorMessage code="100">
    <com:Text xml:lang="en">No Results Found</com:Text>
  </mes:ErrorMessage>
</mes:Error>
`;

/** An SDMX-CSV 1.0 message of `rows` observations (1.1.1, SI_POV_DAY1, the United Kingdom), about 100 bytes each. */
function bigCsv(rows: number): Buffer {
  const [header = '', row = ''] = fixture('sdg-1-1-1-2022.sdmx-csv-1.0.csv').toString('utf8').split('\n');
  const out = [header];
  for (let i = 0; i < rows; i++) out.push(row.replace(',2022,', `,${1000 + i},`));
  return Buffer.from(`${out.join('\n')}\n`);
}

const requests: { path: string; accept?: string; apiKey?: string }[] = [];
const service = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://sdmx');
  requests.push({
    path: url.pathname,
    accept: req.headers.accept,
    apiKey: req.headers['x-api-key'] as string | undefined,
  });
  const send = (type: string, body: string | Buffer, status = 200) =>
    res.writeHead(status, { 'Content-Type': type }).end(body);
  switch (url.pathname) {
    case '/rest/data/DF_SDG_GLH/A.N.SI_POV_DAY1.826':
      return send(ML21_GENERIC, fixture('sdg-1-1-1-generic.xml'));
    case '/rest/data/DF_SDG_GLH/A.N.SI_POV_NAHC.826': {
      // In pieces, as a service streams it (chunked).
      const body = fixture('sdg-1-2-1-structure-specific.xml');
      res.writeHead(200, { 'Content-Type': ML21_SS });
      res.write(body.subarray(0, 1000));
      setTimeout(() => res.end(body.subarray(1000)), 20);
      return;
    }
    case '/xml':
      return send('application/xml', fixture('sdg-1-1-1-structure-specific.xml'));
    case '/csv1':
      return send(
        'application/vnd.sdmx.data+csv;version=1.0.0;charset=utf-8',
        fixture('sdg-1-1-1-2022.sdmx-csv-1.0.csv'),
      );
    case '/csv2':
      return send(
        'application/vnd.sdmx.data+csv; version=2.0.0; charset=utf-8',
        fixture('sdg-1-1-1-2023.sdmx-csv-2.0.csv'),
      );
    case '/json':
      return send('application/vnd.sdmx.data+json;version=2.0.0;charset=utf-8', fixture('sdg-1-1-1-2024.sdmx.json'));
    case '/redirect':
      return res.writeHead(302, { Location: '/rest/data/DF_SDG_GLH/A.N.SI_POV_DAY1.826' }).end();
    case '/loop':
      return res.writeHead(301, { Location: `/loop?n=${Number(url.searchParams.get('n') ?? 0) + 1}` }).end();
    case '/rest/data/DF_SDG_GLH/A.N.NOTHING.826':
      return send('application/xml;charset=utf-8', NO_RESULTS, 404);
    case '/json-error':
      return send(
        'application/vnd.sdmx.data+json;version=2.0.0',
        JSON.stringify({ errors: [{ code: 150, title: 'Semantic Error', detail: 'Unknown dataflow DF_NOPE' }] }),
        404,
      );
    case '/html':
      return send('text/html;charset=utf-8', '<!DOCTYPE html><html><head><title>Data explorer</title></head></html>');
    case '/structure':
      return send('application/xml', readFileSync(SDG_DSD));
    case '/empty':
      return send(ML21_SS, '');
    case '/stall':
      return; // never answers
    case '/cut':
    case '/stall-body': {
      // The head of a large answer, then the connection is dropped (or nothing more comes).
      const body = bigCsv(400);
      res.writeHead(200, {
        'Content-Type': 'application/vnd.sdmx.data+csv;version=1.0.0',
        'Content-Length': String(body.length),
      });
      res.write(body.subarray(0, 24_000));
      if (url.pathname === '/cut') setTimeout(() => res.socket?.destroy(), 50);
      return;
    }
    default:
      return send('text/plain', 'not found', 404);
  }
});

describe('telling SDMX answers apart', () => {
  it('reads the format from the Content-Type, or from the first bytes when the type is vague', () => {
    const ss = fixture('sdg-1-1-1-structure-specific.xml').toString('utf8');
    expect(sniffAnswer(ML21_SS, ss)).toEqual({ kind: 'data', format: 'sdmx-ml' });
    expect(sniffAnswer('application/xml', ss)).toEqual({ kind: 'data', format: 'sdmx-ml' });
    expect(sniffAnswer('application/octet-stream', ss)).toEqual({ kind: 'data', format: 'sdmx-ml' });
    const ml30 = readFileSync(
      path.join(ROOT, '../shared/data/sdmx-ml/samples/Data - Simple Data Attributes/ECB_EXR.xml'),
      'utf8',
    ).slice(0, 8192);
    expect(sniffAnswer('text/xml', ml30)).toEqual({ kind: 'data', format: 'sdmx-ml' });
    expect(sniffAnswer('application/vnd.sdmx.data+xml;version=3.0.0', ml30)).toEqual({
      kind: 'data',
      format: 'sdmx-ml',
    });
    const csv = fixture('sdg-1-1-1-2023.sdmx-csv-2.0.csv').toString('utf8');
    expect(sniffAnswer('text/plain', csv)).toEqual({ kind: 'data', format: 'sdmx-csv' });
    expect(sniffAnswer('text/csv', csv)).toEqual({ kind: 'data', format: 'sdmx-csv' });
    expect(sniffAnswer('', '\uFEFF{"meta":{}}')).toEqual({ kind: 'data', format: 'sdmx-json' });
    expect(sniffAnswer('application/json', '{"data":{}}')).toEqual({ kind: 'data', format: 'sdmx-json' });
    expect(sniffAnswer('application/xml', '<?xml version="1.0"?>\n<catalog/>')).toEqual({
      kind: 'other',
      what: 'XML whose root element is catalog',
    });
    expect(sniffAnswer('text/plain', 'Service unavailable')).toMatchObject({ kind: 'other' });
    const codelist30 = readFileSync(path.join(ROOT, '../shared/data/sdmx-ml/samples/Codelist/codelist.xml'), 'utf8');
    expect(sniffAnswer('application/xml', codelist30)).toMatchObject({ kind: 'structure' });
    expect(sniffAnswer('application/vnd.sdmx.structure+json;version=1.0', '{}')).toMatchObject({
      kind: 'structure',
    });
    expect(sniffAnswer('application/xml', NO_RESULTS)).toEqual({ kind: 'error' });
    expect(sniffAnswer('application/xml', '<!doctype html><html></html>')).toEqual({ kind: 'html' });
    expect(sniffAnswer(ML21_SS, ' \n')).toEqual({ kind: 'empty' });
  });

  it("reads the service's SDMX error, checks the URL, the headers and the size", () => {
    expect(sdmxErrorOf(NO_RESULTS)).toEqual({ text: 'No Results Found', code: '100' });
    expect(sdmxErrorOf('{"errors":[{"code":100,"title":"No results found","titles":{"en":"No results"}}]}')).toEqual({
      text: 'No results found',
      code: '100',
    });
    expect(sdmxErrorOf('<html>Oops</html>')).toBeUndefined();
    expect(shownUrl(new URL('https://example.org/rest/data/DF/A..?startPeriod=2015&api_key=s3cret'))).toBe(
      'https://example.org/rest/data/DF/A..?startPeriod=2015&api_key=…',
    );
    expect(() => pullUrl('https://me:pw@example.org/rest/data/DF')).toThrow(/must not hold a user name or password/);
    expect(() => pullUrl('file:///etc/passwd')).toThrow(/file: URLs are not fetched/);
    expect(() => pullUrl('example.org/rest')).toThrow(/is not a URL/);
    expect(parseHeaders(['X-Api-Key: abc: d'], 'Authorization: Bearer t\n').get('x-api-key')).toBe('abc: d');
    expect(parseHeaders([], 'Authorization: Bearer t\n').get('authorization')).toBe('Bearer t');
    expect(() => parseHeaders(['no colon'], '')).toThrow(/must be "Name: value"/);
    expect(parseBytes('200M')).toBe(200 * 1024 * 1024);
    expect(parseBytes('2G')).toBe(2 * 1024 ** 3);
    expect(parseBytes('1000')).toBe(1000);
    expect(() => parseBytes('lots')).toThrow(/--max-bytes/);
  });
});

describe.each(testStoreKinds())('marsad pull sdmx on %s', (kind) => {
  let dir: string;
  let db: { url?: string; drop(): Promise<void> } | undefined;
  let env: Record<string, string | undefined>;
  let base: string;
  const config = () => readConfig({ MARSAD_DATA_DIR: path.join(dir, 'data'), DATABASE_URL: db?.url });
  const pull = (url: string, o: PullSdmxOptions = {}) => marsadInProcess(() => pullSdmxCommand(config(), url, o));
  const observations = () =>
    withLocalStore(config(), (store) =>
      store.db
        .selectFrom('observations as o')
        .innerJoin('series as s', 's.id', 'o.series_id')
        .innerJoin('places as p', 'p.id', 'o.place_id')
        .innerJoin('disaggregations as d', 'd.id', 'o.disagg_id')
        .select(['s.code as series', 'p.code as place', 'o.period', 'd.key', 'o.value', 'o.status'])
        .orderBy('s.code')
        .orderBy('o.period')
        .orderBy('d.key')
        .execute(),
    );

  beforeAll(async () => {
    if (!service.listening) await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(service.address() as AddressInfo).port}`;
    dir = await mkdtemp(path.join(os.tmpdir(), 'marsad-pull-sdmx-'));
    db = await createTestDataDirectory(kind, path.join(dir, 'data'));
    env = { MARSAD_DATA_DIR: path.join(dir, 'data'), DATABASE_URL: db.url };
  });
  afterAll(async () => {
    service.closeAllConnections();
    await new Promise((resolve) => service.close(resolve));
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('imports what the service answers in each format: SDMX-ML generic and structure-specific, SDMX-CSV 1.0 and 2.0, SDMX-JSON', async () => {
    requests.length = 0;
    const generic = `${base}/rest/data/DF_SDG_GLH/A.N.SI_POV_DAY1.826`;
    const r = await marsad(['pull', 'sdmx', generic, '--indicator', '1.1.1', '--header', 'X-Api-Key: k-123'], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `127.0.0.1:${new URL(base).port}/rest/data/DF_SDG_GLH/A.N.SI_POV_DAY1.826: imported 6 rows — 6 new`,
    );
    expect(requests).toEqual([
      { path: '/rest/data/DF_SDG_GLH/A.N.SI_POV_DAY1.826', accept: SDMX_ACCEPT, apiKey: 'k-123' },
    ]);
    // What was asked for, most wanted first.
    expect(SDMX_ACCEPT.split(', ').map((t) => t.replace(/;q=[\d.]+$/, ''))).toEqual([
      'application/vnd.sdmx.structurespecificdata+xml;version=2.1',
      'application/vnd.sdmx.genericdata+xml;version=2.1',
      'application/vnd.sdmx.data+xml;version=3.0.0',
      'application/vnd.sdmx.data+csv;version=2.0.0',
      'application/vnd.sdmx.data+csv;version=1.0.0',
      'application/vnd.sdmx.data+json;version=2.0.0',
      'application/vnd.sdmx.data+json;version=1.0.0',
      '*/*',
    ]);

    // The rest in this process (each command started costs seconds).
    const ss = await pull(`${base}/rest/data/DF_SDG_GLH/A.N.SI_POV_NAHC.826`, { indicator: '1.2.1' });
    expect(ss.stdout, ss.stderr).toMatch(/imported 6 rows — 6 new/);
    // application/xml: told by its first bytes; the same data as the generic message.
    const xml = await pull(`${base}/xml`, { indicator: '1.1.1' });
    expect(xml.stdout, xml.stderr).toMatch(/imported 6 rows — 0 new, 0 changed, 6 unchanged/);
    // SDMX-CSV and SDMX-JSON name SERIES only: SI_POV_DAY1 is the series the first message created under 1.1.1.
    const csv1 = await pull(`${base}/csv1`, { status: 'approved' });
    expect(csv1.stdout, csv1.stderr).toMatch(/imported 3 rows — 3 new/);
    const csv2 = await pull(`${base}/csv2`);
    expect(csv2.stdout, csv2.stderr).toMatch(/imported 3 rows — 3 new/);
    const json = await pull(`${base}/json`, { json: true });
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout).counts).toMatchObject({ read: 3, inserted: 3, errors: 0 });
    // A redirect is followed, with the headers given (same host); a dry run writes nothing.
    requests.length = 0;
    const moved = await pull(`${base}/redirect`, { indicator: '1.1.1', dryRun: true, header: ['X-Api-Key: k-9'] });
    expect(moved.stdout, moved.stderr).toMatch(/would import 6 rows — 0 new, 0 changed, 6 unchanged/);
    expect(requests.map((q) => [q.path, q.apiKey])).toEqual([
      ['/redirect', 'k-9'],
      ['/rest/data/DF_SDG_GLH/A.N.SI_POV_DAY1.826', 'k-9'],
    ]);

    const rows = await observations();
    expect(rows).toHaveLength(21);
    const at = (series: string, period: string, key: string) =>
      rows.find((o) => o.series === series && o.period === period && o.key === key);
    expect(at('SI_POV_DAY1', '2021', 'SEX=F')).toMatchObject({ place: 'GBR', value: 80, status: 'provisional' });
    expect(at('SI_POV_NAHC', '2020', '')).toMatchObject({ place: 'GBR', value: 100 });
    expect(at('SI_POV_DAY1', '2022', 'SEX=M')).toMatchObject({ value: 65, status: 'approved' });
    expect(at('SI_POV_DAY1', '2023', '')).toMatchObject({ value: 140 });
    expect(at('SI_POV_DAY1', '2024', 'SEX=F')).toMatchObject({ value: 95 });
  });

  it('writes nothing when the answer breaks off or stalls half-way', async () => {
    const before = (await observations()).length;
    const cut = await pull(`${base}/cut`, { indicator: '1.1.1' });
    expect(cut.code).toBe(1);
    expect(cut.stderr).toMatch(
      new RegExp(
        `marsad: ${base}/cut broke off its answer after \\d+ kB \\(UND_ERR_SOCKET .*\\); nothing was imported`,
      ),
    );
    const stalled = await pull(`${base}/stall-body`, { timeout: '0.5' });
    expect(stalled.code).toBe(1);
    expect(stalled.stderr).toMatch(
      `marsad: ${base}/stall-body stopped sending for more than 0.5 s (--timeout 0.5) after 23 kB; nothing was imported`,
    );
    expect(await observations()).toHaveLength(before);
    // Both had begun to import (the answers are longer than what is looked at first): their batches were rolled back.
    const batches = await withLocalStore(config(), (store) =>
      store.db
        .selectFrom('import_batches')
        .select(['state', 'failure_reason'])
        .orderBy('id', 'desc')
        .limit(2)
        .execute(),
    );
    expect(batches).toEqual([
      { state: 'failed', failure_reason: 'error' },
      { state: 'failed', failure_reason: 'error' },
    ]);
  });

  it.runIf(kind === testStoreKinds()[0])(
    "says what went wrong, naming the URL: the service's SDMX error, a web page, a structure message, no answer",
    async () => {
      const before = (await observations()).length;
      const nothing = `${base}/rest/data/DF_SDG_GLH/A.N.NOTHING.826`;
      const r = await marsad(['pull', 'sdmx', nothing, '--indicator', '1.1.1'], env);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`marsad: ${nothing} answered 404 No Results Found (SDMX error 100)\n`);

      const failure = (url: string, o: PullSdmxOptions = {}) =>
        pullSdmxCommand(config(), url, o).then(
          () => 'no error',
          (err: Error) => err.message,
        );
      expect(await failure(`${base}/json-error`)).toBe(
        `${base}/json-error answered 404 Semantic Error: Unknown dataflow DF_NOPE (SDMX error 150)`,
      );
      expect(await failure(`${base}/nowhere`)).toBe(
        `${base}/nowhere answered 404 Not Found: nothing at this address: check the URL (the dataflow and the key). The service says: not found`,
      );
      expect(await failure(`${base}/html`)).toBe(
        `${base}/html: the service answered with an HTML page, not SDMX data: check the URL`,
      );
      expect(await failure(`${base}/structure`)).toBe(
        `${base}/structure: this is a structure message (an SDMX-ML Structure message), not data: use \`marsad sdmx load-structure ${base}/structure\` to load it`,
      );
      expect(await failure(`${base}/empty`)).toMatch(/\/empty answered 200 with an empty answer/);
      expect(await failure(`${base}/stall`, { timeout: '0.5' })).toBe(
        `${base}/stall did not answer within 0.5 s (--timeout 0.5)`,
      );
      expect(await failure(`${base}/loop`)).toBe(
        `${base}/loop redirected more than 5 times (the last to ${base}/loop?n=5): stopped`,
      );
      expect(await failure(`${base}/csv1`, { maxBytes: '100' })).toBe(
        `the answer of ${base}/csv1 is larger than 100 bytes (--max-bytes): nothing was imported; narrow the query (a key, startPeriod) or raise --max-bytes`,
      );
      // Refused before reading, when the answer says its length.
      expect(await failure(`${base}/cut`, { maxBytes: '10k' })).toMatch(
        /^the answer of .*\/cut is \d+ kB, larger than 10 kB \(--max-bytes\): narrow the query/,
      );
      const closed = http.createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise((resolve) => closed.close(resolve));
      expect(await failure(`http://127.0.0.1:${port}/rest/data/DF`)).toBe(
        `could not reach http://127.0.0.1:${port}/rest/data/DF: ECONNREFUSED (connection refused)`,
      );
      expect(await failure(`http://user:pw@127.0.0.1:${port}/rest/data/DF`)).toMatch(
        /must not hold a user name or password/,
      );
      expect(await failure('ftp://example.org/data')).toMatch(/ftp: URLs are not fetched/);
      expect(await observations()).toHaveLength(before);
    },
  );
});
