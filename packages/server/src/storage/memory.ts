import { randomUUID } from "node:crypto";
import { SpaceQueue } from "../util/space-queue.js";
import type {
  ClientQuery,
  ClientRow,
  KeyChange,
  KeyRow,
  KeyWrite,
  SpaceHead,
  Storage,
  StorageReader,
  StorageScanOptions,
  StorageTransaction,
} from "./storage.js";

/** A stored key row; `json` is undefined for a tombstone. Values are kept as JSON text so no caller can alias them. */
interface Row {
  readonly json: string | undefined;
  readonly version: number;
}

interface MemorySpace {
  head: SpaceHead;
  rows: Map<string, Row>;
  clients: Map<string, ClientRow>;
}

/**
 * `Storage` held in process memory: for tests, benchmarks and throw-away servers. Not durable.
 * Transactions of one space run one at a time; writes land in an overlay applied on commit.
 */
export function createMemoryStorage(): Storage {
  const spaces = new Map<string, MemorySpace>();
  const queue = new SpaceQueue();
  let closed = false;
  const check = () => {
    if (closed) throw new Error("Storage is closed");
  };
  return {
    transact(spaceId, fn) {
      check();
      return queue.run(spaceId, async () => {
        const tx = new MemoryTransaction(spaces.get(spaceId));
        const result = await fn(tx);
        const committed = tx.commit();
        if (committed) spaces.set(spaceId, committed);
        return result;
      });
    },
    read(spaceId, fn) {
      check();
      // A copy of the maps' current state: later commits replace rows, never mutate them.
      const space = spaces.get(spaceId);
      const frozen = space && {
        head: space.head,
        rows: new Map(space.rows),
        clients: new Map(space.clients),
      };
      return fn(new MemoryReader(frozen));
    },
    spaces(prefix) {
      check();
      return Promise.resolve([...spaces.keys()].filter((id) => id.startsWith(prefix)).sort());
    },
    async close() {
      closed = true;
      await queue.idle();
    },
  };
}

class MemoryReader implements StorageReader {
  constructor(protected committed: MemorySpace | undefined) {}

  protected headOf(): SpaceHead | undefined {
    return this.committed?.head;
  }
  protected rowOf(key: string): Row | undefined {
    return this.committed?.rows.get(key);
  }
  protected allKeys(): Iterable<string> {
    return this.committed?.rows.keys() ?? [];
  }
  protected clientOf(clientId: string): ClientRow | undefined {
    return this.committed?.clients.get(clientId);
  }
  protected allClients(): Iterable<ClientRow> {
    return this.committed?.clients.values() ?? [];
  }

  head(): Promise<SpaceHead | undefined> {
    return Promise.resolve(this.headOf());
  }

  get(key: string): Promise<KeyRow | undefined> {
    const row = this.rowOf(key);
    return Promise.resolve(row?.json === undefined ? undefined : toKeyRow(key, row));
  }

  scan(options: StorageScanOptions = {}): Promise<KeyRow[]> {
    const prefix = options.prefix ?? "";
    const start = options.start ?? "";
    const limit = options.limit ?? Infinity;
    const out: KeyRow[] = [];
    for (const key of this.#sortedKeys()) {
      if (out.length >= limit) break;
      if (key < start || !key.startsWith(prefix)) continue;
      const row = this.rowOf(key);
      if (row?.json !== undefined) out.push(toKeyRow(key, row));
    }
    return Promise.resolve(out);
  }

  snapshot(): Promise<KeyRow[]> {
    return this.scan();
  }

  changesSince(version: number): Promise<KeyChange[]> {
    const out: KeyChange[] = [];
    for (const key of this.#sortedKeys()) {
      const row = this.rowOf(key);
      if (row === undefined || row.version <= version) continue;
      out.push(
        row.json === undefined
          ? { key, version: row.version, deleted: true }
          : { key, version: row.version, deleted: false, value: JSON.parse(row.json) as unknown },
      );
    }
    return Promise.resolve(out);
  }

  getClient(clientId: string): Promise<ClientRow | undefined> {
    return Promise.resolve(this.clientOf(clientId));
  }

  clients(query: ClientQuery = {}): Promise<ClientRow[]> {
    const since = query.sinceVersion ?? -1;
    const rows = [...this.allClients()].filter(
      (c) => c.version > since && (query.userId === undefined || c.userId === query.userId),
    );
    return Promise.resolve(rows.sort((a, b) => (a.clientId < b.clientId ? -1 : 1)));
  }

  #sortedKeys(): string[] {
    return [...new Set(this.allKeys())].sort();
  }
}

/** Writes go to an overlay; `commit` folds it into the space in one synchronous step. */
class MemoryTransaction extends MemoryReader implements StorageTransaction {
  #head: SpaceHead | undefined;
  readonly #rows = new Map<string, Row>();
  readonly #clients = new Map<string, ClientRow>();
  #tombstoneHorizon = 0;

  constructor(committed: MemorySpace | undefined) {
    super(committed);
    this.#head = committed?.head;
  }

  /** Applies the overlay; returns the space to store, or undefined when nothing was touched. */
  commit(): MemorySpace | undefined {
    if (this.#head === undefined) return undefined;
    const space: MemorySpace = this.committed ?? { head: this.#head, rows: new Map(), clients: new Map() };
    space.head = this.#head;
    for (const [key, row] of this.#rows) space.rows.set(key, row);
    for (const [id, row] of this.#clients) space.clients.set(id, row);
    if (this.#tombstoneHorizon > 0) {
      for (const [key, row] of space.rows) {
        if (row.json === undefined && row.version <= this.#tombstoneHorizon) space.rows.delete(key);
      }
    }
    return space;
  }

  protected override headOf(): SpaceHead | undefined {
    return this.#head;
  }
  protected override rowOf(key: string): Row | undefined {
    const row = this.#rows.get(key) ?? super.rowOf(key);
    return row && row.json === undefined && row.version <= this.#tombstoneHorizon ? undefined : row;
  }
  protected override *allKeys(): Iterable<string> {
    yield* this.#rows.keys();
    for (const key of super.allKeys()) if (this.rowOf(key) !== undefined) yield key;
  }
  protected override clientOf(clientId: string): ClientRow | undefined {
    return this.#clients.get(clientId) ?? super.clientOf(clientId);
  }
  protected override *allClients(): Iterable<ClientRow> {
    yield* this.#clients.values();
    for (const row of super.allClients()) if (!this.#clients.has(row.clientId)) yield row;
  }

  override head(): Promise<SpaceHead> {
    this.#head ??= { historyId: randomUUID(), version: 0, horizon: 0, schemaVersion: 0 };
    return Promise.resolve(this.#head);
  }

  async putKeys(version: number, writes: readonly KeyWrite[]): Promise<void> {
    await this.head();
    for (const w of writes) {
      this.#rows.set(w.key, { json: w.deleted ? undefined : JSON.stringify(w.value), version });
    }
  }

  async putClients(rows: readonly ClientRow[]): Promise<void> {
    await this.head();
    for (const row of rows) this.#clients.set(row.clientId, { ...row });
  }

  async setVersion(version: number): Promise<void> {
    this.#head = { ...(await this.head()), version };
  }

  async setSchemaVersion(schemaVersion: number): Promise<void> {
    this.#head = { ...(await this.head()), schemaVersion };
  }

  async collectTombstones(horizon: number): Promise<void> {
    const head = await this.head();
    this.#tombstoneHorizon = Math.max(this.#tombstoneHorizon, horizon);
    if (horizon > head.horizon) this.#head = { ...head, horizon };
  }
}

function toKeyRow(key: string, row: Row): KeyRow {
  return { key, value: JSON.parse(row.json!) as unknown, version: row.version };
}
