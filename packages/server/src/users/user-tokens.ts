import type { Schema } from '@marsad/db';
import { type Kysely, sql } from 'kysely';
import type { ApiTokenView } from '../auth/api-tokens.ts';

/**
 * Every user's API tokens, for administrators (who may revoke any of them with
 * DELETE /api/v1/tokens/:id): never their values or hashes.
 */
export type TokenState = ApiTokenView['state'];

export interface UserTokenView extends ApiTokenView {
  user: { id: number; email: string; displayName: string | null; status: string };
}

export interface TokenFilter {
  userId?: number;
  state?: TokenState;
  /** Part of the token's name or of its user's e-mail address or name. */
  q?: string;
  limit: number;
  offset: number;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export async function listUserTokens(
  db: Kysely<Schema>,
  f: TokenFilter,
): Promise<{ items: UserTokenView[]; total: number }> {
  let query = db.selectFrom('api_tokens as t').innerJoin('users as u', 'u.id', 't.user_id');
  if (f.userId !== undefined) query = query.where('t.user_id', '=', f.userId);
  if (f.state === 'revoked') query = query.where('t.revoked_at', 'is not', null);
  if (f.state === 'active') query = query.where('t.revoked_at', 'is', null).where(sql<boolean>`t.expires_at > now()`);
  if (f.state === 'expired') query = query.where('t.revoked_at', 'is', null).where(sql<boolean>`t.expires_at <= now()`);
  if (f.q) {
    const like = `%${f.q}%`;
    query = query.where(sql<boolean>`(t.name ILIKE ${like} OR u.email ILIKE ${like} OR u.display_name ILIKE ${like})`);
  }
  const total = (await query.select(sql<number>`count(*)::int`.as('n')).executeTakeFirst())?.n ?? 0;
  const rows = await query
    .select([
      't.id',
      't.name',
      't.scopes',
      't.expires_at',
      't.last_used_at',
      't.revoked_at',
      't.created_at',
      'u.id as user_id',
      'u.email',
      'u.display_name',
      'u.status',
    ])
    .orderBy('t.created_at', 'desc')
    .orderBy('t.id', 'desc')
    .limit(f.limit)
    .offset(f.offset)
    .execute();
  const now = Date.now();
  return {
    total,
    items: rows.map((r) => ({
      id: r.id,
      name: r.name,
      scopes: r.scopes,
      state: r.revoked_at ? 'revoked' : new Date(r.expires_at).getTime() <= now ? 'expired' : 'active',
      expiresAt: iso(r.expires_at)!,
      lastUsedAt: iso(r.last_used_at),
      revokedAt: iso(r.revoked_at),
      createdAt: iso(r.created_at)!,
      user: { id: r.user_id, email: r.email, displayName: r.display_name, status: r.status },
    })),
  };
}
