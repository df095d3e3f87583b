import { describe, expect, it } from "vitest";
import { findCoalesceTarget, type CoalesceCandidate } from "./find-coalesce-target.js";

const m = (id: number, name: string, coalesceKey?: string): CoalesceCandidate => ({ id, name, coalesceKey });

describe("findCoalesceTarget", () => {
  it("replaces the newest unsent call with the same mutator and key", () => {
    const pending = [m(1, "move", "a"), m(2, "move", "a")];
    expect(findCoalesceTarget(pending, 0, "move", "a")).toBe(1);
  });

  it("never touches a mutation that may already have been sent", () => {
    expect(findCoalesceTarget([m(1, "move", "a")], 1, "move", "a")).toBe(-1);
    expect(findCoalesceTarget([m(1, "move", "a"), m(2, "move", "b")], 1, "move", "a")).toBe(-1);
  });

  it("skips over coalescing calls on other targets (cursor moves during a drag)", () => {
    const pending = [m(1, "move", "a"), m(2, "cursor", "u1"), m(3, "move", "b"), m(4, "cursor", "u1")];
    expect(findCoalesceTarget(pending, 0, "move", "a")).toBe(0);
    expect(findCoalesceTarget(pending, 0, "cursor", "u1")).toBe(3);
  });

  it("stops at a mutation that does not coalesce, since the new call may not commute with it", () => {
    const pending = [m(1, "move", "a"), m(2, "delete")];
    expect(findCoalesceTarget(pending, 0, "move", "a")).toBe(-1);
  });

  it("another mutator on the same target ends the search", () => {
    expect(findCoalesceTarget([m(1, "resize", "a")], 0, "move", "a")).toBe(-1);
    expect(findCoalesceTarget([m(1, "move", "a"), m(2, "resize", "a")], 0, "move", "a")).toBe(-1);
    expect(findCoalesceTarget([m(1, "move", "a"), m(2, "resize", "b")], 0, "move", "a")).toBe(0);
  });

  it("finds nothing in an empty queue", () => {
    expect(findCoalesceTarget([], 0, "move", "a")).toBe(-1);
  });
});
