import { OrderedMap, compilePatterns, type StoreWriteTransaction } from "@synced-store/core/internal";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defaultLimits } from "./limits.js";
import { serverTransaction } from "./server-transaction.js";
import { DELETED, SpaceState, type WriteLayer } from "./space-state.js";

const patterns = compilePatterns({ "items/*": z.number(), "other/*": z.number() });

function transaction(cached: Record<string, number>, batch: WriteLayer): StoreWriteTransaction {
  const state = new SpaceState();
  for (const [key, value] of Object.entries(cached)) state.values.set(key, value);
  const ctx = { userId: "u", clientId: "c", fullAccess: false, patterns, limits: defaultLimits };
  return serverTransaction(ctx, state, batch);
}

describe("serverTransaction scan", () => {
  it("merges the cached space, the batch's earlier writes and its own writes in key order", async () => {
    const batch: WriteLayer = OrderedMap.from<unknown>([
      ["items/b", 20],
      ["items/c", DELETED],
      ["items/e", 5],
    ]);
    const tx = transaction({ "items/a": 1, "items/c": 3, "items/d": 4, "other/x": 9 }, batch);
    await tx.set("items/f", 6);
    await tx.del("items/d");
    await tx.set("items/a", 10);

    const all = await tx.scan({ prefix: "items/" });
    expect(all).toEqual([
      { key: "items/a", value: 10 },
      { key: "items/b", value: 20 },
      { key: "items/e", value: 5 },
      { key: "items/f", value: 6 },
    ]);
    expect(await tx.scan({ prefix: "items/", start: "items/c", limit: 2 })).toEqual([
      { key: "items/e", value: 5 },
      { key: "items/f", value: 6 },
    ]);
    expect((await tx.scan()).map((e) => e.key)).toEqual([...all.map((e) => e.key), "other/x"]);
    expect(await tx.scan({ prefix: "items/", limit: 0 })).toEqual([]);
  });
});
