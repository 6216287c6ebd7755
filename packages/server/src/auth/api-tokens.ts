import type { Store } from '@marsad/db';
import { randomSecret, sha256 } from './sessions.ts';

/**
 * What an API token may be used for. A token never gives more than its user's roles: an
 * 'observations:write' token of a city focal point writes that city's values only.
 */
export const TOKEN_SCOPES = [
  'observations:write',
  'observations:read-unpublished',
  'catalogue:write',
  'places:write',
  'admin',
] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export const TOKEN_PREFIX = 'msd_';
export const TOKEN_MAX_DAYS = 365;
/** last_used_at is written at most this often per token. */
const TOUCH_MS = 60 * 1000;

export interface NewApiToken {
  token: string;
  id: number;
  name: string;
  scopes: TokenScope[];
  expiresAt: Date;
  createdAt: Date;
}

/** Creates a token for a user; the token itself is returned here only, and kept as a hash. */
export async function createApiToken(
  store: Store,
  userId: number,
  o: { name: string; scopes: TokenScope[]; expiresInDays: number },
): Promise<NewApiToken> {
  const token = TOKEN_PREFIX + randomSecret(32);
  const days = Math.min(Math.max(1, Math.floor(o.expiresInDays)), TOKEN_MAX_DAYS);
  const expiresAt = new Date(Date.now() + days * 24 * 3600 * 1000);
  const scopes = [...new Set(o.scopes)].sort() as TokenScope[];
  const row = await store.db
    .insertInto('api_tokens')
    .values({
      user_id: userId,
      name: o.name,
      token_hash: sha256(token),
      scopes,
      expires_at: expiresAt,
    })
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow();
  return { token, id: row.id, name: o.name, scopes, expiresAt, createdAt: new Date(row.created_at) };
}

export type TokenLookup =
  | { state: 'unknown' }
  | { state: 'revoked' | 'expired' | 'account-disabled'; at: Date | null }
  | { state: 'ok'; id: number; userId: number; name: string; scopes: TokenScope[] };

/** Finds the token of a bearer value (by its hash). */
export async function lookupApiToken(store: Store, token: string): Promise<TokenLookup> {
  if (!token.startsWith(TOKEN_PREFIX)) return { state: 'unknown' };
  const row = await store.db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.id', 't.user_id', 't.name', 't.scopes', 't.expires_at', 't.revoked_at', 't.last_used_at', 'u.status'])
    .where('t.token_hash', '=', sha256(token))
    .executeTakeFirst();
  if (!row) return { state: 'unknown' };
  if (row.revoked_at) return { state: 'revoked', at: new Date(row.revoked_at) };
  const expires = new Date(row.expires_at);
  if (expires.getTime() <= Date.now()) return { state: 'expired', at: expires };
  if (row.status !== 'active') return { state: 'account-disabled', at: null };
  if (!row.last_used_at || Date.now() - new Date(row.last_used_at).getTime() > TOUCH_MS) {
    await store.db.updateTable('api_tokens').set({ last_used_at: new Date() }).where('id', '=', row.id).execute();
  }
  const scopes = row.scopes.filter((s): s is TokenScope => (TOKEN_SCOPES as readonly string[]).includes(s));
  return { state: 'ok', id: row.id, userId: row.user_id, name: row.name, scopes };
}

export interface ApiTokenView {
  id: number;
  name: string;
  scopes: string[];
  state: 'active' | 'expired' | 'revoked';
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** A user's tokens, newest first, without their values or hashes. */
export async function listApiTokens(store: Store, userId: number): Promise<ApiTokenView[]> {
  const rows = await store.db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'scopes', 'expires_at', 'last_used_at', 'revoked_at', 'created_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    scopes: r.scopes,
    state: r.revoked_at ? 'revoked' : new Date(r.expires_at).getTime() <= Date.now() ? 'expired' : 'active',
    expiresAt: iso(r.expires_at)!,
    lastUsedAt: iso(r.last_used_at),
    revokedAt: iso(r.revoked_at),
    createdAt: iso(r.created_at)!,
  }));
}

/**
 * Revokes a token; `ownerId` limits it to that user's tokens (null: any, for administrators). False when there is none
 * to revoke.
 */
export async function revokeApiToken(
  store: Store,
  id: number,
  ownerId: number | null,
): Promise<{ id: number; userId: number; name: string } | null> {
  let q = store.db
    .updateTable('api_tokens')
    .set({ revoked_at: new Date() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null);
  if (ownerId !== null) q = q.where('user_id', '=', ownerId);
  const row = await q.returning(['id', 'user_id', 'name']).executeTakeFirst();
  return row ? { id: row.id, userId: row.user_id, name: row.name } : null;
}
