/**
 * What Marsad's three SDMX-ML writers share (write.ts: 2.1 structure-specific, write-generic.ts: 2.1 generic,
 * write-30.ts: 3.0 structure-specific): XML attribute escaping, the dataflow reference, the components a record
 * becomes, and the loop that groups records into series and hands out text in chunks.
 *
 * The components are the same in every flavour: a series is keyed by INDICATOR, SERIES, REF_AREA and the announced
 * dimensions (`_T` when a record has none), with UNIT_MEASURE as its attribute; an observation has TIME_PERIOD (the
 * dimension at observation), OBS_VALUE and the attributes OBS_STATUS, CONF_STATUS, MARSAD_STATUS, COMMENT_OBS and
 * SOURCE_DETAIL. dataflow-xsd-30.ts describes the same components as an XML schema.
 */
import { type ExportRecord, type PeriodOptions, toSdmxTimePeriod } from '@marsad/core';
import { obsStatusOf, SDMX_DEFAULT_STRUCTURE_ID, sdmxRole } from '../common/sdmx.ts';
import { confStatusOf, sdmxComment, valueText } from '../common/suppression.ts';
import { checkDimensions } from '../csv/write.ts';

/** The options every SDMX-ML writer takes. */
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

export const NS_XSI = 'http://www.w3.org/2001/XMLSchema-instance';
export const SDMX_21 = 'http://www.sdmx.org/resources/sdmxml/schemas/v2_1';
export const SDMX_30 = 'http://www.sdmx.org/resources/sdmxml/schemas/v3_0';

/** The series key before the announced dimensions, in order. */
export const SERIES_KEY_HEAD = ['INDICATOR', 'SERIES', 'REF_AREA'] as const;
/** Attributes attached to the series. */
export const SERIES_ATTRIBUTES = ['UNIT_MEASURE'] as const;
/** The dimension at observation level. */
export const TIME_DIMENSION = 'TIME_PERIOD';
export const PRIMARY_MEASURE = 'OBS_VALUE';
/** Attributes attached to the observation, in the order they are written. */
export const OBS_ATTRIBUTES = ['OBS_STATUS', 'CONF_STATUS', 'MARSAD_STATUS', 'COMMENT_OBS', 'SOURCE_DETAIL'] as const;

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

/** Name/value pairs; a value undefined or empty is left out. */
export type Pairs = readonly (readonly [string, string | undefined])[];

/** ` name="value"` for each pair with a value. */
export function xmlAttrs(pairs: Pairs): string {
  let s = '';
  for (const [name, value] of pairs) if (value !== undefined && value !== '') s += ` ${name}="${xmlAttr(value)}"`;
  return s;
}

export interface StructureRef {
  agency: string;
  id: string;
  version: string;
}

/** `AGENCY:ID(VERSION)` → its parts (an id without agency or version gets MARSAD and 1.0). */
export function parseStructureId(id: string = SDMX_DEFAULT_STRUCTURE_ID): StructureRef {
  const m = /^([^:()]+):([^:()]+)\(([^()]+)\)$/.exec(id.trim());
  if (m) return { agency: m[1]!, id: m[2]!, version: m[3]! };
  return { agency: 'MARSAD', id: id.trim() || 'DF_MARSAD', version: '1.0' };
}

/** The message's local name for the structure (header `structureID`, data set `structureRef`): MARSAD_DF_MARSAD_1_0. */
export function structureLocalId(ref: StructureRef): string {
  return `${ref.agency}_${ref.id}_${ref.version}`.replace(/[^A-Za-z0-9_]/g, '_');
}

/** The dataflow's URN: urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=MARSAD:DF_MARSAD(1.0). */
export function dataflowUrn(ref: StructureRef): string {
  return `urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=${ref.agency}:${ref.id}(${ref.version})`;
}

/** The structure-specific namespace of the dataflow with TIME_PERIOD at observation level. */
export function obsLevelNamespace(ref: StructureRef): string {
  return `${dataflowUrn(ref)}:ObsLevelDim:${TIME_DIMENSION}`;
}

/** The announced dimensions, checked: none may be a component SDMX gives another meaning. */
export function sdmxDimensions(dimensions: readonly string[] | undefined): string[] {
  const dims = [...(dimensions ?? [])];
  for (const d of dims) {
    if (sdmxRole(d) !== 'dim')
      throw new Error(`dimension code ${d} cannot be an SDMX dimension: SDMX gives ${d} another meaning`);
  }
  return dims;
}

/** Header ID and Prepared: the given ones, or now and MARSAD-<digits of now>. */
export function headerOf(options: SdmxMlWriteOptions): { messageId: string; prepared: string; senderId: string } {
  const prepared = options.prepared ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    prepared,
    messageId: options.messageId ?? `MARSAD-${prepared.replace(/[^0-9]/g, '')}`,
    senderId: options.senderId ?? 'MARSAD',
  };
}

export interface SeriesParts {
  /** The series key: INDICATOR, SERIES, REF_AREA, then the dimensions. */
  key: Pairs;
  attributes: Pairs;
}

export interface ObsParts {
  /** The SDMX time period. */
  time: string;
  /** OBS_VALUE: the number, or NaN for a value withheld from this reader. */
  value: string;
  attributes: Pairs;
}

/** How a flavour writes a series and its observations (each string ends with a new line). */
export interface SeriesRenderer {
  /** The series' opening; records whose openings are equal share the series. */
  open(series: SeriesParts): string;
  close: string;
  obs(obs: ObsParts): string;
}

function seriesParts(r: ExportRecord, dims: readonly string[]): SeriesParts {
  return {
    key: [
      ['INDICATOR', r.indicator],
      ['SERIES', r.series],
      ['REF_AREA', r.place],
      ...dims.map((d): [string, string] => [d, r.dims[d] ?? '_T']),
    ],
    attributes: [['UNIT_MEASURE', r.unit]],
  };
}

function obsParts(r: ExportRecord, periodOptions: PeriodOptions | undefined): ObsParts {
  const value = valueText(r);
  return {
    time: toSdmxTimePeriod(r.period, periodOptions),
    value: value === '' ? 'NaN' : value,
    attributes: [
      ['OBS_STATUS', obsStatusOf(r.status)],
      ['CONF_STATUS', confStatusOf(r)],
      ['MARSAD_STATUS', r.status],
      ['COMMENT_OBS', sdmxComment(r)],
      ['SOURCE_DETAIL', r.source],
    ],
  };
}

/**
 * The records as series, in chunks of 500 observations; records that follow one another with the same key and
 * series attributes share a series. The last chunk ends with `tail` (the closing of the data set and message).
 */
export async function* streamSeries(
  records: AsyncIterable<ExportRecord>,
  dims: readonly string[],
  periodOptions: PeriodOptions | undefined,
  render: SeriesRenderer,
  tail: string,
): AsyncGenerator<string> {
  const known = new Set(dims);
  let open: string | undefined;
  let chunk = '';
  let n = 0;
  for await (const r of records) {
    checkDimensions(r, known, 'SDMX-ML');
    const head = render.open(seriesParts(r, dims));
    if (head !== open) {
      if (open !== undefined) chunk += render.close;
      chunk += head;
      open = head;
    }
    chunk += render.obs(obsParts(r, periodOptions));
    if (++n >= RECORDS_PER_CHUNK) {
      yield chunk;
      chunk = '';
      n = 0;
    }
  }
  if (open !== undefined) chunk += render.close;
  yield `${chunk}${tail}`;
}

/** The structure-specific series and observations (SDMX-ML 2.1 and 3.0 alike): every component an XML attribute. */
export const STRUCTURE_SPECIFIC: SeriesRenderer = {
  open: (s) => `    <Series${xmlAttrs([...s.key, ...s.attributes])}>\n`,
  close: '    </Series>\n',
  obs: (o) => `      <Obs${xmlAttrs([[TIME_DIMENSION, o.time], [PRIMARY_MEASURE, o.value], ...o.attributes])}/>\n`,
};
