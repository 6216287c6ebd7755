/**
 * One CSV cell, safe to open in a spreadsheet (OWASP, "CSV Injection"): a text cell that begins
 * with a character a spreadsheet reads as the start of a formula (`=`, `+`, `-`, `@`, tab, carriage
 * return, and the full-width forms of the first four, which Apple Numbers reads alike) is written
 * with a single quote before it and in double quotes, so that it stays text. Numbers are written as
 * numbers (`-5`): whether a cell is text or a number is decided by the value's type, never by its
 * look. Every CSV that Marsad writes goes through `csvField`, and Marsad's CSV readers undo the
 * quote with `restoreFormulaText` (formats/common/csv-rows.ts), so an export imports back exactly.
 *
 * A text that already begins with quotes followed by such a character (`'=x`) gets one more quote,
 * so that taking one quote away is always right: restoreFormulaText(neutraliseFormula(s)) === s.
 */

/** Quotes, then a character that starts a formula. */
const FORMULA_START = /^'*[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** The text with a single quote before it when a spreadsheet would read it as a formula. */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** Undoes neutraliseFormula: one leading quote is dropped when quotes and a formula character begin the text. */
export function restoreFormulaText(text: string): string {
  return text.charCodeAt(0) === 0x27 && FORMULA_START.test(text) ? text.slice(1) : text;
}

/** A cell: text (neutralised when needed), a number (as JavaScript writes it), or nothing (empty). */
export type CsvCell = string | number | bigint | boolean | null | undefined;

/** RFC 4180: quoted when it holds a comma, a quote or a line end; also when it begins or ends with white space. */
const NEEDS_QUOTES = /[",\n\r]|^\s|\s$/;

/** One field of a CSV line, quoted as RFC 4180 says; a neutralised text is always quoted. */
export function csvField(cell: CsvCell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') {
    // A number that is not finite is no number a spreadsheet knows: written as text.
    if (!Number.isFinite(cell)) return csvField(String(cell));
    return String(cell);
  }
  if (typeof cell !== 'string') return String(cell);
  const text = neutraliseFormula(cell);
  return text !== cell || NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line, LF-terminated. */
export function csvLine(cells: readonly CsvCell[], lineEnd = '\n'): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) line += (i === 0 ? '' : ',') + csvField(cells[i]);
  return line + lineEnd;
}
