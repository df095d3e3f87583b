import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors.js";
import { storedValue } from "./stored-value.js";

const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
console.log(`stored-value property seed: ${seed} (rerun with FC_SEED=${seed})`);

/** What the walk must equal: the JSON round trip (`null` for a top-level value JSON leaves out). */
function viaJson(value: unknown): unknown {
  const json = JSON.stringify(value);
  return json === undefined ? null : (JSON.parse(json) as unknown);
}

/** Every object inside `value`, itself included. */
function objectsIn(value: unknown, into = new Set<object>()): Set<object> {
  if (typeof value !== "object" || value === null || into.has(value)) return into;
  into.add(value);
  for (const key of Reflect.ownKeys(value)) {
    const d = Object.getOwnPropertyDescriptor(value, key);
    if (d && "value" in d) objectsIn(d.value, into);
  }
  return into;
}

/** Throws unless `value` is plain frozen JSON data: no -0, plain prototypes, frozen throughout. */
function assertPlainFrozen(value: unknown): void {
  if (typeof value === "number") expect(Object.is(value, -0)).toBe(false);
  if (typeof value !== "object" || value === null) return;
  expect(Object.isFrozen(value)).toBe(true);
  expect(Object.getPrototypeOf(value)).toBe(Array.isArray(value) ? Array.prototype : Object.prototype);
  for (const v of Object.values(value)) assertPlainFrozen(v);
}

/** Values JSON treats specially, beside what `fc.anything` makes. */
class Point {
  hidden = 0;
  constructor(
    readonly x: number,
    readonly y: number,
  ) {
    Object.defineProperty(this, "hidden", { enumerable: false });
  }
  get norm(): number {
    return Math.hypot(this.x, this.y);
  }
}
const odd = fc.oneof(
  fc.constantFrom(undefined, Number.NaN, Infinity, -Infinity, -0, () => 1, Symbol("s")),
  fc.date({ noInvalidDate: false }),
  fc.tuple(fc.integer(), fc.integer()).map(([x, y]) => new Point(x, y)),
  fc.anything().map((inner) => ({ toJSON: (key: string) => ({ key, inner }) })),
  fc.integer().map((n) => Object.assign([n, n], { extra: n })),
);
const value = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: "small" },
    fc.anything({
      withBoxedValues: true,
      withNullPrototype: true,
      withObjectString: true,
      withDate: true,
      withTypedArray: true,
      withSparseArray: true,
      withMap: true,
      withSet: true,
    }),
    odd,
    fc.array(tie("node"), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 4 }), tie("node"), { maxKeys: 4 }),
  ),
})).node;

describe("storedValue", () => {
  it("equals the JSON round trip, key order included, frozen and sharing no object with its input", () => {
    fc.assert(
      fc.property(value, (input) => {
        const stored = storedValue("k", input);
        const json = viaJson(input);
        expect(stored).toStrictEqual(json);
        expect(JSON.stringify(stored)).toBe(JSON.stringify(json));
        assertPlainFrozen(stored);
        const inputs = objectsIn(input);
        for (const o of objectsIn(stored)) expect(inputs.has(o)).toBe(false);
      }),
      { seed, numRuns: 500 },
    );
  });

  it("rejects what JSON cannot hold (BigInt, cycles) as invalid_value, like JSON.stringify throws", () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = { back: cyclic };
    const listCycle: unknown[] = [];
    listCycle.push([listCycle]);
    for (const bad of [1n, { n: 2n }, [3n], cyclic, listCycle]) {
      expect(() => JSON.stringify(bad)).toThrow(TypeError);
      let caught: unknown;
      try {
        storedValue("todos/a", bad);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ValidationError);
      expect(caught).toMatchObject({ code: "invalid_value" });
      expect((caught as Error).message).toContain('Value for "todos/a" is not JSON');
    }
  });

  it("shares an object between two members without calling it a cycle", () => {
    const shared = { n: 1 };
    expect(storedValue("k", { a: shared, b: [shared, shared] })).toEqual({
      a: { n: 1 },
      b: [{ n: 1 }, { n: 1 }],
    });
  });

  it("keeps __proto__ as an own member, as JSON.parse does", () => {
    const input = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as object;
    const stored = storedValue("k", input) as Record<string, unknown>;
    expect(Object.getPrototypeOf(stored)).toBe(Object.prototype);
    expect(Object.keys(stored)).toEqual(["__proto__", "a"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("calls getters and toJSON once with JSON's key, and unboxes boxed primitives", () => {
    let calls = 0;
    const input = {
      get lazy() {
        calls++;
        return [new Date(Date.UTC(2026, 0, 2)), new Date(Number.NaN)];
      },
      keyed: { toJSON: (key: string) => `key:${key}` },
      list: [{ toJSON: (key: string) => `at:${key}` }],
      boxed: [new Number(-0), new String("s"), new Boolean(false), new Number(Infinity)],
    };
    expect(storedValue("k", input)).toEqual({
      lazy: ["2026-01-02T00:00:00.000Z", null],
      keyed: "key:keyed",
      list: ["at:0"],
      boxed: [0, "s", false, null],
    });
    expect(calls).toBe(1);
  });

  it("stores null for a top-level value JSON leaves out", () => {
    for (const top of [undefined, () => 1, Symbol("s"), { toJSON: () => undefined }]) {
      expect(storedValue("k", top)).toBeNull();
    }
  });

  it("lets a toJSON store a value while a walk is under way (its own cycle check)", () => {
    let calls = 0;
    const root: Record<string, unknown> = { inner: { x: 1 } };
    // Walks `root` again from inside the walk of `root`: no cycle, as each walk has its own path.
    root.outer = { toJSON: () => (calls++ === 0 ? storedValue("other", root) : "nested") };
    expect(storedValue("k", root)).toEqual({ inner: { x: 1 }, outer: { inner: { x: 1 }, outer: "nested" } });
  });
});
