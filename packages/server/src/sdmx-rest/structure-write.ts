/**
 * Structural metadata → an SDMX-ML 2.1 structure message (`mes:Structure`): agency schemes, dataflows, code lists,
 * concept schemes, data structures and content constraints, in the order the schema gives `mes:Structures`, every
 * name in each language it has (`com:Name xml:lang`). An artefact asked for as a stub (detail=allstubs,
 * referencestubs) is written with its names and without its items or components.
 */
import { xmlAttr } from '../formats/sdmx-ml/write.ts';
import {
  type AgencyScheme,
  type Annotation,
  type Artefact,
  type ArtefactRef,
  type Codelist,
  type ConceptRef,
  type ConceptScheme,
  type ContentConstraint,
  type Dataflow,
  type DataStructure,
  type Item,
  type Names,
  namesInOrder,
  urnOf,
} from './structure-model.ts';

const NS_MESSAGE = 'http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message';
const NS_STRUCTURE = 'http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure';
const NS_COMMON = 'http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common';

export interface StructureMessage {
  artefacts: readonly { artefact: Artefact; stub: boolean }[];
  constraints?: readonly ContentConstraint[];
  /** Header ID and Prepared (default: now). */
  messageId?: string;
  prepared?: string;
}

type Attrs = readonly (readonly [string, string | undefined])[];

function attrs(pairs: Attrs): string {
  let s = '';
  for (const [name, value] of pairs) if (value !== undefined && value !== '') s += ` ${name}="${xmlAttr(value)}"`;
  return s;
}

function texts(
  element: 'com:Name' | 'com:Description' | 'com:AnnotationText',
  names: Names | undefined,
  indent: string,
) {
  let s = '';
  for (const [lang, text] of namesInOrder(names))
    s += `${indent}<${element} xml:lang="${xmlAttr(lang)}">${xmlAttr(text)}</${element}>\n`;
  return s;
}

function annotations(list: readonly Annotation[] | undefined, indent: string): string {
  if (!list?.length) return '';
  let s = `${indent}<com:Annotations>\n`;
  for (const a of list) {
    s += `${indent}  <com:Annotation${attrs([['id', a.id]])}>\n`;
    if (a.title !== undefined) s += `${indent}    <com:AnnotationTitle>${xmlAttr(a.title)}</com:AnnotationTitle>\n`;
    if (a.type !== undefined) s += `${indent}    <com:AnnotationType>${xmlAttr(a.type)}</com:AnnotationType>\n`;
    s += texts('com:AnnotationText', a.text, `${indent}    `);
    s += `${indent}  </com:Annotation>\n`;
  }
  return `${s}${indent}</com:Annotations>\n`;
}

/** The opening of a maintainable artefact, its annotations, names and descriptions. */
function openMaintainable(
  element: string,
  type: Parameters<typeof urnOf>[0],
  a: ArtefactRef & { names: Names; descriptions?: Names; final: boolean; annotations?: readonly Annotation[] },
  indent: string,
  extra: Attrs = [],
): string {
  return (
    `${indent}<${element}${attrs([
      ['id', a.id],
      ['urn', urnOf(type, a)],
      ['agencyID', a.agency],
      ['version', a.version],
      ['isExternalReference', 'false'],
      ['isFinal', a.final ? 'true' : 'false'],
      ...extra,
    ])}>\n` +
    annotations(a.annotations, `${indent}  `) +
    texts('com:Name', a.names, `${indent}  `) +
    texts('com:Description', a.descriptions, `${indent}  `)
  );
}

function items(element: string, list: readonly Item[], indent: string, withParent: boolean): string {
  let s = '';
  for (const item of list) {
    s += `${indent}<${element}${attrs([['id', item.id]])}>\n`;
    s += annotations(item.annotations, `${indent}  `);
    s += texts('com:Name', item.names, `${indent}  `);
    s += texts('com:Description', item.descriptions, `${indent}  `);
    if (withParent && item.parent !== undefined)
      s += `${indent}  <str:Parent><Ref${attrs([['id', item.parent]])}/></str:Parent>\n`;
    s += `${indent}</${element}>\n`;
  }
  return s;
}

const ref = (r: ArtefactRef, pkg: string, cls: string) =>
  `<Ref${attrs([
    ['id', r.id],
    ['version', r.version],
    ['agencyID', r.agency],
    ['package', pkg],
    ['class', cls],
  ])}/>`;

const conceptRef = (c: ConceptRef) =>
  `<Ref${attrs([
    ['id', c.id],
    ['maintainableParentID', c.scheme.id],
    ['maintainableParentVersion', c.scheme.version],
    ['agencyID', c.scheme.agency],
    ['package', 'conceptscheme'],
    ['class', 'Concept'],
  ])}/>`;

function representation(codelist: ArtefactRef | undefined, textType: string | undefined, indent: string): string {
  if (codelist)
    return `${indent}<str:LocalRepresentation><str:Enumeration>${ref(codelist, 'codelist', 'Codelist')}</str:Enumeration></str:LocalRepresentation>\n`;
  if (textType)
    return `${indent}<str:LocalRepresentation><str:TextFormat${attrs([['textType', textType]])}/></str:LocalRepresentation>\n`;
  return '';
}

function agencyScheme(a: AgencyScheme, stub: boolean): string {
  return (
    openMaintainable('str:AgencyScheme', 'agencyscheme', a, '      ') +
    (stub ? '' : items('str:Agency', a.agencies, '        ', false)) +
    '      </str:AgencyScheme>\n'
  );
}

function dataflow(d: Dataflow, stub: boolean): string {
  return (
    openMaintainable('str:Dataflow', 'dataflow', d, '      ') +
    (stub ? '' : `        <str:Structure>${ref(d.structure, 'datastructure', 'DataStructure')}</str:Structure>\n`) +
    '      </str:Dataflow>\n'
  );
}

function codelist(c: Codelist, stub: boolean): string {
  return (
    openMaintainable('str:Codelist', 'codelist', c, '      ') +
    (stub ? '' : items('str:Code', c.codes, '        ', true)) +
    '      </str:Codelist>\n'
  );
}

function conceptScheme(c: ConceptScheme, stub: boolean): string {
  return (
    openMaintainable('str:ConceptScheme', 'conceptscheme', c, '      ') +
    (stub ? '' : items('str:Concept', c.concepts, '        ', false)) +
    '      </str:ConceptScheme>\n'
  );
}

function dataStructure(d: DataStructure, stub: boolean): string {
  let s = openMaintainable('str:DataStructure', 'datastructure', d, '      ');
  if (!stub) {
    const i = '          ';
    s += '        <str:DataStructureComponents>\n';
    s += `${i}<str:DimensionList id="DimensionDescriptor">\n`;
    for (const dim of d.dimensions) {
      s += `${i}  <str:Dimension${attrs([
        ['id', dim.id],
        ['position', String(dim.position)],
      ])}>\n`;
      s += `${i}    <str:ConceptIdentity>${conceptRef(dim.concept)}</str:ConceptIdentity>\n`;
      s += representation(dim.codelist, undefined, `${i}    `);
      s += `${i}  </str:Dimension>\n`;
    }
    s += `${i}  <str:TimeDimension${attrs([
      ['id', d.time.id],
      ['position', String(d.time.position)],
    ])}>\n`;
    s += `${i}    <str:ConceptIdentity>${conceptRef(d.time.concept)}</str:ConceptIdentity>\n`;
    s += representation(undefined, 'ObservationalTimePeriod', `${i}    `);
    s += `${i}  </str:TimeDimension>\n`;
    s += `${i}</str:DimensionList>\n`;
    if (d.attributes.length) {
      s += `${i}<str:AttributeList id="AttributeDescriptor">\n`;
      for (const a of d.attributes) {
        s += `${i}  <str:Attribute${attrs([
          ['id', a.id],
          ['assignmentStatus', a.mandatory ? 'Mandatory' : 'Conditional'],
        ])}>\n`;
        s += `${i}    <str:ConceptIdentity>${conceptRef(a.concept)}</str:ConceptIdentity>\n`;
        s += representation(a.codelist, a.codelist ? undefined : 'String', `${i}    `);
        s += `${i}    <str:AttributeRelationship>\n`;
        if (a.attachment === 'observation')
          s += `${i}      <str:PrimaryMeasure><Ref${attrs([['id', d.measure.id]])}/></str:PrimaryMeasure>\n`;
        else if (a.attachment === 'series')
          for (const id of a.dimensions ?? d.dimensions.map((dim) => dim.id))
            s += `${i}      <str:Dimension><Ref${attrs([['id', id]])}/></str:Dimension>\n`;
        else s += `${i}      <str:None/>\n`;
        s += `${i}    </str:AttributeRelationship>\n`;
        s += `${i}  </str:Attribute>\n`;
      }
      s += `${i}</str:AttributeList>\n`;
    }
    s += `${i}<str:MeasureList id="MeasureDescriptor">\n`;
    s += `${i}  <str:PrimaryMeasure${attrs([['id', d.measure.id]])}>\n`;
    s += `${i}    <str:ConceptIdentity>${conceptRef(d.measure.concept)}</str:ConceptIdentity>\n`;
    s += `${i}  </str:PrimaryMeasure>\n`;
    s += `${i}</str:MeasureList>\n`;
    s += '        </str:DataStructureComponents>\n';
  }
  return `${s}      </str:DataStructure>\n`;
}

function constraint(c: ContentConstraint): string {
  let s = openMaintainable('str:ContentConstraint', 'contentconstraint', c, '      ', [['type', 'Actual']]);
  s += `        <str:ConstraintAttachment><str:Dataflow>${ref(c.dataflow, 'datastructure', 'Dataflow')}</str:Dataflow></str:ConstraintAttachment>\n`;
  s += '        <str:CubeRegion include="true">\n';
  for (const kv of c.keyValues) {
    s += `          <com:KeyValue${attrs([['id', kv.id]])}>\n`;
    for (const v of kv.values) s += `            <com:Value>${xmlAttr(v)}</com:Value>\n`;
    s += '          </com:KeyValue>\n';
  }
  if (c.timeRange)
    s +=
      '          <com:KeyValue id="TIME_PERIOD">\n' +
      '            <com:TimeRange>\n' +
      `              <com:StartPeriod isInclusive="true">${xmlAttr(c.timeRange.start)}</com:StartPeriod>\n` +
      `              <com:EndPeriod isInclusive="true">${xmlAttr(c.timeRange.end)}</com:EndPeriod>\n` +
      '            </com:TimeRange>\n' +
      '          </com:KeyValue>\n';
  s += '        </str:CubeRegion>\n';
  return `${s}      </str:ContentConstraint>\n`;
}

/** The whole message as text (structures are small next to data: a code list of every place is a few hundred kB). */
export function writeStructureMessage(m: StructureMessage): string {
  const prepared = m.prepared ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const of = <T extends Artefact['type']>(type: T) =>
    m.artefacts.filter((x) => x.artefact.type === type) as {
      artefact: Extract<Artefact, { type: T }>;
      stub: boolean;
    }[];
  const section = (element: string, body: string) =>
    body ? `    <str:${element}>\n${body}    </str:${element}>\n` : '';
  let s =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<mes:Structure xmlns:mes="${NS_MESSAGE}" xmlns:str="${NS_STRUCTURE}" xmlns:com="${NS_COMMON}">\n` +
    '  <mes:Header>\n' +
    `    <mes:ID>${xmlAttr(m.messageId ?? `MARSAD-${prepared.replace(/[^0-9]/g, '')}`)}</mes:ID>\n` +
    '    <mes:Test>false</mes:Test>\n' +
    `    <mes:Prepared>${xmlAttr(prepared)}</mes:Prepared>\n` +
    '    <mes:Sender id="MARSAD"/>\n' +
    '  </mes:Header>\n' +
    '  <mes:Structures>\n';
  s += section(
    'OrganisationSchemes',
    of('agencyscheme')
      .map((x) => agencyScheme(x.artefact, x.stub))
      .join(''),
  );
  s += section(
    'Dataflows',
    of('dataflow')
      .map((x) => dataflow(x.artefact, x.stub))
      .join(''),
  );
  s += section(
    'Codelists',
    of('codelist')
      .map((x) => codelist(x.artefact, x.stub))
      .join(''),
  );
  s += section(
    'Concepts',
    of('conceptscheme')
      .map((x) => conceptScheme(x.artefact, x.stub))
      .join(''),
  );
  s += section(
    'DataStructures',
    of('datastructure')
      .map((x) => dataStructure(x.artefact, x.stub))
      .join(''),
  );
  s += section('Constraints', (m.constraints ?? []).map(constraint).join(''));
  return `${s}  </mes:Structures>\n</mes:Structure>\n`;
}
