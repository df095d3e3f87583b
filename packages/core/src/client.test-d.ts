import { describe, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { createStore } from "./client.js";
import type { MutationHandle } from "./client-types.js";
import { defineStore } from "./schema/define-store.js";

const Todo = z.object({ id: z.string(), text: z.string(), done: z.boolean() });
type Todo = z.output<typeof Todo>;
const def = defineStore({ name: "todo", keys: { "todos/*": Todo, "$$pu/*/filter": z.enum(["all", "done"]) } })
  .mutators({
    addTodo: {
      args: z.object({ id: z.string(), text: z.string().default("") }),
      run: async (tx, a) => tx.set(`todos/${a.id}`, { id: a.id, text: a.text, done: false }),
    },
    clear: { args: z.undefined(), run: () => undefined },
  })
  .actions((action) => ({
    count: action(
      z.object({ prefix: z.string() }),
      async (tx, a) => (await tx.scan({ prefix: a.prefix })).length,
    ),
  }));

describe("createStore types", () => {
  const store = createStore(def, { space: "s", userId: "u" });

  it("types mutators from their zod input", () => {
    expectTypeOf(store.mutate.addTodo)
      .parameter(0)
      .toEqualTypeOf<{ id: string; text?: string | undefined }>();
    expectTypeOf(store.mutate.addTodo({ id: "a" })).resolves.toEqualTypeOf<MutationHandle>();
    // @ts-expect-error unknown mutator
    void store.mutate.nope;
    // @ts-expect-error wrong args
    void store.mutate.addTodo({ id: 1 });
  });

  it("types actions and their results", () => {
    expectTypeOf(store.action.count({ prefix: "todos/" })).resolves.toEqualTypeOf<number>();
  });

  it("types query and subscribe results from the key schemas", () => {
    store.subscribe(
      (tx) => tx.get("todos/a"),
      (todo) => expectTypeOf(todo).toEqualTypeOf<Todo | undefined>(),
    );
    store.subscribe((tx) => tx.scan({ prefix: "todos/" }), {
      onData: (rows) => expectTypeOf(rows[0]!.value).toEqualTypeOf<Todo>(),
    });
    expectTypeOf(store.query((tx) => tx.get(tx.privateKey("filter")))).resolves.toEqualTypeOf<
      "all" | "done" | undefined
    >();
  });
});

describe("presence types", () => {
  const Cursor = z.object({ x: z.number(), y: z.number(), label: z.string().default("") });
  const withPresence = defineStore({ name: "board", keys: {}, presence: Cursor });
  const store = createStore(withPresence, { space: "s", userId: "u" });

  it("types own and others' presence from the definition's schema", () => {
    expectTypeOf(store.presence.set)
      .parameter(0)
      .toEqualTypeOf<{ x: number; y: number; label?: string | undefined }>();
    expectTypeOf(store.presence.get()).toEqualTypeOf<{ x: number; y: number; label: string } | null>();
    expectTypeOf(store.presence.others()[0]!.state).toEqualTypeOf<{ x: number; y: number; label: string }>();
    store.presence.update({ x: 1 });
    // @ts-expect-error wrong field type
    store.presence.update({ x: "1" });
  });

  it("leaves presence unusable on a store without a schema", () => {
    const plain = createStore(def, { space: "s", userId: "u" });
    expectTypeOf(plain.presence.set).parameter(0).toEqualTypeOf<never>();
  });
});
