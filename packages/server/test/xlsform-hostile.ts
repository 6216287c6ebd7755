/**
 * Hostile XLSForm workbooks, built at test time (and by bench/uploads): zip bombs, a workbook of
 * many rows, workbooks whose shared strings hold markup, NUL or unpaired surrogates. The zips are
 * written here by hand (deflated by Node's zlib), so that a bomb can be made in milliseconds
 * and its entries can declare sizes that are not true.
 */
import { deflateRawSync, constants as zlibConstants } from 'node:zlib';
import JSZip from 'jszip';
import { workbook } from './questionnaire-fixtures.ts';

const MB = 1024 * 1024;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const b of data) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export interface ZipEntry {
  name: string;
  /** The entry's bytes, deflated here; or give `deflated` and `size` for data already deflated. */
  data?: Buffer;
  deflated?: Buffer;
  size?: number;
  crc?: number;
  /** The uncompressed size written in the zip's headers, when it should not be the true one. */
  declaredSize?: number;
}

/** A zip of deflated entries (no zip64: entries below 4 GB). */
export function zipOf(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const deflated = e.deflated ?? deflateRawSync(e.data ?? Buffer.alloc(0), { level: 1 });
    const size = e.declaredSize ?? e.size ?? e.data?.length ?? 0;
    const crc = e.crc ?? (e.data ? crc32(e.data) : 0);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(deflated.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(deflated.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, deflated);
    centrals.push(central, name);
    offset += 30 + name.length + deflated.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`;
const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
const WORKBOOK = `<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="survey" sheetId="1" r:id="rId1"/></sheets></workbook>`;
const WORKBOOK_RELS = `<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`;
const SHEET_HEAD =
  '<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
const SHEET_TAIL = '</sheetData></worksheet>';

/** A one-sheet workbook ("survey") around the given sheet XML, deflated or given already deflated. */
function oneSheetWorkbook(sheet: ZipEntry): Buffer {
  return zipOf([
    { name: '[Content_Types].xml', data: Buffer.from(CONTENT_TYPES) },
    { name: '_rels/.rels', data: Buffer.from(ROOT_RELS) },
    { name: 'xl/workbook.xml', data: Buffer.from(WORKBOOK) },
    { name: 'xl/_rels/workbook.xml.rels', data: Buffer.from(WORKBOOK_RELS) },
    { ...sheet, name: 'xl/worksheets/sheet1.xml' },
  ]);
}

/**
 * A zip bomb: a survey sheet of `unpackedBytes` (rounded up to whole megabytes), one cell of
 * the same letter again and again. One megabyte is deflated once, ending in a full flush (no
 * final block, no reference back), so that its deflated bytes can be repeated: 60 MB deflate to
 * some 60 KB in a few milliseconds. The CRC is left 0 (yauzl does not check it; the bomb never
 * reaches exceljs). With `declaredSize`, its headers say that size instead of the true one.
 */
export function zipBombWorkbook(unpackedBytes: number, declaredSize?: number): Buffer {
  const head = `${SHEET_HEAD}<row r="2"><c r="A2" t="inlineStr"><is><t>`;
  const flush = { level: 9, finishFlush: zlibConstants.Z_FULL_FLUSH };
  const megabyte = Buffer.alloc(MB, 'a');
  const one = deflateRawSync(megabyte, flush);
  const count = Math.ceil(unpackedBytes / MB);
  const deflated = Buffer.concat([
    deflateRawSync(Buffer.from(head), flush),
    ...Array.from({ length: count }, () => one),
    deflateRawSync(Buffer.alloc(0)), // the final block
  ]);
  const size = Buffer.byteLength(head) + count * MB;
  return oneSheetWorkbook({ name: '', deflated, size, crc: 0, declaredSize });
}

/**
 * A survey sheet of `rows` text questions (and a header row), each row its own: `rows + 1` rows
 * in all; each label `labelChars` longer than "Question N".
 */
export function manyRowsWorkbook(rows: number, labelChars = 0): Buffer {
  const pad = labelChars ? ` ${'x'.repeat(labelChars - 1)}` : '';
  const parts = [SHEET_HEAD];
  const cell = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
  parts.push(`<row r="1">${cell('A1', 'type')}${cell('B1', 'name')}${cell('C1', 'label')}</row>`);
  for (let r = 2; r <= rows + 1; r++)
    parts.push(
      `<row r="${r}">${cell(`A${r}`, 'text')}${cell(`B${r}`, `q${r}`)}${cell(`C${r}`, `Question ${r}${pad}`)}</row>`,
    );
  parts.push(SHEET_TAIL);
  return oneSheetWorkbook({ name: '', data: Buffer.from(parts.join('')) });
}

/**
 * A valid XLSForm (survey text q1 with the label in C2; settings with form_id) whose shared
 * string for the label is replaced by `si` as written (markup, references, rich text).
 */
export async function workbookWithLabelString(si: string): Promise<Buffer> {
  const base = await workbook({
    survey: [
      ['type', 'name', 'label'],
      ['text', 'q1', 'LABEL_PLACEHOLDER'],
    ],
    settings: [['form_id'], ['hostile_strings']],
  });
  const zip = await JSZip.loadAsync(base);
  const strings = await zip.file('xl/sharedStrings.xml')!.async('string');
  if (!strings.includes('<si><t>LABEL_PLACEHOLDER</t></si>')) throw new Error('exceljs wrote shared strings otherwise');
  zip.file('xl/sharedStrings.xml', strings.replace('<si><t>LABEL_PLACEHOLDER</t></si>', si));
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
