import type { SyncStatus } from "@synced-store/core";

/** What the update banner says, if anything. */
export interface UpdateNotice {
  /**
   * `reload`: this app's version is no longer served (or a newer one wrote this browser's data):
   * reloading loads the new version. `server_behind`: the server runs an older version than this
   * app (a rollback); edits stay queued until it is updated, and reloading would not help.
   */
  readonly kind: "reload" | "server_behind";
  readonly title: string;
  readonly detail: string;
}

/**
 * The notice for the statuses of the page's stores: a needed update wins over a server that is
 * behind, since only the first asks the user to act.
 */
export function updateNotice(statuses: readonly SyncStatus[]): UpdateNotice | null {
  const needed = statuses.find((s) => s.updateNeeded !== null)?.updateNeeded;
  if (needed) {
    return {
      kind: "reload",
      title: "A new version is available",
      detail:
        needed.reason === "persisted_newer"
          ? "A newer version of this app is open in this browser. Reload to use it; your edits are kept."
          : "Reload to update. Your edits are kept and sync after the reload.",
    };
  }
  if (statuses.some((s) => s.lastError?.code === "server_version_behind")) {
    return {
      kind: "server_behind",
      title: "The server runs an older version of this app",
      detail: "Your edits are kept on this device and sync once the server is updated.",
    };
  }
  return null;
}
