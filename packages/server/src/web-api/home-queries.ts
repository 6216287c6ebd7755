/**
 * The home page's reads, bounded whatever the size of the observations table (issue 16): the latest updates start
 * from the newest approved values through the index `observations_approved_updated` (migration 024) instead of
 * grouping every approved row; the counts read the approved values once.
 */
import type { Store } from '@marsad/db';
import { sql } from 'kysely';

export interface UpdateGroup {
  batchId: number | null;
  indicatorId: number;
  placeId: number;
  n: number;
  latestPeriod: string;
  updatedAt: string;
}

/**
 * The `limit` newest groups of approved values (an import batch, an indicator, a place), by the time of their newest
 * value, then batch (newest first), indicator and place. Values written together share their time (an import's
 * transaction), so the groups are read among the values of the newest distinct times: `times` of them first (each
 * found by one step down the index), more while fewer groups than asked for come out. A group with a newest value
 * older than the oldest time read cannot be newer than the groups found, so once `limit` groups are found they are
 * the newest (`firstTimes`: how many times to read first; tests start lower). Then, for those groups alone, how many values they hold and their latest period.
 */
/**
 * At most this many of the newest approved values are grouped: an import of millions of values shares one time, and
 * grouping all of it took 5 to 8 s at 25 million values (issue 17). The groups found among them are the newest (a
 * group's first value met in time order is its newest); groups that all share the newest time are equally new.
 */
const GROUPED_ROWS = 20_000;

export async function latestUpdates(store: Store, limit: number, firstTimes = limit): Promise<UpdateGroup[]> {
  let times = Math.max(1, firstTimes);
  let groups: { batchId: number | null; indicatorId: number; placeId: number; updated: string }[] = [];
  for (;;) {
    const r = await sql<{
      batchId: number | null;
      indicatorId: number;
      placeId: number;
      updated: string;
      oldest: string | null;
      found: number;
      grouped: number;
    }>`
      WITH RECURSIVE t(at, k) AS (
        (SELECT updated_at, 1 FROM observations WHERE status = 'approved' ORDER BY updated_at DESC LIMIT 1)
        UNION ALL
        SELECT (SELECT o.updated_at FROM observations o
                 WHERE o.status = 'approved' AND o.updated_at < t.at ORDER BY o.updated_at DESC LIMIT 1), t.k + 1
          FROM t WHERE t.at IS NOT NULL AND t.k < ${times}
      ), cut AS (SELECT min(at) AS oldest, count(at)::int AS found FROM t),
      newest AS (SELECT batch_id, indicator_id, place_id, updated_at FROM observations
                  WHERE status = 'approved' AND updated_at >= (SELECT oldest FROM cut)
                  ORDER BY updated_at DESC LIMIT ${GROUPED_ROWS})
      SELECT o.batch_id AS "batchId", o.indicator_id AS "indicatorId", o.place_id AS "placeId",
             max(o.updated_at)::text AS updated, (SELECT oldest::text FROM cut) AS oldest, (SELECT found FROM cut) AS found,
             (SELECT count(*)::int FROM newest) AS grouped
        FROM newest o
       GROUP BY o.batch_id, o.indicator_id, o.place_id
       ORDER BY max(o.updated_at) DESC, o.batch_id DESC, o.indicator_id, o.place_id
       LIMIT ${limit}`.execute(store.db);
    groups = r.rows;
    // Enough groups, every distinct time read (fewer than asked for: the table holds no more), or as many values
    // grouped as are read (reading more times would not group more).
    const first = r.rows[0];
    if (groups.length >= limit || (first?.found ?? 0) < times || (first?.grouped ?? 0) >= GROUPED_ROWS) break;
    times *= 4;
  }
  if (!groups.length) return [];
  const details = await sql<{ i: number; n: number; latestPeriod: string; updatedAt: string }>`
    SELECT g.i, d.n, d.latest_period AS "latestPeriod",
           to_char(g.updated::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "updatedAt"
      FROM jsonb_to_recordset(${JSON.stringify(groups.map((g, i) => ({ i, b: g.batchId, ind: g.indicatorId, p: g.placeId, updated: g.updated })))}::jsonb)
           AS g(i int, b int, ind int, p int, updated text)
      CROSS JOIN LATERAL (
        SELECT count(*)::int AS n,
               (array_agg(o.period ORDER BY o.period_end DESC, o.period_start ASC, o.period DESC))[1] AS latest_period
          FROM observations o
         WHERE o.place_id = g.p AND o.indicator_id = g.ind AND o.batch_id IS NOT DISTINCT FROM g.b
           AND o.status = 'approved'
      ) d
     ORDER BY g.i`.execute(store.db);
  return details.rows.map((d) => {
    const g = groups[d.i]!;
    return {
      batchId: g.batchId,
      indicatorId: g.indicatorId,
      placeId: g.placeId,
      n: d.n,
      latestPeriod: d.latestPeriod,
      updatedAt: d.updatedAt,
    };
  });
}

export interface HomeCounts {
  indicators: number;
  frameworks: number;
  countries: number;
  cities: number;
  pilot: number;
  observations: number;
  sources: number;
  lastUpdate: string | null;
}

/**
 * The home page's counts. The approved values and their sources are summed from observation_counts, which writers
 * keep per source and status (migration 026: grouping every approved row took 7 to 10 s at 25 million values); the
 * last update is the newest entry of the index of approved values by time (migration 024).
 */
export async function homeCounts(store: Store): Promise<HomeCounts> {
  const r = await sql<HomeCounts>`
    WITH approved AS (
      SELECT source_id, sum(n) AS n FROM observation_counts WHERE status = 'approved'
       GROUP BY source_id HAVING sum(n) > 0
    )
    SELECT (SELECT count(*)::int FROM indicators WHERE status <> 'retired') AS indicators,
           (SELECT count(*)::int FROM frameworks) AS frameworks,
           (SELECT count(*)::int FROM places WHERE level = 'country') AS countries,
           (SELECT count(*)::int FROM places WHERE level = 'city') AS cities,
           (SELECT count(*)::int FROM places WHERE pilot) AS pilot,
           (SELECT coalesce(sum(n), 0)::int FROM approved) AS observations,
           (SELECT count(source_id)::int FROM approved) AS sources,
           (SELECT to_char(max(updated_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
              FROM observations WHERE status = 'approved') AS "lastUpdate"`.execute(store.db);
  return r.rows[0]!;
}
