import { randomUUID } from "node:crypto";
import pg, { type PoolClient } from "pg";

const { escapeLiteral } = pg;
import { PostgresReader, type PrefetchedChanges } from "./postgres-reader.js";
import { rejectionsSql, type SpaceRejections } from "./postgres-rejections.js";
import type {
  ClientQuery,
  ClientRow,
  KeyChange,
  KeyRow,
  KeyWrite,
  RejectionBounds,
  RejectionRow,
  SpaceHead,
  StorageScanOptions,
  StorageTransaction,
} from "./storage.js";

/**
 * Every buffered write of a transaction in one statement (one round trip): keys, clients, and the
 * head row (created, or its versions set) when `$12` says so. Empty arrays insert nothing.
 */
const FLUSH = `WITH
  k AS (INSERT INTO synced_store_keys (space_id, key, value, version)
    SELECT $1, k, v, n FROM unnest($2::text[], $3::text[], $4::bigint[]) AS t(k, v, n)
    ON CONFLICT (space_id, key) DO UPDATE SET value = excluded.value, version = excluded.version),
  c AS (INSERT INTO synced_store_clients (space_id, client_id, user_id, last_mutation_id, version)
    SELECT $1, c, u, m, n FROM unnest($5::text[], $6::text[], $7::bigint[], $8::bigint[]) AS t(c, u, m, n)
    ON CONFLICT (space_id, client_id) DO UPDATE SET user_id = excluded.user_id,
      last_mutation_id = excluded.last_mutation_id, version = excluded.version)
INSERT INTO synced_store_spaces (space_id, history_id, version, horizon, schema_version)
  SELECT $1, $9, $10, $11, $13 WHERE $12::boolean
  ON CONFLICT (space_id) DO UPDATE SET version = excluded.version, schema_version = excluded.schema_version`;
/** A transaction's writes not yet sent, as rows of the tables (`s`: its space id). */
export interface BufferedWrites {
  readonly keys: ReadonlyArray<{ s: string; k: string; v: string | null; n: number }>;
  readonly clients: ReadonlyArray<{ s: string; c: string; u: string; m: number; n: number }>;
  readonly head: { s: string; h: string; v: number; z: number; q: number } | undefined;
  /** Rejections to store, with the bounds their space is then collected to. */
  readonly rejections: SpaceRejections | undefined;
}

/**
 * The writes of a group's transactions as one statement, the values as literals (the rows as
 * JSON): it goes in one simple query with COMMIT (which may hold several statements but no
 * parameters), so one round trip writes and commits, and PostgreSQL plans one statement however
 * large the group. When it fails, PostgreSQL skips the COMMIT and the caller rolls back.
 */
export function groupFlushSql(writes: readonly BufferedWrites[]): string {
  const json = (rows: unknown[]) => escapeLiteral(JSON.stringify(rows));
  const keys = json(writes.flatMap((w) => w.keys));
  const clients = json(writes.flatMap((w) => w.clients));
  const heads = json(writes.flatMap((w) => (w.head === undefined ? [] : [w.head])));
  const rejections = writes.flatMap((w) => (w.rejections === undefined ? [] : [w.rejections]));
  const rest = rejections.length === 0 ? "" : `;\n${rejectionsSql(rejections)}`;
  // Statements in WITH run whether or not the main statement reads them.
  return `WITH
  k AS (INSERT INTO synced_store_keys (space_id, key, value, version)
    SELECT t.s, t.k, t.v, t.n FROM json_to_recordset(${keys}::json) AS t(s text, k text, v text, n bigint)
    ON CONFLICT (space_id, key) DO UPDATE SET value = excluded.value, version = excluded.version),
  c AS (INSERT INTO synced_store_clients (space_id, client_id, user_id, last_mutation_id, version)
    SELECT t.s, t.c, t.u, t.m, t.n
      FROM json_to_recordset(${clients}::json) AS t(s text, c text, u text, m bigint, n bigint)
    ON CONFLICT (space_id, client_id) DO UPDATE SET user_id = excluded.user_id,
      last_mutation_id = excluded.last_mutation_id, version = excluded.version)
INSERT INTO synced_store_spaces (space_id, history_id, version, horizon, schema_version)
  SELECT t.s, t.h, t.v, t.z, t.q
    FROM json_to_recordset(${heads}::json) AS t(s text, h text, v bigint, z bigint, q bigint)
  ON CONFLICT (space_id) DO UPDATE SET version = excluded.version, schema_version = excluded.schema_version${rest}`;
}

const COLLECT = `DELETE FROM synced_store_keys WHERE space_id = $1 AND value IS NULL AND version <= $2`;
const RAISE_HORIZON = `UPDATE synced_store_spaces SET horizon = GREATEST(horizon, $2) WHERE space_id = $1`;

/** A key's state as this transaction knows it: `json` null for absent or deleted. */
interface CachedKey {
  readonly json: string | null;
  readonly version: number;
}

/**
 * A push transaction on one space. The caller holds the space's advisory lock, so no other
 * process writes the space meanwhile: rows read once can be cached, and writes are buffered and
 * sent in one statement per table at `flush` (before any range read, and before COMMIT). A batch
 * of mutations then costs a few round trips instead of one per key.
 */
export class PostgresTransaction extends PostgresReader implements StorageTransaction {
  #head: SpaceHead;
  /** The head row does not exist in the database yet: `flush` inserts it once the space is used. */
  #create: boolean;
  /** `head` or a write was called: a new space is created at commit (a read-only callback creates nothing). */
  #touched = false;
  #versionDirty = false;
  readonly #keys = new Map<string, CachedKey>();
  readonly #pendingKeys = new Map<string, CachedKey>();
  readonly #clients = new Map<string, ClientRow | null>();
  readonly #pendingClients = new Map<string, ClientRow>();
  /** Rejections not yet sent, by client and mutation id (a second write of one replaces it). */
  readonly #pendingRejections = new Map<string, RejectionRow & { readonly version: number }>();
  #rejectionBounds: RejectionBounds | undefined;

  /** `head` is the space's head read under the lock at the start of the transaction (undefined: no space yet). */
  readonly #beforeWrite: (() => Promise<void>) | undefined;

  /**
   * `beforeWrite` runs once before the transaction first writes to the database itself (a flush
   * before a range read, collecting tombstones): a group sets a savepoint there, so that this
   * callback alone can be rolled back.
   */
  constructor(
    client: PoolClient,
    spaceId: string,
    head: SpaceHead | undefined,
    changes?: PrefetchedChanges,
    beforeWrite?: () => Promise<void>,
  ) {
    super(client, spaceId, { head, changes });
    this.#beforeWrite = beforeWrite;
    this.#head = head ?? { historyId: randomUUID(), version: 0, horizon: 0, schemaVersion: 0 };
    this.#create = head === undefined;
  }

  override head(): Promise<SpaceHead> {
    this.#touched = true;
    return Promise.resolve(this.#head);
  }

  override async get(key: string): Promise<KeyRow | undefined> {
    let cached = this.#keys.get(key);
    if (!cached) {
      const row = await super.get(key);
      cached = row ? { json: JSON.stringify(row.value), version: row.version } : { json: null, version: 0 };
      this.#keys.set(key, cached);
    }
    return cached.json === null
      ? undefined
      : { key, value: JSON.parse(cached.json) as unknown, version: cached.version };
  }

  override async getClient(clientId: string): Promise<ClientRow | undefined> {
    if (!this.#clients.has(clientId)) this.#clients.set(clientId, (await super.getClient(clientId)) ?? null);
    const row = this.#clients.get(clientId);
    return row ? { ...row } : undefined;
  }

  override async scan(options?: StorageScanOptions): Promise<KeyRow[]> {
    await this.flush();
    return super.scan(options);
  }

  override async changesSince(version: number): Promise<KeyChange[]> {
    await this.flush();
    return super.changesSince(version);
  }

  override async clients(query?: ClientQuery): Promise<ClientRow[]> {
    await this.flush();
    return super.clients(query);
  }

  async putKeys(version: number, writes: readonly KeyWrite[]): Promise<void> {
    await this.head();
    for (const write of writes) {
      if (write.key.includes("\0"))
        throw new TypeError("PostgreSQL storage cannot store a key containing U+0000");
      const entry = { json: write.deleted ? null : JSON.stringify(write.value), version };
      this.#keys.set(write.key, entry);
      this.#pendingKeys.set(write.key, entry);
    }
  }

  async putRejections(
    version: number,
    rows: readonly RejectionRow[],
    bounds: RejectionBounds,
  ): Promise<void> {
    await this.head();
    for (const row of rows) {
      this.#pendingRejections.set(JSON.stringify([row.clientId, row.mutationId]), { ...row, version });
    }
    if (rows.length > 0) this.#rejectionBounds = bounds;
  }

  /** Reads the rows this transaction stored too (its buffered ones are sent first). */
  override async rejections(clientId: string, afterMutationId: number): Promise<RejectionRow[]> {
    const pending = this.#takeRejections();
    if (pending !== undefined) {
      await this.#wrote();
      await this.client.query(rejectionsSql([pending]));
    }
    return super.rejections(clientId, afterMutationId);
  }

  #takeRejections(): SpaceRejections | undefined {
    const bounds = this.#rejectionBounds;
    if (this.#pendingRejections.size === 0 || bounds === undefined) return undefined;
    const rows = [...this.#pendingRejections.values()];
    this.#pendingRejections.clear();
    return { spaceId: this.spaceId, rows, bounds };
  }

  async putClients(rows: readonly ClientRow[]): Promise<void> {
    await this.head();
    for (const row of rows) {
      this.#clients.set(row.clientId, { ...row });
      this.#pendingClients.set(row.clientId, { ...row });
    }
  }

  async setVersion(version: number): Promise<void> {
    const head = await this.head();
    this.#head = { ...head, version };
    this.#versionDirty = true;
  }

  async setSchemaVersion(schemaVersion: number): Promise<void> {
    const head = await this.head();
    this.#head = { ...head, schemaVersion };
    this.#versionDirty = true;
  }

  async collectTombstones(horizon: number): Promise<void> {
    const head = await this.head();
    await this.flush();
    this.dropPrefetched();
    await this.#wrote();
    await this.client.query(COLLECT, [this.spaceId, horizon]);
    await this.client.query(RAISE_HORIZON, [this.spaceId, horizon]);
    for (const [key, entry] of this.#keys) if (entry.json === null) this.#keys.delete(key);
    if (horizon > head.horizon) this.#head = { ...head, horizon };
  }

  /** Runs `beforeWrite` before the first write this transaction sends. */
  async #wrote(): Promise<void> {
    if (this.#wroteBefore) return;
    this.#wroteBefore = true;
    await this.#beforeWrite?.();
  }
  #wroteBefore = false;

  /**
   * Takes every buffered write, to be sent with the group's COMMIT (see `groupFlushSql`), or
   * undefined when nothing is buffered. Leaves nothing buffered.
   */
  takeWrites(): BufferedWrites | undefined {
    const head = this.#head;
    const writeHead = (this.#create && this.#touched) || this.#versionDirty;
    const rejections = this.#takeRejections();
    const none = this.#pendingKeys.size === 0 && this.#pendingClients.size === 0;
    if (!writeHead && none && rejections === undefined) return undefined;
    const s = this.spaceId;
    const keys = [...this.#pendingKeys].map(([k, e]) => ({ s, k, v: e.json, n: e.version }));
    const clients = [...this.#pendingClients.values()].map((r) => ({
      s,
      c: r.clientId,
      u: r.userId,
      m: r.lastMutationId,
      n: r.version,
    }));
    this.#pendingKeys.clear();
    this.#pendingClients.clear();
    this.#create = false;
    this.#versionDirty = false;
    return {
      keys,
      clients,
      head: writeHead
        ? { s, h: head.historyId, v: head.version, z: head.horizon, q: head.schemaVersion }
        : undefined,
      rejections,
    };
  }

  /** Sends every buffered write. Called before range reads. */
  async flush(): Promise<void> {
    const head = this.#head;
    const writeHead = (this.#create && this.#touched) || this.#versionDirty;
    if (!writeHead && this.#pendingKeys.size === 0 && this.#pendingClients.size === 0) return;
    const keys = [...this.#pendingKeys.keys()];
    const entries = [...this.#pendingKeys.values()];
    const clients = [...this.#pendingClients.values()];
    this.#pendingKeys.clear();
    this.#pendingClients.clear();
    this.dropPrefetched();
    this.#create = false;
    this.#versionDirty = false;
    await this.#wrote();
    await this.client.query({
      name: "synced_store_flush",
      text: FLUSH,
      values: [
        this.spaceId,
        keys,
        entries.map((e) => e.json),
        entries.map((e) => e.version),
        clients.map((r) => r.clientId),
        clients.map((r) => r.userId),
        clients.map((r) => r.lastMutationId),
        clients.map((r) => r.version),
        head.historyId,
        head.version,
        head.horizon,
        writeHead,
        head.schemaVersion,
      ],
    });
  }
}
