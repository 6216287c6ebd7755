/**
 * The file formats Marsad reads and writes observations in. Readers turn a byte stream into
 * format-neutral ReadItems (the import pipeline resolves codes, parses periods and validates);
 * writers turn ExportRecords into text chunks. See docs/formats.md.
 */
import type { ExportRecord, PeriodOptions, ReaderOptions, ReadItem } from '@marsad/core';
import { readCsv, readCsvBatches } from './csv/read.ts';
import { writeCsvRecords } from './csv/write.ts';
import type { Dhis2Mapping } from './dhis2/mapping.ts';
import { readDhis2 } from './dhis2/read.ts';
import { writeDhis2 } from './dhis2/write.ts';
import { readOpenSdg } from './open-sdg/read.ts';
import { writeOpenSdg } from './open-sdg/write.ts';
import { readSdmxCsv } from './sdmx-csv/read.ts';
import { writeSdmxCsv } from './sdmx-csv/write.ts';
import { readSdmxJson } from './sdmx-json/read.ts';
import { writeSdmxJson } from './sdmx-json/write.ts';
import { readSdmxMl } from './sdmx-ml/read.ts';
import { writeSdmxMl } from './sdmx-ml/write.ts';
import { writeSdmxMl30 } from './sdmx-ml/write-30.ts';
import { writeSdmxMlGeneric } from './sdmx-ml/write-generic.ts';

export { SDMX_DEFAULT_STRUCTURE_ID } from './common/sdmx.ts';
export { DHIS2_DEFAULT_COMBO, type Dhis2Mapping, Dhis2MappingSchema, parseDhis2Mapping } from './dhis2/mapping.ts';
export { indicatorFromFileName } from './open-sdg/read.ts';
export { openSdgFileName } from './open-sdg/write.ts';
export {
  type DataflowStructure30,
  dataflowXsd30,
  marsadDataflowStructure,
} from './sdmx-ml/dataflow-xsd-30.ts';
export { looksLikeSdmxMl } from './sdmx-ml/read.ts';

export const FORMATS = ['csv', 'open-sdg', 'sdmx-csv', 'sdmx-json', 'sdmx-ml', 'dhis2'] as const;
export type FormatName = (typeof FORMATS)[number];

export function isFormatName(name: string): name is FormatName {
  return (FORMATS as readonly string[]).includes(name);
}

/**
 * The SDMX-ML messages Marsad writes, by the names the export API (`sdmxMl`) and the CLI (`--sdmx-ml`) give them:
 * 2.1 structure-specific (the default), 2.1 generic, 3.0 structure-specific.
 */
export const SDMX_ML_VERSIONS = { '2.1': 'ss21', '2.1-generic': 'generic21', '3.0': 'ss30' } as const;
export const SDMX_ML_VERSION_NAMES = ['2.1', '2.1-generic', '3.0'] as const satisfies readonly SdmxMlVersion[];
export type SdmxMlVersion = keyof typeof SDMX_ML_VERSIONS;
export type SdmxMlFlavour = (typeof SDMX_ML_VERSIONS)[SdmxMlVersion];

export const SDMX_ML_CONTENT_TYPES: Record<SdmxMlFlavour, string> = {
  ss21: 'application/vnd.sdmx.structurespecificdata+xml; version=2.1; charset=utf-8',
  generic21: 'application/vnd.sdmx.genericdata+xml; version=2.1; charset=utf-8',
  ss30: 'application/vnd.sdmx.structurespecificdata+xml; version=3.0.0; charset=utf-8',
};

export interface ReadOptions extends ReaderOptions {
  /** DHIS2 identifiers → Marsad codes; required by the dhis2 reader. */
  dhis2Mapping?: Dhis2Mapping;
  /** dhis2: skip (with a notice) values whose data element or option combo the mapping lacks. */
  dhis2SkipUnmapped?: boolean;
}

export interface WriteOptions {
  /**
   * csv, open-sdg, sdmx-csv, sdmx-ml: the dimension codes, one column each, in this order (these writers
   * stream, so the columns must be known up front; a record with another dimension is an Error).
   * sdmx-json: the order of the dimensions (others found in the records follow).
   */
  dimensions?: readonly string[];
  /** open-sdg column headers / sdmx-json dimension names, per dimension code. */
  dimensionNames?: Record<string, string>;
  /** open-sdg cell text / sdmx-json value names, per dimension code and value code. */
  dimensionValueNames?: Record<string, Record<string, string>>;
  /** open-sdg: GeoCode is the place code (default) or the place's external code when it has one. */
  geoCode?: 'place' | 'external';
  /** sdmx-csv, sdmx-json, sdmx-ml: the dataflow `AGENCY:ID(VERSION)`; default MARSAD:DF_MARSAD(1.0). */
  structureId?: string;
  /** sdmx-json, sdmx-ml message header: meta.id / ID, meta.prepared / Prepared (ISO date-time), meta.sender.id / Sender. */
  messageId?: string;
  prepared?: string;
  senderId?: string;
  /** dhis2: Marsad codes → DHIS2 identifiers (the same mapping as for import); required. */
  dhis2Mapping?: Dhis2Mapping;
  /** dhis2: the data set UID written at the top of the data value set. */
  dhis2DataSet?: string;
  /** dhis2: leave out records the mapping cannot express instead of stopping. */
  dhis2SkipUnmapped?: boolean;
  /** Financial-year start month used to turn period codes into SDMX / DHIS2 periods. */
  periodOptions?: PeriodOptions;
  /** csv, open-sdg, sdmx-csv: begin with a byte-order mark (helps Excel read Arabic as UTF-8). */
  bom?: boolean;
  /** sdmx-ml: the message written, SDMX-ML 2.1 structure-specific (default), 2.1 generic or 3.0 structure-specific. */
  sdmxMl?: SdmxMlFlavour;
}

export const FORMAT_CONTENT_TYPES: Record<FormatName, string> = {
  csv: 'text/csv; charset=utf-8',
  'open-sdg': 'text/csv; charset=utf-8',
  'sdmx-csv': 'application/vnd.sdmx.data+csv; version=2.0.0; charset=utf-8',
  'sdmx-json': 'application/vnd.sdmx.data+json; version=2.0.0; charset=utf-8',
  'sdmx-ml': SDMX_ML_CONTENT_TYPES.ss21,
  dhis2: 'application/json; charset=utf-8',
};

/** The content type of what writeObservations writes with these options (sdmx-ml: of its flavour). */
export function writeContentType(format: FormatName, options: Pick<WriteOptions, 'sdmxMl'> = {}): string {
  return format === 'sdmx-ml' ? SDMX_ML_CONTENT_TYPES[options.sdmxMl ?? 'ss21'] : FORMAT_CONTENT_TYPES[format];
}

/** File name extensions, without the dot. */
export const FORMAT_EXTENSIONS: Record<FormatName, string> = {
  csv: 'csv',
  'open-sdg': 'csv',
  'sdmx-csv': 'csv',
  'sdmx-json': 'json',
  'sdmx-ml': 'xml',
  dhis2: 'json',
};

/** Whether the writer streams (true) or holds every record until the input ends (false). */
export const FORMAT_WRITER_STREAMS: Record<FormatName, boolean> = {
  csv: true,
  'open-sdg': true,
  'sdmx-csv': true,
  'sdmx-json': false,
  'sdmx-ml': true,
  dhis2: true,
};

/**
 * Reads observations from a file. Never throws for bad content: every problem is an `error`
 * item (with a line number or a JSON path), blank values are `skip` items. Throws only when
 * the input stream itself fails.
 */
export function readObservations(
  format: FormatName,
  input: AsyncIterable<Uint8Array | string>,
  options: ReadOptions = {},
): AsyncIterable<ReadItem> {
  switch (format) {
    case 'csv':
      return readCsv(input, options);
    case 'open-sdg':
      return readOpenSdg(input, options);
    case 'sdmx-csv':
      return readSdmxCsv(input, options);
    case 'sdmx-json':
      return readSdmxJson(input, options);
    case 'sdmx-ml':
      return readSdmxMl(input, options);
    case 'dhis2':
      return readDhis2(input, options);
  }
}

/** Items gathered into arrays, for readers that produce them one by one. */
async function* batched(items: AsyncIterable<ReadItem>, size = 2000): AsyncGenerator<ReadItem[]> {
  let out: ReadItem[] = [];
  for await (const item of items) {
    out.push(item);
    if (out.length >= size) {
      yield out;
      out = [];
    }
  }
  if (out.length > 0) yield out;
}

/** The same items as readObservations, in batches: the import pipeline handles a batch without awaiting per row. */
export function readObservationBatches(
  format: FormatName,
  input: AsyncIterable<Uint8Array | string>,
  options: ReadOptions = {},
): AsyncIterable<ReadItem[]> {
  return format === 'csv' ? readCsvBatches(input, options) : batched(readObservations(format, input, options));
}

/**
 * Writes observations as text chunks. Throws (while iterating) an Error with a plain-English
 * message when a record cannot be written: a dimension not announced in `options.dimensions`,
 * a second indicator in an Open SDG file, a record without a DHIS2 mapping, a period DHIS2
 * cannot express.
 */
export function writeObservations(
  format: FormatName,
  records: AsyncIterable<ExportRecord>,
  options: WriteOptions = {},
): AsyncIterable<string> {
  switch (format) {
    case 'csv':
      return writeCsvRecords(records, options);
    case 'open-sdg':
      return writeOpenSdg(records, options);
    case 'sdmx-csv':
      return writeSdmxCsv(records, options);
    case 'sdmx-json':
      return writeSdmxJson(records, options);
    case 'sdmx-ml':
      if (options.sdmxMl === 'generic21') return writeSdmxMlGeneric(records, options);
      if (options.sdmxMl === 'ss30') return writeSdmxMl30(records, options);
      return writeSdmxMl(records, options);
    case 'dhis2':
      return writeDhis2(records, options);
  }
}
