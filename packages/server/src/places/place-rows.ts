import { insertPlaces, type PlaceFile, type SqlConn } from '@marsad/db';
import { parse } from 'csv-parse';
import { z } from 'zod';
import { type AuditActor, appendAudit } from '../audit/audit-log.ts';
import { HttpError } from '../http/errors.ts';

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
  level: z.enum(['country', 'region', 'city', 'district']),
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

const LEVEL_ORDER = { country: 0, region: 1, city: 2, district: 3 } as const;

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
      for (const [k, v] of Object.entries(rec)) if (k.startsWith('name_') && v.trim()) names[k.slice(5)] = v.trim();
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
        names,
        lat,
        lon,
        externalCode: rec.external_code,
      });
      if (!parsed.success) {
        for (const issue of parsed.error.issues)
          problems.push({ row, column: String(issue.path[0] ?? ''), message: issue.message });
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

/**
 * Adds places all-or-nothing: every row is checked (unique code, known parent, a parent of
 * a higher level) before any is written.
 */
export async function addPlaces(
  conn: SqlConn,
  places: PlaceInput[],
  rowOf: (i: number) => number,
  actor: AuditActor,
  /**
   * Whether the actor may add a place under the place of this path (null: a country). Absent: the operator, who may.
   */
  mayAddUnder?: (parentPath: string | null) => boolean,
): Promise<{ added: number; problems: RowProblem[] }> {
  const problems: RowProblem[] = [];
  const rows = (
    await conn.query<{ code: string; level: keyof typeof LEVEL_ORDER; path: string }>(
      'SELECT code, level, path FROM places',
    )
  ).rows;
  const existing = new Map(rows.map((r) => [r.code, r.level]));
  const pathOf = new Map(rows.map((r) => [r.code, r.path]));
  const inFile = new Map<string, { level: keyof typeof LEVEL_ORDER; row: number }>();
  places.forEach((p, i) => {
    const row = rowOf(i);
    if (existing.has(p.code))
      problems.push({ row, column: 'code', message: `a place with code "${p.code}" exists already` });
    else if (inFile.has(p.code))
      problems.push({
        row,
        column: 'code',
        message: `code "${p.code}" is given twice (also row ${inFile.get(p.code)!.row})`,
      });
    else inFile.set(p.code, { level: p.level, row });
  });
  places.forEach((p, i) => {
    const row = rowOf(i);
    if (!p.parent) {
      if (p.level !== 'country') problems.push({ row, column: 'parent', message: `a ${p.level} needs a parent place` });
      return;
    }
    const parentLevel = existing.get(p.parent) ?? inFile.get(p.parent)?.level;
    if (!parentLevel) problems.push({ row, column: 'parent', message: `unknown parent "${p.parent}"` });
    else if (LEVEL_ORDER[parentLevel] >= LEVEL_ORDER[p.level])
      problems.push({ row, column: 'level', message: `a ${p.level} cannot be under a ${parentLevel} ("${p.parent}")` });
  });
  if (mayAddUnder) {
    // A place under a new place of the same file is judged by the nearest existing ancestor.
    const parentOf = new Map(places.map((p) => [p.code, p.parent]));
    const existingAncestorPath = (code: string | null): string | null => {
      for (let c = code, hops = 0; c && hops < 10; c = parentOf.get(c) ?? null, hops++) {
        const path = pathOf.get(c);
        if (path) return path;
      }
      return null;
    };
    places.forEach((p, i) => {
      if (!mayAddUnder(p.parent ? existingAncestorPath(p.parent) : null)) {
        problems.push({
          row: rowOf(i),
          column: 'parent',
          message: p.parent
            ? `you may not add places under "${p.parent}": your roles cover other places`
            : 'only an administrator may add a country',
        });
      }
    });
  }
  if (problems.length) return { added: 0, problems };
  const files: PlaceFile[] = places.map((p) => ({
    code: p.code,
    level: p.level,
    parent: p.parent,
    names: p.names,
    lat: p.lat ?? null,
    lon: p.lon ?? null,
    externalCode: p.externalCode,
    pilot: p.pilot,
  }));
  const added = await insertPlaces(conn, files);
  await appendAudit(conn, actor, {
    action: 'create',
    entityType: 'places',
    entityId: files.length === 1 ? files[0]!.code : null,
    summary: `${added} places added`,
    after: { places: files },
  });
  return { added, problems };
}

export function placeProblemsError(problems: RowProblem[]): HttpError {
  const first = problems[0]!;
  return new HttpError(
    422,
    'invalid_rows',
    `Nothing was added: ${problems.length} problem(s); row ${first.row}${first.column ? `, ${first.column}` : ''}: ${first.message}`,
    { problems: problems.slice(0, 1000) },
  );
}
