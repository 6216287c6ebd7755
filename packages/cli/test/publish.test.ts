// `marsad publish DIR` (docs/decisions/0009-static-publish.md) on a new embedded database with the demonstration
// data: the whole site in Arabic through the command (its pages, every internal link of every page leading to a file
// of the site, the data files as the API gives them); then, in this process on a part of the site, the six languages
// and the incremental publish: nothing rewritten when nothing changed, only what a change touches after it, a page
// no longer public deleted, the owner's own files left alone. Bad input is refused before anything is opened.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openStore, type Store } from '@marsad/db';
import { buildApp } from '@marsad/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLangs, publishCommand, publishSite } from '../src/commands/publish.ts';
import { readManifest, SiteWriter } from '../src/commands/publish-files.ts';
import { readConfig } from '../src/config.ts';
import { marsad, marsadInProcess, ROOT } from './run-marsad.ts';

const LANGS = ['ar', 'en', 'fr', 'es', 'ru', 'zh'];

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile()) out.push(path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
  return out.sort();
}

/** The pages of the part of the site the tests below publish in this process. */
// The home page last: drawn after pages whose map loaded the map's code, it draws the map's frame (which must go).
const PART = ['/indicators/11.1.1', '/places/MAAGA', '/'];

/** The file a static server answers for an internal address (a folder's index.html), or null. */
function fileFor(dir: string, href: string): string | null {
  const p = decodeURIComponent(href.replace(/&amp;/g, '&').split(/[?#]/)[0]!);
  const f = path.join(dir, p);
  if (existsSync(f) && statSync(f).isFile()) return f;
  const index = path.join(f, 'index.html');
  return existsSync(index) ? index : null;
}

describe('marsad publish', () => {
  let tmp: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-web.mjs')], { stdio: 'inherit' });
    tmp = await mkdtemp(path.join(os.tmpdir(), 'marsad-publish-'));
    env = { MARSAD_DATA_DIR: path.join(tmp, 'data') };
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  /** The app over the database the command made (the demonstration data), as the command builds it. */
  const withApp = async (fn: (app: Parameters<typeof publishSite>[0], store: Store) => Promise<void>) => {
    const store = await openStore({ dataDir: env.MARSAD_DATA_DIR! });
    const app = await buildApp(
      { store, dataDir: env.MARSAD_DATA_DIR!, adminToken: '', version: 'test' },
      { logger: false },
    );
    try {
      await fn(app, store);
    } finally {
      await app.close();
      await store.close();
    }
  };

  it('refuses bad input with a message naming the problem, before opening anything', async () => {
    const none = { MARSAD_DATA_DIR: path.join(tmp, 'none') };
    const file = path.join(tmp, 'a-file');
    await writeFile(file, 'x');
    let r = await marsad(['publish', file], none);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/it is a file, not a folder/);
    // The real command once (its exit code and message); the same code in this process for the other refusals.
    const config = readConfig(none);
    r = await marsadInProcess(() => publishCommand(config, path.join(tmp, 'site-x'), { lang: 'en,xx' }));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Unknown language in --lang: xx/);
    const full = path.join(tmp, 'full-of-things');
    await mkdir(full);
    await writeFile(path.join(full, 'mine.txt'), 'mine');
    r = await marsadInProcess(() => publishCommand(config, full, {}));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not empty and holds no published site.*--force/);
    r = await marsadInProcess(() => publishCommand(config, path.join(file, 'under-a-file'), {}));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Cannot publish to .*under-a-file/);
    r = await marsadInProcess(() => publishCommand(config, path.join(tmp, 'site-y'), { liveUrl: 'ftp://x' }));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--live-url must be an http or https address/);
    expect(existsSync(path.join(tmp, 'none'))).toBe(false);
  });

  it('publishes the whole site with working links and the data of the API', {
    timeout: 900_000,
  }, async () => {
    // One language through the command (every page of the site: 2,000 of them, about a minute); the six below.
    const site = path.join(tmp, 'site');
    const r = await marsad(['publish', site, '--lang', 'ar'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/written, 0 unchanged, 0 deleted/);
    const files = await filesUnder(site);
    for (const lang of ['ar'])
      for (const page of [
        '',
        '/indicators',
        '/indicators/11.1.1',
        '/places',
        '/places/MAAGA',
        '/places/MAR/report',
        '/knowledge',
        '/network',
        '/status',
        '/compare',
        '/programmes',
      ])
        expect(files, `${lang}${page}`).toContain(`${lang}${page}/index.html`);
    const root = await readFile(path.join(site, 'index.html'), 'utf8');
    expect(root).toMatch(/http-equiv="refresh" content="0; url=\/ar"/);

    // Every internal address of every page is a file of the site; no page has a script or a lasting "Loading…".
    const broken: string[] = [];
    const html = files.filter((f) => f.endsWith('.html'));
    for (const f of html) {
      const text = await readFile(path.join(site, f), 'utf8');
      expect(text, f).not.toMatch(/<script\b/);
      expect(text, f).not.toMatch(/class="muted loading"/);
      // Nothing waits for a script: no status ("Loading…") at all, whatever drew it (a lazy part's placeholder, the
      // map's frame once its code was loaded by an earlier page).
      expect(text, f).not.toMatch(/role="status"/);
      for (const m of text.matchAll(/\s(?:href|src)="(\/(?!\/)[^"]*)"/g))
        if (!fileFor(site, m[1]!)) broken.push(`${f}: ${m[1]}`);
    }
    expect(broken.slice(0, 20)).toEqual([]);
    // The indicator page's downloads are files of the site.
    const page = await readFile(path.join(site, 'ar/indicators/11.1.1/index.html'), 'utf8');
    expect(page).toMatch(/href="\/data\/downloads\/[0-9a-f]{10}\/[^"]+\.csv"/);
    expect(page).toContain('href="/data/all.csv"');
    expect(page).not.toMatch(/href="\/ar\/sign-in"/);

    // The data files are the API's answers to an anonymous reader.
    const manifest = JSON.parse(await readFile(path.join(site, '.marsad-publish.json'), 'utf8')) as {
      files: Record<string, string>;
    };
    expect(Object.keys(manifest.files).sort()).toEqual(files.filter((f) => f !== '.marsad-publish.json'));
    const index = JSON.parse(await readFile(path.join(site, 'search-index.json'), 'utf8')) as {
      indicators: { code: string; names: Record<string, string> }[];
      places: { code: string; names: Record<string, string> }[];
      knowledge: { id: number }[];
    };
    expect(index.indicators.find((i) => i.code === '11.1.1')?.names.ar).toBeTruthy();
    expect(index.places.find((p) => p.code === 'MAAGA')?.names.zh).toBeTruthy();
    expect(index.knowledge.length).toBeGreaterThan(0);
    const store = await openStore({ dataDir: env.MARSAD_DATA_DIR! });
    const app = await buildApp(
      { store, dataDir: env.MARSAD_DATA_DIR!, adminToken: '', version: 'test' },
      { logger: false },
    );
    try {
      const api = async (url: string) => (await app.inject({ method: 'GET', url })).body;
      expect(await readFile(path.join(site, 'data/indicators/11.1.1.csv'), 'utf8')).toBe(
        await api('/api/v1/observations/export?indicator=11.1.1&format=csv'),
      );
      expect(await readFile(path.join(site, 'data/places/MAAGA.csv'), 'utf8')).toBe(
        await api('/api/v1/observations/export?place=MAAGA&format=csv'),
      );
      expect(await readFile(path.join(site, 'data/all.csv'), 'utf8')).toBe(
        await api('/api/v1/downloads/all?format=csv'),
      );
      const json = JSON.parse(await readFile(path.join(site, 'data/indicators/11.1.1.json'), 'utf8')) as {
        items: unknown[];
        total: number;
      };
      const answer = JSON.parse(await api('/api/v1/observations?indicator=11.1.1&limit=1000')) as {
        items: unknown[];
        total: number;
      };
      expect(json.total).toBe(answer.total);
      expect(json.items.slice(0, answer.items.length)).toEqual(answer.items);
    } finally {
      await app.close();
      await store.close();
    }
  });

  it('publishes in the six languages unless told which', async () => {
    expect(parseLangs(undefined)).toEqual(LANGS);
    expect(parseLangs(' en, ar ')).toEqual(['ar', 'en']);
    await withApp(async (app) => {
      const dir = path.join(tmp, 'six');
      const writer = new SiteWriter(dir, null);
      expect(await publishSite(app, writer, { langs: LANGS, live: '', site: '', only: PART })).toEqual([]);
      await writer.finish();
      const files = await filesUnder(dir);
      for (const lang of LANGS)
        for (const page of PART) {
          const file = `${lang}${page === '/' ? '' : page}/index.html`;
          expect(files).toContain(file);
          expect(await readFile(path.join(dir, file), 'utf8'), file).not.toMatch(/role="status"|<script\b/);
        }
      const zh = await readFile(path.join(dir, 'zh/indicators/11.1.1/index.html'), 'utf8');
      expect(zh).toMatch(/<html lang="zh"/);
      expect(zh).toMatch(/hreflang="ar" href="\/ar\/indicators\/11\.1\.1"/);
    });
  });

  it('rewrites only what changed, deletes what is no longer published, leaves the owner’s files', async () => {
    const dir = path.join(tmp, 'site-part');
    const publish = (app: Parameters<typeof publishSite>[0], only: string[]) =>
      (async () => {
        const writer = new SiteWriter(dir, await readManifest(dir));
        await publishSite(app, writer, { langs: ['en'], live: '', site: '', only });
        await writer.finish();
        return writer;
      })();
    await withApp(async (app, store) => {
      const item = (
        JSON.parse((await app.inject({ url: '/api/v1/knowledge/search?limit=1' })).body) as { items: { id: number }[] }
      ).items[0]!.id;
      const only = [...PART, `/knowledge/${item}`];
      const first = await publish(app, only);
      expect(first.counts.written).toBeGreaterThan(0);
      expect(existsSync(path.join(dir, `en/knowledge/${item}/index.html`))).toBe(true);
      await writeFile(path.join(dir, 'mine.txt'), 'mine');
      await writeFile(path.join(dir, 'en', 'notes.html'), '<p>mine</p>');

      // Nothing changed: nothing written.
      const again = await publish(app, only);
      expect(again.written).toEqual([]);
      expect(again.counts).toMatchObject({ written: 0, deleted: 0, unchanged: first.counts.written });

      // A public value of 11.1.1 at MAAGA corrected, the knowledge item withdrawn (a draft again): through the store,
      // as another process would.
      await store.exclusive(async (c) => {
        const changed = await c.query(
          `UPDATE observations o SET value = o.value + 1
             FROM (SELECT o2.series_id, o2.place_id, o2.period, o2.disagg_id FROM observations o2
                    JOIN indicators i ON i.id = o2.indicator_id JOIN places p ON p.id = o2.place_id
                   WHERE i.code = '11.1.1' AND p.code = 'MAAGA' AND o2.status = 'approved' AND o2.disagg_id = 0
                   ORDER BY o2.period LIMIT 1) x
            WHERE (o.series_id, o.place_id, o.period, o.disagg_id) = (x.series_id, x.place_id, x.period, x.disagg_id)`,
        );
        expect(changed.affected, 'an approved value of 11.1.1 at MAAGA in the demonstration data').toBe(1);
        await c.query(`UPDATE knowledge_items SET status = 'draft' WHERE id = $1`, [item]);
      });
      const after = await publish(app, only);
      expect(after.written).toEqual(
        expect.arrayContaining(['data/indicators/11.1.1.csv', 'data/places/MAAGA.json', 'data/all.csv']),
      );
      expect(after.written.length).toBeLessThan(first.counts.written / 2);
      expect(after.counts.deleted).toBeGreaterThanOrEqual(1);
      expect(existsSync(path.join(dir, `en/knowledge/${item}/index.html`))).toBe(false);
      expect(await readFile(path.join(dir, 'mine.txt'), 'utf8')).toBe('mine');
      expect(await readFile(path.join(dir, 'en', 'notes.html'), 'utf8')).toBe('<p>mine</p>');
    });
  });
});
