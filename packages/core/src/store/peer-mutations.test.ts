import { describe, expect, it } from "vitest";
import { z } from "zod";
import { memoryPersistence } from "../persistence/memory-persistence.js";
import { defineStore } from "../schema/define-store.js";
import { LocalStore } from "./local-store.js";
import { PeerMutations } from "./peer-mutations.js";
import type { PendingMutation } from "./pending-mutation.js";

const def = defineStore({ name: "p", keys: { "n/*": z.number(), "log/*": z.array(z.string()) } }).mutators({
  add: {
    args: z.object({ k: z.string(), by: z.number() }),
    run: async (tx, a) => tx.set(`n/${a.k}`, ((await tx.get(`n/${a.k}`)) ?? 0) + a.by),
  },
  log: {
    args: z.object({ entry: z.string() }),
    run: async (tx, a) =>
      tx.set("log/all", [...((await tx.get("log/all")) ?? []), `${tx.clientId}:${a.entry}`]),
  },
});

const wire = (id: number, timestamp: number, args: unknown = { k: "a", by: 1 }, name = "add") => ({
  id,
  name,
  args,
  timestamp,
});

describe("PeerMutations", () => {
  it("adds, replaces by id, replaces whole lists, and ignores acknowledged ids", () => {
    const peers = new PeerMutations(def.mutatorDefs);
    expect(peers.apply("t", [wire(1, 1), wire(2, 2)], false)).toBe(true);
    expect(peers.apply("t", [wire(2, 2, { k: "a", by: 5 })], false)).toBe(true);
    expect(peers.size).toBe(2);
    expect(peers.acknowledge({ t: 1, own: 9 }, "own")).toBe(true);
    expect(peers.size).toBe(1);
    expect(peers.apply("t", [wire(1, 1)], false)).toBe(false);
    expect(peers.apply("t", [], true)).toBe(true);
    expect(peers.size).toBe(0);
  });

  it("merges own and peer mutations by time, then client id, keeping own id order", () => {
    const peers = new PeerMutations(def.mutatorDefs);
    peers.apply("b", [wire(1, 10), wire(2, 30)], false);
    peers.apply("d", [wire(1, 20)], false);
    const own = [
      { id: 1, timestamp: 20 },
      { id: 2, timestamp: 40 },
    ] as unknown as PendingMutation[];
    const order = peers
      .replayOrder("c", own)
      .map((m) => ("clientId" in m ? `${m.clientId}${m.id}` : `c${m.id}`));
    expect(order).toEqual(["b1", "c1", "d1", "b2", "c2"]);
  });
});

describe("LocalStore with other tabs' mutations", () => {
  function tab(clientId: string) {
    return new LocalStore({
      definition: def,
      userId: "u",
      clientId,
      persistence: memoryPersistence().open(clientId),
      now: () => 0,
    });
  }

  it("shows peer mutations, runs them as their client, and orders them alike in every tab", async () => {
    const one = tab("c1");
    const two = tab("c2");
    await Promise.all([one.ready, two.ready]);
    const sent1: unknown[] = [];
    one.onLocalMutation((m) => sent1.push(m));
    await one.mutate("log", { entry: "x" });
    await two.mutate("log", { entry: "y" });
    await two.applyPeerMutations("c1", one.localPendingMutations(), false);
    await one.applyPeerMutations("c2", two.localPendingMutations(), false);
    expect(sent1).toHaveLength(1);
    // Same timestamps: the client id decides, in both tabs.
    expect(await one.readTransaction().get("log/all")).toEqual(["c1:x", "c2:y"]);
    expect(await two.readTransaction().get("log/all")).toEqual(["c1:x", "c2:y"]);
    expect(one.pendingCount()).toBe(1);
    expect(one.pendingMutations(0).map((m) => m.id)).toEqual([1]);
  });

  it("drops peer mutations once an update reports them applied, showing the server's value", async () => {
    const two = tab("c2");
    await two.ready;
    const changes: string[][] = [];
    two.onChange((c) => changes.push([...c.changes.keys()]));
    await two.applyPeerMutations("c1", [wire(1, 0), wire(2, 0)], false);
    expect(await two.readTransaction().get("n/a")).toBe(2);
    expect(two.peerCount()).toBe(2);
    await two.applyServerUpdate({
      minIncludedVersion: 1,
      maxIncludedVersion: 1,
      patches: [{ op: "set", key: "n/a", value: 1 }],
      lastMutationIds: { c1: 1 },
    });
    expect(two.peerCount()).toBe(1);
    expect(await two.readTransaction().get("n/a")).toBe(2);
    // A stale update that only acknowledges still drops.
    await two.applyServerUpdate({
      minIncludedVersion: 1,
      maxIncludedVersion: 1,
      patches: [],
      lastMutationIds: { c1: 2 },
    });
    expect(two.peerCount()).toBe(0);
    expect(await two.readTransaction().get("n/a")).toBe(1);
    expect(changes).toEqual([["n/a"], ["n/a"]]);
  });

  it("drops on another tab's acknowledgement only once its own base shows the effect", async () => {
    const two = tab("c2");
    await two.ready;
    await two.applyPeerMutations("c1", [wire(1, 0)], false);
    // Tab c1 saw its mutation applied at version 3; this tab is still at 0.
    await two.applyPeerAck("c1", 1, 3);
    expect(two.peerCount()).toBe(1);
    expect(await two.readTransaction().get("n/a")).toBe(1);
    await two.applyServerUpdate({ minIncludedVersion: 1, maxIncludedVersion: 2, patches: [] });
    expect(two.peerCount()).toBe(1);
    await two.applyServerUpdate({
      minIncludedVersion: 3,
      maxIncludedVersion: 3,
      patches: [{ op: "set", key: "n/a", value: 1 }],
    });
    expect(two.peerCount()).toBe(0);
    expect(await two.readTransaction().get("n/a")).toBe(1);
    // Once at that version, an acknowledgement drops at once.
    await two.applyPeerMutations("c1", [wire(2, 0)], false);
    await two.applyPeerAck("c1", 2, 3);
    expect(two.peerCount()).toBe(0);
  });
});
