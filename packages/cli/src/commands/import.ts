import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import {
  CLI_ACTOR,
  type Dhis2Mapping,
  FORMATS,
  type FormatName,
  type ImportReport,
  importFile,
  parseDhis2Mapping,
} from '@marsad/server';
import type { RuntimeConfig } from '../config.ts';
import { counting, progressBar } from '../progress.ts';
import { findRemote, remoteFetch } from '../remote.ts';
import { withLocalStore } from './local-store.ts';
import { localMapping, readMappingOption, setMappingParams } from './mapping-option.ts';

export interface ImportCliOptions {
  format: string;
  dryRun?: boolean;
  status?: string;
  indicator?: string;
  place?: string;
  map?: string;
  dhis2Mapping?: string;
  skipUnmapped?: boolean;
  createIndicators?: boolean;
  createPlaces?: boolean;
  extendCodes?: boolean;
  newSeriesForUnits?: boolean;
  source?: string;
  json?: boolean;
}

export async function readJsonFile(file: string, what: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new Error(`${what} ${file}: ${(err as Error).message}`);
  }
}

export function printReport(
  r: Omit<ImportReport, 'errorReportPath'> & { errorReportPath?: string; errorReport?: string | null },
  file: string,
): void {
  const c = r.counts;
  if (r.state === 'failed') {
    console.error(`${file}: nothing was imported — ${c.errors} error(s) in ${c.read} rows.`);
    for (const e of r.errors.slice(0, 20))
      console.error(
        `  ${typeof e.at === 'number' ? `row ${e.at}` : e.at}${e.column ? `, ${e.column}` : ''}: ${e.message}`,
      );
    if (c.errors > 20) console.error(`  … and ${c.errors - 20} more`);
    if (r.errorReportPath) console.error(`Full error report: ${r.errorReportPath}`);
    if (r.errorReport) console.error(`Full error report: ${r.errorReport}`);
    return;
  }
  const verb = r.state === 'dry-run' ? 'would import' : 'imported';
  console.log(
    `${file}: ${verb} ${c.read} rows — ${c.inserted} new, ${c.updated} changed, ${c.unchanged} unchanged, ${c.skipped} skipped (no data). Batch ${r.batchId}${r.state === 'dry-run' ? ' (dry run: nothing written)' : ''}.`,
  );
  for (const cr of r.created) console.log(`  new ${cr.kind}: ${cr.code}${cr.detail ? ` (${cr.detail})` : ''}`);
  for (const n of r.notices) console.log(`  note: ${n}`);
  const warnings = r.warnings ?? [];
  const warningCount = c.warnings ?? warnings.length;
  if (warningCount > 0) {
    console.log(`  ${warningCount} warning(s) (rules set as warnings; the values were imported):`);
    for (const w of warnings.slice(0, 20))
      console.log(
        `  ${typeof w.at === 'number' ? `row ${w.at}` : w.at}${w.column ? `, ${w.column}` : ''}: ${w.message}`,
      );
    if (warningCount > 20) console.log(`  … and ${warningCount - 20} more`);
  }
}

/** A DHIS2 mapping file, checked (a wrong one is an Error saying where). */
export async function readDhis2MappingFile(file: string): Promise<Dhis2Mapping> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`DHIS2 mapping file ${file}: ${(err as Error).message}`);
  }
  try {
    return parseDhis2Mapping(text);
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
}

/** `marsad import FILE --format F`: all or nothing; provisional unless --status says otherwise. */
export async function importCommand(config: RuntimeConfig, file: string, o: ImportCliOptions): Promise<number> {
  const size = (await stat(file)).size;
  return importStream(config, createReadStream(file), path.basename(file), size, o);
}

/**
 * Imports a stream (a file, or a DHIS2 server's answer) into the local database, or through a
 * running server's API when one holds it; prints the report. Values enter as provisional unless
 * `o.status` says otherwise (the operator may give any status).
 */
export async function importStream(
  config: RuntimeConfig,
  source: AsyncIterable<Uint8Array | string>,
  fileName: string,
  size: number,
  o: ImportCliOptions,
): Promise<number> {
  if (!(FORMATS as readonly string[]).includes(o.format))
    throw new Error(`--format must be one of ${FORMATS.join(', ')}`);
  const status = (o.status ?? 'provisional') as 'provisional' | 'validated' | 'approved';
  if (!['provisional', 'validated', 'approved'].includes(status))
    throw new Error('--status must be provisional, validated or approved');
  const map = await readMappingOption('columns', o.map);
  const dhis2Mapping = await readMappingOption('dhis2', o.dhis2Mapping);
  const bar = progressBar(fileName, size);
  const input = counting(source, (n) => bar.update(n));
  const remote = await findRemote(config.dataDir, config.databaseUrl);
  let report: Parameters<typeof printReport>[0];
  try {
    if (remote) {
      const q = new URLSearchParams({ format: o.format, fileName, status });
      if (o.dryRun) q.set('dryRun', 'true');
      if (o.createIndicators) q.set('createIndicators', 'true');
      if (o.createPlaces) q.set('createPlaces', 'true');
      if (o.extendCodes) q.set('extendCodes', 'true');
      if (o.newSeriesForUnits) q.set('newSeriesForUnits', 'true');
      if (o.skipUnmapped) q.set('skipUnmapped', 'true');
      for (const [k, v] of Object.entries({ indicator: o.indicator, place: o.place, source: o.source }))
        if (v) q.set(k, v);
      setMappingParams(q, 'columns', map);
      setMappingParams(q, 'dhis2', dhis2Mapping);
      const res = await remoteFetch(remote, `/api/v1/imports?${q}`, {
        method: 'POST',
        body: Readable.from(input) as unknown as BodyInit,
        duplex: 'half',
        headers: { 'Content-Type': 'application/octet-stream' },
      });
      const body = (await res.json()) as ImportReport & { message?: string; errorReport?: string };
      if (!body.counts) throw new Error(`The server answered ${res.status}: ${body.message ?? ''}`);
      if (body.errorReport) body.errorReport = remote.baseUrl + body.errorReport;
      report = body;
    } else {
      report = await withLocalStore(config, async (store) =>
        importFile(store, input, {
          format: o.format as FormatName,
          fileName,
          indicator: o.indicator,
          place: o.place,
          actor: CLI_ACTOR.label,
          auditActor: CLI_ACTOR,
          status,
          rowStatusAllowed: true,
          dryRun: o.dryRun,
          createIndicators: o.createIndicators,
          createPlaces: o.createPlaces,
          extendCodes: o.extendCodes,
          newSeriesForUnits: o.newSeriesForUnits,
          source: o.source,
          map: await localMapping(store, 'columns', map),
          dhis2Mapping: await localMapping(store, 'dhis2', dhis2Mapping),
          dhis2SkipUnmapped: o.skipUnmapped,
          reportDir: path.join(config.dataDir, 'import-reports'),
        }),
      );
    }
  } finally {
    bar.stop();
  }
  if (o.json) console.log(JSON.stringify(report, null, 2));
  else printReport(report, fileName);
  return report.state === 'failed' ? 1 : 0;
}
