/**
 * A data message from records already in SDMX ids (data-query.ts). The usual message — series with TIME_PERIOD at
 * observation level, every attribute, the values — is written by the writers of formats/ that the exports use
 * (SDMX-ML 2.1 generic and structure-specific, SDMX-CSV 2.0, SDMX-JSON 2.0), so the web service and the downloads
 * write the same components. What those writers do not do is written here, from the same components: a flat message
 * (dimensionAtObservation=AllDimensions), a choice of attributes (`attributes`, detail=dataonly), no values
 * (measures=none), series without observations (detail=serieskeysonly, nodata); in SDMX-ML and SDMX-CSV.
 *
 * That writer, `writeStructuredData`, takes any structure (the components of a `MessageShape`, each observation as
 * `ObservationParts`): the SDG dataflow (sdg-dataflow.ts) writes every message of IAEG-SDGs:SDG with it.
 */
import { type ExportRecord, toSdmxTimePeriod } from '@marsad/core';
import { csvLine } from '../formats/common/csv-cell.ts';
import { obsStatusOf } from '../formats/common/sdmx.ts';
import { confStatusOf, sdmxComment, valueCell } from '../formats/common/suppression.ts';
import { formatNumber } from '../formats/common/values.ts';
import { writeSdmxCsv } from '../formats/sdmx-csv/write.ts';
import { writeSdmxJson } from '../formats/sdmx-json/write.ts';
import { writeSdmxMl, xmlAttr } from '../formats/sdmx-ml/write.ts';
import { writeSdmxMlGeneric } from '../formats/sdmx-ml/write-generic.ts';
import type { DataFormat } from './content-negotiation.ts';
import type { DataLayout } from './dataflows.ts';
import { notImplemented } from './error-message.ts';
import { ATTRIBUTES, OBSERVATION_ATTRIBUTES, SERIES_ATTRIBUTES } from './marsad-structure.ts';

export interface DataWriteOptions {
  /** The Marsad dimensions' SDMX ids, in their positions after INDICATOR, SERIES, REF_AREA. */
  dimensions: readonly string[];
  /** The dataflow, AGENCY:ID(VERSION). */
  structureId: string;
  dimensionNames?: Record<string, string>;
  dimensionValueNames?: Record<string, Record<string, string>>;
  messageId?: string;
  prepared?: string;
}

/** Whether a layout is the usual one, which the writers of formats/ write. */
export function isUsualLayout(layout: DataLayout): boolean {
  return (
    layout.dimensionAtObservation === 'TIME_PERIOD' &&
    layout.measures &&
    layout.observations &&
    ATTRIBUTES.every((a) => layout.attributes.has(a))
  );
}

export function writeData(
  records: AsyncIterable<ExportRecord>,
  format: DataFormat,
  layout: DataLayout,
  options: DataWriteOptions,
): AsyncIterable<string> {
  const common = { dimensions: options.dimensions, structureId: options.structureId };
  if (isUsualLayout(layout)) {
    switch (format) {
      case 'generic':
        return writeSdmxMlGeneric(records, { ...common, messageId: options.messageId, prepared: options.prepared });
      case 'structurespecific':
        return writeSdmxMl(records, { ...common, messageId: options.messageId, prepared: options.prepared });
      case 'csv':
        return writeSdmxCsv(records, common);
      case 'json':
        return writeSdmxJson(records, {
          ...common,
          dimensionNames: options.dimensionNames,
          dimensionValueNames: options.dimensionValueNames,
          messageId: options.messageId,
          prepared: options.prepared,
        });
    }
  }
  if (format === 'json')
    throw notImplemented(
      'SDMX-JSON is written with every attribute, the values and every dimension at the observation level: ask SDMX-ML or SDMX-CSV for another layout (attributes, measures, detail)',
    );
  const dims = options.dimensions;
  return writeStructuredData(
    records,
    format,
    layout,
    {
      structureId: options.structureId,
      dimensions: ['INDICATOR', 'SERIES', 'REF_AREA', ...dims],
      time: 'TIME_PERIOD',
      measure: 'OBS_VALUE',
      seriesAttributes: SERIES_ATTRIBUTES,
      observationAttributes: OBSERVATION_ATTRIBUTES,
      messageId: options.messageId,
      prepared: options.prepared,
    },
    (r) => marsadParts(r, dims),
  );
}

/** An observation in the terms of a structure: what the messages below are written from. */
export interface ObservationParts {
  /** A code per dimension of the structure but time, in its order. */
  key: readonly string[];
  /** The time period (SDMX). */
  time: string;
  /** The value; null for a value withheld from the reader (NaN in SDMX-ML, empty in SDMX-CSV). */
  value: number | null;
  /** The attributes given, by id (a number is written as one in SDMX-CSV: UNIT_MULT -3 is no formula). */
  attributes: Readonly<Record<string, string | number | undefined>>;
}

/** The components of a message: the structure's, in its order, and the dataflow it is written for. */
export interface MessageShape {
  /** The dataflow, AGENCY:ID(VERSION). */
  structureId: string;
  dimensions: readonly string[];
  time: string;
  measure: string;
  /** The attributes of the series (written once per series key) and of the observation, in the structure's order. */
  seriesAttributes: readonly string[];
  observationAttributes: readonly string[];
  /** The order of the attributes' columns in SDMX-CSV (default: the series', then the observation's). */
  attributeOrder?: readonly string[];
  messageId?: string;
  prepared?: string;
}

type Pairs = [string, string | number | undefined][];

interface Parts {
  key: Pairs;
  seriesAttributes: Pairs;
  time: string;
  value: string;
  /** The value as an SDMX-CSV cell. */
  cell: number | '';
  obsAttributes: Pairs;
}

function partsOf(o: ObservationParts, shape: MessageShape, layout: DataLayout): Parts {
  const pick = (ids: readonly string[]): Pairs =>
    ids.filter((id) => layout.attributes.has(id)).map((id) => [id, o.attributes[id]]);
  return {
    key: shape.dimensions.map((d, i): [string, string] => [d, o.key[i] ?? '']),
    seriesAttributes: pick(shape.seriesAttributes),
    time: o.time,
    value: o.value === null ? 'NaN' : formatNumber(o.value),
    cell: o.value === null ? '' : o.value,
    obsAttributes: pick(shape.observationAttributes),
  };
}

/** A record of DF_MARSAD in the terms of its structure (INDICATOR, SERIES, REF_AREA, the dimensions). */
function marsadParts(r: ExportRecord, dims: readonly string[]): ObservationParts {
  const v = valueCell(r);
  return {
    key: [r.indicator, r.series, r.place, ...dims.map((d) => r.dims[d] ?? '_T')],
    time: toSdmxTimePeriod(r.period),
    value: v === '' ? null : v,
    attributes: {
      UNIT_MEASURE: r.unit,
      OBS_STATUS: obsStatusOf(r.status),
      CONF_STATUS: confStatusOf(r),
      MARSAD_STATUS: r.status,
      COMMENT_OBS: sdmxComment(r),
      SOURCE_DETAIL: r.source,
    },
  };
}

const attrs = (pairs: Pairs) => {
  let s = '';
  for (const [name, value] of pairs)
    if (value !== undefined && value !== '') s += ` ${name}="${xmlAttr(String(value))}"`;
  return s;
};

function genericValues(pairs: Pairs, indent: string): string {
  let s = '';
  for (const [id, value] of pairs)
    if (value !== undefined && value !== '')
      s += `${indent}<generic:Value${attrs([
        ['id', id],
        ['value', value],
      ])}/>\n`;
  return s;
}

function genericAttributes(pairs: Pairs, indent: string): string {
  const inner = genericValues(pairs, `${indent}  `);
  return inner ? `${indent}<generic:Attributes>\n${inner}${indent}</generic:Attributes>\n` : '';
}

const SDMX_21 = 'http://www.sdmx.org/resources/sdmxml/schemas/v2_1';

function header(format: 'generic' | 'structurespecific', layout: DataLayout, options: MessageShape): string {
  const m = /^([^:()]+):([^:()]+)\(([^()]+)\)$/.exec(options.structureId);
  const [agency, id, version] = m ? [m[1]!, m[2]!, m[3]!] : ['MARSAD', 'DF_MARSAD', '1.0'];
  const structureRef = `${agency}_${id}_${version}`.replace(/[^A-Za-z0-9_]/g, '_');
  const atObs = layout.observations ? layout.dimensionAtObservation : 'TIME_PERIOD';
  const namespace = `urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=${agency}:${id}(${version}):ObsLevelDim:${atObs}`;
  const prepared = options.prepared ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const root =
    format === 'generic'
      ? `<message:GenericData xmlns:message="${SDMX_21}/message" xmlns:common="${SDMX_21}/common" xmlns:generic="${SDMX_21}/data/generic">`
      : `<message:StructureSpecificData xmlns:message="${SDMX_21}/message" xmlns:common="${SDMX_21}/common" xmlns:ss="${SDMX_21}/data/structurespecific" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:ns1="${xmlAttr(namespace)}">`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n${root}\n` +
    '  <message:Header>\n' +
    `    <message:ID>${xmlAttr(options.messageId ?? `MARSAD-${prepared.replace(/[^0-9]/g, '')}`)}</message:ID>\n` +
    '    <message:Test>false</message:Test>\n' +
    `    <message:Prepared>${xmlAttr(prepared)}</message:Prepared>\n` +
    '    <message:Sender id="MARSAD"/>\n' +
    `    <message:Structure${attrs([
      ['structureID', structureRef],
      ['namespace', format === 'structurespecific' ? namespace : undefined],
      ['dimensionAtObservation', atObs],
    ])}>\n` +
    `      <common:StructureUsage><Ref${attrs([
      ['agencyID', agency],
      ['id', id],
      ['version', version],
    ])}/></common:StructureUsage>\n` +
    '    </message:Structure>\n' +
    '  </message:Header>\n' +
    (format === 'generic'
      ? `  <message:DataSet${attrs([
          ['structureRef', structureRef],
          ['action', 'Information'],
        ])}>\n`
      : `  <message:DataSet${attrs([
          ['ss:structureRef', structureRef],
          ['xsi:type', 'ns1:DataSetType'],
          ['ss:dataScope', 'DataStructure'],
          ['ss:action', 'Information'],
        ])}>\n`)
  );
}

const RECORDS_PER_CHUNK = 500;

/**
 * A data message of any structure (the dataflow's components in `shape`) in SDMX-ML 2.1 generic or structure-specific
 * or SDMX-CSV 2.0, in any layout (dimensionAtObservation TIME_PERIOD or AllDimensions, a choice of attributes, with or
 * without values or observations), streamed. Records of one series key follow one another (a series is opened when
 * the key or the series attributes change).
 */
export async function* writeStructuredData<R>(
  records: AsyncIterable<R>,
  format: 'generic' | 'structurespecific' | 'csv',
  layout: DataLayout,
  shape: MessageShape,
  observationOf: (record: R) => ObservationParts,
): AsyncGenerator<string> {
  const flat = layout.observations && layout.dimensionAtObservation === 'AllDimensions';
  const seriesAttributes = shape.seriesAttributes.filter((a) => layout.attributes.has(a));
  const obsAttributes = shape.observationAttributes.filter((a) => layout.attributes.has(a));
  // SDMX-CSV: the series' attributes (and with observations, the observation's) in the structure's order.
  const csvAttributes = (shape.attributeOrder ?? [...shape.seriesAttributes, ...shape.observationAttributes]).filter(
    (a) => seriesAttributes.includes(a) || (layout.observations && obsAttributes.includes(a)),
  );
  const TIME = shape.time;
  const MEASURE = shape.measure;
  let chunk = '';
  if (format === 'csv') {
    chunk += csvLine([
      'STRUCTURE',
      'STRUCTURE_ID',
      'ACTION',
      ...shape.dimensions,
      ...(layout.observations ? [TIME] : []),
      ...(layout.observations && layout.measures ? [MEASURE] : []),
      ...csvAttributes,
    ]);
  } else chunk += header(format, layout, shape);

  let open: string | undefined;
  let n = 0;
  for await (const r of records) {
    const o = observationOf(r);
    const p = partsOf(o, shape, layout);
    const seriesKey = JSON.stringify(p.key);
    if (format === 'csv') {
      if (!layout.observations && seriesKey === open) continue;
      open = seriesKey;
      chunk += csvLine([
        'dataflow',
        shape.structureId,
        'I',
        ...p.key.map(([, v]) => v ?? ''),
        ...(layout.observations ? [p.time] : []),
        ...(layout.observations && layout.measures ? [p.cell] : []),
        ...csvAttributes.map((a) => o.attributes[a] ?? ''),
      ]);
    } else if (flat) {
      if (format === 'structurespecific')
        chunk += `    <Obs${attrs([
          ...p.key,
          [TIME, p.time],
          ...(layout.measures ? ([[MEASURE, p.value]] as Pairs) : []),
          ...p.seriesAttributes,
          ...p.obsAttributes,
        ])}/>\n`;
      else
        chunk +=
          '    <generic:Obs>\n' +
          `      <generic:ObsKey>\n${genericValues([...p.key, [TIME, p.time]], '        ')}      </generic:ObsKey>\n` +
          (layout.measures ? `      <generic:ObsValue${attrs([['value', p.value]])}/>\n` : '') +
          genericAttributes([...p.seriesAttributes, ...p.obsAttributes], '      ') +
          '    </generic:Obs>\n';
    } else {
      if (seriesKey !== open) {
        if (open !== undefined) chunk += format === 'generic' ? '    </generic:Series>\n' : '    </Series>\n';
        open = seriesKey;
        chunk +=
          format === 'generic'
            ? '    <generic:Series>\n' +
              `      <generic:SeriesKey>\n${genericValues(p.key, '        ')}      </generic:SeriesKey>\n` +
              genericAttributes(p.seriesAttributes, '      ')
            : `    <Series${attrs([...p.key, ...p.seriesAttributes])}>\n`;
      }
      if (layout.observations) {
        if (format === 'generic')
          chunk +=
            '      <generic:Obs>\n' +
            `        <generic:ObsDimension${attrs([['value', p.time]])}/>\n` +
            (layout.measures ? `        <generic:ObsValue${attrs([['value', p.value]])}/>\n` : '') +
            genericAttributes(p.obsAttributes, '        ') +
            '      </generic:Obs>\n';
        else
          chunk += `      <Obs${attrs([
            [TIME, p.time],
            ...(layout.measures ? ([[MEASURE, p.value]] as Pairs) : []),
            ...p.obsAttributes,
          ])}/>\n`;
      }
    }
    if (++n >= RECORDS_PER_CHUNK) {
      yield chunk;
      chunk = '';
      n = 0;
    }
  }
  if (format !== 'csv' && !flat && open !== undefined)
    chunk += format === 'generic' ? '    </generic:Series>\n' : '    </Series>\n';
  if (format === 'generic') chunk += '  </message:DataSet>\n</message:GenericData>\n';
  else if (format === 'structurespecific') chunk += '  </message:DataSet>\n</message:StructureSpecificData>\n';
  yield chunk;
}
