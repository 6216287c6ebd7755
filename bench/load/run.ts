/**
 * bench/load: public reads under load, each beside a static file of the same bytes served by the same process in the
 * same run (issue 16). A Marsad on PGlite (or the PostgreSQL server of DATABASE_URL with --postgres) holding the
 * demonstration data and N generated approved observations (default 2 million: I made-up indicators × every place ×
 * 25 years, written straight into the database and labelled as such in their names), and a plain node:http server
 * that answers each address with the bytes Marsad gave for it. autocannon, in a process of its own, sends the reads
 * for `--duration` seconds at each number of `--connections`, `--runs` times; the figures are the median and the
 * range of requests per second, the median p99 latency, and errors and timeouts, with the ratio to the static file.
 * `--importers K` runs K loops importing approved values meanwhile (each commit changes the public data).
 *
 *   npm run bench:load [-- --postgres] [--rows 2000000] [--duration 20] [--connections 50,200] [--runs 3]
 *                      [--importers 3] [--only updates,summary] [--no-cache] [--bare] [--brotli]
 *
 * The static file is sent with the headers Marsad sent with it (its security headers, ETag, Cache-Control, Vary: what
 * a static host of the same site would send; the bytes on the wire are the same), or with its type and length alone
 * (`--bare`). `--brotli`: the reads ask for brotli (Accept-Encoding: br, as browsers do), and the static file is the
 * brotli bytes Marsad sent; else both send the bytes uncoded.
 */
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { createServer, get as httpGet, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createTestDatabase } from '@marsad/db/testing';
import { buildApp, importFile, prepareDatabase } from '@marsad/server';
import { sql } from 'kysely';
import { dropOnInterrupt } from '../common/drop-on-interrupt.ts';

const { values: opt } = parseArgs({
  options: {
    postgres: { type: 'boolean' },
    rows: { type: 'string', default: '2000000' },
    duration: { type: 'string', default: '20' },
    connections: { type: 'string', default: '50,200' },
    runs: { type: 'string', default: '3' },
    importers: { type: 'string', default: '0' },
    only: { type: 'string' },
    'no-cache': { type: 'boolean' },
    bare: { type: 'boolean' },
    brotli: { type: 'boolean' },
  },
});
const kind = opt.postgres ? 'postgres' : 'pglite';
const rows = Number(opt.rows);
const duration = Number(opt.duration);
const connections = opt.connections.split(',').map(Number);
const runs = Number(opt.runs);
const importers = Number(opt.importers);

const t0 = Date.now();
const db = await createTestDatabase(kind);
const cleanUp = dropOnInterrupt(db);

try {
  await prepareDatabase(db.store, { demo: 'yes' });
  // Made-up values: indicators LOAD.1… ("Load test indicator, made up"), every place, 25 years.
  const places = Number(
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM places`.execute(db.store.db)).rows[0]!.n,
  );
  const indicators = Math.max(1, Math.ceil(rows / (places * 25)));
  await db.store.exclusive(async (conn) => {
    await conn.query(
      `INSERT INTO indicators (code, names, local, status)
       SELECT 'LOAD.' || i, jsonb_build_object('en', 'Load test indicator ' || i || ', made up'), true, 'active'
         FROM generate_series(1, $1::int) i`,
      [indicators],
    );
    await conn.query(
      `INSERT INTO series (indicator_id, code, names, is_default)
       SELECT id, code, names, true FROM indicators WHERE code LIKE 'LOAD.%'`,
    );
    await conn.query(
      `INSERT INTO observations (series_id, place_id, period, disagg_id, indicator_id, period_start, period_end, value, status)
       SELECT s.id, p.id, y::text, 0, s.indicator_id, make_date(y, 1, 1), make_date(y, 12, 31),
              round((random() * 100)::numeric, 1), 'approved'
         FROM series s JOIN indicators i ON i.id = s.indicator_id AND i.code LIKE 'LOAD.%'
        CROSS JOIN places p CROSS JOIN generate_series(2000, 2024) y`,
    );
  });
  await sql`ANALYZE`.execute(db.store.db);
  const count = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM observations`.execute(db.store.db)).rows[0]!.n;
  console.log(
    `${kind}: ${count.toLocaleString('en')} observations (${indicators} made-up indicators × ${places} places × 25 years, and the demonstration data); set up in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
  );

  const app = await buildApp(
    {
      store: db.store,
      dataDir: await mkdtemp(path.join(os.tmpdir(), 'marsad-load-')),
      adminToken: 'x',
      version: 'load',
    },
    { logger: false, ...(opt['no-cache'] ? { publicCache: false } : {}) },
  );
  const marsad = await app.listen({ port: 0, host: '127.0.0.1' });

  const reads: Record<string, string> = {
    'observations of one indicator at one place': '/api/v1/observations?indicator=LOAD.1&place=MAR&limit=100',
    'an indicator’s data (page)': '/api/v1/indicators/LOAD.1/data?lang=en',
    'place summary': '/api/v1/places/MAR/summary?lang=en',
    'latest updates (home)': '/api/v1/updates?lang=en&limit=8',
    'counts (home)': '/api/v1/summary',
    'home page HTML': '/en/',
    'place page HTML (drawn on the server)': '/ar/places/MAR',
    'indicator page HTML': '/en/indicators/LOAD.1',
  };
  const chosen = Object.entries(reads).filter(
    ([name, url]) => !opt.only || opt.only.split(',').some((w) => name.includes(w) || url.includes(w)),
  );

  // The static baseline: the same bytes and headers (or type alone, --bare), from memory, in this process.
  const files = new Map<string, { body: Buffer; headers: Record<string, string> }>();
  /** Headers Node writes itself. */
  const OWN = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);
  for (const [, url] of chosen) {
    // node:http, not fetch: the bytes as sent (fetch would decode brotli).
    const r = await new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) =>
      httpGet(marsad + url, { headers: { 'accept-encoding': opt.brotli ? 'br' : 'identity' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      }).on('error', reject),
    );
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(r.headers))
      if (
        !OWN.has(name) &&
        value !== undefined &&
        (!opt.bare || name === 'content-type' || name === 'content-encoding')
      )
        headers[name] = String(value);
    files.set(url, { body: r.body, headers });
    if (r.status !== 200) throw new Error(`${url} answered ${r.status}`);
  }
  const staticServer = createServer((req, res) => {
    const f = files.get(req.url ?? '');
    if (!f) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { ...f.headers, 'content-length': f.body.length }).end(f.body);
  });
  await new Promise<void>((resolve) => staticServer.listen(0, '127.0.0.1', resolve));
  const staticBase = `http://127.0.0.1:${(staticServer.address() as AddressInfo).port}`;

  // Importers: each imports a year of approved values of one made-up indicator at 50 places, over and over.
  let importing = importers > 0;
  let imports = 0;
  const loops = Array.from({ length: importers }, async (_, k) => {
    const placeCodes = (await sql<{ code: string }>`SELECT code FROM places ORDER BY id LIMIT 50`.execute(db.store.db))
      .rows;
    for (let round = 0; importing; round++) {
      const csv = `indicator,place,period,value\n${placeCodes.map((p) => `LOAD.${k + 2},${p.code},${2030 + (round % 40)},${round % 100}`).join('\n')}\n`;
      await importFile(
        db.store,
        (async function* () {
          yield csv;
        })(),
        { format: 'csv', actor: 'bench', status: 'approved', rowStatusAllowed: true },
      );
      imports++;
    }
  });

  interface Result {
    rps: number;
    p99: number;
    errors: number;
    timeouts: number;
    non2xx: number;
  }
  const cannon = (url: string, c: number) =>
    new Promise<Result>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          path.resolve(import.meta.dirname, '../../node_modules/autocannon/autocannon.js'),
          '--json',
          '-c',
          String(c),
          '-d',
          String(duration),
          '-t',
          '10',
          ...(opt.brotli ? ['-H', 'accept-encoding=br'] : []),
          url,
        ],
        { stdio: ['ignore', 'pipe', 'ignore'] },
      );
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
      });
      child.on('close', () => {
        try {
          const j = JSON.parse(out) as {
            requests: { average: number };
            latency: { p99: number };
            errors: number;
            timeouts: number;
            non2xx: number;
          };
          resolve({
            rps: j.requests.average,
            p99: j.latency.p99,
            errors: j.errors,
            timeouts: j.timeouts,
            non2xx: j.non2xx,
          });
        } catch (err) {
          reject(err);
        }
      });
    });
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const fmt = (xs: number[]) =>
    `${median(xs).toFixed(0).padStart(6)} req/s (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`;

  console.log(
    `\n${duration} s per run, ${runs} run(s), autocannon in its own process; ${importers} importer(s)${opt['no-cache'] ? '; cache off' : ''}; the static file sent ${opt.bare ? 'with its type alone' : 'with the headers Marsad sent'}; ${opt.brotli ? 'brotli asked for and sent' : 'uncoded'}`,
  );
  for (const [name, url] of chosen) {
    const bytes = files.get(url)!.body.length;
    for (const c of connections) {
      const m: Result[] = [];
      const s: Result[] = [];
      for (let i = 0; i < runs; i++) {
        m.push(await cannon(marsad + url, c));
        s.push(await cannon(staticBase + url, c));
      }
      const ratio = median(m.map((r) => r.rps)) / median(s.map((r) => r.rps));
      const bad = m.reduce((n, r) => n + r.errors + r.timeouts + r.non2xx, 0);
      console.log(
        `${name} (${(bytes / 1024).toFixed(1)} kB), ${c} connections\n` +
          `  Marsad  ${fmt(m.map((r) => r.rps))}  p99 ${median(m.map((r) => r.p99))} ms  errors/timeouts/non-2xx ${bad}\n` +
          `  static  ${fmt(s.map((r) => r.rps))}  p99 ${median(s.map((r) => r.p99))} ms\n` +
          `  ratio   ${ratio.toFixed(2)}×`,
      );
    }
  }
  importing = false;
  await Promise.all(loops);
  if (importers) console.log(`\n${imports} imports committed during the runs.`);
  staticServer.close();
  await app.close();
} finally {
  await cleanUp();
}
