/**
 * Reads an .xlsx workbook (exceljs) into plain sheets of trimmed texts with their row numbers
 * and column letters, as pyxform sees them: formulas give their stored result, rich text and
 * hyperlinks their text, numbers and booleans their text. Cells that cannot be read as text
 * (an error value, a formula without a stored result, text that cannot be stored) are
 * reported, not guessed.
 *
 * The zip is unpacked first within the upload limits (workbook-unpack.ts), its XML made safe
 * (workbook-text.ts), and only then given to exceljs.
 */
import { findUnstorableChar, unstorableMessage } from '@marsad/core';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { DEFAULT_UPLOAD_LIMITS, type UploadLimits } from '../../http/upload-limits.ts';
import { plainSharedStrings, repairXml } from './workbook-text.ts';
import { NotAWorkbookError, unpackWorkbook } from './workbook-unpack.ts';

export { NotAWorkbookError, WorkbookLimitError } from './workbook-unpack.ts';

export interface SheetCell {
  row: number;
  col: number;
  text: string;
}
export interface SheetRow {
  row: number;
  cells: Map<number, string>;
}
export interface Sheet {
  name: string;
  rows: SheetRow[];
  unreadable: { row: number; col: number; reason: string }[];
}

export function columnLetter(col: number): string {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function dateText(d: Date): string {
  const iso = d.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
}

type Scalar = string | number | boolean | Date | null | undefined;

function scalarText(v: Scalar): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return dateText(v);
  return String(v);
}

/** The text of a cell value, or a reason it has none. */
function cellText(v: ExcelJS.CellValue): { text: string } | { reason: string } {
  const t = cellValueText(v);
  if ('text' in t) {
    const found = findUnstorableChar(t.text);
    if (found) return { reason: unstorableMessage(found) };
  }
  return t;
}

function cellValueText(v: ExcelJS.CellValue): { text: string } | { reason: string } {
  if (v === null || v === undefined) return { text: '' };
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date)
    return { text: scalarText(v) };
  if (typeof v !== 'object') return { reason: 'the cell holds a value that is not text' };
  if ('richText' in v && Array.isArray(v.richText))
    return { text: v.richText.map((r) => (typeof r?.text === 'string' ? r.text : '')).join('') };
  if ('hyperlink' in v && 'text' in v) {
    const t = (v as ExcelJS.CellHyperlinkValue).text;
    return { text: typeof t === 'string' ? t : '' };
  }
  if ('error' in v) return { reason: `the cell holds the error ${String(v.error)}` };
  if ('formula' in v || 'sharedFormula' in v) {
    const f = v as ExcelJS.CellFormulaValue | ExcelJS.CellSharedFormulaValue;
    const formula = 'formula' in f ? f.formula : `shared formula of ${f.sharedFormula}`;
    if (f.result === undefined)
      return { reason: `the cell holds a formula (=${formula}) without a stored value; type the value instead` };
    if (typeof f.result === 'object' && f.result !== null && !(f.result instanceof Date))
      return { reason: `the formula =${formula} gives an error` };
    return { text: scalarText(f.result as Scalar) };
  }
  return { reason: 'the cell holds a value that is not text' };
}

/** The workbook's entries unpacked within the limits and made safe, zipped again (stored) for exceljs. */
async function checkedWorkbook(bytes: Buffer, limits: UploadLimits): Promise<Buffer> {
  const { entries } = await unpackWorkbook(bytes, limits);
  const zip = new JSZip();
  for (const [name, data] of entries) {
    const safe =
      name === 'xl/sharedStrings.xml'
        ? plainSharedStrings(data)
        : /\.(xml|rels|vml)$/i.test(name)
          ? repairXml(data)
          : data;
    zip.file(name, safe, { binary: true, createFolders: false });
  }
  return zip.generateAsync({ type: 'nodebuffer', compression: 'STORE' });
}

/**
 * Reads every worksheet; throws NotAWorkbookError when the bytes are not an .xlsx workbook that
 * can be read, WorkbookLimitError when it unpacks to more than the limits allow.
 */
export async function readWorkbookSheets(
  bytes: Buffer,
  limits: UploadLimits = DEFAULT_UPLOAD_LIMITS,
): Promise<Sheet[]> {
  const checked = await checkedWorkbook(bytes, limits);
  const wb = new ExcelJS.Workbook();
  try {
    // exceljs declares its own Buffer type; Node's Buffer is what it reads.
    await wb.xlsx.load(checked as unknown as ExcelJS.Buffer);
    return sheetsOfWorkbook(wb);
  } catch (err) {
    throw new NotAWorkbookError(
      `This is not an .xlsx workbook that can be read (${(err as Error).message.slice(0, 200)}).`,
    );
  }
}

/** The sheets of a workbook exceljs has loaded. */
export function sheetsOfWorkbook(wb: ExcelJS.Workbook): Sheet[] {
  return wb.worksheets.map((ws) => {
    const sheet: Sheet = { name: ws.name, rows: [], unreadable: [] };
    ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const cells = new Map<number, string>();
      row.eachCell({ includeEmpty: false }, (cell, col) => {
        const t = cellText(cell.value);
        if ('reason' in t) sheet.unreadable.push({ row: rowNumber, col, reason: t.reason });
        else if (t.text.trim() !== '') cells.set(col, t.text.trim());
      });
      if (cells.size) sheet.rows.push({ row: rowNumber, cells });
    });
    return sheet;
  });
}
