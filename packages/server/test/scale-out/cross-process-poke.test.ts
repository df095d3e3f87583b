import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RawClient } from "../../src/test-support/raw-client.js";
import { startServerProcess, type ServerProcess } from "../support/server-process.js";
import { createTempDatabase, type TempDatabase } from "../support/temp-postgres.js";
import { REDIS_URL, servicesReady } from "../support/services.js";

const ready = await servicesReady("postgres", "redis");

describe.skipIf(!ready)("cross-process pokes (needs PostgreSQL and Redis)", () => {
  let db: TempDatabase;
  beforeAll(async () => {
    db = await createTempDatabase();
  });
  afterAll(() => db.drop());

  async function connected(server: ServerProcess, userId: string, clientId: string, space: string) {
    const client = await RawClient.open(server.url);
    const reply = await client.connect({ space, clientId, auth: userId });
    if (reply.type !== "connected") throw new Error(`connect failed: ${JSON.stringify(reply)}`);
    return client;
  }

  describe.each(["postgres", "redis"] as const)("server processes on one database, %s bus", (bus) => {
    const processes: ServerProcess[] = [];
    const clients: RawClient[] = [];
    beforeAll(async () => {
      const env = {
        DATABASE_URL: db.url,
        BUS: bus,
        REDIS_URL,
        REDIS_PREFIX: `synced-store-test-${randomBytes(6).toString("hex")}:`,
        // Long enough that only the bus, not the safety poll, can explain a prompt poke.
        POLL_MS: "600000",
      };
      processes.push(...(await Promise.all([startServerProcess(env), startServerProcess(env)])));
    });
    afterAll(async () => {
      for (const c of clients) c.close();
      await Promise.all(processes.map((p) => p.stop()));
    });

    it("pokes a client of one process after a push to the other, filtered for its user", async () => {
      const space = `test/${bus}-1`;
      const [p1, p2] = processes as [ServerProcess, ServerProcess];
      const writer = await connected(p1, "alice", "alice-1", space);
      const reader = await connected(p2, "bob", "bob-1", space);
      clients.push(writer, reader);
      const from = reader.messages.length;
      writer.send({
        type: "push",
        client_id: "alice-1",
        mutations: [
          { id: 1, name: "setItem", args: { id: "a", text: "hello" }, timestamp: 1 },
          { id: 2, name: "setNote", args: { text: "private to alice" }, timestamp: 2 },
          { id: 3, name: "increment", args: { by: 5 }, timestamp: 3 },
        ],
      });
      const poke = await reader.waitFor((m) => m.type === "poke" && m.max_included_version >= 1, from);
      if (poke.type !== "poke") throw new Error("expected a poke");
      expect(poke.patches).toEqual(
        expect.arrayContaining([
          { op: "set", key: "items/a", value: { text: "hello" } },
          { op: "set", key: "counter", value: 5 },
        ]),
      );
      // Bob sees neither alice's private note, nor server-only keys, nor alice's client ids.
      const keys = poke.patches.map((p) => ("key" in p ? p.key : p.op));
      expect(keys.filter((k) => k.startsWith("$$"))).toEqual([]);
      expect(poke.client_id_to_last_mutation_id).toEqual({});
    });

    it("keeps one version sequence when both processes push to one space at once", async () => {
      const space = `test/${bus}-2`;
      const [p1, p2] = processes as [ServerProcess, ServerProcess];
      const a = await connected(p1, "u", "c-a", space);
      const b = await connected(p2, "u", "c-b", space);
      clients.push(a, b);
      const rounds = 20;
      for (let i = 1; i <= rounds; i++) {
        a.send({
          type: "push",
          client_id: "c-a",
          mutations: [{ id: i, name: "increment", args: { by: 1 }, timestamp: i }],
        });
        b.send({
          type: "push",
          client_id: "c-b",
          mutations: [{ id: i, name: "increment", args: { by: 1 }, timestamp: i }],
        });
      }
      // Both clients see every increment exactly once. The servers may commit several queued pushes
      // as one version, so versions are at most one per push; what each client receives is one
      // contiguous, increasing run of versions (none reused, none skipped), ending at the same one.
      const counted = (c: RawClient) =>
        c.waitFor(
          (m) =>
            m.type === "poke" &&
            m.patches.some((p) => p.op === "set" && p.key === "counter" && p.value === 2 * rounds),
        );
      await Promise.all([counted(a), counted(b)]);
      const runs = (c: RawClient) =>
        c.messages.flatMap((m) =>
          m.type === "poke" ? [[m.min_included_version, m.max_included_version] as const] : [],
        );
      for (const c of [a, b]) {
        let next = 1;
        for (const [min, max] of runs(c)) {
          expect(min).toBe(next);
          expect(max).toBeGreaterThanOrEqual(min);
          next = max + 1;
        }
      }
      expect(a.version()).toBe(b.version());
      expect(a.version()).toBeLessThanOrEqual(2 * rounds);
    });
  });
});
