import Papa from 'papaparse';
import { restoreFormulaText } from './csv-cell.ts';
import { decodeText, InputFormatError } from './text.ts';

export type CsvRow = { kind: 'row'; line: number; cells: string[] } | { kind: 'error'; line: number; message: string };

/** A row longer than this is a quote left open, not data. */
const MAX_RECORD_CHARS = 1_000_000;

function countNewlines(cells: string[]): number {
  let n = 0;
  for (const c of cells) for (let i = c.indexOf('\n'); i !== -1; i = c.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * The index just after the last line end of `text` that is outside quotes, or -1; updates
 * the quote state to the one at the end of `text`. Quotes
 * toggle the state; a doubled quote inside a quoted cell toggles it twice, which is right.
 */
function lastCompleteLineEnd(text: string, quotesBefore: { open: boolean }): number {
  let open = quotesBefore.open;
  let cut = -1;
  for (let i = text.indexOf('"'), from = 0; ; i = text.indexOf('"', i + 1)) {
    const end = i === -1 ? text.length : i;
    if (!open) {
      const nl = text.lastIndexOf('\n', end - 1);
      if (nl >= from) cut = nl + 1;
    }
    if (i === -1) break;
    open = !open;
    from = i + 1;
  }
  // The state at the end of the text: the next chunk continues from there.
  quotesBefore.open = open;
  return cut;
}

/**
 * Streams the rows of a CSV file as arrays of cells, each with the 1-based line it starts on,
 * in batches (one batch per input chunk). Accepts a byte-order mark and LF, CRLF or bare CR
 * line ends; skips empty lines. A cell that begins with a single quote and then a character that
 * starts a spreadsheet formula ('=…, '-…) loses that quote: Marsad's exports add it (csv-cell.ts).
 * A quote never closed is reported on the line it opens. Memory
 * stays flat: the text is cut after its last complete row and parsed piece by piece.
 *
 * Papa Parse does the parsing (it reads a million simple rows in well under a second here,
 * several times faster than the alternatives measured).
 */
export async function* readCsvRows(input: AsyncIterable<Uint8Array | string>): AsyncGenerator<CsvRow[]> {
  let carry = '';
  let line = 1;
  const state = { open: false };
  const parsePiece = (text: string): CsvRow[] => {
    const out: CsvRow[] = [];
    const result = Papa.parse<string[]>(text, {
      delimiter: ',',
      newline: '\n',
      quoteChar: '"',
      escapeChar: '"',
      skipEmptyLines: false,
    });
    const badRows = new Map<number, string>();
    for (const e of result.errors) {
      if (e.row === undefined) continue;
      if (e.code === 'MissingQuotes')
        badRows.set(e.row, 'a quoted cell is never closed: a " is missing in this row (or the rows after it)');
      else if (e.code === 'InvalidQuotes')
        badRows.set(
          e.row,
          'a quote in this row is misplaced: a cell that contains " must be quoted and its quotes doubled',
        );
    }
    const rows = result.data;
    // A trailing line end gives one empty last row: not data.
    const n =
      rows.length > 0 && text.endsWith('\n') && rows[rows.length - 1]!.length === 1 && rows[rows.length - 1]![0] === ''
        ? rows.length - 1
        : rows.length;
    for (let r = 0; r < n; r++) {
      const cells = rows[r]!;
      const start = line;
      line += 1 + countNewlines(cells);
      const bad = badRows.get(r);
      if (bad) {
        out.push({ kind: 'error', line: start, message: bad });
        continue;
      }
      if (cells.length === 1 && cells[0] === '') continue; // empty line
      // A text cell that Marsad's export neutralised ('=…) reads back as it was (csv-cell.ts).
      cells.forEach((cell, c) => {
        cells[c] = restoreFormulaText(cell);
      });
      out.push({ kind: 'row', line: start, cells });
    }
    return out;
  };
  try {
    for await (const text of inPieces(decodeText(input, { normalizeNewlines: true }))) {
      const whole = carry + text;
      const cut = lastCompleteLineEnd(text, state);
      if (cut === -1) {
        carry = whole;
        if (carry.length > MAX_RECORD_CHARS) {
          yield [
            {
              kind: 'error',
              line,
              message: 'this row is longer than a million characters: a quoted cell is probably not closed',
            },
          ];
          return;
        }
        continue;
      }
      const at = carry.length + cut;
      carry = whole.slice(at);
      const rows = parsePiece(whole.slice(0, at));
      if (rows.length > 0) yield rows;
    }
    if (carry.length > 0) {
      const rows = parsePiece(carry.endsWith('\n') ? carry : `${carry}\n`);
      if (rows.length > 0) yield rows;
    }
  } catch (err) {
    if (err instanceof InputFormatError) {
      yield [{ kind: 'error', line: typeof err.at === 'number' ? err.at : 0, message: err.message }];
      return;
    }
    throw err;
  }
}

/** Characters parsed at a time: the rows of one piece are alive together until the import has handled them. */
const PIECE_CHARS = 64 * 1024;

/**
 * The text in pieces of at most PIECE_CHARS. A caller's large chunk (a 1 MB string, a whole file) parsed at once kept
 * some 20,000 rows alive through the young generation's collections, which copied them again and again (a third of an
 * import's time went to collecting garbage). A piece may end inside a line, a quoted cell or a surrogate pair: the
 * reader cuts at the last complete line and carries the rest to the next piece, as between chunks of a stream.
 */
async function* inPieces(texts: AsyncIterable<string>): AsyncGenerator<string> {
  for await (const text of texts) {
    if (text.length <= PIECE_CHARS) yield text;
    else for (let i = 0; i < text.length; i += PIECE_CHARS) yield text.slice(i, i + PIECE_CHARS);
  }
}
