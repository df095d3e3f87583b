import pg, { type PoolClient } from "pg";
import { REJECTIONS_AFTER, type RejectionRecord } from "./postgres-rejections.js";
import type {
  ClientQuery,
  ClientRow,
  KeyChange,
  KeyRow,
  RejectionRow,
  SpaceHead,
  StorageReader,
  StorageScanOptions,
} from "./storage.js";

/** A `synced_store_keys` row as pg returns it (bigint arrives as a string). */
export interface KeyRecord {
  key: string;
  value: string | null;
  version: string;
}
export interface ClientRecord {
  client_id: string;
  user_id: string;
  last_mutation_id: string;
  version: string;
}
/** A `synced_store_spaces` row as pg returns it. */
export interface HeadRecord {
  history_id: string;
  version: string;
  horizon: string;
  schema_version: string;
}

const { escapeLiteral } = pg;

/** The columns of a head row, as every head query selects them. */
export const HEAD_COLUMNS = "history_id, version, horizon, schema_version";

// Named statements are parsed once per connection and reused by every later call.
const Q = {
  head: `SELECT ${HEAD_COLUMNS} FROM synced_store_spaces WHERE space_id = $1`,
  get: "SELECT key, value, version FROM synced_store_keys WHERE space_id = $1 AND key = $2",
  scan: `SELECT key, value, version FROM synced_store_keys
    WHERE space_id = $1 AND key >= $2 AND ($3::text IS NULL OR key < $3) AND value IS NOT NULL
    ORDER BY key LIMIT $4`,
  changes: `SELECT key, value, version FROM synced_store_keys
    WHERE space_id = $1 AND version > $2 ORDER BY key`,
  client: `SELECT client_id, user_id, last_mutation_id, version FROM synced_store_clients
    WHERE space_id = $1 AND client_id = $2`,
  clients: `SELECT client_id, user_id, last_mutation_id, version FROM synced_store_clients
    WHERE space_id = $1 AND version > $2 AND ($3::text IS NULL OR user_id = $3) ORDER BY client_id`,
  rejections: REJECTIONS_AFTER,
} as const;

/** The key and client rows changed after `since`, read with the round trip that opened the transaction. */
export interface PrefetchedChanges {
  readonly since: number;
  readonly keys: readonly KeyRecord[];
  readonly clients: readonly ClientRecord[];
}

/**
 * The statements that read what `changesSince(since)` and `clients({ sinceVersion: since })`
 * return, as two literal SQL statements to join those opening a transaction (see
 * `PrefetchedChanges`).
 */
export function prefetchChangesSql(spaceId: string, since: number): [keys: string, clients: string] {
  const space = escapeLiteral(spaceId);
  const v = Math.floor(since);
  return [
    `SELECT key, value, version FROM synced_store_keys WHERE space_id = ${space} AND version > ${v} ORDER BY key`,
    `SELECT client_id, user_id, last_mutation_id, version FROM synced_store_clients
      WHERE space_id = ${space} AND version > ${v} ORDER BY client_id`,
  ];
}

/** The prefetched changes among the results of the opening round trip, from result `at` on. */
export function prefetched(
  since: number | undefined,
  begun: readonly pg.QueryResult[],
  at: number,
): PrefetchedChanges | undefined {
  const keys = begun[at]?.rows as KeyRecord[] | undefined;
  const clients = begun[at + 1]?.rows as ClientRecord[] | undefined;
  return since === undefined || keys === undefined || clients === undefined
    ? undefined
    : { since, keys, clients };
}

/**
 * Reads of one space over one pooled connection. The caller opens and ends the surrounding SQL
 * transaction, which is what makes the reads consistent with each other.
 */
export class PostgresReader implements StorageReader {
  #changes: PrefetchedChanges | undefined;
  #clientsSince: PrefetchedChanges | undefined;

  /**
   * `prefetched.head`: the head as read at the start of the surrounding transaction;
   * `prefetched.changes`: rows changed since a version, read then too (each answers one call).
   */
  constructor(
    protected readonly client: PoolClient,
    protected readonly spaceId: string,
    private readonly prefetched?: {
      readonly head: SpaceHead | undefined;
      readonly changes?: PrefetchedChanges | undefined;
    },
  ) {
    this.#changes = prefetched?.changes;
    this.#clientsSince = prefetched?.changes;
  }

  /** Forgets the prefetched changes: the transaction wrote since, they may be out of date. */
  protected dropPrefetched(): void {
    this.#changes = undefined;
    this.#clientsSince = undefined;
  }

  protected async query<R extends object>(name: keyof typeof Q, values: unknown[]): Promise<R[]> {
    const result = await this.client.query<R>({ name: `synced_store_${name}`, text: Q[name], values });
    return result.rows;
  }

  async head(): Promise<SpaceHead | undefined> {
    if (this.prefetched) return this.prefetched.head;
    const [row] = await this.query<HeadRecord>("head", [this.spaceId]);
    return toHead(row);
  }

  async get(key: string): Promise<KeyRow | undefined> {
    const [row] = await this.query<KeyRecord>("get", [this.spaceId, key]);
    return row?.value == null ? undefined : toKeyRow(row);
  }

  async scan(options: StorageScanOptions = {}): Promise<KeyRow[]> {
    const prefix = options.prefix ?? "";
    const start = options.start ?? "";
    const limit = options.limit === undefined ? null : Math.max(0, Math.floor(options.limit));
    const from = start > prefix ? start : prefix;
    const rows = await this.query<KeyRecord>("scan", [this.spaceId, from, prefixEnd(prefix), limit]);
    return rows.map(toKeyRow);
  }

  snapshot(): Promise<KeyRow[]> {
    return this.scan();
  }

  async changesSince(version: number): Promise<KeyChange[]> {
    const prefetched = this.#changes?.since === version ? this.#changes.keys : undefined;
    this.#changes = undefined;
    const rows = prefetched ?? (await this.query<KeyRecord>("changes", [this.spaceId, version]));
    return rows.map((row) =>
      row.value === null
        ? { key: row.key, version: Number(row.version), deleted: true }
        : {
            key: row.key,
            version: Number(row.version),
            deleted: false,
            value: JSON.parse(row.value) as unknown,
          },
    );
  }

  async getClient(clientId: string): Promise<ClientRow | undefined> {
    const [row] = await this.query<ClientRecord>("client", [this.spaceId, clientId]);
    return row && toClientRow(row);
  }

  async clients(query: ClientQuery = {}): Promise<ClientRow[]> {
    const since = this.#clientsSince;
    if (since !== undefined && query.userId === undefined && since.since === query.sinceVersion) {
      this.#clientsSince = undefined;
      return since.clients.map(toClientRow);
    }
    const rows = await this.query<ClientRecord>("clients", [
      this.spaceId,
      query.sinceVersion ?? -1,
      query.userId ?? null,
    ]);
    return rows.map(toClientRow);
  }

  async rejections(clientId: string, afterMutationId: number): Promise<RejectionRow[]> {
    const rows = await this.query<RejectionRecord>("rejections", [this.spaceId, clientId, afterMutationId]);
    return rows.map((r) => ({
      clientId,
      mutationId: Number(r.mutation_id),
      code: r.code,
      message: r.message,
    }));
  }
}

/** The head of a `synced_store_spaces` row; undefined for no row. */
export function toHead(row: HeadRecord | undefined): SpaceHead | undefined {
  return (
    row && {
      historyId: row.history_id,
      version: Number(row.version),
      horizon: Number(row.horizon),
      schemaVersion: Number(row.schema_version),
    }
  );
}

/** A live key row; the caller has checked that `value` is not null. */
export function toKeyRow(row: KeyRecord): KeyRow {
  return { key: row.key, value: JSON.parse(row.value!) as unknown, version: Number(row.version) };
}

function toClientRow(row: ClientRecord): ClientRow {
  return {
    clientId: row.client_id,
    userId: row.user_id,
    lastMutationId: Number(row.last_mutation_id),
    version: Number(row.version),
  };
}

/**
 * The smallest string greater than every string starting with `prefix`, in code point order
 * (how the "C" collation sorts UTF-8), or null when there is none. Scanning `[prefix, end)`
 * then uses the primary key index and stops at the prefix's last key.
 */
export function prefixEnd(prefix: string): string | null {
  const points = [...prefix];
  while (points.length > 0) {
    const last = points.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) {
      // Skip the surrogate block: those code points are not valid in UTF-8.
      const next = last + 1 === 0xd800 ? 0xe000 : last + 1;
      return points.join("") + String.fromCodePoint(next);
    }
  }
  return null;
}
