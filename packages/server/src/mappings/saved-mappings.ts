import type { Store } from '@marsad/db';
import { type AuditActor, appendAudit } from '../audit/audit-log.ts';
import type { Actor } from '../auth/actor.ts';
import { canWritePlace, isAdministrator } from '../auth/policy.ts';
import { HttpError } from '../http/errors.ts';
import { type MappingBodies, type MappingKind, parseMappingBody, type SavedMappingInput } from './mapping-body.ts';
import {
  deleteMapping,
  insertMapping,
  type MappingRow,
  nameTaken,
  placeByCode,
  selectMapping,
  selectMappings,
  selectMappingsNamed,
  updateMapping,
} from './mapping-store.ts';

/**
 * Saved import mappings: a column or DHIS2 mapping kept under a name by the role holders of a
 * place. Who sees one: administrators, and anyone holding a role on its place or a place above
 * it (a national focal point sees its country's and its places'). Who changes one: those who
 * may write data of its place (canWritePlace). Every change is audited in its transaction.
 */
export interface MappingViewer {
  sees(placePath: string): boolean;
  writes(placePath: string): boolean;
  /** Whether the viewer is told who created and changed a mapping (accounts are named by e-mail): administrators. */
  seesWho: boolean;
  audit: AuditActor;
}

/** The viewer of an API request (null: the public, who sees none). */
export function mappingViewer(actor: Actor | null, audit: AuditActor): MappingViewer {
  return {
    sees: (path) =>
      !!actor &&
      (isAdministrator(actor) || actor.roles.some((r) => r.placePath !== null && path.startsWith(r.placePath))),
    writes: (path) => canWritePlace(actor, path),
    seesWho: isAdministrator(actor),
    audit,
  };
}

/** The operator of the `marsad` command on its own database: sees and changes every mapping. */
export function operatorViewer(audit: AuditActor): MappingViewer {
  return { sees: () => true, writes: () => true, seesWho: true, audit };
}

export interface SavedMapping {
  id: number;
  name: string;
  kind: MappingKind;
  place: string;
  /** Who created and last changed it (null unless the viewer is an administrator or the operator). */
  createdBy: string | null;
  createdAt: string;
  updatedBy: string | null;
  updatedAt: string;
}

const iso = (d: Date | string) => new Date(d).toISOString();
function shape(r: MappingRow, viewer: MappingViewer): SavedMapping {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    place: r.placeCode,
    createdBy: viewer.seesWho ? r.createdBy : null,
    createdAt: iso(r.createdAt),
    updatedBy: viewer.seesWho ? r.updatedBy : null,
    updatedAt: iso(r.updatedAt),
  };
}
const what = (kind: MappingKind) => (kind === 'columns' ? 'column' : 'DHIS2');

/** The mappings the viewer sees, of a kind and of a place and the places below it when given. */
export async function listSavedMappings(
  store: Store,
  viewer: MappingViewer,
  filter: { kind?: MappingKind; place?: string },
): Promise<SavedMapping[]> {
  let underPath: string | undefined;
  if (filter.place) {
    const place = await placeByCode(store.db, filter.place);
    if (!place) throw new HttpError(400, 'bad_request', `place: no place with code "${filter.place}".`);
    underPath = place.path;
  }
  const rows = await selectMappings(store.db, { kind: filter.kind, underPath });
  return rows.filter((r) => viewer.sees(r.placePath)).map((r) => shape(r, viewer));
}

async function visible(store: Store, viewer: MappingViewer, id: number): Promise<MappingRow> {
  const row = await selectMapping(store.db, id);
  if (!row || !viewer.sees(row.placePath)) throw new HttpError(404, 'not_found', `No saved mapping ${id}.`);
  return row;
}

/** One mapping with its body; 404 when it does not exist or the viewer does not see it. */
export async function getSavedMapping(
  store: Store,
  viewer: MappingViewer,
  id: number,
): Promise<SavedMapping & { body: Record<string, unknown> }> {
  const row = await visible(store, viewer, id);
  return { ...shape(row, viewer), body: row.body };
}

async function checkedWrite(store: Store, viewer: MappingViewer, input: SavedMappingInput) {
  const place = await placeByCode(store.db, input.place);
  if (!place) throw new HttpError(400, 'bad_request', `place: no place with code "${input.place}".`);
  if (!viewer.writes(place.path))
    throw new HttpError(
      403,
      'forbidden',
      `You may not keep mappings for "${input.place}": your roles cover other places.`,
    );
  const body = parseMappingBody(input.kind, input.body, 'body');
  return {
    place,
    write: {
      placeId: place.id,
      name: input.name,
      kind: input.kind,
      body,
      userId: viewer.audit.userId,
      label: viewer.audit.label,
    },
  };
}

function nameConflict(name: string, place: string): HttpError {
  return new HttpError(409, 'conflict', `name: the place "${place}" already has a mapping named "${name}".`);
}

export async function createSavedMapping(
  store: Store,
  viewer: MappingViewer,
  input: SavedMappingInput,
): Promise<SavedMapping & { body: Record<string, unknown> }> {
  const { place, write } = await checkedWrite(store, viewer, input);
  const id = await store.exclusive(async (conn) => {
    if (await nameTaken(conn, place.id, input.name)) throw nameConflict(input.name, place.code);
    const id = await insertMapping(conn, write);
    await appendAudit(conn, viewer.audit, {
      action: 'create',
      entityType: 'saved-mapping',
      entityId: id,
      summary: `Saved the ${what(input.kind)} mapping "${input.name}" of ${place.code}`,
      after: { name: input.name, kind: input.kind, place: place.code, body: write.body },
    });
    return id;
  });
  return getSavedMapping(store, viewer, id);
}

export async function replaceSavedMapping(
  store: Store,
  viewer: MappingViewer,
  id: number,
  input: SavedMappingInput,
): Promise<SavedMapping & { body: Record<string, unknown> }> {
  const old = await visible(store, viewer, id);
  if (!viewer.writes(old.placePath))
    throw new HttpError(
      403,
      'forbidden',
      `You may not change the mapping "${old.name}" of "${old.placeCode}": your roles cover other places.`,
    );
  const { place, write } = await checkedWrite(store, viewer, input);
  await store.exclusive(async (conn) => {
    if (await nameTaken(conn, place.id, input.name, id)) throw nameConflict(input.name, place.code);
    await updateMapping(conn, id, write);
    await appendAudit(conn, viewer.audit, {
      action: 'update',
      entityType: 'saved-mapping',
      entityId: id,
      summary: `Replaced the ${what(input.kind)} mapping "${input.name}" of ${place.code}`,
      before: { name: old.name, kind: old.kind, place: old.placeCode, body: old.body },
      after: { name: input.name, kind: input.kind, place: place.code, body: write.body },
    });
  });
  return getSavedMapping(store, viewer, id);
}

export async function deleteSavedMapping(store: Store, viewer: MappingViewer, id: number): Promise<void> {
  const old = await visible(store, viewer, id);
  if (!viewer.writes(old.placePath))
    throw new HttpError(
      403,
      'forbidden',
      `You may not delete the mapping "${old.name}" of "${old.placeCode}": your roles cover other places.`,
    );
  await store.exclusive(async (conn) => {
    await deleteMapping(conn, id);
    await appendAudit(conn, viewer.audit, {
      action: 'delete',
      entityType: 'saved-mapping',
      entityId: id,
      summary: `Deleted the ${what(old.kind)} mapping "${old.name}" of ${old.placeCode}`,
      before: { name: old.name, kind: old.kind, place: old.placeCode, body: old.body },
    });
  });
}

/** The saved mapping of this kind an import names by `name` or `id` (`field` names the parameter in a 400). */
export async function savedMappingBody<K extends MappingKind>(
  store: Store,
  viewer: MappingViewer,
  kind: K,
  ref: { name: string } | { id: number },
  field: string,
): Promise<MappingBodies[K]> {
  let row: MappingRow | undefined;
  if ('id' in ref) {
    row = await selectMapping(store.db, ref.id);
    if (!row || !viewer.sees(row.placePath))
      throw new HttpError(400, 'bad_request', `${field}: no saved mapping ${ref.id} that you may use.`);
    if (row.kind !== kind)
      throw new HttpError(
        400,
        'bad_request',
        `${field}: the saved mapping ${ref.id} ("${row.name}") is a ${what(row.kind)} mapping, not a ${what(kind)} mapping.`,
      );
  } else {
    const rows = (await selectMappingsNamed(store.db, kind, ref.name)).filter((r) => viewer.sees(r.placePath));
    if (!rows.length)
      throw new HttpError(
        400,
        'bad_request',
        `${field}: no saved ${what(kind)} mapping named "${ref.name}" that you may use.`,
      );
    if (rows.length > 1)
      throw new HttpError(
        400,
        'bad_request',
        `${field}: ${rows.length} saved ${what(kind)} mappings are named "${ref.name}" (${rows.map((r) => `${r.placeCode}: id ${r.id}`).join(', ')}); name one by its id.`,
      );
    row = rows[0];
  }
  return parseMappingBody(kind, (row as MappingRow).body, field);
}

/**
 * The mapping an import or export uses: given inline (JSON, already checked), by the name of a
 * saved one, or by its id — at most one of the three. Undefined when none is given.
 */
export async function chosenMapping<K extends MappingKind>(
  store: Store,
  viewer: MappingViewer,
  kind: K,
  given: { inline?: MappingBodies[K]; name?: string; id?: number },
  fields: { inline: string; name: string; id: string },
): Promise<MappingBodies[K] | undefined> {
  const named = [given.inline && fields.inline, given.name && fields.name, given.id && fields.id].filter(Boolean);
  if (named.length > 1) throw new HttpError(400, 'bad_request', `${named[1]}: give only one of ${named.join(', ')}.`);
  if (given.name) return savedMappingBody(store, viewer, kind, { name: given.name }, fields.name);
  if (given.id) return savedMappingBody(store, viewer, kind, { id: given.id }, fields.id);
  return given.inline;
}
