export * from './backup/backup.ts';
export * from './catalogue/catalogue-files.ts';
export * from './catalogue/load-catalogue.ts';
export * from './connection/open-store.ts';
export { openPGliteStore } from './connection/pglite-store.ts';
export {
  DEFAULT_STATEMENT_TIMEOUT_S,
  openPostgresStore,
  type PostgresStoreOptions,
} from './connection/postgres-store.ts';
export { lsnValue, parseReadUrls } from './connection/read-replicas.ts';
export * from './connection/store.ts';
export * from './fault-point.ts';
export * from './migrations/migrate.ts';
export * from './observations/copy-text.ts';
export * from './observations/observation-queries.ts';
export * from './observations/staged-merge.ts';
export * from './observations/suppression-sql.ts';
export * from './observations/table-statistics.ts';
export * from './schema.ts';
