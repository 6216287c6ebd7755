import path from 'node:path';
import { parseReadUrls } from '@marsad/db';
import {
  type PublicCacheOptions,
  parseTrustProxy,
  readPublicCache,
  readUploadLimits,
  type TrustProxy,
  type UploadLimits,
} from '@marsad/server';

/** Settings from the environment, as the README lists them. */
export interface RuntimeConfig {
  dataDir: string;
  databaseUrl?: string;
  /** DATABASE_READ_URL: streaming replicas of DATABASE_URL's server for public reads (docs/operations.md). */
  readUrls: string[];
  port: number;
  host: string;
  /** MARSAD_DEMO=1: demonstration data on a server database too; MARSAD_DEMO=0: none even on a new embedded one. */
  demo: 'default' | 'yes' | 'no';
  /** MARSAD_TRUST_PROXY: the reverse proxies trusted for X-Forwarded-For (docs/operations.md); default none. */
  trustProxy: TrustProxy;
  /** MARSAD_UPLOAD_MAX_UNPACKED_BYTES, MARSAD_UPLOAD_MAX_ROWS, MARSAD_UPLOAD_MAX_PDF_MEMORY (docs/operations.md). */
  uploadLimits: Partial<UploadLimits>;
  /** MARSAD_CACHE_MB: the memory kept for public answers (docs/operations.md). */
  publicCache: Partial<PublicCacheOptions>;
  /** MARSAD_STATEMENT_TIMEOUT_S: on a PostgreSQL server, how long a statement outside a transaction may run. */
  statementTimeoutS?: number;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, not "${env.PORT}"`);
  const readUrls = parseReadUrls(env.DATABASE_READ_URL);
  if (readUrls.length && !env.DATABASE_URL)
    throw new Error('DATABASE_READ_URL names replicas of a PostgreSQL server: set DATABASE_URL to that server too');
  return {
    dataDir: path.resolve(env.MARSAD_DATA_DIR || '.marsad'),
    databaseUrl: env.DATABASE_URL || undefined,
    readUrls,
    port,
    host: env.HOST || '127.0.0.1',
    demo: env.MARSAD_DEMO === '1' ? 'yes' : env.MARSAD_DEMO === '0' ? 'no' : 'default',
    trustProxy: parseTrustProxy(env.MARSAD_TRUST_PROXY),
    uploadLimits: readUploadLimits(env),
    publicCache: readPublicCache(env),
    statementTimeoutS: readStatementTimeout(env),
  };
}

function readStatementTimeout(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env.MARSAD_STATEMENT_TIMEOUT_S?.trim();
  if (!raw) return undefined;
  const s = Number(raw);
  if (!Number.isFinite(s) || s < 0 || s > 86_400)
    throw new Error(`MARSAD_STATEMENT_TIMEOUT_S must be a number of seconds from 0 (none) to 86400, not "${raw}"`);
  return s;
}

/**
 * The demonstration data for a command that opens the database itself, as `marsad serve` decides: MARSAD_DEMO=1 on
 * any database, MARSAD_DEMO=0 on none, by default on a new embedded database only.
 */
export function demoFor(config: RuntimeConfig, storeKind: 'pglite' | 'postgres'): 'yes' | 'if-new' | 'no' {
  if (config.demo === 'yes' || config.demo === 'no') return config.demo;
  return storeKind === 'pglite' ? 'if-new' : 'no';
}
