/**
 * ExportRecords → an SDMX-ML 2.1 structure-specific data message, streamed record by record.
 *
 * One data set of series (dimensionAtObservation TIME_PERIOD). A series is
 * `<Series INDICATOR SERIES REF_AREA <dims…> UNIT_MEASURE>` (a dimension a record does not have is `_T`, total);
 * records that follow one another with the same key and unit share a series element. Observations:
 * `<Obs TIME_PERIOD OBS_VALUE OBS_STATUS CONF_STATUS MARSAD_STATUS COMMENT_OBS SOURCE_DETAIL/>`, the period an SDMX
 * time period. A value suppressed by its indicator's rule (docs/methods/suppression.md) has CONF_STATUS C; for the
 * public its OBS_VALUE is NaN and COMMENT_OBS says why. The structure is the dataflow `structureId`
 * (default MARSAD:DF_MARSAD(1.0)); formats/sdmx-ml/read.ts reads the message back. The same components in
 * SDMX-ML 2.1 generic: write-generic.ts; in SDMX-ML 3.0: write-30.ts (what they share: xml-common.ts).
 */
import type { ExportRecord } from '@marsad/core';
import {
  headerOf,
  NS_XSI,
  obsLevelNamespace,
  parseStructureId,
  SDMX_21,
  type SdmxMlWriteOptions,
  STRUCTURE_SPECIFIC,
  sdmxDimensions,
  streamSeries,
  structureLocalId,
  xmlAttr,
  xmlAttrs,
} from './xml-common.ts';

export type { SdmxMlWriteOptions } from './xml-common.ts';
export { xmlAttr } from './xml-common.ts';

const NS_MESSAGE = `${SDMX_21}/message`;
const NS_COMMON = `${SDMX_21}/common`;
const NS_SS = `${SDMX_21}/data/structurespecific`;

export async function* writeSdmxMl(
  records: AsyncIterable<ExportRecord>,
  options: SdmxMlWriteOptions = {},
): AsyncGenerator<string> {
  const dims = sdmxDimensions(options.dimensions);
  const ref = parseStructureId(options.structureId);
  const structureRef = structureLocalId(ref);
  const namespace = obsLevelNamespace(ref);
  const { messageId, prepared, senderId } = headerOf(options);

  yield '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<message:StructureSpecificData xmlns:message="${NS_MESSAGE}" xmlns:common="${NS_COMMON}" xmlns:ss="${NS_SS}" xmlns:xsi="${NS_XSI}" xmlns:ns1="${xmlAttr(namespace)}">\n` +
    '  <message:Header>\n' +
    `    <message:ID>${xmlAttr(messageId)}</message:ID>\n` +
    '    <message:Test>false</message:Test>\n' +
    `    <message:Prepared>${xmlAttr(prepared)}</message:Prepared>\n` +
    `    <message:Sender${xmlAttrs([['id', senderId]])}/>\n` +
    `    <message:Structure${xmlAttrs([
      ['structureID', structureRef],
      ['namespace', namespace],
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
      ['ss:structureRef', structureRef],
      ['xsi:type', 'ns1:DataSetType'],
      ['ss:dataScope', 'DataStructure'],
      ['ss:action', 'Information'],
    ])}>\n`;

  yield* streamSeries(
    records,
    dims,
    options.periodOptions,
    STRUCTURE_SPECIFIC,
    '  </message:DataSet>\n</message:StructureSpecificData>\n',
  );
}
