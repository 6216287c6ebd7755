/**
 * The readers stream: they give their first rows long before the input ends, and memory stays
 * flat however long the file is. The inputs are generated on the fly, never held whole.
 */
import { describe, expect, it } from 'vitest';
import { type FormatName, type ReadOptions, readObservations } from '../../src/formats/index.ts';

const thousand = (f: (i: number) => string) => Array.from({ length: 1000 }, (_, i) => f(i)).join(',');

interface Generated {
  head: string;
  row: (i: number) => string;
  tail?: string;
}

const GENERATORS: Record<FormatName, Generated> = {
  csv: {
    head: 'indicator,place,period,value,SEX\n',
    row: (i) => `11.1.1,EGY-CAI,${1000 + (i % 1000)},${i}.5,${i % 2 ? 'F' : 'M'}\n`,
  },
  'open-sdg': {
    head: 'Year,Sex,GeoCode,Value\r\n',
    row: (i) => `${1000 + (i % 1000)},${i % 2 ? 'Female' : ''},EGY,${i}\r\n`,
  },
  'sdmx-csv': {
    head: 'STRUCTURE,STRUCTURE_ID,ACTION,SERIES,REF_AREA,SEX,TIME_PERIOD,OBS_VALUE\n',
    row: (i) => `dataflow,X:Y(1.0),I,EN_LND_SLUM,818,_T,${1000 + (i % 1000)},${i}\n`,
  },
  'sdmx-json': {
    head:
      '{"meta":{"id":"G","prepared":"2024-01-01T00:00:00Z","sender":{"id":"T"}},"data":{"structures":[{"dimensions":{"observation":[' +
      '{"id":"SERIES","keyPosition":0,"values":[{"id":"S","name":"S"}]},' +
      '{"id":"REF_AREA","keyPosition":1,"values":[{"id":"EGY","name":"Egypt"}]},' +
      `{"id":"DISTRICT","keyPosition":2,"values":[${thousand((i) => `{"id":"D${i}","name":"District ${i}"}`)}]},` +
      `{"id":"TIME_PERIOD","keyPosition":3,"values":[${thousand((i) => `{"id":"${1000 + i}","name":"${1000 + i}"}`)}]}]},` +
      '"attributes":{"observation":[]}}],"dataSets":[{"structure":0,"action":"Information","observations":{',
    row: (i) => `${i === 0 ? '' : ','}"0:0:${i % 1000}:${Math.floor(i / 1000) % 1000}":[${i}]`,
    tail: '}}]}}',
  },
  'sdmx-ml': {
    head:
      '<?xml version="1.0" encoding="UTF-8"?>\n<message:StructureSpecificData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" xmlns:ss="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific">\n' +
      '<message:Header><message:ID>G</message:ID><message:Structure structureID="X" dimensionAtObservation="AllDimensions"/></message:Header>\n' +
      '<message:DataSet ss:structureRef="X">\n',
    row: (i) =>
      `<Obs SERIES="EN_LND_SLUM" REF_AREA="818" SEX="${i % 2 ? 'F' : '_T'}" TIME_PERIOD="${1000 + (i % 1000)}" OBS_VALUE="${i}"/>\n`,
    tail: '</message:DataSet></message:StructureSpecificData>\n',
  },
  dhis2: {
    head: '{"dataSet":"pBOMPrpg1QX","period":"202401","dataValues":[',
    row: (i) =>
      `${i === 0 ? '' : ','}{"dataElement":"f7n9E0hX8qk","orgUnit":"DiszpKrYNg8","categoryOptionCombo":"HllvX50cXC0","value":"${i}"}`,
    tail: ']}',
  },
};

const OPTIONS: Record<FormatName, ReadOptions> = {
  csv: {},
  'open-sdg': { fileName: 'indicator_11-1-1.csv' },
  'sdmx-csv': {},
  'sdmx-json': {},
  'sdmx-ml': {},
  dhis2: { dhis2Mapping: { dataElements: { f7n9E0hX8qk: { indicator: '3.1.1' } } } },
};

/** The generated file, 100 rows per chunk, counting the chunks handed out. */
function generate(format: FormatName, rows: number, counter: { chunks: number }): AsyncGenerator<Uint8Array> {
  const g = GENERATORS[format];
  const encoder = new TextEncoder();
  return (async function* () {
    counter.chunks++;
    yield encoder.encode(g.head);
    for (let i = 0; i < rows; i += 100) {
      let text = '';
      for (let j = i; j < Math.min(rows, i + 100); j++) text += g.row(j);
      counter.chunks++;
      yield encoder.encode(text);
    }
    if (g.tail) {
      counter.chunks++;
      yield encoder.encode(g.tail);
    }
  })();
}

describe('readers stream', () => {
  for (const format of Object.keys(GENERATORS) as FormatName[]) {
    it(`${format}: the first row comes long before the input ends`, async () => {
      const counter = { chunks: 0 };
      const total = 100_000;
      let firstAfter = -1;
      let n = 0;
      for await (const item of readObservations(format, generate(format, total, counter), OPTIONS[format])) {
        if (item.kind === 'error') throw new Error(`${format}: ${JSON.stringify(item)}`);
        if (item.kind !== 'row') continue;
        if (firstAfter < 0) firstAfter = counter.chunks;
        n++;
      }
      expect(n).toBe(total);
      expect(firstAfter).toBeGreaterThan(0);
      expect(firstAfter).toBeLessThan(100); // of 1,000+ chunks
    });
  }

  for (const format of ['csv', 'dhis2', 'sdmx-json'] as FormatName[]) {
    it(`${format}: memory stays flat over a million rows`, async () => {
      const counter = { chunks: 0 };
      globalThis.gc?.();
      const before = process.memoryUsage().heapUsed;
      let peak = before;
      let n = 0;
      for await (const item of readObservations(format, generate(format, 1_000_000, counter), OPTIONS[format])) {
        if (item.kind === 'row' && ++n % 50_000 === 0) {
          // Live memory, not garbage the collector has not reached yet (--expose-gc in vitest.config.ts).
          globalThis.gc?.();
          peak = Math.max(peak, process.memoryUsage().heapUsed);
        }
      }
      expect(n).toBe(1_000_000);
      // A million rows held in memory would take hundreds of MB; streaming stays within a few tens.
      expect(peak - before).toBeLessThan(64 * 1024 * 1024);
    });
  }
});

describe('readers stop cleanly', () => {
  for (const format of Object.keys(GENERATORS) as FormatName[]) {
    it(`${format}: a consumer that stops early closes the input`, async () => {
      let closed = false;
      const counter = { chunks: 0 };
      async function* input() {
        try {
          yield* generate(format, 100_000, counter);
        } finally {
          closed = true;
        }
      }
      for await (const item of readObservations(format, input(), OPTIONS[format])) {
        if (item.kind === 'row') break;
      }
      expect(closed).toBe(true);
      expect(counter.chunks).toBeLessThan(100);
    });

    it(`${format}: a failing input is an exception, not a row error`, async () => {
      async function* input() {
        yield* generate(format, 500, { chunks: 0 });
        throw new Error('connection reset');
      }
      await expect(
        (async () => {
          for await (const _ of readObservations(format, input(), OPTIONS[format])) void _;
        })(),
      ).rejects.toThrow('connection reset');
    });
  }
});
