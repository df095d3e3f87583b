import {
  createStore,
  defineStore,
  type ConnectionStatus,
  type Store,
  type SyncConnection,
  type SyncTarget,
} from "@synced-store/core";
import type { PatchOp } from "@synced-store/core/protocol";
import { act, cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { SyncedStoreDevtools } from "./devtools.js";

const Todo = z.object({ id: z.string(), text: z.string() });
const todo = defineStore({ name: "todo", keys: { "todos/*": Todo } }).mutators({
  put: { args: Todo, run: (tx, t) => tx.set(`todos/${t.id}`, t) },
});

const KEYS = 100_000;
const stores: Array<Store<typeof todo>> = [];
afterEach(async () => {
  cleanup();
  for (const s of stores.splice(0)) await s.close();
});

/** A store whose base holds `count` todos, as if the server had sent them; it stays offline. */
async function storeWithKeys(count: number) {
  let target: SyncTarget | undefined;
  const offline: ConnectionStatus = { connection: "offline", lastError: null };
  const connection: SyncConnection = {
    status: () => offline,
    onStatusChange: () => () => undefined,
    action: () => Promise.reject(new Error("offline")),
    close: () => Promise.resolve(),
  };
  const store = createStore(todo, {
    space: "big",
    userId: "ada",
    clientId: "c1",
    connect: (t) => ((target = t), connection),
  });
  stores.push(store);
  await store.ready;
  const patches: PatchOp[] = [];
  for (let i = 0; i < count; i++) {
    const id = String(i).padStart(6, "0");
    patches.push({ op: "set", key: `todos/${id}`, value: { id, text: `todo ${i}` } });
  }
  await target!.applyServerUpdate({
    minIncludedVersion: 1,
    maxIncludedVersion: 1,
    patches,
    lastMutationId: 0,
  });
  return store;
}

describe("SyncedStoreDevtools", () => {
  it("opens from its toggle and closes again", async () => {
    const store = await storeWithKeys(3);
    render(<SyncedStoreDevtools stores={[store]} />);
    expect(screen.queryByRole("region", { name: "Synced-Store devtools" })).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: /open Synced-Store devtools/ }));
    const panel = screen.getByRole("region", { name: "Synced-Store devtools" });
    expect(within(panel).getByTestId("ssd-summary").textContent).toContain("base v1");
    fireEvent.click(screen.getByRole("button", { name: "Close" }));
    expect(screen.queryByRole("region", { name: "Synced-Store devtools" })).toBeNull();
  });

  it(`lists ${KEYS} keys rendering only the rows in view, searches them and shows base vs. pending`, async () => {
    const store = await storeWithKeys(KEYS);
    render(<SyncedStoreDevtools stores={[store]} initialIsOpen />);
    expect(screen.getByTestId("ssd-key-count").textContent).toMatch(/^100000 keys/);
    const rows = () => screen.getAllByTestId("ssd-key");
    expect(rows().length).toBeLessThan(60);
    expect(rows()[0]?.textContent).toContain("todos/000000");

    // Scrolled half-way: the rows there are rendered, and still only a window of them.
    const list = screen.getByRole("listbox", { name: "Keys" });
    act(() => {
      list.scrollTop = 22 * 50_000;
      fireEvent.scroll(list);
    });
    expect(rows().length).toBeLessThan(60);
    expect(rows().some((r) => r.textContent?.includes("todos/050000"))).toBe(true);

    fireEvent.change(screen.getByRole("searchbox", { name: "Search keys" }), { target: { value: "09999" } });
    await vi.waitFor(() => expect(screen.getByTestId("ssd-key-count").textContent).toMatch(/^11 keys match/));
    fireEvent.click(screen.getByText("todos/099999"));
    expect(screen.getByTestId("ssd-entry-base").textContent).toContain('"todo 99999"');

    // A pending write over a base key: base stays, the view shows the pending value.
    await act(() => store.mutate.put({ id: "099999", text: "edited" }));
    await screen.findByText("pending write");
    expect(screen.getByTestId("ssd-entry-base").textContent).toContain('"todo 99999"');
    expect(screen.getByTestId("ssd-entry-value").textContent).toContain('"edited"');
  });

  it("shows pending mutations that were never pushed while offline", async () => {
    const store = await storeWithKeys(0);
    render(<SyncedStoreDevtools stores={[store]} initialIsOpen />);
    await act(() => store.mutate.put({ id: "a", text: "A" }));
    fireEvent.click(screen.getByRole("tab", { name: /Pending/ }));
    const row = await screen.findByTestId("ssd-pending-row");
    expect(row.textContent).toContain("put");
    expect(row.textContent).toContain("not pushed");
    expect(row.textContent).toContain("this tab");
  });

  it("has no Presence tab for a store without presence", async () => {
    const store = await storeWithKeys(0);
    render(<SyncedStoreDevtools stores={[store]} initialIsOpen />);
    expect(screen.getAllByRole("tab").map((t) => t.textContent?.replace(/\d+$/, ""))).toEqual([
      "Data",
      "Pending",
      "Rejections",
      "Subscriptions",
      "Network",
    ]);
  });

  it("shows a Presence tab for a store that declares presence: its own state and the others'", async () => {
    const store = await storeWithKeys(0);
    // The shape of `store.presence` (`PresenceApi`): own state, the others, and their listeners.
    const own = { cursor: { x: 1, y: 2 } };
    const others = [{ clientId: "c-bob-1", userId: "bob", state: { cursor: { x: 3, y: 4 } } }];
    const withPresence = Object.assign(Object.create(store) as typeof store, {
      definition: {
        ...store.definition,
        presence: z.object({ cursor: z.object({ x: z.number(), y: z.number() }) }),
      },
      presence: {
        get: () => own,
        others: () => others,
        subscribe: () => () => undefined,
        subscribeOwn: () => () => undefined,
      },
    });
    render(<SyncedStoreDevtools stores={[withPresence]} initialIsOpen />);
    fireEvent.click(screen.getByRole("tab", { name: "Presence" }));
    expect(screen.getByTestId("ssd-presence-own").textContent).toContain('"x": 1');
    const row = screen.getByTestId("ssd-presence-row");
    expect(row.textContent).toContain("bob");
    expect(row.textContent).toContain('"x": 3');
  });
});
