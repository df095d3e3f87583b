/** Longest wait for a frame: a hidden tab gets none, and its updates must still go out. */
const MAX_WAIT_MS = 100;

/**
 * Calls `run` at most once per animation frame with the latest value given to `schedule`:
 * pointer events can fire several times per frame, and each mutation also costs a local write.
 * `flush` runs a scheduled call at once (at the end of a drag).
 */
export function frameThrottle<T>(run: (value: T) => void): { schedule(value: T): void; flush(): void } {
  let latest: { value: T } | null = null;
  let frame: number | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    if (frame !== null) cancelAnimationFrame(frame);
    if (timer !== null) clearTimeout(timer);
    frame = null;
    timer = null;
    const pending = latest;
    latest = null;
    if (pending) run(pending.value);
  };
  return {
    schedule(value) {
      latest = { value };
      frame ??= requestAnimationFrame(flush);
      timer ??= setTimeout(flush, MAX_WAIT_MS);
    },
    flush,
  };
}
