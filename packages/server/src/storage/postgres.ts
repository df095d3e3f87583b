import pg from "pg";
import { SpaceQueue } from "../util/space-queue.js";
import { addCommitListener, notifyCommit, type CommitListeners } from "./commit-listeners.js";
import { migratePostgres } from "./postgres-schema.js";
import { PostgresGroupCommitter, type Ending } from "./postgres-group-commit.js";
import { PostgresReadGroup } from "./postgres-read-group.js";
import type { Storage, StorageAccessHints } from "./storage.js";

/** Options of `openPostgresStorage`. Give `connectionString` or `pool`. */
export interface PostgresStorageOptions {
  /** `postgres://user@host:port/database`. Ignored when `pool` is given. */
  connectionString?: string;
  /** A pool to use instead of creating one; the caller owns it (`close` does not end it). */
  pool?: pg.Pool;
  /** Size of the pool this storage creates. @default 10 */
  maxConnections?: number;
  /**
   * A transaction left idle this long (a hung process holding a space's lock) is aborted by the
   * database, which frees the space for the other processes. 0 disables. @default 30_000
   */
  idleTransactionTimeoutMs?: number;
  /** Create or upgrade the schema on open. @default true */
  migrate?: boolean;
  /** Errors of idle pooled connections, which would otherwise crash the process. @default ignore */
  onError?: (error: unknown) => void;
}

/** First half of the two-int advisory lock key of a space ("SSSP"). */
const SPACE_LOCK_CLASS = 0x5353_5350;

/**
 * `Storage` on PostgreSQL, for several server processes sharing one database.
 *
 * Each `transact` runs in an SQL transaction that first takes
 * `pg_advisory_xact_lock(class, hash(spaceId))`: transactions of one space never overlap, in
 * this process or any other, and the lock is released by COMMIT or ROLLBACK even when the
 * connection dies. Callbacks of different spaces queued together share one SQL transaction and
 * one COMMIT (see `PostgresGroupCommitter`). Inside one process, transactions of one space also queue before taking a
 * connection, so a busy space cannot hold the whole pool while it waits for its own lock.
 * `read` runs in a REPEATABLE READ, READ ONLY transaction: one consistent snapshot (shared by
 * reads queued together, see `PostgresReadGroup`).
 *
 * Keys sort by code point (collation "C"), like the SQLite storage; keys containing U+0000 are
 * refused, PostgreSQL text cannot hold them. A space id plus a key must fit one B-tree entry
 * (2,704 bytes of UTF-8): the engine's default limits (512 + 1,024 bytes) keep them well within.
 */
export async function openPostgresStorage(options: PostgresStorageOptions): Promise<Storage> {
  const ownPool = !options.pool;
  const pool =
    options.pool ??
    new pg.Pool({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 10,
      idle_in_transaction_session_timeout: options.idleTransactionTimeoutMs ?? 30_000,
    });
  const onError = options.onError ?? (() => undefined);
  if (ownPool) pool.on("error", onError);
  try {
    if (options.migrate ?? true) await migratePostgres(pool);
  } catch (error) {
    if (ownPool) await pool.end();
    throw error;
  }
  const queue = new SpaceQueue();
  const commitListeners: CommitListeners = new Set();
  let closed = false;
  const check = () => {
    if (closed) throw new Error("Storage is closed");
  };

  /**
   * Runs `body` after `begin`, then the SQL it returns to commit (its last writes and COMMIT, one
   * round trip), on a pooled connection; rolls back when it throws.
   * A read-only transaction resolves as soon as `body` has its result: its COMMIT changes nothing,
   * so it finishes in the background and the connection returns to the pool after it.
   */
  async function inTransaction<T>(
    begin: string,
    body: (client: pg.PoolClient, begun: pg.QueryResult[]) => Promise<Ending<T>>,
    readOnly = false,
  ): Promise<T> {
    try {
      return await runOnce(begin, body, readOnly);
    } catch (error) {
      // A pooled connection can die while idle (database restart, killed backend) before the pool
      // notices; BEGIN is the first to find out, and nothing has run yet: retry once on a fresh one.
      if (!(error instanceof DeadAtBegin)) throw error;
      return runOnce(begin, body, readOnly).catch((again: unknown) => {
        throw again instanceof DeadAtBegin ? again.cause : again;
      });
    }
  }

  async function runOnce<T>(
    begin: string,
    body: (client: pg.PoolClient, begun: pg.QueryResult[]) => Promise<Ending<T>>,
    readOnly: boolean,
  ): Promise<T> {
    const client = await pool.connect();
    let broken: Error | undefined;
    // A checked-out client that loses its connection (killed backend, idle-in-transaction timeout)
    // emits "error"; unheard, that would crash the process. The pending query rejects anyway.
    const onClientError = (error: Error) => {
      broken = error;
      onError(error);
    };
    client.on("error", onClientError);
    let released = false;
    try {
      const begun = (await client.query(begin).catch((error: Error) => {
        throw connectionLost(error) ? new DeadAtBegin(error) : error;
      })) as pg.QueryResult | pg.QueryResult[];
      const ending = await body(client, Array.isArray(begun) ? begun : [begun]);
      const { result, commit } = ending;
      if (readOnly) {
        released = true;
        client.query(commit).then(
          () => {
            client.off("error", onClientError);
            client.release(broken);
          },
          (error: Error) => {
            client.off("error", onClientError);
            client.release(error);
          },
        );
        return result;
      }
      const started = performance.now();
      await client.query(commit);
      notifyCommit(commitListeners, {
        durationMs: performance.now() - started,
        transactions: ending.transactions,
      });
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch((rollbackError: Error) => {
        // The connection is unusable (killed, network): drop it from the pool.
        broken = rollbackError;
      });
      throw error;
    } finally {
      if (!released) {
        client.off("error", onClientError);
        client.release(broken);
      }
    }
  }

  const committer = new PostgresGroupCommitter(inTransaction, SPACE_LOCK_CLASS);
  const reads = new PostgresReadGroup(inTransaction);

  return {
    transact(spaceId, fn, hints) {
      check();
      const since = sinceOf(hints);
      return queue.run(spaceId, () => committer.submit(spaceId, hashSpaceId(spaceId), since, fn));
    },
    read(spaceId, fn, hints) {
      check();
      return reads.submit(spaceId, sinceOf(hints), fn);
    },
    async spaces(prefix) {
      check();
      const { rows } = await pool.query<{ space_id: string }>(
        "SELECT space_id FROM synced_store_spaces WHERE left(space_id, length($1)) = $1 ORDER BY space_id",
        [prefix],
      );
      return rows.map((r) => r.space_id);
    },
    async close() {
      if (closed) return;
      closed = true;
      await queue.idle();
      if (ownPool) await pool.end();
    },
    onCommit: (listener) => addCommitListener(commitListeners, listener),
  };
}

/**
 * A signed 32-bit FNV-1a hash of the space id: the second half of its advisory lock key. Two
 * spaces that share a hash only take turns, which costs throughput, never correctness.
 */
export function hashSpaceId(spaceId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < spaceId.length; i++) {
    hash ^= spaceId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

/** The version to prefetch changes since, when the hint gives a usable one. */
function sinceOf(hints: StorageAccessHints | undefined): number | undefined {
  const since = hints?.changesSince;
  return since !== undefined && Number.isSafeInteger(since) && since >= 0 ? since : undefined;
}

/** BEGIN failed because the pooled connection was already dead: nothing ran, safe to retry. */
class DeadAtBegin extends Error {
  constructor(override readonly cause: Error) {
    super(cause.message);
  }
}

/** Whether `error` means the connection is gone (backend terminated, socket closed). */
function connectionLost(error: Error & { code?: string }): boolean {
  return (
    error.code === "57P01" || // admin_shutdown: pg_terminate_backend, server shutdown
    error.code === "57P02" || // crash_shutdown
    error.code === "ECONNRESET" ||
    error.code === "EPIPE" ||
    /Connection terminated|connection error|not queryable/i.test(error.message)
  );
}
