/**
 * Convergence on a seeded simulated network: clients of two users mutate, push, and receive
 * pokes and rejections that arrive late, out of order or twice, and reopen from persistence;
 * once everything is delivered, every client shows exactly the server's state as its user may see
 * it (checked with `assertConverged`).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SimServer, type SimRejection, type SimUpdate } from "../../test/sim-server.js";
import { todoStore } from "../../test/todo-definition.js";
import type { Store } from "../client-types.js";
import { memoryPersistence } from "../persistence/memory-persistence.js";
import { assertConverged, createDrivenStore } from "../testing.js";
import type { SyncTarget } from "./server-update.js";

const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
console.log(`convergence seed: ${seed} (rerun with FC_SEED=${seed})`);

type Message = SimUpdate | SimRejection;
interface Client {
  readonly clientId: string;
  readonly userId: string;
  readonly persistence: ReturnType<typeof memoryPersistence>;
  store: Store<typeof todoStore>;
  target: SyncTarget;
  inbox: Message[];
  /** Version the server last poked this client up to. */
  poked: number;
}

function open(c: Omit<Client, "store" | "target">): Client {
  const { store, target } = createDrivenStore(todoStore, {
    space: "sim",
    userId: c.userId,
    clientId: c.clientId,
    persistence: c.persistence,
  });
  return { ...c, store, target };
}

const ids = fc.constantFrom("a", "b", "c");
const mutation = fc.oneof(
  fc.record({ name: fc.constant("increment"), args: fc.integer({ min: 1, max: 9 }) }),
  fc.record({ name: fc.constant("addTodo"), args: fc.record({ id: ids, text: fc.constantFrom("x", "y") }) }),
  fc.record({ name: fc.constant("toggle"), args: fc.record({ id: ids }) }),
  fc.record({ name: fc.constant("removeTodo"), args: ids }),
  fc.record({ name: fc.constant("setFilter"), args: fc.constantFrom("all", "done") }),
  fc.record({ name: fc.constant("writeSecret"), args: fc.record({ id: ids, value: fc.constant("s") }) }),
);
const step = fc.oneof(
  { weight: 4, arbitrary: fc.record({ t: fc.constant("mutate" as const), client: fc.nat(2), m: mutation }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant("push" as const), client: fc.nat(2) }) },
  {
    weight: 5,
    arbitrary: fc.record({
      t: fc.constant("deliver" as const),
      client: fc.nat(2),
      pick: fc.nat(5),
      duplicate: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("reopen" as const), client: fc.nat(2) }) },
);

describe("convergence on a simulated network", () => {
  it("every client ends with the server's state for its user", async () => {
    const report = await fc.check(
      fc.asyncProperty(fc.array(step, { maxLength: 60 }), async (steps) => {
        const server = new SimServer(todoStore);
        const clients = [
          ["c0", "u1"],
          ["c1", "u1"],
          ["c2", "u2"],
        ].map(([clientId, userId]) =>
          open({
            clientId: clientId!,
            userId: userId!,
            persistence: memoryPersistence(),
            inbox: [],
            poked: 0,
          }),
        );
        for (const c of clients) await c.store.ready;

        const pokeAll = () => {
          for (const c of clients) {
            if (c.poked === server.version) continue;
            c.inbox.push(server.updateSince(c.poked, c.clientId, c.userId));
            c.poked = server.version;
          }
        };
        const push = async (c: Client) => {
          const rejections = await server.push(c.clientId, c.userId, c.target.pendingMutations(0));
          c.inbox.push(...rejections);
          pokeAll();
        };
        const receive = async (c: Client, message: Message) => {
          if (message.type === "mutation_error") {
            c.target.recordRejection(message.id, message.code, message.message);
            return;
          }
          const result = await c.target.applyServerUpdate({
            minIncludedVersion: message.min,
            maxIncludedVersion: message.max,
            patches: message.patches,
            lastMutationId: message.lastMutationId,
          });
          // A gap: pull from where the client is (the answer comes back through the inbox).
          if (result.status === "gap")
            c.inbox.push(server.updateSince(c.target.baseVersion(), c.clientId, c.userId));
        };

        for (const s of steps) {
          const c = clients[s.client]!;
          if (s.t === "mutate") {
            await (c.store.mutate[s.m.name as "increment"] as (a: unknown) => Promise<unknown>)(
              s.m.args,
            ).catch(() => undefined);
          } else if (s.t === "push") {
            await push(c);
          } else if (s.t === "deliver") {
            if (c.inbox.length === 0) continue;
            const i = s.pick % c.inbox.length;
            const message = c.inbox[i]!;
            if (!s.duplicate) c.inbox.splice(i, 1);
            await receive(c, message);
          } else {
            await c.store.close();
            // A new connection: whatever was in flight is lost; the client pulls from its base.
            const reopened = open({ ...c, inbox: [] });
            await reopened.store.ready;
            reopened.poked = reopened.target.baseVersion();
            reopened.inbox.push(server.updateSince(reopened.poked, c.clientId, c.userId));
            reopened.poked = server.version;
            clients[s.client] = reopened;
          }
        }

        // Heal: deliver everything in order and push until nothing is pending.
        for (let round = 0; round < 10; round++) {
          for (const c of clients) {
            await push(c);
            while (c.inbox.length > 0) await receive(c, c.inbox.shift()!);
          }
          if (
            clients.every(
              (c) => c.store.status.pendingCount === 0 && c.target.baseVersion() === server.version,
            )
          )
            break;
        }
        await assertConverged(
          clients.map((c) => c.store),
          new Map(server.state.entries()),
        );
        for (const c of clients) await c.store.close();
      }),
      { seed, numRuns: 40 },
    );
    if (report.failed) console.log(fc.defaultReportMessage(report), report.errorInstance);
    expect(report.failed).toBe(false);
  });
});
