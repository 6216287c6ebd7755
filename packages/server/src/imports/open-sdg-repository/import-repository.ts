/**
 * Imports a whole Open SDG data repository (docs/formats/open-sdg.md): every `data/` CSV through
 * the import pipeline (importFile, one batch each), and per indicator its metadata (configuration,
 * front matter, translations) into `indicator_metadata`, marked with the repository's source
 * ("Office for National Statistics (Open SDG)").
 *
 * Each file is all or nothing. With `allOrNothing`, the whole repository is: every file runs in
 * one transaction (each file in a savepoint of it, so that every file is still checked and
 * reported) that is rolled back if any file is refused; a failed batch then records the attempt.
 * Files of archived indicators (`archived-1-a-1.csv`) are skipped with a note unless asked for.
 *
 * The boundaries the repository ships (`geojsons/*.geojson`, `regions.geojson`) are imported last as the
 * shapes of the places below the repository's place (places/boundary-import.ts), unless `boundaries` is
 * false: each file matched by the property of its features that matches most places, reported per file
 * (matched, not matched). A boundaries file never fails the import: one that matches nothing is skipped,
 * one that cannot be read is refused, and neither makes the repository's state partial or failed nor
 * rolls back an import all or nothing.
 */
import { createHash } from 'node:crypto';
import type { KindTotals } from '@marsad/core';
import { keepObservationStatistics, type SqlConn, type Store } from '@marsad/db';
import { sql } from 'kysely';
import { type AuditActor, appendAudit } from '../../audit/audit-log.ts';
import { InputFormatError } from '../../formats/common/text.ts';
import { HttpError } from '../../http/errors.ts';
import { DEFAULT_UPLOAD_LIMITS, type UploadLimits } from '../../http/upload-limits.ts';
import { createIndicator } from '../../indicators/create-indicator.ts';
import type { Created } from '../../observations/code-resolver.ts';
import type { ImportProblem } from '../../observations/import-pipeline.ts';
import { importBoundaries, matchPropertyCounts, readAreasFile } from '../../places/boundary-import.ts';
import { type ImportFileOptions, importFile } from '../import-file.ts';
import { isBoundaryFile, type RepositoryFiles } from './repository-files.ts';
import {
  addTranslations,
  codeNamesOf,
  type IndicatorMetadata,
  indicatorMetadata,
  indicatorOfFileName,
  languageCode,
  readFrontMatter,
  type Translations,
} from './repository-metadata.ts';
import { CodedError, type ReasonParams, type RepositoryReasonCode, reasonOf } from './repository-reason-codes.ts';
import { storeInTransaction } from './transaction-store.ts';

/** How many errors each file's entry of the report lists (the batch's error report holds them all). */
export const FIRST_ERRORS = 5;

export interface RepositoryImportOptions
  extends Omit<ImportFileOptions, 'format' | 'fileName' | 'indicator' | 'errorReportPath' | 'onProgress'> {
  /** Who publishes the repository ("Office for National Statistics"); the metadata's source adds "(Open SDG)". */
  publisher?: string;
  /** The place the repository reports for: of rows without GeoCode, and of its metadata. */
  place?: string;
  /** Language of metadata text that is not a translation key (default en). */
  language?: string;
  /** Nothing is written unless every file imports. */
  allOrNothing?: boolean;
  /** Import the files of archived indicators too. */
  includeArchived?: boolean;
  /** Import the boundaries the repository ships as the shapes of its places (default true; false: listed, skipped). */
  boundaries?: boolean;
  /** Whether the importer may change the shape of a place whose parent has this path (absent: the operator). */
  mayChangeShapeUnder?: (parentPath: string | null) => boolean;
  /** Limits on one boundaries file: its bytes and features (default: the upload limits). */
  boundaryLimits?: Pick<UploadLimits, 'maxUnpackedBytes' | 'maxRows'>;
  /** Told when a file starts; what it returns is told the bytes read and when the file ends. */
  progress?: (
    path: string,
    index: number,
    total: number,
  ) => { bytes?(n: number): void; rows?(n: number): void; end?(): void } | undefined;
}

/** `read`: a translation file, whose texts the metadata of the indicators use. */
export type FileOutcome = 'imported' | 'checked' | 'read' | 'refused' | 'skipped' | 'rolled-back';

export type RepositoryFileKind = 'data' | 'metadata' | 'translations' | 'boundaries' | 'other';

export interface RepositoryFileReport {
  path: string;
  kind: RepositoryFileKind;
  indicator?: string;
  outcome: FileOutcome;
  /** The indicator was in the catalogue already (matched) or made by this import (created). */
  indicatorState?: 'matched' | 'created' | 'unknown';
  batchId?: number;
  counts?: { read: number; skipped: number; inserted: number; updated: number; unchanged: number; errors: number };
  metadata?: {
    languages: string[];
    fields: number;
    added: number;
    changed: number;
    unchanged: number;
    removed: number;
  };
  /** A boundaries file: the property chosen, what matched. */
  boundaries?: {
    matchProperty: string;
    /** The properties tried, with how many features each matches to one place. */
    tried: { property: string; matched: number }[];
    features: number;
    matched: number;
    created: number;
    updated: number;
    unchanged: number;
    /** The features that match no place (or several), the first 100. */
    unmatched: { feature: number; value: string | null; reason: string }[];
    unmatchedCount: number;
  };
  /** Other files read with this one (the configuration and language files of an indicator's metadata). */
  alsoRead?: string[];
  created: Created[];
  errors: ImportProblem[];
  notes: string[];
  /** Why a file was skipped or refused as a whole (English, for the CLI and the API's readers). */
  reason?: string;
  /** `reason` as a code (repository-reason-codes.ts), for a message in the user's language; absent: say `reason`. */
  reasonCode?: RepositoryReasonCode;
  /** The values the reason names (numbers as numbers; `detail`: a library's English words). */
  reasonParams?: ReasonParams;
}

export interface RepositoryReport {
  batchId: number;
  state: 'committed' | 'partial' | 'failed' | 'dry-run';
  repository: string;
  source: string;
  place: string | null;
  allOrNothing: boolean;
  files: RepositoryFileReport[];
  totals: {
    /** Entries of `files` (an indicator's metadata files are one entry: `byKind.metadata.files` counts them all). */
    files: number;
    /** Per kind of file: how many, and their outcomes. */
    byKind: Record<RepositoryFileKind, KindTotals>;
    imported: number;
    /** Checked and not written: a dry run, or the files after a refused one when all or nothing. */
    checked: number;
    refused: number;
    skipped: number;
    rows: number;
    inserted: number;
    updated: number;
    unchanged: number;
    metadataFields: number;
    indicatorsCreated: number;
  };
  notices: string[];
}

/** A refusal that fails the repository (all or nothing, its state): a boundaries file never does. */
const blocks = (r: RepositoryFileReport) => r.outcome === 'refused' && r.kind !== 'boundaries';

class WholeRolledBack extends Error {}
class MetadataDryRun extends Error {}

interface IndicatorFiles {
  code: string;
  archived: boolean;
  data: string[];
  meta?: string;
  config?: string;
  langMeta: { lang: string; path: string }[];
}

const isMeta = (p: string) => /\.(md|markdown|ya?ml)$/i.test(p);

/** Sorts codes as 1.1.1 < 1.2.1 < 1.10.1 < 1.a.1. */
function compareCodes(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    const nx = /^\d+$/.test(x) ? Number(x) : Number.NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : Number.NaN;
    if (!Number.isNaN(nx) && !Number.isNaN(ny) && nx !== ny) return nx - ny;
    if (Number.isNaN(nx) !== Number.isNaN(ny)) return Number.isNaN(nx) ? 1 : -1;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

async function* counted(input: AsyncIterable<Uint8Array>, onBytes?: (n: number) => void) {
  let n = 0;
  for await (const c of input) {
    n += c.length;
    onBytes?.(n);
    yield c;
  }
}

export function repositorySource(publisher: string | undefined, repository: string): string {
  return `${(publisher?.trim() || repository).slice(0, 280)} (Open SDG)`;
}

/** Imports a repository; never throws for a bad file (it is refused in the report), only for a fault of the database. */
export async function importRepository(
  store: Store,
  files: RepositoryFiles,
  o: RepositoryImportOptions,
): Promise<RepositoryReport> {
  const language = languageCode(o.language ?? 'en') ?? 'en';
  const source = repositorySource(o.publisher, files.name);
  const reports: RepositoryFileReport[] = [];
  const notices: string[] = [];
  const translations: Translations = new Map();
  const boundaryPaths: string[] = [];
  const byCode = new Map<string, IndicatorFiles>();
  const entry = (code: string, archived: boolean) => {
    const key = `${archived ? 'archived:' : ''}${code}`;
    let e = byCode.get(key);
    if (!e) {
      e = { code, archived, data: [], langMeta: [] };
      byCode.set(key, e);
    }
    return e;
  };

  // Sort the files: data and metadata by indicator; translations read first.
  for (const p of files.paths) {
    const parts = p.split('/');
    const top = parts[0];
    if (top === 'translations') {
      const lang = parts.length === 3 ? languageCode(parts[1]!) : undefined;
      const group = /^(.+)\.(ya?ml)$/i.exec(parts[2] ?? '')?.[1];
      if (!lang || !group) {
        reports.push(
          other(
            p,
            'translations',
            'not a translation file (translations/<language>/<group>.yml)',
            'not-translation-file',
          ),
        );
        continue;
      }
      try {
        addTranslations(translations, lang, group, await files.text(p));
        reports.push({ path: p, kind: 'translations', outcome: 'read', created: [], errors: [], notes: [] });
      } catch (err) {
        reports.push({
          path: p,
          kind: 'translations',
          outcome: 'refused',
          created: [],
          errors: [{ at: 'file', message: (err as Error).message }],
          notes: [],
          reason: `refused: ${(err as Error).message}`,
          ...reasonOf(err, { file: p }),
        });
      }
      continue;
    }
    if (isBoundaryFile(p)) {
      boundaryPaths.push(p);
      continue;
    }
    const ind = indicatorOfFileName(p);
    if (top === 'data') {
      if (parts.length !== 2 || !/\.csv$/i.test(p)) {
        reports.push(other(p, 'other', 'not a data file (data/indicator_11-1-1.csv)', 'not-data-file'));
        continue;
      }
      if (!ind) {
        reports.push(
          other(p, 'data', 'the name does not give an indicator (indicator_11-1-1.csv)', 'no-indicator-in-name'),
        );
        continue;
      }
      entry(ind.code, ind.archived).data.push(p);
    } else if (top === 'meta') {
      if (!isMeta(p) || !ind) {
        reports.push(other(p, 'other', 'not a metadata file (meta/11-1-1.md)', 'not-metadata-file'));
        continue;
      }
      if (parts.length === 2) entry(ind.code, ind.archived).meta = p;
      else if (parts.length === 3 && languageCode(parts[1]!)) {
        entry(ind.code, ind.archived).langMeta.push({ lang: languageCode(parts[1]!)!, path: p });
      } else
        reports.push(
          other(p, 'other', 'not a metadata file (meta/11-1-1.md or meta/<language>/11-1-1.md)', 'not-metadata-file'),
        );
    } else if (top === 'indicator-config') {
      if (!isMeta(p) || !ind) {
        reports.push(
          other(p, 'other', 'not an indicator configuration (indicator-config/11-1-1.yml)', 'not-indicator-config'),
        );
        continue;
      }
      entry(ind.code, ind.archived).config = p;
    }
  }
  if (translations.size) notices.push(`Translations in ${[...translations.keys()].sort().join(', ')}.`);
  // What the data files create (places, series, units, values of breakdowns) is named in the translations' languages.
  const codeNames = o.codeNames ?? (translations.size ? codeNamesOf(translations) : undefined);

  const indicators = [...byCode.values()].sort(
    (a, b) => compareCodes(a.code, b.code) || Number(a.archived) - Number(b.archived),
  );
  const total =
    indicators.reduce((n, i) => n + i.data.length + (i.meta || i.config || i.langMeta.length ? 1 : 0), 0) +
    boundaryPaths.length;
  let index = 0;
  let placeId: number | null = null;
  if (o.place) {
    const p = await store.db.selectFrom('places').select('id').where('code', '=', o.place).executeTakeFirst();
    if (!p) throw new Error(`--place: no place with code "${o.place}"; add it first (marsad places import).`);
    placeId = p.id;
  }

  // All or nothing: once a file is refused, nothing will be written; the files after it are only checked.
  const checkOnly = (): RepositoryImportOptions =>
    o.allOrNothing && reports.some(blocks) ? { ...o, dryRun: true } : o;
  const run = async (s: Store, batchId: number): Promise<void> => {
    const known = new Set(
      (await s.db.selectFrom('indicators').select('code').execute()).map((r) => r.code.toLowerCase()),
    );
    for (const ind of indicators) {
      const metaPaths = [ind.config, ind.meta, ...ind.langMeta.map((l) => l.path)].filter((x): x is string => !!x);
      if (ind.archived && !o.includeArchived) {
        for (const p of [...ind.data, ...metaPaths])
          reports.push({
            ...other(
              p,
              ind.data.includes(p) ? 'data' : 'metadata',
              `archived indicator ${ind.code}: skipped`,
              'archived-indicator',
              { indicator: ind.code },
            ),
            indicator: ind.code,
          });
        index += ind.data.length + (metaPaths.length ? 1 : 0);
        continue;
      }
      const matched = known.has(ind.code);
      for (const p of ind.data) {
        const progress = o.progress?.(p, index++, total);
        reports.push(
          await importDataFile(s, files, p, ind.code, matched, source, { ...checkOnly(), codeNames }, progress),
        );
        progress?.end?.();
        if (reports.at(-1)!.created.some((c) => c.kind === 'indicator')) known.add(ind.code);
      }
      if (!metaPaths.length) continue;
      const progress = o.progress?.(metaPaths[0]!, index++, total);
      const r = await importMetadata(
        s,
        files,
        ind,
        metaPaths,
        translations,
        language,
        source,
        placeId,
        batchId,
        checkOnly(),
      );
      if (r.indicatorState === 'created') known.add(ind.code);
      reports.push(r);
      progress?.end?.();
    }
    // Last: the places that data files created are there to be matched.
    for (const p of boundaryPaths) {
      const progress = o.progress?.(p, index++, total);
      reports.push(await importBoundaryFile(s, files, p, checkOnly()));
      progress?.end?.();
    }
  };

  const newBatch = (db: Store['db']) =>
    db
      .insertInto('import_batches')
      .values({
        format: 'open-sdg-repository',
        file_name: files.name.slice(0, 300),
        actor: o.actor,
        state: 'running',
        default_status: o.status,
        options: JSON.stringify({
          dryRun: !!o.dryRun,
          createIndicators: !!o.createIndicators,
          allOrNothing: !!o.allOrNothing,
          includeArchived: !!o.includeArchived,
          place: o.place ?? null,
          source,
        }),
        counts: JSON.stringify({}),
        checksum: null,
        started_at: sql`clock_timestamp()`,
      } as never)
      .returning('id')
      .executeTakeFirstOrThrow();

  const finish = async (conn: SqlConn, batchId: number, state: 'committed' | 'failed' | 'dry-run') => {
    const totals = totalsOf(reports, !!o.dryRun);
    if (state === 'committed')
      await appendAudit(conn, o.auditActor ?? { label: o.actor, userId: null, ip: null }, {
        action: 'import',
        entityType: 'import_batch',
        entityId: batchId,
        batchId,
        summary: `Open SDG repository ${files.name}: ${repositorySummary(totals)}`,
        after: { source, place: o.place ?? null, ...totals },
      });
    await conn.query(
      `UPDATE import_batches SET state = $2, counts = $3, error_count = $4, finished_at = clock_timestamp(),
         failure_reason = CASE WHEN $2 = 'failed' THEN 'invalid-rows' END, checksum = $5
       WHERE id = $1`,
      [
        batchId,
        state,
        JSON.stringify({
          files: totals.files,
          byKind: totals.byKind,
          imported: totals.imported,
          refused: totals.refused,
          skipped: totals.skipped,
          read: totals.rows,
          inserted: totals.inserted,
          updated: totals.updated,
          unchanged: totals.unchanged,
          metadata: totals.metadataFields,
        }),
        totals.refused,
        createHash('sha256')
          .update(reports.map((r) => `${r.path}:${r.outcome}`).join('\n'))
          .digest('hex'),
      ],
    );
  };

  let batchId: number;
  let state: RepositoryReport['state'];
  if (o.allOrNothing && !o.dryRun) {
    batchId = 0;
    try {
      await store.exclusive(async (conn) => {
        const inner = storeInTransaction(store, conn);
        batchId = (await newBatch(inner.db)).id;
        await run(inner, batchId);
        if (reports.some(blocks)) throw new WholeRolledBack();
        await finish(conn, batchId, 'committed');
      });
      state = 'committed';
      // Its files were imported inside the one transaction: the statistics are kept once it committed.
      const t = totalsOf(reports);
      await keepObservationStatistics(store, t.inserted + t.updated);
    } catch (err) {
      if (!(err instanceof WholeRolledBack)) throw err;
      for (const r of reports) if (r.outcome === 'imported') r.outcome = 'rolled-back';
      for (const r of reports) delete r.batchId;
      // The attempt is recorded as one failed batch.
      batchId = (await newBatch(store.db)).id;
      await store.exclusive((conn) => finish(conn, batchId, 'failed'));
      notices.push(
        'Nothing was written: the repository is imported all or nothing, and some files were refused. Every file was still checked.',
      );
      state = 'failed';
    }
  } else {
    batchId = (await newBatch(store.db)).id;
    try {
      await run(store, batchId);
    } catch (err) {
      await store.db
        .updateTable('import_batches')
        .set({ state: 'failed', failure_reason: 'error', finished_at: sql`clock_timestamp()` })
        .where('id', '=', batchId)
        .execute();
      throw err;
    }
    const refused = reports.some(blocks);
    const imported = reports.some((r) => r.outcome === 'imported' && r.kind !== 'boundaries');
    state = o.dryRun ? 'dry-run' : refused ? (imported ? 'partial' : 'failed') : 'committed';
    await store.exclusive((conn) =>
      finish(conn, batchId, state === 'dry-run' ? 'dry-run' : state === 'failed' ? 'failed' : 'committed'),
    );
  }
  return {
    batchId,
    state,
    repository: files.name,
    source,
    place: o.place ?? null,
    allOrNothing: !!o.allOrNothing,
    files: reports,
    totals: totalsOf(reports, !!o.dryRun),
    notices,
  };
}

function other(
  p: string,
  kind: RepositoryFileReport['kind'],
  reason: string,
  reasonCode: RepositoryReasonCode,
  reasonParams: ReasonParams = {},
): RepositoryFileReport {
  return { path: p, kind, outcome: 'skipped', created: [], errors: [], notes: [], reason, reasonCode, reasonParams };
}

/** Totals; rows of files only checked count in a dry run (what it would import), not after a whole one refused. */
function totalsOf(reports: RepositoryFileReport[], dryRun = false): RepositoryReport['totals'] {
  const kind = (): KindTotals => ({
    files: 0,
    entries: 0,
    imported: 0,
    checked: 0,
    read: 0,
    refused: 0,
    skipped: 0,
    rolledBack: 0,
  });
  const t = {
    files: reports.length,
    byKind: { data: kind(), metadata: kind(), translations: kind(), boundaries: kind(), other: kind() },
    imported: 0,
    checked: 0,
    refused: 0,
    skipped: 0,
    rows: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    metadataFields: 0,
    indicatorsCreated: 0,
  };
  for (const r of reports) {
    const k = t.byKind[r.kind];
    k.entries++;
    k.files += 1 + (r.alsoRead?.length ?? 0);
    if (r.outcome === 'rolled-back') k.rolledBack++;
    else k[r.outcome]++;
    if (r.outcome === 'imported') t.imported++;
    else if (r.outcome === 'checked') t.checked++;
    else if (r.outcome === 'refused') t.refused++;
    else if (r.outcome === 'skipped') t.skipped++;
    const done = r.outcome === 'imported' || (dryRun && r.outcome === 'checked');
    if (r.counts && done) {
      t.rows += r.counts.read;
      t.inserted += r.counts.inserted;
      t.updated += r.counts.updated;
      t.unchanged += r.counts.unchanged;
    }
    if (r.metadata && done) t.metadataFields += r.metadata.fields;
    if (r.indicatorState === 'created' && done) t.indicatorsCreated++;
  }
  return t;
}

async function importDataFile(
  store: Store,
  files: RepositoryFiles,
  p: string,
  code: string,
  matched: boolean,
  source: string,
  o: RepositoryImportOptions,
  progress: ReturnType<NonNullable<RepositoryImportOptions['progress']>>,
): Promise<RepositoryFileReport> {
  const { publisher: _p, language: _l, allOrNothing: _a, includeArchived: _i, progress: _g, ...fileOptions } = o;
  try {
    const r = await importFile(store, counted(files.stream(p), progress?.bytes), {
      ...fileOptions,
      source: o.source ?? source,
      format: 'open-sdg',
      fileName: p.split('/').pop(),
      indicator: code,
      onProgress: progress?.rows,
    });
    const created = r.created.some((c) => c.kind === 'indicator' && c.code.toLowerCase() === code);
    return {
      path: p,
      kind: 'data',
      indicator: code,
      outcome: r.state === 'committed' ? 'imported' : r.state === 'dry-run' ? 'checked' : 'refused',
      indicatorState: matched ? 'matched' : created ? 'created' : 'unknown',
      batchId: r.batchId,
      counts: r.counts,
      created: r.created,
      errors: r.errors.slice(0, FIRST_ERRORS),
      notes: r.notices,
      ...(r.state === 'failed'
        ? {
            reason: `${r.counts.errors} error(s) in ${r.counts.read + r.counts.skipped} row(s); nothing of it was imported`,
            reasonCode: 'rows-refused' as const,
            reasonParams: { errors: r.counts.errors, rows: r.counts.read + r.counts.skipped },
          }
        : {}),
    };
  } catch (err) {
    // A file that cannot be read (a zip entry that does not unpack, an unexpected fault of the file) is refused.
    if (isDatabaseFault(err)) throw err;
    return {
      path: p,
      kind: 'data',
      indicator: code,
      outcome: 'refused',
      indicatorState: matched ? 'matched' : 'unknown',
      created: [],
      errors: [{ at: 'file', message: (err as Error).message }],
      notes: [],
      reason: (err as Error).message,
      ...reasonOf(err),
    };
  }
}

/** An error from the database that is not the file's fault (lost connection, …): the import stops. */
function isDatabaseFault(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return typeof code === 'string' && /^(08|53|57|58|XX)/.test(code);
}

async function importMetadata(
  store: Store,
  files: RepositoryFiles,
  ind: IndicatorFiles,
  paths: string[],
  translations: Translations,
  language: string,
  source: string,
  placeId: number | null,
  batchId: number,
  o: RepositoryImportOptions,
): Promise<RepositoryFileReport> {
  const main = ind.meta ?? ind.config ?? paths[0]!;
  const report: RepositoryFileReport = {
    path: main,
    kind: 'metadata',
    indicator: ind.code,
    outcome: 'refused',
    created: [],
    errors: [],
    notes: [],
    ...(paths.length > 1 ? { alsoRead: paths.filter((p) => p !== main) } : {}),
  };
  let md: IndicatorMetadata;
  try {
    const layers: { lang?: string; fields: Record<string, unknown>; body?: string }[] = [];
    for (const p of [ind.config, ind.meta]) {
      if (!p) continue;
      try {
        layers.push(readFrontMatter(await files.text(p), /\.ya?ml$/i.test(p)));
      } catch (err) {
        throw ofFile(p, err);
      }
    }
    for (const l of ind.langMeta) {
      try {
        layers.push({ lang: l.lang, ...readFrontMatter(await files.text(l.path), /\.ya?ml$/i.test(l.path)) });
      } catch (err) {
        throw ofFile(l.path, err);
      }
    }
    md = indicatorMetadata(layers, translations, language);
  } catch (err) {
    report.errors.push({ at: 'file', message: (err as Error).message });
    report.reason = (err as Error).message;
    Object.assign(report, reasonOf(err));
    return report;
  }
  report.notes.push(...md.notes);
  try {
    await store.exclusive(async (conn) => {
      const found = await conn.query<{ id: number; local: boolean; names: Record<string, string>; code: string }>(
        'SELECT id, local, names, code FROM indicators WHERE lower(code) = $1',
        [ind.code],
      );
      let row = found.rows[0];
      if (!row) {
        if (!o.createIndicators) {
          throw new FileRefused(
            'unknown-indicator',
            `unknown indicator "${ind.code}"; add it to the catalogue first, or import with --create-indicators to create it as a local indicator`,
            { indicator: ind.code },
          );
        }
        const names = Object.keys(md.names).length ? md.names : { en: ind.code };
        await createIndicator(
          conn,
          {
            code: ind.code,
            names,
            direction: 'none',
            status: 'active',
            frameworks: [],
            tags: [],
            dimensions: [],
            series: [],
            ...(o.place && placeId !== null ? { ownerPlace: o.place } : {}),
          },
          o.auditActor ?? ({ label: o.actor, userId: null, ip: null } satisfies AuditActor),
        );
        row = (
          await conn.query<{ id: number; local: boolean; names: Record<string, string>; code: string }>(
            'SELECT id, local, names, code FROM indicators WHERE code = $1',
            [ind.code],
          )
        ).rows[0]!;
        report.indicatorState = 'created';
        report.created.push({ kind: 'indicator', code: ind.code, detail: 'local indicator, named by its metadata' });
      } else {
        report.indicatorState = 'matched';
        // An indicator that a data file of this import created is named by the code alone: give it its names.
        const n = row.names ?? {};
        if (row.local && Object.keys(md.names).length && Object.keys(n).length === 1 && n.en === row.code) {
          // …and the place it belongs to, as a local indicator created by its metadata would be.
          await conn.query(
            'UPDATE indicators SET names = $2, owner_place_id = coalesce(owner_place_id, $3), updated_at = now() WHERE id = $1',
            [row.id, JSON.stringify(md.names), placeId],
          );
          report.notes.push('the indicator is named from its metadata');
        }
      }
      report.metadata = await writeMetadata(conn, row.id, source, placeId, batchId, md);
      if (o.dryRun) throw new MetadataDryRun();
    });
    report.outcome = 'imported';
  } catch (err) {
    if (err instanceof MetadataDryRun) report.outcome = 'checked';
    else if (err instanceof FileRefused) {
      report.errors.push({ at: 'file', message: err.message });
      report.reason = err.message;
      Object.assign(report, reasonOf(err));
    } else if (isDatabaseFault(err)) throw err;
    else {
      const message = (err as Error).message;
      report.errors.push({ at: 'file', message });
      report.reason = message;
    }
  }
  return report;
}

class FileRefused extends CodedError {}

/** An error of one of an indicator's metadata files, named by its path (its code given the file). */
function ofFile(p: string, err: unknown): Error {
  const message = `${p}: ${(err as Error).message}`;
  const coded = reasonOf(err, { file: p });
  return coded.reasonCode ? new CodedError(coded.reasonCode, message, coded.reasonParams) : new Error(message);
}

/** Replaces the indicator's texts of this source by the new ones, counting what changed. */
async function writeMetadata(
  conn: SqlConn,
  indicatorId: number,
  source: string,
  placeId: number | null,
  batchId: number,
  md: IndicatorMetadata,
): Promise<NonNullable<RepositoryFileReport['metadata']>> {
  const old = await conn.query<{ id: number; lang: string; field: string; text: string; position: number }>(
    'SELECT id, lang, field, text, position FROM indicator_metadata WHERE indicator_id = $1 AND source = $2',
    [indicatorId, source],
  );
  const before = new Map(old.rows.map((r) => [`${r.lang}\u0001${r.field}`, r]));
  const added: typeof md.texts = [];
  const changed: { id: number; text: string; position: number }[] = [];
  let unchanged = 0;
  for (const t of md.texts) {
    const k = `${t.lang}\u0001${t.field}`;
    const b = before.get(k);
    before.delete(k);
    if (!b) added.push(t);
    else if (b.text !== t.text || b.position !== t.position)
      changed.push({ id: b.id, text: t.text, position: t.position });
    else unchanged++;
  }
  const removed = [...before.values()].map((r) => r.id);
  if (removed.length) await conn.query('DELETE FROM indicator_metadata WHERE id = ANY($1::int[])', [removed]);
  if (changed.length)
    await conn.query(
      `UPDATE indicator_metadata m SET text = x.text, position = x.position, batch_id = $2, place_id = $3, updated_at = now()
       FROM jsonb_to_recordset($1::jsonb) AS x(id int, text text, position int) WHERE m.id = x.id`,
      [JSON.stringify(changed), batchId, placeId],
    );
  if (added.length)
    await conn.query(
      `INSERT INTO indicator_metadata (indicator_id, lang, field, text, source, place_id, batch_id, position)
       SELECT $2, x.lang, x.field, x.text, $3, $4, $5, x.position
       FROM jsonb_to_recordset($1::jsonb) AS x(lang text, field text, text text, position int)`,
      [JSON.stringify(added), indicatorId, source, placeId, batchId],
    );
  return {
    languages: [...new Set(md.texts.map((t) => t.lang))].sort(),
    fields: md.texts.length,
    added: added.length,
    changed: changed.length,
    unchanged,
    removed: removed.length,
  };
}

/** The totals in words, per kind of file (the CLI's last line, the API's message, the audit entry). */
export function repositorySummary(t: RepositoryReport['totals']): string {
  const d = t.byKind.data;
  const m = t.byKind.metadata;
  const tr = t.byKind.translations;
  const b = t.byKind.boundaries;
  const o = t.byKind.other;
  const outcomes = (k: KindTotals) =>
    [
      k.imported && `${k.imported} imported`,
      k.checked && `${k.checked} checked only`,
      k.rolledBack && `${k.rolledBack} rolled back`,
      k.refused && `${k.refused} refused`,
      k.skipped && `${k.skipped} skipped`,
    ]
      .filter(Boolean)
      .join(', ') || 'none';
  const parts = [
    `data files: ${d.files} (${outcomes(d)}); ${t.rows} rows: ${t.inserted} new, ${t.updated} changed, ${t.unchanged} unchanged`,
    `metadata of ${m.entries} indicator(s) from ${m.files} file(s) (${outcomes(m)}); ${t.metadataFields} texts`,
    `translation files: ${tr.files} (${tr.read} read${tr.refused ? `, ${tr.refused} refused` : ''}${tr.skipped ? `, ${tr.skipped} skipped` : ''})`,
    `boundary files: ${b.files}${b.files ? ` (${outcomes(b)})` : ''}`,
  ];
  if (o.files) parts.push(`other files skipped: ${o.files}`);
  if (t.indicatorsCreated) parts.push(`${t.indicatorsCreated} indicator(s) created`);
  return `${parts.join('; ')}.`;
}

/**
 * One boundaries file of the repository: read, matched to the places below the repository's place by the property
 * that matches most, stored in a savepoint of its own. Never throws for the file: refused or skipped in the report.
 */
async function importBoundaryFile(
  store: Store,
  files: RepositoryFiles,
  p: string,
  o: RepositoryImportOptions,
): Promise<RepositoryFileReport> {
  const report: RepositoryFileReport = {
    path: p,
    kind: 'boundaries',
    outcome: 'skipped',
    created: [],
    errors: [],
    notes: [],
  };
  const fail = (
    outcome: 'refused' | 'skipped',
    message: string,
    reasonCode?: RepositoryReasonCode,
    reasonParams: ReasonParams = {},
  ) => {
    report.outcome = outcome;
    report.reason = message;
    if (reasonCode) Object.assign(report, { reasonCode, reasonParams });
    if (outcome === 'refused') report.errors.push({ at: 'file', message });
    return report;
  };
  if (o.boundaries === false)
    return fail(
      'skipped',
      'boundaries are not imported (import with boundaries to import them)',
      'boundaries-not-imported',
    );
  let features: Awaited<ReturnType<typeof readAreasFile>>;
  try {
    features = await readAreasFile(files.stream(p), o.boundaryLimits ?? DEFAULT_UPLOAD_LIMITS);
  } catch (err) {
    if (isDatabaseFault(err)) throw err;
    const e = err as Error & { at?: string };
    const message = `${e instanceof InputFormatError && e.at ? `${e.at}: ` : ''}${e.message}`;
    const coded = reasonOf(e);
    return coded.reasonCode
      ? fail('refused', message, coded.reasonCode, coded.reasonParams)
      : fail('refused', message, 'boundaries-unreadable', { detail: message.slice(0, 300) });
  }
  if (!features.length) return fail('skipped', 'the file has no areas', 'no-areas');
  class DryRun extends Error {}
  try {
    await store.exclusive(async (conn) => {
      const tried = (await matchPropertyCounts(conn, features, o.place)).slice(0, 10);
      const best = tried[0];
      if (!best || best.matched === 0) {
        fail(
          'skipped',
          `no property of its ${features.length} feature(s) matches a place${o.place ? ` under ${o.place}` : ''} by code, external code or name (tried: ${tried.map((x) => x.property).join(', ') || 'none'}); add the places first, then import the file with marsad places boundaries`,
          'no-matching-property',
          { features: features.length, tried: tried.map((x) => x.property).join(', ') || '—' },
        );
        return;
      }
      const r = await importBoundaries(conn, features, {
        matchProperty: best.property,
        parent: o.place ?? null,
        file: p,
        dryRun: o.dryRun,
        actor: o.auditActor ?? { label: o.actor, userId: null, ip: null },
        ...(o.mayChangeShapeUnder ? { mayChangeUnder: o.mayChangeShapeUnder } : {}),
      });
      report.boundaries = {
        matchProperty: best.property,
        tried,
        features: r.features,
        matched: r.matched,
        created: r.created,
        updated: r.updated,
        unchanged: r.unchanged,
        unmatched: r.unmatched.slice(0, 100),
        unmatchedCount: r.unmatched.length,
      };
      report.outcome = o.dryRun ? 'checked' : 'imported';
      if (o.dryRun) throw new DryRun();
    });
  } catch (err) {
    if (err instanceof DryRun) return report;
    if (err instanceof HttpError) return fail('refused', err.message);
    if (isDatabaseFault(err)) throw err;
    return fail('refused', (err as Error).message);
  }
  return report;
}
