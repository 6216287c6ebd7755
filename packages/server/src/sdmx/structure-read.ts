/**
 * An SDMX-ML 2.1 structure message (`mes:Structure`) → its code lists, concepts and data structures, read element by
 * element with saxes (no tree of the file). Names keep every language the message gives (`com:Name xml:lang=…`).
 * Anything that is not such a message is a StructureFormatError naming what is wrong (not XML, a data message, another
 * root, a component without an id…), which the API answers with 400 and the CLI prints.
 */
import { SaxesParser, type SaxesTagNS } from 'saxes';

type Names = Record<string, string>;

export interface SdmxRef {
  agency: string;
  id: string;
  version: string;
}

export interface ReadCode {
  id: string;
  names: Names;
  parent: string | null;
}

export interface ReadCodelist extends SdmxRef {
  names: Names;
  codes: ReadCode[];
}

export interface ReadComponent {
  id: string;
  kind: 'dimension' | 'time' | 'attribute' | 'measure';
  position: number;
  concept: string | null;
  codelist: SdmxRef | null;
  mandatory: boolean;
  attachment: 'observation' | 'series' | 'group' | 'dataset' | null;
  attachmentDimensions: string[];
}

export interface ReadStructure extends SdmxRef {
  names: Names;
  final: boolean;
  components: ReadComponent[];
}

export interface StructureMessage {
  codelists: ReadCodelist[];
  /** Concept names by concept id (the last scheme wins). */
  concepts: Map<string, { names: Names; codelist: SdmxRef | null }>;
  structures: ReadStructure[];
}

export class StructureFormatError extends Error {}

/** Limits on one message: more codes than this is not a structure message Marsad should hold. */
export const STRUCTURE_LIMITS = {
  maxCodes: 200_000,
  maxCodelists: 2_000,
  maxStructures: 200,
  maxNameChars: 64_000_000,
};
const MAX_NAME = 2_000;

const STRUCTURE_NS = /^http:\/\/www\.sdmx\.org\/resources\/sdmxml\/schemas\/v2_1\/message$/i;
const ANY_SDMX_NS = /sdmx\.org\/resources\/sdmxml\/schemas\/v(\d+)_(\d+)/i;
const DATA_ROOTS = /^(Generic|StructureSpecific)(TimeSeries)?Data$/;
const XML_LANG = 'http://www.w3.org/XML/1998/namespace';

function attr(tag: SaxesTagNS, name: string): string | undefined {
  for (const a of Object.values(tag.attributes)) if (a.local === name && a.uri === '') return a.value;
  return undefined;
}

function refOf(tag: SaxesTagNS): SdmxRef | null {
  const id = attr(tag, 'id');
  if (!id) return null;
  return { agency: attr(tag, 'agencyID') ?? '', id, version: attr(tag, 'version') ?? '1.0' };
}

export function refText(r: SdmxRef): string {
  return `${r.agency}:${r.id}(${r.version})`;
}

/** Reads a structure message from a stream of bytes or text. */
export async function readStructureMessage(input: AsyncIterable<Uint8Array | string>): Promise<StructureMessage> {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const msg: StructureMessage = { codelists: [], concepts: new Map(), structures: [] };
  const stack: string[] = [];
  let codes = 0;
  let nameChars = 0;
  let rootSeen = false;
  let codelist: ReadCodelist | undefined;
  let code: ReadCode | undefined;
  let concept: { id: string; names: Names; codelist: SdmxRef | null } | undefined;
  let structure: ReadStructure | undefined;
  let component: ReadComponent | undefined;
  /** Where the text of a com:Name goes, and its language. */
  let nameTarget: { names: Names; lang: string; text: string } | undefined;
  let failure: StructureFormatError | undefined;

  const fail = (message: string): never => {
    throw new StructureFormatError(`line ${parser.line}: ${message}`);
  };

  parser.on('error', (err) => {
    failure ??= new StructureFormatError(`not well-formed XML: ${err.message}`);
  });
  parser.on('opentag', (tag) => {
    const local = tag.local;
    const parent = stack.at(-1);
    stack.push(local);
    if (!rootSeen) {
      rootSeen = true;
      if (DATA_ROOTS.test(local) && ANY_SDMX_NS.test(tag.uri))
        fail(
          `this is an SDMX-ML data message (${local}), not a structure message: import data with \`marsad import\` or POST /api/v1/imports`,
        );
      if (local !== 'Structure' || !ANY_SDMX_NS.test(tag.uri))
        fail(
          `the root element is ${tag.name}${tag.uri ? ` (${tag.uri})` : ''}, not an SDMX-ML structure message (mes:Structure)`,
        );
      if (!STRUCTURE_NS.test(tag.uri)) {
        const m = ANY_SDMX_NS.exec(tag.uri);
        fail(`this is an SDMX-ML ${m?.[1]}.${m?.[2]} structure message; Marsad reads SDMX-ML 2.1 structure messages`);
      }
      return;
    }
    switch (local) {
      case 'Codelist': {
        const r = refOf(tag);
        if (!r) fail('a Codelist without an id');
        if (msg.codelists.length >= STRUCTURE_LIMITS.maxCodelists)
          fail(`more than ${STRUCTURE_LIMITS.maxCodelists} code lists`);
        codelist = { ...(r as SdmxRef), names: {}, codes: [] };
        return;
      }
      case 'Code': {
        if (!codelist || parent !== 'Codelist') return;
        const id = attr(tag, 'id');
        if (!id) fail(`a Code without an id in ${refText(codelist)}`);
        if (++codes > STRUCTURE_LIMITS.maxCodes) fail(`more than ${STRUCTURE_LIMITS.maxCodes} codes`);
        code = { id: id as string, names: {}, parent: null };
        return;
      }
      case 'Concept': {
        if (parent !== 'ConceptScheme') return;
        const id = attr(tag, 'id');
        if (!id) fail('a Concept without an id');
        concept = { id: id as string, names: {}, codelist: null };
        return;
      }
      case 'DataStructure': {
        if (parent !== 'DataStructures') return;
        const r = refOf(tag);
        if (!r) fail('a DataStructure without an id');
        if (msg.structures.length >= STRUCTURE_LIMITS.maxStructures)
          fail(`more than ${STRUCTURE_LIMITS.maxStructures} data structures`);
        structure = { ...(r as SdmxRef), names: {}, final: attr(tag, 'isFinal') === 'true', components: [] };
        return;
      }
      case 'Dimension':
      case 'TimeDimension':
      case 'Attribute':
      case 'PrimaryMeasure': {
        if (!structure) return;
        if (parent === 'AttributeRelationship') {
          if (component) component.attachment = local === 'PrimaryMeasure' ? 'observation' : component.attachment;
          return;
        }
        if (!['DimensionList', 'AttributeList', 'MeasureList'].includes(parent ?? '')) return;
        const id = attr(tag, 'id');
        if (!id) fail(`a ${local} without an id in ${refText(structure)}`);
        const kind =
          local === 'Dimension'
            ? 'dimension'
            : local === 'TimeDimension'
              ? 'time'
              : local === 'Attribute'
                ? 'attribute'
                : 'measure';
        const pos = Number(attr(tag, 'position'));
        component = {
          id: id as string,
          kind,
          position: Number.isInteger(pos) && pos > 0 ? pos : structure.components.length + 1,
          concept: null,
          codelist: null,
          mandatory: attr(tag, 'assignmentStatus') === 'Mandatory',
          attachment: null,
          attachmentDimensions: [],
        };
        return;
      }
      case 'None':
        if (component && parent === 'AttributeRelationship') component.attachment = 'dataset';
        return;
      case 'Group':
      case 'AttachmentGroup':
        if (component && parent === 'AttributeRelationship') component.attachment = 'group';
        return;
      case 'Ref': {
        const where = stack.at(-3);
        const container = parent;
        if (code && container === 'Parent') {
          code.parent = attr(tag, 'id') ?? null;
          return;
        }
        if (component) {
          if (container === 'ConceptIdentity') component.concept = attr(tag, 'id') ?? null;
          else if (container === 'Enumeration') component.codelist = refOf(tag);
          else if (container === 'Dimension' && where === 'AttributeRelationship') {
            const d = attr(tag, 'id');
            if (d) component.attachmentDimensions.push(d);
          }
          return;
        }
        if (concept && container === 'Enumeration') concept.codelist = refOf(tag);
        return;
      }
      case 'Name': {
        if (parent === 'Code' && code) nameTarget = { names: code.names, lang: '', text: '' };
        else if (parent === 'Codelist' && codelist) nameTarget = { names: codelist.names, lang: '', text: '' };
        else if (parent === 'Concept' && concept) nameTarget = { names: concept.names, lang: '', text: '' };
        else if (parent === 'DataStructure' && structure) nameTarget = { names: structure.names, lang: '', text: '' };
        else return;
        let lang = 'en';
        for (const a of Object.values(tag.attributes)) if (a.local === 'lang' && a.uri === XML_LANG) lang = a.value;
        nameTarget.lang = lang.trim().toLowerCase() || 'en';
        return;
      }
    }
  });
  parser.on('text', (t) => {
    if (nameTarget && nameTarget.text.length < MAX_NAME * 2) nameTarget.text += t;
  });
  parser.on('cdata', (t) => {
    if (nameTarget && nameTarget.text.length < MAX_NAME * 2) nameTarget.text += t;
  });
  parser.on('closetag', (tag) => {
    const local = stack.pop();
    if (local !== tag.local) return;
    switch (local) {
      case 'Name':
        if (nameTarget && stack.at(-1) !== 'Name') {
          const text = nameTarget.text.trim().slice(0, MAX_NAME);
          nameChars += text.length;
          if (nameChars > STRUCTURE_LIMITS.maxNameChars)
            fail(`more than ${STRUCTURE_LIMITS.maxNameChars.toLocaleString('en')} characters of names`);
          if (text) nameTarget.names[nameTarget.lang] = text;
          nameTarget = undefined;
        }
        return;
      case 'Code':
        if (code && codelist && stack.at(-1) === 'Codelist') {
          codelist.codes.push(code);
          code = undefined;
        }
        return;
      case 'Codelist':
        if (codelist) msg.codelists.push(codelist);
        codelist = undefined;
        return;
      case 'Concept':
        if (concept && stack.at(-1) === 'ConceptScheme') {
          msg.concepts.set(concept.id, { names: concept.names, codelist: concept.codelist });
          concept = undefined;
        }
        return;
      case 'Dimension':
      case 'TimeDimension':
      case 'Attribute':
      case 'PrimaryMeasure':
        if (component && structure && ['DimensionList', 'AttributeList', 'MeasureList'].includes(stack.at(-1) ?? '')) {
          if (component.kind === 'attribute') {
            if (component.attachment === null)
              component.attachment = component.attachmentDimensions.length ? 'series' : 'dataset';
          }
          if (structure.components.some((c) => c.id === component?.id))
            fail(`the component ${component.id} is given twice in ${refText(structure)}`);
          structure.components.push(component);
          component = undefined;
        }
        return;
      case 'DataStructure':
        if (structure && stack.at(-1) === 'DataStructures') {
          msg.structures.push(structure);
          structure = undefined;
        }
        return;
    }
  });

  let any = false;
  for await (const chunk of input) {
    let text: string;
    try {
      text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    } catch {
      throw new StructureFormatError(`line ${parser.line}: the file is not UTF-8 text`);
    }
    if (text.includes('\u0000')) throw new StructureFormatError(`line ${parser.line}: the file holds a NUL character`);
    if (!any && text.trim()) any = true;
    parser.write(text);
    if (failure) throw failure;
  }
  if (!any) throw new StructureFormatError('the file is empty');
  parser.close();
  if (failure) throw failure;
  if (!rootSeen) throw new StructureFormatError('not XML: no root element');
  if (!msg.codelists.length && !msg.structures.length)
    throw new StructureFormatError('the structure message holds no code lists and no data structures');
  // A component without a code list of its own takes its concept's core representation.
  for (const s of msg.structures)
    for (const c of s.components)
      if (!c.codelist && c.concept) c.codelist = msg.concepts.get(c.concept)?.codelist ?? null;
  return msg;
}
