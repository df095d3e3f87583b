import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { OrderedMap } from "../kv/ordered-map.js";
import { defineStore } from "../schema/define-store.js";
import { deferred } from "../util/deferred.js";
import { silentLogger } from "../util/logger.js";
import { LayeredView, mergeLayers, type Layer } from "./layered-view.js";
import type { PeerMutation } from "./peer-mutations.js";
import type { PendingMutation } from "./pending-mutation.js";
import { changedUnderPending, rebase } from "./rebase.js";
import { ReadSet } from "./read-set.js";
import type { TransactionContext } from "./read-transaction.js";
import { runMutator, type RunnableMutator } from "./run-mutator.js";

/** One step of a pending mutation's program; `acc` sums what it read, and writes derive from it. */
type Op =
  | { op: "get" | "has" | "del" | "set" | "setIfEven" | "update" | "throwIfOdd"; key: string }
  | { op: "scan"; start?: string; limit?: number };

let runs: number[] = [];
const store = defineStore({ name: "rebase", keys: { "n/*": z.number() } }).mutators({
  program: {
    args: z.object({ tag: z.number(), ops: z.array(z.unknown()) }),
    run: async (tx, { tag, ops }) => {
      runs.push(tag);
      let acc = tag;
      for (const step of ops as Op[]) {
        switch (step.op) {
          case "get":
            acc += ((await tx.get(step.key)) as number | undefined) ?? 0;
            break;
          case "has":
            acc += (await tx.has(step.key)) ? 1 : 0;
            break;
          case "scan": {
            const { op: _op, ...options } = step;
            for (const e of await tx.scan({ prefix: "n/", ...options })) acc += 1 + e.value;
            break;
          }
          case "del":
            acc += (await tx.del(step.key)) ? 1 : 0;
            break;
          case "set":
            await tx.set(step.key, acc % 7);
            break;
          case "setIfEven":
            if (acc % 2 === 0) await tx.set(step.key, acc % 7);
            break;
          case "update":
            await tx.update(step.key, (d) => ((d as number) + acc) % 7);
            break;
          case "throwIfOdd":
            if ((((await tx.get(step.key)) as number | undefined) ?? 0) % 2 === 1) throw new Error("odd");
        }
      }
    },
  },
});
const mutators = store.mutatorDefs as unknown as Record<string, RunnableMutator>;
const ctx: TransactionContext = { userId: "u", clientId: "c", location: "client" };
const common = { mutators, patterns: store.patterns, ctx, logger: silentLogger };

function pending(id: number, ops: Op[]): PendingMutation {
  const args = { tag: id, ops };
  return {
    id,
    name: "program",
    args,
    parsed: { ok: true, value: args },
    timestamp: id,
    writes: new OrderedMap(),
    confirmed: deferred<void>(),
  };
}

/**
 * What `LocalStore.mutate` does: runs the new mutation over the current view, recording its reads.
 * False when it threw (then it is not queued).
 */
async function mutate(base: OrderedMap<unknown>, overlay: Layer, m: PendingMutation): Promise<boolean> {
  const reads = new ReadSet();
  try {
    const view = new LayeredView(base, [overlay]);
    const tx = await runMutator(mutators.program, "program", m.args, view, ctx, store.patterns, reads);
    m.writes = tx.writes;
    m.reads = reads;
    for (const [key, value] of tx.writes.entries()) overlay.set(key, value);
    return true;
  } catch {
    return false;
  }
}

const entries = (layer: Layer) => [...layer.entries()];
// Few keys, so programs often read what others write.
const KEYS = ["n/a", "n/b", "n/c"];
const keyArb = fc.constantFrom(...KEYS);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({
      op: fc.constantFrom("get", "has", "del", "set", "setIfEven", "update", "throwIfOdd" as const),
      key: keyArb,
    }),
    weight: 6,
  },
  // Scans read many keys, so programs that scan re-run often: kept rarer.
  {
    arbitrary: fc.record(
      { op: fc.constant("scan" as const), start: keyArb, limit: fc.integer({ min: 0, max: 2 }) },
      { requiredKeys: ["op"] },
    ),
    weight: 1,
  },
);
const patchArb = fc.array(fc.tuple(keyArb, fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined })), {
  maxLength: 3,
});
const roundArb = fc.record({
  patches: patchArb,
  acknowledge: fc.integer({ min: 0, max: 2 }),
  added: fc.array(fc.array(opArb, { maxLength: 4 }), { maxLength: 3 }),
  /** Coalesce the last added call into the one before it (its writes merge, no read set). */
  coalesce: fc.boolean(),
});

describe("rebase rule", () => {
  it("gives exactly the effect of replaying every pending mutation, over random programs and updates", async () => {
    const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
    console.log(`rebase property seed: ${seed} (rerun with FC_SEED=${seed})`);
    await fc.assert(
      fc.asyncProperty(
        patchArb,
        fc.array(roundArb, { minLength: 1, maxLength: 6 }),
        async (initial, rounds) => {
          let base = OrderedMap.from(initial.flatMap(([k, v]) => (v === undefined ? [] : [[k, v] as const])));
          let queue: PendingMutation[] = [];
          let overlay: Layer = new OrderedMap();
          let nextId = 1;
          for (const round of rounds) {
            for (const ops of round.added) {
              const m = pending(nextId++, ops);
              const last = queue[queue.length - 1];
              if (!(await mutate(base, overlay, m))) {
                nextId--;
              } else if (round.coalesce && last && ops === round.added[round.added.length - 1]) {
                // As `LocalStore.mutate` coalesces: the new call's args, under the old call's id.
                const merged = {
                  ...m,
                  id: last.id,
                  writes: mergeLayers(last.writes, m.writes),
                  reads: undefined,
                };
                queue[queue.length - 1] = merged;
                nextId--;
              } else {
                queue.push(m);
              }
            }
            const acked = queue.slice(0, round.acknowledge);
            queue = queue.slice(round.acknowledge);
            base = OrderedMap.from(base.entries());
            for (const [key, value] of round.patches) {
              if (value === undefined) base.delete(key);
              else base.set(key, value);
            }
            const changed = changedUnderPending({
              reset: false,
              peersChanged: false,
              patched: round.patches.map(([key]) => key),
              acknowledged: acked,
            });
            overlay = await rebase({ ...common, base, steps: queue, changed });

            // Reference: the same queue replayed in full from scratch.
            const fresh = queue.map((m) => ({ ...m, writes: new OrderedMap<unknown>(), reads: undefined }));
            const full = await rebase({ ...common, base, steps: fresh, changed: undefined });
            expect(entries(overlay)).toEqual(entries(full));
            expect(queue.map((m) => entries(m.writes))).toEqual(fresh.map((m) => entries(m.writes)));
          }
        },
      ),
      { seed, numRuns: 1000 },
    );
  });

  it("re-runs only what read a changed key, and what read a key an earlier re-run changed", async () => {
    const base = OrderedMap.from<unknown>([["n/a", 1]]);
    const overlay: Layer = new OrderedMap();
    const queue = [
      pending(1, [
        { op: "get", key: "n/a" },
        { op: "set", key: "n/b" },
      ]), // reads n/a, writes n/b
      pending(2, [
        { op: "get", key: "n/c" },
        { op: "set", key: "n/d" },
      ]), // unrelated
      pending(3, [
        { op: "get", key: "n/b" },
        { op: "set", key: "n/e" },
      ]), // reads what 1 writes
    ];
    for (const m of queue) await mutate(base, overlay, m);

    runs = [];
    base.set("n/a", 2);
    const changed = changedUnderPending({
      reset: false,
      peersChanged: false,
      patched: ["n/a"],
      acknowledged: [],
    });
    const after = await rebase({ ...common, base, steps: queue, changed });
    expect(runs).toEqual([1, 3]);
    expect(after.get("n/b")).toBe(3); // (1 + 2) % 7

    // n/a moved by 7: mutation 1 writes n/b as before, so 3 keeps its effect.
    runs = [];
    base.set("n/a", 9);
    await rebase({ ...common, base, steps: queue, changed: new Set(["n/a"]) });
    expect(runs).toEqual([1]);
  });

  it("counts a key an earlier re-run no longer writes as changed", async () => {
    const base = OrderedMap.from<unknown>([["n/a", 1]]);
    const overlay: Layer = new OrderedMap();
    const queue = [
      pending(1, [
        { op: "get", key: "n/a" },
        { op: "setIfEven", key: "n/b" },
      ]), // n/b = 2 while n/a is odd
      pending(2, [
        { op: "get", key: "n/b" },
        { op: "set", key: "n/c" },
      ]),
    ];
    for (const m of queue) await mutate(base, overlay, m);
    expect(overlay.get("n/c")).toBe(4);
    base.set("n/a", 2);
    const after = await rebase({ ...common, base, steps: queue, changed: new Set(["n/a"]) });
    expect(after.has("n/b")).toBe(false);
    expect(after.get("n/c")).toBe(2);
  });

  it("re-runs everything on a reset or when other tabs' mutations are shown or left", async () => {
    const base = new OrderedMap<unknown>();
    const queue = [pending(1, [{ op: "set", key: "n/a" }]), pending(2, [{ op: "set", key: "n/b" }])];
    for (const m of queue) await mutate(base, new OrderedMap(), m);
    const none = { patched: [], acknowledged: [] };
    expect(changedUnderPending({ ...none, reset: true, peersChanged: false })).toBeUndefined();
    expect(changedUnderPending({ ...none, reset: false, peersChanged: true })).toBeUndefined();

    runs = [];
    await rebase({ ...common, base, steps: queue, changed: new Set() });
    expect(runs).toEqual([]);
    const peer: PeerMutation = {
      clientId: "c2",
      id: 1,
      name: "program",
      parsed: { ok: true, value: { tag: 9, ops: [] } },
      timestamp: 0,
    };
    await rebase({ ...common, base, steps: [peer, ...queue], changed: new Set() });
    expect(runs).toEqual([9, 1, 2]);
  });

  it("counts the keys acknowledged mutations wrote as changed, and re-runs a coalesced call always", async () => {
    const base = new OrderedMap<unknown>();
    const overlay: Layer = new OrderedMap();
    const first = pending(1, [{ op: "set", key: "n/a" }]);
    const second = pending(2, [{ op: "get", key: "n/c" }]);
    for (const m of [first, second]) await mutate(base, overlay, m);
    expect(
      [
        ...changedUnderPending({
          reset: false,
          peersChanged: false,
          patched: ["n/b"],
          acknowledged: [first],
        })!,
      ].sort(),
    ).toEqual(["n/a", "n/b"]);

    second.reads = undefined; // as a coalesced call
    runs = [];
    await rebase({ ...common, base, steps: [second], changed: new Set() });
    expect(runs).toEqual([2]);
  });

  it("leaves a mutation whose re-run throws with an empty effect, still queued", async () => {
    const base = OrderedMap.from<unknown>([["n/a", 2]]);
    const m = pending(1, [
      { op: "throwIfOdd", key: "n/a" },
      { op: "set", key: "n/b" },
    ]);
    await mutate(base, new OrderedMap(), m);
    expect(entries(m.writes)).toEqual([["n/b", 1]]);
    base.set("n/a", 3);
    const overlay = await rebase({ ...common, base, steps: [m], changed: new Set(["n/a"]) });
    expect(entries(overlay)).toEqual([]);
    expect(entries(m.writes)).toEqual([]);
    // Deleting n/a makes it succeed again, and its write comes back.
    base.delete("n/a");
    const again = await rebase({ ...common, base, steps: [m], changed: new Set(["n/a"]) });
    expect(entries(again)).toEqual([["n/b", 1]]);
  });
});
