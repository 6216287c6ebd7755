/**
 * SDMX-ML data messages → ReadItems, streamed element by element (saxes; no tree of the file).
 *
 * Read: SDMX-ML 2.1 `GenericData` (and `GenericTimeSeriesData`), SDMX-ML 2.1 `StructureSpecificData` (and
 * `StructureSpecificTimeSeriesData`) and SDMX-ML 3.0 structure-specific data. The flavour is told by the root
 * element and its namespace. A data set holds series (with their observations) or observations directly (flat
 * messages, dimensionAtObservation="AllDimensions"); groups (sibling groups) give attributes to the series they
 * match and come before them, as the schemas require.
 *
 * - Generic: a series' key is its `SeriesKey` values, its attributes its `Attributes` values; an observation has an
 *   `ObsDimension` (the dimension named by the header's `dimensionAtObservation`, TIME_PERIOD by default) or an
 *   `ObsKey`, an `ObsValue` and `Attributes`.
 * - Structure-specific: every component is an XML attribute of `DataSet`, `Group`, `Series` or `Obs` (without a
 *   namespace; the namespaced ones are the message's own). SDMX-ML 3.0 adds `Comp` child elements for attributes
 *   with several values or several languages: their values are joined with "; ".
 *
 * Components map onto Marsad's fields by id, as SDMX-CSV and SDMX-JSON do (common/sdmx.ts). Without the data
 * structure, a structure-specific message does not say which of a series' XML attributes are dimensions: the ones
 * Marsad does not know are breakdowns, as columns are in SDMX-CSV. In a generic message the attributes are told
 * apart, and an attribute Marsad has no use for is never a breakdown.
 *
 * Each observation is `at` "line L, series <key>, observation <dimension at observation>" (the key written the SDMX
 * way, its codes joined by dots).
 */
import type { ObservationRecord, ReaderOptions, ReadItem } from '@marsad/core';
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { isSdmxMissing, type SdmxRole, sdmxRole, statusFromObsStatus } from '../common/sdmx.ts';
import { decodeText, InputFormatError } from '../common/text.ts';
import { parseNumberCell, SDMX_NO_BREAKDOWN } from '../common/values.ts';

/** How a component was given: a dimension (generic keys), an attribute, or either (structure-specific XML attributes). */
type Kind = 'key' | 'attr' | 'any';

interface Component {
  id: string;
  value: string;
  kind: Kind;
}

interface Group {
  key: Component[];
  attrs: Component[];
}

interface DataSetState {
  structureRef?: string;
  deleting: boolean;
  dimensionAtObservation: string;
  attrs: Component[];
  groups: Group[];
}

interface SeriesState {
  line: number;
  comps: Component[];
  /** Attributes of the groups the series matches, found when its key is complete. */
  groupAttrs?: Component[];
  keyText?: string;
}

interface ObsState {
  line: number;
  comps: Component[];
  value?: string;
}

/** Roles of attributes Marsad uses; every other attribute is not a breakdown. */
const ATTRIBUTE_ROLES: ReadonlySet<SdmxRole> = new Set(['unit', 'status', 'obsStatus', 'unitMult', 'note', 'source']);
/** Ignored components that are dimensions of the usual structures (they belong in a series key). */
const IGNORED_DIMENSIONS: ReadonlySet<string> = new Set(['FREQ', 'REPORTING_TYPE']);
/** OBS_STATUS codes saying that the value is missing: an observation without OBS_VALUE is then "no data". */
const MISSING_STATUS: ReadonlySet<string> = new Set(['M', 'L', 'O', 'Q']);

const MESSAGE_NS = /^http:\/\/www\.sdmx\.org\/resources\/sdmxml\/schemas\/v(\d+)_(\d+)(?:_\d+)?\/message$/i;
const DATA_ROOTS = new Set([
  'GenericData',
  'GenericTimeSeriesData',
  'StructureSpecificData',
  'StructureSpecificTimeSeriesData',
]);
const MAX_TEXT = 10_000;

/** Whether the start of a file looks like an SDMX-ML data message (the root element's name and namespace). */
export function looksLikeSdmxMl(head: string): boolean {
  return (
    /<([A-Za-z_][\w.-]*:)?(Generic|StructureSpecific)(TimeSeries)?Data[\s>]/.test(head) &&
    /sdmx\.org\/resources\/sdmxml\/schemas\/v[23]_/i.test(head)
  );
}

/** Whether the component belongs in a series key (for naming the series in messages). */
function inKey(c: Component): boolean {
  if (c.kind === 'key') return true;
  if (c.kind === 'attr') return false;
  const role = sdmxRole(c.id);
  if (role === 'ignore') return IGNORED_DIMENSIONS.has(c.id);
  return !ATTRIBUTE_ROLES.has(role) && role !== 'value' && role !== 'period';
}

export async function* readSdmxMl(
  input: AsyncIterable<Uint8Array | string>,
  options: ReaderOptions = {},
): AsyncGenerator<ReadItem> {
  const out: ReadItem[] = [];
  const parser = new SaxesParser({ xmlns: true, position: true });

  let generic = false;
  let rootSeen = false;
  let stopped = false;
  /** Element local names from the root down. */
  const stack: string[] = [];
  /** header: structureID → dimensionAtObservation */
  const dimAtObs = new Map<string, string>();
  let dataSet: DataSetState | undefined;
  let dataSets = 0;
  let group: Group | undefined;
  let series: SeriesState | undefined;
  let obs: ObsState | undefined;
  /** generic: where Value elements go (SeriesKey, GroupKey, ObsKey → key; Attributes → attr). */
  let valueTarget: { comps: Component[]; kind: Kind } | undefined;
  /** 3.0 Comp: its id, values and the text being read. */
  let comp: { id: string; values: string[]; texts: { lang?: string; text: string }[]; text: string } | undefined;
  let textLang: string | undefined;
  let collecting = false;
  let errorText: string | undefined;
  let observations = 0;
  /** Whether anything but white space was read. */
  let written = false;
  const breakdowns = new Set<string>();
  const unused = new Set<string>();

  const stop = (at: number | string, message: string): void => {
    if (!stopped) out.push({ kind: 'error', at, message });
    stopped = true;
  };

  const plainAttributes = (tag: SaxesTagNS, kind: Kind): Component[] => {
    const comps: Component[] = [];
    for (const a of Object.values(tag.attributes)) {
      if (a.uri !== '' || a.prefix !== '') continue;
      comps.push({ id: a.local, value: a.value, kind });
    }
    return comps;
  };
  const attr = (tag: SaxesTagNS, local: string): string | undefined => {
    for (const a of Object.values(tag.attributes)) if (a.local === local) return a.value;
    return undefined;
  };

  const keyText = (comps: readonly Component[]): string =>
    comps
      .filter(inKey)
      .map((c) => c.value)
      .join('.');

  const groupAttrsOf = (comps: readonly Component[]): Component[] => {
    if (!dataSet || dataSet.groups.length === 0) return [];
    const found: Component[] = [];
    for (const g of dataSet.groups) {
      const matches = g.key.every((k) => comps.some((c) => c.id === k.id && c.value === k.value));
      if (matches) found.push(...g.attrs);
    }
    return found;
  };

  const observation = (o: ObsState): void => {
    const ds = dataSet!;
    observations++;
    const s = series;
    if (s && s.keyText === undefined) {
      s.keyText = keyText(s.comps);
      s.groupAttrs = groupAttrsOf(s.comps);
    }
    // Every component from the data set down; the lower level wins.
    const levels: Component[][] = [ds.attrs];
    if (s) levels.push(s.groupAttrs ?? [], s.comps);
    else levels.push(groupAttrsOf(o.comps));
    levels.push(o.comps);
    const all = new Map<string, Component>();
    for (const level of levels) for (const c of level) all.set(c.id, c);

    const obsKey = o.comps.filter((c) => c.kind === 'key' || (c.kind === 'any' && sdmxRole(c.id) === 'period'));
    const obsText = obsKey.length > 0 ? obsKey.map((c) => c.value).join('.') : '?';
    const at = s
      ? `line ${o.line}, series ${s.keyText}, observation ${obsText}`
      : `line ${o.line}, observation ${o.comps
          .filter((c) => inKey(c) || sdmxRole(c.id) === 'period')
          .map((c) => c.value)
          .join('.')}`;

    if (ds.deleting) {
      out.push({ kind: 'skip', at, reason: "the data set's action is Delete: deletions are not imported" });
      return;
    }
    const record: ObservationRecord = { period: '', value: null, dims: Object.create(null) };
    const errors: ReadItem[] = [];
    let rawValue = o.value;
    let obsStatus: string | undefined;
    let status: string | undefined;
    for (const c of all.values()) {
      const value = c.value.trim();
      const role = sdmxRole(c.id);
      switch (role) {
        case 'place':
          if (value) record.place = value;
          break;
        case 'period':
          record.period = value;
          break;
        case 'series':
          if (value) record.series = value;
          break;
        case 'indicator':
          if (value) record.indicator = value;
          break;
        case 'value':
          rawValue = c.value;
          break;
        case 'unit':
          if (value) record.unit = value;
          break;
        case 'status':
          if (value) status = value;
          break;
        case 'obsStatus':
          if (value) obsStatus = value;
          break;
        case 'unitMult':
          // UNIT_MULT scales the value into its unit (the import does it: core/observations/units.ts); 0 is the unit.
          if (value && value !== '0') record.unitMultiplier = value;
          else delete record.unitMultiplier;
          break;
        case 'note':
          if (value && (!record.note || c.id === 'COMMENT_OBS')) record.note = value;
          break;
        case 'source':
          if (value && (!record.source || c.id === 'SOURCE_DETAIL')) record.source = value;
          break;
        case 'ignore':
          break;
        default:
          if (c.kind === 'attr') {
            unused.add(c.id);
            break;
          }
          breakdowns.add(c.id);
          if (value && !SDMX_NO_BREAKDOWN.has(value)) record.dims[c.id] = value;
      }
    }
    if (rawValue === undefined) {
      if (obsStatus && MISSING_STATUS.has(obsStatus.toUpperCase())) {
        out.push({ kind: 'skip', at, reason: `no value (OBS_STATUS ${obsStatus})` });
        return;
      }
      errors.push({
        kind: 'error',
        at,
        column: 'OBS_VALUE',
        message: generic
          ? 'the observation has no ObsValue'
          : 'the observation has no OBS_VALUE (write OBS_VALUE="NaN" when there is no value)',
      });
    } else {
      if (isSdmxMissing(rawValue)) {
        out.push({ kind: 'skip', at, reason: 'no value (OBS_VALUE NaN)' });
        return;
      }
      const v = parseNumberCell(rawValue, 'OBS_VALUE');
      if (v.kind === 'blank') {
        out.push({ kind: 'skip', at, reason: 'no value' });
        return;
      }
      if (v.kind === 'error')
        errors.push({ kind: 'error', at, column: 'OBS_VALUE', message: v.message, code: v.code, params: v.params });
      else record.value = v.value;
    }
    if (!record.period)
      errors.push({
        kind: 'error',
        at,
        column: 'TIME_PERIOD',
        message: all.has('TIME_PERIOD') ? 'TIME_PERIOD is blank' : 'the observation has no TIME_PERIOD',
      });
    if (!record.place) {
      const fallback = options.place?.trim();
      if (fallback) record.place = fallback;
      else
        errors.push({
          kind: 'error',
          at,
          column: 'REF_AREA',
          message: all.has('REF_AREA')
            ? 'REF_AREA is blank and no place was given for the file'
            : 'the observation has no REF_AREA and no place was given for the file: cannot tell the place',
        });
    }
    if (!record.indicator) {
      // The indicator given for the file is the indicator of a SERIES Marsad may not know (the global SDG structure
      // has no INDICATOR dimension): the series is then found or created under it.
      const fallback = options.indicator?.trim();
      if (fallback) record.indicator = fallback;
      else if (!record.series)
        errors.push({
          kind: 'error',
          at,
          column: 'SERIES',
          message: 'the observation has neither SERIES nor INDICATOR and no indicator was given for the file',
        });
    }
    const st = status ?? statusFromObsStatus(obsStatus);
    if (st) record.status = st;
    if (errors.length > 0) {
      out.push(...errors);
      return;
    }
    out.push({ kind: 'row', at, record });
  };

  parser.on('xmldecl', (decl) => {
    const encoding = decl.encoding?.trim().toLowerCase();
    if (encoding && encoding !== 'utf-8' && encoding !== 'utf8' && encoding !== 'us-ascii')
      stop(1, `the file declares the encoding ${decl.encoding}: Marsad reads SDMX-ML in UTF-8; save it again as UTF-8`);
  });
  parser.on('doctype', () => {
    stop(parser.line, 'the file has a DOCTYPE declaration: SDMX-ML messages have none, and Marsad does not read one');
  });

  parser.on('opentag', (tag) => {
    if (stopped) return;
    const local = tag.local;
    const depth = stack.length;
    stack.push(local);
    if (depth === 0) {
      rootSeen = true;
      const ns = MESSAGE_NS.exec(tag.uri);
      if (local === 'Error' && ns) {
        errorText = '';
        collecting = true;
        return;
      }
      if (ns && (Number(ns[1]) < 2 || (Number(ns[1]) === 2 && Number(ns[2]) < 1))) {
        stop(
          parser.line,
          `this is an SDMX-ML ${ns[1]}.${ns[2]} ${local} message: Marsad reads SDMX-ML 2.1 and 3.0 data messages (and SDMX-CSV, SDMX-JSON)`,
        );
        return;
      }
      if (!ns || !DATA_ROOTS.has(local)) {
        const what = ns
          ? `an SDMX-ML ${local} message`
          : `an XML document whose root element is ${tag.name}${tag.uri ? ` (namespace ${tag.uri})` : ''}`;
        stop(
          parser.line,
          `this is ${what}, not an SDMX-ML data message: Marsad reads GenericData and StructureSpecificData messages of SDMX-ML 2.1 and 3.0`,
        );
        return;
      }
      generic = local.startsWith('Generic');
      return;
    }
    if (collecting && errorText !== undefined) return;
    const parent = stack[depth - 1];
    if (depth === 2 && parent === 'Header' && local === 'Structure') {
      const id = attr(tag, 'structureID');
      const dim = attr(tag, 'dimensionAtObservation');
      if (id !== undefined && dim) dimAtObs.set(id, dim);
      return;
    }
    if (depth === 1) {
      if (local !== 'DataSet') return;
      dataSets++;
      const structureRef = attr(tag, 'structureRef');
      const action = attr(tag, 'action');
      const dim =
        (structureRef !== undefined ? dimAtObs.get(structureRef) : undefined) ??
        (dimAtObs.size === 1 ? [...dimAtObs.values()][0] : undefined) ??
        'TIME_PERIOD';
      dataSet = {
        structureRef,
        deleting: action?.toLowerCase() === 'delete',
        dimensionAtObservation: dim,
        attrs: generic ? [] : plainAttributes(tag, 'attr'),
        groups: [],
      };
      return;
    }
    if (!dataSet) return;
    const where = stack.slice(1, -1);
    if (where[0] !== 'DataSet') return;
    const inner = where.length; // 1: a child of DataSet, 2: of a Series / Obs / Group …
    if (generic) {
      if (inner === 1) {
        if (local === 'Series') series = { line: parser.line, comps: [] };
        else if (local === 'Obs') obs = { line: parser.line, comps: [] };
        else if (local === 'Group') group = { key: [], attrs: [] };
        else if (local === 'Attributes') valueTarget = { comps: dataSet.attrs, kind: 'attr' };
        return;
      }
      const container = where[where.length - 1];
      if (local === 'Value') {
        if (!valueTarget) return;
        const id = attr(tag, 'id');
        const value = attr(tag, 'value');
        if (id === undefined || id === '') {
          stop(
            parser.line,
            `a generic:Value in ${container} has no id: each value must name its component (id="…" value="…")`,
          );
          return;
        }
        if (valueTarget.comps.some((c) => c.id === id)) {
          stop(parser.line, `${id} is given twice in the same ${container}`);
          return;
        }
        valueTarget.comps.push({ id, value: value ?? '', kind: valueTarget.kind });
        return;
      }
      if (series && !obs && container === 'Series') {
        if (local === 'SeriesKey') valueTarget = { comps: series.comps, kind: 'key' };
        else if (local === 'Attributes') valueTarget = { comps: series.comps, kind: 'attr' };
        else if (local === 'Obs') obs = { line: parser.line, comps: [] };
        return;
      }
      if (group && container === 'Group') {
        if (local === 'GroupKey') valueTarget = { comps: group.key, kind: 'key' };
        else if (local === 'Attributes') valueTarget = { comps: group.attrs, kind: 'attr' };
        return;
      }
      if (obs && container === 'Obs') {
        if (local === 'ObsKey') valueTarget = { comps: obs.comps, kind: 'key' };
        else if (local === 'Attributes') valueTarget = { comps: obs.comps, kind: 'attr' };
        else if (local === 'ObsDimension') {
          const id = attr(tag, 'id') || dataSet.dimensionAtObservation;
          obs.comps.push({ id, value: attr(tag, 'value') ?? '', kind: 'key' });
        } else if (local === 'ObsValue') obs.value = attr(tag, 'value') ?? '';
      }
      return;
    }
    // Structure-specific.
    if (inner === 1) {
      if (local === 'Series') series = { line: parser.line, comps: plainAttributes(tag, 'any') };
      else if (local === 'Obs') obs = { line: parser.line, comps: plainAttributes(tag, 'any') };
      else if (local === 'Group') {
        const comps = plainAttributes(tag, 'any');
        const g: Group = { key: [], attrs: [] };
        for (const c of comps) {
          const role = sdmxRole(c.id);
          if (ATTRIBUTE_ROLES.has(role) || (role === 'ignore' && !IGNORED_DIMENSIONS.has(c.id))) g.attrs.push(c);
          else g.key.push(c);
        }
        dataSet.groups.push(g);
      } else if (local === 'Comp') comp = { id: attr(tag, 'id') ?? '', values: [], texts: [], text: '' };
      return;
    }
    const container = where[where.length - 1];
    if (container === 'Series' && local === 'Obs' && series) {
      obs = { line: parser.line, comps: plainAttributes(tag, 'any') };
      return;
    }
    if (local === 'Comp' && (container === 'Series' || container === 'Obs')) {
      comp = { id: attr(tag, 'id') ?? '', values: [], texts: [], text: '' };
      return;
    }
    if (comp && local === 'Value') {
      comp.text = '';
      comp.texts = [];
      collecting = true;
      return;
    }
    if (comp && local === 'Text') {
      textLang = attr(tag, 'lang');
      comp.text = '';
      collecting = true;
    }
  });

  parser.on('text', (text) => {
    if (!collecting || stopped) return;
    if (errorText !== undefined) {
      if (errorText.length < MAX_TEXT) errorText += text;
      return;
    }
    if (comp && comp.text.length < MAX_TEXT) comp.text += text;
  });

  parser.on('closetag', (tag) => {
    if (stopped) return;
    stack.pop();
    const local = tag.local;
    const depth = stack.length;
    if (errorText !== undefined) return;
    if (!dataSet) return;
    if (depth === 1 && local === 'DataSet') {
      dataSet = undefined;
      return;
    }
    if (generic) {
      if (local === 'SeriesKey' || local === 'GroupKey' || local === 'ObsKey' || local === 'Attributes') {
        valueTarget = undefined;
        return;
      }
      if (local === 'Obs' && obs) {
        observation(obs);
        obs = undefined;
        return;
      }
      if (local === 'Series' && series) {
        series = undefined;
        return;
      }
      if (local === 'Group' && group) {
        dataSet.groups.push(group);
        group = undefined;
      }
      return;
    }
    if (comp) {
      if (local === 'Text') {
        comp.texts.push({ lang: textLang, text: comp.text.trim() });
        textLang = undefined;
        return;
      }
      if (local === 'Value') {
        collecting = false;
        const text =
          comp.texts.length > 0
            ? (comp.texts.find((t) => !t.lang || t.lang === 'en') ?? comp.texts[0]!).text
            : comp.text.trim();
        comp.values.push(text);
        comp.texts = [];
        comp.text = '';
        return;
      }
      if (local === 'Comp') {
        const target = obs ? obs.comps : series ? series.comps : dataSet.attrs;
        const id = comp.id;
        if (sdmxRole(id) === 'value' && comp.values.length > 1) {
          stop(parser.line, `${id} has ${comp.values.length} values: Marsad stores one value per observation`);
          return;
        }
        const existing = target.findIndex((c) => c.id === id);
        if (existing !== -1) target.splice(existing, 1);
        target.push({ id, value: comp.values.filter((v) => v !== '').join('; '), kind: 'attr' });
        comp = undefined;
      }
      return;
    }
    if (local === 'Obs' && obs) {
      observation(obs);
      obs = undefined;
      return;
    }
    if (local === 'Series' && series) series = undefined;
  });

  const describe = (err: Error): string => {
    // saxes: "<fileName>:<line>:<column>: <message>"
    return err.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '');
  };
  parser.on('error', (err) => {
    if (stopped) return;
    const message = describe(err);
    if (!written) {
      stop(1, 'the file is empty: an SDMX-ML data message was expected');
      return;
    }
    stop(
      parser.line,
      rootSeen ? `the file is not well-formed XML: ${message}` : `the file is not an SDMX-ML (XML) message: ${message}`,
    );
  });

  try {
    for await (const chunk of decodeText(input)) {
      if (stopped) break;
      if (!written && chunk.trim() !== '') written = true;
      parser.write(chunk);
      if (out.length > 0) yield* out.splice(0);
    }
    if (!stopped) parser.close();
  } catch (err) {
    if (err instanceof InputFormatError) {
      yield* out.splice(0);
      yield { kind: 'error', at: err.at, message: err.message };
      return;
    }
    throw err;
  }
  yield* out.splice(0);
  if (stopped) return;
  if (!rootSeen) {
    yield { kind: 'error', at: 1, message: 'the file is empty: an SDMX-ML data message was expected' };
    return;
  }
  if (errorText !== undefined) {
    const text = errorText.replace(/\s+/g, ' ').trim();
    yield { kind: 'error', at: 1, message: `the file is an SDMX error message: ${text || '(no text)'}` };
    return;
  }
  if (dataSets === 0) {
    yield { kind: 'error', at: parser.line, message: 'the message has no DataSet: it holds no data' };
    return;
  }
  if (breakdowns.size > 0)
    yield { kind: 'notice', message: `dimensions read as breakdowns: ${[...breakdowns].sort().join(', ')}` };
  if (unused.size > 0) yield { kind: 'notice', message: `attributes not used: ${[...unused].sort().join(', ')}` };
  if (observations === 0) yield { kind: 'notice', message: 'the message has no observations' };
}
