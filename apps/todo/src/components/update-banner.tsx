import type { Store } from "@synced-store/core";
import type { TodoDefinition } from "../shared/definition.js";
import { updateNotice } from "../update-notice.js";
import { useStatuses } from "../use-statuses.js";

/** Props of {@link UpdateBanner}. */
export interface UpdateBannerProps {
  /** The page's stores; any one of them can learn that the app must update. */
  stores: ReadonlyArray<Store<TodoDefinition>>;
  /** Loads the new version. @default `location.reload()` */
  onReload?: () => void;
}

/**
 * Says when this app's version and the server's no longer fit: "a new version is available"
 * with a Reload button (the server stopped serving this version), or, after a rollback of the
 * server, that edits are kept until it is updated. Nothing otherwise.
 */
export function UpdateBanner({ stores, onReload = () => location.reload() }: UpdateBannerProps) {
  const notice = updateNotice(useStatuses(stores));
  if (notice === null) return null;
  // An alert when the user has to act; a polite status when there is nothing to do but wait.
  return (
    <div
      role={notice.kind === "reload" ? "alert" : "status"}
      className={`update-banner update-${notice.kind}`}
      data-testid="update-banner"
      data-kind={notice.kind}
    >
      <p>
        <strong>{notice.title}.</strong> {notice.detail}
      </p>
      {notice.kind === "reload" && <button onClick={onReload}>Reload</button>}
    </div>
  );
}
