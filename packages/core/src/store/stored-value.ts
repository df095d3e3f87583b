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
  // One ancestor stack for every call (an array per write is most of a small write's garbage);
  // a call from inside a walk (a getter or `toJSON` that writes) gets its own.
  const ancestors = walking ? [] : sharedAncestors;
  const outermost = !walking;
  walking = true;
  try {
    const value = toJsonValue(parsed, "", ancestors);
    return value === undefined ? null : value;
  } catch (error) {
    throw new ValidationError(
      "invalid_value",
      `Value for ${JSON.stringify(key)} is not JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    if (outermost) {
      walking = false;
      sharedAncestors.length = 0;
    }
  }
}

const sharedAncestors: object[] = [];
let walking = false;

/**
 * `value` as JSON would serialise it under `holderKey` and parse it back, frozen; `undefined`
 * where JSON leaves the member out. `ancestors` are the objects being walked (cycle check).
 */
function toJsonValue(value: unknown, holderKey: string | number, ancestors: object[]): unknown {
  if (typeof value === "string" || typeof value === "boolean" || value === null) return value;
  if (typeof value === "number") return Number.isFinite(value) ? value + 0 : null; // -0 + 0 is 0
  if (typeof value === "object" || typeof value === "function" || typeof value === "bigint") {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") value = toJSON.call(value, String(holderKey)) as unknown;
  }
  switch (typeof value) {
    case "string":
    case "boolean":
    case "number":
      return toJsonValue(value, holderKey, ancestors);
    case "bigint":
      throw new TypeError("it holds a BigInt");
    case "object":
      return value === null ? null : toJsonObject(value, ancestors);
    default:
      return undefined; // undefined, functions, symbols
  }
}

function toJsonObject(value: object, ancestors: object[]): unknown {
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== Array.prototype) {
    // Boxed primitives serialise as their primitive.
    if (value instanceof Number) return toJsonValue(Number(value), "", ancestors);
    if (value instanceof String) return String(value);
    if (value instanceof Boolean) return value.valueOf();
    if (isRawJson(value)) return JSON.parse(value.rawJSON) as unknown;
  }
  if (ancestors.includes(value)) throw new TypeError("it holds a cycle");
  ancestors.push(value);
  let out: unknown[] | Record<string, unknown>;
  if (Array.isArray(value)) {
    const items = value as unknown[];
    const list = new Array<unknown>(items.length);
    for (let i = 0; i < items.length; i++) list[i] = toJsonValue(items[i], i, ancestors) ?? null;
    out = list;
  } else {
    const record = value as Record<string, unknown>;
    const fields: Record<string, unknown> = {};
    // for-in walks own enumerable string keys in Object.keys order (then inherited ones, skipped)
    // without allocating the key list.
    for (const k in record) {
      if (!Object.hasOwn(record, k)) continue;
      const v = toJsonValue(record[k], k, ancestors);
      if (v === undefined) continue;
      // JSON.parse makes "__proto__" an own member; an assignment would set the prototype.
      if (k === "__proto__") defineField(fields, k, v);
      else fields[k] = v;
    }
    out = fields;
  }
  ancestors.pop();
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
