/**
 * `@synced-store/server/postgres`: PostgreSQL storage and the LISTEN/NOTIFY bus, for several
 * server processes sharing one database. Kept behind its own entry point so hosts that do not
 * use PostgreSQL never load `pg`.
 */
export { openPostgresStorage, type PostgresStorageOptions } from "./storage/postgres.js";
export { migratePostgres, POSTGRES_MIGRATIONS } from "./storage/postgres-schema.js";
export { createPostgresBus, type PostgresBusOptions } from "./bus/postgres-bus.js";
