import type { Store } from '@marsad/db';
import {
  CLI_ACTOR,
  ColumnMapSchema,
  type MappingBodies,
  type MappingKind,
  operatorViewer,
  savedMappingBody,
} from '@marsad/server';
import { readDhis2MappingFile, readJsonFile } from './import.ts';

/**
 * `--map` and `--dhis2-mapping` take a file, or `saved:NAME`: a mapping saved on the server
 * (`marsad mappings save`). A file is read and checked at once; a saved one is named to the
 * running server (mappingName, dhis2MappingName) or looked up in the local database.
 */
export const SAVED_PREFIX = 'saved:';

export type MappingChoice<K extends MappingKind> = { saved: string } | { body: MappingBodies[K] } | undefined;

export async function readMappingOption<K extends MappingKind>(
  kind: K,
  value: string | undefined,
): Promise<MappingChoice<K>> {
  if (!value) return undefined;
  if (value.startsWith(SAVED_PREFIX)) {
    const name = value.slice(SAVED_PREFIX.length).trim();
    if (!name)
      throw new Error(`${flag(kind)} ${SAVED_PREFIX}NAME: give the name of a saved mapping after "${SAVED_PREFIX}"`);
    return { saved: name };
  }
  const body =
    kind === 'columns'
      ? ColumnMapSchema.parse(await readJsonFile(value, 'mapping file'))
      : await readDhis2MappingFile(value);
  return { body: body as MappingBodies[K] };
}

export const flag = (kind: MappingKind) => (kind === 'columns' ? '--map' : '--dhis2-mapping');

/** The query parameters that carry the choice to a running server. */
export function setMappingParams(q: URLSearchParams, kind: MappingKind, choice: MappingChoice<MappingKind>): void {
  if (!choice) return;
  const [inline, named] = kind === 'columns' ? ['map', 'mappingName'] : ['dhis2Mapping', 'dhis2MappingName'];
  if ('saved' in choice) q.set(named, choice.saved);
  else q.set(inline, JSON.stringify(choice.body));
}

/** The mapping itself, on the local database (the operator sees every saved mapping). */
export async function localMapping<K extends MappingKind>(
  store: Store,
  kind: K,
  choice: MappingChoice<K>,
): Promise<MappingBodies[K] | undefined> {
  if (!choice) return undefined;
  if ('body' in choice) return choice.body;
  return savedMappingBody(store, operatorViewer(CLI_ACTOR), kind, { name: choice.saved }, flag(kind));
}
