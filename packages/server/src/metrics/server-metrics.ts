import { Histogram } from "./histogram.js";
import { LabeledCounter } from "./labeled-counter.js";

/** How a connection reaches the server. */
export type Transport = "websocket" | "http";

/**
 * Counters the server keeps while it runs; `toPrometheus` renders them for `/metrics`.
 * Cheap enough to update on every message. The histograms follow a push through the server's
 * stages: queue (arrival → its transaction starts), transaction (mutators and writes), commit
 * (writes done → durable; `storage_commit` is the COMMIT itself: the fsync or the database's round
 * trip) and poke (commit → pokes sent), with `push_latency` the whole way from arrival to poke.
 */
export class ServerMetrics {
  connections = 0;
  connectionsTotal = 0;
  pushes = 0;
  mutationsApplied = 0;
  mutationsRejected = 0;
  mutationsSkipped = 0;
  pulls = 0;
  /** Frames of snapshots sent in parts (one per part; a snapshot that fits one frame counts 1). */
  snapshotParts = 0;
  actions = 0;
  actionsFailed = 0;
  protocolErrors = 0;
  commits = 0;
  readonly pushQueue = new Histogram(
    "synced_store_push_queue_ms",
    "Time from a push frame's arrival until the transaction that runs it starts, in milliseconds.",
  );
  readonly pushTransaction = new Histogram(
    "synced_store_push_transaction_ms",
    "Time a push group's transaction spent running mutators and writing, in milliseconds.",
  );
  readonly pushCommit = new Histogram(
    "synced_store_push_commit_ms",
    "Time from a push group's last write until storage reported it durable (commit group and COMMIT), in milliseconds.",
  );
  /** Fed by storages with `onCommit`. */
  readonly storageCommit = new Histogram(
    "synced_store_storage_commit_ms",
    "Time one storage COMMIT took (fsync, or the database round trip), in milliseconds.",
  );
  readonly transactionsPerCommit = new Histogram(
    "synced_store_storage_transactions_per_commit",
    "Space transactions carried by one storage COMMIT (grouped commits).",
    [1, 2, 4, 8, 16, 32, 64, 128, 256, 1024],
  );
  readonly pokeLatency = new Histogram(
    "synced_store_poke_latency_ms",
    "Time from commit to poke sent, in milliseconds.",
  );
  readonly pushLatency = new Histogram(
    "synced_store_push_latency_ms",
    "Time from a push frame's arrival until the poke with its effect went out, in milliseconds.",
  );
  readonly pushesPerVersion = new Histogram(
    "synced_store_pushes_per_version",
    "Push messages committed together as one version of a space.",
    [1, 2, 4, 8, 16, 32, 64, 128, 256, 1024],
  );
  /** Mutations rejected (`kind="mutation"`) and protocol errors sent (`kind="protocol"`), by wire code. */
  readonly rejections = new LabeledCounter(
    "synced_store_rejections_total",
    "Mutations rejected and protocol errors sent, by kind and wire code.",
    ["kind", "code"],
  );
  readonly openByTransport = new LabeledCounter(
    "synced_store_transport_connections",
    "Open client connections by transport (an HTTP request is one short connection).",
    ["transport"],
    "gauge",
  );
  readonly acceptedByTransport = new LabeledCounter(
    "synced_store_transport_connections_total",
    "Connections accepted, by transport.",
    ["transport"],
  );
  /** Fed by the Node adapters: payload bytes of frames and HTTP bodies, before compression. */
  readonly bytesIn = new LabeledCounter(
    "synced_store_received_bytes_total",
    "Bytes of frames and request bodies received from clients, by transport.",
    ["transport"],
  );
  readonly bytesOut = new LabeledCounter(
    "synced_store_sent_bytes_total",
    "Bytes of frames and response bodies sent to clients, by transport.",
    ["transport"],
  );
  /** Fed by the Node HTTP adapter: requests over a per-user or per-client rate. */
  readonly httpRateLimited = new LabeledCounter(
    "synced_store_http_rate_limited_total",
    "HTTP sync requests refused with 429, by the rate they exceeded (user or client).",
    ["scope"],
  );
  readonly httpRateBuckets = new LabeledCounter(
    "synced_store_http_rate_buckets",
    "Users and client ids whose HTTP request rate is tracked (bounded by Limits.httpRateBuckets).",
    ["scope"],
    "gauge",
  );
  readonly httpRateBucketBytes = new LabeledCounter(
    "synced_store_http_rate_bucket_bytes",
    "Bytes the tracked HTTP rate buckets are counted at (bounded by Limits.httpRateBucketBytes).",
    ["scope"],
    "gauge",
  );
  /** Fed by the Node adapter (`listen`, `attach`); empty on other hosts. */
  readonly eventLoopLag = new Histogram(
    "synced_store_event_loop_lag_ms",
    "How late a timer fired on the server's thread (sampled every 20 ms), in milliseconds.",
  );

  /** Counts a connection opened over `transport`. */
  connectionOpened(transport: Transport): void {
    this.connections++;
    this.connectionsTotal++;
    this.openByTransport.add({ transport });
    this.acceptedByTransport.add({ transport });
  }

  /** Counts a connection over `transport` closed. */
  connectionClosed(transport: Transport): void {
    this.connections--;
    this.openByTransport.add({ transport }, -1);
  }

  /** Counts a protocol error sent with wire code `code`. */
  protocolError(code: string): void {
    this.protocolErrors++;
    this.rejections.add({ kind: "protocol", code });
  }

  /** Counts mutations rejected, each with its wire code. */
  mutationsRejectedWith(errors: ReadonlyArray<{ readonly error: { readonly code: string } }>): void {
    this.mutationsRejected += errors.length;
    for (const { error } of errors) this.rejections.add({ kind: "mutation", code: error.code });
  }

  /** Records how long a commit waited until its poke went out. */
  observePokeLatency(ms: number): void {
    this.pokeLatency.observe(ms);
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
    metric(
      "synced_store_snapshot_chunks_total",
      "counter",
      "Snapshot frames sent (a snapshot over half the frame limit goes out in several).",
      this.snapshotParts,
    );
    metric("synced_store_actions_total", "counter", "Actions run.", this.actions);
    metric("synced_store_actions_failed_total", "counter", "Actions that failed.", this.actionsFailed);
    metric("synced_store_protocol_errors_total", "counter", "Protocol errors sent.", this.protocolErrors);
    for (const c of [
      this.rejections,
      this.openByTransport,
      this.acceptedByTransport,
      this.bytesIn,
      this.bytesOut,
      this.httpRateLimited,
      this.httpRateBuckets,
      this.httpRateBucketBytes,
    ])
      lines.push(...c.toPrometheus());
    for (const h of [
      this.pushQueue,
      this.pushTransaction,
      this.pushCommit,
      this.storageCommit,
      this.transactionsPerCommit,
      this.pokeLatency,
      this.pushLatency,
      this.pushesPerVersion,
      this.eventLoopLag,
    ])
      lines.push(...h.toPrometheus());
    return lines.join("\n") + "\n";
  }
}
