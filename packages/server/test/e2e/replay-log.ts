/**
 * Checks on the server-only log the notes store keeps (`$$so/log/{seq}`): what the server
 * accepted, in server order. Replaying it on an empty map must give the server's state.
 */
import { isServerOnlyKey } from "@synced-store/core/internal";
import { LogEntry } from "./notes-definition.js";

/** One accepted mutation, as logged by the server. */
export interface LoggedMutation {
  readonly client: string;
  readonly name: string;
  readonly args: Record<string, unknown>;
}

/** The log entries of a snapshot, in server order. */
export function serverLog(snapshot: Readonly<Record<string, unknown>>): LoggedMutation[] {
  return Object.keys(snapshot)
    .filter((k) => k.startsWith("$$so/log/"))
    .sort()
    .map((k) => LogEntry.parse(snapshot[k]) as LoggedMutation);
}

/**
 * The state that applying `log` in order to an empty space gives (no `$$so/` keys), with the
 * notes store's semantics written out independently of its mutators.
 */
export function replay(
  log: readonly LoggedMutation[],
  userOf: (clientId: string) => string,
): Record<string, unknown> {
  const state = new Map<string, unknown>();
  for (const { client, name, args } of log) {
    const user = userOf(client);
    if (name === "putNote") state.set(`notes/${String(args.id)}`, { id: args.id, text: args.text, by: user });
    else if (name === "deleteNote") state.delete(`notes/${String(args.id)}`);
    else if (name === "increment")
      state.set("counter", ((state.get("counter") as number | undefined) ?? 0) + Number(args.by));
    else if (name === "saveDraft") state.set(`$$pu/${user}/drafts/${String(args.id)}`, args.text);
    else throw new Error(`Unexpected mutation in the log: ${name}`);
  }
  return Object.fromEntries([...state].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The snapshot without its server-only keys, in key order. */
export function withoutServerOnly(snapshot: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(snapshot)
      .filter(([k]) => !isServerOnlyKey(k))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}
