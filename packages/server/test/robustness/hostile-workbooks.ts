import ExcelJS from 'exceljs';
import fc from 'fast-check';
import type { HostileFile } from './hostile-files.ts';
import { hostileString } from './hostile-files.ts';

/**
 * Hostile XLSForm workbooks: a real workbook whose cells are replaced by hostile text (as plain
 * strings, rich text runs, formulas with odd results, hyperlinks), with rows repeated and sheets
 * renamed, then sometimes truncated or with bytes spliced into the zip.
 */

type CellValue =
  | { kind: 'text'; text: string }
  | { kind: 'rich'; runs: string[] }
  | { kind: 'formula'; formula: string; result: string }
  | { kind: 'link'; text: string; link: string }
  | { kind: 'number'; value: number };

const cellValue: fc.Arbitrary<CellValue> = fc.oneof(
  { weight: 5, arbitrary: hostileString.map((text) => ({ kind: 'text' as const, text })) },
  {
    weight: 1,
    arbitrary: fc.array(hostileString, { minLength: 1, maxLength: 3 }).map((runs) => ({ kind: 'rich' as const, runs })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(hostileString, hostileString)
      .map(([formula, result]) => ({ kind: 'formula' as const, formula, result })),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(hostileString, hostileString).map(([text, link]) => ({ kind: 'link' as const, text, link })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(1e308, -0, Number.MAX_SAFE_INTEGER + 2, 0.1)
      .map((value) => ({ kind: 'number' as const, value })),
  },
);

type WorkbookMutation =
  | { op: 'cell'; sheet: number; row: number; col: number; value: CellValue }
  | { op: 'repeat'; sheet: number; row: number; times: number }
  | { op: 'rename'; sheet: number; name: string };

const workbookMutation: fc.Arbitrary<WorkbookMutation> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant('cell' as const),
      sheet: fc.nat(),
      row: fc.integer({ min: 1, max: 12 }),
      col: fc.integer({ min: 1, max: 6 }),
      value: cellValue,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('repeat' as const),
      sheet: fc.nat(),
      row: fc.integer({ min: 2, max: 6 }),
      times: fc.constantFrom(2, 50, 500),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('rename' as const),
      sheet: fc.nat(),
      name: fc.constantFrom('survey', 'choices', 'settings', 'Survey ', 'x'),
    }),
  },
);

type ZipMutation = { op: 'none' } | { op: 'truncate'; at: number } | { op: 'splice'; at: number; bytes: Uint8Array };

const zipMutation: fc.Arbitrary<ZipMutation> = fc.oneof(
  { weight: 8, arbitrary: fc.constant({ op: 'none' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('splice' as const),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
    }),
  },
);

function toExcel(v: CellValue): ExcelJS.CellValue {
  switch (v.kind) {
    case 'text':
      return v.text;
    case 'rich':
      return { richText: v.runs.map((text) => ({ text, font: { bold: true } })) };
    case 'formula':
      return { formula: v.formula.replace(/^=/, '') || 'A1', result: v.result };
    case 'link':
      return { text: v.text, hyperlink: v.link };
    case 'number':
      return v.value;
  }
}

/** A workbook built from the base by the mutations (async: exceljs writes it). */
async function build(base: Buffer, mutations: WorkbookMutation[], zip: ZipMutation): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  // exceljs declares its own Buffer type; Node's Buffer is what it reads.
  await wb.xlsx.load(base as unknown as ExcelJS.Buffer);
  const sheets = wb.worksheets;
  for (const m of mutations) {
    const ws = sheets[m.sheet % sheets.length];
    if (!ws) continue;
    if (m.op === 'cell') ws.getCell(m.row, m.col).value = toExcel(m.value);
    else if (m.op === 'repeat') {
      const values = ws.getRow(m.row).values;
      for (let i = 0; i < m.times; i++) ws.addRow(values);
    } else if (!wb.getWorksheet(m.name)) ws.name = m.name;
  }
  let bytes = Buffer.from(await wb.xlsx.writeBuffer());
  if (zip.op !== 'none') {
    const at = Math.floor(zip.at * bytes.length);
    bytes =
      zip.op === 'truncate'
        ? bytes.subarray(0, at)
        : Buffer.concat([bytes.subarray(0, at), Buffer.from(zip.bytes), bytes.subarray(at)]);
  }
  return bytes;
}

/** An arbitrary of hostile workbooks: the file is built when the property runs (fast-check maps are synchronous). */
export function hostileWorkbook(base: Buffer): fc.Arbitrary<{ file: () => Promise<HostileFile>; story: string }> {
  return fc
    .tuple(fc.array(workbookMutation, { minLength: 1, maxLength: 4 }), zipMutation, fc.boolean())
    .map(([mutations, zip, dryRun]) => ({
      story: `${mutations.map((m) => JSON.stringify(m).slice(0, 160)).join(' · ')} · ${zip.op}`,
      file: async () => ({
        query: { fileName: 'hostile.xlsx', ...(dryRun ? { dryRun: 'true' } : {}) },
        contentType: 'application/octet-stream',
        body: await build(base, mutations, zip),
        story: mutations.map((m) => JSON.stringify(m).slice(0, 160)).concat(zip.op),
      }),
    }));
}
