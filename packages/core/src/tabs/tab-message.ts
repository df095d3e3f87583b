import { z } from "zod";
import { wireMutation } from "../protocol/messages.js";

/**
 * Messages between the tabs of one space and user. Tabs are the same app, but a message is still
 * parsed before use: a tab of an older deployment may speak an older shape.
 */
export const tabMessage = z.discriminatedUnion("type", [
  /** A tab started (or adopted an orphaned client); others reply with their pending lists. */
  z.object({ type: z.literal("hello"), clientId: z.string() }),
  /** Pending mutations of `clientId`: new or coalesced ones, or with `replace` its whole list. */
  z.object({
    type: z.literal("pending"),
    clientId: z.string(),
    mutations: z.array(wireMutation),
    replace: z.boolean(),
  }),
  /** The server applied `clientId`'s mutations up to `lastMutationId`, in its base at `version`. */
  z.object({
    type: z.literal("acked"),
    clientId: z.string(),
    lastMutationId: z.number().int().nonnegative(),
    version: z.number().int().nonnegative(),
  }),
]);
export type TabMessage = z.infer<typeof tabMessage>;
