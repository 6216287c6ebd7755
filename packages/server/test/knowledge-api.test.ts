import { createHash, randomBytes } from 'node:crypto';
import { testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKnowledgeSeeds } from '../src/demo/knowledge-seeds.ts';
import { AUTH, createTestApp, signedIn, type TestApp } from './helpers.ts';
import { dangerous, tinyPdf, XSS_PAYLOADS } from './knowledge-fixtures.ts';

/**
 * The knowledge repository through the API (issue 5), on PGlite and PostgreSQL: the seeds as
 * documents, search in Arabic (each spelling rule) and English with snippets and facets,
 * sanitised rich text, files round trip and PDF text found, permissions by place and by
 * grant, versions and their comparison, the audit log, drafts.
 */

type Hit = { id: number; type: string; title: string; language: string; snippet: string; score: number };
type Json = Record<string, unknown>;

describe.each(testStoreKinds())('knowledge repository on %s', (kind) => {
  let t: TestApp;
  let seeds: Record<string, number>;
  let editorMar: Record<string, string>;
  let editorJor: Record<string, string>;
  let cityAgadir: Record<string, string>;
  let granted: Record<string, string>;
  let grantedId: number;

  beforeAll(async () => {
    t = await createTestApp(kind);
    seeds = await loadKnowledgeSeeds(t.db.store);
    editorMar = await signedIn(t, 'editor.mar@knowledge.example', [{ role: 'editor', place: 'MAR' }]);
    editorJor = await signedIn(t, 'editor.jor@knowledge.example', [{ role: 'editor', place: 'JOR' }]);
    cityAgadir = await signedIn(t, 'city.agadir@knowledge.example', [{ role: 'city-focal-point', place: 'MAAGA' }]);
    granted = await signedIn(t, 'granted@knowledge.example', []);
    const users = (await t.app.inject({ url: '/api/v1/users', headers: AUTH })).json() as {
      items: { id: number; email: string }[];
    };
    grantedId = users.items.find((u) => u.email === 'granted@knowledge.example')!.id;
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  const seed = (prefix: string) => seeds[Object.keys(seeds).find((f) => f.startsWith(prefix))!]!;
  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ url, headers });
  const search = async (q: string, extra = '') => {
    const r = await get(`/api/v1/knowledge/search?q=${encodeURIComponent(q)}${extra}`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as { items: Hit[]; total: number | null; facets: Json | null; hasMore: boolean };
  };
  const create = async (body: Json, headers: Record<string, string> = AUTH) =>
    t.app.inject({ method: 'POST', url: '/api/v1/knowledge/items', headers, payload: body });
  const practice = (title: string, extra: Json = {}): Json => ({
    type: 'practice',
    originalLanguage: 'ar',
    status: 'published',
    ownerPlace: 'MAAGA',
    places: ['MAAGA'],
    texts: { ar: { title, summary: 'ملخص الممارسة', body: '<p>نص الممارسة</p>' } },
    ...extra,
  });

  describe('the seeds', () => {
    it('are published documents in Arabic with the titles, dates and issuing bodies they state', async () => {
      const r = await get(`/api/v1/knowledge/items/${seed('002')}?lang=ar`);
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json()).toMatchObject({
        type: 'document',
        kind: 'resolution',
        status: 'published',
        originalLanguage: 'ar',
        title: 'مبادئ توجيهية دولية لمدن ذكية تركز على الناس',
        dateStart: '2023-06-09',
        dateEnd: null,
        issuer: { ar: 'جمعية موئل الأمم المتحدة' },
        reference: '2/1',
        nuaParagraphs: [19, 66, 156],
      });
      const s000 = (await get(`/api/v1/knowledge/items/${seed('000')}`)).json();
      expect(s000).toMatchObject({
        dateStart: '2020-03-31',
        dateEnd: '2020-04-02',
        issuer: { ar: 'المجلس التنفيذي لبرنامج الأمم المتحدة للمستوطنات البشرية' },
      });
      expect(s000.sdgTargets.map((x: { code: string }) => x.code)).toEqual(['16.1', '11.7']);
      const s004 = (await get(`/api/v1/knowledge/items/${seed('004')}`)).json();
      expect(s004).toMatchObject({ dateStart: '2022-04-28', issuer: {}, issuerName: null });
      const s003 = (await get(`/api/v1/knowledge/items/${seed('003')}`)).json();
      expect(s003.places.map((p: { code: string }) => p.code)).toContain('MAAGA');
      expect(JSON.stringify(s003)).not.toContain('@un.org');
      expect(s003.texts.ar.body).toContain('الإسكوا');
    });

    it('are found by search, the document holding the phrase first', async () => {
      for (const [q, prefix] of [
        ['استعراض النظراء', '000'],
        ['الجوانب السبعة للسكن اللائق', '001'],
        ['الأمن السيبراني', '002'],
        ['باتامبانج', '003'],
        ['رؤساء البلديات', '004'],
        ['HSP/HA.1/Res.2', '000'],
      ] as const) {
        const r = await search(q);
        expect(r.items[0]?.id, q).toBe(seed(prefix));
      }
    });
  });

  describe('Arabic spelling: each rule, index and query folded alike', () => {
    it.each([
      ['hamza forms of alef (أ إ آ → ا)', 'المدن الاكثر امانا', '000'],
      ['alef with hamza below written as alef', 'الاسكوا', '003'],
      ['ta marbuta written as ha (ة → ه)', 'مذكره مفاهيميه', '000'],
      ['alef maqsura written as ya (ى → ي)', 'المنتدي الحضري العالمي', '001'],
      ['tatweel', 'مرصـــد الأمـــان الحضـــري', '000'],
      ['diacritics', 'الذَّكَاءُ الاصْطِنَاعِيُّ', '002'],
      ['Arabic-Indic digits', 'الخطة الاستراتيجية ٢٠٢٦-٢٠٢٩', '001'],
      ['Latin digits for Arabic-Indic ones in the text', 'كوفيد-19', '004'],
      ['the conjunction و', 'والأمن السيبراني', '002'],
      ['the prefix ب with the article', 'بالسكن اللائق', '001'],
      ['the prefix لل', 'للمدن الذكية', '002'],
      ['words glued after ta marbuta in the extracted text', 'مدريد', '000'],
    ])('%s: %s', async (_rule, q, prefix) => {
      const r = await search(q);
      expect(
        r.items.map((h) => h.id),
        q,
      ).toContain(seed(prefix));
      expect(r.items[0]?.id, q).toBe(seed(prefix));
    });

    it('highlights the matched words of the original spelling, and escapes the rest', async () => {
      const r = await search('مذكره مفاهيميه');
      const snippet = r.items[0]!.snippet;
      expect(snippet).toMatch(/<mark>[^<]*مذكرة[^<]*<\/mark>/);
      expect(snippet.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
    });
  });

  describe('English, translations and snippets', () => {
    let id: number;
    beforeAll(async () => {
      const r = await create({
        type: 'practice',
        originalLanguage: 'ar',
        status: 'published',
        ownerPlace: 'MAAGA',
        places: ['MAAGA'],
        dateStart: '2019-05-01',
        sdgTargets: ['11.7'],
        frameworks: ['urban-safety'],
        keywords: ['تدقيق السلامة'],
        texts: {
          ar: {
            title: 'تدقيق السلامة المجتمعية في أكادير',
            summary: 'نساء الأحياء يمشين في الطرق ليلا ويسجلن الأماكن غير الآمنة',
            body: '<p>قامت البلدية مع الجمعيات بتدقيق السلامة.</p>',
          },
          en: {
            title: 'Community safety audits in Agadir',
            summary: 'Women of the neighbourhoods walked the streets at night and mapped unsafe places',
            body: '<p>The municipality and associations audited lighting &lt;&amp;&gt; paths.</p>',
            translated: true,
          },
        },
      });
      expect(r.statusCode, r.body).toBe(201);
      id = r.json().id;
    });

    it('finds the item by its English translation, stemmed, with the English snippet', async () => {
      for (const q of ['community safety audit', 'walking the street at night', 'Lighting']) {
        const r = await search(q);
        expect(r.items[0]?.id, q).toBe(id);
      }
      const r = await search('audited lighting');
      expect(r.items[0]).toMatchObject({
        id,
        type: 'practice',
        language: 'en',
        title: 'Community safety audits in Agadir',
      });
      expect(r.items[0]!.snippet).toContain('<mark>audited</mark>');
      expect(r.items[0]!.snippet).toContain('<mark>lighting</mark> &lt;&amp;&gt; paths.');
      expect(r.items[0]!.score).toBeGreaterThan(0);
    });

    it('finds it in Arabic too, in the Arabic text', async () => {
      const r = await search('تدقيق السلامة');
      expect(r.items[0]).toMatchObject({ id, language: 'ar' });
    });

    it('counts facets and filters by type, language, place (with the places under it), framework, SDG target and year', async () => {
      const r = await search('السلامة', '&lang=en');
      const f = r.facets as Record<
        'type' | 'language' | 'place' | 'framework' | 'sdgTarget' | 'year',
        { value: string; count: number; label?: string }[]
      >;
      expect(f.type).toEqual(expect.arrayContaining([{ value: 'practice', count: expect.any(Number) }]));
      expect(f.language.map((x) => x.value)).toEqual(expect.arrayContaining(['ar', 'en']));
      expect(f.place).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ value: 'MAR', label: 'Morocco' }),
          expect.objectContaining({ value: 'MAAGA' }),
        ]),
      );
      expect(f.framework).toEqual(expect.arrayContaining([expect.objectContaining({ value: 'urban-safety' })]));
      expect(f.sdgTarget).toEqual(expect.arrayContaining([expect.objectContaining({ value: '11.7' })]));
      expect(f.year).toEqual(expect.arrayContaining([{ value: '2019', count: 1 }]));
      for (const filter of [
        '&place=MAR',
        '&type=practice',
        '&language=en',
        '&framework=urban-safety',
        '&sdg=11.7',
        '&year=2019',
      ]) {
        const x = await search('السلامة', filter);
        expect(
          x.items.map((h) => h.id),
          filter,
        ).toContain(id);
      }
      for (const filter of ['&place=JOR', '&type=tool', '&language=fr', '&framework=nua', '&sdg=16.1', '&year=2020']) {
        const x = await search('السلامة', filter);
        expect(
          x.items.map((h) => h.id),
          filter,
        ).not.toContain(id);
      }
    });

    it('lists the newest items without a query, and answers GET /api/v1/search with ranked items beside indicators and places', async () => {
      const list = (await get('/api/v1/knowledge/search?limit=3&facets=false')).json();
      expect(list.items).toHaveLength(3);
      expect(list.facets).toBeNull();
      expect(list.total).toBeGreaterThanOrEqual(6);
      const r = await get(`/api/v1/search?q=${encodeURIComponent('أكادير')}`);
      expect(r.statusCode).toBe(200);
      const body = r.json();
      expect(body.places[0].code).toBe('MAAGA');
      expect(body.items.map((i: Hit) => i.id)).toEqual(expect.arrayContaining([id, seed('003')]));
      expect(Object.keys(body.items[0]).sort()).toEqual([
        'id',
        'kind',
        'language',
        'score',
        'snippet',
        'title',
        'type',
        'year',
      ]);
    });
  });

  describe('rich text', () => {
    it('is sanitised against known XSS payloads', async () => {
      const body = XSS_PAYLOADS.map((p, i) => `<p>payload ${i}</p>${p}`).join('\n');
      const r = await create(
        practice('اختبار التعقيم', {
          status: 'draft',
          texts: { ar: { title: 'اختبار التعقيم', body, results: body } },
        }),
      );
      expect(r.statusCode, r.body).toBe(201);
      const item = (await get(`/api/v1/knowledge/items/${r.json().id}`, AUTH)).json();
      for (const field of ['body', 'results']) {
        const html = item.texts.ar[field] as string;
        expect(dangerous(html), html).toBeNull();
        expect(html).toContain('<p>payload 0</p>');
      }
      for (const p of XSS_PAYLOADS) {
        const one = await create(practice('حمولة', { status: 'draft', texts: { ar: { title: 'حمولة', body: p } } }));
        expect(one.statusCode).toBe(201);
        const html = (await get(`/api/v1/knowledge/items/${one.json().id}`, AUTH)).json().texts.ar.body as string;
        expect(dangerous(html), `${p} → ${html}`).toBeNull();
      }
      const ok = await create(
        practice('روابط', {
          status: 'draft',
          texts: {
            ar: {
              title: 'روابط',
              body: '<p dir="rtl">انظر <a href="https://unhabitat.org/x" target="_blank">الموئل</a> و<strong>هذا</strong></p>',
            },
          },
        }),
      );
      expect((await get(`/api/v1/knowledge/items/${ok.json().id}`, AUTH)).json().texts.ar.body).toBe(
        '<p dir="rtl">انظر <a href="https://unhabitat.org/x" rel="nofollow noopener noreferrer">الموئل</a> و<strong>هذا</strong></p>',
      );
    });
  });

  describe('files', () => {
    let id: number;
    beforeAll(async () => {
      const r = await create(practice('ممارسة مع ملفات'));
      id = r.json().id;
    });
    const upload = (
      fileName: string,
      body: Buffer,
      contentType = 'application/octet-stream',
      headers: Record<string, string> = AUTH,
    ) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/knowledge/items/${id}/attachments?fileName=${encodeURIComponent(fileName)}`,
        headers: { ...headers, 'content-type': contentType },
        payload: body,
      });

    it('come back byte for byte with their SHA-256', async () => {
      const files: [string, Buffer, string][] = [
        ['guide.pdf', tinyPdf(['Nightwalk lanterns in Quito', 'Zebrafinch method (2019)']), 'application/pdf'],
        ['دليل السلامة.txt', Buffer.from('دليل السلامة في الأحياء\r\nسطر ثان\n', 'utf8'), 'text/plain'],
        [
          'table.xlsx',
          Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), randomBytes(4096)]),
          'application/octet-stream',
        ],
        [
          'old.doc',
          Buffer.concat([
            Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
            randomBytes(2048),
            Buffer.from([0, 0xff, 0x0d, 0x0a]),
          ]),
          'application/msword',
        ],
      ];
      for (const [name, bytes, type] of files) {
        const r = await upload(name, bytes, type);
        expect(r.statusCode, r.body).toBe(201);
        const sha = createHash('sha256').update(bytes).digest('hex');
        expect(r.json()).toMatchObject({ fileName: name, size: bytes.length, sha256: sha });
        const back = await get(r.json().url);
        expect(back.statusCode).toBe(200);
        expect(back.rawPayload.equals(bytes), name).toBe(true);
        expect(back.headers['x-content-sha256']).toBe(sha);
        expect(back.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent(name)}`);
      }
      const item = (await get(`/api/v1/knowledge/items/${id}`)).json();
      expect(item.attachments.map((a: { fileName: string; extraction: string }) => [a.fileName, a.extraction])).toEqual(
        [
          ['guide.pdf', 'pdf'],
          ['دليل السلامة.txt', 'text'],
          ['table.xlsx', 'none'],
          ['old.doc', 'none'],
        ],
      );
    });

    it("makes a PDF's text and a text file's text searchable", async () => {
      expect((await search('zebrafinch lanterns')).items.map((h) => h.id)).toEqual([id]);
      expect((await search('Nightwalk')).items[0]?.id).toBe(id);
      expect((await search('سطر ثان')).items[0]?.id).toBe(id);
    });

    it('refuses a file whose content or type does not match its name, an unknown kind, an empty file (415/400, never 500)', async () => {
      expect((await upload('fake.pdf', Buffer.from('not a pdf at all'))).statusCode).toBe(415);
      expect((await upload('notes.txt', Buffer.from([0xff, 0xfe, 0x00, 0xd8]))).statusCode).toBe(415);
      expect((await upload('page.html', Buffer.from('<script>alert(1)</script>'), 'text/html')).statusCode).toBe(415);
      expect((await upload('guide.pdf', tinyPdf(['x']), 'text/plain')).statusCode).toBe(415);
      expect((await upload('empty.txt', Buffer.alloc(0), 'text/plain')).statusCode).toBe(400);
      const broken = tinyPdf(['x']).subarray(0, 60);
      const r = await upload('broken.pdf', broken, 'application/pdf');
      expect(r.statusCode).toBe(201);
      expect(r.json()).toMatchObject({ extraction: 'failed' });
      expect((await t.app.inject({ method: 'DELETE', url: r.json().url, headers: AUTH })).statusCode).toBe(200);
      expect((await get(r.json().url)).statusCode).toBe(404);
    });

    it('are hidden with their draft item', async () => {
      const d = await create(practice('مسودة بملف', { status: 'draft' }));
      const up = await t.app.inject({
        method: 'POST',
        url: `/api/v1/knowledge/items/${d.json().id}/attachments?fileName=a.txt`,
        headers: { ...AUTH, 'content-type': 'text/plain' },
        payload: 'نص',
      });
      expect(up.statusCode).toBe(201);
      expect((await get(up.json().url)).statusCode).toBe(404);
      expect((await get(up.json().url, editorMar)).statusCode).toBe(200);
    });
  });

  describe('permissions', () => {
    let agadirPractice: number;
    let ammanPractice: number;
    beforeAll(async () => {
      const a = await create(practice('ممارسة أكادير'), editorMar);
      expect(a.statusCode, a.body).toBe(201);
      agadirPractice = a.json().id;
      const b = await create(practice('ممارسة عمان', { ownerPlace: 'JOAMM', places: ['JOAMM'] }), editorJor);
      expect(b.statusCode, b.body).toBe(201);
      ammanPractice = b.json().id;
    });
    const patch = (id: number, body: Json, headers: Record<string, string>) =>
      t.app.inject({ method: 'PATCH', url: `/api/v1/knowledge/items/${id}`, headers, payload: body });

    it("an editor of one country cannot edit another country's practice, nor add one for it", async () => {
      expect((await patch(agadirPractice, { keywords: ['x'] }, editorJor)).statusCode).toBe(403);
      expect((await patch(ammanPractice, { keywords: ['x'] }, editorMar)).statusCode).toBe(403);
      expect((await patch(agadirPractice, { keywords: ['x'] }, editorMar)).statusCode).toBe(200);
      expect((await patch(agadirPractice, { keywords: ['y'] }, cityAgadir)).statusCode).toBe(200);
      const r = await create(practice('ممارسة لغير بلدي'), editorJor);
      expect(r.statusCode).toBe(403);
      expect(r.json().message).toMatch(/^ownerPlace:/);
      expect((await patch(agadirPractice, { ownerPlace: 'JOAMM' }, editorMar)).statusCode).toBe(403);
      expect((await create(practice('بلا مكان', { ownerPlace: null }), editorMar)).statusCode).toBe(403);
      expect(
        (await t.app.inject({ method: 'DELETE', url: `/api/v1/knowledge/items/${agadirPractice}`, headers: editorJor }))
          .statusCode,
      ).toBe(403);
    });

    it('a grant gives access to one item only', async () => {
      expect((await patch(ammanPractice, { keywords: ['granted'] }, granted)).statusCode).toBe(403);
      expect((await create(practice('x'), granted)).statusCode).toBe(403);
      const g = await t.app.inject({
        method: 'POST',
        url: `/api/v1/users/${grantedId}/grants`,
        headers: AUTH,
        payload: { recordType: 'knowledge-item', recordId: String(ammanPractice), permission: 'edit' },
      });
      expect(g.statusCode, g.body).toBe(201);
      expect((await patch(ammanPractice, { keywords: ['granted'] }, granted)).statusCode).toBe(200);
      expect((await patch(agadirPractice, { keywords: ['granted'] }, granted)).statusCode).toBe(403);
      expect((await patch(ammanPractice, { ownerPlace: 'MAAGA' }, granted)).statusCode).toBe(403);
    });

    it('drafts are seen by those who may edit them only', async () => {
      const d = await create(practice('مسودة سرية', { status: 'draft' }), editorMar);
      const id = d.json().id;
      expect((await get(`/api/v1/knowledge/items/${id}`)).statusCode).toBe(404);
      expect((await get(`/api/v1/knowledge/items/${id}`, editorJor)).statusCode).toBe(404);
      expect((await get(`/api/v1/knowledge/items/${id}`, editorMar)).json()).toMatchObject({
        status: 'draft',
        canEdit: true,
      });
      expect((await search('مسودة سرية')).items.map((h) => h.id)).not.toContain(id);
      const mine = (await get('/api/v1/knowledge/editable?status=draft', editorMar)).json();
      expect(mine.items.map((i: { id: number }) => i.id)).toContain(id);
      expect(
        (await get('/api/v1/knowledge/editable', editorJor)).json().items.map((i: { id: number }) => i.id),
      ).not.toContain(id);
      expect((await patch(id, { status: 'published' }, editorMar)).statusCode).toBe(200);
      expect((await search('مسودة سرية')).items.map((h) => h.id)).toContain(id);
    });
  });

  describe('versions and the audit log', () => {
    it('keeps every version, compares two, makes none for a save that changes nothing, audits each change', async () => {
      const c = await create(
        practice('ممارسة بنسخ', { texts: { ar: { title: 'ممارسة بنسخ', body: '<p>أضاءت البلدية الشوارع</p>' } } }),
        editorMar,
      );
      const id = c.json().id as number;
      const p1 = await t.app.inject({
        method: 'PATCH',
        url: `/api/v1/knowledge/items/${id}`,
        headers: editorMar,
        payload: {
          texts: { ar: { title: 'ممارسة بنسخ', body: '<p>أضاءت البلدية الشوارع والحدائق ليلا</p>' } },
          keywords: ['إنارة'],
        },
      });
      expect(p1.statusCode, p1.body).toBe(200);
      expect(p1.json()).toMatchObject({ version: 2, changed: ['keywords', 'texts.ar'] });
      const same = await t.app.inject({
        method: 'PATCH',
        url: `/api/v1/knowledge/items/${id}`,
        headers: editorMar,
        payload: { keywords: ['إنارة'] },
      });
      expect(same.json()).toMatchObject({ version: 2, changed: [] });
      const stale = await t.app.inject({
        method: 'PATCH',
        url: `/api/v1/knowledge/items/${id}`,
        headers: editorMar,
        payload: { keywords: ['z'], expectedVersion: 1 },
      });
      expect(stale.statusCode).toBe(409);
      const versions = (await get(`/api/v1/knowledge/items/${id}/versions`, editorMar)).json().versions;
      expect(versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
      expect(versions[0].changed).toEqual(['keywords', 'texts.ar']);
      const cmp = (await get(`/api/v1/knowledge/items/${id}/compare?from=1&to=2`, editorMar)).json();
      expect(cmp.from.texts.ar.body).toBe('<p>أضاءت البلدية الشوارع</p>');
      expect(cmp.to.texts.ar.body).toBe('<p>أضاءت البلدية الشوارع والحدائق ليلا</p>');
      const body = cmp.changes.find((x: { field: string }) => x.field === 'texts.ar.body');
      expect(
        body.words
          .filter((w: { op: string }) => w.op === 'insert')
          .map((w: { text: string }) => w.text)
          .join(''),
      ).toContain('والحدائق ليلا');
      expect(cmp.changes.find((x: { field: string }) => x.field === 'keywords')).toMatchObject({
        before: [],
        after: ['إنارة'],
      });
      expect((await get(`/api/v1/knowledge/items/${id}/versions`, editorJor)).statusCode).toBe(403);
      expect((await get(`/api/v1/knowledge/items/${id}/versions`)).statusCode).toBe(401);
      expect((await get(`/api/v1/knowledge/items/${id}/versions/9`, editorMar)).statusCode).toBe(404);
      const mine = (await get(`/api/v1/audit?entityType=knowledge-item&entityId=${id}`, AUTH)).json().items;
      expect(mine.map((a: { action: string }) => a.action).sort()).toEqual(['create', 'update']);
      expect(JSON.stringify(mine)).toContain('editor.mar@knowledge.example');
    });
  });

  describe('tools shared and piloted', () => {
    it('counts published tools and those with recorded pilots, with the records behind each number', async () => {
      const tool = await create({
        type: 'tool',
        kind: 'guide',
        originalLanguage: 'en',
        status: 'published',
        texts: { en: { title: 'Women safety audit guide' } },
      });
      const toolId = tool.json().id as number;
      const other = await create({
        type: 'tool',
        kind: 'template',
        originalLanguage: 'en',
        status: 'published',
        texts: { en: { title: 'Safety walk template' } },
      });
      const pilot = (body: Json, headers: Record<string, string>, id = toolId) =>
        t.app.inject({ method: 'POST', url: `/api/v1/knowledge/tools/${id}/pilots`, headers, payload: body });
      const ok = await pilot(
        {
          place: 'MAAGA',
          startedOn: '2022-03-01',
          endedOn: '2022-09-30',
          stage: 'completed',
          outcome: { en: 'Adopted for the city plan', ar: 'اعتُمدت في خطة المدينة' },
        },
        cityAgadir,
      );
      expect(ok.statusCode, ok.body).toBe(201);
      expect(ok.json()).toMatchObject({ tool: { id: toolId }, place: { code: 'MAAGA' }, stage: 'completed' });
      expect((await pilot({ place: 'JOAMM', startedOn: '2022-03-01', stage: 'planned' }, cityAgadir)).statusCode).toBe(
        403,
      );
      expect((await pilot({ place: 'MAAGA', startedOn: '2022-03-01', stage: 'planned' }, editorJor)).statusCode).toBe(
        403,
      );
      expect(
        (await pilot({ place: 'MAAGA', startedOn: '2022-03-01', endedOn: '2021-01-01', stage: 'planned' }, cityAgadir))
          .statusCode,
      ).toBe(400);
      expect(
        (await pilot({ place: 'MAAGA', startedOn: 'yesterday', stage: 'planned' }, cityAgadir)).json().message,
      ).toMatch(/startedOn/);
      expect(
        (await pilot({ place: 'MAAGA', startedOn: '2022-03-01', stage: 'planned' }, cityAgadir, seed('000')))
          .statusCode,
      ).toBe(404);
      const stats = (await get('/api/v1/knowledge/tools/stats?lang=en')).json();
      expect(stats.shared.count).toBe(2);
      expect(stats.shared.tools.map((x: { id: number }) => x.id).sort()).toEqual([toolId, other.json().id].sort());
      expect(stats.piloted).toEqual({
        count: 1,
        tools: [expect.objectContaining({ id: toolId, pilots: 1, title: 'Women safety audit guide' })],
      });
      expect(stats.pilots.items[0]).toMatchObject({
        place: { code: 'MAAGA' },
        startedOn: '2022-03-01',
        outcomeText: 'Adopted for the city plan',
      });
      expect((await get(`/api/v1/knowledge/items/${toolId}`)).json().pilots).toHaveLength(1);
      const id = ok.json().id;
      expect(
        (
          await t.app.inject({
            method: 'PATCH',
            url: `/api/v1/knowledge/pilots/${id}`,
            headers: cityAgadir,
            payload: { stage: 'stopped' },
          })
        ).json(),
      ).toMatchObject({
        stage: 'stopped',
        startedOn: '2022-03-01',
        endedOn: '2022-09-30',
        outcome: { en: 'Adopted for the city plan' },
      });
      expect(
        (await t.app.inject({ method: 'DELETE', url: `/api/v1/knowledge/pilots/${id}`, headers: editorMar }))
          .statusCode,
      ).toBe(403);
      expect(
        (await t.app.inject({ method: 'DELETE', url: `/api/v1/knowledge/pilots/${id}`, headers: cityAgadir }))
          .statusCode,
      ).toBe(200);
      expect((await get('/api/v1/knowledge/tools/stats')).json().piloted.count).toBe(0);
    });
  });

  describe('bad input', () => {
    it('answers 400 naming the field, never 500', async () => {
      const cases: [Json, RegExp][] = [
        [practice('x', { dateStart: '2020-13-01' }), /dateStart/],
        [practice('x', { sdgTargets: ['99.9'] }), /sdgTargets\.0/],
        [practice('x', { places: ['MAAGA', 'NOWHERE'] }), /places\.1/],
        [practice('x', { frameworks: ['nope'] }), /frameworks\.0/],
        [practice('x', { nuaParagraphs: [176] }), /nuaParagraphs\.0/],
        [practice('x', { kind: 'guide' }), /^kind:/],
        [practice('x', { originalLanguage: 'en' }), /texts\.en/],
        [practice('x', { dateStart: '2020-05-01', dateEnd: '2020-04-01' }), /dateEnd/],
        [practice('x', { sourceUrl: 'javascript:alert(1)' }), /sourceUrl/],
        [practice('x', { contacts: [{ role: 'president', place: 'MAAGA' }] }), /contacts\.0\.role/],
        [{ ...practice('x'), texts: { ar: { title: '' } } }, /texts\.ar\.title/],
        [{ ...practice('x'), type: 'poem' }, /type/],
      ];
      for (const [body, field] of cases) {
        const r = await create(body);
        expect(r.statusCode, JSON.stringify(body)).toBe(400);
        expect(r.json().message, JSON.stringify(body)).toMatch(field);
      }
      for (const url of [
        '/api/v1/knowledge/search?limit=0',
        '/api/v1/knowledge/search?type=poem',
        '/api/v1/knowledge/search?year=twenty',
        `/api/v1/knowledge/search?q=${'x'.repeat(301)}`,
        '/api/v1/knowledge/items/abc',
        '/api/v1/knowledge/items/1/compare?from=1',
      ]) {
        const r = await get(url, AUTH);
        expect(r.statusCode, url).toBe(400);
      }
      expect((await search('!!! ؟؟')).items).toEqual([]);
      expect((await get('/api/v1/knowledge/items/999999')).statusCode).toBe(404);
    });
  });
});
