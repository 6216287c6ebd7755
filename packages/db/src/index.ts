export * from './schema.ts';
export * from './connection/store.ts';
export * from './connection/open-store.ts';
export { openPGliteStore } from './connection/pglite-store.ts';
export { openPostgresStore } from './connection/postgres-store.ts';
export * from './migrations/migrate.ts';
