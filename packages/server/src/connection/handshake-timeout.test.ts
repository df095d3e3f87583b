import { connect as tcpConnect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../test-support/test-server.js";

let t: TestServer;
afterEach(async () => {
  await t.close();
});

const LIMITS = { handshakeTimeoutMs: 200 };

describe("handshake timeout", () => {
  it("closes a WebSocket that never sends connect, with handshake_timeout", async () => {
    t = await startTestServer({ limits: LIMITS });
    const silent = await t.client();
    const closed = await silent.waitClosed();
    expect(closed.code).toBe(4408);
    expect(silent.messages).toEqual([expect.objectContaining({ type: "error", code: "handshake_timeout" })]);
    expect(t.server.metrics.connections).toBe(0);
  });

  it("closes a TCP connection that never sends a request, or only part of one", async () => {
    t = await startTestServer({ limits: LIMITS });
    const open = (first?: string) =>
      new Promise<"closed">((resolve, reject) => {
        const socket = tcpConnect(t.running.port, "127.0.0.1", () => {
          if (first !== undefined) socket.write(first);
        });
        socket.on("close", () => resolve("closed"));
        socket.on("error", reject);
        socket.resume();
      });
    expect(await open()).toBe("closed");
    expect(await open("GET /sync HTTP/1.1\r\nHost: x\r\n")).toBe("closed");
  });

  it("leaves a connection that completed its handshake open past the timeout", async () => {
    t = await startTestServer({ limits: LIMITS });
    const c = await t.connected("alice", "c");
    // Twice the timeout: a timer left running would have closed it by then.
    await new Promise((resolve) => setTimeout(resolve, 2 * LIMITS.handshakeTimeoutMs));
    await c.roundTrip();
    expect(c.closed).toBeUndefined();
  });
});
