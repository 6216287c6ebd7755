import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageDataRequests } from '../src/web/page-preloads.ts';
import { createTestApp, type TestApp } from './helpers.ts';

/**
 * Every page of the web app's router answers 200 when its address is loaded directly (a link, a
 * reload), not the not-found page's 404: the server's list of pages follows the router's. Needs the
 * built web app (`npm test` builds it first).
 */
const ROOT = path.resolve(import.meta.dirname, '../../..');
const built = existsSync(path.join(ROOT, 'packages/web/dist/index.html'));
const SAMPLE: Record<string, string> = {
  '/indicators/$code': '/indicators/16.1.1',
  '/places/$code': '/places/MAAGA',
  '/places/$code/report': '/places/MAR/report',
  '/admin/indicators/$code': '/admin/indicators/16.1.1',
};

describe.skipIf(!built)('pages of the web app (built)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers 200 for every static page of the router in each language, and for pages of places and indicators; the address without a language redirects to one', async () => {
    const router = readFileSync(path.join(ROOT, 'packages/web/src/app/router.tsx'), 'utf8');
    const paths = [...router.matchAll(/path: '([^']+)'/g)].map((m) => m[1]!);
    expect(paths).toContain('/entry');
    const urls = paths.filter((p) => !p.includes('$')).concat(Object.values(SAMPLE));
    const wrong: string[] = [];
    for (const url of urls) {
      for (const lang of ['ar', 'en', 'zh']) {
        const r = await t.app.inject({ url: `/${lang}${url === '/' ? '' : url}` });
        if (r.statusCode !== 200) wrong.push(`/${lang}${url}: ${r.statusCode}`);
      }
      // Without a language: redirected to the Arabic address (no cookie, no Accept-Language).
      const bare = await t.app.inject({ url });
      if (bare.statusCode !== 302 || bare.headers.location !== `/ar${url === '/' ? '' : url}`)
        wrong.push(`${url}: ${bare.statusCode} to ${String(bare.headers.location)}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe.skipIf(!built)('what a page names for the browser to load first (built)', () => {
  let t: TestApp;
  const manifest = () =>
    JSON.parse(readFileSync(path.join(ROOT, 'packages/web/dist/.vite/manifest.json'), 'utf8')) as Record<
      string,
      { file: string }
    >;
  const links = (html: string, rel: string) =>
    [...html.matchAll(new RegExp(`<link rel="${rel}"[^>]*href="([^"]+)"`, 'g'))].map((m) => m[1]!);
  beforeAll(async () => {
    t = await createTestApp('pglite');
  });
  afterAll(async () => {
    await t?.close();
  });

  it("names the page language's messages only, the page's code with its chart, and the indicator's first answers, each of which the server has", async () => {
    const m = manifest();
    // As a reader with a session gets it: the page is drawn in the browser (a reader without one gets it drawn:
    // drawn-pages.test.ts), so the server names its first API answers too.
    const signedIn = { cookie: 'marsad_session=whoever' };
    const ar = (await t.app.inject({ url: '/ar/indicators/16.1.1', headers: signedIn })).body;
    const arModules = links(ar, 'modulepreload');
    // Both parts of the catalog: a page drawn in the browser loads them at once (web/src/main.tsx).
    expect(arModules).toContain(`/${m['src/i18n/locales/ar.json?catalog=public']!.file}`);
    expect(arModules).toContain(`/${m['src/i18n/locales/ar.json?catalog=work']!.file}`);
    expect(arModules).not.toContain(`/${m['src/i18n/locales/en.json?catalog=public']!.file}`);
    expect(arModules).toContain(`/${m['src/pages/indicators/IndicatorPage.tsx']!.file}`);
    expect(arModules).toContain(`/${m['src/components/echarts-setup.ts']!.file}`);
    // The API answers the page asks for first, written as the app writes them (api/client.ts).
    const data = links(ar, 'preload');
    expect(data).toEqual([
      '/api/v1/indicators/16.1.1?lang=ar',
      '/api/v1/indicators/16.1.1/data?lang=ar',
      '/api/v1/dimensions?lang=ar',
    ]);
    // The code before the app's script, the data after all the code; every address answers.
    expect(ar.indexOf('rel="modulepreload"')).toBeLessThan(ar.indexOf('<script'));
    expect(ar.lastIndexOf('rel="modulepreload"')).toBeLessThan(ar.indexOf('rel="preload"'));
    for (const u of [...arModules, ...data]) expect((await t.app.inject({ url: u })).statusCode, u).toBe(200);
    // The built code compressed once at build time, sent as the browser accepts it.
    const page = `/${m['src/pages/indicators/IndicatorPage.tsx']!.file}`;
    const plain = await t.app.inject({ url: page });
    const br = await t.app.inject({ url: page, headers: { 'accept-encoding': 'br, gzip' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 2);
    expect(brotliDecompressSync(br.rawPayload).equals(plain.rawPayload)).toBe(true);
    const gz = await t.app.inject({ url: page, headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');

    const en = (await t.app.inject({ url: '/en/places/MAAGA', headers: signedIn })).body;
    expect(links(en, 'modulepreload')).toContain(`/${m['src/i18n/locales/en.json?catalog=public']!.file}`);
    expect(links(en, 'modulepreload')).toContain(`/${m['src/pages/places/PlacePage.tsx']!.file}`);
    expect(links(en, 'modulepreload')).not.toContain(`/${m['src/i18n/locales/ar.json?catalog=public']!.file}`);
    expect(links(en, 'preload')).toEqual([]);

    // A page that does not exist: its language's messages, no data.
    const missing = await t.app.inject({ url: '/zh/indicators/NO-SUCH' });
    expect(missing.statusCode).toBe(404);
    expect(links(missing.body, 'preload')).toEqual([]);
    expect(links(missing.body, 'modulepreload')).toContain(`/${m['src/i18n/locales/zh.json?catalog=public']!.file}`);
    // A code that needs escaping is written as the app escapes it (encodeURIComponent); a broken escape names nothing.
    expect(pageDataRequests('en', '/indicators/A%2FB%20C')[0]).toBe('/api/v1/indicators/A%2FB%20C?lang=en');
    expect(pageDataRequests('en', '/indicators/%E0%A4%A')).toEqual([]);
  });
});
