import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { resolveActor } from './actor.ts';
import { isAdministrator, requireAdministrator } from './policy.ts';

/**
 * The administrator token of the first start: generated into the data folder (readable by its
 * owner only) and printed. It works until the first active administrator account exists
 * (`marsad user create --admin`); then accounts and API tokens replace it (actor.ts).
 */
export async function ensureAdminToken(dataDir: string): Promise<{ token: string; created: boolean }> {
  const file = path.join(dataDir, 'admin-token');
  if (existsSync(file)) return { token: (await readFile(file, 'utf8')).trim(), created: false };
  await mkdir(dataDir, { recursive: true });
  const token = `msd_${randomBytes(24).toString('base64url')}`;
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  return { token, created: true };
}

export async function readAdminToken(dataDir: string): Promise<string | null> {
  const file = path.join(dataDir, 'admin-token');
  return existsSync(file) ? (await readFile(file, 'utf8')).trim() : null;
}

/**
 * Whether the request's actor is an administrator (an account, an 'admin'-scoped token, or this token while it is
 * valid).
 */
export async function hasAdminToken(req: FastifyRequest, ctx: AppContext): Promise<boolean> {
  return isAdministrator(await resolveActor(req, ctx));
}

/** The guard of administrator-only routes (use as an onRequest hook, so it runs before the body is read). */
export function adminGuard(ctx: AppContext): (req: FastifyRequest, reply: FastifyReply) => Promise<void> {
  return requireAdministrator(ctx);
}
