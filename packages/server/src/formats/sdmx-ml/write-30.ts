/**
 * ExportRecords → an SDMX-ML 3.0 structure-specific data message, streamed record by record.
 *
 * The series and observations are those of the 2.1 structure-specific writer (write.ts; xml-common.ts): every
 * component an XML attribute of `Series` or `Obs`. What 3.0 changes is around them, written in the form of the SDMX
 * technical working group's sample ECB_EXR.xml: the v3_0 namespaces, the structure in the header given by its URN
 * (`<common:StructureUsage>urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=MARSAD:DF_MARSAD(1.0)</…>`), the
 * action in the header (`message:DataSetAction`), and a data set typed `ns1:DataSetType` of the dataflow's
 * structure-specific namespace (…`:ObsLevelDim:TIME_PERIOD`), whose schema dataflow-xsd-30.ts writes. 3.0 has no
 * `dataScope`. formats/sdmx-ml/read.ts reads the message back.
 */
import type { ExportRecord } from '@marsad/core';
import {
  dataflowUrn,
  headerOf,
  NS_XSI,
  obsLevelNamespace,
  parseStructureId,
  SDMX_30,
  type SdmxMlWriteOptions,
  STRUCTURE_SPECIFIC,
  sdmxDimensions,
  streamSeries,
  structureLocalId,
  TIME_DIMENSION,
  xmlAttr,
  xmlAttrs,
} from './xml-common.ts';

const NS_MESSAGE = `${SDMX_30}/message`;
const NS_COMMON = `${SDMX_30}/common`;
const NS_SS = `${SDMX_30}/data/structurespecific`;

export async function* writeSdmxMl30(
  records: AsyncIterable<ExportRecord>,
  options: SdmxMlWriteOptions = {},
): AsyncGenerator<string> {
  const dims = sdmxDimensions(options.dimensions);
  const ref = parseStructureId(options.structureId);
  const structureRef = structureLocalId(ref);
  const namespace = obsLevelNamespace(ref);
  const { messageId, prepared, senderId } = headerOf(options);

  yield '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<message:StructureSpecificData xmlns:ss="${NS_SS}" xmlns:ns1="${xmlAttr(namespace)}" xmlns:message="${NS_MESSAGE}" xmlns:common="${NS_COMMON}" xmlns:xsi="${NS_XSI}">\n` +
    '  <message:Header>\n' +
    `    <message:ID>${xmlAttr(messageId)}</message:ID>\n` +
    '    <message:Test>false</message:Test>\n' +
    `    <message:Prepared>${xmlAttr(prepared)}</message:Prepared>\n` +
    `    <message:Sender${xmlAttrs([['id', senderId]])}/>\n` +
    `    <message:Structure${xmlAttrs([
      ['structureID', structureRef],
      ['namespace', namespace],
      ['dimensionAtObservation', TIME_DIMENSION],
    ])}>\n` +
    `      <common:StructureUsage>${xmlAttr(dataflowUrn(ref))}</common:StructureUsage>\n` +
    '    </message:Structure>\n' +
    '    <message:DataSetAction>Information</message:DataSetAction>\n' +
    '  </message:Header>\n' +
    `  <message:DataSet${xmlAttrs([
      ['xsi:type', 'ns1:DataSetType'],
      ['ss:structureRef', structureRef],
    ])}>\n`;

  yield* streamSeries(
    records,
    dims,
    options.periodOptions,
    STRUCTURE_SPECIFIC,
    '  </message:DataSet>\n</message:StructureSpecificData>\n',
  );
}
