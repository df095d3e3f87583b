import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgresStorage } from "../../src/postgres.js";
import { startTestServer, type TestServer } from "../../src/test-support/test-server.js";
import { createTempDatabase, type TempDatabase } from "../support/temp-postgres.js";
import { servicesReady } from "../support/services.js";

const ready = await servicesReady("postgres");

describe.skipIf(!ready)("unstorable input on PostgreSQL (needs PostgreSQL)", () => {
  let db: TempDatabase;
  let t: TestServer;
  beforeAll(async () => {
    db = await createTempDatabase();
    t = await startTestServer({ storage: await openPostgresStorage({ connectionString: db.url }) });
  });
  afterAll(async () => {
    await t.close();
    await db.drop();
  });

  // PostgreSQL text holds no U+0000, and no text store keeps a lone surrogate as it was: such input
  // must be refused as that client's error, never fail a commit that other clients share.
  it.each([
    ["a key with U+0000", { id: "a\u0000b", text: "x" }],
    ["a key with a lone surrogate", { id: "a\ud800", text: "x" }],
  ])("rejects a mutation writing %s and commits everyone else's", async (_, args) => {
    const space = `test/unstorable-${args.id.length}-${args.id.charCodeAt(1)}`;
    const bad = await t.connected("mallory", `m-${space}`, space);
    const good = await t.connected("ann", `a-${space}`, space);
    bad.send({
      type: "push",
      client_id: `m-${space}`,
      mutations: [
        { id: 1, name: "setItem", args, timestamp: 0 },
        { id: 2, name: "setItem", args: { id: "fine", text: "kept" }, timestamp: 0 },
      ],
    });
    good.send({
      type: "push",
      client_id: `a-${space}`,
      mutations: [{ id: 1, name: "increment", args: { by: 1 }, timestamp: 0 }],
    });
    const error = await bad.waitFor((m) => m.type === "mutation_error");
    expect(error.type === "mutation_error" && error.mutation_id).toBe(1);
    await good.waitFor((m) => m.type === "poke" && m.client_id_to_last_mutation_id[`a-${space}`] === 1);
    await bad.waitFor((m) => m.type === "poke" && m.client_id_to_last_mutation_id[`m-${space}`] === 2);
  });

  it("stores the longest key the limits allow in the longest space id, in any script", async () => {
    // Three UTF-8 bytes per character, no two alike (nothing to compress): 1,017 bytes of key under
    // 512 bytes of space id fit PostgreSQL's 2,704-byte index entry limit; 3,000 bytes of key would
    // not, and are refused as that client's error.
    const cjk = (n: number, from: number) =>
      Array.from({ length: n }, (_, i) => String.fromCharCode(0x4e00 + ((from + i * 7919) % 20000))).join("");
    const space = `test/${cjk(169, 1)}`; // 512 bytes
    const id = cjk(339, 2);
    const c = await t.connected("ann", "long-1", space);
    c.send({
      type: "push",
      client_id: "long-1",
      mutations: [
        { id: 1, name: "setItem", args: { id, text: "x" }, timestamp: 0 },
        { id: 2, name: "setItem", args: { id: cjk(1000, 3), text: "too long" }, timestamp: 0 },
      ],
    });
    const error = await c.waitFor((m) => m.type === "mutation_error");
    expect(error.type === "mutation_error" && [error.mutation_id, error.code]).toEqual([2, "key_too_large"]);
    const poke = await c.waitFor((m) => m.type === "poke" && m.client_id_to_last_mutation_id["long-1"] === 2);
    expect(poke.type === "poke" && poke.patches).toEqual([
      { op: "set", key: `items/${id}`, value: { text: "x" } },
    ]);
  });

  it("refuses a connect whose client id cannot be stored", async () => {
    const c = await t.client();
    const reply = await c.connect({ space: "test/ids", clientId: "c\u0000d", auth: "ann" });
    expect(reply.type).toBe("error");
  });
});
