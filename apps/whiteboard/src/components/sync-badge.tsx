import { useSyncStatus } from "@synced-store/react";

/** Online / offline / syncing, with the number of edits the server has not confirmed yet. */
export function SyncBadge() {
  const status = useSyncStatus();
  const state = status.connection !== "online" ? status.connection : status.syncing ? "syncing" : "online";
  const label = { offline: "Offline", connecting: "Connecting…", syncing: "Syncing", online: "Online" }[
    state
  ];
  return (
    <div
      className={`sync sync-${state}`}
      data-testid="sync"
      // A live region: screen readers hear "Offline" or "Online" as it changes.
      role="status"
      aria-live="polite"
      data-state={state}
      data-pending={status.pendingCount}
      // Why the last connection failed, if it did (e.g. the server refused the user).
      title={
        status.lastError?.message ?? `${status.pendingCount} local edits not yet confirmed by the server`
      }
    >
      <span className="dot" aria-hidden />
      {label}
      {status.pendingCount > 0 && <span className="pending"> · {status.pendingCount} pending</span>}
    </div>
  );
}
