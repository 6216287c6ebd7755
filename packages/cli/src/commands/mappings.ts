import {
  CLI_ACTOR,
  createSavedMapping,
  deleteSavedMapping,
  listSavedMappings,
  MAPPING_KINDS,
  type MappingKind,
  operatorViewer,
  replaceSavedMapping,
  type SavedMapping,
} from '@marsad/server';
import type { RuntimeConfig } from '../config.ts';
import { findRemote, type Remote, remoteFetch } from '../remote.ts';
import { readJsonFile } from './import.ts';
import { withLocalStore } from './local-store.ts';

/**
 * `marsad mappings list|save|delete`: saved column and DHIS2 mappings, through the running
 * server's API when one holds the database (as the token's user), else on the database itself.
 */

const viewer = operatorViewer(CLI_ACTOR);

async function api<T>(remote: Remote, path: string, init: RequestInit = {}): Promise<T> {
  const res = await remoteFetch(remote, `/api/v1${path}`, {
    ...init,
    headers: init.body ? { 'Content-Type': 'application/json' } : {},
  });
  const body = (await res.json()) as T & { message?: string };
  if (!res.ok) throw new Error(`The server answered ${res.status}: ${body.message ?? ''}`);
  return body;
}

function kindOf(kind: string | undefined): MappingKind | undefined {
  if (kind === undefined) return undefined;
  if (!(MAPPING_KINDS as readonly string[]).includes(kind))
    throw new Error(`--kind must be one of ${MAPPING_KINDS.join(', ')}`);
  return kind as MappingKind;
}

async function list(config: RuntimeConfig, filter: { kind?: MappingKind; place?: string }): Promise<SavedMapping[]> {
  const remote = await findRemote(config.dataDir, config.databaseUrl);
  if (remote) {
    const q = new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => !!e[1]));
    return (await api<{ items: SavedMapping[] }>(remote, `/mappings?${q}`)).items;
  }
  return withLocalStore(config, (store) => listSavedMappings(store, viewer, filter));
}

export async function mappingsListCommand(
  config: RuntimeConfig,
  o: { kind?: string; place?: string; json?: boolean },
): Promise<number> {
  const items = await list(config, { kind: kindOf(o.kind), place: o.place });
  if (o.json) console.log(JSON.stringify(items, null, 2));
  else if (!items.length) console.log('No saved mappings.');
  else
    for (const m of items)
      console.log(
        `${m.id}\t${m.kind}\t${m.place}\t${m.name}\t(changed ${m.updatedAt.slice(0, 10)}${m.updatedBy ? ` by ${m.updatedBy}` : ''})`,
      );
  return 0;
}

/** Saves FILE under NAME for the place: a new mapping, or the one of that name and place replaced. */
export async function mappingsSaveCommand(
  config: RuntimeConfig,
  name: string,
  file: string,
  o: { kind: string; place: string },
): Promise<number> {
  const kind = kindOf(o.kind) as MappingKind;
  const input = {
    name: name.trim(),
    kind,
    place: o.place,
    body: (await readJsonFile(file, 'mapping file')) as Record<string, unknown>,
  };
  const existing = (await list(config, { place: o.place })).find(
    (m) => m.place === o.place && m.name.toLowerCase() === input.name.toLowerCase(),
  );
  const remote = await findRemote(config.dataDir, config.databaseUrl);
  const saved = remote
    ? await api<SavedMapping>(remote, existing ? `/mappings/${existing.id}` : '/mappings', {
        method: existing ? 'PUT' : 'POST',
        body: JSON.stringify(input),
      })
    : await withLocalStore(config, (store) =>
        existing ? replaceSavedMapping(store, viewer, existing.id, input) : createSavedMapping(store, viewer, input),
      );
  console.log(
    `${existing ? 'Replaced' : 'Saved'} the ${kind} mapping "${saved.name}" of ${saved.place} (id ${saved.id}); use it with ${kind === 'columns' ? '--map' : '--dhis2-mapping'} saved:${saved.name}`,
  );
  return 0;
}

export async function mappingsDeleteCommand(
  config: RuntimeConfig,
  name: string,
  o: { place?: string },
): Promise<number> {
  const found = (await list(config, { place: o.place })).filter(
    (m) => m.name.toLowerCase() === name.trim().toLowerCase() && (!o.place || m.place === o.place),
  );
  if (!found.length) throw new Error(`no saved mapping named "${name}"${o.place ? ` of ${o.place}` : ''}`);
  if (found.length > 1)
    throw new Error(
      `${found.length} saved mappings are named "${name}" (${found.map((m) => m.place).join(', ')}): say which with --place`,
    );
  const [m] = found as [SavedMapping];
  const remote = await findRemote(config.dataDir, config.databaseUrl);
  if (remote) await api(remote, `/mappings/${m.id}`, { method: 'DELETE' });
  else await withLocalStore(config, (store) => deleteSavedMapping(store, viewer, m.id));
  console.log(`Deleted the ${m.kind} mapping "${m.name}" of ${m.place}.`);
  return 0;
}
