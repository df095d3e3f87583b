import type { Store } from "@synced-store/core";
import { openSqliteStorage } from "@synced-store/server/sqlite";
import { startConvergenceTest } from "@synced-store/server/testing";
import { describe, expect, it } from "vitest";
import { todo, type TodoDefinition } from "../src/shared/definition.js";
import { SERVER_MAX_TODO_TEXT } from "../src/shared/schemas.js";
import { serverTodo } from "./server-definition.js";

/** One random edit of a list, as people make them: ids from a small pool, so edits collide. */
async function editRandomly(store: Store<TodoDefinition>, random: () => number, step: number) {
  const id = `t${Math.floor(random() * 6)}`;
  const pick = random();
  if (pick < 0.3) {
    // Now and then longer than the server allows: applied here, rejected there, rolled back.
    const text = random() < 0.15 ? "x".repeat(SERVER_MAX_TODO_TEXT + 1) : `${store.clientId} ${step}`;
    await store.mutate.addTodo({ id, text, order: random(), createdAt: step });
  } else if (pick < 0.45) await store.mutate.editTodo({ id, text: `edited ${step}` });
  else if (pick < 0.6) await store.mutate.toggleTodo({ id, done: random() < 0.5 });
  else if (pick < 0.75) await store.mutate.moveTodo({ id, order: random() });
  else if (pick < 0.9) await store.mutate.deleteTodo({ id });
  else await store.mutate.setFilter(random() < 0.5 ? "active" : "all");
}

describe("todo mutators under faults (the server/testing kit)", () => {
  it("every client of a list ends with the server's state: collisions, rejections, cut connections", async () => {
    await using t = await startConvergenceTest({
      definition: todo,
      serverStores: [serverTodo],
      storage: openSqliteStorage({ path: ":memory:" }),
      authenticate: ({ auth }) => auth,
    });
    const stores = ["ada", "bo", "cy"].flatMap((userId) => [
      t.client({ space: "list-1", userId }),
      t.client({ space: "list-1", userId }),
    ]);
    await t.run(stores, 25, editRandomly);
    const list = (await t.converged()).get("list-1")!;
    // What the server refused is nowhere, and its own stats count only what it accepted.
    const todos = Object.entries(list).filter(([key]) => key.startsWith("todos/"));
    for (const [, value] of todos) {
      expect((value as { text: string }).text.length).toBeLessThanOrEqual(SERVER_MAX_TODO_TEXT);
    }
    expect(list["$$so/stats"]).toMatchObject({ added: expect.any(Number) as unknown });
    console.log(`todo convergence (seed ${t.seed}): ${todos.length} todos, ${JSON.stringify(t.stats)}`);
  }, 60_000);
});
