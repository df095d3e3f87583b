import type { PullResponseMessage, ServerMessage } from "@synced-store/core/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../test-support/test-server.js";

const isPull = (m: ServerMessage): m is PullResponseMessage => m.type === "pull_response";

let t: TestServer;
afterEach(async () => {
  await t.close();
});

describe("visibility on raw frames", () => {
  it("never sends user B alice's private keys, any $$so/ key, or alice's client ids", async () => {
    t = await startTestServer();
    const alice = await t.connected("alice", "alice-client-1");
    const bob = await t.connected("bob", "bob-client-1");
    alice.send({
      type: "push",
      client_id: "alice-client-1",
      mutations: [
        { id: 1, name: "setNote", args: { text: "ALICE-SECRET-NOTE" }, timestamp: 0 },
        { id: 2, name: "setSecret", args: { value: "SERVER-ONLY-VALUE" }, timestamp: 0 },
        { id: 3, name: "increment", args: { by: 1 }, timestamp: 0 },
        { id: 4, name: "setItem", args: { id: "shared", text: "visible" }, timestamp: 0 },
      ],
    });
    bob.send({
      type: "push",
      client_id: "bob-client-1",
      mutations: [{ id: 1, name: "setNote", args: { text: "BOB-NOTE" }, timestamp: 0 }],
    });
    await bob.waitFor((m) => m.type === "poke" && m.max_included_version >= 2);
    await alice.waitFor((m) => m.type === "poke" && m.max_included_version >= 2);
    // A late joiner pulls everything from scratch.
    const carol = await t.connected("bob", "bob-client-2");
    carol.send({ type: "pull", client_id: "bob-client-2", base_version: 0 });
    const snapshot = await carol.waitFor(isPull);
    expect(snapshot.patches).toContainEqual({ op: "set", key: "items/shared", value: { text: "visible" } });
    expect(snapshot.patches).toContainEqual({ op: "set", key: "$$pu/bob/note", value: "BOB-NOTE" });
    expect(snapshot.client_id_to_last_mutation_id).toEqual({ "bob-client-1": 1 });

    for (const frame of [...bob.frames, ...carol.frames]) {
      expect(frame).not.toContain("ALICE-SECRET-NOTE");
      expect(frame).not.toContain("$$pu/alice");
      expect(frame).not.toContain("$$so/");
      expect(frame).not.toContain("SERVER-ONLY-VALUE");
      expect(frame).not.toContain("alice-client-1");
    }
    for (const frame of alice.frames) {
      expect(frame).not.toContain("$$so/");
      expect(frame).not.toContain("BOB-NOTE");
      expect(frame).not.toContain("bob-client");
    }
    expect(alice.frames.join("")).toContain("ALICE-SECRET-NOTE");
  });

  it("lets actions (server code) read $$so/ keys and write any user's private keys", async () => {
    t = await startTestServer();
    const alice = await t.connected("alice", "ca");
    const bob = await t.connected("bob", "cb");
    alice.send({
      type: "push",
      client_id: "ca",
      mutations: [{ id: 1, name: "setSecret", args: { value: "s3" }, timestamp: 0 }],
    });
    alice.send({ type: "action", request_id: "r1", name: "readSecret", args: {} });
    expect(await alice.waitFor((m) => m.type === "action_result")).toEqual({
      type: "action_result",
      request_id: "r1",
      ok: true,
      result: "s3",
    });
    alice.send({
      type: "action",
      request_id: "r2",
      name: "writeNoteFor",
      args: { user: "bob", text: "for bob" },
    });
    await bob.waitFor(
      (m) => m.type === "poke" && m.patches.some((p) => p.op === "set" && p.key === "$$pu/bob/note"),
    );
    await alice.waitFor((m) => m.type === "action_result" && m.request_id === "r2");
    expect(alice.frames.join("")).not.toContain("for bob");
  });
});
