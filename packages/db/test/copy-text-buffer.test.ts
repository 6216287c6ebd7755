import { describe, expect, it } from 'vitest';
import { CopyTextBuffer, copyLine } from '../src/observations/copy-text.ts';

/** CopyTextBuffer (issue 17) writes the bytes copyLine's strings encode to, without a string per row. */
describe('CopyTextBuffer', () => {
  const texts = [
    '',
    'plain',
    'tab\there',
    'line\nend',
    'cr\rlf',
    'back\\slash',
    'عربي',
    'Ünïcödé\tmix\\',
    '😀 emoji',
    'a',
  ];
  const numbers = [0, 7, 10, 99, 100, 123456789, 2 ** 53 - 1, -1, -0, 1.5, 1e21, 1e-7, 0.1 + 0.2, -273.15];

  it('gives the same bytes as copyLine, field by field', () => {
    const out = new CopyTextBuffer(16); // small: it must grow
    let expected = '';
    for (let row = 0; row < 200; row++) {
      const n = numbers[row % numbers.length]!;
      const t = texts[row % texts.length]!;
      const u = texts[(row * 7) % texts.length]!;
      const id = row * 1_000_003;
      out.int(id).num(n).int(n).text(t).text(null).text(u).text(undefined);
      out.end();
      expected += copyLine([id, n, n, t, null, u, undefined]);
    }
    expect(out.length).toBe(Buffer.byteLength(expected));
    expect(out.take().toString('utf8')).toBe(expected);
    expect(out.length).toBe(0);
    out.int(1).text('x');
    out.end();
    expect(out.take().toString('utf8')).toBe('1\tx\n');
  });
});
