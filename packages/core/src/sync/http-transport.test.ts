import { describe, expect, it, vi } from "vitest";
import { encodeMessage } from "../protocol/codec.js";
import type { ServerMessage } from "../protocol/messages.js";
import { httpTransport, type FetchLike } from "./http-transport.js";

const connect = {
  type: "connect",
  space: "todo/s",
  client_id: "c1",
  history_id: null,
  base_version: 0,
  last_mutation_id: 0,
  schema_version: 1,
} as const;

function fakeFetch(respond: (path: string, body: unknown) => ServerMessage[] | Error) {
  const calls: Array<{ url: string; body: unknown }> = [];
  const fetch: FetchLike = (url, init) => {
    const body: unknown = JSON.parse(init.body);
    calls.push({ url, body });
    const result = respond(url, body);
    if (result instanceof Error) return Promise.reject(result);
    const answer = JSON.stringify(url.endsWith("/pull") ? result : { messages: result });
    return Promise.resolve({ ok: true, status: 200, text: () => Promise.resolve(answer) });
  };
  return { fetch, calls };
}

describe("httpTransport", () => {
  it("posts each message with the connect context and delivers the answers in order", async () => {
    const { fetch, calls } = fakeFetch((url) =>
      url.endsWith("/connect")
        ? [{ type: "connected", history_id: "h", version: 0, last_mutation_id: 0 }]
        : [{ type: "pong" }],
    );
    const frames: string[] = [];
    const onOpen = vi.fn();
    const conn = httpTransport({ url: "http://host/sync/", fetch }).open({
      onOpen,
      onFrame: (f) => frames.push(f),
      onClose: vi.fn(),
    });
    await vi.waitFor(() => expect(onOpen).toHaveBeenCalled());
    conn.send(encodeMessage(connect));
    conn.send(encodeMessage({ type: "ping" }));
    conn.send(encodeMessage({ type: "pull", client_id: "c1", base_version: 0 }));
    await vi.waitFor(() => expect(frames).toHaveLength(2));
    expect(calls.map((c) => c.url)).toEqual(["http://host/sync/connect", "http://host/sync/pull"]);
    expect(calls[1]?.body).toEqual({
      connect: { ...connect, history_id: "h" },
      message: { type: "pull", client_id: "c1", base_version: 0 },
    });
    expect(JSON.parse(frames[0] ?? "")).toMatchObject({ type: "connected" });
  });

  it("puts a fresh credential (auth) in the connect of later requests instead of posting it", async () => {
    const { fetch, calls } = fakeFetch((url) =>
      url.endsWith("/connect")
        ? [{ type: "connected", history_id: "h", version: 0, last_mutation_id: 0 }]
        : [],
    );
    const onOpen = vi.fn();
    const conn = httpTransport({ url: "http://host/sync", fetch }).open({
      onOpen,
      onFrame: vi.fn(),
      onClose: vi.fn(),
    });
    await vi.waitFor(() => expect(onOpen).toHaveBeenCalled());
    conn.send(encodeMessage({ ...connect, auth: "old" }));
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    conn.send(encodeMessage({ type: "auth", auth: "fresh" }));
    conn.send(encodeMessage({ type: "pull", client_id: "c1", base_version: 0 }));
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    expect(calls.map((c) => c.url)).toEqual(["http://host/sync/connect", "http://host/sync/pull"]);
    expect((calls[0]?.body as { connect: { auth: string } }).connect.auth).toBe("old");
    expect((calls[1]?.body as { connect: { auth: string } }).connect.auth).toBe("fresh");
  });

  it("keeps one presence request waiting at most, with the latest state", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const calls: Array<{ url: string; body: unknown }> = [];
    const fetch: FetchLike = async (url, init) => {
      calls.push({ url, body: JSON.parse(init.body) });
      if (url.endsWith("/presence")) await gate;
      const messages = url.endsWith("/connect")
        ? [{ type: "connected", history_id: "h", version: 0, last_mutation_id: 0 }]
        : [];
      return { ok: true, status: 200, text: () => Promise.resolve(JSON.stringify({ messages })) };
    };
    const onOpen = vi.fn();
    const conn = httpTransport({ url: "http://host/sync", fetch }).open({
      onOpen,
      onFrame: vi.fn(),
      onClose: vi.fn(),
    });
    await vi.waitFor(() => expect(onOpen).toHaveBeenCalled());
    conn.send(encodeMessage(connect));
    conn.send(encodeMessage({ type: "presence", state: { x: 0 } }));
    await vi.waitFor(() => expect(calls).toHaveLength(2)); // the first presence request is in flight
    for (let x = 1; x <= 50; x++) conn.send(encodeMessage({ type: "presence", state: { x } }));
    conn.send(encodeMessage({ type: "pull", client_id: "c1", base_version: 0 }));
    release();
    await vi.waitFor(() => expect(calls).toHaveLength(4));
    expect(calls.map((c) => c.url.slice("http://host/sync/".length))).toEqual([
      "connect",
      "presence",
      "presence",
      "pull",
    ]);
    expect((calls[2]!.body as { message: unknown }).message).toEqual({ type: "presence", state: { x: 50 } });
  });

  it("reports a network failure as a close", async () => {
    const { fetch } = fakeFetch(() => new Error("ECONNREFUSED"));
    const onClose = vi.fn();
    const conn = httpTransport({ url: "http://host", fetch }).open({
      onOpen: vi.fn(),
      onFrame: vi.fn(),
      onClose,
    });
    conn.send(encodeMessage(connect));
    await vi.waitFor(() =>
      expect(onClose).toHaveBeenCalledWith(expect.objectContaining({ reason: "ECONNREFUSED" })),
    );
  });

  it("closes on a rate-limited answer with the wait the server asked for", async () => {
    const answers = [
      {
        status: 429,
        body: JSON.stringify({ error: "slow down", code: "rate_limited", retry_after_ms: 2500 }),
      },
      { status: 503, body: "unavailable" },
    ];
    for (const { status, body } of answers) {
      const fetch: FetchLike = () =>
        Promise.resolve({ ok: false, status, text: () => Promise.resolve(body) });
      const onClose = vi.fn();
      const onOpen = vi.fn();
      const conn = httpTransport({ url: "http://host/sync", fetch }).open({
        onOpen,
        onFrame: vi.fn(),
        onClose,
      });
      await vi.waitFor(() => expect(onOpen).toHaveBeenCalled());
      conn.send(encodeMessage(connect));
      await vi.waitFor(() => expect(onClose).toHaveBeenCalled());
      const info = onClose.mock.calls[0]?.[0] as { code: number; retryAfterMs?: number };
      expect(info.code).toBe(1011);
      expect(info.retryAfterMs).toBe(status === 429 ? 2500 : undefined);
    }
  });
});
