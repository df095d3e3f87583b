import { describe, expect, it } from "vitest";
import { todoStore } from "../test/todo-definition.js";
import { assertConverged, createDrivenStore, filterForUser, visibleState } from "./testing.js";

const connected = (userId: string) => createDrivenStore(todoStore, { space: "t", userId });

const server = {
  counter: 3,
  "$$pu/u1/filter": "done",
  "$$pu/u2/filter": "all",
  "$$so/secrets/x": "s",
};

describe("testing helpers", () => {
  it("filters a state for a user", () => {
    expect(filterForUser(server, "u1")).toEqual({ "$$pu/u1/filter": "done", counter: 3 });
  });

  it("passes when every store shows the server state its user may see, and fails otherwise", async () => {
    const a = connected("u1");
    const b = connected("u2");
    for (const s of [a, b]) {
      await s.store.ready;
      // As the server sends it: filtered for the receiving user.
      const visible = filterForUser(server, s.store.userId);
      const patches = Object.entries(visible).map(([key, value]) => ({ op: "set" as const, key, value }));
      await s.target.applyServerUpdate({ minIncludedVersion: 1, maxIncludedVersion: 1, patches });
    }
    await expect(assertConverged([a.store, b.store], server)).resolves.toBeUndefined();
    expect(await visibleState(b.store)).toEqual({ "$$pu/u2/filter": "all", counter: 3 });

    await b.store.mutate.increment(1);
    await expect(assertConverged([a.store, b.store], server)).rejects.toThrow(/pending/);
    await expect(assertConverged([a.store, b.store], server, { allowPending: true })).rejects.toThrow(
      /"counter": expected 3, got 4/,
    );
    await expect(assertConverged([a.store, b.store], undefined, { allowPending: true })).rejects.toThrow(
      /counter/,
    );
  });
});
