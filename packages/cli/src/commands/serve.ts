import { readFile } from 'node:fs/promises';
import { announcePort, openStore } from '@marsad/db';
import {
  activeAdministratorExists,
  buildApp,
  cliTokenPath,
  ensureAdminToken,
  prepareDatabase,
  writeDemoCliToken,
} from '@marsad/server';
import { demoFor, type RuntimeConfig } from '../config.ts';

export async function marsadVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(new URL('../../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** `marsad serve` (and `npm start`): migrate, load what a new database needs, listen. */
export async function serve(config: RuntimeConfig): Promise<void> {
  const store = await openStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    statementTimeoutS: config.statementTimeoutS,
    readUrls: config.readUrls,
  });
  const log = (m: string) => console.log(m);
  log(
    `Database: ${store.kind === 'pglite' ? `embedded PostgreSQL (PGlite) in ${store.location}` : `PostgreSQL server ${store.location}`}`,
  );
  if (config.readUrls.length) log(`Public reads also from ${config.readUrls.length} replica(s) (DATABASE_READ_URL)`);
  const { demoAccounts } = await prepareDatabase(store, { demo: demoFor(config, store.kind), log });
  const { token, created } = await ensureAdminToken(config.dataDir);
  // The demonstration administrator retires the administrator token at once: CLI commands beside this server use an
  // API token of that account instead (auth/cli-token.ts).
  const demoAdmin = demoAccounts.find((a) => a.roles.some((r) => r.role === 'administrator'));
  const cliToken = demoAdmin ? await writeDemoCliToken(store, config.dataDir, demoAdmin.email) : null;
  const app = await buildApp(
    { store, dataDir: config.dataDir, adminToken: token, version: await marsadVersion() },
    {
      logger: { level: process.env.LOG_LEVEL ?? 'warn' },
      trustProxy: config.trustProxy,
      uploadLimits: config.uploadLimits,
      publicCache: config.publicCache,
    },
  );
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  if (store.kind === 'pglite') await announcePort(config.dataDir, port);
  const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  log('');
  log(`Marsad is running at http://${shown}:${port}/`);
  log(`  API:      http://${shown}:${port}/api/v1/indicators`);
  log(`  API docs: http://${shown}:${port}/api/docs`);
  if (await activeAdministratorExists(store.db)) {
    log(
      '  Sign in with an account; machine clients use API tokens (the administrator token of the first start is retired).',
    );
  } else {
    log(
      created
        ? `  Administrator token (new, saved in ${config.dataDir}/admin-token): ${token}`
        : `  Administrator token: in ${config.dataDir}/admin-token`,
    );
    log('  It works until the first administrator account exists: npx marsad user create --admin --email <address>');
  }
  if (cliToken)
    log(
      `  Commands such as \`npx marsad import\` beside this server act as ${demoAdmin?.email} (its API token: ${cliTokenPath(config.dataDir)}).`,
    );
  if (demoAccounts.length) {
    log('');
    log('Demonstration accounts (passwords shown this once; sign in at /sign-in):');
    const width = Math.max(...demoAccounts.map((a) => a.email.length));
    for (const a of demoAccounts) {
      const roles = a.roles.map((r) => (r.place ? `${r.role} of ${r.place}` : r.role)).join(', ');
      log(`  ${a.email.padEnd(width)}  ${a.password}  ${roles}`);
    }
  }
  let closing = false;
  const stop = async () => {
    if (closing) return;
    closing = true;
    await app.close();
    await store.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
