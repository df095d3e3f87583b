import { describe, expect, it } from "vitest";
import { OrderedMap } from "../kv/ordered-map.js";
import { DELETED, type Layer } from "./layered-view.js";
import { WriteChanges } from "./store-change.js";

describe("WriteChanges", () => {
  it("lists exactly the written keys whose visible value changed, with old and new values", () => {
    const before = new Map<string, unknown>([
      ["a", 1],
      ["c", 3],
    ]);
    const writes: Layer = OrderedMap.from<unknown>([
      ["a", 10],
      ["b", 2],
      ["c", DELETED],
      ["gone", DELETED],
    ]);
    const changes = new WriteChanges(writes, (key) => before.get(key));
    const want = new Map([
      ["a", { oldValue: 1, newValue: 10 }],
      ["b", { oldValue: undefined, newValue: 2 }],
      ["c", { oldValue: 3, newValue: undefined }],
    ]);
    expect(changes.size).toBe(3);
    expect(new Map(changes)).toEqual(want);
    expect([...changes.keys()].sort()).toEqual(["a", "b", "c"]);
    expect([...changes.values()]).toHaveLength(3);
    expect(changes.has("gone")).toBe(false);
    expect(changes.get("gone")).toBeUndefined();
    expect(changes.get("a")).toEqual({ oldValue: 1, newValue: 10 });
    // Old values are read once, when the change is made: later states do not leak in.
    before.set("a", 99);
    expect(changes.get("a")).toEqual({ oldValue: 1, newValue: 10 });
    const seen: string[] = [];
    changes.forEach((change, key, map) => {
      expect(map).toBe(changes);
      expect(change).toEqual(want.get(key));
      seen.push(key);
    });
    expect(seen.sort()).toEqual(["a", "b", "c"]);
  });
});
