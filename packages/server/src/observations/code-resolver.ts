import type { Names, SqlConn } from '@marsad/db';

/**
 * Resolves the codes of a file (indicator, series, place, dimension, source) to ids, from
 * caches loaded once per import, and creates what an import may create (series labels,
 * open dimensions and their values, sources, local indicators, disaggregations) in the
 * import's own transaction, so a failed import leaves none of them behind.
 */

export interface IndicatorEntry {
  id: number;
  code: string;
  defaultSeriesId: number | null;
  unit: string | null;
}
export interface SeriesEntry {
  id: number;
  indicatorId: number;
  code: string;
  unit: string | null;
}
interface DimensionEntry {
  id: number;
  code: string;
  open: boolean;
  values: Map<string, string> /* lower-cased code or name → code */;
}

export type Resolution<T> = { ok: true; value: T } | { ok: false; message: string };
const fail = (message: string): { ok: false; message: string } => ({ ok: false, message });

function lower(s: string): string {
  return s.trim().toLocaleLowerCase('en');
}

/** "11-1-1", "11_1_1" and "11.1.1" name the same indicator. */
export function normaliseIndicatorCode(code: string): string {
  const c = code.trim();
  return /^\d{1,2}[-_.][\da-z]{1,2}[-_.][\da-z]{1,2}$/i.test(c) ? c.replace(/[-_]/g, '.').toLowerCase() : c;
}

/** A code for a new dimension from a column header: "Victim Gender" → "VICTIM_GENDER". */
export function dimensionCodeFromHeader(header: string): string {
  const code = header
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z0-9\u0600-\u06FF]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return code || 'DIM';
}

export function disaggregationKey(dims: Record<string, string>): string {
  return Object.keys(dims)
    .sort()
    .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(dims[k] ?? '')}`)
    .join('|');
}

/**
 * Limits on what one import may add to the code lists, so that a file whose free-text column is
 * read as a dimension (a note, an address) is refused with a message instead of creating tens of
 * thousands of values, and no key outgrows the database's index rows.
 */
export const IMPORT_CODE_LIMITS = {
  /** Dimensions of one row (SDMX files use a dozen at most). */
  dimensionsPerRow: 40,
  /** New dimensions one import may create. */
  newDimensions: 40,
  /** New values of dimensions one import may create. */
  newDimensionValues: 5_000,
  /** Characters of a dimension value's code. */
  valueLength: 200,
};

export interface Created {
  kind: 'indicator' | 'series' | 'dimension' | 'dimension value' | 'source';
  code: string;
  detail?: string;
}

export class CodeResolver {
  private indicators = new Map<string, IndicatorEntry>();
  private seriesByIndicator = new Map<number, Map<string, SeriesEntry>>();
  private seriesByCode = new Map<string, SeriesEntry[]>();
  private places = new Map<string, number>();
  private placePaths = new Map<number, string>();
  private placesLower = new Map<string, number | null>();
  private dimensions = new Map<string, DimensionEntry>();
  private dimensionsLower = new Map<string, DimensionEntry>();
  private disaggregations = new Map<string, number>();
  private sources = new Map<string, number>();
  private newDimensions = 0;
  private newValues = 0;
  readonly created: Created[] = [];

  constructor(
    private conn: SqlConn,
    private batchId: number | null,
  ) {}

  async load(): Promise<void> {
    const ind = await this.conn.query<{ id: number; code: string; unit_code: string | null }>(
      'SELECT id, code, unit_code FROM indicators',
    );
    for (const r of ind.rows)
      this.indicators.set(r.code, { id: r.id, code: r.code, defaultSeriesId: null, unit: r.unit_code });
    const byId = new Map([...this.indicators.values()].map((i) => [i.id, i]));
    const ser = await this.conn.query<{
      id: number;
      indicator_id: number;
      code: string;
      names: Names;
      unit_code: string | null;
      aliases: string[];
      is_default: boolean;
    }>('SELECT id, indicator_id, code, names, unit_code, aliases, is_default FROM series ORDER BY id');
    for (const r of ser.rows) {
      const entry: SeriesEntry = { id: r.id, indicatorId: r.indicator_id, code: r.code, unit: r.unit_code };
      const names = [r.code, ...r.aliases, ...Object.values(r.names ?? {})];
      this.addSeries(entry, names);
      const indicator = byId.get(r.indicator_id);
      if (indicator && (r.is_default || indicator.defaultSeriesId === null)) {
        if (r.is_default || indicator.defaultSeriesId === null) indicator.defaultSeriesId = r.id;
      }
    }
    const pl = await this.conn.query<{
      id: number;
      code: string;
      external_code: string | null;
      codes: Record<string, string>;
      path: string;
    }>('SELECT id, code, external_code, codes, path FROM places');
    for (const r of pl.rows) {
      this.places.set(r.code, r.id);
      this.placePaths.set(r.id, r.path);
    }
    for (const r of pl.rows) {
      for (const alt of [r.code, r.external_code, ...Object.values(r.codes ?? {})]) {
        if (!alt) continue;
        const k = lower(String(alt));
        const prev = this.placesLower.get(k);
        // An alternative code shared by two places names neither.
        this.placesLower.set(k, prev === undefined || prev === r.id ? r.id : null);
      }
    }
    const dims = await this.conn.query<{ id: number; code: string; open: boolean; names: Names }>(
      'SELECT id, code, open, names FROM dimensions',
    );
    const values = await this.conn.query<{ dimension_id: number; code: string; names: Names }>(
      'SELECT dimension_id, code, names FROM dimension_values',
    );
    for (const d of dims.rows) {
      const entry: DimensionEntry = { id: d.id, code: d.code, open: d.open, values: new Map() };
      this.dimensions.set(d.code, entry);
      for (const n of [d.code, ...Object.values(d.names ?? {})]) this.dimensionsLower.set(lower(n), entry);
    }
    const dimById = new Map([...this.dimensions.values()].map((d) => [d.id, d]));
    for (const v of values.rows) {
      const d = dimById.get(v.dimension_id);
      if (!d) continue;
      for (const n of [v.code, ...Object.values(v.names ?? {})])
        if (!d.values.has(lower(n))) d.values.set(lower(n), v.code);
      d.values.set(lower(v.code), v.code);
    }
    const dis = await this.conn.query<{ id: number; key: string }>('SELECT id, key FROM disaggregations');
    for (const r of dis.rows) this.disaggregations.set(r.key, r.id);
    const src = await this.conn.query<{ id: number; name: string }>('SELECT id, name FROM sources');
    for (const r of src.rows) this.sources.set(r.name, r.id);
  }

  private addSeries(entry: SeriesEntry, names: string[]): void {
    let m = this.seriesByIndicator.get(entry.indicatorId);
    if (!m) {
      m = new Map();
      this.seriesByIndicator.set(entry.indicatorId, m);
    }
    for (const n of names) {
      if (!n) continue;
      if (!m.has(lower(n))) m.set(lower(n), entry);
    }
    for (const n of [entry.code]) {
      const list = this.seriesByCode.get(lower(n)) ?? [];
      list.push(entry);
      this.seriesByCode.set(lower(n), list);
    }
    for (const n of names.slice(1)) {
      if (/^[A-Z][A-Z0-9_]+$/.test(n)) {
        const list = this.seriesByCode.get(lower(n)) ?? [];
        if (!list.includes(entry)) list.push(entry);
        this.seriesByCode.set(lower(n), list);
      }
    }
  }

  async indicator(code: string, createIfMissing: boolean): Promise<Resolution<IndicatorEntry>> {
    const norm = normaliseIndicatorCode(code);
    const found = this.indicators.get(norm) ?? this.indicators.get(code.trim());
    if (found) return { ok: true, value: found };
    if (!createIfMissing) {
      return fail(
        `unknown indicator "${code}"; add it to the catalogue first, or import with --create-indicators to create it as a local indicator`,
      );
    }
    if (!/^[\p{L}\p{N}][\p{L}\p{N}._-]{0,63}$/u.test(norm))
      return fail(`"${code}" cannot be an indicator code (letters, digits, . _ - up to 64)`);
    const r = await this.conn.query<{ id: number }>(
      `INSERT INTO indicators (code, names, local, status) VALUES ($1, $2, true, 'active') RETURNING id`,
      [norm, JSON.stringify({ en: norm })],
    );
    const entry: IndicatorEntry = { id: r.rows[0]!.id, code: norm, defaultSeriesId: null, unit: null };
    this.indicators.set(norm, entry);
    this.created.push({ kind: 'indicator', code: norm, detail: 'local indicator' });
    return { ok: true, value: entry };
  }

  /** The series of an indicator by code, alias or name; a new label becomes a new series. */
  async series(
    indicator: IndicatorEntry,
    label: string | undefined,
    unit: string | undefined,
  ): Promise<Resolution<SeriesEntry>> {
    const m = this.seriesByIndicator.get(indicator.id);
    if (!label?.trim()) {
      if (indicator.defaultSeriesId !== null) {
        for (const s of m?.values() ?? []) if (s.id === indicator.defaultSeriesId) return { ok: true, value: s };
      }
      return { ok: true, value: await this.createSeries(indicator, indicator.code, unit ?? indicator.unit, true) };
    }
    const found = m?.get(lower(label));
    if (found) return { ok: true, value: found };
    return { ok: true, value: await this.createSeries(indicator, label.trim(), unit ?? null, false) };
  }

  private async createSeries(
    indicator: IndicatorEntry,
    label: string,
    unit: string | null,
    isDefault: boolean,
  ): Promise<SeriesEntry> {
    const r = await this.conn.query<{ id: number }>(
      `INSERT INTO series (indicator_id, code, names, unit_code, is_default) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [indicator.id, label, JSON.stringify({ en: label }), unit, isDefault],
    );
    const entry: SeriesEntry = { id: r.rows[0]!.id, indicatorId: indicator.id, code: label, unit };
    this.addSeries(entry, [label]);
    if (isDefault) indicator.defaultSeriesId = entry.id;
    this.created.push({ kind: 'series', code: label, detail: `of indicator ${indicator.code}` });
    return entry;
  }

  /** A series named by its UN series code alone (SDMX without INDICATOR). */
  seriesByUnCode(code: string): Resolution<{ indicator: IndicatorEntry; series: SeriesEntry }> {
    const list = this.seriesByCode.get(lower(code)) ?? [];
    if (list.length === 0) return fail(`unknown series "${code}": no indicator of the catalogue has this series code`);
    if (list.length > 1) return fail(`series "${code}" belongs to several indicators; give the indicator too`);
    const s = list[0]!;
    const indicator = [...this.indicators.values()].find((i) => i.id === s.indicatorId)!;
    return { ok: true, value: { indicator, series: s } };
  }

  /** The materialised path of a place ('/12/340/'), for checks of who may write it. */
  placePath(id: number): string {
    return this.placePaths.get(id) ?? '';
  }

  place(code: string): Resolution<number> {
    const exact = this.places.get(code.trim());
    if (exact !== undefined) return { ok: true, value: exact };
    const alt = this.placesLower.get(lower(code));
    if (alt) return { ok: true, value: alt };
    if (alt === null) return fail(`place code "${code}" is shared by several places; use the Marsad place code`);
    return fail(`unknown place "${code}"; add it first (marsad places import) or give a place code that exists`);
  }

  /**
   * Maps raw dimensions onto Marsad's and returns the disaggregation id. Unknown columns become
   * new open dimensions; unknown values of open dimensions are added; unknown values of closed
   * code lists are errors.
   */
  async disaggregation(
    raw: Record<string, string>,
    map: Record<string, { dimension?: string; values?: Record<string, string>; ignore?: boolean }>,
  ): Promise<Resolution<number> & { column?: string }> {
    // No prototype: a dimension coded "__proto__" or "constructor" is data.
    const dims: Record<string, string> = Object.create(null);
    const entries = Object.entries(raw);
    if (entries.length > IMPORT_CODE_LIMITS.dimensionsPerRow) {
      return {
        ok: false,
        message: `the row gives ${entries.length} dimension columns; at most ${IMPORT_CODE_LIMITS.dimensionsPerRow} are read: map or ignore the others with --map`,
      };
    }
    for (const [column, rawValue] of entries) {
      const rule = map[column];
      if (rule?.ignore) continue;
      const value = (rule?.values?.[rawValue] ?? rawValue).trim();
      if (value === '' || value === '_T') continue;
      let dim: DimensionEntry | undefined;
      if (rule?.dimension) {
        dim = this.dimensions.get(rule.dimension) ?? this.dimensionsLower.get(lower(rule.dimension));
        if (!dim)
          return {
            ok: false,
            column,
            message: `the mapping names dimension "${rule.dimension}", which does not exist`,
          };
      } else {
        // A column is a Marsad dimension when its header is the dimension's code; a freely
        // named column ("Age", "Victim Gender") becomes an open dimension of its own, found
        // again by its name on the next import, unless a mapping says otherwise.
        dim = this.dimensions.get(column);
        if (!dim) {
          const byName = this.dimensionsLower.get(lower(column));
          if (byName?.open) dim = byName;
        }
        if (!dim) {
          if (this.newDimensions >= IMPORT_CODE_LIMITS.newDimensions) {
            return {
              ok: false,
              column,
              message: `the file would create more than ${IMPORT_CODE_LIMITS.newDimensions} new dimensions; map its columns onto existing dimensions or ignore them with --map`,
            };
          }
          dim = await this.createDimension(dimensionCodeFromHeader(column).slice(0, 100), column.slice(0, 300));
        }
      }
      let code = dim.values.get(lower(value));
      if (!code) {
        if (!dim.open) {
          const known = [...new Set(dim.values.values())].slice(0, 12).join(', ');
          return {
            ok: false,
            column,
            message: `"${value}" is not a value of dimension ${dim.code} (known: ${known}); map it with --map`,
          };
        }
        if (value.length > IMPORT_CODE_LIMITS.valueLength) {
          return {
            ok: false,
            column,
            message: `the value is ${value.length} characters long; a value of a dimension has at most ${IMPORT_CODE_LIMITS.valueLength} (is this column free text? ignore it with --map)`,
          };
        }
        if (this.newValues >= IMPORT_CODE_LIMITS.newDimensionValues) {
          return {
            ok: false,
            column,
            message: `the file would add more than ${IMPORT_CODE_LIMITS.newDimensionValues} new values to dimensions; is column "${column}" free text? Ignore it or map its values with --map`,
          };
        }
        code = await this.createDimensionValue(dim, value);
      }
      if (dims[dim.code] !== undefined && dims[dim.code] !== code) {
        return { ok: false, column, message: `two columns give dimension ${dim.code} different values` };
      }
      dims[dim.code] = code;
    }
    const key = disaggregationKey(dims);
    const known = this.disaggregations.get(key);
    if (known !== undefined) return { ok: true, value: known };
    const r = await this.conn.query<{ id: number }>(
      `INSERT INTO disaggregations (id, key, dims) VALUES (nextval('disaggregations_id_seq'), $1, $2) RETURNING id`,
      [key, JSON.stringify(dims)],
    );
    this.disaggregations.set(key, r.rows[0]!.id);
    return { ok: true, value: r.rows[0]!.id };
  }

  private async createDimension(code: string, header: string): Promise<DimensionEntry> {
    this.newDimensions++;
    let unique = code;
    for (let i = 2; this.dimensions.has(unique); i++) unique = `${code}_${i}`;
    const r = await this.conn.query<{ id: number }>(
      `INSERT INTO dimensions (code, names, open, created_by_batch) VALUES ($1, $2, true, $3) RETURNING id`,
      [unique, JSON.stringify({ en: header }), this.batchId],
    );
    const entry: DimensionEntry = { id: r.rows[0]!.id, code: unique, open: true, values: new Map() };
    this.dimensions.set(unique, entry);
    this.dimensionsLower.set(lower(unique), entry);
    this.dimensionsLower.set(lower(header), entry);
    this.created.push({ kind: 'dimension', code: unique, detail: `from column "${header}"` });
    return entry;
  }

  private async createDimensionValue(dim: DimensionEntry, value: string): Promise<string> {
    this.newValues++;
    await this.conn.query(
      `INSERT INTO dimension_values (dimension_id, code, names, position)
       VALUES ($1, $2, $3, (SELECT count(*) FROM dimension_values WHERE dimension_id = $1))`,
      [dim.id, value, JSON.stringify({ en: value })],
    );
    dim.values.set(lower(value), value);
    this.created.push({ kind: 'dimension value', code: value, detail: `of ${dim.code}` });
    return value;
  }

  /** "indicator / series / place / period / disaggregation" from ids, for messages. */
  describeKey(seriesId: number, placeId: number, period: string, disaggId: number): string {
    let series: SeriesEntry | undefined;
    for (const m of this.seriesByIndicator.values()) for (const s of m.values()) if (s.id === seriesId) series = s;
    const indicator = series
      ? [...this.indicators.values()].find((i) => i.id === series!.indicatorId)?.code
      : undefined;
    const place = [...this.places.entries()].find(([, id]) => id === placeId)?.[0];
    const dis = [...this.disaggregations.entries()].find(([, id]) => id === disaggId)?.[0];
    return [indicator ?? '?', series?.code ?? '?', place ?? '?', period, dis ? dis.replace(/\|/g, ', ') : 'total'].join(
      ' / ',
    );
  }

  async source(name: string | undefined): Promise<number | null> {
    const n = name?.trim();
    if (!n) return null;
    const known = this.sources.get(n);
    if (known !== undefined) return known;
    const r = await this.conn.query<{ id: number }>(
      `INSERT INTO sources (name) VALUES ($1) ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
      [n],
    );
    this.sources.set(n, r.rows[0]!.id);
    this.created.push({ kind: 'source', code: n });
    return r.rows[0]!.id;
  }
}
