/** Thin JSON client for the Marsad API; errors carry the server's message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export type Params = Record<string, string | number | boolean | string[] | undefined | null>;

export function apiUrl(path: string, params: Params = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) {
      if (v.length) q.set(k, v.join(','));
    } else q.set(k, String(v));
  }
  const s = q.toString();
  return `/api/v1${path}${s ? `?${s}` : ''}`;
}

/**
 * How the app reads the API: the browser's fetch, or, when the server renders a page (src/entry-server.tsx), a
 * request made inside the server's own process (no network, no credentials: the public answer).
 */
export type ApiFetch = (url: string, init?: RequestInit) => Promise<Response>;
let apiFetcher: ApiFetch = (url, init) => fetch(url, init);

/** Reads the API with `f` from now on (the server's renderer); returns the one it replaced. */
export function setApiFetch(f: ApiFetch): ApiFetch {
  const before = apiFetcher;
  apiFetcher = f;
  return before;
}

/** A GET of the API's JSON, as the app reads it everywhere. */
export function apiGet(url: string): Promise<Response> {
  return apiFetcher(url, { headers: { Accept: 'application/json' } });
}

export async function getJson<T>(path: string, params: Params = {}): Promise<T> {
  const res = await apiGet(apiUrl(path, params));
  if (!res.ok) {
    let message = res.statusText;
    try {
      message = ((await res.json()) as { message?: string }).message ?? message;
    } catch {
      /* not JSON */
    }
    throw new ApiError(res.status, message);
  }
  return (await res.json()) as T;
}
