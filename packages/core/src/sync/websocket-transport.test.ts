import { describe, expect, it, vi } from "vitest";
import { webSocketTransport, type WebSocketLike } from "./websocket-transport.js";

/** A WebSocket double the test drives by hand. */
class FakeSocket implements WebSocketLike {
  static last: FakeSocket | undefined;
  readyState = 0;
  sent: string[] = [];
  closedWith: [number | undefined, string | undefined] | undefined;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  constructor(readonly url: string) {
    if (url === "bad") throw new SyntaxError("Invalid URL");
    FakeSocket.last = this;
  }
  send(data: string) {
    this.sent.push(data);
  }
  close(code?: number, reason?: string) {
    this.closedWith = [code, reason];
  }
}

function open(url: string) {
  const handlers = { onOpen: vi.fn(), onFrame: vi.fn(), onClose: vi.fn() };
  const conn = webSocketTransport({ url, WebSocket: FakeSocket }).open(handlers);
  return { conn, handlers, socket: FakeSocket.last! };
}

describe("webSocketTransport", () => {
  it("uses the injected constructor, decodes text and binary frames, sends only when open", () => {
    const { conn, handlers, socket } = open("ws://host/sync");
    expect(socket.url).toBe("ws://host/sync");
    conn.send("early");
    socket.readyState = 1;
    socket.onopen?.({});
    conn.send("hello");
    expect(socket.sent).toEqual(["hello"]);
    socket.onmessage?.({ data: "text" });
    socket.onmessage?.({ data: new TextEncoder().encode("bytes").buffer });
    expect(handlers.onOpen).toHaveBeenCalledTimes(1);
    expect(handlers.onFrame.mock.calls).toEqual([["text"], ["bytes"]]);
  });

  it("reports whether the connection ever opened, once", () => {
    const never = open("ws://a");
    never.socket.onclose?.({ code: 1006, reason: "" });
    never.socket.onclose?.({ code: 1006, reason: "" });
    expect(never.handlers.onClose.mock.calls).toEqual([[{ code: 1006, reason: "", opened: false }]]);
    const opened = open("ws://b");
    opened.socket.onopen?.({});
    opened.conn.close(4000, "bye");
    expect(opened.socket.closedWith).toEqual([4000, "bye"]);
    expect(opened.handlers.onClose).toHaveBeenCalledWith({ code: 4000, reason: "bye", opened: true });
    opened.socket.onmessage?.({ data: "late" });
    expect(opened.handlers.onFrame).not.toHaveBeenCalled();
  });

  it("turns a constructor that throws into a failed connection", async () => {
    const handlers = { onOpen: vi.fn(), onFrame: vi.fn(), onClose: vi.fn() };
    webSocketTransport({ url: "bad", WebSocket: FakeSocket }).open(handlers);
    await vi.waitFor(() =>
      expect(handlers.onClose).toHaveBeenCalledWith({ code: 1006, reason: "Invalid URL", opened: false }),
    );
  });
});
