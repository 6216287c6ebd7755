import { normaliseForSearch } from '@marsad/core';
import type { Names, SqlConn } from '@marsad/db';
import { ageBandCode, ageBandNames, isTotalLabel, VALUE_SYNONYMS } from './dimension-labels.ts';

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
  /** Codes and value names in every language, folded (normaliseForSearch) → code. */
  labels: Map<string, string>;
}

interface PlaceEntry {
  id: number;
  code: string;
  path: string;
  level: string;
  /** Whether a file named the place by a label alone when an import created it (it has no external code). */
  namedOnly: boolean;
  externalCode: string | null;
}

/** What an import may add beyond observations (CLI flags and API parameters of the same names). */
export interface ResolverOptions {
  /** Add a value that a closed code list lacks (an age band Y18T24) to the list, with its label. */
  extendCodes?: boolean;
  /** The names a file's publisher gives its codes, in several languages: what the import creates is named by them. */
  codeNames?: CodeNames;
}

/**
 * The names of codes in several languages that come with a file: an Open SDG repository's
 * `translations/<lang>/<GROUP>.yml` (`KZAKM: Акмолинская` in REF_AREA.yml). `group` is a column's
 * name (REF_AREA, SERIES, UNIT_MEASURE, SEX, COMPOSITE_BREAKDOWN); the answer maps a language to a name.
 */
export type CodeNames = (group: string, code: string) => Readonly<Record<string, string>> | undefined;

/** Letters, digits, . _ - up to 40: a place code (the places CSV's rule). */
const PLACE_CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

/** The language of a name by its script: Arabic, Cyrillic (Russian), Han (Chinese), else English. */
function languageOf(name: string): string {
  if (/\p{Script=Arabic}/u.test(name)) return 'ar';
  if (/\p{Script=Cyrillic}/u.test(name)) return 'ru';
  if (/\p{Script=Han}/u.test(name)) return 'zh';
  return 'en';
}

/** The kind of a place the import creates, from the column that named it ("City" → city); else a region. */
function levelFromColumn(column: string | undefined): 'region' | 'city' | 'district' {
  const c = normaliseForSearch(column ?? '');
  if (/\b(city|town|ville|ciudad|المدينه|город|城市)\b/u.test(c)) return 'city';
  if (/\b(district|ward|borough|район|حي)\b/u.test(c)) return 'district';
  return 'region';
}

export type Resolution<T> =
  | { ok: true; value: T }
  | { ok: false; message: string; unknown?: boolean; code?: string; params?: Record<string, string | number> };
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
  /** Places one import may create (createPlaces). */
  newPlaces: 5_000,
};

export interface Created {
  kind: 'indicator' | 'series' | 'dimension' | 'dimension value' | 'source' | 'place';
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
  private placeById = new Map<number, PlaceEntry>();
  /** Folded names in every language → the places of that name. */
  private placeNames = new Map<string, number[]>();
  private placeMemo = new Map<string, Resolution<number>>();
  private placesCreated = 0;
  /** The dimension each column of the file was read as, decided on its first value. */
  private columnDims = new Map<string, DimensionEntry | null>();
  private dimensions = new Map<string, DimensionEntry>();
  /** Codes and names (lower-cased, and folded) → dimension; a closed code list before an open dimension of the same name. */
  private dimensionsLower = new Map<string, DimensionEntry>();
  /** Names of open dimensions (lower-cased, and folded), found again by a freely named column. */
  private openDimensions = new Map<string, DimensionEntry>();
  private disaggregations = new Map<string, number>();
  private sources = new Map<string, number>();
  private newDimensions = 0;
  private newValues = 0;
  readonly created: Created[] = [];

  constructor(
    private conn: SqlConn,
    private batchId: number | null,
    private options: ResolverOptions = {},
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
      names: Names;
      level: string;
      path: string;
    }>('SELECT id, code, external_code, codes, names, level, path FROM places');
    for (const r of pl.rows) this.addPlace(r);
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
      'SELECT id, code, open, names FROM dimensions ORDER BY open, id',
    );
    const values = await this.conn.query<{ dimension_id: number; code: string; names: Names }>(
      'SELECT dimension_id, code, names FROM dimension_values',
    );
    for (const d of dims.rows) {
      const entry: DimensionEntry = { id: d.id, code: d.code, open: d.open, values: new Map(), labels: new Map() };
      this.dimensions.set(d.code, entry);
      this.nameDimension(entry, [d.code, ...Object.values(d.names ?? {})]);
    }
    const dimById = new Map([...this.dimensions.values()].map((d) => [d.id, d]));
    for (const v of values.rows) {
      const d = dimById.get(v.dimension_id);
      if (!d) continue;
      this.addValueNames(d, v.code, Object.values(v.names ?? {}));
    }
    const dis = await this.conn.query<{ id: number; key: string }>('SELECT id, key FROM disaggregations');
    for (const r of dis.rows) this.disaggregations.set(r.key, r.id);
    const src = await this.conn.query<{ id: number; name: string }>('SELECT id, name FROM sources');
    for (const r of src.rows) this.sources.set(r.name, r.id);
  }

  private addPlace(r: {
    id: number;
    code: string;
    names: Names;
    level: string;
    path: string;
    external_code?: string | null;
  }): void {
    this.places.set(r.code, r.id);
    this.placePaths.set(r.id, r.path);
    this.placeById.set(r.id, {
      id: r.id,
      code: r.code,
      path: r.path,
      level: r.level,
      namedOnly: !r.external_code && /-[A-Z0-9_]+$/.test(r.code),
      externalCode: r.external_code ?? null,
    });
    for (const n of Object.values(r.names ?? {})) {
      if (typeof n !== 'string' || !n.trim()) continue;
      const k = normaliseForSearch(n);
      const list = this.placeNames.get(k) ?? [];
      if (!list.includes(r.id)) list.push(r.id);
      this.placeNames.set(k, list);
    }
  }

  private nameDimension(entry: DimensionEntry, names: string[]): void {
    for (const n of names) {
      if (typeof n !== 'string' || !n) continue;
      for (const k of [lower(n), normaliseForSearch(n)]) {
        if (!this.dimensionsLower.has(k)) this.dimensionsLower.set(k, entry);
        if (entry.open && !this.openDimensions.has(k)) this.openDimensions.set(k, entry);
      }
    }
  }

  private addValueNames(d: DimensionEntry, code: string, names: string[]): void {
    for (const n of [code, ...names]) if (n && !d.values.has(lower(n))) d.values.set(lower(n), code);
    d.values.set(lower(code), code);
    for (const n of [code, ...names, ...(VALUE_SYNONYMS[d.code]?.[code] ?? [])]) {
      if (!n) continue;
      const k = normaliseForSearch(n);
      if (!d.labels.has(k)) d.labels.set(k, code);
    }
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
    const given = this.options.codeNames?.('SERIES', label);
    const names = given ? { ...given } : { en: label };
    const unitNames = unit ? this.unitNames(unit) : undefined;
    const r = await this.conn.query<{ id: number }>(
      `INSERT INTO series (indicator_id, code, names, unit_code, unit_names, is_default)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [indicator.id, label, JSON.stringify(names), unit, JSON.stringify(unitNames ?? {}), isDefault],
    );
    const entry: SeriesEntry = { id: r.rows[0]!.id, indicatorId: indicator.id, code: label, unit };
    this.addSeries(entry, [label, ...(given ? Object.values(given) : [])]);
    if (isDefault) indicator.defaultSeriesId = entry.id;
    this.created.push({ kind: 'series', code: label, detail: `of indicator ${indicator.code}` });
    return entry;
  }

  /** The names the file's publisher gives a unit's code (UNIT_MEASURE), in several languages. */
  unitNames(unit: string): Readonly<Record<string, string>> | undefined {
    return this.options.codeNames?.('UNIT_MEASURE', unit.trim());
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

  /**
   * The place a file names: by its Marsad code, an external or other code, or a name in any language (case and
   * accents aside). A name that several places share names the one under `within` (the file's place), if only one is.
   */
  place(code: string, within?: string): Resolution<number> {
    const key = within ? `${code}\u0001${within}` : code;
    const memo = this.placeMemo.get(key);
    if (memo) return memo;
    const r = this.findPlace(code, within);
    if (this.placeMemo.size < 100_000) this.placeMemo.set(key, r);
    return r;
  }

  private findPlace(code: string, within: string | undefined): Resolution<number> {
    const exact = this.places.get(code.trim());
    if (exact !== undefined) return { ok: true, value: exact };
    const alt = this.placesLower.get(lower(code));
    if (alt) return { ok: true, value: alt };
    if (alt === null) return fail(`place code "${code}" is shared by several places; use the Marsad place code`);
    const named = this.placeNames.get(normaliseForSearch(code)) ?? [];
    if (named.length === 1) return { ok: true, value: named[0]! };
    if (named.length > 1) {
      const scope = within ? this.place(within) : undefined;
      const under = scope?.ok ? this.placeById.get(scope.value)?.path : undefined;
      const inside = under ? named.filter((id) => this.placeById.get(id)?.path.startsWith(under)) : [];
      if (inside.length === 1) return { ok: true, value: inside[0]! };
      const codes = named.map((id) => this.placeById.get(id)?.code).join(', ');
      return fail(`several places are named "${code}" (${codes}); give the place's code`);
    }
    return {
      ok: false,
      unknown: true,
      message: `unknown place "${code}"; add it first (marsad places import), give a place code that exists, or import with --create-places to add it`,
    };
  }

  /**
   * Adds the place a row names and no place is known by (createPlaces): under the file's place, named by the label
   * beside its code (else by the code), a region unless the column naming it says a city or district. A place named
   * by a label alone gets a code made of its parent's and its name's. The data alone gives no hierarchy: a places
   * file sets parents.
   */
  async createPlace(
    written: string,
    o: { name?: string; column?: string; parent?: string; mayAddUnder?: (parentPath: string) => boolean },
  ): Promise<Resolution<number>> {
    if (!o.parent?.trim())
      return fail(
        `unknown place "${written}": give the file's place (--place) to say under which place new places are created`,
      );
    const parent = this.place(o.parent);
    if (!parent.ok) return fail(`the file's place "${o.parent}": ${parent.message}`);
    const parentEntry = this.placeById.get(parent.value)!;
    if (o.mayAddUnder && !o.mayAddUnder(parentEntry.path))
      return fail(`unknown place "${written}": you may not add places under ${parentEntry.code}`);
    if (this.placesCreated >= IMPORT_CODE_LIMITS.newPlaces)
      return fail(
        `the file would create more than ${IMPORT_CODE_LIMITS.newPlaces} places; import them with a places file first`,
      );
    // Names the file's publisher gives the code (REF_AREA.yml), when the row gives no label.
    const given =
      o.name === undefined
        ? (this.options.codeNames?.(o.column ?? 'REF_AREA', written.trim()) ??
          this.options.codeNames?.('REF_AREA', written.trim()))
        : undefined;
    const name = (o.name ?? (given ? (given.en ?? Object.values(given)[0]) : undefined) ?? written).trim();
    let code = written.trim();
    const byName = o.name !== undefined && code === o.name.trim();
    if (byName) {
      const slug = dimensionCodeFromHeader(name)
        .replace(/[^A-Z0-9_]/g, '')
        .slice(0, 39 - parentEntry.code.length);
      code = `${parentEntry.code}-${slug || 'PLACE'}`;
      for (let i = 2; this.places.has(code); i++) code = `${code.slice(0, 36)}-${i}`;
    }
    if (!PLACE_CODE.test(code))
      return fail(`"${written}" cannot be a place code (letters, digits, . _ - up to 40): add the place first`);
    if (name.length > 300) return fail(`the place's name is ${name.length} characters long; at most 300`);
    if (!byName) {
      // A place an earlier row or import created from its name alone (a local authority given its region's code)
      // is the place this code names when it has that name under the same parent: it takes the code as its external
      // code, rather than a second place of the same name.
      const named = (this.placeNames.get(normaliseForSearch(name)) ?? []).filter((id) => {
        const p = this.placeById.get(id);
        return p?.namedOnly && p.path.startsWith(parentEntry.path) && p.code.startsWith(`${parentEntry.code}-`);
      });
      if (named.length === 1) {
        const id = named[0]!;
        await this.conn.query('UPDATE places SET external_code = $2, updated_at = now() WHERE id = $1', [
          id,
          written.trim(),
        ]);
        const entry = this.placeById.get(id)!;
        entry.namedOnly = false;
        entry.externalCode = written.trim();
        this.placesLower.set(lower(written), id);
        this.placeMemo.clear();
        this.created.push({
          kind: 'place',
          code: entry.code,
          detail: `given the code ${written.trim()} as its external code`,
        });
        return { ok: true, value: id };
      }
    }
    const level = levelFromColumn(o.column);
    const names: Record<string, string> = given
      ? Object.fromEntries(Object.entries(given).map(([l, n]) => [l, n.trim().slice(0, 300)]))
      : { [languageOf(name)]: name };
    const r = await this.conn.query<{ id: number }>(
      `INSERT INTO places (code, level, parent_id, path, names, external_code) VALUES ($1, $2, $3, '', $4, $5) RETURNING id`,
      [code, level, parent.value, JSON.stringify(names), byName ? null : written.trim()],
    );
    const id = r.rows[0]!.id;
    const path = `${parentEntry.path}${id}/`;
    await this.conn.query('UPDATE places SET path = $2 WHERE id = $1', [id, path]);
    this.placesCreated++;
    this.addPlace({ id, code, names, level, path, external_code: byName ? null : written.trim() });
    if (!byName) this.placesLower.set(lower(written), id);
    this.placeMemo.clear();
    this.created.push({ kind: 'place', code, detail: `${level} "${name}" under ${parentEntry.code}` });
    return { ok: true, value: id };
  }

  /**
   * Maps raw dimensions onto Marsad's and returns the disaggregation id. A column is read as one dimension for the
   * whole file, decided on its first value (columnDimension). Values are found by code or by name in any language
   * (case and accents aside); a value meaning "all" (Total, المجموع) of a closed code list is no breakdown. Unknown
   * values of open dimensions are added; of closed code lists, they are errors unless the import may extend them
   * (extendCodes), when they are added with their label.
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
      let dim = this.columnDims.get(column);
      if (!dim) {
        const d = await this.columnDimension(column, rule?.dimension, value);
        if (!d.ok) return { ...d, column };
        dim = d.value;
      }
      let code = dim.values.get(lower(value)) ?? dim.labels.get(normaliseForSearch(value));
      if (!code && !dim.open) {
        if (isTotalLabel(value)) continue;
        const age = dim.code === 'AGE' ? ageBandCode(value) : undefined;
        if (age) code = dim.values.get(lower(age));
        if (!code) {
          if (!this.options.extendCodes) {
            const known = [...new Set(dim.values.values())].slice(0, 12).join(', ');
            return {
              ok: false,
              column,
              code: 'not-in-code-list',
              params: { value, dimension: dim.code, known },
              message: `"${value}" is not a value of dimension ${dim.code} (known: ${known}); import with --extend-codes to add it to ${dim.code}, or map it with --map`,
            };
          }
          const added = this.valueCode(dim, value, age);
          if (!added.ok) return { ...added, column };
          const names = this.valueNames(dim, column, value) ??
            (age ? ageBandNames(age) : undefined) ?? { [languageOf(value)]: value };
          code = await this.createDimensionValue(dim, added.value, names, value);
        }
      }
      if (!code) {
        const checked = this.valueCode(dim, value, undefined);
        if (!checked.ok) return { ...checked, column };
        code = await this.createDimensionValue(dim, value, this.valueNames(dim, column, value) ?? { en: value }, value);
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

  /**
   * The dimension a column is read as, for the whole file: the one `--map` names (created, open, when no dimension
   * has that code: a mapping may point at a dimension this import creates); the dimension whose code is the header;
   * the dimension the header names in any language when its first value is one of that dimension's (a "Sex" column of
   * Female and Male is SEX; an "Age" column starting "15 to 24" is AGE, and starting "25 to 34", a band the list lacks,
   * it is AGE only when the import may extend code lists); otherwise an open dimension of its own, found again by its
   * name on the next import.
   */
  private async columnDimension(
    column: string,
    mapped: string | undefined,
    first: string,
  ): Promise<Resolution<DimensionEntry>> {
    const found = (name: string) =>
      this.dimensions.get(name) ??
      this.dimensionsLower.get(lower(name)) ??
      this.dimensionsLower.get(normaliseForSearch(name));
    let dim: DimensionEntry | undefined;
    if (mapped) {
      dim = found(mapped);
      if (!dim) {
        if (!/^[\p{L}][\p{L}\p{N}_]{0,99}$/u.test(mapped))
          return fail(
            `the mapping names dimension "${mapped}", which does not exist and cannot be a dimension code (letters, digits, _ up to 100)`,
          );
        const limit = this.dimensionLimit();
        if (limit) return limit;
        dim = await this.createDimension(mapped, mapped, `named by the mapping of column "${column}"`);
      }
    } else {
      dim = this.dimensions.get(column);
      if (!dim) {
        const byName = this.dimensionsLower.get(lower(column)) ?? this.dimensionsLower.get(normaliseForSearch(column));
        if (byName && (byName.open || this.isValueOf(byName, first))) dim = byName;
        else dim = this.openDimensions.get(lower(column)) ?? this.openDimensions.get(normaliseForSearch(column));
      }
      if (!dim) {
        const limit = this.dimensionLimit();
        if (limit) return limit;
        dim = await this.createDimension(dimensionCodeFromHeader(column).slice(0, 100), column.slice(0, 300));
      }
    }
    if (this.columnDims.size < 10_000) this.columnDims.set(column, dim);
    return { ok: true, value: dim };
  }

  private dimensionLimit(): { ok: false; message: string } | undefined {
    if (this.newDimensions < IMPORT_CODE_LIMITS.newDimensions) return undefined;
    return fail(
      `the file would create more than ${IMPORT_CODE_LIMITS.newDimensions} new dimensions; map its columns onto existing dimensions or ignore them with --map`,
    );
  }

  /**
   * Whether a cell names a value of the dimension (or "all"); when the import may extend code lists, an age band the
   * AGE list lacks counts too.
   */
  private isValueOf(dim: DimensionEntry, value: string): boolean {
    if (dim.values.has(lower(value)) || dim.labels.has(normaliseForSearch(value)) || isTotalLabel(value)) return true;
    const age = dim.code === 'AGE' ? ageBandCode(value) : undefined;
    return age !== undefined && (dim.values.has(lower(age)) || !!this.options.extendCodes);
  }

  /** The names the file's publisher gives a value's code, under the dimension's code or the column's name. */
  private valueNames(dim: DimensionEntry, column: string, value: string): Record<string, string> | undefined {
    const given = this.options.codeNames?.(dim.code, value) ?? this.options.codeNames?.(column, value);
    return given ? { ...given } : undefined;
  }

  /** The code a new value of a dimension gets, within the limits of one import. */
  private valueCode(dim: DimensionEntry, written: string, age: string | undefined): Resolution<string> {
    if (written.length > IMPORT_CODE_LIMITS.valueLength) {
      return fail(
        `the value is ${written.length} characters long; a value of a dimension has at most ${IMPORT_CODE_LIMITS.valueLength} (is this column free text? ignore it with --map)`,
      );
    }
    if (this.newValues >= IMPORT_CODE_LIMITS.newDimensionValues) {
      return fail(
        `the file would add more than ${IMPORT_CODE_LIMITS.newDimensionValues} new values to dimensions; is this column free text? Ignore it or map its values with --map`,
      );
    }
    if (dim.open) return { ok: true, value: written };
    // A closed code list keeps code-like codes: the age band's SDMX code, the value itself when it is one, else one made
    // of its label.
    let code = age ?? (/^[A-Z0-9_]{1,40}$/.test(written) ? written : dimensionCodeFromHeader(written).slice(0, 60));
    const taken = new Set(dim.values.values());
    for (let i = 2; taken.has(code); i++) code = `${code.replace(/_\d+$/, '')}_${i}`;
    return { ok: true, value: code };
  }

  private async createDimension(code: string, header: string, detail?: string): Promise<DimensionEntry> {
    this.newDimensions++;
    let unique = code;
    for (let i = 2; this.dimensions.has(unique); i++) unique = `${code}_${i}`;
    // A column's own key in its group names it (ACTIVITY.yml: "ACTIVITY: Type of economic activity").
    const given = this.options.codeNames?.(header, header);
    const r = await this.conn.query<{ id: number }>(
      `INSERT INTO dimensions (code, names, open, created_by_batch) VALUES ($1, $2, true, $3) RETURNING id`,
      [unique, JSON.stringify(given ?? { en: header }), this.batchId],
    );
    const entry: DimensionEntry = { id: r.rows[0]!.id, code: unique, open: true, values: new Map(), labels: new Map() };
    this.dimensions.set(unique, entry);
    this.nameDimension(entry, [unique, header, ...Object.values(given ?? {})]);
    this.created.push({ kind: 'dimension', code: unique, detail: detail ?? `from column "${header}"` });
    return entry;
  }

  private async createDimensionValue(
    dim: DimensionEntry,
    code: string,
    names: Record<string, string>,
    written: string,
  ): Promise<string> {
    this.newValues++;
    await this.conn.query(
      `INSERT INTO dimension_values (dimension_id, code, names, position)
       VALUES ($1, $2, $3, (SELECT count(*) FROM dimension_values WHERE dimension_id = $1))`,
      [dim.id, code, JSON.stringify(names)],
    );
    this.addValueNames(dim, code, [...Object.values(names), written]);
    this.created.push({
      kind: 'dimension value',
      code,
      detail: dim.open ? `of ${dim.code}` : `added to ${dim.code}'s code list as "${written}"`,
    });
    return code;
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
