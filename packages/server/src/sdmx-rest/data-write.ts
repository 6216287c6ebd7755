/**
 * A data message from records already in SDMX ids (data-query.ts). The usual message — series with TIME_PERIOD at
 * observation level, every attribute, the values — is written by the writers of formats/ that the exports use
 * (SDMX-ML 2.1 generic and structure-specific, SDMX-CSV 2.0, SDMX-JSON 2.0), so the web service and the downloads
 * write the same components. What those writers do not do is written here, from the same components: a flat message
 * (dimensionAtObservation=AllDimensions), a choice of attributes (`attributes`, detail=dataonly), no values
 * (measures=none), series without observations (detail=serieskeysonly, nodata); in SDMX-ML and SDMX-CSV.
 */
import { type ExportRecord, toSdmxTimePeriod } from '@marsad/core';
import { csvLine } from '../formats/common/csv-cell.ts';
import { obsStatusOf } from '../formats/common/sdmx.ts';
import { confStatusOf, sdmxComment, valueText } from '../formats/common/suppression.ts';
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
  return writeVariant(records, format, layout, options);
}

type Pairs = [string, string | undefined][];

interface Parts {
  key: Pairs;
  seriesAttributes: Pairs;
  time: string;
  value: string;
  obsAttributes: Pairs;
}

function partsOf(r: ExportRecord, dims: readonly string[], layout: DataLayout): Parts {
  const value = valueText(r);
  const pick = (pairs: Pairs) => pairs.filter(([id]) => layout.attributes.has(id));
  return {
    key: [
      ['INDICATOR', r.indicator],
      ['SERIES', r.series],
      ['REF_AREA', r.place],
      ...dims.map((d): [string, string] => [d, r.dims[d] ?? '_T']),
    ],
    seriesAttributes: pick([['UNIT_MEASURE', r.unit]]),
    time: toSdmxTimePeriod(r.period),
    value: value === '' ? 'NaN' : value,
    obsAttributes: pick([
      ['OBS_STATUS', obsStatusOf(r.status)],
      ['CONF_STATUS', confStatusOf(r)],
      ['MARSAD_STATUS', r.status],
      ['COMMENT_OBS', sdmxComment(r)],
      ['SOURCE_DETAIL', r.source],
    ]),
  };
}

const attrs = (pairs: Pairs) => {
  let s = '';
  for (const [name, value] of pairs) if (value !== undefined && value !== '') s += ` ${name}="${xmlAttr(value)}"`;
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

function header(format: 'generic' | 'structurespecific', layout: DataLayout, options: DataWriteOptions): string {
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

async function* writeVariant(
  records: AsyncIterable<ExportRecord>,
  format: 'generic' | 'structurespecific' | 'csv',
  layout: DataLayout,
  options: DataWriteOptions,
): AsyncGenerator<string> {
  const dims = options.dimensions;
  const flat = layout.observations && layout.dimensionAtObservation === 'AllDimensions';
  const seriesAttributes = SERIES_ATTRIBUTES.filter((a) => layout.attributes.has(a));
  const obsAttributes = OBSERVATION_ATTRIBUTES.filter((a) => layout.attributes.has(a));
  let chunk = '';
  if (format === 'csv') {
    chunk += csvLine([
      'STRUCTURE',
      'STRUCTURE_ID',
      'ACTION',
      'INDICATOR',
      'SERIES',
      'REF_AREA',
      ...dims,
      ...(layout.observations ? ['TIME_PERIOD'] : []),
      ...(layout.observations && layout.measures ? ['OBS_VALUE'] : []),
      ...seriesAttributes,
      ...(layout.observations ? obsAttributes : []),
    ]);
  } else chunk += header(format, layout, options);

  let open: string | undefined;
  let n = 0;
  for await (const r of records) {
    const p = partsOf(r, dims, layout);
    const seriesKey = JSON.stringify(p.key);
    if (format === 'csv') {
      if (!layout.observations && seriesKey === open) continue;
      open = seriesKey;
      chunk += csvLine([
        'dataflow',
        options.structureId,
        'I',
        ...p.key.map(([, v]) => v ?? ''),
        ...(layout.observations ? [p.time] : []),
        ...(layout.observations && layout.measures ? [p.value === 'NaN' ? '' : p.value] : []),
        ...p.seriesAttributes.map(([, v]) => v ?? ''),
        ...(layout.observations ? p.obsAttributes.map(([, v]) => v ?? '') : []),
      ]);
    } else if (flat) {
      if (format === 'structurespecific')
        chunk += `    <Obs${attrs([
          ...p.key,
          ['TIME_PERIOD', p.time],
          ...(layout.measures ? ([['OBS_VALUE', p.value]] as Pairs) : []),
          ...p.seriesAttributes,
          ...p.obsAttributes,
        ])}/>\n`;
      else
        chunk +=
          '    <generic:Obs>\n' +
          `      <generic:ObsKey>\n${genericValues([...p.key, ['TIME_PERIOD', p.time]], '        ')}      </generic:ObsKey>\n` +
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
            ['TIME_PERIOD', p.time],
            ...(layout.measures ? ([['OBS_VALUE', p.value]] as Pairs) : []),
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
