/**
 * The SDMX-ML writers beside the 2.1 structure-specific one (sdmx-ml.test.ts): SDMX-ML 2.1 generic
 * (write-generic.ts) and SDMX-ML 3.0 structure-specific (write-30.ts). Both read back through readSdmxMl unchanged;
 * the 3.0 messages are checked with xmllint against the SDMX-ML 3.0 schemas and the dataflow's schema
 * (dataflow-xsd-30.ts), the method proved first on the standard's own sample, ECB_EXR.xml with
 * ECB_EXR_Dataflow.xsd (fixtures/sdmx-ml-30-schemas, README there). There are no SDMX-ML 2.1 schemas here: the
 * generic messages are checked by reading them back. Without xmllint (Debian: libxml2-utils) the schema checks are
 * skipped with a message, unless MARSAD_REQUIRE_BROWSER=1 (CI), where that is a failure (sdmx-ml-30-lint.ts).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ExportRecord } from '@marsad/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dataflowXsd30,
  type FormatName,
  marsadDataflowStructure,
  SDMX_ML_CONTENT_TYPES,
  type WriteOptions,
  writeContentType,
  writeObservations,
} from '../../src/formats/index.ts';
import { writeSdmxMl30 } from '../../src/formats/sdmx-ml/write-30.ts';
import { writeSdmxMlGeneric } from '../../src/formats/sdmx-ml/write-generic.ts';
import { actual, collect, DIMENSIONS, errors, expected, MORE_PERIODS, RECORDS, read, rows, skips } from './helpers.ts';
import {
  dataflowSchema,
  requireXmllint,
  SDMX_30_FIXTURES,
  wrapperXsd,
  xmllint,
  xmllintRequiredOrPresent,
} from './sdmx-ml-30-lint.ts';

const ECB = path.join(SDMX_30_FIXTURES, 'samples/ECB_EXR');
const V30 = 'http://www.sdmx.org/resources/sdmxml/schemas/v3_0';
const MARSAD_NS = 'urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=MARSAD:DF_MARSAD(1.0):ObsLevelDim:TIME_PERIOD';

const FIELDS = ['indicator', 'series', 'place', 'unit', 'status', 'source', 'note'] as const;
const OPTIONS = { dimensions: DIMENSIONS, messageId: 'M1', prepared: '2024-06-01T00:00:00Z' };

type Flavour = 'generic21' | 'ss30';
const WRITERS: Record<Flavour, typeof writeSdmxMl30> = { generic21: writeSdmxMlGeneric, ss30: writeSdmxMl30 };

async function* each<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const i of items) yield i;
}

async function written(flavour: Flavour, records: readonly ExportRecord[], options: WriteOptions = OPTIONS) {
  return (await collect(WRITERS[flavour](each(records), options))).join('');
}

/** Awkward text: XML's own characters, a tab, CR LF, a control character XML cannot hold, Arabic. */
const SPECIAL: ExportRecord = {
  indicator: '11.1.1',
  series: 'EN_LND_SLUM',
  place: 'EGY-CAI',
  period: '2023',
  value: 4.5,
  unit: 'A&B <per> "100"',
  status: 'approved',
  source: "<script>alert('x')</script> &amp; ]]>",
  note: 'tab\there\r\nnext line \u0001gone; ملاحظة "مهمة" & <أخرى>',
  dims: { SEX: 'F' },
};
const SPECIAL_READ = { ...SPECIAL, note: 'tab\there\r\nnext line gone; ملاحظة "مهمة" & <أخرى>' };

/** Suppressed values (docs/methods/suppression.md): withheld from this reader, and shown to a privileged one. */
const base = {
  indicator: '16.1.1',
  series: 'VC_IHR_PSRCN',
  place: 'EGY-CAI',
  unit: 'NUMBER',
  status: 'approved' as const,
};
const WITHHELD: ExportRecord = { ...base, period: '2023', value: null, suppressedBelow: 10, dims: { SEX: 'F' } };
const REVEALED: ExportRecord = {
  ...base,
  period: '2022',
  value: 7,
  suppressedBelow: 10,
  note: 'police records',
  dims: { SEX: 'F' },
};

describe.each(['generic21', 'ss30'] as const)('SDMX-ML writer %s', (flavour) => {
  it('writes series that read back unchanged: breakdowns, every period kind, Arabic notes, statuses, sources', async () => {
    const records = [...RECORDS, ...MORE_PERIODS];
    const text = await written(flavour, records);
    const items = await read('sdmx-ml', text);
    expect(errors(items)).toEqual([]);
    expect(rows(items).map((r) => actual(r.record, FIELDS))).toEqual(records.map((r) => expected(r, FIELDS)));
    expect(items.filter((i) => i.kind === 'notice')).toEqual([
      { kind: 'notice', message: 'dimensions read as breakdowns: AGE, SEX' },
    ]);
    // Records that follow one another with the same key and unit share a series (RECORDS[5] and MORE_PERIODS[0]).
    expect(text.match(/<(generic:)?Series[\s>]/g)).toHaveLength(records.length - 1);
  });

  it("escapes XML's characters and drops those XML cannot hold", async () => {
    const text = await written(flavour, [SPECIAL]);
    expect(text).toContain("&lt;script&gt;alert('x')&lt;/script&gt; &amp;amp; ]]&gt;");
    expect(text).toContain('tab&#9;here&#13;&#10;next line gone');
    expect(text).not.toContain('\u0001');
    const items = await read('sdmx-ml', text);
    expect(errors(items)).toEqual([]);
    expect(rows(items).map((r) => actual(r.record, FIELDS))).toEqual([expected(SPECIAL_READ, FIELDS)]);
  });

  it('a withheld value is NaN with CONF_STATUS C and the reason, skipped on reading; a revealed one keeps its value', async () => {
    const text = await written(flavour, [WITHHELD, REVEALED], { dimensions: ['SEX'] });
    expect(text).toMatch(flavour === 'generic21' ? /<generic:ObsValue value="NaN"\/>/ : / OBS_VALUE="NaN" /);
    expect(text.match(/CONF_STATUS/g)).toHaveLength(2);
    expect(text).toContain('Suppressed to protect privacy: fewer than 10');
    const items = await read('sdmx-ml', text);
    expect(errors(items)).toEqual([]);
    expect(skips(items).map((s) => s.reason)).toEqual(['no value (OBS_VALUE NaN)']);
    expect(rows(items).map((r) => [r.record.period, r.record.value, r.record.note, r.record.dims])).toEqual([
      ['2022', 7, 'police records', { SEX: 'F' }],
    ]);
  });

  it('refuses a dimension it was not told of, and one SDMX gives another meaning', async () => {
    await expect(written(flavour, RECORDS, { dimensions: ['SEX'] })).rejects.toThrow(/AGE/);
    await expect(written(flavour, RECORDS, { dimensions: ['SEX', 'AGE', 'UNIT_MEASURE'] })).rejects.toThrow(
      /UNIT_MEASURE cannot be an SDMX dimension/,
    );
  });
});

describe('SDMX-ML flavours', () => {
  it('2.1 generic: the message, its header and a series in the form of the 2.1 generic schema', async () => {
    const text = await written('generic21', [RECORDS[0]!], { ...OPTIONS, structureId: 'UNH:DF_CITY(2.0)' });
    expect(text).toContain(
      '<message:GenericData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common" xmlns:generic="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic">',
    );
    expect(text).toContain(
      [
        '    <message:Structure structureID="UNH_DF_CITY_2_0" dimensionAtObservation="TIME_PERIOD">',
        '      <common:StructureUsage><Ref agencyID="UNH" id="DF_CITY" version="2.0"/></common:StructureUsage>',
        '    </message:Structure>',
        '  </message:Header>',
        '  <message:DataSet structureRef="UNH_DF_CITY_2_0" action="Information">',
        '    <generic:Series>',
        '      <generic:SeriesKey>',
        '        <generic:Value id="INDICATOR" value="11.1.1"/>',
        '        <generic:Value id="SERIES" value="EN_LND_SLUM"/>',
        '        <generic:Value id="REF_AREA" value="EGY-CAI"/>',
        '        <generic:Value id="SEX" value="F"/>',
        '        <generic:Value id="AGE" value="Y15T24"/>',
        '      </generic:SeriesKey>',
        '      <generic:Attributes>',
        '        <generic:Value id="UNIT_MEASURE" value="PERCENT"/>',
        '      </generic:Attributes>',
        '      <generic:Obs>',
        '        <generic:ObsDimension value="2024"/>',
        '        <generic:ObsValue value="12.5"/>',
        '        <generic:Attributes>',
        '          <generic:Value id="OBS_STATUS" value="A"/>',
        '          <generic:Value id="MARSAD_STATUS" value="approved"/>',
        '          <generic:Value id="COMMENT_OBS" value="Estimate, &quot;provisional&quot; method;&#10;see annex"/>',
        '          <generic:Value id="SOURCE_DETAIL" value="CAPMAS, Census 2024"/>',
        '        </generic:Attributes>',
        '      </generic:Obs>',
        '    </generic:Series>',
        '  </message:DataSet>',
        '</message:GenericData>',
        '',
      ].join('\n'),
    );
    // A series without attributes has no Attributes element (the schema wants at least one Value in it).
    const bare = await written('generic21', [RECORDS[2]!]);
    expect(bare).toMatch(/<\/generic:SeriesKey>\n {6}<generic:Obs>/);
  });

  it('3.0: the header in the form of ECB_EXR.xml, the structure given by its URN', async () => {
    const text = await written('ss30', [RECORDS[0]!]);
    expect(text).toContain(
      [
        '    <message:Structure structureID="MARSAD_DF_MARSAD_1_0" namespace="urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=MARSAD:DF_MARSAD(1.0):ObsLevelDim:TIME_PERIOD" dimensionAtObservation="TIME_PERIOD">',
        '      <common:StructureUsage>urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=MARSAD:DF_MARSAD(1.0)</common:StructureUsage>',
        '    </message:Structure>',
        '    <message:DataSetAction>Information</message:DataSetAction>',
        '  </message:Header>',
        '  <message:DataSet xsi:type="ns1:DataSetType" ss:structureRef="MARSAD_DF_MARSAD_1_0">',
        '    <Series INDICATOR="11.1.1" SERIES="EN_LND_SLUM" REF_AREA="EGY-CAI" SEX="F" AGE="Y15T24" UNIT_MEASURE="PERCENT">',
      ].join('\n'),
    );
    expect(text).toContain(`xmlns:message="${V30}/message"`);
    expect(text).toContain(`xmlns:ss="${V30}/data/structurespecific"`);
    expect(text).toContain(`xmlns:ns1="${MARSAD_NS}"`);
  });

  it('the three flavours hold the same observations; writeObservations chooses by sdmxMl; the content types follow', async () => {
    const records = [...RECORDS, ...MORE_PERIODS, SPECIAL, WITHHELD, REVEALED];
    const dimensions = ['SEX', 'AGE'];
    const shapes = [];
    for (const sdmxMl of ['ss21', 'generic21', 'ss30', undefined] as const) {
      const text = (await collect(writeObservations('sdmx-ml', each(records), { dimensions, sdmxMl }))).join('');
      expect(text).toMatch(
        sdmxMl === 'generic21'
          ? /<message:GenericData xmlns:message="http:\/\/www\.sdmx\.org\/resources\/sdmxml\/schemas\/v2_1\/message"/
          : new RegExp(`<message:StructureSpecificData [^>]*/schemas/${sdmxMl === 'ss30' ? 'v3_0' : 'v2_1'}/message"`),
      );
      const items = await read('sdmx-ml', text);
      expect(errors(items)).toEqual([]);
      // The same items but for where they are (the line numbers differ).
      shapes.push(items.map((i) => ('at' in i ? { ...i, at: 0 } : i)));
    }
    expect(shapes[1]).toEqual(shapes[0]);
    expect(shapes[2]).toEqual(shapes[0]);
    expect(shapes[3]).toEqual(shapes[0]);
    expect(writeContentType('sdmx-ml')).toBe(
      'application/vnd.sdmx.structurespecificdata+xml; version=2.1; charset=utf-8',
    );
    expect(writeContentType('sdmx-ml', { sdmxMl: 'generic21' })).toBe(
      'application/vnd.sdmx.genericdata+xml; version=2.1; charset=utf-8',
    );
    expect(writeContentType('sdmx-ml', { sdmxMl: 'ss30' })).toBe(SDMX_ML_CONTENT_TYPES.ss30);
    expect(SDMX_ML_CONTENT_TYPES.ss30).toBe(
      'application/vnd.sdmx.structurespecificdata+xml; version=3.0.0; charset=utf-8',
    );
    expect(writeContentType('csv' as FormatName, { sdmxMl: 'ss30' })).toBe('text/csv; charset=utf-8');
  });

  it('the dataflow schema: dimensions in order and required, attributes where they are attached', () => {
    const xsd = dataflowXsd30(marsadDataflowStructure({ dimensions: ['SEX', 'AGE'] }), {
      sdmxSchemaLocation: '../../schemas',
    });
    expect(xsd).toContain(`targetNamespace="${MARSAD_NS}"`);
    expect(xsd).toContain('schemaLocation="../../schemas/SDMXDataStructureSpecific.xsd"');
    const series = xsd.slice(xsd.indexOf('<xs:complexType name="SeriesType">'), xsd.indexOf('name="ObsType"'));
    expect(
      [...series.matchAll(/<xs:attribute name="(\w+)" type="[\w:]+" use="(\w+)"/g)].map((m) => `${m[1]} ${m[2]}`),
    ).toEqual([
      'INDICATOR required',
      'SERIES required',
      'REF_AREA required',
      'SEX required',
      'AGE required',
      'UNIT_MEASURE optional',
      'TIME_PERIOD prohibited',
      'REPORTING_YEAR_START_DAY prohibited',
    ]);
    const obs = xsd.slice(xsd.indexOf('<xs:complexType name="ObsType">'));
    expect(
      [...obs.matchAll(/<xs:attribute name="(\w+)" type="[\w:]+" use="(\w+)"/g)].map((m) => `${m[1]} ${m[2]}`),
    ).toEqual([
      'type prohibited',
      'TIME_PERIOD required',
      'OBS_VALUE optional',
      'OBS_STATUS required',
      'CONF_STATUS optional',
      'MARSAD_STATUS required',
      'COMMENT_OBS optional',
      'SOURCE_DETAIL optional',
      'REPORTING_YEAR_START_DAY prohibited',
    ]);
    expect(() => dataflowXsd30(marsadDataflowStructure({ dimensions: ['SEX', 'SEX'] }))).toThrow(/SEX is given twice/);
    expect(() =>
      dataflowXsd30({ agency: 'A', id: 'B', version: '1.0', dimensions: ['SeriesType'], attributes: [] }),
    ).toThrow(/SeriesType cannot be a component/);
  });
});

describe.skipIf(!xmllintRequiredOrPresent)(
  'SDMX-ML 3.0 messages validate against the SDMX-ML 3.0 schemas (xmllint)',
  () => {
    let dir: string;
    beforeAll(async () => {
      requireXmllint();
      dir = await mkdtemp(path.join(os.tmpdir(), 'marsad-sdmx30-'));
    });
    afterAll(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    async function expectValid(schema: string, name: string, text: string) {
      const r = await xmllint(schema, dir, name, text);
      expect(r.valid, r.stderr).toBe(true);
    }

    async function expectInvalid(schema: string, name: string, text: string, why: RegExp) {
      const r = await xmllint(schema, dir, name, text);
      expect(r.status, r.stderr).not.toBe(0);
      expect(r.stderr).toMatch(why);
      expect(r.stderr).toContain(`${r.file} fails to validate`);
    }

    it("the method, on the standard's own sample: ECB_EXR.xml validates against the SDMX schemas and ECB_EXR_Dataflow.xsd, a broken copy does not", async () => {
      const schema = await wrapperXsd(
        dir,
        'ecb',
        'urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=ECB:EXR(1.0):ObsLevelDim:TIME_PERIOD',
        path.join(ECB, 'ECB_EXR_Dataflow.xsd'),
      );
      const sample = await readFile(path.join(ECB, 'ECB_EXR.xml'), 'utf8');
      await expectValid(schema, 'ECB_EXR.xml', sample);
      await expectInvalid(
        schema,
        'ECB_EXR-no-currency.xml',
        sample.replace(' CURRENCY="CAD"', ''),
        /The attribute 'CURRENCY' is required but missing/,
      );
      await expectInvalid(
        schema,
        'ECB_EXR-bad-code.xml',
        sample.replace('EXR_SUFFIX="A"', 'EXR_SUFFIX="Q"'),
        /EXR_SUFFIX.*not an element of the set/,
      );
    });

    it("Marsad's 3.0 output validates against the SDMX schemas and the dataflow schema written for it; broken messages do not", async () => {
      const schema = await dataflowSchema(
        dir,
        'MARSAD_DF_MARSAD_1.0',
        marsadDataflowStructure({ dimensions: ['SEX', 'AGE'] }),
      );
      const records = [...RECORDS, ...MORE_PERIODS, SPECIAL, WITHHELD, REVEALED];
      const text = await written('ss30', records, { dimensions: ['SEX', 'AGE'] });
      await expectValid(schema, 'marsad.xml', text);

      await expectInvalid(
        schema,
        'no-indicator.xml',
        text.replace(' INDICATOR="11.1.1"', ''),
        /The attribute 'INDICATOR' is required but missing/,
      );
      await expectInvalid(
        schema,
        'no-status.xml',
        text.replace(' MARSAD_STATUS="approved"', ''),
        /The attribute 'MARSAD_STATUS' is required but missing/,
      );
      await expectInvalid(
        schema,
        'wrong-element.xml',
        text.replace('<Obs TIME_PERIOD="2024" ', '<Observation TIME_PERIOD="2024" '),
        /Element 'Observation': This element is not expected/,
      );
      await expectInvalid(
        schema,
        'wrong-status.xml',
        text.replace('MARSAD_STATUS="approved"', 'MARSAD_STATUS="final"'),
        /MARSAD_STATUS.*not an element of the set/,
      );
      await expectInvalid(
        schema,
        'not-a-number.xml',
        text.replace('OBS_VALUE="12.5"', 'OBS_VALUE="12,5"'),
        /OBS_VALUE.*is not a valid value/,
      );
      await expectInvalid(
        schema,
        'bad-period.xml',
        text.replace('TIME_PERIOD="2024-01"', 'TIME_PERIOD="2024-13"'),
        /TIME_PERIOD/,
      );
      // A dimension the structure does not have (the message written with one more than the schema).
      const more = await written('ss30', [{ ...RECORDS[0]!, dims: { ...RECORDS[0]!.dims, URBANISATION: 'U' } }], {
        dimensions: ['SEX', 'AGE', 'URBANISATION'],
      });
      await expectInvalid(schema, 'extra-dimension.xml', more, /The attribute 'URBANISATION' is not allowed/);
    });

    it('another dataflow, without breakdowns: its own namespace and schema', async () => {
      const structureId = 'UNH:DF_CITY(2.0)';
      const schema = await dataflowSchema(dir, 'UNH_DF_CITY_2.0', marsadDataflowStructure({ structureId }));
      const records = RECORDS.map((r) => ({ ...r, dims: {} }));
      await expectValid(schema, 'unh.xml', await written('ss30', records, { structureId, dimensions: [] }));
      // Marsad's structure is not this one.
      await expectInvalid(
        schema,
        'unh-as-marsad.xml',
        await written('ss30', records, { dimensions: [] }),
        /DataSetType/,
      );
    });
  },
);

describe('the writers stream', () => {
  /** Records made as they are asked for, counting them. */
  function generate(total: number, counter: { pulled: number; closed: boolean }): AsyncGenerator<ExportRecord> {
    return (async function* () {
      try {
        for (let i = 0; i < total; i++) {
          counter.pulled++;
          const r: ExportRecord = {
            indicator: '11.1.1',
            series: 'EN_LND_SLUM',
            place: `EGY-${Math.floor(i / 10) % 1000}`,
            period: String(1000 + (i % 1000)),
            value: i + 0.5,
            unit: 'PERCENT',
            status: i % 3 ? 'approved' : 'provisional',
            dims: i % 2 ? { SEX: 'F' } : {},
          };
          if (i % 7 === 0) r.note = 'ملاحظة & <note>';
          yield r;
        }
      } finally {
        counter.closed = true;
      }
    })();
  }

  for (const flavour of ['ss21', 'generic21', 'ss30'] as const) {
    it(`${flavour}: text comes out as records go in, memory stays flat, a consumer that stops closes the input`, async () => {
      const total = 40_000;
      const counter = { pulled: 0, closed: false };
      globalThis.gc?.();
      const before = process.memoryUsage().heapUsed;
      let peak = before;
      let bytes = 0;
      let chunks = 0;
      let pulledAtSecondChunk = -1;
      for await (const chunk of writeObservations('sdmx-ml', generate(total, counter), {
        dimensions: ['SEX'],
        sdmxMl: flavour,
      })) {
        bytes += chunk.length;
        if (++chunks === 2) pulledAtSecondChunk = counter.pulled;
        if (chunks % 10 === 0) {
          // Live memory, not garbage the collector has not reached yet (--expose-gc in vitest.config.ts).
          globalThis.gc?.();
          peak = Math.max(peak, process.memoryUsage().heapUsed);
        }
      }
      expect(counter.pulled).toBe(total);
      expect(pulledAtSecondChunk).toBeGreaterThan(0);
      expect(pulledAtSecondChunk).toBeLessThan(1000);
      // Holding the text would take at least its length in bytes (8.6 MB structure-specific, 30 MB generic); the
      // writers hold one chunk of 500 observations (~1 MB measured over 150,000 records, whatever the flavour).
      expect(bytes).toBeGreaterThan(8_000_000);
      expect(peak - before).toBeLessThan(4 * 1024 * 1024);

      const early = { pulled: 0, closed: false };
      let n = 0;
      for await (const _ of writeObservations('sdmx-ml', generate(total, early), {
        dimensions: ['SEX'],
        sdmxMl: flavour,
      }))
        if (++n === 3) break;
      expect(early.closed).toBe(true);
      expect(early.pulled).toBeLessThan(2000);
    });
  }
});
