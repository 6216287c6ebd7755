import { checkEntries, type EntryValue, parsePeriod, type ValidationRules } from '@marsad/core';
import type { SqlConn, Store } from '@marsad/db';
import { type AuditActor, appendAudit } from '../audit/audit-log.ts';
import type { Actor } from '../auth/actor.ts';
import { canWritePlace } from '../auth/policy.ts';
import { HttpError } from '../http/errors.ts';
import { appendEvents, type NewEvent, SENT_BACK } from './approval-events.ts';
import { disaggregationKey } from './code-resolver.ts';

/**
 * Values entered in the data-entry form (or sent to the entry API) for one place and one
 * period: every entry is checked first (known indicator, series, dimension values; a number;
 * the indicator's validation rules against the other entries and the previous period), and
 * if anything is wrong nothing is saved and every problem is answered, each naming its entry
 * and field with a code the web app translates. Otherwise the values are written in one
 * transaction as provisional (a changed value keeps its earlier version in
 * observation_history), with one audit entry.
 */

export interface EntryInput {
  indicator: string;
  series?: string;
  dims?: Record<string, string>;
  value: number;
  unit?: string;
  source?: string;
  note?: string;
}

export interface EntryRequest {
  place: string;
  period: string;
  entries: EntryInput[];
}

export interface EntryError {
  /** Index in `entries`, or null for the request as a whole. */
  index: number | null;
  field: string;
  code: string;
  params: Record<string, string | number>;
  message: string;
}

export interface EntryResult {
  /** Problems with rules the indicator sets as warnings: the values were saved all the same. */
  warnings: EntryError[];
  saved: number;
  unchanged: number;
  period: string;
  place: string;
}

interface IndicatorRow {
  id: number;
  code: string;
  status: string;
  dimensions: string[];
  validation_rules: ValidationRules;
  unit_code: string | null;
}
interface SeriesRow {
  id: number;
  indicator_id: number;
  code: string;
  aliases: string[];
  is_default: boolean;
  unit_code: string | null;
}

function invalid(errors: EntryError[]): HttpError {
  const first = errors[0]!;
  const where = first.index === null ? first.field : `entries.${first.index}.${first.field}`;
  return new HttpError(
    400,
    'invalid_entries',
    `Nothing was saved: ${errors.length} problem${errors.length === 1 ? '' : 's'}. First: ${where}: ${first.message}`,
    { errors },
  );
}

export async function saveEntries(
  store: Store,
  actor: Actor,
  audit: AuditActor,
  req: EntryRequest,
  options: {
    dryRun?: boolean;
    /**
     * Per entry, the version of the value the offline copy started from (null: there was none; undefined: not
     * checked). A value whose version is another and differs from the entry is a conflict: nothing is saved and the
     * answer (409 `conflict`) gives the server's value of each (`details.conflicts`).
     */
    baseVersions?: readonly (number | null | undefined)[];
    /** Run in the saving transaction before it commits (the offline sync records its key there). */
    inTransaction?: (conn: SqlConn, result: EntryResult) => Promise<void>;
  } = {},
): Promise<EntryResult> {
  const p = parsePeriod(req.period);
  if (!p.ok)
    throw invalid([
      { index: null, field: 'period', code: 'bad-period', params: { period: req.period }, message: p.message },
    ]);
  const period = p.period;
  const place = await store.db
    .selectFrom('places')
    .select(['id', 'code', 'path'])
    .where('code', '=', req.place)
    .executeTakeFirst();
  if (!place)
    throw new HttpError(404, 'not_found', `place: no place with code "${req.place}".`, {
      errors: [
        {
          index: null,
          field: 'place',
          code: 'unknown-place',
          params: { place: req.place },
          message: `No place with code "${req.place}".`,
        },
      ],
    });
  if (!canWritePlace(actor, place.path)) {
    throw new HttpError(
      403,
      'forbidden',
      `place: you may not enter values for ${place.code}; only its focal points (or those of a place above it) and administrators may.`,
    );
  }

  const db = store.db;
  const codes = [...new Set(req.entries.map((e) => e.indicator))];
  const inds = codes.length
    ? ((await db
        .selectFrom('indicators')
        .select(['id', 'code', 'status', 'dimensions', 'validation_rules', 'unit_code'])
        .where('code', 'in', codes)
        .execute()) as IndicatorRow[])
    : [];
  const byCode = new Map(inds.map((i) => [i.code, i]));
  const seriesRows = inds.length
    ? ((await db
        .selectFrom('series')
        .select(['id', 'indicator_id', 'code', 'aliases', 'is_default', 'unit_code'])
        .where(
          'indicator_id',
          'in',
          inds.map((i) => i.id),
        )
        .execute()) as SeriesRow[])
    : [];
  const dimCodes = [...new Set(req.entries.flatMap((e) => Object.keys(e.dims ?? {})))];
  const dimValues = dimCodes.length
    ? await db
        .selectFrom('dimensions as d')
        .innerJoin('dimension_values as v', 'v.dimension_id', 'd.id')
        .select(['d.code as dim', 'v.code'])
        .where('d.code', 'in', dimCodes)
        .execute()
    : [];
  const valuesOf = (dim: string) => dimValues.filter((d) => d.dim === dim).map((d) => d.code);
  // Closed dimensions of every indicator's required parts.
  const requiredDims = [...new Set(inds.flatMap((i) => i.validation_rules?.requiredDimensions ?? []))].filter(
    (d) => !dimCodes.includes(d),
  );
  const requiredValues = requiredDims.length
    ? await db
        .selectFrom('dimensions as d')
        .innerJoin('dimension_values as v', 'v.dimension_id', 'd.id')
        .select(['d.code as dim', 'v.code'])
        .where('d.code', 'in', requiredDims)
        .execute()
    : [];
  const allValuesOf = (dim: string) => [
    ...valuesOf(dim),
    ...requiredValues.filter((d) => d.dim === dim).map((d) => d.code),
  ];

  const errors: EntryError[] = [];
  const warnings: EntryError[] = [];
  interface Resolved {
    index: number;
    ind: IndicatorRow;
    series: SeriesRow;
    dims: Record<string, string>;
    dkey: string;
    e: EntryInput;
  }
  const resolved: Resolved[] = [];
  const seen = new Map<string, number>();
  req.entries.forEach((e, index) => {
    const ind = byCode.get(e.indicator);
    if (!ind) {
      errors.push({
        index,
        field: 'indicator',
        code: 'unknown-indicator',
        params: { indicator: e.indicator },
        message: `No indicator with code "${e.indicator}".`,
      });
      return;
    }
    if (ind.status === 'retired') {
      errors.push({
        index,
        field: 'indicator',
        code: 'retired-indicator',
        params: { indicator: e.indicator },
        message: `Indicator ${e.indicator} is retired; values are no longer entered for it.`,
      });
      return;
    }
    const own = seriesRows.filter((s) => s.indicator_id === ind.id);
    const series = e.series
      ? own.find((s) => s.code === e.series || s.aliases.includes(e.series!))
      : (own.find((s) => s.is_default) ?? (own.length === 1 ? own[0] : undefined));
    if (!series) {
      errors.push({
        index,
        field: 'series',
        code: 'unknown-series',
        params: { series: e.series ?? '', indicator: e.indicator, known: own.map((s) => s.code).join(', ') },
        message: e.series
          ? `Indicator ${e.indicator} has no series "${e.series}" (it has: ${own.map((s) => s.code).join(', ')}).`
          : `Name the series of indicator ${e.indicator} (${own.map((s) => s.code).join(', ')}).`,
      });
      return;
    }
    const dims = e.dims ?? {};
    let dimsOk = true;
    for (const [dim, value] of Object.entries(dims)) {
      if (ind.dimensions.length && !ind.dimensions.includes(dim)) {
        errors.push({
          index,
          field: 'dims',
          code: 'dimension-not-of-indicator',
          params: { dimension: dim, indicator: ind.code, known: ind.dimensions.join(', ') },
          message: `Indicator ${ind.code} is not disaggregated by ${dim} (it is by: ${ind.dimensions.join(', ')}).`,
        });
        dimsOk = false;
      } else if (!valuesOf(dim).includes(value)) {
        errors.push({
          index,
          field: 'dims',
          code: 'unknown-dimension-value',
          params: { dimension: dim, value },
          message: `"${value}" is not a value of ${dim}.`,
        });
        dimsOk = false;
      }
    }
    if (!dimsOk) return;
    if (!Number.isFinite(e.value)) {
      errors.push({ index, field: 'value', code: 'not-a-number', params: {}, message: 'The value is not a number.' });
      return;
    }
    const dkey = disaggregationKey(dims);
    const key = `${series.id}|${dkey}`;
    if (seen.has(key)) {
      errors.push({
        index,
        field: 'dims',
        code: 'duplicate',
        params: { other: seen.get(key)! + 1 },
        message: `The same series and disaggregation as entry ${seen.get(key)! + 1}.`,
      });
      return;
    }
    seen.set(key, index);
    resolved.push({ index, ind, series, dims, dkey, e });
  });

  return store.exclusive(async (conn: SqlConn) => {
    // The current values of the period and the latest earlier value of each key.
    const keys = JSON.stringify(resolved.map((r) => ({ i: r.index, s: r.series.id, k: r.dkey })));
    const current = resolved.length
      ? (
          await conn.query<{
            i: number;
            value: number;
            unit: string | null;
            status: string;
            source: string | null;
            note: string | null;
            version: number;
            disagg_id: number;
            sent_back: boolean;
          }>(
            `SELECT x.i, o.value, o.unit, o.status, src.name AS source, o.note, o.version, o.disagg_id, ${SENT_BACK('o')} AS sent_back
         FROM jsonb_to_recordset($1::jsonb) AS x(i int, s int, k text)
         JOIN disaggregations d ON d.key = x.k
         JOIN observations o ON o.series_id = x.s AND o.place_id = $2 AND o.period = $3 AND o.disagg_id = d.id
         LEFT JOIN sources src ON src.id = o.source_id
        FOR UPDATE OF o`,
            [keys, place.id, period.code],
          )
        ).rows
      : [];
    const previous = resolved.length
      ? (
          await conn.query<{ i: number; value: number }>(
            `SELECT DISTINCT ON (x.i) x.i, o.value
         FROM jsonb_to_recordset($1::jsonb) AS x(i int, s int, k text)
         JOIN disaggregations d ON d.key = x.k
         JOIN observations o ON o.series_id = x.s AND o.place_id = $2 AND o.disagg_id = d.id AND o.period_end < $3::date
        ORDER BY x.i, o.period_end DESC, o.period_start DESC`,
            [keys, place.id, period.start],
          )
        ).rows
      : [];
    const curOf = new Map(current.map((c) => [c.i, { ...c, value: Number(c.value) }]));
    const prevOf = new Map(previous.map((c) => [c.i, Number(c.value)]));
    const bases = options.baseVersions;
    if (bases) {
      const conflicts = resolved.flatMap((r) => {
        const base = bases[r.index];
        if (base === undefined) return [];
        const cur = curOf.get(r.index);
        if ((cur?.version ?? null) === base) return [];
        // Both typed the same: nothing would be overwritten.
        if (cur && cur.value === r.e.value && (cur.note ?? null) === (r.e.note?.trim() || null)) return [];
        return [
          {
            index: r.index,
            base,
            server: cur
              ? {
                  value: cur.value,
                  unit: cur.unit,
                  status: cur.status,
                  source: cur.source,
                  note: cur.note,
                  version: cur.version,
                }
              : null,
          },
        ];
      });
      if (conflicts.length)
        throw new HttpError(
          409,
          'conflict',
          `Nothing was saved: ${conflicts.length} value${conflicts.length === 1 ? '' : 's'} changed on the server since the offline copy was made.`,
          { conflicts },
        );
    }

    // The indicator's rules, over the entries of that indicator.
    for (const ind of inds) {
      const mine = resolved.filter((r) => r.ind.id === ind.id);
      if (!mine.length) continue;
      const rules = ind.validation_rules ?? {};
      const values: EntryValue[] = mine.map((r) => ({
        series: r.series.code,
        dims: r.dims,
        value: r.e.value,
        unit: r.e.unit ?? null,
        note: r.e.note ?? null,
      }));
      const problems = checkEntries(
        rules,
        values,
        (series, dims) => {
          const k = disaggregationKey(dims);
          const r = mine.find((m) => m.series.code === series && m.dkey === k);
          return r ? prevOf.get(r.index) : undefined;
        },
        allValuesOf,
      );
      for (const pr of problems)
        (pr.severity === 'warning' ? warnings : errors).push({
          index: mine[pr.index]!.index,
          field: pr.field,
          code: pr.code,
          params: pr.params,
          message: pr.message,
        });
    }
    // An approved value is public: a national focal point reopens it (with a reason, from their inbox) before it is
    // changed; it then comes back to its provider, sent back.
    const writes: { r: Resolved; cur: ReturnType<typeof curOf.get> }[] = [];
    for (const r of resolved) {
      const cur = curOf.get(r.index);
      const unit = r.e.unit ?? r.series.unit_code ?? r.ind.unit_code ?? null;
      const same =
        cur &&
        cur.value === r.e.value &&
        (cur.unit ?? null) === unit &&
        (cur.source ?? null) === (r.e.source?.trim() || null) &&
        (cur.note ?? null) === (r.e.note?.trim() || null);
      if (same) continue;
      if (cur && cur.status === 'approved') {
        errors.push({
          index: r.index,
          field: 'value',
          code: 'approved-value',
          params: { value: cur.value },
          message: `This value (${cur.value}) is approved and public; to change it, ask a national focal point of the place to reopen it (from their inbox, with a reason): it then comes back to you to correct.`,
        });
        continue;
      }
      writes.push({ r, cur });
    }
    if (errors.length) throw invalid(errors.sort((a, b) => (a.index ?? -1) - (b.index ?? -1)));
    warnings.sort((a, b) => (a.index ?? -1) - (b.index ?? -1));
    if (options.dryRun)
      return {
        warnings,
        saved: writes.length,
        unchanged: resolved.length - writes.length,
        period: period.code,
        place: place.code,
      };

    const auditRows: unknown[] = [];
    const events: NewEvent[] = [];
    for (const { r, cur } of writes) {
      const unit = r.e.unit ?? r.series.unit_code ?? r.ind.unit_code ?? null;
      const sourceId = r.e.source?.trim()
        ? (
            await conn.query<{ id: number }>(
              'INSERT INTO sources (name) VALUES ($1) ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id',
              [r.e.source.trim()],
            )
          ).rows[0]!.id
        : null;
      const disaggId =
        r.dkey === ''
          ? 0
          : (
              await conn.query<{ id: number }>(
                `WITH found AS (SELECT id FROM disaggregations WHERE key = $1),
              made AS (INSERT INTO disaggregations (id, key, dims) SELECT nextval('disaggregations_id_seq'), $1, $2::jsonb WHERE NOT EXISTS (SELECT 1 FROM found) RETURNING id)
         SELECT id FROM found UNION ALL SELECT id FROM made`,
                [r.dkey, JSON.stringify(r.dims)],
              )
            ).rows[0]!.id;
      const note = r.e.note?.trim() || null;
      if (cur) {
        await conn.query(
          `INSERT INTO observation_history (series_id, place_id, period, disagg_id, version, value, unit, status, source_id, note, batch_id, valid_from, valid_to, replaced_by_batch, change)
           SELECT series_id, place_id, period, disagg_id, version, value, unit, status, source_id, note, batch_id, updated_at, now(), NULL, 'update'
             FROM observations WHERE series_id = $1 AND place_id = $2 AND period = $3 AND disagg_id = $4`,
          [r.series.id, place.id, period.code, disaggId],
        );
        await conn.query(
          `UPDATE observations SET value = $5, unit = $6, status = 'provisional', source_id = $7, note = $8, batch_id = NULL, version = version + 1, updated_at = now()
            WHERE series_id = $1 AND place_id = $2 AND period = $3 AND disagg_id = $4`,
          [r.series.id, place.id, period.code, disaggId, r.e.value, unit, sourceId, note],
        );
      } else {
        await conn.query(
          `INSERT INTO observations (series_id, place_id, period, disagg_id, indicator_id, period_start, period_end, value, unit, status, source_id, note)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'provisional', $10, $11)`,
          [
            r.series.id,
            place.id,
            period.code,
            disaggId,
            r.ind.id,
            period.start,
            period.end,
            r.e.value,
            unit,
            sourceId,
            note,
          ],
        );
      }
      // A value sent back (or reopened) to its provider is corrected: it goes to the validators again.
      const corrected = !!cur?.sent_back;
      events.push({
        series_id: r.series.id,
        place_id: place.id,
        period: period.code,
        disagg_id: disaggId,
        version: cur ? cur.version + 1 : 1,
        action: corrected ? 'corrected' : 'entered',
        from: cur?.status ?? null,
        to: 'provisional',
        value: r.e.value,
        reason: null,
      });
      auditRows.push({
        indicator: r.ind.code,
        series: r.series.code,
        dims: r.dims,
        before: cur ? { value: cur.value, status: cur.status, version: cur.version, note: cur.note } : null,
        after: { value: r.e.value, status: 'provisional', note, ...(corrected ? { corrected: true } : {}) },
      });
    }
    if (writes.length) {
      await appendEvents(conn, audit, events);
      await appendAudit(conn, audit, {
        action: 'entry',
        entityType: 'observation',
        entityId: `${place.code} ${period.code}`,
        summary: `${writes.length} value${writes.length === 1 ? '' : 's'} entered for ${place.code} ${period.code}`,
        before: writes
          .map((w) =>
            w.cur
              ? {
                  indicator: w.r.ind.code,
                  series: w.r.series.code,
                  dims: w.r.dims,
                  value: w.cur.value,
                  status: w.cur.status,
                  version: w.cur.version,
                }
              : null,
          )
          .filter(Boolean),
        after: { place: place.code, period: period.code, values: auditRows },
      });
    }
    await conn.query('DELETE FROM observation_drafts WHERE user_id = $1 AND place_id = $2 AND period = $3', [
      actor.userId ?? -1,
      place.id,
      period.code,
    ]);
    const result = {
      warnings,
      saved: writes.length,
      unchanged: resolved.length - writes.length,
      period: period.code,
      place: place.code,
    };
    await options.inTransaction?.(conn, result);
    return result;
  });
}
