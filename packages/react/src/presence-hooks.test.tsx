import {
  createStore,
  defineStore,
  type PresenceLink,
  type PresencePeer,
  type Store,
} from "@synced-store/core";
import type { PresenceUpdateMessage } from "@synced-store/core/protocol";
import { act, cleanup, render, screen } from "@testing-library/react";
import { memo } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { StoreProvider } from "./store-provider.js";
import { useOthers } from "./use-others.js";
import { usePresence } from "./use-presence.js";

const Cursor = z.object({ x: z.number(), y: z.number() });
const board = defineStore({ name: "board", keys: {}, presence: Cursor });
type BoardStore = Store<typeof board>;

const stores: BoardStore[] = [];
/** A real store; `link` is the presence channel a sync layer would drive (the test plays the server). */
function openStore(): { store: BoardStore; link: () => PresenceLink } {
  let link: PresenceLink | undefined;
  const store = createStore(board, {
    space: "s",
    userId: "me",
    connect: (_target, context) => {
      link = context.presence;
      return {
        status: () => ({ connection: "online", lastError: null }),
        onStatusChange: () => () => undefined,
        action: () => Promise.reject(new Error("offline")),
        close: () => Promise.resolve(),
      };
    },
  });
  stores.push(store);
  return { store, link: () => link! };
}

afterEach(async () => {
  cleanup();
  for (const store of stores.splice(0)) await store.close();
});

const message = (set: [string, string, unknown][], removed: string[] = []): PresenceUpdateMessage => ({
  type: "presence",
  full: false,
  set: set.map(([client_id, user_id, state]) => ({ client_id, user_id, state })),
  removed,
});

describe("useOthers", () => {
  it("re-renders only the cursor that moved", () => {
    const { store, link } = openStore();
    const renders = new Map<string, number>();
    const CursorView = memo(function CursorView({ peer }: { peer: PresencePeer<{ x: number; y: number }> }) {
      renders.set(peer.clientId, (renders.get(peer.clientId) ?? 0) + 1);
      return <li data-testid={peer.clientId}>{`${peer.userId} ${peer.state.x},${peer.state.y}`}</li>;
    });
    function Cursors() {
      const others = useOthers<typeof board>();
      return (
        <ul>
          {others.map((p) => (
            <CursorView key={p.clientId} peer={p} />
          ))}
        </ul>
      );
    }
    render(
      <StoreProvider store={store}>
        <Cursors />
      </StoreProvider>,
    );
    act(() =>
      link().receive(
        message([
          ["a", "ann", { x: 1, y: 1 }],
          ["b", "bob", { x: 2, y: 2 }],
        ]),
      ),
    );
    expect(screen.getByTestId("b").textContent).toBe("bob 2,2");
    expect([...renders]).toEqual([
      ["a", 1],
      ["b", 1],
    ]);
    act(() => link().receive(message([["b", "bob", { x: 5, y: 6 }]])));
    expect(screen.getByTestId("b").textContent).toBe("bob 5,6");
    expect([...renders]).toEqual([
      ["a", 1],
      ["b", 2],
    ]);
    act(() => link().receive(message([], ["a"])));
    expect(screen.queryByTestId("a")).toBeNull();
    expect(renders.get("b")).toBe(2);
  });

  it("with a selector, re-renders only when the selected value changes (avatars, not cursors)", () => {
    const { store, link } = openStore();
    let renders = 0;
    function Avatars() {
      const users = useOthers(
        (others: readonly PresencePeer<unknown>[]) => [...new Set(others.map((p) => p.userId))].sort(),
        {
          store,
        },
      );
      renders++;
      return <p data-testid="users">{users.join(",")}</p>;
    }
    render(<Avatars />);
    act(() => link().receive(message([["a", "ann", { x: 1, y: 1 }]])));
    const afterJoin = renders;
    for (let x = 2; x < 10; x++) act(() => link().receive(message([["a", "ann", { x, y: 1 }]])));
    expect(renders).toBe(afterJoin);
    act(() => link().receive(message([["b", "bob", { x: 0, y: 0 }]])));
    expect(screen.getByTestId("users").textContent).toBe("ann,bob");
    expect(renders).toBe(afterJoin + 1);
  });

  it("is empty once the connection ends: nobody shown frozen", () => {
    const { store, link } = openStore();
    function Others() {
      const others = useOthers<typeof board>();
      return <p data-testid="n">{others.length}</p>;
    }
    render(
      <StoreProvider store={store}>
        <Others />
      </StoreProvider>,
    );
    act(() => link().receive(message([["a", "ann", { x: 1, y: 1 }]])));
    expect(screen.getByTestId("n").textContent).toBe("1");
    act(() => link().disconnected());
    expect(screen.getByTestId("n").textContent).toBe("0");
  });
});

describe("usePresence", () => {
  it("shows the own presence and merges partial updates into it", () => {
    const { store } = openStore();
    let setter: ((p: Partial<{ x: number; y: number }>) => void) | undefined;
    function Me() {
      const [me, update] = usePresence<typeof board>();
      setter = update;
      return <p data-testid="me">{me === null ? "none" : `${me.x},${me.y}`}</p>;
    }
    render(
      <StoreProvider store={store}>
        <Me />
      </StoreProvider>,
    );
    expect(screen.getByTestId("me").textContent).toBe("none");
    act(() => store.presence.set({ x: 1, y: 2 }));
    expect(screen.getByTestId("me").textContent).toBe("1,2");
    const first = setter;
    act(() => setter!({ y: 9 }));
    expect(screen.getByTestId("me").textContent).toBe("1,9");
    expect(setter).toBe(first);
    expect(() => setter!({ x: "no" as never })).toThrow(/Invalid presence/);
  });
});
