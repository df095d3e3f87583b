import { ValidationError } from "../errors.js";
import { deepFreeze } from "../util/deep-freeze.js";

/**
 * The value a write stores, given the schema's output: its JSON form, parsed back and deep-frozen.
 * Both sides store exactly this, so what a mutator wrote reads the same on the client, on the
 * server and after a round trip through storage or the wire: `undefined` members vanish,
 * `undefined` array items, holes, `NaN` and `±Infinity` become `null`, `-0` becomes `0`, a `Date`
 * its ISO string and a class instance its own enumerable fields. A value JSON cannot hold (a
 * `BigInt`, a cycle) is a `ValidationError` "invalid_value".
 */
export function storedValue(key: string, parsed: unknown): { value: unknown; json: string } {
  let json: string | undefined;
  try {
    json = JSON.stringify(parsed);
  } catch (error) {
    throw new ValidationError(
      "invalid_value",
      `Value for ${JSON.stringify(key)} is not JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  // `undefined` (or a function) at the top reads as "absent" in the layers: store null, as JSON would.
  if (json === undefined) json = "null";
  return { value: deepFreeze(JSON.parse(json) as unknown), json };
}
