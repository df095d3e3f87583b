import pg from "pg";
import {
  HEAD_COLUMNS,
  PostgresReader,
  prefetchChangesSql,
  prefetched,
  toHead,
  type HeadRecord,
} from "./postgres-reader.js";
import type { RunTransaction } from "./postgres-group-commit.js";
import { MicrotaskBatches } from "./microtask-batches.js";
import type { StorageReader } from "./storage.js";

/** Most `read` callbacks sharing one snapshot. */
const MAX_GROUP = 256;
/** Read groups of one process in flight at once. */
const MAX_GROUPS = 2;

interface Job {
  readonly spaceId: string;
  readonly since: number | undefined;
  readonly fn: (reader: StorageReader) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * `read` callbacks queued together share one REPEATABLE READ snapshot, opened by one round trip
 * that also reads each space's head and hinted changes. When another process commits a group of
 * spaces, this process catches up on all of them at once (one connection, one round trip for the
 * lot) instead of taking a pooled connection and two round trips for each. Each callback settles
 * as soon as it is done; the snapshot's COMMIT finishes in the background.
 */
export class PostgresReadGroup {
  readonly #jobs = new MicrotaskBatches<Job>((group) => this.#read(group), MAX_GROUP, MAX_GROUPS);

  constructor(private readonly run: RunTransaction) {}

  /** Queues `fn` for the next group; settles with it. */
  submit<T>(
    spaceId: string,
    since: number | undefined,
    fn: (reader: StorageReader) => Promise<T>,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#jobs.push({ spaceId, since, fn, resolve, reject });
    });
  }

  async #read(group: Job[]): Promise<void> {
    const statements = ["BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"];
    const at: number[] = [];
    for (const job of group) {
      at.push(statements.length);
      statements.push(
        `SELECT ${HEAD_COLUMNS} FROM synced_store_spaces WHERE space_id = ${pg.escapeLiteral(job.spaceId)}`,
      );
      if (job.since !== undefined) statements.push(...prefetchChangesSql(job.spaceId, job.since));
    }
    try {
      await this.run(
        statements.join(";\n"),
        async (client, begun) => {
          for (const [i, job] of group.entries()) {
            const reader = new PostgresReader(client, job.spaceId, {
              head: toHead(begun[at[i]!]?.rows[0] as HeadRecord | undefined),
              changes: prefetched(job.since, begun, at[i]! + 1),
            });
            try {
              job.resolve(await job.fn(reader));
            } catch (error) {
              job.reject(error);
            }
          }
          return { result: undefined, commit: "COMMIT", transactions: 0 };
        },
        true,
      );
    } catch (error) {
      // Opening the snapshot failed (or its connection did): nothing ran, every read fails.
      for (const job of group) job.reject(error);
    }
  }
}
