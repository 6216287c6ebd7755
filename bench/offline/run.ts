/**
 * Working without a connection (issue 21): what a device stores, and how long a sync takes.
 *
 * - Bytes a device keeps for a city's data entry: the data-entry form of Agadir (MAAGA) for one period in each of its
 *   frameworks (every indicator that applies, with its rules, series, breakdowns, current and previous values), as
 *   the app keeps it in IndexedDB (the API's JSON; IndexedDB's structured clone of it is of the same order), and for
 *   a questionnaire: the demonstration submission of Agadir and its questionnaire version.
 * - The time to sync 500 queued values through POST /api/v1/offline/sync, as the app sends them (batches of 100
 *   changes): 500 changes of one value each (the worst case: a value per period), then the same 500 sent again (a
 *   retry: each answered from what was kept, nothing written), and 500 values in one change (one form's values).
 *
 *   npm run bench:offline                               (embedded PGlite)
 *   DATABASE_URL=postgres://… npm run bench:offline     (a PostgreSQL server; a database of its own is made and dropped)
 *
 * A benchmark, not a test: it prints figures, and fails only when an answer is not what the API promises.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase } from '@marsad/db/testing';
import { buildApp, prepareDatabase } from '@marsad/server';

const kind = process.env.DATABASE_URL ? 'postgres' : 'pglite';
const db = await createTestDatabase(kind);
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'marsad-bench-offline-'));
const prepared = await prepareDatabase(db.store, { demo: 'yes' });
const app = await buildApp({ store: db.store, dataDir, adminToken: 'x', version: 'bench' });
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;

try {
  const account = (prepared.demoAccounts ?? []).find((a) => a.roles.some((r) => r.role === 'city-focal-point'));
  if (!account) throw new Error('no demonstration city focal point');
  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: account.email, password: account.password },
  });
  if (login.statusCode !== 200) throw new Error(`sign-in: ${login.statusCode}`);
  const headers = {
    cookie: String(login.headers['set-cookie']).split(';')[0]!,
    'x-csrf-token': login.json().csrfToken,
  };
  const get = async (url: string) => {
    const r = await app.inject({ url, headers });
    if (r.statusCode !== 200) throw new Error(`GET ${url}: ${r.statusCode} ${r.body.slice(0, 200)}`);
    return r.body;
  };

  console.log(`Working without a connection (${kind}): what a device keeps, and a sync of 500 values\n`);
  const first = JSON.parse(await get('/api/v1/entry/form?place=MAAGA&period=2024')) as {
    frameworks: { code: string }[];
  };
  let total = 0;
  let indicators = 0;
  for (const f of first.frameworks) {
    const body = await get(`/api/v1/entry/form?place=MAAGA&period=2024&framework=${f.code}`);
    const n = (JSON.parse(body) as { indicators: unknown[] }).indicators.length;
    total += bytes(body);
    indicators += n;
    console.log(
      `  data-entry form, Agadir 2024, ${f.code.padEnd(18)} ${String(n).padStart(4)} indicators  ${kb(bytes(body))}`,
    );
  }
  console.log(`  data entry of a city, all its frameworks: ${indicators} indicators, ${kb(total)}`);
  const subs = JSON.parse(await get('/api/v1/review-submissions')) as {
    items: { id: number; place: { code: string } }[];
  };
  const sub = subs.items.find((s) => s.place.code === 'MAAGA');
  if (sub) {
    const view = await get(`/api/v1/review-submissions/${sub.id}?lang=en`);
    const version = await get(`/api/v1/questionnaire-versions/${JSON.parse(view).questionnaireVersionId}`);
    console.log(
      `  a questionnaire (submission ${sub.id} of Agadir and its questionnaire version): ${kb(bytes(view) + bytes(version))} (submission ${kb(bytes(view))}, questionnaire version ${kb(bytes(version))})`,
    );
  }

  const send = async (changes: unknown[]) => {
    const r = await app.inject({ method: 'POST', url: '/api/v1/offline/sync', headers, payload: { changes } });
    if (r.statusCode !== 200) throw new Error(`sync: ${r.statusCode} ${r.body.slice(0, 300)}`);
    return r.json().results as { status: string; replayed: boolean }[];
  };
  const timed = async (
    label: string,
    batches: unknown[][],
    expect: (r: { status: string; replayed: boolean }) => boolean,
  ) => {
    const t0 = performance.now();
    let n = 0;
    for (const b of batches) {
      const results = await send(b);
      if (!results.every(expect)) throw new Error(`${label}: ${JSON.stringify(results.find((r) => !expect(r)))}`);
      n += results.length;
    }
    const s = (performance.now() - t0) / 1000;
    console.log(`  ${label}: ${s.toFixed(2)} s (${n} answers)`);
  };
  const changes = Array.from({ length: 500 }, (_, i) => ({
    key: `bench-${Date.now().toString(36)}-${i}`,
    kind: 'entry',
    place: 'MAAGA',
    period: String(1400 + i),
    entries: [{ indicator: 'POP', value: 100000 + i, base: null }],
  }));
  const batches = (list: unknown[]) =>
    Array.from({ length: Math.ceil(list.length / 100) }, (_, i) => list.slice(i * 100, i * 100 + 100));
  console.log('');
  await timed(
    '500 changes of one value each, in batches of 100',
    batches(changes),
    (r) => r.status === 'accepted' && !r.replayed,
  );
  await timed(
    'the same 500 sent again (a retry: nothing written)',
    batches(changes),
    (r) => r.status === 'accepted' && r.replayed,
  );
  // One form's 500 values: the totals of every series of the indicators of Agadir's forms, each series once.
  const entries: { indicator: string; series: string; value: number; note: string; base: null }[] = [];
  const seen = new Set<string>();
  for (const f of first.frameworks) {
    const form = JSON.parse(await get(`/api/v1/entry/form?place=MAAGA&period=2001&framework=${f.code}`)) as {
      indicators: { code: string; series: { code: string }[]; validationRules: { requiredDimensions?: string[] } }[];
    };
    for (const ind of form.indicators) {
      if (ind.validationRules.requiredDimensions?.length) continue;
      for (const ser of ind.series) {
        const k = `${ind.code}|${ser.code}`;
        if (seen.has(k) || entries.length >= 500) continue;
        seen.add(k);
        entries.push({ indicator: ind.code, series: ser.code, value: 1, note: 'bench', base: null });
      }
    }
  }
  const one = { key: `bench-one-${Date.now().toString(36)}`, kind: 'entry', place: 'MAAGA', period: '2001', entries };
  if (entries.length < 500) console.log(`  (the forms offer ${entries.length} series without required breakdowns)`);
  await timed(`${entries.length} values in one change (one form)`, [[one]], (r) => r.status === 'accepted');
} finally {
  await app.close();
  await db.drop();
  await rm(dataDir, { recursive: true, force: true });
}
