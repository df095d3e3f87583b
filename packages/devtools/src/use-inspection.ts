import type { Inspection, StoreInspector } from "@synced-store/core";
import { useSyncExternalStore } from "react";

/** The inspector's snapshot, re-rendering when it changes (at most once per throttle interval). */
export function useInspection(inspector: StoreInspector): Inspection {
  return useSyncExternalStore(
    (listener) => inspector.subscribe(listener),
    () => inspector.snapshot(),
  );
}
