import { testStoreKinds } from '@marsad/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PdfTextLimitError, pdfText } from '../src/knowledge/pdf-text.ts';
import { AUTH, createTestApp, type TestApp } from './helpers.ts';
import { tinyPdf } from './knowledge-fixtures.ts';
import { pdfBomb } from './pdf-hostile.ts';

/**
 * The text of a PDF attachment is read within a memory limit: pdf.js unpacks a page's streams
 * whole, so a PDF bomb (1 MB unpacking to 1 GB) is stopped, and the file is kept with its
 * extraction failed and a note. How long and how much memory: bench/uploads.
 */
const MB = 1024 * 1024;

describe('reading the text of a PDF', () => {
  it('stops a PDF bomb at the memory limit, and still reads PDFs after it', async () => {
    const bomb = pdfBomb(1024 * MB);
    expect(bomb.length).toBeLessThan(1.1 * MB);
    await expect(pdfText(bomb, { maxMemoryBytes: 96 * MB })).rejects.toThrow(PdfTextLimitError);
    await expect(pdfText(bomb, { maxMemoryBytes: 96 * MB })).rejects.toThrow(
      /^reading its text needed more than 96 MB of memory \(MARSAD_UPLOAD_MAX_PDF_MEMORY\)/,
    );
    expect(await pdfText(tinyPdf(['After the bomb']))).toEqual({
      text: 'After the bomb',
      pages: 1,
      pagesRead: 1,
      truncated: false,
    });
    // Its text is read when it unpacks to little: the limit is on what reading costs, not on the file.
    expect((await pdfText(pdfBomb(2 * MB, 'Small enough'))).text).toBe('Small enough');
  });

  it('stops a reading that takes too long', async () => {
    await expect(pdfText(pdfBomb(256 * MB), { maxMilliseconds: 50 })).rejects.toThrow(
      /^reading its text took more than 0 s/,
    );
  });
});

describe.each(testStoreKinds())('a PDF bomb attached to a knowledge item on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind, { build: { uploadLimits: { maxPdfMemory: 96 * MB } } });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('is kept byte for byte, its text not read, with a note saying why', async () => {
    const item = await t.app.inject({
      method: 'POST',
      url: '/api/v1/knowledge/items',
      headers: AUTH,
      payload: {
        type: 'practice',
        originalLanguage: 'en',
        status: 'published',
        ownerPlace: 'MAAGA',
        places: ['MAAGA'],
        texts: { en: { title: 'A practice with a bomb', summary: 'Summary', body: '<p>Body</p>' } },
      },
    });
    expect(item.statusCode, item.body).toBe(201);
    const bomb = pdfBomb(1024 * MB);
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/v1/knowledge/items/${item.json().id}/attachments?fileName=bomb.pdf`,
      headers: { ...AUTH, 'content-type': 'application/pdf' },
      payload: bomb,
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({
      size: bomb.length,
      extraction: 'failed',
      extractionNote: expect.stringMatching(/^the PDF could not be read: reading its text needed more than 96 MB/),
      textChars: 0,
    });
    const back = await t.app.inject({ url: r.json().url });
    expect(back.rawPayload.equals(bomb)).toBe(true);
  });
});
