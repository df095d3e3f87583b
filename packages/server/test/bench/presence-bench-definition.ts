import { defineStore } from "@synced-store/core";
import { z } from "zod";

/** A cursor, stamped with the sender's clock (the benchmark's clients share one process). */
export const Cursor = z.object({ x: z.number(), y: z.number(), t: z.number() });

/**
 * The presence benchmark's store: the cursor as presence (the channel), and the same cursor as a
 * coalesced durable mutation on `cursors/{clientId}` (the way the whiteboard did it before).
 */
export const cursorStore = defineStore({
  name: "cursors",
  keys: { "cursors/*": Cursor },
  presence: Cursor,
}).mutators({
  setCursor: {
    args: Cursor,
    coalesce: () => "cursor",
    run: (tx, cursor) => tx.set(`cursors/${tx.clientId}`, cursor),
  },
});
