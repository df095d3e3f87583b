import type { StorageCommit } from "./storage.js";

/** The listeners of a storage's `onCommit`. */
export type CommitListeners = Set<(commit: StorageCommit) => void>;

/** Adds `listener` (the same function twice counts twice); returns its removal. */
export function addCommitListener(
  listeners: CommitListeners,
  listener: (commit: StorageCommit) => void,
): () => void {
  const entry = (commit: StorageCommit) => listener(commit);
  listeners.add(entry);
  return () => void listeners.delete(entry);
}

/** Tells every listener of `commit`. Listeners observe; one that throws cannot undo a commit. */
export function notifyCommit(listeners: CommitListeners, commit: StorageCommit): void {
  for (const listener of listeners) {
    try {
      listener(commit);
    } catch {
      // Ignored on purpose: the commit is durable and its callers are already answered.
    }
  }
}
