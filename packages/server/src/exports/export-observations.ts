import type { ExportRecord } from '@marsad/core';
import {
  dimensionsUsed,
  type ObservationFilter,
  observationKeysUsed,
  type Store,
  streamObservations,
  toExportRecord,
} from '@marsad/db';
import { dhis2Unmapped } from '../formats/dhis2/write.ts';
import {
  FORMAT_CONTENT_TYPES,
  FORMAT_EXTENSIONS,
  type FormatName,
  type WriteOptions,
  writeObservations,
} from '../formats/index.ts';
import { HttpError } from '../http/errors.ts';

export interface ExportResult {
  contentType: string;
  fileName: string;
  body: AsyncIterable<string>;
}

/** Streams the selected observations in a format; one indicator per file for Open SDG. */
export async function exportObservations(
  store: Store,
  filter: ObservationFilter,
  format: FormatName,
  options: WriteOptions = {},
): Promise<ExportResult> {
  if (format === 'open-sdg' && filter.indicators?.length !== 1) {
    throw new HttpError(
      400,
      'bad_request',
      'indicator: the Open SDG format holds one indicator per file; choose exactly one indicator.',
    );
  }
  if (format === 'dhis2') {
    // Checked before the answer starts: a stream cut short by a code the mapping lacks would be a broken file.
    if (!options.dhis2Mapping) {
      throw new HttpError(
        400,
        'bad_request',
        'dhis2Mapping: a DHIS2 export needs a DHIS2 mapping (dataElements, orgUnits, categoryOptionCombos), the same as for import: give it as the dhis2Mapping parameter (JSON), or --dhis2-mapping FILE with the marsad command.',
      );
    }
    if (!options.dhis2SkipUnmapped) {
      const missing = dhis2Unmapped(
        options.dhis2Mapping,
        await observationKeysUsed(store.db, filter),
        options.periodOptions,
      );
      if (missing.length) {
        throw new HttpError(
          400,
          'bad_request',
          `dhis2Mapping: the mapping cannot express ${missing.length} thing${missing.length === 1 ? '' : 's'} the selection holds: ${missing.slice(0, 20).join('; ')}${missing.length > 20 ? '; …' : ''}. Add them to the mapping, narrow the selection, or export with skipUnmapped (--skip-unmapped) to leave those values out.`,
          { unmapped: missing.slice(0, 1000) },
        );
      }
    }
  }
  const names = new Map<string, Record<string, string>>();
  const placeNames = new Map<string, Record<string, string>>();
  if (format === 'sdmx-json') {
    for (const r of await store.db.selectFrom('indicators').select(['code', 'names']).execute())
      names.set(r.code, r.names);
    for (const r of await store.db.selectFrom('places').select(['code', 'names']).execute())
      placeNames.set(r.code, r.names);
  }
  const dimensions = await dimensionsUsed(store.db, filter);
  async function* records(): AsyncGenerator<ExportRecord> {
    for await (const row of streamObservations(store.db, filter)) {
      yield toExportRecord(row, { indicator: names.get(row.indicator), place: placeNames.get(row.place) });
    }
  }
  const stem =
    filter.indicators?.length === 1 ? `indicator_${filter.indicators[0]!.replace(/\./g, '-')}` : 'marsad-observations';
  return {
    contentType: FORMAT_CONTENT_TYPES[format],
    fileName: `${stem}.${FORMAT_EXTENSIONS[format]}`,
    body: writeObservations(format, records(), { dimensions, ...options }),
  };
}
