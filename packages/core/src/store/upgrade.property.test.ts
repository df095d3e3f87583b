/**
 * Property: across random histories of app versions (deploys and reloads onto newer
 * definitions), offline mutations, server updates and acknowledgements, the visible state after
 * every step equals the upgraded base plus the upgraded queue replayed over it.
 */
import fc from "fast-check";
import { produce } from "immer";
import { describe, expect, it } from "vitest";
import { todoV1, todoV2, todoV3 } from "../../test/todo-versions.js";
import { memoryPersistence } from "../persistence/memory-persistence.js";
import type { PatchOp } from "../protocol/messages.js";
import type { AnyStoreDefinition } from "../schema/define-store.js";
import { upgradeMutation } from "../schema/upgrade-mutation.js";
import { upgradeEntries } from "../schema/upgrade-values.js";
import { LocalStore } from "./local-store.js";

const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
console.log(`upgrade property seed: ${seed} (rerun with FC_SEED=${seed})`);

const VERSIONS: readonly AnyStoreDefinition[] = [todoV1, todoV2, todoV3];
const ids = fc.constantFrom("a", "b", "c");
const text = fc.constantFrom("milk", "eggs", "tea");
const priority = fc.constantFrom("low", "normal", "high");

/** A call the app of `version` can make. */
function call(version: number): fc.Arbitrary<{ name: string; args: unknown }> {
  const common = [
    fc.integer({ min: 1, max: 5 }).map((n) => ({ name: "increment", args: n })),
    ids.map((id) => ({ name: version === 1 ? "toggle" : "toggleDone", args: { id } })),
  ];
  if (version === 1) {
    return fc.oneof(
      ...common,
      fc.record({ id: ids, text }).map((args) => ({ name: "addTodo", args })),
      ids.map((id) => ({ name: "archive", args: { id } })),
    );
  }
  const add =
    version === 2
      ? fc.record({ id: ids, text, priority }).map((args) => ({ name: "addTodo", args }))
      : fc.record({ id: ids, title: text, priority }).map((args) => ({ name: "addTodo", args }));
  return fc.oneof(...common, add);
}

/** A patch the server sends a client of `version` (values in that version's shape). */
function patch(version: number): fc.Arbitrary<PatchOp> {
  const todo = fc
    .record({ id: ids, text, done: fc.boolean(), priority })
    .map(({ priority: p, text: t, ...rest }) =>
      version === 1
        ? { ...rest, text: t }
        : version === 2
          ? { ...rest, text: t, priority: p }
          : { ...rest, title: t },
    );
  return fc.oneof(
    todo.map((value): PatchOp => ({ op: "set", key: `todos/${value.id}`, value })),
    ids.map((id): PatchOp => ({ op: "del", key: `todos/${id}` })),
    fc.integer({ min: 0, max: 9 }).map((value): PatchOp => ({ op: "set", key: "counter", value })),
    ...(version === 3
      ? [
          fc
            .tuple(ids, priority)
            .map(([id, value]): PatchOp => ({ op: "set", key: `priorities/${id}`, value })),
        ]
      : []),
  );
}

type Step =
  | { kind: "mutate"; pick: number }
  /** A poke of `patches` random patches, acknowledging the first `ack` pending mutations. */
  | { kind: "update"; patches: number; ack: number }
  | { kind: "reload"; to: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.nat().map((pick): Step => ({ kind: "mutate", pick })) },
  {
    weight: 2,
    arbitrary: fc
      .record({ patches: fc.nat({ max: 3 }), ack: fc.nat({ max: 3 }) })
      .map(({ patches, ack }): Step => ({ kind: "update", patches, ack })),
  },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 2 }).map((to): Step => ({ kind: "reload", to })) },
);

/** Runs `definition`'s mutators over a plain map: the reference replay. */
async function replay(definition: AnyStoreDefinition, base: Map<string, unknown>, queue: readonly Queued[]) {
  const state = new Map(base);
  const tx = {
    location: "client",
    userId: "u",
    clientId: "c",
    get: (k: string) => Promise.resolve(state.get(k)),
    has: (k: string) => Promise.resolve(state.has(k)),
    set: (k: string, v: unknown) => Promise.resolve(void state.set(k, v)),
    del: (k: string) => Promise.resolve(state.delete(k)),
    update: (k: string, recipe: (draft: unknown) => void) => {
      const current = state.get(k);
      if (current === undefined) return Promise.resolve(undefined);
      const next = produce(current, recipe);
      state.set(k, next);
      return Promise.resolve(next);
    },
  };
  for (const m of queue) {
    const def = (
      definition.mutatorDefs as Record<
        string,
        { args: { parse(a: unknown): unknown }; run: (tx: never, a: unknown) => unknown }
      >
    )[m.name];
    if (def === undefined) continue; // a retired call's placeholder
    await def.run(tx as never, def.args.parse(m.args));
  }
  return Object.fromEntries([...state].sort(([a], [b]) => (a < b ? -1 : 1)));
}

interface Queued {
  readonly id: number;
  readonly name: string;
  readonly args: unknown;
}

const visible = (s: LocalStore) =>
  Object.fromEntries(
    s
      .readTransaction()
      .readScan()
      .map((e) => [e.key, e.value]),
  );

describe("stores across versions (property)", () => {
  it("show the upgraded base plus the upgraded queue after every step", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { maxLength: 25 }),
        fc.array(fc.nat(), { minLength: 40, maxLength: 40 }),
        async (steps, noise) => {
          const provider = memoryPersistence();
          let version = 1;
          let store = new LocalStore({
            definition: todoV1,
            userId: "u",
            clientId: "c",
            persistence: provider.open("p"),
            now: () => 1,
          });
          await store.ready;
          // The model: base and queue in the app version's shape, and the server version seen.
          let base = new Map<string, unknown>();
          let queue: Queued[] = [];
          let serverVersion = 0;
          let n = 0;
          const rand = () => noise[n++ % noise.length]!;
          for (const s of steps) {
            if (s.kind === "mutate") {
              const [c] = fc.sample(call(version), { numRuns: 1, seed: s.pick });
              const { id } = await store.mutate(c!.name, c!.args);
              queue.push({ id, name: c!.name, args: c!.args });
            } else if (s.kind === "update") {
              const patches = fc.sample(patch(version), { numRuns: s.patches, seed: rand() });
              const ackTo = queue[Math.min(s.ack, queue.length) - 1]?.id;
              serverVersion++;
              await store.applyServerUpdate({
                minIncludedVersion: serverVersion,
                maxIncludedVersion: serverVersion,
                patches,
                ...(ackTo === undefined ? {} : { lastMutationId: ackTo }),
              });
              for (const p of patches) {
                if (p.op === "set") base.set(p.key, p.value);
                else if (p.op === "del") base.delete(p.key);
              }
              if (ackTo !== undefined) queue = queue.filter((m) => m.id > ackTo);
            } else {
              // A deploy, then a reload onto the newest version so far (never back).
              const to = Math.max(version, s.to + 1);
              await store.close();
              const definition = VERSIONS[to - 1]!;
              base = upgradeEntries(definition.upgrades, version, to, base);
              queue = queue.map((m) => {
                const up = upgradeMutation(definition.upgrades, version, to, m.name, m.args);
                return up.ok ? { ...m, name: up.name, args: up.args } : { ...m, name: "$$retired" };
              });
              version = to;
              store = new LocalStore({
                definition,
                userId: "u",
                clientId: "c",
                persistence: provider.open("p"),
                now: () => 1,
              });
              await store.ready;
              expect(store.baseVersion()).toBe(serverVersion);
            }
            expect(store.pendingMutations(0).map((m) => [m.id, m.name])).toEqual(
              queue.map((m) => [m.id, m.name]),
            );
            expect(visible(store)).toEqual(await replay(VERSIONS[version - 1]!, base, queue));
          }
          await store.close();
        },
      ),
      { seed, numRuns: 80 },
    );
  });
});
