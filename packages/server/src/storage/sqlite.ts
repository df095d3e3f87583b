import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import { GroupCommitter } from "./sqlite-group-commit.js";
import type {
  ClientQuery,
  ClientRow,
  KeyChange,
  KeyRow,
  KeyWrite,
  RejectionBounds,
  RejectionRow,
  SpaceHead,
  Storage,
  StorageReader,
  StorageScanOptions,
  StorageTransaction,
} from "./storage.js";

/** Options of `openSqliteStorage`. */
export interface SqliteStorageOptions {
  /** Database file; created when missing. `":memory:"` for a private in-memory database. */
  path: string;
  /**
   * SQLite `synchronous` mode under WAL. `"FULL"` fsyncs the log on every commit, so an
   * acknowledged push survives power loss as well as a process crash. `"NORMAL"` skips that fsync
   * (survives a process crash, may lose the last commits on power loss) for more commits per second.
   * @default "FULL"
   */
  synchronous?: "FULL" | "NORMAL";
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS spaces (
  space TEXT PRIMARY KEY, history_id TEXT NOT NULL, version INTEGER NOT NULL, horizon INTEGER NOT NULL,
  schema_version INTEGER NOT NULL DEFAULT 1
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entries (
  space TEXT NOT NULL, key TEXT NOT NULL, value TEXT, version INTEGER NOT NULL,
  PRIMARY KEY (space, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entries_by_version ON entries (space, version);
CREATE TABLE IF NOT EXISTS clients (
  space TEXT NOT NULL, client_id TEXT NOT NULL, user_id TEXT NOT NULL,
  last_mutation_id INTEGER NOT NULL, version INTEGER NOT NULL,
  PRIMARY KEY (space, client_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS clients_by_user ON clients (space, user_id);
CREATE TABLE IF NOT EXISTS rejections (
  space TEXT NOT NULL, client_id TEXT NOT NULL, mutation_id INTEGER NOT NULL,
  code TEXT NOT NULL, message TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (space, client_id, mutation_id)
) WITHOUT ROWID;
`;

interface EntryRecord {
  key: string;
  value: string | null;
  version: number;
}
interface ClientRecord {
  client_id: string;
  user_id: string;
  last_mutation_id: number;
  version: number;
}
interface RejectionRecord {
  mutation_id: number;
  code: string;
  message: string;
}
interface HeadRecord {
  history_id: string;
  version: number;
  horizon: number;
  schema_version: number;
}

/**
 * `Storage` in one SQLite file (better-sqlite3, WAL journal): the embedded, durable default.
 * One connection serves every space; callbacks run one at a time (SQLite has a single writer
 * anyway), with group commit: transactions of different spaces queued together share one commit
 * and one fsync (see `GroupCommitter`). One process per file.
 * Keys are ordered by their UTF-8 bytes, which equals JS string order except between code points
 * above U+FFFF and U+E000–U+FFFF.
 */
export function openSqliteStorage(options: SqliteStorageOptions): Storage {
  const db = new Database(options.path);
  db.pragma("journal_mode = WAL");
  db.pragma(`synchronous = ${options.synchronous ?? "FULL"}`);
  db.pragma("busy_timeout = 5000");
  // Spaces are written all over their key range: a page cache much larger than the 2 MB default
  // keeps the B-tree pages of busy spaces in memory (64 MB, allocated only as used).
  db.pragma("cache_size = -65536");
  db.exec(SCHEMA);
  addSchemaVersionColumn(db);
  addRejectionVersionColumn(db);
  const statements = prepare(db);
  const committer = new GroupCommitter(db);
  let closed = false;
  const closedError = () => Promise.reject(new Error("Storage is closed"));

  return {
    transact: (spaceId, fn) =>
      closed ? closedError() : committer.submit(true, () => fn(new SqliteTransaction(statements, spaceId))),
    read: (spaceId, fn) =>
      closed
        ? closedError()
        : committer.submit(false, () => fn(new ReadOnly(new SqliteTransaction(statements, spaceId)))),
    spaces: (prefix) =>
      closed ? closedError() : committer.submit(false, () => Promise.resolve(spaceIds(statements, prefix))),
    async close() {
      closed = true;
      await committer.idle();
      db.close();
    },
    onCommit: (listener) => committer.onCommit(listener),
  };
}

type Statements = ReturnType<typeof prepare>;

function prepare(db: Database.Database) {
  return {
    head: db.prepare<[string], HeadRecord>(
      "SELECT history_id, version, horizon, schema_version FROM spaces WHERE space = ?",
    ),
    createSpace: db.prepare<[string, string]>(
      "INSERT INTO spaces (space, history_id, version, horizon, schema_version) VALUES (?, ?, 0, 0, 0)",
    ),
    setVersion: db.prepare<[number, string]>("UPDATE spaces SET version = ? WHERE space = ?"),
    setSchemaVersion: db.prepare<[number, string]>("UPDATE spaces SET schema_version = ? WHERE space = ?"),
    spaces: db.prepare<[string], { space: string }>(
      "SELECT space FROM spaces WHERE space >= ? ORDER BY space",
    ),
    raiseHorizon: db.prepare<[number, string, number]>(
      "UPDATE spaces SET horizon = ? WHERE space = ? AND horizon < ?",
    ),
    get: db.prepare<[string, string], EntryRecord>(
      "SELECT key, value, version FROM entries WHERE space = ? AND key = ? AND value IS NOT NULL",
    ),
    scanFrom: db.prepare<[string, string], EntryRecord>(
      "SELECT key, value, version FROM entries WHERE space = ? AND key >= ? AND value IS NOT NULL ORDER BY key",
    ),
    since: db.prepare<[string, number], EntryRecord>(
      "SELECT key, value, version FROM entries WHERE space = ? AND version > ? ORDER BY key",
    ),
    put: db.prepare<[string, string, string | null, number]>(
      "INSERT INTO entries (space, key, value, version) VALUES (?, ?, ?, ?) " +
        "ON CONFLICT (space, key) DO UPDATE SET value = excluded.value, version = excluded.version",
    ),
    collect: db.prepare<[string, number]>(
      "DELETE FROM entries WHERE space = ? AND value IS NULL AND version <= ?",
    ),
    getClient: db.prepare<[string, string], ClientRecord>(
      "SELECT client_id, user_id, last_mutation_id, version FROM clients WHERE space = ? AND client_id = ?",
    ),
    clients: db.prepare<{ space: string; since: number; user: string | null }, ClientRecord>(
      "SELECT client_id, user_id, last_mutation_id, version FROM clients " +
        "WHERE space = $space AND version > $since AND ($user IS NULL OR user_id = $user) ORDER BY client_id",
    ),
    rejections: db.prepare<[string, string, number], RejectionRecord>(
      "SELECT mutation_id, code, message FROM rejections WHERE space = ? AND client_id = ? AND mutation_id > ? ORDER BY mutation_id",
    ),
    putRejection: db.prepare<[string, string, number, string, string, number]>(
      "INSERT OR REPLACE INTO rejections (space, client_id, mutation_id, code, message, version) VALUES (?, ?, ?, ?, ?, ?)",
    ),
    // Running counts and byte sums, newest first, per client and over the space; rows past any
    // bound go. Bytes as `rejectionBytes` counts them (CAST AS BLOB: length in UTF-8 bytes).
    pruneRejections: db.prepare<{
      space: string;
      perClient: number;
      perClientBytes: number;
      perSpace: number;
      perSpaceBytes: number;
    }>(
      `DELETE FROM rejections WHERE space = $space AND (client_id, mutation_id) IN (
        SELECT client_id, mutation_id FROM (
          SELECT client_id, mutation_id,
            ROW_NUMBER() OVER c AS client_n, SUM(b) OVER c AS client_bytes,
            ROW_NUMBER() OVER s AS space_n, SUM(b) OVER s AS space_bytes
          FROM (
            SELECT client_id, mutation_id, version, length(CAST(client_id AS BLOB)) +
              length(CAST(code AS BLOB)) + length(CAST(message AS BLOB)) + 16 AS b
            FROM rejections WHERE space = $space
          )
          WINDOW c AS (PARTITION BY client_id ORDER BY mutation_id DESC),
            s AS (ORDER BY version DESC, client_id, mutation_id DESC)
        )
        WHERE client_n > $perClient OR client_bytes > $perClientBytes
          OR space_n > $perSpace OR space_bytes > $perSpaceBytes
      )`,
    ),
    putClient: db.prepare<[string, string, string, number, number]>(
      "INSERT OR REPLACE INTO clients (space, client_id, user_id, last_mutation_id, version) VALUES (?, ?, ?, ?, ?)",
    ),
  };
}

class SqliteTransaction implements StorageTransaction {
  constructor(
    private readonly s: Statements,
    private readonly space: string,
  ) {}

  head(): Promise<SpaceHead> {
    let row = this.s.head.get(this.space);
    if (row === undefined) {
      this.s.createSpace.run(this.space, randomUUID());
      row = this.s.head.get(this.space)!;
    }
    return Promise.resolve(toHead(row));
  }

  peekHead(): Promise<SpaceHead | undefined> {
    const row = this.s.head.get(this.space);
    return Promise.resolve(row && toHead(row));
  }

  get(key: string): Promise<KeyRow | undefined> {
    const row = this.s.get.get(this.space, key);
    return Promise.resolve(row && toKeyRow(row));
  }

  scan(options: StorageScanOptions = {}): Promise<KeyRow[]> {
    const prefix = options.prefix ?? "";
    const start = options.start ?? "";
    const limit = options.limit ?? Infinity;
    const out: KeyRow[] = [];
    if (limit <= 0) return Promise.resolve(out);
    for (const row of this.s.scanFrom.iterate(this.space, start > prefix ? start : prefix)) {
      if (!row.key.startsWith(prefix)) break;
      out.push(toKeyRow(row));
      if (out.length >= limit) break;
    }
    return Promise.resolve(out);
  }

  snapshot(): Promise<KeyRow[]> {
    return this.scan();
  }

  changesSince(version: number): Promise<KeyChange[]> {
    return Promise.resolve(
      this.s.since
        .all(this.space, version)
        .map((r): KeyChange =>
          r.value === null
            ? { key: r.key, version: r.version, deleted: true }
            : { key: r.key, version: r.version, deleted: false, value: JSON.parse(r.value) as unknown },
        ),
    );
  }

  getClient(clientId: string): Promise<ClientRow | undefined> {
    const row = this.s.getClient.get(this.space, clientId);
    return Promise.resolve(row && toClientRow(row));
  }

  clients(query: ClientQuery = {}): Promise<ClientRow[]> {
    const rows = this.s.clients.all({
      space: this.space,
      since: query.sinceVersion ?? -1,
      user: query.userId ?? null,
    });
    return Promise.resolve(rows.map(toClientRow));
  }

  rejections(clientId: string, afterMutationId: number): Promise<RejectionRow[]> {
    return Promise.resolve(
      this.s.rejections
        .all(this.space, clientId, afterMutationId)
        .map((r) => ({ clientId, mutationId: r.mutation_id, code: r.code, message: r.message })),
    );
  }

  async putRejections(
    version: number,
    rows: readonly RejectionRow[],
    bounds: RejectionBounds,
  ): Promise<void> {
    await this.head();
    for (const r of rows) {
      this.s.putRejection.run(this.space, r.clientId, r.mutationId, r.code, r.message, version);
    }
    this.s.pruneRejections.run({ space: this.space, ...bounds });
  }

  async putKeys(version: number, writes: readonly KeyWrite[]): Promise<void> {
    await this.head();
    for (const w of writes) {
      this.s.put.run(this.space, w.key, w.deleted ? null : JSON.stringify(w.value), version);
    }
  }

  async putClients(rows: readonly ClientRow[]): Promise<void> {
    await this.head();
    for (const r of rows) this.s.putClient.run(this.space, r.clientId, r.userId, r.lastMutationId, r.version);
  }

  async setVersion(version: number): Promise<void> {
    await this.head();
    this.s.setVersion.run(version, this.space);
  }

  async setSchemaVersion(schemaVersion: number): Promise<void> {
    await this.head();
    this.s.setSchemaVersion.run(schemaVersion, this.space);
  }

  async collectTombstones(horizon: number): Promise<void> {
    await this.head();
    this.s.collect.run(this.space, horizon);
    this.s.raiseHorizon.run(horizon, this.space, horizon);
  }
}

/** The reader face of a transaction: `head` never creates the space. */
class ReadOnly implements StorageReader {
  constructor(private readonly tx: SqliteTransaction) {}
  head = () => this.tx.peekHead();
  get = (key: string) => this.tx.get(key);
  scan = (options?: StorageScanOptions) => this.tx.scan(options);
  snapshot = () => this.tx.snapshot();
  changesSince = (version: number) => this.tx.changesSince(version);
  getClient = (clientId: string) => this.tx.getClient(clientId);
  clients = (query?: ClientQuery) => this.tx.clients(query);
  rejections = (clientId: string, afterMutationId: number) => this.tx.rejections(clientId, afterMutationId);
}

function toHead(row: HeadRecord): SpaceHead {
  return {
    historyId: row.history_id,
    version: row.version,
    horizon: row.horizon,
    schemaVersion: row.schema_version,
  };
}

function spaceIds(s: Statements, prefix: string): string[] {
  const ids: string[] = [];
  for (const { space } of s.spaces.iterate(prefix)) {
    if (!space.startsWith(prefix)) break;
    ids.push(space);
  }
  return ids;
}

/** Files written before spaces had a schema version get the column (their data is version 1). */
/** Files made before rejections were collected per space lack the version that orders them. */
function addRejectionVersionColumn(db: Database.Database): void {
  const columns = db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('rejections')").all();
  if (!columns.some((c) => c.name === "version")) {
    db.exec("ALTER TABLE rejections ADD COLUMN version INTEGER NOT NULL DEFAULT 0");
  }
}

function addSchemaVersionColumn(db: Database.Database): void {
  const columns = db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('spaces')").all();
  if (!columns.some((c) => c.name === "schema_version")) {
    db.exec("ALTER TABLE spaces ADD COLUMN schema_version INTEGER NOT NULL DEFAULT 1");
  }
}

function toKeyRow(row: EntryRecord): KeyRow {
  return { key: row.key, value: JSON.parse(row.value!) as unknown, version: row.version };
}

function toClientRow(row: ClientRecord): ClientRow {
  return {
    clientId: row.client_id,
    userId: row.user_id,
    lastMutationId: row.last_mutation_id,
    version: row.version,
  };
}
