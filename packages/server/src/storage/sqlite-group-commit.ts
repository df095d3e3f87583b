import type Database from "better-sqlite3";
import { addCommitListener, notifyCommit, type CommitListeners } from "./commit-listeners.js";
import type { StorageCommit } from "./storage.js";

interface Job {
  readonly write: boolean;
  readonly run: () => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** Most write callbacks sharing one SQLite transaction (one fsync). */
const MAX_GROUP = 256;

/**
 * Runs callbacks on one better-sqlite3 connection, one at a time, with group commit: write
 * callbacks queued together share one `BEGIN IMMEDIATE … COMMIT` (so one fsync under
 * `synchronous=FULL`), each inside its own savepoint so a failing callback rolls back alone. A
 * write's promise settles only after the group's `COMMIT`: nothing is acknowledged before it is
 * durable. Reads run in their own transaction between groups, so they never see uncommitted data.
 * Under load a group holds every write that arrived during the previous COMMIT (see `#loop`).
 */
export class GroupCommitter {
  readonly #jobs: Job[] = [];
  #running: Promise<void> | undefined;
  readonly #commitListeners: CommitListeners = new Set();
  /** A group committed since the event loop last reached its check phase. */
  #committedThisTurn = false;

  readonly #sql: Record<
    "begin" | "beginWrite" | "commit" | "rollback" | "savepoint" | "release" | "rollbackTo",
    Database.Statement
  >;

  constructor(private readonly db: Database.Database) {
    // Prepared once: these run several times per commit.
    const prepare = (sql: string) => db.prepare(sql);
    this.#sql = {
      begin: prepare("BEGIN"),
      beginWrite: prepare("BEGIN IMMEDIATE"),
      commit: prepare("COMMIT"),
      rollback: prepare("ROLLBACK"),
      savepoint: prepare("SAVEPOINT job"),
      release: prepare("RELEASE job"),
      rollbackTo: prepare("ROLLBACK TO job"),
    };
  }

  /** Queues `run` as a write (grouped) or a read (alone). */
  submit<T>(write: boolean, run: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#jobs.push({ write, run, resolve: resolve, reject });
      this.#running ??= this.#loop();
    });
  }

  /** Calls `listener` after each group's COMMIT; returns the unsubscribe (see `Storage.onCommit`). */
  onCommit(listener: (commit: StorageCommit) => void): () => void {
    return addCommitListener(this.#commitListeners, listener);
  }

  /** Notes that a group committed in this turn of the event loop (until its check phase). */
  #markTurn(): void {
    if (this.#committedThisTurn) return;
    this.#committedThisTurn = true;
    setImmediate(() => (this.#committedThisTurn = false));
  }

  /** Resolves once every queued callback has settled. */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #loop(): Promise<void> {
    // Start on a later microtask, so callbacks queued in the same tick join the first group.
    await Promise.resolve();
    while (this.#jobs.length > 0) {
      // A COMMIT blocks this thread (an fsync under FULL): frames that arrived meanwhile wait in
      // the sockets. After a commit, the next group starts only once the event loop has read
      // them (its check phase, after the I/O callbacks), so they all join it. Committing at once
      // would commit each socket callback's push alone, every frame waiting behind every fsync.
      // Work arriving at an idle server commits at once.
      if (this.#committedThisTurn) await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.#jobs[0]!.write) await this.#writeGroup();
      else await this.#read(this.#jobs.shift()!);
    }
    // Cleared in the same synchronous step as the emptiness check: a job submitted from now on
    // starts a new loop.
    this.#running = undefined;
  }

  async #read(job: Job): Promise<void> {
    this.#sql.begin.run();
    try {
      const result = await job.run();
      this.#sql.commit.run();
      job.resolve(result);
    } catch (error) {
      if (this.db.inTransaction) this.#sql.rollback.run();
      job.reject(error);
    }
  }

  async #writeGroup(): Promise<void> {
    const done: Array<{ job: Job; result: unknown }> = [];
    let started = 0;
    this.#sql.beginWrite.run();
    try {
      // Writes queued while earlier ones run join the group, up to MAX_GROUP.
      while (this.#jobs.length > 0 && this.#jobs[0]!.write && done.length < MAX_GROUP) {
        const job = this.#jobs.shift()!;
        this.#sql.savepoint.run();
        try {
          const result = await job.run();
          this.#sql.release.run();
          done.push({ job, result });
        } catch (error) {
          this.#sql.rollbackTo.run();
          this.#sql.release.run();
          job.reject(error);
        }
      }
      started = performance.now();
      this.#sql.commit.run();
    } catch (error) {
      if (this.db.inTransaction) this.#sql.rollback.run();
      for (const { job } of done) job.reject(error);
      return;
    }
    this.#markTurn();
    const commit = { durationMs: performance.now() - started, transactions: done.length };
    for (const { job, result } of done) job.resolve(result);
    notifyCommit(this.#commitListeners, commit);
  }
}
