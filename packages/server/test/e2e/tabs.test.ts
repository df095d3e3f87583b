import {
  connectToServer,
  createStore,
  memoryClientRegistry,
  memoryPersistence,
  memoryTabLocks,
  broadcastTabChannels,
  webSocketTransport,
} from "@synced-store/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FaultProxy } from "@synced-store/server/testing";
import {
  NodeWebSocket,
  startE2EServer,
  tempDir,
  waitConverged,
  type E2EServer,
  type NotesStore,
} from "./harness.js";
import { notesStore } from "./notes-definition.js";

let dir: ReturnType<typeof tempDir>;
let server: E2EServer;
let proxy: FaultProxy;
const open: NotesStore[] = [];

beforeEach(async () => {
  dir = tempDir();
  server = await startE2EServer({ dbPath: `${dir.path}/notes.db` });
  proxy = await FaultProxy.start({ seed: 5, upstream: server.url });
});
afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
  await proxy.close();
  await server.close();
  dir.remove();
});

/** One browser of user alice: its tabs share persistence, locks, the client registry, a channel. */
function browser(space: string) {
  const shared = {
    persistence: memoryPersistence(),
    locks: memoryTabLocks(),
    registry: memoryClientRegistry(),
  };
  let n = 0;
  return async (): Promise<NotesStore> => {
    const store = createStore(notesStore, {
      space,
      userId: "alice",
      persistence: shared.persistence,
      connect: connectToServer({
        url: proxy.url,
        transport: webSocketTransport({ url: proxy.url, WebSocket: NodeWebSocket }),
        auth: "alice",
        backoff: { initialDelayMs: 20, maxDelayMs: 300 },
        resyncIntervalMs: 500,
        heartbeatIntervalMs: 1000,
        heartbeatTimeoutMs: 1000,
        connectTimeoutMs: 2000,
      }),
      tabs: {
        registry: () => shared.registry,
        locks: shared.locks,
        channels: broadcastTabChannels(BroadcastChannel)!,
        newClientId: () => `${space}-tab${++n}`,
      },
    });
    open.push(store);
    await store.ready;
    return store;
  };
}

async function closeTab(store: NotesStore) {
  open.splice(open.indexOf(store), 1);
  await store.close();
}

/** What the server's log says it applied, as `client:name` per mutation. */
async function appliedLog(spaceId: string): Promise<string[]> {
  const snapshot = await server.snapshot(spaceId);
  return Object.entries(snapshot)
    .filter(([key]) => key.startsWith("$$so/log/"))
    .map(([, entry]) => {
      const e = entry as { client: string; name: string };
      return `${e.client}:${e.name}`;
    })
    .sort();
}

describe("tabs of one browser against the real server", () => {
  it("stay in step offline, and the queue of a tab closed offline is pushed once by another", async () => {
    const openTab = browser("tabs");
    const one = await openTab();
    const two = await openTab();
    await expect.poll(() => two.status.connection, { timeout: 10_000 }).toBe("online");
    proxy.setFaults({ cutRate: 1 });
    proxy.cutAll();
    await expect.poll(() => one.status.connection, { timeout: 10_000 }).toBe("offline");

    for (let i = 0; i < 3; i++) await one.mutate.increment({ by: 1 });
    await one.mutate.putNote({ id: "n1", text: "from tab one" });
    // Tab two shows tab one's edits at once, with no server.
    await expect.poll(() => two.query((tx) => tx.get("counter")), { timeout: 5000 }).toBe(3);
    await two.mutate.increment({ by: 10 });
    await expect.poll(() => one.query((tx) => tx.get("counter")), { timeout: 5000 }).toBe(13);

    // Tab one closes before it could push.
    await closeTab(one);
    expect(await two.query((tx) => tx.get("notes/n1"))).toMatchObject({ text: "from tab one" });

    proxy.setFaults({});
    const state = await waitConverged(server, "notes/tabs", [two]);
    expect(state).toMatchObject({ counter: 13, "notes/n1": { text: "from tab one" } });
    expect(await appliedLog("notes/tabs")).toEqual([
      "tabs-tab1:increment",
      "tabs-tab1:increment",
      "tabs-tab1:increment",
      "tabs-tab1:putNote",
      "tabs-tab2:increment",
    ]);
    // A later load takes over tab one's id and finds nothing left to push.
    const three = await openTab();
    expect(three.clientId).toBe("tabs-tab1");
    await waitConverged(server, "notes/tabs", [two, three]);
    expect(await appliedLog("notes/tabs")).toHaveLength(5);
  });
});
