import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createMemoryStorage } from "../storage/memory.js";
import { PRESENCE_PAYLOAD_BYTES, type Bus, type BusHandlers, type VersionNotice } from "./bus.js";
import { VersionWatcher } from "./version-watcher.js";

/** Two buses on one network, as two server processes would hold them. */
export interface BusPair {
  readonly a: Bus;
  readonly b: Bus;
  /** Drops `bus`'s connection(s) from the outside; the bus must come back by itself (or by `restore`). */
  cut(bus: Bus): Promise<void>;
  /** For buses that do not reconnect by themselves (memory); otherwise a no-op. */
  restore(bus: Bus): Promise<void>;
  /** Sends a raw, malformed message on the bus's channel. */
  sendGarbage?(payload: string): Promise<void>;
  close(): Promise<void>;
}

const waitOptions = { timeout: 10_000, interval: 5 };

function recorder() {
  const notices: VersionNotice[] = [];
  let resyncs = 0;
  const handlers: BusHandlers = {
    onVersion: (n) => notices.push(n),
    onResync: () => void resyncs++,
  };
  return { handlers, notices, resyncs: () => resyncs };
}

/** The Vitest suite every `Bus` implementation runs. `makePair` returns fresh connected buses. */
export function runBusContract(name: string, makePair: () => Promise<BusPair>): void {
  describe(`bus contract: ${name}`, () => {
    let pair: BusPair;
    beforeEach(async () => {
      pair = await makePair();
    });
    afterEach(async () => {
      await pair.close();
    });

    it("delivers each notice to every subscriber, the publisher included, with its origin", async () => {
      const onA = recorder();
      const onB = recorder();
      pair.a.subscribe(onA.handlers);
      pair.b.subscribe(onB.handlers);
      expect(pair.a.id).not.toBe(pair.b.id);
      await pair.a.publish("todo/1", 3);
      await pair.b.publish("todo/2", 7);
      const expected = [
        { spaceId: "todo/1", version: 3, origin: pair.a.id },
        { spaceId: "todo/2", version: 7, origin: pair.b.id },
      ];
      await vi.waitFor(() => expect(onB.notices).toEqual(expected), waitOptions);
      await vi.waitFor(() => expect(onA.notices).toEqual(expected), waitOptions);
    });

    it("delivers presence payloads in publish order to every subscriber, apart from versions", async () => {
      const onA: string[] = [];
      const onB: string[] = [];
      const versions = recorder();
      pair.a.subscribe({ ...versions.handlers, onPresence: (p) => onA.push(p) });
      pair.b.subscribe({
        onVersion: () => undefined,
        onResync: () => undefined,
        onPresence: (p) => onB.push(p),
      });
      // Near the size limit too: PostgreSQL refuses NOTIFY payloads of 8000 bytes.
      const big = JSON.stringify(["x", "é".repeat((PRESENCE_PAYLOAD_BYTES - 20) / 2)]);
      expect(Buffer.byteLength(big)).toBeLessThanOrEqual(PRESENCE_PAYLOAD_BYTES);
      const sent = ["one", big, ...Array.from({ length: 20 }, (_, i) => `p${i}`)];
      for (const payload of sent) await pair.a.publishPresence(payload);
      await vi.waitFor(() => expect(onB).toEqual(sent), waitOptions);
      await vi.waitFor(() => expect(onA).toEqual(sent), waitOptions);
      expect(versions.notices).toEqual([]);
    });

    it("stops delivering after unsubscribe, and isolates a throwing handler", async () => {
      const kept = recorder();
      const dropped = recorder();
      pair.b.subscribe({
        onVersion: () => {
          throw new Error("handler bug");
        },
        onResync: () => undefined,
      });
      pair.b.subscribe(kept.handlers);
      const stop = pair.b.subscribe(dropped.handlers);
      await pair.a.publish("s/1", 1);
      await vi.waitFor(() => expect(dropped.notices.length).toBe(1), waitOptions);
      stop();
      await pair.a.publish("s/1", 2);
      await vi.waitFor(() => expect(kept.notices.map((n) => n.version)).toEqual([1, 2]), waitOptions);
      expect(dropped.notices.map((n) => n.version)).toEqual([1]);
    });

    it("ignores malformed messages on its channel", async () => {
      if (!pair.sendGarbage) return expect(name).toBe("memory");
      const got = recorder();
      pair.b.subscribe(got.handlers);
      await pair.sendGarbage("not json");
      await pair.sendGarbage(JSON.stringify(["s/1", -1, "x"]));
      await pair.sendGarbage(JSON.stringify({ spaceId: "s/1" }));
      await pair.a.publish("s/1", 5);
      await vi.waitFor(() => expect(got.notices.map((n) => n.version)).toEqual([5]), waitOptions);
    });

    it("resyncs after a lost connection, and the watcher catches up from storage", async () => {
      const storage = createMemoryStorage();
      const commit = (space: string, version: number) =>
        storage.transact(space, async (tx) => {
          await tx.head();
          await tx.setVersion(version);
        });
      await commit("s/1", 1);
      const advanced: [string, number][] = [];
      const got = recorder();
      pair.b.subscribe(got.handlers);
      const watcher = new VersionWatcher({
        bus: pair.b,
        storage,
        spaces: () => ["s/1", "s/2"],
        onAdvance: (space, version) => void advanced.push([space, version]),
        pollIntervalMs: 0,
      });
      try {
        await pair.a.publish("s/1", 1);
        await vi.waitFor(() => expect(advanced).toEqual([["s/1", 1]]), waitOptions);
        await pair.cut(pair.b);
        // Commits whose notices never reach b: one is never published at all (its process died
        // after committing), the other is published while b is away.
        await commit("s/1", 2);
        await commit("s/2", 1);
        await pair.a.publish("s/2", 1).catch(() => undefined);
        await pair.restore(pair.b);
        await vi.waitFor(() => expect(got.resyncs()).toBeGreaterThanOrEqual(1), waitOptions);
        await vi.waitFor(
          () =>
            expect(new Map(advanced)).toEqual(
              new Map([
                ["s/1", 2],
                ["s/2", 1],
              ]),
            ),
          waitOptions,
        );
        // Back to normal delivery after the resync; stale notices report nothing.
        await pair.a.publish("s/1", 2);
        await pair.a.publish("s/1", 3);
        await vi.waitFor(() => expect(advanced.at(-1)).toEqual(["s/1", 3]), waitOptions);
        expect(advanced.filter(([s]) => s === "s/1").map(([, v]) => v)).toEqual([1, 2, 3]);
      } finally {
        watcher.close();
        await storage.close();
      }
    });
  });
}
