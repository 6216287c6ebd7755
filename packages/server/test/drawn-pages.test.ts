/**
 * Public pages drawn on the server (issue 16; web/page-render.ts and packages/web/src/entry-server.tsx): a reader
 * without a session gets the page's heading, text and tables in the HTML, in the language of its address, with the
 * API answers it was drawn from for the browser's app; a reader with a session gets the page to draw in the browser;
 * what users wrote is escaped. Needs the built web app and its server renderer (`npm test` builds both).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { testStoreKinds } from '@marsad/db/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_DIST } from '../src/web/web-routes.ts';
import { createTestApp, type TestApp } from './helpers.ts';

const built =
  existsSync(path.join(WEB_DIST, 'index.html')) && existsSync(path.join(WEB_DIST, '../dist-server/entry-server.js'));

/** The element the app draws into, as sent. */
const rootOf = (html: string) => /<div id="root">([\s\S]*?)<\/div>\s*<script type="application\/json"/.exec(html)?.[1];
const stateOf = (html: string) =>
  /<script type="application\/json" id="marsad-state">([\s\S]*?)<\/script>/.exec(html)?.[1];
const h1Of = (html: string) =>
  /<main\b[\s\S]*?<h1\b[^>]*>([\s\S]*?)<\/h1>/
    .exec(html)?.[1]
    ?.replace(/<[^>]*>/g, '')
    .trim();

describe.skipIf(!built).each(testStoreKinds())('pages drawn on the server on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("sends an indicator's page drawn in the language of its address, with the answers it was drawn from", async () => {
    for (const lang of ['en', 'ar'] as const) {
      const api = (await t.app.inject({ url: `/api/v1/indicators/16.1.1?lang=${lang}` })).json() as { name: string };
      const r = await t.app.inject({ url: `/${lang}/indicators/16.1.1` });
      expect(r.statusCode).toBe(200);
      expect(r.body).toContain(`<html lang="${lang}" dir="${lang === 'ar' ? 'rtl' : 'ltr'}">`);
      const root = rootOf(r.body);
      expect(root, 'the page is drawn').toBeTruthy();
      const h1 = h1Of(r.body) ?? '';
      expect(h1).toContain('16.1.1');
      expect(h1).toContain(api.name.slice(0, 20));
      // The title is the heading's, as the browser's app writes it.
      expect(/<title>([^<]*)<\/title>/.exec(r.body)?.[1]).toContain(api.name.slice(0, 20));
      // The answers the app starts from: the indicator's among them, in the page's language.
      const state = JSON.parse(stateOf(r.body) ?? 'null') as {
        queries: { queryKey: unknown[]; state: { data: unknown } }[];
      };
      const indicator = state.queries.find((q) => JSON.stringify(q.state.data).includes(api.name));
      expect(indicator, 'the indicator is among the answers').toBeTruthy();
      // Nothing runs inline (the Content-Security-Policy allows none): the only script in the page's body is data.
      const scripts = [...root!.matchAll(/<script\b[^>]*>/g)];
      expect(scripts).toEqual([]);
      // The data the page draws is named for the browser only when the page is not drawn.
      expect(r.body).not.toContain('rel="preload" as="fetch"');
      // Nor does it wait for its chart's code: the chart is drawn after (the page of a reader with a session names
      // it: web-pages.test.ts).
      expect(r.body).not.toMatch(/rel="modulepreload"[^>]*echarts-setup/);
      expect(r.body).toMatch(/rel="modulepreload"[^>]*IndicatorPage/);
      // Of the messages, only the public pages' part in the page's language (packages/web/src/i18n/catalog-parts.ts).
      const catalogs = [...r.body.matchAll(/rel="modulepreload"[^>]*href="\/assets\/([a-z]{2}-(?:public|work))-/g)];
      expect(catalogs.map((c) => c[1])).toEqual([`${lang}-public`]);
      expect(r.headers['content-security-policy']).toContain("style-src-attr 'unsafe-inline'");
      expect(r.headers['content-security-policy']).not.toMatch(/script-src[^;]*unsafe-inline/);
    }
  });

  it('draws the public pages in any of the six languages, each with its heading and the answers it was drawn from', async () => {
    const pages = [
      '/',
      '/indicators',
      '/places',
      '/places/MAR/report',
      '/compare',
      '/status',
      '/knowledge',
      '/programmes',
      '/reviews',
      '/network',
      '/workshops',
      '/results/success-indicators',
    ];
    const notDrawn: string[] = [];
    for (const p of pages) {
      const r = await t.app.inject({ url: `/fr${p === '/' ? '' : p}` });
      if (r.statusCode !== 200 || !h1Of(r.body) || !stateOf(r.body)) notDrawn.push(`${p}: ${r.statusCode}`);
    }
    expect(notDrawn).toEqual([]);
  });

  it('draws pages asked for at the same time each in its own language', async () => {
    const langs = ['ar', 'en', 'fr', 'zh', 'ru', 'es', 'ar', 'en'];
    const names = await Promise.all(
      langs.map(
        async (l) => ((await t.app.inject({ url: `/api/v1/places/MAR?lang=${l}` })).json() as { name: string }).name,
      ),
    );
    // Other pages than the first test's, not drawn yet: each is drawn now, all at once.
    const pages = await Promise.all(
      langs.map((l, i) => t.app.inject({ url: `/${l}/places/MAR${i >= 6 ? '?x=1' : ''}` })),
    );
    pages.forEach((r, i) => {
      expect(r.statusCode).toBe(200);
      expect(h1Of(r.body), langs[i]).toContain(names[i]);
      expect(r.body).toContain(`<html lang="${langs[i]}"`);
    });
  });

  it('leaves the page to the browser for a reader with a session (who may see unpublished values)', async () => {
    const r = await t.app.inject({ url: '/en/indicators/16.1.1', headers: { cookie: 'marsad_session=whoever' } });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('<div id="root"></div>');
    expect(r.body).not.toContain('marsad-state');
    expect(r.body).toContain('rel="preload" as="fetch"');
  });

  it('escapes what users wrote, in the HTML and in the answers carried with it', async () => {
    const hostile = '</script><script>alert(1)</script><img src=x onerror=alert(2)> Agadir & co';
    await sql`UPDATE places SET names = ${JSON.stringify({ en: hostile, ar: hostile })}::jsonb WHERE code = 'MAAGA'`.execute(
      t.db.store.db,
    );
    const r = await t.app.inject({ url: '/en/places/MAAGA' });
    expect(r.statusCode).toBe(200);
    expect(h1Of(r.body)).toContain('Agadir');
    expect(r.body).not.toContain('<script>alert(1)');
    expect(r.body).not.toContain('<img src=x');
    expect(r.body).toContain('&lt;/script&gt;&lt;script&gt;alert(1)');
    // In the JSON of the answers, "<" is written \u003c: nothing in it can close the element that holds it.
    const state = stateOf(r.body) ?? '';
    expect(state).not.toContain('<');
    expect(JSON.stringify(JSON.parse(state))).toContain(JSON.stringify(hostile).slice(1, -1));
  });

  it('answers the page of something that does not exist with 404, drawn in the browser, which names what was not found', async () => {
    const r = await t.app.inject({ url: '/en/indicators/NO-SUCH' });
    expect(r.statusCode).toBe(404);
    expect(r.body).toContain('<html lang="en" dir="ltr">');
    expect(r.body).toContain('<div id="root"></div>');
  });

  it('draws a page asked for with a trailing slash as the page without it', async () => {
    for (const url of ['/en/', '/ar/places/MAAGA/']) {
      const r = await t.app.inject({ url });
      expect(r.statusCode, url).toBe(200);
      expect(h1Of(r.body), url).toBeTruthy();
      expect(stateOf(r.body), url).toBeTruthy();
    }
  });
});
