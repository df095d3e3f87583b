import { describe, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { defineStore, type ActionResult, type MutatorArgs } from "./define-store.js";

const Todo = z.object({ id: z.string(), text: z.string(), done: z.boolean() });
const Filter = z.enum(["all", "active", "done"]);

export const todo = defineStore({ name: "todo", keys: { "todos/*": Todo, "$$pu/*/filter": Filter } })
  .mutators({
    addTodo: {
      args: z.object({ id: z.string(), text: z.string() }),
      run: async (tx, args) => {
        expectTypeOf(args).toEqualTypeOf<{ id: string; text: string }>();
        const existing = await tx.get(`todos/${args.id}`);
        expectTypeOf(existing).toEqualTypeOf<z.output<typeof Todo> | undefined>();
        await tx.set(`todos/${args.id}`, { id: args.id, text: args.text, done: false });
      },
    },
    setFilter: {
      args: Filter,
      run: async (tx, filter) => {
        await tx.set(tx.privateKey("filter"), filter);
      },
    },
  })
  .actions((action) => ({
    clearCompleted: action(z.object({}), async (tx, _args, ctx) => {
      expectTypeOf(ctx.userId).toEqualTypeOf<string>();
      const todos = await tx.scan({ prefix: "todos/" });
      expectTypeOf(todos[0]!.value).toEqualTypeOf<z.output<typeof Todo>>();
      return { removed: todos.length };
    }),
  }));

describe("defineStore types", () => {
  it("types mutator args and action results from the definition", () => {
    expectTypeOf<MutatorArgs<typeof todo, "addTodo">>().toEqualTypeOf<{ id: string; text: string }>();
    expectTypeOf<ActionResult<typeof todo, "clearCompleted">>().toEqualTypeOf<{ removed: number }>();
  });
});
