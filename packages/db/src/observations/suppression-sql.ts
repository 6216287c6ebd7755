import { type RawBuilder, sql } from 'kysely';

/**
 * Suppression of small counts in SQL (the rule is core/indicators/suppression-rule.ts, the
 * method docs/methods/suppression.md). Every read of observation values that can reach the
 * public goes through these expressions, so that a page, an API answer and an export agree.
 */

/** Table aliases of a query joining an observation to its indicator, place and disaggregation. */
export interface SuppressionRefs {
  observation: string;
  indicator: string;
  place: string;
  disaggregation: string;
}

const DEFAULT_REFS: SuppressionRefs = { observation: 'o', indicator: 'i', place: 'p', disaggregation: 'd' };

/**
 * The rule's minimum count when the observation rests on fewer, else NULL — the same test as
 * `isSuppressed` in core: the rule applies (no dimensions and no levels given, or the value is
 * disaggregated by one of the rule's dimensions, or its place is at one of the rule's levels),
 * and the count (the value itself, or the value of the count series at the same place, period
 * and disaggregation) is below the minimum. A count that is not in Marsad suppresses nothing.
 * The count series is looked up by code or alias, in the same indicator first; its value is
 * used whatever its status (the count behind a value does not become larger by waiting).
 */
export function suppressedBelowSql(refs: SuppressionRefs = DEFAULT_REFS): RawBuilder<number | null> {
  const rule = sql.ref(`${refs.indicator}.suppression`);
  const o = (column: string) => sql.ref(`${refs.observation}.${column}`);
  const level = sql.ref(`${refs.place}.level`);
  const dims = sql.ref(`${refs.disaggregation}.dims`);
  return sql<number | null>`CASE
    WHEN ${rule} IS NULL OR jsonb_typeof(${rule}) <> 'object' THEN NULL
    WHEN (
      (coalesce(${rule} -> 'dimensions', '[]'::jsonb) IN ('[]'::jsonb, 'null'::jsonb)
        AND coalesce(${rule} -> 'levels', '[]'::jsonb) IN ('[]'::jsonb, 'null'::jsonb))
      OR EXISTS (SELECT 1 FROM jsonb_object_keys(${dims}) AS supk(k) WHERE (${rule} -> 'dimensions') @> to_jsonb(supk.k))
      OR (${rule} -> 'levels') @> to_jsonb(${level}::text)
    ) AND (
      CASE WHEN ${rule} ->> 'countSeries' IS NULL THEN ${o('value')}
      ELSE (
        SELECT supc.value FROM observations supc JOIN series sups ON sups.id = supc.series_id
         WHERE (sups.code = ${rule} ->> 'countSeries' OR sups.aliases @> ARRAY[${rule} ->> 'countSeries'])
           AND supc.place_id = ${o('place_id')} AND supc.period = ${o('period')} AND supc.disagg_id = ${o('disagg_id')}
         ORDER BY (sups.indicator_id = ${o('indicator_id')}) DESC, sups.id
         LIMIT 1)
      END
    ) < (${rule} ->> 'minCount')::double precision
    THEN ceil((${rule} ->> 'minCount')::double precision)::integer
  END`;
}

/**
 * Who may see the true value of a suppressed observation: 'all' (administrators, the operator),
 * the places under these paths ('/12/' — focal points and validators of those places), or
 * nobody (absent or empty: the public).
 */
export type SuppressionReveal = 'all' | string[] | undefined;

/** SQL true where the reader may see the true value of a suppressed observation at the place. */
export function revealSql(reveal: SuppressionReveal, placeAlias = 'p'): RawBuilder<boolean> {
  if (reveal === 'all') return sql<boolean>`true`;
  if (!reveal?.length) return sql<boolean>`false`;
  return sql<boolean>`(${sql.ref(`${placeAlias}.path`)} LIKE ANY(${sql.val(reveal.map((p) => `${p}%`))}::text[]))`;
}

/** An expression shown to the reader: NULL where the observation is suppressed and not revealed. */
export function unlessHidden<T>(
  below: RawBuilder<number | null>,
  reveal: SuppressionReveal,
  expression: RawBuilder<T>,
  placeAlias = 'p',
): RawBuilder<T | null> {
  if (reveal === 'all') return expression;
  return sql<T | null>`CASE WHEN ${below} IS NOT NULL AND NOT ${revealSql(reveal, placeAlias)} THEN NULL ELSE ${expression} END`;
}
