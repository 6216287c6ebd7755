/**
 * The SDMX web service at national scale (issue 18): a data query of about a million observations through `/sdmx/`
 * in each format — SDMX-ML 2.1 generic and structure-specific, SDMX-JSON 2.0, SDMX-CSV 2.0 — against the CSV export
 * of the same rows (`/api/v1/observations/export?format=csv`) in the same run: the time to the last byte, the bytes,
 * and the server's peak memory (its resident set at its highest, VmHWM).
 *
 *   DATABASE_URL=postgres://… npm run bench:sdmx -- --database NAME [--observations 1000000] [--runs 3]
 *
 * NAME is a database filled by bench:scale (`npm run bench:scale -- --database NAME --cities 100 --indicators 15`
 * holds 1.2 million observations of the made-up country ZS). The indicators of ZS are taken in code order until
 * their approved observations reach `--observations`; every format reads those indicators' values, all places, all
 * periods. Each format runs in a server process of its own (`marsad serve`, no answer cache), so that its peak memory
 * is its own: one run not counted, then `--runs` runs; the time is the median. A benchmark, not a test: it prints
 * figures and fails only when an answer is not 200 or the formats do not hold the same number of observations.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';

const { values: opt } = parseArgs({
  options: {
    database: { type: 'string' },
    observations: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '3' },
  },
});
const serverUrl = process.env.DATABASE_URL;
if (!serverUrl || !opt.database || !/^[a-z_][a-z0-9_]{0,62}$/.test(opt.database)) {
  console.error(
    'bench:sdmx reads a database filled by bench:scale: DATABASE_URL=postgres://… npm run bench:sdmx -- --database NAME',
  );
  process.exit(2);
}
const dbUrl = new URL(serverUrl);
dbUrl.pathname = `/${opt.database}`;
const wanted = Number(opt.observations);
const runs = Math.max(1, Number(opt.runs));

/** The indicators of the made-up country, in code order, until their approved values reach `wanted`. */
async function chooseIndicators(): Promise<{ codes: string[]; count: number }> {
  const c = new pg.Client({ connectionString: dbUrl.toString() });
  await c.connect();
  try {
    const r = await c.query<{ code: string; n: string }>(
      `SELECT i.code, count(*) AS n FROM observations o JOIN indicators i ON i.id = o.indicator_id
         JOIN places p ON p.id = o.place_id
        WHERE (p.code = 'ZS' OR p.code LIKE 'ZS-%') AND o.status = 'approved'
        GROUP BY i.code ORDER BY i.code`,
    );
    const codes: string[] = [];
    let count = 0;
    for (const row of r.rows) {
      if (count >= wanted) break;
      codes.push(row.code);
      count += Number(row.n);
    }
    if (count < wanted) throw new Error(`${opt.database} holds only ${count} approved values of ZS: fill more`);
    // The whole of each chosen indicator (every place holding it), as the queries ask for it.
    const all = await c.query<{ n: string }>(
      `SELECT count(*) AS n FROM observations o JOIN indicators i ON i.id = o.indicator_id
        WHERE i.code = ANY($1) AND o.status = 'approved'`,
      [codes],
    );
    return { codes, count: Number(all.rows[0]!.n) };
  } finally {
    await c.end();
  }
}

interface Server {
  child: ChildProcess;
  port: number;
  stop(): Promise<void>;
}

/** `marsad serve` on the database, in a process of its own, without the cache of public answers. */
async function startServer(): Promise<Server> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'marsad-bench-sdmx-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'packages/cli/src/main.ts', 'serve'], {
    env: {
      ...process.env,
      DATABASE_URL: dbUrl.toString(),
      PORT: '0',
      MARSAD_DATA_DIR: dataDir,
      MARSAD_DEMO: '0',
      MARSAD_CACHE_MB: '0',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (b: Buffer) => {
      text += b.toString();
      const m = /running at http:\/\/[^:]+:(\d+)\//.exec(text);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`the server stopped (${code}) before listening:\n${text}`)));
  });
  return {
    child,
    port,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The server's peak resident memory so far, in MB (Linux: /proc/PID/status, VmHWM). */
async function peakMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** GET, reading the whole answer: time to the last byte, bytes, and a count of the observations in it. */
function fetchAll(
  port: number,
  pathAndQuery: string,
  accept: string,
  count: (chunk: string) => number,
): Promise<{ ms: number; bytes: number; observations: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request(
      { host: '127.0.0.1', port, path: pathAndQuery, headers: { Accept: accept, 'Accept-Encoding': 'identity' } },
      (res) => {
        if (res.statusCode !== 200) {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            if (body.length < 2000) body += c;
          });
          res.on('end', () => reject(new Error(`${pathAndQuery}: ${res.statusCode}\n${body.slice(0, 2000)}`)));
          return;
        }
        let bytes = 0;
        let observations = 0;
        let tail = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          bytes += Buffer.byteLength(c);
          // Counted on whole lines: a marker cut in two between chunks is counted once.
          const text = tail + c;
          const cut = text.lastIndexOf('\n');
          observations += count(text.slice(0, cut + 1));
          tail = text.slice(cut + 1);
        });
        res.on('end', () => {
          observations += count(tail);
          resolve({ ms: performance.now() - t0, bytes, observations });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const occurrences = (re: RegExp) => (text: string) => text.match(re)?.length ?? 0;
const csvLines = (text: string) => occurrences(/\n/g)(text);

const { codes, count } = await chooseIndicators();
console.log(
  `${opt.database}: ${count.toLocaleString('en')} approved observations of ${codes.length} indicators (${codes.join(', ')}); ${runs} run(s) after a warm-up, one server process per format.`,
);
const sdmxIds = codes.map((c) => c.replace(/[^A-Za-z0-9_@$-]/g, '_'));
const key = `${sdmxIds.join('+')}`;
const FORMATS: {
  name: string;
  path: string;
  accept: string;
  count: (t: string) => number;
  header: number;
  counted?: false;
}[] = [
  {
    name: 'CSV export (baseline)',
    path: `/api/v1/observations/export?format=csv&indicator=${codes.join(',')}`,
    accept: 'text/csv',
    count: csvLines,
    header: 1,
  },
  {
    name: 'SDMX-CSV 2.0',
    path: `/sdmx/data/MARSAD,DF_MARSAD,latest/${key}`,
    accept: 'application/vnd.sdmx.data+csv;version=2.0.0',
    count: csvLines,
    header: 1,
  },
  {
    name: 'SDMX-ML 2.1 structure-specific',
    path: `/sdmx/data/MARSAD,DF_MARSAD,latest/${key}`,
    accept: 'application/vnd.sdmx.structurespecificdata+xml;version=2.1',
    count: occurrences(/<Obs[\s>]/g),
    header: 0,
  },
  {
    name: 'SDMX-ML 2.1 generic',
    path: `/sdmx/data/MARSAD,DF_MARSAD,latest/${key}`,
    accept: 'application/vnd.sdmx.genericdata+xml;version=2.1',
    count: occurrences(/<generic:Obs>/g),
    header: 0,
  },
  {
    name: 'SDMX-JSON 2.0',
    path: `/sdmx/data/MARSAD,DF_MARSAD,latest/${key}`,
    accept: 'application/vnd.sdmx.data+json;version=2.0.0',
    // The observations are `"0:1:…": [value, …]` entries; counting their keys would need a parse: the bytes and the
    // time are the figures here, the count is checked on the other formats.
    count: () => 0,
    header: 0,
    counted: false,
  },
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rows: string[] = [];
let baselineMs = 0;
let baselineMb = 0;
for (const f of FORMATS) {
  const server = await startServer();
  try {
    const idleMb = await peakMb(server.child.pid!);
    const times: number[] = [];
    let last = { ms: 0, bytes: 0, observations: 0 };
    for (let i = 0; i <= runs; i++) {
      last = await fetchAll(server.port, f.path, f.accept, f.count);
      if (i > 0) times.push(last.ms);
    }
    const ms = median(times);
    const mb = await peakMb(server.child.pid!);
    const obs = last.observations - f.header;
    if (f.counted !== false && obs !== count)
      console.warn(`  ${f.name}: ${obs.toLocaleString('en')} observations, not ${count.toLocaleString('en')}`);
    if (!baselineMs) {
      baselineMs = ms;
      baselineMb = mb;
    }
    rows.push(
      `| ${f.name} | ${(ms / 1000).toFixed(1)} s | ${(ms / baselineMs).toFixed(2)}× | ${(last.bytes / 1e6).toFixed(0)} MB | ${idleMb.toFixed(0)} → ${mb.toFixed(0)} MB | ${(mb / baselineMb).toFixed(2)}× |`,
    );
    console.log(rows[rows.length - 1]);
  } finally {
    await server.stop();
  }
}
console.log(
  '\n| format | time to the last byte (median) | × CSV export | bytes | server peak memory (idle → peak) | × CSV export |',
);
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
