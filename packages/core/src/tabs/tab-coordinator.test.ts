import { afterEach, describe, expect, it, vi } from "vitest";
import { ProtocolError } from "../errors.js";
import type { WireMutation } from "../protocol/messages.js";
import type { PeerTarget } from "../store/peer-target.js";
import { broadcastTabChannels } from "./broadcast-tab-channel.js";
import { claimClientId, clientLockName } from "./claim-client-id.js";
import { memoryClientRegistry, type ClientRegistry } from "./client-registry.js";
import { TabCoordinator, type AdoptClient } from "./tab-coordinator.js";
import { memoryTabLocks, type ReleaseLock, type TabLocks } from "./tab-locks.js";

/** A store standing in for one tab: own pending list, and what peers showed it. */
class FakeTarget implements PeerTarget {
  readonly ready = Promise.resolve();
  readonly own: WireMutation[] = [];
  readonly peers = new Map<string, WireMutation[]>();
  readonly peerAcks: string[] = [];
  readonly #listeners = new Set<(m: WireMutation) => void>();
  readonly #countListeners = new Set<(count: number) => void>();
  #lastAck = 0;
  #version = 0;
  constructor(readonly clientId: string) {}

  localPendingMutations(afterId = 0): WireMutation[] {
    return this.own.filter((m) => m.id > afterId);
  }
  pendingCount(): number {
    return this.own.length;
  }
  onPendingCountChange(listener: (count: number) => void): () => void {
    this.#countListeners.add(listener);
    return () => this.#countListeners.delete(listener);
  }
  lastAcknowledgedId(): number {
    return this.#lastAck;
  }
  baseVersion(): number {
    return this.#version;
  }
  applyPeerAck(clientId: string, lastMutationId: number, version: number): Promise<void> {
    this.peerAcks.push(`${clientId}:${lastMutationId}@${version}`);
    return Promise.resolve();
  }
  /** The server acknowledged own mutations up to `id`, seen at base `version`. */
  ack(id: number, version: number): void {
    this.#lastAck = id;
    this.#version = version;
    this.own.splice(0, this.own.filter((m) => m.id <= id).length);
    for (const l of this.#countListeners) l(this.own.length);
  }
  onLocalMutation(listener: (m: WireMutation) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  applyPeerMutations(clientId: string, mutations: readonly WireMutation[], replace: boolean): Promise<void> {
    const list = replace ? [] : (this.peers.get(clientId) ?? []);
    for (const m of mutations) {
      const at = list.findIndex((p) => p.id === m.id);
      if (at >= 0) list[at] = m;
      else list.push(m);
    }
    this.peers.set(clientId, list);
    return Promise.resolve();
  }
  mutate(name: string, args: unknown): void {
    this.#record({ id: this.own.length + 1, name, args, timestamp: 0 });
  }
  /** Replaces the last pending mutation's args, as coalescing does. */
  coalesce(args: unknown): void {
    this.own.pop();
    this.#record({ id: this.own.length + 1, name: "move", args, timestamp: 0 });
  }
  #record(m: WireMutation): void {
    this.own.push(m);
    for (const l of this.#listeners) l(m);
    for (const l of this.#countListeners) l(this.own.length);
  }
}

// Node's BroadcastChannel: delivery across instances in one process, as across tabs.
const channels = broadcastTabChannels(BroadcastChannel)!;
const opened: Array<{ coordinator: TabCoordinator; release: ReleaseLock }> = [];

interface World {
  locks: TabLocks;
  registry: ClientRegistry;
  adopted: string[];
  name: string;
}

function world(): World {
  return {
    locks: memoryTabLocks(),
    registry: memoryClientRegistry(),
    adopted: [],
    name: `t-${Math.random()}`,
  };
}

async function openTab(w: World, id: string, adopt?: AdoptClient) {
  const claimed = await claimClientId({ ...w, lockPrefix: w.name, newClientId: () => id });
  const target = new FakeTarget(claimed.clientId);
  const onError = vi.fn();
  const coordinator = new TabCoordinator({
    target,
    channel: channels(w.name),
    locks: w.locks,
    registry: w.registry,
    lockPrefix: w.name,
    adopt:
      adopt ??
      ((clientId) => {
        w.adopted.push(clientId);
        return Promise.resolve();
      }),
    onError,
  });
  await coordinator.start();
  const tab = { target, coordinator, release: claimed.release, onError };
  opened.push(tab);
  return tab;
}

function closeTab(tab: { coordinator: TabCoordinator; release: ReleaseLock }) {
  tab.coordinator.close();
  tab.release();
}

afterEach(() => {
  for (const tab of opened.splice(0)) closeTab(tab);
});

describe("TabCoordinator", () => {
  it("shows a mutation of one tab in the other at once, and a coalesced one replaces it", async () => {
    const w = world();
    const one = await openTab(w, "c1");
    const two = await openTab(w, "c2");
    one.target.mutate("add", { id: "a" });
    await vi.waitFor(() => expect(two.target.peers.get("c1")).toHaveLength(1));
    expect(two.target.peers.get("c1")![0]).toMatchObject({ id: 1, name: "add", args: { id: "a" } });
    one.target.coalesce({ id: "b" });
    await vi.waitFor(() => expect(two.target.peers.get("c1")![0]!.args).toEqual({ id: "b" }));
    expect(two.target.peers.get("c1")).toHaveLength(1);
    // A tab never receives its own messages.
    expect(one.target.peers.get("c1")).toBeUndefined();
  });

  it("tells the other tabs when the server acknowledged this tab's mutations", async () => {
    const w = world();
    const one = await openTab(w, "c1");
    const two = await openTab(w, "c2");
    one.target.mutate("add", { n: 1 });
    one.target.mutate("add", { n: 2 });
    one.target.ack(2, 7);
    await vi.waitFor(() => expect(two.target.peerAcks).toEqual(["c1:2@7"]));
  });

  it("sends a newcomer the pending list of every open tab", async () => {
    const w = world();
    const one = await openTab(w, "c1");
    one.target.mutate("add", { n: 1 });
    one.target.mutate("add", { n: 2 });
    const two = await openTab(w, "c2");
    await vi.waitFor(() => expect(two.target.peers.get("c1")?.map((m) => m.id)).toEqual([1, 2]));
  });

  it("reuses the id of a closed tab on the next load, and a new id while it lives", async () => {
    const w = world();
    const one = await openTab(w, "c1");
    const two = await openTab(w, "c2");
    expect(two.target.clientId).toBe("c2");
    closeTab(one);
    // Tab two adopts c1's queue first and then lets go of it.
    await vi.waitFor(() => expect(two.coordinator.watching).toBe(0));
    const three = await openTab(w, "c3");
    expect(three.target.clientId).toBe("c1");
    expect(await w.registry.list()).toEqual(["c1", "c2"]);
  });

  it("adopts the queue of a tab once it closes, not while it lives", async () => {
    const w = world();
    const one = await openTab(w, "c1");
    const two = await openTab(w, "c2");
    expect(two.coordinator.watching).toBe(1);
    expect(w.adopted).toEqual([]);
    closeTab(one);
    await vi.waitFor(() => expect(w.adopted).toEqual(["c1"]));
    await vi.waitFor(() => expect(two.coordinator.watching).toBe(0));
    // The adopter gave the lock back, so a later load can take the id over.
    const release = await w.locks.tryAcquire(clientLockName(w.name, "c1"));
    expect(release).not.toBeNull();
    release?.();
  });

  it("runs the adoptions of one client by several tabs one after another, never at once", async () => {
    const w = world();
    let running = 0;
    let maxRunning = 0;
    const adopt: AdoptClient = async (clientId) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      w.adopted.push(clientId);
      await new Promise((resolve) => setImmediate(resolve));
      running--;
    };
    const one = await openTab(w, "c1", adopt);
    await openTab(w, "c2", adopt);
    await openTab(w, "c3", adopt);
    closeTab(one);
    await vi.waitFor(() => expect(w.adopted.filter((id) => id === "c1")).toHaveLength(2));
    expect(maxRunning).toBe(1);
  });

  it("adopts on start the queue of a client whose tab is gone", async () => {
    const w = world();
    await w.registry.add("orphan");
    await w.registry.add("orphan2");
    const tab = await openTab(w, "c1");
    // The new tab takes over the first free id itself and adopts the other in the background.
    expect(tab.target.clientId).toBe("orphan");
    await vi.waitFor(() => expect(w.adopted).toEqual(["orphan2"]));
  });

  it("ignores malformed messages and reports them", async () => {
    const w = world();
    const one = await openTab(w, "c1");
    const raw = new BroadcastChannel(w.name);
    raw.postMessage({ type: "pending", clientId: 5 });
    await vi.waitFor(() => expect(one.onError).toHaveBeenCalledTimes(1));
    expect(one.onError.mock.calls[0]![0]).toBeInstanceOf(ProtocolError);
    expect(one.target.peers.size).toBe(0);
    raw.close();
  });
});
