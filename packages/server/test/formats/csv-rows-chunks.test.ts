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

  it('report a quote never closed on its line', async () => {
    const rows = await rowsOf(['a,b\n1,2\n3,"open\n4,5\n']);
    expect(rows[0]).toMatchObject({ kind: 'row', line: 1 });
    expect(rows[1]).toMatchObject({ kind: 'row', line: 2 });
    expect(rows[2]).toMatchObject({ kind: 'error', line: 3 });
  });
});
