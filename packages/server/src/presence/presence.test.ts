import type { PresenceUpdateMessage, ServerMessage } from "@synced-store/core/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { createMemoryStorage } from "../storage/memory.js";
import type { Storage } from "../storage/storage.js";
import type { RawClient } from "../test-support/raw-client.js";
import { startTestServer, type TestServer } from "../test-support/test-server.js";

const isPresence = (m: ServerMessage): m is PresenceUpdateMessage => m.type === "presence";

/** What `client` knows of the others' presence, after applying every presence message it got. */
function othersOf(client: RawClient): Map<string, { user: string; state: unknown }> {
  const others = new Map<string, { user: string; state: unknown }>();
  for (const m of client.messages) {
    if (!isPresence(m)) continue;
    if (m.full) others.clear();
    for (const id of m.removed) others.delete(id);
    for (const e of m.set) others.set(e.client_id, { user: e.user_id, state: e.state });
  }
  return others;
}

/** Waits until `client`'s view of the others satisfies `check`. */
async function seesOthers(client: RawClient, check: (others: Map<string, unknown>) => boolean) {
  await client.waitFor(() => check(othersOf(client)));
}

const presenceFrames = (c: RawClient) => c.messages.filter(isPresence);

/** Storage that counts every transaction, to show presence never reaches it. */
function countingStorage(): { storage: Storage; writes: () => number } {
  const inner = createMemoryStorage();
  let writes = 0;
  return {
    storage: {
      ...inner,
      read: inner.read.bind(inner),
      close: inner.close.bind(inner),
      transact: (spaceId, fn) => {
        writes++;
        return inner.transact(spaceId, fn);
      },
    },
    writes: () => writes,
  };
}

let t: TestServer;
afterEach(async () => {
  await t.close();
});

describe("presence over the WebSocket server", () => {
  it("fans a state out to the other connections of the space, never back to its own", async () => {
    t = await startTestServer();
    const a = await t.connected("ann", "ca");
    const b = await t.connected("bob", "cb");
    const elsewhere = await t.connected("cat", "cc", "test/2");
    a.send({ type: "presence", state: { x: 1, y: 2 } });
    await seesOthers(b, (o) => o.has("ca"));
    expect(othersOf(b)).toEqual(new Map([["ca", { user: "ann", state: { x: 1, y: 2 } }]]));
    await a.roundTrip();
    await b.roundTrip();
    expect(othersOf(a)).toEqual(new Map());
    expect(presenceFrames(a).flatMap((m) => m.set)).toEqual([]);
    expect(othersOf(elsewhere)).toEqual(new Map());
  });

  it("gives a newly connected client the current presence of the space, as a full snapshot", async () => {
    t = await startTestServer();
    const a = await t.connected("ann", "ca");
    const b = await t.connected("bob", "cb");
    a.send({ type: "presence", state: { x: 1, y: 1 } });
    b.send({ type: "presence", state: { x: 2, y: 2, label: "bob" } });
    await seesOthers(a, (o) => o.has("cb"));
    const c = await t.connected("cat", "cc");
    const snapshot = await c.waitFor(isPresence);
    expect(snapshot.full).toBe(true);
    expect(snapshot.set).toEqual([
      { client_id: "ca", user_id: "ann", state: { x: 1, y: 1 } },
      { client_id: "cb", user_id: "bob", state: { x: 2, y: 2, label: "bob" } },
    ]);
  });

  it("coalesces a burst: the latest state wins, at most one frame per connection per interval", async () => {
    t = await startTestServer({ presence: { intervalMs: 300 } });
    const a = await t.connected("ann", "ca");
    const b = await t.connected("bob", "cb");
    const before = presenceFrames(b).length;
    for (let i = 1; i <= 50; i++) a.send({ type: "presence", state: { x: i, y: 0 } });
    await seesOthers(b, (o) => (o.get("ca") as { state: { x: number } } | undefined)?.state.x === 50);
    const updates = presenceFrames(b).slice(before);
    // The first change after a quiet spell goes out at once, the rest wait for the interval.
    expect(updates.length).toBeLessThanOrEqual(2);
    expect(updates.at(-1)!.set).toEqual([{ client_id: "ca", user_id: "ann", state: { x: 50, y: 0 } }]);
  });

  it("removes a connection's presence when it closes, and on null", async () => {
    t = await startTestServer();
    const a = await t.connected("ann", "ca");
    const b = await t.connected("bob", "cb");
    const c = await t.connected("cat", "cc");
    a.send({ type: "presence", state: { x: 1, y: 1 } });
    c.send({ type: "presence", state: { x: 3, y: 3 } });
    await seesOthers(b, (o) => o.has("ca") && o.has("cc"));
    a.close();
    await seesOthers(b, (o) => !o.has("ca"));
    c.send({ type: "presence", state: null });
    await seesOthers(b, (o) => o.size === 0);
    const late = await t.connected("dan", "cd");
    expect((await late.waitFor(isPresence)).set).toEqual([]);
  });

  it("lets an older connection of the same client end without removing the newer one's presence", async () => {
    t = await startTestServer();
    const watcher = await t.connected("bob", "cb");
    const old = await t.connected("ann", "ca");
    old.send({ type: "presence", state: { x: 1, y: 1 } });
    await seesOthers(watcher, (o) => o.has("ca"));
    // A reload: the new connection announces itself before the old one's end is noticed.
    const fresh = await t.connected("ann", "ca");
    fresh.send({ type: "presence", state: { x: 2, y: 2 } });
    await seesOthers(watcher, (o) => (o.get("ca") as { state: { x: number } }).state.x === 2);
    old.close();
    await old.waitClosed();
    await fresh.roundTrip();
    watcher.send({ type: "presence", state: { x: 0, y: 0 } }); // a frame after the old close was handled
    await fresh.waitFor((m) => isPresence(m) && m.set.some((e) => e.client_id === "cb"));
    expect(othersOf(watcher).get("ca")).toEqual({ user: "ann", state: { x: 2, y: 2 } });
    fresh.close();
    await seesOthers(watcher, (o) => !o.has("ca"));
  });

  it("refuses invalid, oversized and surplus presence with a typed error, keeping the previous state", async () => {
    t = await startTestServer({ limits: { maxPresenceBytes: 200, maxPresencePerSpace: 2 } });
    const a = await t.connected("ann", "ca");
    const b = await t.connected("bob", "cb");
    a.send({ type: "presence", state: { x: 1, y: 1 } });
    await seesOthers(b, (o) => o.has("ca"));
    const errors = (c: RawClient) => c.messages.filter((m) => m.type === "error");
    a.send({ type: "presence", state: { x: "not a number", y: 1 } });
    a.send({ type: "presence", state: { x: 1, y: 1, label: "é".repeat(150) } });
    await a.waitFor(() => errors(a).length === 2);
    expect(errors(a)).toMatchObject([{ code: "invalid_presence" }, { code: "presence_too_large" }]);
    b.send({ type: "presence", state: { x: 2, y: 2 } });
    const c = await t.connected("cat", "cc");
    c.send({ type: "presence", state: { x: 3, y: 3 } });
    await c.waitFor((m) => m.type === "error");
    expect(errors(c)).toMatchObject([{ code: "presence_space_full" }]);
    await b.roundTrip();
    expect(othersOf(b).get("ca")).toEqual({ user: "ann", state: { x: 1, y: 1 } });
    expect(a.closed).toBeUndefined();
    // The space has room again once a record ends.
    b.close();
    await seesOthers(c, (o) => !o.has("cb"));
    c.send({ type: "presence", state: { x: 3, y: 3 } });
    await seesOthers(a, (o) => o.has("cc"));
  });

  it("is never stored and never advances the space's version", async () => {
    const counted = countingStorage();
    t = await startTestServer({ storage: counted.storage });
    const a = await t.connected("ann", "ca");
    const b = await t.connected("bob", "cb");
    const writesAfterConnect = counted.writes();
    for (let i = 0; i < 20; i++) a.send({ type: "presence", state: { x: i, y: i } });
    await seesOthers(b, (o) => (o.get("ca") as { state: { x: number } } | undefined)?.state.x === 19);
    a.close();
    await seesOthers(b, (o) => o.size === 0);
    expect(counted.writes()).toBe(writesAfterConnect);
    expect(b.messages.some((m) => m.type === "poke")).toBe(false);
    const c = await t.connected("cat", "cc");
    expect(c.messages.find((m) => m.type === "connected")).toMatchObject({ version: 0 });
  });

  it("hides a user's presence from the viewers the hook refuses, also as it changes", async () => {
    const blocked = new Set<string>(["bob>ann"]); // bob does not want ann to see him
    t = await startTestServer({
      presenceVisible: (subject, viewer) => !blocked.has(`${subject.userId}>${viewer.userId}`),
    });
    const ann = await t.connected("ann", "ca");
    const bob = await t.connected("bob", "cb");
    const cat = await t.connected("cat", "cc");
    bob.send({ type: "presence", state: { x: 1, y: 1 } });
    await seesOthers(cat, (o) => o.has("cb"));
    await ann.roundTrip();
    cat.send({ type: "presence", state: { x: 5, y: 5 } });
    await seesOthers(ann, (o) => o.has("cc"));
    expect(othersOf(ann).has("cb")).toBe(false);
    // cat becomes hidden from ann: her next update removes cat for ann only.
    blocked.add("cat>ann");
    cat.send({ type: "presence", state: { x: 6, y: 6 } });
    await seesOthers(ann, (o) => !o.has("cc"));
    await seesOthers(bob, (o) => (o.get("cc") as { state: { x: number } } | undefined)?.state.x === 6);
    // bob leaving reaches cat, and never reaches ann (she never saw him).
    bob.close();
    await seesOthers(cat, (o) => !o.has("cb"));
    expect(JSON.stringify(ann.messages)).not.toContain('"cb"');
    const dan = await t.connected("ann", "cd"); // ann's second tab: bob is gone, cat hidden
    expect((await dan.waitFor(isPresence)).set).toEqual([]);
  });
});
