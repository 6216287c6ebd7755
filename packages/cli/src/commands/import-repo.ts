import { statSync } from 'node:fs';
import path from 'node:path';
import {
  CLI_ACTOR,
  folderRepository,
  importRepository,
  type RepositoryFileReport,
  type RepositoryReport,
  repositorySummary,
} from '@marsad/server';
import JSZip from 'jszip';
import type { RuntimeConfig } from '../config.ts';
import { progressBar } from '../progress.ts';
import { findRemote, remoteFetch } from '../remote.ts';
import { withLocalStore } from './local-store.ts';
import { localMapping, readMappingOption, setMappingParams } from './mapping-option.ts';

export interface ImportRepoCliOptions {
  place?: string;
  publisher?: string;
  language?: string;
  allOrNothing?: boolean;
  createIndicators?: boolean;
  includeArchived?: boolean;
  /** commander's --no-boundaries sets false. */
  boundaries?: boolean;
  createPlaces?: boolean;
  extendCodes?: boolean;
  newSeriesForUnits?: boolean;
  dryRun?: boolean;
  status?: string;
  /** A column mapping for the data files: a file or saved:NAME. */
  map?: string;
  json?: boolean;
}

const where = (e: { at: unknown; column?: string }) =>
  `${/^\d+$/.test(String(e.at)) ? `row ${e.at}` : String(e.at)}${e.column ? `, ${e.column}` : ''}`;

function fileLine(f: RepositoryFileReport): string {
  const c = f.counts;
  const m = f.metadata;
  const b = f.boundaries;
  const what = c
    ? `${c.read} rows: ${c.inserted} new, ${c.updated} changed, ${c.unchanged} unchanged, ${c.skipped} skipped`
    : m
      ? `${m.fields} metadata texts in ${m.languages.join(', ') || 'no language'}: ${m.added} new, ${m.changed} changed, ${m.unchanged} unchanged, ${m.removed} removed`
      : b
        ? `${b.features} areas matched by ${b.matchProperty}: ${b.matched} places (${b.created} new, ${b.updated} changed, ${b.unchanged} unchanged), ${b.unmatchedCount} not matched`
        : '';
  const ind = f.indicator ? ` [${f.indicator}${f.indicatorState ? `, ${f.indicatorState}` : ''}]` : '';
  return `${f.outcome.padEnd(11)} ${f.kind.padEnd(12)} ${f.path}${ind}${what ? ` — ${what}` : ''}${f.outcome === 'skipped' && f.reason ? ` (${f.reason})` : ''}`;
}

export function printRepositoryReport(r: RepositoryReport): void {
  for (const f of r.files) {
    const line = fileLine(f);
    if (f.outcome === 'refused') {
      console.error(line);
      for (const e of f.errors) console.error(`    ${where(e)}: ${e.message}`);
      if (f.counts && f.counts.errors > f.errors.length)
        console.error(`    … ${f.counts.errors - f.errors.length} more error(s) (batch ${f.batchId})`);
    } else console.log(line);
    for (const cr of f.created) console.log(`    new ${cr.kind}: ${cr.code}${cr.detail ? ` (${cr.detail})` : ''}`);
    for (const n of f.notes) console.log(`    note: ${n}`);
    for (const u of f.boundaries?.unmatched.slice(0, 20) ?? [])
      console.log(`    area ${u.feature}${u.value ? ` "${u.value}"` : ''} not matched: ${u.reason}`);
  }
  for (const n of r.notices) console.log(`note: ${n}`);
  const t = r.totals;
  const summary = `${r.repository} (${r.source}): ${r.state} — ${repositorySummary(t)} Batch ${r.batchId}.`;
  if (r.state === 'failed') console.error(summary);
  else console.log(summary);
}

/** Zips the folders of a repository that an import reads, for a running server. */
async function zipFolder(dir: string): Promise<Buffer> {
  const files = await folderRepository(dir);
  const zip = new JSZip();
  for (const p of files.paths) zip.file(p, await files.text(p));
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** `marsad import-repo DIR`: a whole Open SDG data repository, all or nothing per file (or whole). */
export async function importRepoCommand(config: RuntimeConfig, dir: string, o: ImportRepoCliOptions): Promise<number> {
  const status = (o.status ?? 'provisional') as 'provisional' | 'validated' | 'approved';
  if (!['provisional', 'validated', 'approved'].includes(status))
    throw new Error('--status must be provisional, validated or approved');
  const map = await readMappingOption('columns', o.map);
  const remote = await findRemote(config.dataDir, config.databaseUrl);
  let report: RepositoryReport;
  if (remote) {
    if (!o.place) throw new Error('--place is needed when a running server imports the repository');
    const q = new URLSearchParams({ place: o.place, status, fileName: path.basename(path.resolve(dir)) });
    for (const [k, v] of Object.entries({
      allOrNothing: o.allOrNothing,
      createIndicators: o.createIndicators,
      includeArchived: o.includeArchived,
      createPlaces: o.createPlaces,
      extendCodes: o.extendCodes,
      newSeriesForUnits: o.newSeriesForUnits,
      dryRun: o.dryRun,
    }))
      if (v) q.set(k, 'true');
    if (o.boundaries === false) q.set('boundaries', 'false');
    if (o.publisher) q.set('publisher', o.publisher);
    if (o.language) q.set('language', o.language);
    setMappingParams(q, 'columns', map);
    const res = await remoteFetch(remote, `/api/v1/imports/repository?${q}`, {
      method: 'POST',
      body: new Uint8Array(await zipFolder(dir)),
      headers: { 'Content-Type': 'application/zip' },
    });
    const body = (await res.json()) as RepositoryReport & { message?: string };
    if (!body.files) throw new Error(`The server answered ${res.status}: ${body.message ?? ''}`);
    report = body;
  } else {
    const files = await folderRepository(dir);
    const root = path.resolve(dir);
    report = await withLocalStore(config, async (store) =>
      importRepository(store, files, {
        map: await localMapping(store, 'columns', map),
        place: o.place,
        publisher: o.publisher,
        language: o.language,
        allOrNothing: o.allOrNothing,
        createIndicators: o.createIndicators,
        includeArchived: o.includeArchived,
        boundaries: o.boundaries !== false,
        createPlaces: o.createPlaces,
        extendCodes: o.extendCodes,
        newSeriesForUnits: o.newSeriesForUnits,
        dryRun: o.dryRun,
        status,
        rowStatusAllowed: true,
        actor: CLI_ACTOR.label,
        auditActor: CLI_ACTOR,
        reportDir: path.join(config.dataDir, 'import-reports'),
        progress: (p, index, total) => {
          const bar = progressBar(`${index + 1}/${total} ${p}`, statSync(path.join(root, p)).size);
          return { bytes: (n) => bar.update(n), end: () => bar.stop() };
        },
      }),
    );
  }
  if (o.json) console.log(JSON.stringify(report, null, 2));
  else printRepositoryReport(report);
  return report.state === 'failed' || report.state === 'partial' ? 1 : 0;
}
