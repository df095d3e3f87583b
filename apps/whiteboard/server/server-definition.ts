import { z } from "zod";
import { whiteboard } from "../src/shared/definition.js";
import { Id, Shape } from "../src/shared/schemas.js";

/** Longest note text the server accepts: stricter than the client, so long notes are rejected. */
export const SERVER_MAX_NOTE_TEXT = 140;

/**
 * The user id the server's own hooks run actions as. `authenticate` never returns it (user ids are
 * lower-case letters, digits and dashes), so no client can call these actions.
 */
export const SERVER_USER = "$server";

/** Why the server refuses a long note; the UI shows this message as it arrives. */
export const NOTE_TOO_LONG = `Notes are limited to ${SERVER_MAX_NOTE_TEXT} characters on the server`;

/**
 * The server's version of the whiteboard store: a stricter `setText` and `putShape` (asymmetric
 * trust), and presence clean-up actions that only the sync server's own hooks may run. This file
 * is imported by server code only.
 */
export const serverWhiteboard = whiteboard
  .mutators({
    setText: {
      args: z.object({ id: Id, text: Shape.shape.text }),
      run: async (tx, args) => {
        if (args.text.length > SERVER_MAX_NOTE_TEXT) throw new Error(NOTE_TOO_LONG);
        await whiteboard.mutatorDefs.setText.run(tx, args);
      },
    },
    putShape: {
      args: whiteboard.mutatorDefs.putShape.args,
      run: async (tx, shape) => {
        if (shape.text.length > SERVER_MAX_NOTE_TEXT) throw new Error(NOTE_TOO_LONG);
        await whiteboard.mutatorDefs.putShape.run(tx, shape);
      },
    },
  })
  .actions((action) => ({
    /** Removes a client's cursor and avatar when its connection ends (from `onDisconnect`). */
    leave: action(z.object({ clientId: z.string() }), async (tx, { clientId }, ctx) => {
      requireServer(ctx.userId);
      return { removed: await tx.del(`presence/${clientId}`) };
    }),
    /**
     * Removes the presence of clients that are not connected, e.g. left over when the server
     * stopped before their `onDisconnect` ran.
     */
    prunePresence: action(z.object({ connected: z.array(z.string()) }), async (tx, { connected }, ctx) => {
      requireServer(ctx.userId);
      const keep = new Set(connected);
      const stale = (await tx.scan({ prefix: "presence/" })).filter((e) => !keep.has(e.value.clientId));
      for (const entry of stale) await tx.del(entry.key);
      return { removed: stale.length };
    }),
  }));

function requireServer(userId: string): void {
  if (userId !== SERVER_USER) throw new Error("Only the server may remove presence");
}
