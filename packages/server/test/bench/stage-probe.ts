/**
 * Client-side stage timings of the latency benchmarks. Every measured mutation carries its own
 * start time in its text (`{seq}:{stamp}`); a transport wrapper notes when the writer's push frame
 * carrying that stamp went out and when each reader's poke frame carrying it came in, and the
 * reader's watch says when the store applied it. Stamps are wall-clock milliseconds with
 * sub-millisecond precision (`performance.timeOrigin + performance.now()`), comparable between
 * processes of one machine.
 */
import type { Transport } from "@synced-store/core";
import { summarize } from "../../../../scripts/bench-kit.js";

/** Milliseconds since the epoch, sub-millisecond, comparable across processes. */
export const stamp = (): number => performance.timeOrigin + performance.now();

const TEXT = /"text":"\d+:([0-9.]+)"/g;

/** The stamps of every note text in `frame`. */
function stampsIn(frame: string): string[] {
  const out: string[] = [];
  for (const m of frame.matchAll(TEXT)) out.push(m[1]!);
  return out;
}

/** Samples of one stage, in ms. */
export type StageSamples = Record<
  "mutateToPushSent" | "pushSentToPokeArrived" | "pokeArrivedToApplied",
  number[]
>;

/** Collects stage samples of the stores it wraps. */
export class StageProbe {
  measuring = false;
  readonly samples: StageSamples = {
    mutateToPushSent: [],
    pushSentToPokeArrived: [],
    pokeArrivedToApplied: [],
  };
  readonly #pushSent = new Map<string, number>();

  /** `inner` with its push frames and pokes timed; `arrivals` is the reading store's own record. */
  wrap(inner: Transport, arrivals: Map<string, number>): Transport {
    return {
      kind: inner.kind,
      open: (handlers) => {
        const conn = inner.open({
          ...handlers,
          onFrame: (frame) => {
            if (this.measuring && frame.startsWith('{"type":"poke"')) {
              const now = stamp();
              for (const s of stampsIn(frame)) arrivals.set(s, now);
            }
            handlers.onFrame(frame);
          },
        });
        return {
          close: (code, reason) => conn.close(code, reason),
          send: (frame) => {
            if (this.measuring && frame.startsWith('{"type":"push"')) {
              const now = stamp();
              for (const s of stampsIn(frame)) this.#pushSent.set(s, now);
            }
            conn.send(frame);
          },
        };
      },
    };
  }

  /** A reader's store applied the note stamped `s` at `appliedAt`: record the stages. */
  applied(s: string, appliedAt: number, arrivals: Map<string, number>): void {
    const arrived = arrivals.get(s);
    arrivals.delete(s);
    const sent = this.#pushSent.get(s);
    if (!this.measuring || arrived === undefined || sent === undefined) return;
    this.samples.mutateToPushSent.push(sent - Number(s));
    this.samples.pushSentToPokeArrived.push(arrived - sent);
    this.samples.pokeArrivedToApplied.push(appliedAt - arrived);
  }

  /** Forgets what was recorded (between warm-up and measurement). */
  clear(): void {
    this.#pushSent.clear();
    for (const list of Object.values(this.samples)) list.length = 0;
  }
}

/** Median, p99 and count of each stage's samples. */
export function summarizeStages(samples: Partial<Record<string, number[]>>) {
  const out: Record<string, { medianMs: number; p99Ms: number; count: number }> = {};
  for (const [name, list] of Object.entries(samples)) {
    if (list === undefined || list.length === 0) continue;
    const t = summarize(list);
    out[name] = { medianMs: t.medianMs, p99Ms: t.p99Ms, count: t.samples };
  }
  return out;
}
