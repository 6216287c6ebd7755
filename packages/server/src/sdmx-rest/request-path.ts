/**
 * The path of a request to the SDMX web service, read into what it asks for, in the two syntaxes served under
 * /sdmx/ (pure: no I/O):
 *
 * SDMX REST 2.x (SDMX 3.0), under /sdmx/v2/:
 *   data/{context}/{agencyID}/{resourceID}/{version}/{key}
 *   structure/{structureType}/{agencyID}/{resourceID}/{version}/{itemID}
 *   availability/{context}/{agencyID}/{resourceID}/{version}/{key}/{componentID}
 * SDMX REST 1.5 (SDMX 2.1; what rsdmx and sdmx1 send), under /sdmx/:
 *   data/{flowRef}/{key}/{providerRef}
 *   availableconstraint/{flowRef}/{key}/{providerRef}/{componentID}
 *   {dataflow|datastructure|codelist|conceptscheme|agencyscheme|organisationscheme|structure}/{agencyID}/{resourceID}/{version}/{itemID}
 * Segments left out at the end take their defaults (any agency, any id, the latest version, every key). /sdmx/ itself
 * lists the dataflows.
 */
import { noResults } from './error-message.ts';
import { type ArtefactQuery, artefactQuery15, artefactQueryV2, parseFlowRef, QuerySyntaxError } from './key-syntax.ts';
import type { ArtefactType } from './structure-model.ts';

export type ApiVersion = '1.5' | '2';

export type SdmxRequest =
  | { kind: 'data'; api: ApiVersion; context: 'dataflow' | 'datastructure'; flows: ArtefactQuery; key: string }
  | {
      kind: 'availability';
      api: ApiVersion;
      context: 'dataflow' | 'datastructure';
      flows: ArtefactQuery;
      key: string;
      component: string | null;
    }
  | { kind: 'structure'; api: ApiVersion; types: ArtefactType[]; artefacts: ArtefactQuery; items: string[] | null }
  | { kind: 'not-implemented'; what: string };

/** The structure types served, and what each path name stands for. */
const SERVED: Record<string, ArtefactType[]> = {
  dataflow: ['dataflow'],
  datastructure: ['datastructure'],
  codelist: ['codelist'],
  conceptscheme: ['conceptscheme'],
  agencyscheme: ['agencyscheme'],
  organisationscheme: ['agencyscheme'],
};
const ALL_TYPES: ArtefactType[] = ['agencyscheme', 'dataflow', 'datastructure', 'conceptscheme', 'codelist'];

/** Structure types of the SDMX REST APIs that Marsad has none of. */
const NOT_SERVED = new Set([
  'metadatastructure',
  'metadataflow',
  'provisionagreement',
  'structureset',
  'process',
  'categorisation',
  'contentconstraint',
  'dataconstraint',
  'metadataconstraint',
  'actualconstraint',
  'allowedconstraint',
  'attachmentconstraint',
  'categoryscheme',
  'hierarchicalcodelist',
  'hierarchy',
  'hierarchyassociation',
  'dataproviderscheme',
  'dataconsumerscheme',
  'organisationunitscheme',
  'metadataproviderscheme',
  'reportingtaxonomy',
  'transformationscheme',
  'rulesetscheme',
  'userdefinedoperatorscheme',
  'customtypescheme',
  'namepersonalisationscheme',
  'vtlmappingscheme',
  'valuelist',
  'structuremap',
  'representationmap',
  'conceptschememap',
  'categoryschememap',
  'organisationschememap',
  'reportingtaxonomymap',
  'metadataprovisionagreement',
]);

const RESOURCES_15 =
  'data, availableconstraint, dataflow, datastructure, codelist, conceptscheme, agencyscheme, organisationscheme, structure';

function tooMany(segments: readonly string[], max: number, form: string): void {
  if (segments.length > max)
    throw new QuerySyntaxError(`the path has ${segments.length - max} segment(s) too many for ${form}`);
}

function context(text: string | undefined): 'dataflow' | 'datastructure' | null {
  const t = (text ?? '*').trim();
  if (t === '*' || t === 'dataflow') return 'dataflow';
  if (t === 'datastructure') return 'datastructure';
  if (t === 'provisionagreement') return null;
  throw new QuerySyntaxError(`context: "${t}" is not datastructure, dataflow, provisionagreement or *`);
}

function items(text: string | undefined, separator: RegExp): string[] | null {
  const t = (text ?? '').trim();
  if (t === '' || t === '*' || /^all$/i.test(t)) return null;
  return t.split(separator).filter(Boolean);
}

/** The request a path (the segments after /sdmx/, decoded) makes. */
export function parseSdmxPath(segments: readonly string[]): SdmxRequest {
  const [first, ...rest] = segments;
  if (first === 'v2') {
    const [resource, ...args] = rest;
    switch (resource) {
      case 'data': {
        tooMany(args, 5, 'data/{context}/{agencyID}/{resourceID}/{version}/{key}');
        const ctx = context(args[0]);
        if (ctx === null) return { kind: 'not-implemented', what: 'Marsad has no provision agreements' };
        return {
          kind: 'data',
          api: '2',
          context: ctx,
          flows: artefactQueryV2(args[1], args[2], args[3] ?? '*'),
          key: args[4] ?? '*',
        };
      }
      case 'availability': {
        tooMany(args, 6, 'availability/{context}/{agencyID}/{resourceID}/{version}/{key}/{componentID}');
        const ctx = context(args[0]);
        if (ctx === null) return { kind: 'not-implemented', what: 'Marsad has no provision agreements' };
        const component = (args[5] ?? '*').trim();
        return {
          kind: 'availability',
          api: '2',
          context: ctx,
          flows: artefactQueryV2(args[1], args[2], args[3] ?? '*'),
          key: args[4] ?? '*',
          component: component === '*' || component === '' ? null : component,
        };
      }
      case 'structure': {
        tooMany(args, 5, 'structure/{structureType}/{agencyID}/{resourceID}/{version}/{itemID}');
        const type = (args[0] ?? '*').trim();
        const types = type === '*' ? ALL_TYPES : SERVED[type];
        if (!types) {
          if (NOT_SERVED.has(type))
            return { kind: 'not-implemented', what: `Marsad has no structures of type ${type}` };
          throw new QuerySyntaxError(`structureType: "${type}" is not an SDMX structure type`);
        }
        return {
          kind: 'structure',
          api: '2',
          types,
          artefacts: artefactQueryV2(args[1], args[2], args[3] ?? '~'),
          items: items(args[4], /,/),
        };
      }
      case 'schema':
      case 'metadata':
      case 'registration':
        return { kind: 'not-implemented', what: `the ${resource} queries of SDMX REST 2 are not served` };
      default:
        throw new QuerySyntaxError(
          `"${resource ?? ''}" is not a resource of SDMX REST 2 served here: /sdmx/v2/data, /sdmx/v2/structure, /sdmx/v2/availability`,
        );
    }
  }
  const args = rest;
  switch (first) {
    case 'data': {
      tooMany(args, 3, 'data/{flowRef}/{key}/{providerRef}');
      if (args[0] === undefined || args[0].trim() === '')
        throw new QuerySyntaxError('data: name the dataflow, e.g. /sdmx/data/MARSAD,DF_MARSAD,1.0/all');
      providerRef(args[2]);
      return { kind: 'data', api: '1.5', context: 'dataflow', flows: parseFlowRef(args[0]), key: args[1] ?? 'all' };
    }
    case 'availableconstraint': {
      tooMany(args, 4, 'availableconstraint/{flowRef}/{key}/{providerRef}/{componentID}');
      if (args[0] === undefined || args[0].trim() === '')
        throw new QuerySyntaxError(
          'availableconstraint: name the dataflow, e.g. /sdmx/availableconstraint/DF_MARSAD/all',
        );
      providerRef(args[2]);
      const component = (args[3] ?? 'all').trim();
      return {
        kind: 'availability',
        api: '1.5',
        context: 'dataflow',
        flows: parseFlowRef(args[0]),
        key: args[1] ?? 'all',
        component: /^(all|\*)?$/i.test(component) ? null : component,
      };
    }
    case 'structure':
      tooMany(args, 3, 'structure/{agencyID}/{resourceID}/{version}');
      return {
        kind: 'structure',
        api: '1.5',
        types: ALL_TYPES,
        artefacts: artefactQuery15(args[0], args[1], args[2]),
        items: null,
      };
    case undefined:
    case '':
      // The service's own address: the dataflows it serves (what a reader looks for first).
      return { kind: 'structure', api: '1.5', types: ['dataflow'], artefacts: artefactQuery15(), items: null };
    default: {
      const types = SERVED[first];
      if (!types) {
        if (NOT_SERVED.has(first) || first === 'schema' || first === 'metadata')
          return { kind: 'not-implemented', what: `Marsad serves no ${first} queries` };
        throw new QuerySyntaxError(`"${first}" is not a resource served here: ${RESOURCES_15}, or v2/…`);
      }
      tooMany(args, 4, `${first}/{agencyID}/{resourceID}/{version}/{itemID}`);
      return {
        kind: 'structure',
        api: '1.5',
        types,
        artefacts: artefactQuery15(args[0], args[1], args[2]),
        items: items(args[3], /\+/),
      };
    }
  }
}

/** A data provider reference: Marsad has no data providers, so only `all` (or none, or `*`). */
function providerRef(text: string | undefined): void {
  const t = (text ?? 'all').trim();
  if (!/^(all|\*)?$/i.test(t))
    throw noResults(
      `No data provider ${t}: Marsad has no data providers of its own (leave providerRef out, or write all)`,
    );
}
