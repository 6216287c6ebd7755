import { createHash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import {
  type Location,
  OBSERVATION_STATUSES,
  type ObservationRecord,
  type ObservationStatus,
  type Period,
  parsePeriod,
  parseUnitMultiplier,
  type ReadItem,
  sameUnit,
  scaleByPowerOfTen,
} from '@marsad/core';
import {
  CopyTextBuffer,
  copyDirectSql,
  copyStageSql,
  createStage,
  faultPoint,
  findDuplicateKeys,
  keepObservationStatistics,
  type MergeCounts,
  mergeStage,
  previewMerge,
  type SqlConn,
  type Store,
} from '@marsad/db';
import { sql } from 'kysely';
import { type AuditActor, appendAudit } from '../audit/audit-log.ts';
import { csvLine } from '../formats/common/csv-cell.ts';
import { type CodeNames, CodeResolver, type Created, type IndicatorEntry, type SeriesEntry } from './code-resolver.ts';
import type { ColumnMap } from './column-map.ts';
import { checkRange, checkSetRules, checkUnitRule, hasSetRules, loadIndicatorRules } from './import-rules.ts';

/** How many errors an answer lists; the report file holds them all. */
export const MAX_LISTED_ERRORS = 1000;
const COPY_CHUNK_BYTES = 4 * 1024 * 1024;

export interface ImportRequest {
  format: string;
  fileName?: string;
  /** Who imports: 'cli', 'api-token', later a user id. */
  actor: string;
  /** Who imports, for the audit log (default: the label in `actor`). */
  auditActor?: AuditActor;
  /** Status of rows that give none. */
  status: ObservationStatus;
  /** Whether rows may set their own status (a `status` column). */
  rowStatusAllowed: boolean;
  dryRun?: boolean;
  createIndicators?: boolean;
  /** The file's place (--place): places the rows name by a name alone are looked for under it first, new ones go under it. */
  place?: string;
  /** A place a row names and no place is known by is created under the file's place (CodeResolver.createPlace). */
  createPlaces?: boolean;
  /** Whether the importer may add places under the place of this path (createPlaces). Absent: the operator, who may. */
  mayAddPlaceUnder?: (parentPath: string) => boolean;
  /** A value that a closed code list lacks (an age band Y18T24) is added to it, with its label. */
  extendCodes?: boolean;
  /**
   * A value in a unit other than its series' starts (or joins) a series of the indicator in that
   * unit, instead of being an error naming the row.
   */
  newSeriesForUnits?: boolean;
  /** The names the file's publisher gives its codes in several languages (an Open SDG repository's translations). */
  codeNames?: CodeNames;
  /** Unit of rows that name none (a file without a unit column whose values are not in their series' unit). */
  unit?: string;
  /**
   * Who may write which place: for each place (by its path), whether the importer may write
   * it at all, and whether as validated or approved. Absent: the operator (CLI), who may all.
   */
  placeRights?: (placePath: string) => { write: boolean; approve: boolean };
  map?: ColumnMap;
  /** Source of rows that name none. */
  source?: string;
  /** Where to write every error as CSV (location, column, message), given the batch id. */
  errorReportPath?: (batchId: number) => string;
  onProgress?: (rowsRead: number) => void;
}

export interface ImportProblem {
  at: Location;
  column?: string;
  message: string;
  /**
   * What the problem is, stable for a message in the user's language (the web app's catalogs): the validation rule
   * broken (core EntryProblemCode), or a reader's problem (IMPORT_PROBLEM_CODES, import-problem-codes.ts).
   * `message` stays English.
   */
  code?: string;
  /** The values the message names: row values, codes, what was expected. */
  params?: Record<string, string | number>;
}

export interface ImportReport {
  batchId: number;
  state: 'committed' | 'failed' | 'dry-run';
  checksum: string;
  counts: MergeCounts & { read: number; skipped: number; errors: number; warnings: number };
  errors: ImportProblem[];
  /** Rules set as warnings that rows break (the first 1,000): reported, imported all the same. */
  warnings: ImportProblem[];
  skipped: { at: Location; reason: string }[];
  created: Created[];
  notices: string[];
  errorReportPath?: string;
}

/** Why a row's indicator, series or unit does not resolve. */
type TargetProblem = { column: string; message: string; code?: string; params?: Record<string, string | number> };

/** Where the values of an indicator, series, unit and unit multiplier go. */
interface SeriesTarget {
  indicatorId: number;
  seriesId: number;
  /** The unit stored with the values: the series'. */
  unit: string | null;
  /** The power of ten the file's unit multiplier scales values by. */
  exponent: number;
  /** The indicator's unit rule, broken by that unit. */
  unitRule: { column: string; message: string; code: string; severity: 'error' | 'warning' } | null;
  /** Whether the indicator's range holds for these values (they are in the indicator's unit). */
  rangeApplies: boolean;
  /** Whether the rows are copied straight into observations (a series with no stored observation), else staged. */
  direct: boolean;
}

class ImportFailed extends Error {}
class DryRunDone extends Error {}
/** A COPY found a key given twice: the transaction is aborted, reading stops. */
class DuplicateStop extends Error {}

/** Tees the input through a SHA-256 hash. */
async function* hashing(input: AsyncIterable<Uint8Array | string>, hash: ReturnType<typeof createHash>) {
  for await (const chunk of input) {
    hash.update(chunk);
    yield chunk;
  }
}

/**
 * Imports observations, all or nothing. Rows are read, resolved and validated in one pass
 * and written with COPY in chunks inside one transaction: straight into observations for a
 * series that holds none yet, else into a staging table that is merged at the end. Any error
 * (a bad row, a key given twice) rolls the whole import back; a bad row is reported after every
 * row was still checked so the report is complete (a key given twice among rows copied straight
 * in stops the reading, as the COPY fails). Re-importing the same data changes nothing.
 */
export async function runImport(
  store: Store,
  input: AsyncIterable<Uint8Array | string>,
  read: (input: AsyncIterable<Uint8Array | string>) => AsyncIterable<ReadItem[]>,
  req: ImportRequest,
): Promise<ImportReport> {
  const hash = createHash('sha256');
  const errors: ImportProblem[] = [];
  const skipped: { at: Location; reason: string }[] = [];
  const notices: string[] = [];
  let errorCount = 0;
  let warningCount = 0;
  const warnings: ImportProblem[] = [];
  const warn = (p: ImportProblem) => {
    warningCount++;
    if (warnings.length < MAX_LISTED_ERRORS) warnings.push(p);
  };
  let skippedCount = 0;
  let readCount = 0;
  let created: Created[] = [];
  let merge: MergeCounts = { inserted: 0, updated: 0, unchanged: 0 };
  let checksum = '';
  let reportStream: WriteStream | undefined;
  let reportPath: string | undefined;
  const report = (p: ImportProblem) => {
    errorCount++;
    if (errors.length < MAX_LISTED_ERRORS) errors.push(p);
    if (reportPath) {
      if (!reportStream) {
        reportStream = createWriteStream(reportPath);
        reportStream.write('location,column,message\n');
      }
      // A column named in the file, or a message quoting a cell, may begin like a formula: csvLine neutralises it.
      reportStream.write(csvLine([p.at, p.column, p.message]));
    }
  };

  const batch = await store.db
    .insertInto('import_batches')
    .values({
      format: req.format,
      file_name: req.fileName ?? null,
      actor: req.actor,
      state: 'running',
      default_status: req.status,
      options: JSON.stringify({
        dryRun: !!req.dryRun,
        createIndicators: !!req.createIndicators,
        ...(req.newSeriesForUnits ? { newSeriesForUnits: true } : {}),
      }),
      counts: JSON.stringify({}),
      checksum: null,
      started_at: sql`clock_timestamp()`,
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  const batchId = batch.id;
  reportPath = req.errorReportPath?.(batchId);

  let state: ImportReport['state'] = 'committed';
  try {
    await store.exclusive(async (conn) => {
      // The batch row stays locked by this transaction until it ends: a server starting up meanwhile sees that the
      // import is alive (failInterruptedImports, import-recovery.ts). One that started between the INSERT above and
      // this lock may have marked it interrupted already: then stop, for its record says so.
      const mine = await conn.query<{ state: string }>(
        'SELECT state FROM import_batches WHERE id = $1 FOR NO KEY UPDATE',
        [batchId],
      );
      if (mine.rows[0]?.state !== 'running') {
        throw new Error(`Import batch ${batchId} was marked as interrupted before it began; import the file again.`);
      }
      let pendingCopy: Promise<unknown> | null = null;
      let duplicate = null as ImportProblem | null;
      // Queries wait for a COPY under way on the same connection.
      const guarded: SqlConn = {
        query: async (t, p) => {
          if (pendingCopy !== null) await pendingCopy;
          if (duplicate) throw new DuplicateStop();
          return conn.query(t, p);
        },
        exec: async (s) => {
          if (pendingCopy !== null) await pendingCopy;
          if (duplicate) throw new DuplicateStop();
          return conn.exec(s);
        },
        copyIn: conn.copyIn.bind(conn),
        copyOut: conn.copyOut.bind(conn),
      };
      const resolver = new CodeResolver(guarded, batchId, {
        extendCodes: req.extendCodes,
        codeNames: req.codeNames,
      });
      await resolver.load();
      const rulesOf = await loadIndicatorRules(conn);
      // The rows of a series that holds no observation yet are copied straight into observations: they cannot meet a
      // stored key, the unique key finds keys given twice, and the transaction still makes it all or nothing. The
      // rows of a series that holds some are staged and merged (decisions/0002), and so are those of an indicator
      // with rules over sets of values, which are checked on the staged rows.
      const setRuleIndicators = new Set([...rulesOf].filter(([, r]) => hasSetRules(r.rules)).map(([id]) => id));
      const seriesWithData = new Set(
        (await conn.query('SELECT 1 FROM observations LIMIT 1')).rows.length === 0
          ? []
          : (
              await conn.query<{ id: number }>(
                // One probe of the key per series, in the key's order (an EXISTS can be planned as a scan of every row).
                'SELECT s.id FROM series s WHERE (SELECT true FROM observations o WHERE o.series_id = s.id ORDER BY o.series_id, o.place_id LIMIT 1)',
              )
            ).rows.map((r) => r.id),
      );
      /** Indicators of the rows read, for the rules over sets of values. */
      const indicatorsRead = new Set<number>();
      let stageCreated = false;
      /** The lines of the rows copied straight into observations, for a key given twice. */
      let chunkRows: Location[] = [];
      /** Per indicator, series, unit and unit multiplier of a row: where its values go, or why they cannot. */
      const memoSeries = new Map<string, SeriesTarget | TargetProblem>();
      const unitNames = async (seriesId: number): Promise<string[]> => {
        const r = await guarded.query<{ unit_names: Record<string, string> | null }>(
          'SELECT unit_names FROM series WHERE id = $1',
          [seriesId],
        );
        return Object.values(r.rows[0]?.unit_names ?? {});
      };
      /**
       * The series a row's value goes to, in the unit of that series: a unit the file gives must be
       * the series' (core/observations/units.ts); a unit multiplier scales the value into it. A
       * series without a unit takes the file's. Another unit is an error, or with
       * newSeriesForUnits a series of the indicator in that unit (found, or created).
       */
      const resolveTarget = async (record: ObservationRecord): Promise<SeriesTarget | TargetProblem> => {
        let exponent = 0;
        if (record.unitMultiplier !== undefined) {
          const m = parseUnitMultiplier(record.unitMultiplier);
          if (!m.ok) return { column: 'unit multiplier', message: m.message };
          exponent = m.exponent;
        }
        let ind: IndicatorEntry;
        let ser: SeriesEntry;
        const fileUnit = record.unit?.trim() || req.unit?.trim() || undefined;
        if (record.indicator) {
          const i = await resolver.indicator(record.indicator, !!req.createIndicators);
          if (!i.ok) return { column: 'indicator', message: i.message };
          const s = await resolver.series(i.value, record.series, fileUnit);
          if (!s.ok) return { column: 'series', message: s.message };
          ind = i.value;
          ser = s.value;
        } else if (record.series) {
          const s = resolver.seriesByUnCode(record.series);
          if (!s.ok) return { column: 'series', message: s.message };
          ind = s.value.indicator;
          ser = s.value.series;
        } else {
          return { column: 'indicator', message: 'no indicator: the row names neither an indicator nor a series' };
        }
        if (fileUnit && ser.unit === null) {
          // A series without a unit takes the first the file gives; later values are held to it.
          const names = resolver.unitNames(fileUnit);
          await guarded.query(
            `UPDATE series SET unit_code = $2, unit_names = CASE WHEN unit_names = '{}'::jsonb THEN $3::jsonb ELSE unit_names END
              WHERE id = $1 AND unit_code IS NULL`,
            [ser.id, fileUnit, JSON.stringify(names ?? {})],
          );
          ser.unit = fileUnit;
          notices.push(`series ${ser.code} of indicator ${ind.code} had no unit: it takes the file's, "${fileUnit}"`);
        } else if (fileUnit && ser.unit !== null && !sameUnit(fileUnit, ser.unit, await unitNames(ser.id))) {
          if (!req.newSeriesForUnits) {
            return {
              column: 'unit',
              code: 'unit-mismatch',
              params: { unit: fileUnit, series: ser.code, indicator: ind.code, expected: ser.unit },
              message: `the unit "${fileUnit}" is not the unit of series ${ser.code} of indicator ${ind.code}, "${ser.unit}": convert the values to ${ser.unit}, or import with --new-series-for-units (API newSeriesForUnits) to keep them in a series of their own`,
            };
          }
          const siblings = await guarded.query<{
            code: string;
            unit_code: string | null;
            unit_names: Record<string, string> | null;
          }>('SELECT code, unit_code, unit_names FROM series WHERE indicator_id = $1 ORDER BY is_default DESC, id', [
            ind.id,
          ]);
          // A row that names its series keeps to that series' own sibling in the unit ("Fatal injury (per
          // 100,000)"): another named series in the same unit ("Non-fatal injury") is not the same series.
          const named = !!record.series?.trim();
          const same = siblings.rows.find(
            (r) =>
              r.unit_code !== null &&
              sameUnit(fileUnit, r.unit_code, Object.values(r.unit_names ?? {})) &&
              (!named || r.code.startsWith(`${ser.code} (`)),
          );
          const label = same?.code ?? `${ser.code} (${fileUnit})`;
          const other = await resolver.series(ind, label, fileUnit);
          if (!other.ok) return { column: 'series', message: other.message };
          if (!same)
            notices.push(
              `values of indicator ${ind.code} in "${fileUnit}" went to series ${label}, not to ${ser.code} (in ${ser.unit})`,
            );
          ser = other.value;
        }
        const unit = ser.unit ?? fileUnit ?? null;
        const rules = rulesOf.get(ind.id);
        const unitRule = rules ? checkUnitRule(ind.code, rules.rules, unit) : null;
        // The range is the indicator's, in its unit (a percentage lies in [0, 100]): a series of the
        // indicator in another unit (a count beside the rate) is not held to it.
        const inIndicatorUnit = unit === null || ind.unit === null || sameUnit(unit, ind.unit);
        const direct = !seriesWithData.has(ser.id) && !setRuleIndicators.has(ind.id);
        return {
          indicatorId: ind.id,
          seriesId: ser.id,
          unit,
          exponent,
          unitRule,
          rangeApplies: inIndicatorUnit,
          direct,
        };
      };
      const memoDims = new Map<string, number>();
      const memoSources = new Map<string, number | null>();
      const rightsByPlace = new Map<number, { write: boolean; approve: boolean }>();
      const placeRights = (id: number) => {
        let r = rightsByPlace.get(id);
        if (!r) {
          r = req.placeRights!(resolver.placePath(id));
          rightsByPlace.set(id, r);
        }
        return r;
      };
      const map = req.map?.columns ?? {};
      /** The record of the row before whose series was looked up, and what it resolved to. */
      let lastRecord: ObservationRecord | undefined;
      let lastTarget: SeriesTarget | TargetProblem | undefined;
      /** The problems of the row being read (one array for every row: most have none). */
      const rowErrors: ImportProblem[] = [];
      const periods = new Map<string, Period | string>();
      /**
       * The COPY text of the rows read since the last flush, as UTF-8 bytes outside the JavaScript heap, written field
       * by field: no string per row (a 4 MB string grown row by row kept every piece alive through the young
       * generation's collections, and a string per row made as much garbage).
       */
      const outDirect = new CopyTextBuffer(COPY_CHUNK_BYTES);
      const outStage = new CopyTextBuffer(COPY_CHUNK_BYTES);
      /** Rows copied straight into observations, and staged. */
      let directRows = 0;
      let staged = 0;
      const flush = async (direct: boolean) => {
        if (pendingCopy !== null) await pendingCopy;
        const out = direct ? outDirect : outStage;
        if (out.length === 0 || duplicate) return;
        if (!direct && !stageCreated) {
          await createStage(conn);
          stageCreated = true;
        }
        // Sent as it is; the next rows go to a new buffer while it is copied.
        const chunk = out.take();
        const rowsOfChunk = chunkRows;
        if (direct) chunkRows = [];
        pendingCopy = conn
          .copyIn(direct ? copyDirectSql() : copyStageSql(), [chunk])
          .catch((err: { code?: string; where?: string; detail?: string }) => {
            if (!direct || err.code !== '23505') throw err;
            // A key given twice: name the row from the COPY's line number, and the key's codes.
            const line = Number(/line (\d+)/.exec(err.where ?? '')?.[1] ?? 0);
            const ids = /\((\d+), (\d+), (.*), (\d+)\)=?/.exec(err.detail?.split('=')[1] ?? '');
            const what = ids
              ? resolver.describeKey(Number(ids[1]), Number(ids[2]), ids[3]!, Number(ids[4]))
              : 'the same key';
            duplicate = {
              at: rowsOfChunk[line - 1] ?? 'file',
              // The period named as the staged path's message names it (findDuplicateKeys).
              message: `the same indicator, series, place, period${ids ? ` (${ids[3]})` : ''} and disaggregation as an earlier row (${what})`,
              code: 'duplicate-key',
              params: { key: what },
            };
          })
          .finally(() => {
            pendingCopy = null;
          });
      };

      try {
        // Batches of items, handled without an await per row unless a code must be created.
        outer: for await (const batch of read(hashing(input, hash)))
          for (const item of batch) {
            if (duplicate) break outer;
            if (item.kind === 'notice') {
              notices.push(item.message);
              continue;
            }
            if (item.kind === 'error') {
              report({
                at: item.at,
                column: item.column,
                message: item.message,
                ...(item.code ? { code: item.code, params: item.params ?? {} } : {}),
              });
              continue;
            }
            if (item.kind === 'skip') {
              skippedCount++;
              if (skipped.length < 100) skipped.push({ at: item.at, reason: item.reason });
              continue;
            }
            readCount++;
            if (readCount % 2_000 === 0) {
              // Let the event loop run: a COPY under way sends its data to the server only then,
              // so the server loads while the next rows are read.
              await new Promise<void>((resolve) => setImmediate(resolve));
              if (req.onProgress && readCount % 10_000 === 0) req.onProgress(readCount);
            }
            const { record, at } = item;
            rowErrors.length = 0;

            // Indicator, series and unit: most often those of the row before.
            let indicatorId = 0;
            let seriesId = 0;
            let target: SeriesTarget | undefined;
            let known: SeriesTarget | TargetProblem | undefined;
            if (
              lastTarget !== undefined &&
              record.indicator === lastRecord!.indicator &&
              record.series === lastRecord!.series &&
              record.unit === lastRecord!.unit &&
              record.unitMultiplier === lastRecord!.unitMultiplier
            )
              known = lastTarget;
            else {
              const seriesKey = `${record.indicator ?? ''}\u0001${record.series ?? ''}\u0001${record.unit ?? ''}\u0001${record.unitMultiplier ?? ''}`;
              known = memoSeries.get(seriesKey);
              if (!known) {
                known = await resolveTarget(record);
                if (memoSeries.size < 100_000) memoSeries.set(seriesKey, known);
              }
              lastTarget = known;
              lastRecord = record;
              if (!('message' in known)) indicatorsRead.add(known.indicatorId);
            }
            if ('message' in known) rowErrors.push({ at, ...known });
            else {
              target = known;
              indicatorId = known.indicatorId;
              seriesId = known.seriesId;
              if (known.unitRule) {
                const p = {
                  at,
                  column: known.unitRule.column,
                  message: known.unitRule.message,
                  code: known.unitRule.code,
                };
                if (known.unitRule.severity === 'error') rowErrors.push(p);
                else warn(p);
              }
            }

            // Place.
            let placeId = 0;
            if (!record.place)
              rowErrors.push({
                at,
                column: 'place',
                message: 'no place: the row names none and none was given for the file',
                code: 'no-place',
                params: {},
              });
            else {
              let p = resolver.place(record.place, req.place);
              if (!p.ok && p.unknown && req.createPlaces) {
                p = await resolver.createPlace(record.place, {
                  name: record.placeName,
                  column: record.placeColumn,
                  parent: req.place,
                  mayAddUnder: req.mayAddPlaceUnder,
                });
              }
              if (!p.ok)
                rowErrors.push({
                  at,
                  column: 'place',
                  message: p.message,
                  ...(p.unknown ? { code: 'unknown-place', params: { value: record.place } } : {}),
                });
              else placeId = p.value;
            }

            // Period.
            let period: Period | undefined;
            let cached = periods.get(record.period);
            if (cached === undefined) {
              const r = parsePeriod(record.period);
              cached = r.ok ? r.period : r.message;
              if (periods.size < 100_000) periods.set(record.period, cached);
            }
            if (typeof cached === 'string')
              rowErrors.push({
                at,
                column: 'period',
                message: cached,
                code: 'bad-period',
                params: { value: record.period.slice(0, 80) },
              });
            else period = cached;

            // Value, in the unit of its series, and the indicator's range.
            let value = record.value;
            if (value === null || !Number.isFinite(value)) {
              rowErrors.push({
                at,
                column: 'value',
                message: 'the value is not a finite number',
                code: 'not-a-number',
                params: { value: String(value) },
              });
            } else if (target) {
              if (target.exponent !== 0) value = scaleByPowerOfTen(value, target.exponent);
              const rules = target.rangeApplies ? rulesOf.get(indicatorId) : undefined;
              const p = rules ? checkRange(rules.code, rules.rules, at, value) : null;
              if (p) {
                const problem = { at, column: p.column, message: p.message, code: p.code };
                if (p.severity === 'error') rowErrors.push(problem);
                else warn(problem);
              }
            }

            // Status.
            let status: ObservationStatus = req.status;
            if (record.status?.trim()) {
              const s = record.status.trim().toLowerCase();
              if (!(OBSERVATION_STATUSES as readonly string[]).includes(s)) {
                rowErrors.push({
                  at,
                  column: 'status',
                  message: `"${record.status}" is not a status (provisional, validated, approved)`,
                });
              } else if (!req.rowStatusAllowed && s !== req.status) {
                rowErrors.push({ at, column: 'status', message: `you may not import values as ${s}` });
              } else status = s as ObservationStatus;
            }

            // Disaggregation.
            let disaggId = 0;
            let dimsKey = '';
            for (const k in record.dims) dimsKey += `${k}\u0001${record.dims[k]}\u0002`;
            const knownDims = memoDims.get(dimsKey);
            if (knownDims !== undefined) disaggId = knownDims;
            else {
              const d = await resolver.disaggregation(record.dims, map);
              if (!d.ok)
                rowErrors.push({
                  at,
                  column: d.column,
                  message: d.message,
                  ...(d.code ? { code: d.code, params: d.params ?? {} } : {}),
                });
              else {
                disaggId = d.value;
                if (memoDims.size < 100_000) memoDims.set(dimsKey, disaggId);
              }
            }

            if (req.placeRights && placeId) {
              const rights = placeRights(placeId);
              if (!rights.write) {
                rowErrors.push({
                  at,
                  column: 'place',
                  message: `you may not enter values for place "${record.place}": your roles cover other places`,
                });
              } else if (status !== 'provisional' && !rights.approve) {
                rowErrors.push({
                  at,
                  column: 'status',
                  message: `only an administrator or a national focal point of "${record.place}" may enter values as ${status}; import them as provisional`,
                });
              }
            }
            if (rowErrors.length > 0) {
              for (const p of rowErrors) report(p);
              continue;
            }
            if (errorCount > 0 || duplicate) continue; // still checking, no longer staging
            const sourceName = record.source ?? req.source ?? '';
            let sourceId = memoSources.get(sourceName);
            if (sourceId === undefined) {
              sourceId = await resolver.source(sourceName);
              if (memoSources.size < 10_000) memoSources.set(sourceName, sourceId);
            }
            const direct = target!.direct;
            const out = direct ? outDirect : outStage;
            out
              .int(seriesId)
              .int(placeId)
              .text(period!.code)
              .int(disaggId)
              .int(indicatorId)
              .text(period!.start)
              .text(period!.end)
              .num(value!)
              .text(target!.unit)
              .text(status);
            if (sourceId === null) out.text(null);
            else out.int(sourceId);
            out.text(record.note?.trim() || null);
            if (direct) {
              out.int(batchId);
              chunkRows.push(at);
              directRows++;
            } else {
              if (typeof at === 'number') out.int(at);
              else out.text(at);
              staged++;
            }
            out.end();
            if (out.length >= COPY_CHUNK_BYTES - 64 * 1024) await flush(direct);
          }
      } catch (err) {
        if (!(err instanceof DuplicateStop)) throw err;
      }
      await flush(true);
      await flush(false);
      if (pendingCopy !== null) await pendingCopy;
      faultPoint('import-written');
      checksum = hash.digest('hex');
      req.onProgress?.(readCount);
      created = resolver.created;

      if (duplicate) report(duplicate);
      /** What the merge of the staged rows did, and the rows copied straight in, all new. */
      const withDirect = (m: MergeCounts | undefined): MergeCounts => ({
        inserted: directRows + (m?.inserted ?? 0),
        updated: m?.updated ?? 0,
        unchanged: m?.unchanged ?? 0,
      });
      if (errorCount === 0 && staged > 0) {
        for (const dup of await findDuplicateKeys(conn, MAX_LISTED_ERRORS)) {
          report({
            // A line number, as every other problem gives it (row_at is text: a line, or a path in a JSON file).
            at: /^\d+$/.test(dup.second) ? Number(dup.second) : dup.second,
            message: `the same indicator, series, place, period (${dup.period}) and disaggregation as ${dup.first}`,
            code: 'duplicate-row',
            params: { period: dup.period, first: dup.first },
          });
        }
      }
      // The rules over sets of values, once every row is staged (the rows' own rules ran as they were read).
      if (errorCount === 0 && staged > 0) {
        for (const p of await checkSetRules(conn, rulesOf, indicatorsRead, MAX_LISTED_ERRORS)) {
          const problem = { at: p.at, column: p.column, message: p.message, code: p.code };
          if (p.severity === 'error') report(problem);
          else warn(problem);
        }
      }
      if (errorCount > 0) throw new ImportFailed();
      if (req.dryRun) {
        merge = withDirect(staged > 0 ? await previewMerge(conn, staged) : undefined);
        throw new DryRunDone();
      }
      merge = withDirect(staged > 0 ? await mergeStage(conn, staged, batchId) : undefined);
      // One audit entry for the whole import, referring to its batch (the rows' earlier
      // versions are in observation_history under the same batch).
      await appendAudit(conn, req.auditActor ?? { label: req.actor, userId: null, ip: null }, {
        action: 'import',
        entityType: 'import_batch',
        entityId: batchId,
        batchId,
        summary: `${req.fileName ?? req.format}: ${merge.inserted} new, ${merge.updated} changed, ${merge.unchanged} unchanged`,
        after: { format: req.format, fileName: req.fileName ?? null, checksum, ...merge, created: resolver.created },
      });
      // Last before COMMIT, so that finished_at is when the import ended (now() would be when its transaction began).
      await conn.query(
        `UPDATE import_batches SET state = 'committed', checksum = $2, counts = $3, finished_at = clock_timestamp()
         WHERE id = $1`,
        [
          batchId,
          checksum,
          JSON.stringify({ read: readCount, skipped: skippedCount, warnings: warningCount, ...merge }),
        ],
      );
    });
  } catch (err) {
    if (err instanceof DryRunDone) state = 'dry-run';
    else if (err instanceof ImportFailed) state = 'failed';
    else {
      await store.db
        .updateTable('import_batches')
        // An import stopped because a start-up found its batch interrupted keeps that reason.
        .set({
          state: 'failed',
          failure_reason: sql`coalesce(failure_reason, 'error')`,
          finished_at: sql`clock_timestamp()`,
        })
        .where('id', '=', batchId)
        .execute();
      if (reportStream) reportStream.end();
      throw err;
    }
  } finally {
    if (reportStream) await new Promise((resolve) => reportStream!.end(resolve));
  }
  if (!checksum) checksum = hash.digest('hex');
  // The planner's statistics after a large import (PGlite has no autovacuum): not for an import inside another's
  // transaction, whose rows are not committed yet (the repository import analyses once at its end).
  if (state === 'committed' && !store.inTransaction)
    await keepObservationStatistics(store, merge.inserted + merge.updated);
  if (state !== 'committed') {
    await store.db
      .updateTable('import_batches')
      .set({
        state,
        ...(state === 'failed' ? { failure_reason: 'invalid-rows' as const } : {}),
        checksum,
        error_count: errorCount,
        finished_at: sql`clock_timestamp()`,
        counts: JSON.stringify({ read: readCount, skipped: skippedCount, ...(state === 'dry-run' ? merge : {}) }),
      })
      .where('id', '=', batchId)
      .execute();
    if (state === 'failed') {
      merge = { inserted: 0, updated: 0, unchanged: 0 };
      created = [];
    }
  }
  return {
    batchId,
    state,
    checksum,
    counts: { read: readCount, skipped: skippedCount, errors: errorCount, warnings: warningCount, ...merge },
    errors,
    warnings,
    skipped,
    created,
    notices,
    ...(reportPath && errorCount > 0 ? { errorReportPath: reportPath } : {}),
  };
}
