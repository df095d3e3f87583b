import { describe, expectTypeOf, it } from "vitest";
import type { CreateStoreOptions } from "../client.js";
import { connectToServer } from "./connect-to-server.js";
import type { SyncConnector } from "./sync-layer.js";

describe("the store ↔ sync-layer contract", () => {
  it("is the one type both createStore and connectToServer use", () => {
    expectTypeOf<CreateStoreOptions["connect"]>().toEqualTypeOf<SyncConnector | undefined>();
    expectTypeOf(connectToServer({ url: "ws://x" })).toEqualTypeOf<SyncConnector>();
  });

  it("leaves the pending count and syncing to the store", () => {
    type Reported = ReturnType<ReturnType<SyncConnector>["status"]>;
    expectTypeOf<keyof Reported>().toEqualTypeOf<"connection" | "lastError" | "updateNeeded">();
  });
});
