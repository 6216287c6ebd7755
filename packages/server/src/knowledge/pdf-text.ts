import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * The text of a PDF file, for search, read in Node by pdfjs-dist (5.4.x: the last line that
 * runs on Node 20; version 6 needs Node 22), so users need no other program. Its legacy build
 * is the one meant for Node. No fonts are rendered: only the text content of each page.
 *
 * Bounded: at most `maxPages` pages and `maxChars` characters are read (the rest of a long
 * report is not searchable; the file itself is kept whole).
 */
export interface PdfText {
  text: string;
  pages: number;
  pagesRead: number;
  truncated: boolean;
}

const require = createRequire(import.meta.url);
/** Font data for the 14 standard fonts, so that pdf.js need not guess their metrics. */
const STANDARD_FONTS = pathToFileURL(
  require.resolve('pdfjs-dist/package.json').replace(/package\.json$/, 'standard_fonts/'),
).href;

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<PdfJs> | null = null;

export async function pdfText(bytes: Uint8Array, o: { maxPages?: number; maxChars?: number } = {}): Promise<PdfText> {
  const maxPages = o.maxPages ?? 500;
  const maxChars = o.maxChars ?? 500_000;
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  const { getDocument, VerbosityLevel } = await pdfjs;
  // pdf.js takes ownership of (detaches) the buffer it is given: give it a copy.
  const task = getDocument({
    data: new Uint8Array(bytes),
    standardFontDataUrl: STANDARD_FONTS,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: VerbosityLevel.ERRORS,
  });
  const doc = await task.promise;
  try {
    const pages: string[] = [];
    let chars = 0;
    let pagesRead = 0;
    for (let n = 1; n <= Math.min(doc.numPages, maxPages) && chars < maxChars; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      let line = '';
      const lines: string[] = [];
      for (const item of content.items) {
        if (!('str' in item)) continue;
        line += item.str;
        if (item.hasEOL) {
          lines.push(line);
          line = '';
        } else if (item.str !== '' && !item.str.endsWith(' ')) line += ' ';
      }
      if (line !== '') lines.push(line);
      const text = lines
        .map((l) => l.replace(/\s+/g, ' ').trim())
        .filter(Boolean)
        .join('\n');
      pages.push(text);
      chars += text.length;
      pagesRead++;
      page.cleanup();
    }
    const all = pages.join('\n\n');
    return {
      text: all.slice(0, maxChars),
      pages: doc.numPages,
      pagesRead,
      truncated: pagesRead < doc.numPages || all.length > maxChars,
    };
  } finally {
    await doc.destroy();
  }
}
