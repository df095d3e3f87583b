import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CredentialExpiry } from "./credential-expiry.js";

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

function expiry(leadMs = 60_000) {
  const events: string[] = [];
  const e = new CredentialExpiry(Date.now, leadMs, {
    refreshDue: (at) => events.push(`refresh ${at}`),
    expired: () => events.push("expired"),
  });
  return { e, events };
}

describe("CredentialExpiry", () => {
  it("asks for a refresh the lead before the expiry, and expires at it", () => {
    const { e, events } = expiry();
    const at = Date.now() + 600_000;
    e.schedule(at);
    vi.advanceTimersByTime(540_000 - 1);
    expect(events).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(events).toEqual([`refresh ${at}`]);
    vi.advanceTimersByTime(60_000);
    expect(events).toEqual([`refresh ${at}`, "expired"]);
  });

  it("asks halfway for a credential shorter than twice the lead", () => {
    const { e, events } = expiry();
    e.schedule(Date.now() + 10_000);
    vi.advanceTimersByTime(5_000);
    expect(events).toHaveLength(1);
  });

  it("waits out an expiry beyond what one timer can hold (30 days) instead of firing at once", () => {
    const { e, events } = expiry();
    const day = 86_400_000;
    const at = Date.now() + 30 * day;
    e.schedule(at);
    vi.advanceTimersByTime(29 * day);
    expect(events).toEqual([]);
    vi.advanceTimersByTime(day);
    expect(events).toEqual([`refresh ${at}`, "expired"]);
  });

  it("starts over with a fresh credential, and stops on cancel", () => {
    const { e, events } = expiry(1_000);
    e.schedule(Date.now() + 10_000);
    vi.advanceTimersByTime(9_500);
    e.schedule(Date.now() + 10_000);
    vi.advanceTimersByTime(5_000);
    expect(events).toHaveLength(1);
    e.cancel();
    vi.advanceTimersByTime(60_000);
    expect(events).toHaveLength(1);
  });
});
