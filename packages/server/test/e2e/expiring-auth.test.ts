/**
 * Expiring credentials with real stores: a sync server on a SQLite file over a real WebSocket,
 * stores whose `auth` function hands out short-lived test tokens (`user@expiresAt`).
 */
import { connectToServer, createStore, type SyncedStoreError } from "@synced-store/core";
import { createSyncServer, type Authenticated, type SyncServer } from "@synced-store/server";
import { listen, type RunningServer } from "@synced-store/server/node";
import { openSqliteStorage } from "@synced-store/server/sqlite";
import { testSyncTimings } from "@synced-store/server/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NodeWebSocket, tempDir, type NotesStore } from "./harness.js";
import { notesStore } from "./notes-definition.js";

const LEAD_MS = 300;

let dir: ReturnType<typeof tempDir>;
let server: SyncServer;
let running: RunningServer;
/** User of every completed handshake, in order. */
let handshakes: string[];
const cleanups: Array<() => Promise<void>> = [];

function authenticate({ auth }: { auth: string | undefined }): Authenticated | undefined {
  const [userId = "", at] = (auth ?? "").split("@");
  return at === undefined ? userId : { userId, expiresAt: Number(at) };
}

beforeEach(async () => {
  dir = tempDir();
  handshakes = [];
  server = createSyncServer({
    stores: [notesStore],
    storage: openSqliteStorage({ path: `${dir.path}/notes.db` }),
    authenticate,
    onConnect: (info) => void handshakes.push(info.userId),
    limits: { authRefreshLeadMs: LEAD_MS },
  });
  running = await listen(server, { port: 0 });
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await running.close();
  await server.close();
  dir.remove();
});

/** A store of `userId` whose auth function answers with `next(call)` (call counts from 1). */
function open(userId: string, next: (call: number) => string | Promise<string>) {
  let calls = 0;
  const errors: SyncedStoreError[] = [];
  const store: NotesStore = createStore(notesStore, {
    space: "s1",
    userId,
    onError: (error) => void errors.push(error as SyncedStoreError),
    connect: connectToServer({
      url: running.url,
      WebSocket: NodeWebSocket,
      auth: () => next(++calls),
      onlineSignal: null,
      ...testSyncTimings,
    }),
  });
  cleanups.push(() => store.close());
  return { store, errors, calls: () => calls };
}

const online = (store: NotesStore) =>
  expect.poll(() => store.status.connection, { timeout: 10_000 }).toBe("online");

describe("expiring auth with real stores", () => {
  it("refreshes in band: the same connection, the queue kept, past the first credential's expiry", async () => {
    const firstExpiry = Date.now() + 1000;
    let release: () => void = () => undefined;
    const refreshing = new Promise<void>((resolve) => (release = resolve));
    const ann = open("ann", async (call) => {
      if (call === 1) return `ann@${firstExpiry}`;
      await refreshing;
      return `ann@${Date.now() + 60_000}`;
    });
    await online(ann.store);
    await (
      await ann.store.mutate.putNote({ id: "n1", text: "before" })
    ).confirmed;
    await expect.poll(() => ann.calls(), { timeout: 10_000 }).toBe(2);
    // While the auth function works, the store goes on syncing.
    const during = await ann.store.mutate.putNote({ id: "n2", text: "during the refresh" });
    await during.confirmed;
    release();
    // Wait out the first credential: a connection still on it would be closed by now.
    await expect.poll(() => Date.now() > firstExpiry + 200, { timeout: 5000 }).toBe(true);
    await (
      await ann.store.mutate.putNote({ id: "n3", text: "after" })
    ).confirmed;
    expect(handshakes).toEqual(["ann"]);
    expect(ann.store.status.connection).toBe("online");
  });

  it("without a refresh, closes with auth_expired and reconnects with fresh auth, queue kept", async () => {
    let release: () => void = () => undefined;
    const signingIn = new Promise<void>((resolve) => (release = resolve));
    const ann = open("ann", async (call) => {
      if (call === 1) return `ann@${Date.now() + 800}`;
      if (call === 2) throw new Error("the identity provider is down");
      await signingIn;
      return `ann@${Date.now() + 60_000}`;
    });
    await online(ann.store);
    // The third call is the reconnect after the close: the store is offline meanwhile.
    await expect.poll(() => ann.calls(), { timeout: 10_000 }).toBe(3);
    expect(ann.store.status.connection).not.toBe("online");
    expect(ann.errors.map((e) => e.code)).toContain("auth_expired");
    const { confirmed } = await ann.store.mutate.putNote({ id: "n1", text: "queued across the expiry" });
    await expect.poll(() => ann.store.status.pendingCount).toBe(1);
    expect(ann.store.status.connection).not.toBe("online");
    release();
    await confirmed;
    expect(handshakes).toEqual(["ann", "ann"]);
  });

  it("revoking a user reconnects that user's store with fresh auth, and no one else's", async () => {
    const ann = open("ann", () => "ann");
    const bob = open("bob", () => "bob");
    await online(ann.store);
    await online(bob.store);
    expect(server.disconnect({ userId: "ann" })).toBe(1);
    await expect.poll(() => ann.calls(), { timeout: 10_000 }).toBe(2);
    await online(ann.store);
    expect(ann.errors.map((e) => e.code)).toContain("revoked");
    expect(bob.calls()).toBe(1);
    expect(handshakes.filter((u) => u === "bob")).toHaveLength(1);
    await (
      await bob.store.mutate.putNote({ id: "b", text: "still here" })
    ).confirmed;
  });
});
