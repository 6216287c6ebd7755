/**
 * Fuzz run against a listening server: thousands of hostile import files (every format, the
 * places import, XLSForm workbooks) and hostile API bodies (every write route of the OpenAPI
 * document), sent over HTTP on keep-alive connections. Prints the answers by status, the 500s,
 * the hangs (no answer within 30 s), the partial writes (a refused file that changed a table)
 * and the peak RSS of this process, which holds the server. Goal: 0, 0, 0, RSS under 600 MB.
 *
 *   npm run bench:fuzz -- --db pglite --files 2000 --bodies 3000
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:fuzz -- --db postgres
 *
 * The cases come from the generators of the property-based tests (packages/server/test/robustness),
 * from --seed (default: the tests' seed).
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { StoreKind } from '@marsad/db';
import { createTestDatabase } from '@marsad/db/testing';
import { buildApp } from '@marsad/server';
import fc from 'fast-check';
import type { HostileFile } from '../../packages/server/test/robustness/hostile-files.ts';
import {
  EXPORT_BASES,
  fingerprint,
  SEED_DATA,
  uploadTargets,
} from '../../packages/server/test/robustness/upload-targets.ts';

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: process.env.DATABASE_URL ? 'postgres' : 'pglite' },
    files: { type: 'string', default: '2000' },
    bodies: { type: 'string', default: '3000' },
    seed: { type: 'string', default: '20261206' },
    timeout: { type: 'string', default: '30000' },
  },
});
const kind = args.db as StoreKind;
const FILES = Number(args.files);
const BODIES = Number(args.bodies);
const SEED = Number(args.seed);
const TIMEOUT = Number(args.timeout);
const SHARED = path.resolve(import.meta.dirname, '../../../shared');
const TOKEN = 'bench-admin-token';
const AUTH = { authorization: `Bearer ${TOKEN}` };

/** Peak resident memory of this process (the kernel's high-water mark), in MB. */
function peakRssMb(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : Math.round(process.memoryUsage().rss / 1048576);
}

interface Answer {
  status: number;
  body: string;
  ms: number;
}

function send(
  agent: http.Agent,
  base: string,
  method: string,
  url: string,
  body: Buffer | undefined,
  headers: Record<string, string>,
): Promise<Answer | 'hang'> {
  return new Promise((resolve) => {
    const started = performance.now();
    const req = http.request(
      `${base}${url}`,
      {
        method,
        agent,
        headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) },
      },
      (res) => {
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
      },
    );
    req.setTimeout(TIMEOUT, () => {
      req.destroy();
      resolve('hang');
    });
    req.on('error', (err) => resolve({ status: 0, body: String(err), ms: performance.now() - started }));
    req.end(body);
  });
}

async function main(): Promise<void> {
  const db = await createTestDatabase(kind, { catalogue: true });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'marsad-fuzz-'));
  const app = await buildApp({ store: db.store, dataDir, adminToken: TOKEN, version: 'bench' }, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const startRss = peakRssMb();
  let sampled = startRss;
  const sampler = setInterval(() => {
    sampled = Math.max(sampled, Math.round(process.memoryUsage().rss / 1048576));
  }, 100);

  try {
    const seeded = await send(agent, base, 'POST', '/api/v1/imports?format=csv', Buffer.from(SEED_DATA), {
      ...AUTH,
      'content-type': 'text/csv',
    });
    if (seeded === 'hang' || seeded.status !== 201) throw new Error('the seed data did not import');
    const exports: Record<string, string> = {};
    for (const b of EXPORT_BASES) {
      const e = await send(
        agent,
        base,
        'GET',
        `/api/v1/observations/export?format=${b.format}${b.query}`,
        undefined,
        AUTH,
      );
      if (e === 'hang' || e.status !== 200) throw new Error(`no ${b.format} export`);
      exports[b.format] = e.body;
    }
    const targets = await uploadTargets(exports, SHARED);

    // Files: an equal share for each upload route.
    const fileStats = {
      sent: 0,
      byStatus: new Map<number, number>(),
      fiveHundreds: [] as string[],
      hangs: [] as string[],
      partial: [] as string[],
      slowestMs: 0,
    };
    let before = await fingerprint(db.store);
    const per = Math.ceil(FILES / targets.length);
    const t0 = performance.now();
    for (const [i, target] of targets.entries()) {
      const makers = fc.sample(target.files, { numRuns: per, seed: SEED + i });
      for (const make of makers) {
        const file: HostileFile = await make();
        const a = await send(agent, base, 'POST', `${target.url}?${new URLSearchParams(file.query)}`, file.body, {
          ...AUTH,
          'content-type': file.contentType,
        });
        fileStats.sent++;
        const what = `${target.name}: ${file.story.join(' · ').slice(0, 200)}`;
        if (a === 'hang') {
          fileStats.hangs.push(what);
          continue;
        }
        fileStats.slowestMs = Math.max(fileStats.slowestMs, a.ms);
        fileStats.byStatus.set(a.status, (fileStats.byStatus.get(a.status) ?? 0) + 1);
        if (a.status >= 500 || a.status === 0)
          fileStats.fiveHundreds.push(`${a.status} ${what}: ${a.body.slice(0, 200)}`);
        const after = await fingerprint(db.store);
        if (a.status >= 400 && after !== before) fileStats.partial.push(`${a.status} ${what}`);
        before = after;
      }
    }
    const fileSeconds = (performance.now() - t0) / 1000;

    // API bodies: the generator of the write-route test, when it is there.
    let bodyReport = 'API bodies: not run (no generator module)';
    try {
      const requests = '../../packages/server/test/robustness/hostile-requests.ts';
      const mod = (await import(requests)) as {
        fuzzRequests?: (o: {
          base: string;
          agent: http.Agent;
          auth: Record<string, string>;
          count: number;
          seed: number;
          timeoutMs: number;
          openapi: unknown;
        }) => Promise<string>;
      };
      if (mod.fuzzRequests && BODIES > 0) {
        const openapi = (await send(agent, base, 'GET', '/api/openapi.json', undefined, {})) as Answer;
        bodyReport = await mod.fuzzRequests({
          base,
          agent,
          auth: AUTH,
          count: BODIES,
          seed: SEED,
          timeoutMs: TIMEOUT,
          openapi: JSON.parse(openapi.body),
        });
      }
    } catch (err) {
      if ((err as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw err;
    }

    clearInterval(sampler);
    const peak = Math.max(peakRssMb(), sampled);
    console.log(`fuzz on ${kind}, seed ${SEED}`);
    console.log(
      `files: ${fileStats.sent} in ${fileSeconds.toFixed(1)} s (${targets.map((x) => x.name).join(', ')}); answers ${JSON.stringify(Object.fromEntries([...fileStats.byStatus].sort()))}; slowest ${Math.round(fileStats.slowestMs)} ms`,
    );
    console.log(
      `  500s: ${fileStats.fiveHundreds.length}   hangs over ${TIMEOUT / 1000} s: ${fileStats.hangs.length}   partial writes: ${fileStats.partial.length}`,
    );
    for (const line of [...fileStats.fiveHundreds, ...fileStats.hangs, ...fileStats.partial].slice(0, 20))
      console.log(`    ${line}`);
    console.log(bodyReport);
    console.log(`peak RSS of the process holding the server: ${peak} MB (at start ${startRss} MB)`);
  } finally {
    clearInterval(sampler);
    agent.destroy();
    await app.close();
    await db.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
