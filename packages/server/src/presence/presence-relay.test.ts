import type { PresenceUpdateMessage } from "@synced-store/core/protocol";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { PRESENCE_PAYLOAD_BYTES } from "../bus/bus.js";
import { MemoryBusNetwork } from "../bus/memory-bus.js";
import { defaultLimits } from "../engine/limits.js";
import { silentLogger } from "../logger.js";
import { PresenceHub } from "./presence-hub.js";
import type { PresenceOwner, PresenceViewer } from "./presence-record.js";
import { PresenceRelay } from "./presence-relay.js";
import { decodeRelayMessage, encodeFull } from "./relay-message.js";

const SPACE = "test/1";
const WAIT = { timeout: 10_000, interval: 5 };

/** A viewer that keeps what it was shown. */
function viewer(clientId: string): PresenceViewer & { others: Map<string, unknown> } {
  const others = new Map<string, unknown>();
  return {
    userId: `u-${clientId}`,
    clientId,
    others,
    sendFrame(frame) {
      const m = JSON.parse(frame) as PresenceUpdateMessage;
      if (m.full) others.clear();
      for (const id of m.removed) others.delete(id);
      for (const e of m.set) others.set(e.client_id, e.state);
    },
  };
}

/** One server process's presence: a hub and its relay on the bus network. */
function process(network: MemoryBusNetwork, options: { leaseMs?: number } = {}) {
  const bus = network.join();
  const relayRef: { relay?: PresenceRelay } = {};
  const hub = new PresenceHub({
    limits: defaultLimits,
    logger: silentLogger,
    visible: undefined,
    intervalMs: 5,
    leaseMs: options.leaseMs ?? 60_000,
    schemaOf: () => z.object({ n: z.number(), pad: z.string().optional() }),
    onLocalChanges: (spaceId, set, removed) => relayRef.relay?.published(spaceId, set, removed),
    onSweep: () => relayRef.relay?.sweep(),
  });
  const relay = new PresenceRelay({
    bus,
    hub,
    logger: silentLogger,
    heartbeatMs: 20,
    leaseMs: options.leaseMs ?? 60_000,
  });
  relayRef.relay = relay;
  const connect = (clientId: string) => {
    const v = viewer(clientId);
    const owner: PresenceOwner = { kind: "connection", connection: v };
    hub.join(SPACE, v);
    return {
      viewer: v,
      set: (n: number, pad?: string) => hub.set(SPACE, v, owner, pad === undefined ? { n } : { n, pad }),
      leave: () => hub.leave(SPACE, v, owner),
    };
  };
  const stop = async () => {
    await relay.close();
    hub.close();
  };
  processes.push(stop);
  return { bus, hub, relay, connect, stop };
}

const processes: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of processes.splice(0)) await stop();
});

describe("presence relay between processes", () => {
  it("carries sets and removals to the other processes' connections", async () => {
    const network = new MemoryBusNetwork();
    const a = process(network);
    const b = process(network);
    const ann = a.connect("ann");
    const bob = b.connect("bob");
    ann.set(1);
    await vi.waitFor(() => expect(bob.viewer.others).toEqual(new Map([["ann", { n: 1 }]])), WAIT);
    bob.set(2);
    await vi.waitFor(() => expect(ann.viewer.others).toEqual(new Map([["bob", { n: 2 }]])), WAIT);
    ann.leave();
    await vi.waitFor(() => expect(bob.viewer.others.size).toBe(0), WAIT);
  });

  it("never lets another process's record replace one a connection here holds (a client that moved)", async () => {
    const network = new MemoryBusNetwork();
    const a = process(network);
    const b = process(network);
    const watcher = b.connect("w");
    const stale = a.connect("cx"); // the client's old connection, at a, not yet noticed dead
    stale.set(1);
    await vi.waitFor(() => expect(watcher.viewer.others.get("cx")).toEqual({ n: 1 }), WAIT);
    const moved = b.connect("cx"); // it reconnected to b
    moved.set(2);
    await vi.waitFor(() => expect(watcher.viewer.others.get("cx")).toEqual({ n: 2 }), WAIT);
    stale.set(3); // a late frame of the old connection
    const probe = a.connect("probe");
    expect(probe.viewer.others.get("cx")).toEqual({ n: 3 });
    // b hears a's late state (a change of a's published after it arrives, so that one did too)…
    a.connect("marker").set(9);
    await vi.waitFor(() => expect(watcher.viewer.others.get("marker")).toEqual({ n: 9 }), WAIT);
    // …and keeps its own connection's state.
    expect(watcher.viewer.others.get("cx")).toEqual({ n: 2 });
    // The old connection's end, published by a, does not remove what b's connection holds.
    stale.leave();
    moved.set(4);
    await vi.waitFor(() => expect(probe.viewer.others.get("cx")).toEqual({ n: 4 }), WAIT);
    expect(watcher.viewer.others.get("cx")).toEqual({ n: 4 });
  });

  it("after a gap in its bus connection, catches up on what it missed, removals included", async () => {
    const network = new MemoryBusNetwork();
    const a = process(network);
    const b = process(network);
    const ann = a.connect("ann");
    const amy = a.connect("amy");
    const bob = b.connect("bob");
    ann.set(1);
    amy.set(1);
    await vi.waitFor(() => expect([...bob.viewer.others.keys()].sort()).toEqual(["amy", "ann"]), WAIT);
    network.sever(b.bus);
    ann.set(2);
    amy.leave();
    await new Promise((resolve) => setTimeout(resolve, 30)); // a's flush and publish happen while b is away
    network.restore(b.bus);
    await vi.waitFor(() => expect(bob.viewer.others).toEqual(new Map([["ann", { n: 2 }]])), WAIT);
  });

  it("removes the records of a process gone silent (killed) once its lease runs out", async () => {
    const network = new MemoryBusNetwork();
    const a = process(network, { leaseMs: 150 });
    const b = process(network, { leaseMs: 150 });
    const bob = b.connect("bob");
    a.connect("ann").set(1);
    await vi.waitFor(() => expect(bob.viewer.others.has("ann")).toBe(true), WAIT);
    network.sever(a.bus); // no goodbye, no heartbeat: what a SIGKILL looks like from outside
    await vi.waitFor(() => expect(bob.viewer.others.size).toBe(0), WAIT);
  });

  it("drops a cleanly stopped process's records at once (it says goodbye)", async () => {
    const network = new MemoryBusNetwork();
    const a = process(network); // lease of a minute: only the goodbye can explain a removal
    const b = process(network);
    const bob = b.connect("bob");
    a.connect("ann").set(1);
    await vi.waitFor(() => expect(bob.viewer.others.has("ann")).toBe(true), WAIT);
    await a.stop();
    await vi.waitFor(() => expect(bob.viewer.others.size).toBe(0), WAIT);
  });

  it("announces many records in chunks under the bus payload limit", async () => {
    const network = new MemoryBusNetwork();
    const a = process(network);
    const clients = Array.from({ length: 60 }, (_, i) => a.connect(`c${i}`));
    clients.forEach((c, i) => c.set(i, "x".repeat(300)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const b = process(network); // a newcomer asks for everything
    const bob = b.connect("bob");
    await vi.waitFor(() => expect(bob.viewer.others.size).toBe(60), WAIT);
    expect(bob.viewer.others.get("c59")).toEqual({ n: 59, pad: "x".repeat(300) });
  });
});

describe("relay messages", () => {
  it("split a full announcement into payloads under the limit, each decoding to its part", () => {
    const items = Array.from(
      { length: 40 },
      (_, i) => [SPACE, `c${i}`, "u", { pad: "é".repeat(200) }] as const,
    );
    const skipped: string[] = [];
    const huge = [SPACE, "big", "u", { pad: "x".repeat(PRESENCE_PAYLOAD_BYTES) }] as const;
    const payloads = encodeFull("origin", [...items, huge], (what) => skipped.push(what));
    expect(payloads.length).toBeGreaterThan(1);
    expect(skipped.length).toBe(1);
    for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(PRESENCE_PAYLOAD_BYTES);
    const decoded = payloads.map((p) => decodeRelayMessage(p));
    expect(decoded.map((m) => m?.kind === "full" && [m.first, m.last])).toEqual(
      payloads.map((_, i) => [i === 0, i === payloads.length - 1]),
    );
    expect(decoded.flatMap((m) => (m?.kind === "full" ? m.items : []))).toEqual(items);
    expect(encodeFull("o", [], () => undefined).map(decodeRelayMessage)).toEqual([
      { kind: "full", origin: "o", first: true, last: true, items: [] },
    ]);
  });

  it("ignore malformed payloads", () => {
    for (const bad of [
      "nope",
      "{}",
      '["delta","o","s",[[1]]]',
      '["full","o",1,1,[["s","c"]]]',
      '["alive"]',
    ]) {
      expect(decodeRelayMessage(bad)).toBeUndefined();
    }
  });
});
