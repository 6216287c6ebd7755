import type { SqlConn } from '@marsad/db';
import { z } from 'zod';
import { type AuditActor, appendAudit } from '../audit/audit-log.ts';
import { HttpError } from '../http/errors.ts';

export const Names = z.record(z.string().regex(/^[a-z]{2}(-[A-Za-z]+)?$/), z.string().min(1).max(2000));

export const IndicatorInput = z.object({
  code: z.string().regex(/^[\p{L}\p{N}][\p{L}\p{N}._-]{0,63}$/u, 'letters, digits, . _ - (up to 64)'),
  names: Names.refine((n) => Object.keys(n).length > 0, 'give a name in at least one language'),
  definitions: Names.optional(),
  unit: z.object({ code: z.string().min(1).max(40), names: Names.optional() }).optional(),
  direction: z.enum(['higher', 'lower', 'none']).default('none'),
  status: z.enum(['active', 'retired', 'draft']).default('active'),
  frameworks: z.array(z.object({ framework: z.string(), group: z.string().optional() })).default([]),
  tags: z.array(z.string().max(60)).default([]),
  dimensions: z.array(z.string()).default([]),
  ownerPlace: z.string().optional().describe('Code of the city or country whose own indicator this is'),
  series: z
    .array(z.object({ code: z.string().min(1).max(80), names: Names.optional(), unit: z.string().optional() }))
    .default([]),
});
export type IndicatorInput = z.infer<typeof IndicatorInput>;

/** Adds an indicator (a city's or a country's own) with its frameworks and series, in the caller's transaction. */
export async function createIndicator(conn: SqlConn, b: IndicatorInput, actor: AuditActor): Promise<string> {
  const dup = await conn.query('SELECT 1 FROM indicators WHERE code = $1', [b.code]);
  if (dup.rows.length) throw new HttpError(409, 'conflict', `An indicator with code "${b.code}" exists already.`);
  // Each series code and each framework once (else the unique keys of series and indicator_frameworks refuse it).
  const twice = <T>(items: T[], key: (x: T) => string) => items.map(key).find((k, i, keys) => keys.indexOf(k) !== i);
  const series2 = twice(b.series, (s) => s.code);
  if (series2 !== undefined) throw new HttpError(400, 'bad_request', `series: the code "${series2}" is given twice.`);
  const framework2 = twice(b.frameworks, (f) => f.framework);
  if (framework2 !== undefined)
    throw new HttpError(400, 'bad_request', `frameworks: the framework "${framework2}" is given twice.`);
  let owner: number | null = null;
  if (b.ownerPlace) {
    const p = await conn.query<{ id: number }>('SELECT id FROM places WHERE code = $1', [b.ownerPlace]);
    if (!p.rows[0]) throw new HttpError(400, 'bad_request', `ownerPlace: no place with code "${b.ownerPlace}".`);
    owner = p.rows[0].id;
  }
  for (const d of b.dimensions) {
    if (!(await conn.query('SELECT 1 FROM dimensions WHERE code = $1', [d])).rows.length)
      throw new HttpError(400, 'bad_request', `dimensions: no dimension "${d}".`);
  }
  const ins = await conn.query<{ id: number }>(
    `INSERT INTO indicators (code, names, definitions, unit_code, unit_names, direction, status, local, owner_place_id, tags, dimensions)
     VALUES ($1, $2, $3, $4, $5, $6, $7, true, $8, $9, $10) RETURNING id`,
    [
      b.code,
      JSON.stringify(b.names),
      JSON.stringify(b.definitions ?? {}),
      b.unit?.code ?? null,
      JSON.stringify(b.unit?.names ?? {}),
      b.direction,
      b.status,
      owner,
      b.tags,
      b.dimensions,
    ],
  );
  const id = ins.rows[0]!.id;
  for (const f of b.frameworks) {
    const fr = await conn.query<{ id: number }>('SELECT id FROM frameworks WHERE code = $1', [f.framework]);
    if (!fr.rows[0]) throw new HttpError(400, 'bad_request', `frameworks: no framework "${f.framework}".`);
    let group: number | null = null;
    if (f.group) {
      const g = await conn.query<{ id: number }>(
        'SELECT id FROM framework_groups WHERE framework_id = $1 AND code = $2',
        [fr.rows[0].id, f.group],
      );
      if (!g.rows[0])
        throw new HttpError(400, 'bad_request', `frameworks: framework "${f.framework}" has no group "${f.group}".`);
      group = g.rows[0].id;
    }
    await conn.query('INSERT INTO indicator_frameworks (indicator_id, framework_id, group_id) VALUES ($1, $2, $3)', [
      id,
      fr.rows[0].id,
      group,
    ]);
  }
  const series = b.series.length ? b.series : [{ code: b.code, names: b.names, unit: b.unit?.code }];
  for (const [i, s] of series.entries()) {
    await conn.query(
      'INSERT INTO series (indicator_id, code, names, unit_code, is_default) VALUES ($1, $2, $3, $4, $5)',
      [id, s.code, JSON.stringify(s.names ?? { en: s.code }), s.unit ?? b.unit?.code ?? null, i === 0],
    );
  }
  await appendAudit(conn, actor, { action: 'create', entityType: 'indicator', entityId: b.code, after: b });
  return b.code;
}
