/**
 * The server's stage histograms (`/metrics`) over a measurement window: scrape before and after,
 * and summarize what each histogram observed in between.
 */
import type { StageTiming } from "../../../../scripts/bench-kit.js";
import {
  histogramDelta,
  histogramQuantile,
  parseHistograms,
  type ScrapedHistogram,
} from "../../src/metrics/scraped-histograms.js";

/** Server stages in path order: benchmark name → metric name. */
const STAGES = {
  "server.queue": "synced_store_push_queue_ms",
  "server.transaction": "synced_store_push_transaction_ms",
  "server.commit": "synced_store_push_commit_ms",
  "server.storageCommit": "synced_store_storage_commit_ms",
  "server.poke": "synced_store_poke_latency_ms",
  "server.pushToPoke": "synced_store_push_latency_ms",
  "server.eventLoopLag": "synced_store_event_loop_lag_ms",
} as const;

export type Scrape = Map<string, ScrapedHistogram>;

/** The histograms of the server(s) behind `ports`, merged (same buckets everywhere). */
export async function scrapeServers(ports: readonly number[]): Promise<Scrape[]> {
  return Promise.all(
    ports.map(async (port) =>
      parseHistograms(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()),
    ),
  );
}

function merged(
  scrapes: readonly Scrape[],
  name: string,
  before?: readonly Scrape[],
): ScrapedHistogram | undefined {
  let total: ScrapedHistogram | undefined;
  scrapes.forEach((scrape, i) => {
    const later = scrape.get(name);
    if (later === undefined) return;
    const d = histogramDelta(later, before?.[i]?.get(name));
    total =
      total === undefined
        ? d
        : {
            buckets: total.buckets.map((b, j) => ({ le: b.le, count: b.count + (d.buckets[j]?.count ?? 0) })),
            sum: total.sum + d.sum,
            count: total.count + d.count,
          };
  });
  return total;
}

/** Median and p99 (bucket-interpolated) of each server stage between two scrapes. */
export function serverStages(
  before: readonly Scrape[],
  after: readonly Scrape[],
): Record<string, StageTiming> {
  const out: Record<string, StageTiming> = {};
  for (const [stage, metric] of Object.entries(STAGES)) {
    const h = merged(after, metric, before);
    if (h === undefined || h.count === 0) continue;
    out[stage] = { medianMs: histogramQuantile(h, 0.5), p99Ms: histogramQuantile(h, 0.99), count: h.count };
  }
  return out;
}

/** Mean of a count histogram (e.g. `synced_store_storage_transactions_per_commit`) between two scrapes. */
export function meanBetween(before: readonly Scrape[], after: readonly Scrape[], metric: string): number {
  const h = merged(after, metric, before);
  return h === undefined || h.count === 0 ? NaN : Number((h.sum / h.count).toFixed(2));
}
