// @vitest-environment jsdom
import {
  connectToServer,
  createStore,
  type AnyStoreDefinition,
  type Store,
  type WebSocketConstructor,
} from "@synced-store/core";
import { createMemoryStorage, createSyncServer } from "@synced-store/server";
import { listen } from "@synced-store/server/node";
import { act, cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { WebSocket } from "ws";
import { todo, type TodoDefinition } from "../shared/definition.js";
import { UpdateBanner } from "./update-banner.js";

/** The todo definition as version `version`, serving clients from `minSupportedVersion` on. */
const asVersion = (version: number, minSupportedVersion = 1): TodoDefinition => ({
  ...todo,
  version,
  schemaVersion: version,
  minSupportedVersion,
});

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  cleanup();
  for (const done of cleanups.splice(0).reverse()) await done();
});

/** A real server of `serverDefinition` on loopback, and a store of `clientDefinition` on it. */
async function storeAgainst(
  serverDefinition: AnyStoreDefinition,
  clientDefinition: TodoDefinition,
): Promise<Store<TodoDefinition>> {
  const sync = createSyncServer({ stores: [serverDefinition], storage: createMemoryStorage() });
  const running = await listen(sync, { port: 0 });
  const store = createStore(clientDefinition, {
    space: "list-1",
    userId: "ada",
    connect: connectToServer({
      url: running.url,
      auth: "ada",
      WebSocket: WebSocket as unknown as WebSocketConstructor,
    }),
  });
  cleanups.push(
    () => running.close(),
    () => sync.close(),
    () => store.close(),
  );
  return store;
}

/** Resolves once `accept` takes the store's status (bounded: 5 s). */
function statusWhere(store: Store<TodoDefinition>, accept: (s: Store<TodoDefinition>["status"]) => boolean) {
  return new Promise<void>((resolve, reject) => {
    if (accept(store.status)) return resolve();
    const timer = setTimeout(() => reject(new Error("status not reached in 5 s")), 5_000);
    const off = store.onStatusChange((status) => {
      if (!accept(status)) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

describe("UpdateBanner, against a real server", () => {
  it("shows nothing while the versions fit", async () => {
    const store = await storeAgainst(todo, todo);
    await statusWhere(store, (s) => s.connection === "online");
    render(<UpdateBanner stores={[store]} />);
    expect(screen.queryByTestId("update-banner")).toBeNull();
  });

  it("says a new version is available, with a Reload button, once the server stopped serving this one", async () => {
    const store = await storeAgainst(asVersion(2, 2), todo);
    const onReload = vi.fn();
    render(<UpdateBanner stores={[store]} onReload={onReload} />);
    await act(() => statusWhere(store, (s) => s.updateNeeded !== null));
    const banner = await screen.findByRole("alert");
    expect(banner.textContent).toContain("A new version is available");
    act(() => screen.getByRole("button", { name: "Reload" }).click());
    expect(onReload).toHaveBeenCalledTimes(1);
  });

  it("says edits are kept, with no Reload button, when the server runs an older version", async () => {
    const store = await storeAgainst(todo, asVersion(2));
    render(<UpdateBanner stores={[store]} />);
    await store.mutate.addTodo({ id: "t1", text: "Kept", order: 1, createdAt: 1 });
    await act(() => statusWhere(store, (s) => s.lastError?.code === "server_version_behind"));
    const banner = await screen.findByRole("status");
    expect(banner.textContent).toContain("older version");
    expect(banner.textContent).toContain("edits are kept");
    expect(screen.queryByRole("button", { name: "Reload" })).toBeNull();
    expect(store.status.pendingCount).toBe(1); // kept, not dropped
  });
});
