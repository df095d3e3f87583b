import { z } from "zod";

/**
 * Value schemas of the todo app. The client accepts todo text up to {@link MAX_TODO_TEXT}
 * characters; the server is stricter ({@link SERVER_MAX_TODO_TEXT}, see
 * `server/server-definition.ts`), to show a rejection.
 */

/** Longest todo text the client's mutators accept. */
export const MAX_TODO_TEXT = 500;

/**
 * Longest todo text the server accepts: stricter than the client (asymmetric trust), so longer
 * texts are rejected. One constant: the server enforces it and the UI shows it before a submit.
 */
export const SERVER_MAX_TODO_TEXT = 120;

/** Ids are client-made (uuid or similar): mutators must be deterministic, so ids come in args. */
export const Id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, "ids use letters, digits, _ and -");

/** One todo, at `todos/{id}` in a list's space. */
export const Todo = z.object({
  id: Id,
  text: z.string().trim().min(1).max(MAX_TODO_TEXT),
  done: z.boolean(),
  /** Position in the list: todos sort by it; a move picks a value between two neighbours. */
  order: z.number(),
  createdBy: z.string(),
  createdAt: z.number(),
});
export type Todo = z.infer<typeof Todo>;

/** One list in the directory space (`todo/lists`), at `lists/{id}`; its todos live in `todo/{id}`. */
export const TodoList = z.object({
  id: Id,
  name: z.string().trim().min(1).max(80),
  createdBy: z.string(),
  createdAt: z.number(),
});
export type TodoList = z.infer<typeof TodoList>;

/**
 * Left in a list's space (at `deleted`) when the list is deleted: its data is gone, and everyone
 * still inside the list, or coming back to it, is sent out with this notice.
 */
export const ListTombstone = z.object({ name: z.string(), by: z.string(), at: z.number() });
export type ListTombstone = z.infer<typeof ListTombstone>;

/** Which todos a user sees in a list: private to the user (`$$pu/{user}/filter`). */
export const Filter = z.enum(["all", "active", "done"]);
export type Filter = z.infer<typeof Filter>;

/** Accent colours a user can pick. */
export const ACCENTS = ["indigo", "teal", "rose", "amber"] as const;

/** A user's preferences, private (`$$pu/{user}/prefs` in the directory space). */
export const Prefs = z.object({ accent: z.enum(ACCENTS) });
export type Prefs = z.infer<typeof Prefs>;

/** Server-only running totals of a list (`$$so/stats`): only actions can show them. */
export const Stats = z.object({ added: z.number().int(), cleared: z.number().int() });
export type Stats = z.infer<typeof Stats>;

/** One server-only audit entry (`$$so/audit/{time}-{id}`). */
export const AuditEntry = z.object({
  at: z.number(),
  userId: z.string(),
  what: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
