import pg from "pg";
import { HEAD_COLUMNS, prefetchChangesSql, prefetched, toHead, type HeadRecord } from "./postgres-reader.js";
import { PostgresTransaction, groupFlushSql, type BufferedWrites } from "./postgres-transaction.js";
import { MicrotaskBatches } from "./microtask-batches.js";
import type { StorageTransaction } from "./storage.js";

/** Most `transact` callbacks sharing one SQL transaction (one COMMIT, one WAL flush). */
const MAX_GROUP = 256;
/** Groups of one process in flight at once: one runs its callbacks while another commits. */
const MAX_GROUPS = 2;

interface Job {
  readonly spaceId: string;
  readonly lock: number;
  readonly since: number | undefined;
  readonly fn: (tx: StorageTransaction) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * What a transaction's body returns: its result, the SQL that commits it (its last writes and
 * COMMIT, one round trip), and how many `transact` callbacks that commit carries.
 */
export interface Ending<T> {
  readonly result: T;
  readonly commit: string;
  readonly transactions: number;
}

/** Runs `body` in a transaction opened by `begin` (see `openPostgresStorage`'s `inTransaction`). */
export type RunTransaction = <T>(
  begin: string,
  body: (client: pg.PoolClient, begun: pg.QueryResult[]) => Promise<Ending<T>>,
  readOnly?: boolean,
) => Promise<T>;

/**
 * Group commit on PostgreSQL: `transact` callbacks of different spaces queued together share one
 * SQL transaction and one COMMIT. A push then costs its share of two round trips and one WAL
 * flush instead of two of its own: under load, a database's commits and a pool's connections are
 * what pushes wait for. One round trip opens the group: BEGIN, every space's advisory lock (in
 * key order, so that groups of several processes never deadlock), each head and the hinted
 * changes. The callbacks then run one after another on the group's connection, their writes
 * buffered; the last round trip sends every write with COMMIT. A callback that throws drops its
 * own writes (rolling back to a savepoint taken before its first write to the database, where it
 * made one); a failed COMMIT fails the whole group, as it would fail one transaction.
 */
export class PostgresGroupCommitter {
  readonly #jobs = new MicrotaskBatches<Job>((group) => this.#commit(group), MAX_GROUP, MAX_GROUPS);

  constructor(
    private readonly run: RunTransaction,
    private readonly lockClass: number,
  ) {}

  /** Queues `fn` for the next group; resolves with its result once the group committed. */
  submit<T>(
    spaceId: string,
    lock: number,
    since: number | undefined,
    fn: (tx: StorageTransaction) => Promise<T>,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#jobs.push({ spaceId, lock, since, fn, resolve, reject });
    });
  }

  async #commit(group: Job[]): Promise<void> {
    const locks = [...new Set(group.map((j) => j.lock))].sort((a, b) => a - b);
    const statements = [
      "BEGIN",
      ...locks.map((l) => `SELECT pg_advisory_xact_lock(${this.lockClass}, ${l})`),
    ];
    const at: number[] = [];
    for (const job of group) {
      at.push(statements.length);
      statements.push(
        `SELECT ${HEAD_COLUMNS} FROM synced_store_spaces WHERE space_id = ${pg.escapeLiteral(job.spaceId)}`,
      );
      if (job.since !== undefined) statements.push(...prefetchChangesSql(job.spaceId, job.since));
    }
    let done: Array<{ job: Job; value: unknown }> = [];
    try {
      done = await this.run(statements.join(";\n"), async (client, begun) => {
        const ran: Array<{ job: Job; value: unknown }> = [];
        const writes: BufferedWrites[] = [];
        for (const [i, job] of group.entries()) {
          let savepoint = false;
          const tx = new PostgresTransaction(
            client,
            job.spaceId,
            toHead(begun[at[i]!]?.rows[0] as HeadRecord | undefined),
            prefetched(job.since, begun, at[i]! + 1),
            async () => {
              savepoint = true;
              await client.query(`SAVEPOINT job${i}`);
            },
          );
          try {
            const value = await job.fn(tx);
            const buffered = tx.takeWrites();
            if (buffered !== undefined) writes.push(buffered);
            ran.push({ job, value });
          } catch (error) {
            if (savepoint) await client.query(`ROLLBACK TO SAVEPOINT job${i}`);
            job.reject(error);
          }
        }
        return {
          result: ran,
          commit: writes.length === 0 ? "COMMIT" : `${groupFlushSql(writes)};\nCOMMIT`,
          transactions: ran.length,
        };
      });
    } catch (error) {
      for (const job of group) job.reject(error);
      return;
    }
    for (const { job, value } of done) job.resolve(value);
  }
}
