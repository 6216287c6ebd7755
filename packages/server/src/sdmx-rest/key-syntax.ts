/**
 * The syntax of SDMX REST queries, read without I/O: series keys (SDMX REST 1.5, what SDMX 2.1 clients send, and
 * SDMX REST 2.x of SDMX 3.0), dataflow references, versions and component filters (`c[ID]=…`). Every refusal is a
 * QuerySyntaxError whose message names what is wrong; rest-routes.ts answers it 400 as an SDMX error message.
 *
 * Keys, in both versions: one value per dimension of the dataflow's structure, in its order, separated by `.`.
 * - 1.5: an empty position is a wildcard, `+` separates the codes one position may take (OR); `all` (any case) alone is
 *   every series.
 * - 2.x: `*` (or an empty position) is a wildcard, and a key may be a list of keys separated by `,` (OR); `+` inside
 *   a position is read as in 1.5.
 * In both, positions left out at the end are wildcards (as 2.x says; 1.5 services differ); more positions than the
 * structure has dimensions is an error, and so is a value with a character no code has (spaces, quotes, `<`…).
 */

export class QuerySyntaxError extends Error {
  override name = 'QuerySyntaxError';
}

/** One position of a key: the codes (ids) it may take, or null for any. */
export type KeyPosition = readonly string[] | null;
/** One key: a position per dimension of the structure, in its order. */
export type SeriesKeyQuery = readonly KeyPosition[];

/** What a value of a key may not hold: separators, spaces, quotes, characters of URLs and XML markup. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are refused in a key, on purpose
const BAD_VALUE_CHAR = /[\s.,+*<>"'`{}|\\^[\]#?&/%;=\u0000-\u001f\u007f]/u;

function keyValue(value: string, at: string): string {
  const bad = BAD_VALUE_CHAR.exec(value);
  if (bad)
    throw new QuerySyntaxError(
      `key: ${at}, "${value}" holds the character ${JSON.stringify(bad[0])}, which no code has (codes are SDMX ids: letters, digits, _ @ $ -)`,
    );
  if (value.length > 200) throw new QuerySyntaxError(`key: ${at}, a value of ${value.length} characters is too long`);
  return value;
}

function positionsOf(
  key: string,
  dimensions: readonly string[],
  version: '1.5' | '2',
  wildcard: RegExp,
): KeyPosition[] {
  const parts = key.split('.');
  if (parts.length > dimensions.length)
    throw new QuerySyntaxError(
      `key: "${key}" has ${parts.length} positions, but the dataflow's structure has ${dimensions.length} dimensions before TIME_PERIOD (${dimensions.join('.')})`,
    );
  const out: KeyPosition[] = dimensions.map(() => null);
  parts.forEach((part, i) => {
    const at = `position ${i + 1} (${dimensions[i]})`;
    if (wildcard.test(part)) return;
    const values = part.split('+');
    if (values.some((v) => v === ''))
      throw new QuerySyntaxError(
        `key: ${at}, "${part}" has an empty value: separate the codes of one position with + ${version === '2' ? '(or list whole keys separated by ,)' : ''}`.trim(),
      );
    out[i] = [...new Set(values.map((v) => keyValue(v, at)))];
  });
  return out;
}

/** A key of SDMX REST 1.5 (`A..MAR+MAAGA`, `all`) against the structure's dimensions (without TIME_PERIOD). */
export function parseKey15(key: string, dimensions: readonly string[]): SeriesKeyQuery[] {
  const k = key.trim();
  if (k === '' || /^all$/i.test(k)) return [dimensions.map(() => null)];
  return [positionsOf(k, dimensions, '1.5', /^\*?$/)];
}

/** A key of SDMX REST 2.x (`A.*.MAR`, several keys separated by `,`, `*` for all). */
export function parseKeyV2(key: string, dimensions: readonly string[]): SeriesKeyQuery[] {
  const k = key.trim();
  if (k === '' || k === '*') return [dimensions.map(() => null)];
  return k.split(',').map((one) => {
    if (one === '') throw new QuerySyntaxError(`key: "${key}" has an empty key between commas`);
    return positionsOf(one, dimensions, '2', /^\*?$/);
  });
}

/** Whether a series key (one id per dimension) is one of the keys asked for. */
export function keyMatches(keys: readonly SeriesKeyQuery[], ids: readonly string[]): boolean {
  return keys.some((key) => key.every((position, i) => position === null || position.includes(ids[i]!)));
}

/**
 * The keys merged into one position list: each position the union of the keys' codes, null where any key has a
 * wildcard there. What the database is asked for; `keyMatches` then keeps the rows of the keys themselves.
 */
export function mergeKeys(keys: readonly SeriesKeyQuery[], length: number): KeyPosition[] {
  const out: KeyPosition[] = [];
  for (let i = 0; i < length; i++) {
    let codes: Set<string> | null = new Set();
    for (const key of keys) {
      const p = key[i] ?? null;
      if (p === null) {
        codes = null;
        break;
      }
      for (const c of p) codes.add(c);
    }
    out.push(codes === null ? null : [...codes]);
  }
  return out;
}

/** An artefact reference as a query names it: agencies, ids and versions, each a list or null for any. */
export interface ArtefactQuery {
  agencies: string[] | null;
  ids: string[] | null;
  /** null: any version; 'latest' the latest; 'stable' the latest final; else exact versions. */
  versions: VersionQuery;
}
export type VersionQuery =
  | { kind: 'all' }
  | { kind: 'latest' }
  | { kind: 'stable' }
  | { kind: 'exact'; versions: string[] };

const ID_PART = /^[A-Za-z0-9_@$-]+(\.[A-Za-z0-9_@$-]+)*$/;
const VERSION = /^[0-9A-Za-z._+-]+$/;

function idList(text: string, what: string, any: RegExp, separator: RegExp): string[] | null {
  const t = text.trim();
  if (t === '' || any.test(t)) return null;
  const items = t.split(separator);
  for (const i of items)
    if (!ID_PART.test(i)) throw new QuerySyntaxError(`${what}: "${i}" is not an SDMX id (letters, digits, _ @ $ -)`);
  return items;
}

/** A version as SDMX REST 2.x writes it: `*`, `~` (latest), `+` (latest stable), or versions separated by `,`. */
export function parseVersionV2(text: string | undefined): VersionQuery {
  const t = (text ?? '').trim();
  if (t === '' || t === '*') return { kind: 'all' };
  if (t === '~' || /^latest$/i.test(t)) return { kind: 'latest' };
  if (t === '+') return { kind: 'stable' };
  const versions = t.split(',');
  for (const v of versions) {
    if (v === '*') return { kind: 'all' };
    if (!VERSION.test(v) || /[+~*]/.test(v))
      throw new QuerySyntaxError(
        `version: "${v}" is not a version (1.0), nor * (any), ~ (the latest) or + (the latest stable); semantic version wildcards are not served`,
      );
  }
  return { kind: 'exact', versions };
}

/** A version as SDMX REST 1.5 writes it: `latest` (the default), `all`, or a version. */
export function parseVersion15(text: string | undefined): VersionQuery {
  const t = (text ?? '').trim();
  if (t === '' || /^latest$/i.test(t)) return { kind: 'latest' };
  if (/^all$/i.test(t) || t === '*') return { kind: 'all' };
  if (t === '~') return { kind: 'latest' };
  if (t === '+') return { kind: 'stable' };
  if (!VERSION.test(t) || /[+~*]/.test(t)) throw new QuerySyntaxError(`version: "${t}" is not a version (1.0)`);
  return { kind: 'exact', versions: [t] };
}

/** SDMX REST 2.x agency, id and version path segments (`*` for any, lists separated by `,`). */
export function artefactQueryV2(agency?: string, id?: string, version?: string): ArtefactQuery {
  return {
    agencies: idList(agency ?? '*', 'agencyID', /^\*$/, /,/),
    ids: idList(id ?? '*', 'resourceID', /^\*$/, /,/),
    versions: parseVersionV2(version ?? '~'),
  };
}

/** SDMX REST 1.5 agency, id and version path segments (`all` for any; `+` separates several). */
export function artefactQuery15(agency?: string, id?: string, version?: string): ArtefactQuery {
  return {
    agencies: idList(agency ?? 'all', 'agencyID', /^(all|\*)$/i, /\+/),
    ids: idList(id ?? 'all', 'resourceID', /^(all|\*)$/i, /\+/),
    versions: parseVersion15(version),
  };
}

/**
 * An SDMX REST 1.5 flow reference: `AGENCY,ID,VERSION`, `AGENCY,ID` (the latest version), or `ID` (any agency, the
 * latest version); `all` or `*` for any agency, `latest` for the latest version.
 */
export function parseFlowRef(flowRef: string): ArtefactQuery {
  const parts = flowRef.trim().split(',');
  if (parts.length > 3 || parts.some((p) => p.trim() === ''))
    throw new QuerySyntaxError(
      `flowRef: "${flowRef}" is not AGENCY,ID,VERSION (e.g. MARSAD,DF_MARSAD,1.0), AGENCY,ID or ID`,
    );
  const [a, b, c] = parts;
  if (parts.length === 1) return artefactQuery15('all', a, 'latest');
  return artefactQuery15(a, b, c ?? 'latest');
}

/** Orders versions as numbers part by part (`1.10` after `1.9`), then as text. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/);
  const pb = b.split(/[.-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    const nx = /^\d+$/.test(x) ? Number(x) : Number.NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : Number.NaN;
    if (!Number.isNaN(nx) && !Number.isNaN(ny)) {
      if (nx !== ny) return nx - ny;
    } else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Of the versions of one artefact (`final` tells the stable ones), those the query asks for. */
export function selectVersions<T extends { version: string; final: boolean }>(
  items: readonly T[],
  q: VersionQuery,
): T[] {
  const sorted = [...items].sort((x, y) => compareVersions(x.version, y.version));
  switch (q.kind) {
    case 'all':
      return sorted;
    case 'latest':
      return sorted.slice(-1);
    case 'stable': {
      const stable = sorted.filter((s) => s.final);
      return stable.slice(-1);
    }
    case 'exact':
      return sorted.filter((s) => q.versions.includes(s.version));
  }
}

/** The operators of a component filter (`c[ID]=ge:2015`). */
export const FILTER_OPERATORS = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'co', 'nc', 'sw', 'ew'] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];
export interface FilterTerm {
  op: FilterOperator;
  value: string;
}
/** A component filter: alternatives (`,`: OR), each a list of terms that must all hold (`+`: AND). */
export type ComponentFilter = readonly (readonly FilterTerm[])[];

const OPERATOR = /^(eq|ne|lt|le|gt|ge|co|nc|sw|ew):/;

/**
 * The value of `c[ID]`: `A`, `A,B` (OR), `ge:2015+le:2020` (AND), `ne:A+ne:B`, with the operators eq (the default),
 * ne, lt, le, gt, ge, co (contains), nc (does not contain), sw (starts with), ew (ends with).
 */
export function parseComponentFilter(id: string, text: string): ComponentFilter {
  if (text.trim() === '') throw new QuerySyntaxError(`c[${id}]: no value`);
  return text.split(',').map((alternative) =>
    alternative.split('+').map((term): FilterTerm => {
      const t = term.trim();
      const m = OPERATOR.exec(t);
      const op = (m?.[1] ?? 'eq') as FilterOperator;
      const value = m ? t.slice(m[0].length) : t;
      if (value === '')
        throw new QuerySyntaxError(
          `c[${id}]: "${text}" has an empty value (write c[${id}]=A,B for A or B, c[${id}]=ge:A+le:B for A to B)`,
        );
      return { op, value };
    }),
  );
}

/**
 * Whether `value` passes the filter. `compare` orders two values (lt, le, gt, ge); by default numbers as numbers when
 * both are numbers, else text. eq and ne also accept `alias` (a code's original spelling) as the value.
 */
export function filterMatches(
  filter: ComponentFilter,
  value: string | undefined,
  options: { compare?: (a: string, b: string) => number; alias?: string } = {},
): boolean {
  const compare = options.compare ?? defaultCompare;
  return filter.some((terms) =>
    terms.every(({ op, value: v }) => {
      if (value === undefined) return op === 'ne' || op === 'nc';
      const eq = value === v || (options.alias !== undefined && options.alias === v);
      switch (op) {
        case 'eq':
          return eq;
        case 'ne':
          return !eq;
        case 'co':
          return value.includes(v);
        case 'nc':
          return !value.includes(v);
        case 'sw':
          return value.startsWith(v);
        case 'ew':
          return value.endsWith(v);
        case 'lt':
          return compare(value, v) < 0;
        case 'le':
          return compare(value, v) <= 0;
        case 'gt':
          return compare(value, v) > 0;
        case 'ge':
          return compare(value, v) >= 0;
      }
      return false;
    }),
  );
}

function defaultCompare(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (a.trim() !== '' && b.trim() !== '' && Number.isFinite(x) && Number.isFinite(y)) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A positive whole number parameter (firstNObservations…). */
export function positiveInteger(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,9}$/.test(text.trim()) || Number(text) < 1)
    throw new QuerySyntaxError(`${name}: "${text}" is not a positive whole number`);
  return Number(text);
}

/** An xs:dateTime (or a date) parameter, as an ISO instant. */
export function dateTimeParameter(name: string, text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  // A date-time whose offset came as a space: a + that was not percent-encoded in a form-encoded query.
  const fixed = t.replace(/^(\d{4}-\d\d-\d\dT[\d:.]+) (\d\d(:?\d\d)?)$/, '$1+$2');
  const ms =
    /^\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?)?$/.test(fixed) &&
    Date.parse(/^\d{4}-\d\d-\d\d$/.test(fixed) ? `${fixed}T00:00:00Z` : fixed);
  if (typeof ms !== 'number' || Number.isNaN(ms))
    throw new QuerySyntaxError(`${name}: "${text}" is not a date-time (e.g. 2024-05-15T14:15:00Z)`);
  return new Date(ms).toISOString();
}
