import { Readable } from 'node:stream';
import type { RuntimeConfig } from '../config.ts';
import { type ImportCliOptions, importStream } from './import.ts';

/**
 * `marsad pull dhis2`: reads a data value set from a DHIS2 server's Web API and imports it as a
 * `dataValueSets` file would be (all or nothing, through the DHIS2 mapping), so a country that
 * runs DHIS2 needs no export by hand. DHIS2's API: `GET /api/dataValueSets.json` with
 * `dataSet`, `period` (or `startDate` and `endDate`), `orgUnit` (and `children`), each of them
 * repeatable; a personal access token goes in `Authorization: ApiToken <token>`.
 */
export interface PullDhis2Options extends Omit<ImportCliOptions, 'format'> {
  url: string;
  token?: string;
  dataSet?: string[];
  period?: string[];
  startDate?: string;
  endDate?: string;
  orgUnit?: string[];
  children?: boolean;
  /** Seconds to wait for the server to answer, and between two pieces of its answer. */
  timeout?: string;
}

const list = (v?: string[]) =>
  (v ?? [])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);

/** DHIS2's error answers are JSON with a `message` (webMessage); anything else is shown in part. */
async function messageOf(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    const json = JSON.parse(text) as { message?: unknown };
    if (typeof json.message === 'string') return json.message;
  } catch {
    // not JSON
  }
  const plain = text
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length > 200 ? `${plain.slice(0, 200)}…` : plain;
}

/** The address of the data value sets on the server whose base address is `base`. */
export function dataValueSetsUrl(base: string, o: PullDhis2Options): URL {
  let root: URL;
  try {
    root = new URL(base.endsWith('/') ? base : `${base}/`);
  } catch {
    throw new Error(
      `--url "${base}" is not an address: give the DHIS2 server's base address, e.g. https://dhis2.example.org`,
    );
  }
  if (root.protocol !== 'http:' && root.protocol !== 'https:')
    throw new Error(`--url "${base}" must start with https:// (or http://)`);
  if (root.username || root.password)
    throw new Error('--url must not hold a user name or password: give a personal access token with --token');
  // A base given with /api (or /api/) would otherwise become /api/api/.
  const path = root.pathname.replace(/\/api\/?$/, '/');
  const u = new URL(`${path}api/dataValueSets.json`, root);
  const dataSets = list(o.dataSet);
  const periods = list(o.period);
  const orgUnits = list(o.orgUnit);
  if (!dataSets.length) throw new Error('--data-set is needed: the UID of the DHIS2 data set to read (repeatable)');
  if (!periods.length && !(o.startDate && o.endDate))
    throw new Error('--period (e.g. 202401, 2024Q1, 2024) or both --start-date and --end-date are needed');
  if (!orgUnits.length) throw new Error('--org-unit is needed: the UID of the organisation unit (repeatable)');
  for (const d of dataSets) u.searchParams.append('dataSet', d);
  for (const p of periods) u.searchParams.append('period', p);
  if (o.startDate) u.searchParams.set('startDate', o.startDate);
  if (o.endDate) u.searchParams.set('endDate', o.endDate);
  for (const ou of orgUnits) u.searchParams.append('orgUnit', ou);
  if (o.children) u.searchParams.set('children', 'true');
  return u;
}

/** The body of an answer, failing with `onIdle`'s error when no piece arrives for `ms`. */
async function* withIdleTimeout(
  body: ReadableStream<Uint8Array>,
  ms: number,
  controller: AbortController,
): AsyncGenerator<Uint8Array> {
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(new Error('idle')), ms);
  };
  arm();
  try {
    for await (const chunk of Readable.fromWeb(body as never) as AsyncIterable<Uint8Array>) {
      arm();
      yield chunk;
    }
  } finally {
    clearTimeout(timer);
  }
}

export async function pullDhis2Command(config: RuntimeConfig, o: PullDhis2Options): Promise<number> {
  const token = o.token ?? process.env.MARSAD_DHIS2_TOKEN;
  if (!token)
    throw new Error(
      'a DHIS2 personal access token is needed: --token d2pat_… or MARSAD_DHIS2_TOKEN (DHIS2: Profile → Personal access tokens)',
    );
  if (!o.dhis2Mapping)
    throw new Error(
      '--dhis2-mapping FILE is needed: the mapping of DHIS2 data elements, org units and category option combos onto Marsad codes',
    );
  const seconds = o.timeout === undefined ? 60 : Number(o.timeout);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error('--timeout must be a number of seconds above 0');
  const url = dataValueSetsUrl(o.url, o);
  const shown = `${url.origin}${url.pathname}`;

  const controller = new AbortController();
  const headersTimer = setTimeout(() => controller.abort(new Error('timeout')), seconds * 1000);
  let res: Response;
  try {
    res = await fetch(url, {
      headers: { Authorization: `ApiToken ${token}`, Accept: 'application/json' },
      signal: controller.signal,
    });
  } catch (err) {
    if (controller.signal.aborted)
      throw new Error(`DHIS2 at ${shown} did not answer within ${seconds} s (--timeout ${seconds})`);
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(`could not reach DHIS2 at ${shown}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
  } finally {
    clearTimeout(headersTimer);
  }

  if (!res.ok) {
    const message = await messageOf(res);
    const detail = message ? ` DHIS2 says: ${message}` : '';
    switch (res.status) {
      case 401:
        throw new Error(
          `DHIS2 refused the token (401 Unauthorized): check --token (a personal access token d2pat_…, not expired, allowed from this address).${detail}`,
        );
      case 403:
        throw new Error(`DHIS2 does not let this token read these data (403 Forbidden).${detail}`);
      case 404:
        throw new Error(
          `nothing at ${shown} (404 Not Found): check that --url is the DHIS2 server's base address (where /api is), e.g. https://dhis2.example.org or https://example.org/dhis.${detail}`,
        );
      case 409:
        throw new Error(
          `DHIS2 refused the request (409 Conflict): check --data-set, --period and --org-unit.${detail}`,
        );
      default:
        throw new Error(`DHIS2 at ${shown} answered ${res.status} ${res.statusText}.${detail}`);
    }
  }
  const type = res.headers.get('content-type') ?? '';
  if (!/json/i.test(type)) {
    await res.body?.cancel();
    throw new Error(
      `${shown} answered with ${/html/i.test(type) ? 'a web page' : `"${type || 'no content type'}"`}, not DHIS2's JSON: --url is perhaps not the DHIS2 server's base address, or the server sent its login page (check --token)`,
    );
  }
  if (!res.body) throw new Error(`DHIS2 at ${shown} answered with no data`);
  const size = Number(res.headers.get('content-length') ?? 0);
  const name = `dhis2-${list(o.dataSet).join('+')}-${list(o.period).join('+') || `${o.startDate}..${o.endDate}`}.json`;
  try {
    return await importStream(config, withIdleTimeout(res.body, seconds * 1000, controller), name, size, {
      ...o,
      format: 'dhis2',
    });
  } catch (err) {
    if (controller.signal.aborted)
      throw new Error(
        `DHIS2 at ${shown} stopped sending for more than ${seconds} s (--timeout ${seconds}); nothing was imported`,
      );
    throw err;
  }
}
