import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stableJson } from '../src/index.ts';

/** A JSON value with its object keys in another order, as PostgreSQL's jsonb gives them back. */
function reordered(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reordered);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .reverse()
        .map(([k, x]) => [k, reordered(x)]),
    );
  return v;
}

describe('stableJson', () => {
  it('gives the same text whatever the order of the keys, and reads back as the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(stableJson(reordered(v))).toBe(stableJson(v));
        expect(JSON.parse(stableJson(v))).toEqual(JSON.parse(JSON.stringify(v)));
      }),
    );
  });
  it('tells different values apart and leaves out undefined members', () => {
    expect(stableJson({ b: 1, a: [2, { d: null, c: 'x' }] })).toBe('{"a":[2,{"c":"x","d":null}],"b":1}');
    expect(stableJson({ a: 1, b: undefined })).toBe(stableJson({ a: 1 }));
    expect(stableJson({ a: '1' })).not.toBe(stableJson({ a: 1 }));
  });
});
