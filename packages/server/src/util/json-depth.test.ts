import { describe, expect, it } from "vitest";
import { nestsDeeperThan } from "./json-depth.js";

describe("nestsDeeperThan", () => {
  it("counts arrays and objects, not brackets inside strings", () => {
    const nested = (n: number) => "[".repeat(n) + "]".repeat(n);
    expect(nestsDeeperThan(nested(10), 10)).toBe(false);
    expect(nestsDeeperThan(nested(11), 10)).toBe(true);
    expect(nestsDeeperThan(`{"a":{"b":[1,{"c":2}]}}`, 3)).toBe(true);
    expect(nestsDeeperThan(`{"a":{"b":[1,{"c":2}]}}`, 4)).toBe(false);
    expect(nestsDeeperThan(JSON.stringify({ s: "[[[[[[[[[[[[{{{{{" }), 2)).toBe(false);
    expect(nestsDeeperThan(JSON.stringify({ s: 'q\\"[[[[[[[[[[[[' }), 2)).toBe(false);
    expect(nestsDeeperThan(nested(100_000), 100)).toBe(true);
  });
});
