// Languages have addresses (issue 15, item 2): a page address without a language is redirected to
// the reader's (the language chooser's cookie, then Accept-Language, then Arabic), query kept; the
// page under its prefix is served with <html lang dir> and the hreflang alternates of the six
// languages; an unknown prefix is a 404 page; the links the server e-mails carry the language.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_DIST } from '../src/web/web-routes.ts';
import { AUTH, createTestApp, type TestApp } from './helpers.ts';

describe.each(testStoreKinds())('page addresses per language on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    expect(existsSync(path.join(WEB_DIST, 'index.html')), 'build the web app first: node scripts/build-web.mjs').toBe(
      true,
    );
    t = await createTestApp(kind);
  });
  afterAll(async () => t?.close());

  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

  it('redirects an address without language by the cookie, then Accept-Language (q-values), then to Arabic', async () => {
    const byCookie = await get('/indicators/11.1.1', { cookie: 'other=1; marsad_lang=fr', 'accept-language': 'en' });
    expect(byCookie.statusCode).toBe(302);
    expect(byCookie.headers.location).toBe('/fr/indicators/11.1.1');
    expect(byCookie.headers.vary).toBe('Cookie, Accept-Language');

    const cases: [string, string][] = [
      ['de-DE, ru;q=0.8, en;q=0.5', '/ru/indicators/11.1.1'],
      ['en;q=0.2, zh-Hant;q=0.9, fr;q=0.9', '/zh/indicators/11.1.1'],
      ['es-MX', '/es/indicators/11.1.1'],
      ['fr;q=0, en;q=0.1', '/en/indicators/11.1.1'],
      ['de, it', '/ar/indicators/11.1.1'],
    ];
    for (const [accept, location] of cases) {
      const r = await get('/indicators/11.1.1', { cookie: 'marsad_lang=xx', 'accept-language': accept });
      expect([accept, r.statusCode, r.headers.location]).toEqual([accept, 302, location]);
    }
    const none = await get('/');
    expect([none.statusCode, none.headers.location, none.headers.vary]).toEqual([
      302,
      '/ar',
      'Cookie, Accept-Language',
    ]);
  });

  it('keeps the query string of an old link', async () => {
    const r = await get('/compare?places=MAAGA,JOAMM&indicator=11.1.1', { 'accept-language': 'en-GB' });
    expect([r.statusCode, r.headers.location]).toEqual([302, '/en/compare?places=MAAGA,JOAMM&indicator=11.1.1']);
    const accept = await get('/accept?token=abc-DEF_1', { cookie: 'marsad_lang=ru' });
    expect(accept.headers.location).toBe('/ru/accept?token=abc-DEF_1');
    const home = await get('/?q=x', { cookie: 'marsad_lang=es' });
    expect(home.headers.location).toBe('/es?q=x');
  });

  it('serves a page with <html lang dir> of its prefix and the hreflang alternates', async () => {
    const en = await get('/en/indicators/11.1.1', { cookie: 'marsad_lang=ar' });
    expect(en.statusCode).toBe(200);
    expect(en.headers['content-type']).toMatch(/^text\/html/);
    expect(en.body).toMatch(/<html lang="en" dir="ltr">/);
    const alternates = [...en.body.matchAll(/<link rel="alternate" hreflang="([^"]+)" href="([^"]+)" \/>/g)].map(
      (m) => [m[1], m[2]?.replace(/^http:\/\/localhost(:80)?/, '')],
    );
    expect(alternates).toEqual([
      ['ar', '/ar/indicators/11.1.1'],
      ['en', '/en/indicators/11.1.1'],
      ['fr', '/fr/indicators/11.1.1'],
      ['es', '/es/indicators/11.1.1'],
      ['ru', '/ru/indicators/11.1.1'],
      ['zh', '/zh/indicators/11.1.1'],
      ['x-default', '/indicators/11.1.1'],
    ]);
    const ar = await get('/ar/indicators/11.1.1/', { cookie: 'marsad_lang=en' });
    expect(ar.statusCode).toBe(200);
    expect(ar.body).toMatch(/<html lang="ar" dir="rtl">/);
    expect(ar.body).toContain('hreflang="zh" href="http://localhost');
    const zhHome = await get('/zh');
    expect([zhHome.statusCode, /<html lang="zh" dir="ltr">/.test(zhHome.body)]).toEqual([200, true]);
    expect(zhHome.body).toMatch(/hreflang="x-default" href="http:\/\/localhost(:80)?\/"/);
  });

  it('names the alternates at the public address when one is set (MARSAD_PUBLIC_URL), not at the Host the request gave', async () => {
    const before = process.env.MARSAD_PUBLIC_URL;
    process.env.MARSAD_PUBLIC_URL = 'https://observatory.example.org/';
    try {
      const r = await get('/fr/places/MAAGA', { host: 'internal-node-3:3000' });
      expect(r.statusCode).toBe(200);
      expect(r.body).toContain(
        '<link rel="alternate" hreflang="ar" href="https://observatory.example.org/ar/places/MAAGA" />',
      );
      expect(r.body).toContain('hreflang="x-default" href="https://observatory.example.org/places/MAAGA"');
      expect(r.body).not.toContain('internal-node-3');
    } finally {
      if (before === undefined) delete process.env.MARSAD_PUBLIC_URL;
      else process.env.MARSAD_PUBLIC_URL = before;
    }
  });

  it('answers an unknown prefix or page with the 404 page, never a redirect', async () => {
    for (const url of ['/xx/indicators/11.1.1', '/xx', '/en/nowhere', '/ar/indicators/NO.SUCH']) {
      const r = await get(url, { cookie: 'marsad_lang=fr' });
      expect([url, r.statusCode, r.headers.location]).toEqual([url, 404, undefined]);
      expect(r.headers['content-type']).toMatch(/^text\/html/);
      expect(r.body).not.toContain('hreflang');
    }
    expect((await get('/en/nowhere')).body).toMatch(/<html lang="en" dir="ltr">/);
    expect((await get('/xx/indicators/11.1.1', { cookie: 'marsad_lang=fr' })).body).toMatch(
      /<html lang="fr" dir="ltr">/,
    );
    // The API and the assets have no prefix.
    const api = await get('/api/v1/indicators/11.1.1');
    expect(api.statusCode).toBe(200);
    expect(api.headers['content-type']).toMatch(/^application\/json/);
    const prefixedApi = await get('/en/api/v1/indicators/11.1.1');
    expect(prefixedApi.statusCode).toBe(404);
  });

  it('puts the language in the links it e-mails (invitation, reset)', async () => {
    const inv = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: AUTH,
      payload: { email: 'lang.link@example.org', roles: [], language: 'fr' },
    });
    expect(inv.statusCode, inv.body).toBe(201);
    expect(inv.json().invitationUrl).toMatch(/^http:\/\/localhost(:80)?\/fr\/accept\?token=[\w-]{40,}$/);
    const reset = await t.app.inject({
      method: 'POST',
      url: `/api/v1/users/${inv.json().user.id}/reset?language=zh`,
      headers: AUTH,
    });
    expect(reset.statusCode, reset.body).toBe(200);
    expect(reset.json().resetUrl).toMatch(/^http:\/\/localhost(:80)?\/zh\/accept\?token=[\w-]{40,}$/);
    // The link opens the page in that language.
    const page = await get(new URL(reset.json().resetUrl).pathname + new URL(reset.json().resetUrl).search);
    expect([page.statusCode, /<html lang="zh"/.test(page.body)]).toEqual([200, true]);
  });
});
