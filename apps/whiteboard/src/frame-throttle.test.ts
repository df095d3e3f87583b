import { afterEach, describe, expect, it, vi } from "vitest";
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

afterEach(() => {
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
    expect(run).toHaveBeenCalledTimes(1);
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
