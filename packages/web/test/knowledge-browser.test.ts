// Browser tests of the knowledge repository, network and workshop pages (issue 5), in the
// style of browser.test.ts: Debian's Chromium driven by playwright-core against the real server
// on PGlite with the demonstration data (the five seeds are documents of the repository).
// Screenshots of every page in Arabic and English go to /tmp/marsad-shots/.

import type { APIRequestContext, BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  browserDecision,
  demoAccount,
  describeViolations,
  getJson,
  LANGS,
  type Lang,
  msg,
  newContext,
  openAs,
  runAxe,
  screenshot,
  useBrowserSuite,
  waitForSettled,
} from './browser-helpers.ts';

const decision = browserDecision();
if (decision.reason && !decision.run) console.warn(decision.reason);

interface Hit {
  id: number;
  title: string;
}

describe.skipIf(!decision.run)('knowledge pages in Chromium', { timeout: 180_000 }, () => {
  const suite = useBrowserSuite();
  const contexts = suite.contexts;
  let seeds: Hit[];
  let workshopId: number;

  const account = (role: string) => demoAccount(suite.server, role);
  async function signedInPage(
    role: string | null,
    lang: Lang,
  ): Promise<{ page: Page; problems: string[]; ctx: BrowserContext }> {
    return openAs(suite.browser, suite.baseURL, role ? account(role) : null, lang, contexts);
  }
  async function csrf(request: APIRequestContext): Promise<string> {
    return ((await (await request.get('/api/v1/auth/me')).json()) as { csrfToken: string }).csrfToken;
  }
  const serious = async (page: Page) =>
    (await runAxe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const faults = (problems: string[]) => problems.filter((p) => !p.includes('ERR_ABORTED'));

  beforeAll(async () => {
    seeds = (await getJson<{ items: Hit[] }>(suite.baseURL, '/api/v1/knowledge/search?limit=10&facets=false')).items;
    // A published workshop whose material is a seed (written by the administrator through the API).
    const ctx = await newContext(suite.browser, suite.baseURL);
    contexts.push(ctx);
    const a = account('administrator');
    expect(
      (await ctx.request.post('/api/v1/auth/login', { data: { email: a.email, password: a.password } })).status(),
    ).toBe(200);
    const r = await ctx.request.post('/api/v1/workshops', {
      headers: { 'X-CSRF-Token': await csrf(ctx.request) },
      data: {
        kind: 'workshop',
        status: 'published',
        titles: { ar: 'ورشة عمل عن توطين الخطة الحضرية الجديدة', en: 'Workshop on localising the New Urban Agenda' },
        place: 'MAAGA',
        startsOn: '2024-03-04',
        endsOn: '2024-03-06',
        organisers: [{ names: { ar: 'جماعة أكادير', en: 'Agadir municipality' } }],
        topics: ['safer cities'],
        materials: [seeds[0]!.id],
        participants: {
          total: 30,
          bySex: { female: 16, male: 13, unspecified: 1 },
          byOrganisationType: { 'local-government': 20, 'civil-society': 10 },
        },
      },
    });
    expect(r.status(), await r.text()).toBe(201);
    workshopId = ((await r.json()) as { id: number }).id;
  }, 300_000);

  it('finds a seed in Arabic whatever the spelling of ta marbuta, with a highlighted snippet made of real <mark> elements', async () => {
    const seed = seeds.find((s) => s.title.includes('الخطة الحضرية'));
    expect(seed, 'a seed whose title holds الخطة الحضرية').toBeTruthy();
    const { page, problems } = await signedInPage(null, 'ar');
    await page.goto('/knowledge');
    await waitForSettled(page);
    // ة written as ه: the spelling a hurried writer uses.
    await page.locator('main input[type="search"]').fill('الخطه الحضريه');
    await page.locator('main form.search-box button[type="submit"]').click();
    await page.waitForURL(/q=/);
    await page.locator(`main ol.hits a[href="/ar/knowledge/${seed!.id}"]`).waitFor();
    expect(new URL(page.url()).searchParams.get('q')).toBe('الخطه الحضريه');
    const marks = page.locator('main ol.hits .snippet mark');
    expect(await marks.count()).toBeGreaterThan(0);
    // The marks hold text only; no element inside a snippet but span and mark.
    const tags = await page.$$eval('main ol.hits .snippet *', (els) => [...new Set(els.map((e) => e.tagName))]);
    expect(tags.every((t) => t === 'MARK' || t === 'SPAN')).toBe(true);
    await expect.poll(() => page.locator('main .result-count').innerText()).toContain('«الخطه الحضريه»');
    expect(await serious(page), describeViolations(await runAxe(page))).toEqual([]);
    await screenshot(page, 'ar-knowledge-search');
    expect(faults(problems)).toEqual([]);
  });

  it('a facet narrows the results and goes into the address', async () => {
    const { page, problems } = await signedInPage(null, 'en');
    await page.goto('/knowledge');
    await waitForSettled(page);
    await page.locator('main ol.hits li').first().waitFor();
    const before = await page.locator('main ol.hits li').count();
    const year = page
      .locator('main .facet', { hasText: msg('en', 'knowledge.facet.year') })
      .locator('input[type="checkbox"]')
      .first();
    await year.click();
    await expect.poll(() => new URL(page.url()).searchParams.get('year') ?? '').toMatch(/\d{4}/);
    await expect.poll(() => page.locator('main ol.hits li').count()).toBeLessThan(before);
    expect(await page.locator('main .facet input[type="checkbox"]:checked').count()).toBe(1);
    expect(await serious(page), describeViolations(await runAxe(page))).toEqual([]);
    await screenshot(page, 'en-knowledge-facet');
    expect(faults(problems)).toEqual([]);
  });

  it('an editor creates an item whose body tries a script and an event handler: the page holds neither; files and versions show', async () => {
    const { page, problems } = await signedInPage('editor', 'en');
    await page.goto('/knowledge/new');
    await waitForSettled(page);
    await page.locator('main select').first().selectOption('practice');
    await page.getByLabel(msg('en', 'knowledge.field.title'), { exact: true }).fill('Night buses in Agadir');
    await page.getByLabel(msg('en', 'knowledge.field.summary'), { exact: true }).fill('Safer journeys home at night.');
    await page
      .locator('main .rte textarea')
      .fill(
        'First paragraph <strong>bold</strong>.\n\n<img src=x onerror=alert(1)>\n\n<script>window.__xss = 1</script><p onclick="window.__xss = 2">Click</p>',
      );
    await page.locator('main select[id$="-status"]').selectOption('published');
    expect(await serious(page), describeViolations(await runAxe(page))).toEqual([]);
    await screenshot(page, 'en-knowledge-new');
    await page.locator('main form.item-form button[type="submit"]').click();
    await page.waitForURL(/\/knowledge\/\d+$/);
    await waitForSettled(page);
    const id = /\/knowledge\/(\d+)$/.exec(page.url())![1]!;
    await page.locator('main .rich-text strong').waitFor();
    const dom = await page.evaluate(() => ({
      scripts: document.querySelectorAll('main script').length,
      imgs: document.querySelectorAll('main .rich-text img').length,
      handlers: [...document.querySelectorAll('main *')].flatMap((e) =>
        [...e.attributes].filter((a) => a.name.toLowerCase().startsWith('on')).map((a) => a.name),
      ),
      xss: (window as unknown as { __xss?: number }).__xss ?? null,
    }));
    expect(dom).toEqual({ scripts: 0, imgs: 0, handlers: [], xss: null });
    await page.locator('main .rich-text p', { hasText: 'Click' }).click();
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss ?? null)).toBeNull();

    // A file: uploaded, then listed with its size and SHA-256.
    await page.locator('main input[type="file"]').setInputFiles({
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('Night buses: notes of the pilot.\n'),
    });
    await page.locator('main form.upload button[type="submit"]').click();
    await page
      .locator('main table.attachments a[href^="/api/v1/knowledge/attachments/"]', { hasText: 'notes.txt' })
      .waitFor();
    expect(await page.locator('main table.attachments code.checksum').innerText()).toMatch(/SHA-256 [0-9a-f]{64}/);

    // A second change through the form, then the versions compared.
    await page.goto(`/knowledge/${id}/edit`);
    await waitForSettled(page);
    await page.getByLabel(msg('en', 'knowledge.field.title'), { exact: true }).fill('Night buses in Agadir, 2024');
    expect(await serious(page), describeViolations(await runAxe(page))).toEqual([]);
    await page.locator('main form.item-form button[type="submit"]').click();
    await page.waitForURL(new RegExp(`/knowledge/${id}$`));
    await page.locator('main section.versions table tbody tr').nth(2).waitFor();
    await page.locator('main form.compare-form button[type="submit"]').click();
    await page.locator('main .comparison ins', { hasText: '2024' }).waitFor();
    expect(await serious(page), describeViolations(await runAxe(page))).toEqual([]);
    await screenshot(page, 'en-knowledge-item-edited');
    expect(faults(problems)).toEqual([]);

    // The same item in Arabic.
    const ar = await signedInPage('editor', 'ar');
    await ar.page.goto(`/knowledge/${id}`);
    await waitForSettled(ar.page);
    await ar.page.locator('main section.versions table tbody tr').first().waitFor();
    expect(await serious(ar.page), describeViolations(await runAxe(ar.page))).toEqual([]);
    await screenshot(ar.page, 'ar-knowledge-item-edited');
    expect(faults(ar.problems)).toEqual([]);
  });

  it('an item with a wrong SDG target gets the problem next to the field, in Arabic', async () => {
    const { page } = await signedInPage('editor', 'ar');
    await page.goto('/knowledge/new');
    await waitForSettled(page);
    await page.getByLabel(msg('ar', 'knowledge.field.title'), { exact: true }).fill('ممارسة');
    await page.getByLabel(msg('ar', 'knowledge.field.sdgTargets'), { exact: true }).fill('99.9');
    await page.locator('main form.item-form button[type="submit"]').click();
    const error = page.locator('main [id$="-sdg-error"]');
    await error.waitFor();
    expect(await error.innerText()).toContain('99.9');
    expect(await page.locator('main input[aria-invalid="true"]').count()).toBe(1);
    expect(await serious(page), describeViolations(await runAxe(page))).toEqual([]);
    await screenshot(page, 'ar-knowledge-new-error');
  });

  it.each(LANGS)(
    'the public pages in %s: search, an item, the network (no e-mail address), workshops; axe finds nothing serious',
    async (lang) => {
      const { page, problems } = await signedInPage(null, lang);
      const pages: [string, string][] = [
        ['/knowledge', 'knowledge'],
        [`/knowledge/${seeds[0]!.id}`, 'knowledge-item'],
        ['/network', 'network'],
        ['/workshops', 'workshops'],
        [`/workshops/${workshopId}`, 'workshop'],
      ];
      for (const [path, name] of pages) {
        await page.goto(path);
        await waitForSettled(page);
        if (name === 'network') {
          await page.locator('main table.data tbody tr').first().waitFor();
          const text = await page.locator('main').innerText();
          expect(text).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/);
          expect(await page.locator('main a[href^="mailto:"]').count()).toBe(0);
        }
        if (name === 'workshop') {
          expect(await page.locator('main table.data td.num').first().innerText()).toMatch(/30|٣٠/);
          expect(await page.locator(`main a[href="/${lang}/knowledge/${seeds[0]!.id}"]`).count()).toBe(1);
        }
        expect(await serious(page), `${path}\n${describeViolations(await runAxe(page))}`).toEqual([]);
        await screenshot(page, `${lang}-${name}`);
      }
      expect(await page.evaluate(() => document.documentElement.dir)).toBe(lang === 'ar' ? 'rtl' : 'ltr');
      expect(faults(problems)).toEqual([]);
    },
  );

  it('unknown items and workshops answer 404 with the not-found page', async () => {
    for (const p of ['/knowledge/999999', '/knowledge/abc', '/workshops/999999']) {
      const r = await fetch(new URL(p, suite.baseURL));
      expect(r.status, p).toBe(404);
    }
    for (const p of [
      '/knowledge',
      `/knowledge/${seeds[0]!.id}`,
      '/knowledge/new',
      '/network',
      '/workshops',
      `/workshops/${workshopId}`,
    ]) {
      expect((await fetch(new URL(p, suite.baseURL))).status, p).toBe(200);
    }
  });
});
