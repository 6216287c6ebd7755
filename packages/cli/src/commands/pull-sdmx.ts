import { looksLikeSdmxMl } from '@marsad/server';
import type { RuntimeConfig } from '../config.ts';
import { counting } from '../progress.ts';
import { type ImportCliOptions, importStream } from './import.ts';

/**
 * `marsad pull sdmx URL`: reads a data query of an SDMX REST service (`…/rest/data/DF,KEY?startPeriod=…`, the UN's
 * SDG service, .Stat, Eurostat, the ILO…) and imports the answer as `marsad import` would (all or nothing, the same
 * options). The answer is streamed into the reader, never held whole; its format is told by its Content-Type, or by
 * its first bytes when the type is vague (application/xml, text/plain, application/octet-stream).
 */
export interface PullSdmxOptions extends Omit<ImportCliOptions, 'format'> {
  /** sdmx-ml, sdmx-csv or sdmx-json whatever the answer's Content-Type says (default: told from the answer). */
  format?: string;
  /** Seconds to wait to connect and for the answer, and between two pieces of it. */
  timeout?: string;
  /** More request headers, `Name: value` each (an API key). */
  header?: string[];
  /** The largest answer read (bytes, or with k, M, G). */
  maxBytes?: string;
}

export type SdmxDataFormat = 'sdmx-ml' | 'sdmx-csv' | 'sdmx-json';
const DATA_FORMATS: readonly SdmxDataFormat[] = ['sdmx-ml', 'sdmx-csv', 'sdmx-json'];

/**
 * What the command asks for, most wanted first: SDMX-ML 2.1 structure-specific, then generic, then SDMX-ML 3.0,
 * SDMX-CSV (2.0, 1.0), SDMX-JSON (2.0, 1.0), then anything (the answer is then told by its first bytes).
 */
export const SDMX_ACCEPT = [
  'application/vnd.sdmx.structurespecificdata+xml;version=2.1',
  'application/vnd.sdmx.genericdata+xml;version=2.1;q=0.9',
  'application/vnd.sdmx.data+xml;version=3.0.0;q=0.8',
  'application/vnd.sdmx.data+csv;version=2.0.0;q=0.7',
  'application/vnd.sdmx.data+csv;version=1.0.0;q=0.65',
  'application/vnd.sdmx.data+json;version=2.0.0;q=0.6',
  'application/vnd.sdmx.data+json;version=1.0.0;q=0.55',
  '*/*;q=0.1',
].join(', ');

export const DEFAULT_MAX_BYTES = 2 * 1024 ** 3;
const DEFAULT_TIMEOUT_S = 60;
const MAX_REDIRECTS = 5;
/** How much of an answer is read before telling its format (the root element of an SDMX-ML message and its namespaces). */
const HEAD_BYTES = 8192;
/** How much of an error answer is read for the service's message. */
const ERROR_BYTES = 64 * 1024;

/** Query parameters whose values are not shown in messages (API keys given in the URL). */
const SECRET_PARAM = /key|token|secret|password|passwd|signature|^sig$|auth/i;

/** The URL as shown in messages: without the values of parameters that look like secrets. */
export function shownUrl(url: URL): string {
  const u = new URL(url.href);
  for (const name of new Set(u.searchParams.keys())) if (SECRET_PARAM.test(name)) u.searchParams.set(name, '…');
  try {
    return decodeURI(u.href);
  } catch {
    return u.href;
  }
}

/** The URL to pull, checked: http or https, no user name or password. */
export function pullUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(
      `"${text.slice(0, 200)}" is not a URL: give the data query of an SDMX REST service, e.g. https://example.org/rest/data/DF_SDG/A..`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`${url.protocol} URLs are not fetched (${text.slice(0, 200)}): give an https:// (or http://) URL`);
  if (url.username || url.password)
    throw new Error(
      `the URL ${url.host}${url.pathname} must not hold a user name or password: give credentials with --header 'Authorization: …' (or MARSAD_SDMX_HEADERS)`,
    );
  return url;
}

/** `Name: value` headers from --header and MARSAD_SDMX_HEADERS (one a line, out of the process list). */
export function parseHeaders(given: readonly string[] = [], env = process.env.MARSAD_SDMX_HEADERS): Headers {
  const headers = new Headers();
  const lines = [...(env ?? '').split(/\r?\n/).filter((l) => l.trim() !== ''), ...given];
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = colon === -1 ? '' : line.slice(0, colon).trim();
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name))
      throw new Error(`--header "${line.slice(0, 100)}" must be "Name: value", e.g. --header 'X-Api-Key: abc123'`);
    try {
      headers.append(name, line.slice(colon + 1).trim());
    } catch (err) {
      throw new Error(`--header ${name}: ${(err as Error).message}`);
    }
  }
  return headers;
}

/** Bytes from `500000`, `500k`, `200M`, `2G` (powers of 1024). */
export function parseBytes(text: string | undefined): number {
  if (text === undefined) return DEFAULT_MAX_BYTES;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?)i?b?\s*$/i.exec(text);
  const n = m ? Number(m[1]) * 1024 ** ' kmg'.indexOf((m[2] || ' ').toLowerCase()) : Number.NaN;
  if (!Number.isFinite(n) || n < 1) throw new Error('--max-bytes must be a size such as 500000, 200M or 2G');
  return Math.floor(n);
}

const sizeText = (n: number) =>
  n >= 1024 ** 3
    ? `${(n / 1024 ** 3).toFixed(1)} GB`
    : n >= 1024 ** 2
      ? `${(n / 1024 ** 2).toFixed(1)} MB`
      : n >= 1024
        ? `${Math.round(n / 1024)} kB`
        : `${n} bytes`;

/** Text as in XML, its entities and CDATA undone. */
function xmlText(s: string): string {
  return s
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos);/gi, (_, e: string) => {
      const l = e.toLowerCase();
      if (l.startsWith('#x')) return String.fromCodePoint(Number.parseInt(l.slice(2), 16));
      if (l.startsWith('#')) return String.fromCodePoint(Number(l.slice(1)));
      return ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[l] ?? '';
    })
    .replace(/\s+/g, ' ')
    .trim();
}

/** The error an SDMX-ML `Error` message or SDMX-JSON `errors` gives: its text and code. */
export function sdmxErrorOf(body: string): { text: string; code?: string } | undefined {
  const trimmed = body.replace(/^\uFEFF/, '').trim();
  if (trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch {
      return undefined;
    }
    if (typeof json !== 'object' || json === null) return undefined;
    const o = json as { errors?: unknown; message?: unknown; error?: unknown };
    const text = (v: unknown): string | undefined => {
      if (typeof v === 'string') return v.trim() || undefined;
      if (typeof v === 'object' && v !== null) {
        const byLang = v as Record<string, unknown>;
        const en = byLang.en ?? Object.values(byLang).find((x) => typeof x === 'string');
        return typeof en === 'string' ? en.trim() || undefined : undefined;
      }
      return undefined;
    };
    const errors = Array.isArray(o.errors) ? o.errors : o.error && typeof o.error === 'object' ? [o.error] : [];
    for (const e of errors) {
      if (typeof e !== 'object' || e === null) continue;
      const err = e as Record<string, unknown>;
      const title = text(err.title) ?? text(err.titles) ?? text(err.message);
      const detail = text(err.detail) ?? text(err.details);
      const all = [title, detail].filter((x, i, a): x is string => !!x && a.indexOf(x) === i).join(': ');
      if (!all) continue;
      const code = typeof err.code === 'number' || typeof err.code === 'string' ? String(err.code) : undefined;
      return { text: all, code };
    }
    const message = text(o.message) ?? text(o.error);
    return message ? { text: message } : undefined;
  }
  const messages = [
    ...trimmed.matchAll(/<(?:[\w.-]+:)?ErrorMessage\b([^>]*)>([\s\S]*?)<\/(?:[\w.-]+:)?ErrorMessage\s*>/g),
  ];
  for (const [, attrs, inner] of messages) {
    const texts = [...(inner ?? '').matchAll(/<(?:[\w.-]+:)?Text\b([^>]*)>([\s\S]*?)<\/(?:[\w.-]+:)?Text\s*>/g)];
    const chosen = texts.find(([, a]) => /lang\s*=\s*["']en/i.test(a ?? '')) ?? texts[0];
    const text = xmlText(chosen ? (chosen[2] ?? '') : (inner ?? ''));
    const code = /\bcode\s*=\s*["']([^"']*)["']/.exec(attrs ?? '')?.[1];
    if (text || code) return { text: text || '(no text)', code };
  }
  return undefined;
}

/** What the start of an answer is. */
export type Sniffed =
  | { kind: 'data'; format: SdmxDataFormat }
  | { kind: 'empty' }
  | { kind: 'html' }
  | { kind: 'structure'; what: string }
  | { kind: 'error' }
  | { kind: 'other'; what: string };

/** The media type of a Content-Type, lower case, without its parameters. */
const mediaType = (contentType: string) => (contentType.split(';')[0] ?? '').trim().toLowerCase();
const VAGUE_TYPES = new Set(['', 'application/xml', 'text/xml', 'text/plain', 'application/octet-stream']);
const SDMX_NS = /sdmx\.org\/resources\/sdmxml\/schemas\/v\d/i;

/**
 * What an answer is, from its Content-Type and its first bytes (`head`, the whole answer when it is shorter): the
 * SDMX format to read it as, or why it is not data. A Content-Type that names an SDMX data format decides; a vague
 * one leaves it to the bytes. An HTML page, a structure message or an SDMX error message is seen in the bytes
 * whatever the type says.
 */
export function sniffAnswer(contentType: string, head: string): Sniffed {
  const type = mediaType(contentType);
  const text = head.replace(/^\uFEFF/, '').trimStart();
  // After the XML declaration, comments and processing instructions: the root element.
  const body = text.replace(/^(?:<\?[\s\S]*?\?>\s*|<!--[\s\S]*?-->\s*)*/, '');
  if (/^<!doctype\s+html|^<html[\s>]/i.test(body) || type === 'text/html' || type === 'application/xhtml+xml')
    return { kind: 'html' };
  const root = /^<(?:([A-Za-z_][\w.-]*):)?([A-Za-z_][\w.-]*)[\s/>]/.exec(body);
  if (root && SDMX_NS.test(head)) {
    const local = root[2] ?? '';
    if (local === 'Error') return { kind: 'error' };
    if (/^(Structure|RegistryInterface)$/.test(local))
      return { kind: 'structure', what: `an SDMX-ML ${local} message` };
    if (/Metadata/.test(local)) return { kind: 'other', what: `an SDMX-ML ${local} (metadata) message` };
  }
  if (/application\/vnd\.sdmx\.(structure|schema)\+/.test(type) || /\bvnd\.sdmx\.structure\b/.test(type))
    return { kind: 'structure', what: `a structure message (${type})` };
  if (
    text.startsWith('{') &&
    /"data"\s*:\s*\{\s*"(dataStructures|dataflows|codelists|conceptSchemes|categorySchemes|contentConstraints|agencySchemes)"/.test(
      text,
    )
  )
    return { kind: 'structure', what: 'an SDMX-JSON structure message' };
  if (/^\{\s*"errors"\s*:/.test(text)) return { kind: 'error' };
  if (text.trim() === '') return { kind: 'empty' };

  if (/vnd\.sdmx\.(generic|structurespecific)(timeseries)?data\+xml|vnd\.sdmx\.data\+xml/.test(type))
    return { kind: 'data', format: 'sdmx-ml' };
  if (/vnd\.sdmx\.data\+csv|^text\/csv$|^application\/csv$/.test(type)) return { kind: 'data', format: 'sdmx-csv' };
  if (/vnd\.sdmx\.data\+json|^application\/json$|\+json$/.test(type)) return { kind: 'data', format: 'sdmx-json' };

  // A vague type (or one that names no SDMX format): the bytes tell.
  if (body.startsWith('<')) {
    if (looksLikeSdmxMl(head)) return { kind: 'data', format: 'sdmx-ml' };
    const name = root ? (root[1] ? `${root[1]}:${root[2]}` : root[2]) : undefined;
    return { kind: 'other', what: name ? `XML whose root element is ${name}` : 'XML' };
  }
  if (text.startsWith('{')) return { kind: 'data', format: 'sdmx-json' };
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  if (/^"?(DATAFLOW|STRUCTURE)"?\s*[,;\t]/i.test(firstLine) || /(^|[,;\t])"?OBS_VALUE"?([,;\t]|$)/.test(firstLine))
    return { kind: 'data', format: 'sdmx-csv' };
  const start = text.slice(0, 60).replace(/\s+/g, ' ');
  return {
    kind: 'other',
    what: `${VAGUE_TYPES.has(type) ? '' : `${type}: `}an answer that begins "${start}${text.length > 60 ? '…' : ''}"`,
  };
}

/** Words for the codes of Node's network errors. */
const NETWORK_CODES: Record<string, string> = {
  ENOTFOUND: 'no such host in DNS',
  EAI_AGAIN: 'the DNS lookup failed for now',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'the connection was reset',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host cannot be reached',
  ENETUNREACH: 'the network cannot be reached',
  UND_ERR_SOCKET: 'the connection was closed',
  CERT_HAS_EXPIRED: "the server's certificate has expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the server's certificate is self-signed",
  SELF_SIGNED_CERT_IN_CHAIN: "the server's certificate is not signed by a known authority",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server's certificate cannot be checked",
  ERR_TLS_CERT_ALTNAME_INVALID: "the server's certificate is for another name",
};

function networkReason(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code;
  if (code) return NETWORK_CODES[code] ? `${code} (${NETWORK_CODES[code]})` : code;
  return cause?.message ?? (err as Error).message;
}

/** A failure of the answer itself (not of the import): kept so that it is the message, whatever wraps it. */
class AnswerError extends Error {}

interface Answer {
  res: Response;
  url: URL;
}

/** A GET following redirects (at most MAX_REDIRECTS), each answer within `ms`. */
async function request(url: URL, headers: Headers, ms: number, controller: AbortController): Promise<Answer> {
  let current = url;
  let sent = headers;
  for (let hop = 0; ; hop++) {
    const timer = setTimeout(() => controller.abort(new Error('timeout')), ms);
    let res: Response;
    try {
      res = await fetch(current, { headers: sent, signal: controller.signal, redirect: 'manual' });
    } catch (err) {
      if (controller.signal.aborted)
        throw new AnswerError(`${shownUrl(current)} did not answer within ${ms / 1000} s (--timeout ${ms / 1000})`);
      throw new AnswerError(`could not reach ${shownUrl(current)}: ${networkReason(err)}`);
    } finally {
      clearTimeout(timer);
    }
    const location = res.headers.get('location');
    if (![301, 302, 303, 307, 308].includes(res.status) || !location) return { res, url: current };
    await res.body?.cancel().catch(() => undefined);
    if (hop >= MAX_REDIRECTS)
      throw new AnswerError(
        `${shownUrl(url)} redirected more than ${MAX_REDIRECTS} times (the last to ${shownUrl(current)}): stopped`,
      );
    let next: URL;
    try {
      next = new URL(location, current);
    } catch {
      throw new AnswerError(`${shownUrl(current)} redirected to "${location.slice(0, 200)}", which is not a URL`);
    }
    if (next.protocol !== 'http:' && next.protocol !== 'https:')
      throw new AnswerError(`${shownUrl(current)} redirected to a ${next.protocol} URL: only http(s) is followed`);
    if (next.username || next.password)
      throw new AnswerError(`${shownUrl(current)} redirected to a URL holding a user name or password: not followed`);
    // The headers given (an API key) go to the same host only, never from https down to http.
    if (next.hostname !== current.hostname || (current.protocol === 'https:' && next.protocol === 'http:')) {
      const accept = sent.get('accept');
      sent = new Headers();
      if (accept) sent.set('accept', accept);
    }
    current = next;
  }
}

/**
 * The body of an answer, within the limits: no piece awaited for longer than `ms` (the time the import spends on a
 * piece does not count), no more than `maxBytes`. A failure is an AnswerError naming the URL, also kept in `failed`.
 */
async function* bodyOf(
  res: Response,
  shown: string,
  ms: number,
  maxBytes: number,
  controller: AbortController,
  failed: { error?: AnswerError },
): AsyncGenerator<Uint8Array> {
  const fail = (message: string) => {
    failed.error ??= new AnswerError(message);
    return failed.error;
  };
  if (!res.body) return;
  const it = (res.body as unknown as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  let n = 0;
  try {
    for (;;) {
      const timer = setTimeout(() => controller.abort(new Error('idle')), ms);
      let r: IteratorResult<Uint8Array>;
      try {
        r = await it.next();
      } catch (err) {
        if (controller.signal.aborted)
          throw fail(
            `${shown} stopped sending for more than ${ms / 1000} s (--timeout ${ms / 1000}) after ${sizeText(n)}; nothing was imported`,
          );
        throw fail(`${shown} broke off its answer after ${sizeText(n)} (${networkReason(err)}); nothing was imported`);
      } finally {
        clearTimeout(timer);
      }
      if (r.done) return;
      n += r.value.length;
      if (n > maxBytes)
        throw fail(
          `the answer of ${shown} is larger than ${sizeText(maxBytes)} (--max-bytes): nothing was imported; narrow the query (a key, startPeriod) or raise --max-bytes`,
        );
      yield r.value;
    }
  } finally {
    // The reader stopped early (the file refused at its start) or the body failed: the connection is not needed.
    controller.abort();
    await it.return?.().catch(() => undefined);
  }
}

/** The first `bytes` of a stream (or all of it, when shorter), and the whole stream again to read on. */
async function peek(
  input: AsyncIterable<Uint8Array>,
  bytes: number,
): Promise<{ head: Buffer; all: AsyncGenerator<Uint8Array> }> {
  const it = input[Symbol.asyncIterator]();
  const first: Uint8Array[] = [];
  let n = 0;
  let done = false;
  while (n < bytes) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    first.push(r.value);
    n += r.value.length;
  }
  const all = async function* () {
    try {
      yield* first;
      if (done) return;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield r.value;
      }
    } finally {
      await it.return?.();
    }
  };
  return { head: Buffer.concat(first), all: all() };
}

/** Bytes read so far, on a terminal's standard error (for an answer of unknown length). */
function bytesProgress(label: string): { update(n: number): void; stop(): void } {
  if (!process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  let shown = 0;
  let last = 0;
  let written = false;
  return {
    update(n) {
      last = n;
      const now = Date.now();
      if (now - shown < 200) return;
      shown = now;
      written = true;
      process.stderr.write(`\r${label}: ${sizeText(n)} read`);
    },
    stop() {
      if (written) process.stderr.write(`\r${label}: ${sizeText(last)} read\n`);
      written = false;
    },
  };
}

/** Why an HTTP error answer failed: the service's SDMX error when it gives one, else its status and a hint. */
async function httpError(answer: Answer, body: AsyncIterable<Uint8Array>): Promise<AnswerError> {
  const { res } = answer;
  const shown = shownUrl(answer.url);
  const chunks: Uint8Array[] = [];
  let n = 0;
  try {
    for await (const chunk of body) {
      chunks.push(chunk);
      n += chunk.length;
      if (n >= ERROR_BYTES) break;
    }
  } catch {
    // what was read is enough
  }
  const text = Buffer.concat(chunks).subarray(0, ERROR_BYTES).toString('utf8');
  const status = `${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
  const sdmx = sdmxErrorOf(text);
  if (sdmx)
    return new AnswerError(
      `${shown} answered ${res.status} ${sdmx.text}${sdmx.code ? ` (SDMX error ${sdmx.code})` : ''}`,
    );
  const hints: Record<number, string> = {
    400: 'the service refused the query: check the dataflow, the key and the parameters',
    401: "the service wants credentials: give them with --header (an API key, 'Authorization: …')",
    403: 'the service does not let these credentials read these data (--header)',
    404: 'nothing at this address: check the URL (the dataflow and the key)',
    406: 'the service offers none of the formats Marsad reads (SDMX-ML, SDMX-CSV, SDMX-JSON)',
    413: 'the answer would be too large for the service: narrow the query (a key, startPeriod, endPeriod)',
    429: 'too many requests: try again later',
  };
  const hint = hints[res.status] ?? (res.status >= 500 ? 'the service failed: try again later' : undefined);
  const sniffed = sniffAnswer(res.headers.get('content-type') ?? '', text);
  const plain =
    sniffed.kind === 'html'
      ? ''
      : text
          .replace(/<[^>]*>/g, ' ')
          .replace(/\s+/g, ' ')
          .trim();
  const says = plain ? ` The service says: ${plain.length > 200 ? `${plain.slice(0, 200)}…` : plain}` : '';
  return new AnswerError(`${shown} answered ${status}${hint ? `: ${hint}` : ''}.${says}`);
}

/** `marsad pull sdmx URL`: fetched, told apart and imported, all or nothing. */
export async function pullSdmxCommand(config: RuntimeConfig, text: string, o: PullSdmxOptions): Promise<number> {
  const url = pullUrl(text);
  const seconds = o.timeout === undefined ? DEFAULT_TIMEOUT_S : Number(o.timeout);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error('--timeout must be a number of seconds above 0');
  const ms = seconds * 1000;
  const maxBytes = parseBytes(o.maxBytes);
  if (o.format !== undefined && !(DATA_FORMATS as readonly string[]).includes(o.format))
    throw new Error(`--format must be one of ${DATA_FORMATS.join(', ')}`);
  const headers = parseHeaders(o.header);
  if (!headers.has('accept')) headers.set('accept', SDMX_ACCEPT);

  const controller = new AbortController();
  const failed: { error?: AnswerError } = {};
  const answer = await request(url, headers, ms, controller);
  const { res } = answer;
  const shown = shownUrl(answer.url);
  const body = bodyOf(res, shown, ms, maxBytes, controller, failed);
  if (!res.ok) throw await httpError(answer, body);

  const encoded = !!res.headers.get('content-encoding');
  const length = encoded ? Number.NaN : Number(res.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(length) && length > maxBytes) {
    controller.abort();
    throw new AnswerError(
      `the answer of ${shown} is ${sizeText(length)}, larger than ${sizeText(maxBytes)} (--max-bytes): narrow the query (a key, startPeriod) or raise --max-bytes`,
    );
  }
  const contentType = res.headers.get('content-type') ?? '';
  const { head, all } = await peek(body, HEAD_BYTES);
  const sniffed = sniffAnswer(contentType, head.toString('utf8'));
  const refuse = async (message: string): Promise<never> => {
    controller.abort();
    await body.return(undefined).catch(() => undefined);
    throw new AnswerError(message);
  };
  switch (sniffed.kind) {
    case 'empty':
      return refuse(`${shown} answered ${res.status} with an empty answer: no data (check the URL and the query)`);
    case 'html':
      return refuse(`${shown}: the service answered with an HTML page, not SDMX data: check the URL`);
    case 'structure':
      return refuse(
        `${shown}: this is a structure message (${sniffed.what}), not data: use \`marsad sdmx load-structure ${shown}\` to load it`,
      );
    case 'error': {
      const rest: Uint8Array[] = [head];
      let n = head.length;
      for await (const chunk of all) {
        if (n >= ERROR_BYTES) break;
        rest.push(chunk);
        n += chunk.length;
      }
      const e = sdmxErrorOf(Buffer.concat(rest).toString('utf8'));
      return refuse(
        `${shown} answered with an SDMX error message: ${e?.text ?? '(no text)'}${e?.code ? ` (SDMX error ${e.code})` : ''}`,
      );
    }
    case 'other':
      if (!o.format)
        return refuse(
          `${shown} answered with ${sniffed.what}${contentType ? ` (Content-Type ${contentType})` : ''}, not SDMX data: check the URL, or give --format`,
        );
  }
  const format = (o.format as SdmxDataFormat | undefined) ?? (sniffed.kind === 'data' ? sniffed.format : 'sdmx-ml');

  const name = `${answer.url.host}${answer.url.pathname}`.slice(0, 300);
  const progress = Number.isFinite(length) ? undefined : bytesProgress(name);
  // The line of bytes read ends when the reading does, before the report is printed.
  const input = progress
    ? (async function* () {
        try {
          yield* counting(all, (n) => progress.update(n));
        } finally {
          progress.stop();
        }
      })()
    : all;
  try {
    return await importStream(config, input, name, Number.isFinite(length) ? length : 0, { ...o, format });
  } catch (err) {
    throw failed.error ?? err;
  } finally {
    progress?.stop();
    controller.abort();
  }
}
