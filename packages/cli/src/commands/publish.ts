import { existsSync } from 'node:fs';
import { access, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import type { RuntimeConfig } from '../config.ts';
import { progressBar } from '../progress.ts';
import { findRemote } from '../remote.ts';
import { withLocalApp } from './local-store.ts';
import { MANIFEST, readManifest, SiteWriter, sha256 } from './publish-files.ts';
import {
  internalLinks,
  rewriteLinks,
  rootPage,
  STATIC_CSS,
  STATIC_CSS_PATH,
  withAlternates,
  withoutScripts,
} from './publish-html.ts';

/** The page languages, the default first (packages/server/src/web/page-language.ts). */
const LANGS = ['ar', 'en', 'fr', 'es', 'ru', 'zh'] as const;
const DIRECTION: Record<string, 'rtl' | 'ltr'> = { ar: 'rtl' };

const WEB_DIST = new URL('../../../web/dist/', import.meta.url);
const WEB_DIST_SERVER = new URL('../../../web/dist-server/entry-server.js', import.meta.url);

export interface PublishCliOptions {
  lang?: string;
  liveUrl?: string;
  siteUrl?: string;
  force?: boolean;
}

/**
 * The public pages (packages/web/src/app/router.tsx) a published site has, by their address without the language
 * prefix; the others (sign-in, entry, import, the inbox, administration, the pages of review work, a knowledge
 * item's editing) are pages of work that need a server.
 */
const PUBLIC_PAGE =
  /^\/(?:indicators(?:\/[^/]+)?|places(?:\/[^/]+(?:\/report)?)?|programmes(?:\/[^/]+)?|results\/success-indicators|results\/board-progress\/\d{4}-\d{2}-\d{2}\/\d{4}-\d{2}-\d{2}|compare|status|knowledge(?:\/\d+)?|network|workshops(?:\/\d+)?|reviews(?:\/published\/\d+)?)?$/;
/** Pages every language starts from; what they link to is found by following their links. */
const START_PAGES = [
  '/',
  '/indicators',
  '/places',
  '/programmes',
  '/results/success-indicators',
  '/compare',
  '/status',
  '/knowledge',
  '/network',
  '/workshops',
  '/reviews',
];

/** An address split into its language, its page path (decoded as the router reads it), query and fragment. */
function splitAddress(href: string): { lang: string | null; page: string; query: string; hash: string } {
  const hashAt = href.indexOf('#');
  const hash = hashAt >= 0 ? href.slice(hashAt) : '';
  const noHash = hashAt >= 0 ? href.slice(0, hashAt) : href;
  const qAt = noHash.indexOf('?');
  const query = qAt >= 0 ? noHash.slice(qAt) : '';
  const p = qAt >= 0 ? noHash.slice(0, qAt) : noHash;
  const m = /^\/([a-z]{2})(\/.*)?$/.exec(p);
  if (!m) return { lang: null, page: p, query, hash };
  return { lang: m[1]!, page: (m[2] ?? '/').replace(/(.)\/+$/, '$1'), query, hash };
}

/** A page's file under DIR: `en/indicators/11.1.1/index.html` (decoded: a static server decodes the address). */
function pageFile(lang: string, page: string): string {
  let decoded = page;
  try {
    decoded = decodeURIComponent(page);
  } catch {
    /* kept as written */
  }
  return `${lang}${decoded === '/' ? '' : decoded}/index.html`;
}

/** A name safe as one part of a file's path, readable (a code such as 11.1.1 or MA-09 stays as it is). */
const fileSafe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_') || '_';

async function checkDir(dir: string, force: boolean): Promise<void> {
  const s = await stat(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw new Error(`Cannot publish to ${dir}: ${err.message}`);
  });
  if (s && !s.isDirectory()) throw new Error(`Cannot publish to ${dir}: it is a file, not a folder.`);
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, 2 /* W_OK */);
  } catch (err) {
    throw new Error(`Cannot publish to ${dir}: the folder cannot be written (${(err as Error).message}).`);
  }
  if (!s || force) return;
  if (existsSync(path.join(dir, MANIFEST))) return;
  if ((await readdir(dir)).length > 0)
    throw new Error(
      `${dir} is not empty and holds no published site (${MANIFEST}); publish to an empty or new folder, or add --force to publish into it (files of yours in it are left alone).`,
    );
}

export function parseLangs(value: string | undefined): string[] {
  if (!value) return [...LANGS];
  const asked = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = asked.filter((l) => !(LANGS as readonly string[]).includes(l));
  if (unknown.length || !asked.length)
    throw new Error(
      `Unknown language in --lang: ${unknown.join(', ') || '(none given)'}. Languages: ${LANGS.join(', ')}.`,
    );
  // In the site's order, the default language first.
  return LANGS.filter((l) => asked.includes(l));
}

function parseUrl(value: string | undefined, option: string): string {
  if (value === undefined) return '';
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new Error(`${option} must be an http or https address, such as https://marsad.example.org (got ${value}).`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new Error(`${option} must be an http or https address (got ${value}).`);
  return u.href.replace(/\/+$/, '');
}

/**
 * `marsad publish DIR`: the public site as static files (docs/decisions/0009-static-publish.md). The pages are the
 * server's own drawing (`app.inject`, no credentials: what an anonymous reader gets), without the app's scripts;
 * the data as JSON and CSV from the public API; incremental through DIR's manifest.
 */
export async function publishCommand(config: RuntimeConfig, dir: string, o: PublishCliOptions): Promise<number> {
  const langs = parseLangs(o.lang);
  const live = parseUrl(o.liveUrl, '--live-url');
  const site = parseUrl(o.siteUrl, '--site-url');
  if (!existsSync(new URL('index.html', WEB_DIST)) || !existsSync(WEB_DIST_SERVER))
    throw new Error(
      'The web app is not built (packages/web/dist and dist-server): run `npm run build` first, then try again.',
    );
  const remote = await findRemote(config.dataDir, config.databaseUrl);
  if (remote)
    throw new Error(
      `A Marsad server (${remote.baseUrl}) holds the embedded database in ${config.dataDir}; stop it before running "marsad publish", or run the command where the database is a PostgreSQL server (DATABASE_URL).`,
    );
  const out = path.resolve(dir);
  await checkDir(out, !!o.force);
  const previous = await readManifest(out);

  const started = Date.now();
  await withLocalApp(config, 'publish', async (app) => {
    const writer = new SiteWriter(out, previous);
    const notPublished = await publishSite(app, writer, { langs, live, site });
    await writer.finish();
    const c = writer.counts;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `Published to ${out}: ${c.written} written, ${c.unchanged} unchanged, ${c.deleted} deleted (${(c.bytes / 1e6).toFixed(1)} MB in ${c.written + c.unchanged} files, ${seconds} s).`,
    );
    if (notPublished.length) {
      console.error(
        `${notPublished.length} page(s) could not be drawn on the server and were left out (links to them ${live ? 'go to the live server' : 'are plain text'}):`,
      );
      for (const p of notPublished.slice(0, 20)) console.error(`  ${p}`);
      if (notPublished.length > 20) console.error(`  … and ${notPublished.length - 20} more`);
    }
  });
  return 0;
}

export interface SiteOptions {
  langs: string[];
  /** Only these pages (addresses without language prefix), not the pages their links lead to: a part of the site. */
  only?: string[];
  /** The live server's address for links to what the published site lacks, or '' (those links become text). */
  live: string;
  /** The published site's own address for its `hreflang` alternates, or '' (addresses from the root). */
  site: string;
}

/** GET as an anonymous reader; the answer's status, type, file name and bytes. */
async function get(app: FastifyInstance, url: string) {
  const res = await app.inject({ method: 'GET', url });
  const disposition = String(res.headers['content-disposition'] ?? '');
  return {
    status: res.statusCode,
    type: String(res.headers['content-type'] ?? ''),
    fileName: /filename="([^"]+)"/.exec(disposition)?.[1] ?? null,
    body: res.rawPayload,
  };
}

async function getJson<T>(app: FastifyInstance, url: string): Promise<T> {
  const r = await get(app, url);
  if (r.status !== 200) throw new Error(`${url}: the API answered ${r.status}`);
  return JSON.parse(r.body.toString('utf8')) as T;
}

/** Every item of a paged public list (`{ items, total }`), following its `next` cursor where it gives one. */
async function allItems<T>(app: FastifyInstance, url: string, limit = 1000): Promise<T[]> {
  const items: T[] = [];
  const sep = url.includes('?') ? '&' : '?';
  let at = `offset=0`;
  for (let offset = 0; ; offset += limit) {
    const page = await getJson<{ items: T[]; total: number | null; next?: string | null }>(
      app,
      `${url}${sep}limit=${limit}&${at}`,
    );
    items.push(...page.items);
    if (page.items.length < limit || (page.total !== null && items.length >= page.total)) return items;
    if (page.next === null) return items;
    at = page.next !== undefined ? `after=${encodeURIComponent(page.next)}` : `offset=${offset + limit}`;
  }
}

/**
 * Draws and writes the site; returns the pages that could not be drawn (their addresses). Pages are found from the
 * start pages, every indicator and every place, and the public pages their links lead to, in each language.
 */
export async function publishSite(app: FastifyInstance, writer: SiteWriter, o: SiteOptions): Promise<string[]> {
  const { langs, live, site } = o;
  const indicators = await allItems<{ code: string; names: Record<string, string> }>(app, '/api/v1/indicators');
  const places = await allItems<{ code: string; level: string; names: Record<string, string> }>(
    app,
    '/api/v1/places',
    500,
  );
  const pagesToDraw = o.only ?? [
    ...START_PAGES,
    ...indicators.map((i) => `/indicators/${encodeURIComponent(i.code)}`),
    ...places.map((p) => `/places/${encodeURIComponent(p.code)}`),
  ];

  // 1. Draw: each page in each language, following the links to public pages. Kept compressed until written.
  const drawn = new Map<string, Buffer>();
  const failed = new Set<string>();
  const queued = new Set<string>();
  const queue: { lang: string; page: string }[] = [];
  const enqueue = (page: string) => {
    if (!PUBLIC_PAGE.test(page)) return;
    for (const lang of langs) {
      const key = `${lang}${page}`;
      if (queued.has(key)) continue;
      queued.add(key);
      queue.push({ lang, page });
    }
  };
  for (const p of pagesToDraw) enqueue(p);
  // The pages known at the start; those found by their links come on top (the bar stops at its end).
  const known = queue.length;
  const bar = progressBar('Pages', known, 'pages');
  let done = 0;
  const drawOne = async ({ lang, page }: { lang: string; page: string }) => {
    const address = `/${lang}${page === '/' ? '' : page}`;
    const r = await get(app, address);
    const html = r.body.toString('utf8');
    // A page the server did not draw (its data too large, a query that failed) or that does not exist is not
    // published: without scripts it would be empty.
    if (r.status !== 200 || !html.includes('id="marsad-state"')) failed.add(`${lang}${page}`);
    else {
      for (const href of internalLinks(html)) {
        const a = splitAddress(href);
        if (a.lang && langs.includes(a.lang) && !o.only) enqueue(a.page);
      }
      drawn.set(`${lang}${page}`, gzipSync(withoutScripts(html), { level: 1 }));
    }
    bar.update(Math.min(++done, known));
  };
  // A few at a time: the drawing of one overlaps the database reads of another.
  while (queue.length) {
    const batch = queue.splice(0, 4);
    await Promise.all(batch.map(drawOne));
  }
  bar.stop();

  // 2. The data: downloads the pages link to, each indicator's and place's values, the bulk download.
  const downloads = new Map<string, string | null>();
  const download = async (href: string): Promise<string | null> => {
    if (downloads.has(href)) return downloads.get(href)!;
    let to: string | null = null;
    if (href === '/api/v1/downloads/all?format=csv') to = '/data/all.csv';
    else {
      const r = await get(app, href);
      // Only what the API gives as a file to save (Content-Disposition): other answers need the live server.
      if (r.status === 200 && r.fileName) {
        to = `/data/downloads/${sha256(href).slice(0, 10)}/${fileSafe(r.fileName)}`;
        // An SDMX-JSON message names the time it was made (formats/sdmx-json/write.ts): not a change of data.
        await writer.put(to.slice(1), r.body, /"(?:id":"MARSAD-\d+|prepared":"[^"]*)"/g);
      }
    }
    downloads.set(href, to);
    return to;
  };
  const all = await get(app, '/api/v1/downloads/all?format=csv');
  if (all.status !== 200) throw new Error(`The bulk download failed: the API answered ${all.status}.`);
  await writer.put('data/all.csv', all.body);

  const publishedIndicators = indicators.filter((i) =>
    langs.some((l) => drawn.has(`${l}/indicators/${encodeURIComponent(i.code)}`)),
  );
  const publishedPlaces = places.filter((p) =>
    langs.some((l) => drawn.has(`${l}/places/${encodeURIComponent(p.code)}`)),
  );
  const dataBar = progressBar('Data', publishedIndicators.length + publishedPlaces.length, 'files');
  let dataDone = 0;
  for (const [kind, param, list] of [
    ['indicators', 'indicator', publishedIndicators],
    ['places', 'place', publishedPlaces],
  ] as const) {
    for (const { code } of list) {
      const q = `${param}=${encodeURIComponent(code)}`;
      const csv = await get(app, `/api/v1/observations/export?${q}&format=csv`);
      if (csv.status !== 200) throw new Error(`The values of ${kind} ${code}: the API answered ${csv.status}.`);
      await writer.put(`data/${kind}/${fileSafe(code)}.csv`, csv.body);
      const items = await allItems<unknown>(app, `/api/v1/observations?${q}`);
      await writer.put(
        `data/${kind}/${fileSafe(code)}.json`,
        `${JSON.stringify({ [param]: code, total: items.length, items })}\n`,
      );
      dataBar.update(++dataDone);
    }
  }
  dataBar.stop();

  // The search index: what a reader looks for, named in every language.
  const knowledge = await allItems<{ id: number; title?: string; language?: string }>(
    app,
    '/api/v1/knowledge/search',
    100,
  ).catch(() => []);
  const index = {
    languages: langs,
    indicators: publishedIndicators.map((i) => ({
      code: i.code,
      names: i.names,
      pages: Object.fromEntries(langs.map((l) => [l, `/${l}/indicators/${i.code}`])),
      data: { csv: `/data/indicators/${fileSafe(i.code)}.csv`, json: `/data/indicators/${fileSafe(i.code)}.json` },
    })),
    places: publishedPlaces.map((p) => ({
      code: p.code,
      level: p.level,
      names: p.names,
      pages: Object.fromEntries(langs.map((l) => [l, `/${l}/places/${p.code}`])),
      data: { csv: `/data/places/${fileSafe(p.code)}.csv`, json: `/data/places/${fileSafe(p.code)}.json` },
    })),
    knowledge: knowledge
      .filter((k) => langs.some((l) => drawn.has(`${l}/knowledge/${k.id}`)))
      .map((k) => ({
        id: k.id,
        title: k.title ?? null,
        language: k.language ?? null,
        pages: Object.fromEntries(langs.map((l) => [l, `/${l}/knowledge/${k.id}`])),
      })),
  };
  await writer.put('search-index.json', `${JSON.stringify(index)}\n`);
  await writer.put(STATIC_CSS_PATH.slice(1), STATIC_CSS);

  // 3. The pages, their links made the published site's (or the live server's, or none).
  const assets = new Set<string>();
  const workPage = (page: string) => !PUBLIC_PAGE.test(page);
  const resolveSync = (href: string, downloadsDone: Map<string, string | null>): string | null => {
    if (href.startsWith('/assets/')) {
      assets.add(href.split(/[?#]/)[0]!);
      return href;
    }
    if (href === STATIC_CSS_PATH) return href;
    if (href.startsWith('/api/')) {
      const to = downloadsDone.get(href);
      if (to) return to;
      return live ? live + href : null;
    }
    const a = splitAddress(href);
    if (a.lang && drawn.has(`${a.lang}${a.page}`)) {
      // A view chosen by a query (a filter) is the live server's; the published page shows the page unfiltered.
      if (a.query && live) return live + href;
      return `/${a.lang}${a.page === '/' ? '' : a.page}${a.hash}`;
    }
    return live ? live + href : null;
  };
  const writeBar = progressBar('Writing', drawn.size, 'pages');
  let written = 0;
  for (const [key, packed] of drawn) {
    const [lang, ...rest] = key.split('/');
    const page = rest.length ? `/${rest.join('/')}` : '/';
    let html = gunzipSync(packed).toString('utf8');
    for (const href of internalLinks(html)) if (href.startsWith('/api/')) await download(href);
    html = rewriteLinks(
      html,
      (href) => resolveSync(href, downloads),
      (href) => {
        const a = splitAddress(href);
        return a.lang !== null && workPage(a.page);
      },
    );
    html = withAlternates(html, site, langs, page.replace(/^\/$/, '/'));
    await writer.put(pageFile(lang!, page), html);
    writeBar.update(++written);
  }
  writeBar.stop();

  // DIR/index.html: to the default language's home.
  const first = langs[0]!;
  const homeHtml = drawn.get(`${first}/`);
  const title = homeHtml
    ? (/<title>([^<]*)<\/title>/.exec(gunzipSync(homeHtml).toString('utf8'))?.[1] ?? 'Marsad')
    : 'Marsad';
  await writer.put(
    'index.html',
    rootPage(first, DIRECTION[first] ?? 'ltr', title.replace(/&amp;/g, '&'), title.replace(/&amp;/g, '&')),
  );

  // The built files the pages name (their style sheets), with what they name in turn and their compressed copies.
  const dist = WEB_DIST.pathname;
  const copyAsset = async (rel: string) => {
    if (writer.has(rel)) return;
    const file = path.join(dist, rel);
    const bytes = await readFile(file);
    await writer.put(rel, bytes);
    for (const ext of ['.br', '.gz'])
      if (existsSync(file + ext) && !writer.has(rel + ext)) await writer.put(rel + ext, await readFile(file + ext));
    if (rel.endsWith('.css'))
      for (const m of bytes.toString('utf8').matchAll(/url\(\s*['"]?(\/assets\/[^'")?#]+)/g))
        await copyAsset(m[1]!.slice(1));
  };
  for (const a of assets) await copyAsset(a.slice(1));
  return [...failed].map((k) => `/${k}`).sort();
}
