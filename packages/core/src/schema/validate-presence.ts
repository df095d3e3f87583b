import type { z } from "zod";
import { ValidationError } from "../errors.js";

/**
 * Checks a presence state against the store's presence schema and returns it as the wire carries
 * it (the schema's output, through JSON). Throws `ValidationError` "invalid_presence" when the
 * store has no presence or the state does not fit. Client and server both check through it, so a
 * state one accepts the other accepts too.
 */
export function validatePresence(schema: z.ZodType | undefined, state: unknown): unknown {
  if (schema === undefined) {
    throw new ValidationError(
      "invalid_presence",
      "This store defines no presence (defineStore's `presence`)",
    );
  }
  const parsed = schema.safeParse(state);
  if (!parsed.success) {
    throw new ValidationError(
      "invalid_presence",
      `Invalid presence: ${parsed.error.issues.map((i) => i.message).join("; ")}`,
      parsed.error.issues,
    );
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(parsed.data);
  } catch (error) {
    throw new ValidationError("invalid_presence", `Presence must be JSON: ${String(error)}`);
  }
  if (json === undefined) throw new ValidationError("invalid_presence", "Presence must be a JSON value");
  return JSON.parse(json) as unknown;
}
