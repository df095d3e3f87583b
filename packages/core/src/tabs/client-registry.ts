/**
 * The client ids that the tabs of one browser have used for one space and user, kept in storage
 * all tabs share. A new tab reuses a listed id whose tab is gone (taking over its persisted base
 * and pending mutations), so the list stays as long as the most tabs ever open at once.
 */
export interface ClientRegistry {
  /** Every registered id, oldest first. */
  list(): Promise<string[]>;
  /** Registers `clientId` (no effect if listed). Must be atomic with respect to other tabs. */
  add(clientId: string): Promise<void>;
}

/** A registry in memory: tabs are stores of one process sharing the instance. */
export function memoryClientRegistry(): ClientRegistry {
  const ids: string[] = [];
  return {
    list: () => Promise.resolve([...ids]),
    add(clientId) {
      if (!ids.includes(clientId)) ids.push(clientId);
      return Promise.resolve();
    },
  };
}
