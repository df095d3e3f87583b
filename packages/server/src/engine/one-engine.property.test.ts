import { canRead } from "@synced-store/core/internal";
import { defineStore } from "@synced-store/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { runOnClient, runOnServer } from "../test-support/both-engines.js";

/** One step of a random mutator program. */
type Op =
  | { op: "get" | "has" | "del" | "inc" | "editInPlace"; key: string }
  | { op: "scan"; prefix: string; start?: string; limit?: number }
  | { op: "set"; key: string; value: unknown }
  | { op: "throw" };

const USER = "u1";
const KEYS = [
  "items/a",
  "items/b",
  "items/c",
  "obj/a",
  "obj/b",
  "$$pu/u1/n",
  "$$pu/u2/n",
  "$$so/n/a",
  "nope/x",
];

/** What the program saw, step by step; reads of keys the user may not read are absent on a client by design. */
let log: unknown[] = [];
const visible = (key: string, value: unknown) => (canRead(USER, key) ? value : undefined);

const store = defineStore({
  name: "differential",
  keys: {
    "items/*": z.number(),
    "obj/*": z.object({ n: z.number() }),
    "$$pu/*/n": z.number(),
    "$$so/n/*": z.number(),
  },
}).mutators({
  program: {
    args: z.array(z.unknown()),
    run: async (tx, program) => {
      for (const step of program as Op[]) {
        switch (step.op) {
          case "get":
            log.push(visible(step.key, await tx.get(step.key)));
            break;
          case "has":
            log.push(visible(step.key, await tx.has(step.key)) ?? false);
            break;
          case "scan": {
            const { op: _op, ...options } = step;
            const entries = await tx.scan(options);
            log.push(entries.filter((e) => canRead(USER, e.key)));
            break;
          }
          case "set":
            await tx.set(step.key, step.value);
            break;
          case "del":
            log.push(visible(step.key, await tx.del(step.key)) ?? false);
            break;
          case "inc":
            log.push(
              visible(step.key, await tx.update(step.key, (d) => (typeof d === "number" ? d + 1 : d))),
            );
            break;
          case "editInPlace": {
            const value = await tx.get(step.key);
            if (typeof value === "object" && value !== null) {
              (value as { n: number }).n++;
              await tx.set(step.key, value);
            }
            break;
          }
          case "throw":
            throw new Error("program threw");
        }
      }
    },
  },
});

const keyArb = fc.constantFrom(...KEYS);
const numberArb = fc.integer({ min: -5, max: 5 });
const valueArb = fc.oneof(
  numberArb,
  fc.record({ n: numberArb }),
  fc.constantFrom("bad", null, Number.NaN, -0, { n: 1, extra: undefined }),
);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constantFrom("get", "has", "del", "inc", "editInPlace" as const), key: keyArb }),
  // A limited scan over a prefix holding keys the client never has would see other entries: by
  // design, so limits go with family prefixes only.
  fc.record(
    {
      op: fc.constant("scan" as const),
      prefix: fc.constantFrom("items/", "obj/", "$$pu/u1/"),
      start: fc.constantFrom("items/b", "obj/b", "$$pu/u1/n"),
      limit: fc.integer({ min: 0, max: 3 }),
    },
    { requiredKeys: ["op", "prefix"] },
  ),
  fc.record({ op: fc.constant("scan" as const), prefix: fc.constantFrom("", "$$", "items/") }),
  fc.record({ op: fc.constant("set" as const), key: keyArb, value: valueArb }),
  fc.constant({ op: "throw" as const }),
);
const stateArb = fc
  .uniqueArray(fc.tuple(fc.constantFrom(...KEYS.filter((k) => k !== "nope/x")), numberArb), {
    selector: ([k]) => k,
    maxLength: KEYS.length,
  })
  .map((entries) =>
    Object.fromEntries(entries.map(([key, n]) => [key, key.startsWith("obj/") ? { n } : n] as const)),
  );

/** Server writes as the client keeps them: server-only keys never reach a client store. */
const clientView = (writes: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(writes).filter(([key]) => canRead(USER, key)));

describe("client and server engines (differential property)", () => {
  it("give identical reads, writes and errors for random programs on the same state", async () => {
    const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
    console.log(`one-engine differential seed: ${seed} (rerun with FC_SEED=${seed})`);
    await fc.assert(
      fc.asyncProperty(stateArb, fc.array(opArb, { maxLength: 12 }), async (state, program) => {
        log = [];
        const client = await runOnClient(store, state, USER, "program", program);
        const clientLog = log;
        log = [];
        const server = await runOnServer(store, state, USER, "program", program);
        const serverLog = log;
        await client.store.close();
        expect(clientLog).toEqual(serverLog);
        expect(client.error).toEqual(server.error);
        expect(client.writes).toEqual(clientView(server.writes));
        // Neither side's base moved, whatever the program did.
        expect(Object.fromEntries(client.store.baseEntries())).toEqual(clientView(state));
        expect(Object.fromEntries(server.cache.values.entries())).toEqual(state);
      }),
      { seed, numRuns: 150 },
    );
  });
});
