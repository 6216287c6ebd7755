import { defaultValidationRules } from '@marsad/core';
import type { SqlConn, Store } from '../connection/store.ts';
import { type CatalogueFiles, type PlaceFile, readCatalogueFiles, type SourceInfo } from './catalogue-files.ts';

const j = (v: unknown) => JSON.stringify(v ?? {});

async function upsertSource(conn: SqlConn, s: SourceInfo): Promise<number> {
  const r = await conn.query<{ id: number }>(
    `INSERT INTO sources (name, licence, citation, url) VALUES ($1, $2, $3, $4)
     ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
    [s.name, s.licence ?? null, s.citation ?? s.note ?? null, s.url ?? null],
  );
  return r.rows[0]!.id;
}

/** Inserts places parents first; a place already present (by code) is left as the user edited it. */
export async function insertPlaces(conn: SqlConn, places: PlaceFile[]): Promise<number> {
  const existing = new Map(
    (await conn.query<{ id: number; code: string; path: string }>('SELECT id, code, path FROM places')).rows.map(
      (r) => [r.code, r],
    ),
  );
  let added = 0;
  let pending = places.filter((p) => !existing.has(p.code));
  while (pending.length > 0) {
    const next: PlaceFile[] = [];
    for (const p of pending) {
      const parent = p.parent ? existing.get(p.parent) : undefined;
      if (p.parent && !parent) {
        next.push(p);
        continue;
      }
      const r = await conn.query<{ id: number }>(
        `INSERT INTO places (code, level, parent_id, path, names, lat, lon, codes, external_code, pilot, review_needed, level_code)
         VALUES ($1, $2, $3, '', $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
        [
          p.code,
          p.level,
          parent?.id ?? null,
          j(p.names),
          p.lat ?? null,
          p.lon ?? null,
          j(p.codes),
          p.externalCode ?? null,
          !!p.pilot,
          !!p.reviewNeeded,
          p.levelCode ?? null,
        ],
      );
      const id = r.rows[0]!.id;
      const path = `${parent?.path ?? '/'}${id}/`;
      await conn.query('UPDATE places SET path = $2 WHERE id = $1', [id, path]);
      existing.set(p.code, { id, code: p.code, path });
      added++;
    }
    if (next.length === pending.length) {
      throw new Error(
        `places with unknown parents: ${next
          .slice(0, 5)
          .map((p) => `${p.code} (parent ${p.parent})`)
          .join(', ')}`,
      );
    }
    pending = next;
  }
  return added;
}

export async function loadCatalogueInto(conn: SqlConn, files: CatalogueFiles): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const sdgSource = await upsertSource(conn, files.sdg.source);
  for (const g of files.sdg.goals) {
    await conn.query(
      'INSERT INTO sdg_goals (code, names, source_id) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING',
      [g.code, j(g.names), sdgSource],
    );
  }
  for (const t of files.sdg.targets) {
    await conn.query(
      'INSERT INTO sdg_targets (code, goal_code, names, source_id) VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO NOTHING',
      [t.code, t.goal, j(t.names), sdgSource],
    );
  }
  counts.sdgGoals = files.sdg.goals.length;
  counts.sdgTargets = files.sdg.targets.length;

  const frameworkIds = new Map<string, number>();
  const groupIds = new Map<string, number>();
  for (const f of files.frameworks) {
    await conn.query(
      `INSERT INTO frameworks (code, names, descriptions, draft, review_needed) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (code) DO NOTHING`,
      [f.code, j(f.names), j(f.descriptions), !!f.draft, !!f.reviewNeeded],
    );
    const id = (await conn.query<{ id: number }>('SELECT id FROM frameworks WHERE code = $1', [f.code])).rows[0]!.id;
    frameworkIds.set(f.code, id);
    for (const [i, g] of (f.groups ?? []).entries()) {
      await conn.query(
        'INSERT INTO framework_groups (framework_id, code, names, position) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
        [id, g.code, j(g.names), i],
      );
      const gid = (
        await conn.query<{ id: number }>('SELECT id FROM framework_groups WHERE framework_id = $1 AND code = $2', [
          id,
          g.code,
        ])
      ).rows[0]!.id;
      groupIds.set(`${f.code}/${g.code}`, gid);
    }
  }
  counts.frameworks = files.frameworks.length;

  for (const d of files.dimensions) {
    await conn.query('INSERT INTO dimensions (code, names, open) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING', [
      d.code,
      j(d.names),
      !!d.open,
    ]);
    const id = (await conn.query<{ id: number }>('SELECT id FROM dimensions WHERE code = $1', [d.code])).rows[0]!.id;
    for (const [i, v] of d.values.entries()) {
      await conn.query(
        'INSERT INTO dimension_values (dimension_id, code, names, position) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
        [id, v.code, j(v.names), i],
      );
    }
  }
  counts.dimensions = files.dimensions.length;

  // Every SDG indicator by title; the detailed file adds definitions, units, series, frameworks.
  const detailed = new Map(files.indicators.map((i) => [i.code, i]));
  const sdgFramework = frameworkIds.get('sdg');
  const all = [
    ...files.sdg.indicators.map((i) => ({ ...i, sdgTarget: i.target, ...(detailed.get(i.code) ?? {}) })),
    ...files.indicators.filter((i) => !files.sdg.indicators.some((s) => s.code === i.code)),
  ];
  for (const ind of all) {
    const sdgTarget = 'sdgTarget' in ind ? (ind.sdgTarget ?? null) : null;
    const r = await conn.query<{ id: number }>(
      `INSERT INTO indicators (code, names, definitions, unit_code, unit_names, direction, status, sdg_target, tags, dimensions, source_id, review_needed, suppression, validation_rules)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT (code) DO NOTHING RETURNING id`,
      [
        ind.code,
        j(ind.names),
        j('definitions' in ind ? ind.definitions : {}),
        ('unit' in ind && ind.unit?.code) || null,
        j('unit' in ind ? ind.unit?.names : {}),
        ('direction' in ind && ind.direction) || 'none',
        ind.status ?? 'active',
        sdgTarget,
        ('tags' in ind && ind.tags) || [],
        ('dimensions' in ind && ind.dimensions) || [],
        files.sdg.indicators.some((s) => s.code === ind.code) ? sdgSource : null,
        !!ind.reviewNeeded,
        'suppression' in ind && ind.suppression ? JSON.stringify(ind.suppression) : null,
        JSON.stringify(
          ('validationRules' in ind && ind.validationRules) ||
            defaultValidationRules(('unit' in ind && ind.unit?.code) || null),
        ),
      ],
    );
    const id = r.rows[0]?.id;
    if (id === undefined) continue; // already there: the user's version stands
    const memberships = 'frameworks' in ind && ind.frameworks ? [...ind.frameworks] : [];
    if (sdgTarget && sdgFramework && !memberships.some((m) => m.framework === 'sdg'))
      memberships.push({ framework: 'sdg' });
    for (const m of memberships) {
      const fid = frameworkIds.get(m.framework);
      if (fid === undefined) throw new Error(`indicator ${ind.code}: unknown framework ${m.framework}`);
      await conn.query(
        'INSERT INTO indicator_frameworks (indicator_id, framework_id, group_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [id, fid, m.group ? (groupIds.get(`${m.framework}/${m.group}`) ?? null) : null],
      );
    }
    const series = 'series' in ind && ind.series?.length ? ind.series : [{ code: ind.code, names: ind.names }];
    const seriesIds = new Map<string, number>();
    for (const [i, s] of series.entries()) {
      const unit = s.unit ?? ('unit' in ind ? ind.unit : undefined);
      const sr = await conn.query<{ id: number }>(
        `INSERT INTO series (indicator_id, code, names, unit_code, unit_names, aliases, is_default) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [id, s.code, j(s.names), unit?.code ?? null, j(unit?.names), s.aliases ?? [], i === 0],
      );
      seriesIds.set(s.code, sr.rows[0]!.id);
    }
    for (const t of ('targets' in ind && ind.targets) || []) {
      await conn.query(
        `INSERT INTO targets (indicator_id, series_id, year, value, relative_change, baseline_year, note) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          id,
          t.series ? (seriesIds.get(t.series) ?? null) : null,
          t.year,
          t.value ?? null,
          t.relativeChange ?? null,
          t.baselineYear ?? null,
          t.note ?? null,
        ],
      );
    }
  }
  counts.indicators = all.length;
  counts.places = await insertPlaces(conn, files.places.places);
  await conn.query(
    `INSERT INTO audit_log (actor_label, action, entity_type, summary, after) VALUES ('system', 'load', 'catalogue', $1, $2)`,
    ['reference catalogue loaded', j(counts)],
  );
  await conn.query(
    `INSERT INTO settings (key, value) VALUES ('catalogue', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [j({ loadedAt: new Date().toISOString(), counts })],
  );
  return counts;
}

/** Whether the reference catalogue was ever loaded into this database. */
export async function catalogueLoaded(store: Store): Promise<boolean> {
  const r = await store.db.selectFrom('settings').select('key').where('key', '=', 'catalogue').executeTakeFirst();
  return !!r;
}

/** Loads the shipped catalogue in one transaction; entries already present are left unchanged. */
export async function loadCatalogue(store: Store): Promise<Record<string, number>> {
  const files = await readCatalogueFiles();
  return store.exclusive((conn) => loadCatalogueInto(conn, files));
}
