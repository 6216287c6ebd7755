import type { ExportRecord } from '@marsad/core';
import { type ObservationFilter, type Store, streamObservations, toExportRecord } from '@marsad/db';
import { sql } from 'kysely';
import {
  FORMAT_CONTENT_TYPES,
  FORMAT_EXTENSIONS,
  type FormatName,
  type WriteOptions,
  writeObservations,
} from '../formats/index.ts';
import { HttpError } from '../http/errors.ts';

/** Dimension codes used by the selected observations, for the columns of CSV formats. */
async function dimensionsUsed(store: Store, filter: ObservationFilter): Promise<string[]> {
  let q = store.db.selectFrom('disaggregations as d').select(sql<string>`jsonb_object_keys(d.dims)`.as('k')).distinct();
  if (filter.indicators?.length) {
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('observations as o')
          .innerJoin('indicators as i', 'i.id', 'o.indicator_id')
          .select('o.disagg_id')
          .whereRef('o.disagg_id', '=', 'd.id')
          .where('i.code', 'in', filter.indicators!),
      ),
    );
  } else {
    q = q.where((eb) =>
      eb.exists(eb.selectFrom('observations as o').select('o.disagg_id').whereRef('o.disagg_id', '=', 'd.id')),
    );
  }
  return (await q.execute()).map((r) => r.k).sort();
}

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
  const names = new Map<string, Record<string, string>>();
  const placeNames = new Map<string, Record<string, string>>();
  if (format === 'sdmx-json') {
    for (const r of await store.db.selectFrom('indicators').select(['code', 'names']).execute())
      names.set(r.code, r.names);
    for (const r of await store.db.selectFrom('places').select(['code', 'names']).execute())
      placeNames.set(r.code, r.names);
  }
  const dimensions = await dimensionsUsed(store, filter);
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
