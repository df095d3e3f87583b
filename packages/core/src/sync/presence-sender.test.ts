import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { PresenceChannel } from "../presence/presence-channel.js";
import { SyncClient } from "./sync-client.js";
import { FakeSyncTarget } from "./testing/fake-sync-target.js";
import { FakeTransport } from "./testing/fake-transport.js";
import { systemTimers } from "./timers.js";

const settle = () => vi.advanceTimersByTimeAsync(0);

function setup() {
  const target = new FakeSyncTarget();
  const transport = new FakeTransport();
  const presence = new PresenceChannel(
    z.object({ x: z.number() }),
    () => target.clientId,
    () => undefined,
  );
  const client = new SyncClient({
    target,
    spaceId: "todo/list-1",
    schemaVersion: 1,
    transport,
    timers: { ...systemTimers, random: () => 0.5 },
    backoff: { initialDelayMs: 10, maxDelayMs: 10 },
    presence,
  });
  const connect = async () => {
    await settle();
    transport.last.open();
    await settle();
    transport.last.receive({ type: "connected", history_id: "h", version: 0, last_mutation_id: 0 });
    await settle();
    return transport.last;
  };
  const states = () => transport.last.sentOf("presence").map((m) => m.state);
  return { client, presence, transport, connect, states };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("presence in the sync client", () => {
  it("announces the own state on every connection, and nothing when there is none", async () => {
    const { client, presence, connect, transport, states } = setup();
    client.start();
    await connect();
    expect(states()).toEqual([]);
    presence.set({ x: 1 });
    expect(states()).toEqual([{ x: 1 }]);
    transport.last.serverClose(1006);
    presence.set({ x: 2 }); // while offline: kept, sent on the next connection
    await vi.advanceTimersByTimeAsync(20);
    await connect();
    expect(transport.links).toHaveLength(2);
    expect(states()).toEqual([{ x: 2 }]);
  });

  it("sends the first change at once, then the latest at most once per interval", async () => {
    const { client, presence, connect, states } = setup();
    client.start();
    await connect();
    for (let x = 1; x <= 10; x++) presence.set({ x });
    expect(states()).toEqual([{ x: 1 }]);
    await vi.advanceTimersByTimeAsync(16);
    expect(states()).toEqual([{ x: 1 }, { x: 10 }]);
    await vi.advanceTimersByTimeAsync(100);
    expect(states()).toEqual([{ x: 1 }, { x: 10 }]);
    presence.clear();
    await vi.advanceTimersByTimeAsync(16);
    expect(states()).toEqual([{ x: 1 }, { x: 10 }, null]);
  });

  it("applies the server's presence and empties the others when the connection closes", async () => {
    const { client, presence, connect, transport } = setup();
    client.start();
    const link = await connect();
    link.receive({
      type: "presence",
      full: true,
      set: [{ client_id: "other", user_id: "bob", state: { x: 5 } }],
      removed: [],
    });
    await settle();
    expect(presence.others()).toEqual([{ clientId: "other", userId: "bob", state: { x: 5 } }]);
    transport.last.serverClose(1006);
    expect(presence.others()).toEqual([]);
    client.stop();
    expect(presence.others()).toEqual([]);
  });
});
