import { measureYears } from '@marsad/core';
import type { SqlConn, Store } from '@marsad/db';
import { type AuditActor, appendAudit } from '../audit/audit-log.ts';
import { DEMO_PROGRAMMES, type DemoMeasure, type DemoProgramme, type DemoResult } from './demo-programmes-data.ts';

const DEMO_ACTOR: AuditActor = { label: 'demo', userId: null, ip: null };

/**
 * Loads the three demonstration programmes (demo-programmes-data.ts) after the demonstration
 * observations: each in one transaction, with an audit entry; a programme whose code exists
 * already is left as it is. Programmes are flagged `demo`, and so are the measures and budget
 * lines whose numbers were invented. A target given as a factor of the baseline is computed from
 * the baseline the observations give (the first year with a value from the baseline year on).
 */
export async function loadDemoProgrammes(
  store: Store,
): Promise<{ programmes: number; results: number; measures: number }> {
  let programmes = 0;
  let results = 0;
  let measures = 0;
  for (const p of DEMO_PROGRAMMES) {
    const done = await store.exclusive(async (conn) => {
      if ((await conn.query('SELECT 1 FROM programmes WHERE code = $1', [p.code])).rows.length) return false;
      const counts = await writeProgramme(conn, p);
      results += counts.results;
      measures += counts.measures;
      await appendAudit(conn, DEMO_ACTOR, {
        action: 'load',
        entityType: 'programme',
        entityId: p.code,
        summary: `demonstration programme: ${counts.results} results, ${counts.measures} measures, ${p.budget.length} budget lines`,
      });
      return true;
    });
    if (done) programmes++;
  }
  return { programmes, results, measures };
}

async function placeIds(conn: SqlConn, codes: string[]): Promise<Map<string, number>> {
  const rows = await conn.query<{ id: number; code: string }>(
    'SELECT id, code FROM places WHERE code = ANY($1::text[])',
    [codes],
  );
  const map = new Map(rows.rows.map((r) => [r.code, r.id]));
  const missing = codes.filter((c) => !map.has(c));
  if (missing.length) throw new Error(`demonstration programmes: no place ${missing.join(', ')} in the catalogue`);
  return map;
}

async function writeProgramme(conn: SqlConn, p: DemoProgramme): Promise<{ results: number; measures: number }> {
  const id = (
    await conn.query<{ id: number }>(
      `INSERT INTO programmes (code, names, descriptions, start_year, end_year, status, reference, reporting_org, demo)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, true) RETURNING id`,
      [
        p.code,
        JSON.stringify(p.names),
        JSON.stringify(p.descriptions),
        p.startYear,
        p.endYear,
        p.status,
        p.reference,
        JSON.stringify(p.reportingOrg),
      ],
    )
  ).rows[0]!.id;
  const pillarIds = new Map<string, number>();
  for (const [i, q] of p.pillars.entries()) {
    const row = await conn.query<{ id: number }>(
      'INSERT INTO programme_pillars (programme_id, code, kind, names, position) VALUES ($1, $2, $3, $4, $5) RETURNING id',
      [id, q.code, q.kind, JSON.stringify(q.names), i],
    );
    pillarIds.set(q.code, row.rows[0]!.id);
  }
  const places = await placeIds(
    conn,
    p.places.map((x) => x.place),
  );
  for (const x of p.places) {
    await conn.query('INSERT INTO programme_places (programme_id, place_id, role, notes) VALUES ($1, $2, $3, $4)', [
      id,
      places.get(x.place),
      x.role,
      JSON.stringify(x.notes ?? {}),
    ]);
  }
  for (const [i, names] of p.partners.entries()) {
    await conn.query('INSERT INTO programme_partners (programme_id, names, position) VALUES ($1, $2, $3)', [
      id,
      JSON.stringify(names),
      i,
    ]);
  }
  for (const b of p.budget) {
    await conn.query(
      'INSERT INTO budget_lines (programme_id, labels, currency, year, end_year, amount, notes, demo) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      [
        id,
        JSON.stringify(b.labels),
        b.currency,
        b.year,
        b.endYear ?? null,
        b.amount,
        JSON.stringify(b.notes ?? {}),
        b.demo,
      ],
    );
  }
  const counts = { results: 0, measures: 0 };
  const writeResult = async (r: DemoResult, parentId: number | null, position: number): Promise<void> => {
    const rid = (
      await conn.query<{ id: number }>(
        `INSERT INTO results (programme_id, parent_id, level, code, titles, descriptions, status, position) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [
          id,
          parentId,
          r.level,
          r.code,
          JSON.stringify(r.titles),
          JSON.stringify(r.descriptions ?? {}),
          r.status ?? 'planned',
          position,
        ],
      )
    ).rows[0]!.id;
    counts.results++;
    if (r.places?.length) {
      const ids = await placeIds(conn, r.places);
      for (const code of r.places)
        await conn.query('INSERT INTO result_places (result_id, place_id) VALUES ($1, $2)', [rid, ids.get(code)]);
    }
    for (const code of r.pillars ?? [])
      await conn.query('INSERT INTO result_pillars (result_id, pillar_id) VALUES ($1, $2)', [rid, pillarIds.get(code)]);
    for (const [i, names] of (r.partners ?? []).entries()) {
      await conn.query(
        'INSERT INTO programme_partners (programme_id, result_id, names, position) VALUES ($1, $2, $3, $4)',
        [id, rid, JSON.stringify(names), i],
      );
    }
    for (const [i, m] of (r.measures ?? []).entries()) {
      await writeMeasure(conn, rid, m, i);
      counts.measures++;
    }
    for (const [i, c] of (r.children ?? []).entries()) await writeResult(c, rid, i);
  };
  for (const [i, r] of p.results.entries()) await writeResult(r, null, i);
  return counts;
}

async function writeMeasure(conn: SqlConn, resultId: number, m: DemoMeasure, position: number): Promise<void> {
  let indicatorId: number | null = null;
  let seriesId: number | null = null;
  let ascending = m.ascending ?? true;
  let measure: 'unit' | 'percentage' = 'unit';
  let baselineYear = m.baselineYear ?? null;
  let baseline: number | null = m.baselineValue ?? null;
  if (m.kind === 'indicator') {
    const ind = (
      await conn.query<{ id: number; direction: string; unit_code: string | null; series_id: number }>(
        `SELECT i.id, i.direction, i.unit_code, (SELECT s.id FROM series s WHERE s.indicator_id = i.id ORDER BY s.is_default DESC, s.id LIMIT 1) AS series_id
         FROM indicators i WHERE i.code = $1`,
        [m.indicator],
      )
    ).rows[0];
    if (!ind) throw new Error(`demonstration programmes: no indicator ${m.indicator}`);
    indicatorId = ind.id;
    seriesId = ind.series_id;
    ascending = ind.direction !== 'lower';
    measure = ind.unit_code === 'PERCENT' ? 'percentage' : 'unit';
    // The baseline the observations give: the first year from the baseline year on in which every place has an approved
    // value.
    const values = await conn.query<{ place: string; year: string; value: number }>(
      `SELECT p.code AS place, o.period AS year, o.value FROM observations o JOIN places p ON p.id = o.place_id
        WHERE o.series_id = $1 AND p.code = ANY($2::text[]) AND o.disagg_id = 0 AND o.status = 'approved' AND o.period ~ '^[0-9]{4}$'`,
      [seriesId, m.places],
    );
    const years = measureYears(
      m.places!,
      values.rows.map((v) => ({ place: v.place, year: Number(v.year), value: Number(v.value) })),
      m.aggregation ?? 'mean',
    ).filter((y) => y.year >= (m.baselineYear ?? 0));
    baselineYear = years[0]?.year ?? m.baselineYear ?? null;
    baseline = years[0]?.value ?? null;
  } else if (m.kind === 'computed') {
    ascending = m.formula !== 'urban-violence-change';
    measure = m.formula === 'urban-violence-change' ? 'percentage' : 'unit';
  }
  const mid = (
    await conn.query<{ id: number }>(
      `INSERT INTO result_measures (result_id, kind, indicator_id, series_id, aggregation, formula, names, measure, ascending, baseline_year, baseline_value, position, demo)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
      [
        resultId,
        m.kind,
        indicatorId,
        seriesId,
        m.kind === 'indicator' ? (m.aggregation ?? 'mean') : null,
        m.formula ?? null,
        m.names ? JSON.stringify(m.names) : null,
        measure,
        ascending,
        // A catalogue indicator's baseline value is read from its observations, not stored.
        baselineYear,
        m.kind === 'indicator' ? null : baseline,
        position,
        m.demo,
      ],
    )
  ).rows[0]!.id;
  if (m.kind === 'indicator' && m.places) {
    const ids = await placeIds(conn, m.places);
    for (const code of m.places)
      await conn.query('INSERT INTO result_measure_places (measure_id, place_id) VALUES ($1, $2)', [
        mid,
        ids.get(code),
      ]);
  }
  for (const t of m.targets ?? []) {
    const value =
      t.value ??
      (t.factorOfBaseline !== undefined && baseline !== null
        ? Math.round(baseline * t.factorOfBaseline * 100) / 100
        : null);
    if (value === null) continue;
    await conn.query('INSERT INTO result_targets (measure_id, year, value, notes) VALUES ($1, $2, $3, $4)', [
      mid,
      t.year,
      value,
      JSON.stringify(t.notes ?? {}),
    ]);
  }
  for (const a of m.actuals ?? []) {
    await conn.query('INSERT INTO result_actuals (measure_id, year, value, source) VALUES ($1, $2, $3, $4)', [
      mid,
      a.year,
      a.value,
      a.source,
    ]);
  }
}
