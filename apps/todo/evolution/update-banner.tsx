import { useSyncStatus } from "@synced-store/react";

/** Shown when the server no longer serves this app's version: a reload fetches the new one. */
export function UpdateBanner() {
  const { updateNeeded } = useSyncStatus();
  if (updateNeeded === null) return null;
  return (
    <div role="alert">
      A new version of the app is available; your changes are kept.{" "}
      <button onClick={() => location.reload()}>Reload</button>
    </div>
  );
}
