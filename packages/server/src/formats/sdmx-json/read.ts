/**
 * SDMX-JSON data messages (1.0 and 2.x) → ReadItems.
 *
 * 1.0: { header, structure: { dimensions, attributes }, dataSets: [ … ] }
 * 2.x: { meta, data: { structures: [ { dimensions, measures, attributes } ], dataSets: [ { structure, … } ] } }
 *
 * A data set holds either a flat `observations` object keyed by the indexes of every
 * observation-level dimension ("0:3:1") or `series` keyed by the series-level dimensions, each
 * with its own `observations`. Dimension and coded attribute values are indexes into the
 * structure's `values` lists; dimensions at the data-set level have one value.
 *
 * Streaming: the file is read in one pass and one series (or one observation of a flat data
 * set) is held at a time, as long as the structure comes before the data sets (as SDMX-JSON
 * writers, Marsad's included, put it). When the data sets come first, their content is held
 * in memory until the structure has been read.
 */
import type { ObservationRecord, ReaderOptions, ReadItem } from '@marsad/core';
import { formatPath, type JsonPath, type JsonVisitor, type PathKey, walkJson } from '../common/json-walk.ts';
import { type SdmxRole, sdmxRole, statusFromObsStatus } from '../common/sdmx.ts';
import { InputFormatError } from '../common/text.ts';
import { parseNumberJson, SDMX_NO_BREAKDOWN } from '../common/values.ts';

type Obj = Record<string, unknown>;

interface Dim {
  id: string;
  role: SdmxRole;
  codes: (string | undefined)[];
}

interface Attr {
  id: string;
  role: SdmxRole;
  /** Coded attributes are given as indexes into `values`; the others inline. */
  coded: boolean;
  values: (string | undefined)[];
  fallback?: string;
}

interface Compiled {
  dataSetDims: Dim[];
  seriesDims: Dim[];
  obsDims: Dim[];
  dataSetAttrs: Attr[];
  groupAttrs: Attr[];
  seriesAttrs: Attr[];
  obsAttrs: Attr[];
  measures: number;
  primary: number;
  problems: string[];
}

interface Group {
  slots: number[];
  index: Map<string, unknown[]>;
}

interface DataSet {
  path: PathKey[];
  structure?: number;
  action?: string;
  attributes?: unknown;
  groups?: unknown;
  groupIndex?: Group[];
  /** Entries were already turned into rows, so late data-set fields can no longer apply. */
  started: boolean;
  reported: boolean;
  pending: Entry[];
}

interface Entry {
  kind: 'series' | 'observation';
  key: string;
  value: unknown;
  path: PathKey[];
}

const USED_ATTRIBUTE_ROLES: ReadonlySet<SdmxRole> = new Set([
  'unit',
  'status',
  'obsStatus',
  'unitMult',
  'note',
  'source',
]);

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export async function* readSdmxJson(
  input: AsyncIterable<Uint8Array | string>,
  options: ReaderOptions = {},
): AsyncGenerator<ReadItem> {
  const out: ReadItem[] = [];
  const structures: unknown[] = [];
  const compiled = new Map<number, Compiled>();
  const dataSets: DataSet[] = [];
  let languages: string[] = [];
  let version: 1 | 2 | undefined;
  let rootIsObject = true;

  const localised = (v: unknown): string | undefined => {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (Array.isArray(v)) {
      const parts = v.map(localised).filter((x): x is string => x !== undefined && x !== '');
      return parts.length > 0 ? parts.join('; ') : undefined;
    }
    if (isObj(v)) {
      for (const lang of [...languages, 'en']) if (typeof v[lang] === 'string') return v[lang] as string;
      const first = Object.values(v).find((x) => typeof x === 'string');
      return first as string | undefined;
    }
    return undefined;
  };
  const valueText = (v: unknown): string | undefined => {
    if (!isObj(v)) return localised(v);
    if (typeof v.id === 'string') return v.id;
    return localised(v.value) ?? localised(v.values) ?? localised(v.name) ?? localised(v.names);
  };

  const compile = (index: number): Compiled | undefined => {
    const done = compiled.get(index);
    if (done) return done;
    const s = structures[index];
    if (!isObj(s)) return undefined;
    const dimsOf = (level: unknown): Dim[] =>
      arr(level).map((d) => {
        const o = isObj(d) ? d : {};
        const id = typeof o.id === 'string' ? o.id : '';
        const roles = arr(o.roles ?? o.role).filter((r): r is string => typeof r === 'string');
        if (typeof o.role === 'string') roles.push(o.role);
        let role = sdmxRole(id, roles);
        if (!['place', 'period', 'series', 'indicator', 'unit', 'ignore'].includes(role)) role = 'dim';
        return { id, role, codes: arr(o.values).map(valueText) };
      });
    const attrsOf = (level: unknown): Attr[] =>
      arr(level).map((a) => {
        const o = isObj(a) ? a : {};
        const id = typeof o.id === 'string' ? o.id : '';
        const fallback = o.default === undefined || o.default === null ? undefined : localised(o.default);
        return {
          id,
          role: sdmxRole(id),
          coded: Array.isArray(o.values),
          values: arr(o.values).map(valueText),
          ...(fallback !== undefined ? { fallback } : {}),
        };
      });
    const dims = isObj(s.dimensions) ? s.dimensions : {};
    const attrs = isObj(s.attributes) ? s.attributes : {};
    const measures = isObj(s.measures) ? arr(s.measures.observation) : [];
    const primary = Math.max(
      0,
      measures.findIndex((m) => isObj(m) && m.id === 'OBS_VALUE'),
    );
    const c: Compiled = {
      dataSetDims: dimsOf(dims.dataSet),
      seriesDims: dimsOf(dims.series),
      obsDims: dimsOf(dims.observation),
      dataSetAttrs: attrsOf(attrs.dataSet),
      groupAttrs: attrsOf(attrs.dimensionGroup),
      seriesAttrs: attrsOf(attrs.series),
      obsAttrs: attrsOf(attrs.observation),
      measures: Math.max(1, measures.length),
      primary,
      problems: [],
    };
    const all = [...c.dataSetDims, ...c.seriesDims, ...c.obsDims];
    const has = (role: SdmxRole) => all.some((d) => d.role === role);
    if (!has('place') && !options.place?.trim())
      c.problems.push('no REF_AREA dimension: cannot tell the place (give a place for the file)');
    if (!has('indicator') && !has('series') && !options.indicator?.trim()) {
      c.problems.push('no SERIES or INDICATOR dimension: cannot tell the indicator (give an indicator for the file)');
    }
    if (!has('period')) c.problems.push('no TIME_PERIOD dimension: cannot tell the period');
    compiled.set(index, c);
    return c;
  };

  /**
   * dimensionGroupAttributes are keyed by one slot per dimension, data-set dimensions first,
   * then series, then observation ones (agri.json: "0:1:" is FREQ 0, REF_AREA 1, any period);
   * an empty slot matches any value. Groups are indexed by which slots they fix.
   */
  const groupsOf = (ds: DataSet): Group[] => {
    if (ds.groupIndex) return ds.groupIndex;
    const byPattern = new Map<string, Group>();
    if (isObj(ds.groups)) {
      for (const [key, values] of Object.entries(ds.groups)) {
        const parts = key.split(':');
        const slots: number[] = [];
        const picked: string[] = [];
        parts.forEach((p, i) => {
          if (p !== '') {
            slots.push(i);
            picked.push(p);
          }
        });
        const sig = slots.join(',');
        let g = byPattern.get(sig);
        if (!g) {
          g = { slots, index: new Map() };
          byPattern.set(sig, g);
        }
        g.index.set(picked.join(':'), arr(values));
      }
    }
    ds.groupIndex = [...byPattern.values()];
    return ds.groupIndex;
  };

  /** The text of attribute `a` given the raw entry `x`, or an error message. */
  const attrValue = (a: Attr, x: unknown): { text?: string; error?: string } => {
    if (x === null || x === undefined) return {};
    if (a.coded && typeof x === 'number') {
      if (!Number.isInteger(x) || x < 0 || x >= a.values.length) {
        return {
          error: `attribute ${a.id}: value index ${x} is out of range (the structure lists ${a.values.length} values)`,
        };
      }
      return { text: a.values[x] };
    }
    return { text: localised(x) };
  };

  const keyIndexes = (key: string, dims: Dim[], what: string): { idx?: number[]; error?: string } => {
    const parts = key === '' && dims.length === 0 ? [] : key.split(':');
    if (parts.length !== dims.length) {
      return {
        error: `${what} key "${key}" has ${parts.length} positions but the structure has ${dims.length} ${what}-level dimensions`,
      };
    }
    const idx: number[] = [];
    for (let i = 0; i < parts.length; i++) {
      const n = Number(parts[i]);
      const dim = dims[i]!;
      if (!/^\d+$/.test(parts[i]!) || n >= dim.codes.length || dim.codes[n] === undefined) {
        return {
          error: `${what} key "${key}": "${parts[i]}" is not a value index of dimension ${dim.id} (${dim.codes.length} values)`,
        };
      }
      idx.push(n);
    }
    return { idx };
  };

  const isDelete = (ds: DataSet) => typeof ds.action === 'string' && ds.action.toLowerCase() === 'delete';

  const observation = (
    ds: DataSet,
    c: Compiled,
    seriesIdx: number[],
    seriesAttrs: unknown[],
    key: string,
    raw: unknown,
    path: PathKey[],
  ): void => {
    const at = formatPath(path);
    if (isDelete(ds)) {
      out.push({ kind: 'skip', at, reason: "the data set's action is Delete: deletions are not imported" });
      return;
    }
    const k = keyIndexes(key, c.obsDims, 'observation');
    if (!k.idx) {
      out.push({ kind: 'error', at, message: k.error! });
      return;
    }
    if (!Array.isArray(raw)) {
      out.push({ kind: 'error', at, message: 'an observation must be a list: [value, attribute indexes…]' });
      return;
    }
    const v = parseNumberJson(raw[c.primary], 'OBS_VALUE');
    if (v.kind === 'blank' || (typeof raw[c.primary] === 'string' && /^nan$/i.test(String(raw[c.primary]).trim()))) {
      out.push({ kind: 'skip', at, reason: 'no value' });
      return;
    }
    const errors: ReadItem[] = [];
    if (v.kind === 'error') errors.push({ kind: 'error', at, column: 'OBS_VALUE', message: v.message });

    const record: ObservationRecord = {
      period: '',
      value: v.kind === 'number' ? v.value : null,
      dims: Object.create(null),
    };
    const full: number[] = [...c.dataSetDims.map(() => 0), ...seriesIdx, ...k.idx];
    const allDims = [...c.dataSetDims, ...c.seriesDims, ...c.obsDims];
    allDims.forEach((d, i) => {
      const code = d.codes[full[i]!];
      if (code === undefined) return;
      switch (d.role) {
        case 'place':
          record.place = code;
          break;
        case 'period':
          record.period = code;
          break;
        case 'series':
          record.series = code;
          break;
        case 'indicator':
          record.indicator = code;
          break;
        case 'unit':
          record.unit = code;
          break;
        case 'ignore':
          break;
        default:
          if (!SDMX_NO_BREAKDOWN.has(code)) record.dims[d.id] = code;
      }
    });
    if (!record.place && options.place?.trim()) record.place = options.place.trim();
    // The indicator given for the file is the indicator of the SERIES when the message has no INDICATOR (as in
    // SDMX-ML and SDMX-CSV).
    if (!record.indicator && options.indicator?.trim()) record.indicator = options.indicator.trim();

    // Attributes: observation, then series, then dimension groups, then data set, then defaults.
    const found = new Map<SdmxRole, string>();
    const take = (attrs: Attr[], values: unknown[], offset: number) => {
      attrs.forEach((a, i) => {
        if (!USED_ATTRIBUTE_ROLES.has(a.role) || found.has(a.role)) return;
        const r = attrValue(a, values[offset + i]);
        if (r.error) {
          if (a.role !== 'obsStatus') errors.push({ kind: 'error', at, column: a.id, message: r.error });
          return;
        }
        if (r.text !== undefined && r.text !== '') found.set(a.role, r.text);
      });
    };
    take(c.obsAttrs, raw, c.measures);
    take(c.seriesAttrs, seriesAttrs, 0);
    for (const g of groupsOf(ds)) {
      const values = g.index.get(g.slots.map((s) => full[s]).join(':'));
      if (values) take(c.groupAttrs, values, 0);
    }
    take(c.dataSetAttrs, arr(ds.attributes), 0);
    for (const a of [...c.obsAttrs, ...c.seriesAttrs, ...c.groupAttrs, ...c.dataSetAttrs]) {
      if (USED_ATTRIBUTE_ROLES.has(a.role) && !found.has(a.role) && a.fallback) found.set(a.role, a.fallback);
    }
    const unit = found.get('unit');
    if (unit && !record.unit) record.unit = unit;
    const status = found.get('status') ?? statusFromObsStatus(found.get('obsStatus'));
    if (status) record.status = status;
    const note = found.get('note');
    if (note) record.note = note;
    const source = found.get('source');
    if (source) record.source = source;
    // UNIT_MULT scales the value into its unit (the import does it: core/observations/units.ts); 0 is the unit itself.
    const mult = found.get('unitMult');
    if (mult && mult !== '0') record.unitMultiplier = mult;

    if (errors.length > 0) {
      out.push(...errors);
      return;
    }
    out.push({ kind: 'row', at, record });
  };

  const process = (ds: DataSet, e: Entry): void => {
    const c = compile(ds.structure ?? 0)!;
    if (c.problems.length > 0 && !isDelete(ds)) {
      if (!ds.reported) {
        ds.reported = true;
        for (const message of c.problems) out.push({ kind: 'error', at: formatPath(ds.path), message });
      }
      return;
    }
    if (e.kind === 'observation') {
      observation(ds, c, [], [], e.key, e.value, e.path);
      return;
    }
    const at = formatPath(e.path);
    const k = keyIndexes(e.key, c.seriesDims, 'series');
    if (!k.idx) {
      if (isDelete(ds))
        out.push({ kind: 'skip', at, reason: "the data set's action is Delete: deletions are not imported" });
      else out.push({ kind: 'error', at, message: k.error! });
      return;
    }
    if (!isObj(e.value)) {
      out.push({ kind: 'error', at, message: 'a series must be an object with "observations"' });
      return;
    }
    const observations = isObj(e.value.observations) ? e.value.observations : {};
    const keys = Object.keys(observations);
    if (keys.length === 0 && isDelete(ds)) {
      out.push({ kind: 'skip', at, reason: "the data set's action is Delete: deletions are not imported" });
      return;
    }
    const attrs = arr(e.value.attributes);
    for (const key of keys) observation(ds, c, k.idx, attrs, key, observations[key], [...e.path, 'observations', key]);
  };

  const ready = (ds: DataSet): boolean => structures[ds.structure ?? 0] !== undefined;

  const entry = (ds: DataSet, e: Entry): void => {
    if (ready(ds)) {
      ds.started = true;
      process(ds, e);
    } else ds.pending.push(e);
  };

  const flushPending = (): void => {
    for (const ds of dataSets) {
      if (ds.pending.length === 0 || !ready(ds)) continue;
      ds.started = true;
      for (const e of ds.pending.splice(0)) process(ds, e);
    }
  };

  const visitor: JsonVisitor = {
    begin(path: JsonPath, kind) {
      const n = path.length;
      if (n === 0) {
        if (kind !== 'object') rootIsObject = false;
        return kind === 'object' ? 'enter' : 'skip';
      }
      const head = path[0];
      if (n === 1) {
        if (head === 'data') {
          version = 2;
          return kind === 'object' ? 'enter' : 'skip';
        }
        if (head === 'meta' || head === 'errors') return 'assemble';
        if (head === 'structure') {
          version ??= 1;
          return 'assemble';
        }
        if (head === 'dataSets') {
          version ??= 1;
          return kind === 'array' ? 'enter' : 'skip';
        }
        return 'skip';
      }
      const p = head === 'data' ? 1 : 0;
      const rel = path.slice(p);
      if (head !== 'data' && (head !== 'dataSets' || version === 2)) return 'skip';
      const r0 = rel[0];
      if (rel.length === 1) {
        if (r0 === 'structures') return kind === 'array' ? 'enter' : 'skip';
        if (r0 === 'structure') return 'assemble';
        if (r0 === 'dataSets') return kind === 'array' ? 'enter' : 'skip';
        return 'skip';
      }
      if (r0 === 'structures' && rel.length === 2) return 'assemble';
      if (r0 !== 'dataSets') return 'skip';
      if (rel.length === 2) {
        if (kind !== 'object') {
          out.push({ kind: 'error', at: formatPath(path), message: 'a data set must be an object' });
          return 'skip';
        }
        dataSets.push({ path: [...path], started: false, reported: false, pending: [] });
        return 'enter';
      }
      const field = rel[2];
      if (rel.length === 3) {
        if (field === 'series' || field === 'observations') return kind === 'object' ? 'enter' : 'skip';
        if (['structure', 'action', 'attributes', 'dimensionGroupAttributes'].includes(field as string))
          return 'assemble';
        return 'skip';
      }
      if (rel.length === 4 && (field === 'series' || field === 'observations')) return 'assemble';
      return 'skip';
    },
    value(path: JsonPath, value: unknown) {
      const head = path[0];
      if (path.length === 1) {
        if (head === 'meta' && isObj(value)) {
          languages = arr(value.contentLanguages).filter((l): l is string => typeof l === 'string');
        } else if (head === 'errors') {
          for (const e of arr(value)) {
            const text = isObj(e)
              ? (localised(e.title) ?? localised(e.detail) ?? localised(e.message) ?? JSON.stringify(e))
              : String(e);
            out.push({ kind: 'error', at: 'errors', message: `the message reports an error: ${text}` });
          }
        } else if (head === 'structure') {
          structures[0] = value;
          flushPending();
        }
        return;
      }
      const p = head === 'data' ? 1 : 0;
      const rel = path.slice(p);
      if (rel[0] === 'structure' && rel.length === 1) {
        structures[0] = value;
        flushPending();
        return;
      }
      if (rel[0] === 'structures' && rel.length === 2) {
        structures[rel[1] as number] = value;
        flushPending();
        return;
      }
      if (rel[0] !== 'dataSets') return;
      const ds = dataSets[dataSets.length - 1];
      if (!ds) return;
      const field = rel[2] as string;
      if (rel.length === 3) {
        if (ds.started) {
          out.push({
            kind: 'error',
            at: formatPath(path),
            message: `the data set's "${field}" comes after its observations; Marsad reads SDMX-JSON in one pass and needs it before them`,
          });
          return;
        }
        if (field === 'structure') {
          if (typeof value === 'number' && Number.isInteger(value) && value >= 0) ds.structure = value;
          else out.push({ kind: 'error', at: formatPath(path), message: 'structure must be the index of a structure' });
        } else if (field === 'action') ds.action = typeof value === 'string' ? value : undefined;
        else if (field === 'attributes') ds.attributes = value;
        else if (field === 'dimensionGroupAttributes') ds.groups = value;
        return;
      }
      entry(ds, {
        kind: field === 'series' ? 'series' : 'observation',
        key: String(rel[3]),
        value,
        path: [...path],
      });
    },
  };

  try {
    yield* walkJson(input, visitor, () => out.splice(0));
  } catch (err) {
    if (err instanceof InputFormatError) {
      yield { kind: 'error', at: err.at, message: err.message };
      return;
    }
    throw err;
  }
  if (!rootIsObject) {
    yield { kind: 'error', at: '(top level)', message: 'an SDMX-JSON data message must be a JSON object' };
    return;
  }
  flushPending();
  for (const ds of dataSets) {
    if (ds.pending.length > 0) {
      yield {
        kind: 'error',
        at: formatPath(ds.path),
        message: `the data set refers to structure ${ds.structure ?? 0}, which the message does not have`,
      };
    }
  }
  if (dataSets.length === 0) {
    yield { kind: 'error', at: '(top level)', message: 'no dataSets: this SDMX-JSON message holds no data' };
  }
  yield* out.splice(0);
}
