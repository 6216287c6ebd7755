import { describe, expect, it } from 'vitest';
import { parseNumberCell } from '../src/formats/common/values.ts';
import { readCsvBatches } from '../src/formats/csv/read.ts';

/** The CSV reader checks plain numbers by character (issue 17): it must read every cell as parseNumberCell does. */
describe("the CSV reader's values", () => {
  const cells = [
    '0',
    '7',
    '+1',
    '-2',
    '-.5',
    '.5',
    '1.',
    '.',
    '+',
    '-',
    '1e3',
    '1E+3',
    '2.5e-3',
    '1e',
    '1e+',
    'e5',
    '00012',
    ' 2 ',
    '\u0661\u0662',
    '1,5',
    '1 000',
    'abc',
    '1e999',
    '0x10',
    'Infinity',
    'NaN',
    '1.2.3',
    '--1',
    '5%',
    '1_000',
  ];

  it('are those of parseNumberCell', async () => {
    const csv = `indicator,place,period,value\n${cells.map((c, i) => `X,P,${2000 + i},"${c}"`).join('\n')}\n`;
    const items = [];
    for await (const batch of readCsvBatches(
      (async function* () {
        yield csv;
      })(),
    ))
      items.push(...batch);
    for (const [i, cell] of cells.entries()) {
      const at = i + 2;
      const got = items.filter((it) => 'at' in it && it.at === at);
      const want = parseNumberCell(cell, 'value');
      if (want.kind === 'number') expect(got, cell).toMatchObject([{ kind: 'row', record: { value: want.value } }]);
      else if (want.kind === 'blank') expect(got, cell).toMatchObject([{ kind: 'skip' }]);
      else expect(got, cell).toMatchObject([{ kind: 'error', column: 'value', message: want.message }]);
    }
  });
});
