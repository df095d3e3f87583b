import type { AnyStoreDefinition, MutationRejectedError, Store } from "@synced-store/core";

/**
 * The server rejections of one store that the UI has not dismissed yet, oldest first. Kept per
 * store (not per component) so a rejection that arrives before a component mounts is still shown,
 * and dismissing it in one place dismisses it everywhere.
 */
export class RejectionLog {
  private entries: readonly MutationRejectedError[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(
    store: Store<AnyStoreDefinition>,
    /** Oldest rejections are dropped past this many. @default 100 */
    private readonly limit = 100,
  ) {
    store.onRejection((error) => {
      this.replace([...this.entries, error].slice(-this.limit));
    });
  }

  /** Undismissed rejections; a new array after each change. */
  getSnapshot = (): readonly MutationRejectedError[] => this.entries;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Removes one rejection. */
  dismiss = (rejection: MutationRejectedError): void => {
    if (this.entries.includes(rejection)) this.replace(this.entries.filter((e) => e !== rejection));
  };

  /** Removes every rejection. */
  dismissAll = (): void => {
    if (this.entries.length > 0) this.replace([]);
  };

  private replace(next: readonly MutationRejectedError[]): void {
    this.entries = next;
    for (const listener of [...this.listeners]) listener();
  }
}

const logs = new WeakMap<Store<AnyStoreDefinition>, RejectionLog>();

/** The rejection log of `store`, made (and listening) on first use. */
export function rejectionLogFor(store: Store<AnyStoreDefinition>): RejectionLog {
  let log = logs.get(store);
  if (!log) {
    log = new RejectionLog(store);
    logs.set(store, log);
  }
  return log;
}
