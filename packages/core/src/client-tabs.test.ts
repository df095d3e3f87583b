import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import type { Store } from "./client-types.js";
import { createStore } from "./client.js";
import type { SyncConnection } from "./sync/sync-layer.js";
import { memoryPersistence } from "./persistence/memory-persistence.js";
import { defineStore } from "./schema/define-store.js";
import type { SyncTarget } from "./store/server-update.js";
import { broadcastTabChannels } from "./tabs/broadcast-tab-channel.js";
import { memoryClientRegistry } from "./tabs/client-registry.js";
import { memoryTabLocks } from "./tabs/tab-locks.js";

const def = defineStore({ name: "tabs", keys: { "items/*": z.number() } }).mutators({
  put: { args: z.object({ k: z.string(), v: z.number() }), run: (tx, a) => tx.set(`items/${a.k}`, a.v) },
  add: {
    args: z.object({ k: z.string(), by: z.number() }),
    run: async (tx, a) => tx.set(`items/${a.k}`, ((await tx.get(`items/${a.k}`)) ?? 0) + a.by),
  },
});
/** Version 2 renames `put` to `set`. */
const defV2 = defineStore({
  name: "tabs",
  version: 2,
  keys: def.keys,
  upgrades: { 2: { mutators: { put: { to: "set" } } } },
}).mutators({ set: def.mutatorDefs.put, add: def.mutatorDefs.add });
type TabStore = Store<typeof def> | Store<typeof defV2>;

/**
 * A server for these two mutators, reached through `createStore`'s `connect`: it applies each
 * client's mutations in id order, once (a per-client last mutation id, as the real server), and
 * pokes every connected store with the whole state and every client's last mutation id.
 */
class TestServer {
  readonly state = new Map<string, number>();
  readonly lmids: Record<string, number> = {};
  /** Every (client, id) applied, in order. */
  readonly applied: string[] = [];
  online = false;
  /** Stores that connected, by client id. */
  readonly connected: string[] = [];
  #version = 0;
  readonly #targets = new Set<SyncTarget>();

  connect = (target: SyncTarget): SyncConnection => {
    this.#targets.add(target);
    void target.ready.then(() => this.connected.push(target.clientId));
    const stop = target.onPendingAdded(() => queueMicrotask(() => void this.#sync(target)));
    void target.ready.then(() => this.#sync(target));
    return {
      status: () => ({ connection: this.online ? "online" : "offline", lastError: null }),
      onStatusChange: () => () => undefined,
      action: () => Promise.reject(new Error("no actions")),
      close: () => {
        stop();
        this.#targets.delete(target);
        return Promise.resolve();
      },
    };
  };

  async goOnline(): Promise<void> {
    this.online = true;
    for (const target of this.#targets) await this.#sync(target);
  }

  async #sync(target: SyncTarget): Promise<void> {
    if (!this.online) return;
    const client = target.clientId;
    for (const m of target.pendingMutations(this.lmids[client] ?? 0)) {
      if (m.id !== (this.lmids[client] ?? 0) + 1) break;
      const args = m.args as { k: string; v?: number; by?: number };
      const key = `items/${args.k}`;
      const put = m.name === "put" || m.name === "set";
      this.state.set(key, put ? args.v! : (this.state.get(key) ?? 0) + args.by!);
      this.lmids[client] = m.id;
      this.applied.push(`${client}:${m.id}`);
    }
    this.#version++;
    for (const t of this.#targets) {
      await t.applyServerUpdate({
        minIncludedVersion: 0,
        maxIncludedVersion: this.#version,
        patches: [
          { op: "reset" },
          ...[...this.state].map(([key, value]) => ({ op: "set" as const, key, value })),
        ],
        lastMutationId: this.lmids[t.clientId] ?? 0,
        lastMutationIds: { ...this.lmids },
      });
    }
  }
}

const open: TabStore[] = [];
afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
});

/** One browser: tabs share persistence, locks, the client registry and a channel name. */
function browser() {
  const server = new TestServer();
  const shared = {
    persistence: memoryPersistence(),
    locks: memoryTabLocks(),
    registry: memoryClientRegistry(),
    space: `s-${Math.random()}`,
  };
  let next = 0;
  const openTab = async (definition: typeof def | typeof defV2 = def) => {
    const store: TabStore = createStore(definition as typeof def, {
      space: shared.space,
      userId: "u",
      persistence: shared.persistence,
      connect: server.connect,
      tabs: {
        registry: () => shared.registry,
        locks: shared.locks,
        channels: broadcastTabChannels(BroadcastChannel)!,
        newClientId: () => `c${++next}`,
      },
    });
    open.push(store);
    await store.ready;
    return store;
  };
  return { server, openTab };
}

const item = (store: TabStore, k: string) => (store as Store<typeof def>).query((tx) => tx.get(`items/${k}`));
const close = async (store: TabStore) => {
  open.splice(open.indexOf(store), 1);
  await store.close();
};

describe("createStore with tabs", () => {
  it("keeps tabs of different app versions apart: no shared pending mutations, no queue taken by an older tab", async () => {
    const { server, openTab } = browser();
    const one = await openTab();
    const two = (await openTab(defV2)) as unknown as Store<typeof defV2>;
    await one.mutate.put({ k: "a", v: 1 });
    await two.mutate.set({ k: "b", v: 2 });
    await two.mutate.add({ k: "n", by: 5 });
    // Each version replays only its own calls (the other's mutators read differently).
    expect(await item(one, "b")).toBeUndefined();
    expect(await item(two, "a")).toBeUndefined();

    await close(two);
    // An older tab neither takes over nor adopts the queue the newer version wrote.
    const three = await openTab();
    expect(three.clientId).toBe("c3");
    await three.mutate.add({ k: "n", by: 1 });
    expect(await item(three, "b")).toBeUndefined();
    // A tab of the newer version does, and it adopts the older tabs' queues once they close,
    // upgrading them (`put` is pushed as `set`).
    const four = await openTab(defV2);
    expect(four.clientId).toBe("c2");
    expect(await item(four, "b")).toBe(2);
    await close(three);
    await vi.waitFor(async () => expect(await item(four, "n")).toBe(6));
    await close(one);
    await vi.waitFor(async () => expect(await item(four, "a")).toBe(1));

    await server.goOnline();
    await vi.waitFor(() => expect(server.applied.sort()).toEqual(["c1:1", "c2:1", "c2:2", "c3:1"]));
    expect(Object.fromEntries(server.state)).toEqual({ "items/a": 1, "items/b": 2, "items/n": 6 });
  });

  it("shows a mutation of one tab in the other at once while offline, then pushes each once", async () => {
    const { server, openTab } = browser();
    const one = await openTab();
    const two = await openTab();
    expect([one.clientId, two.clientId]).toEqual(["c1", "c2"]);

    await one.mutate.add({ k: "n", by: 1 });
    await vi.waitFor(async () => expect(await item(two, "n")).toBe(1));
    await two.mutate.add({ k: "n", by: 10 });
    // Both tabs re-run both increments, in the same order.
    await vi.waitFor(async () => expect(await item(one, "n")).toBe(11));
    expect(await item(two, "n")).toBe(11);

    await server.goOnline();
    expect(server.applied.sort()).toEqual(["c1:1", "c2:1"]);
    expect(server.state.get("items/n")).toBe(11);
    await vi.waitFor(async () => {
      expect(await item(one, "n")).toBe(11);
      expect(await item(two, "n")).toBe(11);
      expect(one.status.pendingCount + two.status.pendingCount).toBe(0);
    });
  });

  it("has a surviving tab push the queue of a tab closed while offline, exactly once", async () => {
    const { server, openTab } = browser();
    const one = await openTab();
    const two = await openTab();
    const three = await openTab();
    for (let i = 1; i <= 3; i++) await one.mutate.add({ k: "n", by: i });
    await vi.waitFor(async () => expect(await item(two, "n")).toBe(6));
    await close(one);
    // The closed tab's mutations still show in the others while they wait to be pushed.
    expect(await item(two, "n")).toBe(6);
    expect(await item(three, "n")).toBe(6);

    await server.goOnline();
    await vi.waitFor(() => expect(server.applied).toEqual(["c1:1", "c1:2", "c1:3"]));
    await vi.waitFor(async () => expect(await item(three, "n")).toBe(6));
    // Whoever adopts second finds nothing left; a later load neither.
    await openTab();
    await server.goOnline();
    expect(server.applied).toEqual(["c1:1", "c1:2", "c1:3"]);
    expect(server.state.get("items/n")).toBe(6);
  });

  it("opens no store for a closed tab that left nothing to push", async () => {
    const { server, openTab } = browser();
    const one = await openTab();
    const two = await openTab();
    await close(one);
    const three = await openTab();
    await two.mutate.put({ k: "x", v: 1 });
    await vi.waitFor(async () => expect(await item(three, "x")).toBe(1));
    // Tab two looked at c1's queue (empty) without connecting as c1; the third tab reuses c1
    // unless it started while tab two still held c1's lock.
    expect(server.connected).toEqual(["c1", "c2", three.clientId]);
  });

  it("has the next load push the queues of tabs closed offline, and show them at once", async () => {
    const { server, openTab } = browser();
    const one = await openTab();
    const two = await openTab();
    await one.mutate.put({ k: "a", v: 1 });
    await two.mutate.put({ k: "b", v: 2 });
    await close(one);
    await close(two);

    const reload = await openTab();
    // It takes over a free client id with its queue (c1 may still be held by tab two's aborted
    // adoption of it when tab two closed), and adopts the other queue.
    expect(["c1", "c2"]).toContain(reload.clientId);
    await vi.waitFor(async () => expect(await item(reload, "a")).toBe(1));
    await vi.waitFor(async () => expect(await item(reload, "b")).toBe(2));
    await server.goOnline();
    await vi.waitFor(() => expect(server.applied.sort()).toEqual(["c1:1", "c2:1"]));
    expect(Object.fromEntries(server.state)).toEqual({ "items/a": 1, "items/b": 2 });
  });
});
