import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { frameThrottle } from "./frame-throttle.js";

/** A hand-driven animation frame clock. */
function fakeFrames() {
  let callbacks = new Map<number, FrameRequestCallback>();
  let next = 1;
  vi.stubGlobal("requestAnimationFrame", (cb: FrameRequestCallback) => {
    callbacks.set(next, cb);
    return next++;
  });
  vi.stubGlobal("cancelAnimationFrame", (id: number) => callbacks.delete(id));
  return {
    frame() {
      const due = callbacks;
      callbacks = new Map();
      for (const cb of due.values()) cb(0);
    },
  };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("frameThrottle", () => {
  it("runs once per frame with the latest value", () => {
    const frames = fakeFrames();
    const run = vi.fn();
    const throttle = frameThrottle(run);
    for (let x = 1; x <= 50; x++) throttle.schedule(x);
    expect(run).not.toHaveBeenCalled();
    frames.frame();
    expect(run.mock.calls).toEqual([[50]]);
    frames.frame();
    vi.advanceTimersByTime(1_000); // the fallback timer was cancelled with the frame
    expect(run).toHaveBeenCalledTimes(1);
  });

  it("still runs when no frame comes (a hidden tab)", () => {
    fakeFrames();
    const run = vi.fn();
    frameThrottle(run).schedule("late");
    vi.advanceTimersByTime(99);
    expect(run).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(run.mock.calls).toEqual([["late"]]);
  });

  it("flush runs the scheduled value at once, and only once", () => {
    const frames = fakeFrames();
    const run = vi.fn();
    const throttle = frameThrottle(run);
    throttle.schedule("a");
    throttle.flush();
    frames.frame();
    throttle.flush();
    expect(run.mock.calls).toEqual([["a"]]);
  });
});
