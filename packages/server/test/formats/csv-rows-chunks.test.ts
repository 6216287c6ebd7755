import { describe, expect, it } from 'vitest';
import { type CsvRow, readCsvRows } from '../../src/formats/common/csv-rows.ts';

async function rowsOf(chunks: string[]): Promise<CsvRow[]> {
  async function* feed() {
    for (const c of chunks) yield c;
  }
  const out: CsvRow[] = [];
  for await (const batch of readCsvRows(feed())) out.push(...batch);
  return out;
}

const TEXT = `${[
  'indicator,place,period,value,note',
  '11.1.1,MAAGA,2020,1,"a note, with a comma"',
  '11.1.1,MAAGA,2021,2,"two\nlines ""quoted"""',
  '',
  '11.1.1,MAAGA,2022,3,plain',
  '11.1.1,MAAGA,2023,4,"ends with a quote """',
].join('\r\n')}\r\n`;

describe('CSV rows read in pieces', () => {
  it('give the same rows and line numbers however the text is cut', async () => {
    const whole = await rowsOf([TEXT]);
    expect(whole.map((r) => r.line)).toEqual([1, 2, 3, 6, 7]);
    expect(whole[2]).toEqual({ kind: 'row', line: 3, cells: ['11.1.1', 'MAAGA', '2021', '2', 'two\nlines "quoted"'] });
    for (const size of [1, 2, 3, 5, 7, 11, 13]) {
      const chunks: string[] = [];
      for (let i = 0; i < TEXT.length; i += size) chunks.push(TEXT.slice(i, i + size));
      expect(await rowsOf(chunks), `chunks of ${size}`).toEqual(whole);
    }
  });

  it('give the same rows from one large chunk as from small ones, cut inside quoted lines and surrogate pairs', async () => {
    // A chunk larger than the reader's piece (64 K characters) is parsed in pieces: rows, quoted line ends, doubled
    // quotes and characters outside the Basic Multilingual Plane must come out whole wherever a piece ends.
    const rows = ['indicator,place,period,value,note'];
    for (let i = 0; i < 6000; i++)
      rows.push(
        i % 3 === 0
          ? `11.1.1,MAAGA,${2000 + (i % 30)},${i},"row ${i}\n🏙️ on two lines, ""quoted"""`
          : `11.1.1,MAAGA,${2000 + (i % 30)},${i},مدينة ${'𝔸'.repeat(i % 7)}`,
      );
    const text = `${rows.join('\n')}\n`;
    expect(text.length).toBeGreaterThan(3 * 64 * 1024);
    const small: string[] = [];
    for (let i = 0; i < text.length; i += 997) small.push(text.slice(i, i + 997));
    const whole = await rowsOf([text]);
    expect(whole).toHaveLength(6001);
    expect(whole.every((r) => r.kind === 'row')).toBe(true);
    expect(whole[1]).toEqual({
      kind: 'row',
      line: 2,
      cells: ['11.1.1', 'MAAGA', '2000', '0', 'row 0\n🏙️ on two lines, "quoted"'],
    });
    expect(await rowsOf(small)).toEqual(whole);
  });

  it('report a quote never closed on its line', async () => {
    const rows = await rowsOf(['a,b\n1,2\n3,"open\n4,5\n']);
    expect(rows[0]).toMatchObject({ kind: 'row', line: 1 });
    expect(rows[1]).toMatchObject({ kind: 'row', line: 2 });
    expect(rows[2]).toMatchObject({ kind: 'error', line: 3 });
  });
});
