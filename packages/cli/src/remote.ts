import { readLiveLock } from '@marsad/db';
import { readAdminToken, readCliToken } from '@marsad/server';

/**
 * A Marsad server that holds the embedded database, reached through its API with the API token
 * of MARSAD_TOKEN, else the one of `<dataDir>/cli-token` (the demonstration administrator's, written
 * with the demonstration data: auth/cli-token.ts), else the administrator token of the first start
 * (which works only until an administrator account exists).
 */
export interface Remote {
  baseUrl: string;
  token: string | null;
}

/**
 * When a running server holds the embedded database, CLI commands go through its API rather
 * than opening the same folder twice. Null when no server holds it (or a server database is used).
 */
export async function findRemote(dataDir: string, databaseUrl: string | undefined): Promise<Remote | null> {
  if (databaseUrl) return null;
  const lock = await readLiveLock(dataDir);
  if (!lock) return null;
  if (!lock.port) {
    throw new Error(
      `The embedded database in ${dataDir} is held by process ${lock.pid}, which is still starting; try again in a moment.`,
    );
  }
  return {
    baseUrl: `http://127.0.0.1:${lock.port}`,
    token: process.env.MARSAD_TOKEN || (await readCliToken(dataDir)) || (await readAdminToken(dataDir)),
  };
}

export async function remoteFetch(
  remote: Remote,
  path: string,
  init: RequestInit & { duplex?: 'half' } = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  if (remote.token) headers.set('Authorization', `Bearer ${remote.token}`);
  return fetch(remote.baseUrl + path, { ...init, headers });
}
