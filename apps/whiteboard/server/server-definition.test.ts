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
import { NOTE_TOO_LONG, SERVER_USER } from "./server-definition.js";

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

const presentUsers: Query<WhiteboardDefinition, string[]> = async (tx) =>
  (await tx.scan({ prefix: "presence/" })).map((e) => e.value.userId).sort();

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

  it("removes a client's presence when its connection ends", async () => {
    const ada = open("ada");
    const cy = open("cy");
    await (
      await ada.mutate.setPresence({ color: "#f00", cursor: { x: 1, y: 2 } })
    ).confirmed;
    await (
      await cy.mutate.setPresence({ color: "#0f0", cursor: null })
    ).confirmed;
    await until(ada, presentUsers, (users) => users.join() === "ada,cy");

    await cy.close();
    expect(await until(ada, presentUsers, (users) => users.join() === "ada")).toEqual(["ada"]);
  });

  it("lets only the server run the presence clean-up actions", async () => {
    const ada = open("ada");
    await (
      await ada.mutate.setPresence({ color: "#00f", cursor: null })
    ).confirmed;
    // What a client sending its own `action` message would get (the client API does not even list it).
    const asClient = await sync.runAction("whiteboard/main", "ada", "leave", { clientId: ada.clientId });
    expect(asClient).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/Only the server/) as unknown },
    });
    expect(await sync.runAction("whiteboard/main", SERVER_USER, "leave", { clientId: ada.clientId })).toEqual(
      {
        ok: true,
        result: { removed: true },
      },
    );
  });

  it("prunes presence left behind by clients that are gone", async () => {
    const ada = open("ada");
    await (
      await ada.mutate.setPresence({ color: "#00f", cursor: null })
    ).confirmed;
    const before = (await ada.query(presentUsers)).length;
    expect(before).toBeGreaterThan(0);
    const result = await sync.runAction("whiteboard/main", SERVER_USER, "prunePresence", { connected: [] });
    expect(result).toEqual({ ok: true, result: { removed: before } });
    expect(await until(ada, presentUsers, (users) => users.length === 0)).toEqual([]);
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
