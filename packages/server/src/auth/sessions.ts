import { createHash, randomBytes } from 'node:crypto';
import type { Store } from '@marsad/db';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The session cookie: HttpOnly, SameSite=Lax, Path=/, Secure over HTTPS; 14 days. */
export const SESSION_COOKIE = 'marsad_session';
export const SESSION_DAYS = 14;
const SESSION_MS = SESSION_DAYS * 24 * 3600 * 1000;
/** last_seen_at is written at most this often per session. */
const TOUCH_MS = 5 * 60 * 1000;

/** SHA-256 in hex: how session cookies, link tokens and API tokens are kept in the database. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** A cookie of the request by name (the first one), or undefined. */
export function readCookie(req: FastifyRequest, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      return decodeURIComponent(value);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Secure only when the request came over HTTPS (X-Forwarded-Proto counts only from a proxy in MARSAD_TRUST_PROXY). */
function cookieAttributes(req: FastifyRequest, expires: Date | null): string {
  const parts = ['Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (req.protocol === 'https') parts.push('Secure');
  if (expires)
    parts.push(
      `Expires=${expires.toUTCString()}`,
      `Max-Age=${Math.max(0, Math.round((expires.getTime() - Date.now()) / 1000))}`,
    );
  else parts.push('Expires=Thu, 01 Jan 1970 00:00:00 GMT', 'Max-Age=0');
  return parts.join('; ');
}

/**
 * Beside the session cookie, a cookie the pages can read that holds no secret, only "1": it
 * tells the web app that someone is signed in, so anonymous visitors never ask /auth/me.
 */
export const SIGNED_IN_HINT_COOKIE = 'marsad_signed_in';

export function setSessionCookie(req: FastifyRequest, reply: FastifyReply, value: string, expires: Date): void {
  reply.header('Set-Cookie', [
    `${SESSION_COOKIE}=${value}; ${cookieAttributes(req, expires)}`,
    `${SIGNED_IN_HINT_COOKIE}=1; ${cookieAttributes(req, expires).replace('HttpOnly; ', '')}`,
  ]);
}

export function clearSessionCookie(req: FastifyRequest, reply: FastifyReply): void {
  reply.header('Set-Cookie', [
    `${SESSION_COOKIE}=; ${cookieAttributes(req, null)}`,
    `${SIGNED_IN_HINT_COOKIE}=; ${cookieAttributes(req, null).replace('HttpOnly; ', '')}`,
  ]);
}

export interface NewSession {
  cookieValue: string;
  csrfToken: string;
  expiresAt: Date;
}

/**
 * Signs a user in: a new session (the one the request came with, if any, is ended: the
 * session is rotated on every sign-in), with its own CSRF token.
 */
export async function startSession(
  store: Store,
  req: FastifyRequest,
  reply: FastifyReply,
  userId: number,
): Promise<NewSession> {
  const previous = readCookie(req, SESSION_COOKIE);
  if (previous) await store.db.deleteFrom('sessions').where('id', '=', sha256(previous)).execute();
  const cookieValue = randomSecret(32);
  const csrfToken = randomSecret(32);
  const expiresAt = new Date(Date.now() + SESSION_MS);
  await store.db
    .insertInto('sessions')
    .values({
      id: sha256(cookieValue),
      user_id: userId,
      csrf_token: csrfToken,
      expires_at: expiresAt,
      ip: req.ip ?? null,
      user_agent: req.headers['user-agent']?.slice(0, 500) ?? null,
    })
    .execute();
  setSessionCookie(req, reply, cookieValue, expiresAt);
  return { cookieValue, csrfToken, expiresAt };
}

export interface SessionRow {
  id: string;
  userId: number;
  csrfToken: string;
  expiresAt: Date;
}

/** The live session of a cookie value, or null (unknown or expired). Updates last_seen_at now and then. */
export async function findSession(store: Store, cookieValue: string): Promise<SessionRow | null> {
  const id = sha256(cookieValue);
  const row = await store.db
    .selectFrom('sessions')
    .select(['id', 'user_id', 'csrf_token', 'expires_at', 'last_seen_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  const expiresAt = new Date(row.expires_at);
  if (expiresAt.getTime() <= Date.now()) {
    await store.db.deleteFrom('sessions').where('id', '=', id).execute();
    return null;
  }
  if (Date.now() - new Date(row.last_seen_at).getTime() > TOUCH_MS) {
    await store.db.updateTable('sessions').set({ last_seen_at: new Date() }).where('id', '=', id).execute();
  }
  return { id, userId: row.user_id, csrfToken: row.csrf_token, expiresAt };
}

/** Ends the session of the request's cookie, if any. */
export async function endSession(store: Store, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const value = readCookie(req, SESSION_COOKIE);
  if (value) await store.db.deleteFrom('sessions').where('id', '=', sha256(value)).execute();
  clearSessionCookie(req, reply);
}

/** Signs a user out everywhere (but `keepSessionId`): on a password change, a reset, disabling. */
export async function endUserSessions(store: Store, userId: number, keepSessionId?: string): Promise<void> {
  let q = store.db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepSessionId) q = q.where('id', '!=', keepSessionId);
  await q.execute();
  // Expired sessions of anyone go at the same time.
  await store.db.deleteFrom('sessions').where('expires_at', '<', new Date()).execute();
}
