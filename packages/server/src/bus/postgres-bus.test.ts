import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { createTempDatabase, type TempDatabase } from "../../test/support/temp-postgres.js";
import { runBusContract } from "./bus-contract.js";
import { createPostgresBus } from "./postgres-bus.js";
import { servicesReady } from "../../test/support/services.js";

const ready = await servicesReady("postgres");

describe.skipIf(!ready)("postgres bus (needs PostgreSQL)", () => {
  let db: TempDatabase;
  beforeAll(async () => {
    db = await createTempDatabase();
  });
  afterAll(() => db.drop());

  /** Runs one statement on a connection of its own. */
  async function sql(text: string, values: unknown[] = []): Promise<void> {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query(text, values);
    } finally {
      await client.end();
    }
  }

  runBusContract("postgres", async () => {
    const options = { connectionString: db.url, channel: "bus_test", reconnect: { minMs: 20, maxMs: 200 } };
    const a = await createPostgresBus(options);
    const b = await createPostgresBus(options);
    return {
      a,
      b,
      // Kill b's listening backend the way a database restart or a network cut would.
      cut: (bus) =>
        sql(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND query ILIKE 'LISTEN%' AND application_name = $1`,
          [`synced-store-bus-${bus.id}`],
        ),
      restore: () => Promise.resolve(),
      sendGarbage: (payload) => sql("SELECT pg_notify('bus_test', $1)", [payload]),
      close: async () => {
        await Promise.all([a.close(), b.close()]);
      },
    };
  });

  describe("postgres bus", () => {
    it("refuses a channel name that is not a plain identifier", async () => {
      await expect(
        createPostgresBus({ connectionString: db.url, channel: "x; DROP TABLE y" }),
      ).rejects.toThrow(/Invalid NOTIFY channel/);
    });
  });
});
