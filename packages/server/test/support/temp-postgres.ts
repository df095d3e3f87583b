import { randomBytes } from "node:crypto";
import pg from "pg";

/** The server tests and benchmarks connect to; each run works in its own database on it. */
export const DATABASE_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** A database created for one test run; `drop` (or `await using`) removes it. */
export interface TempDatabase extends AsyncDisposable {
  /** Connection string of the new database. */
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

/**
 * Creates `synced_store_test_<random>` on the server of `DATABASE_URL`. Dropping it terminates
 * whatever connections are still open to it, so a failed test cannot leave it behind.
 */
export async function createTempDatabase(baseUrl = DATABASE_URL): Promise<TempDatabase> {
  const name = `synced_store_test_${randomBytes(6).toString("hex")}`;
  await admin(baseUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    await admin(baseUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  };
  return { url: url.toString(), name, drop, [Symbol.asyncDispose]: drop };
}

async function admin(baseUrl: string, fn: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}
