/**
 * A PDF bomb, built at test time (and by bench/uploads): one page whose content stream
 * (FlateDecode) holds a line of text and then `unpackedBytes` of spaces, so that a 1 MB file
 * unpacks to about 1 GB. One megabyte of spaces is deflated once with a full flush and its bytes
 * repeated; the zlib checksum is left 0 (pdf.js does not check it).
 */
import { constants, deflateRawSync } from 'node:zlib';

const MB = 1024 * 1024;

export function pdfBomb(unpackedBytes: number, line = 'Hello from a bomb'): Buffer {
  const flush = { level: 9, finishFlush: constants.Z_FULL_FLUSH };
  const one = deflateRawSync(Buffer.alloc(MB, ' '), flush);
  const stream = Buffer.concat([
    Buffer.from([0x78, 0xda]), // zlib header
    deflateRawSync(Buffer.from(`BT /F1 12 Tf 72 720 Td (${line}) Tj ET\n`), flush),
    ...Array.from({ length: Math.ceil(unpackedBytes / MB) }, () => one),
    deflateRawSync(Buffer.alloc(0)),
    Buffer.alloc(4), // Adler-32, not checked
  ]);
  const objects: Buffer[] = [
    Buffer.from('<< /Type /Catalog /Pages 2 0 R >>'),
    Buffer.from('<< /Type /Pages /Kids [3 0 R] /Count 1 >>'),
    Buffer.from(
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    ),
    Buffer.concat([
      Buffer.from(`<< /Length ${stream.length} /Filter /FlateDecode >>\nstream\n`),
      stream,
      Buffer.from('\nendstream'),
    ]),
    Buffer.from('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>'),
  ];
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let length = parts[0]!.length;
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(length);
    const obj = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), o, Buffer.from('\nendobj\n')]);
    parts.push(obj);
    length += obj.length;
  });
  parts.push(
    Buffer.from(
      `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}` +
        `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`,
    ),
  );
  return Buffer.concat(parts);
}
