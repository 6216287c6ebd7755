import { insertPlaces, type PlaceFile, type SqlConn } from '@marsad/db';
import { parse } from 'csv-parse';
import { z } from 'zod';
import { type AuditActor, appendAudit } from '../audit/audit-log.ts';
import { HttpError } from '../http/errors.ts';

const KINDS = ['country', 'region', 'city', 'district'] as const;
export type PlaceKind = (typeof KINDS)[number];

export const PlaceInput = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, 'letters, digits, . _ - (up to 40)'),
  parent: z
    .string()
    .trim()
    .optional()
    .nullable()
    .transform((v) => v || null),
  level: z
    .string()
    .trim()
    .toLowerCase()
    .regex(
      /^[a-z0-9][a-z0-9_-]{0,39}$/,
      "a kind of place (country, region, city, district) or the country's own name for the level, such as province or ward (letters, digits, _ -, up to 40)",
    )
    .describe(
      "country, region, city or district; or the country's own level (province, oblys, ward…), whose kind is given by `kind` the first time or inferred from the parent (region under a country or region, district under a city or district)",
    ),
  kind: z
    .enum(['region', 'city', 'district'])
    .optional()
    .describe('The kind of a level the country names itself (only with such a level)'),
  levelNames: z
    .record(z.string().regex(/^[a-z]{2,3}$/), z.string().trim().min(1).max(300))
    .optional()
    .describe("Names of the country's own level by language"),
  names: z
    .record(z.string(), z.string().trim().min(1).max(300))
    .refine((n) => Object.keys(n).length > 0, 'give a name in at least one language'),
  lat: z.number().min(-90).max(90).nullable().optional(),
  lon: z.number().min(-180).max(180).nullable().optional(),
  externalCode: z
    .string()
    .trim()
    .max(80)
    .optional()
    .nullable()
    .transform((v) => v || undefined),
  pilot: z.boolean().optional(),
});
export type PlaceInput = z.infer<typeof PlaceInput>;

export interface RowProblem {
  row: number;
  column?: string;
  message: string;
}

function num(v: string | undefined): number | null | undefined {
  if (v === undefined || v.trim() === '') return null;
  const n = Number(v.trim());
  return Number.isFinite(n) ? n : (Number.NaN as number);
}

/**
 * Reads the places CSV `code,parent,level,name_ar,name_en,lat,lon,external_code` (extra `name_<lang>` columns welcome).
 */
export async function readPlacesCsv(
  input: AsyncIterable<Uint8Array | string>,
): Promise<{ places: PlaceInput[]; problems: RowProblem[] }> {
  const parser = parse({
    columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
    bom: true,
    skip_empty_lines: true,
    relax_column_count: false,
    trim: false,
  });
  const places: PlaceInput[] = [];
  const problems: RowProblem[] = [];
  const feed = (async () => {
    for await (const chunk of input) if (!parser.write(chunk)) await new Promise((r) => parser.once('drain', r));
    parser.end();
  })();
  let row = 1;
  try {
    for await (const rec of parser as AsyncIterable<Record<string, string>>) {
      row++;
      const names: Record<string, string> = {};
      const levelNames: Record<string, string> = {};
      for (const [k, v] of Object.entries(rec)) {
        if (k.startsWith('name_') && v.trim()) names[k.slice(5)] = v.trim();
        if (k.startsWith('level_name_') && v.trim()) levelNames[k.slice(11)] = v.trim();
      }
      const lat = num(rec.lat);
      const lon = num(rec.lon);
      if (Number.isNaN(lat)) {
        problems.push({ row, column: 'lat', message: `"${rec.lat}" is not a number` });
        continue;
      }
      if (Number.isNaN(lon)) {
        problems.push({ row, column: 'lon', message: `"${rec.lon}" is not a number` });
        continue;
      }
      const parsed = PlaceInput.safeParse({
        code: rec.code ?? '',
        parent: rec.parent,
        level: (rec.level ?? '').trim().toLowerCase(),
        kind: rec.kind?.trim() ? rec.kind.trim().toLowerCase() : undefined,
        levelNames: Object.keys(levelNames).length ? levelNames : undefined,
        names,
        lat,
        lon,
        externalCode: rec.external_code,
      });
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const field = String(issue.path[0] ?? '');
          const column = field === 'levelNames' ? `level_name_${String(issue.path[1] ?? '')}` : field;
          problems.push({ row, column, message: issue.message });
        }
        continue;
      }
      places.push(parsed.data);
    }
  } catch (err) {
    problems.push({ row: row + 1, message: `the file is not valid CSV: ${(err as Error).message}` });
  }
  await feed.catch(() => undefined);
  if (row === 1 && problems.length === 0)
    problems.push({
      row: 1,
      message: 'the file has no rows; expected the header code,parent,level,name_ar,name_en,lat,lon,external_code',
    });
  return { places, problems };
}

const RANK: Record<PlaceKind, number> = { country: 0, region: 1, city: 2, district: 3 };

/** What a places file does to one place: adds it, changes the fields named, or leaves it as it is. */
export interface PlaceChange {
  row: number;
  code: string;
  action: 'create' | 'update' | 'unchanged';
  /** The fields that change (an update). */
  fields?: string[];
}

export interface ApplyPlacesResult {
  added: number;
  updated: number;
  unchanged: number;
  /** Levels a country names itself, added or renamed by the file. */
  levels: { country: string; code: string; kind: string; action: 'create' | 'update' }[];
  /** Every place of the file that is added or changed, in file order. */
  changes: PlaceChange[];
  problems: RowProblem[];
  dryRun: boolean;
}

interface ExistingPlace {
  id: number;
  code: string;
  level: PlaceKind;
  level_code: string | null;
  path: string;
  names: Record<string, string>;
  lat: number | null;
  lon: number | null;
  external_code: string | null;
  pilot: boolean;
  parent_code: string | null;
}

interface LevelDef {
  country: string;
  code: string;
  kind: Exclude<PlaceKind, 'country'>;
  names: Record<string, string>;
}

const sameNames = (a: Record<string, string>, b: Record<string, string>) => {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
};

/**
 * Applies a places file all-or-nothing: a new code adds a place, a known code updates what the row changes (parent,
 * level, names given, coordinates and external code when given) and a row that repeats a place is left alone. Every
 * row is checked before anything is written: codes given once, known parents, no place under itself, a kind no
 * higher than its parent's (a region under a country or a region, a ward under a district), the country's own level
 * names consistent. With `dryRun` nothing is written; the answer says what would be.
 */
export async function addPlaces(
  conn: SqlConn,
  places: PlaceInput[],
  rowOf: (i: number) => number,
  actor: AuditActor,
  /**
   * Whether the actor may add or change a place under the place of this path (null: a country). Absent: the operator,
   * who may.
   */
  mayAddUnder?: (parentPath: string | null) => boolean,
  /** `refuseExisting`: a code that exists is a problem (a form that adds one place), not an update. */
  options: { dryRun?: boolean; refuseExisting?: boolean } = {},
): Promise<ApplyPlacesResult> {
  const problems: RowProblem[] = [];
  const dryRun = !!options.dryRun;
  const rows = (
    await conn.query<ExistingPlace>(
      `SELECT p.id, p.code, p.level, p.level_code, p.path, p.names, p.lat, p.lon, p.external_code, p.pilot,
              parent.code AS parent_code
         FROM places p LEFT JOIN places parent ON parent.id = p.parent_id`,
    )
  ).rows;
  const existing = new Map(rows.map((r) => [r.code, r]));
  const levelRows = (
    await conn.query<LevelDef>(
      `SELECT c.code AS country, l.code, l.kind, l.names FROM place_levels l JOIN places c ON c.id = l.country_id`,
    )
  ).rows;
  const levels = new Map(levelRows.map((l) => [`${l.country}|${l.code}`, l]));
  const inFile = new Map<string, { p: PlaceInput; row: number }>();
  const bad = new Set<string>();
  places.forEach((p, i) => {
    const row = rowOf(i);
    const first = inFile.get(p.code);
    if (options.refuseExisting && existing.has(p.code)) {
      problems.push({ row, column: 'code', message: `a place with code "${p.code}" exists already` });
      bad.add(p.code);
    } else if (first) {
      problems.push({ row, column: 'code', message: `code "${p.code}" is given twice (also row ${first.row})` });
      bad.add(p.code);
    } else inFile.set(p.code, { p, row });
  });
  const parentOf = (code: string): string | null =>
    inFile.has(code) ? inFile.get(code)!.p.parent : (existing.get(code)?.parent_code ?? null);

  // Parents: known, not the place itself, no circle; a country has none, every other place one.
  for (const [code, { p, row }] of inFile) {
    const given = (KINDS as readonly string[]).includes(p.level) ? (p.level as PlaceKind) : null;
    if (given === 'country') {
      if (p.parent) {
        problems.push({ row, column: 'parent', message: 'a country has no parent place; leave parent empty' });
        bad.add(code);
      }
      continue;
    }
    if (!p.parent) {
      problems.push({ row, column: 'parent', message: `a ${p.level} needs a parent place` });
      bad.add(code);
    } else if (!existing.has(p.parent) && !inFile.has(p.parent)) {
      problems.push({ row, column: 'parent', message: `unknown parent "${p.parent}"` });
      bad.add(code);
    } else {
      const seen = new Set([code]);
      for (let c: string | null = p.parent; c; c = parentOf(c)) {
        if (seen.has(c)) {
          problems.push({
            row,
            column: 'parent',
            message:
              c === code
                ? `"${code}" would be under itself (its parents come round to it)`
                : `the parents of "${code}" go round in a circle (through "${c}")`,
          });
          bad.add(code);
          break;
        }
        seen.add(c);
      }
    }
  }

  // Kinds and the country's own levels, parents first.
  const kindMemo = new Map<string, { kind: PlaceKind; levelCode: string | null; country: string | null } | null>();
  const newLevels = new Map<string, LevelDef & { action: 'create' | 'update'; row: number }>();
  const resolve = (code: string): { kind: PlaceKind; levelCode: string | null; country: string | null } | null => {
    if (kindMemo.has(code)) return kindMemo.get(code)!;
    kindMemo.set(code, null); // a circle (reported above) ends here
    let out: { kind: PlaceKind; levelCode: string | null; country: string | null } | null = null;
    const entry = inFile.get(code);
    if (!entry) {
      const e = existing.get(code);
      if (e) {
        const up = e.parent_code ? resolve(e.parent_code) : null;
        out = {
          kind: e.level,
          levelCode: e.level_code,
          country: e.level === 'country' ? e.code : (up?.country ?? null),
        };
      }
    } else if (!bad.has(code)) {
      const { p, row } = entry;
      const up = p.parent ? resolve(p.parent) : null;
      const country = p.level === 'country' ? p.code : (up?.country ?? null);
      if ((KINDS as readonly string[]).includes(p.level)) {
        if (p.kind && p.kind !== p.level) {
          problems.push({ row, column: 'kind', message: `a ${p.level} is of its own kind; leave kind empty` });
        } else out = { kind: p.level as PlaceKind, levelCode: null, country };
      } else if (!country) {
        problems.push({
          row,
          column: 'level',
          message: `"${p.level}" is not a kind of place, and no country is above`,
        });
      } else if (p.parent && !up) {
        // the parent's row has a problem of its own
      } else {
        const key = `${country}|${p.level}`;
        const known = newLevels.get(key) ?? levels.get(key);
        const inferred: LevelDef['kind'] = up && RANK[up.kind] >= RANK.city ? 'district' : 'region';
        const kind = p.kind ?? known?.kind ?? inferred;
        if (known && known.kind !== kind) {
          problems.push({
            row,
            column: 'kind',
            message: `the level "${p.level}" of ${country} is a ${known.kind}, not a ${kind}`,
          });
        } else {
          out = { kind, levelCode: p.level, country };
          const names = { ...(known?.names ?? {}), ...(p.levelNames ?? {}) };
          if (!known) newLevels.set(key, { country, code: p.level, kind, names, action: 'create', row });
          else if (!sameNames(known.names, names))
            newLevels.set(key, { ...known, names, action: newLevels.get(key)?.action ?? 'update', row });
        }
      }
      if (out && up && RANK[up.kind] > RANK[out.kind]) {
        problems.push({
          row,
          column: 'level',
          message: `a ${out.kind}${out.levelCode ? ` (${out.levelCode})` : ''} cannot be under a ${up.kind} ("${p.parent}")`,
        });
        out = null;
      }
    }
    kindMemo.set(code, out);
    return out;
  };
  for (const code of inFile.keys()) resolve(code);

  // What changes.
  const changes: PlaceChange[] = [];
  const updates: { before: ExistingPlace; after: Partial<ExistingPlace>; fields: string[]; row: number }[] = [];
  let unchanged = 0;
  const creates: { p: PlaceInput; row: number; kind: PlaceKind; levelCode: string | null }[] = [];
  for (const [code, { p, row }] of inFile) {
    const k = kindMemo.get(code);
    if (!k) continue;
    const e = existing.get(code);
    if (!e) {
      creates.push({ p, row, kind: k.kind, levelCode: k.levelCode });
      changes.push({ row, code, action: 'create' });
      continue;
    }
    const after: Partial<ExistingPlace> = {};
    const fields: string[] = [];
    if ((p.parent ?? null) !== e.parent_code) {
      after.parent_code = p.parent;
      fields.push('parent');
    }
    if (k.kind !== e.level) {
      // Its places that the file leaves where they are must stay of its kind or a lower one.
      const above = rows.find((c) => c.parent_code === code && !inFile.has(c.code) && RANK[c.level] < RANK[k.kind]);
      if (above) {
        problems.push({
          row,
          column: 'level',
          message: `"${code}" cannot become a ${k.kind}: the ${above.level} "${above.code}" is under it`,
        });
        continue;
      }
      after.level = k.kind;
      fields.push('level');
    }
    if (k.levelCode !== e.level_code) {
      after.level_code = k.levelCode;
      if (!fields.includes('level')) fields.push('level');
    }
    const names = { ...e.names, ...p.names };
    if (!sameNames(names, e.names)) {
      after.names = names;
      fields.push('names');
    }
    if (p.lat != null && p.lat !== e.lat) {
      after.lat = p.lat;
      fields.push('lat');
    }
    if (p.lon != null && p.lon !== e.lon) {
      after.lon = p.lon;
      fields.push('lon');
    }
    if (p.externalCode !== undefined && p.externalCode !== e.external_code) {
      after.external_code = p.externalCode;
      fields.push('externalCode');
    }
    if (p.pilot !== undefined && p.pilot !== e.pilot) {
      after.pilot = p.pilot;
      fields.push('pilot');
    }
    if (fields.length === 0) {
      unchanged++;
      continue;
    }
    updates.push({ before: e, after, fields, row });
    changes.push({ row, code, action: 'update', fields });
  }

  if (mayAddUnder) {
    // A place under a new place of the same file is judged by the nearest existing ancestor.
    const existingAncestorPath = (code: string | null): string | null => {
      for (let c = code, hops = 0; c && hops < 10_000; c = parentOf(c), hops++) {
        const found = existing.get(c);
        if (found) return found.path;
      }
      return null;
    };
    const refuse = (row: number, parent: string | null, verb: string) =>
      problems.push({
        row,
        column: 'parent',
        message: parent
          ? `you may not ${verb} places under "${parent}": your roles cover other places`
          : `only an administrator may ${verb} a country`,
      });
    for (const c of creates)
      if (!mayAddUnder(c.p.parent ? existingAncestorPath(c.p.parent) : null)) refuse(c.row, c.p.parent, 'add');
    for (const u of updates) {
      const oldParent = u.before.parent_code;
      if (!mayAddUnder(oldParent ? (existing.get(oldParent)?.path ?? null) : null)) refuse(u.row, oldParent, 'change');
      else if (
        u.after.parent_code !== undefined &&
        u.after.parent_code &&
        !mayAddUnder(existingAncestorPath(u.after.parent_code))
      )
        refuse(u.row, u.after.parent_code, 'move');
    }
  }
  const levelList = [...newLevels.values()].map((l) => ({
    country: l.country,
    code: l.code,
    kind: l.kind,
    action: l.action,
  }));
  const result = {
    added: creates.length,
    updated: updates.length,
    unchanged,
    levels: levelList,
    changes,
    problems,
    dryRun,
  };
  if (problems.length) {
    problems.sort((a, b) => a.row - b.row);
    return { ...result, added: 0, updated: 0, unchanged: 0, changes: [], levels: [] };
  }
  if (dryRun) return result;

  // Write: new places (parents first), the countries' levels, moves (parents first), then the other fields.
  const files: PlaceFile[] = creates.map(({ p, kind, levelCode }) => ({
    code: p.code,
    level: kind,
    levelCode,
    parent: p.parent,
    names: p.names,
    lat: p.lat ?? null,
    lon: p.lon ?? null,
    externalCode: p.externalCode,
    pilot: p.pilot,
  }));
  const added = files.length ? await insertPlaces(conn, files) : 0;
  for (const l of newLevels.values()) {
    await conn.query(
      `INSERT INTO place_levels (country_id, code, kind, names) SELECT id, $2, $3, $4::jsonb FROM places WHERE code = $1
       ON CONFLICT (country_id, code) DO UPDATE SET names = EXCLUDED.names`,
      [l.country, l.code, l.kind, JSON.stringify(l.names)],
    );
    await appendAudit(conn, actor, {
      action: l.action,
      entityType: 'place_level',
      entityId: `${l.country}/${l.code}`,
      after: { kind: l.kind, names: l.names },
    });
  }
  const depth = (code: string) => {
    let d = 0;
    for (let c = parentOf(code); c && d < 100_000; c = parentOf(c)) d++;
    return d;
  };
  const moves = updates
    .filter((u) => u.after.parent_code !== undefined)
    .sort((a, b) => depth(a.before.code) - depth(b.before.code));
  for (const m of moves) {
    const cur = (
      await conn.query<{ id: number; path: string; parent_id: number; parent_path: string }>(
        `SELECT p.id, p.path, parent.id AS parent_id, parent.path AS parent_path
           FROM places p, places parent WHERE p.code = $1 AND parent.code = $2`,
        [m.before.code, m.after.parent_code],
      )
    ).rows[0]!;
    const path = `${cur.parent_path}${cur.id}/`;
    await conn.query('UPDATE places SET parent_id = $2 WHERE id = $1', [cur.id, cur.parent_id]);
    await conn.query(`UPDATE places SET path = $2 || substr(path, length($1) + 1) WHERE path LIKE $1 || '%'`, [
      cur.path,
      path,
    ]);
  }
  for (const u of updates) {
    const a = { ...u.before, ...u.after };
    await conn.query(
      `UPDATE places SET level = $2, level_code = $3, names = $4::jsonb, lat = $5, lon = $6, external_code = $7,
              pilot = $8, updated_at = now() WHERE id = $1`,
      [u.before.id, a.level, a.level_code, JSON.stringify(a.names), a.lat, a.lon, a.external_code, a.pilot],
    );
    const pickFields = (x: Partial<ExistingPlace>) => {
      const out: Record<string, unknown> = {};
      for (const f of u.fields) {
        if (f === 'level') {
          out.level = x.level;
          out.levelCode = x.level_code ?? null;
        } else if (f === 'parent') out.parent = x.parent_code ?? null;
        else if (f === 'externalCode') out.externalCode = x.external_code ?? null;
        else out[f] = x[f as keyof ExistingPlace] ?? null;
      }
      return out;
    };
    await appendAudit(conn, actor, {
      action: 'update',
      entityType: 'place',
      entityId: u.before.code,
      summary: `place ${u.before.code} changed by a places file: ${u.fields.join(', ')}`,
      before: pickFields(u.before),
      after: pickFields(a),
    });
  }
  if (added) {
    await appendAudit(conn, actor, {
      action: 'create',
      entityType: 'places',
      entityId: files.length === 1 ? files[0]!.code : null,
      summary: `${added} places added`,
      after: { places: files },
    });
  }
  return { ...result, added };
}

export function placeProblemsError(problems: RowProblem[]): HttpError {
  const first = problems[0]!;
  return new HttpError(
    422,
    'invalid_rows',
    `Nothing was changed: ${problems.length} problem(s); row ${first.row}${first.column ? `, ${first.column}` : ''}: ${first.message}`,
    { problems: problems.slice(0, 1000) },
  );
}
