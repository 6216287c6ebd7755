/**
 * Public reads at the cost of a file (issue 16; docs/decisions/0006-public-read-cache.md). A GET under /api/v1 or of
 * a page's HTML made without credentials gets the public answer, which changes only when public data does: it is kept in memory
 * (lru-cache, bounded in bytes) under its address, the reader's first language and the data generation it was
 * computed at (data-generation.ts), and sent again as long as the generation has not moved, with a strong ETag
 * (a hash of its bytes: the same on every server), 304 to a matching If-None-Match, and brotli or gzip made once per
 * answer. Requests for an answer being computed wait for it rather than compute it again. Requests with a session
 * cookie or a token pass by: they may see unpublished values; their answers are marked private.
 * A public answer is coded here, on its first computation as when sent again (brotli or gzip, from 1 kB), so each ETag
 * (-br, -gz) names the same bytes whichever request made them; @fastify/compress leaves an answer with a
 * Content-Encoding as it is, and codes only what this file does not keep (streamed answers, private ones).
 * HEAD is answered as GET is (the same headers, 304 to a matching If-None-Match), without a body.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { brotliCompress, gzip, constants as zlibConstants } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import type { DataGeneration } from './data-generation.ts';

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

export interface PublicCacheOptions {
  /** Bytes the cache may hold (MARSAD_CACHE_MB; default 64 MB). 0: no cache, headers only. */
  maxBytes: number;
  /**
   * What else the pages' HTML depends on (the web app's build: a rebuilt app is served without a restart), added to
   * the key of a page.
   */
  pageStamp?: () => string;
  /**
   * While the data changes faster than an answer is computed (it changed while each of its last two computations ran), the
   * answer is computed again at most once per this many milliseconds, or four times as long as it took to compute,
   * whichever is longer, and sent meanwhile (MARSAD_CACHE_SETTLE_MS; default 1000). Quiet data is not affected: the
   * first request after a change gets the new answer.
   */
  settleMs: number;
}

export const DEFAULT_PUBLIC_CACHE: PublicCacheOptions = { maxBytes: 64 * 1024 * 1024, settleMs: 1000 };

/**
 * MARSAD_CACHE_MB: megabytes of public answers kept in memory (0: none); MARSAD_CACHE_SETTLE_MS (settleMs above).
 * A wrong value is named.
 */
export function readPublicCache(env: NodeJS.ProcessEnv): Partial<PublicCacheOptions> {
  const options: Partial<PublicCacheOptions> = {};
  const raw = env.MARSAD_CACHE_MB?.trim();
  if (raw) {
    const mb = Number(raw);
    if (!Number.isFinite(mb) || mb < 0 || mb > 65_536)
      throw new Error(`MARSAD_CACHE_MB must be a number of megabytes from 0 to 65536, not "${raw}"`);
    options.maxBytes = Math.round(mb * 1024 * 1024);
  }
  const settle = env.MARSAD_CACHE_SETTLE_MS?.trim();
  if (settle) {
    const ms = Number(settle);
    if (!Number.isInteger(ms) || ms < 0 || ms > 3_600_000)
      throw new Error(
        `MARSAD_CACHE_SETTLE_MS must be a whole number of milliseconds from 0 to 3600000, not "${settle}"`,
      );
    options.settleMs = ms;
  }
  return options;
}

/** Browsers and shared caches keep an answer, ask again each time (a 304 costs nothing), and may show it while they ask. */
export const PUBLIC_CACHE_CONTROL = 'public, max-age=0, stale-while-revalidate=60';
/**
 * What a public answer depends on besides its address. Accept-Encoding is written in lower case: @fastify/compress,
 * coding a streamed answer after this file, adds `accept-encoding` to a Vary that does not contain it in those letters.
 */
const PUBLIC_VARY = ['accept-encoding', 'Accept-Language', 'Cookie', 'Authorization'];
/** Answers below this size are not compressed (as @fastify/compress's threshold). */
const COMPRESS_FROM = 1024;
/** The types worth compressing (@fastify/compress's own list). */
const COMPRESSIBLE = /^text\/(?!event-stream)|[+/]json(?:;|$)|[+/]text(?:;|$)|[+/]xml(?:;|$)|octet-stream(?:;|$)/;
/** Headers of an answer that are not kept with it. */
const NOT_KEPT = new Set([
  'content-length',
  'content-encoding',
  'set-cookie',
  'date',
  'connection',
  'transfer-encoding',
  'etag',
]);

interface Entry {
  body: Buffer;
  etag: string;
  /** Its Content-Type (what it is coded by). */
  type: string;
  headers: Record<string, string>;
  /** Its compressed forms, being made and made. */
  making: { br?: Promise<Buffer>; gzip?: Promise<Buffer> };
  made: { br?: Buffer; gzip?: Buffer };
}

/** An answer's bytes for one request (`coded` in registerPublicCache). */
interface Coded {
  status: 200 | 304;
  etag: string;
  encoding: 'br' | 'gzip' | null;
  body: Buffer | null;
}

interface Pending {
  key: string;
  /** The key without the generation: the same answer at any generation. */
  base: string;
  generation: number;
  /** When its computation started (performance.now()), and how many changes were known then. */
  started: number;
  changes: number;
  done: (entry: Entry | undefined) => void;
}

const PENDING = Symbol('marsad.publicCache');
/** The log levels at which Fastify logs each request. */
const LOGGED = new Set(['trace', 'debug', 'info']);
type CachedRequest = FastifyRequest & { [PENDING]?: Pending };

/** What the cache reads of a request: the same in Fastify's request and Node's. */
export type RequestLine = Pick<IncomingMessage, 'method' | 'headers'> & { url?: string | undefined };

/** A request that gets the public answer: no credentials of any kind. */
export function isAnonymous(req: RequestLine): boolean {
  return !req.headers.authorization && !/(?:^|;\s*)marsad_session=/.test(req.headers.cookie ?? '');
}

/** The public reads: every GET (and HEAD) under /api/v1 but the health check and the sign-in routes, and the pages' HTML. */
export function isPublicRead(req: RequestLine): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const url = req.url ?? '';
  if (url.startsWith('/api/v1/')) return !/^\/api\/v1\/(health|auth)(\/|\?|$)/.test(url);
  return isPage(req);
}

/** A page of the web app (its assets and the API docs are not). */
function isPage(req: RequestLine): boolean {
  const url = req.url ?? '';
  return !url.startsWith('/api/') && !url.startsWith('/assets/');
}

/** The ETag of an answer in a content coding: each coding is a representation of its own (RFC 9110, 8.8.3). */
function codedTag(etag: string, coding: 'br' | 'gzip' | null): string {
  return coding ? `${etag.slice(0, -1)}-${coding === 'br' ? 'br' : 'gz'}"` : etag;
}

/** Whether If-None-Match names the answer, in any of its codings (the one the client holds decodes to the same). */
function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some(
    (t) =>
      t
        .trim()
        .replace(/^W\//, '')
        .replace(/-(br|gz)"$/, '"') === etag,
  );
}

/** One Vary naming each of the answer's own names and `names` once (compared without regard to case). */
function mergeVary(reply: FastifyReply, names: string[]): void {
  const current = reply.getHeader('Vary');
  const all = [...(Array.isArray(current) ? current : current === undefined ? [] : [String(current)]), ...names]
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  const seen = new Set<string>();
  const merged = all.filter((v) => {
    const k = v.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  reply.header('Vary', seen.has('*') ? '*' : merged.join(', '));
}

function chooseEncoding(accept: string | undefined): 'br' | 'gzip' | null {
  const offered = new Map<string, number>();
  for (const part of (accept ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find((x) => x !== undefined);
    offered.set(name, q === undefined ? 1 : Number(q));
  }
  const ok = (e: string) => (offered.get(e) ?? offered.get('*') ?? 0) > 0;
  return ok('br') ? 'br' : ok('gzip') ? 'gzip' : null;
}

/**
 * Answers a request from the cache before Fastify sees it (app.ts installs it in the HTTP server's request
 * listener): true when it did. Only a kept answer of the current generation whose bytes in the coding asked for are
 * ready, or the last one while a newer is computed (as the onRequest hook would send); anything else (a miss, an
 * answer being computed, credentials) goes to Fastify.
 */
export type AnswerKept = (req: IncomingMessage, res: ServerResponse) => boolean;

export function registerPublicCache(
  app: FastifyInstance,
  generation: DataGeneration,
  options: PublicCacheOptions = DEFAULT_PUBLIC_CACHE,
): AnswerKept {
  const cache =
    options.maxBytes > 0
      ? new LRUCache<string, Entry>({
          maxSize: options.maxBytes,
          // The compressed forms, made later, are counted ahead at half the body.
          sizeCalculation: (e) => Math.max(1, Math.ceil(e.body.length * 1.5)),
        })
      : null;
  const maxEntry = Math.floor(options.maxBytes / 8);
  const inflight = new Map<string, Promise<Entry | undefined>>();
  /**
   * The last answer kept for each address (any generation), and until when it is sent without computing a newer one
   * (the data changed while it was computed: settleMs); and how many computations of each address are running.
   */
  const latest =
    options.maxBytes > 0
      ? new LRUCache<string, { entry: Entry; generation: number; overtaken: number; settledUntil: number }>({
          maxSize: Math.max(1, Math.floor(options.maxBytes / 2)),
          sizeCalculation: (e) => Math.max(1, e.entry.body.length),
        })
      : null;
  const computing = new Map<string, number>();
  /**
   * The last answer of an address, to send instead of the current one while a newer is computed, or while the data
   * changes faster than it is computed (settling); else undefined: the current answer is to be computed.
   */
  const lastWhileDue = (base: string): Entry | undefined => {
    const last = latest?.get(base);
    if (!last) return undefined;
    return computing.has(base) || performance.now() < last.settledUntil ? last.entry : undefined;
  };

  /** The coding of `entry` for this request: brotli or gzip where it pays and the client takes it. */
  const encodingOf = (req: RequestLine, entry: Entry): 'br' | 'gzip' | null =>
    entry.body.length >= COMPRESS_FROM && COMPRESSIBLE.test(entry.type)
      ? chooseEncoding(req.headers['accept-encoding'])
      : null;

  /**
   * The bytes of `entry` for this request, with their status, ETag and coding: the same on the answer's first
   * computation (onSend) and when it is sent again (a hit). body null: a 304 to GET, without a body (nor
   * Content-Length). A HEAD gets the bytes a GET would (not sent, but their Content-Length), also with its 304.
   * With `ready`, only bytes already made (else undefined): the answer before Fastify is sent at once or not at all.
   */
  function coded(req: RequestLine, entry: Entry, ready: true): Coded | undefined;
  function coded(req: RequestLine, entry: Entry): Promise<Coded>;
  function coded(req: RequestLine, entry: Entry, ready?: true): Coded | undefined | Promise<Coded> {
    const encoding = encodingOf(req, entry);
    const etag = codedTag(entry.etag, encoding);
    const status = etagMatches(req.headers['if-none-match'], entry.etag) ? 304 : 200;
    if (status === 304 && req.method !== 'HEAD') return answer({ status, etag, encoding, body: null });
    if (encoding === null) return answer({ status, etag, encoding, body: entry.body });
    const made = entry.made[encoding];
    if (made) return answer({ status, etag, encoding, body: made });
    if (ready) return undefined;
    entry.making[encoding] ??= (
      encoding === 'br'
        ? brotli(entry.body, {
            params: {
              [zlibConstants.BROTLI_PARAM_QUALITY]: 5,
              [zlibConstants.BROTLI_PARAM_SIZE_HINT]: entry.body.length,
            },
          })
        : gzipped(entry.body, { level: 6 })
    ).then((bytes) => {
      entry.made[encoding] = bytes;
      return bytes;
    });
    return entry.making[encoding].then((body) => ({ status, etag, encoding, body }));
    function answer(c: Coded) {
      return ready ? c : Promise.resolve(c);
    }
  }

  /** Writes a kept answer to the connection, headers as kept (the security headers among them), none of the hooks. */
  const write = (req: RequestLine, res: ServerResponse, entry: Entry, c: Coded) => {
    const headers: Record<string, string> = { ...entry.headers, etag: c.etag };
    if (c.encoding && c.body) headers['content-encoding'] = c.encoding;
    if (c.body) headers['content-length'] = String(c.body.length);
    res.writeHead(c.status, headers);
    res.end(req.method === 'HEAD' ? undefined : (c.body ?? undefined));
  };

  /**
   * A kept answer, sent as it was kept straight to the connection (a request that came through Fastify: the
   * answer was being computed, or its coding was not made yet). Fastify still runs the onResponse hooks and logs
   * the request when it is written (its listeners on the response's end).
   */
  const send = async (req: CachedRequest, reply: FastifyReply, entry: Entry) => {
    const c = await coded(req, entry);
    reply.hijack();
    write(req, reply.raw, entry, c);
  };

  /** The key of a request's answer, or null if it has none (not a public read, credentials, generation unknown). */
  const keyOf = (req: RequestLine): { key: string; base: string; gen: number } | null => {
    if (!cache || !isPublicRead(req) || !isAnonymous(req)) return null;
    const gen = generation.current();
    if (gen === null) return null;
    // A page's language is its address's (the pages kept are the 200s of /:lang/…; an address without language is
    // redirected, not kept): the reader's Accept-Language would only split the pages kept. An API answer may follow it.
    const page = isPage(req);
    const language = page ? '' : ((req.headers['accept-language'] ?? '').split(',')[0]?.trim().toLowerCase() ?? '');
    const stamp = page ? (options.pageStamp?.() ?? '') : '';
    const base = `${stamp}\u0000${language}\u0000${req.url}`;
    return { key: `${gen}\u0000${base}`, base, gen };
  };

  const log = app.log;
  const answerKept: AnswerKept = (req, res) => {
    const k = keyOf(req);
    if (!k || !cache) return false;
    // As the onRequest hook does: the current answer, else the last one while a newer is computed.
    const entry = cache.get(k.key) ?? lastWhileDue(k.base);
    if (!entry) return false;
    const c = coded(req, entry, true);
    if (!c) return false;
    const start = performance.now();
    write(req, res, entry, c);
    if (LOGGED.has(log.level))
      res.once('finish', () =>
        log.info(
          {
            req: {
              method: req.method,
              url: req.url,
              host: req.headers.host,
              ip: req.socket.remoteAddress,
              socket: req.socket,
            },
            res: { statusCode: c.status },
            responseTime: performance.now() - start,
            kept: true,
          },
          'request completed',
        ),
      );
    return true;
  };

  app.addHook('onRequest', async (req: CachedRequest, reply) => {
    const k = keyOf(req);
    if (!k || !cache) return;
    const { key, base, gen } = k;
    const kept = cache.get(key);
    if (kept) return send(req, reply, kept);
    // While an answer is being computed (for this change or an earlier one: writes committing faster than it is
    // computed, imports running), the last answer is sent meanwhile, at most one computation old, instead of waiting
    // for it or starting a computation per change; and, if the data changed again while the last was computed, until
    // it settles (settleMs). The first request after a change otherwise computes it afresh; with no answer kept yet,
    // requests wait for the one being computed.
    const last = lastWhileDue(base);
    if (last) return send(req, reply, last);
    const computed = await inflight.get(key);
    if (computed) return send(req, reply, computed);
    computing.set(base, (computing.get(base) ?? 0) + 1);
    let done!: (e: Entry | undefined) => void;
    inflight.set(
      key,
      new Promise((resolve) => {
        done = resolve;
      }),
    );
    req[PENDING] = {
      key,
      base,
      generation: gen,
      started: performance.now(),
      changes: generation.changes(),
      done: (e) => {
        if (req[PENDING] === undefined) return;
        req[PENDING] = undefined;
        inflight.delete(key);
        const n = (computing.get(base) ?? 1) - 1;
        if (n > 0) computing.set(base, n);
        else computing.delete(base);
        done(e);
      },
    };
  });

  app.addHook('onSend', async (req: CachedRequest, reply, payload) => {
    // A write answered here has committed: reads after it see a new generation at once (on PostgreSQL the
    // notification comes a moment later, on a connection of its own).
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS') generation.bump();
    if (!isPublicRead(req)) return payload;
    if (!isAnonymous(req)) {
      if (!reply.hasHeader('Cache-Control')) reply.header('Cache-Control', 'private, no-cache');
      return payload;
    }
    const pending = req[PENDING];
    if (reply.statusCode !== 200 || reply.hasHeader('Content-Encoding')) {
      pending?.done(undefined);
      return payload;
    }
    if (!reply.hasHeader('Cache-Control')) reply.header('Cache-Control', PUBLIC_CACHE_CONTROL);
    mergeVary(reply, PUBLIC_VARY);
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) {
      pending?.done(undefined);
      return payload;
    }
    const body = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
    const type = String(reply.getHeader('Content-Type') ?? 'application/json');
    const entry: Entry = { body, etag, type, headers: {}, making: {}, made: {} };
    if (pending && !reply.hasHeader('Set-Cookie') && body.length <= maxEntry) {
      // The headers are kept with the answer only (coding it below needs none of them).
      for (const [name, value] of Object.entries(reply.getHeaders()))
        if (!NOT_KEPT.has(name.toLowerCase()) && value !== undefined) entry.headers[name.toLowerCase()] = String(value);
      cache?.set(pending.key, entry);
      // Computations finish in any order: the newest generation's answer is the one kept. If the data changed while
      // it was computed, and while the one before it was (the data changes faster than it is computed, not once), it
      // is sent until it settles: a request at a newer generation does not compute it again at once (at most one
      // computation of an address per settleMs, or four times what it took).
      const last = latest?.get(pending.base);
      if ((last?.generation ?? Number.NEGATIVE_INFINITY) <= pending.generation) {
        const now = performance.now();
        const overtaken = generation.changes() > pending.changes ? (last?.overtaken ?? 0) + 1 : 0;
        const settle = Math.max(options.settleMs, 4 * (now - pending.started));
        latest?.set(pending.base, {
          entry,
          generation: pending.generation,
          overtaken,
          settledUntil: overtaken >= 2 && options.settleMs > 0 ? now + settle : 0,
        });
      }
      pending.done(entry);
    } else pending?.done(undefined);
    // Coded here as a hit is (brotli before gzip, from 1 kB): @fastify/compress leaves it so.
    const c = await coded(req, entry);
    reply.header('ETag', c.etag);
    if (c.encoding && c.body) reply.header('Content-Encoding', c.encoding);
    reply.code(c.status);
    // A 304 without a payload: null (an onSend hook returning undefined leaves the payload as it was).
    return c.body;
  });

  // Whatever ended the request (an error, a client gone), those waiting for it go on by themselves.
  const release = async (req: CachedRequest) => req[PENDING]?.done(undefined);
  app.addHook('onResponse', release);
  app.addHook('onRequestAbort', release);
  return answerKept;
}
