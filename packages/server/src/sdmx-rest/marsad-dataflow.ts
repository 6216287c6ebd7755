/**
 * Marsad's own dataflow as a provider of the SDMX web service (dataflows.ts): MARSAD:DF_MARSAD, its data structure
 * and code lists (marsad-structure.ts), its data (data-query.ts).
 */
import { selectMarsadData } from './data-query.ts';
import type { DataflowProvider } from './dataflows.ts';
import { noResults } from './error-message.ts';
import {
  loadMarsadCatalog,
  MARSAD_AGENCY,
  MARSAD_AGENCY_NAMES,
  MARSAD_DATAFLOW,
  marsadArtefacts,
} from './marsad-structure.ts';

export const marsadDataflowProvider: DataflowProvider = {
  agency: MARSAD_AGENCY,
  dataflowIds: [MARSAD_DATAFLOW],
  async open(ctx) {
    const catalog = await loadMarsadCatalog(ctx);
    return {
      artefacts: marsadArtefacts(catalog),
      agencies: [{ id: MARSAD_AGENCY, names: MARSAD_AGENCY_NAMES }],
      select(dataflow, query, access) {
        const version = catalog.versions.find((v) => v.version === dataflow.version);
        if (dataflow.id !== MARSAD_DATAFLOW || !version)
          throw noResults(`No dataflow ${MARSAD_AGENCY}:${dataflow.id}(${dataflow.version})`);
        return Promise.resolve(selectMarsadData(ctx, catalog, version, query, access));
      },
    };
  },
};
