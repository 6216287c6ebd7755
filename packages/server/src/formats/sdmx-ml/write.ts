/**
 * ExportRecords → an SDMX-ML 2.1 structure-specific data message, streamed record by record.
 *
 * One data set of series (dimensionAtObservation TIME_PERIOD). A series is
 * `<Series INDICATOR SERIES REF_AREA <dims…> UNIT_MEASURE>` (a dimension a record does not have is `_T`, total);
 * records that follow one another with the same key and unit share a series element. Observations:
 * `<Obs TIME_PERIOD OBS_VALUE OBS_STATUS CONF_STATUS MARSAD_STATUS COMMENT_OBS SOURCE_DETAIL/>`, the period an SDMX
 * time period. A value suppressed by its indicator's rule (docs/methods/suppression.md) has CONF_STATUS C; for the
 * public its OBS_VALUE is NaN and COMMENT_OBS says why. The structure is the dataflow `structureId`
 * (default MARSAD:DF_MARSAD(1.0)); formats/sdmx-ml/read.ts reads the message back.
 */
import { type ExportRecord, type PeriodOptions, toSdmxTimePeriod } from '@marsad/core';
import { obsStatusOf, SDMX_DEFAULT_STRUCTURE_ID, sdmxRole } from '../common/sdmx.ts';
import { confStatusOf, sdmxComment, valueText } from '../common/suppression.ts';
import { checkDimensions } from '../csv/write.ts';

export interface SdmxMlWriteOptions {
  /** The dimension codes, in this order (the writer streams: a record with another dimension is an Error). */
  dimensions?: readonly string[];
  /** The dataflow, `AGENCY:ID(VERSION)`; default MARSAD:DF_MARSAD(1.0). */
  structureId?: string;
  /** Header: message ID (default MARSAD- and the time), prepared (default now), sender (default MARSAD). */
  messageId?: string;
  prepared?: string;
  senderId?: string;
  periodOptions?: PeriodOptions;
}

const NS_MESSAGE = 'http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message';
const NS_COMMON = 'http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common';
const NS_SS = 'http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific';
const NS_XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const RECORDS_PER_CHUNK = 500;

/** Text as an XML attribute value: escaped, and without the characters XML 1.0 cannot hold. */
export function xmlAttr(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: takes out the control characters XML 1.0 cannot hold, on purpose
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/\t/g, '&#9;')
      .replace(/\n/g, '&#10;')
      .replace(/\r/g, '&#13;')
  );
}

function attrs(pairs: [string, string | undefined][]): string {
  let s = '';
  for (const [name, value] of pairs) if (value !== undefined && value !== '') s += ` ${name}="${xmlAttr(value)}"`;
  return s;
}

/** `AGENCY:ID(VERSION)` → its parts (an id without agency or version gets MARSAD and 1.0). */
function parseStructureId(id: string): { agency: string; id: string; version: string } {
  const m = /^([^:()]+):([^:()]+)\(([^()]+)\)$/.exec(id.trim());
  if (m) return { agency: m[1]!, id: m[2]!, version: m[3]! };
  return { agency: 'MARSAD', id: id.trim() || 'DF_MARSAD', version: '1.0' };
}

export async function* writeSdmxMl(
  records: AsyncIterable<ExportRecord>,
  options: SdmxMlWriteOptions = {},
): AsyncGenerator<string> {
  const dims = [...(options.dimensions ?? [])];
  for (const d of dims) {
    if (sdmxRole(d) !== 'dim')
      throw new Error(`dimension code ${d} cannot be an SDMX dimension: SDMX gives ${d} another meaning`);
  }
  const known = new Set(dims);
  const ref = parseStructureId(options.structureId ?? SDMX_DEFAULT_STRUCTURE_ID);
  const structureRef = `${ref.agency}_${ref.id}_${ref.version}`.replace(/[^A-Za-z0-9_]/g, '_');
  const urn = `urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=${ref.agency}:${ref.id}(${ref.version})`;
  const namespace = `${urn}:ObsLevelDim:TIME_PERIOD`;
  const prepared = options.prepared ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const messageId = options.messageId ?? `MARSAD-${prepared.replace(/[^0-9]/g, '')}`;

  yield '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<message:StructureSpecificData xmlns:message="${NS_MESSAGE}" xmlns:common="${NS_COMMON}" xmlns:ss="${NS_SS}" xmlns:xsi="${NS_XSI}" xmlns:ns1="${xmlAttr(namespace)}">\n` +
    '  <message:Header>\n' +
    `    <message:ID>${xmlAttr(messageId)}</message:ID>\n` +
    '    <message:Test>false</message:Test>\n' +
    `    <message:Prepared>${xmlAttr(prepared)}</message:Prepared>\n` +
    `    <message:Sender${attrs([['id', options.senderId ?? 'MARSAD']])}/>\n` +
    `    <message:Structure${attrs([
      ['structureID', structureRef],
      ['namespace', namespace],
      ['dimensionAtObservation', 'TIME_PERIOD'],
    ])}>\n` +
    `      <common:StructureUsage><Ref${attrs([
      ['agencyID', ref.agency],
      ['id', ref.id],
      ['version', ref.version],
    ])}/></common:StructureUsage>\n` +
    '    </message:Structure>\n' +
    '  </message:Header>\n' +
    `  <message:DataSet${attrs([
      ['ss:structureRef', structureRef],
      ['xsi:type', 'ns1:DataSetType'],
      ['ss:dataScope', 'DataStructure'],
      ['ss:action', 'Information'],
    ])}>\n`;

  let open: string | undefined;
  let chunk = '';
  let n = 0;
  for await (const r of records) {
    checkDimensions(r, known, 'SDMX-ML');
    const head = attrs([
      ['INDICATOR', r.indicator],
      ['SERIES', r.series],
      ['REF_AREA', r.place],
      ...dims.map((d): [string, string] => [d, r.dims[d] ?? '_T']),
      ['UNIT_MEASURE', r.unit],
    ]);
    if (head !== open) {
      if (open !== undefined) chunk += '    </Series>\n';
      chunk += `    <Series${head}>\n`;
      open = head;
    }
    const value = valueText(r);
    chunk += `      <Obs${attrs([
      ['TIME_PERIOD', toSdmxTimePeriod(r.period, options.periodOptions)],
      ['OBS_VALUE', value === '' ? 'NaN' : value],
      ['OBS_STATUS', obsStatusOf(r.status)],
      ['CONF_STATUS', confStatusOf(r)],
      ['MARSAD_STATUS', r.status],
      ['COMMENT_OBS', sdmxComment(r)],
      ['SOURCE_DETAIL', r.source],
    ])}/>\n`;
    if (++n >= RECORDS_PER_CHUNK) {
      yield chunk;
      chunk = '';
      n = 0;
    }
  }
  if (open !== undefined) chunk += '    </Series>\n';
  yield `${chunk}  </message:DataSet>\n</message:StructureSpecificData>\n`;
}
