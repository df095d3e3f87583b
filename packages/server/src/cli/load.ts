import type { LoadArgs } from "./load-args.js";
import { LoadClient } from "./load-client.js";

/** What `synced-store load` measured. */
export interface LoadReport {
  readonly clients: number;
  readonly connected: number;
  readonly spaces: number;
  readonly durationMs: number;
  readonly pushed: number;
  readonly confirmed: number;
  /** Pushed but not confirmed within the grace period after the run. */
  readonly unconfirmed: number;
  /** push sent → confirming poke, ms. */
  readonly latency: {
    readonly medianMs: number;
    readonly p90Ms: number;
    readonly p99Ms: number;
    readonly maxMs: number;
  };
  /** Errors by code: server error codes, `connect_timeout`, `socket_error`, `closed_<code>`. */
  readonly errors: Readonly<Record<string, number>>;
}

const CONNECT_TIMEOUT_MS = 10_000;
/** How long confirmations of the last pushes are awaited after the load stops. */
const GRACE_MS = 5_000;
/** Clients connecting at once (as real clients arrive in waves, not all in one instant). */
const WAVE = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs the load `args` describes and returns what it measured. Client `i` joins space
 * `i % spaces` as user `load-u{i % 3}`; every client pushes `rate` mutations a second, starting
 * at a random offset, for `durationMs` after all have connected (or failed to).
 */
export async function runLoad(args: LoadArgs): Promise<LoadReport> {
  const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  const count = (code: string) => (errors[code] = (errors[code] ?? 0) + 1);
  const clients: LoadClient[] = [];
  const connecting: Array<Promise<void>> = [];
  for (let i = 0; i < args.clients; i++) {
    const user = `load-u${i % 3}`;
    const client = new LoadClient({
      url: args.url,
      space: `${args.spacePrefix}${i % args.spaces}`,
      clientId: `load-${run}-${i}`,
      auth: args.auth ?? user,
      schemaVersion: args.schemaVersion,
      mutator: args.mutator,
      args: args.args,
      onConfirmed: (ms) => latencies.push(ms),
      onError: count,
    });
    clients.push(client);
    connecting.push(
      client.connect(CONNECT_TIMEOUT_MS).then(
        () => undefined,
        (error: unknown) => {
          count(error instanceof Error ? error.message : String(error));
          client.close();
          throw error;
        },
      ),
    );
    if (connecting.length % WAVE === 0) await Promise.allSettled(connecting.slice(-WAVE));
  }
  const outcomes = await Promise.allSettled(connecting);
  const online = clients.filter((_, i) => outcomes[i]!.status === "fulfilled");

  let pushed = 0;
  const interval = 1000 / args.rate;
  const timers = online.map((client) => {
    const tick = () => {
      pushed++;
      client.mutate();
    };
    return setTimeout(() => {
      tick();
      timers.push(setInterval(tick, interval));
    }, Math.random() * interval);
  });
  await sleep(args.durationMs);
  for (const t of timers) clearInterval(t);
  const graceEnd = performance.now() + GRACE_MS;
  while (online.some((c) => c.pending > 0) && performance.now() < graceEnd) await sleep(20);
  const unconfirmed = online.reduce((n, c) => n + c.pending, 0);
  for (const client of clients) client.close();

  return {
    clients: args.clients,
    connected: online.length,
    spaces: args.spaces,
    durationMs: args.durationMs,
    pushed,
    confirmed: latencies.length,
    unconfirmed,
    latency: percentiles(latencies),
    errors,
  };
}

function percentiles(samples: number[]): LoadReport["latency"] {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => {
    if (sorted.length === 0) return 0;
    const value = sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    return Math.round(value * 100) / 100;
  };
  return { medianMs: at(0.5), p90Ms: at(0.9), p99Ms: at(0.99), maxMs: at(1) };
}

/** The report as a few readable lines. */
export function formatLoadReport(r: LoadReport): string {
  const errors = Object.entries(r.errors)
    .map(([code, n]) => `${code} ${n}`)
    .join(", ");
  return [
    `clients ${r.connected}/${r.clients} connected over ${r.spaces} spaces, ${r.durationMs / 1000} s`,
    `mutations pushed ${r.pushed}, confirmed ${r.confirmed}, unconfirmed ${r.unconfirmed}` +
      ` (${Math.round(r.confirmed / (r.durationMs / 1000))}/s)`,
    `latency push → confirming poke: median ${r.latency.medianMs} ms, p90 ${r.latency.p90Ms} ms,` +
      ` p99 ${r.latency.p99Ms} ms, max ${r.latency.maxMs} ms`,
    `errors: ${errors === "" ? "none" : errors}`,
    "",
  ].join("\n");
}
