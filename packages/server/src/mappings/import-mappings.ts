import type { Store } from '@marsad/db';
import { z } from 'zod';
import type { Dhis2Mapping } from '../formats/dhis2/mapping.ts';
import type { ColumnMap } from '../observations/column-map.ts';
import { chosenMapping, type MappingViewer } from './saved-mappings.ts';

const Name = z.string().trim().min(1).max(100);
const Id = z.coerce.number().int().positive().max(2_147_483_647);

/** The query parameters that name a saved mapping instead of sending its JSON (imports). */
export const SAVED_MAPPING_PARAMS = {
  mappingName: Name.optional().describe(
    'Instead of `map`: the name of a saved column mapping you see (GET /api/v1/mappings?kind=columns)',
  ),
  mappingId: Id.optional().describe('Instead of `map`: the id of a saved column mapping'),
  dhis2MappingName: Name.optional().describe(
    'Instead of `dhis2Mapping`: the name of a saved DHIS2 mapping you see (GET /api/v1/mappings?kind=dhis2)',
  ),
  dhis2MappingId: Id.optional().describe('Instead of `dhis2Mapping`: the id of a saved DHIS2 mapping'),
};

/** The same for what takes a DHIS2 mapping only (the DHIS2 export). */
export const SAVED_DHIS2_MAPPING_PARAMS = {
  dhis2MappingName: SAVED_MAPPING_PARAMS.dhis2MappingName,
  dhis2MappingId: SAVED_MAPPING_PARAMS.dhis2MappingId,
};

/** The column and DHIS2 mappings of an import: inline or saved (a 400 names a saved one that is missing or hidden). */
export async function importMappings(
  store: Store,
  viewer: MappingViewer,
  q: {
    map?: ColumnMap;
    mappingName?: string;
    mappingId?: number;
    dhis2Mapping?: Dhis2Mapping;
    dhis2MappingName?: string;
    dhis2MappingId?: number;
  },
): Promise<{ map?: ColumnMap; dhis2Mapping?: Dhis2Mapping }> {
  return {
    map: await chosenMapping(
      store,
      viewer,
      'columns',
      { inline: q.map, name: q.mappingName, id: q.mappingId },
      { inline: 'map', name: 'mappingName', id: 'mappingId' },
    ),
    dhis2Mapping: await dhis2MappingOf(store, viewer, q),
  };
}

export async function dhis2MappingOf(
  store: Store,
  viewer: MappingViewer,
  q: { dhis2Mapping?: Dhis2Mapping; dhis2MappingName?: string; dhis2MappingId?: number },
): Promise<Dhis2Mapping | undefined> {
  return chosenMapping(
    store,
    viewer,
    'dhis2',
    { inline: q.dhis2Mapping, name: q.dhis2MappingName, id: q.dhis2MappingId },
    { inline: 'dhis2Mapping', name: 'dhis2MappingName', id: 'dhis2MappingId' },
  );
}
