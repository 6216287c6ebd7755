import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
