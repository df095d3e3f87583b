import { canRead } from "@synced-store/core/internal";
import { defineStore } from "@synced-store/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { runOnClient, runOnServer } from "../test-support/both-engines.js";
import {
  programKeySchemas,
  programOpArb,
  programStateArb,
  runProgram,
  type ProgramOp,
} from "../test-support/mutator-programs.js";

const USER = "u1";

/** What the program saw, step by step. */
let log: unknown[] = [];

const store = defineStore({ name: "differential", keys: programKeySchemas }).mutators({
  program: {
    args: z.array(z.unknown()),
    run: (tx, program) => runProgram(tx, program as ProgramOp[], (seen) => log.push(seen)),
  },
});

/** Server writes as the client keeps them: server-only keys never reach a client store. */
const clientView = (writes: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(writes).filter(([key]) => canRead(USER, key)));

describe("client and server engines (differential property)", () => {
  it("give identical reads, writes and errors for random programs on the same state", async () => {
    const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
    console.log(`one-engine differential seed: ${seed} (rerun with FC_SEED=${seed})`);
    await fc.assert(
      fc.asyncProperty(programStateArb, fc.array(programOpArb, { maxLength: 12 }), async (state, program) => {
        log = [];
        const client = await runOnClient(store, state, USER, "program", program);
        const clientLog = log;
        log = [];
        const server = await runOnServer(store, state, USER, "program", program);
        const serverLog = log;
        expect(clientLog).toEqual(serverLog);
        expect(client.error).toEqual(server.error);
        expect(client.writes).toEqual(clientView(server.writes));
        // Neither side's base moved, whatever the program did.
        expect(Object.fromEntries(client.store.baseEntries())).toEqual(clientView(state));
        expect(Object.fromEntries(server.cache.values.entries())).toEqual(state);
        await client.store.close();
      }),
      { seed, numRuns: 150 },
    );
  });
});
