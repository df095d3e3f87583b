import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import type { ServerMessage } from "@synced-store/core/protocol";
import { httpConnect as connect, httpPost } from "../test-support/http-post.js";
import { RawClient } from "../test-support/raw-client.js";
import { startTestServer, type TestServer } from "../test-support/test-server.js";

let t: TestServer;
afterEach(async () => {
  await t.close();
});

/** 500 items of 90 characters in one push: its poke and a later snapshot are about 60 KB. */
const bigPush = (clientId: string) => ({
  type: "push" as const,
  client_id: clientId,
  mutations: Array.from({ length: 500 }, (_, i) => ({
    id: i + 1,
    name: "setItem",
    args: { id: `item-${i}`, text: `Item ${i}: `.padEnd(90, "buy milk ") },
    timestamp: 0,
  })),
});

/** Opens a raw client (with or without permessage-deflate) that `t.close` closes. */
async function open(userId: string, clientId: string, deflate: boolean): Promise<RawClient> {
  const c = await RawClient.open(t.running.url, deflate ? {} : { perMessageDeflate: false });
  t.clients.push(c);
  const reply = await c.connect({ space: "test/1", clientId, auth: userId });
  expect(reply.type).toBe("connected");
  return c;
}

/** Bytes an unmasked, uncompressed server frame of `length` bytes takes on the wire. */
const plainFrameBytes = (length: number) => length + (length > 65_535 ? 10 : length > 125 ? 4 : 2);

/**
 * Marks where `c` is (once nothing else is in flight); `until` then waits for a message matching
 * `predicate` and returns it, the text bytes of the frames since the mark, what they would take
 * on the wire uncompressed, and the TCP bytes they took.
 */
async function mark(c: RawClient) {
  await c.roundTrip();
  const [from, before] = [c.messages.length, c.bytesRead];
  return {
    async until(predicate: (m: ServerMessage) => boolean) {
      const message = await c.waitFor(predicate, from);
      const frames = c.frames.slice(from).map((f) => Buffer.byteLength(f));
      return {
        message,
        frameBytes: frames.reduce((a, b) => a + b, 0),
        plainBytes: frames.reduce((a, b) => a + plainFrameBytes(b), 0),
        wireBytes: c.bytesRead - before,
      };
    },
  };
}

describe("permessage-deflate", () => {
  it("deflates large pokes and snapshots on the wire, not small frames, and serves clients without it", async () => {
    t = await startTestServer();
    const deflating = await open("alice", "a", true);
    const plain = await open("bob", "b", false);
    expect(deflating.ws.extensions).toContain("permessage-deflate");
    expect(plain.ws.extensions).toBe("");

    const [atDeflating, atPlain] = await Promise.all([mark(deflating), mark(plain)]);
    deflating.send(bigPush("a"));
    const isPoke = (m: ServerMessage) => m.type === "poke";
    const [deflatedPoke, plainPoke] = await Promise.all([atDeflating.until(isPoke), atPlain.until(isPoke)]);
    expect(deflatedPoke.frameBytes).toBeGreaterThan(50_000);
    expect(deflatedPoke.wireBytes).toBeLessThan(deflatedPoke.frameBytes / 4);
    // Uncompressed: the frames plus their headers, byte for byte.
    expect(plainPoke.wireBytes).toBe(plainPoke.plainBytes);
    expect(plainPoke.message).toMatchObject({
      patches: (deflatedPoke.message as { patches: unknown }).patches,
    });

    for (const c of [deflating, plain]) {
      const at = await mark(c);
      c.send({ type: "pull", client_id: c === plain ? "b" : "a", base_version: 0 });
      const { frameBytes, plainBytes, wireBytes, message } = await at.until(
        (m) => m.type === "pull_response",
      );
      expect(message).toMatchObject({ max_included_version: 1 });
      if (c === plain) expect(wireBytes).toBe(plainBytes);
      else expect(wireBytes).toBeLessThan(frameBytes / 4);
    }

    // A small frame goes as it is even where deflate was agreed: `{"type":"pong"}` plus a 2-byte header.
    const at = await mark(deflating);
    deflating.send({ type: "ping" });
    const small = await at.until((m) => m.type === "pong");
    expect(small.frameBytes).toBeLessThan(1024);
    expect(small.wireBytes).toBe(small.plainBytes);
  });

  it("turns off with compression: false", async () => {
    t = await startTestServer({}, { compression: false });
    const c = await open("alice", "a", true);
    expect(c.ws.extensions).toBe("");
    const at = await mark(c);
    c.send(bigPush("a"));
    const { frameBytes, plainBytes, wireBytes } = await at.until((m) => m.type === "poke");
    expect(frameBytes).toBeGreaterThan(50_000);
    expect(wireBytes).toBe(plainBytes);
  });
});

describe("gzip on the HTTP endpoints", () => {
  const pull = { connect: connect("h", "alice"), message: { type: "pull", client_id: "h", base_version: 0 } };

  it("gzips answers over 1 KiB to requests that accept it, and only those", async () => {
    t = await startTestServer();
    const writer = await open("alice", "w", true);
    writer.send(bigPush("w"));
    await writer.waitFor((m) => m.type === "poke");

    const zipped = await httpPost(t.running.port, "/sync/pull", JSON.stringify(pull), {
      "accept-encoding": "gzip, deflate, br",
    });
    const plain = await httpPost(t.running.port, "/sync/pull", JSON.stringify(pull));
    const refused = await httpPost(t.running.port, "/sync/pull", JSON.stringify(pull), {
      "accept-encoding": "gzip;q=0, identity",
    });
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(zipped.headers.vary).toBe("accept-encoding");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(refused.headers["content-encoding"]).toBeUndefined();
    expect(zipped.json).toEqual(plain.json);
    expect(plain.raw.length).toBeGreaterThan(50_000);
    expect(zipped.raw.length).toBeLessThan(plain.raw.length / 4);

    // A small answer is not worth it.
    const hello = await httpPost(
      t.running.port,
      "/sync/connect",
      JSON.stringify({ connect: connect("h", "alice") }),
      {
        "accept-encoding": "gzip",
      },
    );
    expect(hello.status).toBe(200);
    expect(hello.raw.length).toBeLessThan(1024);
    expect(hello.headers["content-encoding"]).toBeUndefined();
  });

  it("takes gzipped request bodies, and answers a zip bomb with a typed 413", async () => {
    t = await startTestServer();
    const push = { connect: connect("h", "alice"), message: bigPush("h") };
    const pushed = await httpPost(t.running.port, "/sync/push", gzipSync(JSON.stringify(push)), {
      "content-encoding": "gzip",
    });
    expect(pushed.status).toBe(200);
    expect(t.server.metrics.mutationsApplied).toBe(500);

    // 64 gzip members of 16 MiB of spaces each: about 1 MiB on the wire, 1 GiB inflated.
    const member = gzipSync(Buffer.alloc(16 * 1024 * 1024, " "));
    const bomb = Buffer.concat(Array.from({ length: 64 }, () => member));
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    const rssBefore = process.memoryUsage().rss;
    const exploded = await httpPost(t.running.port, "/sync/push", bomb, { "content-encoding": "gzip" });
    expect(exploded.status).toBe(413);
    expect(exploded.json).toMatchObject({ code: "frame_too_large" });
    expect(exploded.json.error).toContain("once inflated");
    // Cut at twice the 1 MiB frame limit: nowhere near the gigabyte it inflates to.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(256 * 1024 * 1024);

    const garbage = await httpPost(t.running.port, "/sync/push", "not gzip at all", {
      "content-encoding": "gzip",
    });
    expect(garbage).toMatchObject({ status: 400, json: { code: "bad_message" } });
    const brotli = await httpPost(t.running.port, "/sync/push", "{}", { "content-encoding": "br" });
    expect(brotli).toMatchObject({ status: 415, json: { code: "bad_message" } });
    // Still serving.
    const after = await httpPost(
      t.running.port,
      "/sync/connect",
      JSON.stringify({ connect: connect("h", "alice") }),
    );
    expect(after.status).toBe(200);
  });
});

describe("slow readers, with permessage-deflate", () => {
  it("drops a peer that stops reading once its socket holds maxBufferedBytes, and keeps the others", async () => {
    t = await startTestServer({}, { maxBufferedBytes: 256 * 1024 });
    const writer = await open("alice", "w", true);
    const stalled = await open("bob", "s", true);
    (stalled.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    expect(t.server.metrics.connections).toBe(2);
    // Random text deflates little: each poke puts about 40 KB on the wire.
    const text = () =>
      Array.from({ length: 90 }, () => String.fromCharCode(33 + Math.floor(Math.random() * 90))).join("");
    for (let round = 0; round < 400 && t.server.metrics.connections === 2; round++) {
      const from = writer.messages.length;
      writer.send({
        type: "push",
        client_id: "w",
        mutations: Array.from({ length: 500 }, (_, i) => ({
          id: round * 500 + i + 1,
          name: "setItem",
          args: { id: `item-${i}`, text: text() },
          timestamp: 0,
        })),
      });
      await writer.waitFor((m) => m.type === "poke", from);
    }
    expect(t.server.metrics.connections).toBe(1);
    expect(writer.closed).toBeUndefined();
  });

  it("keeps a peer that reads a snapshot whose parts wait for the compressor", async () => {
    // Parts of 32 KiB; the snapshot is about 400 KB, queued all at once for deflating.
    t = await startTestServer({ limits: { maxFrameBytes: 64 * 1024 } }, { maxBufferedBytes: 256 * 1024 });
    const writer = await open("alice", "w", true);
    for (let round = 0; round < 12; round++) {
      const from = writer.messages.length;
      writer.send({
        type: "push",
        client_id: "w",
        mutations: Array.from({ length: 250 }, (_, i) => ({
          id: round * 250 + i + 1,
          name: "setItem",
          args: { id: `item-${round}-${i}`, text: `Item ${i}: `.padEnd(90, "buy milk ") },
          timestamp: 0,
        })),
      });
      await writer.waitFor((m) => m.type === "poke", from);
    }
    const reader = await open("bob", "r", true);
    const at = await mark(reader);
    reader.send({ type: "pull", client_id: "r", base_version: 0 });
    const { frameBytes, wireBytes } = await at.until((m) => m.type === "pull_response" && m.more !== true);
    expect(frameBytes).toBeGreaterThan(256 * 1024);
    expect(wireBytes).toBeLessThan(frameBytes / 4);
    expect(reader.closed).toBeUndefined();
  });
});
