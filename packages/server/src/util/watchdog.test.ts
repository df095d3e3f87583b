import { afterEach, describe, expect, it, vi } from "vitest";
import { Watchdog } from "./watchdog.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("Watchdog", () => {
  it("passes settled promises through and fails the one that overruns, with one timer re-armed", async () => {
    vi.useFakeTimers();
    const dog = new Watchdog(100, "mutator_failed");
    await expect(dog.watch(Promise.resolve(1), "a")).resolves.toBe(1);
    await expect(dog.watch(Promise.reject(new Error("own")), "b")).rejects.toThrow("own");
    await vi.advanceTimersByTimeAsync(60);
    // Started 60 ms into the first timer's period: it must get its full 100 ms.
    const stuck = dog.watch(new Promise<never>(() => undefined), "Mutator x did not finish");
    const outcome = stuck.then(
      () => "resolved",
      (e: unknown) => (e as Error).message,
    );
    await vi.advanceTimersByTimeAsync(60);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(60);
    expect(await outcome).toBe("Mutator x did not finish within 100 ms");
    dog.dispose();
    expect(vi.getTimerCount()).toBe(0);
  });
});
