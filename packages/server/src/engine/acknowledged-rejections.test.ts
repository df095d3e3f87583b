import type { PokeMessage, PullResponseMessage, ServerMessage } from "@synced-store/core/protocol";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Storage } from "../storage/storage.js";
import { openSqliteStorage } from "../storage/sqlite.js";
import type { RawClient } from "../test-support/raw-client.js";
import { startTestServer, type TestServer } from "../test-support/test-server.js";

let t: TestServer;
let dir: string | undefined;
afterEach(async () => {
  await t.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const pokeUpTo =
  (clientId: string, id: number) =>
  (m: ServerMessage): m is PokeMessage =>
    m.type === "poke" && (m.client_id_to_last_mutation_id[clientId] ?? 0) >= id;

async function pull(c: RawClient, clientId: string, base: number, lastMutationId?: number) {
  const from = c.messages.length;
  c.send({
    type: "pull",
    client_id: clientId,
    base_version: base,
    ...(lastMutationId === undefined ? {} : { last_mutation_id: lastMutationId }),
  });
  return c.waitFor((m): m is PullResponseMessage => m.type === "pull_response", from);
}

const storages: Array<[string, () => Storage | undefined]> = [
  ["in memory", () => undefined],
  [
    "SQLite",
    () => {
      dir = mkdtempSync(join(tmpdir(), "synced-store-acked-rejections-"));
      return openSqliteStorage({ path: join(dir, "db.sqlite") });
    },
  ],
];

describe.each(storages)("rejections in the updates that acknowledge them (%s)", (_name, storage) => {
  it("go to the pushing client in its poke and in pull responses after the id it names, nobody else", async () => {
    const s = storage();
    t = await startTestServer(s === undefined ? {} : { storage: s });
    const a = await t.connected("alice", "ca");
    const tab = await t.connected("alice", "cb");
    const bob = await t.connected("bob", "cc");
    a.send({
      type: "push",
      client_id: "ca",
      mutations: [
        { id: 1, name: "setItem", args: { id: "1", text: "x" }, timestamp: 0 },
        { id: 2, name: "noSuchMutator", args: {}, timestamp: 0 },
        { id: 3, name: "setItem", args: { id: 2 }, timestamp: 0 },
      ],
    });
    const poke = await a.waitFor(pokeUpTo("ca", 3));
    const expected = [
      {
        mutation_id: 2,
        code: "unknown_mutator",
        message: expect.stringContaining("noSuchMutator") as string,
      },
      { mutation_id: 3, code: "invalid_args", message: expect.any(String) as string },
    ];
    expect(poke.rejections).toEqual(expected);
    // Same poke as before for everyone else: no rejections of another client.
    const tabPoke = await tab.waitFor(pokeUpTo("ca", 3));
    const bobPoke = await bob.waitFor((m): m is PokeMessage => m.type === "poke");
    expect("rejections" in tabPoke || "rejections" in bobPoke).toBe(false);

    // A pull acknowledging them carries them; after the id the client names, up to the ack.
    expect((await pull(a, "ca", 0, 0)).rejections).toEqual(expected);
    expect((await pull(a, "ca", 0, 2)).rejections).toEqual([expected[1]]);
    expect("rejections" in (await pull(a, "ca", 0, 3))).toBe(false);
    // Without the id (an older client) or acknowledging nothing new: none.
    expect("rejections" in (await pull(a, "ca", 0))).toBe(false);
    expect("rejections" in (await pull(a, "ca", 1, 0))).toBe(false);
    // Another client of the same user pulling never gets them.
    expect("rejections" in (await pull(tab, "cb", 0, 0))).toBe(false);
  });

  it("stay within the per-client bounds, newest kept", async () => {
    const s = storage();
    t = await startTestServer({
      ...(s === undefined ? {} : { storage: s }),
      limits: { rejectionsPerClient: 2 },
    });
    const a = await t.connected("alice", "ca");
    a.send({
      type: "push",
      client_id: "ca",
      mutations: [1, 2, 3].map((id) => ({ id, name: "noSuchMutator", args: {}, timestamp: 0 })),
    });
    const poke = await a.waitFor(pokeUpTo("ca", 3));
    expect(poke.rejections?.map((r) => r.mutation_id)).toEqual([2, 3]);
    expect((await pull(a, "ca", 0, 0)).rejections?.map((r) => r.mutation_id)).toEqual([2, 3]);
  });
});
