import { describe, expect, it } from "vitest";
import { findCoalesceTarget, type CoalesceCandidate } from "./find-coalesce-target.js";

const m = (id: number, name: string, coalesceKey?: string): CoalesceCandidate => ({ id, name, coalesceKey });
/** Searches `pending` (oldest first, as a queue holds it); -1 for none, else the id found. */
const find = (pending: CoalesceCandidate[], sentUpToId: number, name: string, key: string) =>
  findCoalesceTarget([...pending].reverse(), sentUpToId, name, key) ?? -1;

describe("findCoalesceTarget", () => {
  it("replaces the newest unsent call with the same mutator and key", () => {
    const pending = [m(1, "move", "a"), m(2, "move", "a")];
    expect(find(pending, 0, "move", "a")).toBe(2);
  });

  it("never touches a mutation that may already have been sent", () => {
    expect(find([m(1, "move", "a")], 1, "move", "a")).toBe(-1);
    expect(find([m(1, "move", "a"), m(2, "move", "b")], 1, "move", "a")).toBe(-1);
  });

  it("skips over coalescing calls on other targets (cursor moves during a drag)", () => {
    const pending = [m(1, "move", "a"), m(2, "cursor", "u1"), m(3, "move", "b"), m(4, "cursor", "u1")];
    expect(find(pending, 0, "move", "a")).toBe(1);
    expect(find(pending, 0, "cursor", "u1")).toBe(4);
  });

  it("stops at a mutation that does not coalesce, since the new call may not commute with it", () => {
    const pending = [m(1, "move", "a"), m(2, "delete")];
    expect(find(pending, 0, "move", "a")).toBe(-1);
  });

  it("another mutator on the same target ends the search", () => {
    expect(find([m(1, "resize", "a")], 0, "move", "a")).toBe(-1);
    expect(find([m(1, "move", "a"), m(2, "resize", "a")], 0, "move", "a")).toBe(-1);
    expect(find([m(1, "move", "a"), m(2, "resize", "b")], 0, "move", "a")).toBe(1);
  });

  it("reads the queue lazily, stopping at the first mutation that ends the search", () => {
    let read = 0;
    function* newestFirst() {
      for (let id = 1000; id > 0; id--) {
        read++;
        yield m(id, id === 998 ? "delete" : "move", id === 998 ? undefined : `k${id}`);
      }
    }
    expect(findCoalesceTarget(newestFirst(), 0, "move", "k1")).toBeUndefined();
    expect(read).toBe(3);
  });

  it("finds nothing in an empty queue", () => {
    expect(find([], 0, "move", "a")).toBe(-1);
  });
});
