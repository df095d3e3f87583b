import {
  defineStore,
  type MutationHandle,
  type MutationRejectedError,
  type Store,
  type SyncStatus,
} from "@synced-store/core";
import { describe, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { useAction } from "./use-action.js";
import { useMutate } from "./use-mutate.js";
import { useRejections } from "./use-rejections.js";
import { useSubscribe } from "./use-subscribe.js";
import { useSyncStatus } from "./use-sync-status.js";

const Todo = z.object({ id: z.string(), text: z.string(), done: z.boolean() });
type Todo = z.output<typeof Todo>;

export const todo = defineStore({ name: "todo", keys: { "todos/*": Todo, "$$pu/*/filter": z.string() } })
  .mutators({
    addTodo: {
      args: z.object({ id: z.string(), text: z.string() }),
      run: (tx, a) => tx.set(`todos/${a.id}`, { id: a.id, text: a.text, done: false }),
    },
  })
  .actions((action) => ({
    clearCompleted: action(z.object({}), () => Promise.resolve({ removed: 0 })),
  }));

declare const store: Store<typeof todo>;

describe("hook types", () => {
  it("types useSubscribe from the query and the store's key schemas", () => {
    const one = useSubscribe((tx) => tx.get("todos/1"), [], { store });
    expectTypeOf(one).toEqualTypeOf<Todo | undefined>();

    const list = useSubscribe(async (tx) => (await tx.scan({ prefix: "todos/" })).map((e) => e.value), [], {
      store,
      default: [] as Todo[],
    });
    expectTypeOf(list).toEqualTypeOf<Todo[]>();

    const count = useSubscribe(async (tx) => (await tx.scan({ prefix: "todos/" })).length, [], {
      store,
      suspense: true,
    });
    expectTypeOf(count).toEqualTypeOf<number>();

    const withDefault = useSubscribe((tx) => tx.get("todos/1"), [], { store, default: null });
    expectTypeOf(withDefault).toEqualTypeOf<Todo | undefined | null>();
  });

  it("types useMutate and useAction from the definition", () => {
    const mutate = useMutate(store);
    expectTypeOf(mutate.addTodo).parameter(0).toEqualTypeOf<{ id: string; text: string }>();
    expectTypeOf(mutate.addTodo).returns.toEqualTypeOf<Promise<MutationHandle>>();
    // @ts-expect-error: no such mutator
    void mutate.removeTodo;
    // @ts-expect-error: args are checked
    void mutate.addTodo({ id: "1" });

    const action = useAction(store);
    expectTypeOf(action.clearCompleted).returns.toEqualTypeOf<Promise<{ removed: number }>>();
  });

  it("types status and rejections", () => {
    expectTypeOf(useSyncStatus(store)).toEqualTypeOf<SyncStatus>();
    expectTypeOf(useRejections(store).rejections).toEqualTypeOf<readonly MutationRejectedError[]>();
  });
});
