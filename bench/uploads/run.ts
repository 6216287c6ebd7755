/**
 * Upload benchmark: hostile and large XLSForm workbooks sent to POST /api/v1/questionnaires/import
 * (dry runs), and a PDF bomb attached to a knowledge item, on an application over a fresh
 * embedded database, each case in a process of its own so that its peak resident memory is its
 * own. Prints, per case, the upload's size, the answer, the time of each upload and the
 * process's resident memory before, at its peak and after. See README.md.
 *
 *   npm run bench:uploads                       (every case)
 *   npm run bench:uploads -- --cases bomb,rows50k --repeat 3
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createTestDatabase } from '@marsad/db/testing';
import { buildApp } from '../../packages/server/src/index.ts';
import { pdfBomb } from '../../packages/server/test/pdf-hostile.ts';
import { manyRowsWorkbook, zipBombWorkbook } from '../../packages/server/test/xlsform-hostile.ts';

const MB = 1024 * 1024;
const TOKEN = 'bench-admin-token';

const CASES: Record<string, { what: string; make: () => Buffer; pdf?: true }> = {
  bomb: { what: 'zip bomb: a 1.5 MB workbook that unpacks to 1.5 GB', make: () => zipBombWorkbook(1500 * MB) },
  rows50k: { what: 'a survey of 50,000 rows', make: () => manyRowsWorkbook(50_000) },
  rows20k: {
    what: 'a survey of 19,999 rows (20,000 with the header: the row limit)',
    make: () => manyRowsWorkbook(19_999),
  },
  wide: {
    what: '19,999 rows of labels of 800 characters: 19 MB unpacked, near both default limits',
    make: () => manyRowsWorkbook(19_999, 800),
  },
  pdfbomb: {
    what: 'PDF bomb attached to a knowledge item: 1 MB, a content stream of 1 GB',
    make: () => pdfBomb(1024 * MB),
    pdf: true,
  },
};

const USAGE = `Usage: npm run bench:uploads -- [--cases ${Object.keys(CASES).join(',')}] [--repeat N]`;

function rssMb(): number {
  return process.memoryUsage.rss() / MB;
}

/** One case in this process: build the app, warm up, upload `repeat` times, print one JSON line. */
async function child(name: string, repeat: number): Promise<void> {
  const c = CASES[name];
  if (!c) throw new Error(`no case ${name}`);
  const db = await createTestDatabase('pglite', { catalogue: c.pdf === true });
  const app = await buildApp(
    { store: db.store, dataDir: '/tmp', adminToken: TOKEN, version: 'bench' },
    { logger: false },
  );
  const authorization = `Bearer ${TOKEN}`;
  let url = '/api/v1/questionnaires/import?fileName=bench.xlsx&dryRun=true';
  let contentType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  if (c.pdf) {
    const item = await app.inject({
      method: 'POST',
      url: '/api/v1/knowledge/items',
      headers: { authorization },
      payload: {
        type: 'practice',
        originalLanguage: 'en',
        status: 'published',
        ownerPlace: 'MAAGA',
        places: ['MAAGA'],
        texts: { en: { title: 'Bench', summary: 'Bench', body: '<p>Bench</p>' } },
      },
    });
    url = `/api/v1/knowledge/items/${item.json().id}/attachments?fileName=bench.pdf`;
    contentType = 'application/pdf';
  }
  const upload = (body: Buffer) =>
    app.inject({ method: 'POST', url, payload: body, headers: { 'content-type': contentType, authorization } });
  // Warm up: exceljs or pdf.js and the routes loaded.
  await upload(c.pdf ? pdfBomb(1 * MB) : manyRowsWorkbook(10));
  const body = c.make();
  global.gc?.();
  const before = rssMb();
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb());
  }, 10);
  const times: number[] = [];
  let status = 0;
  let message = '';
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    const r = await upload(body);
    times.push(performance.now() - t0);
    peak = Math.max(peak, rssMb());
    status = r.statusCode;
    const json = r.json() as { message?: string; extraction?: string; extractionNote?: string };
    message = json.message ?? `extraction ${json.extraction}: ${json.extractionNote}`;
  }
  clearInterval(sampler);
  global.gc?.();
  const after = rssMb();
  await app.close();
  await db.drop();
  console.log(JSON.stringify({ name, bytes: body.length, status, message, times, before, peak, after }));
}

function parent(cases: string[], repeat: number): void {
  const self = fileURLToPath(import.meta.url);
  console.log(`Uploads (${repeat} upload${repeat > 1 ? 's' : ''} per case, each case in its own process)\n`);
  for (const name of cases) {
    const r = spawnSync(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', self, '--child', name, '--repeat', String(repeat)],
      { encoding: 'utf8', maxBuffer: 16 * MB },
    );
    const line = r.stdout.trim().split('\n').at(-1) ?? '';
    if (r.status !== 0 || !line.startsWith('{')) {
      console.log(`${name}: the process failed (exit ${r.status ?? r.signal})\n${r.stderr.slice(-2000)}`);
      continue;
    }
    const x = JSON.parse(line) as {
      bytes: number;
      status: number;
      message: string;
      times: number[];
      before: number;
      peak: number;
      after: number;
    };
    console.log(`${name}: ${CASES[name]!.what}`);
    console.log(`  upload ${(x.bytes / 1024).toFixed(0)} KB → ${x.status} ${x.message.slice(0, 150)}`);
    console.log(`  time per upload: ${x.times.map((t) => `${(t / 1000).toFixed(2)} s`).join(', ')}`);
    console.log(
      `  resident memory: ${x.before.toFixed(0)} MB before, peak ${x.peak.toFixed(0)} MB (+${(x.peak - x.before).toFixed(0)}), ${x.after.toFixed(0)} MB after\n`,
    );
  }
}

const { values } = parseArgs({
  options: {
    cases: { type: 'string' },
    repeat: { type: 'string' },
    child: { type: 'string' },
    help: { type: 'boolean' },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const repeat = Number(values.repeat ?? 2);
if (!Number.isInteger(repeat) || repeat < 1) {
  console.error(USAGE);
  process.exit(2);
}
if (values.child) await child(values.child, repeat);
else parent(values.cases ? values.cases.split(',') : Object.keys(CASES), repeat);
