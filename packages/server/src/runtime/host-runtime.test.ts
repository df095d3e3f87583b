import { afterEach, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../test-support/test-server.js";
import type { HostRuntime } from "./host-runtime.js";
import { nodeHostRuntime } from "./node-host-runtime.js";

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe("HostRuntime", () => {
  it("counts frame bytes with the runtime it is given", async () => {
    const counted: number[] = [];
    // A runtime that counts every character as 10 bytes: a 500-character frame is 5,000 "bytes".
    const runtime: HostRuntime = {
      ...nodeHostRuntime,
      byteLength: (text) => (counted.push(text.length), text.length * 10),
    };
    t = await startTestServer({ runtime, limits: { maxFrameBytes: 1000 } });
    const c = await t.connected("alice", "c1");
    c.send({
      type: "push",
      client_id: "c1",
      mutations: [{ id: 1, name: "setItem", args: { id: "a", text: "x".repeat(400) }, timestamp: 0 }],
    });
    expect(await c.waitFor((m) => m.type === "error")).toMatchObject({ code: "frame_too_large" });
    expect((await c.waitClosed()).code).toBe(1009);
    expect(counted.some((n) => n > 400)).toBe(true);
  });
});
