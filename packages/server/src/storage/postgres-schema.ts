import type { Pool, PoolClient } from "pg";

/**
 * The PostgreSQL schema of Synced-Store, as numbered migrations. `migratePostgres` applies the
 * ones a database lacks, in order, each in its own transaction, and records them in
 * `synced_store_migrations`. Migrations are append-only: a shipped migration is never edited.
 *
 * Keys use the "C" collation so that they sort by code point (byte order of UTF-8), as the
 * SQLite storage does, whatever the database's default collation.
 */
export const POSTGRES_MIGRATIONS: readonly {
  readonly id: number;
  readonly name: string;
  readonly sql: string;
}[] = [
  {
    id: 1,
    name: "spaces, keys, clients",
    sql: `
CREATE TABLE synced_store_spaces (
  space_id text COLLATE "C" PRIMARY KEY,
  history_id text NOT NULL,
  version bigint NOT NULL,
  horizon bigint NOT NULL
);
CREATE TABLE synced_store_keys (
  space_id text COLLATE "C" NOT NULL,
  key text COLLATE "C" NOT NULL,
  value text,
  version bigint NOT NULL,
  PRIMARY KEY (space_id, key)
);
CREATE INDEX synced_store_keys_by_version ON synced_store_keys (space_id, version);
CREATE TABLE synced_store_clients (
  space_id text COLLATE "C" NOT NULL,
  client_id text COLLATE "C" NOT NULL,
  user_id text NOT NULL,
  last_mutation_id bigint NOT NULL,
  version bigint NOT NULL,
  PRIMARY KEY (space_id, client_id)
);`,
  },
  {
    id: 2,
    name: "spaces record the store definition version of their data",
    // Spaces stored before have version-1 data.
    sql: `ALTER TABLE synced_store_spaces ADD COLUMN schema_version bigint NOT NULL DEFAULT 1;`,
  },
  {
    id: 3,
    name: "client rows by user (counted when a user's new client is admitted)",
    sql: `CREATE INDEX synced_store_clients_by_user ON synced_store_clients (space_id, user_id);`,
  },
  {
    id: 4,
    name: "rejected mutations, kept for replay to their clients (bounded per client and per space)",
    // `version`: the batch that rejected it; over the bounds, those of the oldest versions go first.
    sql: `
CREATE TABLE synced_store_rejections (
  space_id text COLLATE "C" NOT NULL,
  client_id text COLLATE "C" NOT NULL,
  mutation_id bigint NOT NULL,
  code text NOT NULL,
  message text NOT NULL,
  version bigint NOT NULL,
  PRIMARY KEY (space_id, client_id, mutation_id)
);`,
  },
];

/** Lock id (first half of a two-int advisory lock) that serializes migrations across processes. */
const MIGRATION_LOCK = 0x5359_4e43; // "SYNC"

/**
 * Brings the database's schema up to date. Safe to call from several processes at once: they
 * take turns on an advisory lock, and each migration runs once.
 * @returns the ids of the migrations this call applied.
 */
export async function migratePostgres(pool: Pool): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1, 0)", [MIGRATION_LOCK]);
    try {
      return await applyMissing(client);
    } finally {
      await client.query("SELECT pg_advisory_unlock($1, 0)", [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}

async function applyMissing(client: PoolClient): Promise<number[]> {
  await client.query(`CREATE TABLE IF NOT EXISTS synced_store_migrations (
    id integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  const done = await client.query<{ id: number }>("SELECT id FROM synced_store_migrations");
  const applied = new Set(done.rows.map((row) => row.id));
  const ran: number[] = [];
  for (const migration of POSTGRES_MIGRATIONS) {
    if (applied.has(migration.id)) continue;
    await client.query("BEGIN");
    try {
      await client.query(migration.sql);
      await client.query("INSERT INTO synced_store_migrations (id, name) VALUES ($1, $2)", [
        migration.id,
        migration.name,
      ]);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK");
      throw error;
    }
    ran.push(migration.id);
  }
  return ran;
}
