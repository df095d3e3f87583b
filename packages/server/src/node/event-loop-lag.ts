import type { ServerMetrics } from "../metrics/server-metrics.js";

/** How often the event loop's lag is sampled. */
const SAMPLE_EVERY_MS = 20;

/**
 * Samples how late a timer fires (what every queued callback of this process waits on top of its
 * own work) into `metrics.eventLoopLag`. A commit that blocks the thread, a long GC or a burst of
 * frames shows there. Returns the stop function; the timer never keeps the process alive.
 */
export function watchEventLoopLag(metrics: ServerMetrics): () => void {
  let expected = performance.now() + SAMPLE_EVERY_MS;
  let timer: ReturnType<typeof setTimeout>;
  const tick = () => {
    const now = performance.now();
    metrics.eventLoopLag.observe(Math.max(0, now - expected));
    expected = now + SAMPLE_EVERY_MS;
    timer = setTimeout(tick, SAMPLE_EVERY_MS);
    timer.unref();
  };
  timer = setTimeout(tick, SAMPLE_EVERY_MS);
  timer.unref();
  return () => clearTimeout(timer);
}
