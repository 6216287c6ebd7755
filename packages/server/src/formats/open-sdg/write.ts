/**
 * ExportRecords → one Open SDG data CSV, streamed:
 * `Year,<disaggregation columns…>,Series,Units,GeoCode,COMMENT_OBS,Value`.
 * One indicator per file: records of a second indicator stop the export with an Error.
 * Totals are blank cells. Status and source have no column in Open SDG and are not written.
 * A value suppressed by its indicator's rule (docs/methods/suppression.md) is an empty Value
 * with the reason in COMMENT_OBS; a reader allowed to see it gets the value and the mark
 * "Hidden from the public" there.
 */
import type { ExportRecord } from '@marsad/core';
import { writeCsv } from '../common/csv-out.ts';
import { commentWithSuppression, valueCell } from '../common/suppression.ts';
import { checkDimensions } from '../csv/write.ts';

export interface OpenSdgWriteOptions {
  /** The dimension codes, one column each in this order. */
  dimensions?: readonly string[];
  /** Column header per dimension code (default: the code), e.g. { SEX: "Sex" }. */
  dimensionNames?: Record<string, string>;
  /** Cell text per dimension code and value code (default: the code), e.g. { SEX: { F: "Female" } }. */
  dimensionValueNames?: Record<string, Record<string, string>>;
  /** What goes in GeoCode: the Marsad place code (default) or the place's external code when it has one. */
  geoCode?: 'place' | 'external';
  bom?: boolean;
}

const FIXED = ['year', 'series', 'units', 'geocode', 'comment_obs', 'value'];

export async function* writeOpenSdg(
  records: AsyncIterable<ExportRecord>,
  options: OpenSdgWriteOptions = {},
): AsyncGenerator<string> {
  const dims = [...(options.dimensions ?? [])];
  const known = new Set(dims);
  const headers = dims.map((d) => options.dimensionNames?.[d] ?? d);
  for (const h of headers) {
    if (FIXED.includes(h.toLowerCase()))
      throw new Error(`dimension column "${h}" clashes with Open SDG's own ${h} column`);
  }
  let indicator: string | undefined;
  yield* writeCsv(
    ['Year', ...headers, 'Series', 'Units', 'GeoCode', 'COMMENT_OBS', 'Value'],
    records,
    (r) => {
      if (indicator === undefined) indicator = r.indicator;
      else if (r.indicator !== indicator) {
        throw new Error(
          `an Open SDG file holds one indicator, but the records include ${indicator} and ${r.indicator}: export one indicator per file`,
        );
      }
      checkDimensions(r, known, 'Open SDG');
      const geo = options.geoCode === 'external' ? (r.placeExternal ?? r.place) : r.place;
      return [
        r.period,
        ...dims.map((d) => {
          const v = r.dims[d];
          return v === undefined ? '' : (options.dimensionValueNames?.[d]?.[v] ?? v);
        }),
        r.series,
        r.unit ?? '',
        geo,
        commentWithSuppression(r) ?? '',
        valueCell(r),
      ];
    },
    options.bom,
  );
}

/** The Open SDG file name for an indicator: 11.a.1 → indicator_11-a-1.csv. */
export function openSdgFileName(indicator: string): string {
  return `indicator_${indicator.replace(/\./g, '-')}.csv`;
}
