/**
 * The XML schema of a dataflow's SDMX-ML 3.0 structure-specific data (TIME_PERIOD at observation level), in the form
 * of the SDMX technical working group's sample `ECB_EXR_Dataflow.xsd`: in the dataflow's namespace
 * (`urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=AGENCY:ID(VERSION):ObsLevelDim:TIME_PERIOD`), a `DataSet`
 * element and the types `DataSetType`, `SeriesType` and `ObsType` restricting the abstract `dsd:` types of
 * SDMXDataStructureSpecific.xsd: the series dimensions are required XML attributes of `Series`, in the structure's
 * order; the attributes are XML attributes of the data set, series or observation they are attached to; TIME_PERIOD
 * is required on `Obs` and prohibited on `Series`; no other XML attribute is allowed. A message (write-30.ts) is then
 * checked against the SDMX schemas and this one together (`xmllint --schema` with a schema importing both
 * namespaces: test/formats/sdmx-ml-write.test.ts).
 *
 * Where ECB's schema enumerates a code list (CL_CURRENCY, CL_FREQ, …) this one does so only for a component given
 * its `codes` (Marsad's MARSAD_STATUS): other coded components are left as ids (common:IDType) or as any non-empty
 * text. Marsad's codes are not all SDMX ids (indicator codes keep their dots, 11.1.1; a series may be a label), and
 * the code lists of places and breakdowns are Marsad's data, not part of the structure written here.
 */
import { OBSERVATION_STATUSES } from '@marsad/core';
import { SDMX_DEFAULT_STRUCTURE_ID } from '../common/sdmx.ts';
import {
  OBS_ATTRIBUTES,
  obsLevelNamespace,
  PRIMARY_MEASURE,
  parseStructureId,
  SDMX_30,
  SERIES_ATTRIBUTES,
  SERIES_KEY_HEAD,
  sdmxDimensions,
  TIME_DIMENSION,
  xmlAttr,
} from './xml-common.ts';

export interface XsdComponent {
  id: string;
  /** How its values are written: any non-empty text (default), an SDMX id (common:IDType), or a number (xs:double, NaN included). */
  type?: 'text' | 'id' | 'number';
  /** The codes of its code list: the values allowed (an enumeration). */
  codes?: readonly string[];
}

export interface XsdAttribute extends XsdComponent {
  attachment: 'dataSet' | 'series' | 'observation';
  /** Mandatory: a required XML attribute (default: optional, conditional in SDMX terms). */
  required?: boolean;
}

export interface DataflowStructure30 {
  agency: string;
  id: string;
  version: string;
  /** The series key's dimensions, in order (TIME_PERIOD, the dimension at observation level, apart). */
  dimensions: readonly (string | XsdComponent)[];
  attributes: readonly XsdAttribute[];
  /** The primary measure; default OBS_VALUE, a number. */
  measure?: XsdComponent;
}

export interface DataflowXsdOptions {
  /**
   * Where SDMXCommon.xsd and SDMXDataStructureSpecific.xsd are, relative to this schema or a URL (a folder, with or
   * without its final slash); default the same folder.
   */
  sdmxSchemaLocation?: string;
}

/** The structure of Marsad's data as its SDMX-ML writers write it: the dataflow and the dimensions exported. */
export function marsadDataflowStructure(
  options: { structureId?: string; dimensions?: readonly string[] } = {},
): DataflowStructure30 {
  const ref = parseStructureId(options.structureId ?? SDMX_DEFAULT_STRUCTURE_ID);
  const ids: Partial<Record<string, XsdComponent>> = {
    OBS_STATUS: { id: 'OBS_STATUS', type: 'id' },
    CONF_STATUS: { id: 'CONF_STATUS', type: 'id' },
    MARSAD_STATUS: { id: 'MARSAD_STATUS', codes: OBSERVATION_STATUSES },
  };
  return {
    ...ref,
    dimensions: [...SERIES_KEY_HEAD, ...sdmxDimensions(options.dimensions)],
    attributes: [
      ...SERIES_ATTRIBUTES.map((id): XsdAttribute => ({ id, attachment: 'series' })),
      ...OBS_ATTRIBUTES.map(
        (id): XsdAttribute => ({
          ...(ids[id] ?? { id }),
          attachment: 'observation',
          // Every observation Marsad writes has a status.
          required: id === 'OBS_STATUS' || id === 'MARSAD_STATUS',
        }),
      ),
    ],
    measure: { id: PRIMARY_MEASURE, type: 'number' },
  };
}

/** Names this schema gives its own types: no component may take one. */
const OWN_NAMES = new Set(['DataSetType', 'SeriesType', 'ObsType']);
const NCNAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

function simpleType(c: XsdComponent): string {
  const lines = [`  <xs:simpleType name="${c.id}">`];
  if (c.codes) {
    lines.push('    <xs:restriction base="xs:string">');
    for (const code of c.codes) lines.push(`      <xs:enumeration value="${xmlAttr(code)}"/>`);
    lines.push('    </xs:restriction>');
  } else if (c.type === 'id') lines.push('    <xs:restriction base="common:IDType"/>');
  else if (c.type === 'number') lines.push('    <xs:restriction base="xs:double"/>');
  else lines.push('    <xs:restriction base="xs:string">', '      <xs:minLength value="1"/>', '    </xs:restriction>');
  lines.push('  </xs:simpleType>');
  return lines.join('\n');
}

function attribute(c: XsdComponent, use: 'required' | 'optional'): string {
  return `        <xs:attribute name="${c.id}" type="${c.id}" use="${use}"/>`;
}

/** The dataflow's schema (see the top of this file). Throws an Error for a component id that cannot be one. */
export function dataflowXsd30(structure: DataflowStructure30, options: DataflowXsdOptions = {}): string {
  const ref = { agency: structure.agency, id: structure.id, version: structure.version };
  const namespace = obsLevelNamespace(ref);
  const dims = structure.dimensions.map((d): XsdComponent => (typeof d === 'string' ? { id: d } : d));
  const measure = structure.measure ?? { id: PRIMARY_MEASURE, type: 'number' };
  const at = (where: XsdAttribute['attachment']) => structure.attributes.filter((a) => a.attachment === where);
  const components: XsdComponent[] = [...dims, { id: TIME_DIMENSION }, measure, ...structure.attributes];
  const seen = new Set<string>();
  for (const c of components) {
    if (!NCNAME.test(c.id) || OWN_NAMES.has(c.id))
      throw new Error(`${c.id} cannot be a component of an SDMX-ML structure-specific schema`);
    if (seen.has(c.id)) throw new Error(`${c.id} is given twice in the structure`);
    seen.add(c.id);
  }
  let base = options.sdmxSchemaLocation ?? '';
  if (base !== '' && !base.endsWith('/')) base += '/';
  const prohibited = '        <xs:attribute name="REPORTING_YEAR_START_DAY" type="xs:gMonthDay" use="prohibited"/>';
  const optional = (list: readonly XsdAttribute[]) =>
    list.map((a) => attribute(a, a.required ? 'required' : 'optional'));
  const title = `${ref.agency}:${ref.id}(${ref.version})`.replace(/-(?=-)/g, '- ');

  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<!-- The dataflow ${title}, SDMX-ML 3.0 structure-specific data with ${TIME_DIMENSION} at observation level, written by Marsad (formats/sdmx-ml/dataflow-xsd-30.ts). Coded components are ids or text: their code lists are not enumerated. -->`,
    `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:dsd="${SDMX_30}/data/structurespecific" xmlns:common="${SDMX_30}/common" xmlns="${xmlAttr(namespace)}" targetNamespace="${xmlAttr(namespace)}" elementFormDefault="qualified" attributeFormDefault="unqualified">`,
    `  <xs:import namespace="${SDMX_30}/common" schemaLocation="${xmlAttr(base)}SDMXCommon.xsd"/>`,
    `  <xs:import namespace="${SDMX_30}/data/structurespecific" schemaLocation="${xmlAttr(base)}SDMXDataStructureSpecific.xsd"/>`,
    ...dims.map(simpleType),
    `  <xs:simpleType name="${TIME_DIMENSION}">`,
    '    <xs:restriction base="common:ObservationalTimePeriodType"/>',
    '  </xs:simpleType>',
    simpleType(measure),
    ...structure.attributes.map(simpleType),
    '  <xs:element name="DataSet" type="DataSetType"/>',
    '  <xs:complexType name="DataSetType">',
    '    <xs:complexContent>',
    '      <xs:restriction base="dsd:DataSetType">',
    '        <xs:sequence>',
    '          <xs:element ref="common:Annotations" minOccurs="0"/>',
    '          <xs:element name="DataProvider" type="common:DataProviderReferenceType" form="unqualified" minOccurs="0"/>',
    '          <xs:choice minOccurs="0" maxOccurs="unbounded">',
    '            <xs:element name="Series" type="SeriesType" form="unqualified"/>',
    '          </xs:choice>',
    '        </xs:sequence>',
    ...optional(at('dataSet')),
    prohibited,
    '      </xs:restriction>',
    '    </xs:complexContent>',
    '  </xs:complexType>',
    '  <xs:complexType name="SeriesType">',
    '    <xs:complexContent>',
    '      <xs:restriction base="dsd:SeriesType">',
    '        <xs:sequence>',
    '          <xs:element ref="common:Annotations" minOccurs="0"/>',
    '          <xs:element name="Obs" type="ObsType" form="unqualified" minOccurs="0" maxOccurs="unbounded"/>',
    '        </xs:sequence>',
    ...dims.map((d) => attribute(d, 'required')),
    ...optional(at('series')),
    `        <xs:attribute name="${TIME_DIMENSION}" type="common:ObservationalTimePeriodType" use="prohibited"/>`,
    prohibited,
    '      </xs:restriction>',
    '    </xs:complexContent>',
    '  </xs:complexType>',
    '  <xs:complexType name="ObsType">',
    '    <xs:complexContent>',
    '      <xs:restriction base="dsd:ObsType">',
    '        <xs:sequence>',
    '          <xs:element ref="common:Annotations" minOccurs="0"/>',
    '        </xs:sequence>',
    '        <xs:attribute name="type" type="common:IDType" use="prohibited"/>',
    attribute({ id: TIME_DIMENSION }, 'required'),
    attribute(measure, 'optional'),
    ...optional(at('observation')),
    prohibited,
    '      </xs:restriction>',
    '    </xs:complexContent>',
    '  </xs:complexType>',
    '</xs:schema>',
    '',
  ].join('\n');
}
