import { describe, expect, it } from "vitest";
import { replaceEqualDeep } from "./replace-equal-deep.js";

describe("replaceEqualDeep", () => {
  it("returns the previous value when deeply equal", () => {
    const prev = { a: [1, { b: 2 }], c: "x" };
    expect(replaceEqualDeep(prev, { a: [1, { b: 2 }], c: "x" })).toBe(prev);
  });

  it("keeps unchanged parts and replaces changed ones", () => {
    const prev = [
      { id: "a", n: 1 },
      { id: "b", n: 2 },
    ];
    const next = replaceEqualDeep(prev, [
      { id: "a", n: 1 },
      { id: "b", n: 3 },
    ]);
    expect(next).not.toBe(prev);
    expect(next[0]).toBe(prev[0]);
    expect(next[1]).toEqual({ id: "b", n: 3 });
  });

  it("sees added, removed and undefined-valued keys, and length changes", () => {
    const prev: Record<string, unknown> = { a: 1 };
    expect(replaceEqualDeep(prev, { a: 1, b: undefined })).toEqual({ a: 1, b: undefined });
    expect(replaceEqualDeep(prev, { a: 1, b: undefined })).not.toBe(prev);
    expect(replaceEqualDeep({ a: 1, b: 2 }, { a: 1 })).toEqual({ a: 1 });
    const list = [1, 2];
    expect(replaceEqualDeep(list, [1, 2, 3])).toEqual([1, 2, 3]);
    expect(replaceEqualDeep(list, [1])).toEqual([1]);
  });

  it("never mixes arrays, objects and other values", () => {
    expect(replaceEqualDeep([1], { 0: 1 })).toEqual({ 0: 1 });
    const date = new Date(0);
    expect(replaceEqualDeep(new Date(0), date)).toBe(date);
    expect(replaceEqualDeep(undefined, null)).toBeNull();
  });
});
