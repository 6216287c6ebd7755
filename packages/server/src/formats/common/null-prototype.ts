/**
 * A copy of a parsed JSON value whose objects have no prototype, for mappings looked up by
 * strings from a user's file (`map.columns[header]`, `dataElements[uid]`): a column or code
 * named "constructor", "__proto__" or "toString" then finds nothing instead of Object's own.
 */
export function withoutPrototype<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => withoutPrototype(v)) as T;
  if (value === null || typeof value !== 'object') return value;
  const out = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(value)) out[k] = withoutPrototype(v);
  return out as T;
}
