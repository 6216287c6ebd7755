import fc from 'fast-check';
import Papa from 'papaparse';

/**
 * Hostile import files for property-based tests and the fuzz bench (bench/fuzz/run.ts): a valid
 * file of each format, changed by a few mutations — a cell or key replaced by hostile text (NUL,
 * unpaired surrogates, names of Object's properties, huge numbers, periods out of range, formulas,
 * long text), columns added by the thousand, rows cut or repeated, the file truncated or bytes
 * spliced in, JSON values replaced by other types or deep nesting — with hostile mappings too.
 */

export const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'];

/** Strings that have broken parsers and databases somewhere. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...PROTOTYPE_NAMES) },
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      '\u0000',
      'a\u0000b',
      '\ud800',
      'x\udc00y',
      '\ufeff',
      '\u202e',
      '0000',
      '0000-01-01',
      '9999-99',
      '2024-13',
      '2020-W54',
      '10000',
      '-1',
      '1e309',
      '-1e309',
      '1e-400',
      'NaN',
      'Infinity',
      '99999999999999999999999999999',
      '0x1F',
      '١٢٣٫٤',
      '',
      ' ',
      '"',
      '""',
      "'",
      ',',
      ';',
      '\t',
      '\r',
      '\n',
      '=HYPERLINK("http://evil.example","x")',
      '@SUM(1+1)',
      '_T',
      '_Z',
      'NULL',
      '\\N',
      '\\.',
      '%00',
      '../../etc/passwd',
      '<script>alert(1)</script>',
      "'; DROP TABLE observations; --",
    ),
  },
  { weight: 2, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 20_000 }).map((n) => 'x'.repeat(n)) },
  { weight: 1, arbitrary: fc.double().map(String) },
);

/** A JSON value of any type, hostile strings included. */
export const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: hostileString },
  { weight: 2, arbitrary: fc.constantFrom(null, true, false, 0, -0, 1e308, -1e308, 2 ** 53 + 1, 0.1) },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 3 }) },
  {
    weight: 1,
    arbitrary: fc.dictionary(fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES), hostileString), hostileString, {
      maxKeys: 3,
    }),
  },
);

export interface HostileFile {
  /** The import's query (format, and what the format needs). */
  query: Record<string, string>;
  contentType: string;
  body: Buffer;
  /** What was done to the valid file, for the failure message. */
  story: string[];
}

// ─── Text (CSV-like) files ───────────────────────────────────────────────────────────────────

type TableMutation =
  | { op: 'cell'; row: number; col: number; text: string }
  | { op: 'header'; col: number; text: string }
  | { op: 'column'; header: string; value: string }
  | { op: 'columns'; count: number; prefix: string }
  | { op: 'repeat-row'; row: number; times: number }
  | { op: 'drop-row'; row: number };

const tableMutation: fc.Arbitrary<TableMutation> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({ op: fc.constant('cell' as const), row: fc.nat(), col: fc.nat(), text: hostileString }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('header' as const), col: fc.nat(), text: hostileString }) },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('column' as const), header: hostileString, value: hostileString }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('columns' as const),
      count: fc.constantFrom(41, 300, 3_000),
      prefix: fc.constantFrom('Dim ', 'constructor', '__proto__', 'x'.repeat(300)),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('repeat-row' as const),
      row: fc.nat(),
      times: fc.integer({ min: 2, max: 50 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('drop-row' as const), row: fc.nat() }) },
);

type ByteMutation = { op: 'truncate'; at: number } | { op: 'splice'; at: number; bytes: Uint8Array } | { op: 'none' };

const byteMutation: fc.Arbitrary<ByteMutation> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ op: 'none' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('splice' as const),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      bytes: fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.constant(new Uint8Array([0xff, 0xfe, 0]))),
    }),
  },
);

function applyBytes(body: Buffer, m: ByteMutation): Buffer {
  if (m.op === 'none') return body;
  const at = Math.floor((m.at as number) * body.length);
  if (m.op === 'truncate') return body.subarray(0, at);
  return Buffer.concat([body.subarray(0, at), Buffer.from(m.bytes), body.subarray(at)]);
}

function mutateTable(rows: string[][], m: TableMutation): void {
  const width = rows[0]?.length ?? 1;
  const body = rows.length - 1;
  switch (m.op) {
    case 'cell': {
      if (body < 1) return;
      const row = rows[1 + (m.row % body)]!;
      row[m.col % width] = m.text;
      return;
    }
    case 'header':
      if (rows[0]) rows[0][m.col % width] = m.text;
      return;
    case 'column':
      rows.forEach((r, i) => {
        r.push(i === 0 ? m.header : m.value);
      });
      return;
    case 'columns':
      rows.forEach((r, i) => {
        for (let c = 0; c < m.count; c++) r.push(i === 0 ? `${m.prefix}${c}` : `v${(c * 7 + i) % 13}`);
      });
      return;
    case 'repeat-row': {
      if (body < 1) return;
      const at = 1 + (m.row % body);
      const copies = Array.from({ length: m.times }, () => [...rows[at]!]);
      rows.splice(at, 0, ...copies);
      return;
    }
    case 'drop-row':
      if (body >= 1) rows.splice(1 + (m.row % body), 1);
      return;
  }
}

function describeTable(m: TableMutation): string {
  const short = (s: string) => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…(${s.length})` : s);
  switch (m.op) {
    case 'cell':
      return `cell ${m.row}/${m.col} = ${short(m.text)}`;
    case 'header':
      return `header ${m.col} = ${short(m.text)}`;
    case 'column':
      return `column ${short(m.header)} = ${short(m.value)}`;
    case 'columns':
      return `${m.count} columns ${short(m.prefix)}…`;
    case 'repeat-row':
      return `row ${m.row} × ${m.times}`;
    case 'drop-row':
      return `drop row ${m.row}`;
  }
}

/** Hostile versions of a CSV-like file. */
export function hostileTable(
  valid: string,
  query: Record<string, string>,
  extraQuery: fc.Arbitrary<Record<string, string>> = fc.constant({}),
): fc.Arbitrary<HostileFile> {
  const parsed = Papa.parse<string[]>(valid.trim(), { skipEmptyLines: true }).data;
  return fc
    .tuple(fc.array(tableMutation, { minLength: 1, maxLength: 3 }), byteMutation, extraQuery)
    .map(([mutations, bytes, extra]) => {
      const rows = parsed.map((r) => [...r]);
      for (const m of mutations) mutateTable(rows, m);
      const text = Papa.unparse(rows, { newline: '\n' });
      return {
        query: { ...query, ...extra },
        contentType: 'text/csv',
        body: applyBytes(Buffer.from(text, 'utf8'), bytes),
        story: [...mutations.map(describeTable), bytes.op, JSON.stringify(extra).slice(0, 200)],
      };
    });
}

// ─── JSON files ──────────────────────────────────────────────────────────────────────────────

type Path = (string | number)[];

function paths(value: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) paths(value[i], [...at, i], out);
  } else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) paths(v, [...at, k], out);
  return out;
}

function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  let node = root as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = value;
  return root;
}

function renameKeyAt(root: unknown, path: Path, name: string): unknown {
  if (path.length === 0) return root;
  let node = root as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (Array.isArray(node) || typeof last === 'number') return root;
  const v = node[last];
  delete node[last];
  Object.defineProperty(node, name, { value: v, enumerable: true, writable: true, configurable: true });
  return root;
}

type JsonMutation =
  | { op: 'value'; pick: number; value: unknown }
  | { op: 'key'; pick: number; name: string }
  | { op: 'nest'; pick: number; depth: number };

const jsonMutation: fc.Arbitrary<JsonMutation> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('value' as const), pick: fc.nat(), value: hostileJson }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('key' as const),
      pick: fc.nat(),
      name: fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES), hostileString),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('nest' as const),
      pick: fc.nat(),
      depth: fc.constantFrom(100, 5_000, 50_000),
    }),
  },
);

const NEST_MARK = '"\u0001nest\u0001"';

/** Hostile versions of a JSON file. */
export function hostileJsonFile(
  valid: unknown,
  query: Record<string, string>,
  extraQuery: fc.Arbitrary<Record<string, string>> = fc.constant({}),
): fc.Arbitrary<HostileFile> {
  const text = JSON.stringify(valid);
  return fc
    .tuple(fc.array(jsonMutation, { minLength: 1, maxLength: 3 }), byteMutation, extraQuery)
    .map(([mutations, bytes, extra]) => {
      let doc: unknown = JSON.parse(text);
      let depth = 0;
      for (const m of mutations) {
        const all = paths(doc);
        const at = all[m.pick % all.length]!;
        if (m.op === 'value') doc = setAt(doc, at, m.value);
        else if (m.op === 'key') doc = renameKeyAt(doc, at, m.name);
        else {
          doc = setAt(doc, at, '\u0001nest\u0001');
          depth = m.depth;
        }
      }
      let out = JSON.stringify(doc);
      if (depth) out = out.replace(NEST_MARK, `${'['.repeat(depth)}1${']'.repeat(depth)}`);
      return {
        query: { ...query, ...extra },
        contentType: 'application/json',
        body: applyBytes(Buffer.from(out, 'utf8'), bytes),
        story: [
          ...mutations.map((m) => JSON.stringify(m).slice(0, 120)),
          bytes.op,
          JSON.stringify(extra).slice(0, 200),
        ],
      };
    });
}

// ─── Mappings (the query parameters `map` and `dhis2Mapping`) ────────────────────────────────

/** A column mapping (`--map`) naming hostile columns and values, sometimes. */
export const hostileColumnMap: fc.Arbitrary<Record<string, string>> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({}) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES, 'SEX', 'AGE'), hostileString), hostileString, hostileString)
      .map(([column, from, to]) => ({
        map: JSON.stringify({ columns: { [column]: { values: { [from]: to } }, constructor: { ignore: false } } }),
      })),
  },
  { weight: 1, arbitrary: hostileString.map((s) => ({ map: s })) },
);
