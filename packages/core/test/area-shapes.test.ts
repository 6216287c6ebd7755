import { describe, expect, it } from 'vitest';
import { foldPlaceName, type Ring, readAreaGeometry, simplifyArea } from '../src/places/area-shapes.ts';

describe('area shapes', () => {
  it('folds names for matching: case, punctuation, accents, Arabic letter forms', () => {
    expect(foldPlaceName('г_Шымкент')).toBe(foldPlaceName('Г. Шымкент'));
    expect(foldPlaceName('Bristol, City of')).toBe('bristol city of');
    expect(foldPlaceName('São Paulo')).toBe('sao paulo');
    expect(foldPlaceName('أكادير')).toBe(foldPlaceName('اكادير'));
  });

  it('reads a Polygon as a MultiPolygon and refuses what is not an area in longitude and latitude', () => {
    const ring = [
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 0],
    ];
    expect(readAreaGeometry({ type: 'Polygon', coordinates: [ring] })).toEqual({
      area: { type: 'MultiPolygon', coordinates: [[ring]] },
    });
    expect(readAreaGeometry({ type: 'Point', coordinates: [0, 0] })).toEqual({
      problem: 'a Point is not an area (Polygon or MultiPolygon)',
    });
    expect(readAreaGeometry({ type: 'Polygon', coordinates: [ring.slice(0, 3)] })).toMatchObject({
      problem: expect.stringMatching(/4 positions or more/),
    });
    expect(readAreaGeometry({ type: 'Polygon', coordinates: [[...ring.slice(0, 3), [0, 0.5]]] })).toMatchObject({
      problem: expect.stringMatching(/not closed/),
    });
    expect(
      readAreaGeometry({ type: 'Polygon', coordinates: [[[500000, 0], ...ring.slice(1, 3), [500000, 0]]] }),
    ).toMatchObject({
      problem: expect.stringMatching(/WGS 84/),
    });
  });

  it('simplifies a ring, winds outer rings counter-clockwise and holes clockwise, keeps a tiny area whole', () => {
    // A clockwise square with a hundred points on each side, and a counter-clockwise hole.
    const side = (from: [number, number], to: [number, number]) =>
      Array.from({ length: 100 }, (_, i) => [
        from[0] + ((to[0] - from[0]) * i) / 100,
        from[1] + ((to[1] - from[1]) * i) / 100,
      ]);
    const outer = [
      ...side([0, 0], [0, 10]),
      ...side([0, 10], [10, 10]),
      ...side([10, 10], [10, 0]),
      ...side([10, 0], [0, 0]),
      [0, 0],
    ];
    const hole = [
      [4, 4],
      [6, 4],
      [6, 6],
      [4, 6],
      [4, 4],
    ];
    const read = readAreaGeometry({ type: 'Polygon', coordinates: [outer, hole] });
    if (!('area' in read)) throw new Error(read.problem);
    const { area, points } = simplifyArea(read.area, 0.01);
    const [o, h] = area.coordinates[0]!;
    expect(o).toHaveLength(5);
    expect(points).toBe(10);
    const signed = (r: number[][]) => r.slice(1).reduce((s, p, i) => s + r[i]![0]! * p[1]! - p[0]! * r[i]![1]!, 0);
    expect(signed(o!)).toBeGreaterThan(0);
    expect(signed(h!)).toBeLessThan(0);
    // An island far smaller than the tolerance goes when the area has more; alone, it stays.
    const island: Ring = [
      [20, 20],
      [20.001, 20],
      [20.001, 20.001],
      [20, 20],
    ];
    const both = simplifyArea({ type: 'MultiPolygon', coordinates: [[outer as Ring], [island]] }, 0.01);
    expect(both.area.coordinates).toHaveLength(1);
    expect(simplifyArea({ type: 'MultiPolygon', coordinates: [[island]] }, 0.01).area.coordinates).toHaveLength(1);
  });
});
