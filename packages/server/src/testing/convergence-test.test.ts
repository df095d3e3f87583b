import { describe, expect, it } from "vitest";
import { z } from "zod";
import { testStore } from "../test-support/test-store.js";
import { startConvergenceTest } from "./convergence-test.js";

const quiet = () => undefined;

/** The server's stricter `setItem`: it refuses texts ending in "!", which clients accept. */
const serverTestStore = testStore.mutators({
  setItem: {
    args: z.object({ id: z.string(), text: z.string() }),
    run: async (tx, a) => {
      if (a.text.endsWith("!")) throw new Error("No shouting");
      await testStore.mutatorDefs.setItem.run(tx, a);
    },
  },
});

describe("startConvergenceTest", () => {
  it("converges clients of several users behind the fault proxy with the server, rejections included", async () => {
    await using t = await startConvergenceTest({
      definition: testStore,
      serverStores: [serverTestStore],
      log: quiet,
    });
    const stores = ["ada", "bo", "cy"].flatMap((userId) => [
      t.client({ space: "s1", userId }),
      t.client({ space: "s1", userId }),
    ]);
    const other = t.client({ space: "s2", userId: "ada" });
    await t.run([...stores, other], 15, async (store, random, i) => {
      const id = `i${Math.floor(random() * 4)}`;
      const pick = random();
      if (pick < 0.35) await store.mutate.setItem({ id, text: `${store.clientId}#${i}` });
      else if (pick < 0.5) await store.mutate.delItem({ id });
      else if (pick < 0.7) await store.mutate.increment({ by: 1 });
      else if (pick < 0.85) await store.mutate.setNote({ text: `${i}` });
      else await store.mutate.setItem({ id, text: "loud!" }); // applied here, rejected by the server
    });
    const states = await t.converged();
    expect([...states.keys()].sort()).toEqual(["s1", "s2"]);
    const s1 = states.get("s1")!;
    // 6 clients × 15 steps, of which increments reached the server's counter exactly once each.
    expect(s1).toHaveProperty("$$so/audit");
    expect(
      Object.keys(s1).some((k) => k.startsWith("items/") && (s1[k] as { text: string }).text === "never"),
    ).toBe(false);
    expect(await t.serverState("s1")).toEqual(s1);
    expect(t.stats.frames).toBeGreaterThan(0);
  }, 60_000);

  it("fails, naming the store, the reason and the seed, when a client cannot converge", async () => {
    await using t = await startConvergenceTest({
      definition: testStore,
      seed: 42,
      faults: {},
      log: quiet,
      authenticate: ({ auth }) => (auth === "mallory" ? undefined : auth),
    });
    t.client({ space: "s1", userId: "ada" });
    const refused = t.client({ space: "s1", userId: "mallory" });
    await refused.mutate.setItem({ id: "x", text: "never pushed" });
    await expect(t.converged({ timeoutMs: 500 })).rejects.toThrow(
      /test\/s1 did not converge.*mallory.*pending.*SEED=42/s,
    );
  }, 30_000);

  it("prints its seed and replays the same numbers from the same seed and label", async () => {
    const lines: string[] = [];
    const draw = async () => {
      await using t = await startConvergenceTest({
        definition: testStore,
        seed: 7,
        log: (l) => lines.push(l),
      });
      const r = t.random("store 1");
      return [r(), r(), r()];
    };
    const first = await draw();
    expect(await draw()).toEqual(first);
    expect(lines).toEqual([
      "convergence test seed 7; replay with SEED=7",
      "convergence test seed 7; replay with SEED=7",
    ]);
  });
});
