import {
  createStore,
  defineStore,
  type ConnectionStatus,
  type Store,
  type SyncConnection,
  type SyncTarget,
} from "@synced-store/core";
import { act, cleanup, render, screen } from "@testing-library/react";
import { Component, memo, StrictMode, Suspense, type ReactNode } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { StoreProvider } from "./store-provider.js";
import { subscriptionCacheFor } from "./subscription-cache.js";
import { useAction } from "./use-action.js";
import { useMutate } from "./use-mutate.js";
import { useRejections } from "./use-rejections.js";
import { useSubscribe } from "./use-subscribe.js";
import { useSyncStatus } from "./use-sync-status.js";

const Todo = z.object({ id: z.string(), text: z.string() });
type Todo = z.output<typeof Todo>;
const todo = defineStore({ name: "todo", keys: { "todos/*": Todo } })
  .mutators({
    put: { args: Todo, run: (tx, t) => tx.set(`todos/${t.id}`, t) },
  })
  .actions((action) => ({ ping: action(z.object({}), () => Promise.resolve("pong")) }));
type TodoStore = Store<typeof todo>;

const stores: TodoStore[] = [];
/** A real store; `target` is what a sync layer would drive (the test plays the server). */
function openStore(): { store: TodoStore; target: () => SyncTarget } {
  let target: SyncTarget | undefined;
  const status: ConnectionStatus = { connection: "offline", lastError: null };
  const store = createStore(todo, {
    space: "s",
    userId: "u",
    connect: (t): SyncConnection => {
      target = t;
      return {
        status: () => status,
        onStatusChange: () => () => undefined,
        action: () => Promise.reject(new Error("offline")),
        close: () => Promise.resolve(),
      };
    },
  });
  stores.push(store);
  return { store, target: () => target! };
}

afterEach(async () => {
  cleanup();
  vi.restoreAllMocks();
  for (const store of stores.splice(0)) await store.close();
});

class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state = { error: null as Error | null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override render() {
    return this.state.error ? <p>{`caught: ${this.state.error.message}`}</p> : this.props.children;
  }
}

function wrap(store: TodoStore, children: ReactNode) {
  return <StoreProvider store={store}>{children}</StoreProvider>;
}

describe("useSubscribe", () => {
  it("shows the default first, then the result, and follows writes", async () => {
    const { store } = openStore();
    function Text({ id }: { id: string }) {
      const text = useSubscribe(async (tx) => (await tx.get(`todos/${id}`))?.text, [id], {
        store,
        default: "…",
      });
      return <p>{text ?? "none"}</p>;
    }
    render(<Text id="a" />);
    expect(screen.getByText("…")).toBeTruthy();
    await screen.findByText("none");
    await act(() => store.mutate.put({ id: "a", text: "milk" }));
    await screen.findByText("milk");
  });

  it("does not re-render a component when an unrelated key is written", async () => {
    const { store } = openStore();
    await store.mutate.put({ id: "a", text: "milk" });
    const renders = { a: 0 };
    function TodoA() {
      renders.a++;
      const t = useSubscribe((tx) => tx.get("todos/a"), [], { store });
      return <p>{t?.text ?? "…"}</p>;
    }
    function TodoB() {
      const t = useSubscribe((tx) => tx.get("todos/b"), [], { store });
      return <p>{t?.text ?? "no b"}</p>;
    }
    render(wrap(store, [<TodoA key="a" />, <TodoB key="b" />]));
    await screen.findByText("milk");
    const settled = renders.a;
    for (let i = 0; i < 5; i++) await act(() => store.mutate.put({ id: "b", text: `bread ${i}` }));
    await screen.findByText("bread 4");
    expect(renders.a).toBe(settled);
    // Rewriting the same value is no change either.
    await act(() => store.mutate.put({ id: "a", text: "milk" }));
    expect(renders.a).toBe(settled);
    await act(() => store.mutate.put({ id: "a", text: "oat milk" }));
    await screen.findByText("oat milk");
    expect(renders.a).toBe(settled + 1);
  });

  it("shares one store subscription between components with the same query and deps", async () => {
    const { store } = openStore();
    const subscribe = vi.spyOn(store, "subscribe");
    function Count({ prefix }: { prefix: string }) {
      const n = useSubscribe(async (tx) => (await tx.scan({ prefix })).length, [prefix], { default: -1 });
      return <p>{`${prefix}:${n}`}</p>;
    }
    const view = render(wrap(store, [<Count key="1" prefix="todos/" />, <Count key="2" prefix="todos/" />]));
    await act(() => store.mutate.put({ id: "a", text: "x" }));
    expect(await screen.findAllByText("todos/:1")).toHaveLength(2);
    expect(subscribe).toHaveBeenCalledTimes(1);
    expect(subscriptionCacheFor(store).size).toBe(1);
    // Other deps: another subscription.
    view.rerender(wrap(store, [<Count key="1" prefix="todos/" />, <Count key="3" prefix="other/" />]));
    await screen.findByText("other/:0");
    expect(subscribe).toHaveBeenCalledTimes(2);
  });

  it("follows the provider to another store, never showing the old store's result", async () => {
    const first = openStore().store;
    const second = openStore().store;
    await first.mutate.put({ id: "a", text: "from first" });
    await second.mutate.put({ id: "a", text: "from second" });
    const seen: string[] = [];
    function Text() {
      const t = useSubscribe<Todo | undefined, Todo>((tx) => tx.get("todos/a"), [], {
        default: { id: "a", text: "…" },
      });
      seen.push(t?.text ?? "none");
      return <p>{t?.text}</p>;
    }
    const view = render(wrap(first, <Text />));
    await screen.findByText("from first");
    seen.length = 0;
    view.rerender(wrap(second, <Text />));
    await screen.findByText("from second");
    expect(seen).not.toContain("from first");
  });

  it("keeps one store subscription under StrictMode's double render and effects", async () => {
    const { store } = openStore();
    const subscribe = vi.spyOn(store, "subscribe");
    function Text() {
      const t = useSubscribe((tx) => tx.get("todos/a"), [], { store });
      return <p>{t?.text ?? "none"}</p>;
    }
    render(
      <StrictMode>
        <Text />
        <Text />
      </StrictMode>,
    );
    await screen.findAllByText("none");
    await act(() => store.mutate.put({ id: "a", text: "strict" }));
    expect(await screen.findAllByText("strict")).toHaveLength(2);
    expect(subscribe).toHaveBeenCalledTimes(1);
    expect(subscriptionCacheFor(store).size).toBe(1);
  });

  it("keeps unchanged rows identical, so memoized rows do not re-render", async () => {
    const { store } = openStore();
    await store.mutate.put({ id: "a", text: "one" });
    await store.mutate.put({ id: "b", text: "two" });
    const rowRenders = new Map<string, number>();
    const Row = memo(function Row({ todo: t }: { todo: Todo }) {
      rowRenders.set(t.id, (rowRenders.get(t.id) ?? 0) + 1);
      return <li>{t.text}</li>;
    });
    function List() {
      const todos = useSubscribe(
        async (tx) => (await tx.scan({ prefix: "todos/" })).map((e) => e.value),
        [],
        { store, default: [] as Todo[] },
      );
      return (
        <ul>
          {todos.map((t) => (
            <Row key={t.id} todo={t} />
          ))}
        </ul>
      );
    }
    render(wrap(store, <List />));
    await screen.findByText("two");
    await act(() => store.mutate.put({ id: "b", text: "deux" }));
    await screen.findByText("deux");
    expect(rowRenders.get("a")).toBe(1);
    expect(rowRenders.get("b")).toBe(2);
  });

  it("suspends until the first result in Suspense mode", async () => {
    const { store } = openStore();
    await store.mutate.put({ id: "a", text: "milk" });
    function Text() {
      const t = useSubscribe((tx) => tx.get("todos/a"), [], { store, suspense: true });
      return <p>{t?.text}</p>;
    }
    let fallbackShown = false;
    function Fallback() {
      fallbackShown = true;
      return <p>loading</p>;
    }
    // Awaited act: React retries a suspended render only once its act scope is awaited.
    await act(() => {
      render(wrap(store, <Suspense fallback={<Fallback />}>{<Text />}</Suspense>));
      return Promise.resolve();
    });
    await screen.findByText("milk");
    expect(fallbackShown).toBe(true);
  });

  it("throws a failing query to the error boundary", async () => {
    const { store } = openStore();
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    function Broken() {
      useSubscribe((): Promise<number> => Promise.reject(new Error("query broke")), [], { suspense: true });
      return <p>never</p>;
    }
    await act(() => {
      render(
        wrap(
          store,
          <ErrorBoundary>{<Suspense fallback={<p>loading</p>}>{<Broken />}</Suspense>}</ErrorBoundary>,
        ),
      );
      return Promise.resolve();
    });
    await screen.findByText("caught: query broke");
  });
});

describe("useMutate, useAction, useSyncStatus, useRejections", () => {
  it("mutates through typed mutators and counts pending mutations", async () => {
    const { store } = openStore();
    function Add() {
      const mutate = useMutate<typeof todo>();
      const status = useSyncStatus();
      return (
        <button onClick={() => void mutate.put({ id: "a", text: "milk" })}>
          {`${status.connection} ${status.pendingCount}`}
        </button>
      );
    }
    render(wrap(store, <Add />));
    const button = await screen.findByText("offline 0");
    await act(async () => {
      button.click();
      await store.ready;
    });
    await screen.findByText("offline 1");
    expect(await store.query((tx) => tx.get("todos/a"))).toEqual({ id: "a", text: "milk" });
  });

  it("hands out the store's actions", () => {
    const { store } = openStore();
    let actions: unknown;
    function Probe() {
      actions = useAction<typeof todo>();
      return null;
    }
    render(wrap(store, <Probe />));
    expect(actions).toBe(store.action);
  });

  it("lists server rejections with their reason until dismissed", async () => {
    const { store, target } = openStore();
    function Rejections() {
      const { rejections, dismiss } = useRejections();
      return (
        <ul>
          {rejections.map((r) => (
            <li key={r.mutationId} onClick={() => dismiss(r)}>{`${r.mutatorName}: ${r.message}`}</li>
          ))}
        </ul>
      );
    }
    render(wrap(store, <Rejections />));
    const { id, confirmed } = await store.mutate.put({ id: "a", text: "too long for the server" });
    const rejected = expect(confirmed).rejects.toMatchObject({ code: "mutator_failed" });
    await act(async () => {
      target().recordRejection(id, "mutator_failed", "text is too long");
      await target().applyServerUpdate({
        minIncludedVersion: 1,
        maxIncludedVersion: 1,
        patches: [],
        lastMutationId: id,
      });
    });
    await rejected;
    const item = await screen.findByText("put: text is too long");
    act(() => item.click());
    expect(screen.queryByText("put: text is too long")).toBeNull();
  });

  it("explains a missing provider", () => {
    function Orphan() {
      useMutate();
      return null;
    }
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    render(
      <ErrorBoundary>
        <Orphan />
      </ErrorBoundary>,
    );
    expect(screen.getByText(/caught: No store: wrap the component in <StoreProvider/)).toBeTruthy();
  });
});
