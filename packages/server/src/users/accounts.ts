import type { RoleName, Schema, Store, UserStatus } from '@marsad/db';
import { type Kysely, sql } from 'kysely';
import { checkPassword, hashPassword } from '../auth/passwords.ts';
import { randomSecret, sha256 } from '../auth/sessions.ts';
import { HttpError } from '../http/errors.ts';

/**
 * Accounts in the database: users, roles on places, grants on records, invitation and reset
 * links. Every function here that changes something is named for the change (createUser,
 * addRole, …) so that the audit log can be hooked onto each.
 */
export const ROLES = [
  'administrator',
  'national-focal-point',
  'city-focal-point',
  'data-validator',
  'reviewer',
  'editor',
] as const satisfies readonly RoleName[];

export const INVITATION_DAYS = 7;
export const RESET_HOURS = 24;

type Db = Kysely<Schema>;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export interface RoleOnPlace {
  role: RoleName;
  placeId: number | null;
  placeCode: string | null;
  placePath: string | null;
}
export interface RoleInput {
  role: RoleName;
  place?: string | null;
}
export interface GrantInput {
  recordType: string;
  recordId: string;
  permission: string;
}

export interface UserView {
  id: number;
  email: string;
  displayName: string | null;
  status: UserStatus;
  createdAt: string;
  lastLoginAt: string | null;
  /** Roles, each with its place's code, level and names (all languages), none for the administrator role. */
  roles: {
    role: RoleName;
    place: string | null;
    placeLevel: string | null;
    placeNames: Record<string, string> | null;
  }[];
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export async function loadRoles(db: Db, userId: number): Promise<RoleOnPlace[]> {
  const rows = await db
    .selectFrom('role_assignments as r')
    .leftJoin('places as p', 'p.id', 'r.place_id')
    .select(['r.role', 'r.place_id', 'p.code', 'p.path'])
    .where('r.user_id', '=', userId)
    .orderBy('r.id')
    .execute();
  return rows.map((r) => ({ role: r.role, placeId: r.place_id, placeCode: r.code, placePath: r.path }));
}

export async function loadGrants(db: Db, userId: number): Promise<GrantInput[]> {
  const rows = await db
    .selectFrom('record_grants')
    .select(['record_type', 'record_id', 'permission'])
    .where('user_id', '=', userId)
    .orderBy('id')
    .execute();
  return rows.map((g) => ({ recordType: g.record_type, recordId: g.record_id, permission: g.permission }));
}

/** A user as administrators see it (never the password hash). */
export async function userView(db: Db, userId: number): Promise<UserView> {
  const u = await db
    .selectFrom('users')
    .select(['id', 'email', 'display_name', 'status', 'created_at', 'last_login_at'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!u) throw new HttpError(404, 'not_found', `No user with id ${userId}.`);
  const roles = await db
    .selectFrom('role_assignments as r')
    .leftJoin('places as p', 'p.id', 'r.place_id')
    .select(['r.role', 'p.code', 'p.level', 'p.names'])
    .where('r.user_id', '=', userId)
    .orderBy('r.id')
    .execute();
  return {
    id: u.id,
    email: u.email,
    displayName: u.display_name,
    status: u.status,
    createdAt: iso(u.created_at)!,
    lastLoginAt: iso(u.last_login_at),
    roles: roles.map((r) => ({ role: r.role, place: r.code, placeLevel: r.level, placeNames: r.names })),
  };
}

/** Whether an active account holds the administrator role (then the first-start token stops working). */
export async function activeAdministratorExists(db: Db): Promise<boolean> {
  const row = await db
    .selectFrom('role_assignments as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .select('r.id')
    .where('r.role', '=', 'administrator')
    .where('u.status', '=', 'active')
    .limit(1)
    .executeTakeFirst();
  return !!row;
}

/** The place id of a role, checked: administrators have none, every other role has one. */
async function rolePlace(db: Db, r: RoleInput, field: string): Promise<number | null> {
  if (r.role === 'administrator') {
    if (r.place)
      throw new HttpError(
        400,
        'bad_request',
        `${field}.place: the administrator role is not tied to a place; leave place out.`,
      );
    return null;
  }
  if (!r.place)
    throw new HttpError(
      400,
      'bad_request',
      `${field}.place: the role ${r.role} needs the code of a place (e.g. MAR, MAAGA).`,
    );
  const p = await db.selectFrom('places').select(['id', 'level']).where('code', '=', r.place).executeTakeFirst();
  if (!p) throw new HttpError(400, 'bad_request', `${field}.place: no place with code "${r.place}".`);
  if (r.role === 'national-focal-point' && p.level !== 'country') {
    throw new HttpError(
      400,
      'bad_request',
      `${field}.place: a national focal point holds a country; ${r.place} is a ${p.level}.`,
    );
  }
  if (r.role === 'city-focal-point' && p.level !== 'city') {
    throw new HttpError(
      400,
      'bad_request',
      `${field}.place: a city focal point holds a city; ${r.place} is a ${p.level}.`,
    );
  }
  return p.id;
}

/** Creates a link token (invitation or reset) and returns it; earlier unused ones of the user end. */
export async function issueLinkToken(
  db: Db,
  userId: number,
  kind: 'invitation' | 'reset',
): Promise<{ token: string; expiresAt: Date }> {
  await db
    .updateTable('user_tokens')
    .set({ used_at: new Date() })
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .execute();
  const token = randomSecret(32);
  const ms = kind === 'invitation' ? INVITATION_DAYS * 24 * 3600 * 1000 : RESET_HOURS * 3600 * 1000;
  const expiresAt = new Date(Date.now() + ms);
  await db
    .insertInto('user_tokens')
    .values({ user_id: userId, kind, token_hash: sha256(token), expires_at: expiresAt })
    .execute();
  return { token, expiresAt };
}

/** Invites a user: an account without a password, its roles, and an invitation link token. */
export async function createUser(
  store: Store,
  input: { email: string; displayName?: string | null; roles: RoleInput[] },
  grantedBy: number | null,
): Promise<{ user: UserView; token: string; expiresAt: Date }> {
  const email = normaliseEmail(input.email);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254)
    throw new HttpError(400, 'bad_request', `email: "${input.email}" is not an e-mail address.`);
  return store.db.transaction().execute(async (trx) => {
    const exists = await trx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
    if (exists) throw new HttpError(409, 'conflict', `email: an account with the address ${email} exists already.`);
    const places: (number | null)[] = [];
    for (const [i, r] of input.roles.entries()) places.push(await rolePlace(trx, r, `roles.${i}`));
    const u = await trx
      .insertInto('users')
      .values({ email, display_name: input.displayName?.trim() || null, status: 'invited' })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const [i, r] of input.roles.entries()) {
      await trx
        .insertInto('role_assignments')
        .values({ user_id: u.id, role: r.role, place_id: places[i] ?? null, granted_by: grantedBy })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    const link = await issueLinkToken(trx, u.id, 'invitation');
    return { user: await userView(trx, u.id), ...link };
  });
}

/** Sets a password (checked against the rules) and makes the account active. */
export async function setPassword(db: Db, userId: number, password: string, field = 'password'): Promise<void> {
  checkPassword(password, field);
  const passwordHash = await hashPassword(password);
  await db
    .updateTable('users')
    .set({
      password_hash: passwordHash,
      status: sql<UserStatus>`CASE WHEN status = 'disabled' THEN 'disabled' ELSE 'active' END`,
    })
    .where('id', '=', userId)
    .execute();
}

/**
 * Uses an invitation or reset link: checks the token (unused, not expired, account not
 * disabled), sets the password and the display name, and makes the account active.
 */
export async function acceptLinkToken(
  store: Store,
  token: string,
  password: string,
  displayName?: string | null,
): Promise<{ userId: number; kind: 'invitation' | 'reset' }> {
  const invalid = () =>
    new HttpError(
      400,
      'invalid_link',
      'token: this link is not valid: it may have expired or been used already. Ask an administrator for a new one.',
    );
  const hash = sha256(token);
  const usable = async (db: Db) =>
    db
      .selectFrom('user_tokens as t')
      .innerJoin('users as u', 'u.id', 't.user_id')
      .select(['t.id', 't.user_id', 't.kind'])
      .where('t.token_hash', '=', hash)
      .where('t.used_at', 'is', null)
      .where('t.expires_at', '>', new Date())
      .where('u.status', '!=', 'disabled')
      .executeTakeFirst();
  // The link first, so that nobody chooses a password for a link that does not work.
  if (!(await usable(store.db))) throw invalid();
  checkPassword(password, 'password');
  const passwordHash = await hashPassword(password);
  return store.db.transaction().execute(async (trx) => {
    const row = await usable(trx);
    if (!row) throw invalid();
    // Only one use, even when two requests race: the UPDATE of an unused row decides.
    const used = await trx
      .updateTable('user_tokens')
      .set({ used_at: new Date() })
      .where('id', '=', row.id)
      .where('used_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    if (!used) throw invalid();
    const set: { password_hash: string; status: 'active'; display_name?: string } = {
      password_hash: passwordHash,
      status: 'active',
    };
    if (displayName?.trim()) set.display_name = displayName.trim();
    await trx.updateTable('users').set(set).where('id', '=', row.user_id).execute();
    await trx
      .updateTable('user_tokens')
      .set({ used_at: new Date() })
      .where('user_id', '=', row.user_id)
      .where('used_at', 'is', null)
      .execute();
    await trx.deleteFrom('sessions').where('user_id', '=', row.user_id).execute();
    return { userId: row.user_id, kind: row.kind };
  });
}

async function refuseLastAdministrator(db: Db, userId: number, what: string): Promise<void> {
  const others = await db
    .selectFrom('role_assignments as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .select('r.id')
    .where('r.role', '=', 'administrator')
    .where('u.status', '=', 'active')
    .where('u.id', '!=', userId)
    .limit(1)
    .executeTakeFirst();
  const self = await db
    .selectFrom('role_assignments as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .select('r.id')
    .where('r.role', '=', 'administrator')
    .where('u.status', '=', 'active')
    .where('u.id', '=', userId)
    .limit(1)
    .executeTakeFirst();
  if (self && !others)
    throw new HttpError(
      409,
      'conflict',
      `${what} would leave no active administrator; make someone else an administrator first.`,
    );
}

export async function requireUser(db: Db, userId: number): Promise<{ id: number; email: string; status: UserStatus }> {
  const u = await db.selectFrom('users').select(['id', 'email', 'status']).where('id', '=', userId).executeTakeFirst();
  if (!u) throw new HttpError(404, 'not_found', `No user with id ${userId}.`);
  return u;
}

/** Gives a role on a place (or the administrator role). False when the user held it already. */
export async function addRole(store: Store, userId: number, r: RoleInput, grantedBy: number | null): Promise<boolean> {
  await requireUser(store.db, userId);
  const placeId = await rolePlace(store.db, r, 'role');
  const row = await store.db
    .insertInto('role_assignments')
    .values({ user_id: userId, role: r.role, place_id: placeId, granted_by: grantedBy })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return !!row;
}

/** Takes a role away; 404 when the user does not hold it, 409 for the last active administrator. */
export async function removeRole(store: Store, userId: number, r: RoleInput): Promise<void> {
  await requireUser(store.db, userId);
  const placeId = await rolePlace(store.db, r, 'role');
  if (r.role === 'administrator') await refuseLastAdministrator(store.db, userId, 'Taking the administrator role away');
  let q = store.db.deleteFrom('role_assignments').where('user_id', '=', userId).where('role', '=', r.role);
  q = placeId === null ? q.where('place_id', 'is', null) : q.where('place_id', '=', placeId);
  const res = await q.executeTakeFirst();
  if (!Number(res.numDeletedRows))
    throw new HttpError(
      404,
      'not_found',
      `User ${userId} does not hold the role ${r.role}${r.place ? ` on ${r.place}` : ''}.`,
    );
}

/** Disables an account: it can no longer sign in, its sessions end and its API tokens stop working. */
export async function disableUser(store: Store, userId: number): Promise<void> {
  await requireUser(store.db, userId);
  await refuseLastAdministrator(store.db, userId, 'Disabling this account');
  await store.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ status: 'disabled' }).where('id', '=', userId).execute();
    await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
    await trx
      .updateTable('user_tokens')
      .set({ used_at: new Date() })
      .where('user_id', '=', userId)
      .where('used_at', 'is', null)
      .execute();
  });
}

/** Enables a disabled account again: active if it has a password, else invited. */
export async function enableUser(store: Store, userId: number): Promise<void> {
  await requireUser(store.db, userId);
  await store.db
    .updateTable('users')
    .set({ status: sql<UserStatus>`CASE WHEN password_hash IS NULL THEN 'invited' ELSE 'active' END` })
    .where('id', '=', userId)
    .where('status', '=', 'disabled')
    .execute();
}

/** Issues a password reset link (the current password keeps working until the link is used). */
export async function issueReset(
  store: Store,
  userId: number,
): Promise<{ token: string; expiresAt: Date; kind: 'invitation' | 'reset' }> {
  const u = await requireUser(store.db, userId);
  if (u.status === 'disabled')
    throw new HttpError(409, 'conflict', `User ${userId} is disabled; enable the account first.`);
  const kind = u.status === 'invited' ? 'invitation' : 'reset';
  return { ...(await issueLinkToken(store.db, userId, kind)), kind };
}

export async function addGrant(
  store: Store,
  userId: number,
  g: GrantInput,
  grantedBy: number | null,
): Promise<boolean> {
  await requireUser(store.db, userId);
  const row = await store.db
    .insertInto('record_grants')
    .values({
      user_id: userId,
      record_type: g.recordType,
      record_id: g.recordId,
      permission: g.permission,
      granted_by: grantedBy,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return !!row;
}

export async function removeGrant(store: Store, userId: number, g: GrantInput): Promise<void> {
  await requireUser(store.db, userId);
  const res = await store.db
    .deleteFrom('record_grants')
    .where('user_id', '=', userId)
    .where('record_type', '=', g.recordType)
    .where('record_id', '=', g.recordId)
    .where('permission', '=', g.permission)
    .executeTakeFirst();
  if (!Number(res.numDeletedRows))
    throw new HttpError(
      404,
      'not_found',
      `User ${userId} has no grant ${g.permission} on ${g.recordType} ${g.recordId}.`,
    );
}
