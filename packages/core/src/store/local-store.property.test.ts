/**
 * Property: after any sequence of local mutations, server updates (patches, acknowledgements and
 * rejections in id order, gaps, resets) and reopenings from persistence, the visible state equals
 * base + replay of pending, and every subscription's last result equals its query run afresh.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { todoStore } from "../../test/todo-definition.js";
import { createDrivenStore } from "../testing.js";
import type { Query, Store } from "../client-types.js";
import { MutationRejectedError } from "../errors.js";
import { memoryPersistence } from "../persistence/memory-persistence.js";
import type { SyncTarget } from "./server-update.js";
import type { PatchOp } from "../protocol/messages.js";

const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
console.log(`local-store property seed: ${seed} (rerun with FC_SEED=${seed})`);

type State = Map<string, unknown>;
type Mutation =
  | { name: "increment"; args: number }
  | { name: "setRaw"; args: { key: string; value: number } }
  | { name: "delRaw"; args: string }
  | { name: "addTodo"; args: { id: string; text: string } }
  | { name: "toggle"; args: { id: string } }
  | { name: "removeTodo"; args: string };

/** Reference semantics of the mutators, over a plain map. Throws like the real ones. */
function applyReference(state: State, m: Mutation): void {
  switch (m.name) {
    case "increment":
      state.set("counter", ((state.get("counter") as number | undefined) ?? 0) + m.args);
      return;
    case "setRaw":
      state.set(m.args.key, m.args.value);
      return;
    case "delRaw":
      state.delete(m.args);
      return;
    case "addTodo":
      state.set(`todos/${m.args.id}`, { id: m.args.id, text: m.args.text, done: false });
      return;
    case "toggle": {
      const t = state.get(`todos/${m.args.id}`) as { done: boolean } | undefined;
      if (t === undefined) throw new Error("missing");
      state.set(`todos/${m.args.id}`, { ...t, done: !t.done });
      return;
    }
    case "removeTodo":
      state.delete(`todos/${m.args}`);
  }
}

function replay(base: State, pending: ReadonlyArray<{ m: Mutation }>): Record<string, unknown> {
  const state = new Map(base);
  for (const { m } of pending) {
    const attempt = new Map(state);
    try {
      applyReference(attempt, m);
      state.clear();
      for (const [k, v] of attempt) state.set(k, v);
    } catch {
      // A mutation that throws on replay has no effect.
    }
  }
  return Object.fromEntries([...state].sort(([a], [b]) => (a < b ? -1 : 1)));
}

const itemKey = fc.constantFrom("items/000000", "items/000001", "items/000002", "items/000003");
const todoId = fc.constantFrom("a", "b", "c");
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ name: fc.constant("increment" as const), args: fc.integer({ min: -5, max: 5 }) }),
  fc.record({ name: fc.constant("setRaw" as const), args: fc.record({ key: itemKey, value: fc.integer() }) }),
  fc.record({ name: fc.constant("delRaw" as const), args: itemKey }),
  fc.record({
    name: fc.constant("addTodo" as const),
    args: fc.record({ id: todoId, text: fc.string({ maxLength: 3 }) }),
  }),
  fc.record({ name: fc.constant("toggle" as const), args: fc.record({ id: todoId }) }),
  fc.record({ name: fc.constant("removeTodo" as const), args: todoId }),
);
const patch: fc.Arbitrary<PatchOp> = fc.oneof(
  fc.record({ op: fc.constant("set" as const), key: itemKey, value: fc.integer() }),
  fc.record({
    op: fc.constant("set" as const),
    key: fc.constant("counter"),
    value: fc.integer({ min: -50, max: 50 }),
  }),
  fc.record({
    op: fc.constant("set" as const),
    key: todoId.map((id) => `todos/${id}`),
    value: fc.record({ id: todoId, text: fc.constant("srv"), done: fc.boolean() }),
  }),
  fc.record({
    op: fc.constant("del" as const),
    key: fc.oneof(
      itemKey,
      todoId.map((id) => `todos/${id}`),
    ),
  }),
);
const step = fc.oneof(
  { weight: 5, arbitrary: fc.record({ t: fc.constant("mutate" as const), m: mutation }) },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant("update" as const),
      patches: fc.array(patch, { maxLength: 4 }),
      reset: fc.integer({ min: 0, max: 9 }).map((n) => n < 2),
      ack: fc.nat({ max: 3 }),
      reject: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
      gap: fc.integer({ min: 0, max: 9 }).map((n) => n < 2),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("reopen" as const) }) },
);

const queries: Array<Query<typeof todoStore, unknown>> = [
  (tx) => tx.get("counter"),
  (tx) => tx.scan({ prefix: "todos/" }),
  (tx) => tx.scan({ prefix: "items/", start: "items/000001", limit: 2 }),
  async (tx) => ((await tx.has("todos/a")) ? tx.get("todos/b") : tx.scan({ prefix: "items/", limit: 1 })),
];

const macrotask = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("LocalStore property", () => {
  it("visible state = base + replay of pending; subscriptions match fresh queries", async () => {
    const report = await fc.check(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 30 }), async (steps) => {
        const persistence = memoryPersistence();
        let target!: SyncTarget;
        let store!: Store<typeof todoStore>;
        let last: unknown[] = [];
        const openStore = async () => {
          ({ store, target } = createDrivenStore(todoStore, { space: "p", userId: "u1", persistence }));
          await store.ready;
          last = queries.map(() => undefined);
          queries.forEach((q, i) => store.subscribe(q, (r) => (last[i] = r)));
        };
        await openStore();
        const base: State = new Map();
        let version = 0;
        const pending: Array<{ id: number; m: Mutation; confirmed?: Promise<void> }> = [];
        let nextId = 1;
        const outcomes: Array<{ confirmed: Promise<void>; rejected: boolean }> = [];
        // Rejections the store was told of; they apply when an update acknowledges the id.
        let rejected = new Set<number>();

        for (const s of steps) {
          if (s.t === "mutate") {
            const visible = new Map(Object.entries(replay(base, pending)));
            let throws = false;
            try {
              applyReference(visible, s.m);
            } catch {
              throws = true;
            }
            const result = (
              store.mutate[s.m.name] as (a: unknown) => Promise<{ id: number; confirmed: Promise<void> }>
            )(s.m.args);
            if (throws) {
              await expect(result).rejects.toThrow();
            } else {
              const handle = await result;
              expect(handle.id).toBe(nextId);
              pending.push({ id: nextId++, m: s.m, confirmed: handle.confirmed });
            }
          } else if (s.t === "update") {
            const acked = pending.slice(0, Math.min(s.ack, pending.length));
            acked.forEach((p, i) => {
              if (!s.reject[i]) return;
              target.recordRejection(p.id, "mutator_failed", `rejected ${p.id}`);
              rejected.add(p.id);
            });
            const lastMutationId = acked.length > 0 ? acked[acked.length - 1]!.id : undefined;
            const patches: PatchOp[] = s.reset ? [{ op: "reset" }, ...s.patches] : s.patches;
            const result = await target.applyServerUpdate({
              minIncludedVersion: s.reset ? 0 : s.gap ? version + 2 : version + 1,
              maxIncludedVersion: version + 2,
              patches,
              ...(lastMutationId === undefined ? {} : { lastMutationId }),
            });
            if (!s.reset && s.gap) {
              expect(result).toEqual({ status: "gap", baseVersion: version });
            } else {
              expect(result).toEqual({ status: "applied" });
              version += 2;
              if (s.reset) base.clear();
              for (const op of s.patches) {
                if (op.op === "set") base.set(op.key, op.value);
                else if (op.op === "del") base.delete(op.key);
              }
              pending.splice(0, acked.length);
              for (const p of acked) {
                if (p.confirmed) outcomes.push({ confirmed: p.confirmed, rejected: rejected.has(p.id) });
              }
            }
          } else {
            await store.close();
            // Handles of the closed store never settle; recorded rejections lived in its memory.
            for (const p of pending) delete p.confirmed;
            rejected = new Set();
            await openStore();
          }
          await macrotask();
          expect(
            Object.fromEntries((await store.query((tx) => tx.scan())).map((e) => [e.key, e.value])),
          ).toEqual(replay(base, pending));
          expect(store.status.pendingCount).toBe(pending.length);
          for (const [i, q] of queries.entries()) expect(last[i]).toEqual(await store.query(q));
        }
        for (const o of outcomes) {
          if (o.rejected) await expect(o.confirmed).rejects.toBeInstanceOf(MutationRejectedError);
          else await expect(o.confirmed).resolves.toBeUndefined();
        }
        await store.close();
      }),
      { seed, numRuns: 60 },
    );
    // Printed in full here: the counterexample and the error are what a failing run needs.
    if (report.failed) console.log(fc.defaultReportMessage(report), report.errorInstance);
    expect(report.failed).toBe(false);
  });
});
