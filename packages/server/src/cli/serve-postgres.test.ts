import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTempDatabase, type TempDatabase } from "../../test/support/temp-postgres.js";
import { RawClient } from "../test-support/raw-client.js";
import { jsonLogger } from "./json-logger.js";
import { openBackend } from "./open-backend.js";
import { parseServeArgs, serve } from "./serve.js";
import { REDIS_URL, servicesReady } from "../../test/support/services.js";

const ready = await servicesReady("postgres", "redis");

describe.skipIf(!ready)("serve on PostgreSQL (needs PostgreSQL and Redis)", () => {
  const definition = fileURLToPath(new URL("../test-support/test-store.ts", import.meta.url));

  let db: TempDatabase;
  beforeAll(async () => {
    db = await createTempDatabase();
  });
  afterAll(() => db.drop());

  describe("serve --database-url / --redis-url", () => {
    const logger = jsonLogger(() => undefined);
    const never = () => {
      throw new Error("must not open SQLite or memory storage");
    };

    it.each([
      [{ databaseUrl: undefined, redisUrl: "redis://x", sqlite: false }, /--redis-url needs --database-url/],
      [{ databaseUrl: "mysql://x", redisUrl: undefined, sqlite: false }, /Bad --database-url/],
      [{ databaseUrl: "postgres://x", redisUrl: "http://x", sqlite: false }, /Bad --redis-url/],
      [{ databaseUrl: "postgres://x", redisUrl: undefined, sqlite: true }, /not both/],
    ])("refuses %j with a clear message", async (args, message) => {
      await expect(openBackend(args, logger, never)).rejects.toThrow(message);
    });

    it.each(["postgres", "redis"] as const)(
      "runs two servers on one database whose clients see each other's commits (%s bus)",
      async (bus) => {
        const argv = ["--port", "0", "--database-url", db.url];
        if (bus === "redis") argv.push("--redis-url", REDIS_URL);
        const started = [
          await serve(parseServeArgs([definition, ...argv]), logger),
          await serve(parseServeArgs([definition, ...argv]), logger),
        ];
        const clients: RawClient[] = [];
        try {
          const space = `test/cli-${bus}-${randomBytes(4).toString("hex")}`;
          for (const [i, s] of started.entries()) {
            const c = await RawClient.open(s.running.url);
            clients.push(c);
            expect((await c.connect({ space, clientId: `c${i}`, auth: `u${i}` })).type).toBe("connected");
          }
          clients[0]!.send({
            type: "push",
            client_id: "c0",
            mutations: [{ id: 1, name: "setItem", args: { id: "x", text: "from 0" }, timestamp: 0 }],
          });
          const poke = await clients[1]!.waitFor((m) => m.type === "poke");
          expect(poke.type === "poke" && poke.patches).toEqual([
            { op: "set", key: "items/x", value: { text: "from 0" } },
          ]);
        } finally {
          for (const c of clients) c.close();
          for (const s of started) {
            await s.running.close();
            await s.server.close();
            await s.bus?.close();
          }
        }
      },
    );
  });
});
