import { describe, expect, it } from "vitest";
import { todoStore } from "../../test/todo-definition.js";
import { OrderedMap } from "../kv/ordered-map.js";
import { DELETED, LayeredView, type Layer } from "./layered-view.js";
import { StoreWriteTransaction } from "./write-transaction.js";

function setup(location: "client" | "server" = "client") {
  const base = OrderedMap.from<unknown>([
    ["items/000001", 1],
    ["items/000002", 2],
    ["items/000003", 3],
    ["todos/a", { id: "a", text: "A", done: false }],
    ["$$so/secrets/s", "hidden"],
  ]);
  const overlay: Layer = OrderedMap.from<unknown>([
    ["items/000002", DELETED],
    ["items/000004", 4],
  ]);
  const tx = new StoreWriteTransaction(
    { userId: "u1", clientId: "c1", location },
    new LayeredView(base, [overlay]),
    todoStore.patterns,
  );
  return { tx, base, overlay };
}

describe("StoreWriteTransaction", () => {
  it("scans base and layers in key order with prefix, start and limit", async () => {
    const { tx } = setup();
    await tx.set("items/000000", 0);
    await tx.del("items/000003");
    const keys = async (o: Parameters<typeof tx.scan>[0]) => (await tx.scan(o)).map((e) => e.key);
    expect(await keys({ prefix: "items/" })).toEqual(["items/000000", "items/000001", "items/000004"]);
    expect(await keys({ prefix: "items/", start: "items/000001", limit: 2 })).toEqual([
      "items/000001",
      "items/000004",
    ]);
    expect(await keys({ prefix: "items/", limit: 0 })).toEqual([]);
    expect(await keys({ start: "items/000004" })).toEqual(["items/000004", "todos/a"]);
    expect((await tx.scan({ prefix: "todos/" }))[0]?.value).toEqual({ id: "a", text: "A", done: false });
  });

  it("reads its own writes and deletes; del reports whether the key held a value", async () => {
    const { tx } = setup();
    expect(await tx.has("items/000002")).toBe(false);
    expect(await tx.del("items/000002")).toBe(false);
    expect(await tx.del("items/000001")).toBe(true);
    expect(await tx.get("items/000001")).toBeUndefined();
    await tx.set("items/000001", 11);
    expect(await tx.get("items/000001")).toBe(11);
    expect(tx.writes.get("items/000001")).toBe(11);
  });

  it("updates through an immer draft and validates the result", async () => {
    const { tx, base } = setup();
    const next = await tx.update("todos/a", (d: { done: boolean }) => {
      d.done = true;
    });
    expect(next).toEqual({ id: "a", text: "A", done: true });
    expect(base.get("todos/a")).toEqual({ id: "a", text: "A", done: false });
    expect(await tx.update("todos/none", () => undefined)).toBeUndefined();
    await expect(
      tx.update("todos/a", (d: { done: unknown }) => {
        d.done = "yes";
      }),
    ).rejects.toMatchObject({ code: "invalid_value" });
  });

  it("on the client hides server-only keys and drops writes to them", async () => {
    const { tx } = setup();
    expect(await tx.get("$$so/secrets/s")).toBeUndefined();
    expect((await tx.scan()).some((e) => e.key.startsWith("$$so/"))).toBe(false);
    await tx.set("$$so/secrets/t", "v");
    expect(tx.writes.size).toBe(0);
    await expect(tx.set("$$so/secrets/t", 1)).rejects.toMatchObject({ code: "invalid_value" });
  });

  it("on the server reads and writes server-only keys", async () => {
    const { tx } = setup("server");
    expect(await tx.get("$$so/secrets/s")).toBe("hidden");
    await tx.set("$$so/secrets/t", "v");
    expect(tx.writes.get("$$so/secrets/t")).toBe("v");
  });

  it("rejects another user's private keys and unknown keys with typed errors", async () => {
    const { tx } = setup();
    await expect(tx.set("$$pu/u2/filter", "all")).rejects.toMatchObject({ code: "permission_denied" });
    await expect(tx.del("$$pu/u2/filter")).rejects.toMatchObject({ code: "permission_denied" });
    await expect(tx.set("nope", 1)).rejects.toMatchObject({ code: "unknown_key" });
    expect(tx.privateKey("filter")).toBe("$$pu/u1/filter");
  });
});
