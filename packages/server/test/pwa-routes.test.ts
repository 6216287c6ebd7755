import { existsSync } from 'node:fs';
import path from 'node:path';
import { testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_DIST } from '../src/web/web-routes.ts';
import { AUTH, createTestApp, type TestApp } from './helpers.ts';

/**
 * Installing Marsad (issue 21): the manifest in the reader's language (six), its icons, the service worker with the
 * build's stamp (a new build, a new worker), none of it kept by the browser without asking again.
 */
const built = existsSync(path.join(WEB_DIST, 'sw.js'));

describe.skipIf(!built)('the web app manifest and service worker', () => {
  const [kind] = testStoreKinds();
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind!);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('names the app in the language of the reader (the chooser cookie, else Accept-Language)', async () => {
    const names = new Set<string>();
    for (const lang of ['ar', 'en', 'fr', 'es', 'ru', 'zh']) {
      // The page's link names the language; an address without it goes to the reader's (the chooser's cookie).
      const to = await t.app.inject({ url: '/manifest.webmanifest', headers: { cookie: `marsad_lang=${lang}` } });
      expect(to.statusCode).toBe(302);
      expect(to.headers.location).toBe(`/manifest.webmanifest?lang=${lang}`);
      const r = await t.app.inject({ url: to.headers.location as string });
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toMatch(/^application\/manifest\+json/);
      expect(r.headers['cache-control']).toBe('no-cache');
      const m = r.json();
      expect(m).toMatchObject({ lang, start_url: `/${lang}`, scope: '/', display: 'standalone' });
      expect(m.dir).toBe(lang === 'ar' ? 'rtl' : 'ltr');
      expect(m.name.length).toBeGreaterThan(3);
      names.add(m.name);
    }
    expect(names.size).toBeGreaterThanOrEqual(5);
    const fr = await t.app.inject({ url: '/manifest.webmanifest', headers: { 'accept-language': 'fr-CA,fr;q=0.9' } });
    expect(fr.headers.location).toBe('/manifest.webmanifest?lang=fr');
    // Each page links the manifest of its language.
    const page = await t.app.inject({ url: '/es/entry', headers: AUTH });
    expect(page.body).toContain('<link rel="manifest" href="/manifest.webmanifest?lang=es" />');
  });

  it('serves each icon the manifest names, as PNG of its size, and nothing else under /icons', async () => {
    const m = (await t.app.inject({ url: '/manifest.webmanifest?lang=en' })).json();
    for (const icon of m.icons as { src: string; sizes: string }[]) {
      const r = await t.app.inject({ url: icon.src });
      expect(r.statusCode, icon.src).toBe(200);
      expect(r.headers['content-type']).toBe('image/png');
      const png = r.rawPayload;
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      const [w, h] = [png.readUInt32BE(16), png.readUInt32BE(20)];
      expect(`${w}x${h}`).toBe(icon.sizes);
    }
    expect((await t.app.inject({ url: '/icons/..%2F..%2Fpackage.json' })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/icons/other.png' })).statusCode).toBe(404);
  });

  it('sends the service worker with the build stamp written in, asked again each time', async () => {
    const r = await t.app.inject({ url: '/sw.js' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/javascript/);
    expect(r.headers['cache-control']).toBe('no-cache');
    expect(r.body).not.toContain('__MARSAD_BUILD__');
    expect(r.body).toMatch(/const BUILD = '\d+(\.\d+)?';/);
  });
});
