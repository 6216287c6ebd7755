/**
 * Fuzz run against a listening server: thousands of hostile import files (every format, the
 * places import, XLSForm workbooks) and hostile API bodies (every write route of the OpenAPI
 * document), sent over HTTP on keep-alive connections. Prints the answers by status, the 500s,
 * the hangs (no answer within 30 s), the partial writes (a refused file that changed what the
 * API shows: the whole CSV export, dimensions, places, indicators, questionnaires) and the peak
 * RSS of the server — the real `marsad serve`, in a child process, on a fresh embedded database or
 * a fresh database on the PostgreSQL server. Goal: 0, 0, 0, RSS under 600 MB.
 *
 *   npm run bench:fuzz -- --db pglite --files 2000 --bodies 3000
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:fuzz -- --db postgres
 *
 * The cases come from the generators of the property-based tests (packages/server/test/robustness),
 * from --seed (default: the tests' seed).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { StoreKind } from '@marsad/db';
import { createTestDataDirectory } from '@marsad/db/testing';
import fc from 'fast-check';
import type { HostileFile } from '../../packages/server/test/robustness/hostile-files.ts';
import { fuzzRequests, sendOverHttp } from '../../packages/server/test/robustness/hostile-requests.ts';
import { EXPORT_BASES, SEED_DATA, uploadTargets } from '../../packages/server/test/robustness/upload-targets.ts';

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
const BIN = path.resolve(import.meta.dirname, '../../packages/cli/bin/marsad.js');

/** Resident memory of a process now and its peak (the kernel's high-water mark), in MB. */
function rssMb(pid: number): { now: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { now: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** `marsad serve` on the prepared database; resolves when it listens. */
async function startServer(dataDir: string, url: string | undefined, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: { ...process.env, MARSAD_DATA_DIR: dataDir, DATABASE_URL: url, MARSAD_DEMO: '0', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const look = (c: Buffer) => {
      out += c.toString();
      if (out.includes(`:${port}`)) resolve();
    };
    child.stdout?.on('data', look);
    child.stderr?.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.once('exit', (code) => reject(new Error(`marsad serve ended (${code}): ${out.slice(-2000)}`)));
  });
  return child;
}

/** One request to the server, with this run's timeout. */
const send = (
  agent: http.Agent,
  base: string,
  method: string,
  url: string,
  body: Buffer | undefined,
  headers: Record<string, string>,
) => sendOverHttp(agent, base, method, url, body, headers, TIMEOUT);

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'marsad-fuzz-'));
  const database = await createTestDataDirectory(kind, dataDir);
  const port = await freePort();
  const child = await startServer(dataDir, database.url, port);
  const pid = child.pid!;
  const base = `http://127.0.0.1:${port}`;
  const AUTH = { authorization: `Bearer ${(await readFile(path.join(dataDir, 'admin-token'), 'utf8')).trim()}` };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const startRss = rssMb(pid).now;

  /** What a refused file must leave as it was, as the API shows it. */
  const fingerprint = async (): Promise<string> => {
    const hash = createHash('sha256');
    for (const url of [
      '/api/v1/observations/export?format=csv',
      '/api/v1/dimensions',
      '/api/v1/places?limit=1',
      '/api/v1/indicators?limit=1',
      '/api/v1/questionnaires',
    ]) {
      const a = await send(agent, base, 'GET', url, undefined, AUTH);
      hash.update(a === 'hang' ? 'hang' : `${a.status}:${a.body}`);
    }
    return hash.digest('hex');
  };

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
    let before = await fingerprint();
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
        const after = await fingerprint();
        if (a.status >= 400 && after !== before) fileStats.partial.push(`${a.status} ${what}`);
        before = after;
      }
    }
    const fileSeconds = (performance.now() - t0) / 1000;

    // API bodies: the generator of the write-route test.
    let bodyReport = 'API bodies: not run (--bodies 0)';
    if (BODIES > 0) {
      const openapi = await send(agent, base, 'GET', '/api/openapi.json', undefined, {});
      if (openapi === 'hang' || openapi.status !== 200) throw new Error('no OpenAPI document');
      bodyReport = await fuzzRequests({
        base,
        agent,
        auth: AUTH,
        count: BODIES,
        seed: SEED,
        timeoutMs: TIMEOUT,
        openapi: JSON.parse(openapi.body),
      });
    }

    const { peak } = rssMb(pid);
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
    console.log(`peak RSS of marsad serve: ${peak} MB (${startRss} MB when it started listening)`);
  } finally {
    agent.destroy();
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
