/**
 * Writers of the export for the UN (un-export.ts): a place's values in the terms of an SDMX data structure (UnRecords,
 * un-form.ts), streamed, each key's observations in one series.
 *
 * SDMX-ML 2.1 structure-specific data: the header names the data structure itself (`common:Structure`, since the SDG
 * structure message holds no dataflow), namespace `urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure=
 * AGENCY:ID(VERSION):ObsLevelDim:TIME_PERIOD`; one data set; a `Series` element per key with every dimension of the
 * structure but time, in its order, and the attributes attached to the series (UNIT_MEASURE, COMMENT_TS…); its `Obs`
 * elements with the time period, OBS_VALUE and the attributes attached to the observation (OBS_STATUS, UNIT_MULT,
 * NATURE, COMMENT_OBS, SOURCE_DETAIL…), in the structure's order.
 *
 * SDMX-CSV 2.0: `STRUCTURE,STRUCTURE_ID,ACTION,<dimensions…>,TIME_PERIOD,OBS_VALUE,<attributes…>` with
 * `datastructure`, `AGENCY:ID(VERSION)`, `I`; a column for every attribute of the structure (empty when not given).
 */
import { writeCsv } from '../formats/common/csv-out.ts';
import { formatNumber } from '../formats/common/values.ts';
import { xmlAttr } from '../formats/sdmx-ml/write.ts';
import type { UnDataStructure, UnRecord } from './un-form.ts';

/** The structure a message is written under: its reference and its components in order. */
export type UnMessageStructure = Pick<UnDataStructure, 'agency' | 'id' | 'version' | 'components'>;

export interface UnMessageOptions {
  /** Header: message ID (default MARSAD-UN- and the time), prepared (default now), sender (default MARSAD). */
  messageId?: string;
  prepared?: string;
  senderId?: string;
}

const NS_MESSAGE = 'http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message';
const NS_COMMON = 'http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common';
const NS_SS = 'http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific';
const NS_XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const RECORDS_PER_CHUNK = 500;
/** A name an XML attribute can have without a namespace (SDMX ids may also hold `@` and `$`, which XML refuses). */
const XML_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** The components of a structure as the writers use them. */
export function messageLayout(s: UnMessageStructure) {
  const dimensions = s.components.filter((c) => c.kind === 'dimension').map((c) => c.id);
  const time = s.components.find((c) => c.kind === 'time')?.id ?? 'TIME_PERIOD';
  const measure = s.components.find((c) => c.kind === 'measure')?.id ?? 'OBS_VALUE';
  const attributes = s.components.filter((c) => c.kind === 'attribute');
  return {
    dimensions,
    time,
    measure,
    attributes: attributes.map((c) => c.id),
    seriesAttributes: attributes.filter((c) => c.attachment !== 'observation').map((c) => c.id),
    observationAttributes: attributes.filter((c) => c.attachment === 'observation').map((c) => c.id),
  };
}

/** The components whose ids cannot be XML attribute names (a structure-specific message cannot hold them). */
export function notXmlNames(s: UnMessageStructure): string[] {
  return s.components.filter((c) => !XML_NAME.test(c.id)).map((c) => c.id);
}

function attrs(pairs: Iterable<readonly [string, string | undefined]>): string {
  let out = '';
  for (const [name, value] of pairs) if (value !== undefined && value !== '') out += ` ${name}="${xmlAttr(value)}"`;
  return out;
}

/** The records as an SDMX-ML 2.1 structure-specific data message. */
export async function* writeUnSdmxMl(
  s: UnMessageStructure,
  records: AsyncIterable<UnRecord>,
  options: UnMessageOptions = {},
): AsyncGenerator<string> {
  const bad = notXmlNames(s);
  if (bad.length) throw new Error(`the components ${bad.join(', ')} cannot be written as XML attributes`);
  const layout = messageLayout(s);
  const ref = `${s.agency}:${s.id}(${s.version})`;
  const structureId = `${s.agency}_${s.id}_${s.version}`.replace(/[^A-Za-z0-9_]/g, '_');
  const namespace = `urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure=${ref}:ObsLevelDim:${layout.time}`;
  const prepared = options.prepared ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const messageId = options.messageId ?? `MARSAD-UN-${prepared.replace(/[^0-9]/g, '')}`;

  yield '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<message:StructureSpecificData xmlns:message="${NS_MESSAGE}" xmlns:common="${NS_COMMON}" xmlns:ss="${NS_SS}" xmlns:xsi="${NS_XSI}" xmlns:ns1="${xmlAttr(namespace)}">\n` +
    '  <message:Header>\n' +
    `    <message:ID>${xmlAttr(messageId)}</message:ID>\n` +
    '    <message:Test>false</message:Test>\n' +
    `    <message:Prepared>${xmlAttr(prepared)}</message:Prepared>\n` +
    `    <message:Sender${attrs([['id', options.senderId ?? 'MARSAD']])}/>\n` +
    `    <message:Structure${attrs([
      ['structureID', structureId],
      ['namespace', namespace],
      ['dimensionAtObservation', layout.time],
    ])}>\n` +
    `      <common:Structure><Ref${attrs([
      ['agencyID', s.agency],
      ['id', s.id],
      ['version', s.version],
    ])}/></common:Structure>\n` +
    '    </message:Structure>\n' +
    '  </message:Header>\n' +
    `  <message:DataSet${attrs([
      ['ss:structureRef', structureId],
      ['xsi:type', 'ns1:DataSetType'],
      ['ss:dataScope', 'DataStructure'],
      ['ss:action', 'Information'],
    ])}>\n`;

  let open: string | undefined;
  let chunk = '';
  let n = 0;
  for await (const r of records) {
    const head = attrs([
      ...layout.dimensions.map((d) => [d, r.key[d]] as const),
      ...layout.seriesAttributes.map((a) => [a, r.attributes[a]] as const),
    ]);
    if (head !== open) {
      if (open !== undefined) chunk += '    </Series>\n';
      chunk += `    <Series${head}>\n`;
      open = head;
    }
    chunk += `      <Obs${attrs([
      [layout.time, r.timePeriod],
      [layout.measure, formatNumber(r.value)],
      ...layout.observationAttributes.map((a) => [a, r.attributes[a]] as const),
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

/** A code that is an integer (UNIT_MULT -3) is written as a number: as text, a CSV cell starting with "-" is quoted. */
const INTEGER = /^-?\d{1,15}$/;

/** An attribute's value as an SDMX-CSV cell: an integer as a number (UNIT_MULT -3, not the text "'-3"), else text. */
export function attributeCell(v: string | undefined): string | number {
  return v !== undefined && INTEGER.test(v) && String(Number(v)) === v ? Number(v) : (v ?? '');
}

/** The records as SDMX-CSV 2.0. */
export async function* writeUnSdmxCsv(
  s: UnMessageStructure,
  records: AsyncIterable<UnRecord>,
  options: { bom?: boolean } = {},
): AsyncGenerator<string> {
  const layout = messageLayout(s);
  const ref = `${s.agency}:${s.id}(${s.version})`;
  yield* writeCsv(
    ['STRUCTURE', 'STRUCTURE_ID', 'ACTION', ...layout.dimensions, layout.time, layout.measure, ...layout.attributes],
    records,
    (r) => [
      'datastructure',
      ref,
      'I',
      ...layout.dimensions.map((d) => r.key[d] ?? ''),
      r.timePeriod,
      r.value,
      ...layout.attributes.map((a) => attributeCell(r.attributes[a])),
    ],
    options.bom,
  );
}
