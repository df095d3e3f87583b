/**
 * The clients of the many-clients benchmark: real stores, each writing its own note once a
 * second, each watching `notes/` and timing every other client's note it sees. Runs in the
 * benchmark's process or in a child process of its own (`client-fleet-process.ts`).
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { openClient, type NotesStore } from "../e2e/harness.js";
import { stamp, StageProbe, type StageSamples } from "./stage-probe.js";

/** One client to open. */
export interface ClientSpec {
  readonly url: string;
  readonly space: string;
  readonly userId: string;
  readonly clientId: string;
}

/** What a fleet measured while measuring was on. */
export interface FleetResult {
  /** mutate → another client's watch saw it, ms. */
  readonly samples: number[];
  readonly stages: StageSamples;
  readonly mutations: number;
  readonly cpuMicros: number;
  readonly eventLoopDelayP99Ms: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The clients of one process. */
export class ClientFleet {
  readonly stores: NotesStore[] = [];
  readonly #probe = new StageProbe();
  readonly #arrivals: Array<Map<string, number>> = [];
  readonly #timers: Array<ReturnType<typeof setTimeout>> = [];
  #samples: number[] = [];
  #mutations = 0;
  #cpu = process.cpuUsage();
  #loop = monitorEventLoopDelay({ resolution: 5 });

  constructor(private readonly specs: readonly ClientSpec[]) {}

  /** Opens every client, in waves of `wave` (as real clients arrive), until all are online. */
  async connect(wave = 100): Promise<void> {
    for (const spec of this.specs) {
      const arrivals = new Map<string, number>();
      const { store } = openClient({
        ...spec,
        productionTimings: true,
        record: false,
        wrapTransport: (inner) => this.#probe.wrap(inner, arrivals),
      });
      const index = this.stores.length;
      this.stores.push(store);
      this.#arrivals.push(arrivals);
      this.#watch(store, index);
      if (this.stores.length % wave === 0) await this.#online();
    }
    await this.#online();
  }

  /** Each client starts writing once a second, at a random offset. */
  start(): void {
    this.stores.forEach((store, i) => {
      let seq = 0;
      const tick = () => {
        this.#mutations++;
        void store.mutate.putNote({ id: `w${store.clientId}`, text: `${seq++}:${stamp()}` });
      };
      this.#timers[i] = setTimeout(
        () => {
          tick();
          this.#timers[i] = setInterval(tick, 1000);
        },
        Math.floor(Math.random() * 1000),
      );
    });
  }

  /** Starts the measurement window. */
  measure(): void {
    this.#samples = [];
    this.#probe.clear();
    this.#mutations = 0;
    this.#cpu = process.cpuUsage();
    this.#loop = monitorEventLoopDelay({ resolution: 5 });
    this.#loop.enable();
    this.#probe.measuring = true;
  }

  /** Ends the measurement window and returns what it saw. */
  result(): FleetResult {
    this.#probe.measuring = false;
    this.#loop.disable();
    const cpu = process.cpuUsage(this.#cpu);
    return {
      samples: this.#samples,
      stages: this.#probe.samples,
      mutations: this.#mutations,
      cpuMicros: cpu.user + cpu.system,
      eventLoopDelayP99Ms: this.#loop.percentile(99) / 1e6,
    };
  }

  async close(): Promise<void> {
    for (const t of this.#timers) clearInterval(t);
    await Promise.all(this.stores.map((s) => s.close()));
  }

  #watch(store: NotesStore, index: number): void {
    const self = `notes/w${store.clientId}`;
    store.watch("notes/", (diffs) => {
      if (!this.#probe.measuring) return;
      const now = stamp();
      for (const d of diffs) {
        if (d.key === self || d.op === "del") continue;
        const text = (d.newValue as { text?: string }).text ?? "";
        const sent = text.slice(text.indexOf(":") + 1);
        this.#samples.push(now - Number(sent));
        this.#probe.applied(sent, now, this.#arrivals[index]!);
      }
    });
  }

  async #online(): Promise<void> {
    const deadline = performance.now() + 60_000;
    while (this.stores.some((s) => s.status.connection !== "online")) {
      if (performance.now() > deadline) throw new Error("clients did not all connect within 60 s");
      await sleep(20);
    }
  }
}
