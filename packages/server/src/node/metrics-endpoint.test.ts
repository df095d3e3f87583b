import { afterEach, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../test-support/test-server.js";

let t: TestServer;
afterEach(async () => {
  await t.close();
});

const scrape = async () => (await fetch(`http://127.0.0.1:${t.running.port}/metrics`)).text();
const value = (text: string, series: string) => {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe("/metrics by code and transport", () => {
  it("counts rejections by code, connections by transport and bytes in and out", async () => {
    t = await startTestServer();
    const a = await t.connected("alice", "ca");
    a.send({
      type: "push",
      client_id: "ca",
      mutations: [
        { id: 1, name: "nope", args: {}, timestamp: 0 },
        { id: 2, name: "setItem", args: { id: 5 }, timestamp: 0 },
        { id: 3, name: "setItem", args: { id: 7 }, timestamp: 0 },
      ],
    });
    await a.waitFor((m) => m.type === "mutation_error" && m.mutation_id === 3);
    a.sendRaw("not json");
    await a.waitFor((m) => m.type === "error" && m.code === "bad_message");
    const http = await fetch(`http://127.0.0.1:${t.running.port}/sync/connect`, {
      method: "POST",
      body: JSON.stringify({ connect: { type: "connect" } }),
    });
    const httpBody = await http.text();
    await t.server.settled();

    const text = await scrape();
    expect(value(text, 'synced_store_rejections_total{kind="mutation",code="unknown_mutator"}')).toBe(1);
    expect(value(text, 'synced_store_rejections_total{kind="mutation",code="invalid_args"}')).toBe(2);
    expect(
      value(text, 'synced_store_rejections_total{kind="protocol",code="bad_message"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(value(text, 'synced_store_transport_connections{transport="websocket"}')).toBe(1);
    expect(value(text, 'synced_store_transport_connections{transport="http"}')).toBe(0);
    expect(value(text, 'synced_store_transport_connections_total{transport="http"}')).toBe(1);
    const wsIn = value(text, 'synced_store_received_bytes_total{transport="websocket"}') ?? 0;
    expect(wsIn).toBeGreaterThan("not json".length);
    expect(value(text, 'synced_store_sent_bytes_total{transport="websocket"}')).toBeGreaterThan(0);
    expect(value(text, 'synced_store_sent_bytes_total{transport="http"}')).toBe(Buffer.byteLength(httpBody));
    expect(text).toMatch(/^# TYPE synced_store_rejections_total counter$/m);
  });

  it("GET on the sync path says it is the sync endpoint", async () => {
    t = await startTestServer();
    const res = await fetch(`http://127.0.0.1:${t.running.port}/sync`);
    expect(res.status).toBe(426);
    expect(res.headers.get("upgrade")).toBe("websocket");
    expect(((await res.json()) as { error: string }).error).toMatch(
      /sync endpoint: open a WebSocket to \/sync/,
    );
  });
});
