import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../http/errors.ts';

/**
 * Until accounts exist, every write through the API needs the administrator token: generated
 * on first start into the data folder (readable by its owner only) and printed.
 */
export async function ensureAdminToken(dataDir: string): Promise<{ token: string; created: boolean }> {
  const file = path.join(dataDir, 'admin-token');
  if (existsSync(file)) return { token: (await readFile(file, 'utf8')).trim(), created: false };
  await mkdir(dataDir, { recursive: true });
  const token = 'msd_' + randomBytes(24).toString('base64url');
  await writeFile(file, token + '\n', { mode: 0o600 });
  return { token, created: true };
}

export async function readAdminToken(dataDir: string): Promise<string | null> {
  const file = path.join(dataDir, 'admin-token');
  return existsSync(file) ? (await readFile(file, 'utf8')).trim() : null;
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/** Whether the request carries the administrator token (compared in constant time). */
export function hasAdminToken(req: FastifyRequest, token: string): boolean {
  const header = req.headers.authorization;
  if (!header || !header.startsWith('Bearer ')) return false;
  return timingSafeEqual(digest(header.slice(7).trim()), digest(token));
}

export function adminGuard(token: string) {
  return async (req: FastifyRequest, _reply: FastifyReply) => {
    if (!req.headers.authorization) throw new HttpError(401, 'unauthorized', 'This request changes data: send the administrator token as "Authorization: Bearer <token>".');
    if (!hasAdminToken(req, token)) throw new HttpError(403, 'forbidden', 'The token given is not valid.');
  };
}
