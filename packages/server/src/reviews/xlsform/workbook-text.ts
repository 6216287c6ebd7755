/**
 * The XML of a workbook made safe for exceljs, so that odd text is reported at its cell instead of
 * failing the whole file (or reaching the database):
 * - Characters XML cannot hold (NUL and other control characters, unpaired surrogates), written
 *   raw or as character references (`&#xD800;`), become the workbook's own escapes (`_xD800_`,
 *   which exceljs decodes in cell text): the cell then holds them, and workbook-sheets.ts reports
 *   the cell (core's findUnstorableChar).
 * - The shared strings are read with a tolerant reader and written back plainly, one
 *   `<si><t>text</t></si>` each: a string's text is its `<t>` texts (rich text runs included,
 *   phonetic runs left out, any other markup inside taken for its text), so that markup in
 *   unusual shapes (a `<t>` beside runs, nested elements) cannot break exceljs's reader.
 */

/** A character XML 1.0 cannot hold, as a code point; surrogates are tested in pairs by the caller. */
function illegalInXml(code: number): boolean {
  return (
    (code < 0x20 && code !== 0x9 && code !== 0xa && code !== 0xd) ||
    (code >= 0xd800 && code <= 0xdfff) ||
    code === 0xfffe ||
    code === 0xffff ||
    code > 0x10ffff
  );
}

/** The workbook's escape of one UTF-16 code unit (exceljs decodes `_xHHHH_`, upper-case hexadecimal). */
const escapeUnit = (unit: number) => `_x${unit.toString(16).toUpperCase().padStart(4, '0')}_`;

function escapeCodePoint(code: number): string {
  if (code > 0x10ffff) return escapeUnit(0xfffd);
  return String.fromCodePoint(code)
    .split('')
    .map((c) => escapeUnit(c.charCodeAt(0)))
    .join('');
}

const RAW_ILLEGAL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finds the control characters XML cannot hold, on purpose
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const CHAR_REF = /&#(?:x([0-9a-fA-F]+)|([0-9]+));/g;

/** An XML part with the characters XML cannot hold escaped; the same bytes when it has none. */
export function repairXml(data: Buffer): Buffer {
  const text = data.toString('utf8');
  RAW_ILLEGAL.lastIndex = 0;
  if (!text.includes('&#') && !RAW_ILLEGAL.test(text)) return data;
  let changed = false;
  const out = text
    .replace(RAW_ILLEGAL, (c) => {
      changed = true;
      return escapeUnit(c.charCodeAt(0));
    })
    .replace(CHAR_REF, (ref, hex: string | undefined, dec: string | undefined) => {
      const code = hex !== undefined ? Number.parseInt(hex, 16) : Number(dec);
      if (!illegalInXml(code)) return ref;
      changed = true;
      return escapeCodePoint(code);
    });
  return changed ? Buffer.from(out, 'utf8') : data;
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Text of XML with its references decoded (any code point, even one XML cannot hold: it is escaped again on output). */
function decodeText(raw: string): string {
  return raw
    .replace(/\r\n?/g, '\n')
    .replace(/&(?:#x([0-9a-fA-F]{1,8})|#([0-9]{1,10})|([a-zA-Z]+));/g, (ref, hex, dec, name) => {
      if (name !== undefined) return NAMED[name] ?? ref;
      const code = hex !== undefined ? Number.parseInt(hex, 16) : Number(dec);
      return code <= 0x10ffff ? String.fromCodePoint(code) : '\uFFFD';
    });
}

/** Text written into a `<t>`: markup escaped, characters XML cannot hold as the workbook's escapes. */
function encodeText(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '&') out += '&amp;';
    else if (ch === '<') out += '&lt;';
    else if (ch === '>') out += '&gt;';
    else if (ch === '\r') out += '&#13;';
    else if (illegalInXml(code)) out += escapeCodePoint(code);
    else out += ch;
  }
  return out;
}

const TOKEN =
  /<!\[CDATA\[([\s\S]*?)\]\]>|<!--[\s\S]*?-->|<[?!][^>]*>|<(\/?)(?:[\w.-]+:)?([\w.-]+)((?:[^>"']|"[^"]*"|'[^']*')*)>|([^<]+)|</g;

/** The texts of a shared strings part (xl/sharedStrings.xml), read tolerantly, in order. */
export function readSharedStrings(xml: string): string[] {
  const strings: string[] = [];
  let inSi = 0;
  let inT = 0;
  let inPhonetic = 0;
  let current = '';
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(xml); m; m = TOKEN.exec(xml)) {
    const [all, cdata, closing, name, attrs, text] = m;
    if (text !== undefined || cdata !== undefined || all === '<') {
      if (inSi && inT && !inPhonetic) current += cdata ?? (text !== undefined ? decodeText(text) : all);
      continue;
    }
    if (name === undefined) continue; // a comment, a processing instruction, a declaration
    const selfClosing = !closing && (attrs ?? '').trimEnd().endsWith('/');
    if (closing) {
      if (name === 'si' && inSi) {
        inSi--;
        if (!inSi) {
          strings.push(current);
          inT = 0;
          inPhonetic = 0;
        }
      } else if (name === 't' && inT) inT--;
      else if (name === 'rPh' && inPhonetic) inPhonetic--;
    } else if (name === 'si') {
      if (!inSi) current = '';
      if (selfClosing) {
        if (!inSi) strings.push('');
      } else inSi++;
    } else if (inSi && !selfClosing) {
      if (name === 't') inT++;
      else if (name === 'rPh') inPhonetic++;
    }
  }
  if (inSi) strings.push(current);
  return strings;
}

/** A shared strings part written plainly: the same strings, in the same order. */
export function plainSharedStrings(data: Buffer): Buffer {
  const strings = readSharedStrings(data.toString('utf8'));
  const body = strings.map((s) => `<si><t xml:space="preserve">${encodeText(s)}</t></si>`).join('');
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${strings.length}" uniqueCount="${strings.length}">${body}</sst>`,
    'utf8',
  );
}
