import { defineStore, type ActionDefs, type MutatorDefs } from "@synced-store/core";
import { z } from "zod";
import { todo as v1 } from "../src/shared/definition.js";
import { Todo } from "../src/shared/schemas.js";

// Version 2 of the todo store, as the evolution e2e test deploys it: the browser loads this
// module in place of `src/shared/definition.ts` (see `StartTodoServerOptions.definition`), and
// the sync server runs it. Everything else of the app is unchanged, so the UI still calls
// `editTodo`, which version 2 no longer has: the test edits text under version 1 only.

export { appendAudit, DIRECTORY_INSTANCE } from "../src/shared/definition.js";

/** The field version 2 adds to every todo. */
export const Priority = z.enum(["low", "normal", "high"]);

/** A todo of version 2: a `priority`, "normal" where a caller or an older version gave none. */
export const TodoV2 = Todo.extend({ priority: Priority.default("normal") });

const { editTodo, ...unchanged } = v1.mutatorDefs;
const keys = { ...v1.keys, "todos/*": TodoV2 };
// Version 1's other mutators and its actions run unchanged over version 2's keys: none reads
// `priority`, and the schema's default fills it in on every write. TypeScript cannot tell that
// the two key maps agree on all they touch, hence the casts.
const v1Mutators = unchanged as unknown as MutatorDefs<typeof keys>;
const v1Actions = v1.actionDefs as unknown as ActionDefs<typeof keys>;

/** Version 2, serving clients of `minSupportedVersion` and newer (1 while old tabs are about). */
export function todoV2(minSupportedVersion: 1 | 2) {
  return defineStore({
    name: "todo",
    version: 2,
    minSupportedVersion,
    keys,
    upgrades: {
      2: {
        values: {
          // Version 1 clients are sent todos without the field they do not know.
          "todos/*": {
            up: (t: Todo) => ({ ...t, priority: "normal" }),
            down: ({ priority: _, ...t }: z.output<typeof TodoV2>) => t,
          },
        },
        // Queued `editTodo` calls (offline version 1 clients, persisted queues) become `setTodoText`.
        mutators: { editTodo: { to: "setTodoText" } },
      },
    },
  })
    .mutators({
      ...v1Mutators,
      /** Version 1's `editTodo`, renamed. */
      setTodoText: {
        args: editTodo.args,
        run: async (tx, { id, text }) => {
          await tx.update(`todos/${id}`, (t) => {
            t.text = text;
          });
        },
      },
    })
    .actions(() => v1Actions);
}

/** What the version 2 app opens its stores with. */
export const todo = todoV2(1);
