// Marsad's service worker (issue 21; docs/decisions/0011-service-worker.md): written by hand, no library.
// The server sends this file with the build's id written into BUILD below (packages/server/src/web/pwa-routes.ts),
// so a rebuilt app is a new worker, whose activation deletes the caches of the one before.
//  - Pages (navigations): the network first, always — a page is never served from the cache while the server answers,
//    so a rebuild is never hidden. Each page answered is kept; without a connection the kept page is served, or the
//    kept start page of its language, with <meta name="marsad-saved-copy" content="<when kept>"> added, which the
//    app shows as "saved copy of <date>" in the reader's language.
//  - Built files (/assets/, named by their content): from the cache, else the network, and kept.
//  - Public API answers (GET /api/v1/…, `Cache-Control: public`: answers without credentials, the public pages'
//    data): the network first, kept; from the cache without a connection. An answer with credentials is never kept
//    (it is private): for a signed-in reader the public answer of the same address is fetched without credentials
//    and kept instead, so the public pages they visited open offline with the public's data. A user's offline work
//    lives in IndexedDB, per user, and nowhere here.
//  - Everything else (writes, sign-in, the offline sync) goes to the network untouched.
// The app posts the addresses a page used (its files and public data) once the worker is ready, so the first page
// seen is kept too.
const BUILD = '__MARSAD_BUILD__';
const PAGES = `marsad-pages-${BUILD}`;
const FILES = `marsad-files-${BUILD}`;
const DATA = `marsad-data-${BUILD}`;
const KEPT = [PAGES, FILES, DATA];

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys())
        if (name.startsWith('marsad-') && !KEPT.includes(name)) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

const sameOrigin = (url) => url.origin === self.location.origin;
const isFile = (url) => url.pathname.startsWith('/assets/');
const isPublicApi = (url) => url.pathname.startsWith('/api/v1/') && !url.pathname.startsWith('/api/v1/auth/');
const isPublic = (res) => res.ok && /\bpublic\b/.test(res.headers.get('cache-control') ?? '');
const langOf = (url) => /^\/([a-z]{2})(?:\/|$)/.exec(url.pathname)?.[1] ?? 'ar';

async function keepPage(url, res) {
  if (!res.ok || !(res.headers.get('content-type') ?? '').startsWith('text/html')) return;
  const cache = await caches.open(PAGES);
  const headers = new Headers(res.headers);
  headers.set('x-marsad-kept', new Date().toISOString());
  const copy = new Response(await res.clone().arrayBuffer(), { status: res.status, headers });
  await cache.put(url.href.split('#')[0], copy);
}

async function savedPage(url) {
  const cache = await caches.open(PAGES);
  const hit =
    (await cache.match(url.href.split('#')[0])) ??
    (await cache.match(`${url.origin}${url.pathname}`, { ignoreSearch: true })) ??
    (await cache.match(`${url.origin}/${langOf(url)}`)) ??
    (await cache.match(`${url.origin}/${langOf(url)}/`));
  if (!hit) {
    // Any kept page of the language: the app draws the address asked for.
    for (const req of await cache.keys()) {
      if (langOf(new URL(req.url)) === langOf(url)) return mark(await cache.match(req));
    }
    return Response.error();
  }
  return mark(hit);
}

async function mark(res) {
  const when = res.headers.get('x-marsad-kept') ?? '';
  const html = (await res.text()).replace('<head>', `<head><meta name="marsad-saved-copy" content="${when}">`);
  return new Response(html, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' } });
}

async function keepFile(req) {
  const cache = await caches.open(FILES);
  const hit = await cache.match(req);
  if (hit) return hit;
  const res = await fetch(req);
  if (res.ok) await cache.put(req, res.clone());
  return res;
}

/** When the public copy of an address was last fetched for a signed-in reader (at most once in ten minutes). */
const publicCopyFetched = new Map();

/**
 * A signed-in reader's answer is private (it may hold values the public does not see) and is never kept; so that the
 * public pages they visited still open offline, the public answer of the same address is fetched without credentials
 * and kept instead, at most once in ten minutes an address.
 */
async function keepPublicCopy(href) {
  const last = publicCopyFetched.get(href) ?? 0;
  if (Date.now() - last < 600_000) return;
  publicCopyFetched.set(href, Date.now());
  try {
    const res = await fetch(new Request(href, { credentials: 'omit' }));
    if (isPublic(res)) await (await caches.open(DATA)).put(href, res);
  } catch {
    /* kept next time */
  }
}

async function publicData(req, event) {
  try {
    const res = await fetch(req);
    if (isPublic(res)) await (await caches.open(DATA)).put(req, res.clone());
    else if (res.ok && /\bprivate\b/.test(res.headers.get('cache-control') ?? '')) {
      if (event) event.waitUntil(keepPublicCopy(req.url));
      else await keepPublicCopy(req.url);
    }
    return res;
  } catch (e) {
    // The kept public answer, whoever asks: a signed-in reader offline sees what the public sees.
    const hit = await (await caches.open(DATA)).match(req.url, { ignoreVary: true });
    if (hit) return hit;
    throw e;
  }
}

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (!sameOrigin(url)) return;
  if (req.mode === 'navigate') {
    event.respondWith(
      (async () => {
        try {
          const res = await fetch(req);
          event.waitUntil(keepPage(url, res.clone()));
          return res;
        } catch {
          return savedPage(url);
        }
      })(),
    );
  } else if (isFile(url)) event.respondWith(keepFile(req));
  else if (isPublicApi(url)) event.respondWith(publicData(req, event));
});

// The addresses a page used before the worker controlled it: kept as they would have been.
self.addEventListener('message', (event) => {
  const { type, urls } = event.data ?? {};
  if (type !== 'keep' || !Array.isArray(urls)) return;
  event.waitUntil(
    (async () => {
      for (const href of urls.slice(0, 300)) {
        let url;
        try {
          url = new URL(href);
        } catch {
          continue;
        }
        if (!sameOrigin(url)) continue;
        try {
          if (isFile(url)) await keepFile(new Request(url.href));
          else if (isPublicApi(url)) await publicData(new Request(url.href, { credentials: 'omit' }));
          else if (!url.pathname.startsWith('/api/')) {
            const res = await fetch(url.href, { credentials: 'same-origin' });
            await keepPage(url, res);
          }
        } catch {
          /* kept next time */
        }
      }
    })(),
  );
});
