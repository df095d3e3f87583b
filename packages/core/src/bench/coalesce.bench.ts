/**
 * Coalescing: a drag of 10,000 pointer moves, pushed once per frame (every 16 moves, a 1 kHz
 * pointer at 60 fps), with and without a `coalesce` key; and showing another tab's mutation.
 */
import { z } from "zod";
import { report, time } from "../../../../scripts/bench-kit.js";
import { memoryPersistence } from "../persistence/memory-persistence.js";
import { defineStore } from "../schema/define-store.js";
import { LocalStore } from "../store/local-store.js";

const MOVES = 10_000;
const MOVES_PER_FRAME = 16;
const Pos = z.object({ x: z.number(), y: z.number() });
const args = z.object({ id: z.string(), x: z.number(), y: z.number() });
const def = defineStore({ name: "bench", keys: { "shapes/*": Pos } }).mutators({
  move: { args, run: (tx, a) => tx.set(`shapes/${a.id}`, { x: a.x, y: a.y }), coalesce: (a) => a.id },
  moveEach: { args, run: (tx, a) => tx.set(`shapes/${a.id}`, { x: a.x, y: a.y }) },
});

function open(clientId = "c") {
  return new LocalStore({
    definition: def,
    userId: "u",
    clientId,
    persistence: memoryPersistence().open("b"),
  });
}

async function drag(mutator: "move" | "moveEach") {
  const store = open();
  await store.ready;
  let sent = 0;
  let pushes = 0;
  let mutationsSent = 0;
  const t0 = performance.now();
  for (let i = 0; i < MOVES; i++) {
    await store.mutate(mutator, { id: "a", x: i, y: i });
    if (i % MOVES_PER_FRAME === MOVES_PER_FRAME - 1) {
      const batch = store.pendingMutations(sent);
      mutationsSent += batch.length;
      sent = batch.at(-1)?.id ?? sent;
      pushes++;
    }
  }
  const ms = performance.now() - t0;
  await store.close();
  return { ms, pushes, mutationsSent, perMoveUs: (ms * 1000) / MOVES };
}

await drag("move"); // warm-up
const coalesced = await drag("move");
const plain = await drag("moveEach");

// Another tab's mutation shown here, over 100 own pending mutations.
const here = open("here");
await here.ready;
for (let i = 0; i < 100; i++) await here.mutate("moveEach", { id: `s${i}`, x: i, y: i });
const peerApply = await time(
  (i) =>
    here.applyPeerMutations(
      "there",
      [{ id: i + 1, name: "moveEach", args: { id: "p", x: i, y: i }, timestamp: Date.now() }],
      false,
    ),
  { iterations: 300, warmup: 30 },
);
await here.close();

report("core-coalesce", [
  {
    name: "drag with coalesce key",
    workload: `${MOVES} moves of one shape, pushed every ${MOVES_PER_FRAME} moves`,
    figures: {
      mutationsSent: coalesced.mutationsSent,
      pushes: coalesced.pushes,
      perMoveUs: Number(coalesced.perMoveUs.toFixed(1)),
    },
    target: "≤ 1 mutation per shape per push",
    met: coalesced.mutationsSent <= coalesced.pushes,
  },
  {
    name: "drag without coalesce key",
    workload: `${MOVES} moves of one shape, pushed every ${MOVES_PER_FRAME} moves`,
    figures: {
      mutationsSent: plain.mutationsSent,
      pushes: plain.pushes,
      perMoveUs: Number(plain.perMoveUs.toFixed(1)),
    },
  },
  {
    name: "show another tab's mutation",
    workload: "applyPeerMutations of one mutation over 100 own pending (replay of own + peers)",
    timing: peerApply,
  },
]);
