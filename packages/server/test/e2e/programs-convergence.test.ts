/**
 * End to end: clients of two users run random mutator programs (the generator of the engines'
 * differential test) through a real server (`ws` on loopback, a SQLite file) behind the seeded
 * fault proxy, and converge with it, rejections included.
 */
import { join } from "node:path";
import { defineStore, MutationRejectedError, type Store } from "@synced-store/core";
import { canRead } from "@synced-store/core/internal";
import { openSqliteStorage } from "@synced-store/server/sqlite";
import { seedFromEnv, startConvergenceTest } from "@synced-store/server/testing";
import fc from "fast-check";
import { expect, it } from "vitest";
import { z } from "zod";
import {
  programKeySchemas,
  programOpArb,
  programWriteArb,
  runProgram,
  type ProgramOp,
} from "../../src/test-support/mutator-programs.js";
import { tempDir } from "./harness.js";

const programArgs = z.object({ trace: z.string(), ops: z.array(z.unknown()) });

/** Each call first marks `trace/{trace}`, so a rejected call that left any write shows. */
const programs = defineStore({
  name: "programs",
  keys: { ...programKeySchemas, "trace/*": z.literal(1) },
}).mutators({
  program: {
    args: programArgs,
    run: async (tx, { trace, ops }) => {
      await tx.set(`trace/${trace}`, 1);
      await runProgram(tx, ops as ProgramOp[]);
    },
  },
});

/** The server's stricter version: it refuses to leave `items/c` negative; clients accept it. */
const serverPrograms = programs.mutators({
  program: {
    args: programArgs,
    run: async (tx, args) => {
      await programs.mutatorDefs.program.run(tx, args);
      const c = await tx.get("items/c");
      if (c !== undefined && c < 0) throw new Error("items/c may not go negative");
    },
  },
});

type ProgramStore = Store<typeof programs>;
type Outcome = "accepted" | "rejected" | "refused locally";
interface Call {
  readonly trace: string;
  /** `{clientId}/{mutation id}`; undefined when the client refused the call itself. */
  readonly ref: string | undefined;
  readonly outcome: Promise<Outcome>;
}

const USERS = ["u1", "u2"] as const;
const CLIENTS_PER_USER = 2;
/**
 * Networks the runs use. `ordered` keeps each connection's frames in order (as a WebSocket over
 * TCP does) but delays, duplicates and cuts; `lossy` also reorders and drops frames within a
 * connection (as lost HTTP answers and overtaking polls can).
 */
const NETWORKS = {
  ordered: { delayMs: [0, 20], duplicateRate: 0.05, cutRate: 0.02 },
  lossy: { delayMs: [0, 20], reorderRate: 0.1, duplicateRate: 0.05, dropRate: 0.05, cutRate: 0.02 },
} as const;

// Every kind of step, with valid writes mixed in so that most calls reach the server.
const opArb = fc.oneof({ arbitrary: programOpArb, weight: 1 }, { arbitrary: programWriteArb, weight: 1 });
const stepArb = fc.record({
  ops: fc.array(opArb, { minLength: 1, maxLength: 4 }),
  pauseMs: fc.integer({ min: 0, max: 25 }),
});
/** A call the client accepts and the server rejects, so every run has a server rejection. */
const refusedByServer = { ops: [{ op: "set", key: "items/c", value: -1 } as const], pauseMs: 0 };
const planArb = fc
  .array(fc.array(stepArb, { minLength: 4, maxLength: 12 }), {
    minLength: USERS.length * CLIENTS_PER_USER,
    maxLength: USERS.length * CLIENTS_PER_USER,
  })
  .map(([first, ...rest]) => [[refusedByServer, ...first!], ...rest]);

/** Runs `plan` on `store`; resolves once every call was made (outcomes settle once the server decided). */
async function runPlan(
  store: ProgramStore,
  plan: ReadonlyArray<{ ops: ProgramOp[]; pauseMs: number }>,
): Promise<Call[]> {
  const calls: Call[] = [];
  for (const [i, step] of plan.entries()) {
    const trace = `${store.clientId}-${i}`;
    try {
      const { id, confirmed } = await store.mutate.program({ trace, ops: step.ops });
      const outcome = confirmed.then(
        () => "accepted" as const,
        (error: unknown) => {
          if (error instanceof MutationRejectedError) return "rejected" as const;
          throw error;
        },
      );
      calls.push({ trace, ref: `${store.clientId}/${id}`, outcome });
    } catch {
      // The program threw or wrote an invalid value here too: nothing queued.
      calls.push({ trace, ref: undefined, outcome: Promise.resolve("refused locally") });
    }
    await new Promise((r) => setTimeout(r, step.pauseMs));
  }
  return calls;
}

/** What `userId` must never receive: server-only keys and other users' private keys. */
function forbidden(userId: string): string[] {
  return ["$$so/", ...USERS.filter((u) => u !== userId).map((u) => `$$pu/${u}/`)];
}

it("clients of two users running random programs through the fault proxy converge with the server, rejections leaving no trace", async () => {
  const seed = seedFromEnv();
  console.log(`programs convergence seed ${seed}; replay with SEED=${seed}`);
  const totals = {
    accepted: 0,
    rejected: 0,
    "refused locally": 0,
    /** Rejections that reached the client in the update acknowledging them (`rejections`). */
    "rejections in updates": 0,
    frames: 0,
    dropped: 0,
    reordered: 0,
    cuts: 0,
  };
  const networkArb = fc.constantFrom(...(Object.keys(NETWORKS) as Array<keyof typeof NETWORKS>));
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 2 ** 31 - 1 }),
      networkArb,
      planArb,
      async (proxySeed, network, plans) => {
        const dir = tempDir("synced-store-programs-");
        try {
          // Which user each proxied connection belongs to, from its `connect` frame.
          const userOf = new Map<number, string>();
          const clientOf = new Map<number, string>();
          const leaks: string[] = [];
          /** Every mutation the server rejected (`{clientId}/{id}`), as it sent them, before faults. */
          const rejectedByServer = new Set<string>();
          await using t = await startConvergenceTest({
            definition: programs,
            serverStores: [serverPrograms],
            storage: openSqliteStorage({ path: join(dir.path, "programs.db") }),
            seed: proxySeed,
            faults: NETWORKS[network],
            log: () => undefined,
            onFrame: (frame, direction, connection) => {
              const message = JSON.parse(frame) as Record<string, unknown>;
              if (direction === "up") {
                if (message.type === "connect") {
                  userOf.set(connection, String(message.auth));
                  clientOf.set(connection, String(message.client_id));
                }
                return;
              }
              if (message.type === "mutation_error") {
                rejectedByServer.add(`${String(message.client_id)}/${String(message.mutation_id)}`);
              }
              // The update acknowledging a rejected mutation carries it too, for the receiving
              // client (a cut connection may have lost the `mutation_error` before it was sent).
              if (Array.isArray(message.rejections)) {
                for (const r of message.rejections as Array<{ mutation_id: number }>) {
                  rejectedByServer.add(`${clientOf.get(connection) ?? "?"}/${r.mutation_id}`);
                  totals["rejections in updates"]++;
                }
              }
              const userId = userOf.get(connection);
              for (const text of userId ? forbidden(userId) : ["$$so/"]) {
                if (frame.includes(text)) leaks.push(`${userId ?? "?"} received ${frame.slice(0, 300)}`);
              }
            },
          });
          const stores = USERS.flatMap((userId) =>
            Array.from({ length: CLIENTS_PER_USER }, () => t.client({ space: "s1", userId })),
          );
          /** How often each mutation (`{clientId}/{id}`) was on a rejection stream. */
          const streamed = new Map<string, number>();
          for (const store of stores)
            store.onRejection((e) => {
              const ref = `${store.clientId}/${e.mutationId}`;
              streamed.set(ref, (streamed.get(ref) ?? 0) + 1);
            });
          const calls = (await Promise.all(stores.map((store, i) => runPlan(store, plans[i]!)))).flat();
          const state = (await t.converged({ timeoutMs: 20_000 })).get("s1")!;

          let applied = 0;
          for (const call of calls) {
            // Converged means nothing pending: every call has its answer.
            const outcome = await call.outcome;
            totals[outcome]++;
            const serverRejected = call.ref !== undefined && rejectedByServer.has(call.ref);
            const appliedByServer = call.ref !== undefined && !serverRejected;
            if (appliedByServer) applied++;
            // A call the server rejected, or never got, left no trace; one it applied did.
            expect([call.trace, state[`trace/${call.trace}`]]).toEqual([
              call.trace,
              appliedByServer ? 1 : undefined,
            ]);
            // `confirmed` says exactly what the server did, on every network, and the rejection
            // stream hears each rejection once.
            if (call.ref !== undefined) {
              expect([call.trace, network, outcome]).toEqual([
                call.trace,
                network,
                serverRejected ? "rejected" : "accepted",
              ]);
              expect([call.trace, streamed.get(call.ref)]).toEqual([
                call.trace,
                serverRejected ? 1 : undefined,
              ]);
            }
          }
          // Nothing but the calls made left a trace.
          expect(Object.keys(state).filter((k) => k.startsWith("trace/")).length).toBe(applied);
          for (const store of stores) {
            const held = store.inspect().keys();
            expect(held.filter((key) => !canRead(store.userId, key))).toEqual([]);
          }
          expect(leaks).toEqual([]);
          totals.frames += t.stats.frames;
          totals.dropped += t.stats.dropped;
          totals.reordered += t.stats.reordered;
          totals.cuts += t.stats.cuts;
        } finally {
          dir.remove();
        }
      },
    ),
    { seed, numRuns: 8, endOnFailure: true },
  );
  console.log(`programs convergence (seed ${seed}): ${JSON.stringify(totals)}`);
  // The runs exercised what they claim to: server rejections and faults.
  expect(totals.rejected).toBeGreaterThan(0);
  expect(totals.dropped + totals.cuts).toBeGreaterThan(0);
}, 120_000);
