import { ValidationError } from "../errors.js";

/**
 * The value a write stores, given the schema's output: exactly `JSON.parse(JSON.stringify(parsed))`,
 * deep-frozen, built in one walk without the JSON text. Both sides store exactly this, so what a
 * mutator wrote reads the same on the client, on the server and after a round trip through
 * storage or the wire: `undefined` members vanish, `undefined` array items, holes, `NaN` and
 * `±Infinity` become `null`, `-0` becomes `0`, `toJSON` is honoured (a `Date` becomes its ISO
 * string), a class instance becomes its own enumerable fields. A value JSON cannot hold (a
 * `BigInt`, a cycle) is a `ValidationError` "invalid_value". `undefined` at the top stores `null`
 * (it would read as "absent" in the layers).
 *
 * Every object and array is copied (strings and numbers are shared): the stored value must not
 * change when the mutator later edits what it passed in, and only a copy drops what JSON drops
 * (getters, non-enumerable and symbol members, prototypes) without inspecting each property.
 */
export function storedValue(key: string, parsed: unknown): unknown {
  try {
    const value = toJsonValue(parsed, "", 0, undefined);
    return value === undefined ? null : value;
  } catch (error) {
    throw new ValidationError(
      "invalid_value",
      `Value for ${JSON.stringify(key)} is not JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/**
 * Below this depth the walk keeps no path: a cycle recurses without end, so it always goes deeper,
 * and from here on the objects on the path are kept and checked. Values of the usual few levels
 * (a row, a shape) then cost no stack bookkeeping, and each walk has its own path (a getter or
 * `toJSON` that writes while a walk runs starts its own).
 */
const UNTRACKED_DEPTH = 32;

/**
 * `value` as JSON would serialise it under `holderKey` and parse it back, frozen; `undefined`
 * where JSON leaves the member out. `path` holds the objects walked past `UNTRACKED_DEPTH`.
 */
function toJsonValue(
  value: unknown,
  holderKey: string | number,
  depth: number,
  path: object[] | undefined,
): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? value + 0 : null; // -0 + 0 is 0
    case "undefined":
    case "symbol":
      return undefined;
    case "object":
      if (value === null) return null;
  }
  // An object, a function or a BigInt: any of them may carry a toJSON.
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") {
    value = toJSON.call(value, String(holderKey)) as unknown;
    if (typeof value !== "object" || value === null) return toJsonValue(value, holderKey, depth, path);
  }
  if (typeof value === "bigint") throw new TypeError("it holds a BigInt");
  if (typeof value !== "object") return undefined; // a function
  return toJsonObject(value as object, depth, path);
}

function toJsonObject(value: object, depth: number, path: object[] | undefined): unknown {
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== Array.prototype) {
    // Boxed primitives serialise as their primitive.
    if (value instanceof Number) return toJsonValue(Number(value), "", depth, path);
    if (value instanceof String) return String(value);
    if (value instanceof Boolean) return value.valueOf();
    if (isRawJson(value)) return JSON.parse(value.rawJSON) as unknown;
  }
  if (depth >= UNTRACKED_DEPTH) {
    path ??= [];
    if (path.includes(value)) throw new TypeError("it holds a cycle");
    path.push(value);
  }
  const inner = depth + 1;
  let out: unknown[] | Record<string, unknown>;
  if (Array.isArray(value)) {
    const items = value as unknown[];
    const list = new Array<unknown>(items.length);
    for (let i = 0; i < items.length; i++) list[i] = toJsonValue(items[i], i, inner, path) ?? null;
    out = list;
  } else {
    const record = value as Record<string, unknown>;
    const fields: Record<string, unknown> = {};
    // for-in walks own enumerable string keys in Object.keys order (then inherited ones, skipped)
    // without allocating the key list.
    for (const k in record) {
      if (!Object.hasOwn(record, k)) continue;
      const field = record[k];
      // Strings and booleans inline: they are most fields, and a call each would be most of the walk.
      const v =
        typeof field === "string" || typeof field === "boolean" ? field : toJsonValue(field, k, inner, path);
      if (v === undefined) continue;
      // JSON.parse makes "__proto__" an own member; an assignment would set the prototype.
      if (k === "__proto__") defineField(fields, k, v);
      else fields[k] = v;
    }
    out = fields;
  }
  if (depth >= UNTRACKED_DEPTH) path!.pop();
  return Object.freeze(out);
}

function defineField(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

const jsonIsRaw = (JSON as { isRawJSON?: (v: unknown) => boolean }).isRawJSON;
/** A `JSON.rawJSON(...)` object, which `JSON.stringify` writes out as its text. */
function isRawJson(value: object): value is { rawJSON: string } {
  return jsonIsRaw !== undefined && jsonIsRaw(value);
}
