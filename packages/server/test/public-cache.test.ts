/**
 * Public reads answered from memory while the data has not changed (issue 16; http/public-cache.ts): the same answer
 * again with its ETag, 304 to If-None-Match, brotli and gzip; a new answer once data changes — through the API (this
 * process), or by another connection writing the database (the notification of migration 023), also on PostgreSQL;
 * requests with credentials pass by; every table is watched or named as private.
 */
import { existsSync } from 'node:fs';
import { type IncomingHttpHeaders, request } from 'node:http';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { openPostgresStore } from '@marsad/db';
import { testStoreKinds } from '@marsad/db/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_DIST } from '../src/web/web-routes.ts';
import { AUTH, createTestApp, type TestApp } from './helpers.ts';

/** The tables whose writes tell nothing (migration 023_data_changes.sql): no public answer reads them. */
const PRIVATE_TABLES = [
  'api_tokens',
  'audit_log',
  'import_batches',
  'login_failures',
  'observation_drafts',
  // The steps of the approval workflow (migration 030): read by the inbox and the entry form, never by the public.
  'observation_events',
  // The answers kept for changes sent from offline devices (migration 033), per user.
  'offline_sync_changes',
  'safety_assessments',
  'saved_mappings',
  'schema_migrations',
  'sessions',
  'user_tokens',
  'users',
];

const URL_11 = '/api/v1/indicators/11.1.1?lang=en';

describe.each(testStoreKinds())('the cache of public reads on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => {
    await t?.close();
  });
  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
  /** Until the answer differs from `before` (a notification from another connection arrives in a moment). */
  const changed = async (url: string, before: string) => {
    for (let i = 0; i < 100; i++) {
      const r = await get(url);
      if (r.body !== before) return r;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return get(url);
  };

  it('watches every table but the private ones', async () => {
    const rows = await t.db.store.exclusive(
      async (conn) =>
        (
          await conn.query<{ table: string; watched: boolean }>(
            `SELECT c.relname AS table,
                  EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.oid AND g.tgname = 'marsad_data_changed') AS watched
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')`,
          )
        ).rows,
    );
    const unwatched = rows.filter((r) => !r.watched).map((r) => r.table);
    expect(unwatched.sort()).toEqual(PRIVATE_TABLES);
    expect(rows.filter((r) => r.watched).map((r) => r.table)).toEqual(
      expect.arrayContaining(['observations', 'indicators', 'places', 'knowledge_items', 'settings']),
    );
  });

  it('answers again with the same bytes and ETag, 304 to If-None-Match, compressed as asked', async () => {
    const first = await get(URL_11);
    expect(first.statusCode).toBe(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]{32}"$/);
    expect(first.headers['cache-control']).toBe('public, max-age=0, stale-while-revalidate=60');
    expect(first.headers.vary).toMatch(/Cookie, Authorization/);
    const again = await get(URL_11);
    expect(again.body).toBe(first.body);
    expect(again.headers.etag).toBe(etag);
    expect(again.headers['content-type']).toBe(first.headers['content-type']);
    expect(again.headers['x-content-type-options']).toBe('nosniff');

    const notModified = await get(URL_11, { 'if-none-match': `W/"x", ${etag}` });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.body).toBe('');
    expect(notModified.headers.etag).toBe(etag);

    const br = await get(URL_11, { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    // Each coding is a representation of its own, with its own ETag; any of them revalidates.
    expect(br.headers.etag).toBe(`${etag.slice(0, -1)}-br"`);
    expect(
      (await get(URL_11, { 'accept-encoding': 'br', 'if-none-match': br.headers.etag as string })).statusCode,
    ).toBe(304);
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(first.body);
    const gz = await get(URL_11, { 'accept-encoding': 'gzip, br;q=0' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers.etag).toBe(`${etag.slice(0, -1)}-gz"`);
    expect(gunzipSync(gz.rawPayload).toString()).toBe(first.body);
    // A first answer (not yet kept) is compressed too: an address not asked before.
    const fresh = await get('/api/v1/indicators/11.2.1?lang=en', { 'accept-encoding': 'br' });
    expect(fresh.headers['content-encoding']).toBe('br');
    expect(fresh.headers.etag).toMatch(/-br"$/);
    expect(fresh.headers['cache-control']).toBe('public, max-age=0, stale-while-revalidate=60');
  });

  it('sends the same bytes for an ETag whether the answer was just computed or kept', async () => {
    for (const [coding, suffix] of [
      ['br', '-br'],
      ['gzip', '-gz'],
    ] as const) {
      // An address not asked before in this coding's test: the first answer is computed, the second kept.
      const url = `/api/v1/indicators?lang=${coding === 'br' ? 'fr' : 'es'}`;
      const first = await get(url, { 'accept-encoding': coding });
      const again = await get(url, { 'accept-encoding': coding });
      expect(first.headers['content-encoding']).toBe(coding);
      expect(again.headers['content-encoding']).toBe(coding);
      expect(first.headers.etag).toMatch(new RegExp(`${suffix}"$`));
      expect(again.headers.etag).toBe(first.headers.etag);
      expect(Buffer.compare(first.rawPayload, again.rawPayload)).toBe(0);
      expect(Number(first.headers['content-length'])).toBe(first.rawPayload.length);
      const plain = coding === 'br' ? brotliDecompressSync(first.rawPayload) : gunzipSync(first.rawPayload);
      expect(plain.toString()).toBe((await get(url)).body);
    }
  });

  it('names each part of Vary once, in one header, computed or kept', async () => {
    const url = '/api/v1/indicators?lang=ru';
    for (const r of [await get(url, { 'accept-encoding': 'br' }), await get(url, { 'accept-encoding': 'br' })]) {
      expect(typeof r.headers.vary).toBe('string');
      const names = (r.headers.vary as string).split(',').map((n) => n.trim().toLowerCase());
      expect(names.sort()).toEqual(['accept-encoding', 'accept-language', 'authorization', 'cookie']);
    }
  });

  it('answers HEAD as GET: the same ETag, Cache-Control and Vary, 304 to If-None-Match, no body', async () => {
    const url = '/api/v1/indicators?lang=zh';
    const head = (headers: Record<string, string> = {}) => t.app.inject({ method: 'HEAD', url, headers });
    // A HEAD first (computed), then GET and HEAD again (kept).
    const firstHead = await head({ 'accept-encoding': 'br' });
    const got = await get(url, { 'accept-encoding': 'br' });
    const keptHead = await head({ 'accept-encoding': 'br' });
    for (const h of [firstHead, keptHead]) {
      expect(h.statusCode).toBe(200);
      expect(h.rawPayload.length).toBe(0);
      expect(h.headers.etag).toBe(got.headers.etag);
      expect(h.headers['cache-control']).toBe(got.headers['cache-control']);
      expect(h.headers.vary).toBe(got.headers.vary);
      expect(h.headers['content-encoding']).toBe('br');
      expect(h.headers['content-length']).toBe(got.headers['content-length']);
    }
    const notModified = await head({ 'accept-encoding': 'br', 'if-none-match': got.headers.etag as string });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.rawPayload.length).toBe(0);
    expect(notModified.headers.etag).toBe(got.headers.etag);
    expect(notModified.headers.vary).toBe(got.headers.vary);
  });

  it('sends a kept answer with every header the computed one had, the security headers among them, and logs it', async () => {
    const lines: string[] = [];
    const logged = await createTestApp(kind, {
      build: { logger: { level: 'info', stream: { write: (line: string) => lines.push(line) } } },
    });
    try {
      const url = '/api/v1/indicators/11.1.1?lang=fr';
      const computed = await logged.app.inject({ url, headers: { 'accept-encoding': 'br' } });
      const kept = await logged.app.inject({ url, headers: { 'accept-encoding': 'br' } });
      // (Connection: what light-my-request makes of an answer not written by Fastify; a server says keep-alive to both.)
      const { date: _d1, connection: _c1, ...computedHeaders } = computed.headers;
      const { date: _d2, connection: _c2, ...keptHeaders } = kept.headers;
      expect(keptHeaders).toEqual(computedHeaders);
      expect(kept.rawPayload.equals(computed.rawPayload)).toBe(true);
      expect(kept.headers['x-content-type-options']).toBe('nosniff');
      expect(kept.headers['content-security-policy']).toContain("default-src 'self'");
      expect(kept.headers['content-encoding']).toBe('br');
      // Sent straight to the connection, it is still logged as every request is.
      const completed = lines
        .map((l) => JSON.parse(l) as { msg?: string; res?: { statusCode?: number } })
        .filter((l) => l.msg === 'request completed');
      expect(completed.map((l) => l.res?.statusCode)).toEqual([200, 200]);
    } finally {
      await logged.close();
    }
  });

  it('sends a kept answer before Fastify sees the request, over HTTP, as Fastify sent it, and logs it', async () => {
    const lines: string[] = [];
    const served = await createTestApp(kind, {
      build: { logger: { level: 'info', stream: { write: (line: string) => lines.push(line) } } },
    });
    try {
      const base = await served.app.listen({ port: 0, host: '127.0.0.1' });
      const url = '/api/v1/indicators/16.1.1?lang=ar';
      const get = (headers: Record<string, string>, method = 'GET') =>
        new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
          const req = request(base + url, { method, headers }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
            );
          });
          req.on('error', reject);
          req.end();
        });
      const computed = await get({ 'accept-encoding': 'gzip' });
      const kept = await get({ 'accept-encoding': 'gzip' });
      const { date: _d1, ...computedHeaders } = computed.headers;
      const { date: _d2, ...keptHeaders } = kept.headers;
      expect(keptHeaders).toEqual(computedHeaders);
      expect(kept.body.equals(computed.body)).toBe(true);
      expect(gunzipSync(kept.body).toString()).toContain('16.1.1');
      expect(kept.headers['x-frame-options']).toBe('DENY');
      // 304 and HEAD, kept too.
      const notModified = await get({ 'accept-encoding': 'gzip', 'if-none-match': String(kept.headers.etag) });
      expect(notModified.status).toBe(304);
      expect(notModified.body.length).toBe(0);
      const head = await get({ 'accept-encoding': 'gzip' }, 'HEAD');
      expect(head.status).toBe(200);
      expect(head.body.length).toBe(0);
      expect(head.headers['content-length']).toBe(kept.headers['content-length']);
      // Each request logged once as completed; the kept ones say so, with the address and status.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const completed = lines
        .map(
          (l) =>
            JSON.parse(l) as { msg?: string; kept?: boolean; req?: { url?: string }; res?: { statusCode?: number } },
        )
        .filter((l) => l.msg === 'request completed');
      expect(completed.map((l) => [l.res?.statusCode, l.kept === true])).toEqual([
        [200, false],
        [200, true],
        [304, true],
        [200, true],
      ]);
      expect(completed[1]?.req?.url).toBe(url);
    } finally {
      await served.close();
    }
  });

  it('sends a 304 of an answer just computed without a body or a Content-Length of 0', async () => {
    const url = '/api/v1/indicators/11.2.1?lang=en';
    const before = await get(url, { 'accept-encoding': 'gzip' });
    // The generation moves (a write of this process): the next request computes the answer again, the same bytes.
    const patched = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/indicators/11.3.1',
      headers: AUTH,
      payload: { names: { fr: 'Modifié pour le test du 304' } },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const r = await get(url, { 'accept-encoding': 'gzip', 'if-none-match': before.headers.etag as string });
    expect(r.statusCode).toBe(304);
    expect(r.rawPayload.length).toBe(0);
    expect(r.headers['content-length']).toBeUndefined();
    expect(r.headers['content-encoding']).toBeUndefined();
    expect(r.headers.etag).toBe(before.headers.etag);
  });

  it('answers anew once the data changes: through the API, or written by another connection', async () => {
    const before = await get(URL_11);
    const patched = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/indicators/11.1.1',
      headers: AUTH,
      payload: { names: { en: 'Slums, changed through the API' } },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    // This process wrote: its next read is new at once.
    const after = await get(URL_11);
    expect(after.json().name).toBe('Slums, changed through the API');
    expect(after.headers.etag).not.toBe(before.headers.etag);

    // Another connection (another server, the CLI, psql) writes: the notification moves the generation. On a server,
    // a store of its own (this process's own writes move the generation at once); PGlite has one connection.
    const other = kind === 'postgres' ? await openPostgresStore(t.db.url!) : t.db.store;
    await other.exclusive((conn) =>
      conn.query(
        `UPDATE indicators SET names = jsonb_set(names, '{en}', '"Slums, changed elsewhere"') WHERE code = $1`,
        ['11.1.1'],
      ),
    );
    expect((await changed(URL_11, after.body)).json().name).toBe('Slums, changed elsewhere');
    if (other !== t.db.store) await other.close();

    // This process writing through the store outside the API (a Kysely statement, a transaction): read at once.
    await t.db.store.db
      .updateTable('indicators')
      .set({ names: sql`jsonb_set(names, '{en}', '"Slums, changed by a statement"')` })
      .where('code', '=', '11.1.1')
      .execute();
    expect((await get(URL_11)).json().name).toBe('Slums, changed by a statement');
    await t.db.store.exclusive((conn) =>
      conn.query(
        `UPDATE indicators SET names = jsonb_set(names, '{en}', '"Slums, in a transaction"') WHERE code = $1`,
        ['11.1.1'],
      ),
    );
    expect((await get(URL_11)).json().name).toBe('Slums, in a transaction');

    // A rolled-back write tells nothing: the answer stays the one kept.
    const kept = await get(URL_11);
    await t.db.store
      .exclusive(async (conn) => {
        await conn.query(`UPDATE indicators SET names = '{}'::jsonb WHERE code = '11.1.1'`);
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    expect((await get(URL_11)).headers.etag).toBe(kept.headers.etag);
  });

  it.skipIf(!existsSync(path.join(WEB_DIST, 'index.html')))(
    "keeps a page's HTML too (its build part of the key), still to be asked again each time",
    async () => {
      const first = await get('/en/indicators/11.1.1');
      expect(first.statusCode).toBe(200);
      expect(first.headers['content-type']).toMatch(/text\/html/);
      expect(first.headers['cache-control']).toBe('no-cache');
      const again = await get('/en/indicators/11.1.1');
      expect(again.body).toBe(first.body);
      expect(again.headers.etag).toBe(first.headers.etag);
      expect((await get('/en/indicators/11.1.1', { 'if-none-match': first.headers.etag as string })).statusCode).toBe(
        304,
      );
      // An address without a language is sent on (302), never kept.
      expect((await get('/indicators/11.1.1')).statusCode).toBe(302);
    },
  );

  it('lets requests with credentials pass by, marked private', async () => {
    const signedIn = await get(URL_11, AUTH);
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.headers['cache-control']).toBe('private, no-cache');
    const cookie = await get(URL_11, { cookie: 'lang=ar; marsad_session=unknown' });
    expect(cookie.headers['cache-control']).toBe('private, no-cache');
    // Not kept, and not answered from what the public got.
    expect((await get('/api/v1/health')).headers['cache-control']).toBeUndefined();
  });

  it('keeps an answer of the SDMX web service only when its address alone chose its format', async () => {
    // By Accept: the same address gives each client its format; never kept (the cache keys answers by address).
    const url = '/sdmx/dataflow/MARSAD/DF_MARSAD/latest';
    const xml = await get(url, { accept: 'application/xml' });
    expect(xml.statusCode).toBe(200);
    expect(xml.headers.etag).toBeUndefined();
    expect(xml.headers.vary).toMatch(/^Accept,/);
    expect((await get(url, { accept: 'text/html' })).statusCode).toBe(406);
    expect((await get(url, { accept: 'application/xml' })).headers.etag).toBeUndefined();
    // By the format parameter: kept, with an ETag and a 304.
    const fixed = `${url}?format=xml`;
    const first = await get(fixed, { accept: 'text/html' });
    expect(first.statusCode).toBe(200);
    expect(first.headers.etag).toMatch(/^"[\w-]{32}"$/);
    expect((await get(fixed, { 'if-none-match': first.headers.etag as string })).statusCode).toBe(304);
  });

  it('keeps nothing but answers of 200, and answers many waiting for the same one once', async () => {
    const missing = await get('/api/v1/indicators/99.99.99');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers.etag).toBeUndefined();
    const url = '/api/v1/indicators?lang=ar';
    const all = await Promise.all(Array.from({ length: 20 }, () => get(url)));
    expect(new Set(all.map((r) => r.statusCode))).toEqual(new Set([200]));
    expect(new Set(all.map((r) => r.headers.etag)).size).toBe(1);
    expect(new Set(all.map((r) => r.body)).size).toBe(1);
  });
});

describe('the cache of public reads while the data changes faster than an answer is computed', () => {
  it('sends the last answer while one computation of a newer one runs, instead of one computation per change', async () => {
    const { default: Fastify } = await import('fastify');
    const { registerPublicCache } = await import('../src/http/public-cache.ts');
    let gen = 1;
    const generation = { current: () => gen, changes: () => gen, bump: () => undefined, close: async () => undefined };
    const app = Fastify();
    registerPublicCache(app, generation, { maxBytes: 1024 * 1024, settleMs: 0 });
    let computations = 0;
    let release: () => void = () => undefined;
    app.get('/api/v1/slow', async () => {
      computations++;
      const n = computations;
      if (n > 1) await new Promise<void>((resolve) => (release = resolve));
      return { computed: n, generation: gen };
    });
    await app.ready();
    const get = () => app.inject({ url: '/api/v1/slow' });
    expect((await get()).json()).toEqual({ computed: 1, generation: 1 });
    // The data changes: the next request computes afresh (it waits for its computation)...
    gen = 2;
    const fresh = get();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(computations).toBe(2);
    // ...while requests meanwhile, at that same generation, get the last answer at once instead of waiting for it
    // (the home page's counts, computed in 0.3 s while imports commit, had readers at 394 req/s, p99 711 ms)...
    const same = await Promise.all([get(), get()]);
    for (const r of same) expect(r.json()).toEqual({ computed: 1, generation: 1 });
    expect(computations).toBe(2);
    // ...and while it runs, the data changes again: requests get the last answer at once, nothing more is computed.
    gen = 3;
    const meanwhile = await Promise.all([get(), get(), get()]);
    for (const r of meanwhile) expect(r.json()).toEqual({ computed: 1, generation: 1 });
    expect(computations).toBe(2);
    release();
    expect((await fresh).json()).toEqual({ computed: 2, generation: 3 });
    // Once none runs, a request at the newest generation computes it.
    const after = get();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(computations).toBe(3);
    release();
    expect((await after).json()).toEqual({ computed: 3, generation: 3 });
    await app.close();
  });
  it('reads its settings from the environment, naming a wrong value', async () => {
    const { readPublicCache } = await import('../src/http/public-cache.ts');
    expect(readPublicCache({})).toEqual({});
    expect(readPublicCache({ MARSAD_CACHE_MB: '8', MARSAD_CACHE_SETTLE_MS: '0' })).toEqual({
      maxBytes: 8 * 1024 * 1024,
      settleMs: 0,
    });
    expect(() => readPublicCache({ MARSAD_CACHE_SETTLE_MS: '1.5s' })).toThrow(
      'MARSAD_CACHE_SETTLE_MS must be a whole number of milliseconds from 0 to 3600000, not "1.5s"',
    );
    expect(() => readPublicCache({ MARSAD_CACHE_MB: '-1' })).toThrow('MARSAD_CACHE_MB must be a number');
  });

  it('while the data changed during a computation, sends its answer until it settles, then computes again', async () => {
    const { default: Fastify } = await import('fastify');
    const { registerPublicCache } = await import('../src/http/public-cache.ts');
    let gen = 1;
    const generation = { current: () => gen, changes: () => gen, bump: () => undefined, close: async () => undefined };
    const app = Fastify();
    const settleMs = 300;
    registerPublicCache(app, generation, { maxBytes: 1024 * 1024, settleMs });
    let computations = 0;
    /** The data changes while the next computation runs (an import commits meanwhile). */
    let changeWhileComputing = false;
    app.get('/api/v1/busy', async () => {
      computations++;
      const at = gen;
      if (changeWhileComputing) gen++;
      return { computed: computations, generation: at };
    });
    await app.ready();
    const get = () => app.inject({ url: '/api/v1/busy' });
    expect((await get()).json()).toEqual({ computed: 1, generation: 1 });
    // Quiet data: the first request after a change computes it at once.
    gen = 2;
    expect((await get()).json()).toEqual({ computed: 2, generation: 2 });
    // The data changes once while an answer is computed (to generation 4): the next request computes afresh (one change
    // during a computation is not busy data)...
    gen = 3;
    changeWhileComputing = true;
    expect((await get()).json()).toEqual({ computed: 3, generation: 3 });
    // ...and again while that one is computed (to generation 5): the data changes faster than it is computed, and
    // requests at the newer generation get that answer for settleMs instead of computing one per change...
    const start = performance.now();
    expect((await get()).json()).toEqual({ computed: 4, generation: 4 });
    changeWhileComputing = false;
    gen = 7;
    const during = await Promise.all([get(), get(), get()]);
    const settling = performance.now() - start < settleMs;
    for (const r of during) if (settling) expect(r.json()).toEqual({ computed: 4, generation: 4 });
    // ...and once it has settled, a request computes the newest.
    await new Promise((resolve) => setTimeout(resolve, settleMs + 20));
    expect((await get()).json()).toEqual({ computed: settling ? 5 : computations, generation: 7 });
    // Quiet again: the next change is seen at once.
    gen = 8;
    expect((await get()).json()).toMatchObject({ generation: 8 });
    await app.close();
  });
});
