import {
  type AreaGeometry,
  areaBBox,
  type BBox,
  foldPlaceName,
  readAreaGeometry,
  simplifyArea,
  simplifyTolerance,
} from '@marsad/core';
import type { SqlConn } from '@marsad/db';
import { feature as topoFeature } from 'topojson-client';
import { type AuditActor, appendAudit } from '../audit/audit-log.ts';
import { formatPath, type JsonPath, walkJson } from '../formats/common/json-walk.ts';
import { InputFormatError } from '../formats/common/text.ts';
import { HttpError } from '../http/errors.ts';
import { sizeText, type UploadLimits } from '../http/upload-limits.ts';

/**
 * Boundaries: a GeoJSON FeatureCollection (or a TopoJSON Topology) of areas, each matched to a place by a property the
 * user names (a code, an external code, or a name in any language), stored simplified as the place's shape
 * (place_boundaries, migration 018). All or nothing: a feature that is not an area in longitude and latitude refuses
 * the file; features that match no place are listed, not stored.
 */

export interface AreaFeature {
  /** 1-based position in the file (the order of `features`, or of the TopoJSON objects' geometries). */
  index: number;
  properties: Record<string, unknown>;
  geometry: unknown;
}

export interface BoundaryProblem {
  feature: number | null;
  message: string;
}

const inBytes = (limit: number) =>
  async function* (input: AsyncIterable<Uint8Array | string>): AsyncGenerator<Uint8Array | string> {
    let bytes = 0;
    for await (const chunk of input) {
      bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
      if (bytes > limit)
        throw new HttpError(
          413,
          'too_large',
          `The boundaries file is larger than ${sizeText(limit)} (MARSAD_UPLOAD_MAX_UNPACKED_BYTES); simplify it or split it by --parent.`,
        );
      yield chunk;
    }
  };

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Reads a GeoJSON FeatureCollection, a single Feature or a TopoJSON Topology, feature by feature (a GeoJSON file is
 * never held whole), within the upload limits: the file's bytes (maxUnpackedBytes) and its features (maxRows).
 */
export async function readAreasFile(
  input: AsyncIterable<Uint8Array | string>,
  limits: Pick<UploadLimits, 'maxUnpackedBytes' | 'maxRows'>,
): Promise<AreaFeature[]> {
  const top: Record<string, unknown> = Object.create(null);
  const features: AreaFeature[] = [];
  const queue: never[] = [];
  let rootKind: string | null = null;
  let tooMany = false;
  const visitor = {
    begin(path: JsonPath, kind: 'object' | 'array' | 'scalar') {
      if (path.length === 0) {
        rootKind = kind;
        return kind === 'object' ? 'enter' : 'skip';
      }
      if (path.length === 1) {
        const key = path[0];
        if (key === 'features') return kind === 'array' ? 'enter' : 'assemble';
        return ['type', 'crs', 'objects', 'arcs', 'transform', 'geometry', 'properties'].includes(String(key))
          ? 'assemble'
          : 'skip';
      }
      if (path.length === 2 && path[0] === 'features') {
        if (features.length >= limits.maxRows) {
          tooMany = true;
          return 'skip';
        }
        return 'assemble';
      }
      return 'skip';
    },
    value(path: JsonPath, value: unknown) {
      if (path.length === 1) top[String(path[0])] = value;
      else if (path.length === 2 && path[0] === 'features') {
        const f = value as { type?: unknown; properties?: unknown; geometry?: unknown };
        if (!isObject(f) || f.type !== 'Feature')
          throw new InputFormatError(`${formatPath(path)} is not a GeoJSON Feature`, formatPath(path));
        features.push({
          index: features.length + 1,
          properties: isObject(f.properties) ? f.properties : {},
          geometry: f.geometry,
        });
      }
    },
  };
  for await (const _ of walkJson(inBytes(limits.maxUnpackedBytes)(input), visitor, () => queue)) {
    // the visitor collects
  }
  if (tooMany)
    throw new HttpError(
      413,
      'too_large',
      `The boundaries file has more than ${limits.maxRows} features (MARSAD_UPLOAD_MAX_ROWS).`,
    );
  if (rootKind !== 'object')
    throw new InputFormatError('expected a GeoJSON FeatureCollection or a TopoJSON Topology (a JSON object)', '');
  const crs = top.crs as { properties?: { name?: unknown } } | undefined;
  const crsName = isObject(crs) && isObject(crs.properties) ? crs.properties.name : undefined;
  if (crsName !== undefined && !/(^|[:])(4326|CRS84)$/i.test(String(crsName)))
    throw new InputFormatError(
      `the file's coordinates are in ${String(crsName)}; Marsad reads longitude and latitude in WGS 84 (EPSG:4326 or CRS84): reproject the file first`,
      'crs',
    );
  switch (top.type) {
    case 'FeatureCollection':
      if (!('features' in top) && features.length === 0)
        throw new InputFormatError('the FeatureCollection has no "features" array', 'features');
      if (top.features !== undefined && !Array.isArray(top.features) && features.length === 0)
        throw new InputFormatError('"features" must be an array of Features', 'features');
      return features;
    case 'Feature':
      return [{ index: 1, properties: isObject(top.properties) ? top.properties : {}, geometry: top.geometry }];
    case 'Topology':
      return topologyFeatures(top, limits.maxRows);
    default:
      throw new InputFormatError(
        `expected "type": "FeatureCollection" (GeoJSON) or "Topology" (TopoJSON), not ${JSON.stringify(top.type ?? null)}`,
        'type',
      );
  }
}

/** The features of every object of a TopoJSON topology, converted with topojson-client. */
function topologyFeatures(top: Record<string, unknown>, maxRows: number): AreaFeature[] {
  if (!isObject(top.objects)) throw new InputFormatError('the Topology has no "objects"', 'objects');
  if (!Array.isArray(top.arcs)) throw new InputFormatError('the Topology has no "arcs" array', 'arcs');
  const arcs = top.arcs as unknown[];
  for (const [i, arc] of arcs.entries()) {
    if (
      !Array.isArray(arc) ||
      arc.some((p) => !Array.isArray(p) || p.length < 2 || p.some((n) => typeof n !== 'number'))
    )
      throw new InputFormatError(`arcs[${i}] must be an array of [x, y] positions`, `arcs[${i}]`);
  }
  const transform = top.transform;
  if (
    transform !== undefined &&
    (!isObject(transform) ||
      ![transform.scale, transform.translate].every(
        (v) => Array.isArray(v) && v.length === 2 && v.every((n) => typeof n === 'number' && Number.isFinite(n)),
      ))
  )
    throw new InputFormatError('"transform" must have "scale" and "translate" of two numbers each', 'transform');
  const out: AreaFeature[] = [];
  for (const [name, object] of Object.entries(top.objects)) {
    const geometries = isObject(object) && Array.isArray(object.geometries) ? object.geometries : [object];
    for (const [gi, g] of geometries.entries()) {
      if (out.length >= maxRows)
        throw new HttpError(
          413,
          'too_large',
          `The boundaries file has more than ${maxRows} areas (MARSAD_UPLOAD_MAX_ROWS).`,
        );
      const where = `objects[${JSON.stringify(name)}].geometries[${gi}]`;
      if (!isObject(g)) throw new InputFormatError(`${where} is not a TopoJSON geometry`, where);
      const checkArcs = (a: unknown): boolean =>
        Array.isArray(a)
          ? a.every((x) =>
              typeof x === 'number' ? Number.isInteger(x) && (x >= 0 ? x : ~x) < arcs.length : checkArcs(x),
            )
          : false;
      if ((g.type === 'Polygon' || g.type === 'MultiPolygon') && !checkArcs(g.arcs))
        throw new InputFormatError(`${where}: its arcs must be indices into "arcs"`, where);
      let f: { geometry: unknown };
      try {
        f = topoFeature(top as never, g as never) as unknown as { geometry: unknown };
      } catch (err) {
        throw new InputFormatError(`${where} cannot be read as TopoJSON (${(err as Error).message})`, where);
      }
      out.push({ index: out.length + 1, properties: isObject(g.properties) ? g.properties : {}, geometry: f.geometry });
    }
  }
  return out;
}

interface ScopePlace {
  id: number;
  code: string;
  names: Record<string, string>;
  codes: Record<string, string>;
  external_code: string | null;
  path: string;
  parent_path: string | null;
}

export interface BoundaryReport {
  file: string | null;
  matchProperty: string;
  parent: string | null;
  features: number;
  matched: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Features that match no place (or several): listed, not stored. */
  unmatched: { feature: number; value: string | null; reason: string }[];
  /** Places in scope (below the parent) still without a shape. */
  placesWithoutArea: string[];
  /** Positions kept after simplification, and the bytes of the stored shapes. */
  points: number;
  bytes: number;
  dryRun: boolean;
}

const MAX_LISTED = 1000;

/** The places below `parent` (all places without one), with the path that bounds them. */
async function scopePlaces(
  conn: SqlConn,
  parent: string | null | undefined,
): Promise<{ scopePath: string; places: ScopePlace[] }> {
  let scopePath = '';
  if (parent) {
    const root = (await conn.query<{ path: string }>('SELECT path FROM places WHERE code = $1', [parent])).rows[0];
    if (!root) throw new HttpError(404, 'not_found', `No place with code "${parent}" (--parent).`);
    scopePath = root.path;
  }
  const places = (
    await conn.query<ScopePlace>(
      `SELECT p.id, p.code, p.names, p.codes, p.external_code, p.path, parent.path AS parent_path
         FROM places p LEFT JOIN places parent ON parent.id = p.parent_id
        WHERE p.path LIKE $1 || '%' AND p.path <> $1`,
      [scopePath],
    )
  ).rows;
  return { scopePath, places };
}

/**
 * Matches a value to places, strongest key first: the code, the external code, other codes, then codes and names
 * in any language folded (case, accents, letter forms, punctuation). The ids of the first key that matches.
 */
function placeMatcher(places: ScopePlace[]): (value: string) => Set<number> | undefined {
  const stages: Map<string, Set<number>>[] = [new Map(), new Map(), new Map(), new Map()];
  const add = (stage: number, key: string | null | undefined, id: number) => {
    if (!key) return;
    const m = stages[stage]!;
    const set = m.get(key) ?? new Set<number>();
    set.add(id);
    m.set(key, set);
  };
  for (const p of places) {
    add(0, p.code, p.id);
    add(1, p.external_code, p.id);
    for (const c of Object.values(p.codes ?? {})) if (typeof c === 'string') add(2, c, p.id);
    for (const t of [p.code, p.external_code, ...Object.values(p.names ?? {})])
      if (typeof t === 'string') add(3, foldPlaceName(t), p.id);
  }
  return (value) => {
    for (const [i, m] of stages.entries()) {
      const ids = m.get(i === 3 ? foldPlaceName(value) : value);
      if (ids) return ids;
    }
    return undefined;
  };
}

/** A feature property's value as a place key: text trimmed, or a number; else null. */
function keyOf(raw: unknown): string | null {
  return typeof raw === 'string' ? raw.trim() || null : typeof raw === 'number' ? String(raw) : null;
}

/**
 * For a file whose matching property the user did not name (the boundaries an Open SDG repository ships): every
 * property of the features that holds text or numbers, with how many features it matches to exactly one place below
 * `parent`, most first (ties in the order of the first feature's properties). The first is the one to use.
 */
export async function matchPropertyCounts(
  conn: SqlConn,
  features: AreaFeature[],
  parent: string | null | undefined,
): Promise<{ property: string; matched: number }[]> {
  const { places } = await scopePlaces(conn, parent);
  const match = placeMatcher(places);
  const counts = new Map<string, number>();
  for (const f of features)
    for (const [k, raw] of Object.entries(f.properties)) {
      const value = keyOf(raw);
      if (value === null) continue;
      const ids = match(value);
      counts.set(k, (counts.get(k) ?? 0) + (ids?.size === 1 ? 1 : 0));
    }
  return [...counts].map(([property, matched]) => ({ property, matched })).sort((a, b) => b.matched - a.matched);
}

/**
 * Matches the areas to places and stores their shapes in the caller's transaction. Throws an HttpError (422, nothing
 * written) when an area is not valid, when none matches, or when the actor may not change a matched place.
 */
export async function importBoundaries(
  conn: SqlConn,
  features: AreaFeature[],
  opts: {
    matchProperty: string;
    parent?: string | null;
    file?: string | null;
    dryRun?: boolean;
    actor: AuditActor;
    /** Whether the actor may change a place whose parent has this path (null: a country). Absent: the operator. */
    mayChangeUnder?: (parentPath: string | null) => boolean;
  },
): Promise<BoundaryReport> {
  const property = opts.matchProperty;
  const problems: BoundaryProblem[] = [];
  const { scopePath, places } = await scopePlaces(conn, opts.parent);
  const match = placeMatcher(places);
  const byId = new Map(places.map((p) => [p.id, p]));
  const unmatched: BoundaryReport['unmatched'] = [];
  const areasOf = new Map<number, { area: AreaGeometry; value: string; features: number[] }>();
  for (const f of features) {
    const raw = f.properties[property];
    const value = keyOf(raw);
    const read = readAreaGeometry(f.geometry);
    if ('problem' in read) {
      problems.push({ feature: f.index, message: read.problem });
      continue;
    }
    if (!value) {
      unmatched.push({
        feature: f.index,
        value: null,
        reason: raw === undefined ? `no property "${property}"` : `"${property}" is empty or not text`,
      });
      continue;
    }
    const ids = match(value);
    if (!ids) {
      unmatched.push({ feature: f.index, value, reason: 'no place has this code or name' });
      continue;
    }
    if (ids.size > 1) {
      const codes = [...ids].map((id) => byId.get(id)!.code).sort();
      unmatched.push({
        feature: f.index,
        value,
        reason: `matches several places (${codes.slice(0, 5).join(', ')}); narrow it with --parent`,
      });
      continue;
    }
    const id = [...ids][0]!;
    const had = areasOf.get(id);
    if (had) {
      // A place in several features: its pieces together.
      had.area.coordinates.push(...read.area.coordinates);
      had.features.push(f.index);
    } else areasOf.set(id, { area: read.area, value, features: [f.index] });
  }
  if (problems.length) {
    const first = problems[0]!;
    throw new HttpError(
      422,
      'invalid_file',
      `Nothing was stored: ${problems.length} feature(s) are not areas; feature ${first.feature}: ${first.message}`,
      { problems: problems.slice(0, MAX_LISTED) },
    );
  }
  if (areasOf.size === 0)
    throw new HttpError(
      422,
      'nothing_matched',
      `Nothing was stored: none of the ${features.length} feature(s) matched a place${opts.parent ? ` under ${opts.parent}` : ''} by "${property}"${unmatched[0] ? ` (feature ${unmatched[0].feature}: ${unmatched[0].value ?? ''} — ${unmatched[0].reason})` : ''}.`,
      { unmatched: unmatched.slice(0, MAX_LISTED) },
    );
  if (opts.mayChangeUnder) {
    const refused = [...areasOf.keys()].map((id) => byId.get(id)!).filter((p) => !opts.mayChangeUnder!(p.parent_path));
    if (refused.length)
      throw new HttpError(
        403,
        'forbidden',
        `Nothing was stored: you may not change the shape of ${refused
          .slice(0, 5)
          .map((p) => p.code)
          .join(', ')}${refused.length > 5 ? ` and ${refused.length - 5} more` : ''}: your roles cover other places.`,
      );
  }

  // One tolerance for the whole file, from the extent of the matched areas.
  const bbox: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const a of areasOf.values()) areaBBox(a.area, bbox);
  const tolerance = simplifyTolerance(bbox);
  const previous = new Map(
    (
      await conn.query<{ place_id: number; geometry: string }>(
        'SELECT place_id, geometry::text AS geometry FROM place_boundaries WHERE place_id = ANY($1::int[])',
        [[...areasOf.keys()]],
      )
    ).rows.map((r) => [r.place_id, r.geometry]),
  );
  let created = 0;
  let updated = 0;
  let unchanged = 0;
  let points = 0;
  let bytes = 0;
  const written: { id: number; geometry: string; points: number; bbox: BBox; value: string }[] = [];
  for (const [id, a] of areasOf) {
    const s = simplifyArea(a.area, tolerance);
    const geometry = JSON.stringify(s.area);
    points += s.points;
    bytes += geometry.length;
    const before = previous.get(id);
    // Compared as jsonb gives it back (keys sorted, spaces after separators).
    if (before !== undefined && JSON.stringify(JSON.parse(before)) === geometry) {
      unchanged++;
      continue;
    }
    if (before === undefined) created++;
    else updated++;
    written.push({ id, geometry, points: s.points, bbox: areaBBox(s.area), value: a.value });
  }
  const matchedIds = new Set(areasOf.keys());
  const withShape = new Set(
    (
      await conn.query<{ place_id: number }>(
        `SELECT b.place_id FROM place_boundaries b JOIN places p ON p.id = b.place_id WHERE p.path LIKE $1 || '%'`,
        [scopePath],
      )
    ).rows.map((r) => r.place_id),
  );
  const placesWithoutArea = opts.parent
    ? places
        .filter((p) => !matchedIds.has(p.id) && !withShape.has(p.id))
        .map((p) => p.code)
        .sort()
        .slice(0, MAX_LISTED)
    : [];
  const report: BoundaryReport = {
    file: opts.file ?? null,
    matchProperty: property,
    parent: opts.parent ?? null,
    features: features.length,
    matched: areasOf.size,
    created,
    updated,
    unchanged,
    unmatched: unmatched.slice(0, MAX_LISTED),
    placesWithoutArea,
    points,
    bytes,
    dryRun: !!opts.dryRun,
  };
  if (opts.dryRun || written.length === 0) return report;
  for (const w of written) {
    await conn.query(
      `INSERT INTO place_boundaries (place_id, geometry, points, bbox, source_file, match_property, match_value, updated_at)
       VALUES ($1, $2::jsonb, $3, $4::double precision[], $5, $6, $7, now())
       ON CONFLICT (place_id) DO UPDATE SET geometry = EXCLUDED.geometry, points = EXCLUDED.points, bbox = EXCLUDED.bbox,
         source_file = EXCLUDED.source_file, match_property = EXCLUDED.match_property,
         match_value = EXCLUDED.match_value, updated_at = now()`,
      [w.id, w.geometry, w.points, w.bbox, opts.file ?? null, property, w.value],
    );
  }
  await appendAudit(conn, opts.actor, {
    action: 'import',
    entityType: 'place_boundaries',
    entityId: opts.parent ?? null,
    summary: `boundaries from ${opts.file ?? 'a file'} by ${property}: ${created} added, ${updated} changed, ${unchanged} unchanged, ${unmatched.length} not matched`,
    after: {
      file: opts.file ?? null,
      matchProperty: property,
      places: written.map((w) => byId.get(w.id)!.code),
      unmatched: unmatched.slice(0, 100),
    },
  });
  return report;
}
