/**
 * `@synced-store/server/sqlite`: the SQLite storage (better-sqlite3), kept behind its own entry
 * point so hosts that do not use it never load the native module.
 */
export { openSqliteStorage, type SqliteStorageOptions } from "./storage/sqlite.js";
