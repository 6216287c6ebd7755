/**
 * Reads the text of PDFs with pdf.js in a worker thread (pdf-text.ts starts it, watches its
 * memory and time, and stops it past the limits). Plain JavaScript, so that the worker needs no
 * TypeScript loader wherever the server runs. workerData: { standardFontDataUrl }; each message
 * { bytes, maxPages, maxChars } is answered with { text, pages, pagesRead, truncated } or
 * { error }, one at a time.
 */
import { parentPort, workerData } from 'node:worker_threads';

const { standardFontDataUrl } = workerData;
const pdfjs = import('pdfjs-dist/legacy/build/pdf.mjs');

async function read({ bytes, maxPages, maxChars }) {
  const { getDocument, VerbosityLevel } = await pdfjs;
  const task = getDocument({
    data: bytes,
    standardFontDataUrl,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: VerbosityLevel.ERRORS,
  });
  const doc = await task.promise;
  try {
    const pages = [];
    let chars = 0;
    let pagesRead = 0;
    for (let n = 1; n <= Math.min(doc.numPages, maxPages) && chars < maxChars; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      let line = '';
      const lines = [];
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

parentPort.on('message', (job) => {
  read(job).then(
    (result) => parentPort.postMessage(result),
    (err) => parentPort.postMessage({ error: String(err?.message ?? err) }),
  );
});
