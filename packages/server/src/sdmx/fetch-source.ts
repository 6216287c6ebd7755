/**
 * A structure message or constraints file given by URL: fetched with a time limit (for the answer and for the whole
 * body) and a size limit, streamed on; every failure is a FetchSourceError whose message names the URL and why.
 */
export class FetchSourceError extends Error {}

export interface FetchLimits {
  timeoutMs: number;
  maxBytes: number;
}

export const DEFAULT_FETCH_LIMITS: FetchLimits = { timeoutMs: 60_000, maxBytes: 100 * 1024 * 1024 };

export function parseSourceUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new FetchSourceError(`"${text.slice(0, 200)}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new FetchSourceError(`${url.protocol} URLs are not fetched: give an http or https URL`);
  return url;
}

/** The body of a URL as a stream of bytes, within the limits. */
export async function fetchSource(
  text: string,
  limits: FetchLimits = DEFAULT_FETCH_LIMITS,
): Promise<AsyncIterable<Uint8Array>> {
  const url = parseSourceUrl(text);
  const shown = `${url.origin}${url.pathname}`;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), limits.timeoutMs);
  let res: Response;
  try {
    res = await fetch(url, {
      signal: controller.signal,
      headers: { Accept: 'application/vnd.sdmx.structure+xml;version=2.1, application/xml, text/csv, */*' },
    });
  } catch (err) {
    clearTimeout(timer);
    if (controller.signal.aborted)
      throw new FetchSourceError(`${shown} did not answer within ${limits.timeoutMs / 1000} s`);
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new FetchSourceError(`could not fetch ${shown}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
  }
  if (!res.ok || !res.body) {
    clearTimeout(timer);
    await res.body?.cancel().catch(() => undefined);
    throw new FetchSourceError(`${shown} answered ${res.status} ${res.statusText}`.trim());
  }
  const length = Number(res.headers.get('content-length'));
  if (Number.isFinite(length) && length > limits.maxBytes) {
    clearTimeout(timer);
    await res.body.cancel().catch(() => undefined);
    throw new FetchSourceError(`${shown} is larger than ${Math.round(limits.maxBytes / 1024 / 1024)} MB`);
  }
  const body = res.body;
  return (async function* () {
    let n = 0;
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        n += chunk.length;
        if (n > limits.maxBytes)
          throw new FetchSourceError(`${shown} is larger than ${Math.round(limits.maxBytes / 1024 / 1024)} MB`);
        yield chunk;
      }
    } catch (err) {
      if (err instanceof FetchSourceError) throw err;
      if (controller.signal.aborted)
        throw new FetchSourceError(`${shown} did not send its whole body within ${limits.timeoutMs / 1000} s`);
      throw new FetchSourceError(`reading ${shown} failed: ${(err as Error).message}`);
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
  })();
}
