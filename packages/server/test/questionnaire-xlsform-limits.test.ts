import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { testStoreKinds } from '@marsad/db/testing';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_UPLOAD_LIMITS, readUploadLimits, uploadLimits } from '../src/http/upload-limits.ts';
import { readWorkbookSheets, sheetsOfWorkbook } from '../src/reviews/xlsform/workbook-sheets.ts';
import { readSharedStrings } from '../src/reviews/xlsform/workbook-text.ts';
import {
  NotAWorkbookError,
  RowCounter,
  unpackWorkbook,
  WorkbookLimitError,
} from '../src/reviews/xlsform/workbook-unpack.ts';
import { importXlsForm } from '../src/reviews/xlsform/xlsform-import.ts';
import { createTestApp, SHARED, signedIn, type TestApp } from './helpers.ts';
import { reviewWorkbook, workbook } from './questionnaire-fixtures.ts';
import { manyRowsWorkbook, workbookWithLabelString, zipBombWorkbook } from './xlsform-hostile.ts';

const XLSFORM = path.join(SHARED, 'data/xlsform');
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const MB = 1024 * 1024;
/** The most one read of an inflating entry hands on (zlib's chunk), and a margin for yauzl's. */
const ONE_CHUNK = 64 * 1024;

async function unpackError(bytes: Buffer, limits = DEFAULT_UPLOAD_LIMITS): Promise<Error> {
  try {
    await unpackWorkbook(bytes, limits);
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the workbook to be refused');
}

describe('unpacking an uploaded workbook within the limits', () => {
  it('refuses a zip bomb by its declared size before inflating anything', async () => {
    const bomb = zipBombWorkbook(60 * MB);
    expect(bomb.length).toBeLessThan(100 * 1024);
    const err = await unpackError(bomb);
    expect(err).toBeInstanceOf(WorkbookLimitError);
    expect(err).toMatchObject({ limit: 'unpacked-bytes', inflatedBytes: 0 });
    expect(err.message).toMatch(/unpacks to 60 MB; at most 20 MB \(MARSAD_UPLOAD_MAX_UNPACKED_BYTES\)/);
  });

  it('stops inflating a bomb that declares less than it holds, at its declared size (within the limit)', async () => {
    const limits = uploadLimits({ maxUnpackedBytes: 2 * MB });
    const liar = zipBombWorkbook(60 * MB, 2 * MB - 10_000);
    const err = await unpackError(liar, limits);
    expect(err).toBeInstanceOf(NotAWorkbookError);
    expect(err.message).toMatch(/xl\/worksheets\/sheet1\.xml unpacks to more than the 2,087,152 bytes it declares/);
    const inflated = (err as NotAWorkbookError).inflatedBytes;
    expect(inflated).toBeGreaterThan(0);
    expect(inflated).toBeLessThanOrEqual(limits.maxUnpackedBytes + ONE_CHUNK);
  });

  it('refuses a workbook of 20,001 rows while inflating it, naming the sheet and the limit; 20,000 pass', async () => {
    const err = await unpackError(manyRowsWorkbook(20_000)); // and the header row
    expect(err).toBeInstanceOf(WorkbookLimitError);
    expect(err).toMatchObject({ limit: 'rows' });
    expect(err.message).toBe(
      'The sheet "survey" takes the workbook over 20,000 rows, the most that is read (MARSAD_UPLOAD_MAX_ROWS). A questionnaire needs far fewer: is it the right file?',
    );
    const ok = await unpackWorkbook(manyRowsWorkbook(19_999), DEFAULT_UPLOAD_LIMITS);
    expect(ok.rows).toBe(20_000);
  });

  it('counts rows as exceljs writes them, with the sheet named from the workbook', async () => {
    const rows = [['type', 'name', 'label'], ...Array.from({ length: 30 }, (_, i) => ['text', `q${i}`, `Q ${i}`])];
    const bytes = await workbook({ settings: [['form_id'], ['x']], 'My survey': rows });
    expect((await unpackWorkbook(bytes, uploadLimits({ maxRows: 33 }))).rows).toBe(33);
    const err = await unpackError(bytes, uploadLimits({ maxRows: 32 }));
    expect(err.message).toMatch(/^The sheet "My survey" takes the workbook over 32 rows/);
    const entries = await unpackError(bytes, uploadLimits({ maxEntries: 3 }));
    expect(entries).toMatchObject({ limit: 'entries' });
  });

  it('counts <row> tags across any chunk boundaries, and no other tags', () => {
    const piece = fc.constantFrom(
      '<row r="1">',
      '<row>',
      '<row/>',
      '<x:row\tr="2">',
      '</row>',
      '<rowBreaks count="1">',
      '<brk id="2"/>',
      '<c r="A1"><v>1</v></c>',
      'row',
      '<',
      'text ٣ é',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 8 }), (pieces, cuts) => {
        const xml = Buffer.from(pieces.join(''));
        const expected = pieces.filter((p) => /^<(x:)?row[\s/>]/.test(p)).length;
        const at = [...new Set(cuts.map((c) => (xml.length ? c % xml.length : 0)))].sort((a, b) => a - b);
        const counter = new RowCounter();
        let from = 0;
        for (const cut of [...at, xml.length]) {
          counter.push(xml.subarray(from, cut));
          from = cut;
        }
        expect(counter.count).toBe(expected);
      }),
    );
  });

  it('reads the limits from the environment, naming a wrong one', () => {
    expect(readUploadLimits({})).toEqual({});
    expect(
      readUploadLimits({
        MARSAD_UPLOAD_MAX_UNPACKED_BYTES: '30MB',
        MARSAD_UPLOAD_MAX_ROWS: '5000',
        MARSAD_UPLOAD_MAX_PDF_MEMORY: '1048576',
      }),
    ).toEqual({ maxUnpackedBytes: 30 * MB, maxRows: 5000, maxPdfMemory: MB });
    expect(() => readUploadLimits({ MARSAD_UPLOAD_MAX_ROWS: '20k' })).toThrow(/^MARSAD_UPLOAD_MAX_ROWS must be/);
    expect(() => readUploadLimits({ MARSAD_UPLOAD_MAX_ROWS: '5MB' })).toThrow(/MARSAD_UPLOAD_MAX_ROWS/);
    expect(() => readUploadLimits({ MARSAD_UPLOAD_MAX_UNPACKED_BYTES: '0' })).toThrow(
      /MARSAD_UPLOAD_MAX_UNPACKED_BYTES must be a whole number greater than 0 of bytes/,
    );
  });
});

describe('the text of shared strings', () => {
  it('is read tolerantly: rich text runs, markup, phonetic runs, CDATA, references, empty strings', () => {
    expect(
      readSharedStrings(
        '<sst><si><t>plain</t></si><si><r><rPr><b/></rPr><t>ri</t></r><r><t xml:space="preserve">ch </t></r></si>' +
          '<si><t>a<b>x</b>y</t></si><si><t>base</t><rPh sb="0" eb="1"><t>ph</t></rPh></si><si/><si><t/></si>' +
          '<si><t><![CDATA[<x>]]>&amp;&#x1F600;&#0;&#xD800;</t></si><si><t>t</t><r><t>r</t></r></si><si><si><t>n</t></si></si></sst>',
      ),
    ).toEqual(['plain', 'rich ', 'axy', 'base', '', '', '<x>&😀\u0000\uD800', 'tr', 'n']);
  });
});

describe.skipIf(!existsSync(XLSFORM))('the workbooks of shared/data/xlsform under the default limits', () => {
  it('read to the same sheets as exceljs reads them unchecked', async () => {
    const files = readdirSync(XLSFORM).filter((f) => f.endsWith('.xlsx'));
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const f of [...files, 'review']) {
      const bytes = f === 'review' ? await reviewWorkbook() : await readFile(path.join(XLSFORM, f));
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
      expect(await readWorkbookSheets(bytes), f).toEqual(sheetsOfWorkbook(wb));
    }
  });
});

describe('cells that cannot be stored, and markup in shared strings', () => {
  const label = async (si: string) => {
    const r = await importXlsForm(await workbookWithLabelString(si));
    if (!r.ok) return r.problems.map((p) => `${p.sheet}!${p.column}${p.row} ${p.code}: ${p.message}`);
    return (r.questionnaire.questions[0] as { label: Record<string, string> }).label.und;
  };
  it('imports the text of markup and rich text', async () => {
    expect(await label('<si><t>a<b>x</b>y</t></si>')).toBe('axy');
    expect(await label('<si><t xml:space="preserve">Rich </t><r><rPr><b/></rPr><t>text</t></r></si>')).toBe(
      'Rich text',
    );
    expect(await label('<si><si><t>nested</t></si></si>')).toBe('nested');
    expect(await label('<si><t>_x0041_ and _x005F_x0041_</t></si>')).toBe('A and _x0041_');
  });
  it('names the cell of a NUL or an unpaired surrogate, written raw, as a reference or as an escape', async () => {
    for (const si of [
      '<si><t>a&#0;b</t></si>',
      '<si><t>a\u0000b</t></si>',
      '<si><t>a_x0000_b</t></si>',
      '<si><r><t>a&#xD800;b</t></r></si>',
      '<si><t>_xDC00_</t></si>',
    ]) {
      const problems = await label(si);
      expect(problems, si).toEqual([
        expect.stringMatching(
          /^survey!C2 unreadable-cell: Cell C2: the text holds (a NUL character|an unpaired UTF-16 surrogate)/,
        ),
        'survey!C2 missing-label: Row 2: "q1" has no label.',
      ]);
    }
  });
});

describe.each(testStoreKinds())('the upload route on %s', (kind) => {
  let t: TestApp;
  let admin: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp(kind, { catalogue: false });
    admin = await signedIn(t, 'admin@limits.example', [{ role: 'administrator' }]);
  });
  afterAll(async () => {
    await t?.close();
  });
  const upload = (body: Buffer) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/questionnaires/import?fileName=upload.xlsx',
      payload: body,
      headers: { 'content-type': XLSX, ...admin },
    });

  it('answers a zip bomb and a workbook of 20,001 rows with 413 naming the limit', async () => {
    const bomb = await upload(zipBombWorkbook(60 * MB));
    expect(bomb.statusCode).toBe(413);
    expect(bomb.json()).toMatchObject({
      error: 'too_large',
      message: expect.stringMatching(/MARSAD_UPLOAD_MAX_UNPACKED_BYTES/),
    });
    const rows = await upload(manyRowsWorkbook(20_000));
    expect(rows.statusCode).toBe(413);
    expect(rows.json().message).toMatch(/^The sheet "survey" takes the workbook over 20,000 rows/);
  });

  it('answers cells that cannot be stored with 400 naming sheet, row and column, and saves markup as text', async () => {
    for (const si of ['<si><t>&#xD800;</t></si>', '<si><t>_x0000_</t></si>']) {
      const r = await upload(await workbookWithLabelString(si));
      expect(r.statusCode, si).toBe(400);
      expect(r.json().details.problems[0]).toMatchObject({
        sheet: 'survey',
        row: 2,
        column: 'C',
        code: 'unreadable-cell',
      });
    }
    const ok = await upload(await workbookWithLabelString('<si><t>Where <b>exactly</b></t><r><t>?</t></r></si>'));
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ created: true });
  });
});
