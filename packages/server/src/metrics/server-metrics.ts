/** Upper bounds (ms) of the poke latency histogram buckets. */
const POKE_BUCKETS_MS = [0.5, 1, 2, 5, 10, 25, 50, 100, 250, 1000];

/**
 * Counters the server keeps while it runs; `toPrometheus` renders them for `/metrics`.
 * Cheap enough to update on every message.
 */
export class ServerMetrics {
  connections = 0;
  connectionsTotal = 0;
  pushes = 0;
  mutationsApplied = 0;
  mutationsRejected = 0;
  mutationsSkipped = 0;
  pulls = 0;
  actions = 0;
  actionsFailed = 0;
  protocolErrors = 0;
  commits = 0;
  readonly #pokeBuckets = POKE_BUCKETS_MS.map(() => 0);
  #pokeCount = 0;
  #pokeSumMs = 0;

  /** Records how long a commit waited until its poke went out. */
  observePokeLatency(ms: number): void {
    this.#pokeCount++;
    this.#pokeSumMs += ms;
    POKE_BUCKETS_MS.forEach((bound, i) => {
      if (ms <= bound) this.#pokeBuckets[i]!++;
    });
  }

  /** The Prometheus text exposition of every metric. */
  toPrometheus(): string {
    const lines: string[] = [];
    const metric = (name: string, type: "counter" | "gauge", help: string, value: number) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${value}`);
    };
    metric("synced_store_connections", "gauge", "Open client connections.", this.connections);
    metric("synced_store_connections_total", "counter", "Connections accepted.", this.connectionsTotal);
    metric("synced_store_pushes_total", "counter", "Push messages processed.", this.pushes);
    metric("synced_store_mutations_applied_total", "counter", "Mutations applied.", this.mutationsApplied);
    metric("synced_store_mutations_rejected_total", "counter", "Mutations rejected.", this.mutationsRejected);
    metric(
      "synced_store_mutations_skipped_total",
      "counter",
      "Duplicate mutations skipped.",
      this.mutationsSkipped,
    );
    metric("synced_store_commits_total", "counter", "Batches committed.", this.commits);
    metric("synced_store_pulls_total", "counter", "Pulls answered.", this.pulls);
    metric("synced_store_actions_total", "counter", "Actions run.", this.actions);
    metric("synced_store_actions_failed_total", "counter", "Actions that failed.", this.actionsFailed);
    metric("synced_store_protocol_errors_total", "counter", "Protocol errors sent.", this.protocolErrors);
    const h = "synced_store_poke_latency_ms";
    lines.push(`# HELP ${h} Time from commit to poke sent, in milliseconds.`, `# TYPE ${h} histogram`);
    POKE_BUCKETS_MS.forEach((bound, i) => lines.push(`${h}_bucket{le="${bound}"} ${this.#pokeBuckets[i]}`));
    lines.push(
      `${h}_bucket{le="+Inf"} ${this.#pokeCount}`,
      `${h}_sum ${this.#pokeSumMs}`,
      `${h}_count ${this.#pokeCount}`,
    );
    return lines.join("\n") + "\n";
  }
}
