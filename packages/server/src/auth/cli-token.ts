import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Store } from '@marsad/db';
import { createApiToken, TOKEN_SCOPES } from './api-tokens.ts';

/**
 * The API token that CLI commands use through a running server when MARSAD_TOKEN is not set: with the demonstration
 * data, an administrator account exists from the first start, which retires the administrator token of the data
 * folder (admin-token.ts); a new user's `npx marsad import …` beside `npm start` was then refused (403). So the
 * demonstration administrator gets an API token of every scope, saved in `<dataDir>/cli-token` (readable by its
 * owner only), as the demonstration accounts' passwords are printed: demonstration data only.
 */
export async function writeDemoCliToken(store: Store, dataDir: string, email: string): Promise<string | null> {
  const user = await store.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
  if (!user) return null;
  const { token } = await createApiToken(store, user.id, {
    name: 'Command line (demonstration data)',
    scopes: [...TOKEN_SCOPES],
    expiresInDays: 365,
  });
  await mkdir(dataDir, { recursive: true });
  await writeFile(cliTokenPath(dataDir), `${token}\n`, { mode: 0o600 });
  return token;
}

export function cliTokenPath(dataDir: string): string {
  return path.join(dataDir, 'cli-token');
}

export async function readCliToken(dataDir: string): Promise<string | null> {
  const file = cliTokenPath(dataDir);
  return existsSync(file) ? (await readFile(file, 'utf8')).trim() || null : null;
}
