import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import {
  CLI_ACTOR,
  ColumnMapSchema,
  type Dhis2Mapping,
  FORMATS,
  type FormatName,
  type ImportReport,
  importFile,
} from '@marsad/server';
import type { RuntimeConfig } from '../config.ts';
import { counting, progressBar } from '../progress.ts';
import { findRemote, remoteFetch } from '../remote.ts';
import { withLocalStore } from './local-store.ts';

export interface ImportCliOptions {
  format: string;
  dryRun?: boolean;
  status?: string;
  indicator?: string;
  place?: string;
  map?: string;
  dhis2Mapping?: string;
  createIndicators?: boolean;
  createPlaces?: boolean;
  extendCodes?: boolean;
  source?: string;
  json?: boolean;
}

async function readJsonFile(file: string, what: string): Promise<unknown> {
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
}

/** `marsad import FILE --format F`: all or nothing; approved unless --status says otherwise. */
export async function importCommand(config: RuntimeConfig, file: string, o: ImportCliOptions): Promise<number> {
  if (!(FORMATS as readonly string[]).includes(o.format))
    throw new Error(`--format must be one of ${FORMATS.join(', ')}`);
  const status = (o.status ?? 'approved') as 'provisional' | 'validated' | 'approved';
  if (!['provisional', 'validated', 'approved'].includes(status))
    throw new Error('--status must be provisional, validated or approved');
  const size = (await stat(file)).size;
  const map = o.map ? ColumnMapSchema.parse(await readJsonFile(o.map, 'mapping file')) : undefined;
  const dhis2Mapping = o.dhis2Mapping
    ? ((await readJsonFile(o.dhis2Mapping, 'DHIS2 mapping file')) as Dhis2Mapping)
    : undefined;
  const bar = progressBar(path.basename(file), size);
  const input = counting(createReadStream(file), (n) => bar.update(n));
  const remote = await findRemote(config.dataDir, config.databaseUrl);
  let report: Parameters<typeof printReport>[0];
  try {
    if (remote) {
      const q = new URLSearchParams({ format: o.format, fileName: path.basename(file), status });
      if (o.dryRun) q.set('dryRun', 'true');
      if (o.createIndicators) q.set('createIndicators', 'true');
      if (o.createPlaces) q.set('createPlaces', 'true');
      if (o.extendCodes) q.set('extendCodes', 'true');
      for (const [k, v] of Object.entries({ indicator: o.indicator, place: o.place, source: o.source }))
        if (v) q.set(k, v);
      if (map) q.set('map', JSON.stringify(map));
      if (dhis2Mapping) q.set('dhis2Mapping', JSON.stringify(dhis2Mapping));
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
      report = await withLocalStore(config, (store) =>
        importFile(store, input, {
          format: o.format as FormatName,
          fileName: path.basename(file),
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
          source: o.source,
          map,
          dhis2Mapping,
          reportDir: path.join(config.dataDir, 'import-reports'),
        }),
      );
    }
  } finally {
    bar.stop();
  }
  if (o.json) console.log(JSON.stringify(report, null, 2));
  else printReport(report, path.basename(file));
  return report.state === 'failed' ? 1 : 0;
}
