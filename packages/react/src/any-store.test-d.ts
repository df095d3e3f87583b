import type { AnyStore, Store } from "@synced-store/core";
import { describe, expectTypeOf, it } from "vitest";
import type { todo } from "./hooks.test-d.js";

describe("AnyStore", () => {
  it("accepts a store of any definition", () => {
    expectTypeOf<Store<typeof todo>>().toExtend<AnyStore>();
  });
});
