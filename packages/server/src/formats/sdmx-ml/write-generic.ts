/**
 * ExportRecords → an SDMX-ML 2.1 generic data message (`message:GenericData`), streamed record by record.
 *
 * The same components as the structure-specific writer (write.ts), each named by a `generic:Value id= value=`:
 * one data set of series (dimensionAtObservation TIME_PERIOD); a series is its `generic:SeriesKey` (INDICATOR,
 * SERIES, REF_AREA, the dimensions, `_T` for a dimension a record does not have) and `generic:Attributes`
 * (UNIT_MEASURE); an observation is `generic:ObsDimension` (the SDMX time period), `generic:ObsValue` (NaN for a
 * value withheld from this reader) and `generic:Attributes` (OBS_STATUS, CONF_STATUS, MARSAD_STATUS, COMMENT_OBS,
 * SOURCE_DETAIL). Records that follow one another with the same key and unit share a series. formats/sdmx-ml/read.ts
 * reads the message back.
 */
import type { ExportRecord } from '@marsad/core';
import {
  headerOf,
  type Pairs,
  parseStructureId,
  SDMX_21,
  type SdmxMlWriteOptions,
  type SeriesRenderer,
  sdmxDimensions,
  streamSeries,
  structureLocalId,
  xmlAttr,
  xmlAttrs,
} from './xml-common.ts';

const NS_MESSAGE = `${SDMX_21}/message`;
const NS_COMMON = `${SDMX_21}/common`;
const NS_GENERIC = `${SDMX_21}/data/generic`;

/** `generic:Value` elements for the pairs with a value, each on its own line at the given indent. */
function values(pairs: Pairs, indent: string): string {
  let s = '';
  for (const [id, value] of pairs) {
    if (value !== undefined && value !== '')
      s += `${indent}<generic:Value${xmlAttrs([
        ['id', id],
        ['value', value],
      ])}/>\n`;
  }
  return s;
}

/** A `generic:Attributes` element, or nothing when no attribute has a value (the element needs one Value). */
function attributes(pairs: Pairs, indent: string): string {
  const inner = values(pairs, `${indent}  `);
  return inner === '' ? '' : `${indent}<generic:Attributes>\n${inner}${indent}</generic:Attributes>\n`;
}

const GENERIC: SeriesRenderer = {
  open: (s) =>
    '    <generic:Series>\n' +
    `      <generic:SeriesKey>\n${values(s.key, '        ')}      </generic:SeriesKey>\n` +
    attributes(s.attributes, '      '),
  close: '    </generic:Series>\n',
  obs: (o) =>
    '      <generic:Obs>\n' +
    `        <generic:ObsDimension${xmlAttrs([['value', o.time]])}/>\n` +
    `        <generic:ObsValue${xmlAttrs([['value', o.value]])}/>\n` +
    attributes(o.attributes, '        ') +
    '      </generic:Obs>\n',
};

export async function* writeSdmxMlGeneric(
  records: AsyncIterable<ExportRecord>,
  options: SdmxMlWriteOptions = {},
): AsyncGenerator<string> {
  const dims = sdmxDimensions(options.dimensions);
  const ref = parseStructureId(options.structureId);
  const structureRef = structureLocalId(ref);
  const { messageId, prepared, senderId } = headerOf(options);

  yield '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<message:GenericData xmlns:message="${NS_MESSAGE}" xmlns:common="${NS_COMMON}" xmlns:generic="${NS_GENERIC}">\n` +
    '  <message:Header>\n' +
    `    <message:ID>${xmlAttr(messageId)}</message:ID>\n` +
    '    <message:Test>false</message:Test>\n' +
    `    <message:Prepared>${xmlAttr(prepared)}</message:Prepared>\n` +
    `    <message:Sender${xmlAttrs([['id', senderId]])}/>\n` +
    `    <message:Structure${xmlAttrs([
      ['structureID', structureRef],
      ['dimensionAtObservation', 'TIME_PERIOD'],
    ])}>\n` +
    `      <common:StructureUsage><Ref${xmlAttrs([
      ['agencyID', ref.agency],
      ['id', ref.id],
      ['version', ref.version],
    ])}/></common:StructureUsage>\n` +
    '    </message:Structure>\n' +
    '  </message:Header>\n' +
    `  <message:DataSet${xmlAttrs([
      ['structureRef', structureRef],
      ['action', 'Information'],
    ])}>\n`;

  yield* streamSeries(records, dims, options.periodOptions, GENERIC, '  </message:DataSet>\n</message:GenericData>\n');
}
