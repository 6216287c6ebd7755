import { createWriteStream } from 'node:fs';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parsePeriod } from '@marsad/core';
import type { ObservationFilter } from '@marsad/db';
import {
  exportObservations,
  FORMATS,
  type FormatName,
  SDMX_ML_VERSION_NAMES,
  SDMX_ML_VERSIONS,
  type SdmxMlVersion,
} from '@marsad/server';
import type { RuntimeConfig } from '../config.ts';
import { findRemote, remoteFetch } from '../remote.ts';
import { withLocalStore } from './local-store.ts';
import { localMapping, readMappingOption, setMappingParams } from './mapping-option.ts';

export interface ExportCliOptions {
  format: string;
  indicator?: string[];
  place?: string[];
  subtree?: boolean;
  from?: string;
  to?: string;
  status?: string[];
  out?: string;
  /** DHIS2: the mapping file (the same as for import), the data set UID, and whether to leave out what it cannot express. */
  dhis2Mapping?: string;
  dhis2DataSet?: string;
  skipUnmapped?: boolean;
  /** SDMX-ML: 2.1 (structure-specific, the default), 2.1-generic or 3.0 (structure-specific). */
  sdmxMl?: string;
}

const list = (v?: string[]) =>
  v
    ?.flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);

/** `marsad export --format F [--indicator …] [--place …] [--from … --to …] [--out FILE]`. */
export async function exportCommand(config: RuntimeConfig, o: ExportCliOptions): Promise<number> {
  if (!(FORMATS as readonly string[]).includes(o.format))
    throw new Error(`--format must be one of ${FORMATS.join(', ')}`);
  if (o.format === 'dhis2' && !o.dhis2Mapping)
    throw new Error(
      '--format dhis2 needs --dhis2-mapping FILE (or saved:NAME): the mapping of data elements, org units and category option combos (the same file as for import)',
    );
  if (o.sdmxMl !== undefined && !(SDMX_ML_VERSION_NAMES as readonly string[]).includes(o.sdmxMl))
    throw new Error(`--sdmx-ml must be one of ${SDMX_ML_VERSION_NAMES.join(', ')}`);
  const sdmxMl = o.format === 'sdmx-ml' && o.sdmxMl ? (o.sdmxMl as SdmxMlVersion) : undefined;
  const dhis2Mapping = await readMappingOption('dhis2', o.dhis2Mapping);
  const remote = await findRemote(config.dataDir, config.databaseUrl);
  if (remote) {
    const q = new URLSearchParams({ format: o.format });
    for (const [k, v] of [
      ['indicator', list(o.indicator)],
      ['place', list(o.place)],
      ['status', list(o.status)],
    ] as const)
      if (v?.length) q.set(k, v.join(','));
    if (o.subtree) q.set('subtree', 'true');
    if (o.from) q.set('from', o.from);
    if (o.to) q.set('to', o.to);
    if (o.format === 'dhis2') {
      setMappingParams(q, 'dhis2', dhis2Mapping);
      if (o.dhis2DataSet) q.set('dhis2DataSet', o.dhis2DataSet);
      if (o.skipUnmapped) q.set('skipUnmapped', 'true');
    }
    if (sdmxMl) q.set('sdmxMl', sdmxMl);
    const res = await remoteFetch(remote, `/api/v1/observations/export?${q}`);
    if (!res.ok || !res.body)
      throw new Error(
        `The server answered ${res.status}: ${((await res.json()) as { message?: string }).message ?? ''}`,
      );
    // The file is opened once the answer is known to be good: a refused export leaves no empty file behind.
    await pipeline(Readable.fromWeb(res.body as never), o.out ? createWriteStream(o.out) : process.stdout);
    return 0;
  }
  // The operator on the database itself: every value, suppressed ones marked (docs/methods/suppression.md).
  const filter: ObservationFilter = {
    indicators: list(o.indicator),
    places: list(o.place),
    subtree: o.subtree,
    revealSuppressed: 'all',
  };
  for (const [key, text] of [
    ['from', o.from],
    ['to', o.to],
  ] as const) {
    if (!text) continue;
    const p = parsePeriod(text);
    if (!p.ok) throw new Error(`--${key}: ${p.message}`);
    if (key === 'from') filter.from = p.period.start;
    else filter.to = p.period.end;
  }
  const statuses = list(o.status);
  if (statuses?.length) filter.statuses = statuses as ObservationFilter['statuses'];
  await withLocalStore(config, async (store) => {
    const dhis2 =
      o.format === 'dhis2'
        ? {
            dhis2Mapping: await localMapping(store, 'dhis2', dhis2Mapping),
            dhis2DataSet: o.dhis2DataSet,
            dhis2SkipUnmapped: o.skipUnmapped,
          }
        : {};
    const out = await exportObservations(store, filter, o.format as FormatName, {
      ...dhis2,
      ...(sdmxMl ? { sdmxMl: SDMX_ML_VERSIONS[sdmxMl] } : {}),
    });
    const target: Writable = o.out ? createWriteStream(o.out) : process.stdout;
    await pipeline(Readable.from(out.body), target);
  });
  return 0;
}
