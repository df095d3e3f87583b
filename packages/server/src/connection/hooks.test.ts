import { afterEach, describe, expect, it, vi } from "vitest";
import { startTestServer, type TestServer } from "../test-support/test-server.js";

let t: TestServer;
afterEach(async () => {
  await t.close();
});

describe("hooks", () => {
  it("authenticates with the hook's user id and passes auth, space, client and headers", async () => {
    const authenticate = vi.fn(({ auth }: { auth: string | undefined }) =>
      auth === "token-1" ? "alice" : undefined,
    );
    t = await startTestServer({ authenticate });
    const c = await t.client();
    expect(await c.connect({ space: "test/1", clientId: "c1", auth: "token-1" })).toMatchObject({
      type: "connected",
    });
    expect(authenticate).toHaveBeenCalledWith(
      expect.objectContaining({
        auth: "token-1",
        spaceId: "test/1",
        clientId: "c1",
        request: expect.objectContaining({ headers: expect.any(Object) as unknown }) as unknown,
      }),
    );
    c.send({
      type: "push",
      client_id: "c1",
      mutations: [{ id: 1, name: "setNote", args: { text: "hi" }, timestamp: 0 }],
    });
    const poke = await c.waitFor((m) => m.type === "poke");
    expect(poke.type === "poke" && poke.patches).toEqual([
      { op: "set", key: "$$pu/alice/note", value: "hi" },
    ]);
  });

  it.each([
    ["returns undefined", () => undefined, /no valid user id/],
    ["throws", () => Promise.reject(new Error("token expired")), /token expired/],
  ])(
    "refuses a client when authenticate %s: error, then close with the reason",
    async (_, authenticate, reason) => {
      t = await startTestServer({ authenticate });
      const c = await t.client();
      const reply = await c.connect({ space: "test/1", clientId: "c1", auth: "x" });
      expect(reply).toMatchObject({
        type: "error",
        code: "unauthenticated",
        message: expect.stringMatching(reason) as unknown,
      });
      const closed = await c.waitClosed();
      expect(closed.code).toBe(4401);
      expect(closed.reason).toMatch(reason);
    },
  );

  it("refuses a space authorize denies, and allows others", async () => {
    const authorize = vi.fn(
      (userId: string, spaceId: string) => spaceId !== "test/private" || userId === "owner",
    );
    t = await startTestServer({ authorize });
    const denied = await t.client();
    expect(await denied.connect({ space: "test/private", clientId: "c1", auth: "guest" })).toMatchObject({
      code: "unauthorized",
    });
    expect((await denied.waitClosed()).code).toBe(4403);
    await t.connected("owner", "c2", "test/private");
    expect(authorize).toHaveBeenCalledWith("owner", "test/private");
  });

  it("calls onConnect after the handshake and onDisconnect when the connection ends", async () => {
    const events: string[] = [];
    t = await startTestServer({
      onConnect: (info) => void events.push(`connect ${info.userId} ${info.spaceId} ${info.clientId}`),
      onDisconnect: (info) => void events.push(`disconnect ${info.userId} ${info.clientId}`),
    });
    const c = await t.connected("alice", "c1");
    await vi.waitFor(() => expect(events).toEqual(["connect alice test/1 c1"]));
    c.close();
    await vi.waitFor(() => expect(events).toEqual(["connect alice test/1 c1", "disconnect alice c1"]));
    expect(t.server.metrics.connections).toBe(0);
  });

  it("lets onDisconnect clean up presence through runAction, poked to the others", async () => {
    const box: { server?: TestServer["server"] } = {};
    t = await startTestServer({
      onDisconnect: async (info) => {
        await box.server!.runAction(info.spaceId, info.userId, "clearItems", {});
      },
    });
    box.server = t.server;
    const leaving = await t.connected("alice", "c1");
    const staying = await t.connected("bob", "c2");
    leaving.send({
      type: "push",
      client_id: "c1",
      mutations: [{ id: 1, name: "setItem", args: { id: "cursor", text: "here" }, timestamp: 0 }],
    });
    await staying.waitFor((m) => m.type === "poke" && m.patches.length > 0);
    leaving.close();
    await staying.waitFor(
      (m) => m.type === "poke" && m.patches.some((p) => p.op === "del" && p.key === "items/cursor"),
    );
  });
});
