import { z } from "zod";
import { whiteboard } from "../src/shared/definition.js";
import { Id, SERVER_MAX_NOTE_TEXT, Shape } from "../src/shared/schemas.js";

/** Why the server refuses a long note; the UI shows this message as it arrives. */
export const NOTE_TOO_LONG = `Notes are limited to ${SERVER_MAX_NOTE_TEXT} characters on the server`;

/**
 * The server's version of the whiteboard store: a stricter `setText` and `putShape` (asymmetric
 * trust). This file is imported by server code only.
 */
export const serverWhiteboard = whiteboard.mutators({
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
});
