/**
 * ExportRecords → SDMX-CSV 2.0, streamed:
 * `STRUCTURE,STRUCTURE_ID,ACTION,INDICATOR,SERIES,REF_AREA,<dims>,TIME_PERIOD,OBS_VALUE,
 *  UNIT_MEASURE,OBS_STATUS,CONF_STATUS,MARSAD_STATUS,COMMENT_OBS,SOURCE_DETAIL`.
 * A dimension a record does not have is written `_T` (total). Periods are SDMX time periods.
 * A value suppressed by its indicator's rule (docs/methods/suppression.md) has CONF_STATUS C
 * (confidential); for the public its OBS_VALUE is empty and COMMENT_OBS says why.
 */
import { type ExportRecord, type PeriodOptions, toSdmxTimePeriod } from '@marsad/core';
import { writeCsv } from '../common/csv-out.ts';
import { obsStatusOf, SDMX_DEFAULT_STRUCTURE_ID, sdmxRole } from '../common/sdmx.ts';
import { confStatusOf, sdmxComment, valueCell } from '../common/suppression.ts';
import { checkDimensions } from '../csv/write.ts';

export interface SdmxCsvWriteOptions {
  dimensions?: readonly string[];
  /** The dataflow, `AGENCY:ID(VERSION)`; default MARSAD:DF_MARSAD(1.0). */
  structureId?: string;
  periodOptions?: PeriodOptions;
  bom?: boolean;
}

export async function* writeSdmxCsv(
  records: AsyncIterable<ExportRecord>,
  options: SdmxCsvWriteOptions = {},
): AsyncGenerator<string> {
  const dims = [...(options.dimensions ?? [])];
  for (const d of dims) {
    if (sdmxRole(d) !== 'dim')
      throw new Error(`dimension code ${d} cannot be an SDMX dimension column: SDMX gives ${d} another meaning`);
  }
  const known = new Set(dims);
  const structureId = options.structureId ?? SDMX_DEFAULT_STRUCTURE_ID;
  yield* writeCsv(
    [
      'STRUCTURE',
      'STRUCTURE_ID',
      'ACTION',
      'INDICATOR',
      'SERIES',
      'REF_AREA',
      ...dims,
      'TIME_PERIOD',
      'OBS_VALUE',
      'UNIT_MEASURE',
      'OBS_STATUS',
      'CONF_STATUS',
      'MARSAD_STATUS',
      'COMMENT_OBS',
      'SOURCE_DETAIL',
    ],
    records,
    (r) => {
      checkDimensions(r, known, 'SDMX-CSV');
      return [
        'dataflow',
        structureId,
        'I',
        r.indicator,
        r.series,
        r.place,
        ...dims.map((d) => r.dims[d] ?? '_T'),
        toSdmxTimePeriod(r.period, options.periodOptions),
        valueCell(r),
        r.unit ?? '',
        obsStatusOf(r.status),
        confStatusOf(r),
        r.status,
        sdmxComment(r) ?? '',
        r.source ?? '',
      ];
    },
    options.bom,
  );
}
