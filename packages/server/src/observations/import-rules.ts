import {
  type EntryProblemCode,
  type Location,
  problemMessage,
  problemSeverity,
  sameUnit,
  type ValidationRules,
} from '@marsad/core';
import type { SqlConn } from '@marsad/db';

/**
 * The indicators' validation rules (core/indicators/validation-rules.ts) applied to an import
 * as the data-entry form applies them, each as an error or a warning the way the indicator's
 * rules set it. The rules of one value (range, unit) are checked row by row as the file is
 * read, from the rules loaded once; the rules of a set of values (the parts a total needs,
 * parts adding up to the total, a large change from the previous period) run once over the
 * staged rows in SQL, together with the values already stored: three queries per import, not
 * one per row.
 */

export interface RuleProblem {
  at: Location;
  column: string;
  code: EntryProblemCode;
  severity: 'error' | 'warning';
  message: string;
}

/** The rules of every indicator that has some, by indicator id. */
export async function loadIndicatorRules(
  conn: SqlConn,
): Promise<Map<number, { code: string; rules: ValidationRules }>> {
  const r = await conn.query<{ id: number; code: string; validation_rules: ValidationRules | null }>(
    `SELECT id, code, validation_rules FROM indicators WHERE validation_rules IS NOT NULL AND validation_rules <> '{}'::jsonb`,
  );
  return new Map(r.rows.map((row) => [row.id, { code: row.code, rules: row.validation_rules ?? {} }]));
}

/** Whether the rules need the set of values (so the import stages its rows to check them). */
export function hasSetRules(rules: ValidationRules): boolean {
  return (
    (rules.requiredDimensions?.length ?? 0) > 0 ||
    rules.sumTolerance !== undefined ||
    rules.maxChangePercent !== undefined
  );
}

function problem(
  indicator: string,
  rules: ValidationRules,
  at: Location,
  column: string,
  code: EntryProblemCode,
  params: Record<string, string | number>,
): RuleProblem {
  return {
    at,
    column,
    code,
    severity: problemSeverity(rules, code),
    message: `indicator ${indicator}: ${problemMessage(code, params)}`,
  };
}

/** The range rule on one value (after any unit multiplier). */
export function checkRange(indicator: string, rules: ValidationRules, at: Location, value: number): RuleProblem | null {
  if (rules.min !== undefined && value < rules.min)
    return problem(indicator, rules, at, 'value', 'below-min', { value, min: rules.min });
  if (rules.max !== undefined && value > rules.max)
    return problem(indicator, rules, at, 'value', 'above-max', { value, max: rules.max });
  return null;
}

/** The unit rule on the unit a value is stored in. */
export function checkUnitRule(
  indicator: string,
  rules: ValidationRules,
  unit: string | null,
): Omit<RuleProblem, 'at'> | null {
  if (!rules.unit || !unit || sameUnit(unit, rules.unit)) return null;
  const { at: _at, ...rest } = problem(indicator, rules, 0, 'unit', 'wrong-unit', { unit, expected: rules.unit });
  return rest;
}

const toAt = (rowAt: string): Location => (/^\d+$/.test(rowAt) ? Number(rowAt) : rowAt);

/**
 * The rules over sets of values, on the rows staged in `import_stage` (and the values already
 * stored, which a staged row replaces): required parts of a staged total, parts adding up to
 * their total, and large changes from the previous period without a note. At most `limit`
 * problems of each rule.
 */
export async function checkSetRules(
  conn: SqlConn,
  rulesOf: Map<number, { code: string; rules: ValidationRules }>,
  indicatorIds: Iterable<number>,
  limit: number,
): Promise<RuleProblem[]> {
  const ids = { required: [] as number[], sum: [] as number[], change: [] as number[] };
  for (const id of indicatorIds) {
    const r = rulesOf.get(id)?.rules;
    if (!r) continue;
    if (r.requiredDimensions?.length) ids.required.push(id);
    if (r.sumTolerance !== undefined) ids.sum.push(id);
    if (r.maxChangePercent !== undefined) ids.change.push(id);
  }
  if (!ids.required.length && !ids.sum.length && !ids.change.length) return [];
  await conn.exec('CREATE INDEX IF NOT EXISTS import_stage_key ON import_stage (series_id, place_id, disagg_id)');
  await conn.exec('ANALYZE import_stage');
  const out: RuleProblem[] = [];
  const of = (id: number) => rulesOf.get(id)!;

  if (ids.required.length) {
    // Each staged total, and each value of a required dimension's code list with no part, staged or stored.
    const r = await conn.query<{ row_at: string; indicator_id: number; dim: string; missing: string }>(
      `WITH req AS (
         SELECT i.id AS indicator_id, r.dim, v.code AS value, g.id AS disagg_id
           FROM indicators i
          CROSS JOIN LATERAL jsonb_array_elements_text(i.validation_rules->'requiredDimensions') AS r(dim)
           JOIN dimensions d ON d.code = r.dim
           JOIN dimension_values v ON v.dimension_id = d.id AND v.code <> '_T'
           LEFT JOIN disaggregations g ON g.dims = jsonb_build_object(r.dim, v.code)
          WHERE i.id = ANY($1::int[]))
       SELECT s.row_at, s.indicator_id, q.dim, string_agg(q.value, ', ' ORDER BY q.value) AS missing
         FROM import_stage s JOIN req q ON q.indicator_id = s.indicator_id
        WHERE s.disagg_id = 0
          AND (q.disagg_id IS NULL OR (
                NOT EXISTS (SELECT 1 FROM import_stage t WHERE t.series_id = s.series_id AND t.place_id = s.place_id
                               AND t.disagg_id = q.disagg_id AND t.period = s.period)
            AND NOT EXISTS (SELECT 1 FROM observations o WHERE o.series_id = s.series_id AND o.place_id = s.place_id
                               AND o.period = s.period AND o.disagg_id = q.disagg_id)))
        GROUP BY s.row_at, s.indicator_id, q.dim
        ORDER BY length(s.row_at), s.row_at LIMIT $2`,
      [ids.required, limit],
    );
    for (const row of r.rows) {
      const { code, rules } = of(row.indicator_id);
      out.push(
        problem(code, rules, toAt(row.row_at), 'dims', 'missing-part', { dimension: row.dim, missing: row.missing }),
      );
    }
  }

  if (ids.sum.length) {
    // Per staged (or stored) total whose group has a staged value: the parts along each dimension.
    const r = await conn.query<{
      row_at: string;
      indicator_id: number;
      dim: string;
      sum: number;
      total: number;
    }>(
      `WITH grp AS (
         SELECT DISTINCT series_id, place_id, period, indicator_id FROM import_stage WHERE indicator_id = ANY($1::int[])),
       eff AS (
         SELECT t.series_id, t.place_id, t.period, t.disagg_id, t.value, t.row_at
           FROM import_stage t JOIN grp USING (series_id, place_id, period)
         UNION ALL
         SELECT o.series_id, o.place_id, o.period, o.disagg_id, o.value, NULL
           FROM observations o JOIN grp USING (series_id, place_id, period)
          WHERE NOT EXISTS (SELECT 1 FROM import_stage t WHERE t.series_id = o.series_id AND t.place_id = o.place_id
                               AND t.disagg_id = o.disagg_id AND t.period = o.period)),
       parts AS (
         SELECT e.series_id, e.place_id, e.period, e.value, e.row_at, k.dim
           FROM eff e JOIN disaggregations g ON g.id = e.disagg_id
          CROSS JOIN LATERAL jsonb_object_keys(g.dims) AS k(dim)
          WHERE e.disagg_id <> 0 AND (SELECT count(*) FROM jsonb_object_keys(g.dims)) = 1)
       SELECT coalesce(t.row_at, min(p.row_at)) AS row_at, grp.indicator_id, p.dim,
              sum(p.value) AS sum, t.value AS total
         FROM eff t
         JOIN grp USING (series_id, place_id, period)
         JOIN parts p USING (series_id, place_id, period)
         JOIN indicators i ON i.id = grp.indicator_id
        WHERE t.disagg_id = 0
        GROUP BY t.series_id, t.place_id, t.period, t.value, t.row_at, grp.indicator_id, p.dim, i.validation_rules
       HAVING abs(sum(p.value) - t.value) > abs(t.value) * (i.validation_rules->>'sumTolerance')::float8 + 1e-9
          AND (t.row_at IS NOT NULL OR bool_or(p.row_at IS NOT NULL))
          AND NOT (coalesce(i.validation_rules->'requiredDimensions' ? p.dim, false)
                   AND count(*) < (SELECT count(*) FROM dimension_values v JOIN dimensions d ON d.id = v.dimension_id
                                    WHERE d.code = p.dim AND v.code <> '_T'))
        ORDER BY length(coalesce(t.row_at, min(p.row_at))), 1 LIMIT $2`,
      [ids.sum, limit],
    );
    for (const row of r.rows) {
      const { code, rules } = of(row.indicator_id);
      const sum = Number(row.sum);
      out.push(
        problem(code, rules, toAt(row.row_at), 'value', 'parts-sum', {
          dimension: row.dim,
          sum: Math.round(sum * 1e6) / 1e6,
          total: Number(row.total),
          tolerance: (rules.sumTolerance ?? 0) * 100,
        }),
      );
    }
  }

  if (ids.change.length) {
    // The latest earlier value of the same key, staged or stored (a stored one the import replaces does not count):
    // in one ordered pass per key (the value just before, when it ends before this period starts, which it does
    // unless periods overlap), and for the rows whose periods overlap the one before, by a lookup of their own.
    const r = await conn.query<{ row_at: string; indicator_id: number; value: number; previous: number }>(
      `WITH keys AS (
         SELECT DISTINCT series_id, place_id, disagg_id FROM import_stage WHERE indicator_id = ANY($1::int[])),
       eff AS (
         SELECT s.series_id, s.place_id, s.disagg_id, s.period_start, s.period_end, s.value, s.row_at, s.note,
                s.indicator_id
           FROM import_stage s WHERE s.indicator_id = ANY($1::int[])
         UNION ALL
         SELECT o.series_id, o.place_id, o.disagg_id, o.period_start, o.period_end, o.value, NULL, NULL, NULL
           FROM observations o JOIN keys k USING (series_id, place_id, disagg_id)
          WHERE NOT EXISTS (SELECT 1 FROM import_stage t WHERE t.series_id = o.series_id AND t.place_id = o.place_id
                               AND t.disagg_id = o.disagg_id AND t.period = o.period)),
       ordered AS (
         SELECT e.*, lag(e.value) OVER w AS lag_value, lag(e.period_end) OVER w AS lag_end
           FROM eff e WINDOW w AS (PARTITION BY series_id, place_id, disagg_id ORDER BY period_end, period_start)),
       withprev AS (
         SELECT o.row_at, o.indicator_id, o.value, o.lag_value AS previous
           FROM ordered o WHERE o.row_at IS NOT NULL AND o.note IS NULL AND o.lag_end < o.period_start
         UNION ALL
         SELECT o.row_at, o.indicator_id, o.value, p.value
           FROM ordered o
          CROSS JOIN LATERAL (
            SELECT v.value FROM (
              SELECT t.value, t.period_end, t.period_start FROM import_stage t
               WHERE t.series_id = o.series_id AND t.place_id = o.place_id AND t.disagg_id = o.disagg_id
                 AND t.period_end < o.period_start
              UNION ALL
              SELECT b.value, b.period_end, b.period_start FROM observations b
               WHERE b.series_id = o.series_id AND b.place_id = o.place_id AND b.disagg_id = o.disagg_id
                 AND b.period_end < o.period_start
                 AND NOT EXISTS (SELECT 1 FROM import_stage t WHERE t.series_id = b.series_id AND t.place_id = b.place_id
                                    AND t.disagg_id = b.disagg_id AND t.period = b.period)
            ) v ORDER BY v.period_end DESC, v.period_start DESC LIMIT 1) p
          WHERE o.row_at IS NOT NULL AND o.note IS NULL AND o.lag_end >= o.period_start)
       SELECT w.row_at, w.indicator_id, w.value, w.previous
         FROM withprev w JOIN indicators i ON i.id = w.indicator_id
        WHERE CASE WHEN w.previous = 0 THEN w.value <> 0
                   ELSE abs((w.value - w.previous) / w.previous) * 100 > (i.validation_rules->>'maxChangePercent')::float8 END
        ORDER BY length(w.row_at), w.row_at LIMIT $2`,
      [ids.change, limit],
    );
    for (const row of r.rows) {
      const { code, rules } = of(row.indicator_id);
      const value = Number(row.value);
      const prev = Number(row.previous);
      const change = prev === 0 ? Infinity : Math.abs((value - prev) / prev) * 100;
      out.push(
        problem(code, rules, toAt(row.row_at), 'note', 'change-needs-comment', {
          change: Number.isFinite(change) ? Math.round(change) : '∞',
          limit: rules.maxChangePercent ?? 0,
          previous: prev,
        }),
      );
    }
  }
  return out;
}
