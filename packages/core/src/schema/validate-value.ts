import { ValidationError } from "../errors.js";
import { schemaForKey, type CompiledPattern } from "./key-pattern.js";

/**
 * Checks `value` against the schema of `key`'s family and returns the parsed value (what is
 * stored). Throws `ValidationError` "unknown_key" when no family matches the key, and
 * "invalid_value" with zod's issues when the value does not fit. Client and server both write
 * through it, so a value one accepts the other accepts too.
 */
export function validateValue(patterns: readonly CompiledPattern[], key: string, value: unknown): unknown {
  const schema = schemaForKey(patterns, key);
  if (schema === undefined) {
    throw new ValidationError("unknown_key", `No key family matches ${JSON.stringify(key)}`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new ValidationError(
      "invalid_value",
      `Invalid value for ${JSON.stringify(key)}: ${parsed.error.issues.map((i) => i.message).join("; ")}`,
      parsed.error.issues,
    );
  }
  return parsed.data;
}
