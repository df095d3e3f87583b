import type { AnyStoreDefinition, MutationRejectedError, Store } from "@synced-store/core";
import { useSyncExternalStore } from "react";
import { rejectionLogFor } from "./rejection-log.js";
import { useStore } from "./store-provider.js";

/** What {@link useRejections} returns. */
export interface Rejections {
  /** Server rejections not dismissed yet, oldest first; each has `code`, `message`, `mutatorName`. */
  readonly rejections: readonly MutationRejectedError[];
  /** Hides one rejection (for every component of this store). */
  readonly dismiss: (rejection: MutationRejectedError) => void;
  /** Hides all of them. */
  readonly dismissAll: () => void;
}

/**
 * Mutations the server rejected, with the reason, for a toast or an inline message. The log
 * starts listening when the store is first handed to `StoreProvider` or to this hook.
 */
export function useRejections<D extends AnyStoreDefinition>(store?: Store<D>): Rejections {
  const log = rejectionLogFor(useStore(store) as unknown as Store<AnyStoreDefinition>);
  const rejections = useSyncExternalStore(log.subscribe, log.getSnapshot, log.getSnapshot);
  return { rejections, dismiss: log.dismiss, dismissAll: log.dismissAll };
}
