import { normaliseForSearch } from '../search/arabic-normalise.ts';

/**
 * The shapes of places (boundaries): checking a GeoJSON geometry as an area in longitude and latitude, simplifying it
 * for the web, and the name folding used to match an area to a place by a name in any language. Pure, shared by the
 * server's import and the tests.
 */

export type Position = [number, number];
export type Ring = Position[];
/** A polygon: its outer ring, then its holes. */
export type PolygonRings = Ring[];

export interface AreaGeometry {
  type: 'MultiPolygon';
  coordinates: PolygonRings[];
}

/** [west, south, east, north] */
export type BBox = [number, number, number, number];

/**
 * A place's name or code folded for matching: case, accents, Arabic letter forms and digits as in search, and
 * punctuation as spaces, so "г_Алматы", "г.Алматы" and "Г. Алматы" are one name.
 */
export function foldPlaceName(text: string): string {
  return normaliseForSearch(text)
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
}

function isPosition(v: unknown): v is Position {
  return Array.isArray(v) && v.length >= 2 && typeof v[0] === 'number' && typeof v[1] === 'number';
}

/**
 * Checks a GeoJSON geometry as an area: a Polygon or MultiPolygon whose rings are closed, of four positions or more,
 * in longitude (−180…180) and latitude (−90…90). Answers the area as a MultiPolygon (positions reduced to two
 * numbers), or the reason it is not one.
 */
export function readAreaGeometry(g: unknown): { area: AreaGeometry } | { problem: string } {
  if (g === null || typeof g !== 'object') return { problem: 'the feature has no geometry' };
  const { type, coordinates } = g as { type?: unknown; coordinates?: unknown };
  if (type !== 'Polygon' && type !== 'MultiPolygon')
    return {
      problem: `a ${typeof type === 'string' ? type : 'geometry without a type'} is not an area (Polygon or MultiPolygon)`,
    };
  if (!Array.isArray(coordinates)) return { problem: `the ${type} has no coordinates` };
  const polygons = (type === 'Polygon' ? [coordinates] : coordinates) as unknown[];
  const out: PolygonRings[] = [];
  for (const [pi, polygon] of polygons.entries()) {
    if (!Array.isArray(polygon) || polygon.length === 0) return { problem: `polygon ${pi + 1} has no rings` };
    const rings: Ring[] = [];
    for (const [ri, ring] of polygon.entries()) {
      const where = `polygon ${pi + 1}, ring ${ri + 1}`;
      if (!Array.isArray(ring) || ring.length < 4)
        return { problem: `${where}: a ring needs 4 positions or more (the last one repeating the first)` };
      const positions: Ring = [];
      for (const [i, p] of ring.entries()) {
        if (!isPosition(p) || !Number.isFinite(p[0]) || !Number.isFinite(p[1]))
          return { problem: `${where}, position ${i + 1}: expected [longitude, latitude] numbers` };
        if (p[0] < -180 || p[0] > 180 || p[1] < -90 || p[1] > 90)
          return {
            problem: `${where}, position ${i + 1}: ${p[0]}, ${p[1]} is not a longitude and latitude; the file must be in WGS 84 (EPSG:4326), reproject it first`,
          };
        positions.push([p[0], p[1]]);
      }
      const first = positions[0]!;
      const last = positions[positions.length - 1]!;
      if (first[0] !== last[0] || first[1] !== last[1])
        return { problem: `${where}: the ring is not closed (its last position must repeat its first)` };
      rings.push(positions);
    }
    out.push(rings);
  }
  if (out.length === 0) return { problem: 'the MultiPolygon has no polygons' };
  return { area: { type: 'MultiPolygon', coordinates: out } };
}

export function areaBBox(area: AreaGeometry, into?: BBox): BBox {
  const b: BBox = into ?? [Infinity, Infinity, -Infinity, -Infinity];
  for (const polygon of area.coordinates)
    for (const [x, y] of polygon[0] ?? []) {
      if (x < b[0]) b[0] = x;
      if (y < b[1]) b[1] = y;
      if (x > b[2]) b[2] = x;
      if (y > b[3]) b[3] = y;
    }
  return b;
}

/** Twice the signed planar area of a ring (x = longitude, y = latitude): positive when counter-clockwise. */
function signedArea(ring: Ring): number {
  let s = 0;
  for (let i = 0, n = ring.length - 1; i < n; i++) {
    const a = ring[i]!;
    const b = ring[i + 1]!;
    s += a[0] * b[1] - b[0] * a[1];
  }
  return s;
}

function distanceToSegment(p: Position, a: Position, b: Position): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len = dx * dx + dy * dy;
  let t = len === 0 ? 0 : ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len;
  t = Math.max(0, Math.min(1, t));
  const x = a[0] + t * dx - p[0];
  const y = a[1] + t * dy - p[1];
  return Math.sqrt(x * x + y * y);
}

/** Douglas–Peucker on an open line, iteratively (no recursion depth limit on long rings). */
function simplifyLine(points: Ring, tolerance: number): Ring {
  const n = points.length;
  if (n <= 2) return points.slice();
  const keep = new Uint8Array(n);
  keep[0] = 1;
  keep[n - 1] = 1;
  const stack: [number, number][] = [[0, n - 1]];
  while (stack.length) {
    const [from, to] = stack.pop()!;
    let max = -1;
    let at = -1;
    for (let i = from + 1; i < to; i++) {
      const d = distanceToSegment(points[i]!, points[from]!, points[to]!);
      if (d > max) {
        max = d;
        at = i;
      }
    }
    if (at > 0 && max > tolerance) {
      keep[at] = 1;
      stack.push([from, at], [at, to]);
    }
  }
  return points.filter((_, i) => keep[i] === 1);
}

function simplifyRing(ring: Ring, tolerance: number, round: (v: number) => number): Ring | null {
  // A closed ring: split at the position farthest from the first, simplify both halves.
  const first = ring[0]!;
  let far = 1;
  let best = -1;
  for (let i = 1; i < ring.length - 1; i++) {
    const d = Math.hypot(ring[i]![0] - first[0], ring[i]![1] - first[1]);
    if (d > best) {
      best = d;
      far = i;
    }
  }
  const a = simplifyLine(ring.slice(0, far + 1), tolerance);
  const b = simplifyLine(ring.slice(far), tolerance);
  const out: Ring = [];
  for (const p of [...a, ...b.slice(1)]) {
    const q: Position = [round(p[0]), round(p[1])];
    const prev = out[out.length - 1];
    if (!prev || prev[0] !== q[0] || prev[1] !== q[1]) out.push(q);
  }
  return out.length >= 4 && signedArea(out) !== 0 ? out : null;
}

/** The tolerance for a set of areas drawn about 1,000 pixels wide: under half a pixel. */
export function simplifyTolerance(bbox: BBox): number {
  const extent = Math.max(bbox[2] - bbox[0], bbox[3] - bbox[1], 1e-6);
  return extent / 2500;
}

/**
 * Simplifies an area (Douglas–Peucker at `tolerance` degrees, positions rounded to a tenth of it), keeping every
 * polygon's outer ring (the original ring, rounded, if simplifying leaves too little of it) and the holes that stay
 * rings. Rings are wound as RFC 7946 says: outer rings counter-clockwise, holes clockwise.
 */
export function simplifyArea(area: AreaGeometry, tolerance: number): { area: AreaGeometry; points: number } {
  const decimals = Math.max(2, Math.min(7, Math.ceil(-Math.log10(tolerance / 10))));
  const scale = 10 ** decimals;
  const round = (v: number) => Math.round(v * scale) / scale;
  let points = 0;
  const polygons: PolygonRings[] = [];
  const pass = (keepAll: boolean) => {
    for (const polygon of area.coordinates) {
      const rings: Ring[] = [];
      for (const [i, ring] of polygon.entries()) {
        let r = simplifyRing(ring, tolerance, round);
        // An island smaller than the tolerance goes, unless nothing of the area would be left.
        if (!r && i === 0 && !keepAll) break;
        if (!r && i === 0) r = simplifyRing(ring, 0, round) ?? ring.map(([x, y]) => [round(x), round(y)] as Position);
        if (!r) continue;
        const ccw = signedArea(r) > 0;
        if ((i === 0) !== ccw) r.reverse();
        rings.push(r);
      }
      if (rings.length) {
        polygons.push(rings);
        for (const r of rings) points += r.length;
      }
    }
  };
  pass(false);
  if (polygons.length === 0) pass(true);
  return { area: { type: 'MultiPolygon', coordinates: polygons }, points };
}
