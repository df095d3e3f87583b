import type { Store } from "@synced-store/core";
import type { TodoDefinition } from "../shared/definition.js";
import { useStatuses } from "../use-statuses.js";

/** Props of {@link SyncIndicator}. */
export interface SyncIndicatorProps {
  /** The stores whose status is summed up (connection of the worst, pending of all). */
  stores: ReadonlyArray<Store<TodoDefinition>>;
}

/** Online / offline / syncing, with the number of local edits the server has not confirmed yet. */
export function SyncIndicator({ stores }: SyncIndicatorProps) {
  const statuses = useStatuses(stores);
  const pending = statuses.reduce((sum, s) => sum + s.pendingCount, 0);
  const offline = statuses.some((s) => s.connection === "offline");
  const connecting = statuses.some((s) => s.connection === "connecting");
  const syncing = statuses.some((s) => s.syncing);
  const state = offline ? "offline" : connecting ? "connecting" : syncing ? "syncing" : "online";
  const label = { offline: "Offline", connecting: "Connecting…", syncing: "Syncing", online: "Online" }[
    state
  ];
  // Why the last connection failed, if it did (e.g. the server refused the user).
  const error = statuses.find((s) => s.lastError !== null)?.lastError?.message;
  return (
    // A live region: screen readers hear "Offline" or "Online" as it changes, without moving focus.
    <div
      role="status"
      aria-live="polite"
      className={`sync sync-${state}`}
      data-testid="sync"
      data-state={state}
      data-pending={pending}
      title={error ?? `${pending} local edits not yet confirmed by the server`}
    >
      <span className="dot" aria-hidden />
      {label}
      {pending > 0 && <span className="pending"> · {pending} pending</span>}
    </div>
  );
}
