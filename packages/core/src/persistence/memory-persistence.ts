import type {
  PersistBatch,
  Persistence,
  PersistenceProvider,
  PersistedMeta,
  PersistedMutation,
  PersistedState,
} from "../kv/persistence.js";

interface MemoryState {
  meta: PersistedMeta | undefined;
  readonly base: Map<string, unknown>;
  readonly pending: Map<number, PersistedMutation>;
}

/**
 * In-memory persistence: state survives closing and reopening a store within this provider (one
 * process), which is what tests and server-side clients need. Writes apply synchronously.
 */
export class MemoryPersistenceProvider implements PersistenceProvider {
  readonly #states = new Map<string, MemoryState>();

  open(name: string): Persistence {
    let state = this.#states.get(name);
    if (state === undefined) {
      state = { meta: undefined, base: new Map(), pending: new Map() };
      this.#states.set(name, state);
    }
    return new MemoryPersistence(state);
  }

  /** Names opened so far. */
  names(): string[] {
    return [...this.#states.keys()];
  }
}

/** Creates an in-memory persistence provider. */
export function memoryPersistence(): MemoryPersistenceProvider {
  return new MemoryPersistenceProvider();
}

class MemoryPersistence implements Persistence {
  constructor(private readonly state: MemoryState) {}

  load(): Promise<PersistedState | undefined> {
    const { meta, base, pending } = this.state;
    if (meta === undefined) return Promise.resolve(undefined);
    return Promise.resolve({
      meta,
      base: [...base],
      pending: [...pending.values()].sort((a, b) => a.id - b.id),
    });
  }

  write(batch: PersistBatch): Promise<void> {
    applyBatch(this.state, batch);
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

function applyBatch(state: MemoryState, batch: PersistBatch): void {
  if (batch.meta) state.meta = batch.meta;
  if (batch.resetBase) state.base.clear();
  for (const key of batch.baseDel ?? []) state.base.delete(key);
  for (const [key, value] of batch.baseSet ?? []) state.base.set(key, value);
  for (const id of batch.pendingDel ?? []) state.pending.delete(id);
  for (const m of batch.pendingPut ?? []) state.pending.set(m.id, m);
}
