import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Store } from '@marsad/db';
import { type Dhis2Mapping, type FormatName, readObservationBatches } from '../formats/index.ts';
import type { ColumnMap } from '../observations/column-map.ts';
import { type ImportReport, type ImportRequest, runImport } from '../observations/import-pipeline.ts';

export interface ImportFileOptions extends Omit<ImportRequest, 'format' | 'errorReportPath'> {
  format: FormatName;
  /** Indicator / place for files that do not name them (Open SDG). */
  indicator?: string;
  place?: string;
  dhis2Mapping?: Dhis2Mapping;
  /** DHIS2: skip values of data elements (and option combos) the mapping lacks, with a notice, instead of refusing them. */
  dhis2SkipUnmapped?: boolean;
  map?: ColumnMap;
  /** Folder for full error reports (`<batch>.csv`). */
  reportDir?: string;
}

/** Reads a file in one of the formats and imports it, all or nothing (see runImport). */
export async function importFile(
  store: Store,
  input: AsyncIterable<Uint8Array | string>,
  o: ImportFileOptions,
): Promise<ImportReport> {
  if (o.reportDir) await mkdir(o.reportDir, { recursive: true });
  return runImport(
    store,
    input,
    (inp) =>
      readObservationBatches(o.format, inp, {
        indicator: o.indicator,
        place: o.place,
        fileName: o.fileName,
        dhis2Mapping: o.dhis2Mapping,
        dhis2SkipUnmapped: o.dhis2SkipUnmapped,
      }),
    { ...o, errorReportPath: o.reportDir ? (id) => path.join(o.reportDir!, `batch-${id}-errors.csv`) : undefined },
  );
}
