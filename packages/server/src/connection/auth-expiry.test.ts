import type { ServerMessage } from "@synced-store/core/protocol";
import { afterEach, describe, expect, it } from "vitest";
import type { Authenticated } from "./hooks.js";
import { startTestServer, type TestServer } from "../test-support/test-server.js";

let t: TestServer;
afterEach(async () => {
  await t.close();
});

/** Test tokens: `user` (never expires) or `user@expiresAt`. A real app verifies a signature. */
const token = (user: string, expiresAt?: number) => (expiresAt === undefined ? user : `${user}@${expiresAt}`);
function authenticate({ auth }: { auth: string | undefined }): Authenticated | undefined {
  if (auth === undefined) return undefined;
  const [userId = "", at] = auth.split("@");
  return at === undefined ? userId : { userId, expiresAt: Number(at) };
}

const LEAD_MS = 300;
const start = () =>
  startTestServer({ authenticate, limits: { authRefreshLeadMs: LEAD_MS, messagesPerSecond: 1000 } });

const isRefresh = (m: ServerMessage) => m.type === "auth_refresh";
const increment = (id: number) => ({ id, name: "increment", args: { by: 1 }, timestamp: 0 });

describe("credentials that expire", () => {
  it("asks for a fresh credential before the expiry and keeps the connection on it", async () => {
    t = await start();
    const c = await t.client();
    const first = Date.now() + 1000;
    expect(await c.connect({ space: "test/1", clientId: "c1", auth: token("ann", first) })).toMatchObject({
      type: "connected",
    });
    expect(await c.waitFor(isRefresh)).toEqual({ type: "auth_refresh", expires_at: first });
    // A second short credential: its own refresh request comes after the first one's expiry,
    // on the same socket.
    const second = first + 1000;
    const from = c.messages.length;
    c.send({ type: "auth", auth: token("ann", second) });
    expect(await c.waitFor(isRefresh, from)).toEqual({ type: "auth_refresh", expires_at: second });
    expect(Date.now()).toBeGreaterThan(first);
    c.send({ type: "auth", auth: token("ann") });
    c.send({ type: "push", client_id: "c1", mutations: [increment(1)] });
    await c.waitFor((m) => m.type === "poke" && m.client_id_to_last_mutation_id.c1 === 1);
    expect(c.closed).toBeUndefined();
    expect(c.messages.filter((m) => m.type === "error")).toEqual([]);
  });

  it("closes with auth_expired (4419) at the expiry when no fresh credential came", async () => {
    t = await start();
    const c = await t.client();
    await c.connect({ space: "test/1", clientId: "c1", auth: token("ann", Date.now() + 600) });
    await c.waitFor(isRefresh);
    await expect(c.waitFor((m) => m.type === "error")).resolves.toMatchObject({ code: "auth_expired" });
    expect(await c.waitClosed()).toMatchObject({ code: 4419 });
  });

  it("refuses a fresh credential of another user, closing with 4401", async () => {
    t = await start();
    const c = await t.client();
    await c.connect({ space: "test/1", clientId: "c1", auth: token("ann", Date.now() + 600) });
    await c.waitFor(isRefresh);
    c.send({ type: "auth", auth: token("bob") });
    await expect(c.waitFor((m) => m.type === "error")).resolves.toMatchObject({
      code: "unauthenticated",
      message: expect.stringMatching(/another user/) as unknown,
    });
    expect(await c.waitClosed()).toMatchObject({ code: 4401 });
  });

  it("refuses a connect whose credential has expired already", async () => {
    t = await start();
    const c = await t.client();
    expect(
      await c.connect({ space: "test/1", clientId: "c1", auth: token("ann", Date.now() - 1) }),
    ).toMatchObject({
      type: "error",
      code: "auth_expired",
    });
    expect(await c.waitClosed()).toMatchObject({ code: 4419 });
  });

  it("asks an HTTP client within the lead for a fresh credential in the answer itself", async () => {
    t = await start();
    const post = async (auth: string) => {
      const connect = {
        type: "connect",
        space: "test/1",
        client_id: "h1",
        auth,
        history_id: null,
        base_version: 0,
        last_mutation_id: 0,
        schema_version: 1,
      };
      const res = await fetch(`http://127.0.0.1:${t.running.port}/sync/connect`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ connect }),
      });
      const { messages } = (await res.json()) as { messages: ServerMessage[] };
      return messages.map((m) => m.type).filter((type) => type !== "presence");
    };
    expect(await post(token("ann", Date.now() + LEAD_MS - 100))).toEqual(["connected", "auth_refresh"]);
    expect(await post(token("ann", Date.now() + 60_000))).toEqual(["connected"]);
    expect(await post(token("ann", Date.now() - 1))).toEqual(["error"]);
  });
});

describe("SyncServer.disconnect", () => {
  it("closes only the given user's connections, with revoked (4410)", async () => {
    t = await start();
    const ann1 = await t.connected("ann", "a1");
    const ann2 = await t.connected("ann", "a2", "test/2");
    const bob = await t.connected("bob", "b1");
    expect(t.server.disconnect({ userId: "ann", reason: "Signed out" })).toBe(2);
    for (const c of [ann1, ann2]) {
      await expect(c.waitFor((m) => m.type === "error")).resolves.toEqual({
        type: "error",
        code: "revoked",
        message: "Signed out",
      });
      expect(await c.waitClosed()).toEqual({ code: 4410, reason: "Signed out" });
    }
    await bob.roundTrip();
    bob.send({ type: "push", client_id: "b1", mutations: [increment(1)] });
    await bob.waitFor((m) => m.type === "poke" && m.client_id_to_last_mutation_id.b1 === 1);
    expect(bob.closed).toBeUndefined();
    expect(t.server.disconnect({ userId: "ann" })).toBe(0);
  });
});
