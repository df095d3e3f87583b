/**
 * A queue whose jobs, queued in the same tick, run together: it hands `run` batches of at most
 * `maxBatch` jobs, starting on a later microtask (so that everything queued in this tick joins the
 * batch), with at most `maxInFlight` batches running at once. PostgreSQL's group commit and read
 * groups share it: under load a database's round trips, not its work, are what callers wait for.
 */
export class MicrotaskBatches<Job> {
  readonly #jobs: Job[] = [];
  #inFlight = 0;

  constructor(
    private readonly run: (batch: Job[]) => Promise<void>,
    private readonly maxBatch: number,
    private readonly maxInFlight: number,
  ) {}

  /** Queues `job` for the next batch. */
  push(job: Job): void {
    this.#jobs.push(job);
    if (this.#jobs.length === 1) queueMicrotask(() => this.#start());
  }

  #start(): void {
    while (this.#jobs.length > 0 && this.#inFlight < this.maxInFlight) {
      const batch = this.#jobs.splice(0, this.maxBatch);
      this.#inFlight++;
      void this.run(batch).finally(() => {
        this.#inFlight--;
        this.#start();
      });
    }
  }
}
