import {
  MutationRejectedError,
  OfflineError,
  SyncedStoreError,
  connectToServer,
  createStore,
  memoryPersistence,
  type PersistenceProvider,
} from "@synced-store/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FaultProxy } from "@synced-store/server/testing";
import { notesStore } from "./notes-definition.js";
import {
  NodeWebSocket,
  openClient,
  startE2EServer,
  tempDir,
  waitConverged,
  type E2EServer,
  type NotesStore,
} from "./harness.js";

let dir: ReturnType<typeof tempDir>;
let server: E2EServer;
const cleanups: Array<() => Promise<void>> = [];

beforeEach(async () => {
  dir = tempDir();
  server = await startE2EServer({ dbPath: `${dir.path}/notes.db` });
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await server.close();
  dir.remove();
});

function client(
  space: string,
  userId: string,
  extra: { url?: string; clientId?: string; persistence?: PersistenceProvider } = {},
) {
  const c = openClient({ url: extra.url ?? server.url, space, userId, ...extra });
  cleanups.push(() => c.store.close());
  return c;
}

const online = (store: NotesStore) =>
  expect.poll(() => store.status.connection, { timeout: 10_000 }).toBe("online");

describe("client ↔ server", () => {
  it("two clients converge, and B's subscription sees A's mutation", async () => {
    const a = client("s1", "alice");
    const b = client("s1", "bob");
    const seen: unknown[] = [];
    b.store.subscribe(
      (tx) => tx.get("notes/n1"),
      (v) => seen.push(v),
    );
    await online(a.store);
    await online(b.store);
    const { confirmed } = await a.store.mutate.putNote({ id: "n1", text: "hello" });
    await confirmed;
    await expect
      .poll(() => seen.at(-1), { timeout: 10_000 })
      .toEqual({ id: "n1", text: "hello", by: "alice" });
    await Promise.all([
      a.store.mutate.increment({ by: 2 }),
      b.store.mutate.increment({ by: 3 }),
      b.store.mutate.putNote({ id: "n2", text: "from b" }),
    ]);
    const state = await waitConverged(server, "notes/s1", [a.store, b.store]);
    expect(state.counter).toBe(5);
    expect(Object.keys(state).filter((k) => k.startsWith("notes/"))).toEqual(["notes/n1", "notes/n2"]);
  });

  it("ten clients mutating concurrently converge on the server's state", async () => {
    const stores = Array.from({ length: 10 }, (_, i) => client("s10", `user${i % 3}`).store);
    await Promise.all(stores.map(online));
    await Promise.all(
      stores.map(async (store, i) => {
        for (let j = 0; j < 20; j++) {
          if (j % 4 === 0) await store.mutate.increment({ by: 1 });
          else if (j % 4 === 1) await store.mutate.saveDraft({ id: `d${j}`, text: `c${i}-${j}` });
          else if (j % 7 === 0) await store.mutate.deleteNote({ id: `n${(i + 1) % 10}-${j - 1}` });
          else await store.mutate.putNote({ id: `n${i}-${j}`, text: `c${i}` });
        }
      }),
    );
    const state = await waitConverged(server, "notes/s10", stores);
    expect(state.counter).toBe(50);
    expect(state["$$so/seq"]).toBe(200);
  });

  it("never sends user A's private keys to user B, nor any $$so/ key to anyone", async () => {
    const a = client("priv", "alice");
    const b = client("priv", "bob");
    await online(a.store);
    await online(b.store);
    await (
      await a.store.mutate.saveDraft({ id: "x", text: "alice secret draft" })
    ).confirmed;
    await (
      await a.store.mutate.putNote({ id: "shared", text: "visible" })
    ).confirmed;
    await expect(a.store.action.storeSecret({ name: "k", value: "server secret" })).resolves.toEqual({
      count: 1,
    });
    const state = await waitConverged(server, "notes/priv", [a.store, b.store]);
    // The server does hold them…
    expect(state["$$pu/alice/drafts/x"]).toBe("alice secret draft");
    expect(state["$$so/secrets/k"]).toBe("server secret");
    // …and A got its own draft, B saw the shared note, but no frame carried what they may not read.
    expect(a.frames.join("\n")).toContain("alice secret draft");
    expect(b.frames.join("\n")).toContain("visible");
    expect(b.frames.join("\n")).not.toContain("$$pu/alice");
    expect(b.frames.join("\n")).not.toContain("alice secret draft");
    for (const frame of [...a.frames, ...b.frames]) {
      expect(frame).not.toContain("$$so/");
      expect(frame).not.toContain("server secret");
    }
    expect(await b.store.query((tx) => tx.get("$$pu/alice/drafts/x"))).toBeUndefined();
  });

  it("confirmed resolves on acknowledgement and rejects with the server's reason", async () => {
    const { store } = client("confirm", "alice");
    await online(store);
    const ok = await store.mutate.putNote({ id: "a", text: "A" });
    const bad = await store.mutate.serverRefuses({ reason: "not on my server" });
    const rejections: MutationRejectedError[] = [];
    store.onRejection((e) => rejections.push(e));
    await expect(ok.confirmed).resolves.toBeUndefined();
    const error: unknown = await bad.confirmed.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MutationRejectedError);
    expect(error).toMatchObject({ code: "mutator_failed", mutationId: bad.id });
    expect((error as Error).message).toContain("not on my server");
    expect(rejections.map((e) => e.mutationId)).toEqual([bad.id]);
    // The optimistic effect is gone: the server never applied it.
    const state = await waitConverged(server, "notes/confirm", [store]);
    expect(state.counter).toBeUndefined();
  });

  it("runs actions over the connection and rejects them with OfflineError when offline", async () => {
    const proxy = await FaultProxy.start({ seed: 1, upstream: server.url });
    cleanups.push(() => proxy.close());
    const { store } = client("act", "alice", { url: proxy.url });
    await online(store);
    await expect(store.action.storeSecret({ name: "a", value: "1" })).resolves.toEqual({ count: 1 });
    await expect.poll(() => store.query((tx) => tx.get("counter")), { timeout: 10_000 }).toBe(1000);
    const failure: unknown = await store.action
      .failingAction({ reason: "declined" })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SyncedStoreError);
    expect(failure).toMatchObject({
      code: "action_failed",
      message: expect.stringContaining("declined") as unknown,
    });
    expect((await server.snapshot("notes/act")).counter).toBe(1000);
    proxy.setFaults({ cutRate: 1 });
    proxy.cutAll();
    await expect.poll(() => store.status.connection, { timeout: 10_000 }).not.toBe("online");
    await expect(store.action.storeSecret({ name: "b", value: "2" })).rejects.toBeInstanceOf(OfflineError);
  });

  it("queues mutations offline, across a reload, and syncs them on reconnect", async () => {
    const proxy = await FaultProxy.start({ seed: 2, upstream: server.url });
    cleanups.push(() => proxy.close());
    const persistence = memoryPersistence();
    const first = openClient({
      url: proxy.url,
      space: "off",
      userId: "alice",
      clientId: "c-off",
      persistence,
    });
    await online(first.store);
    // The network goes away: every frame now cuts the connection.
    proxy.setFaults({ cutRate: 1 });
    proxy.cutAll();
    await expect.poll(() => first.store.status.connection, { timeout: 10_000 }).toBe("offline");
    await first.store.mutate.putNote({ id: "o1", text: "offline 1" });
    await first.store.mutate.increment({ by: 7 });
    expect(first.store.status).toMatchObject({ pendingCount: 2, syncing: false });
    // The app reloads while offline: the queue survives in persistence.
    await first.store.close();
    const reopened = client("off", "alice", { url: proxy.url, clientId: "c-off", persistence }).store;
    await reopened.ready;
    expect(reopened.status.pendingCount).toBe(2);
    await reopened.mutate.putNote({ id: "o2", text: "offline 2" });
    proxy.setFaults({});
    const other = client("off", "bob").store;
    const state = await waitConverged(server, "notes/off", [reopened, other]);
    expect(state).toMatchObject({
      counter: 7,
      "notes/o1": { text: "offline 1" },
      "notes/o2": { text: "offline 2" },
    });
  });

  it("falls back to HTTP when WebSocket cannot connect", async () => {
    const ws = client("http", "alice");
    const viaHttp = openClient({
      url: "ws://127.0.0.1:1/nothing-listens-here",
      httpUrl: server.httpUrl,
      space: "http",
      userId: "bob",
    });
    cleanups.push(() => viaHttp.store.close());
    await online(viaHttp.store);
    await viaHttp.store.mutate.putNote({ id: "h", text: "over http" });
    await ws.store.mutate.putNote({ id: "w", text: "over ws" });
    const state = await waitConverged(server, "notes/http", [ws.store, viaHttp.store]);
    expect(Object.keys(state).filter((k) => k.startsWith("notes/"))).toEqual(["notes/h", "notes/w"]);
  });

  it("resets to a wiped server's new history and re-pushes its pending mutations", async () => {
    const { store } = client("wipe", "alice");
    await online(store);
    await (
      await store.mutate.putNote({ id: "old", text: "before the wipe" })
    ).confirmed;
    const port = server.running.port;
    await server.close();
    await expect.poll(() => store.status.connection, { timeout: 10_000 }).not.toBe("online");
    await store.mutate.putNote({ id: "new", text: "made offline" });
    await store.mutate.increment({ by: 1 });
    // The database is gone: a new server on the same address, with a new history.
    server = await startE2EServer({ dbPath: `${dir.path}/wiped.db`, port });
    const state = await waitConverged(server, "notes/wipe", [store]);
    expect(state["notes/old"]).toBeUndefined();
    expect(state).toMatchObject({ counter: 1, "notes/new": { text: "made offline" } });
    expect(await store.query((tx) => tx.get("notes/old"))).toBeUndefined();
  });

  it("surfaces a version the server no longer serves as update_needed the app can act on", async () => {
    const errors: unknown[] = [];
    const updates: unknown[] = [];
    // Older than anything the server serves (it serves 1 to 1).
    const outdated = { ...notesStore, version: 0, schemaVersion: 0 };
    const store = createStore(outdated, {
      space: "schema",
      userId: "alice",
      onError: (e) => errors.push(e),
      onUpdateNeeded: (info) => updates.push(info),
      connect: connectToServer({ url: server.url, auth: "alice", WebSocket: NodeWebSocket }),
    });
    cleanups.push(() => store.close());
    await expect.poll(() => store.status.lastError?.code, { timeout: 10_000 }).toBe("update_needed");
    expect(store.status.connection).toBe("offline");
    expect(store.status.updateNeeded).toMatchObject({
      reason: "client_too_old",
      clientVersion: 0,
      minSupportedVersion: 1,
      serverVersion: 1,
    });
    expect(store.status.updateNeeded?.message).toMatch(/Reload to update/);
    expect(updates).toEqual([store.status.updateNeeded]);
    expect(errors).toContainEqual(expect.objectContaining({ code: "update_needed" }));
    // No reconnect loop: the server saw one connection attempt.
    await new Promise((r) => setTimeout(r, 500));
    expect(server.server.metrics.connectionsTotal).toBe(1);
  });
});
