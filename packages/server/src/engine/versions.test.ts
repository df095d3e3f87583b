import { RETIRED_MUTATION } from "@synced-store/core/internal";
import type { PokeMessage, PullResponseMessage, ServerMessage } from "@synced-store/core/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { todoV1, todoV2 } from "../../../core/test/todo-versions.js";
import { startTestServer, type TestServer } from "../test-support/test-server.js";

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const isPoke = (m: ServerMessage): m is PokeMessage => m.type === "poke";
const push = (id: number, name: string, args: unknown) => ({ id, name, args, timestamp: 1 });

/** A v2 server, a client on v1 (still served) and one on v2. */
async function twoVersions() {
  t = await startTestServer({ stores: [todoV2] });
  const old = await t.client();
  expect(
    await old.connect({ space: "vtodo/1", clientId: "old", auth: "ann", schemaVersion: 1 }),
  ).toMatchObject({
    type: "connected",
  });
  const current = await t.client();
  expect(
    await current.connect({ space: "vtodo/1", clientId: "new", auth: "bob", schemaVersion: 2 }),
  ).toMatchObject({
    type: "connected",
  });
  return { old, current };
}

describe("a server serving versions 1 to 2", () => {
  it("upgrades a v1 client's pushes, rejects its retired calls, and pokes each client what its version reads", async () => {
    const { old, current } = await twoVersions();
    const from = { old: old.messages.length, current: current.messages.length };
    old.send({
      type: "push",
      client_id: "old",
      mutations: [
        push(1, "addTodo", { id: "a", text: "A" }),
        push(2, "toggle", { id: "a" }),
        push(3, "archive", { id: "a" }),
      ],
    });
    const error = await old.waitFor((m) => m.type === "mutation_error", from.old);
    expect(error).toMatchObject({
      mutation_id: 3,
      code: "mutator_retired",
      message: "archive was retired in version 2: archiving is gone; delete the todo instead",
    });
    const seenByOld = await old.waitFor(
      (m) => isPoke(m) && m.client_id_to_last_mutation_id.old === 3,
      from.old,
    );
    const seenByNew = await current.waitFor((m) => isPoke(m) && m.patches.length > 0, from.current);
    // Stored and poked to v2 in v2's shape, downgraded (no priority) for the v1 client.
    expect((seenByNew as PokeMessage).patches).toEqual([
      { op: "set", key: "todos/a", value: { id: "a", text: "A", done: true, priority: "normal" } },
    ]);
    expect((seenByOld as PokeMessage).patches).toEqual([
      { op: "set", key: "todos/a", value: { id: "a", text: "A", done: true } },
    ]);

    // A pull answers each version in its shape too.
    const pulled = old.messages.length;
    old.send({ type: "pull", client_id: "old", base_version: 0 });
    const snapshot = await old.waitFor((m): m is PullResponseMessage => m.type === "pull_response", pulled);
    expect(snapshot.patches).toContainEqual({
      op: "set",
      key: "todos/a",
      value: { id: "a", text: "A", done: true },
    });
  });

  it("skips a retired call's placeholder without an error, keeping ids gap-free", async () => {
    const { current } = await twoVersions();
    const from = current.messages.length;
    current.send({
      type: "push",
      client_id: "new",
      mutations: [
        push(1, RETIRED_MUTATION, { mutator: "archive", code: "mutator_retired" }),
        push(2, "addTodo", { id: "b", text: "B", priority: "high" }),
      ],
    });
    await current.waitFor((m) => isPoke(m) && m.client_id_to_last_mutation_id.new === 2, from);
    expect(
      current.messages.slice(from).filter((m) => m.type === "mutation_error" || m.type === "error"),
    ).toEqual([]);
  });

  it("tells a client below the range to update, with the versions, and closes", async () => {
    t = await startTestServer({ stores: [todoV2.mutators({})] });
    const tooOld = await t.client();
    // todoV2 serves 1..2; a client claiming version 0 is below it.
    const reply = await tooOld.connect({ space: "vtodo/1", clientId: "c", auth: "ann", schemaVersion: 0 });
    expect(reply).toMatchObject({
      type: "error",
      code: "update_needed",
      client_version: 0,
      min_supported_version: 1,
      server_version: 2,
    });
    expect((await tooOld.waitClosed()).code).toBe(4426);
    // A v1 client is served.
    const v1 = await t.client();
    expect(
      await v1.connect({ space: "vtodo/1", clientId: "d", auth: "ann", schemaVersion: todoV1.version }),
    ).toMatchObject({
      type: "connected",
    });
  });
});
