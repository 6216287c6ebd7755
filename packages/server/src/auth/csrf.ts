import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { HttpError } from '../http/errors.ts';

export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether the request may change something (anything but GET, HEAD and OPTIONS). */
export function isStateChanging(req: FastifyRequest): boolean {
  return !SAFE_METHODS.has(req.method.toUpperCase());
}

function sameSecret(a: string, b: string): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db);
}

/**
 * A state-changing request authenticated by the session cookie must carry the session's CSRF
 * token in the X-CSRF-Token header (a page of another site can make the browser send the
 * cookie, but cannot read the token). Requests with an API token are exempt: no browser
 * adds those by itself.
 */
export function checkCsrf(req: FastifyRequest, sessionCsrfToken: string): void {
  if (!isStateChanging(req)) return;
  const given = req.headers[CSRF_HEADER];
  const value = Array.isArray(given) ? given[0] : given;
  if (!value) {
    throw new HttpError(
      403,
      'csrf_missing',
      'This request changes data and is signed in by the session cookie, so it must carry the header X-CSRF-Token with the csrfToken given at sign-in (also in GET /api/v1/auth/me).',
    );
  }
  if (!sameSecret(value, sessionCsrfToken)) {
    throw new HttpError(
      403,
      'csrf_mismatch',
      'The X-CSRF-Token header does not match this session; read the current csrfToken from GET /api/v1/auth/me.',
    );
  }
}
