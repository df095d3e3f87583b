import {
  connectToServer,
  createStore,
  MutationRejectedError,
  type Query,
  type Store,
  type WebSocketConstructor,
} from "@synced-store/core";
import { createMemoryStorage } from "@synced-store/server";
import { listen, type RunningServer } from "@synced-store/server/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { whiteboard, type WhiteboardDefinition } from "../src/shared/definition.js";
import type { Shape } from "../src/shared/schemas.js";
import { createWhiteboardSyncServer } from "./create-whiteboard-sync-server.js";
import { NOTE_TOO_LONG } from "./server-definition.js";

type Board = Store<WhiteboardDefinition>;

const sync = createWhiteboardSyncServer(createMemoryStorage());
let running: RunningServer;
const stores: Board[] = [];

function open(userId: string): Board {
  const store = createStore(whiteboard, {
    space: "main",
    userId,
    connect: connectToServer({
      url: running.url,
      auth: userId,
      WebSocket: WebSocket as unknown as WebSocketConstructor,
    }),
  });
  stores.push(store);
  return store;
}

/** Resolves once `query` returns something `accept` takes (bounded: 5 s). */
function until<T>(
  store: Board,
  query: Query<WhiteboardDefinition, T>,
  accept: (v: T) => boolean,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("condition not met in 5 s")), 5_000);
    const off = store.subscribe(query, (value) => {
      if (!accept(value)) return;
      clearTimeout(timer);
      queueMicrotask(() => off());
      resolve(value);
    });
  });
}

const note: Shape = {
  id: "n1",
  kind: "sticky",
  x: 0,
  y: 0,
  w: 160,
  h: 140,
  color: "#fde68a",
  text: "Note",
  z: 1,
  createdBy: "",
};

describe("whiteboard server definition, over a real server", () => {
  beforeAll(async () => {
    running = await listen(sync, { port: 0 });
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await running.close();
    await sync.close();
  });

  it("shows a client's presence to the others and removes it when its connection ends, storing none of it", async () => {
    const commits = sync.metrics.commits;
    const ada = open("ada");
    const cy = open("cy");
    ada.presence.set({ color: "#f00", cursor: { x: 1, y: 2 }, editing: null, draft: null });
    cy.presence.set({ color: "#0f0", cursor: null, editing: "n1", draft: "Hel" });
    const users = (store: Board) =>
      store.presence
        .others()
        .map((p) => p.userId)
        .sort()
        .join();
    await expect.poll(() => users(ada), { timeout: 5_000 }).toBe("cy");
    await expect.poll(() => ada.presence.others()[0]?.state.editing, { timeout: 5_000 }).toBe("n1");
    expect(ada.presence.others()[0]?.state.draft).toBe("Hel");

    await cy.close();
    await expect.poll(() => users(ada), { timeout: 5_000 }).toBe("");
    // Nothing of it is data: the board holds no key for it, and no version was spent on it.
    expect(await ada.query((tx) => tx.scan({ prefix: "" }))).toEqual([]);
    expect(sync.metrics.commits).toBe(commits);
  });

  it("rejects a note longer than the server allows, and keeps the old text", async () => {
    const ada = open("ada");
    const bob = open("bob");
    await (
      await ada.mutate.putShape(note)
    ).confirmed;
    const { confirmed } = await ada.mutate.setText({ id: "n1", text: "y".repeat(141) });
    const error = await confirmed.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MutationRejectedError);
    expect((error as MutationRejectedError).message).toContain(NOTE_TOO_LONG);
    expect(await ada.query((tx) => tx.get("shapes/n1"))).toMatchObject({ text: "Note" });
    const seen = await until(
      bob,
      (tx) => tx.get("shapes/n1"),
      (s) => s !== undefined,
    );
    expect(seen).toMatchObject({ text: "Note", createdBy: "ada" });
  });
});
